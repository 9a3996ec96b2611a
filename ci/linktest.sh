#!/usr/bin/env bash
# Proves that native code can link the exact libzmq the zmq4-sys build script builds, two ways:
#  1. ci/linktest: a crate whose build.rs compiles C (src/linktest.c) with the cc crate from the
#     DEP_ZMQ_* variables zmq4-sys exports (`links = "zmq"`) and nothing else; its main.rs runs the
#     C checks (zmq_version, zmq_has("curve") == DEP_ZMQ_CURVE, an inproc PAIR round trip) and
#     checks C and Rust share one libzmq (same zmq_version address, a C socket in a zmq4
#     context). `nm` then confirms the binary defines zmq_version once.
#  2. the libzmq.pc under DEP_ZMQ_PKGCONFIG: gcc with `pkg-config --static --cflags --libs
#     libzmq` builds the same C file as a program, which runs the same checks.
# Both with default features, then with --no-default-features (no CURVE, no DRAFT).
# Usage: ci/linktest.sh [--default-only]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-target}
[[ $target = /* ]] || target="$root/$target"
crate=ci/linktest
work="$target/linktest"
mkdir -p "$work"

# The linktest crate is its own workspace: give it the main build's dependency versions, so
# the shared target dir reuses what the main build compiled (libsodium among others).
cp Cargo.lock "$crate/Cargo.lock"

fail=0
results=()

# value KEY FILE: the DEP_ZMQ_KEY= line the linktest binary printed.
value() { sed -n "s/^DEP_ZMQ_$1=//p" "$2" | head -1; }

variant() {
  local name=$1
  shift
  local out="$work/$name.out" err="$work/$name.err" t0
  t0=$(date +%s)
  echo "=== linktest [$name] cargo run --manifest-path $crate/Cargo.toml $*"
  if ! cargo run --quiet --manifest-path "$crate/Cargo.toml" --target-dir "$target" "$@" \
    >"$out" 2>"$err"; then
    cat "$out"
    grep -v '^warning\|^ *|\|^ *=\|^$\|^ *-->\|^[0-9]* |\|^\.\.\.' "$err" | tail -30 || true
    echo "=== linktest [$name] cc + DEP_ZMQ_*: FAILED"
    results+=("$name: cc+DEP_ZMQ_* FAILED")
    fail=1
    return
  fi
  cat "$out"

  # One libzmq in the program: zmq_version defined exactly once.
  local bin="$target/debug/zmq4-linktest" defs
  defs=$(nm "$bin" | awk '$3 == "zmq_version" && $2 ~ /^[TtW]$/' | wc -l)
  echo "nm: zmq_version defined $defs time(s) in $bin"
  if [ "$defs" != 1 ]; then
    results+=("$name: zmq_version defined $defs times")
    fail=1
  fi

  # The pkg-config route, from the .pc the build script wrote.
  local pc version curve draft major minor patch
  pc=$(value PKGCONFIG "$out")
  version=$(value VERSION "$out")
  curve=$(value CURVE "$out")
  draft=$(value DRAFT "$out")
  IFS=. read -r major minor patch <<<"$version"
  echo "--- pkg-config with PKG_CONFIG_PATH=$pc"
  local modver libdir flags prog="$work/$name-pkgconfig"
  modver=$(PKG_CONFIG_PATH="$pc" pkg-config --modversion libzmq)
  libdir=$(PKG_CONFIG_PATH="$pc" pkg-config --variable=libdir libzmq)
  flags=$(PKG_CONFIG_PATH="$pc" pkg-config --static --cflags --libs libzmq)
  echo "modversion: $modver; libdir: $libdir"
  echo "pkg-config --static --cflags --libs libzmq: $flags"
  if [ "$modver" != "$version" ] || [ "$libdir" != "$(value LIB "$out")" ]; then
    echo "pkg-config found another libzmq than DEP_ZMQ_LIB=$(value LIB "$out")"
    results+=("$name: pkg-config resolved the wrong libzmq")
    fail=1
    return
  fi
  # shellcheck disable=SC2086 # $flags is a list of compiler arguments
  if ! gcc -std=gnu11 -Wall -Wextra -Werror -DLINKTEST_MAIN \
    -DEXPECT_MAJOR="$major" -DEXPECT_MINOR="$minor" -DEXPECT_PATCH="$patch" \
    -DEXPECT_CURVE="$curve" -DEXPECT_DRAFT="$draft" \
    "$crate/src/linktest.c" $flags -o "$prog"; then
    results+=("$name: gcc + pkg-config did not build")
    fail=1
    return
  fi
  if ldd "$prog" | grep -q 'libzmq'; then
    echo "$prog links a shared libzmq:"
    ldd "$prog"
    results+=("$name: pkg-config program linked a shared libzmq")
    fail=1
    return
  fi
  if ! timeout 60 "$prog"; then
    results+=("$name: pkg-config program FAILED")
    fail=1
    return
  fi
  results+=("$(printf '%s: ok (curve=%s draft=%s; %d s)' "$name" "$curve" "$draft" $(($(date +%s) - t0)))")
}

variant default
if [ "${1:-}" != "--default-only" ]; then
  variant no-default-features --no-default-features
fi

echo
echo "=== linktest results"
printf '  %s\n' "${results[@]}"
if [ "$fail" = 0 ]; then
  echo "linktest: PASSED"
else
  echo "linktest: FAILED"
fi
exit "$fail"
