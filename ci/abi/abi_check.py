#!/usr/bin/env python3
"""Checks zmq4-sys/src/bindings.rs against the real zmq.h with the C compiler.

Usage: abi_check.py BINDINGS_RS ZMQ_INCLUDE_DIR OUT_DIR     (compiler: $CC, default gcc)

The bindings carry one variant per target class where zmq.h's ABI differs (`#[cfg]` on
`windows` and `target_pointer_width`, see ci/gen-bindings). The class checked is the C
compiler's target (its `_WIN32` and `__SIZEOF_POINTER__`): a cross compiler checks that
target's variants, against that target's system headers.

Reads the generated Rust bindings and writes two C files that the compiler rejects on any
mismatch, then compiles them (-fsyntax-only):

  OUT_DIR/abi_draft.c    (with ZMQ_BUILD_DRAFT_API: every item)
    - each integer constant: same value, and C type int (the bindings say i32)
    - each byte-string constant: same size (the bytes are compared with the compiler's
      `-E -dM` macro dump: C cannot index a string literal in a constant expression)
    - each type alias, struct field and function: the C type equals the Rust type
      translated to C (__builtin_types_compatible_p), so constness, pointer depth and
      integer widths are all compared; taking each function's address also proves it is
      declared
    - each struct: sizeof, _Alignof and every offsetof from bindgen's layout assertions
  OUT_DIR/abi_stable.c   (without ZMQ_BUILD_DRAFT_API)
    - the items not gated by `feature = "draft"` must all exist and match as above
    - the constants gated by `feature = "draft"` must NOT be defined (the gate is not too
      loose... nor too tight, by the first point)

Counts are printed as one line. Only the standard library is used: the Rust file is
bindgen's output printed by prettyplease, regular enough for a line/bracket scanner.
"""

import os
import re
import shlex
import subprocess
import sys

CFG_RE = re.compile(r"^#\[cfg\((.*)\)\]$")


def eval_cfg(pred, env):
    """Evaluates a cfg predicate (all/any/not, `windows`, `key = "value"`) in `env`, a dict
    {"windows": bool, "target_pointer_width": str, "feature": set}."""
    toks = re.findall(r'"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|[(),=]', pred)
    pos = 0

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def expr():
        name = take()
        if name in ("all", "any", "not"):
            take()  # (
            args = []
            while toks[pos] != ")":
                args.append(expr())
                if toks[pos] == ",":
                    take()
            take()  # )
            if name == "all":
                return all(args)
            if name == "any":
                return any(args)
            return not args[0]
        if pos < len(toks) and toks[pos] == "=":
            take()
            val = take().strip('"')
            if name == "feature":
                return val in env["feature"]
            if name == "target_pointer_width":
                return val == env["target_pointer_width"]
            raise ValueError(f"unknown cfg key {name} in {pred}")
        if name == "windows":
            return env["windows"]
        raise ValueError(f"unknown cfg {name} in {pred}")

    val = expr()
    if pos != len(toks):
        raise ValueError(f"trailing tokens in cfg {pred}")
    return val

# Rust scalar spellings (after stripping ::core::ffi::) -> C spellings.
SCALARS = {
    "c_void": "void",
    "c_char": "char",
    "c_schar": "signed char",
    "c_uchar": "unsigned char",
    "c_short": "short",
    "c_ushort": "unsigned short",
    "c_int": "int",
    "c_uint": "unsigned int",
    "c_long": "long",
    "c_ulong": "unsigned long",
    "c_longlong": "long long",
    "c_ulonglong": "unsigned long long",
    "usize": "size_t",
    "isize": "ptrdiff_t",
    "u8": "uint8_t",
    "u16": "uint16_t",
    "u32": "uint32_t",
    "u64": "uint64_t",
    "i8": "int8_t",
    "i16": "int16_t",
    "i32": "int32_t",
    "i64": "int64_t",
    "f32": "float",
    "f64": "double",
    "bool": "_Bool",
    # re-exported from libc in the bindings
    "iovec": "struct iovec",
    "sigset_t": "sigset_t",
}

