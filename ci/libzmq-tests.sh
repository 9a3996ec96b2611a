#!/usr/bin/env bash
# Compile libzmq 4.3.5's own test suite (zmq4-sys/vendor/libzmq/tests, Unity based) against the static
# libzmq that the crate's build script produced, run every test with a per-test timeout, and
# print a summary.
#
# Usage:
#   ci/libzmq-tests.sh [options] [cargo build args...]
#     (no args)                  default features (draft + curve): DRAFT tests, CURVE, ws://
#     --no-default-features      the crate's minimal build: no DRAFT tests, no CURVE
#     any other argument         passed to `cargo build` through ci/out-dir.sh (e.g. --release,
#                                --features wss)
#   Options:
#     --out-dir DIR     use this build-script OUT_DIR instead of running cargo (must contain
#                       lib/libzmq.a, include/zmq.h, platform/platform.hpp, lib/pkgconfig/libzmq.pc)
#     -j N, --jobs N    parallel compile jobs and parallel test runs (default 2)
#     --only REGEX      compile and run only the tests whose name matches REGEX (grep -E)
#     --no-run          compile only
#     --timeout-scale F multiply every per-test timeout by F (default 1; env
#                       LIBZMQ_TESTS_TIMEOUT_SCALE)
#     --no-gdb          on a timeout do not attach gdb for a backtrace before killing
#
# Output: per-test logs in <build dir>/logs/, a table (test, result, seconds), phase timings,
# and the closing lines
#     libzmq tests: N passed, F failed, S skipped
#     N passed, F failed
# Exit status: 0 if no applicable, non-excluded test failed, failed to build or timed out;
# 1 otherwise; 2 on usage/setup errors.
# Build dir: ${CARGO_TARGET_DIR:-target}/libzmq-tests/<config>/ (incremental: tests are only
# recompiled when libzmq.a, platform.hpp, the flags or the test source changed).
#
# Result classes:
#   PASS     exit 0 and not every Unity case was ignored (the note gives the case count and the
#            first ignore message, if any); PASS(rerun): see test_security_curve below
#   SKIP     exit 77 (the test's own "not available here" exit, e.g. TIPC without the kernel
#            module), or exit 0 with every case ignored (e.g. GSSAPI without krb5), or not runnable
#            in this environment (test_pair_tcp_cap_net_admin when not root)
#   FAIL     any other exit status (Unity returns the number of failed cases)
#   TIMEOUT  killed after its timeout (counted as failed); a gdb backtrace of all threads is
#            saved to logs/<test>.hang-bt.txt first
#   BUILD    failed to compile or link (counted as failed); see logs/build/<test>.log
#
# Timeouts mirror tests/CMakeLists.txt (10 s default; 60 s test_heartbeats, test_security_zap,
# test_security_curve; 30 s test_radio_dish), raised for a loaded 2-core CI machine:
# 30 s default, 120 s test_heartbeats and test_security_zap, 60 s test_radio_dish and
# test_security_curve.
#
# test_security_curve policy (known upstream flake; libzmq's CMake does not even register this
# test on Linux: "TODO: always fails running under Github Actions via CMake"):
#   Cause (reproduced, see ci/libzmq-tests.exclude): a race in the upstream test harness, not in
#   libzmq. tests/testutil_security.cpp:create_and_connect_client() calls zmq_connect() BEFORE
#   zmq_socket_monitor() on the client. If the I/O thread finishes the CURVE handshake (incl. the
#   ZAP round trip) before the main thread attaches the monitor, ZMQ_EVENT_HANDSHAKE_SUCCEEDED is
#   emitted to no one, and test_curve_security_with_valid_credentials() then waits for it with
#   timeout -1 forever ("Still waiting for monitor event after N ms"). It can hit the first
#   RUN_TEST case or the copy of that check in main()'s trailing "large routing id" block.
#   The same race loses the client's HANDSHAKE_FAILED_AUTH in the bounce-fail cases
#   (expect_new_client_bounce_fail waits on the client monitor in expect_monitor_event_multiple:
#   "Still waiting for first event after N ms"; seen once in CI, gdb: main thread in that
#   call for test_curve_security_with_bogus_client_credentials, I/O thread idle).
#   What the script does: the unmodified upstream test runs first. If it shows exactly that
#   signature (>= 10 s of either wait message, nothing failed), it is stopped (a gdb
#   backtrace is kept) and the test is run again, built against a copy of testutil_security.cpp
#   whose only change is that the client monitor is attached before zmq_connect()
#   (bin/test_security_curve_monfirst). That rerun's result is the test's result, shown as
#   "PASS(rerun)" with a note; a failure or hang of the rerun is a real FAIL/TIMEOUT. Any other
#   failure or hang of the upstream binary is reported as usual.

