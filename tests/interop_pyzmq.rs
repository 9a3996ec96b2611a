//! The pyzmq interop matrix: for REQ/REP, DEALER/ROUTER, PUB/SUB, XPUB/XSUB, PUSH/PULL and
//! PAIR over tcp, under NULL, PLAIN and CURVE, our socket on one end and a pyzmq socket (its
//! own bundled libzmq, in a python process: tests/pyzmq/peer.py) on the other. Every cell
//! varies who is the security server (binds, runs the ZAP handler: ours is
//! `zmq4::auth::Authenticator`, theirs `zmq.auth.thread.ThreadAuthenticator`) and which of the
//! pattern's two socket types is ours, so each side sends and receives under each role.
//!
//! Each cell sends one multipart message of frames of 0 B, 1 B, 64 KiB and 8 MiB (and the
//! pattern's reply or echo where it has one); both sides check every byte, the routing id a
//! ROUTER sees, and the metadata of what they receive: `Socket-Type`, `Peer-Address`, the
//! ZAP `User-Id` on the server side, and our `ZMQ_METADATA` property (`X-Zmq4`, with
//! `draft`). A last group checks refusals across implementations: a denied address (NULL), a
//! wrong password (PLAIN), an unknown key (CURVE), seen as HANDSHAKE_FAILED_AUTH (status 400)
//! on both ends, nothing delivered.
//!
//! One python process per cell (about 0.2 s each); the whole matrix runs in well under a
//! minute. Every wait is bounded ([`CELL_TIMEOUT`]). pyzmq is found or installed by
//! tests/common/pyzmq.rs; `ZMQ4_SKIP_PYZMQ=1` skips these tests when it cannot be.
// The pyzmq peer runs in a Python venv made by ci/pyzmq-venv.sh (bash): Unix only.
#![cfg(unix)]

mod common;

use common::pyzmq::{python, PyPeer};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use zmq4::auth::Authenticator;
use zmq4::monitor::{Event, Monitor, MonitorEvents};
use zmq4::security::CurveKeyPair;
use zmq4::{Context, Error, Message, RecvFlags, SendFlags, Socket, SocketType};

/// The frame sizes of every message.
const SIZES: [usize; 4] = [0, 1, 64 * 1024, 8 * 1024 * 1024];
/// Upper bound of one cell: the python process and every send/receive of ours.
const CELL_TIMEOUT: Duration = Duration::from_secs(20);
/// The ZAP domain of every server.
const DOMAIN: &str = "interop";
const USERNAME: &str = "interop-user";
const PASSWORD: &str = "interop-secret";

/// Frame k of size n holds bytes (j + 7k) mod 251, as peer.py makes them.
fn payload() -> &'static [Vec<u8>] {
    static P: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    P.get_or_init(|| {
        SIZES
            .iter()
            .enumerate()
            .map(|(k, &n)| (0..n).map(|j| ((j + 7 * k) % 251) as u8).collect())
            .collect()
    })
}

fn payload_messages() -> impl Iterator<Item = Message> {
    payload().iter().map(|f| Message::from(&f[..]))
}

