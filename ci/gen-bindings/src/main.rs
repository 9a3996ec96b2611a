//! Generates `zmq4-sys/src/bindings.rs` from `zmq4-sys/vendor/libzmq/include/zmq.h`.
//!
//! Usage (normally through `ci/bindings.sh`, which also provides libclang):
//!
//! ```text
//! zmq4-gen-bindings --root <repo root> --out <file> [-- <extra clang args>]
//! ```
//!
//! zmq.h is parsed for each target class (64/32-bit Unix, 64/32-bit Windows: the layouts and
//! `zmq_fd_t` differ between them), each with and without `-DZMQ_BUILD_DRAFT_API`. The eight
//! outputs are parsed with syn and merged item by item: an item identical in every run is
//! emitted as is, otherwise each variant gets the `#[cfg(...)]` that selects exactly the runs
//! it came from (e.g. `#[cfg(feature = "draft")]`, or `target_pointer_width` for a layout
//! assertion), so one committed file serves every target and both feature sets. The result
//! is printed with prettyplease (not rustfmt) so the bytes depend only on the pinned crates.
//!
//! clang sees stub system headers (written by this program, see [`STUBS`]) instead of the
//! generating host's: zmq.h takes only `size_t` and the `<stdint.h>` types from them (plus
//! `sigset_t`, blocklisted and re-exported from libc), and those come from clang's data model
//! for the target triple. So no cross headers are needed, and the output does not depend on
//! what the host has installed. `ci/abi-check.sh --target` checks the result against the real
//! headers with each target's C compiler.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;

use bindgen::{Formatter, MacroTypeVariation, RustEdition, RustTarget};
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, ForeignItem, Item, ItemForeignMod};

/// Header path relative to the repository root; also what the output header names.
const HEADER: &str = "zmq4-sys/vendor/libzmq/include/zmq.h";

/// A set of targets that share zmq.h's ABI: pointer width and Windows-or-not decide every
/// difference in it (struct layouts, `zmq_fd_t`, `zmq_ppoll`'s mask, `struct iovec`).
struct Class {
    /// The clang triple parsed for this class; any member of the class gives the same result.
    clang_target: &'static str,
    windows: bool,
    pointer_width: u32,
}

/// Parse order = order of the variants in the output.
const CLASSES: &[Class] = &[
    Class {
        clang_target: "x86_64-unknown-linux-gnu",
        windows: false,
        pointer_width: 64,
    },
    Class {
        clang_target: "i686-unknown-linux-gnu",
        windows: false,
        pointer_width: 32,
    },
    Class {
        clang_target: "x86_64-pc-windows-gnu",
        windows: true,
        pointer_width: 64,
    },
    Class {
        clang_target: "i686-pc-windows-gnu",
        windows: true,
        pointer_width: 32,
    },
];

/// Stand-ins for the system headers zmq.h includes. Sizes come from clang's predefined
/// `__SIZE_TYPE__`/`__INTn_TYPE__` for the target; the other headers contribute nothing zmq.h
/// uses, except `sigset_t`, which is blocklisted (only named behind a pointer), and, on
/// Windows, `__int64` (built into MSVC; mingw-w64's `<_mingw.h>`, which every CRT header
/// includes, defines it as `long long`).
const STUBS: &[(&str, &str)] = &[
    (
        "stddef.h",
        "typedef __SIZE_TYPE__ size_t;\ntypedef __PTRDIFF_TYPE__ ptrdiff_t;\n#define NULL ((void *)0)\n",
    ),
    (
        "stdint.h",
        "typedef __INT8_TYPE__ int8_t;\ntypedef __INT16_TYPE__ int16_t;\n\
         typedef __INT32_TYPE__ int32_t;\ntypedef __INT64_TYPE__ int64_t;\n\
         typedef __UINT8_TYPE__ uint8_t;\ntypedef __UINT16_TYPE__ uint16_t;\n\
         typedef __UINT32_TYPE__ uint32_t;\ntypedef __UINT64_TYPE__ uint64_t;\n\
         typedef __INTPTR_TYPE__ intptr_t;\ntypedef __UINTPTR_TYPE__ uintptr_t;\n",
    ),
    ("errno.h", ""),
    (
        "stdio.h",
        "#if defined _WIN32 && !defined __int64\n#define __int64 long long\n#endif\n",
    ),
    ("signal.h", "typedef struct __sigset_t sigset_t;\n"),
];

