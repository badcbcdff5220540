#!/bin/sh
# install.sh — install Signet as a kiosk: the binary, the systemd unit, the
# kiosk session, the udev rule for the camera, an example configuration and
# the operator guide. `make install` runs it.
#
#   DESTDIR  staging root (default empty: this machine). With DESTDIR set,
#            nothing outside it is touched: no user, no systemctl, no udevadm.
#   PREFIX   where the binary and the session go (default /usr/local).
#   BIN      the binary to install (default build/signet, from `make build`).
#
# An existing /etc/signet/config.toml or signet.env is never overwritten.
# The service is not enabled: configure it first (docs/operating.md), then
#   systemctl enable --now signet
set -eu

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BIN=${BIN:-$root/build/signet}
KIOSK_USER=signet

say() { echo "install: $*"; }
die() {
	echo "install: $*" >&2
	exit 1
}

case $PREFIX in
/*) ;;
*) die "PREFIX=$PREFIX: want an absolute path such as /usr/local" ;;
esac
[ -f "$BIN" ] || die "$BIN not found: build it first with \`make build\` (or set BIN)"

# put MODE SRC DST installs one file, owned by root when run as root.
put() {
	mkdir -p "$(dirname "$3")"
	if [ "$(id -u)" -eq 0 ]; then
		install -m "$1" -o root -g root "$2" "$3"
	else
		install -m "$1" "$2" "$3"
	fi
	say "$3"
}

# keep MODE SRC DST installs a file only when DST does not exist yet.
keep() {
	if [ -e "$3" ]; then
		say "$3 exists: kept as it is"
		return
	fi
	put "$@"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Paths inside the unit and the session follow PREFIX.
sed "s#/usr/local/#$PREFIX/#g" "$here/systemd/signet.service" >"$tmp/signet.service"
sed "s#@PREFIX@#$PREFIX#g" "$here/session/signet-session" >"$tmp/signet-session"

put 0755 "$BIN" "$DESTDIR$PREFIX/bin/signet"
put 0755 "$tmp/signet-session" "$DESTDIR$PREFIX/lib/signet/signet-session"
put 0644 "$tmp/signet.service" "$DESTDIR/etc/systemd/system/signet.service"
put 0644 "$here/udev/70-signet-camera.rules" "$DESTDIR/etc/udev/rules.d/70-signet-camera.rules"
put 0644 "$root/docs/operating.md" "$DESTDIR$PREFIX/share/doc/signet/operating.md"
put 0644 "$here/config.example.toml" "$DESTDIR$PREFIX/share/doc/signet/config.example.toml"
put 0644 "$here/signet.env.example" "$DESTDIR$PREFIX/share/doc/signet/signet.env.example"

# /etc/signet is root's alone: systemd reads both files and hands the
# configuration to the kiosk user as a credential.
mkdir -p "$DESTDIR/etc/signet"
chmod 0700 "$DESTDIR/etc/signet"
keep 0600 "$here/config.example.toml" "$DESTDIR/etc/signet/config.toml"
keep 0600 "$here/signet.env.example" "$DESTDIR/etc/signet/signet.env"

if [ -n "$DESTDIR" ]; then
	say "DESTDIR set: no user created, systemd and udev not reloaded"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "creating the kiosk user needs root: run as root, or set DESTDIR"

if ! id "$KIOSK_USER" >/dev/null 2>&1; then
	useradd --system --user-group --home-dir /var/lib/signet --no-create-home \
		--shell /usr/sbin/nologin --comment "Signet kiosk" "$KIOSK_USER"
	say "created user $KIOSK_USER"
fi
# video: the webcam (/dev/video*); render: the GPU's render node, when the
# system has that group.
for g in video render; do
	if getent group "$g" >/dev/null 2>&1; then
		usermod -a -G "$g" "$KIOSK_USER"
	fi
done
say "user $KIOSK_USER: $(id "$KIOSK_USER")"

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	say "systemd reloaded"
fi
if command -v udevadm >/dev/null 2>&1 && [ -d /run/udev ]; then
	udevadm control --reload-rules || true
	udevadm trigger --subsystem-match=video4linux || true
	say "udev rules reloaded"
fi
# What the kiosk session needs at run time (docs/operating.md, step 1).
for c in xinit xset xauth; do
	command -v "$c" >/dev/null 2>&1 || say "warning: $c not found: apt-get install xinit x11-xserver-utils xauth (or set SIGNET_DISPLAY_SERVER=cage)"
done
[ -x /usr/bin/X ] || say "warning: no X server (/usr/bin/X): apt-get install xserver-xorg-core xserver-xorg-input-libinput"
if command -v locale >/dev/null 2>&1 && ! locale -a 2>/dev/null | grep -qi '^en_US\.utf-*8$'; then
	say "warning: the en_US.UTF-8 locale is missing (Fyne logs an error without it): docs/operating.md, step 2"
fi
say "done. Next: edit /etc/signet/config.toml and /etc/signet/signet.env, check with"
say "  $PREFIX/lib/signet/signet-session run config check"
say "then: systemctl set-default graphical.target && systemctl enable --now signet"
