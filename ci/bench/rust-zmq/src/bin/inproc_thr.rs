//! rust-zmq port of libzmq's perf/inproc_thr.cpp.
use zmq4_bench_rust_zmq::{args, fail, number, receive_messages, send_messages};

const USAGE: &str = "usage: inproc_thr <message-size> <message-count>";

fn main() {
    let a = args(USAGE, &[2]);
    let size: usize = number(USAGE, &a[0]);
    let count: u32 = number(USAGE, &a[1]);

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind("inproc://thr_test")
        .unwrap_or_else(|e| fail("zmq_bind", e));
    let worker_ctx = ctx.clone();
    let worker = std::thread::spawn(move || {
        let s = worker_ctx
            .socket(zmq::PUSH)
            .unwrap_or_else(|e| fail("zmq_socket", e));
        s.connect("inproc://thr_test")
            .unwrap_or_else(|e| fail("zmq_connect", e));
        send_messages(&s, size, count);
    });

    println!("message size: {size} [B]");
    println!("message count: {count}");
    let elapsed = receive_messages(&s, size, count);
    worker.join().unwrap_or_else(|_| std::process::exit(255));

    let throughput = (count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits = (throughput * size as u64 * 8) as f64 / 1_000_000.0;
    println!("mean throughput: {throughput} [msg/s]");
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