/// Windows' `struct iovec` is libzmq's own (src/zmq.cpp defines it where there is no
/// <sys/uio.h>); zmq.h only declares it. Parsed in the Windows runs so that bindgen lays it
/// out for the target like any other struct.
const WINDOWS_IOVEC: &str =
    "#include <stddef.h>\nstruct iovec\n{\n    void *iov_base;\n    size_t iov_len;\n};\n";

/// The type `zmq_fd_t` gets on Windows: zmq.h says `unsigned __int64` (Win64) or `unsigned
/// int` (Win32), i.e. a `SOCKET` (`UINT_PTR`); one pointer-sized alias serves both.
const WINDOWS_FD_T: &str = "usize";

/// Oldest Rust the generated code must compile with (the crate's rust-version).
const RUST_TARGET: (u64, u64) = (80, 0);

/// Platform types zmq.h takes from system headers on Unix: blocked in bindgen and re-exported
/// from libc instead, so callers can pass the same `libc` values they use elsewhere.
const LIBC_TYPES: &[&str] = &["iovec", "sigset_t"];

/// The lock file is the source of truth for the bindgen version; embedding it at compile time
/// means the header can never name a version other than the one that ran.
const CARGO_LOCK: &str = include_str!("../Cargo.lock");

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-bindings: error: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    root: PathBuf,
    out: PathBuf,
    clang_args: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut root = None;
    let mut out = None;
    let mut clang_args = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--root" => root = it.next().map(PathBuf::from),
            "--out" => out = it.next().map(PathBuf::from),
            "--" => clang_args.extend(it.by_ref()),
            _ => return Err(format!("unknown argument {a:?}")),
        }
    }
    Ok(Args {
        root: root.ok_or("--root is required")?,
        out: out.ok_or("--out is required")?,
        clang_args,
    })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let header = args.root.join(HEADER);
    if !header.is_file() {
        return Err(format!("{} not found", header.display()));
    }
    let clang = bindgen::clang_version();
    eprintln!(
        "gen-bindings: bindgen {}, libclang: {}",
        bindgen_version(),
        clang.full
    );

    let stubs = write_stubs()?;
    let runs: Result<Vec<Run>, String> = CLASSES
        .iter()
        .flat_map(|class| [(class, true), (class, false)])
        .map(|(class, draft)| {
            let file = generate(&header, &stubs, &args.clang_args, class, draft)?;
            Ok(Run { class, draft, file })
        })
        .collect();
    let _ = std::fs::remove_dir_all(&stubs);
    let runs = runs?;
    let (file, stats) = merge(runs)?;

    let text = format!("{}{}", file_header(&file)?, prettyplease::unparse(&file));
    // Parse what we print: catches a printer bug before it reaches the committed file.
    syn::parse_file(&text).map_err(|e| format!("printed output does not parse: {e}"))?;
    std::fs::write(&args.out, text).map_err(|e| format!("{}: {e}", args.out.display()))?;
    eprintln!(
        "gen-bindings: {} items ({} common to all runs, {} with variants or gated) -> {}",
        stats.total,
        stats.common,
        stats.gated,
        args.out.display()
    );
    Ok(())
}

/// Writes [`STUBS`] into a fresh directory (its path is unique per process).
fn write_stubs() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("zmq4-gen-bindings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, text) in STUBS {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(dir)
}

/// One bindgen run: a target class, with or without the draft API.
struct Run {
    class: &'static Class,
    draft: bool,
    file: syn::File,
}

fn bindgen_version() -> &'static str {
    // Cargo.lock entries are `name = "x"` followed directly by `version = "y"`.
    let mut lines = CARGO_LOCK.lines();
    while let Some(l) = lines.next() {
        if l.trim() == "name = \"bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = "))
            {
                return v.trim_matches('"');
            }
        }
    }
    "unknown"
}

