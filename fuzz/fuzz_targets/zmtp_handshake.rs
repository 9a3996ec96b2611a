//! Raw bytes from a TCP peer to listening NULL, PLAIN and CURVE sockets, each with our
//! monitor attached and our ZAP authenticator deciding on its peers. The first byte picks
//! the server, the rest is written to a fresh connection, which is then closed for writing;
//! once libzmq has dropped the connection, every monitor event must decode and every
//! message that got through must answer metadata lookups. The ZMTP parsers are libzmq's
//! (built with AddressSanitizer by ci/fuzz.sh); the monitor, ZAP and message code are ours.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::time::Duration;
use zmq4::auth::Authenticator;
use zmq4::monitor::{Monitor, MonitorEvents};
use zmq4::security::CurveKeyPair;
use zmq4::{Context, Error, RecvFlags, Socket, SocketType};

struct Server {
    socket: Socket,
    monitor: Monitor,
    addr: SocketAddr,
}

struct Servers {
    _ctx: Context,
    _auth: Authenticator,
    servers: Vec<Server>,
}

thread_local! {
    static SERVERS: Servers = {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        auth.configure_plain("*", [("admin", "secret")]);
        let client = CurveKeyPair::generate().unwrap();
        auth.configure_curve_keys("*", [client.public]);
        let server_keys = CurveKeyPair::generate().unwrap();
        let servers = ["NULL", "PLAIN", "CURVE"]
            .into_iter()
            .map(|mech| {
                let s = ctx.socket(SocketType::Router).unwrap();
                s.set_linger(0).unwrap();
                s.set_handshake_ivl(200).unwrap();
                // libzmq allocates a frame of the size its header declares before the bytes
                // arrive (a peer can ask for 2^64 - 1): a server facing untrusted peers sets
                // ZMQ_MAXMSGSIZE, and so do these (the fuzzer counts a 2 GiB malloc as OOM).
                s.set_maxmsgsize(1 << 20).unwrap();
                match mech {
                    "PLAIN" => s.set_plain_server(true).unwrap(),
                    "CURVE" => {
                        s.set_curve_server(true).unwrap();
                        s.set_curve_secretkey(server_keys.secret).unwrap();
                    }
                    _ => s.set_zap_domain("fuzz").unwrap(),
                }
                let monitor = s.monitor_events(MonitorEvents::ALL_V1).unwrap();
                s.bind("tcp://127.0.0.1:*").unwrap();
                let ep = s.last_endpoint().unwrap();
                let addr = ep.trim_start_matches("tcp://").parse().unwrap();
                Server { socket: s, monitor, addr }
            })
            .collect();
        Servers { _ctx: ctx, _auth: auth, servers }
    };
}

/// Close with a reset, so that the fuzzer's many short connections leave no TIME_WAIT.
fn reset_on_close(s: &TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a properly sized linger struct.
    unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    SERVERS.with(|all| {
        let server = &all.servers[which as usize % all.servers.len()];
        let Ok(mut peer) = TcpStream::connect(server.addr) else {
            return;
        };
        let _ = peer.set_read_timeout(Some(Duration::from_secs(2)));
        let _ = peer.set_write_timeout(Some(Duration::from_secs(2)));
        let _ = peer.write_all(bytes);
        let _ = peer.shutdown(std::net::Shutdown::Write);
        // Until libzmq drops the connection (it has then published its events).
        let mut sink = [0u8; 4096];
        while let Ok(n) = peer.read(&mut sink) {
            if n == 0 {
                break;
            }
        }
        reset_on_close(&peer);
        drop(peer);
        loop {
            match server.monitor.try_recv() {
                Ok(event) => {
                    let _ = format!("{event:?}");
                }
                Err(Error::WouldBlock) => break,
                // libFuzzer's SIGALRM (its -timeout watchdog) interrupts zmq calls too.
                Err(Error::Interrupted) => {}
                Err(e) => panic!("a monitor event did not decode: {e}"),
            }
        }
        loop {
            let parts = match server.socket.recv_multipart(RecvFlags::DONTWAIT) {
                Ok(parts) => parts,
                Err(Error::Interrupted) => continue,
                Err(_) => break,
            };
            for p in &parts {
                let _ = p.gets("User-Id");
                let _ = p.gets("Socket-Type");
                let _ = p.gets("Routing-Id");
                let _ = p.gets("Peer-Address");
            }
        }
    });
});
