//! The ZAP authenticator through real sockets over tcp on 127.0.0.1: CURVE (certificate
//! directory, allow-any), PLAIN, IP allow/deny lists, per-domain policies, shutdown with the
//! context, and malformed requests sent by hand to the ZAP endpoint.
//!
//! Every wait is bounded: sockets and monitors have RCVTIMEO, the context's termination runs
//! in a thread watched through a channel with a timeout. An accepted peer is recognised by
//! the server's `HANDSHAKE_SUCCEEDED` event and its message; a refused one by
//! `HANDSHAKE_FAILED_AUTH` and an empty queue.

mod common;

use common::{assert_nothing_queued, bind_tcp, recv_parts, send_parts, TIMEOUT, TIMEOUT_MS};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use zmq4::auth::{AuthEvent, Authenticator, StatusCode, ANY_DOMAIN, ZAP_ENDPOINT};
use zmq4::monitor::{Event, Monitor, MonitorEvents};
use zmq4::{Context, Error, Message, RecvFlags, SendFlags, Socket, SocketType};

/// A PULL server over tcp whose handshakes are watched.
struct Server {
    socket: Socket,
    endpoint: String,
    monitor: Monitor,
}

impl Server {
    /// Creates the socket, lets `configure` set its security options, starts the monitor,
    /// then binds.
    fn new(ctx: &Context, configure: impl FnOnce(&Socket)) -> Server {
        let socket = common::socket(ctx, SocketType::Pull);
        configure(&socket);
        let monitor = socket
            .monitor_events(
                MonitorEvents::HANDSHAKE_SUCCEEDED
                    | MonitorEvents::HANDSHAKE_FAILED_AUTH
                    | MonitorEvents::HANDSHAKE_FAILED_PROTOCOL
                    | MonitorEvents::HANDSHAKE_FAILED_NO_DETAIL,
            )
            .unwrap();
        monitor.socket().set_rcvtimeo(TIMEOUT_MS).unwrap();
        let endpoint = bind_tcp(&socket);
        Server {
            socket,
            endpoint,
            monitor,
        }
    }

    /// The outcome of the next handshake (bounded by the monitor's RCVTIMEO).
    fn next_handshake(&self) -> Event {
        match self.monitor.recv() {
            Ok(ev) => ev.event,
            Err(e) => panic!("no handshake event within {TIMEOUT_MS} ms: {e}"),
        }
    }

    /// The next handshake succeeds and the client's message arrives; returns it.
    fn expect_accepted(&self) -> Message {
        assert_eq!(self.next_handshake(), Event::HandshakeSucceeded);
        let msg = self
            .socket
            .recv(RecvFlags::empty())
            .unwrap_or_else(|e| panic!("recv: {e}"));
        assert_eq!(&msg[..], b"hello");
        msg
    }

    /// The next handshake fails with ZAP status 400, and no message was delivered.
    fn expect_refused(&self) {
        assert_eq!(
            self.next_handshake(),
            Event::HandshakeFailedAuth { status_code: 400 }
        );
        assert_nothing_queued(&self.socket);
    }

    /// A PUSH client connected to this server, configured by `configure`, that has queued
    /// "hello" (sent once the handshake succeeds). It does not reconnect, so each client
    /// makes exactly one handshake.
    fn client(&self, ctx: &Context, configure: impl FnOnce(&Socket)) -> Socket {
        let client = common::socket(ctx, SocketType::Push);
        client.set_reconnect_ivl(-1).unwrap();
        configure(&client);
        client.connect(&self.endpoint).unwrap();
        client.send("hello", SendFlags::empty()).unwrap();
        client
    }
}

/// A PLAIN server in a ZAP domain (`""`: none; libzmq refuses to set an empty one).
fn plain_server(domain: &str) -> impl FnOnce(&Socket) + '_ {
    move |s| {
        s.set_plain_server(true).unwrap();
        if !domain.is_empty() {
            s.set_zap_domain(domain).unwrap();
        }
    }
}