fn generate(
    header: &std::path::Path,
    stubs: &std::path::Path,
    extra: &[String],
    class: &Class,
    draft: bool,
) -> Result<syn::File, String> {
    let (minor, patch) = RUST_TARGET;
    let target = class.clang_target;
    let mut b = bindgen::Builder::default()
        .header(header.to_str().ok_or("header path is not UTF-8")?)
        .allowlist_function("zmq_.*")
        .allowlist_type("zmq_.*")
        .allowlist_var("ZMQ_.*")
        // zmq-specific errno values; the other E* in zmq.h are only fallbacks for systems whose
        // errno.h lacks them (Windows), so on Unix they must come from libc.
        .allowlist_var("EFSM|ENOCOMPATPROTO|ETERM|EMTHREAD")
        // The C API takes `int` for options/flags/events: avoid casts at every call site.
        .default_macro_constant_type(MacroTypeVariation::Signed)
        .layout_tests(true)
        .rust_target(RustTarget::stable(minor, patch).map_err(|e| e.to_string())?)
        .rust_edition(RustEdition::Edition2021)
        .use_core()
        .ctypes_prefix("::core::ffi")
        // We print with prettyplease ourselves; rustfmt's output varies with its version.
        .formatter(Formatter::None)
        // Only the stubs: never the host's headers (see the module docs).
        .detect_include_paths(false)
        .clang_arg(format!("--target={target}"))
        .clang_arg("-nostdinc")
        .clang_arg(format!(
            "-isystem{}",
            stubs.to_str().ok_or("temp path is not UTF-8")?
        ))
        .clang_args(extra.iter().cloned());
    if class.windows {
        b = b
            .header_contents("zmq4-windows-iovec.h", WINDOWS_IOVEC)
            .allowlist_type("iovec")
            .blocklist_type("sigset_t");
    } else {
        b = b.blocklist_type("sigset_t|__sigset_t|iovec");
    }
    if draft {
        b = b.clang_arg("-DZMQ_BUILD_DRAFT_API");
    }
    let bindings = b
        .generate()
        .map_err(|e| format!("bindgen ({target}, draft={draft}): {e}"))?;
    let mut file = syn::parse_file(&bindings.to_string())
        .map_err(|e| format!("bindgen output ({target}, draft={draft}) does not parse: {e}"))?;
    if class.windows {
        windows_fd_t(&mut file, class)?;
    }
    Ok(file)
}

/// Replaces bindgen's spelling of `zmq_fd_t` in a Windows run by [`WINDOWS_FD_T`], after
/// checking that the C type is the unsigned integer of the class's pointer width.
fn windows_fd_t(file: &mut syn::File, class: &Class) -> Result<(), String> {
    let want = match class.pointer_width {
        64 => ":: core :: ffi :: c_ulonglong",
        _ => ":: core :: ffi :: c_uint",
    };
    let alias = file
        .items
        .iter_mut()
        .find_map(|i| match i {
            Item::Type(t) if t.ident == "zmq_fd_t" => Some(t),
            _ => None,
        })
        .ok_or("zmq_fd_t missing from a Windows run")?;
    let got = alias.ty.to_token_stream().to_string();
    if got != want {
        return Err(format!(
            "{}: zmq_fd_t is {got}, expected {want}",
            class.clang_target
        ));
    }
    *alias.ty = syn::parse_str(WINDOWS_FD_T).map_err(|e| e.to_string())?;
    Ok(())
}

#[derive(Default)]
struct Stats {
    total: usize,
    common: usize,
    gated: usize,
}

/// One top-level item with a key that identifies it across the runs.
struct Keyed {
    key: String,
    tokens: String,
    item: Item,
}

