#!/usr/bin/env bash
# rust-zmq (the `zmq` 0.10 crate) on our libzmq through `[patch.crates-io]`, proven with its own
# test suite:
#  1. fetches `zmq` 0.10.0 from crates.io (a throwaway fetch crate, `cargo fetch`), copies its
#     package unmodified into a temporary directory, and wraps it in a workspace whose only
#     addition is `[patch.crates-io] zmq-sys = { path = "<repo>/zmq-sys" }`; dependencies are
#     resolved afresh, for both runs (the package's 2022 Cargo.lock pins build dependencies,
#     e.g. pkg-config 0.3.24 and memchr 2.4, older than libsodium-sys-stable accepts); before that, ci/zmq-sys-api-check.py checks our zmq-sys item by item against
#     the registry's zmq-sys 0.12 source (types, signatures, values);
#  2. runs ITS `cargo test --no-fail-fast` with the patch, and (unless --patched-only) once more
#     without it, on rust-zmq's own zmq-sys 0.12 / libzmq 4.3.4, printing counts for both;
#  3. checks that its CURVE tests really ran with the patch (test_curve_messages prints a line
#     only when its body runs; `test_capability!` skips the body when zmq::has("curve") is
#     false, as on rust-zmq's own build);
#  4. builds and runs ci/zmq-share, a program depending on both `zmq` (patched) and `zmq4`,
#     which checks they share one libzmq.
# Failures allowed with the patch: the trybuild compile-fail snapshots (`compile_fail`), whose
# expected rustc output predates the current rustc; they fail the same way on rust-zmq's own
# build. Anything else failing fails the script.
# Build output goes to target/rust-zmq/ (separate target dirs for the two runs).
# Usage: ci/rust-zmq-suite.sh [--patched-only]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
t_start=$(date +%s)
baseline=1
[[ ${1:-} = --patched-only ]] && baseline=0

