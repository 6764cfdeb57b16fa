#!/bin/sh
# install-deps.sh [--test]: installs the Debian packages healthcert needs, only those missing.
#   (no option)  what building and running needs
#   --test       also what the test suite needs (cmocka, clang + libFuzzer runtime, Python checks,
#                a PostgreSQL server for the store's backend tests, Chromium and Node.js for the
#                web pages' browser test, wrk for the service load test)
# Run as root (or with sudo). Safe to run again: installs nothing when everything is present.
set -eu

build_pkgs="build-essential cmake pkg-config libssl-dev zlib1g-dev libjansson-dev libqrencode-dev
libzbar-dev libpng-dev libjpeg-dev libmicrohttpd-dev libsqlite3-dev libpq-dev libcmocka-dev
libcairo2-dev"
test_pkgs="clang libclang-rt-14-dev llvm python3 python3-cryptography python3-cbor2 poppler-utils
postgresql chromium fonts-dejavu-core wrk openssl"

pkgs=$build_pkgs
[ "${1:-}" = "--test" ] && pkgs="$pkgs $test_pkgs"

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# Node.js and npm drive the browser test; a machine that has them from elsewhere (e.g. a
# nodejs package bundling npm) keeps them, Debian's are installed only when there are none.
if [ "${1:-}" = "--test" ] && ! command -v npm >/dev/null 2>&1; then
    command -v node >/dev/null 2>&1 || missing="$missing nodejs"
    missing="$missing npm"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "install-deps: need root to install:$missing" >&2
        exit 1
    fi
else
    SUDO=
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Try without refreshing the package lists first (fast, works offline with a warm cache).
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
    $SUDO apt-get update -q
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -q --no-install-recommends $missing
fi