# bindgen renames C identifiers that are not valid Rust ones.
RUST_KEYWORDS = {
    "as", "box", "break", "const", "continue", "crate", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become",
    "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
}


def c_ident(rust_name):
    if rust_name == "__":  # C `_`
        return "_"
    if rust_name.endswith("_") and rust_name[:-1] in RUST_KEYWORDS:
        return rust_name[:-1]
    return rust_name


# ---------------------------------------------------------------------------------------
# Item scanner


def items(text, target):
    """Yields ((with_draft, without_draft), item_text) for each top-level item: whether its
    `#[cfg]` attributes select it on `target` ({"windows", "target_pointer_width"}) with and
    without the `draft` feature."""
    attrs = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or line.startswith("//"):
            i += 1
            continue
        if line.startswith("#["):
            attrs.append(line)
            i += 1
            continue
        # Collect until the item ends: `;` or a closing brace back at depth 0.
        buf, depth = [], 0
        while True:
            cur = lines[i]
            buf.append(cur)
            i += 1
            done = False
            for ch in cur:
                if ch in "([{":
                    depth += 1
                elif ch in ")]}":
                    depth -= 1
                    if depth == 0 and ch == "}" and not buf[0].lstrip().startswith("const _"):
                        done = True
                elif ch == ";" and depth == 0:
                    done = True
            if done or i >= len(lines):
                break
        preds = [m.group(1) for m in (CFG_RE.match(a) for a in attrs) if m]
        on = tuple(
            all(eval_cfg(p, dict(target, feature={"draft"} if d else set())) for p in preds)
            for d in (True, False)
        )
        yield on, "\n".join(buf)
        attrs = []


# ---------------------------------------------------------------------------------------
# Rust type -> C declarator


TOKEN_RE = re.compile(r'\s*(->|::|"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|[0-9]+[a-z0-9]*|\S)')


def tokenize(s):
    toks = TOKEN_RE.findall(s)
    # Drop path prefixes (::core::ffi::c_int, ::core::option::Option) -> last segment.
    out = []
    for t in toks:
        if t == "::":
            prev = out[-1] if out else ""
            if re.match(r"[A-Za-z_]", prev) and prev not in ("mut", "const", "dyn"):
                out.pop()  # the segment before `::`
            continue
        out.append(t)
    return out


class TypeParser:
    """Parses the subset of Rust types bindgen emits for C."""

    def __init__(self, toks):
        self.t = toks
        self.p = 0

    def peek(self):
        return self.t[self.p] if self.p < len(self.t) else None

    def take(self, want=None):
        tok = self.peek()
        if tok is None or (want is not None and tok != want):
            raise ValueError(f"expected {want!r}, got {tok!r} in {' '.join(self.t)}")
        self.p += 1
        return tok

    def ty(self):
        tok = self.take()
        if tok == "*":
            mut = self.take()
            if mut not in ("mut", "const"):
                raise ValueError(f"bad pointer {mut}")
            return ("ptr", mut == "const", self.ty())
        if tok == "[":
            elem = self.ty()
            self.take(";")
            n = self.take()
            self.take("]")
            return ("array", elem, int(re.match(r"[0-9]+", n).group(0)))
        if tok == "Option":
            self.take("<")
            f = self.fn_type()
            if self.peek() == ",":  # prettyplease's trailing comma
                self.take()
            self.take(">")
            return f
        if tok == "(":
            self.take(")")
            return ("name", "void")
        return ("name", tok)

    def fn_type(self):
        if self.peek() == "unsafe":
            self.take()
        self.take("extern")
        self.take()  # "C"
        self.take("fn")
        params = self.params()
        ret = ("name", "void")
        if self.peek() == "->":
            self.take()
            ret = self.ty()
        return ("fnptr", params, ret)

    def params(self):
        """`(name: T, ...)` -> [T, ...]"""
        self.take("(")
        out = []
        while self.peek() != ")":
            self.take()  # name
            self.take(":")
            out.append(self.ty())
            if self.peek() == ",":
                self.take()
        self.take(")")
        return out