set -uo pipefail

# What the upstream harness prints while it waits for a monitor event (testutil_monitoring.cpp:
# get_monitor_event_with_timeout and expect_monitor_event_multiple): the hang signature of the
# test_security_curve race described above.
CURVE_RACE_WAIT='Still waiting for (monitor event|first event)'

ROOT=$(cd "$(dirname "$0")/.." && pwd)
V=$ROOT/zmq4-sys/vendor/libzmq
EXCLUDE_FILE=$ROOT/ci/libzmq-tests.exclude

JOBS=2
ONLY=
NO_RUN=0
OUT_DIR=
USE_GDB=1
TIMEOUT_SCALE=${LIBZMQ_TESTS_TIMEOUT_SCALE:-1}
CARGO_ARGS=()

die() { echo "libzmq-tests: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
        --out-dir) OUT_DIR=${2:?--out-dir needs a directory}; shift 2 ;;
        --out-dir=*) OUT_DIR=${1#*=}; shift ;;
        -j|--jobs) JOBS=${2:?--jobs needs a number}; shift 2 ;;
        -j*) JOBS=${1#-j}; shift ;;
        --jobs=*) JOBS=${1#*=}; shift ;;
        --only) ONLY=${2:?--only needs a regex}; shift 2 ;;
        --only=*) ONLY=${1#*=}; shift ;;
        --no-run) NO_RUN=1; shift ;;
        --no-gdb) USE_GDB=0; shift ;;
        --timeout-scale) TIMEOUT_SCALE=${2:?}; shift 2 ;;
        --timeout-scale=*) TIMEOUT_SCALE=${1#*=}; shift ;;
        -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) CARGO_ARGS+=("$1"); shift ;;
    esac
done
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "bad --jobs '$JOBS'"

cd "$ROOT" || die "cannot cd to $ROOT"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
T_START=$(now)

# ---------------------------------------------------------------------------------------------
# Phase 1: the crate's build output
# ---------------------------------------------------------------------------------------------
if [ -z "$OUT_DIR" ]; then
    echo "== building the crate's libzmq: ci/out-dir.sh ${CARGO_ARGS[*]:-}"
    OUT_DIR=$("$ROOT/ci/out-dir.sh" "${CARGO_ARGS[@]}") || die "ci/out-dir.sh ${CARGO_ARGS[*]:-} failed"
