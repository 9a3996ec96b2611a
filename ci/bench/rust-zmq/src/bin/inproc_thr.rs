//! rust-zmq port of libzmq's perf/inproc_thr.cpp.
use std::time::Instant;
use zmq4_bench_rust_zmq::{args, check_size, fail, micros, number};

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
        for _ in 0..count {
            #[allow(deprecated)]
            // SAFETY: the uninitialised bytes are never read; libzmq passes them on.
            let msg = unsafe { zmq::Message::with_capacity_unallocated(size) };
            s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        }
    });

    let mut msg = zmq::Message::new();
    println!("message size: {size} [B]");
    println!("message count: {count}");
    s.recv(&mut msg, 0)
        .unwrap_or_else(|e| fail("zmq_recvmsg", e));
    check_size(msg.len(), size);
    let watch = Instant::now();
    for _ in 1..count {
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        check_size(msg.len(), size);
    }
    let elapsed = micros(watch).max(1);
    drop(msg);
    worker.join().unwrap_or_else(|_| std::process::exit(255));

    let throughput = (count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits = (throughput * size as u64 * 8) as f64 / 1_000_000.0;
    println!("mean throughput: {throughput} [msg/s]");
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
