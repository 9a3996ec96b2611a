//! The socket and context option tables, against zmq.h and through real sockets:
//!
//! - every socket option constant of zmq.h is in the table or in the documented exclusion
//!   list, with the same number; the names follow the C names;
//! - every read-write option round-trips (set, then read back by method and generically),
//!   every read-only option reads, every write-only option writes, each on a socket type
//!   that accepts it; the test proves it covered every row;
//! - invalid values come back as a typed `Error`, never a panic;
//! - the context options likewise; CURVE keys and Z85.
//!
//! Every blocking call here runs under a receive/send timeout.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use zmq4::options::{
    Access, ReadableOption, SocketOption, WritableOption, CONTEXT_OPTIONS, EXCLUDED_SOCKET_OPTIONS,
    SOCKET_OPTIONS,
};
use zmq4::security::{z85_decode, z85_encode, CurveKey, CurveKeyPair, Z85Error};
use zmq4::{
    ctxopt, has, opt, sys, Capability, Context, Error, Mechanism, PollEvents, RecvFlags, SendFlags,
    Socket, SocketType,
};

/// Timeout for every blocking call, in milliseconds.
const TIMEOUT_MS: i32 = 5000;

/// ZMQ_USE_FD's "none": -1 on Unix, INVALID_SOCKET (libzmq's int -1) on Windows.
#[cfg(unix)]
const NO_FD: zmq4::RawDescriptor = -1;
#[cfg(windows)]
const NO_FD: zmq4::RawDescriptor = !0;

/// The `#define ZMQ_NAME <value>` lines of zmq.h between the line containing `start` and
/// the next line containing `end`; a value naming another define (an alias such as
/// `ZMQ_IDENTITY ZMQ_ROUTING_ID`) is resolved through the whole header.
fn defines_between(header: &str, start: &str, end: &str) -> BTreeMap<String, i32> {
    let define = |line: &str| -> Option<(String, String)> {
        let mut words = line.split_whitespace();
        if words.next() != Some("#define") {
            return None;
        }
        Some((words.next()?.to_string(), words.next()?.to_string()))
    };
    let all: BTreeMap<String, String> = header.lines().filter_map(define).collect();
    let resolve = |value: &str| -> Option<i32> {
        let mut v = value.to_string();
        for _ in 0..4 {
            if let Ok(n) = v.parse::<i32>() {
                return Some(n);
            }
            v = all.get(&v)?.clone();
        }
        None
    };
    let mut out = BTreeMap::new();
    let mut inside = false;
    for line in header.lines() {
        if line.contains(start) {
            inside = true;
            continue;
        }
        if inside && line.contains(end) {
            return out;
        }
        if let (true, Some((name, value))) = (inside, define(line)) {
            if let Some(v) = resolve(&value) {
                out.insert(name, v);
            }
        }
    }
    panic!("zmq.h: no `{end}` after `{start}`");
}

fn zmq_h() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/zmq4-sys/vendor/libzmq/include/zmq.h"
    );
    std::fs::read_to_string(path).expect("read zmq4-sys/vendor/libzmq/include/zmq.h")
}

