//! rust-zmq port of libzmq's perf/inproc_lat.cpp.
use std::time::Instant;
use zmq4_bench_rust_zmq::{args, check_size, fail, micros, number};

const USAGE: &str = "usage: inproc_lat <message-size> <roundtrip-count>";

fn main() {
    let a = args(USAGE, &[2]);
    let size: usize = number(USAGE, &a[0]);
    let count: u32 = number(USAGE, &a[1]);

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::REQ)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind("inproc://lat_test")
        .unwrap_or_else(|e| fail("zmq_bind", e));
    let worker_ctx = ctx.clone();
    let worker = std::thread::spawn(move || {
        let s = worker_ctx
            .socket(zmq::REP)
            .unwrap_or_else(|e| fail("zmq_socket", e));
        s.connect("inproc://lat_test")
            .unwrap_or_else(|e| fail("zmq_connect", e));
        for _ in 0..count {
            let mut msg = zmq::Message::new();
            s.recv(&mut msg, 0)
                .unwrap_or_else(|e| fail("zmq_recvmsg", e));
            s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        }
    });

    let mut msg = zmq::Message::with_size(size);
    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    let watch = Instant::now();
    for _ in 0..count {
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        msg = zmq::Message::new();
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        check_size(msg.len(), size);
    }
    let elapsed = micros(watch);
    drop(msg);
    let latency = elapsed as f64 / (f64::from(count) * 2.0);
    worker.join().unwrap_or_else(|_| std::process::exit(255));
    println!("average latency: {latency:.3} [us]");
}
