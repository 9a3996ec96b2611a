#!/usr/bin/env bash
# Regenerates zmq4-sys/src/bindings.rs from zmq4-sys/vendor/libzmq/include/zmq.h with ci/gen-bindings.
#
# Usage: ci/bindings.sh           regenerate zmq4-sys/src/bindings.rs in place
#        ci/bindings.sh --check   regenerate to a temp file; fail with a diff if the committed
#                                 file differs
#
# Needs only Rust and python3 (or, failing python3's venv, root + apt-get). libclang is
# found in this order: $LIBCLANG_PATH; the pinned pip wheel in
# ${CARGO_TARGET_DIR:-target}/bindgen-venv; a system libclang; else it is installed (pip wheel
# into that venv, falling back to Debian's libclang1-14). libclang 14.0.6 (Debian 12) and
# 18.1.1 (pip) were measured to give byte-identical output.
set -euo pipefail

LIBCLANG_PIP_VERSION=18.1.1

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
VENV=$TARGET/bindgen-venv
COMMITTED=zmq4-sys/src/bindings.rs

now() { date +%s.%N; }
T0=$(now)
step_start=$T0
step() { # step NAME: prints how long the previous step took
  local t; t=$(now)
  awk -v n="$1" -v a="$step_start" -v b="$t" 'BEGIN { printf "bindings.sh: %-40s %6.2f s\n", n, b - a }'
  step_start=$t
}

has_libclang() { # has_libclang DIR: does DIR hold a libclang clang-sys will load?
  [ -n "$1" ] && [ -d "$1" ] || return 1
  compgen -G "$1/libclang.so*" >/dev/null || compgen -G "$1/libclang-[0-9]*.so*" >/dev/null
}

venv_native() { # the pinned wheel's libclang.so lives in site-packages/clang/native
  local sp
  sp=$(compgen -G "$VENV/lib/python3*/site-packages/libclang-$LIBCLANG_PIP_VERSION.dist-info" | head -n1) || return 1
  echo "$(dirname "$sp")/clang/native"
}

install_pip_libclang() {
  echo "bindings.sh: installing libclang==$LIBCLANG_PIP_VERSION from PyPI into $VENV" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2 || return 1
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir \
    "libclang==$LIBCLANG_PIP_VERSION" >&2 || return 1
}

install_apt_libclang() {
  command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] || return 1
  echo "bindings.sh: installing Debian's libclang1-14 with apt-get" >&2
  apt-get update -qq >&2 || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libclang1-14 >&2
}

find_libclang() {
  local d
  if has_libclang "${LIBCLANG_PATH:-}"; then echo "$LIBCLANG_PATH"; return; fi
  d=$(venv_native || true)
  if has_libclang "$d"; then echo "$d"; return; fi
  for d in /usr/lib/llvm-*/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/lib; do
    if has_libclang "$d"; then echo "$d"; return; fi
  done
  if install_pip_libclang; then
    d=$(venv_native || true)
    if has_libclang "$d"; then echo "$d"; return; fi
  fi
  echo "bindings.sh: pip route failed (no python3 venv/pip?), trying apt" >&2
  if install_apt_libclang; then
    for d in /usr/lib/llvm-14/lib /usr/lib/x86_64-linux-gnu; do
      if has_libclang "$d"; then echo "$d"; return; fi
    done
  fi
  echo "bindings.sh: no libclang; set LIBCLANG_PATH to a directory containing libclang.so" >&2
  return 1
}

LIBCLANG_PATH=$(find_libclang)
export LIBCLANG_PATH
echo "bindings.sh: LIBCLANG_PATH=$LIBCLANG_PATH"
step "find/install libclang"

# Own target dir: the generator is a separate workspace and must not contend for the main
# build's lock or perturb its fingerprints.
cargo build --quiet --locked --manifest-path ci/gen-bindings/Cargo.toml \
  --target-dir "$TARGET/gen-bindings"
GEN=$TARGET/gen-bindings/debug/zmq4-gen-bindings
step "build generator"

if [ "$mode" = write ]; then
  "$GEN" --root "$ROOT" --out "$COMMITTED"
  step "generate"
  echo "bindings.sh: wrote $COMMITTED"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$GEN" --root "$ROOT" --out "$tmp/bindings.rs"
  step "generate"
  if [ ! -f "$COMMITTED" ]; then
    echo "bindings.sh: $COMMITTED does not exist; run ci/bindings.sh" >&2
    exit 1
  fi
  if ! diff -u "$COMMITTED" "$tmp/bindings.rs"; then
    echo "bindings.sh: $COMMITTED is stale; run ci/bindings.sh and commit the result" >&2
    exit 1
  fi
  step "compare"
  echo "bindings.sh: $COMMITTED is up to date"
fi
step_start=$T0
step "total"