fn plain_client<'a>(user: &'a str, password: &'a str) -> impl FnOnce(&Socket) + 'a {
    move |s| {
        s.set_plain_username(user).unwrap();
        s.set_plain_password(password).unwrap();
    }
}

/// A NULL server that consults ZAP: libzmq asks the handler about NULL peers only when the
/// server has a ZAP domain.
fn null_server(s: &Socket) {
    s.set_zap_domain("null-domain").unwrap();
}

fn no_options(_: &Socket) {}

/// Collects every decision of an authenticator.
fn record(auth: &Authenticator) -> Arc<Mutex<Vec<AuthEvent>>> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    auth.set_logger(move |e| sink.lock().unwrap().push(e.clone()));
    events
}

#[test]
fn authenticator_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Authenticator>();
}

#[test]
fn plain_good_password_accepted_bad_refused() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    let log = record(&auth);
    auth.configure_plain(ANY_DOMAIN, [("admin", "secret")]);
    let server = Server::new(&ctx, plain_server("global"));

    let _good = server.client(&ctx, plain_client("admin", "secret"));
    let msg = server.expect_accepted();
    assert_eq!(msg.gets("User-Id"), Some("admin"));
    assert_eq!(server.socket.mechanism().unwrap(), zmq4::Mechanism::Plain);

    let _bad = server.client(&ctx, plain_client("admin", "wrong"));
    server.expect_refused();
    let _unknown = server.client(&ctx, plain_client("mallory", "secret"));
    server.expect_refused();

    let log = log.lock().unwrap();
    let reasons: Vec<_> = log
        .iter()
        .take(3)
        .map(|e| (e.status, e.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (Some(StatusCode::Success), "OK"),
            (Some(StatusCode::AuthenticationFailure), "Invalid password"),
            (Some(StatusCode::AuthenticationFailure), "Invalid username"),
        ]
    );
    assert_eq!(
        (
            log[0].domain.as_str(),
            log[0].address.as_str(),
            log[0].mechanism.as_str()
        ),
        ("global", "127.0.0.1", "PLAIN")
    );
}

#[test]
fn many_clients_at_once() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    let users: Vec<(String, String)> = (0..20)
        .map(|i| (format!("user{i}"), format!("pw{i}")))
        .collect();
    auth.configure_plain(ANY_DOMAIN, users.clone());
    let server = Server::new(&ctx, plain_server("global"));
    let _clients: Vec<Socket> = users
        .iter()
        .map(|(u, p)| server.client(&ctx, plain_client(u, p)))
        .collect();
    let mut seen: Vec<String> = (0..users.len())
        .map(|_| server.expect_accepted().gets("User-Id").unwrap().to_owned())
        .collect();
    seen.sort();
    let mut expected: Vec<String> = users.into_iter().map(|(u, _)| u).collect();
    expected.sort();
    assert_eq!(seen, expected);
}

#[test]
fn plain_without_configuration_refuses() {
    let ctx = Context::new();
    let _auth = Authenticator::start(&ctx).unwrap();
    let server = Server::new(&ctx, plain_server("global"));
    let _client = server.client(&ctx, plain_client("admin", "secret"));
    server.expect_refused();
}

#[test]
fn ip_allow_list() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();

    // No policy: NULL peers pass (the user id is empty).
    let server = Server::new(&ctx, null_server);
    let _c = server.client(&ctx, no_options);
    assert_eq!(server.expect_accepted().gets("User-Id"), Some(""));

    auth.allow(["127.0.0.1"]);
    let server = Server::new(&ctx, null_server);
    let _c = server.client(&ctx, no_options);
    server.expect_accepted();

    // An allowed address must still pass PLAIN.
    auth.configure_plain(ANY_DOMAIN, [("u", "p")]);
    let server = Server::new(&ctx, plain_server(""));
    let _c = server.client(&ctx, plain_client("u", "p"));
    assert_eq!(server.expect_accepted().gets("User-Id"), Some("u"));
    let _c = server.client(&ctx, plain_client("u", "x"));
    server.expect_refused();

    // An allow list without 127.0.0.1 refuses it, whatever the mechanism.
    auth.clear_allow();
    auth.allow(["10.11.12.13", "::2"]);
    let server = Server::new(&ctx, null_server);
    let _c = server.client(&ctx, no_options);
    server.expect_refused();
    let server = Server::new(&ctx, plain_server("global"));
    let _c = server.client(&ctx, plain_client("u", "p"));
    server.expect_refused();

    // The allow list wins over the deny list.
    auth.allow(["127.0.0.1"]);
    auth.deny(["127.0.0.1"]);
    let server = Server::new(&ctx, null_server);
    let _c = server.client(&ctx, no_options);
    server.expect_accepted();
}

