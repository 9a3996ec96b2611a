//! rust-zmq port of libzmq's perf/local_lat.cpp.
use std::time::Duration;
use zmq4_bench_rust_zmq::{args, check_size, fail, number};

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
    for _ in 0..count {
        // rust-zmq's send takes the message by value, so each round trip needs a fresh one.
        let mut msg = zmq::Message::new();
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        check_size(msg.len(), size);
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
    std::thread::sleep(Duration::from_secs(1));
}
