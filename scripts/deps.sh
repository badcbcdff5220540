#!/usr/bin/env bash
# Installs the Debian packages that building and testing Signet need, when
# they are missing. As root it installs them; otherwise it prints the exact
# command and fails. Used by `make run`, `make test` and .ci/run.
set -euo pipefail

# gcc, pkg-config and the GL/X11 headers: Fyne's desktop driver (cgo).
# xvfb, imagemagick, xdotool: the real-window tests (a virtual display, a
# screenshot, synthetic touches); x11-xserver-utils: xrandr, which splits
# that display into two monitors for the desk's guest-screen test. fonts-ocr-b: the MRZ typeface.
# libturbojpeg0-dev: libjpeg-turbo, the MJPEG decoder (cgo, capture/frame).
# locales: an en_US.UTF-8 locale (generated below; the Makefile exports it),
# without which Fyne logs a locale error. xz-utils: `make package` (tar.xz).
packages=(gcc pkg-config libgl1-mesa-dev xorg-dev xvfb x11-xserver-utils imagemagick xdotool fonts-ocr-b libturbojpeg0-dev xz-utils locales)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian-family system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  # One line per installed architecture; any installed one will do.
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || missing+=("$p")
done
# `locale -a` writes en_US.UTF-8 as en_US.utf8.
have_locale() { locale -a 2>/dev/null | grep -qiE '^en_US\.utf-?8$'; }
[[ ${#missing[@]} -eq 0 ]] && have_locale && exit 0

# Debian's way: keep it in /etc/locale.gen, so that a later locale-gen keeps it.
gen="sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen && locale-gen"
cmd="$gen"
[[ ${#missing[@]} -gt 0 ]] && cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]} && $gen"
if [[ $(id -u) -ne 0 ]]; then
  [[ ${#missing[@]} -gt 0 ]] && echo "deps: missing Debian packages: ${missing[*]}" >&2
  have_locale || echo "deps: the en_US.UTF-8 locale is not generated" >&2
  echo "deps: fix with:" >&2
  echo "  sudo sh -c \"$cmd\"" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "deps: installing ${missing[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! have_locale; then
  echo "deps: generating the en_US.UTF-8 locale" >&2
  sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen
  grep -qx 'en_US.UTF-8 UTF-8' /etc/locale.gen || echo 'en_US.UTF-8 UTF-8' >>/etc/locale.gen
  locale-gen >/dev/null
fi
