#!/usr/bin/env bash
# Runs every example (each must finish on its own); examples that need arguments get them here.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --examples
declare -A args=()
# Examples gated by `required-features` in Cargo.toml, with the features they need.
declare -A features=([async_pipeline]=tokio)
fail=0
for f in examples/*.rs; do
  name=$(basename "$f" .rs)
  t0=$(date +%s%N)
  if timeout 60 cargo run --quiet ${features[$name]:+--features ${features[$name]}} --example "$name" -- ${args[$name]:-} >"target/example-$name.log" 2>&1; then
    echo "example $name: ok ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
  else
    echo "example $name: FAILED"; cat "target/example-$name.log"; fail=1
  fi
done
exit $fail
