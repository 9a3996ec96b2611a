//! rust-zmq port of libzmq's perf/remote_lat.cpp.
use std::time::Instant;
use zmq4_bench_rust_zmq::{args, check_size, fail, micros, number};

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
    let mut msg = zmq::Message::with_size(size);
    let watch = Instant::now();
    for _ in 0..count {
        // rust-zmq's send takes the message by value, so each round trip needs a fresh one.
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        msg = zmq::Message::new();
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        check_size(msg.len(), size);
    }
    let elapsed = micros(watch);
    drop(msg);
    let latency = elapsed as f64 / (f64::from(count) * 2.0);
    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    println!("average latency: {latency:.3} [us]");
}
