#!/usr/bin/env bash
# Async (tokio) vs blocking zmq4 throughput and latency on inproc and tcp, sizes 1, 64, 1024
# and 65536 bytes, and the pure-Rust `zeromq` crate's async API where it has the pattern (tcp).
# Prints a markdown table of medians of interleaved rounds. Numbers are reported, not asserted.
#
#   ci/bench-async.sh               # full run (a few minutes)
#   ci/bench-async.sh --quick       # smoke run for CI: fewer messages and rounds
#   ci/bench-async.sh --pin batch   # the whole bench on CPU 0 under SCHED_BATCH (see below)
#
# Every other option goes to the bench binary (--help lists them).
#
# `--pin batch` runs the bench under `taskset -c 0 chrt -b 0`: every thread (both sides,
# libzmq's I/O threads, tokio's workers) on one CPU, without the scheduler's wake-up
# preemption. A row then measures the CPU time of all the threads per message, and no longer
# where the scheduler put four busy threads on two CPUs (unpinned, tcp rows move by 2-3x
# between runs on this kind of machine). It is not how a service runs; it is the steady
# figure for comparing implementations.
#
# The bench is its own crate (ci/bench-async, own [workspace], release build, own target dir).
set -euo pipefail
cd "$(dirname "$0")/bench-async"
PIN=()
ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
  --pin)
    case ${2:-} in
    batch) PIN=(taskset -c 0 chrt -b 0) ;;
    off) PIN=() ;;
    *) echo "bench-async.sh: --pin takes batch or off" >&2; exit 2 ;;
    esac
    shift 2 ;;
  *) ARGS+=("$1"); shift ;;
  esac
done
cargo build --release --quiet --locked 2>/dev/null || cargo build --release --quiet
exec "${PIN[@]}" ./target/release/zmq4-bench-async "${ARGS[@]}"
