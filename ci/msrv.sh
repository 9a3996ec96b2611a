#!/usr/bin/env bash
# Checks that `rust-version` in the manifests is true: the workspace (default features, the
# locked dependency versions) builds with exactly that toolchain, installed through rustup.
# 1.88 is set by libsodium-sys-stable's build dependencies (zip, zopfli); 1.87 fails with
# "rustc 1.87.0 is not supported by the following packages".
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
sys_msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' zmq4-sys/Cargo.toml)
[ "$msrv" = "$sys_msrv" ] || { echo "msrv.sh: zmq4 says $msrv, zmq4-sys says $sys_msrv" >&2; exit 1; }
toolchain=$msrv
[[ $toolchain = *.*.* ]] || toolchain=$toolchain.0
rustup toolchain list | grep -q "^$toolchain" ||
  rustup toolchain install "$toolchain" --profile minimal
target=${CARGO_TARGET_DIR:-target}
cargo "+$toolchain" check --locked -p zmq4 -p zmq4-sys --lib --target-dir "$target/msrv"
echo "msrv.sh: the workspace builds with Rust $toolchain (rust-version = \"$msrv\")"
