// A read-only option cannot be passed to the generic `set`.
use zmq4::{ctxopt, opt, Context, SocketType};

fn main() {
    let ctx = Context::new();
    let sock = ctx.socket(SocketType::Pair).unwrap();
    sock.set(opt::LastEndpoint, "tcp://127.0.0.1:5555").unwrap();
    sock.set(opt::Rcvmore, true).unwrap();
    ctx.set(ctxopt::SocketLimit, 10).unwrap();
}