fn check_payload(frames: &[Message], what: &str) {
    let sizes: Vec<usize> = frames.iter().map(Message::len).collect();
    assert_eq!(sizes, SIZES, "{what}: frame sizes");
    for (k, (got, want)) in frames.iter().zip(payload()).enumerate() {
        assert!(got[..] == want[..], "{what}: frame {k} differs");
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mech {
    Null,
    Plain,
    Curve,
}

impl Mech {
    const ALL: [Mech; 3] = [Mech::Null, Mech::Plain, Mech::Curve];

    fn name(self) -> &'static str {
        match self {
            Mech::Null => "NULL",
            Mech::Plain => "PLAIN",
            Mech::Curve => "CURVE",
        }
    }
}

/// The credentials of one cell. `deny` makes the client's credentials wrong (PLAIN, CURVE)
/// or the server deny 127.0.0.1 (NULL).
struct Security {
    mech: Mech,
    deny: bool,
    server: Option<CurveKeyPair>,
    /// The client key the server allows.
    allowed: Option<CurveKeyPair>,
    /// The client key the client presents.
    presented: Option<CurveKeyPair>,
}

impl Security {
    /// `None` when the cell needs CURVE and this build has none.
    fn new(mech: Mech, deny: bool) -> Option<Security> {
        let (server, allowed, presented) = if mech == Mech::Curve {
            let server = CurveKeyPair::generate().ok()?;
            let allowed = CurveKeyPair::generate().ok()?;
            let presented = if deny {
                CurveKeyPair::generate().ok()?
            } else {
                allowed
            };
            (Some(server), Some(allowed), Some(presented))
        } else {
            (None, None, None)
        };
        Some(Security {
            mech,
            deny,
            server,
            allowed,
            presented,
        })
    }

    fn password_presented(&self) -> &'static str {
        if self.deny {
            "wrong password"
        } else {
            PASSWORD
        }
    }

    /// The `security` object of peer.py's config, for a peer that is the server or not.
    fn json(&self, server: bool) -> String {
        let z85 = |k: Option<CurveKeyPair>, secret: bool| {
            k.map_or(String::new(), |k| {
                if secret { k.secret } else { k.public }.to_z85()
            })
        };
        let client = if server { self.allowed } else { self.presented };
        let password = if server {
            PASSWORD
        } else {
            self.password_presented()
        };
        format!(
            r#"{{"mech":{},"server":{server},"domain":{},"deny":{},"username":{},"password":{},"server_public":{},"server_secret":{},"client_public":{},"client_secret":{}}}"#,
            json_str(self.mech.name()),
            json_str(DOMAIN),
            self.deny,
            json_str(USERNAME),
            json_str(password),
            json_str(&z85(self.server, false)),
            json_str(&z85(self.server, true)),
            json_str(&z85(client, false)),
            json_str(&z85(client, true)),
        )
    }

    /// Secures our socket as the server or the client of the cell.
    fn apply(&self, sock: &Socket, server: bool) {
        if server {
            sock.set_zap_domain(DOMAIN).unwrap();
            match self.mech {
                Mech::Null => {}
                Mech::Plain => sock.set_plain_server(true).unwrap(),
                Mech::Curve => {
                    sock.set_curve_server(true).unwrap();
                    sock.set_curve_secretkey(self.server.unwrap().secret)
                        .unwrap();
                }
            }
        } else {
            match self.mech {
                Mech::Null => {}
                Mech::Plain => {
                    sock.set_plain_username(USERNAME).unwrap();
                    sock.set_plain_password(self.password_presented()).unwrap();
                }
                Mech::Curve => {
                    let keys = self.presented.unwrap();
                    sock.set_curve_serverkey(self.server.unwrap().public)
                        .unwrap();
                    sock.set_curve_publickey(keys.public).unwrap();
                    sock.set_curve_secretkey(keys.secret).unwrap();
                }
            }
        }
    }

    /// Starts our ZAP handler with the cell's policy.
    fn authenticator(&self, ctx: &Context) -> Authenticator {
        let auth = Authenticator::start(ctx).unwrap();
        if self.deny && self.mech == Mech::Null {
            auth.deny(["127.0.0.1"]);
        } else {
            auth.allow(["127.0.0.1"]);
        }
        match self.mech {
            Mech::Null => {}
            Mech::Plain => auth.configure_plain(DOMAIN, [(USERNAME, PASSWORD)]),
            Mech::Curve => {
                auth.configure_curve_keys(DOMAIN, [self.allowed.unwrap().public]);
            }
        }
        auth
    }

    /// The `User-Id` a server's ZAP handler gives the client: ours (`pyzmq == false`) gives
    /// an empty one for NULL, pyzmq says "anonymous".
    fn user_id(&self, pyzmq: bool) -> Option<String> {
        match self.mech {
            Mech::Null if pyzmq => Some("anonymous".to_owned()),
            Mech::Null => Some(String::new()),
            Mech::Plain => Some(USERNAME.to_owned()),
            Mech::Curve => Some(self.allowed.unwrap().public.to_z85()),
        }
    }
}