#[test]
fn ip_deny_list() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.deny(["10.0.0.1"]);
    let server = Server::new(&ctx, null_server);
    let _c = server.client(&ctx, no_options);
    server.expect_accepted();

    auth.deny(["127.0.0.1"]);
    let server = Server::new(&ctx, null_server);
    let _c = server.client(&ctx, no_options);
    server.expect_refused();

    auth.configure_plain(ANY_DOMAIN, [("u", "p")]);
    let server = Server::new(&ctx, plain_server("global"));
    let _c = server.client(&ctx, plain_client("u", "p"));
    server.expect_refused();

    auth.clear_deny();
    let server = Server::new(&ctx, null_server);
    let _c = server.client(&ctx, no_options);
    server.expect_accepted();
}

#[test]
fn per_domain_policies() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_plain("alpha", [("alice", "a-pass")]);
    auth.configure_plain("beta", [("bob", "b-pass")]);
    let alpha = Server::new(&ctx, plain_server("alpha"));
    let beta = Server::new(&ctx, plain_server("beta"));

    let _c = alpha.client(&ctx, plain_client("alice", "a-pass"));
    assert_eq!(alpha.expect_accepted().gets("User-Id"), Some("alice"));
    let _c = beta.client(&ctx, plain_client("bob", "b-pass"));
    assert_eq!(beta.expect_accepted().gets("User-Id"), Some("bob"));

    // alice is unknown in beta, and a domain without a policy (and no "*") refuses.
    let _c = beta.client(&ctx, plain_client("alice", "a-pass"));
    beta.expect_refused();
    let gamma = Server::new(&ctx, plain_server("gamma"));
    let _c = gamma.client(&ctx, plain_client("alice", "a-pass"));
    gamma.expect_refused();

    // "*" covers domains without a policy of their own, not the others.
    auth.configure_plain(ANY_DOMAIN, [("carol", "c-pass")]);
    let gamma = Server::new(&ctx, plain_server("gamma"));
    let _c = gamma.client(&ctx, plain_client("carol", "c-pass"));
    gamma.expect_accepted();
    let alpha2 = Server::new(&ctx, plain_server("alpha"));
    let _c = alpha2.client(&ctx, plain_client("carol", "c-pass"));
    alpha2.expect_refused();

    // Removing a domain's policy falls back to "*".
    auth.remove_domain("alpha");
    let alpha3 = Server::new(&ctx, plain_server("alpha"));
    let _c = alpha3.client(&ctx, plain_client("carol", "c-pass"));
    alpha3.expect_accepted();
}

#[cfg(feature = "curve")]
mod curve {
    use super::*;
    use zmq4::cert::Certificate;
    use zmq4::security::{CurveKey, CurveKeyPair};

    fn curve_server<'a>(keys: &'a CurveKeyPair, domain: &'a str) -> impl FnOnce(&Socket) + 'a {
        move |s| {
            s.set_curve_server(true).unwrap();
            s.set_curve_secretkey(keys.secret).unwrap();
            s.set_zap_domain(domain).unwrap();
        }
    }

