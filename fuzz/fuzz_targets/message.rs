//! Messages: every constructor on arbitrary bytes, copy-on-write after a clone, properties
//! and metadata looked up by arbitrary names and numbers, groups and routing ids, and a
//! multipart round trip over tcp (whose messages carry ZMTP metadata) with lookups on what
//! arrives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zmq4::{Context, Message, RecvFlags, SendFlags, Socket, SocketType};

struct Pair {
    _ctx: Context,
    a: Socket,
    b: Socket,
}

thread_local! {
    static PAIR: Pair = {
        let ctx = Context::new();
        let a = ctx.socket(SocketType::Pair).unwrap();
        let b = ctx.socket(SocketType::Pair).unwrap();
        for s in [&a, &b] {
            s.set_linger(0).unwrap();
            s.set_rcvtimeo(5000).unwrap();
            s.set_sndtimeo(5000).unwrap();
        }
        b.set_metadata("X-Fuzz:yes").unwrap();
        a.bind("tcp://127.0.0.1:*").unwrap();
        b.connect(&a.last_endpoint().unwrap()).unwrap();
        Pair { _ctx: ctx, a, b }
    };
}

fn int(v: &[u8]) -> i32 {
    let mut b = [0u8; 4];
    let n = v.len().min(4);
    b[..n].copy_from_slice(&v[..n]);
    i32::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    let a = Message::from_slice(data);
    assert_eq!(&a[..], data);
    assert_eq!(Message::from(data.to_vec()), a);
    let mut spare = Vec::with_capacity(data.len() + 7);
    spare.extend_from_slice(data);
    assert_eq!(Message::from_vec(spare), a);
    let boxed = Message::from(data.to_vec().into_boxed_slice());
    let mut copy = boxed.clone();
    if !data.is_empty() {
        copy[0] ^= 0x55;
        assert_eq!(
            &boxed[..],
            data,
            "writing a clone must not change the original"
        );
        assert_ne!(copy[0], data[0]);
    }
    let zeros = Message::with_size(data.len() % 4096).unwrap();
    assert!(zeros.iter().all(|&b| b == 0));

    let n = int(data);
    let _ = a.get_property(n);
    let _ = copy.set_property(n, n);
    let name = String::from_utf8_lossy(&data[..data.len().min(300)]).into_owned();
    assert_eq!(a.gets(&name), None, "a message never sent has no metadata");
    let mut g = Message::new();
    match g.set_group(&name) {
        Ok(()) => assert_eq!(g.group().unwrap_or(""), name),
        Err(e) => assert_eq!(e, zmq4::Error::InvalidArgument),
    }
    let id = n as u32;
    match g.set_routing_id(id) {
        Ok(()) => assert_eq!(g.routing_id(), Some(id)),
        Err(_) => assert_eq!(id, 0),
    }

    // Frames split at 0xFF bytes (at most 16), through tcp and back.
    let frames: Vec<&[u8]> = data.splitn(16, |&b| b == 0xFF).collect();
    PAIR.with(|p| {
        // libFuzzer's SIGALRM (its -timeout watchdog) can interrupt a whole-message call.
        while let Err(e) =
            p.b.send_multipart(frames.iter().copied(), SendFlags::empty())
        {
            assert_eq!(e, zmq4::Error::Interrupted);
        }
        let got = loop {
            match p.a.recv_multipart(RecvFlags::empty()) {
                Ok(got) => break got,
                Err(e) => assert_eq!(e, zmq4::Error::Interrupted),
            }
        };
        assert_eq!(got.len(), frames.len());
        for (g, f) in got.iter().zip(&frames) {
            assert_eq!(&g[..], *f);
        }
        assert_eq!(got[0].gets("Socket-Type"), Some("PAIR"));
        assert_eq!(got[0].gets("X-Fuzz"), Some("yes"));
        let _ = got[0].gets(&name);
        let _ = got[0].gets("Peer-Address");
        let _ = got[0].get_property(n);
    });
});
