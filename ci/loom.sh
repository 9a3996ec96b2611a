#!/usr/bin/env bash
# loom model check of the async layer's socket lock and waiter bookkeeping
# (src/tokio/loom_model.rs): `--cfg loom` swaps std's atomics, Mutex and UnsafeCell for
# loom's in src/tokio/sync.rs, and loom runs each model in every interleaving of its threads
# (preemption bound 3). Only the pure-Rust models run, but the crate links libzmq, so the
# first build compiles it (without libsodium: no default features). Its own target dir, so
# the flag does not rebuild the normal one. Prints its wall time and the target dir's size.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}/loom
start=$(date +%s)
RUSTFLAGS="--cfg loom" \
  cargo test --locked --release --no-default-features --features tokio --lib \
  --target-dir "$target" -- loom_model
echo "loom.sh: $(($(date +%s) - start)) s, target dir $(du -sh "$target" | cut -f1)"
