//! The value kinds of the option tables, one row each.
//!
//! A row of an option table names its kind (`Linger = ZMQ_LINGER: Int, …`); the row of that
//! kind here says everything the generator ([`option_table!`](super::table)) needs of it:
//!
//! ```text
//! Kind => [read as] [set from] [name] "docs" ([setter parameter] [conversion])?
//! ```
//!
//! - *read as*: the type `get` and the getter return (`ReadableOption::Value`);
//! - *set from*: the type the generic `set` takes (`WritableOption::Input<'a>`; `$l` is its
//!   lifetime); empty for kinds that are only ever read;
//! - *name*: the kind in [`OptionInfo::value_type`](super::OptionInfo::value_type) and the
//!   porting tables;
//! - *docs*: how a value of the kind reads and writes, in the docs of every option of it;
//! - optionally, a setter method parameter wider than *set from*, and the conversion from it
//!   (a CURVE key setter takes anything `IntoCurveKey`).
//!
//! Adding a kind is a row here plus its conversions: `SocketGet`/`SocketSet` (or
//! `ContextGet`/`ContextSet`) impls in `value.rs` for the two types.
//!
//! Read a facet with `kind!(get K)`, `kind!(set K 'a)`, `kind!(param K)`,
//! `kind!(conv K value)`, `kind!(name K)`, `kind!(doc K)`.

/// The value kinds (see the module docs); `kind!(facet Kind extra…)` picks a facet.
#[rustfmt::skip]
macro_rules! kind {
    // ---- The facets of a row ------------------------------------------------------------
    (@get ($($x:tt)*) [$($g:tt)*] [$($s:tt)*] [$($n:tt)*] $d:literal $($wide:tt)*) => { $($g)* };
    (@set ($($x:tt)*) [$($g:tt)*] [$($s:tt)*] [$($n:tt)*] $d:literal $($wide:tt)*) => { $($s)* };
    (@name ($($x:tt)*) [$($g:tt)*] [$($s:tt)*] [$($n:tt)*] $d:literal $($wide:tt)*) => { $($n)* };
    (@doc ($($x:tt)*) [$($g:tt)*] [$($s:tt)*] [$($n:tt)*] $d:literal $($wide:tt)*) => { $d };
    (@param ($($x:tt)*) [$($g:tt)*] [$($s:tt)*] [$($n:tt)*] $d:literal) => { $($s)* };
    (@param ($($x:tt)*) [$($g:tt)*] [$($s:tt)*] [$($n:tt)*] $d:literal [$($p:tt)*] [$($c:tt)*]) => { $($p)* };
    (@conv ($v:ident) [$($g:tt)*] [$($s:tt)*] [$($n:tt)*] $d:literal) => { $v };
    (@conv ($v:ident) [$($g:tt)*] [$($s:tt)*] [$($n:tt)*] $d:literal [$($p:tt)*] [$($c:tt)*]) => { $($c)*($v)? };

    // ---- The rows -----------------------------------------------------------------------
    ($f:ident Int $($l:tt)*) => { kind!(@$f ($($l)*) [i32] [i32] ["i32"]
        "`i32` (C `int`)") };
    ($f:ident Int64 $($l:tt)*) => { kind!(@$f ($($l)*) [i64] [i64] ["i64"]
        "`i64` (C `int64_t`)") };
    ($f:ident Uint64 $($l:tt)*) => { kind!(@$f ($($l)*) [u64] [u64] ["u64"]
        "`u64` (C `uint64_t`)") };
    ($f:ident Bool $($l:tt)*) => { kind!(@$f ($($l)*) [bool] [bool] ["bool"]
        "`bool` (C `int`, 0 or 1)") };
    ($f:ident Bytes $($l:tt)*) => { kind!(@$f ($($l)*) [Vec<u8>] [&$($l)* [u8]] ["bytes"]
        "bytes: set from `&[u8]`, read as `Vec<u8>`") };
    ($f:ident Str $($l:tt)*) => { kind!(@$f ($($l)*) [String] [&$($l)* str] ["string"]
        "string: set from `&str` (no NUL inside), read as `String`") };
    ($f:ident Key $($l:tt)*) => { kind!(@$f ($($l)*) [crate::security::CurveKey] [crate::security::CurveKey] ["CurveKey"]
        "CURVE key: set from a [`CurveKey`](crate::security::CurveKey) or anything [`IntoCurveKey`](crate::security::IntoCurveKey) (32 bytes or 40 Z85 characters), read as a `CurveKey`"
        [impl crate::security::IntoCurveKey] [crate::security::IntoCurveKey::into_curve_key]) };
    ($f:ident Mech $($l:tt)*) => { kind!(@$f ($($l)*) [crate::options::value::Mechanism] [] ["Mechanism"]
        "[`Mechanism`](crate::options::Mechanism) (C `int`)") };
    ($f:ident SockType $($l:tt)*) => { kind!(@$f ($($l)*) [crate::socket::SocketType] [] ["SocketType"]
        "[`SocketType`](crate::SocketType) (C `int`)") };
    ($f:ident Events $($l:tt)*) => { kind!(@$f ($($l)*) [crate::poll::PollEvents] [] ["PollEvents"]
        "[`PollEvents`](crate::PollEvents) (C `int`)") };
    ($f:ident Fd $($l:tt)*) => { kind!(@$f ($($l)*) [crate::RawDescriptor] [crate::RawDescriptor] [fd_name!()]
        "[`RawDescriptor`](crate::RawDescriptor) (`RawFd`, C `int`, on Unix; `RawSocket`, C `SOCKET`, on Windows)") };
    ($f:ident UseFd $($l:tt)*) => { kind!(@$f ($($l)*) [crate::RawDescriptor] [Option<crate::options::OwnedListener>] ["OwnedListener"]
        "set from an `Option<`[`OwnedListener`](crate::options::OwnedListener)`>` (an `OwnedFd` on Unix, an `OwnedSocket` on Windows, taken over), read as the [`RawDescriptor`](crate::RawDescriptor) libzmq holds (-1: none)") };
    ($f:ident Notify $($l:tt)*) => { kind!(@$f ($($l)*) [crate::options::value::RouterNotify] [crate::options::value::RouterNotify] ["RouterNotify"]
        "`RouterNotify` flags (C `int`)") };
    ($f:ident ReconnStop $($l:tt)*) => { kind!(@$f ($($l)*) [crate::options::value::ReconnectStop] [crate::options::value::ReconnectStop] ["ReconnectStop"]
        "`ReconnectStop` flags (C `int`)") };
}

/// The descriptor kind's name in [`OptionInfo::value_type`](super::OptionInfo::value_type).
#[cfg(not(windows))]
macro_rules! fd_name {
    () => {
        "RawFd"
    };
}
/// The descriptor kind's name in [`OptionInfo::value_type`](super::OptionInfo::value_type).
#[cfg(windows)]
macro_rules! fd_name {
    () => {
        "RawSocket"
    };
}