def parse_type(s):
    p = TypeParser(tokenize(s))
    t = p.ty()
    if p.peek() is not None:
        raise ValueError(f"trailing tokens in type {s!r}")
    return t


class Ctx:
    def __init__(self, fn_aliases):
        # Rust aliases of C function typedefs (`typedef void(zmq_free_fn)(...)`): in Rust the
        # alias is already the pointer, in C the pointer is `zmq_free_fn *`.
        self.fn_aliases = fn_aliases

    def decl(self, t, d="", const=False):
        """C declaration of type `t` around declarator `d`; `const` qualifies `t` itself."""
        q = "const " if const else ""
        kind = t[0]
        if kind == "name":
            name = t[1]
            if name in self.fn_aliases:
                return f"{name} *{' const' if const else ''}{(' ' + d) if d else ''}"
            c = SCALARS.get(name, name)
            return f"{q}{c}{(' ' + d) if d else ''}"
        if kind == "ptr":
            _, pointee_const, pointee = t
            inner = "*" + (" const" if const else "") + ((" " + d) if d and const else d)
            return self.decl(pointee, inner, pointee_const)
        if kind == "array":
            _, elem, n = t
            dd = f"({d})" if d.startswith("*") else d
            return self.decl(elem, f"{dd}[{n}]", const)
        if kind == "fnptr":
            _, params, ret = t
            args = ", ".join(self.decl(p) for p in params) or "void"
            return self.decl(ret, f"(*{' const' if const else ''}{d})({args})")
        raise ValueError(t)


# ---------------------------------------------------------------------------------------
# Item parsing


def split_params(sig):
    """Returns (name, params_text, ret_text) of `pub fn name(params) -> ret;`."""
    m = re.match(r"\s*pub fn (\w+)\(", sig)
    name = m.group(1)
    depth, i = 1, m.end()
    while depth:
        depth += {"(": 1, ")": -1}.get(sig[i], 0)
        i += 1
    params = sig[m.end() - 1 : i]
    rest = sig[i:].strip().rstrip(";").strip()
    ret = rest[2:].strip() if rest.startswith("->") else "()"
    return name, params, ret


def parse_bindings(text, target):
    """The items selected on `target`; each carries `draft` = (with, without the feature)."""
    consts, strings, aliases, structs, layouts, fns = [], [], [], {}, {}, []
    counts = {"pub const": 0, "pub fn": 0, "pub struct": 0}
    for draft, item in items(text, target):
        head = item.lstrip()
        for what in counts:  # everything, selected or not: the scanner must miss nothing
            counts[what] += len(re.findall(rf"^\s*{what} ", item, re.M))
        if draft == (False, False):
            continue  # another target class's variant
        if head.startswith("pub const "):
            m = re.match(r"pub const (\w+): (.+?) = (.+);\s*$", head, re.S)
            name, ty, val = m.groups()
            if ty == "i32":
                consts.append((name, int(val), draft))
            elif ty.startswith("&[u8;"):
                raw = re.fullmatch(r'b"(.*)"', val).group(1)
                data = raw.encode().decode("unicode_escape").encode("latin-1")
                strings.append((name, data, draft))
            else:
                raise ValueError(f"unhandled const type {ty} of {name}")
        elif head.startswith("pub type "):
            m = re.match(r"pub type (\w+) = (.+);\s*$", head, re.S)
            aliases.append((m.group(1), parse_type(m.group(2)), draft))
        elif head.startswith("pub struct "):
            m = re.match(r"pub struct (\w+) \{(.*)\}\s*$", head, re.S)
            fields = []
            for fm in re.finditer(r"pub (\w+): ([^,]+(?:;[^,]+)?),", m.group(2)):
                fields.append((fm.group(1), parse_type(fm.group(2))))
            if m.group(1) in structs:
                raise SystemExit(f"abi_check: two variants of struct {m.group(1)} selected")
            structs[m.group(1)] = (fields, draft)
        elif head.startswith("const _: () = {"):
            for kind, ty, field, val in re.findall(
                r'\[\s*"(Size of|Alignment of|Offset of field:) ([A-Za-z0-9_]+)(?:::(\w+))?",?\s*\]'
                r"\[[^\]]*?- (\d+)usize\]",
                head,
            ):
                layouts.setdefault(ty, []).append((kind, c_ident(field) if field else None, int(val)))
        elif head.startswith('extern "C" {'):
            for sig in re.findall(r"pub fn .*?;", head, re.S):
                name, params, ret = split_params(sig)
                p = TypeParser(tokenize(params))
                fns.append((name, p.params(), parse_type(ret), draft))
        elif head.startswith("pub use libc::"):
            pass  # platform types re-exported from libc; their C side is the system's
        else:
            raise ValueError(f"unhandled item: {head[:80]}")
    # The scanner must not have skipped anything: compare with plain text counts.
    for what, want in counts.items():
        found = len(re.findall(rf"^\s*{what} ", text, re.M))
        if found != want:
            raise SystemExit(f"abi_check: scanned {want} `{what}` items, file has {found}")
    return consts, strings, aliases, structs, layouts, fns



