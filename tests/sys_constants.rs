//! Checks `zmq4::sys` against the vendored `zmq.h`:
//!
//! (a) every numeric `#define ZMQ_*` (and the libzmq-specific errno values) in zmq.h exists in
//!     the committed `zmq4-sys/src/bindings.rs` with the value zmq.h gives it, and is gated behind
//!     `feature = "draft"` exactly when zmq.h defines it inside `#ifdef ZMQ_BUILD_DRAFT_API`;
//! (b) a few values, `ZMQ_VERSION` and struct layouts hold through the real Rust items.
//!
//! (a) reads both files as text, so it covers draft items whatever features this test runs
//! with; (b) checks draft-only items only when the `draft` feature is on.

use std::collections::{BTreeMap, BTreeSet};
use std::mem::{align_of, size_of};

use zmq4::sys;

/// The target's pointer size, which zmq.h's struct layouts follow.
const POINTER: usize = size_of::<*const u8>();

/// zmq.h macros that are deliberately not numeric constants in bindings.rs. The test fails if
/// this list and zmq.h disagree, so a new non-numeric macro cannot slip through unnoticed.
const NON_NUMERIC: &[(&str, &str)] = &[
    ("ZMQ_EXPORT", "symbol-visibility attribute, not a value"),
    ("ZMQ_HAVE_POLLER", "empty feature-test macro"),
    ("ZMQ_HAVE_TIMERS", "empty feature-test macro"),
    ("ZMQ_MAKE_VERSION", "function-like macro"),
    (
        "ZMQ_VERSION",
        "calls ZMQ_MAKE_VERSION; hand-written in zmq4-sys/src/lib.rs",
    ),
    ("ZMQ_MSG_PROPERTY_ROUTING_ID", "string; checked separately"),
    ("ZMQ_MSG_PROPERTY_SOCKET_TYPE", "string; checked separately"),
    ("ZMQ_MSG_PROPERTY_USER_ID", "string; checked separately"),
    (
        "ZMQ_MSG_PROPERTY_PEER_ADDRESS",
        "string; checked separately",
    ),
];

/// Non-`ZMQ_` macros of zmq.h that the bindings carry: libzmq's own error numbers. (The other
/// E* defines in zmq.h are fallbacks for platforms whose errno.h lacks them.)
const ZMQ_ERRNOS: &[&str] = &["EFSM", "ENOCOMPATPROTO", "ETERM", "EMTHREAD"];

struct Define {
    /// Replacement text, comments removed and continuation lines joined.
    value: String,
    function_like: bool,
    /// Defined inside `#ifdef ZMQ_BUILD_DRAFT_API`.
    draft: bool,
}

fn read(rel: &str) -> String {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    match out.find("//") {
        Some(i) => out[..i].to_string(),
        None => out,
    }
}

/// All `#define`s of zmq.h whose name starts with ZMQ_ or is a libzmq errno, keyed by name.
/// A name defined several times (ZMQ_EXPORT's platform variants) keeps its first definition.
fn parse_zmq_h() -> BTreeMap<String, Define> {
    let text = read("zmq4-sys/vendor/libzmq/include/zmq.h").replace("\\\n", " ");
    let mut defines = BTreeMap::new();
    // One entry per open #if: whether it is the ZMQ_BUILD_DRAFT_API branch (true while in
    // its "then" part).
    let mut conds: Vec<bool> = Vec::new();
    for line in text.lines() {
        let line = strip_comments(line);
        let Some(directive) = line.trim_start().strip_prefix('#') else {
            continue;
        };
        let directive = directive.trim_start();
        let (kw, rest) = directive
            .split_once(char::is_whitespace)
            .unwrap_or((directive, ""));
        match kw {
            "if" | "ifndef" => conds.push(false),
            "ifdef" => conds.push(rest.trim() == "ZMQ_BUILD_DRAFT_API"),
            "else" | "elif" => {
                if let Some(c) = conds.last_mut() {
                    *c = false;
                }
            }
            "endif" => {
                conds.pop().expect("unbalanced #endif in zmq.h");
            }
            "define" => {
                let rest = rest.trim_start();
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let name = &rest[..end];
                if !(name.starts_with("ZMQ_") || ZMQ_ERRNOS.contains(&name)) {
                    continue;
                }
                let after = &rest[end..];
                defines.entry(name.to_string()).or_insert(Define {
                    function_like: after.starts_with('('),
                    value: after.trim().to_string(),
                    draft: conds.iter().any(|&d| d),
                });
            }
            _ => {}
        }
    }
    assert!(conds.is_empty(), "unbalanced #if in zmq.h");
    defines
}

#[derive(Debug, PartialEq)]
enum Tok {
    Num(i64),
    Ident(String),
    Op(char),
}

