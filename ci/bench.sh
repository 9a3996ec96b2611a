#!/usr/bin/env bash
# zmq4 against C, rust-zmq and pyzmq on libzmq's own perf tools.
#
#   ci/bench.sh [options]
#     (no options)      the full benchmark: 5 rounds, unpinned and pinned, callgrind (about
#                       10 minutes on an otherwise idle 2-core machine once built; the first
#                       release build of libzmq adds 2-4 minutes)
#     --quick           a smoke run for CI: one round, counts cut 100-fold, callgrind at one
#                       size with small counts; proves everything builds and runs (a minute
#                       or two after the release build). Its numbers mean nothing.
#     --rounds N        rounds of the timed runs (default 5)
#     --pin MODE        both (default: unpinned, then pinned), on (pinned only), off
#                       (unpinned only), batch (pinned with SCHED_BATCH only) or all (the
#                       three modes)
#     --no-callgrind    skip the instruction counts
#     --no-pyzmq        skip pyzmq (no venv is made)
#     --report FILE     also write the markdown report to FILE
#
# What it builds, all against the one static libzmq 4.3.5 that zmq4's build script makes
# (`cargo build --release`; ci/out-dir.sh prints its OUT_DIR):
#   C         zmq4-sys/vendor/libzmq/perf/*.cpp, compiled here and linked with `pkg-config --static`
#             from the build's libzmq.pc (libzmq.a, libsodium.a, libstdc++)
#   zmq4      examples/{local,remote}_{thr,lat}.rs and inproc_{thr,lat}.rs (release)
#   rust-zmq  ci/bench/rust-zmq: the same six tools on `zmq = "0.10"`, a crate outside the
#             workspace, built with a `links = "zmq"` override so zmq-sys's build script does
#             not run and the binaries link zmq4's libzmq.a (checked with nm and ldd)
#   pyzmq     ci/bench/pyzmq/perf.py in the venv of ci/pyzmq-venv.sh (pyzmq 27.3.0, whose
#             wheel carries its own libzmq 4.3.5: that row compares the binding *and* build)
#
# What it runs: thr (local_thr + remote_thr, inproc_thr) and lat (local_lat + remote_lat,
# inproc_lat) over tcp on 127.0.0.1 and over inproc, at 1, 64, 1024 and 65536 bytes. For each
# case the implementations run back to back, in an order rotated every round, and the rounds
# repeat (A B C D, B C D A, ...), so slow drifts of the machine hit all of them alike. C runs
# twice per round, the second time as "C again" (C′), a control: C′ ÷ C shows how far a row
# moves with no difference in the code at all.
# "pinned" runs every process under `taskset -c 0` (both ends and libzmq's I/O threads on one
# CPU): on a 2-core machine most of the wall-clock noise is wake-ups across CPUs.
# "batch" is pinned and also under `chrt -b 0` (SCHED_BATCH): a woken thread then waits for
# the running one to block or use up its slice instead of preempting it, so the two ends of
# an inproc test hand over once per high-water mark (about every 1,000 messages) rather
# than whenever the scheduler's wake-up preemption says so, which small differences in
# per-message cost shift (see ci/bench/NOTES.md).
#
# What it prints (and writes to ${CARGO_TARGET_DIR:-target}/bench/report.md): per mode, a
# markdown table of medians over the rounds (msg/s and Mb/s for thr, one-way latency in us
# for lat) and each binding's speed relative to C (throughput / C's, C's latency / its
# latency: above 1 is faster than C), and the spread (max - min) / median of C and zmq4
# over the rounds. Then instructions per message from callgrind for inproc_lat and
# inproc_thr: total instructions of a run of 2N minus those of a run of N, divided by N (so
# start-up and tear-down cancel), median of 3 (lat) or 4 (thr) repetitions; the part spent
# outside libzmq's calls; and the libzmq calls made per message. The raw numbers are in
# bench/results.tsv and bench/callgrind.tsv.
#
# Nothing is asserted about speed: the exit status is 1 only when something failed to build
# or run (or gave malformed output).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-target}
[[ $TARGET = /* ]] || TARGET=$ROOT/$TARGET
B=$TARGET/bench

QUICK=0
ROUNDS=
PIN=both
CALLGRIND=1
PYZMQ=1
REPORT=
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
  --quick) QUICK=1 ;;
  --rounds) ROUNDS=${2:?--rounds needs a number}; shift ;;
  --rounds=*) ROUNDS=${1#*=} ;;
  --pin) PIN=${2:?--pin needs both, on, off, batch or all}; shift ;;
  --pin=*) PIN=${1#*=} ;;
  --no-callgrind) CALLGRIND=0 ;;
  --no-pyzmq) PYZMQ=0 ;;
  --report) REPORT=${2:?--report needs a file}; shift ;;
  --report=*) REPORT=${1#*=} ;;
  -h | --help) usage; exit 0 ;;
  *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$ROUNDS" ] || ROUNDS=$([ $QUICK = 1 ] && echo 1 || echo 5)
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: bad --rounds '$ROUNDS'" >&2; exit 2; }
case $PIN in
both) MODES=(unpinned pinned) ;;
on) MODES=(pinned) ;;
off) MODES=(unpinned) ;;
batch) MODES=(batch) ;;
all) MODES=(unpinned pinned batch) ;;
*) echo "bench.sh: --pin takes both, on, off, batch or all" >&2; exit 2 ;;
esac

T_START=$(date +%s)
say() { echo "bench: $*" >&2; }
mkdir -p "$B/c" "$B/runs"

# Processes this script started and has not reaped yet; ended (by pid) on exit.
PENDING=()
cleanup() {
  local p
  for p in "${PENDING[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------
say "building zmq4 and its examples (release)"
cargo build --quiet --release --examples
OUT=$(ci/out-dir.sh --release)
PC=$OUT/lib/pkgconfig/libzmq.pc
LIBZMQ_A=$OUT/lib/libzmq.a
[ -f "$LIBZMQ_A" ] && [ -f "$PC" ] || { say "no libzmq.a / libzmq.pc under $OUT"; exit 1; }
PC_CFLAGS=$(pkg-config --static --cflags "$PC")
PC_LIBS=$(pkg-config --static --libs "$PC")
TOOLS=(local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat)

say "building the C perf tools against $LIBZMQ_A"
CXXFLAGS="-std=c++11 -O3 -pthread -DZMQ_CUSTOM_PLATFORM_HPP -I$OUT/platform $PC_CFLAGS"
for t in "${TOOLS[@]}"; do
  src=zmq4-sys/vendor/libzmq/perf/$t.cpp bin=$B/c/$t
  if [ "$bin" -nt "$LIBZMQ_A" ] && [ "$bin" -nt "$src" ] && [ "$bin" -nt "$0" ]; then continue; fi
  # shellcheck disable=SC2086 # flag lists
  g++ $CXXFLAGS "$src" $PC_LIBS -pthread -o "$bin"
done

say "building the rust-zmq tools (zmq 0.10, linked to the same libzmq.a)"
HOST=$(rustc -vV | sed -n 's/^host: //p')
search=() libs=()
for f in $PC_LIBS; do
  case $f in
  -L*) search+=("\"native=${f#-L}\"") ;;
  -lzmq | -lsodium) libs+=("\"static=${f#-l}\"") ;;
  -l*) libs+=("\"${f#-l}\"") ;;
  esac
done
join() { local IFS=,; echo "$*"; }
cargo build --quiet --release --manifest-path ci/bench/rust-zmq/Cargo.toml \
  --target-dir "$B/rust-zmq" \
  --config "target.$HOST.zmq.rustc-link-search=[$(join "${search[@]}")]" \
  --config "target.$HOST.zmq.rustc-link-lib=[$(join "${libs[@]}")]"
RZ=$B/rust-zmq/release
for t in "${TOOLS[@]}"; do
  defs=$(nm "$RZ/$t" | awk '$3 == "zmq_msg_send" && $2 == "T"' | wc -l)
  if [ "$defs" != 1 ] || ldd "$RZ/$t" | grep -q libzmq; then
    say "$RZ/$t does not link exactly one static libzmq (zmq_msg_send defined $defs times)"
    exit 1
  fi
done

PY=
if [ $PYZMQ = 1 ]; then
  PY=$(ci/pyzmq-venv.sh)
fi
# c-again is C's binary once more under another name: a control. Its ratio to C is how far a
# row moves between two runs of identical code, the noise floor of every other ratio.
IMPLS=(c c-again zmq4 rust-zmq)
[ -n "$PY" ] && IMPLS+=(pyzmq)
T_BUILT=$(date +%s)

# The command of TOOL in IMPL.
cmd_of() {
  case $1 in
  c | c-again) echo "$B/c/$2" ;;
  zmq4) echo "$TARGET/release/examples/$2" ;;
  rust-zmq) echo "$RZ/$2" ;;
  pyzmq) echo "$PY $ROOT/ci/bench/pyzmq/perf.py $2" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Timed runs
# ---------------------------------------------------------------------------------------------
SIZES=(1 64 1024 65536)
# Messages (thr) or round trips (lat) per run, per case, chosen so that one C run takes a few
# tenths of a second here. pyzmq's throughput runs send a quarter as many (it is slower; the
# rate is what is compared, and the first message is outside the timed part).
count_of() { # transport test size
  local n
  case $1/$2/$3 in
  inproc/thr/1 | inproc/thr/64) n=1500000 ;;
  inproc/thr/1024) n=700000 ;;
  inproc/thr/65536) n=350000 ;;
  inproc/lat/*) n=15000 ;;
  tcp/thr/1 | tcp/thr/64) n=700000 ;;
  tcp/thr/1024) n=150000 ;;
  tcp/thr/65536) n=4000 ;;
  tcp/lat/65536) n=1500 ;;
  tcp/lat/*) n=4000 ;;
  esac
  [ $QUICK = 1 ] && n=$((n / 100))
  echo "$n"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# Waits (up to 10 s) until something listens on 127.0.0.1:PORT.
wait_listen() {
  local hex i
  hex=$(printf '0100007F:%04X 00000000:0000 0A' "$1")
  for ((i = 0; i < 1000; i++)); do
    grep -q "$hex" /proc/net/tcp && return 0
    sleep 0.01
  done
  return 1
}

RESULTS=$B/results.tsv
: >"$RESULTS"
FAILED=()
NRUN=0

# run_case MODE TRANSPORT TEST SIZE IMPL ROUND: runs one case, appends a line to results.tsv.
run_case() {
  local mode=$1 tr=$2 test=$3 size=$4 impl=$5 round=$6 n pin=() log value mbps
  n=$(count_of "$tr" "$test" "$size")
  [ "$impl" = pyzmq ] && [ "$test" = thr ] && n=$((n / 4))
  [ "$n" -ge 10 ] || n=10
  case $mode in
  pinned) pin=(taskset -c 0) ;;
  batch) pin=(taskset -c 0 chrt -b 0) ;;
  esac
  log=$B/runs/$mode-$tr-$test-$size-$impl-$round
  NRUN=$((NRUN + 1))
  # shellcheck disable=SC2046 # cmd_of gives a command line (the python one has arguments)
  if [ "$tr" = inproc ]; then
    timeout 300 "${pin[@]}" $(cmd_of "$impl" "inproc_$test") "$size" "$n" >"$log.out" 2>&1 || true
  else
    local ep port lpid
    port=$(free_port)
    ep="tcp://127.0.0.1:$port"
    timeout 300 "${pin[@]}" $(cmd_of "$impl" "local_$test") "$ep" "$size" "$n" >"$log.local" 2>&1 &
    lpid=$!
    local ok=0
    if wait_listen "$port" &&
      timeout 300 "${pin[@]}" $(cmd_of "$impl" "remote_$test") "$ep" "$size" "$n" >"$log.remote" 2>&1; then
      ok=1
    fi
    # The remote end failed: the local end would wait for messages that never come.
    [ $ok = 1 ] || kill "$lpid" 2>/dev/null || true
    if [ "$test" = thr ]; then
      wait "$lpid" || true
      cp "$log.local" "$log.out"
    else
      # local_lat sleeps a second before it exits (as the C tool does): reap it later.
      PENDING+=("$lpid")
      cp "$log.remote" "$log.out"
    fi
  fi
  if [ "$test" = thr ]; then
    value=$(sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$log.out")
    mbps=$(sed -n 's/^mean throughput: \([0-9.]*\) \[Mb\/s\]$/\1/p' "$log.out")
  else
    value=$(sed -n 's/^average latency: \([0-9.]*\) \[us\]$/\1/p' "$log.out")
    mbps=-
  fi
  if [ -z "$value" ] || [ -z "$mbps" ]; then
    FAILED+=("$mode $tr $test $size $impl round $round (see $log.*)")
    say "FAILED: $mode $tr $test ${size} B $impl round $round:"
    cat "$log"* >&2
    return
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$tr" "$test" "$size" "$impl" "$round" "$value" "$mbps" >>"$RESULTS"
}

reap() {
  local p
  for p in "${PENDING[@]}"; do wait "$p" || true; done
  PENDING=()
}

for mode in "${MODES[@]}"; do
  for ((round = 1; round <= ROUNDS; round++)); do
    t0=$(date +%s)
    for tr in tcp inproc; do
      for test in thr lat; do
        for size in "${SIZES[@]}"; do
          k=${#IMPLS[@]}
          for ((i = 0; i < k; i++)); do
            run_case "$mode" "$tr" "$test" "$size" "${IMPLS[$(((i + round - 1) % k))]}" "$round"
          done
        done
      done
    done
    reap
    say "$mode round $round/$ROUNDS done in $(($(date +%s) - t0)) s"
  done
done
T_TIMED=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Instructions per message (callgrind)
# ---------------------------------------------------------------------------------------------
CG=$B/callgrind.tsv
: >"$CG"
if [ $CALLGRIND = 1 ]; then
  command -v valgrind >/dev/null || { say "valgrind not found (--no-callgrind skips this part)"; exit 1; }
  if [ $QUICK = 1 ]; then
    CG_SIZES=(64) CG_REPS_LAT=1 CG_REPS_THR=1 CG_LAT=500 CG_THR=5000
  else
    # inproc_thr's counts vary more from run to run (how far the sender runs ahead of the
    # receiver changes malloc's and the pipes' paths), so it gets more repetitions.
    CG_SIZES=("${SIZES[@]}") CG_REPS_LAT=3 CG_REPS_THR=4 CG_LAT=4000 CG_THR=15000
  fi
  mkdir -p "$B/cg"
  rm -f "$B"/cg/*
  # cg_one CPU TEST SIZE IMPL REP N: profile one run on CPU; keep its totals and libzmq calls.
  # Each run is pinned to one CPU: valgrind runs a program's threads one at a time anyway,
  # and on one CPU the hand-over between the two threads no longer races with wake-ups on
  # the other CPU, which made the counts vary by up to 8 % from run to run (pinned, about
  # 1 %, even with other work loading the machine).
  cg_one() {
    local f=$B/cg/$2-$3-$4-$5-$6
    taskset -c "$1" valgrind --tool=callgrind --callgrind-out-file="$f.out" \
      "$(cmd_of "$4" "inproc_$2")" "$3" "$6" >/dev/null 2>"$f.log" &&
      python3 ci/bench/cgsplit.py "$f.out" >"$f.split" && rm -f "$f.out"
  }
  cpus=(0)
  [ "$(nproc)" -ge 2 ] && cpus=(0 1)
  say "callgrind: inproc_lat (N=$CG_LAT, $CG_REPS_LAT repetition(s)) and inproc_thr" \
    "(N=$CG_THR, $CG_REPS_THR repetition(s)) at ${#CG_SIZES[@]} size(s), one run per CPU at a time"
  # One lane of runs per CPU; the runs of N and of 2N of one case go to different lanes at
  # the same time (and swap lanes from case to case, to balance them).
  lanes=()
  pair=0
  for test in lat thr; do
    n=$([ $test = lat ] && echo $CG_LAT || echo $CG_THR)
    reps=$([ $test = lat ] && echo $CG_REPS_LAT || echo $CG_REPS_THR)
    for ((rep = 1; rep <= reps; rep++)); do
      for size in "${CG_SIZES[@]}"; do
        for impl in c zmq4 rust-zmq; do
          first=$((pair % ${#cpus[@]})) second=$(((pair + 1) % ${#cpus[@]}))
          lanes[first]+="$test $size $impl $rep $n;"
          lanes[second]+="$test $size $impl $rep $((2 * n));"
          pair=$((pair + 1))
        done
      done
    done
  done
  lane_pids=()
  for k in "${!cpus[@]}"; do
    (
      IFS=';' read -ra runs <<<"${lanes[k]}"
      for run in "${runs[@]}"; do
        # shellcheck disable=SC2086 # run is a list of arguments
        cg_one "${cpus[k]}" $run || true
      done
    ) &
    lane_pids+=($!)
    PENDING+=($!)
  done
  for p in "${lane_pids[@]}"; do wait "$p" || true; done
  PENDING=()
  for test in lat thr; do
    n=$([ $test = lat ] && echo $CG_LAT || echo $CG_THR)
    reps=$([ $test = lat ] && echo $CG_REPS_LAT || echo $CG_REPS_THR)
    for ((rep = 1; rep <= reps; rep++)); do
      for size in "${CG_SIZES[@]}"; do
        for impl in c zmq4 rust-zmq; do
          a=$B/cg/$test-$size-$impl-$rep-$n.split b=$B/cg/$test-$size-$impl-$rep-$((2 * n)).split
          if [ ! -s "$a" ] || [ ! -s "$b" ]; then
            FAILED+=("callgrind $test $size $impl rep $rep (see $B/cg/)")
            continue
          fi
          printf 'inproc_%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$test" "$size" "$impl" "$rep" "$n" \
            "$(cat "$a")" "$(cat "$b")" >>"$CG"
        done
      done
    done
  done
fi
T_END=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
{
  echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
    "$(uname -sr); $(rustc --version | cut -d' ' -f1-2); $(g++ --version | head -1)"
  echo "Command: ci/bench.sh $([ $QUICK = 1 ] && echo "--quick ")--rounds $ROUNDS --pin $PIN$([ $CALLGRIND = 0 ] && echo " --no-callgrind")$([ $PYZMQ = 0 ] && echo " --no-pyzmq")"
  echo "Time: build $((T_BUILT - T_START)) s, timed runs $((T_TIMED - T_BUILT)) s ($NRUN runs), callgrind $((T_END - T_TIMED)) s"
  echo
  python3 ci/bench/report.py "$RESULTS" "$CG"
} >"$B/report.md"
cat "$B/report.md"
[ -n "$REPORT" ] && cp "$B/report.md" "$REPORT"

if [ ${#FAILED[@]} -gt 0 ]; then
  say "${#FAILED[@]} run(s) failed:"
  printf '  %s\n' "${FAILED[@]}" >&2
  exit 1
fi
say "done in $(($(date +%s) - T_START)) s"