def emit(out, with_draft, parsed, ctx, windows):
    consts, strings, aliases, structs, layouts, fns = parsed
    n = {"constants": 0, "strings": 0, "aliases": 0, "structs": 0, "layout": 0, "fields": 0,
         "functions": 0, "absent": 0}
    w = out.append
    w("/* Generated by ci/abi/abi_check.py from zmq4-sys/src/bindings.rs. Compile only. */")
    if with_draft:
        w("#define ZMQ_BUILD_DRAFT_API 1")
    w("#include <stddef.h>\n#include <stdint.h>")
    if windows:
        # zmq.h only declares struct iovec; libzmq's src/zmq.cpp defines it like this where
        # there is no <sys/uio.h>, and the bindings carry the same struct.
        w("struct iovec\n{\n    void *iov_base;\n    size_t iov_len;\n};")
        w("#define ZMQ_STATIC 1")
    else:
        w("#include <sys/uio.h>\n#include <signal.h>")
    w('#include "zmq.h"')
    w("#define SAME(a, b) __builtin_types_compatible_p(a, b)")
    w("#define CHECK(cond, what) _Static_assert(cond, what)")
    w("")

    def active(draft):
        return draft[0] if with_draft else draft[1]

    gated = "draft-gated" if not with_draft else "absent with the draft feature"
    for name, val, draft in consts:
        if not active(draft):
            w(f'#ifdef {name}\n#error "{name} is {gated} in Rust but defined in C"\n#endif')
            n["absent"] += 1
            continue
        w(f'CHECK(({name}) == {val}, "{name} == {val}");')
        w(f'CHECK(_Generic(({name}), int: 1, default: 0), "{name} is an int");')
        n["constants"] += 1
    for name, data, draft in strings:
        if not active(draft):
            w(f'#ifdef {name}\n#error "{name} is {gated} in Rust but defined in C"\n#endif')
            n["absent"] += 1
            continue
        w(f'CHECK(sizeof({name}) == {len(data)}, "sizeof {name}");')
        n["strings"] += 1
    for name, t, draft in aliases:
        if not active(draft):
            continue
        # A Rust alias of a C function typedef is the pointer; compare pointer types.
        c_name = f"{name} *" if name in ctx.fn_aliases else name
        w(f'CHECK(SAME({c_name}, {ctx.decl(t)}), "type {name}");')
        n["aliases"] += 1
    for name, (fields, draft) in structs.items():
        if not active(draft):
            continue
        n["structs"] += 1
        cname = SCALARS.get(name, name)  # struct iovec has no typedef
        for f, t in fields:
            w(f'CHECK(SAME(__typeof__((({cname} *)0)->{c_ident(f)}), {ctx.decl(t)}), "{name}.{c_ident(f)} type");')
            n["fields"] += 1
        for kind, field, val in layouts.get(name, []):
            if kind == "Size of":
                w(f'CHECK(sizeof({cname}) == {val}, "sizeof {name}");')
            elif kind == "Alignment of":
                w(f'CHECK(_Alignof({cname}) == {val}, "_Alignof {name}");')
            else:
                w(f'CHECK(offsetof({cname}, {field}) == {val}, "offsetof {name}.{field}");')
            n["layout"] += 1
        if not layouts.get(name):
            raise SystemExit(f"abi_check: no layout assertions for struct {name}")
    for name, params, ret, draft in fns:
        if not active(draft):
            continue
        sig = ctx.decl(("fnptr", params, ret))
        w(f'CHECK(SAME(__typeof__(&{name}), {sig}), "{name}: {sig}");')
        n["functions"] += 1
    w("")
    return n


