//! Bad input from the caller: every public entry point given invalid endpoints, out-of-range
//! option values, the wrong socket type for an operation, or a terminated context returns
//! the typed error libzmq documents, and never panics or aborts.
//!
//! The cases are enumerated in one table per area; each runs under `catch_unwind`, so a
//! panic is reported as a failed case with the others still run, and the test prints how
//! many cases it tried. An abort would end the test binary, which fails the test too.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use zmq4::monitor::{Monitor, MonitorEvents};
use zmq4::security::{z85_decode, z85_encode, CurveKey, Z85Error};
use zmq4::{Context, Error, Message, PollEvents, RecvFlags, SendFlags, Socket, SocketType};

/// A descriptor that names nothing: -1, or INVALID_SOCKET on Windows.
#[cfg(unix)]
const INVALID_FD: zmq4::RawDescriptor = -1;
#[cfg(windows)]
const INVALID_FD: zmq4::RawDescriptor = !0;

/// One case: a description and a check that returns a mismatch, if any.
type Case<'a> = (String, Box<dyn FnOnce() -> Result<(), String> + 'a>);

/// `expect(got, want)` as a case result.
fn expect<T: std::fmt::Debug, E: std::fmt::Debug + PartialEq>(
    got: Result<T, E>,
    want: E,
) -> Result<(), String> {
    match got {
        Err(e) if e == want => Ok(()),
        other => Err(format!("got {other:?}, want Err({want:?})")),
    }
}

/// A value libzmq 4.3.5 accepts although it looks wrong: the case checks that it is accepted
/// (no error, no panic), so a change in libzmq's validation shows up here.
fn accepted<T: std::fmt::Debug, E: std::fmt::Debug>(got: Result<T, E>) -> Result<(), String> {
    match got {
        Ok(_) => Ok(()),
        Err(e) => Err(format!("libzmq 4.3.5 accepts this; got Err({e:?})")),
    }
}

/// Binds `socket` to `tcp://127.0.0.1:<spell(p)>` for a port `p` the kernel just handed out
/// and checks that libzmq bound `p` (taken meanwhile: another port, up to 3 tries).
fn binds_wrapped_port(socket: &zmq4::Socket, spell: impl Fn(u16) -> String) -> Result<(), String> {
    for _ in 0..3 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        match socket.bind(&format!("tcp://127.0.0.1:{}", spell(port))) {
            Err(Error::AddressInUse) => continue,
            Err(e) => return Err(format!("libzmq 4.3.5 accepts this; got Err({e:?})")),
            Ok(()) => {
                let ep = socket
                    .last_endpoint()
                    .map_err(|e| format!("last_endpoint: {e:?}"))?;
                return if ep == format!("tcp://127.0.0.1:{port}") {
                    Ok(())
                } else {
                    Err(format!("bound {ep}, want port {port}"))
                };
            }
        }
    }
    Err("no free port in 3 tries".to_string())
}

/// Runs the cases, printing a line for each failure; returns (tried, failures).
fn run(area: &str, cases: Vec<Case<'_>>) -> (usize, Vec<String>) {
    let n = cases.len();
    let mut failures = Vec::new();
    for (name, case) in cases {
        match catch_unwind(AssertUnwindSafe(case)) {
            Ok(Ok(())) => {}
            Ok(Err(why)) => failures.push(format!("{area}: {name}: {why}")),
            Err(_) => failures.push(format!("{area}: {name}: PANICKED")),
        }
    }
    println!("bad input, {area}: {n} cases, {} failed", failures.len());
    (n, failures)
}

macro_rules! cases {
    ($( $name:expr => $body:expr ),* $(,)?) => {
        vec![$( (String::from($name), Box::new(move || $body) as Box<dyn FnOnce() -> Result<(), String>>) ),*]
    };
}

fn sock(ctx: &Context, ty: SocketType) -> Socket {
    common::socket(ctx, ty)
}

