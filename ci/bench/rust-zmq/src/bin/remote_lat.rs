//! rust-zmq port of libzmq's perf/remote_lat.cpp.
use zmq4_bench_rust_zmq::{args, fail, number, time_round_trips};

const USAGE: &str = "usage: remote_lat <connect-to> <message-size> <roundtrip-count>";

fn main() {
    let a = args(USAGE, &[3]);
    let size: usize = number(USAGE, &a[1]);
    let count: u32 = number(USAGE, &a[2]);

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::REQ)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.connect(&a[0]).unwrap_or_else(|e| fail("zmq_connect", e));
    let latency = time_round_trips(&s, size, count);
    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    println!("average latency: {latency:.3} [us]");
}
