//! The one generator of option tables: from a family header (whose options: the C calls, the
//! owner type, the traits) and one row per option it generates the marker types and their
//! trait impls, the getter/setter methods on the owner (and, for sockets, on `AsyncSocket`),
//! and the table as data with its porting table in the docs. [`opt`](super::opt) and
//! [`ctxopt`](super::ctxopt) are its two invocations.
//!
//! A row: `/// docs` `[cfg?] Marker = ZMQ_NAME: Kind, access(names);` with access
//! `rw(getter, setter)`, `r(getter)` or `w(setter)`, and a kind of [`kind!`](super::kinds).

/// Generates an option family (see the module docs).
///
/// The header, in this order: `owner` (the type the methods document, `Socket` or
/// `Context`), `methods` (the `impl` head they go in, with its docs), `delegates` (empty, or
/// a second `impl` head whose methods call the owner's through `with_socket`), `option`,
/// `readable`, `writable` (the marker traits), `get`, `set` (the conversion traits in
/// `value.rs`), `module` (the markers' module), `c_get`, `c_set` (the C functions), `man`
/// (links to their man pages), `table` (the table constant, with its docs).
macro_rules! option_table {
    (
        owner: $Owner:ident,
        methods: [$($methods_head:tt)*],
        delegates: [$($delegates_head:tt)*],
        option: $Opt:ident, readable: $R:ident, writable: $W:ident,
        get: $Get:ident, set: $Set:ident,
        module: $module:literal, c_get: $cget:literal, c_set: $cset:literal,
        man: $man:literal,
        table: $(#[doc = $tdoc:literal])* $TABLE:ident;
        $(
            $(#[doc = $doc:literal])+
            [$($cfg:meta)?] $M:ident = $c:ident : $k:ident, $acc:ident($($names:ident),+);
        )*
    ) => {
        $(
            $(#[doc = $doc])+
            #[doc = ""]
            #[doc = concat!(
                "C: `", stringify!($c), "` · value: ", kind!(doc $k), " · ", access_doc!($acc),
                ".", draft_doc!($($cfg)?)
            )]
            #[doc = ""]
            #[doc = concat!(
                "Methods: ", methods_doc!($Owner $acc($($names),+)), ". See `", stringify!($c),
                "` in ", $man, "."
            )]
            $(#[cfg($cfg)])?
            #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
            pub struct $M;

            $(#[cfg($cfg)])?
            impl crate::options::sealed::Sealed for $M {}

            $(#[cfg($cfg)])?
            impl crate::options::$Opt for $M {
                const RAW: i32 = crate::sys::$c;
                const NAME: &'static str = stringify!($c);
                const ACCESS: crate::options::Access = access!($acc);
            }

            $(#[cfg($cfg)])?
            option_access_impls!($R, $W, $M, $k, $acc);
        )*

        $($methods_head)* {
            $(
                $(#[cfg($cfg)])?
                option_methods!(
                    ($module $cget $cset $Get $Set) [$($doc)+] $M $c $k $acc($($names),+)
                );
            )*
        }

        option_delegates!(
            [$($delegates_head)*] $({ [$($cfg)?] $c $k $acc($($names),+) })*
        );

        $(#[doc = $tdoc])*
        #[doc = ""]
        #[doc = concat!(
            "| C option | getter | setter | value | access |\n",
            "|---|---|---|---|---|\n",
            $(
                "| `", stringify!($c), "` | ", methods_cells!($acc($($names),+)), " | ",
                kind!(name $k), " | ", access_doc!($acc), draft_cell!($($cfg)?), " |\n",
            )*
        )]
        pub const $TABLE: &[crate::options::OptionInfo] = &[
            $(
                $(#[cfg($cfg)])?
                crate::options::OptionInfo {
                    c_name: stringify!($c),
                    raw: crate::sys::$c,
                    marker: stringify!($M),
                    getter: getter_name!($acc($($names),+)),
                    setter: setter_name!($acc($($names),+)),
                    value_type: kind!(name $k),
                    access: access!($acc),
                    draft: is_draft!($($cfg)?),
                },
            )*
        ];
    };
}

/// The `delegates` impl block of a family, if it has one.
macro_rules! option_delegates {
    ([] $($rows:tt)*) => {};
    (
        [$($head:tt)+]
        $({ [$($cfg:meta)?] $c:ident $k:ident $acc:ident($($names:ident),+) })*
    ) => {
        $($head)+ {
            $(
                $(#[cfg($cfg)])?
                option_methods!(delegate $c $k $acc($($names),+));
            )*
        }
    };
}

/// The getter and setter methods of a row: on the owner, through the family's conversion
/// traits; or (`delegate`) on `AsyncSocket`, calling the `Socket` method of the same name.
macro_rules! option_methods {
    ($fam:tt [$($doc:literal)+] $M:ident $c:ident $k:ident rw($g:ident, $s:ident)) => {
        option_methods!($fam [$($doc)+] $M $c $k r($g));
        option_methods!($fam [$($doc)+] $M $c $k w($s));
    };
    (($module:literal $cget:literal $cset:literal $Get:ident $Set:ident)
     [$($doc:literal)+] $M:ident $c:ident $k:ident r($g:ident)) => {
        #[doc = concat!("Reads `", stringify!($c), "` (`", $cget, "`): ")]
        $(#[doc = $doc])+
        #[doc = ""]
        #[doc = concat!(
            "Value: ", kind!(doc $k), ". Generic form: `get(", $module, "::", stringify!($M),
            ")` ([`", $module, "::", stringify!($M), "`](crate::options::", $module, "::",
            stringify!($M), "))."
        )]
        pub fn $g(&self) -> crate::error::Result<kind!(get $k)> {
            crate::options::value::$Get::get_from(self, crate::sys::$c)
        }
    };
    (($module:literal $cget:literal $cset:literal $Get:ident $Set:ident)
     [$($doc:literal)+] $M:ident $c:ident $k:ident w($s:ident)) => {
        #[doc = concat!("Sets `", stringify!($c), "` (`", $cset, "`): ")]
        $(#[doc = $doc])+
        #[doc = ""]
        #[doc = concat!(
            "Value: ", kind!(doc $k), ". Generic form: `set(", $module, "::", stringify!($M),
            ", value)` ([`", $module, "::", stringify!($M), "`](crate::options::", $module,
            "::", stringify!($M), "))."
        )]
        pub fn $s(&self, value: kind!(param $k)) -> crate::error::Result<()> {
            crate::options::value::$Set::set_on(kind!(conv $k value), self, crate::sys::$c)
        }
    };
    (delegate $c:ident $k:ident rw($g:ident, $s:ident)) => {
        option_methods!(delegate $c $k r($g));
        option_methods!(delegate $c $k w($s));
    };
    (delegate $c:ident $k:ident r($g:ident)) => {
        #[doc = concat!(
            "Reads `", stringify!($c), "`: [`Socket::", stringify!($g), "`](crate::Socket::",
            stringify!($g), ") under the socket's lock."
        )]
        pub fn $g(&self) -> crate::error::Result<kind!(get $k)> {
            self.with_socket(|s| s.$g())
        }
    };
    (delegate $c:ident $k:ident w($s:ident)) => {
        #[doc = concat!(
            "Sets `", stringify!($c), "`: [`Socket::", stringify!($s), "`](crate::Socket::",
            stringify!($s), ") under the socket's lock."
        )]
        pub fn $s(&self, value: kind!(param $k)) -> crate::error::Result<()> {
            self.with_socket(|s| s.$s(value))
        }
    };
}

