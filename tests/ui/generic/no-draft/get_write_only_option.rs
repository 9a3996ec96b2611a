// A write-only option cannot be passed to the generic `get`.
use zmq4::{ctxopt, opt, Context, SocketType};

fn main() {
    let ctx = Context::new();
    let sock = ctx.socket(SocketType::Sub).unwrap();
    let _ = sock.get(opt::Subscribe);
    let _ = sock.get(opt::RouterMandatory);
    let _ = ctx.get(ctxopt::ThreadPriority);
}