/// A JSON string literal (the values here are ASCII; quotes and backslashes are escaped).
fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The routing id each DEALER announces.
fn dealer_routing_id(ours: bool, cell: &str) -> Vec<u8> {
    format!("{}-dealer-{cell}", if ours { "zmq4" } else { "pyzmq" }).into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// peer.py's `RESULT k=hex …` line as a map.
fn parse_result(line: &str) -> HashMap<String, String> {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            (
                k.to_owned(),
                String::from_utf8_lossy(&unhex(v)).into_owned(),
            )
        })
        .collect()
}

/// What our socket saw on the first message it received.
#[derive(Default, Debug)]
struct Seen {
    socket_type: Option<String>,
    user_id: Option<String>,
    peer_address: Option<String>,
}

impl Seen {
    fn note(&mut self, m: &Message) {
        if self.socket_type.is_none() {
            self.socket_type = m.gets("Socket-Type").map(str::to_owned);
            self.user_id = m.gets("User-Id").map(str::to_owned);
            self.peer_address = m.gets("Peer-Address").map(str::to_owned);
        }
    }
}

fn recv_all(sock: &Socket, seen: &mut Seen) -> Vec<Message> {
    let frames = sock
        .recv_multipart(RecvFlags::empty())
        .unwrap_or_else(|e| panic!("our recv: {e}"));
    seen.note(&frames[0]);
    frames
}

/// The role name of a socket type in peer.py; PAIR is "PAIR_A" (sends first) or "PAIR_B".
fn role(ty: SocketType, first: bool) -> &'static str {
    match ty {
        SocketType::Pair if first => "PAIR_A",
        SocketType::Pair => "PAIR_B",
        ty => ty.name(),
    }
}

/// Plays our socket's role of the pattern.
fn play_ours(
    sock: &Socket,
    ty: SocketType,
    first: bool,
    peer: &mut PyPeer,
    theirs_routing_id: &[u8],
    drop_monitor: Option<&Monitor>,
) -> Seen {
    let mut seen = Seen::default();
    let send = |frames: Vec<Message>| {
        sock.send_multipart(frames, SendFlags::empty())
            .unwrap_or_else(|e| panic!("our send: {e}"))
    };
    let topic_and_payload = || {
        std::iter::once(Message::from("D"))
            .chain(payload_messages())
            .collect::<Vec<_>>()
    };
    match ty {
        SocketType::Req if drop_monitor.is_some() => {
            // See `req_server_drops_replies`: the connection breaks when the reply arrives.
            send(payload_messages().collect());
            let ev = drop_monitor.unwrap().recv().expect("our REQ: DISCONNECTED");
            assert!(matches!(ev.event, Event::Disconnected { .. }), "{ev:?}");
            assert_eq!(
                sock.recv_bytes(RecvFlags::DONTWAIT).unwrap_err(),
                Error::WouldBlock
            );
        }
        SocketType::Req => {
            send(payload_messages().collect());
            check_payload(&recv_all(sock, &mut seen), "our REQ's reply");
        }
        SocketType::Rep => {
            check_payload(&recv_all(sock, &mut seen), "our REP's request");
            send(payload_messages().collect());
        }
        SocketType::Dealer => {
            send(payload_messages().collect());
            check_payload(&recv_all(sock, &mut seen), "our DEALER's reply");
        }
        SocketType::Router => {
            let mut frames = recv_all(sock, &mut seen);
            let rid = frames.remove(0);
            assert_eq!(
                String::from_utf8_lossy(&rid),
                String::from_utf8_lossy(theirs_routing_id),
                "routing id our ROUTER sees"
            );
            check_payload(&frames, "our ROUTER's request");
            send(std::iter::once(rid).chain(payload_messages()).collect());
        }
        SocketType::Pub => {
            // Probe until their SUB says it sees the probes, then publish the data once.
            let deadline = Instant::now() + CELL_TIMEOUT;
            loop {
                assert!(Instant::now() < deadline, "their SUB never saw a probe");
                sock.send("P", SendFlags::DONTWAIT).unwrap();
                if peer.try_line("SYNCED", Duration::from_millis(20)).is_some() {
                    break;
                }
            }
            send(topic_and_payload());
        }
        SocketType::Sub => {
            sock.set_subscribe(b"P").unwrap();
            sock.set_subscribe(b"D").unwrap();
            let mut synced = false;
            loop {
                let mut frames = sock
                    .recv_multipart(RecvFlags::empty())
                    .unwrap_or_else(|e| panic!("our SUB's recv: {e}"));
                match &frames[0][..] {
                    b"P" if !synced => {
                        synced = true;
                        peer.send_line("GO");
                    }
                    b"P" => {}
                    b"D" => {
                        seen.note(&frames[0]);
                        frames.remove(0);
                        check_payload(&frames, "our SUB's data");
                        break;
                    }
                    other => panic!("our SUB: unexpected topic {other:?}"),
                }
            }
        }
        SocketType::XPub => {
            let frames = recv_all(sock, &mut seen);
            assert_eq!(frames.len(), 1);
            assert_eq!(&frames[0][..], b"\x01D", "subscription our XPUB sees");
            send(topic_and_payload());
            let frames = sock.recv_multipart(RecvFlags::empty()).unwrap();
            assert_eq!(&frames[0][..], b"\x00D", "unsubscription our XPUB sees");
        }
        SocketType::XSub => {
            sock.send(b"\x01D", SendFlags::empty()).unwrap();
            let mut frames = recv_all(sock, &mut seen);
            assert_eq!(&frames.remove(0)[..], b"D");
            check_payload(&frames, "our XSUB's data");
            sock.send(b"\x00D", SendFlags::empty()).unwrap();
        }
        SocketType::Push => send(payload_messages().collect()),
        SocketType::Pull => check_payload(&recv_all(sock, &mut seen), "our PULL"),
        SocketType::Pair if first => {
            send(payload_messages().collect());
            check_payload(&recv_all(sock, &mut seen), "our PAIR's echo");
        }
        SocketType::Pair => {
            check_payload(&recv_all(sock, &mut seen), "our PAIR");
            send(payload_messages().collect());
        }
        other => unreachable!("{other:?} is not in the matrix"),
    }
    seen
}

