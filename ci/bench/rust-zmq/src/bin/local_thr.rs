//! rust-zmq port of libzmq's perf/local_thr.cpp.
use zmq4_bench_rust_zmq::{args, fail, number, receive_messages};

const USAGE: &str = "usage: local_thr <bind-to> <message-size> <message-count> [<enable_curve>]";
const SERVER_PRVKEY: &str = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";

fn main() {
    let a = args(USAGE, &[3, 4]);
    let size: usize = number(USAGE, &a[1]);
    let count: u32 = number(USAGE, &a[2]);
    let curve = a.len() == 4 && number::<i32>(USAGE, &a[3]) != 0;

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    if curve {
        s.set_curve_secretkey(SERVER_PRVKEY.as_bytes())
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
        s.set_curve_server(true)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    }
    s.bind(&a[0]).unwrap_or_else(|e| fail("zmq_bind", e));

    let elapsed = receive_messages(&s, size, count);

    let throughput = count as f64 / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {size} [B]");
    println!("message count: {count}");
    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