/// Splits `extern` blocks into one block per foreign item (so functions can be gated one by
/// one) and keys every item by kind and name. Unnamed items (`const _` layout assertions)
/// are keyed by their full text: identical text in two runs means "the same item".
fn keyed_items(file: syn::File) -> Vec<Keyed> {
    let mut out = Vec::new();
    for item in file.items {
        if let Item::ForeignMod(fm) = item {
            for fi in fm.items.clone() {
                let key = match &fi {
                    ForeignItem::Fn(f) => format!("fn {}", f.sig.ident),
                    ForeignItem::Static(s) => format!("static {}", s.ident),
                    ForeignItem::Type(t) => format!("extern type {}", t.ident),
                    other => format!("foreign {}", other.to_token_stream()),
                };
                let single = Item::ForeignMod(ItemForeignMod {
                    items: vec![fi],
                    ..fm.clone()
                });
                out.push(keyed(key, single));
            }
            continue;
        }
        let named = |kind: &str, ident: &syn::Ident| Some(format!("{kind} {ident}"));
        let key = match &item {
            Item::Const(c) if c.ident != "_" => named("const", &c.ident),
            Item::Static(s) => named("static", &s.ident),
            Item::Struct(s) => named("struct", &s.ident),
            Item::Union(u) => named("union", &u.ident),
            Item::Enum(e) => named("enum", &e.ident),
            Item::Type(t) => named("type", &t.ident),
            Item::Fn(f) => named("fn", &f.sig.ident),
            _ => None,
        }
        .unwrap_or_else(|| format!("anon {}", item.to_token_stream()));
        out.push(keyed(key, item));
    }
    out
}

fn keyed(key: String, item: Item) -> Keyed {
    Keyed {
        key,
        tokens: item.to_token_stream().to_string(),
        item,
    }
}