elif [ ${#CARGO_ARGS[@]} -gt 0 ]; then
    die "cargo arguments (${CARGO_ARGS[*]}) make no sense together with --out-dir"
fi
OUT_DIR=$(cd "$OUT_DIR" 2>/dev/null && pwd) || die "OUT_DIR '$OUT_DIR' does not exist"
LIBZMQ_A=$OUT_DIR/lib/libzmq.a
PLATFORM_DIR=$OUT_DIR/platform
PC=$OUT_DIR/lib/pkgconfig/libzmq.pc
for f in "$LIBZMQ_A" "$PLATFORM_DIR/platform.hpp" "$PC" "$OUT_DIR/include/zmq.h"; do
    [ -e "$f" ] || die "the crate's build output lacks $f (OUT_DIR=$OUT_DIR)"
done
T_RESOLVED=$(now)

CXX=${CXX:-g++}
CC=${CC:-gcc}

PC_CFLAGS=$(pkg-config --static --cflags "$PC") || die "pkg-config --cflags $PC failed"
PC_LIBS=$(pkg-config --static --libs "$PC") || die "pkg-config --static --libs $PC failed"

# Which optional parts does this libzmq have? Ask its own platform.hpp, through the preprocessor.
MACROS=$(printf '#include "platform.hpp"\n' | "$CXX" -x c++ -std=c++11 -dM -E -I "$PLATFORM_DIR" - 2>/dev/null \
    | awk '$1 == "#define" { print $2 }' | sed 's/(.*//') || die "cannot preprocess $PLATFORM_DIR/platform.hpp"
have() { grep -qx "$1" <<<"$MACROS"; }

# DRAFT API: pkg-config's Cflags should carry -DZMQ_BUILD_DRAFT_API (as libzmq's CMake .pc does);
# cross-check with the library's symbols.
DRAFT=0
if [ "$(nm -g --defined-only "$LIBZMQ_A" 2>/dev/null | grep -cw zmq_poller_new)" -gt 0 ]; then DRAFT=1; fi
if [ $DRAFT = 1 ] && ! grep -q -- '-DZMQ_BUILD_DRAFT_API' <<<"$PC_CFLAGS"; then
    echo "WARNING: libzmq.a exports the DRAFT API but libzmq.pc's Cflags lack -DZMQ_BUILD_DRAFT_API; adding it" >&2
    PC_CFLAGS="$PC_CFLAGS -DZMQ_BUILD_DRAFT_API=1"
fi
if [ $DRAFT = 0 ] && grep -q -- '-DZMQ_BUILD_DRAFT_API' <<<"$PC_CFLAGS"; then
    die "libzmq.pc's Cflags define ZMQ_BUILD_DRAFT_API but libzmq.a has no zmq_poller_new"
fi
CURVE=0; have ZMQ_HAVE_CURVE && CURVE=1
WS=0; have ZMQ_HAVE_WS && WS=1

# test_security_curve includes ../src/curve_client_tools.hpp -> <sodium.h>. Find libsodium's
# headers: -I from the .pc (Cflags.private), else <libdir>/../include for each -L in Libs.private.
SODIUM_CFLAGS=
if [ $CURVE = 1 ]; then
    sodium_inc=
    for w in $PC_CFLAGS; do
        case $w in -I*) [ -e "${w#-I}/sodium.h" ] && sodium_inc=${w#-I} && break ;; esac
    done
    if [ -z "$sodium_inc" ]; then
        for w in $PC_LIBS; do
            case $w in -L*)
                d=${w#-L}
                for cand in "$d/../include" "$d/../../source/libsodium-stable/src/libsodium/include"; do
                    [ -e "$cand/sodium.h" ] && sodium_inc=$(cd "$cand" && pwd) && break 2
                done ;;
            esac
        done
    fi
    [ -n "$sodium_inc" ] && SODIUM_CFLAGS="-I$sodium_inc"
fi

# Build dir, one per configuration (OUT_DIR differs per feature set/profile).
CFG_TAG=$(basename "$(dirname "$OUT_DIR")")
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
B=$TARGET_DIR/libzmq-tests/$CFG_TAG
mkdir -p "$B/obj" "$B/bin" "$B/logs/build" "$B/run" "$B/res" || die "cannot create $B"

echo "== libzmq:   $LIBZMQ_A"
echo "   config:   draft=$DRAFT curve=$CURVE ws=$WS wss=$(have ZMQ_HAVE_WSS && echo 1 || echo 0) tipc=$(have ZMQ_HAVE_TIPC && echo 1 || echo 0) (from platform.hpp + libzmq.a)"
echo "   pkg-config: cflags: $PC_CFLAGS"
echo "               libs:   $PC_LIBS"
[ $CURVE = 1 ] && echo "   sodium include: ${SODIUM_CFLAGS:-NOT FOUND}"
echo "   build dir: $B"

# ---------------------------------------------------------------------------------------------
# Test selection
# ---------------------------------------------------------------------------------------------
# Draft-only tests: tests/CMakeLists.txt `if(ENABLE_DRAFTS)` + HAVE_FORK/ZMQ_HAVE_BUSY_POLL extras.
DRAFT_ONLY=" test_poller test_thread_safe test_client_server test_timers test_radio_dish
 test_scatter_gather test_dgram test_app_meta test_router_notify test_xpub_manual_last_value
 test_peer test_msg_init test_channel test_hello_msg test_disconnect_msg test_hiccup_msg
 test_zmq_ppoll_fd test_xsub_verbose test_pubsub_topics_count test_zmq_ppoll_signals
 test_busy_poll test_ws_transport test_wss_transport "
DRAFT_ONLY=" $(echo $DRAFT_ONLY) "

declare -A EXCL_REASON=()
if [ -f "$EXCLUDE_FILE" ]; then
    while IFS= read -r line; do
        body=${line%%#*}; reason=
        [[ $line == *#* ]] && reason=${line#*#}
        read -r name cond _ <<<"$body" || true
        [ -z "${name:-}" ] && continue
        if [[ ${cond:-} == unless:* ]] && have "${cond#unless:}"; then continue; fi
        EXCL_REASON[$name]=$(sed 's/^ *//' <<<"${reason:-no reason given}")
    done <"$EXCLUDE_FILE"
fi

ALL_TESTS=()
for f in "$V"/tests/test_*.cpp; do ALL_TESTS+=("$(basename "$f" .cpp)"); done

declare -A NA_REASON=()      # not applicable to this configuration (not counted)
declare -A PRESKIP=()        # applicable but not runnable here (counted as skipped)
BUILD_LIST=()
for t in "${ALL_TESTS[@]}"; do
    if [ -n "$ONLY" ] && ! grep -qE -- "$ONLY" <<<"$t"; then continue; fi
    if [ -n "${EXCL_REASON[$t]+x}" ]; then continue; fi
    if [ $DRAFT = 0 ] && [[ $DRAFT_ONLY == *" $t "* ]]; then NA_REASON[$t]="draft-only test, library built without DRAFT API"; continue; fi
    if [ $t = test_security_curve ] && [ $CURVE = 0 ]; then NA_REASON[$t]="library built without CURVE"; continue; fi
    if [ $t = test_ws_transport ] && [ $WS = 0 ]; then NA_REASON[$t]="library built without ws://"; continue; fi
    if [ $t = test_pair_tcp_cap_net_admin ] && [ "$(id -u)" != 0 ]; then PRESKIP[$t]="needs CAP_NET_ADMIN (run as root)"; continue; fi
    BUILD_LIST+=("$t")
done
[ ${#BUILD_LIST[@]} -gt 0 ] || die "no tests selected"

# ---------------------------------------------------------------------------------------------
# Phase 2: compile (generated Makefile, make -k -jJOBS)
# ---------------------------------------------------------------------------------------------
UNITY_DEFS="-DUNITY_USE_COMMAND_LINE_ARGS -DUNITY_EXCLUDE_FLOAT"
TEST_CXXFLAGS="-std=c++11 -O1 -g -pthread -DZMQ_CUSTOM_PLATFORM_HPP -I$PLATFORM_DIR -DZMQ_STATIC $PC_CFLAGS $UNITY_DEFS -I$V/external/unity $SODIUM_CFLAGS -Wno-deprecated-declarations"
UNITY_CFLAGS="-O1 -g $UNITY_DEFS -I$V/external/unity"
TEST_LIBS="$PC_LIBS -pthread"
HELPERS="testutil testutil_monitoring testutil_security testutil_unity"

FLAGS_NOW=$(printf '%s\n' "$CXX $TEST_CXXFLAGS" "$CC $UNITY_CFLAGS" "$TEST_LIBS")
if [ ! -f "$B/flags.stamp" ] || [ "$(cat "$B/flags.stamp")" != "$FLAGS_NOW" ]; then
    printf '%s\n' "$FLAGS_NOW" >"$B/flags.stamp"
fi

# For test_security_curve's known harness race (see header): a copy of testutil_security.cpp
# that attaches the client monitor before zmq_connect(), used only for the rerun.
MONFIRST=
if [[ " ${BUILD_LIST[*]} " == *" test_security_curve "* ]]; then
    if python3 - "$V/tests/testutil_security.cpp" "$B/testutil_security_monfirst.cpp.new" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
s = open(src).read()
old = """    TEST_ASSERT_SUCCESS_ERRNO (zmq_connect (client, my_endpoint_));

    if (client_mon_) {
        setup_handshake_socket_monitor (client, client_mon_,
                                        "inproc://client-monitor");
    }
"""
new = """    // ci/libzmq-tests.sh: monitor attached BEFORE zmq_connect (upstream does it after, which
    // loses ZMQ_EVENT_HANDSHAKE_SUCCEEDED when the handshake wins the race).
    if (client_mon_) {
        setup_handshake_socket_monitor (client, client_mon_,
                                        "inproc://client-monitor");
    }

    TEST_ASSERT_SUCCESS_ERRNO (zmq_connect (client, my_endpoint_));
"""
if s.count(old) != 1:
    sys.exit("pattern not found")
open(dst, "w").write(s.replace(old, new))
PY
    then
        if cmp -s "$B/testutil_security_monfirst.cpp.new" "$B/testutil_security_monfirst.cpp"; then
            rm -f "$B/testutil_security_monfirst.cpp.new"
        else
            mv "$B/testutil_security_monfirst.cpp.new" "$B/testutil_security_monfirst.cpp"
        fi
        MONFIRST=1
    else
        echo "WARNING: could not derive testutil_security_monfirst.cpp; test_security_curve gets no rerun" >&2
    fi
fi

{
    echo "# generated by ci/libzmq-tests.sh"
    echo "CXX := $CXX"
    echo "CC := $CC"
    echo "V := $V"
    echo "CXXFLAGS := $TEST_CXXFLAGS"
    echo "CFLAGS := $UNITY_CFLAGS"
    echo "LIBS := $TEST_LIBS"
    echo "DEPS := $LIBZMQ_A $PLATFORM_DIR/platform.hpp $B/flags.stamp"
    echo "HELPER_OBJS := obj/unity.o $(for h in $HELPERS; do printf 'obj/%s.o ' $h; done)"
    echo "TESTS := ${BUILD_LIST[*]}"
    if [ -n "$MONFIRST" ]; then
        echo "EXTRA := bin/test_security_curve_monfirst"
    fi
    cat <<'EOF'
.PHONY: all
.SECONDARY: $(HELPER_OBJS)
all: $(addprefix bin/,$(TESTS)) $(EXTRA)
obj/testutil_security_monfirst.o: testutil_security_monfirst.cpp $(DEPS)
	@$(CXX) $(CXXFLAGS) -I$(V)/tests -c $< -o $@ >logs/build/testutil_security_monfirst.log 2>&1 || { cat logs/build/testutil_security_monfirst.log; exit 1; }
bin/test_security_curve_monfirst: $(V)/tests/test_security_curve.cpp $(subst obj/testutil_security.o,obj/testutil_security_monfirst.o,$(HELPER_OBJS)) $(DEPS)
	@rm -f $@; $(CXX) $(CXXFLAGS) $< $(subst obj/testutil_security.o,obj/testutil_security_monfirst.o,$(HELPER_OBJS)) $(LIBS) -o $@ >logs/build/test_security_curve_monfirst.log 2>&1 \
	  || { echo "BUILD FAILED: test_security_curve_monfirst (logs/build/test_security_curve_monfirst.log)"; tail -n 5 logs/build/test_security_curve_monfirst.log; exit 1; }
obj/unity.o: $(V)/external/unity/unity.c $(DEPS)
	@$(CC) $(CFLAGS) -c $< -o $@ >logs/build/unity.log 2>&1 || { cat logs/build/unity.log; exit 1; }
obj/%.o: $(V)/tests/%.cpp $(DEPS)
	@$(CXX) $(CXXFLAGS) -c $< -o $@ >logs/build/$*.log 2>&1 || { cat logs/build/$*.log; exit 1; }
bin/%: $(V)/tests/%.cpp $(HELPER_OBJS) $(DEPS)
	@rm -f $@; $(CXX) $(CXXFLAGS) $< $(HELPER_OBJS) $(LIBS) -o $@ >logs/build/$*.log 2>&1 \
	  || { echo "BUILD FAILED: $* (logs/build/$*.log)"; tail -n 5 logs/build/$*.log; exit 1; }
EOF
} >"$B/Makefile"

echo "== compiling ${#BUILD_LIST[@]} tests + Unity + 4 helpers with $JOBS jobs"
T_COMPILE=$(now)
make -C "$B" -r -k -j"$JOBS" --no-print-directory all
T_COMPILED=$(now)

declare -A RESULT=() SECS=() NOTE=()
RUN_LIST=()
for t in "${BUILD_LIST[@]}"; do
    if [ -x "$B/bin/$t" ]; then RUN_LIST+=("$t"); else RESULT[$t]=BUILD; SECS[$t]=-; NOTE[$t]="see $B/logs/build/$t.log"; fi
done

# ---------------------------------------------------------------------------------------------
# Phase 3: run, JOBS at a time, slowest first
# ---------------------------------------------------------------------------------------------
timeout_for() {
    local base
    case $1 in
        test_heartbeats|test_security_zap) base=120 ;;
        test_radio_dish|test_security_curve*) base=60 ;;
        *) base=30 ;;
    esac
    awk -v b="$base" -v s="$TIMEOUT_SCALE" 'BEGIN { printf "%d", b * s + 0.5 }'
}

# Watchdog for one test: kills it at its timeout (after saving a gdb backtrace of every thread);
# for test_security_curve also stops the known trailing-block hang early (see header).
watchdog() {
    local pid=$1 to=$2 t=$3 log=$4 d=$5 n=0 sp=
    trap '[ -n "$sp" ] && kill "$sp" 2>/dev/null; exit 0' TERM
    while [ $n -lt "$to" ]; do
        sleep 1 & sp=$!; wait "$sp"; sp=
        n=$((n + 1))
        kill -0 "$pid" 2>/dev/null || exit 0
        if [[ $t == test_security_curve* ]] \
           && [ "$(grep -cE "$CURVE_RACE_WAIT" "$log")" -ge 40 ]; then
            break   # 40 x 250 ms = 10 s waiting for a monitor event that was lost (see header)
        fi
    done
    kill -0 "$pid" 2>/dev/null || exit 0
    echo "$n" >"$d/.timedout"
    if [ "$USE_GDB" = 1 ] && command -v gdb >/dev/null; then
        timeout 60 gdb -p "$pid" -batch -nx -ex 'set pagination off' -ex 'info threads' \
            -ex 'thread apply all bt' >"$LOGS/$t.hang-bt.txt" 2>&1 </dev/null || true
    fi
    kill -TERM "$pid" 2>/dev/null
    for _ in 1 2 3 4 5; do kill -0 "$pid" 2>/dev/null || exit 0; sleep 1; done
    kill -KILL "$pid" 2>/dev/null
    exit 0
}

run_one() {
    local t=$1 to d log start end rc pid wd
    to=$(timeout_for "$t")
    d=$RUNDIR/$t; rm -rf "$d"; mkdir -p "$d"
    log=$LOGS/$t.log; rm -f "$LOGS/$t.hang-bt.txt"
    start=$(date +%s.%N)
    # own cwd per test (some tests create files); line-buffered stdout so a killed test keeps its
    # Unity lines.
    ( cd "$d" && exec stdbuf -oL -eL "$BINDIR/$t" ) >"$log" 2>&1 </dev/null &
    pid=$!
    watchdog "$pid" "$to" "$t" "$log" "$d" &
    wd=$!
    wait "$pid"; rc=$?
    end=$(date +%s.%N)
    kill "$wd" 2>/dev/null; wait "$wd" 2>/dev/null
    local timedout=0
    [ -f "$d/.timedout" ] && timedout=1
    printf '%s %s %s %s\n' "$t" "$rc" "$timedout" "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" >"$RESDIR/$t"
    printf '   %-40s rc=%-4s %6ss%s\n' "$t" "$rc" "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" \
        "$([ $timedout = 1 ] && echo "  (stopped by the watchdog after $(cat "$d/.timedout")s; timeout ${to}s)")"
}

T_RUN=$(now)
if [ $NO_RUN = 0 ] && [ ${#RUN_LIST[@]} -gt 0 ]; then
    # Longest first so the two slots stay busy (times measured on a 2-core box).
    SLOW="test_heartbeats test_security_zap test_security_curve test_radio_dish test_reconnect_ivl
          test_socks test_spec_req test_monitor test_filter_ipc test_proxy_hwm test_hwm_pubsub
          test_stream_timeout test_spec_router test_spec_dealer test_sodium test_zmq_ppoll_signals"
    SLOW=$(echo $SLOW)
    ORDERED=()
    for t in $SLOW; do [[ " ${RUN_LIST[*]} " == *" $t "* ]] && ORDERED+=("$t"); done
    for t in "${RUN_LIST[@]}"; do [[ " $SLOW " == *" $t "* ]] || ORDERED+=("$t"); done
    rm -f "$B"/res/*
    export BINDIR=$B/bin RUNDIR=$B/run LOGS=$B/logs RESDIR=$B/res USE_GDB TIMEOUT_SCALE
    export -f run_one watchdog timeout_for
    echo "== running ${#ORDERED[@]} tests, $JOBS at a time (logs: $B/logs/)"
    printf '%s\n' "${ORDERED[@]}" | xargs -P"$JOBS" -n1 bash -c 'run_one "$1"' _
fi
T_RAN=$(now)

# ---------------------------------------------------------------------------------------------
# Phase 4: classify and report
# ---------------------------------------------------------------------------------------------
unity_line() { grep -aE '^[0-9]+ Tests [0-9]+ Failures [0-9]+ Ignored' "$1" 2>/dev/null | tail -n 1; }
# classify TEST: sets RESULT/SECS/NOTE from res/TEST and logs/TEST.log
classify() {
    local t=$1 r=$B/res/$1 log=$B/logs/$1.log rc timedout secs u nt nf ni
    if [ ! -f "$r" ]; then RESULT[$t]=FAIL; SECS[$t]=-; NOTE[$t]="no result recorded"; return; fi
    read -r _ rc timedout secs <"$r"
    SECS[$t]=$secs
    u=$(unity_line "$log")
    read -r nt _ nf _ ni _ <<<"${u:-x x x x x x}"
    if [ "$timedout" = 1 ]; then
        RESULT[$t]=TIMEOUT; NOTE[$t]="killed after $(cat "$B/run/$t/.timedout")s; backtrace: logs/$t.hang-bt.txt"
    elif [ "$rc" = 77 ]; then
        RESULT[$t]=SKIP; NOTE[$t]="exit 77: $(grep -av '^\s*$' "$log" | tail -n 1 | cut -c1-80)"
    elif [ "$rc" = 0 ]; then
        if [ -n "$u" ] && [ "$nt" -gt 0 ] && [ "$ni" = "$nt" ]; then
            RESULT[$t]=SKIP; NOTE[$t]="all $nt cases ignored: $(first_ignore "$log" 70)"
        elif [ -z "$u" ]; then
            RESULT[$t]=PASS; NOTE[$t]="exit 0 (no Unity summary; plain main())"
        else
            RESULT[$t]=PASS; NOTE[$t]="$nt cases$([ "$ni" != 0 ] && echo ", $ni ignored: $(first_ignore "$log" 60)")"
        fi
    else
        if [ -n "$u" ]; then NOTE[$t]="$nf of $nt cases failed: $(grep -a ':FAIL' "$log" | head -n 1 | cut -c1-90)"
        else NOTE[$t]="exit $rc$( [ "$rc" -gt 128 ] && echo " (signal $((rc - 128)))"): $(grep -av '^\s*$' "$log" | tail -n 1 | cut -c1-70)"; fi
        RESULT[$t]=FAIL
    fi
}
first_ignore() { grep -a ':IGNORE' "$1" | head -n 1 | sed 's/.*:IGNORE: *//; s/\\n$//' | cut -c1-"$2"; }

CURVE_RACE= RERUN_TIME=
for t in "${RUN_LIST[@]}"; do
    [ $NO_RUN = 1 ] && break
    classify "$t"
done
# test_security_curve: the known harness race (see header) -> rerun with the monitor-first harness.
t=test_security_curve
if [ $NO_RUN = 0 ] && [ "${RESULT[$t]:-}" = TIMEOUT ] \
   && [ "$(grep -cE "$CURVE_RACE_WAIT" "$B/logs/$t.log")" -ge 40 ] \
   && ! grep -aq ':FAIL' "$B/logs/$t.log"; then
    where="in RUN_TEST case $(( $(grep -acE 'test_security_curve\.cpp:[0-9]+:[a-z_]+:PASS' "$B/logs/$t.log") + 1 ))"
    grep -q 'large routing id' "$B/logs/$t.log" && where="in main()'s trailing 'large routing id' block"
    CURVE_RACE="upstream binary hung $where waiting for a client monitor event (known harness race; log logs/$t.log, backtrace logs/$t.hang-bt.txt)"
    first_secs=${SECS[$t]}
    if [ -x "$B/bin/test_security_curve_monfirst" ]; then
        echo "== $t: $CURVE_RACE; rerunning with the monitor-first harness"
        T_RERUN=$(now)
        BINDIR=$B/bin RUNDIR=$B/run LOGS=$B/logs RESDIR=$B/res run_one test_security_curve_monfirst
        RERUN_TIME=" (+ test_security_curve rerun $(elapsed "$T_RERUN" "$(now)") s)"
        classify test_security_curve_monfirst
        RESULT[$t]=${RESULT[test_security_curve_monfirst]}
        [ "${RESULT[$t]}" = PASS ] && RESULT[$t]="PASS(rerun)"
        SECS[$t]=$(awk -v a="$first_secs" -v b="${SECS[test_security_curve_monfirst]}" 'BEGIN { printf "%.1f", a + b }')
        NOTE[$t]="rerun (monitor-first harness): ${NOTE[test_security_curve_monfirst]}; log logs/test_security_curve_monfirst.log"
        unset 'RESULT[test_security_curve_monfirst]'
    else
        NOTE[$t]="$CURVE_RACE; no monitor-first rerun binary"
    fi
fi
for t in "${!PRESKIP[@]}"; do RESULT[$t]=SKIP; SECS[$t]=-; NOTE[$t]=${PRESKIP[$t]}; done

NPASS=0 NFAIL=0 NSKIP=0
FAILED=()
echo
printf '%-40s %-11s %7s  %s\n' TEST RESULT SECONDS NOTE
printf '%-40s %-11s %7s  %s\n' "----" "------" "-------" "----"
for t in $(printf '%s\n' "${!RESULT[@]}" | sort); do
    res=${RESULT[$t]}
    case $res in
        PASS|"PASS(rerun)") NPASS=$((NPASS + 1)) ;;
        SKIP) NSKIP=$((NSKIP + 1)) ;;
        *) NFAIL=$((NFAIL + 1)); FAILED+=("$t") ;;
    esac
    printf '%-40s %-11s %7s  %s\n' "$t" "$res" "${SECS[$t]}" "${NOTE[$t]:-}"
done
echo
if [ ${#EXCL_REASON[@]} -gt 0 ]; then
    echo "Excluded (ci/libzmq-tests.exclude, not built):"
    for t in $(printf '%s\n' "${!EXCL_REASON[@]}" | sort); do printf '  %-38s %s\n' "$t" "${EXCL_REASON[$t]}"; done
fi
if [ ${#NA_REASON[@]} -gt 0 ]; then
    echo "Not applicable to this build (not built):"
    for t in $(printf '%s\n' "${!NA_REASON[@]}" | sort); do printf '  %-38s %s\n' "$t" "${NA_REASON[$t]}"; done
fi
if [ -n "$CURVE_RACE" ]; then
    echo "NOTE: test_security_curve: $CURVE_RACE."
    echo "      Its result above comes from the rerun built with the monitor-first copy of testutil_security.cpp."
fi
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "Failed: ${FAILED[*]}"
    for t in "${FAILED[@]}"; do
        if [ "${RESULT[$t]}" = BUILD ]; then
            echo "---- $t: last lines of logs/build/$t.log"; tail -n 15 "$B/logs/build/$t.log" 2>/dev/null
        else
            echo "---- $t: last lines of logs/$t.log"; tail -n 15 "$B/logs/$t.log" 2>/dev/null
        fi
    done
fi
T_END=$(now)
echo
echo "Timings: cargo build/resolve $(elapsed "$T_START" "$T_RESOLVED") s, compile $(elapsed "$T_COMPILE" "$T_COMPILED") s," \
     "run $(elapsed "$T_RUN" "$T_RAN") s$RERUN_TIME, total $(elapsed "$T_START" "$T_END") s"
echo "libzmq tests: $NPASS passed, $NFAIL failed, $NSKIP skipped"
echo "$NPASS passed, $NFAIL failed"
[ "$NFAIL" = 0 ]
