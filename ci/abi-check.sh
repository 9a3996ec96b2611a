#!/usr/bin/env bash
# C-side ABI check of the committed zmq4-sys/src/bindings.rs against zmq4-sys/vendor/libzmq/include/zmq.h:
# every constant value (and int type), struct size/alignment/field offsets and field types,
# type alias and function signature is asserted by the C compiler, with and without
# ZMQ_BUILD_DRAFT_API (see ci/abi/abi_check.py). A light ctest/systest: needs only python3
# and gcc (or $CC), no build of libzmq, and runs in well under a second.
# Usage: ci/abi-check.sh      (the generated C files are kept in ${CARGO_TARGET_DIR:-target}/abi-check)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
start=$(date +%s.%N)
python3 ci/abi/abi_check.py zmq4-sys/src/bindings.rs zmq4-sys/vendor/libzmq/include "$TARGET/abi-check"
awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "abi-check.sh: ok in %.2f s\n", b - a }'
