#!/usr/bin/env bash
# Runs every example (each must finish on its own); examples that need arguments get them here.
# The local_*/remote_* perf tools are two ends of one test: each local_X runs together with
# remote_X, over tcp on 127.0.0.1 and a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
# Built once, before any timeout runs (a `cargo run` inside the timeout would compile the
# crate again with other features, which on 2 cores can take longer than the timeout): the
# root package's examples and the async one of zmq4-tokio-tests, in one build.
cargo build --quiet --examples -p zmq4 -p zmq4-tokio-tests
bin=${CARGO_TARGET_DIR:-target}/debug/examples
declare -A args=(
  [inproc_thr]="64 10000"
  [inproc_lat]="64 1000"
)
# Arguments after the endpoint, per pair.
declare -A pair_args=(
  [thr]="64 10000"
  [lat]="64 1000"
)
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
fail=0
for f in examples/*.rs zmq4-tokio-tests/examples/*.rs; do
  name=$(basename "$f" .rs)
  t0=$(date +%s%N)
  case $name in
  remote_*)
    continue # runs with its local_* end
    ;;
  local_*)
    pair=${name#local_}
    ep="tcp://127.0.0.1:$(free_port)"
    log="target/example-$name.log"
    # shellcheck disable=SC2086 # pair_args is a list of arguments
    timeout 60 "$bin/local_$pair" "$ep" ${pair_args[$pair]} >"$log" 2>&1 &
    local_pid=$!
    # shellcheck disable=SC2086
    if timeout 60 "$bin/remote_$pair" "$ep" ${pair_args[$pair]} >"target/example-remote_$pair.log" 2>&1 &&
      wait "$local_pid"; then
      echo "example local_$pair + remote_$pair: ok ($((($(date +%s%N) - t0) / 1000000)) ms)"
    else
      kill "$local_pid" 2>/dev/null || true
      wait "$local_pid" 2>/dev/null || true
      echo "example local_$pair + remote_$pair: FAILED"
      cat "$log" "target/example-remote_$pair.log"
      fail=1
    fi
    ;;
  *)
    # shellcheck disable=SC2086 # args is a list of arguments
    if timeout 60 "$bin/$name" ${args[$name]:-} >"target/example-$name.log" 2>&1; then
      echo "example $name: ok ($((($(date +%s%N) - t0) / 1000000)) ms)"
    else
      echo "example $name: FAILED"
      cat "target/example-$name.log"
      fail=1
    fi
    ;;
  esac
done
exit $fail
