#!/usr/bin/env bash
# Builds libsodium for a MinGW-w64 target from the tarball libsodium-sys-stable ships, offline,
# and prints the SODIUM_LIB_DIR to export. Why: libsodium-sys-stable passes the Rust triple
# (--host=x86_64-pc-windows-gnu) to libsodium's configure, which config.sub rejects; it then
# falls back to downloading a prebuilt library, which fails without network. With
# SODIUM_LIB_DIR set it links the library found there instead, and zmq4-sys takes the headers
# from the include/ beside it (or SODIUM_INCLUDE_DIR).
#
# Usage: ci/sodium-mingw.sh [RUST_TARGET]     (default x86_64-pc-windows-gnu; i686-pc-windows-gnu)
#   then: export SODIUM_LIB_DIR=$(ci/sodium-mingw.sh)
# The build lands in ${CARGO_TARGET_DIR:-target}/sodium/<target>-<tarball sha256 prefix>/ and
# is reused when present (about 35 s on 2 cores otherwise). Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-x86_64-pc-windows-gnu}
case "$target" in
  x86_64-pc-windows-gnu) host=x86_64-w64-mingw32 ;;
  i686-pc-windows-gnu) host=i686-w64-mingw32 ;;
  *) echo "sodium-mingw.sh: unknown target $target (x86_64-pc-windows-gnu, i686-pc-windows-gnu)" >&2; exit 2 ;;
esac
cc=$host-gcc-posix
command -v "$cc" >/dev/null || cc=$host-gcc
command -v "$cc" >/dev/null || { echo "sodium-mingw.sh: no $host-gcc (Debian: apt-get install gcc-mingw-w64-${host%%-*}-posix)" >&2; exit 2; }
command -v make >/dev/null || { echo "sodium-mingw.sh: make not found" >&2; exit 2; }

# The exact tarball the crate in Cargo.lock bundles (and verifies with minisign in its build).
# Offline first; a fresh registry may still lack a crate the metadata resolves.
meta=$(cargo metadata --format-version 1 --offline 2>/dev/null || cargo metadata --format-version 1)
crate_dir=$(printf '%s' "$meta" | python3 -c '
import json, sys, os
m = json.load(sys.stdin)
p = [p for p in m["packages"] if p["name"] == "libsodium-sys-stable"]
print(os.path.dirname(p[0]["manifest_path"]) if p else "")')
tarball=$crate_dir/LATEST.tar.gz
[ -f "$tarball" ] || { echo "sodium-mingw.sh: no LATEST.tar.gz in libsodium-sys-stable ($crate_dir); run cargo fetch" >&2; exit 2; }
sum=$(sha256sum "$tarball" | cut -c1-12)
root=$(realpath -m "${CARGO_TARGET_DIR:-target}")/sodium/$target-$sum
if [ ! -f "$root/lib/libsodium.a" ]; then
  start=$SECONDS
  rm -rf "$root.src" && mkdir -p "$root.src"
  tar -xzf "$tarball" -C "$root.src"
  # The options libsodium-sys-stable passes (minimal, no stack protector, static only).
  (cd "$root.src/libsodium-stable" &&
    CC=$cc ./configure --host=$host --prefix="$root" --enable-minimal --disable-ssp \
      --enable-shared=no --disable-dependency-tracking >"$root.src/configure.log" 2>&1 &&
    make -j"$(nproc)" install >"$root.src/make.log" 2>&1) ||
    { echo "sodium-mingw.sh: build failed, see $root.src/*.log" >&2; exit 1; }
  rm -rf "$root.src"
  echo "sodium-mingw.sh: built libsodium for $target in $((SECONDS - start)) s" >&2
fi
echo "$root/lib"
