#!/usr/bin/env bash
# loom model check of the async layer's socket lock and waiter bookkeeping
# (src/tokio/loom_model.rs): `--cfg zmq4_loom` swaps std's atomics, Mutex and UnsafeCell for
# loom's in src/tokio/sync.rs, and loom runs each model in every interleaving of its threads
# (preemption bound 3). Only the pure-Rust models run, but the crate links libzmq, so the
# first build compiles it (without libsodium: no default features). Its own target dir, so
# the flag does not rebuild the normal one. The cfg is the crate's own name: `--cfg loom`
# would also switch tokio into its own loom mode, which does not build with the features
# this crate asks of tokio. Prints its wall time and the target dir's size.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}/loom
start=$(date +%s)
RUSTFLAGS="--cfg zmq4_loom" \
  cargo test --locked --release --no-default-features --features tokio --lib \
  --target-dir "$target" -- loom_model
echo "loom.sh: $(($(date +%s) - start)) s, target dir $(du -sh "$target" | cut -f1)"