fn attrs_mut(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// Prefixes `item` with `#[cfg(pred)]`; `None` (every run) leaves it ungated.
fn gate(mut item: Item, pred: Option<&str>) -> Result<Item, String> {
    let Some(pred) = pred else { return Ok(item) };
    let attr = format!("#[cfg({pred})]");
    let attr = syn::parse_str::<syn::DeriveInput>(&format!("{attr} struct X;"))
        .map_err(|e| format!("bad cfg {attr}: {e}"))?
        .attrs
        .remove(0);
    let text = item.to_token_stream().to_string();
    let attrs = attrs_mut(&mut item).ok_or_else(|| format!("cannot gate item {text}"))?;
    attrs.insert(0, attr);
    Ok(item)
}

/// The cfg predicate that is true exactly for the runs in `set` (indexes into `runs`), or
/// `None` when `set` holds every run. Written per class as the draft predicate, grouped by
/// classes that share it, so the common cases read naturally (`feature = "draft"`,
/// `not(windows)`, `target_pointer_width = "32"`).
fn cfg_for(runs: &[Run], set: &BTreeSet<usize>) -> Option<String> {
    if set.len() == runs.len() {
        return None;
    }
    // class index -> (with draft, without draft)
    let mut per_class: Vec<(bool, bool)> = vec![(false, false); CLASSES.len()];
    for &r in set {
        let ci = class_index(runs[r].class);
        if runs[r].draft {
            per_class[ci].0 = true;
        } else {
            per_class[ci].1 = true;
        }
    }
    let draft_pred = |d: (bool, bool)| match d {
        (true, true) => None,
        (true, false) => Some("feature = \"draft\"".to_string()),
        (false, true) => Some("not(feature = \"draft\")".to_string()),
        (false, false) => unreachable!(),
    };
    let mut groups: Vec<((bool, bool), Vec<usize>)> = Vec::new();
    for (ci, d) in per_class.iter().enumerate() {
        if *d == (false, false) {
            continue;
        }
        match groups.iter_mut().find(|(gd, _)| gd == d) {
            Some((_, v)) => v.push(ci),
            None => groups.push((*d, vec![ci])),
        }
    }
    let terms: Vec<String> = groups
        .into_iter()
        .map(|(d, classes)| all(&[classes_pred(&classes), draft_pred(d)]))
        .collect();
    Some(if terms.len() == 1 {
        terms.into_iter().next().unwrap_or_default()
    } else {
        format!("any({})", terms.join(", "))
    })
}

fn class_index(class: &Class) -> usize {
    CLASSES
        .iter()
        .position(|c| std::ptr::eq(c, class))
        .unwrap_or(usize::MAX)
}

/// `all(...)` of the present terms, without the wrapper for a single term.
fn all(terms: &[Option<String>]) -> String {
    let t: Vec<&String> = terms.iter().flatten().collect();
    match t.as_slice() {
        [] => "all()".to_string(),
        [one] => (*one).clone(),
        _ => format!(
            "all({})",
            t.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The predicate selecting exactly `classes` (indexes into [`CLASSES`]) among the classes.
fn classes_pred(classes: &[usize]) -> Option<String> {
    let has = |windows: bool, width: u32| {
        classes
            .iter()
            .any(|&c| CLASSES[c].windows == windows && CLASSES[c].pointer_width == width)
    };
    let width = |w: u32| format!("target_pointer_width = \"{w}\"");
    let os = |windows: bool| if windows { "windows" } else { "not(windows)" }.to_string();
    let one = |c: usize| {
        all(&[
            Some(os(CLASSES[c].windows)),
            Some(width(CLASSES[c].pointer_width)),
        ])
    };
    let (u64_, u32_, w64, w32) = (has(false, 64), has(false, 32), has(true, 64), has(true, 32));
    match (u64_, u32_, w64, w32) {
        (true, true, true, true) => None,
        (true, true, false, false) => Some(os(false)),
        (false, false, true, true) => Some(os(true)),
        (true, false, true, false) => Some(width(64)),
        (false, true, false, true) => Some(width(32)),
        _ if classes.len() == 1 => Some(one(classes[0])),
        _ => Some(format!(
            "any({})",
            classes
                .iter()
                .map(|&c| one(c))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// One variant of an item: its text and the runs that produced exactly that text.
struct Variant {
    item: Item,
    tokens: String,
    runs: BTreeSet<usize>,
}

/// Merges the runs. Order: the first run's, with each item another run adds placed after
/// its predecessor in that run (after any variants already placed there), so alternatives
/// sit next to each other.
fn merge(runs: Vec<Run>) -> Result<(syn::File, Stats), String> {
    let keyed: Vec<Vec<Keyed>> = runs.iter().map(|r| keyed_items(r.file.clone())).collect();
    for (r, items) in keyed.iter().enumerate() {
        check_unique(items, &run_name(&runs[r]))?;
    }
    let mut order: Vec<String> = Vec::new();
    let mut entries: HashMap<String, Vec<Variant>> = HashMap::new();
    for (r, items) in keyed.iter().enumerate() {
        let in_run: HashSet<&str> = items.iter().map(|k| k.key.as_str()).collect();
        let mut prev: Option<usize> = None;
        for k in items {
            let pos = match order.iter().position(|o| *o == k.key) {
                Some(p) => p,
                None => {
                    let mut p = prev.map_or(0, |p| p + 1);
                    while p < order.len() && !in_run.contains(order[p].as_str()) {
                        p += 1;
                    }
                    order.insert(p, k.key.clone());
                    p
                }
            };
            let variants = entries.entry(k.key.clone()).or_default();
            match variants.iter_mut().find(|v| v.tokens == k.tokens) {
                Some(v) => {
                    v.runs.insert(r);
                }
                None => variants.push(Variant {
                    item: k.item.clone(),
                    tokens: k.tokens.clone(),
                    runs: BTreeSet::from([r]),
                }),
            }
            prev = Some(pos);
        }
    }

    let mut stats = Stats::default();
    // (item, runs it exists in)
    let mut merged: Vec<(Item, BTreeSet<usize>)> = Vec::new();
    for key in &order {
        for v in entries.remove(key).unwrap_or_default() {
            let pred = cfg_for(&runs, &v.runs);
            if pred.is_none() {
                stats.common += 1;
            } else {
                stats.gated += 1;
            }
            merged.push((gate(v.item, pred.as_deref())?, v.runs));
        }
    }

    let mut items = Vec::new();
    for ty in LIBC_TYPES {
        // Re-exported wherever a Unix run's item names it (Windows defines its own iovec).
        let set: BTreeSet<usize> = merged
            .iter()
            .filter(|(i, _)| mentions(i, ty))
            .flat_map(|(_, s)| s.iter().copied())
            .filter(|&r| !runs[r].class.windows)
            .collect();
        if set.is_empty() {
            continue;
        }
        let ident = syn::Ident::new(ty, proc_macro2::Span::call_site());
        let u: Item = syn::parse_quote!(pub use libc::#ident;);
        let pred = cfg_for(&runs, &set);
        items.push(gate(u, pred.as_deref())?);
    }
    stats.total = merged.len();
    items.extend(coalesce_extern_blocks(merged.into_iter().map(|(i, _)| i)));
    Ok((
        {
            // Start from an empty parse: syn::File's field set differs between syn majors.
            let mut f = syn::parse_file("").map_err(|e| e.to_string())?;
            f.items = items;
            f
        },
        stats,
    ))
}

fn run_name(run: &Run) -> String {
    format!("{} draft={}", run.class.clang_target, run.draft)
}

/// Joins runs of adjacent `extern "C"` blocks with identical attributes (i.e. the same cfg)
/// back into one block: the per-function split above is only needed to gate functions.
fn coalesce_extern_blocks(items: impl Iterator<Item = Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for item in items {
        if let (Some(Item::ForeignMod(prev)), Item::ForeignMod(cur)) = (out.last_mut(), &item) {
            let same = |fm: &ItemForeignMod| {
                let attrs: Vec<String> = fm
                    .attrs
                    .iter()
                    .map(|a| a.to_token_stream().to_string())
                    .collect();
                (
                    attrs,
                    fm.abi.to_token_stream().to_string(),
                    fm.unsafety.is_some(),
                )
            };
            if same(prev) == same(cur) {
                prev.items.extend(cur.items.iter().cloned());
                continue;
            }
        }
        out.push(item);
    }
    out
}

fn check_unique(items: &[Keyed], run: &str) -> Result<(), String> {
    let mut seen = HashSet::new();
    for k in items {
        if !seen.insert(k.key.as_str()) {
            return Err(format!("duplicate item key in {run} run: {}", k.key));
        }
    }
    Ok(())
}

fn mentions(item: &Item, name: &str) -> bool {
    fn walk(ts: TokenStream, name: &str) -> bool {
        ts.into_iter().any(|tt| match tt {
            TokenTree::Ident(i) => i == name,
            TokenTree::Group(g) => walk(g.stream(), name),
            _ => false,
        })
    }
    walk(item.to_token_stream(), name)
}

/// The libzmq version as seen by bindgen (ZMQ_VERSION_MAJOR/MINOR/PATCH).
fn zmq_version(file: &syn::File) -> Result<String, String> {
    let get = |name: &str| {
        file.items
            .iter()
            .find_map(|i| match i {
                Item::Const(c) if c.ident == name => Some(c.expr.to_token_stream().to_string()),
                _ => None,
            })
            .ok_or_else(|| format!("{name} missing from bindings"))
    };
    Ok(format!(
        "{}.{}.{}",
        get("ZMQ_VERSION_MAJOR")?,
        get("ZMQ_VERSION_MINOR")?,
        get("ZMQ_VERSION_PATCH")?
    ))
}

fn file_header(file: &syn::File) -> Result<String, String> {
    Ok(format!(
        "\
// @generated by ci/gen-bindings (bindgen {bindgen}) -- DO NOT EDIT.
// Regenerate with `ci/bindings.sh`; `ci/bindings.sh --check` verifies this file is current.
// Source: {HEADER} (libzmq {zmq}), parsed for the clang targets
// {targets}
// (one per target class), each with and without -DZMQ_BUILD_DRAFT_API; an item that differs
// between runs carries the #[cfg] of the runs it comes from. Macro constants are i32.
",
        bindgen = bindgen_version(),
        zmq = zmq_version(file)?,
        targets = CLASSES
            .iter()
            .map(|c| c.clang_target)
            .collect::<Vec<_>>()
            .join(", "),
    ))
}