target=${CARGO_TARGET_DIR:-target}
[[ $target = /* ]] || target="$root/$target"
work="$target/rust-zmq"
mkdir -p "$work"
# Tests the patched run may fail (they fail on rust-zmq's own build too: see above).
allowed_failures=(compile_fail)

# --- 1. zmq 0.10.0's package, from the registry, unmodified -------------------------------
fetch="$work/fetch"
mkdir -p "$fetch/src"
cat >"$fetch/Cargo.toml" <<'EOF'
[package]
name = "fetch-zmq"
version = "0.0.0"
edition = "2021"
publish = false
[workspace]
[dependencies]
zmq = "=0.10.0"
EOF
echo 'fn main() {}' >"$fetch/src/main.rs"
cargo fetch --quiet --manifest-path "$fetch/Cargo.toml"
meta=$(cargo metadata --format-version 1 --manifest-path "$fetch/Cargo.toml")
# registry_dir NAME-VERSION-REGEX: the unpacked package's directory in the cargo registry.
registry_dir() {
  grep -o "\"manifest_path\":\"[^\"]*/$1/Cargo\.toml\"" <<<"$meta" | head -1 |
    sed 's/^"manifest_path":"//; s|/Cargo\.toml"$||'
}
src=$(registry_dir 'zmq-0\.10\.0')
sys_src=$(registry_dir 'zmq-sys-0\.12\.[0-9]*')
[[ -d $src && -d $sys_src ]] || {
  echo "zmq 0.10.0 or zmq-sys 0.12 source not found in the registry" >&2
  exit 1
}
echo "zmq 0.10.0 source: $src"
echo "zmq-sys 0.12 source: $sys_src"

# --- 1b. our zmq-sys against zmq-sys 0.12's public API, item by item -------------------------
t0=$(date +%s)
echo "=== [api] ci/zmq-sys-api-check.py (generated crate: $work/api-check)"
python3 ci/zmq-sys-api-check.py "$sys_src" "$root/zmq-sys" "$work/api-check" >/dev/null
if api=$(CARGO_TARGET_DIR="$work/patched" cargo run --quiet \
  --manifest-path "$work/api-check/Cargo.toml" 2>"$work/api-check.err"); then
  api="ok: $api"
else
  tail -40 "$work/api-check.err"
  api="FAILED (see $work/api-check.err)"
  api_failed=1
fi
api_secs=$(($(date +%s) - t0))
echo "=== [api] $api in ${api_secs} s"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# wrapper DIR PATCH: a workspace DIR holding a copy of the package, with `[patch]` if PATCH=1.
wrapper() {
  local dir=$1 patch=$2
  mkdir -p "$dir"
  cp -r "$src" "$dir/zmq"
  {
    echo '[workspace]'
    echo 'members = ["zmq"]'
    echo 'resolver = "1"'
    if [[ $patch = 1 ]]; then
      echo
      echo '[patch.crates-io]'
      echo "zmq-sys = { path = \"$root/zmq-sys\" }"
    fi
  } >"$dir/Cargo.toml"
  # The copy is the registry's, byte for byte.
  diff -r "$src" "$dir/zmq" >/dev/null
}

# --- 2. its own suite ----------------------------------------------------------------------
declare -A passed failed secs failures curve_ran version
# suite NAME DIR: cargo test in DIR, into target dir $work/NAME.
suite() {
  local name=$1 dir=$2 out="$work/$1.out" t0
  t0=$(date +%s)
  echo "=== [$name] cargo test --no-fail-fast (log: $out)"
  (cd "$dir" && CARGO_TARGET_DIR="$work/$name" cargo test --no-fail-fast) >"$out" 2>&1 || true
  secs[$name]=$(($(date +%s) - t0))
  passed[$name]=$(sed -n 's/^test result: .* \([0-9]*\) passed.*/\1/p' "$out" |
    awk '{s += $1} END {print s + 0}')
  failed[$name]=$(sed -n 's/^test result: .* \([0-9]*\) failed.*/\1/p' "$out" |
    awk '{s += $1} END {print s + 0}')
  failures[$name]=$(sed -n 's/^test \(.*\) \.\.\. FAILED$/\1/p' "$out" | sort -u | xargs)
  if ! grep -q '^test result:' "$out"; then
    tail -40 "$out"
    echo "=== [$name] no test ran"
    return 1
  fi
  # The CURVE ping-pong test prints this line only if its body runs.
  curve_ran[$name]=$( (cd "$dir" && CARGO_TARGET_DIR="$work/$name" \
    cargo test --quiet --test curve -- --exact test_curve_messages --nocapture 2>&1) |
    grep -c '^this is it foo$' || true)
  version[$name]=$( (cd "$dir" && CARGO_TARGET_DIR="$work/$name" \
    cargo run --quiet --example version 2>/dev/null) | tr '\n' ' ')
  echo "=== [$name] ${passed[$name]} passed, ${failed[$name]} failed" \
    "(${failures[$name]:-none}) in ${secs[$name]} s; CURVE test body ran: ${curve_ran[$name]}"
}

status=${api_failed:-0}
if [[ $baseline = 1 ]]; then
  wrapper "$tmp/orig" 0
  suite orig "$tmp/orig" || status=1
fi
wrapper "$tmp/patched" 1
suite patched "$tmp/patched" || status=1
# The patch must really be in the graph (Cargo only warns when a patch is unused).
if grep -q 'was not used in the crate graph' "$work/patched.out"; then
  echo "the [patch] was not used"
  status=1
fi

# --- 3. verdict on the patched run ---------------------------------------------------------
for t in ${failures[patched]:-}; do
  ok=0
  for a in "${allowed_failures[@]}"; do [[ $t = "$a" ]] && ok=1; done
  if [[ $ok = 0 ]]; then
    echo "unexpected failure with the patch: $t"
    grep -A30 "^---- $t " "$work/patched.out" | head -40 || true
    status=1
  fi
done
if [[ ${curve_ran[patched]:-0} != 1 ]]; then
  echo "the CURVE test body did not run with the patch"
  status=1
fi

# --- 4. zmq (patched) and zmq4 in one program ----------------------------------------------
t0=$(date +%s)
echo "=== [share] cargo run --manifest-path ci/zmq-share/Cargo.toml"
share_out="$work/share.out"
if CARGO_TARGET_DIR="$work/patched" cargo run --quiet --manifest-path ci/zmq-share/Cargo.toml \
  >"$share_out" 2>"$work/share.err"; then
  sed 's/^/  /' "$share_out"
  share="ok"
  # One libzmq in the binary: zmq_version defined once.
  defs=$(nm "$work/patched/debug/zmq-share" | grep -c ' T zmq_version$' || true)
  echo "  zmq_version definitions in the binary: $defs"
  [[ $defs = 1 ]] || { share="FAILED (zmq_version defined $defs times)"; status=1; }
else
  cat "$share_out"
  tail -30 "$work/share.err"
  share="FAILED"
  status=1
fi
share_secs=$(($(date +%s) - t0))

# --- summary -------------------------------------------------------------------------------
echo
echo "rust-zmq 0.10.0's own suite (cargo test --no-fail-fast)"
printf '%-28s %7s %7s %6s %6s  %s\n' build passed failed secs curve "failed tests / libzmq"
for name in orig patched; do
  [[ -n ${passed[$name]:-} ]] || continue
  label=$([[ $name = orig ]] && echo "own zmq-sys 0.12 (4.3.4)" || echo "patched: our zmq-sys")
  printf '%-28s %7s %7s %6s %6s  %s\n' "$label" "${passed[$name]}" "${failed[$name]}" \
    "${secs[$name]}" "${curve_ran[$name]}" "${failures[$name]:-none} / ${version[$name]}"
done
echo "(curve = 1 when the CURVE ping-pong test's body ran, 0 when zmq::has(\"curve\") skipped it)"
echo "zmq-sys API against zmq-sys 0.12: $api (${api_secs} s)"
echo "zmq + zmq4 in one program: $share in ${share_secs} s"
echo "total: $(($(date +%s) - t_start)) s"
exit $status
