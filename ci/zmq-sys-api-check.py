#!/usr/bin/env python3
"""Generates a crate that fails to compile unless our zmq-sys has zmq-sys 0.12's public API.

Usage: zmq-sys-api-check.py REGISTRY_ZMQ_SYS_DIR OUR_ZMQ_SYS_DIR OUT_DIR

Reads the real zmq-sys 0.12 from the cargo registry (its src/lib.rs export list, src/ffi.rs
declarations, src/errno.rs) and writes OUT_DIR/{Cargo.toml,src/main.rs}: one assertion per
public item, checking
  - every exported constant: same type (`const _: T = zmq_sys::NAME`) and same value (but
    where libzmq 4.3.5 changed it: see `changed`);
  - every exported function: coerces to the fn-pointer type of zmq-sys 0.12's declaration;
  - zmq_msg_t / zmq_pollitem_t: fields, Default, Copy, Clone (and Debug for pollitem),
    size and alignment; zmq_free_fn: the same type;
  - errno: every name, `i32`, same value as zmq-sys 0.12 computes on this platform;
  - RawFd.
It also prints how many items of each kind it checks. Its main() prints a one-line summary.
"""
import os
import re
import sys

reg, ours, out = sys.argv[1:4]
lib = open(os.path.join(reg, "src/lib.rs")).read()
ffi = open(os.path.join(reg, "src/ffi.rs")).read()
errno = open(os.path.join(reg, "src/errno.rs")).read()

block = re.search(r"pub use crate::ffi::\{(.*?)\};", lib, re.S).group(1)
block = re.sub(r"//[^\n]*", "", block)
exported = [n.strip() for n in block.split(",") if n.strip()]

consts = dict(re.findall(r"pub const (\w+): (\w+) = [^;]+;", ffi))
values = dict(re.findall(r"pub const (\w+): \w+ = ([^;]+);", ffi))
fns = {}
for m in re.finditer(r"pub fn (\w+)\s*\((.*?)\)\s*(->\s*[^;]+)?;", ffi, re.S):
    name, args, ret = m.group(1), m.group(2), m.group(3) or ""
    types = []
    for arg in [a.strip() for a in args.split(",") if a.strip()]:
        types.append(arg.split(":", 1)[1].strip())
    fns[name] = (types, ret.strip())


def rust_type(t):
    t = " ".join(t.split())
    t = t.replace("::std::os::raw::", "std::os::raw::")
    # zmq-sys 0.12's iovec is a private opaque type: any pointee is accepted there.
    t = re.sub(r"\biovec\b", "_", t)
    for own in ("zmq_msg_t", "zmq_pollitem_t", "zmq_free_fn"):
        t = re.sub(r"(?<![\w:])" + own + r"\b", "zmq_sys::" + own, t)
    return t


# Values libzmq changed between zmq-sys 0.12's header (4.3.1) and 4.3.5: ours follow the
# library actually linked. Only the type is checked for these.
changed = {
    "ZMQ_GROUP_MAX_LENGTH": "255 since libzmq 4.3.3 (was 15); draft RADIO/DISH only",
}

lines = []
counts = {"const": 0, "fn": 0, "type": 0, "errno": 0}
for name in exported:
    if name in consts:
        lines.append(f"    const _: {consts[name]} = zmq_sys::{name};")
        if name in changed:
            lines.append(f"    // {name}: {changed[name]}.")
        else:
            lines.append(f"    const _: () = assert!(zmq_sys::{name} == {values[name]});")
        counts["const"] += 1
    elif name in fns:
        types, ret = fns[name]
        sig = ", ".join(rust_type(t) for t in types)
        r = (" " + rust_type(ret)) if ret else ""
        lines.append(f'    let _: unsafe extern "C" fn({sig}){r} = zmq_sys::{name};')
        counts["fn"] += 1
    elif name in ("zmq_msg_t", "zmq_pollitem_t", "zmq_free_fn"):
        counts["type"] += 1
    else:
        sys.exit(f"zmq-sys 0.12 exports {name}, which this generator does not know")

# The three types, by what code can do with them.
lines.append("""
    let m = zmq_sys::zmq_msg_t::default();
    let copy: zmq_sys::zmq_msg_t = m;
    let _: [std::os::raw::c_uchar; 64] = copy.clone().__;
    const _: () = assert!(std::mem::size_of::<zmq_sys::zmq_msg_t>() == 64);
    const _: () = assert!(std::mem::align_of::<zmq_sys::zmq_msg_t>() == 8);
    let p = zmq_sys::zmq_pollitem_t::default();
    let q: zmq_sys::zmq_pollitem_t = p;
    let _ = format!("{:?}", q.clone());
    let zmq_sys::zmq_pollitem_t { socket, fd, events, revents } = q;
    let _: (*mut std::os::raw::c_void, std::os::raw::c_int) = (socket, fd);
    let _: (std::os::raw::c_short, std::os::raw::c_short) = (events, revents);
    const _: () = assert!(std::mem::size_of::<zmq_sys::zmq_pollitem_t>() == 16);
    let _: zmq_sys::zmq_free_fn = None::<
        unsafe extern "C" fn(*mut std::os::raw::c_void, *mut std::os::raw::c_void),
    >;
    let _: zmq_sys::RawFd = 0 as std::os::unix::io::RawFd;""")

# errno: names and values, evaluated as zmq-sys 0.12 defines them (on unix, from libc).
for name, expr in re.findall(r"pub const (\w+):\s*i32 = ([^;]+);", errno):
    expr = expr.strip()
    expr = re.sub(r"\berrno::", "libc::", expr)
    expr = expr.replace("ZMQ_HAUSNUMERO", "156_384_712")
    lines.append(f"    const _: i32 = zmq_sys::errno::{name};")
    lines.append(f"    const _: () = assert!(zmq_sys::errno::{name} == {expr});")
    counts["errno"] += 1

os.makedirs(os.path.join(out, "src"), exist_ok=True)
with open(os.path.join(out, "Cargo.toml"), "w") as f:
    f.write(f"""[package]
name = "zmq-sys-api-check"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
libc = "0.2"
zmq-sys = {{ path = "{ours}" }}
""")
summary = (f"{len(exported)} exported items of zmq-sys 0.12 checked: {counts['const']} constants, "
           f"{counts['fn']} functions, {counts['type']} types; {counts['errno']} errno names; RawFd; "
           f"values differ by design: {', '.join(changed)}")
with open(os.path.join(out, "src/main.rs"), "w") as f:
    f.write("#![allow(clippy::all, unused)]\n// Generated by ci/zmq-sys-api-check.py.\n")
    f.write("fn main() {\n" + "\n".join(lines) + f'\n    println!("{summary}");\n}}\n')
print(summary)
