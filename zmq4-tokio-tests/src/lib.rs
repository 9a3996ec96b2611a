//! Nothing to use: this package holds zmq4's async (tokio) integration tests (`tests/`) and
//! its async example (`examples/async_pipeline.rs`), so that their dev-dependencies (tokio's
//! macros, futures-util) stay off the build of zmq4's other examples and tests.
//!
//! ```sh
//! cargo test -p zmq4-tokio-tests
//! cargo run -p zmq4-tokio-tests --example async_pipeline
//! ```
