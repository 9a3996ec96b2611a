//! Socket options fed arbitrary bytes and values: a fresh socket of a type the input picks,
//! then a sequence of (option, value) operations through the untyped `setsockopt` /
//! `getsockopt` (every option of the table) and through typed setters and getters. Every
//! call returns a value or a typed error; none may panic, abort or touch memory it must not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zmq4::options::SOCKET_OPTIONS;
use zmq4::{Context, SocketType};

fn int(v: &[u8]) -> i32 {
    let mut b = [0u8; 4];
    let n = v.len().min(4);
    b[..n].copy_from_slice(&v[..n]);
    i32::from_le_bytes(b)
}

fn int64(v: &[u8]) -> i64 {
    let mut b = [0u8; 8];
    let n = v.len().min(8);
    b[..n].copy_from_slice(&v[..n]);
    i64::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    let Some((&ty, mut rest)) = data.split_first() else {
        return;
    };
    let ty = SocketType::ALL[ty as usize % SocketType::ALL.len()];
    // A context per input, terminated at the end: libzmq destroys a closed socket later, in
    // its reaper thread, and a leak check while that runs would see half-freed structures.
    let ctx = Context::new();
    let Ok(sock) = ctx.socket(ty) else { return };
    while rest.len() >= 2 {
        let (sel, len) = (rest[0], (rest[1] as usize).min(rest.len() - 2));
        let value = &rest[2..2 + len];
        rest = &rest[2 + len..];
        let opt = &SOCKET_OPTIONS[sel as usize % SOCKET_OPTIONS.len()];
        // ZMQ_USE_FD hands libzmq a descriptor to own and close: not one this process gives
        // away at random.
        if opt.raw != zmq4::sys::ZMQ_USE_FD && opt.access.writable() {
            let _ = sock.setsockopt(opt.raw, value);
        }
        if opt.access.readable() {
            let mut buf = vec![0u8; len];
            let _ = sock.getsockopt(opt.raw, &mut buf);
        }
        let text = String::from_utf8_lossy(value);
        let n = int(value);
        let _ = match sel % 24 {
            0 => sock.set_linger(n),
            1 => sock.set_routing_id(value),
            2 => sock.set_subscribe(value),
            3 => sock.set_unsubscribe(value),
            4 => sock.set_zap_domain(&text),
            5 => sock.set_plain_username(&text),
            6 => sock.set_plain_password(&text),
            7 => sock.set_curve_serverkey(value),
            8 => sock.set_curve_secretkey(&*text),
            9 => sock.set_socks_proxy(&text),
            10 => sock.set_connect_routing_id(value),
            11 => sock.set_xpub_welcome_msg(value),
            12 => sock.set_heartbeat_ttl(n),
            13 => sock.set_sndhwm(n),
            14 => sock.set_maxmsgsize(int64(value)),
            15 => sock.set_affinity(int64(value) as u64),
            16 => sock.set_tcp_keepalive(n),
            17 => sock.set_ipv6(n != 0),
            18 => sock.set_metadata(&text),
            19 => sock.set_hello_msg(value),
            20 => sock.set_reconnect_stop(zmq4::ReconnectStop::from_bits_retain(n)),
            21 => sock.set_router_notify(zmq4::RouterNotify::from_bits_retain(n)),
            _ => sock.set_bindtodevice(&text),
        };
        let _ = sock.routing_id();
        let _ = sock.last_endpoint();
        let _ = sock.zap_domain();
        let _ = sock.curve_serverkey();
        let _ = sock.mechanism();
        let _ = sock.plain_username();
        let _ = sock.socks_proxy();
        let _ = sock.events();
    }
    let _ = sock.set_linger(0);
    drop(sock);
    ctx.term().unwrap();
});
