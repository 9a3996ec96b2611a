//! Compile-time guarantees, checked with trybuild (`tests/ui/`):
//!
//! - a read-only option cannot be written, a write-only option cannot be read, neither
//!   through the methods nor through the generic `set`/`get`; a value of the wrong type is
//!   refused;
//! - a classic `Socket` is not `Sync`, a `SharedSocket` is;
//! - without the `draft` feature, the draft socket types do not exist.
//!
//! The expected compiler output is in `tests/ui/**/*.stderr`; after a deliberate change,
//! regenerate it with `TRYBUILD=overwrite cargo test --test compile_fail` (and the same with
//! `--no-default-features`), then review the diff. The generic-form cases exist once per
//! feature set (`tests/ui/generic/{draft,no-draft}/`, same source): rustc's error lists
//! some of the option types that do implement the trait, and which ones depends on whether
//! the draft options exist.
// trybuild runs cargo and compares rustc output for the host: the checks are
// target-independent and run natively (not under wine).
#![cfg(not(windows))]

#[test]
fn option_access_is_checked_at_compile_time() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/set_read_only_option.rs");
    t.compile_fail("tests/ui/get_write_only_option.rs");
    t.compile_fail("tests/ui/option_value_type.rs");
    if cfg!(feature = "draft") {
        t.compile_fail("tests/ui/generic/draft/*.rs");
    } else {
        t.compile_fail("tests/ui/generic/no-draft/*.rs");
    }
}

#[test]
fn thread_safety_is_in_the_types() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/socket_not_sync.rs");
    t.pass("tests/ui/shared_socket_sync.rs");
}

#[cfg(not(feature = "draft"))]
#[test]
fn draft_socket_types_need_the_draft_feature() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/no_draft_socket_types.rs");
}
