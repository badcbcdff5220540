# Signet — build, run, test and package. `make run` and `make test` are the
# two commands a fresh Debian machine with Go needs; both install the system
# packages they use (scripts/deps.sh).

GO       ?= go
TAGS     := migrated_fynedo
BUILD    := build
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FYNE     := $(BUILD)/bin/fyne
FYNE_VER := v1.7.4
# One UTF-8 locale for builds and tests, whatever the shell has (deps.sh
# generates it); signet itself is silent under C locales (internal/localeenv).
export LANG := en_US.UTF-8

.PHONY: all deps build run test bench package lint clean install uninstall package-arm64

all: build

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BUILD)/signet .

## run: the kiosk in demo mode in a window (no network, camera or credentials)
run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "make run: no display. Run it in a desktop session, or headless: xvfb-run -s '-screen 0 1280x800x24' make run" >&2; exit 2; fi
	$(BUILD)/signet demo --windowed

## test: everything CI checks
test: deps
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -race -tags $(TAGS) -timeout 12m $$($(GO) list -tags $(TAGS) ./... | grep -v '/capture/idscan$$')
	# the layout sweeps, skipped under -race (app/race_on_test.go)
	$(GO) test -tags $(TAGS) -timeout 5m -run Fit ./app/
	# capture/idscan starts no goroutine, in its code or its tests: the race
	# detector has nothing to find there and made it 6x slower (220 s, not 37)
	$(GO) test -tags $(TAGS) -timeout 5m ./capture/idscan/

## bench: every benchmark, with allocations, saved to build/bench.txt
bench: deps
	@mkdir -p $(BUILD)
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./... | tee $(BUILD)/bench.txt

$(FYNE):
	GOBIN=$(abspath $(BUILD)/bin) $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_VER)

## package: the Linux package (Signet.tar.xz) in build/; the work tree stays clean
# `fyne package` bumps Build in FyneApp.toml on every run, so it runs on a copy.
package: deps $(FYNE)
	@rm -rf $(BUILD)/pkg && mkdir -p $(BUILD)/pkg
	git ls-files -z | xargs -0 cp --parents -t $(BUILD)/pkg
	cd $(BUILD)/pkg && $(abspath $(FYNE)) package -os linux --release --tags $(TAGS) --app-version $(patsubst v%,%,$(shell sed -n 's/^ *Version = "\(.*\)"/\1/p' FyneApp.toml))
	mv $(BUILD)/pkg/Signet.tar.xz $(BUILD)/
	@rm -rf $(BUILD)/pkg
	@echo "package: $(BUILD)/Signet.tar.xz"

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags $(TAGS) ./...

clean:
	rm -rf $(BUILD)

## install: the kiosk on this machine (as root) or under DESTDIR: binary, systemd unit, session,
## udev rule, example config; the user "signet" only when DESTDIR is empty. Run `make build` first.
PREFIX      ?= /usr/local
INSTALL_BIN ?= $(BUILD)/signet
install:
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" BIN="$(INSTALL_BIN)" deploy/install.sh

## uninstall: remove what install installed; PURGE=1 also removes config, state and the user
uninstall:
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" PURGE="$(PURGE)" deploy/uninstall.sh

## package-arm64: build/signet-linux-arm64.tar.gz for a Raspberry Pi 4/5 (binary, deploy/, guide),
## cross-compiled with gcc-aarch64-linux-gnu and the arm64 GL/X11 dev packages
ARM64_CC ?= aarch64-linux-gnu-gcc
package-arm64:
	@command -v $(ARM64_CC) >/dev/null 2>&1 || { echo "package-arm64: $(ARM64_CC) not found. Install the cross toolchain:" >&2; \
	  echo "  dpkg --add-architecture arm64 && apt-get update && apt-get install gcc-aarch64-linux-gnu libgl1-mesa-dev:arm64 libx11-dev:arm64 libxrandr-dev:arm64 libxxf86vm-dev:arm64 libxi-dev:arm64 libxcursor-dev:arm64 libxinerama-dev:arm64" >&2; \
	  echo "or build on the Pi itself with make build (docs/operating.md)." >&2; exit 2; }
	@rm -rf $(BUILD)/arm64 && mkdir -p $(BUILD)/arm64/signet/build
	CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC=$(ARM64_CC) PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
	  $(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BUILD)/arm64/signet/build/signet .
	git ls-files -z deploy docs/operating.md ':!deploy/*_test.go' | xargs -0 cp --parents -t $(BUILD)/arm64/signet
	tar -C $(BUILD)/arm64 -czf $(BUILD)/signet-linux-arm64.tar.gz signet
	@rm -rf $(BUILD)/arm64
	@echo "package-arm64: $(BUILD)/signet-linux-arm64.tar.gz (on the Pi: tar xzf …; cd signet; sudo deploy/install.sh)"
