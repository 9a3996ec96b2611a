//! `zmq` (rust-zmq 0.10, patched onto the zmq-sys stand-in) and `zmq4` in one program: checks
//! that they use one libzmq, not two, and that sockets and CURVE interoperate across them.
//! Every wait is bounded by `TIMEOUT_MS`; any failed check panics (non-zero exit).

use std::os::raw::c_void;
use zmq4::security::CurveKeyPair;
use zmq4::{Context, RecvFlags, SendFlags, SocketType};

/// Upper bound of every receive.
const TIMEOUT_MS: i32 = 5000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Both report the same library, with what zmq4-sys builds.
    let v = zmq::version();
    println!(
        "zmq::version() = {v:?}, zmq4::version() = {:?}",
        zmq4::version()
    );
    assert_eq!(v, zmq4::version());
    assert_eq!(v, (4, 3, 5));
    let curve = zmq::has("curve");
    let draft = zmq::has("draft");
    println!("zmq::has(\"curve\") = {curve:?}, zmq::has(\"draft\") = {draft:?}");
    assert_eq!(curve, Some(true));
    assert_eq!(draft, Some(true));

    // 2. zmq-sys declares zmq_msg_init itself; zmq4-sys declares it too: one symbol.
    let a = zmq_sys::zmq_msg_init as *const c_void;
    let b = zmq4::sys::zmq_msg_init as *const c_void;
    println!("zmq_msg_init: zmq-sys {a:p}, zmq4-sys {b:p}");
    assert_eq!(a, b);

    // 3. A socket of a zmq4 context, driven by rust-zmq: inproc endpoints exist only inside
    //    one context of one libzmq, so the round trip proves the sharing.
    let ctx = Context::new();
    let server = ctx.socket(SocketType::Pair)?;
    server.set_rcvtimeo(TIMEOUT_MS)?;
    server.bind("inproc://zmq-share")?;
    let raw_ctx = ctx.as_raw().expect("live context");
    // SAFETY: raw_ctx is the live context of `ctx`, which outlives the socket (dropped below
    // before `ctx`); the socket pointer is checked for null before use.
    let raw = unsafe { zmq4::sys::zmq_socket(raw_ctx, zmq4::sys::ZMQ_PAIR) };
    assert!(!raw.is_null(), "zmq_socket failed");
    // SAFETY: `raw` is a socket nobody else owns; zmq::Socket closes it once, when dropped.
    let client = unsafe { zmq::Socket::from_raw(raw) };
    client.set_rcvtimeo(TIMEOUT_MS)?;
    client.connect("inproc://zmq-share")?;
    client.send("ping from zmq", 0)?;
    let got = server.recv_bytes(RecvFlags::empty())?;
    assert_eq!(got, b"ping from zmq");
    server.send("pong from zmq4", SendFlags::empty())?;
    let got = client.recv_bytes(0)?;
    assert_eq!(got, b"pong from zmq4");
    println!("inproc PAIR: zmq socket in a zmq4 context: ping/pong ok");
    drop(client);

    // 4. CURVE across the two: a zmq4 server, a rust-zmq client over tcp.
    let keys = CurveKeyPair::generate()?;
    let rep = ctx.socket(SocketType::Rep)?;
    rep.set_linger(0)?;
    rep.set_rcvtimeo(TIMEOUT_MS)?;
    rep.set_curve_server(true)?;
    rep.set_curve_secretkey(keys.secret)?;
    rep.bind("tcp://127.0.0.1:*")?;
    let endpoint = rep.last_endpoint()?;

    let zctx = zmq::Context::new();
    let req = zctx.socket(zmq::REQ)?;
    req.set_linger(0)?;
    req.set_rcvtimeo(TIMEOUT_MS)?;
    let mine = zmq::CurveKeyPair::new()?;
    req.set_curve_serverkey(&zmq::z85_decode(&keys.public.to_z85())?)?;
    req.set_curve_publickey(&mine.public_key)?;
    req.set_curve_secretkey(&mine.secret_key)?;
    req.connect(&endpoint)?;
    req.send("hello over CURVE", 0)?;
    let msg = rep.recv(RecvFlags::empty())?;
    assert_eq!(&msg[..], b"hello over CURVE");
    rep.send("welcome", SendFlags::empty())?;
    assert_eq!(req.recv_bytes(0)?, b"welcome");
    assert!(matches!(req.get_mechanism()?, zmq::Mechanism::ZMQ_CURVE));
    println!("CURVE REQ (zmq) -> REP (zmq4, curve server) on {endpoint}: ok");
    Ok(())
}
