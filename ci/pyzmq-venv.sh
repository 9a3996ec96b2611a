#!/usr/bin/env bash
# Creates (or reuses) a Python venv with a pinned pyzmq for the interop tests (cert_interop,
# interop_pyzmq), and prints the venv's python path on stdout (the rest goes to stderr).
#
#   ci/pyzmq-venv.sh            create/reuse ${CARGO_TARGET_DIR:-target}/pyzmq-venv, print python
#   eval "$(ci/pyzmq-venv.sh --export)"
#                               the same, printed as `export ZMQ4_PYZMQ_PYTHON=...` for a shell
#
# The tests (tests/common/pyzmq.rs) look for the python in $ZMQ4_PYZMQ_PYTHON, else in the
# venv's default location, and run this script when neither works; without pyzmq they fail
# (or, with ZMQ4_SKIP_PYZMQ=1, say that they are skipped).
# Needs python3 with the venv module (or virtualenv) and pip access to PyPI. pyzmq's wheels
# bundle their own libzmq and libsodium, so nothing of this crate's build is shared.
set -euo pipefail

PYZMQ_VERSION=27.3.0

mode=print
case "${1:-}" in
  "") ;;
  --export) mode=export ;;
  -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--export]" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
VENV=$TARGET/pyzmq-venv
PY=$VENV/bin/python

installed_version() {
  [ -x "$PY" ] || return 1
  "$PY" -c 'import zmq; print(zmq.pyzmq_version())' 2>/dev/null
}

if [ "$(installed_version || true)" != "$PYZMQ_VERSION" ]; then
  echo "pyzmq-venv.sh: installing pyzmq==$PYZMQ_VERSION into $VENV" >&2
  rm -rf "$VENV"
  mkdir -p "$TARGET"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir \
    "pyzmq==$PYZMQ_VERSION" >&2
  got=$(installed_version || true)
  if [ "$got" != "$PYZMQ_VERSION" ]; then
    echo "pyzmq-venv.sh: pyzmq did not install (got '${got}')" >&2
    exit 1
  fi
fi
echo "pyzmq-venv.sh: pyzmq $PYZMQ_VERSION (libzmq $("$PY" -c 'import zmq; print(zmq.zmq_version())')) at $PY" >&2

if [ "$mode" = export ]; then
  printf 'export ZMQ4_PYZMQ_PYTHON=%q\n' "$PY"
else
  echo "$PY"
fi
