#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer (+ LeakSanitizer) and ThreadSanitizer, Rust and
# C++ both, and valgrind memcheck over a subset as a second opinion.
#
#   ci/sanitizers.sh [asan] [tsan] [valgrind]     (no argument: all three)
#
# Rust side: RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Zsanitizer=... with an explicit --target, so build
# scripts and proc macros stay uninstrumented (the runtimes ship with the stable toolchain).
# ThreadSanitizer also rebuilds std with the same flags (-Zbuild-std, needs the rust-src
# component): an uninstrumented std hides the synchronisation of its Mutex, Arc and thread
# joins from TSan and yields false reports.
# C++ side: ZMQ4_SANITIZE=address|thread makes zmq4-sys/build/main.rs compile libzmq with the matching
# -fsanitize=. libsodium (built by libsodium-sys-stable) is not instrumented; it touches only
# the buffers libzmq hands it.
#
# What runs: every integration test file (tests/ and zmq4-tokio-tests/tests/) and the lib's
# unit tests, with the `tokio` feature (so the async layer, its lock and its tests are
# instrumented too), except
#   - tests/cert_interop.rs, tests/interop_pyzmq.rs: the far end is pyzmq's own libzmq, which
#     is not instrumented; our side of those exchanges runs the same code paths as the tcp
#     tests that do run, and the 8 MiB CURVE frames are slow under TSan;
#   - doctests: rustdoc does not take the sanitizer flags for an explicit target.
# Any report fails the script (halt_on_error / exitcode); suppressions are in
# ci/sanitizers/*.supp, each naming the upstream cause.
#
# Output: per-run logs in <target>/sanitizers/, and one line per run:
#   sanitizer asan: N passed, F failed
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET_TRIPLE=x86_64-unknown-linux-gnu
BASE_TARGET=${CARGO_TARGET_DIR:-target}
case $BASE_TARGET in /*) ;; *) BASE_TARGET=$ROOT/$BASE_TARGET ;; esac
LOGS=$BASE_TARGET/sanitizers
mkdir -p "$LOGS"
SUPP=$ROOT/ci/sanitizers

runs=("$@")
[ ${#runs[@]} -eq 0 ] && runs=(asan tsan valgrind)

# Every integration test but the skipped ones (see above); the async tests are the
# zmq4-tokio-tests package's.
test_args() {
  local args=(-p zmq4 -p zmq4-tokio-tests --lib)
  for f in tests/*.rs zmq4-tokio-tests/tests/*.rs; do
    local name
    name=$(basename "$f" .rs)
    case $name in cert_interop | interop_pyzmq) continue ;; esac
    args+=(--test "$name")
  done
  printf '%s\n' "${args[@]}"
}
mapfile -t TESTS < <(test_args)

passed=0
failed=0
report() { # name status
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    echo "sanitizer $1: ok"
  else
    failed=$((failed + 1))
    echo "sanitizer $1: FAILED (status $2, log $LOGS/$1.log)"
    grep -E -A30 '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer|SUMMARY:)' "$LOGS/$1.log" | head -150 || true
  fi
}

run_asan() {
  local t0=$SECONDS status=0
  export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=86:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
  export LSAN_OPTIONS="suppressions=$SUPP/lsan.supp:print_suppressions=1"
  RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zsanitizer=address -Cforce-frame-pointers=yes" \
    RUSTDOCFLAGS="-Zsanitizer=address" ZMQ4_SANITIZE=address \
    cargo test --target "$TARGET_TRIPLE" --target-dir "$BASE_TARGET/asan" --features tokio "${TESTS[@]}" \
    -- --test-threads=2 >"$LOGS/asan.log" 2>&1 || status=$?
  unset ASAN_OPTIONS LSAN_OPTIONS
  echo "asan: $((SECONDS - t0)) s"
  report asan "$status"
}

run_tsan() {
  local t0=$SECONDS status=0
  if ! [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    rustup component add rust-src >&2 || true
  fi
  if ! [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    echo "tsan: the rust-src component is missing and could not be installed (-Zbuild-std needs it)" >&2
    report tsan 2
    return
  fi
  export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$SUPP/tsan.supp:print_suppressions=1"
  RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zsanitizer=thread -Cforce-frame-pointers=yes" \
    ZMQ4_SANITIZE=thread \
    cargo test -Zbuild-std --target "$TARGET_TRIPLE" --target-dir "$BASE_TARGET/tsan" --features tokio "${TESTS[@]}" \
    -- --test-threads=2 >"$LOGS/tsan.log" 2>&1 || status=$?
  unset TSAN_OPTIONS
  echo "tsan: $((SECONDS - t0)) s"
  report tsan "$status"
}

# valgrind memcheck over a subset: the message, socket-pattern, monitor, auth and bad-input
# tests (free callbacks, multipart paths, the ZAP thread, every error path), on the plain
# debug build (not instrumented: valgrind and the sanitizers do not mix).
run_valgrind() {
  local t0=$SECONDS status=0 bins=()
  cargo test --no-run --test message --test patterns --test monitor --test auth --test bad_input \
    --message-format=json 2>/dev/null >"$LOGS/valgrind-build.json"
  mapfile -t bins < <(grep -o '"executable":"[^"]*"' "$LOGS/valgrind-build.json" | cut -d'"' -f4)
  : >"$LOGS/valgrind.log"
  for bin in "${bins[@]}"; do
    echo "=== $bin" >>"$LOGS/valgrind.log"
    valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
      --suppressions="$SUPP/valgrind.supp" --fair-sched=yes --num-callers=30 \
      "$bin" --test-threads=2 >>"$LOGS/valgrind.log" 2>&1 || status=$?
    [ "$status" -ne 0 ] && break
  done
  echo "valgrind: $((SECONDS - t0)) s (${#bins[@]} test binaries)"
  # Every process (test binaries and the peers they start) reports its own summary.
  awk '/ERROR SUMMARY:/ { p++; e += $4 }
       /definitely lost:/ { d += $4 } /indirectly lost:/ { i += $4 }
       /^test result:/ { t += $4 }
       END { printf "valgrind: %d tests passed in %d processes; %d errors, %d bytes definitely and %d indirectly lost\n", t, p, e, d, i }' \
    "$LOGS/valgrind.log"
  report valgrind "$status"
}

for r in "${runs[@]}"; do
  case $r in
    asan) run_asan ;;
    tsan) run_tsan ;;
    valgrind) run_valgrind ;;
    *) echo "unknown run: $r (asan, tsan, valgrind)" >&2; exit 2 ;;
  esac
done
echo "sanitizers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
