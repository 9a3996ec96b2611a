#!/usr/bin/env bash
# Verifies vendor/libzmq against vendor/libzmq.sha256: same files, same contents.
set -euo pipefail
cd "$(dirname "$0")/../vendor/libzmq"
sha256sum --quiet --strict -c ../libzmq.sha256
extra=$(comm -13 <(sed 's/^[0-9a-f]*  //' ../libzmq.sha256 | sort) <(find . -type f | sed 's|^\./||' | sort))
if [ -n "$extra" ]; then
  echo "files in vendor/libzmq that the manifest does not list:" >&2
  echo "$extra" >&2
  exit 1
fi
echo "vendor/libzmq: $(wc -l < ../libzmq.sha256) files match vendor/libzmq.sha256"
