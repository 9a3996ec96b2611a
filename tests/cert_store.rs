//! The certificate store (`zmq4::cert::CertStore`) and the authenticator's certificate
//! directories, with czmq's semantics, through real CURVE handshakes over tcp on 127.0.0.1:
//! a directory that does not exist yet, every file name czmq and pyzmq write (public-only
//! certificates included), files that are not certificates reported, certificates added and
//! removed after the start seen without a new call, and Ironhouse in czmq's own order.
//!
//! Every wait is bounded by the sockets' and monitors' RCVTIMEO/SNDTIMEO.
#![cfg(feature = "curve")]

mod common;

use common::{bind_tcp, TIMEOUT_MS};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use zmq4::auth::Authenticator;
use zmq4::cert::{CertError, CertStore, Certificate};
use zmq4::monitor::{Event, Monitor, MonitorEvents};
use zmq4::{Context, RecvFlags, SendFlags, Socket, SocketType};

/// A fresh path under cargo's per-target temporary directory, not created.
fn fresh_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(common::unique_name(name));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A CURVE PULL server with `cert`, bound on tcp, its handshakes watched.
struct Server {
    socket: Socket,
    endpoint: String,
    monitor: Monitor,
    public: zmq4::CurveKey,
}

impl Server {
    fn new(ctx: &Context, cert: &Certificate) -> Server {
        let socket = common::socket(ctx, SocketType::Pull);
        socket.set_curve_server(true).unwrap();
        cert.apply(&socket).unwrap();
        let monitor = socket
            .monitor_events(
                MonitorEvents::HANDSHAKE_SUCCEEDED
                    | MonitorEvents::HANDSHAKE_FAILED_AUTH
                    | MonitorEvents::HANDSHAKE_FAILED_NO_DETAIL,
            )
            .unwrap();
        monitor.socket().set_rcvtimeo(TIMEOUT_MS).unwrap();
        let endpoint = bind_tcp(&socket);
        Server {
            socket,
            endpoint,
            monitor,
            public: *cert.public_key(),
        }
    }

    /// Connects a PUSH client with `cert` (one handshake: no reconnection), which queues
    /// "hello"; returns whether the server accepted it (and then got the message).
    fn accepts(&self, ctx: &Context, cert: &Certificate) -> bool {
        let client = common::socket(ctx, SocketType::Push);
        client.set_reconnect_ivl(-1).unwrap();
        cert.apply(&client).unwrap();
        client.set_curve_serverkey(self.public).unwrap();
        client.connect(&self.endpoint).unwrap();
        client.send("hello", SendFlags::empty()).unwrap();
        match self.monitor.recv().expect("a handshake event").event {
            Event::HandshakeSucceeded => {
                let msg = self.socket.recv(RecvFlags::empty()).unwrap();
                assert_eq!(msg.as_str(), Some("hello"));
                assert_eq!(
                    msg.gets("User-Id"),
                    Some(cert.public_key().to_z85().as_str())
                );
                true
            }
            Event::HandshakeFailedAuth { status_code: 400 } => false,
            other => panic!("unexpected handshake event {other:?}"),
        }
    }
}

