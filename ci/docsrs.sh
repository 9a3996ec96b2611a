#!/usr/bin/env bash
# The docs as docs.rs builds them (package.metadata.docs.rs in each Cargo.toml): nightly
# rustdoc with `--cfg docsrs` (each feature-gated item badged by doc(cfg)) and DOCS_RS set
# (zmq4-sys's build script then compiles no C). Warnings are errors. zmq4-sys is documented
# for a Windows target too, as docs.rs does (no C toolchain for it is needed there).
#
# Usage: ci/docsrs.sh   (installs the nightly toolchain, minimal profile, when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
rustup +nightly target add x86_64-pc-windows-gnu >/dev/null 2>&1 || true
target=${CARGO_TARGET_DIR:-target}/docsrs
export DOCS_RS=1 RUSTDOCFLAGS="--cfg docsrs -D warnings"
cargo +nightly doc --no-deps -p zmq4 --features draft,curve,tokio --target-dir "$target"
cargo +nightly doc --no-deps -p zmq4-sys --no-default-features --features draft \
  --target-dir "$target"
if rustup +nightly target list --installed | grep -qx x86_64-pc-windows-gnu; then
  cargo +nightly doc --no-deps -p zmq4-sys --no-default-features --features draft \
    --target x86_64-pc-windows-gnu --target-dir "$target"
else
  echo "docsrs: no nightly std for x86_64-pc-windows-gnu; zmq4-sys documented for the host only"
fi
echo "docsrs: ok ($target/doc)"