fn tokenize(expr: &str) -> Option<Vec<Tok>> {
    let mut toks = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if !(c.is_ascii_alphanumeric() || c == '_') {
                    break;
                }
                word.push(c);
                chars.next();
            }
            toks.push(if c.is_ascii_digit() {
                let n = match word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
                    Some(hex) => i64::from_str_radix(hex, 16).ok()?,
                    None => word.parse().ok()?,
                };
                Tok::Num(n)
            } else {
                Tok::Ident(word)
            });
        } else if "()|+-".contains(c) {
            toks.push(Tok::Op(c));
            chars.next();
        } else {
            return None; // strings, attributes, anything not a plain integer expression
        }
    }
    (!toks.is_empty()).then_some(toks)
}

/// Evaluates `a | b`, `a + b`, unary minus, parentheses and references to other defines:
/// the only forms zmq.h uses for its numeric macros.
struct Eval<'a> {
    toks: &'a [Tok],
    pos: usize,
    defines: &'a BTreeMap<String, Define>,
}

impl Eval<'_> {
    fn or(&mut self) -> Option<i64> {
        let mut v = self.add()?;
        while self.toks.get(self.pos) == Some(&Tok::Op('|')) {
            self.pos += 1;
            v |= self.add()?;
        }
        Some(v)
    }
    fn add(&mut self) -> Option<i64> {
        let mut v = self.unary()?;
        while self.toks.get(self.pos) == Some(&Tok::Op('+')) {
            self.pos += 1;
            v += self.unary()?;
        }
        Some(v)
    }
    fn unary(&mut self) -> Option<i64> {
        let t = self.toks.get(self.pos)?;
        self.pos += 1;
        match t {
            Tok::Op('-') => Some(-self.unary()?),
            Tok::Op('(') => {
                let v = self.or()?;
                (self.toks.get(self.pos) == Some(&Tok::Op(')'))).then_some(())?;
                self.pos += 1;
                Some(v)
            }
            Tok::Num(n) => Some(*n),
            Tok::Ident(name) => eval_define(name, self.defines),
            Tok::Op(_) => None,
        }
    }
}

/// The integer value of a define, or None if it is not an integer expression.
fn eval_define(name: &str, defines: &BTreeMap<String, Define>) -> Option<i64> {
    let d = defines.get(name)?;
    if d.function_like {
        return None;
    }
    let toks = tokenize(&d.value)?;
    let mut e = Eval {
        toks: &toks,
        pos: 0,
        defines,
    };
    let v = e.or()?;
    (e.pos == toks.len()).then_some(v)
}

struct RustConst {
    ty: String,
    value: String,
    draft: bool,
}

/// `pub const NAME: TY = VALUE;` items of the generated file, with whether the attribute
/// line right before each is `#[cfg(feature = "draft")]`.
fn parse_bindings(text: &str) -> BTreeMap<String, RustConst> {
    let mut consts = BTreeMap::new();
    let mut draft = false;
    for line in text.lines() {
        let line = line.trim();
        if line == "#[cfg(feature = \"draft\")]" {
            draft = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix("pub const ") {
            let (name, rest) = rest.split_once(':').expect("const without type");
            let (ty, value) = rest.split_once('=').expect("const without value");
            let value = value
                .trim()
                .strip_suffix(';')
                .expect("const not on one line");
            let c = RustConst {
                ty: ty.trim().into(),
                value: value.trim().into(),
                draft,
            };
            assert!(
                consts.insert(name.trim().to_string(), c).is_none(),
                "{name} twice"
            );
        }
        draft = false;
    }
    consts
}

#[test]
fn every_zmq_h_constant_is_bound() {
    let defines = parse_zmq_h();
    let bindings_text = read("zmq4-sys/src/bindings.rs");
    let bound = parse_bindings(&bindings_text);

    let mut numeric = BTreeMap::new();
    let mut non_numeric = BTreeSet::new();
    for name in defines.keys() {
        match eval_define(name, &defines) {
            Some(v) => {
                numeric.insert(name.as_str(), v);
            }
            None => {
                non_numeric.insert(name.as_str());
            }
        }
    }
    let expected_non_numeric: BTreeSet<&str> = NON_NUMERIC.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        non_numeric, expected_non_numeric,
        "non-numeric macros changed in zmq.h"
    );

    let mut errors = Vec::new();
    for (name, value) in &numeric {
        let draft = defines[*name].draft;
        match bound.get(*name) {
            None => errors.push(format!("{name} = {value} is missing from bindings.rs")),
            Some(c) => {
                if c.ty != "i32" {
                    errors.push(format!("{name} has type {}, expected i32", c.ty));
                }
                if c.value.parse::<i64>().ok() != Some(*value) {
                    errors.push(format!(
                        "{name} = {} in bindings.rs, {value} in zmq.h",
                        c.value
                    ));
                }
                if c.draft != draft {
                    errors.push(format!(
                        "{name}: draft gate is {}, zmq.h says {draft}",
                        c.draft
                    ));
                }
            }
        }
    }
    // The reverse direction: nothing numeric in the bindings that zmq.h does not define.
    for (name, c) in &bound {
        if c.ty == "i32" && !numeric.contains_key(name.as_str()) {
            errors.push(format!(
                "{name} is in bindings.rs but is not a numeric define of zmq.h"
            ));
        }
    }
    // The string properties: NUL-terminated byte strings, draft-only like in zmq.h.
    let strings: Vec<&str> = NON_NUMERIC
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| n.starts_with("ZMQ_MSG_PROPERTY_"))
        .collect();
    for name in &strings {
        let d = &defines[*name];
        let inner = d
            .value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap();
        let want = format!("b\"{inner}\\0\"");
        match bound.get(*name) {
            Some(c) if c.value == want && c.draft == d.draft => {}
            other => errors.push(format!(
                "{name}: expected {want} (draft={}), got {:?}",
                d.draft,
                other.map(|c| (&c.value, c.draft))
            )),
        }
    }

    let draft_only = numeric.keys().filter(|n| defines[**n].draft).count();
    let gated_items = bindings_text.matches("#[cfg(feature = \"draft\")]").count();
    let functions = bindings_text.matches("pub fn zmq_").count();
    println!(
        "zmq.h: {} distinct macros checked, {} numeric ({} draft-only), {} non-numeric \
         excluded ({} strings checked separately); bindings.rs: {} consts ({} numeric), \
         {} functions, {} draft-gated items",
        defines.len(),
        numeric.len(),
        draft_only,
        non_numeric.len(),
        strings.len(),
        bound.len(),
        bound.values().filter(|c| c.ty == "i32").count(),
        functions,
        gated_items,
    );
    assert!(
        errors.is_empty(),
        "{} mismatches:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert_eq!(
        numeric.len(),
        bound.values().filter(|c| c.ty == "i32").count()
    );
}

