#!/usr/bin/env bash
# Runs each fuzz target of fuzz/ (cargo-fuzz layout, libFuzzer through libfuzzer-sys) for a
# bounded time, starting from the committed seeds, and reports execs and crashes per target.
#
#   ci/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default 60 s (or $FUZZ_SECS), all targets
#
# cargo-fuzz itself is not needed (installing it compiles for minutes on every fresh CI
# machine): this script passes rustc the same flags `cargo fuzz build` does — SanitizerCoverage
# (inline 8-bit counters, PC table, comparison tracing), AddressSanitizer, debug assertions,
# `--cfg fuzzing`, an explicit --target — with RUSTC_BOOTSTRAP=1 on the stable toolchain, and
# ZMQ4_SANITIZE=address so that libzmq (the ZMTP parsers the zmtp_handshake target feeds) is
# built with AddressSanitizer too. `cargo fuzz run <target>` works on the same tree.
#
# New inputs go to a scratch corpus under the fuzz target dir, never into fuzz/corpus/ (the
# committed seeds); a crash leaves its input in fuzz/artifacts/<target>/ and fails the script.
# Closing line: "fuzz: N passed, F failed".
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-${FUZZ_SECS:-60}}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(z85 socket_options message zmtp_handshake)
TRIPLE=x86_64-unknown-linux-gnu

export RUSTC_BOOTSTRAP=1
export ZMQ4_SANITIZE=address
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Zsanitizer=address \
-Cdebug-assertions -Coverflow-checks -Cforce-frame-pointers=yes"
t0=$SECONDS
cargo build --quiet --release --target "$TRIPLE" --bins
echo "fuzz: built in $((SECONDS - t0)) s"
target_dir=${CARGO_TARGET_DIR:-target}
bin_dir=$target_dir/$TRIPLE/release

passed=0
failed=0
summary=()
for t in "${targets[@]}"; do
  work=$target_dir/fuzz-corpus/$t
  artifacts=artifacts/$t
  mkdir -p "$work" "$artifacts" "corpus/$t"
  log=$target_dir/fuzz-$t.log
  status=0
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    timeout $((secs + 120)) "$bin_dir/$t" -max_total_time="$secs" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" "$work" "corpus/$t" \
    >"$log" 2>&1 || status=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(find "$artifacts" -type f | wc -l)
  if [ "$status" -eq 0 ] && [ "$crashes" -eq 0 ]; then
    passed=$((passed + 1))
    summary+=("$(printf '  %-16s ok      %10s execs in %s s, 0 crashes' "$t" "${execs:-?}" "$secs")")
  else
    failed=$((failed + 1))
    summary+=("$(printf '  %-16s FAILED  %10s execs, %s crash inputs in fuzz/%s (status %s)' \
      "$t" "${execs:-?}" "$crashes" "$artifacts" "$status")")
    grep -E -A40 '^==[0-9]+==ERROR|panicked|SUMMARY|deadly signal' "$log" | head -80 || true
  fi
done
echo "fuzz results (${secs} s per target):"
printf '%s\n' "${summary[@]}"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
