//! rust-zmq port of libzmq's perf/inproc_lat.cpp.
use zmq4_bench_rust_zmq::{args, echo, fail, number, time_round_trips};

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
        echo(&s, count, None);
    });

    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    let latency = time_round_trips(&s, size, count);
    worker.join().unwrap_or_else(|_| std::process::exit(255));
    println!("average latency: {latency:.3} [us]");
}
