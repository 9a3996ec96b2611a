#!/usr/bin/env bash
# Seeded torture run of the safe API (torture/, issue 18): every scenario, random choices
# from a new seed each run, in release and under AddressSanitizer.
#
#   ci/torture.sh [release] [asan]        (no argument: both)
#   TORTURE_SECS=60                       budget per run, in seconds (default 60)
#   TORTURE_SEED=N                        replay a run's seed instead of a new one
#   TORTURE_ASAN_PROFILE=dev              the ASan run in the dev profile, built in
#                                         ci/sanitizers.sh's tree (target/asan), whose ASan
#                                         libzmq it reuses (CI); default: release, own tree
#
# Findings: a panic in safe code (exit 1), a hang (the watchdog names the scenario and
# seeds, exit 3), an abort or a sanitizer report (the trace file names the iteration that
# was running). Each run prints its seed first; replay a run with TORTURE_SEED=<seed>, one
# iteration with `zmq4-torture --replay <iteration seed> --scenario <name>`.
#
# ASan build: as ci/sanitizers.sh (RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Zsanitizer=address with an
# explicit --target; ZMQ4_SANITIZE=address compiles libzmq with -fsanitize=address), in its
# own target directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET_TRIPLE=x86_64-unknown-linux-gnu
BASE_TARGET=${CARGO_TARGET_DIR:-target}
case $BASE_TARGET in /*) ;; *) BASE_TARGET=$ROOT/$BASE_TARGET ;; esac
LOGS=$BASE_TARGET/torture
mkdir -p "$LOGS"
secs=${TORTURE_SECS:-60}
runs=("$@")
[ ${#runs[@]} -eq 0 ] && runs=(release asan)

new_seed() { od -An -N8 -tu8 /dev/urandom | tr -d ' '; }

failed=0
run() { # name binary
  local name=$1 bin=$2 seed=${TORTURE_SEED:-$(new_seed)} status=0 t0=$SECONDS
  echo "torture $name: seed $seed, $secs s"
  timeout $((secs + 120)) "$bin" --seconds "$secs" --seed "$seed" --trace "$LOGS/$name.trace" \
    >"$LOGS/$name.log" 2>&1 || status=$?
  tail -n 1 "$LOGS/$name.log"
  if [ "$status" -ne 0 ]; then
    failed=$((failed + 1))
    echo "torture $name: FAILED (status $status, seed $seed, log $LOGS/$name.log)"
    echo "running when it ended: $(tr -s ' ' <"$LOGS/$name.trace")"
    grep -E -A30 '^(==[0-9]+==ERROR|SUMMARY:|torture: (HANG|PANIC))|Assertion failed|panicked' \
      "$LOGS/$name.log" | head -80 || true
  fi
  echo "torture $name: $((SECONDS - t0)) s"
}

for r in "${runs[@]}"; do
  case $r in
    release)
      cargo build --quiet --release -p zmq4-torture
      run release "$BASE_TARGET/release/zmq4-torture"
      ;;
    asan)
      case ${TORTURE_ASAN_PROFILE:-release} in
        release) profile=(--release) dir=$BASE_TARGET/asan-torture out=release ;;
        dev) profile=() dir=$BASE_TARGET/asan out=debug ;;
        *) echo "unknown TORTURE_ASAN_PROFILE: $TORTURE_ASAN_PROFILE (release, dev)" >&2; exit 2 ;;
      esac
      RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zsanitizer=address -Cforce-frame-pointers=yes" \
        ZMQ4_SANITIZE=address cargo build --quiet "${profile[@]}" -p zmq4-torture \
        --target "$TARGET_TRIPLE" --target-dir "$dir"
      # Leaks are ci/sanitizers.sh's business; here a memory error ends the run at once.
      ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=86:detect_stack_use_after_return=1" \
        run asan "$dir/$TARGET_TRIPLE/$out/zmq4-torture"
      ;;
    *) echo "unknown run: $r (release, asan)" >&2; exit 2 ;;
  esac
done
echo "torture: $(( ${#runs[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
