#!/usr/bin/env bash
# Prints the OUT_DIR of the zmq4-sys build script (DEP_ZMQ_ROOT) for the given cargo build arguments.
# Usage: ci/out-dir.sh [cargo build args...]   e.g. ci/out-dir.sh --release --no-default-features
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --lib --message-format=json "$@" |
  python3 -c '
import json, sys
out = None
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "build-script-executed" and ("#zmq4-sys@" in m.get("package_id", "") or "/zmq4-sys#" in m.get("package_id", "")):
        out = m["out_dir"]
if not out:
    sys.exit("out-dir.sh: no build-script-executed message for zmq4-sys")
print(out)
'
