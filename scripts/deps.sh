#!/usr/bin/env bash
# Installs the Debian packages that building and testing Signet need, when
# they are missing. As root it installs them; otherwise it prints the exact
# command and fails. Used by `make run`, `make test` and .ci/run.
set -euo pipefail

# gcc, pkg-config and the GL/X11 headers: Fyne's desktop driver (cgo).
# xvfb, imagemagick, xdotool: the real-window tests (a virtual display, a
# screenshot, synthetic touches). fonts-ocr-b: the MRZ typeface.
# libturbojpeg0-dev: libjpeg-turbo, the MJPEG decoder (cgo, capture/frame).
# locales: an en_US.UTF-8 locale, without which Fyne logs a locale error.
packages=(gcc pkg-config libgl1-mesa-dev xorg-dev xvfb imagemagick xdotool fonts-ocr-b libturbojpeg0-dev)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian-family system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  # One line per installed architecture; any installed one will do.
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "deps: missing Debian packages: ${missing[*]}" >&2
  echo "deps: install them with:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
