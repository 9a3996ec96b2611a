//! Safe bindings to a vendored libzmq 4.3.5, DRAFT API and CURVE included.

pub mod sys;

// libzmq.a calls into libsodium: make sure the crate that builds it is linked.
#[cfg(feature = "curve")]
extern crate libsodium_sys as _;
