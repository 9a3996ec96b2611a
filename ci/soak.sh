#!/usr/bin/env bash
# Soak: REQ/REP and PUSH/PULL-with-acks over tcp on 127.0.0.1 for a bounded time, with each
# scenario's peer process killed (SIGKILL) and restarted periodically (examples/soak.rs).
#
#   ci/soak.sh [SECONDS]        default 60 (or $SOAK_SECS)
#   SOAK_RESTART_MS=5000        peer restart period (default 5000 ms)
#   SOAK_MAX_RSS_GROWTH_KIB=8192
#                               the driver's RSS may grow by at most this much between the
#                               start (after a warm-up) and the end of the run
#
# Every message is sequence-numbered; the driver prints sent/received/lost per scenario
# (lost must be 0: REQ/REP retries each request on a fresh socket until answered, PUSH/PULL
# resends until acked) and the RSS at start and end, and exits 1 on any loss, on RSS growth
# beyond the bound, or on a scenario error. The whole run is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-${SOAK_SECS:-60}}
restart_ms=${SOAK_RESTART_MS:-5000}
growth=${SOAK_MAX_RSS_GROWTH_KIB:-8192}
cargo build --quiet --example soak
target=${CARGO_TARGET_DIR:-target}
# Debug build: the same one the tests use (no second libzmq compile); the soak is about
# loss and growth, not speed.
timeout $((secs + 120)) "$target/debug/examples/soak" --secs "$secs" --restart-ms "$restart_ms" \
  --max-rss-growth-kib "$growth"