/// Whether a socket type receives anything from its peer in the pattern (PUB and PUSH only
/// send; their peers' metadata is not observable there; nor is it for a REQ whose reply is
/// lost, see [`req_server_drops_replies`]).
fn receives(ty: SocketType, reply_dropped: bool) -> bool {
    match ty {
        SocketType::Pub | SocketType::Push => false,
        SocketType::Req => !reply_dropped,
        _ => true,
    }
}

/// Whether a cell meets libzmq 4.3.5's REQ limitation: a REQ socket that is the security
/// server, with a ZAP handler that gives the client a non-empty User-Id, drops the connection
/// when the reply arrives. The engine pushes the User-Id to the session as a "credential"
/// message ahead of the first inbound frame (stream_engine_base.cpp, `write_credential`), and
/// `req_session_t::push_msg` (req.cpp) accepts only an empty delimiter with exactly the MORE
/// flag in its first state, so it fails with EFAULT and the engine closes the connection; the
/// REQ never sees the reply (and does not resend). It happens with pyzmq on both ends too;
/// ours gives NULL clients an empty User-Id, so that one cell works. These cells check that
/// behaviour (the request arrives intact, the REQ sees DISCONNECTED and no reply) so that a
/// fixed libzmq shows up here.
fn req_server_drops_replies(server: SocketType, user_id: Option<&str>) -> bool {
    server == SocketType::Req && user_id.is_some_and(|u| !u.is_empty())
}

fn our_socket(ctx: &Context, ty: SocketType, cell: &str) -> Socket {
    let sock = ctx.socket(ty).unwrap();
    sock.set_linger(0).unwrap();
    sock.set_rcvtimeo(CELL_TIMEOUT.as_millis() as i32).unwrap();
    sock.set_sndtimeo(CELL_TIMEOUT.as_millis() as i32).unwrap();
    #[cfg(feature = "draft")]
    sock.set_metadata(&format!("X-Zmq4:{cell}")).unwrap();
    let _ = cell;
    sock
}

