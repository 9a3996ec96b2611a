"""Splits one callgrind profile into libzmq and everything else.

    python3 cgsplit.py callgrind.out

Prints one line of tab-separated fields:
    total   instructions of the whole program (every thread)
    api     instructions inside the libzmq calls the program makes (inclusive cost of every
            call from a function outside libzmq to a `zmq_*` function)
    calls   the libzmq calls themselves, as name=count,name=count,...

`total - api` is what the program does besides libzmq: the C tool's own loop, or the Rust
binding's wrappers and the Rust tool's loop (plus start-up and tear-down, which cancel when
ci/bench.sh subtracts a run of N from a run of 2N). Functions count as libzmq when their
name starts with `zmq_` (the C API) or is a C++ function of namespace `zmq::` (demangled with
a parameter list, which tells libzmq's internals from rust-zmq's Rust functions, whose crate
is also called `zmq`).
"""

import re
import sys
from collections import Counter

NAME = re.compile(r"^\((\d+)\)(?: (.*))?$")


def split(path):
    names = {}
    total = None
    api = 0
    calls = Counter()
    fn = cfn = None
    pending_call = False
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if pending_call:
                # The line after `calls=` is the call's inclusive cost.
                pending_call = False
                if is_api(cfn) and not is_libzmq(fn):
                    api += int(line.split()[-1])
                continue
            if line.startswith("fn="):
                fn = resolve(names, line[3:])
            elif line.startswith("cfn="):
                cfn = resolve(names, line[4:])
            elif line.startswith("calls="):
                pending_call = True
                if is_api(cfn) and not is_libzmq(fn):
                    calls[cfn] += int(line[6:].split()[0])
            elif line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
    if total is None:
        raise SystemExit(f"{path}: no totals line")
    return total, api, calls


def resolve(names, text):
    """`(id) name` defines a compressed name, `(id)` uses it; plain text is a name."""
    m = NAME.match(text)
    if not m:
        return text
    if m.group(2) is not None:
        names[m.group(1)] = m.group(2)
    return names.get(m.group(1), text)


def is_api(name):
    return name is not None and name.startswith("zmq_")


def is_libzmq(name):
    if name is None:
        return False
    return name.startswith("zmq_") or (name.startswith("zmq::") and "(" in name)


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    total, api, calls = split(argv[1])
    print(f"{total}\t{api}\t" + ",".join(f"{k}={v}" for k, v in sorted(calls.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