    fn curve_client<'a>(
        server: &'a CurveKey,
        client: &'a CurveKeyPair,
    ) -> impl FnOnce(&Socket) + 'a {
        move |s| {
            s.set_curve_serverkey(server).unwrap();
            s.set_curve_publickey(client.public).unwrap();
            s.set_curve_secretkey(client.secret).unwrap();
        }
    }

    /// A fresh, empty directory under cargo's per-target temporary directory.
    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(common::unique_name(name));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn curve_key_from_certificate_directory() {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        let server_keys = CurveKeyPair::generate().unwrap();

        let dir = temp_dir("auth-certs");
        let mut client_cert = Certificate::generate().unwrap();
        client_cert.set_meta("name", "client-one").unwrap();
        client_cert.save(&dir, "client").unwrap();
        // Another certificate in the directory, and a secret file that must not count.
        Certificate::generate()
            .unwrap()
            .save(&dir, "other")
            .unwrap();
        assert_eq!(
            auth.configure_curve("secure", &dir).unwrap().certificates,
            2
        );

        let server = Server::new(&ctx, curve_server(&server_keys, "secure"));
        let client_keys = client_cert.key_pair().unwrap();
        let _c = server.client(&ctx, curve_client(&server_keys.public, &client_keys));
        let msg = server.expect_accepted();
        assert_eq!(
            msg.gets("User-Id"),
            Some(client_keys.public.to_z85().as_str())
        );
        assert_eq!(
            msg.gets("name"),
            Some("client-one"),
            "certificate metadata travels with the peer"
        );

        let stranger = CurveKeyPair::generate().unwrap();
        let _s = server.client(&ctx, curve_client(&server_keys.public, &stranger));
        server.expect_refused();

        // Reconfigured at runtime: the stranger's certificate is added.
        Certificate::from(stranger).save(&dir, "stranger").unwrap();
        assert_eq!(
            auth.configure_curve("secure", &dir).unwrap().certificates,
            3
        );
        let server = Server::new(&ctx, curve_server(&server_keys, "secure"));
        let _s = server.client(&ctx, curve_client(&server_keys.public, &stranger));
        assert_eq!(
            server.expect_accepted().gets("User-Id"),
            Some(stranger.public.to_z85().as_str())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn curve_allow_any() {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        let server_keys = CurveKeyPair::generate().unwrap();
        auth.configure_curve(ANY_DOMAIN, zmq4::auth::CURVE_ALLOW_ANY)
            .unwrap();
        let server = Server::new(&ctx, curve_server(&server_keys, "anything"));
        for _ in 0..2 {
            let client_keys = CurveKeyPair::generate().unwrap();
            let _c = server.client(&ctx, curve_client(&server_keys.public, &client_keys));
            assert_eq!(
                server.expect_accepted().gets("User-Id"),
                Some(client_keys.public.to_z85().as_str())
            );
        }

        // The IP policy still applies to CURVE peers.
        auth.deny(["127.0.0.1"]);
        let server = Server::new(&ctx, curve_server(&server_keys, "anything"));
        let _c = server.client(
            &ctx,
            curve_client(&server_keys.public, &CurveKeyPair::generate().unwrap()),
        );
        server.expect_refused();
    }

    #[test]
    fn curve_callback_and_key_list_per_domain() {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        let server_keys = CurveKeyPair::generate().unwrap();
        let listed = CurveKeyPair::generate().unwrap();
        let judged = CurveKeyPair::generate().unwrap();
        auth.configure_curve_keys("list", [listed.public]);
        let wanted = judged.public;
        auth.configure_curve_callback("callback", move |domain, key| {
            domain == "callback" && *key == wanted
        });

        let by_list = Server::new(&ctx, curve_server(&server_keys, "list"));
        let by_callback = Server::new(&ctx, curve_server(&server_keys, "callback"));
        let _a = by_list.client(&ctx, curve_client(&server_keys.public, &listed));
        by_list.expect_accepted();
        let _b = by_callback.client(&ctx, curve_client(&server_keys.public, &judged));
        by_callback.expect_accepted();
        let _c = by_callback.client(&ctx, curve_client(&server_keys.public, &listed));
        by_callback.expect_refused();
        let _d = by_list.client(&ctx, curve_client(&server_keys.public, &judged));
        by_list.expect_refused();
    }
}

/// Runs `f` in a thread and waits for it at most [`TIMEOUT`]; fails the test if it hangs.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(TIMEOUT)
        .unwrap_or_else(|e| panic!("{what} did not return within {TIMEOUT:?}: {e}"))
}

