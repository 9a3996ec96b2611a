//! Generates `zmq4-sys/src/bindings.rs` from `zmq4-sys/vendor/libzmq/include/zmq.h`.
//!
//! Usage (normally through `ci/bindings.sh`, which also provides libclang):
//!
//! ```text
//! zmq4-gen-bindings --root <repo root> --out <file> [-- <extra clang args>]
//! ```
//!
//! zmq.h is parsed twice, with and without `-DZMQ_BUILD_DRAFT_API`. Both outputs are parsed
//! with syn and merged item by item: items only in the draft run get
//! `#[cfg(feature = "draft")]`, so one committed file serves both feature sets. The result is
//! printed with prettyplease (not rustfmt) so the bytes depend only on the pinned crates.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;

use bindgen::{Formatter, MacroTypeVariation, RustEdition, RustTarget};
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, ForeignItem, Item, ItemForeignMod};

/// Header path relative to the repository root; also what the output header names.
const HEADER: &str = "zmq4-sys/vendor/libzmq/include/zmq.h";

/// Pinned so the output does not depend on the generating host (the committed file is only
/// valid for LP64 Unix anyway: zmq_fd_t is SOCKET on Windows).
const CLANG_TARGET: &str = "x86_64-unknown-linux-gnu";

/// Oldest Rust the generated code must compile with (the crate's rust-version).
const RUST_TARGET: (u64, u64) = (80, 0);

/// Platform types zmq.h takes from system headers: blocked in bindgen and re-exported from
/// libc instead, so callers can pass the same `libc` values they use elsewhere.
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

    let draft = generate(&header, &args.clang_args, true)?;
    let stable = generate(&header, &args.clang_args, false)?;
    let (file, stats) = merge(draft, stable)?;

    let text = format!("{}{}", file_header(&file)?, prettyplease::unparse(&file));
    // Parse what we print: catches a printer bug before it reaches the committed file.
    syn::parse_file(&text).map_err(|e| format!("printed output does not parse: {e}"))?;
    std::fs::write(&args.out, text).map_err(|e| format!("{}: {e}", args.out.display()))?;
    eprintln!(
        "gen-bindings: {} items ({} common, {} draft-only, {} stable-only, {} differing) -> {}",
        stats.total,
        stats.common,
        stats.draft_only,
        stats.stable_only,
        stats.differing,
        args.out.display()
    );
    Ok(())
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

fn generate(header: &std::path::Path, extra: &[String], draft: bool) -> Result<syn::File, String> {
    let (minor, patch) = RUST_TARGET;
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
        .blocklist_type("sigset_t|__sigset_t|iovec")
        .layout_tests(true)
        .rust_target(RustTarget::stable(minor, patch).map_err(|e| e.to_string())?)
        .rust_edition(RustEdition::Edition2021)
        .use_core()
        .ctypes_prefix("::core::ffi")
        // We print with prettyplease ourselves; rustfmt's output varies with its version.
        .formatter(Formatter::None)
        .clang_arg(format!("--target={CLANG_TARGET}"))
        .clang_args(extra.iter().cloned());
    if draft {
        b = b.clang_arg("-DZMQ_BUILD_DRAFT_API");
    }
    let bindings = b
        .generate()
        .map_err(|e| format!("bindgen (draft={draft}): {e}"))?;
    syn::parse_file(&bindings.to_string())
        .map_err(|e| format!("bindgen output (draft={draft}) does not parse: {e}"))
}

#[derive(Default)]
struct Stats {
    total: usize,
    common: usize,
    draft_only: usize,
    stable_only: usize,
    differing: usize,
}

/// One top-level item with a key that identifies it across the two runs.
struct Keyed {
    key: String,
    tokens: String,
    item: Item,
}

/// Splits `extern` blocks into one block per foreign item (so functions can be gated one by
/// one) and keys every item by kind and name. Unnamed items (`const _` layout assertions)
/// are keyed by their full text: identical text in both runs means "common".
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

fn gate(mut item: Item, draft: bool) -> Result<Item, String> {
    let attr: Attribute = if draft {
        syn::parse_quote!(#[cfg(feature = "draft")])
    } else {
        syn::parse_quote!(#[cfg(not(feature = "draft"))])
    };
    let text = item.to_token_stream().to_string();
    let attrs = attrs_mut(&mut item).ok_or_else(|| format!("cannot gate item {text}"))?;
    attrs.insert(0, attr);
    Ok(item)
}

/// Merges the draft and stable outputs in draft order. `(item, ungated)` pairs are kept so
/// the libc re-exports can be gated by whether any ungated item uses them.
fn merge(draft: syn::File, stable: syn::File) -> Result<(syn::File, Stats), String> {
    let draft = keyed_items(draft);
    let stable = keyed_items(stable);
    check_unique(&draft, "draft")?;
    check_unique(&stable, "stable")?;
    let stable_by_key: HashMap<&str, &Keyed> = stable.iter().map(|k| (k.key.as_str(), k)).collect();
    let draft_keys: HashSet<&str> = draft.iter().map(|k| k.key.as_str()).collect();

    let mut stats = Stats::default();
    // (item, is_ungated)
    let mut merged: Vec<(Item, bool)> = Vec::new();
    for d in &draft {
        match stable_by_key.get(d.key.as_str()) {
            Some(s) if s.tokens == d.tokens => {
                stats.common += 1;
                merged.push((d.item.clone(), true));
            }
            Some(s) => {
                // Same name, different definition: keep both, mutually exclusive.
                eprintln!("gen-bindings: note: {} differs between runs", d.key);
                stats.differing += 1;
                merged.push((gate(d.item.clone(), true)?, false));
                merged.push((gate(s.item.clone(), false)?, false));
            }
            None => {
                stats.draft_only += 1;
                merged.push((gate(d.item.clone(), true)?, false));
            }
        }
    }
    for s in stable
        .iter()
        .filter(|s| !draft_keys.contains(s.key.as_str()))
    {
        eprintln!("gen-bindings: note: {} exists only without draft", s.key);
        stats.stable_only += 1;
        merged.push((gate(s.item.clone(), false)?, false));
    }

    let mut items = Vec::new();
    for ty in LIBC_TYPES {
        let ungated = merged.iter().any(|(i, g)| *g && mentions(i, ty));
        let any = merged.iter().any(|(i, _)| mentions(i, ty));
        if !any {
            continue;
        }
        let ident = syn::Ident::new(ty, proc_macro2::Span::call_site());
        let u: Item = syn::parse_quote!(pub use libc::#ident;);
        items.push(if ungated { u } else { gate(u, true)? });
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
// Source: {HEADER} (libzmq {zmq}), clang target {CLANG_TARGET},
// parsed with and without -DZMQ_BUILD_DRAFT_API; items that exist only with it carry
// #[cfg(feature = \"draft\")]. Macro constants are i32 (the C API takes int).
",
        bindgen = bindgen_version(),
        zmq = zmq_version(file)?,
    ))
}
