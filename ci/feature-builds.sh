#!/usr/bin/env bash
# The two other ways to get libzmq, proved by running the raw-API tests against each:
#  1. `system`: LIBZMQ_NO_VENDOR=1 with pkg-config pointed at the libzmq.pc of our own bundled
#     build (the only libzmq >= 4.3.5 with the DRAFT API on this machine), linked statically.
#  2. `cmake-build`: the bundled tree built by libzmq's own CMakeLists (cmake from the venv
#     ci/cmake-crosscheck.sh prepares, or any cmake on PATH).
# Both use one separate target dir so the main build's outputs are not invalidated.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
export CARGO_TARGET_DIR="$target/feature-builds"
tests=(--test sys_constants --test sys)

t0=$(date +%s)
out=$(CARGO_TARGET_DIR="$target" ci/out-dir.sh)
echo "--- system: pkg-config libzmq from $out/lib/pkgconfig"
LIBZMQ_NO_VENDOR=1 PKG_CONFIG_ALL_STATIC=1 PKG_CONFIG_PATH="$out/lib/pkgconfig" \
  cargo test --quiet "${tests[@]}"
echo "--- system: ok in $(($(date +%s) - t0)) s"

t0=$(date +%s)
venv_bin="$target/cmake-venv/bin"
[[ $venv_bin = /* ]] || venv_bin="$PWD/$venv_bin"
if ! command -v cmake >/dev/null && [ -x "$venv_bin/cmake" ]; then
  export PATH="$venv_bin:$PATH"
fi
command -v cmake >/dev/null || { echo "cmake not found: run ci/cmake-crosscheck.sh first" >&2; exit 2; }
echo "--- cmake-build with $(cmake --version | head -1)"
cargo test --quiet --features cmake-build "${tests[@]}"
echo "--- cmake-build: ok in $(($(date +%s) - t0)) s"
