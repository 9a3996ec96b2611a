#!/usr/bin/env bash
# Feature `system` against Debian's own libzmq (libzmq3-dev 4.3.4, shared, built by Debian):
#  1. without `draft`: links, and the raw-API and pattern tests pass on it;
#  2. with `draft` (the default): the build refuses it with a message that names the way out.
# Debian's packages are unpacked into a private root (dpkg -x), never installed, so nothing
# else on the machine finds this libzmq; pkg-config reaches it through PKG_CONFIG_SYSROOT_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
[[ $target = /* ]] || target=$PWD/$target
root=$target/debian-libzmq
export CARGO_TARGET_DIR=$target/system-libzmq

# libzmq3-dev and what its .pc requires (Requires.private) or its .so needs at link time.
pkgs=(libzmq3-dev libzmq5 libsodium23 libsodium-dev libpgm-5.3-0 libpgm-dev libnorm1 libnorm-dev
  libbsd0 libbsd-dev libmd0 libmd-dev libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0
  libkeyutils1 libcom-err2 comerr-dev krb5-multidev libgssglue1)
if [ ! -f "$root/.done" ]; then
  command -v apt-get >/dev/null || { echo "system-libzmq.sh: needs apt-get (Debian)" >&2; exit 2; }
  rm -rf "$root" && mkdir -p "$root/debs"
  apt-get update -qq
  (cd "$root/debs" && apt-get download "${pkgs[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  for f in "$root"/debs/*.deb; do dpkg -x "$f" "$root"; done
  touch "$root/.done"
fi
lib=$root/usr/lib/x86_64-linux-gnu
[ -f "$lib/pkgconfig/libzmq.pc" ] || { echo "system-libzmq.sh: no libzmq.pc under $lib" >&2; exit 1; }
export PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH=$lib/pkgconfig:$lib/pkgconfig/mit-krb5
# The .so's own dependencies, for the linker (-rpath-link) and at run time.
export LD_LIBRARY_PATH=$lib:$lib/mit-krb5${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
echo "--- Debian's libzmq $(pkg-config --modversion libzmq), unpacked in $root"

t0=$(date +%s)
cargo test --quiet --no-default-features --features system,curve \
  --test sys --test sys_constants --test patterns --test message
echo "--- system without draft: ok in $(($(date +%s) - t0)) s"

t0=$(date +%s)
log=$CARGO_TARGET_DIR/draft-refused.log
if cargo build --quiet --no-default-features --features system,draft >"$log" 2>&1; then
  echo "system-libzmq.sh: feature draft built against libzmq 4.3.4" >&2
  exit 1
fi
grep -q 'pkg-config found no libzmq >= 4.3.5' "$log" && grep -q 'default-features = false' "$log" || {
  echo "system-libzmq.sh: the refusal does not say why or what to do:" >&2
  cat "$log" >&2
  exit 1
}
echo "--- system with draft: refused as it should be, in $(($(date +%s) - t0)) s"