/// czmq's Ironhouse, in czmq's order: the authenticator starts on a certificate directory
/// that does not exist yet; the server binds; only then is the client's public certificate
/// saved (czmq's `zcert_save_public(client_cert, ".curve/testcert.pub")`); the client
/// connects, and the server's message reaches it.
#[test]
fn ironhouse_in_czmq_order() {
    let ctx = Context::new();
    let dir = fresh_path("ironhouse");
    let auth = Authenticator::start(&ctx).unwrap();
    auth.allow(["127.0.0.1"]);
    let report = auth.configure_curve("*", &dir).unwrap();
    assert!(report.missing);
    assert_eq!(report.certificates, 0);

    let server_cert = Certificate::generate().unwrap();
    let client_cert = Certificate::generate().unwrap();

    let server = common::socket(&ctx, SocketType::Push);
    server.set_curve_server(true).unwrap();
    server_cert.apply(&server).unwrap();
    let endpoint = bind_tcp(&server);

    std::fs::create_dir_all(&dir).unwrap();
    client_cert.save_public(dir.join("testcert.pub")).unwrap();

    let client = common::socket(&ctx, SocketType::Pull);
    client_cert.apply(&client).unwrap();
    client
        .set_curve_serverkey(server_cert.public_key())
        .unwrap();
    client.connect(&endpoint).unwrap();

    // Bounded by SNDTIMEO: without the client's certificate this send would wait for a peer
    // that ZAP keeps refusing.
    server.send("Hello", SendFlags::empty()).unwrap();
    assert_eq!(client.recv_string(RecvFlags::empty()).unwrap(), "Hello");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Certificates saved after the authenticator read the directory are accepted at the next
/// handshake, and removed ones refused, with no new call.
#[test]
fn directory_changes_are_followed_without_a_new_call() {
    let ctx = Context::new();
    let dir = fresh_path("follow");
    std::fs::create_dir_all(&dir).unwrap();
    let first = Certificate::generate().unwrap();
    first.save(&dir, "first").unwrap();

    let auth = Authenticator::start(&ctx).unwrap();
    assert_eq!(auth.configure_curve("*", &dir).unwrap().certificates, 1);
    let server = Server::new(&ctx, &Certificate::generate().unwrap());
    assert!(server.accepts(&ctx, &first));

    let second = Certificate::generate().unwrap();
    assert!(!server.accepts(&ctx, &second), "not in the directory yet");
    second.save(&dir, "second").unwrap();
    assert!(server.accepts(&ctx, &second), "saved after the start");

    std::fs::remove_file(dir.join("first.key")).unwrap();
    std::fs::remove_file(dir.join("first.key_secret")).unwrap();
    assert!(!server.accepts(&ctx, &first), "removed");
    assert!(server.accepts(&ctx, &second));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every name czmq and pyzmq give certificate files counts, public-only and secret-only
/// ones alike, in subdirectories too; hidden files are ignored; anything else is reported.
#[test]
fn every_file_name_of_czmq_and_pyzmq() {
    let dir = fresh_path("names");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let certs: Vec<Certificate> = (0..6).map(|_| Certificate::generate().unwrap()).collect();
    // czmq's zcert_save_public: a plain name, and its test's `.txt`.
    certs[0].save_public(dir.join("alice")).unwrap();
    certs[1].save_public(dir.join("bob.txt")).unwrap();
    // czmq's zcert_save_secret alone (`name_secret`), pyzmq's secret file alone.
    certs[2].save_secret(dir.join("carol_secret")).unwrap();
    certs[3].save_secret(dir.join("dave.key_secret")).unwrap();
    // pyzmq's pair, in a subdirectory (czmq reads those).
    let mut erin = certs[4].clone();
    erin.set_meta("name", "erin").unwrap();
    erin.save(dir.join("sub"), "erin").unwrap();
    // Hidden: not read, not reported.
    certs[5].save_public(dir.join(".hidden.key")).unwrap();
    std::fs::write(dir.join("README"), "not a certificate\n").unwrap();

    let store = CertStore::open(&dir);
    let report = store.report();
    assert!(!report.missing);
    assert_eq!(report.certificates, 5, "{report:?}");
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert_eq!(report.skipped[0].path, dir.join("README"));
    assert!(matches!(
        *report.skipped[0].error,
        CertError::MissingPublicKey { .. }
    ));
    for cert in &certs[..5] {
        let found = store.lookup(cert.public_key()).expect("in the store");
        assert_eq!(found.secret_key(), None, "the store keeps public keys only");
    }
    assert_eq!(
        store.lookup(certs[4].public_key()).unwrap().meta("name"),
        Some("erin")
    );
    assert!(store.lookup(certs[5].public_key()).is_none());
    assert_eq!(store.certificates().len(), 5);

    // The same through the authenticator: a secret-only file lets its owner in.
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    let report = auth.configure_curve("*", &dir).unwrap();
    assert_eq!((report.certificates, report.skipped.len()), (5, 1));
    let server = Server::new(&ctx, &Certificate::generate().unwrap());
    assert!(server.accepts(&ctx, &certs[2]));
    assert!(server.accepts(&ctx, &certs[0]));
    assert!(!server.accepts(&ctx, &certs[5]));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A directory that does not exist is an empty store, read once it appears; a file given
/// as the directory is an error that leaves the previous policy in place.
#[test]
fn missing_directory_and_wrong_location() {
    let dir = fresh_path("missing");
    let store = Arc::new(CertStore::open(&dir));
    assert!(store.is_empty());
    assert!(store.report().missing);
    std::fs::create_dir_all(&dir).unwrap();
    let cert = Certificate::generate().unwrap();
    cert.save(&dir, "late").unwrap();
    assert_eq!(store.len(), 1);
    assert!(store.lookup(cert.public_key()).is_some());
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(store.is_empty(), "removed again");
    assert!(store.report().missing);

    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    cert.save(&dir, "late").unwrap();
    auth.configure_curve_store("*", Arc::clone(&store));
    let server = Server::new(&ctx, &Certificate::generate().unwrap());
    assert!(server.accepts(&ctx, &cert));
    let file = dir.join("late.key");
    assert!(matches!(
        auth.configure_curve("*", &file),
        Err(CertError::Io { .. })
    ));
    assert!(server.accepts(&ctx, &cert), "the previous policy stays");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A directory opened so that its times can be set.
fn open_dir(dir: &std::path::Path) -> std::fs::File {
    #[cfg(unix)]
    let file = std::fs::File::open(dir);
    // Windows opens a directory only with FILE_FLAG_BACKUP_SEMANTICS, and setting its times
    // needs FILE_WRITE_ATTRIBUTES.
    #[cfg(windows)]
    let file = {
        use std::os::windows::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .access_mode(0x100) // FILE_WRITE_ATTRIBUTES
            .custom_flags(0x0200_0000) // FILE_FLAG_BACKUP_SEMANTICS
            .open(dir)
    };
    file.unwrap_or_else(|e| panic!("opening {}: {e}", dir.display()))
}

/// When the directory has not changed, a lookup does not read it again: a file edited in
/// place (which leaves its directory's time alone) is seen only after `reload`.
#[test]
fn unchanged_directory_is_not_read_again() {
    let dir = fresh_path("unchanged");
    std::fs::create_dir_all(&dir).unwrap();
    let old = Certificate::generate().unwrap();
    let new = Certificate::generate().unwrap();
    old.save_public(dir.join("peer.key")).unwrap();
    // An hour-old directory: the reading is settled (not within the timestamps' resolution).
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    open_dir(&dir).set_modified(hour_ago).unwrap();
    let store = CertStore::open(&dir);
    assert!(store.lookup(old.public_key()).is_some());

    std::fs::write(dir.join("peer.key"), new.to_public_string()).unwrap();
    assert!(
        store.lookup(new.public_key()).is_none(),
        "in-place edit: directory unchanged, not read again"
    );
    assert_eq!(store.reload().certificates, 1);
    assert!(store.lookup(new.public_key()).is_some());
    assert!(store.lookup(old.public_key()).is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The logger of a refusal says why the directory did not know the key: missing, or which
/// files were skipped.
#[test]
fn refusals_say_why_the_directory_did_not_know_the_key() {
    let ctx = Context::new();
    let dir = fresh_path("refusal-detail");
    let auth = Authenticator::start(&ctx).unwrap();
    let reasons = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = Arc::clone(&reasons);
    auth.set_logger(move |e| sink.lock().unwrap().push(e.reason.clone()));
    auth.configure_curve("*", &dir).unwrap();
    let server = Server::new(&ctx, &Certificate::generate().unwrap());
    let client = Certificate::generate().unwrap();
    assert!(!server.accepts(&ctx, &client));

    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("client.key"),
        "curve\n    public-key = \"short\"\n",
    )
    .unwrap();
    assert!(!server.accepts(&ctx, &client));

    let reasons = reasons.lock().unwrap().clone();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("Unknown key (certificate directory "),
        "{reasons:?}"
    );
    assert!(reasons[0].ends_with(" does not exist)"), "{reasons:?}");
    assert!(
        reasons[1].contains("not among the 0 certificates")
            && reasons[1].contains("1 files skipped")
            && reasons[1].contains("client.key"),
        "{reasons:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
