//! rust-zmq port of libzmq's perf/local_lat.cpp.
use std::time::Duration;
use zmq4_bench_rust_zmq::{args, echo, fail, number};

const USAGE: &str = "usage: local_lat <bind-to> <message-size> <roundtrip-count>";

fn main() {
    let a = args(USAGE, &[3]);
    let size: usize = number(USAGE, &a[1]);
    let count: u32 = number(USAGE, &a[2]);

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::REP)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind(&a[0]).unwrap_or_else(|e| fail("zmq_bind", e));
    echo(&s, count, Some(size));
    std::thread::sleep(Duration::from_secs(1));
}