#[test]
fn values_through_rust_items() {
    assert_eq!(sys::ZMQ_VERSION, 40305);
    assert_eq!(
        (
            sys::ZMQ_VERSION_MAJOR,
            sys::ZMQ_VERSION_MINOR,
            sys::ZMQ_VERSION_PATCH
        ),
        (4, 3, 5)
    );
    assert_eq!(sys::ZMQ_ROUTER_MANDATORY, 33);
    assert_eq!(sys::ZMQ_FAIL_UNROUTABLE, sys::ZMQ_ROUTER_MANDATORY);
    assert_eq!(sys::ZMQ_HAUSNUMERO, 156384712);
    assert_eq!(sys::EFSM, 156384763);
    assert_eq!(sys::ETERM, sys::ZMQ_HAUSNUMERO + 53);
    assert_eq!(sys::ZMQ_THREAD_PRIORITY_DFLT, -1);
    assert_eq!(sys::ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED, 0x3000_0000);
    // Constants are i32, the type libzmq's int parameters take.
    let _: i32 = sys::ZMQ_SNDMORE;
    let _: core::ffi::c_int = sys::ZMQ_DONTWAIT;

    // zmq.h's layouts for this target class (the C compiler's own are checked per target by
    // ci/abi-check.sh --target): zmq_msg_t is pointer-aligned; zmq_pollitem_t is
    // { void *; zmq_fd_t (int, or SOCKET on Windows); short; short }.
    assert_eq!(size_of::<sys::zmq_msg_t>(), 64);
    assert_eq!(align_of::<sys::zmq_msg_t>(), POINTER);
    let pollitem = match (cfg!(windows), POINTER) {
        (false, 8) => 16,
        (true, 8) => 24,
        (_, 4) => 12,
        other => panic!("no zmq_pollitem_t size known for {other:?}"),
    };
    assert_eq!(size_of::<sys::zmq_pollitem_t>(), pollitem);
    #[cfg(unix)]
    let _: sys::iovec = libc::iovec {
        iov_base: std::ptr::null_mut(),
        iov_len: 0,
    };
}

#[cfg(feature = "draft")]
#[test]
fn draft_values_through_rust_items() {
    assert_eq!(sys::ZMQ_SERVER, 12);
    assert_eq!(sys::ZMQ_CHANNEL, 20);
    assert_eq!(sys::ZMQ_ROUTER_NOTIFY, 97);
    assert_eq!(sys::ZMQ_BUSY_POLL, 113);
    assert_eq!(sys::ZMQ_EVENT_ALL_V2, 0xFFFF | 0x10000);
    assert_eq!(sys::ZMQ_MSG_PROPERTY_ROUTING_ID, b"Routing-Id\0");
    // { void *socket; zmq_fd_t fd; void *user_data; short events }: four pointer-sized slots
    // on every supported target class (fd is padded on 64-bit Unix, pointer-sized on Windows).
    assert_eq!(size_of::<sys::zmq_poller_event_t>(), 4 * POINTER);
    assert_eq!(align_of::<sys::zmq_poller_event_t>(), POINTER);
    #[cfg(unix)] // zmq_ppoll's signal mask: Windows has none
    let _ = std::mem::MaybeUninit::<sys::sigset_t>::uninit();
}