/// The `Readable*` / `Writable*` impls of a marker, by access.
macro_rules! option_access_impls {
    ($R:ident, $W:ident, $M:ident, $k:ident, rw) => {
        option_access_impls!($R, $W, $M, $k, r);
        option_access_impls!($R, $W, $M, $k, w);
    };
    ($R:ident, $W:ident, $M:ident, $k:ident, r) => {
        impl crate::options::$R for $M {
            type Value = kind!(get $k);
        }
    };
    ($R:ident, $W:ident, $M:ident, $k:ident, w) => {
        impl crate::options::$W for $M {
            type Input<'a> = kind!(set $k 'a);
        }
    };
}

/// The [`Access`](super::Access) of an access token of the tables.
#[rustfmt::skip]
macro_rules! access {
    (rw) => { crate::options::Access::ReadWrite };
    (r) => { crate::options::Access::Read };
    (w) => { crate::options::Access::Write };
}

/// The access of an access token, in words.
#[rustfmt::skip]
macro_rules! access_doc {
    (rw) => { "read-write" };
    (r) => { "read-only" };
    (w) => { "write-only" };
}

/// The getter name of a row, if any.
#[rustfmt::skip]
macro_rules! getter_name {
    (rw($g:ident, $s:ident)) => { Some(stringify!($g)) };
    (r($g:ident)) => { Some(stringify!($g)) };
    (w($s:ident)) => { None };
}

/// The setter name of a row, if any.
#[rustfmt::skip]
macro_rules! setter_name {
    (rw($g:ident, $s:ident)) => { Some(stringify!($s)) };
    (r($g:ident)) => { None };
    (w($s:ident)) => { Some(stringify!($s)) };
}

/// Whether a row's cfg makes it a draft row.
#[rustfmt::skip]
macro_rules! is_draft {
    () => { false };
    ($m:meta) => { true };
}

/// The draft note of a row's docs.
#[rustfmt::skip]
macro_rules! draft_doc {
    () => { "" };
    ($m:meta) => { " DRAFT API: needs the `draft` feature." };
}

/// The draft mark in the porting table.
#[rustfmt::skip]
macro_rules! draft_cell {
    () => { "" };
    ($m:meta) => { ", draft" };
}

/// Links to the methods of a row, for docs (`$ty` is `Socket` or `Context`).
#[rustfmt::skip]
macro_rules! methods_doc {
    ($ty:ident rw($g:ident, $s:ident)) => {
        concat!(methods_doc!(@link $ty $g), " / ", methods_doc!(@link $ty $s))
    };
    ($ty:ident r($g:ident)) => { concat!(methods_doc!(@link $ty $g), " (read-only)") };
    ($ty:ident w($s:ident)) => { concat!(methods_doc!(@link $ty $s), " (write-only)") };
    (@link $ty:ident $m:ident) => {
        concat!("[`", stringify!($m), "`](crate::", stringify!($ty), "::", stringify!($m), ")")
    };
}

/// A row's getter and setter as cells of the porting table.
#[rustfmt::skip]
macro_rules! methods_cells {
    (rw($g:ident, $s:ident)) => { concat!("`", stringify!($g), "()` | `", stringify!($s), "()`") };
    (r($g:ident)) => { concat!("`", stringify!($g), "()` | —") };
    (w($s:ident)) => { concat!("— | `", stringify!($s), "()`") };
}
