#!/usr/bin/env bash
# Verifies zmq4-sys/vendor/libzmq against zmq4-sys/vendor/libzmq.sha256: same files, same contents.
set -euo pipefail
cd "$(dirname "$0")/../zmq4-sys/vendor/libzmq"
sha256sum --quiet --strict -c ../libzmq.sha256
extra=$(comm -13 <(sed 's/^[0-9a-f]*  //' ../libzmq.sha256 | sort) <(find . -type f | sed 's|^\./||' | sort))
if [ -n "$extra" ]; then
  echo "files in zmq4-sys/vendor/libzmq that the manifest does not list:" >&2
  echo "$extra" >&2
  exit 1
fi
echo "zmq4-sys/vendor/libzmq: $(wc -l < ../libzmq.sha256) files match zmq4-sys/vendor/libzmq.sha256"