#[test]
fn stop_then_restart_then_term_with_a_live_authenticator() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    assert!(auth.is_running());
    assert_eq!(
        Authenticator::start(&ctx).unwrap_err(),
        Error::AddressInUse,
        "one handler per context"
    );
    auth.configure_plain(ANY_DOMAIN, [("u", "p")]);
    let server = Server::new(&ctx, plain_server("d"));
    let _c = server.client(&ctx, plain_client("u", "p"));
    server.expect_accepted();

    auth.stop();
    assert!(!auth.is_running());
    auth.stop(); // idempotent

    // The endpoint is free again: a new handler serves the context.
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_plain(ANY_DOMAIN, [("u", "p")]);
    let server2 = Server::new(&ctx, plain_server("d"));
    let _c2 = server2.client(&ctx, plain_client("u", "p"));
    server2.expect_accepted();

    // Terminating the context while the authenticator handle is alive: its thread sees
    // ETERM and closes its sockets, so term returns once ours are closed too.
    drop((server, server2, _c, _c2));
    let auth = Arc::new(auth);
    let term_ctx = ctx.clone();
    bounded("Context::term", move || term_ctx.term()).unwrap();
    assert!(!auth.is_running());
    assert!(Authenticator::start(&ctx).is_err());
    // Dropping the handle after termination returns at once.
    bounded("dropping the authenticator", move || drop(auth));
}

#[test]
fn shutdown_ends_the_handler_and_drop_is_bounded() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    ctx.shutdown().unwrap();
    let deadline = Instant::now() + TIMEOUT;
    // The handler thread ends by itself; is_running only observes it.
    while auth.is_running() {
        assert!(
            Instant::now() < deadline,
            "the handler did not stop after zmq_ctx_shutdown"
        );
        std::thread::yield_now();
    }
    bounded("dropping the authenticator", move || drop(auth));
    bounded("Context::term", move || ctx.term()).unwrap();
}

#[test]
fn dropping_the_context_and_authenticator_terminates() {
    // The common case: everything goes out of scope; the last drop terminates the context.
    bounded("drop of context and authenticator", || {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        auth.configure_plain(ANY_DOMAIN, [("u", "p")]);
        drop(ctx);
        drop(auth);
    });
}

/// A DEALER talking to the ZAP endpoint directly, as a misbehaving peer would.
fn zap_dealer(ctx: &Context) -> Socket {
    let dealer = common::socket(ctx, SocketType::Dealer);
    dealer.connect(ZAP_ENDPOINT).unwrap();
    dealer
}

/// Sends `frames` after an empty delimiter frame.
fn send_request(dealer: &Socket, frames: &[&[u8]]) {
    let mut all: Vec<&[u8]> = vec![b""];
    all.extend_from_slice(frames);
    send_parts(dealer, &all);
}

