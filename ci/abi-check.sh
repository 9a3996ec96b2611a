#!/usr/bin/env bash
# C-side ABI check of the committed zmq4-sys/src/bindings.rs against zmq4-sys/vendor/libzmq/include/zmq.h:
# every constant value (and int type), struct size/alignment/field offsets and field types,
# type alias and function signature is asserted by the C compiler, with and without
# ZMQ_BUILD_DRAFT_API (see ci/abi/abi_check.py). A light ctest/systest: needs only python3
# and gcc (or $CC), no build of libzmq, and runs in well under a second.
#
# The bindings hold one variant per target class (64/32-bit, Windows or not); a cross C
# compiler checks the variant its target selects, against that target's headers.
#
# Usage: ci/abi-check.sh                       host: gcc (or $CC)
#        ci/abi-check.sh --target TRIPLE...    each Rust target with its C cross compiler:
#          i686-unknown-linux-gnu         i686-linux-gnu-gcc        (crossbuild-essential-i386)
#          armv7-unknown-linux-gnueabihf  arm-linux-gnueabihf-gcc   (crossbuild-essential-armhf)
#          aarch64-unknown-linux-gnu      aarch64-linux-gnu-gcc     (crossbuild-essential-arm64)
#          x86_64-pc-windows-gnu          x86_64-w64-mingw32-gcc    (gcc-mingw-w64-x86-64)
#          i686-pc-windows-gnu            i686-w64-mingw32-gcc      (gcc-mingw-w64-i686)
#          x86_64-unknown-linux-gnu       gcc
#        ci/abi-check.sh --all-targets         every triple above
# The generated C files are kept in ${CARGO_TARGET_DIR:-target}/abi-check[/TRIPLE]. A missing
# compiler is an error that names the package.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac

ALL="x86_64-unknown-linux-gnu i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf aarch64-unknown-linux-gnu x86_64-pc-windows-gnu i686-pc-windows-gnu"

cc_for() { # cc_for TRIPLE -> "compiler package"
  case $1 in
    x86_64-unknown-linux-gnu) echo "gcc gcc" ;;
    i686-unknown-linux-gnu) echo "i686-linux-gnu-gcc crossbuild-essential-i386" ;;
    armv7-unknown-linux-gnueabihf) echo "arm-linux-gnueabihf-gcc crossbuild-essential-armhf" ;;
    aarch64-unknown-linux-gnu) echo "aarch64-linux-gnu-gcc crossbuild-essential-arm64" ;;
    x86_64-pc-windows-gnu) echo "x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64" ;;
    i686-pc-windows-gnu) echo "i686-w64-mingw32-gcc gcc-mingw-w64-i686" ;;
    *) return 1 ;;
  esac
}

check() { # check OUT_DIR (compiler: $CC)
  python3 ci/abi/abi_check.py zmq4-sys/src/bindings.rs zmq4-sys/vendor/libzmq/include "$1"
}

start=$(date +%s.%N)
case "${1:-}" in
  "") check "$TARGET/abi-check" ;;
  --target | --all-targets)
    if [ "$1" = --all-targets ]; then set -- $ALL; else shift; fi
    [ $# -gt 0 ] || { echo "abi-check.sh: --target needs a triple" >&2; exit 2; }
    for t in "$@"; do
      read -r cc pkg < <(cc_for "$t") || { echo "abi-check.sh: unknown target $t (known: $ALL)" >&2; exit 2; }
      command -v "$cc" >/dev/null || { echo "abi-check.sh: $t needs $cc: apt-get install $pkg" >&2; exit 1; }
      echo "abi-check.sh: $t ($cc)"
      CC=$cc check "$TARGET/abi-check/$t"
    done
    ;;
  -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--target TRIPLE... | --all-targets]" >&2; exit 2 ;;
esac
awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "abi-check.sh: ok in %.2f s\n", b - a }'