fn camel_case(c_name: &str) -> String {
    c_name
        .trim_start_matches("ZMQ_")
        .split('_')
        .map(|part| {
            let lower = part.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[test]
fn socket_table_covers_zmq_h() {
    let header = zmq_h();
    let stable = defines_between(&header, "/*  Socket options.", "/*  Message options");
    let draft = defines_between(
        &header,
        "/*  DRAFT Socket options.",
        "/*  DRAFT ZMQ_NORM_MODE options",
    );
    let deprecated = defines_between(
        &header,
        "/*  Deprecated options and aliases",
        "/*  Deprecated Message options",
    );
    assert_eq!(
        stable.len(),
        76,
        "zmq.h 4.3.5 has 76 numbers in its socket option block (75 + ZMQ_BLOCKY)"
    );
    assert_eq!(draft.len(), 32);

    let table: BTreeMap<&str, i32> = SOCKET_OPTIONS.iter().map(|o| (o.c_name, o.raw)).collect();
    assert_eq!(table.len(), SOCKET_OPTIONS.len(), "duplicate rows");
    let excluded: BTreeMap<&str, i32> = EXCLUDED_SOCKET_OPTIONS
        .iter()
        .map(|o| (o.c_name, o.raw))
        .collect();

    let mut expected = stable.clone();
    if cfg!(feature = "draft") {
        expected.extend(draft.clone());
    }
    for (name, value) in &expected {
        match (table.get(name.as_str()), excluded.get(name.as_str())) {
            (Some(v), None) | (None, Some(v)) => assert_eq!(v, value, "{name}"),
            (Some(_), Some(_)) => panic!("{name} is both in the table and excluded"),
            (None, None) => {
                panic!("{name} = {value} is neither in the table nor in EXCLUDED_SOCKET_OPTIONS")
            }
        }
    }
    // Nothing else: every row is a socket option of zmq.h.
    for o in SOCKET_OPTIONS {
        assert_eq!(
            expected.get(o.c_name),
            Some(&o.raw),
            "{} is not a socket option of zmq.h",
            o.c_name
        );
        assert_eq!(
            o.draft,
            draft.contains_key(o.c_name),
            "{}: draft flag",
            o.c_name
        );
    }
    // Every exclusion is a zmq.h name with that number, and has a reason.
    for x in EXCLUDED_SOCKET_OPTIONS {
        let v = stable.get(x.c_name).or(deprecated.get(x.c_name));
        assert_eq!(v, Some(&x.raw), "{}", x.c_name);
        assert!(!x.reason.is_empty() && !x.instead.is_empty());
    }
    // Every deprecated socket option name of zmq.h is excluded (ZMQ_NOBLOCK is a send flag).
    for name in deprecated.keys().filter(|n| *n != "ZMQ_NOBLOCK") {
        assert!(
            excluded.contains_key(name.as_str()),
            "deprecated {name} is not listed as excluded"
        );
    }

    let stable_rows = SOCKET_OPTIONS.iter().filter(|o| !o.draft).count();
    let draft_rows = SOCKET_OPTIONS.iter().filter(|o| o.draft).count();
    assert_eq!(stable_rows, 75);
    assert_eq!(draft_rows, if cfg!(feature = "draft") { 32 } else { 0 });
}

#[test]
fn names_follow_the_c_names() {
    for o in SOCKET_OPTIONS.iter().chain(CONTEXT_OPTIONS) {
        let lower = o.c_name.trim_start_matches("ZMQ_").to_ascii_lowercase();
        assert_eq!(o.marker, camel_case(o.c_name), "{}", o.c_name);
        // The one documented exception: `type` is a Rust keyword.
        let getter = if o.c_name == "ZMQ_TYPE" {
            "socket_type".to_string()
        } else {
            lower.clone()
        };
        assert_eq!(
            o.getter,
            o.access.readable().then_some(getter.as_str()),
            "{}",
            o.c_name
        );
        let setter = format!("set_{lower}");
        assert_eq!(
            o.setter,
            o.access.writable().then_some(setter.as_str()),
            "{}",
            o.c_name
        );
    }
}

#[test]
fn context_table_covers_zmq_h() {
    let header = zmq_h();
    let mut expected = defines_between(
        &header,
        "/*  Context options",
        "/*  Default for new contexts",
    );
    assert_eq!(expected.len(), 10);
    // Context options that zmq.h numbers elsewhere (see zmq_ctx_set(3)).
    expected.insert("ZMQ_IPV6".into(), sys::ZMQ_IPV6);
    expected.insert("ZMQ_BLOCKY".into(), sys::ZMQ_BLOCKY);
    if cfg!(feature = "draft") {
        let draft = defines_between(
            &header,
            "/*  DRAFT Context options",
            "/*  DRAFT Context methods",
        );
        assert_eq!(draft.len(), 1);
        expected.extend(draft);
    }
    let table: BTreeMap<String, i32> = CONTEXT_OPTIONS
        .iter()
        .map(|o| (o.c_name.to_string(), o.raw))
        .collect();
    assert_eq!(table, expected);
    assert_eq!(
        CONTEXT_OPTIONS.iter().filter(|o| o.draft).count(),
        usize::from(cfg!(feature = "draft"))
    );
}

#[test]
fn marker_traits_agree_with_the_table() {
    fn check<O: SocketOption>(_: O) {
        let row = SOCKET_OPTIONS
            .iter()
            .find(|o| o.c_name == O::NAME)
            .expect("row");
        assert_eq!((row.raw, row.access), (O::RAW, O::ACCESS));
    }
    check(opt::Linger);
    check(opt::LastEndpoint);
    check(opt::Subscribe);
    check(opt::Type);
    assert_eq!(opt::Type::RAW, sys::ZMQ_TYPE);
    assert_eq!(<opt::Rcvmore as SocketOption>::ACCESS, Access::Read);
    assert_eq!(<opt::Subscribe as SocketOption>::ACCESS, Access::Write);
    assert_eq!(<opt::RoutingId as SocketOption>::ACCESS, Access::ReadWrite);
}

/// The C names a test went through.
type Seen = BTreeSet<&'static str>;

/// Asserts the test saw every row of `access`.
fn assert_covered(seen: &Seen, access: Access) {
    let missing: Vec<&str> = SOCKET_OPTIONS
        .iter()
        .filter(|o| o.access == access && !seen.contains(o.c_name))
        .map(|o| o.c_name)
        .collect();
    assert!(
        missing.is_empty(),
        "{access:?} options not tested: {missing:?}"
    );
}

/// Sets through the method, reads back through the method and the generic `get`, then sets
/// through the generic `set` and reads back again.
fn round_trip<O, S, V>(
    seen: &mut Seen,
    sock: &Socket<S>,
    option: O,
    value: O::Input<'_>,
    expected: V,
) where
    O: ReadableOption + WritableOption,
    O::Value: PartialEq<V> + Debug,
    V: Debug,
    S: zmq4::ThreadMode,
{
    sock.set(option, value)
        .unwrap_or_else(|e| panic!("set {}: {e}", O::NAME));
    let got = sock
        .get(option)
        .unwrap_or_else(|e| panic!("get {}: {e}", O::NAME));
    assert_eq!(got, expected, "{}", O::NAME);
    seen.insert(O::NAME);
}

/// Round trip through the generated methods and the generic form.
macro_rules! rt {
    ($seen:ident, $sock:expr, $M:ident, $get:ident, $set:ident, $value:expr) => {{
        let sock = &$sock;
        sock.$set($value)
            .unwrap_or_else(|e| panic!("{}: {e}", stringify!($set)));
        assert_eq!(sock.$get().unwrap(), $value, "{}", stringify!($get));
        assert_eq!(
            sock.get(opt::$M).unwrap(),
            $value,
            "get(opt::{})",
            stringify!($M)
        );
        $seen.insert(<opt::$M as SocketOption>::NAME);
    }};
}

/// An option of a transport or mechanism this libzmq lacks: reading and writing are EINVAL.
macro_rules! unavailable_rw {
    ($seen:ident, $sock:expr, $M:ident, $get:ident, $set:ident, $value:expr) => {{
        let sock = &$sock;
        assert_eq!(
            sock.$set($value),
            Err(Error::InvalidArgument),
            "{}",
            stringify!($set)
        );
        assert_eq!(
            sock.$get(),
            Err(Error::InvalidArgument),
            "{}",
            stringify!($get)
        );
        $seen.insert(<opt::$M as SocketOption>::NAME);
    }};
}

fn ctx() -> Context {
    let ctx = Context::new();
    ctx.set_blocky(false).unwrap(); // linger 0: nothing here waits at close
    ctx
}

fn socket(ctx: &Context, t: SocketType) -> Socket {
    let s = ctx.socket(t).unwrap();
    s.set_rcvtimeo(TIMEOUT_MS).unwrap();
    s.set_sndtimeo(TIMEOUT_MS).unwrap();
    s
}

#[test]
#[rustfmt::skip] // a table: one option per line
fn every_read_write_option_round_trips() {
    let ctx = ctx();
    let mut seen = Seen::new();
    let dealer = socket(&ctx, SocketType::Dealer);
    let s = &dealer;

    rt!(seen, s, Affinity, affinity, set_affinity, 3u64);
    rt!(seen, s, RoutingId, routing_id, set_routing_id, b"dealer-1");
    rt!(seen, s, Rate, rate, set_rate, 200);
    rt!(seen, s, RecoveryIvl, recovery_ivl, set_recovery_ivl, 5000);
    rt!(seen, s, Sndbuf, sndbuf, set_sndbuf, 65536);
    rt!(seen, s, Rcvbuf, rcvbuf, set_rcvbuf, 131072);
    rt!(seen, s, Linger, linger, set_linger, 250);
    rt!(seen, s, ReconnectIvl, reconnect_ivl, set_reconnect_ivl, 250);
    rt!(seen, s, Backlog, backlog, set_backlog, 50);
    rt!(seen, s, ReconnectIvlMax, reconnect_ivl_max, set_reconnect_ivl_max, 2000);
    rt!(seen, s, Maxmsgsize, maxmsgsize, set_maxmsgsize, 1i64 << 33);
    rt!(seen, s, Sndhwm, sndhwm, set_sndhwm, 500);
    rt!(seen, s, Rcvhwm, rcvhwm, set_rcvhwm, 600);
    rt!(seen, s, MulticastHops, multicast_hops, set_multicast_hops, 5);
    rt!(seen, s, Rcvtimeo, rcvtimeo, set_rcvtimeo, 1234);
    rt!(seen, s, Sndtimeo, sndtimeo, set_sndtimeo, 4321);
    rt!(seen, s, TcpKeepalive, tcp_keepalive, set_tcp_keepalive, 1);
    rt!(seen, s, TcpKeepaliveCnt, tcp_keepalive_cnt, set_tcp_keepalive_cnt, 5);
    rt!(seen, s, TcpKeepaliveIdle, tcp_keepalive_idle, set_tcp_keepalive_idle, 60);
    rt!(seen, s, TcpKeepaliveIntvl, tcp_keepalive_intvl, set_tcp_keepalive_intvl, 10);
    rt!(seen, s, Immediate, immediate, set_immediate, true);
    rt!(seen, s, Ipv6, ipv6, set_ipv6, true);
    rt!(seen, s, Conflate, conflate, set_conflate, true);
    rt!(seen, s, ZapDomain, zap_domain, set_zap_domain, "global");
    rt!(seen, s, Tos, tos, set_tos, 0x28);
    rt!(seen, s, HandshakeIvl, handshake_ivl, set_handshake_ivl, 7000);
    rt!(seen, s, SocksProxy, socks_proxy, set_socks_proxy, "127.0.0.1:1080");
    rt!(seen, s, SocksProxy, socks_proxy, set_socks_proxy, ""); // cleared
    rt!(seen, s, InvertMatching, invert_matching, set_invert_matching, true);
    rt!(seen, s, HeartbeatIvl, heartbeat_ivl, set_heartbeat_ivl, 1000);
    rt!(seen, s, HeartbeatTtl, heartbeat_ttl, set_heartbeat_ttl, 2000);
    rt!(seen, s, HeartbeatTimeout, heartbeat_timeout, set_heartbeat_timeout, 3000);
    rt!(seen, s, ConnectTimeout, connect_timeout, set_connect_timeout, 500);
    rt!(seen, s, TcpMaxrt, tcp_maxrt, set_tcp_maxrt, 1500);
    rt!(seen, s, MulticastMaxtpdu, multicast_maxtpdu, set_multicast_maxtpdu, 1400);
    {
        // Takes an owned listener (see tests/no_abort.rs); reads back the number libzmq holds.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        #[cfg(unix)]
        let number = std::os::fd::AsRawFd::as_raw_fd(&listener);
        #[cfg(windows)]
        let number = std::os::windows::io::AsRawSocket::as_raw_socket(&listener);
        s.set_use_fd(Some(listener.into())).unwrap();
        assert_eq!(s.use_fd().unwrap(), number);
        assert_eq!(s.get(opt::UseFd).unwrap(), number);
        s.set(opt::UseFd, None).unwrap();
        assert_eq!(s.use_fd().unwrap(), NO_FD);
        seen.insert(<opt::UseFd as SocketOption>::NAME);
    }
    rt!(seen, s, Bindtodevice, bindtodevice, set_bindtodevice, "lo");
    rt!(seen, s, Bindtodevice, bindtodevice, set_bindtodevice, "");

    // The generic form on its own, with borrowed and owned inputs.
    round_trip(&mut seen, s, opt::Linger, 0, 0);
    let id = vec![7u8; 255];
    round_trip(&mut seen, s, opt::RoutingId, &id, id.clone());
    round_trip(&mut seen, s, opt::ZapDomain, "domain", "domain");

    // Security mechanisms: each on a fresh socket, since they select the mechanism.
    let plain = socket(&ctx, SocketType::Dealer);
    rt!(seen, plain, PlainUsername, plain_username, set_plain_username, "admin");
    rt!(seen, plain, PlainPassword, plain_password, set_plain_password, "s3cret");
    assert_eq!(plain.mechanism().unwrap(), Mechanism::Plain);
    assert!(!plain.plain_server().unwrap());
    rt!(seen, plain, PlainServer, plain_server, set_plain_server, true);
    plain.set_plain_username("").unwrap(); // (NULL, 0): back to the NULL mechanism
    assert_eq!(plain.mechanism().unwrap(), Mechanism::Null);

    let curve = socket(&ctx, SocketType::Dealer);
    if has(Capability::Curve) {
        let server = CurveKeyPair::generate().unwrap();
        let client = CurveKeyPair::generate().unwrap();
        rt!(seen, curve, CurvePublickey, curve_publickey, set_curve_publickey, client.public);
        rt!(seen, curve, CurveSecretkey, curve_secretkey, set_curve_secretkey, client.secret);
        rt!(seen, curve, CurveServerkey, curve_serverkey, set_curve_serverkey, server.public);
        // Every accepted key form gives the same key.
        let z85 = server.public.to_z85();
        curve.set_curve_serverkey(z85.as_str()).unwrap();
        assert_eq!(curve.curve_serverkey().unwrap(), server.public);
        curve.set_curve_serverkey(&z85).unwrap();
        curve.set_curve_serverkey(z85.as_bytes()).unwrap();
        curve.set_curve_serverkey(server.public.to_bytes()).unwrap();
        curve
            .set_curve_serverkey(&server.public.as_bytes()[..])
            .unwrap();
        assert_eq!(curve.curve_serverkey().unwrap(), server.public);
        assert_eq!(curve.mechanism().unwrap(), Mechanism::Curve);
        rt!(seen, curve, CurveServer, curve_server, set_curve_server, true);
    } else {
        let key = CurveKey::from_bytes([1; 32]);
        unavailable_rw!(seen, curve, CurvePublickey, curve_publickey, set_curve_publickey, key);
        unavailable_rw!(seen, curve, CurveSecretkey, curve_secretkey, set_curve_secretkey, key);
        unavailable_rw!(seen, curve, CurveServerkey, curve_serverkey, set_curve_serverkey, key);
        unavailable_rw!(seen, curve, CurveServer, curve_server, set_curve_server, true);
    }

    // GSSAPI is not built into this libzmq.
    assert!(!has(Capability::Gssapi));
    let g = socket(&ctx, SocketType::Dealer);
    unavailable_rw!(seen, g, GssapiServer, gssapi_server, set_gssapi_server, true);
    unavailable_rw!(seen, g, GssapiPrincipal, gssapi_principal, set_gssapi_principal, "zmq");
    unavailable_rw!(seen, g, GssapiServicePrincipal, gssapi_service_principal, set_gssapi_service_principal, "zmq");
    unavailable_rw!(seen, g, GssapiPlaintext, gssapi_plaintext, set_gssapi_plaintext, true);
    unavailable_rw!(seen, g, GssapiPrincipalNametype, gssapi_principal_nametype, set_gssapi_principal_nametype, 1);
    unavailable_rw!(seen, g, GssapiServicePrincipalNametype, gssapi_service_principal_nametype, set_gssapi_service_principal_nametype, 1);

    #[cfg(feature = "draft")]
    {
        use zmq4::{ReconnectStop, RouterNotify};
        rt!(seen, s, ZapEnforceDomain, zap_enforce_domain, set_zap_enforce_domain, true);
        rt!(seen, s, LoopbackFastpath, loopback_fastpath, set_loopback_fastpath, true);
        rt!(seen, s, MulticastLoop, multicast_loop, set_multicast_loop, false);
        rt!(seen, s, SocksUsername, socks_username, set_socks_username, "user");
        rt!(seen, s, SocksPassword, socks_password, set_socks_password, "pass");
        rt!(seen, s, SocksUsername, socks_username, set_socks_username, "");
        rt!(seen, s, InBatchSize, in_batch_size, set_in_batch_size, 4096);
        rt!(seen, s, OutBatchSize, out_batch_size, set_out_batch_size, 4096);
        rt!(seen, s, ReconnectStop, reconnect_stop, set_reconnect_stop, ReconnectStop::CONN_REFUSED | ReconnectStop::AFTER_DISCONNECT);
        rt!(seen, s, Priority, priority, set_priority, 3);

        let router = socket(&ctx, SocketType::Router);
        rt!(seen, router, RouterNotify, router_notify, set_router_notify, RouterNotify::CONNECT | RouterNotify::DISCONNECT);
        rt!(seen, router, RouterNotify, router_notify, set_router_notify, RouterNotify::empty());

        // NORM is not built into this libzmq.
        assert!(!has(Capability::Norm));
        unavailable_rw!(seen, s, NormMode, norm_mode, set_norm_mode, sys::ZMQ_NORM_CC);
        unavailable_rw!(seen, s, NormUnicastNack, norm_unicast_nack, set_norm_unicast_nack, true);
        unavailable_rw!(seen, s, NormBufferSize, norm_buffer_size, set_norm_buffer_size, 4096);
        unavailable_rw!(seen, s, NormSegmentSize, norm_segment_size, set_norm_segment_size, 1400);
        unavailable_rw!(seen, s, NormBlockSize, norm_block_size, set_norm_block_size, 16);
        unavailable_rw!(seen, s, NormNumParity, norm_num_parity, set_norm_num_parity, 4);
        unavailable_rw!(seen, s, NormNumAutoparity, norm_num_autoparity, set_norm_num_autoparity, 1);
        unavailable_rw!(seen, s, NormPush, norm_push, set_norm_push, true);
    }

    assert_covered(&seen, Access::ReadWrite);
}

#[test]
#[rustfmt::skip] // a table: one option per line
fn every_read_only_option_reads() {
    let ctx = ctx();
    let mut seen = Seen::new();
    let mut mark = |name: &'static str| {
        seen.insert(name);
    };

    // ZMQ_TYPE for every socket type this build knows.
    for &t in SocketType::ALL {
        let s = ctx.socket(t).unwrap();
        assert_eq!(s.socket_type().unwrap(), t);
        assert_eq!(s.get(opt::Type).unwrap(), t);
        assert_eq!(s.thread_safe().unwrap(), t.is_thread_safe(), "{t:?}");
        assert_eq!(s.mechanism().unwrap(), Mechanism::Null);
    }
    mark(opt::Type::NAME);
    mark(opt::ThreadSafe::NAME);
    mark(opt::Mechanism::NAME);

    // A PAIR over inproc: RCVMORE, EVENTS, FD, LAST_ENDPOINT.
    let a = socket(&ctx, SocketType::Pair);
    let b = socket(&ctx, SocketType::Pair);
    assert_eq!(a.last_endpoint().unwrap(), "");
    assert_ne!(a.fd().unwrap(), NO_FD);
    assert_eq!(a.get(opt::Fd).unwrap(), a.fd().unwrap());
    assert_eq!(a.events().unwrap(), PollEvents::empty());
    a.bind("inproc://options-read-only").unwrap();
    assert_eq!(a.last_endpoint().unwrap(), "inproc://options-read-only");
    b.connect("inproc://options-read-only").unwrap();
    assert!(b.events().unwrap().contains(PollEvents::POLLOUT));
    b.send_multipart([&b"one"[..], b"two"], SendFlags::empty())
        .unwrap();
    assert!(!a.rcvmore().unwrap());
    assert_eq!(a.recv_bytes(RecvFlags::empty()).unwrap(), b"one");
    assert!(a.rcvmore().unwrap());
    assert!(a.get(opt::Rcvmore).unwrap());
    assert!(a.events().unwrap().contains(PollEvents::POLLIN));
    assert_eq!(a.recv_bytes(RecvFlags::empty()).unwrap(), b"two");
    assert!(!a.rcvmore().unwrap());
    assert!(!a.events().unwrap().contains(PollEvents::POLLIN));
    mark(opt::Rcvmore::NAME);
    mark(opt::Events::NAME);
    mark(opt::Fd::NAME);

    // LAST_ENDPOINT: wildcards resolved, and longer than the first buffer tried (256 bytes).
    let tcp = socket(&ctx, SocketType::Rep);
    tcp.bind("tcp://127.0.0.1:*").unwrap();
    let ep = tcp.last_endpoint().unwrap();
    assert!(
        ep.starts_with("tcp://127.0.0.1:") && !ep.ends_with(":*"),
        "{ep}"
    );
    let long = format!("inproc://{}", "x".repeat(5000));
    let l = socket(&ctx, SocketType::Pull);
    l.bind(&long).unwrap();
    assert_eq!(l.last_endpoint().unwrap(), long);
    assert_eq!(l.get(opt::LastEndpoint).unwrap(), long);
    mark(opt::LastEndpoint::NAME);

    #[cfg(feature = "draft")]
    {
        // TOPICS_COUNT on XPUB/XSUB; EINVAL elsewhere.
        let xsub = socket(&ctx, SocketType::XSub);
        assert_eq!(xsub.topics_count().unwrap(), 0);
        xsub.send(b"\x01weather", SendFlags::empty()).unwrap();
        xsub.send(b"\x01news", SendFlags::empty()).unwrap();
        assert_eq!(xsub.topics_count().unwrap(), 2);
        let xpub = socket(&ctx, SocketType::XPub);
        assert_eq!(xpub.get(opt::TopicsCount).unwrap(), 0);
        assert_eq!(a.topics_count(), Err(Error::InvalidArgument));
        mark(opt::TopicsCount::NAME);

        // A thread-safe socket has no ZMQ_FD.
        let server = ctx.shared_socket(SocketType::Server).unwrap();
        assert_eq!(server.fd(), Err(Error::InvalidArgument));
        assert!(server.thread_safe().unwrap());
        assert_eq!(server.socket_type().unwrap(), SocketType::Server);
    }

    assert_covered(&seen, Access::Read);
}

/// A write-only option that the socket accepts.
macro_rules! wo {
    ($seen:ident, $sock:expr, $M:ident, $set:ident, $value:expr) => {{
        let sock = &$sock;
        sock.$set($value)
            .unwrap_or_else(|e| panic!("{}: {e}", stringify!($set)));
        sock.set(opt::$M, $value)
            .unwrap_or_else(|e| panic!("set(opt::{}): {e}", stringify!($M)));
        $seen.insert(<opt::$M as SocketOption>::NAME);
    }};
}

/// A write-only option that fails with EINVAL here (transport not built).
macro_rules! wo_unavailable {
    ($seen:ident, $sock:expr, $M:ident, $set:ident, $value:expr) => {{
        assert_eq!(
            $sock.$set($value),
            Err(Error::InvalidArgument),
            "{}",
            stringify!($set)
        );
        $seen.insert(<opt::$M as SocketOption>::NAME);
    }};
}

#[test]
#[rustfmt::skip] // a table: one option per line
fn every_write_only_option_writes() {
    let ctx = ctx();
    let mut seen = Seen::new();

    let sub = socket(&ctx, SocketType::Sub);
    wo!(seen, sub, Subscribe, set_subscribe, b"topic");
    wo!(seen, sub, Unsubscribe, set_unsubscribe, b"topic");

    let router = socket(&ctx, SocketType::Router);
    wo!(seen, router, RouterMandatory, set_router_mandatory, true);
    wo!(seen, router, RouterHandover, set_router_handover, true);
    wo!(seen, router, ProbeRouter, set_probe_router, true);
    wo!(seen, router, ConnectRoutingId, set_connect_routing_id, b"peer-1");
    let raw = socket(&ctx, SocketType::Router);
    wo!(seen, raw, RouterRaw, set_router_raw, true);

    let xpub = socket(&ctx, SocketType::XPub);
    wo!(seen, xpub, XpubVerbose, set_xpub_verbose, true);
    wo!(seen, xpub, XpubVerboser, set_xpub_verboser, true);
    wo!(seen, xpub, XpubNodrop, set_xpub_nodrop, true);
    wo!(seen, xpub, XpubManual, set_xpub_manual, true);
    wo!(seen, xpub, XpubWelcomeMsg, set_xpub_welcome_msg, b"welcome");
    wo!(seen, xpub, XpubWelcomeMsg, set_xpub_welcome_msg, b"");

    let req = socket(&ctx, SocketType::Req);
    wo!(seen, req, ReqCorrelate, set_req_correlate, true);
    wo!(seen, req, ReqRelaxed, set_req_relaxed, true);

    let stream = socket(&ctx, SocketType::Stream);
    wo!(seen, stream, StreamNotify, set_stream_notify, false);

    // VMCI is not built into this libzmq.
    assert!(!has(Capability::Vmci));
    let d = socket(&ctx, SocketType::Dealer);
    wo_unavailable!(seen, d, VmciBufferSize, set_vmci_buffer_size, 1 << 16);
    wo_unavailable!(seen, d, VmciBufferMinSize, set_vmci_buffer_min_size, 1 << 12);
    wo_unavailable!(seen, d, VmciBufferMaxSize, set_vmci_buffer_max_size, 1 << 20);
    wo_unavailable!(seen, d, VmciConnectTimeout, set_vmci_connect_timeout, 100);

    // Type-specific options on the wrong type are EINVAL.
    assert_eq!(d.set_router_mandatory(true), Err(Error::InvalidArgument));
    assert_eq!(d.set_xpub_verbose(true), Err(Error::InvalidArgument));
    assert_eq!(d.set_req_correlate(true), Err(Error::InvalidArgument));

    #[cfg(feature = "draft")]
    {
        wo!(seen, d, Metadata, set_metadata, "X-app:options-test");
        wo!(seen, d, HelloMsg, set_hello_msg, b"hello");
        wo!(seen, d, DisconnectMsg, set_disconnect_msg, b"bye");
        wo!(seen, d, HiccupMsg, set_hiccup_msg, b"hiccup");
        wo!(seen, d, HiccupMsg, set_hiccup_msg, b"");
        wo!(seen, d, BusyPoll, set_busy_poll, true);
        // libzmq 4.3.5's getter for ZMQ_BUSY_POLL fails (why the row is write-only).
        assert_eq!(d.getsockopt(sys::ZMQ_BUSY_POLL, &mut [0u8; 4]), Err(Error::InvalidArgument));

        wo!(seen, xpub, XpubManualLastValue, set_xpub_manual_last_value, true);
        wo!(seen, xpub, OnlyFirstSubscribe, set_only_first_subscribe, true);
        let xsub = socket(&ctx, SocketType::XSub);
        wo!(seen, xsub, OnlyFirstSubscribe, set_only_first_subscribe, true);
        wo!(seen, xsub, XsubVerboseUnsubscribe, set_xsub_verbose_unsubscribe, true);

        if has(Capability::Wss) {
            wo!(seen, d, WssKeyPem, set_wss_key_pem, "-----BEGIN PRIVATE KEY-----");
            wo!(seen, d, WssCertPem, set_wss_cert_pem, "-----BEGIN CERTIFICATE-----");
            wo!(seen, d, WssTrustPem, set_wss_trust_pem, "-----BEGIN CERTIFICATE-----");
            wo!(seen, d, WssHostname, set_wss_hostname, "localhost");
            wo!(seen, d, WssTrustSystem, set_wss_trust_system, true);
        } else {
            wo_unavailable!(seen, d, WssKeyPem, set_wss_key_pem, "-----BEGIN PRIVATE KEY-----");
            wo_unavailable!(seen, d, WssCertPem, set_wss_cert_pem, "-----BEGIN CERTIFICATE-----");
            wo_unavailable!(seen, d, WssTrustPem, set_wss_trust_pem, "-----BEGIN CERTIFICATE-----");
            wo_unavailable!(seen, d, WssHostname, set_wss_hostname, "localhost");
            wo_unavailable!(seen, d, WssTrustSystem, set_wss_trust_system, true);
        }
    }

    assert_covered(&seen, Access::Write);
}

#[test]
fn write_only_options_take_effect() {
    let ctx = ctx();
    // SUBSCRIBE filters.
    let publisher = socket(&ctx, SocketType::Pub);
    let sub = socket(&ctx, SocketType::Sub);
    publisher.bind("inproc://options-subscribe").unwrap();
    sub.connect("inproc://options-subscribe").unwrap();
    sub.set_subscribe(b"yes").unwrap();
    // Subscriptions travel asynchronously: publish until the first one arrives.
    let mut got = None;
    for _ in 0..500 {
        publisher.send("no: dropped", SendFlags::empty()).unwrap();
        publisher.send("yes: kept", SendFlags::empty()).unwrap();
        match sub.recv_bytes(RecvFlags::DONTWAIT) {
            Ok(m) => {
                got = Some(m);
                break;
            }
            Err(Error::WouldBlock) => std::thread::sleep(std::time::Duration::from_millis(10)),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(got.as_deref(), Some(&b"yes: kept"[..]));

    // ROUTER_MANDATORY: an unknown peer is an error, not a silent drop.
    let router = socket(&ctx, SocketType::Router);
    router
        .send_multipart([&b"nobody"[..], b"hi"], SendFlags::empty())
        .unwrap();
    router.set_router_mandatory(true).unwrap();
    assert_eq!(
        router.send_multipart([&b"nobody"[..], b"hi"], SendFlags::empty()),
        Err(Error::HostUnreachable)
    );
}

#[test]
fn invalid_values_are_typed_errors() {
    let ctx = ctx();
    let d = socket(&ctx, SocketType::Dealer);
    let router = socket(&ctx, SocketType::Router);

    // Values libzmq rejects.
    assert_eq!(d.set_sndhwm(-1), Err(Error::InvalidArgument));
    assert_eq!(d.set(opt::Rcvhwm, -1), Err(Error::InvalidArgument));
    assert_eq!(d.set_linger(-2), Err(Error::InvalidArgument));
    assert_eq!(d.set_rate(0), Err(Error::InvalidArgument));
    assert_eq!(d.set_tcp_keepalive(2), Err(Error::InvalidArgument));
    assert_eq!(d.set_sndbuf(-2), Err(Error::InvalidArgument));
    #[cfg(unix)] // Windows takes the socket unchecked (see OwnedListener)
    assert_eq!(
        d.set_use_fd(Some(std::fs::File::open("/dev/null").unwrap().into())),
        Err(Error::InvalidArgument)
    );
    assert_eq!(router.set_routing_id(b""), Err(Error::InvalidArgument));
    assert_eq!(
        router.set_routing_id(&[1u8; 256]),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        router.set_connect_routing_id(b""),
        Err(Error::InvalidArgument)
    );
    assert_eq!(d.set_zap_domain(""), Err(Error::InvalidArgument));
    assert_eq!(
        d.set_bindtodevice(&"x".repeat(17)),
        Err(Error::InvalidArgument)
    );
    assert_eq!(d.sndhwm().unwrap(), 1000, "failed sets change nothing");

    // Strings with a NUL inside never reach libzmq.
    assert_eq!(d.set_zap_domain("a\0b"), Err(Error::InvalidArgument));
    assert_eq!(
        d.set(opt::PlainUsername, "ad\0min"),
        Err(Error::InvalidArgument)
    );

    // CURVE keys of the wrong size or alphabet: refused before libzmq sees them.
    assert_eq!(
        d.set_curve_publickey(&[0u8; 31][..]),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.set_curve_publickey(&[0u8; 33][..]),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.set_curve_serverkey("too short"),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.set_curve_serverkey(&"~".repeat(40)),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.setsockopt(sys::ZMQ_CURVE_PUBLICKEY, &[0u8; 31]),
        Err(Error::InvalidArgument)
    );

    // The untyped path: unknown options, wrong sizes, empty buffers.
    assert_eq!(
        d.setsockopt(12345, &1i32.to_ne_bytes()),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.getsockopt(12345, &mut [0u8; 4]),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.setsockopt(sys::ZMQ_LINGER, &[0u8; 3]),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.setsockopt(sys::ZMQ_LINGER, &[]),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.getsockopt(sys::ZMQ_LINGER, &mut [0u8; 3]),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.getsockopt(sys::ZMQ_LAST_ENDPOINT, &mut []),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.setsockopt(sys::ZMQ_AFFINITY, &1i32.to_ne_bytes()),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        d.setsockopt(sys::ZMQ_BLOCKY, &1i32.to_ne_bytes()),
        Err(Error::InvalidArgument)
    );
    // … and it works for what it is for.
    d.setsockopt(sys::ZMQ_LINGER, &0i32.to_ne_bytes()).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(d.getsockopt(sys::ZMQ_LINGER, &mut buf), Ok(4));
    assert_eq!(i32::from_ne_bytes(buf), 0);
    router
        .setsockopt(sys::ZMQ_TCP_ACCEPT_FILTER, b"127.0.0.1")
        .unwrap();

    #[cfg(feature = "draft")]
    {
        use zmq4::RouterNotify;
        assert_eq!(
            router.set_router_notify(RouterNotify::from_bits_retain(4)),
            Err(Error::InvalidArgument)
        );
        assert_eq!(
            d.set_router_notify(RouterNotify::CONNECT),
            Err(Error::InvalidArgument)
        );
        assert_eq!(d.set_metadata("no-colon"), Err(Error::InvalidArgument));
        assert_eq!(d.set_metadata("Y-key:value"), Err(Error::InvalidArgument));
        assert_eq!(d.set_metadata("X-key:"), Err(Error::InvalidArgument));
        assert_eq!(d.set_in_batch_size(0), Err(Error::InvalidArgument));
        // The (unknown) bits of a flag set are kept, not dropped or panicked on.
        d.set_reconnect_stop(zmq4::ReconnectStop::from_bits_retain(0x40))
            .unwrap();
        assert_eq!(d.reconnect_stop().unwrap().bits(), 0x40);
    }

    // After the context is shut down (and the socket has seen it), options fail with ETERM.
    ctx.shutdown().unwrap();
    assert_eq!(d.events(), Err(Error::ContextTerminated));
    assert_eq!(d.set_linger(0), Err(Error::ContextTerminated));
    assert_eq!(d.linger(), Err(Error::ContextTerminated));
}

#[test]
#[rustfmt::skip] // a table: one option per line
fn context_options_round_trip() {
    let ctx = Context::new();
    assert_eq!(ctx.io_threads().unwrap(), sys::ZMQ_IO_THREADS_DFLT);
    assert_eq!(ctx.max_sockets().unwrap(), sys::ZMQ_MAX_SOCKETS_DFLT);
    assert_eq!(ctx.thread_sched_policy().unwrap(), sys::ZMQ_THREAD_SCHED_POLICY_DFLT); // -1 is a value
    assert!(ctx.blocky().unwrap());
    assert!(!ctx.ipv6().unwrap());
    assert_eq!(ctx.max_msgsz().unwrap(), i32::MAX);

    let mut seen = Seen::new();
    macro_rules! crt {
        ($M:ident, $get:ident, $set:ident, $value:expr) => {{
            ctx.$set($value)
                .unwrap_or_else(|e| panic!("{}: {e}", stringify!($set)));
            assert_eq!(ctx.$get().unwrap(), $value, "{}", stringify!($get));
            assert_eq!(ctx.get(ctxopt::$M).unwrap(), $value);
            ctx.set(ctxopt::$M, $value).unwrap();
            seen.insert(stringify!($M));
        }};
    }
    crt!(IoThreads, io_threads, set_io_threads, 2);
    crt!(MaxSockets, max_sockets, set_max_sockets, 512);
    crt!(ThreadSchedPolicy, thread_sched_policy, set_thread_sched_policy, 0);
    crt!(MaxMsgsz, max_msgsz, set_max_msgsz, 4096);
    crt!(Ipv6, ipv6, set_ipv6, true);
    crt!(Blocky, blocky, set_blocky, false);
    if cfg!(feature = "draft") {
        crt!(ThreadNamePrefix, thread_name_prefix, set_thread_name_prefix, "worker");
        // 4 bytes would be read as a C int by libzmq: still a string here.
        crt!(ThreadNamePrefix, thread_name_prefix, set_thread_name_prefix, "abcd");
        crt!(ThreadNamePrefix, thread_name_prefix, set_thread_name_prefix, "sixteen-chars-xx");
        assert_eq!(ctx.set_thread_name_prefix("seventeen-chars-x"), Err(Error::InvalidArgument));
    } else {
        crt!(ThreadNamePrefix, thread_name_prefix, set_thread_name_prefix, "42");
        assert_eq!(ctx.set_thread_name_prefix("worker"), Err(Error::NotSupported));
    }
    assert_eq!(ctx.set_thread_name_prefix("a\0b"), Err(Error::InvalidArgument));
    #[cfg(feature = "draft")]
    crt!(ZeroCopyRecv, zero_copy_recv, set_zero_copy_recv, false);

    // Read-only.
    assert!(ctx.socket_limit().unwrap() >= ctx.max_sockets().unwrap());
    assert_eq!(ctx.get(ctxopt::SocketLimit).unwrap(), ctx.socket_limit().unwrap());
    assert_eq!(ctx.msg_t_size().unwrap(), std::mem::size_of::<sys::zmq_msg_t>() as i32);
    seen.insert("SocketLimit");
    seen.insert("MsgTSize");

    // Write-only (on a context that never starts its I/O threads: no socket is made).
    ctx.set_thread_priority(0).unwrap();
    ctx.set(ctxopt::ThreadPriority, 0).unwrap();
    ctx.set_thread_affinity_cpu_add(0).unwrap();
    ctx.set(ctxopt::ThreadAffinityCpuAdd, 1).unwrap();
    ctx.set_thread_affinity_cpu_remove(1).unwrap();
    ctx.set(ctxopt::ThreadAffinityCpuRemove, 0).unwrap();
    seen.extend([
        "ThreadPriority",
        "ThreadAffinityCpuAdd",
        "ThreadAffinityCpuRemove",
    ]);

    let missing: Vec<&str> = CONTEXT_OPTIONS
        .iter()
        .map(|o| o.marker)
        .filter(|m| !seen.contains(m))
        .collect();
    assert!(missing.is_empty(), "context options not tested: {missing:?}");

    // Invalid values.
    assert_eq!(ctx.set_io_threads(-1), Err(Error::InvalidArgument));
    assert_eq!(ctx.set_max_sockets(0), Err(Error::InvalidArgument));
    assert_eq!(ctx.set_thread_priority(-5), Err(Error::InvalidArgument));
    assert_eq!(ctx.set_thread_affinity_cpu_remove(3), Err(Error::InvalidArgument));
    assert_eq!(ctx.set_max_msgsz(-1), Err(Error::InvalidArgument));

    // BLOCKY and IPV6 are the defaults of new sockets.
    let fresh = Context::new();
    fresh.set_blocky(false).unwrap();
    fresh.set_ipv6(true).unwrap();
    let s = fresh.socket(SocketType::Pair).unwrap();
    assert_eq!(s.linger().unwrap(), 0);
    assert!(s.ipv6().unwrap());

    // A terminated context.
    drop(s);
    let clone = fresh.clone();
    fresh.term().unwrap();
    assert_eq!(clone.io_threads(), Err(Error::ContextTerminated));
    assert_eq!(clone.set_io_threads(1), Err(Error::ContextTerminated));
}

#[test]
fn curve_keys_and_z85() {
    // RFC 32 test vector.
    let bytes = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
    assert_eq!(z85_encode(&bytes).unwrap(), "HelloWorld");
    assert_eq!(z85_decode("HelloWorld").unwrap(), bytes);

    // Bad input: typed errors.
    assert_eq!(
        z85_encode(&[1, 2, 3]),
        Err(Z85Error::InvalidLength { len: 3 })
    );
    assert_eq!(z85_decode("Hello"), Ok(vec![0x86, 0x4F, 0xD2, 0x6F]));
    assert_eq!(z85_decode("Hell"), Err(Z85Error::InvalidLength { len: 4 }));
    assert_eq!(
        z85_decode("Hell\""),
        Err(Z85Error::InvalidCharacter {
            index: 4,
            byte: b'"'
        })
    );
    assert_eq!(
        z85_decode("Hel o"),
        Err(Z85Error::InvalidCharacter {
            index: 3,
            byte: b' '
        })
    );
    assert_eq!(z85_decode("#####"), Err(Z85Error::Overflow { index: 0 }));
    assert!(Error::from(Z85Error::InvalidLength { len: 1 }) == Error::InvalidArgument);

    // The key of zmq_curve(7)'s example.
    let z85 = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    let key = CurveKey::from_z85(z85).unwrap();
    assert_eq!(key.to_z85(), z85);
    assert_eq!(key.as_bytes()[..4], [0x54, 0xFC, 0xBA, 0x24]);
    assert_eq!(key.as_bytes()[28..], [0x1B, 0xC2, 0xD6, 0x52]);
    assert_eq!(key.to_string(), z85);
    assert_eq!(z85.parse::<CurveKey>().unwrap(), key);
    assert_eq!(CurveKey::try_from(z85).unwrap(), key);
    assert_eq!(CurveKey::try_from(z85.as_bytes()).unwrap(), key);
    assert_eq!(CurveKey::try_from(&key.as_bytes()[..]).unwrap(), key);
    assert_eq!(CurveKey::from(key.to_bytes()), key);
    assert_eq!(
        CurveKey::try_from(&[0u8; 31][..]),
        Err(Z85Error::InvalidLength { len: 31 })
    );
    assert_eq!(
        CurveKey::from_z85(&z85[..35]),
        Err(Z85Error::InvalidLength { len: 35 })
    );
    assert!(CurveKey::from_z85(&z85.replace('r', "~")).is_err());

    if has(Capability::Curve) {
        // zmq_curve(7): this secret key has that public key.
        let secret = CurveKey::from_z85("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6").unwrap();
        let public = CurveKey::from_z85("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7").unwrap();
        assert_eq!(CurveKey::public_from_secret(&secret).unwrap(), public);
        let pair = CurveKeyPair::generate().unwrap();
        assert_ne!(pair.public, pair.secret);
        assert_eq!(
            CurveKey::public_from_secret(&pair.secret).unwrap(),
            pair.public
        );
        assert!(!format!("{pair:?}").contains(&pair.secret.to_z85()));
    } else {
        assert_eq!(CurveKeyPair::generate(), Err(Error::NotSupported));
        assert_eq!(CurveKey::public_from_secret(&key), Err(Error::NotSupported));
    }
}

/// A CURVE handshake configured only through the option methods, end to end.
#[test]
fn curve_options_secure_a_connection() {
    if !has(Capability::Curve) {
        return;
    }
    let ctx = ctx();
    let server_keys = CurveKeyPair::generate().unwrap();
    let client_keys = CurveKeyPair::generate().unwrap();

    let server = socket(&ctx, SocketType::Rep);
    server.set_curve_server(true).unwrap();
    server.set_curve_secretkey(server_keys.secret).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    let client = socket(&ctx, SocketType::Req);
    client
        .set_curve_serverkey(server_keys.public.to_z85().as_str())
        .unwrap();
    client.set_curve_publickey(client_keys.public).unwrap();
    client
        .set_curve_secretkey(client_keys.secret.to_bytes())
        .unwrap();
    client.connect(&endpoint).unwrap();

    client.send("secret ping", SendFlags::empty()).unwrap();
    assert_eq!(
        server.recv_bytes(RecvFlags::empty()).unwrap(),
        b"secret ping"
    );
    server.send("secret pong", SendFlags::empty()).unwrap();
    assert_eq!(
        client.recv_bytes(RecvFlags::empty()).unwrap(),
        b"secret pong"
    );
}

/// The options work the same on a thread-safe (draft) socket.
#[cfg(feature = "draft")]
#[test]
fn options_on_shared_sockets() {
    let ctx = ctx();
    let server = ctx.shared_socket(SocketType::Server).unwrap();
    server.set_linger(0).unwrap();
    server.set(opt::Sndhwm, 10).unwrap();
    assert_eq!(server.sndhwm().unwrap(), 10);
    assert_eq!(server.get(opt::Linger).unwrap(), 0);
    std::thread::scope(|s| {
        s.spawn(|| assert_eq!(server.get(opt::Sndhwm).unwrap(), 10));
    });
}