#[test]
fn every_bad_input_is_a_typed_error() {
    let ctx = Context::new();
    let mut total = 0;
    let mut failures = Vec::new();
    let mut tally = |(n, f): (usize, Vec<String>)| {
        total += n;
        failures.extend(f);
    };

    // --- endpoints -------------------------------------------------------------------
    let s = sock(&ctx, SocketType::Pair);
    let s = &s;
    let mut endpoint_cases: Vec<Case> = Vec::new();
    for (ep, want) in [
        ("", Error::InvalidArgument),
        ("tcp", Error::InvalidArgument),
        ("tcp://", Error::InvalidArgument),
        ("tcp://127.0.0.1", Error::InvalidArgument),
        ("tcp://127.0.0.1:", Error::InvalidArgument),
        ("tcp://256.0.0.1:5555", Error::NoSuchDevice),
        ("tcp://no-such-interface-xyz:5555", Error::NoSuchDevice),
        ("foo://bar", Error::ProtocolNotSupported),
        ("pgm://eth0;239.192.1.1:5555", Error::ProtocolNotSupported),
        ("inproc://", Error::InvalidArgument),
        ("tcp://127.0.0.1:5555\0x", Error::InvalidArgument),
        ("udp://127.0.0.1:5555", Error::IncompatibleProtocol), // PAIR over udp
    ] {
        endpoint_cases.push((
            format!("bind({ep:?})"),
            Box::new(move || expect(s.bind(ep), want)),
        ));
    }
    for (ep, want) in [
        ("", Error::InvalidArgument),
        ("tcp://", Error::InvalidArgument),
        ("tcp://127.0.0.1", Error::InvalidArgument),
        ("nope://x", Error::ProtocolNotSupported),
        ("ipc://\0", Error::InvalidArgument),
    ] {
        endpoint_cases.push((
            format!("connect({ep:?})"),
            Box::new(move || expect(s.connect(ep), want)),
        ));
    }
    let long_ipc = format!("ipc:///tmp/{}", "x".repeat(200));
    endpoint_cases.extend(cases![
        // libzmq parses the port with strtoul and keeps the low 16 bits: port p + 65536 binds
        // p, and so does -(65536 - p) (p one the kernel just handed out, not a fixed one).
        "bind(tcp port p + 65536): libzmq binds port p" => binds_wrapped_port(s, |p| (u32::from(p) + 65536).to_string()),
        "bind(tcp port -(65536 - p)): libzmq binds port p" => binds_wrapped_port(s, |p| format!("-{}", 65536 - u32::from(p))),
        // An empty host on connect means "any" to libzmq's resolver.
        "connect(tcp://:5555): libzmq takes it as 0.0.0.0" => accepted(s.connect("tcp://:5555")),
        "bind(ipc path longer than sun_path)" => expect(s.bind(&long_ipc), if zmq4::has(zmq4::Capability::Ipc) { Error::NameTooLong } else { Error::ProtocolNotSupported }),
        "unbind(never bound)" => expect(s.unbind("tcp://127.0.0.1:5555"), Error::NotFound),
        "unbind(garbage)" => expect(s.unbind("garbage"), Error::InvalidArgument),
        "disconnect(never connected)" => expect(s.disconnect("tcp://127.0.0.1:5555"), Error::NotFound),
        "disconnect(NUL inside)" => expect(s.disconnect("tcp://a\0"), Error::InvalidArgument),
    ]);
    tally(run("endpoints", endpoint_cases));

    // --- option values -----------------------------------------------------------------
    let sub = sock(&ctx, SocketType::Sub);
    let (sub, s) = (&sub, s);
    let curve = zmq4::has(zmq4::Capability::Curve);
    #[allow(unused_mut)]
    let mut option_cases: Vec<Case> = cases![
        "set_linger(-2)" => expect(s.set_linger(-2), Error::InvalidArgument),
        "set_sndhwm(-1)" => expect(s.set_sndhwm(-1), Error::InvalidArgument),
        "set_rcvhwm(-1)" => expect(s.set_rcvhwm(-1), Error::InvalidArgument),
        "set_rcvtimeo(-2)" => expect(s.set_rcvtimeo(-2), Error::InvalidArgument),
        "set_sndtimeo(-2)" => expect(s.set_sndtimeo(-2), Error::InvalidArgument),
        "set_reconnect_ivl(-2)" => expect(s.set_reconnect_ivl(-2), Error::InvalidArgument),
        "set_reconnect_ivl_max(-1)" => expect(s.set_reconnect_ivl_max(-1), Error::InvalidArgument),
        "set_backlog(-1)" => expect(s.set_backlog(-1), Error::InvalidArgument),
        "set_maxmsgsize(-2): libzmq treats every negative as no limit" => accepted(s.set_maxmsgsize(-2)),
        "set_multicast_hops(0)" => expect(s.set_multicast_hops(0), Error::InvalidArgument),
        "set_rate(0)" => expect(s.set_rate(0), Error::InvalidArgument),
        "set_tcp_keepalive(2)" => expect(s.set_tcp_keepalive(2), Error::InvalidArgument),
        "set_tcp_keepalive_idle(-2)" => expect(s.set_tcp_keepalive_idle(-2), Error::InvalidArgument),
        "set_handshake_ivl(-1)" => expect(s.set_handshake_ivl(-1), Error::InvalidArgument),
        "set_heartbeat_ivl(-1)" => expect(s.set_heartbeat_ivl(-1), Error::InvalidArgument),
        "set_heartbeat_ttl(-1): libzmq stores it (as 0 deciseconds)" => accepted(s.set_heartbeat_ttl(-1)),
        "set_heartbeat_ttl(6553600)" => expect(s.set_heartbeat_ttl(6_553_600), Error::InvalidArgument),
        "set_routing_id(empty)" => expect(s.set_routing_id(b""), Error::InvalidArgument),
        "set_routing_id(256 bytes)" => expect(s.set_routing_id(&[1u8; 256]), Error::InvalidArgument),
        // zmq_setsockopt(3) reserves ids starting with a zero byte, but 4.3.5 does not check.
        "set_routing_id(starts with 0): libzmq does not check" => accepted(s.set_routing_id(b"\0abc")),
        "set_zap_domain(256 bytes)" => expect(s.set_zap_domain(&"d".repeat(256)), Error::InvalidArgument),
        "set_zap_domain(NUL inside)" => expect(s.set_zap_domain("a\0b"), Error::InvalidArgument),
        "set_plain_username(256 bytes)" => expect(s.set_plain_username(&"u".repeat(256)), Error::InvalidArgument),
        "set_plain_password(NUL inside)" => expect(s.set_plain_password("p\0"), Error::InvalidArgument),
        "set_socks_proxy(NUL inside)" => expect(s.set_socks_proxy("h\0:1"), Error::InvalidArgument),
        "set_bindtodevice(17 bytes)" => expect(s.set_bindtodevice(&"e".repeat(17)), Error::InvalidArgument),
        "set_gssapi_server (not built)" => expect(s.set_gssapi_server(true), Error::InvalidArgument),
        "set_vmci_buffer_size (not built)" => expect(s.set_vmci_buffer_size(1), Error::InvalidArgument),
        "set_subscribe on a PAIR" => expect(s.set_subscribe(b"x"), Error::InvalidArgument),
        "set_xpub_verbose on a SUB" => expect(sub.set_xpub_verbose(true), Error::InvalidArgument),
        "set_router_mandatory on a SUB" => expect(sub.set_router_mandatory(true), Error::InvalidArgument),
        "set_req_relaxed on a PAIR" => expect(s.set_req_relaxed(true), Error::InvalidArgument),
        "set_curve_serverkey(bad Z85)" => expect(
            s.set_curve_serverkey("not a key"),
            Error::InvalidArgument,
        ),
        "set_curve_publickey(31 bytes)" => expect(
            s.set_curve_publickey(&[0u8; 31][..]),
            Error::InvalidArgument,
        ),
        "set_curve_secretkey(40 non-Z85 chars)" => expect(
            s.set_curve_secretkey(&"~".repeat(40)),
            Error::InvalidArgument,
        ),
        "setsockopt(unknown option)" => expect(s.setsockopt(9999, &1i32.to_ne_bytes()), Error::InvalidArgument),
        "setsockopt(LINGER, 2 bytes)" => expect(s.setsockopt(zmq4::sys::ZMQ_LINGER, &[1, 2]), Error::InvalidArgument),
        "setsockopt(LINGER, empty)" => expect(s.setsockopt(zmq4::sys::ZMQ_LINGER, &[]), Error::InvalidArgument),
        "getsockopt(unknown option)" => expect(s.getsockopt(9999, &mut [0u8; 8]), Error::InvalidArgument),
        "getsockopt(LINGER into 2 bytes)" => expect(s.getsockopt(zmq4::sys::ZMQ_LINGER, &mut [0u8; 2]), Error::InvalidArgument),
        "getsockopt(LINGER into nothing)" => expect(s.getsockopt(zmq4::sys::ZMQ_LINGER, &mut []), Error::InvalidArgument),
        "setsockopt(USE_FD)" => expect(s.setsockopt(zmq4::sys::ZMQ_USE_FD, &(-1i32).to_ne_bytes()), Error::InvalidArgument),
    ];
    // Unix only: on Windows the taken socket is not checked (see OwnedListener).
    #[cfg(unix)]
    option_cases.extend(cases![
        "set_use_fd(/dev/null)" => expect(s.set_use_fd(Some(std::fs::File::open("/dev/null").unwrap().into())), Error::InvalidArgument),
    ]);
    #[cfg(feature = "draft")]
    option_cases.extend(cases![
        "topics_count on a PAIR" => expect(s.topics_count(), Error::InvalidArgument),
        "set_in_batch_size(0)" => expect(s.set_in_batch_size(0), Error::InvalidArgument),
        "set_out_batch_size(-1)" => expect(s.set_out_batch_size(-1), Error::InvalidArgument),
        "set_metadata(no colon)" => expect(s.set_metadata("X-nocolon"), Error::InvalidArgument),
        "set_metadata(reserved name)" => expect(s.set_metadata("User-Id:me"), Error::InvalidArgument),
    ]);
    if !curve {
        option_cases.extend(cases![
            "set_curve_server without CURVE" => expect(s.set_curve_server(true), Error::InvalidArgument),
        ]);
    }
    tally(run("socket options", option_cases));

    let c2 = Context::new();
    let c2 = &c2;
    tally(run(
        "context options",
        cases![
            "set_io_threads(-1)" => expect(c2.set_io_threads(-1), Error::InvalidArgument),
            "set_max_sockets(0)" => expect(c2.set_max_sockets(0), Error::InvalidArgument),
            "set_max_sockets(-1)" => expect(c2.set_max_sockets(-1), Error::InvalidArgument),
            "set_max_msgsz(-1)" => expect(c2.set_max_msgsz(-1), Error::InvalidArgument),
            "set_thread_priority(-1)" => expect(c2.set_thread_priority(-1), Error::InvalidArgument),
            "set_thread_affinity_cpu_add(-1)" => expect(c2.set_thread_affinity_cpu_add(-1), Error::InvalidArgument),
            "set_thread_affinity_cpu_remove(not added)" => expect(c2.set_thread_affinity_cpu_remove(1), Error::InvalidArgument),
            "set_thread_name_prefix(NUL inside)" => expect(c2.set_thread_name_prefix("a\0"), Error::InvalidArgument),
        ],
    ));

    // --- wrong socket type / state for an operation ------------------------------------
    let ctxr = &ctx;
    let ty = |t| sock(&ctx, t);
    let (publ, subs, req, rep, pull, push, dealer, pair) = (
        ty(SocketType::Pub),
        ty(SocketType::Sub),
        ty(SocketType::Req),
        ty(SocketType::Rep),
        ty(SocketType::Pull),
        ty(SocketType::Push),
        ty(SocketType::Dealer),
        ty(SocketType::Pair),
    );
    let (publ, subs, req, rep, pull, push, dealer, pair) =
        (&publ, &subs, &req, &rep, &pull, &push, &dealer, &pair);
    #[allow(unused_mut)]
    let mut type_cases: Vec<Case> = cases![
        "recv on a PUB" => expect(publ.recv(RecvFlags::DONTWAIT), Error::NotSupported),
        "send on a SUB" => expect(subs.send("x", SendFlags::DONTWAIT), Error::NotSupported),
        "send on a PULL" => expect(pull.send("x", SendFlags::DONTWAIT), Error::NotSupported),
        "recv on a PUSH" => expect(push.recv(RecvFlags::DONTWAIT), Error::NotSupported),
        "recv on a REQ before a send" => expect(req.recv(RecvFlags::DONTWAIT), Error::InvalidState),
        "send on a REP before a recv" => expect(rep.send("x", SendFlags::DONTWAIT), Error::InvalidState),
        "REQ sending twice" => {
            req.connect("inproc://bad-input-req").map_err(|e| e.to_string())?;
            req.set_immediate(false).map_err(|e| e.to_string())?;
            let _ = req.send("one", SendFlags::DONTWAIT);
            // Whether or not the first went out (no peer), the state machine is the same:
            // the first send put it in "receiving", or failed and left it in "sending".
            match req.send("two", SendFlags::DONTWAIT) {
                Err(Error::InvalidState) | Err(Error::WouldBlock) => Ok(()),
                other => Err(format!("{other:?}")),
            }
        },
        "recv_into on a PUSH" => expect(push.recv_into(&mut [0u8; 4], RecvFlags::DONTWAIT), Error::NotSupported),
        "recv_multipart on a PUB" => expect(publ.recv_multipart(RecvFlags::DONTWAIT), Error::NotSupported),
        "send_multipart on a SUB" => expect(subs.send_multipart([&b"a"[..], b"b"], SendFlags::DONTWAIT), Error::NotSupported),
        "send_const on a PULL" => expect(pull.send_const(b"x", SendFlags::DONTWAIT), Error::NotSupported),
        "DONTWAIT recv with nothing queued" => expect(pair.recv(RecvFlags::DONTWAIT), Error::WouldBlock),
        "DONTWAIT send with no peer" => expect(dealer.send("x", SendFlags::DONTWAIT), Error::WouldBlock),
        "shared_socket(PAIR)" => expect(ctxr.shared_socket(SocketType::Pair), Error::InvalidArgument),
        "monitor(non-inproc endpoint)" => expect(pair.monitor(Some("tcp://127.0.0.1:1"), MonitorEvents::ALL_V1), Error::ProtocolNotSupported),
        "monitor(NUL inside)" => expect(pair.monitor(Some("inproc://a\0"), MonitorEvents::ALL_V1), Error::InvalidArgument),
        "Monitor::connect(version 3)" => expect(Monitor::connect(ctxr, "inproc://x", 3), Error::InvalidArgument),
        "Monitor::connect(version 0)" => expect(Monitor::connect(ctxr, "inproc://x", 0), Error::InvalidArgument),
    ];
    #[cfg(feature = "draft")]
    type_cases.extend(cases![
        "join on a PAIR" => expect(pair.join("g"), Error::NotSupported),
        "leave on a PAIR" => expect(pair.leave("g"), Error::NotSupported),
        "join(NUL inside)" => expect(pair.join("g\0"), Error::InvalidArgument),
        "connect_peer on a PAIR" => expect(pair.connect_peer("tcp://127.0.0.1:1"), Error::NotSupported),
        "peer_state on a PAIR" => expect(pair.peer_state(b"x"), Error::NotSupported),
        // libzmq 4.3.5 checks the version only against the 16-bit event limit of version 1.
        "monitor_versioned(version 3): libzmq does not check" => accepted(pair.monitor_versioned(Some("inproc://v3"), MonitorEvents::ALL_V1, 3, SocketType::Pair)),
        "monitor_versioned(v1 with 32-bit events)" => expect(pair.monitor_versioned(Some("inproc://v1"), MonitorEvents::ALL_V2, 1, SocketType::Pair), Error::InvalidArgument),
        "monitor_versioned(DEALER monitor socket)" => expect(pair.monitor_versioned(Some("inproc://vd"), MonitorEvents::ALL_V1, 2, SocketType::Dealer), Error::InvalidArgument),
        "monitor_pipes_stats without a monitor" => expect(pair.monitor_pipes_stats(), Error::InvalidArgument),
    ]);
    tally(run("socket type and state", type_cases));

    // --- messages, keys, certificates, poll, timers, auth ------------------------------
    #[allow(unused_mut)]
    let mut value_cases: Vec<Case> = cases![
        "Message::get_property(unknown)" => expect(Message::new().get_property(12345), Error::InvalidArgument),
        "Message::set_property(MORE)" => expect(Message::new().set_property(zmq4::sys::ZMQ_MORE, 1), Error::InvalidArgument),
        "Message::gets(unknown property)" => if Message::from("x").gets("X-Nope").is_none() { Ok(()) } else { Err("Some".into()) },
        "Message::gets(NUL inside)" => if Message::new().gets("a\0b").is_none() { Ok(()) } else { Err("Some".into()) },
        "Message::with_size(usize::MAX)" => expect(Message::with_size(usize::MAX), Error::OutOfMemory),
        "z85_encode(3 bytes)" => expect(z85_encode(&[1, 2, 3]), Z85Error::InvalidLength { len: 3 }),
        "z85_decode(4 chars)" => expect(z85_decode("abcd"), Z85Error::InvalidLength { len: 4 }),
        "z85_decode(bad char)" => expect(z85_decode("abc~e"), Z85Error::InvalidCharacter { index: 3, byte: b'~' }),
        "z85_decode(overflow)" => expect(z85_decode("#####"), Z85Error::Overflow { index: 0 }),
        "CurveKey::from_z85(39 chars)" => expect(CurveKey::from_z85(&"0".repeat(39)), Z85Error::InvalidLength { len: 39 }),
        "CurveKey::try_from(33 bytes)" => expect(CurveKey::try_from(&[0u8; 33][..]), Z85Error::InvalidLength { len: 33 }),
        "cert::Certificate::parse(garbage)" => match zmq4::cert::Certificate::parse("\u{0}garbage ===") {
            Err(_) => Ok(()),
            Ok(c) => Err(format!("parsed {c:?}")),
        },
        "cert::Certificate::load(missing file)" => match zmq4::cert::Certificate::load("/nonexistent/zmq4.cert") {
            Err(_) => Ok(()),
            Ok(c) => Err(format!("loaded {c:?}")),
        },
        "cert::load_certificates(missing dir)" => match zmq4::cert::load_certificates("/nonexistent/zmq4-dir") {
            Err(_) => Ok(()),
            Ok(c) => Err(format!("loaded {}", c.len())),
        },
        "cert set_meta(bad name)" => match zmq4::cert::Certificate::from_keys(CurveKey::from_bytes([1; 32]), None).set_meta("bad name=", "v") {
            Err(_) => Ok(()),
            Ok(_) => Err("accepted".into()),
        },
        "poll(no items, 0)" => match zmq4::poll::poll(&mut [], 0) {
            Ok(0) => Ok(()),
            other => Err(format!("{other:?}")),
        },
        "poll(bad fd)" => match zmq4::poll::poll(&mut [zmq4::PollItem::from_fd(INVALID_FD, PollEvents::POLLIN)], 0) {
            Ok(_) | Err(_) => Ok(()), // libzmq's poll(2) reports POLLNVAL or EBADF: no panic is the point
        },
        "Authenticator::start twice" => {
            let _first = zmq4::Authenticator::start(ctxr).map_err(|e| e.to_string())?;
            expect(zmq4::Authenticator::start(ctxr), Error::AddressInUse)
        },
        "Authenticator::handle_request(empty)" => if zmq4::Authenticator::start(c2).map_err(|e| e.to_string())?.handle_request::<&[u8]>(&[]).is_none() { Ok(()) } else { Err("answered".into()) },
    ];
    #[cfg(feature = "draft")]
    value_cases.extend(cases![
        "Message::set_routing_id(0)" => expect(Message::new().set_routing_id(0), Error::InvalidArgument),
        "Message::set_group(255 bytes)" => accepted(Message::new().set_group(&"g".repeat(255))),
        "Message::set_group(256 bytes)" => expect(Message::new().set_group(&"g".repeat(256)), Error::InvalidArgument),
        "Message::set_group(a 1 MiB group)" => expect(Message::new().set_group(&"g".repeat(1 << 20)), Error::InvalidArgument),
        "Message::set_group(NUL inside)" => expect(Message::new().set_group("g\0"), Error::InvalidArgument),
        "Timers::cancel(unknown id)" => {
            let mut t = zmq4::timers::Timers::new();
            let id = t.add(std::time::Duration::from_millis(10), |_, _| {}).map_err(|e| e.to_string())?;
            t.cancel(id).map_err(|e| e.to_string())?;
            expect(t.cancel(id), Error::InvalidArgument)
        },
        "Poller::add twice" => {
            let mut p: zmq4::poll::Poller<()> = zmq4::poll::Poller::new().map_err(|e| e.to_string())?;
            p.add(pair, PollEvents::POLLIN, ()).map_err(|e| e.to_string())?;
            expect(p.add(pair, PollEvents::POLLIN, ()), Error::InvalidArgument)
        },
        "Poller::remove(not added)" => {
            let mut p: zmq4::poll::Poller<()> = zmq4::poll::Poller::new().map_err(|e| e.to_string())?;
            expect(p.remove(pair), Error::InvalidArgument)
        },
        "Poller::wait(empty, 0)" => {
            let mut p: zmq4::poll::Poller<()> = zmq4::poll::Poller::new().map_err(|e| e.to_string())?;
            match p.wait(0) {
                Ok(None) | Err(Error::TimedOut) | Err(Error::WouldBlock) => Ok(()),
                Ok(Some(_)) => Err("an event".into()),
                Err(e) => Err(format!("{e:?}")),
            }
        },
    ]);
    tally(run("values", value_cases));

    // --- a terminated context ---------------------------------------------------------
    let dead = Context::new();
    let survivor = dead.socket(SocketType::Pull).unwrap();
    survivor.set_linger(0).unwrap();
    dead.clone().shutdown().unwrap();
    let survivor = &survivor;
    let dead2 = dead.clone();
    let dead2 = &dead2;
    tally(run(
        "shut down / terminated context",
        cases![
            "socket() after shutdown" => expect(dead2.socket(SocketType::Pair), Error::ContextTerminated),
            "recv after shutdown" => expect(survivor.recv(RecvFlags::empty()), Error::ContextTerminated),
            "send after shutdown" => expect(survivor.send("x", SendFlags::DONTWAIT), Error::ContextTerminated),
            "bind after shutdown" => expect(survivor.bind("inproc://late"), Error::ContextTerminated),
            "connect after shutdown" => expect(survivor.connect("inproc://late"), Error::ContextTerminated),
            "set_linger after shutdown" => expect(survivor.set_linger(1), Error::ContextTerminated),
            "poll after shutdown" => expect(survivor.poll(PollEvents::POLLIN, 0), Error::ContextTerminated),
            "monitor_events after shutdown" => expect(survivor.monitor_events(MonitorEvents::ALL_V1), Error::ContextTerminated),
            "Authenticator::start after shutdown" => expect(zmq4::Authenticator::start(dead2), Error::ContextTerminated),
            "shutdown twice" => match dead2.shutdown() {
                Ok(()) | Err(Error::ContextTerminated) => Ok(()),
                other => Err(format!("{other:?}")),
            },
        ],
    ));
    drop(dead);
    // And after term (the last socket gone, the context terminated by an explicit term).
    let t = Context::new();
    let t2 = t.clone();
    t.term().unwrap();
    let t2 = &t2;
    tally(run(
        "terminated context",
        cases![
            "socket() after term" => expect(t2.socket(SocketType::Pair), Error::ContextTerminated),
            "shared_socket() after term" => expect(t2.shared_socket(SocketType::Pair), Error::InvalidArgument),
            "set_io_threads after term" => expect(t2.set_io_threads(2), Error::ContextTerminated),
            "io_threads after term" => expect(t2.io_threads(), Error::ContextTerminated),
            "shutdown after term" => expect(t2.shutdown(), Error::ContextTerminated),
            "as_raw after term" => if t2.as_raw().is_none() { Ok(()) } else { Err("Some".into()) },
            "term twice" => t2.clone().term().map_err(|e| e.to_string()),
        ],
    ));

    println!("bad input: {total} cases tried, {} failed", failures.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
