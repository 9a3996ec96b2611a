//! rust-zmq port of libzmq's perf/remote_thr.cpp.
use zmq4_bench_rust_zmq::{args, fail, number, send_messages};

const USAGE: &str =
    "usage: remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]";
const SERVER_PUBKEY: &str = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
const CLIENT_PUBKEY: &str = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
const CLIENT_PRVKEY: &str = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

fn main() {
    let a = args(USAGE, &[3, 4]);
    let size: usize = number(USAGE, &a[1]);
    let count: u32 = number(USAGE, &a[2]);
    let curve = a.len() == 4 && number::<i32>(USAGE, &a[3]) != 0;

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::PUSH)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    if curve {
        s.set_curve_secretkey(CLIENT_PRVKEY.as_bytes())
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
        s.set_curve_publickey(CLIENT_PUBKEY.as_bytes())
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
        s.set_curve_serverkey(SERVER_PUBKEY.as_bytes())
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    }
    s.connect(&a[0]).unwrap_or_else(|e| fail("zmq_connect", e));
    send_messages(&s, size, count);
}