#[test]
fn malformed_requests_are_answered_or_dropped() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    let log = record(&auth);
    auth.configure_plain(ANY_DOMAIN, [("u", "p")]);
    let dealer = zap_dealer(&ctx);

    // Wrong version: refused (400) with the request id echoed.
    send_request(&dealer, &[b"2.0", b"r1", b"", b"127.0.0.1", b"", b"NULL"]);
    let reply = recv_parts(&dealer);
    assert_eq!(
        reply[..5],
        [&b""[..], b"1.0", b"r1", b"400", b"Invalid version"]
    );
    assert_eq!(reply.len(), 7);

    // Too few frames, but a request id: refused.
    send_request(&dealer, &[b"1.0", b"r2", b"domain"]);
    assert_eq!(recv_parts(&dealer)[2..4], [&b"r2"[..], b"400"]);

    // Bad credentials for the mechanism, and an unknown mechanism: refused.
    send_request(
        &dealer,
        &[
            b"1.0",
            b"r3",
            b"",
            b"127.0.0.1",
            b"",
            b"PLAIN",
            b"only-user",
        ],
    );
    assert_eq!(
        recv_parts(&dealer)[2..5],
        [&b"r3"[..], b"400", b"Invalid credentials"]
    );
    send_request(
        &dealer,
        &[
            b"1.0",
            b"r4",
            b"",
            b"127.0.0.1",
            b"",
            b"CURVE",
            b"not 32 bytes",
        ],
    );
    assert_eq!(recv_parts(&dealer)[2..4], [&b"r4"[..], b"400"]);
    send_request(
        &dealer,
        &[b"1.0", b"r5", b"", b"127.0.0.1", b"", b"X-UNKNOWN"],
    );
    assert_eq!(
        recv_parts(&dealer)[2..5],
        [&b"r5"[..], b"400", b"Unsupported mechanism"]
    );
    send_request(
        &dealer,
        &[
            b"1.0",
            b"r6",
            b"\xff\xfe",
            b"\x00\x01",
            b"\xff",
            b"PLAIN",
            b"\xc3\x28",
            b"\xff",
        ],
    );
    assert_eq!(recv_parts(&dealer)[2..4], [&b"r6"[..], b"400"]);

    // Nothing to reply to: dropped. The next reply on this DEALER proves they got none.
    send_request(&dealer, &[b"1.0"]); // no request id
    send_request(&dealer, &[]); // an empty request
    send_parts(&dealer, &[b"1.0", b"r7", b"d", b"a", b"i", b"NULL"]); // no delimiter
    send_parts(&dealer, &[b"garbage"]);
    let many: Vec<&[u8]> = std::iter::once(&b"1.0"[..])
        .chain(std::iter::repeat_n(&b"x"[..], 1000))
        .collect();
    send_request(&dealer, &many); // answered: 400 (wrong credentials for no mechanism)
    assert_eq!(recv_parts(&dealer)[2..4], [&b"x"[..], b"400"]);

    // A well-formed request still works, on this socket and through libzmq.
    send_request(
        &dealer,
        &[b"1.0", b"ok", b"", b"127.0.0.1", b"", b"PLAIN", b"u", b"p"],
    );
    let reply = recv_parts(&dealer);
    assert_eq!(reply, [&b""[..], b"1.0", b"ok", b"200", b"OK", b"u", b""]);
    let server = Server::new(&ctx, plain_server("d"));
    let _c = server.client(&ctx, plain_client("u", "p"));
    assert_eq!(server.expect_accepted().gets("User-Id"), Some("u"));

    let dropped = log
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.status.is_none())
        .count();
    assert_eq!(dropped, 4, "{:?}", log.lock().unwrap());
    assert!(auth.is_running());
}

#[test]
fn handle_request_never_panics_on_noise() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_plain(ANY_DOMAIN, [("u", "p")]);
    auth.configure_curve_allow_any("c");
    auth.allow(["127.0.0.1"]);
    // A small deterministic generator: frames of random lengths and bytes, with the valid
    // tokens mixed in so that deeper paths are reached.
    let tokens: [&[u8]; 8] = [
        b"1.0",
        b"",
        b"NULL",
        b"PLAIN",
        b"CURVE",
        b"GSSAPI",
        b"127.0.0.1",
        &[0u8; 32],
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..5000 {
        let n = (next() % 10) as usize;
        let frames: Vec<Vec<u8>> = (0..n)
            .map(|_| {
                let r = next();
                if r % 3 == 0 {
                    (0..(r >> 8) % 40).map(|i| (r >> (i % 56)) as u8).collect()
                } else {
                    tokens[(r >> 4) as usize % tokens.len()].to_vec()
                }
            })
            .collect();
        if let Some(reply) = auth.handle_request(&frames) {
            assert_eq!(reply.len(), 6);
            assert!(
                [&b"200"[..], b"400", b"500"].contains(&&reply[2][..]),
                "{reply:?}"
            );
        }
    }
}