fn peer_script() -> &'static Path {
    static P: OnceLock<std::path::PathBuf> = OnceLock::new();
    P.get_or_init(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pyzmq/peer.py"))
}

/// peer.py's config.
fn peer_config(ty: SocketType, role: &str, bind: bool, endpoint: &str, extra: &str) -> String {
    format!(
        r#"{{"timeout_ms":{},"type":{},"role":{},"bind":{bind},"endpoint":{},"sizes":{SIZES:?}{extra}}}"#,
        CELL_TIMEOUT.as_millis(),
        json_str(ty.name()),
        json_str(role),
        json_str(endpoint),
    )
}

/// One cell of the matrix: the pattern `(first, second)`, our socket is `ours`, the other
/// type is theirs; `ours_server` says who binds and authenticates.
fn run_cell(
    python: &Path,
    pattern: (SocketType, SocketType),
    ours_first: bool,
    mech: Mech,
    ours_server: bool,
    cell: &str,
) -> &'static str {
    let (ours, theirs) = if ours_first {
        (pattern.0, pattern.1)
    } else {
        (pattern.1, pattern.0)
    };
    let sec = Security::new(mech, false).expect("CURVE keys");
    let ctx = Context::new();
    let _auth = ours_server.then(|| sec.authenticator(&ctx));
    let sock = our_socket(&ctx, ours, cell);
    sec.apply(&sock, ours_server);
    let our_rid = dealer_routing_id(true, cell);
    let their_rid = dealer_routing_id(false, cell);
    if ours == SocketType::Dealer {
        sock.set_routing_id(&our_rid).unwrap();
    }
    let mut extra = format!(r#","security":{}"#, sec.json(!ours_server));
    if theirs == SocketType::Dealer {
        write!(extra, r#","routing_id":"{}""#, hex(&their_rid)).unwrap();
    }
    let their_role = role(theirs, !ours_first);
    let server_user_id = sec.user_id(!ours_server);
    let dropped = req_server_drops_replies(
        if ours_server { ours } else { theirs },
        server_user_id.as_deref(),
    );
    if dropped {
        extra.push_str(r#","expect_drop":true"#);
    }
    let drop_monitor = (dropped && ours == SocketType::Req).then(|| {
        let m = sock.monitor_events(MonitorEvents::DISCONNECTED).unwrap();
        m.socket()
            .set_rcvtimeo(CELL_TIMEOUT.as_millis() as i32)
            .unwrap();
        m
    });
    let mut peer = if ours_server {
        sock.bind("tcp://127.0.0.1:*").unwrap();
        let ep = sock.last_endpoint().unwrap();
        let config = peer_config(theirs, their_role, false, &ep, &extra);
        let mut peer = PyPeer::spawn(python, peer_script(), &[&config], cell);
        peer.line("READY", CELL_TIMEOUT);
        peer
    } else {
        let config = peer_config(theirs, their_role, true, "", &extra);
        let mut peer = PyPeer::spawn(python, peer_script(), &[&config], cell);
        let ep = peer.line("READY", CELL_TIMEOUT);
        sock.connect(&ep).unwrap();
        peer
    };

    let seen = play_ours(
        &sock,
        ours,
        ours_first,
        &mut peer,
        &their_rid,
        drop_monitor.as_ref(),
    );
    let theirs_seen = parse_result(&peer.line("RESULT", CELL_TIMEOUT));
    peer.finish(CELL_TIMEOUT);

    // What we saw of them.
    if receives(ours, dropped) {
        assert_eq!(
            seen.socket_type.as_deref(),
            Some(theirs.name()),
            "Socket-Type we see"
        );
        assert_eq!(seen.peer_address.as_deref(), Some("127.0.0.1"));
        if ours_server {
            assert_eq!(seen.user_id, server_user_id, "User-Id our ZAP gave them");
        }
    }
    // What they saw of us.
    if receives(theirs, dropped) {
        assert_eq!(
            theirs_seen.get("Socket-Type").map(String::as_str),
            Some(ours.name()),
            "Socket-Type they see; they saw {theirs_seen:?}"
        );
        assert_eq!(
            theirs_seen.get("Peer-Address").map(String::as_str),
            Some("127.0.0.1")
        );
        #[cfg(feature = "draft")]
        assert_eq!(
            theirs_seen.get("X-Zmq4").map(String::as_str),
            Some(cell),
            "our ZMQ_METADATA property as they see it"
        );
        if !ours_server {
            assert_eq!(
                theirs_seen.get("User-Id"),
                server_user_id.as_ref(),
                "User-Id their ZAP gave us"
            );
        }
    }
    if theirs == SocketType::Router {
        assert_eq!(
            theirs_seen.get("peer_routing_id").map(String::as_str),
            Some(hex(&our_rid).as_str()),
            "routing id their ROUTER sees"
        );
    }
    if dropped {
        "  (reply lost as libzmq 4.3.5 does: REQ as ZAP server)"
    } else {
        ""
    }
}

/// A refused client: PUSH (client) to PULL (server), one of them ours. Both ends must report
/// HANDSHAKE_FAILED_AUTH with status 400, and nothing is delivered.
fn run_denied_cell(python: &Path, mech: Mech, ours_server: bool, cell: &str) -> &'static str {
    let sec = Security::new(mech, true).expect("CURVE keys");
    let ctx = Context::new();
    let _auth = ours_server.then(|| sec.authenticator(&ctx));
    let ours = if ours_server {
        SocketType::Pull
    } else {
        SocketType::Push
    };
    let sock = our_socket(&ctx, ours, cell);
    sec.apply(&sock, ours_server);
    let monitor = sock
        .monitor_events(MonitorEvents::HANDSHAKE_FAILED_AUTH | MonitorEvents::HANDSHAKE_SUCCEEDED)
        .unwrap();
    monitor
        .socket()
        .set_rcvtimeo(CELL_TIMEOUT.as_millis() as i32)
        .unwrap();
    let extra = format!(r#","security":{}"#, sec.json(!ours_server));
    let theirs = if ours_server {
        SocketType::Push
    } else {
        SocketType::Pull
    };
    let mut peer = if ours_server {
        sock.bind("tcp://127.0.0.1:*").unwrap();
        let config = peer_config(
            theirs,
            "denied",
            false,
            &sock.last_endpoint().unwrap(),
            &extra,
        );
        PyPeer::spawn(python, peer_script(), &[&config], cell)
    } else {
        let config = peer_config(theirs, "denied", true, "", &extra);
        let mut peer = PyPeer::spawn(python, peer_script(), &[&config], cell);
        let ep = peer.line("READY", CELL_TIMEOUT);
        sock.connect(&ep).unwrap();
        sock.send("must not arrive", SendFlags::empty()).unwrap();
        peer
    };
    let ev = monitor.recv().expect("our monitor: an auth event");
    assert_eq!(
        ev.event,
        Event::HandshakeFailedAuth { status_code: 400 },
        "our side of a refused handshake"
    );
    if ours_server {
        assert_eq!(
            sock.recv_bytes(RecvFlags::DONTWAIT).unwrap_err(),
            Error::WouldBlock,
            "a refused peer's message was delivered"
        );
    }
    let theirs_seen = parse_result(&peer.line("RESULT", CELL_TIMEOUT));
    assert_eq!(
        theirs_seen.get("auth_failed").map(String::as_str),
        Some("400"),
        "their side of a refused handshake"
    );
    peer.finish(CELL_TIMEOUT);
    ""
}

/// A named cell; it returns a note for the table.
type Cell<'a> = (String, Box<dyn FnOnce() -> &'static str + 'a>);

/// Runs cells, printing one line each, and fails at the end if any failed (so the whole
/// table is shown).
fn run_cells(group: &str, cells: Vec<Cell<'_>>) {
    let mut failed = Vec::new();
    let mut table = format!("pyzmq interop, {group}:\n");
    // ZMQ4_INTEROP_ONLY=text runs only the cells whose name contains it (for debugging).
    let only = std::env::var("ZMQ4_INTEROP_ONLY").unwrap_or_default();
    for (name, cell) in cells {
        if !name.contains(&only) {
            continue;
        }
        let t0 = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(cell));
        let ms = t0.elapsed().as_millis();
        match outcome {
            Ok(note) => writeln!(table, "  pass  {name:<48} {ms:>6} ms{note}").unwrap(),
            Err(e) => {
                let why = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                writeln!(table, "  FAIL  {name:<48} {ms:>6} ms  {why}").unwrap();
                failed.push(name);
            }
        }
    }
    eprintln!("{table}");
    println!("{table}");
    assert!(failed.is_empty(), "failed cells: {failed:?}");
}

fn mechs() -> Vec<Mech> {
    Mech::ALL
        .into_iter()
        .filter(|&m| {
            let ok = m != Mech::Curve || zmq4::has(zmq4::Capability::Curve);
            if !ok {
                eprintln!("CURVE cells skipped: this build has no CURVE (feature `curve`)");
            }
            ok
        })
        .collect()
}

/// The 12 cells of a pattern: 3 mechanisms × who is the server × which type is ours.
fn matrix(pattern: (SocketType, SocketType)) {
    let Some(python) = python() else { return };
    let mut cells: Vec<Cell> = Vec::new();
    for mech in mechs() {
        for ours_server in [true, false] {
            for ours_first in [true, false] {
                let (ours, theirs) = if ours_first {
                    (pattern.0, pattern.1)
                } else {
                    (pattern.1, pattern.0)
                };
                let (binder, connecter) = if ours_server {
                    (
                        format!("zmq4 {}", ours.name()),
                        format!("pyzmq {}", theirs.name()),
                    )
                } else {
                    (
                        format!("pyzmq {}", theirs.name()),
                        format!("zmq4 {}", ours.name()),
                    )
                };
                let name = format!("{:<5} server={binder:<13} client={connecter}", mech.name());
                let tag = format!(
                    "{}-{}-{}-{}",
                    ours.name().to_lowercase(),
                    mech.name().to_lowercase(),
                    if ours_server { "srv" } else { "cli" },
                    std::process::id()
                );
                cells.push((
                    name,
                    Box::new(move || {
                        run_cell(python, pattern, ours_first, mech, ours_server, &tag)
                    }),
                ));
            }
        }
    }
    let group = format!("{}/{}", pattern.0.name(), pattern.1.name());
    run_cells(&group, cells);
}

#[test]
fn req_rep() {
    matrix((SocketType::Req, SocketType::Rep));
}

#[test]
fn dealer_router() {
    matrix((SocketType::Dealer, SocketType::Router));
}

#[test]
fn pub_sub() {
    matrix((SocketType::Pub, SocketType::Sub));
}

#[test]
fn xpub_xsub() {
    matrix((SocketType::XSub, SocketType::XPub));
}

#[test]
fn push_pull() {
    matrix((SocketType::Push, SocketType::Pull));
}

#[test]
fn pair() {
    matrix((SocketType::Pair, SocketType::Pair));
}

#[test]
fn refused_peers() {
    let Some(python) = python() else { return };
    let mut cells: Vec<Cell> = Vec::new();
    for mech in mechs() {
        for ours_server in [true, false] {
            let what = match mech {
                Mech::Null => "address denied",
                Mech::Plain => "wrong password",
                Mech::Curve => "unknown key",
            };
            let name = format!(
                "{:<5} {what:<15} refused by {}",
                mech.name(),
                if ours_server { "zmq4" } else { "pyzmq" }
            );
            let tag = format!(
                "denied-{}-{}-{}",
                mech.name().to_lowercase(),
                if ours_server { "srv" } else { "cli" },
                std::process::id()
            );
            cells.push((
                name,
                Box::new(move || run_denied_cell(python, mech, ours_server, &tag)),
            ));
        }
    }
    run_cells("refused handshakes", cells);
}