def c_string_macros(cc, include, with_draft):
    """{name: bytes incl. NUL} for the string-literal ZMQ_ macros, as the compiler sees them."""
    src = '#include "zmq.h"\n'
    if with_draft:
        src = "#define ZMQ_BUILD_DRAFT_API 1\n" + src
    out = subprocess.run(
        cc + ["-std=gnu11", "-E", "-dM", "-I", include, "-x", "c", "-"],
        input=src, capture_output=True, text=True, check=True,
    ).stdout
    found = {}
    for m in re.finditer(r'^#define (ZMQ_\w+) "((?:[^"\\]|\\.)*)"$', out, re.M):
        found[m.group(1)] = m.group(2).encode().decode("unicode_escape").encode("latin-1") + b"\0"
    return found


def compiler_target(cc):
    """{"windows", "target_pointer_width"} of the compiler's target, from its macros."""
    out = subprocess.run(
        cc + ["-E", "-dM", "-x", "c", "-"], input="", capture_output=True, text=True, check=True
    ).stdout
    macros = dict(re.findall(r"^#define (\w+) ?(.*)$", out, re.M))
    return {
        "windows": "_WIN32" in macros,
        "target_pointer_width": str(int(macros["__SIZEOF_POINTER__"]) * 8),
    }


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    bindings, include, out_dir = sys.argv[1:]
    cc = shlex.split(os.environ.get("CC") or "gcc")
    target = compiler_target(cc)
    print(
        f"abi_check: {' '.join(cc)}: {'windows' if target['windows'] else 'not(windows)'}, "
        f"target_pointer_width = {target['target_pointer_width']}"
    )
    with open(bindings, encoding="utf-8") as f:
        parsed = parse_bindings(f.read(), target)
    consts, strings, aliases, structs, layouts, fns = parsed
    # Layout assertions must only refer to structs the bindings define.
    for ty in layouts:
        if ty not in structs:
            raise SystemExit(f"abi_check: layout assertions for unknown type {ty}")
    fn_aliases = {name for name, t, _ in aliases if t[0] == "fnptr"}
    ctx = Ctx(fn_aliases)
    os.makedirs(out_dir, exist_ok=True)
    failed = False
    for with_draft, fname in ((True, "abi_draft.c"), (False, "abi_stable.c")):
        lines = []
        n = emit(lines, with_draft, parsed, ctx, target["windows"])
        path = os.path.join(out_dir, fname)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        # -Werror: a mismatch must not pass as a warning (e.g. an implicit declaration).
        r = subprocess.run(cc + ["-std=gnu11", "-fsyntax-only", "-Wall", "-Werror", "-I", include, path])
        # Byte-string values, which the C file can only size-check.
        macros = c_string_macros(cc, include, with_draft)
        for name, data, draft in strings:
            if draft[0 if with_draft else 1] and macros.get(name) != data:
                print(f"abi_check: {name}: Rust {data!r}, C {macros.get(name)!r}", file=sys.stderr)
                failed = True
        status = "ok" if r.returncode == 0 else "FAILED"
        failed |= r.returncode != 0
        print(
            f"abi_check: {fname} ({'with' if with_draft else 'without'} ZMQ_BUILD_DRAFT_API): {status}: "
            f"{n['constants']} int constants, {n['strings']} string constants, "
            f"{n['aliases']} type aliases, {n['structs']} structs ({n['fields']} field types, "
            f"{n['layout']} size/align/offset checks), {n['functions']} function signatures"
            + (f", {n['absent']} draft constants checked absent" if n["absent"] else "")
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
