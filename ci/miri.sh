#!/usr/bin/env bash
# Miri over the lib tests that touch no libzmq function (Miri cannot call C): the async
# layer's lock and waiter slab, the authenticator's pure helpers, zmq_pollitem_t's layout,
# poll timeouts, monitor event decoding (v1 and v2 frames) and the certificate files' line
# splitter. Z85 and whole certificates go through zmq_z85_encode/decode, so their tests,
# like every other one that calls libzmq, are `#[cfg_attr(miri, ignore)]`. Under Miri zmq4-sys's
# build script skips the libzmq build, and no default features keeps libsodium out, so the
# run is mostly Miri itself. Own target dir; prints its wall time and the target dir's size.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}/miri
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
rustup +nightly component list --installed | grep -q '^miri' ||
  rustup +nightly component add miri rust-src
start=$(date +%s)
MIRIFLAGS="${MIRIFLAGS:--Zmiri-strict-provenance}" \
  cargo +nightly miri test --locked --no-default-features --features draft,tokio --lib \
  --target-dir "$target"
echo "miri.sh: $(($(date +%s) - start)) s, target dir $(du -sh "$target" | cut -f1)"
