#!/usr/bin/env bash
# Cross-builds the crate for a Windows GNU target with MinGW-w64 and runs its test suite
# under wine (default features: draft + curve).
#
# Usage: ci/cross-windows.sh [--target T] [--install] [--build-only] [-- extra cargo test arguments]
#   --target T    x86_64-pc-windows-gnu (default) or i686-pc-windows-gnu
#   --install     install what is missing first (Debian: g++-mingw-w64-<arch>-posix, wine,
#                 and wine64 or, for i686, wine32 from the i386 architecture; rustup target T);
#                 does nothing when present
#   --build-only  build the test binaries, do not run them
#
# What it sets up (all under ${CARGO_TARGET_DIR:-target}, reused between runs):
#   - libsodium for MinGW built from libsodium-sys-stable's bundled tarball
#     (ci/sodium-mingw.sh), as SODIUM_LIB_DIR: the crate cannot configure it for this target
#     itself and would try to download a prebuilt one;
#   - a wine prefix (wine-<arch>/, 32-bit for i686) with bcryptprimitives.dll from ci/wine/processprng.c:
#     wine 8.0 lacks ProcessPrng, without which a Rust .exe exits with status 53;
#   - a persistent wineserver: wine's background processes inherit the first caller's stdout
#     and would hold cargo's pipes open after each test binary ends.
# Runs `cargo test --tests` (unit + integration tests; doctests are platform-independent
# and run natively) with CARGO_TARGET_<TARGET>_RUNNER=wine. Tests that cannot
# run on Windows are compiled out or #[ignore]d in the sources with the reason, and listed
# in ci/cross-windows.exclude (checked below: an excluded test that runs is an error).
# Prints build time, run time and passed/failed/ignored counts. A missing tool is an error
# (exit 2); a failed build or test exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=x86_64-pc-windows-gnu
install=0
build_only=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) TARGET=$2; shift ;;
    --install) install=1 ;;
    --build-only) build_only=1 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "cross-windows: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

case $TARGET in
  x86_64-pc-windows-gnu) host=x86_64-w64-mingw32 arch=x86_64 winearch=win64
    pkgs=(g++-mingw-w64-x86-64-posix wine64 wine make) ;;
  i686-pc-windows-gnu) host=i686-w64-mingw32 arch=i686 winearch=win32
    pkgs=(g++-mingw-w64-i686-posix wine32:i386 wine make) ;;
  *) echo "cross-windows: unknown target $TARGET (x86_64-pc-windows-gnu, i686-pc-windows-gnu)" >&2
    exit 2 ;;
esac
# Only the build needs the compilers; the run needs wine for the target's word size.
[ $build_only = 1 ] && pkgs=("${pkgs[0]}" make)
if [ $install = 1 ]; then
  missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "cross-windows: installing ${missing[*]}"
    case " ${missing[*]} " in
      *:i386*) dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386 ;;
    esac
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  fi
  rustup target list --installed | grep -qx $TARGET || rustup target add $TARGET
fi
tools=($host-gcc-posix $host-g++-posix make)
[ $build_only = 1 ] || tools+=(wine wineserver wineboot)
for tool in "${tools[@]}"; do
  command -v $tool >/dev/null || {
    echo "cross-windows: $tool not found (run with --install, or apt-get install ${pkgs[*]})" >&2
    exit 2
  }
done
rustup target list --installed | grep -qx $TARGET ||
  { echo "cross-windows: no Rust std for $TARGET (rustup target add $TARGET)" >&2; exit 2; }

TDIR=$(realpath -m "${CARGO_TARGET_DIR:-target}")
# The posix thread model: std::thread and <condition_variable> in libstdc++, which libzmq's
# STL condition variable wants; the same compiler links, so the static libstdc++ matches.
target_var=${TARGET//-/_}
TARGET_VAR=${target_var^^}
export "CC_$target_var=$host-gcc-posix" "CXX_$target_var=$host-g++-posix" "AR_$target_var=$host-ar"
export "CARGO_TARGET_${TARGET_VAR}_LINKER=$host-gcc-posix"
export SODIUM_LIB_DIR
SODIUM_LIB_DIR=$(ci/sodium-mingw.sh $TARGET)

start=$SECONDS
blog=$TDIR/cross-windows-$arch-build.log
cargo test --target $TARGET --tests --no-run "${extra[@]}" >"$blog" 2>&1 || {
  grep -v '^ *Compiling' "$blog" | tail -40
  echo "cross-windows: build failed (log: $blog)" >&2
  exit 1
}
build_s=$((SECONDS - start))
echo "cross-windows: build: ${build_s} s"
# A cross build never runs target binaries: the build script's probes recorded none.
if ls "$TDIR"/$TARGET/debug/build/zmq4-sys-*/out/probes/ran.txt >/dev/null 2>&1; then
  echo "cross-windows: the build script ran target binaries in a cross build" >&2
  exit 1
fi
[ $build_only = 1 ] && exit 0

# The wine prefix, once per word size.
export WINEPREFIX=$TDIR/wine-$arch WINEARCH=$winearch WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "cross-windows: creating the wine prefix $WINEPREFIX"
  wineboot -i >/dev/null 2>&1
fi
stub=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
if [ ! -f "$stub" ] || [ ci/wine/processprng.c -nt "$stub" ]; then
  $host-gcc-posix -shared -O2 -o "$stub" ci/wine/processprng.c -ladvapi32 -Wl,--kill-at
fi

# One long-lived wineserver, and one process to start it with nothing attached to our pipes.
wineserver -p 600 >/dev/null 2>&1 </dev/null || true  # already running: fine
wine cmd /c exit >/dev/null 2>&1 </dev/null || true
export "CARGO_TARGET_${TARGET_VAR}_RUNNER=wine"
log=$TDIR/cross-windows-$arch-test.log
start=$SECONDS
set +e
cargo test --target $TARGET --tests --no-fail-fast "${extra[@]}" >"$log" 2>&1
rc=$?
set -e
run_s=$((SECONDS - start))
wineserver -k >/dev/null 2>&1 || true
count() { grep '^test result:' "$log" | grep -Eo "[0-9]+ $1" | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed)
failed=$(count failed)
ignored=$(count ignored)
grep -E '^test .* FAILED$|^failures:$|panicked' "$log" | head -40 || true
echo "cross-windows: run: ${run_s} s under wine; passed $passed, failed $failed, ignored $ignored (log: $log)"
echo "cross-windows: excluded on Windows (compiled out or ignored, with reasons): ci/cross-windows.exclude"
exit $rc
