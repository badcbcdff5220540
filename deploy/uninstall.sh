#!/bin/sh
# uninstall.sh — remove what install.sh installed. `make uninstall` runs it.
#
#   DESTDIR, PREFIX  as for install.sh.
#   PURGE=1          also remove /etc/signet (configuration and secrets),
#                    /var/lib/signet (the outbox: submissions not sent yet
#                    are lost) and the kiosk user. Without it they stay.
set -eu

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
PURGE=${PURGE:-}
KIOSK_USER=signet

say() { echo "uninstall: $*"; }

# Stop and disable the service (offline, just the symlinks, when systemd
# is not running: a chroot or a container).
if [ -z "$DESTDIR" ] && [ -e /etc/systemd/system/signet.service ] && command -v systemctl >/dev/null 2>&1; then
	if [ -d /run/systemd/system ]; then
		systemctl disable --now signet.service || true
	else
		systemctl disable signet.service || true
	fi
fi

for f in \
	"$PREFIX/bin/signet" \
	"$PREFIX/lib/signet/signet-session" \
	/etc/systemd/system/signet.service \
	/etc/udev/rules.d/70-signet-camera.rules \
	"$PREFIX/share/doc/signet/operating.md" \
	"$PREFIX/share/doc/signet/config.example.toml" \
	"$PREFIX/share/doc/signet/signet.env.example"; do
	if [ -e "$DESTDIR$f" ]; then
		rm -f "$DESTDIR$f"
		say "removed $DESTDIR$f"
	fi
done
rmdir "$DESTDIR$PREFIX/lib/signet" "$DESTDIR$PREFIX/share/doc/signet" 2>/dev/null || true

if [ "$PURGE" = 1 ]; then
	rm -rf "$DESTDIR/etc/signet" "$DESTDIR/var/lib/signet"
	say "purged $DESTDIR/etc/signet and $DESTDIR/var/lib/signet"
	if [ -z "$DESTDIR" ] && id "$KIOSK_USER" >/dev/null 2>&1; then
		userdel "$KIOSK_USER"
		say "removed user $KIOSK_USER"
	fi
else
	say "kept $DESTDIR/etc/signet, $DESTDIR/var/lib/signet (unsent outbox items) and the user $KIOSK_USER; PURGE=1 removes them"
fi

if [ -z "$DESTDIR" ]; then
	[ -d /run/systemd/system ] && systemctl daemon-reload
	command -v udevadm >/dev/null 2>&1 && [ -d /run/udev ] && udevadm control --reload-rules
fi
exit 0
