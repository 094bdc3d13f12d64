#!/bin/sh
# SPDX-License-Identifier: MIT
# Install what zhifa needs to build and test, from Debian's packages only.
# Installs only what is missing; safe to run again.
set -eu

PKGS="meson ninja-build pkg-config gcc g++ libc6-dev binutils check libyaml-dev libcjson-dev
libpcre2-dev python3 python3-dev python3-pytest valgrind scdoc bash-completion
python3-pandas mypy python3-mesonpy"
[ "${ZHIFA_EXTRA_PKGS:-}" ] && PKGS="$PKGS $ZHIFA_EXTRA_PKGS"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "zhifa: need root (or sudo) to install:$missing" >&2
    exit 1
fi
echo "zhifa: installing:$missing" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
