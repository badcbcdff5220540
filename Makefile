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
# Fyne reads the locale at start; with LANG=C it logs an error.
export LANG := en_US.UTF-8

.PHONY: all deps build run test bench package lint clean

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
	$(GO) test -race -tags $(TAGS) -timeout 12m ./...

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
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 -tags $(TAGS) ./...

clean:
	rm -rf $(BUILD)
