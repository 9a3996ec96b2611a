#!/usr/bin/env bash
# Counts how much of libzmq 4.3.5's zmq.h the safe layer covers, and fails if anything is
# neither covered nor listed as deliberately left out:
#  - functions: every `ZMQ_EXPORT ... zmq_*(` of zmq.h is called from the safe layer
#    (src/ outside src/sys), or has a row in PORTING.md's function table that says its
#    Rust counterpart needs no call to it, or is in PORTING.md's "Deliberately not wrapped"
#    table;
#  - options: every `#define ZMQ_*` of zmq.h's socket and context option blocks (stable and
#    draft) is a row of the option tables (src/options/opt.rs, ctxopt.rs) or an entry of
#    EXCLUDED_SOCKET_OPTIONS (src/options/mod.rs).
# tests/options.rs checks the tables against zmq.h in more depth (numbers, types, access).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'EOF'
import pathlib, re, sys

header = pathlib.Path("zmq4-sys/vendor/libzmq/include/zmq.h").read_text()
src = "".join(p.read_text() for p in pathlib.Path("src").rglob("*.rs") if "sys" not in p.parts)
porting = pathlib.Path("PORTING.md").read_text()
function_table, not_wrapped_block = porting.split("## Deliberately not wrapped", 1)
not_wrapped = set(re.findall(r"`(zmq_\w+)`", not_wrapped_block))
no_call = set()
for line in function_table.splitlines():
    if line.startswith("| `zmq_") and "no call needed" in line:
        no_call.update(re.findall(r"`(zmq_\w+)`", line.split("|")[1]))

def draft_start(text):
    return text.index("#ifdef ZMQ_BUILD_DRAFT_API")

functions = re.findall(r"ZMQ_EXPORT[^;(]*?\b(zmq_\w+)\s*\(", header)
split = draft_start(header)
draft_fns = set(re.findall(r"ZMQ_EXPORT[^;(]*?\b(zmq_\w+)\s*\(", header[split:]))
wrapped, in_rust, skipped, missing = [], [], [], []
for f in dict.fromkeys(functions):
    if re.search(r"\bsys::" + f + r"\b", src):
        wrapped.append(f)
    elif f in no_call:
        in_rust.append(f)
    elif f in not_wrapped:
        skipped.append(f)
    else:
        missing.append(f)

def defines(start, end):
    block = header.split(start, 1)[1].split(end, 1)[0]
    return re.findall(r"^#define (ZMQ_\w+) (?:-?\d+|ZMQ_\w+)", block, re.M)

socket_opts = defines("/*  Socket options.", "/*  Message options") \
    + defines("/*  Deprecated options and aliases", "/*  Deprecated Message options") \
    + defines("/*  DRAFT Socket options.", "/*  DRAFT ZMQ_NORM_MODE options")
socket_opts = [o for o in socket_opts if o != "ZMQ_NOBLOCK"]  # a send flag, not an option
# ZMQ_IPV6 and ZMQ_BLOCKY are context options too, numbered among the socket options.
ctx_opts = defines("/*  Context options", "/*  Default for new contexts") \
    + defines("/*  DRAFT Context options", "/*  DRAFT Context methods") + ["ZMQ_IPV6", "ZMQ_BLOCKY"]
opt_rs = pathlib.Path("src/options/opt.rs").read_text()
ctx_rs = pathlib.Path("src/options/ctxopt.rs").read_text()
excluded = set(re.findall(r'c_name: "(ZMQ_\w+)"', pathlib.Path("src/options/mod.rs").read_text()))
row = lambda text, name: re.search(r"= " + name + r":", text) is not None

def classify(names, table):
    rows = [n for n in names if row(table, n)]
    excl = [n for n in names if not row(table, n) and n in excluded]
    miss = [n for n in names if not row(table, n) and n not in excluded]
    return rows, excl, miss

s_rows, s_excl, s_miss = classify(list(dict.fromkeys(socket_opts)), opt_rs)
c_rows, c_excl, c_miss = classify(list(dict.fromkeys(ctx_opts)), ctx_rs)

print(f"functions in zmq.h:        {len(set(functions))} ({len(draft_fns)} draft)")
print(f"  wrapped by the safe API: {len(wrapped)}")
print(f"  done in Rust, no call:   {len(in_rust)} ({', '.join(in_rust)})")
print(f"  deliberately not:        {len(skipped)} ({', '.join(skipped)})")
print(f"  missing:                 {len(missing)} {' '.join(missing)}")
print(f"socket option names:       {len(set(socket_opts))}")
print(f"  typed rows:              {len(s_rows)}")
print(f"  excluded with a reason:  {len(s_excl)} ({', '.join(s_excl)})")
print(f"  missing:                 {len(s_miss)} {' '.join(s_miss)}")
print(f"context option names:      {len(set(ctx_opts))}")
print(f"  typed rows:              {len(c_rows)}")
print(f"  missing:                 {len(c_miss) + len(c_excl)} {' '.join(c_miss + c_excl)}")
sys.exit(1 if missing or s_miss or c_miss or c_excl else 0)
EOF
