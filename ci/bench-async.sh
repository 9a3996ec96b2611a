#!/usr/bin/env bash
# Async (tokio) vs blocking zmq4 throughput and latency on inproc and tcp, sizes 1, 64, 1024
# and 65536 bytes, and the pure-Rust `zeromq` crate's async API where it has the pattern (tcp).
# Prints a markdown table of medians of interleaved rounds. Numbers are reported, not asserted.
#
#   ci/bench-async.sh           # full run (a few minutes)
#   ci/bench-async.sh --quick   # smoke run for CI: fewer messages and rounds
#
# The bench is its own crate (ci/bench-async, own [workspace], release build, own target dir).
set -euo pipefail
cd "$(dirname "$0")/bench-async"
cargo build --release --quiet --locked 2>/dev/null || cargo build --release --quiet
exec ./target/release/zmq4-bench-async "$@"
