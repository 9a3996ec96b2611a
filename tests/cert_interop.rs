//! Certificate files interchange with pyzmq's `zmq.auth`: ours load with
//! `zmq.auth.load_certificate`/`load_certificates`, theirs (`zmq.auth.create_certificates`)
//! load with ours, with the same keys; and a pyzmq CURVE client with a pyzmq-made
//! certificate passes our authenticator configured from a pyzmq-made directory.
//!
//! pyzmq is found, or its venv created, by tests/common/pyzmq.rs (see there).
// The pyzmq peer runs in a Python venv made by ci/pyzmq-venv.sh (bash): Unix only.
#![cfg(unix)]

mod common;

use common::pyzmq::{python, run_python};
use std::path::{Path, PathBuf};
use zmq4::cert::{load_certificates, Certificate};
use zmq4::security::CurveKey;

/// A fresh, empty directory under cargo's per-target temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cert-interop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn pyzmq_certificates_load_in_ours() {
    let Some(python) = python() else { return };
    let dir = temp_dir("theirs");
    let script = r#"
import sys, zmq.auth
public_file, secret_file = zmq.auth.create_certificates(sys.argv[1], "py", metadata={"name": "py side", "email": "a@b.c"})
public, secret = zmq.auth.load_certificate(secret_file)
print(public_file)
print(secret_file)
print(public.decode())
print(secret.decode())
"#;
    let out = run_python(python, script, &[dir.to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    let [public_file, secret_file, public, secret] = lines[..] else {
        panic!("unexpected output: {out}")
    };
    assert_eq!(Path::new(public_file), dir.join("py.key"));
    assert_eq!(Path::new(secret_file), dir.join("py.key_secret"));
    let public = CurveKey::from_z85(public).unwrap();
    let secret = CurveKey::from_z85(secret).unwrap();

    let cert = Certificate::load(secret_file).unwrap();
    assert_eq!(cert.public_key(), &public);
    assert_eq!(cert.secret_key(), Some(&secret));
    // pyzmq writes metadata (unquoted) into the secret file only.
    assert_eq!(cert.meta("name"), Some("py side"));
    assert_eq!(cert.meta("email"), Some("a@b.c"));

    let public_cert = Certificate::load(public_file).unwrap();
    assert_eq!(public_cert.public_key(), &public);
    assert_eq!(public_cert.secret_key(), None);
    assert_eq!(
        zmq4::cert::load_certificate(secret_file).unwrap(),
        (public, Some(secret))
    );

    let all = load_certificates(&dir).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].public_key(), &public);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Tests that generate key pairs (libzmq's CURVE, hence libsodium).
#[cfg(feature = "curve")]
mod curve {
    use super::*;
    use std::time::Duration;

    /// Upper bound of every wait (the python process, socket receives).
    const TIMEOUT: Duration = Duration::from_secs(20);
    use zmq4::auth::Authenticator;
    use zmq4::security::CurveKeyPair;
    use zmq4::{Context, RecvFlags, SocketType};

    const LOAD: &str = r#"
import sys, zmq, zmq.auth
for path in sys.argv[1:]:
    public, secret = zmq.auth.load_certificate(path)
    print(public.decode(), secret.decode() if secret else "-")
    if secret:
        assert zmq.curve_public(secret) == public, "secret does not match public"
"#;

    #[test]
    fn ours_load_in_pyzmq() {
        let Some(python) = python() else { return };
        let dir = temp_dir("ours");
        let mut cert = Certificate::generate().unwrap();
        cert.set_meta("name", "rust side")
            .unwrap()
            .set_meta("quote", "say \"hi\"")
            .unwrap();
        let (public_file, secret_file) = cert.save(&dir, "rust").unwrap();

        let out = run_python(
            python,
            LOAD,
            &[public_file.to_str().unwrap(), secret_file.to_str().unwrap()],
        );
        let lines: Vec<&str> = out.lines().collect();
        let public = cert.public_key().to_z85();
        let secret = cert.secret_key().unwrap().to_z85();
        assert_eq!(lines, [format!("{public} -"), format!("{public} {secret}")]);

        // load_certificates sees the public file only.
        let out = run_python(
            python,
            "import sys, zmq.auth; print(*sorted(k.decode() for k in zmq.auth.load_certificates(sys.argv[1])))",
            &[dir.to_str().unwrap()],
        );
        assert_eq!(out.trim(), public);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pyzmq_client_passes_our_authenticator() {
        let Some(python) = python() else { return };
        let dir = temp_dir("live");
        let script = r#"
import sys, zmq, zmq.auth
zmq.auth.create_certificates(sys.argv[1], "client")
print(zmq.auth.load_certificate(sys.argv[1] + "/client.key")[0].decode())
"#;
        let client_public = run_python(python, script, &[dir.to_str().unwrap()]);
        let client_public = CurveKey::from_z85(client_public.trim()).unwrap();

        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        assert_eq!(auth.configure_curve("*", &dir).unwrap().certificates, 1);
        let server_cert = Certificate::from(CurveKeyPair::generate().unwrap());
        let server_secret_file = server_cert.save(&dir, "server").unwrap().1;
        let server = ctx.socket(SocketType::Pull).unwrap();
        server.set_linger(0).unwrap();
        server.set_rcvtimeo(TIMEOUT.as_millis() as i32).unwrap();
        server.set_curve_server(true).unwrap();
        server
            .set_curve_secretkey(server_cert.secret_key().unwrap())
            .unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.last_endpoint().unwrap();

        // The client reads our server certificate and its own pyzmq-made secret certificate.
        let client = r#"
import sys, zmq, zmq.auth
server_public, _ = zmq.auth.load_certificate(sys.argv[2])
public, secret = zmq.auth.load_certificate(sys.argv[3])
ctx = zmq.Context()
s = ctx.socket(zmq.PUSH)
s.curve_serverkey, s.curve_publickey, s.curve_secretkey = server_public, public, secret
s.connect(sys.argv[1])
s.send(b"from pyzmq")
s.close(linger=int(sys.argv[4]))
ctx.term()
"#;
        let args = [
            endpoint,
            server_secret_file.display().to_string(),
            dir.join("client.key_secret").display().to_string(),
            TIMEOUT.as_millis().to_string(),
        ];
        let python = python.to_path_buf();
        let runner = std::thread::spawn(move || {
            run_python(
                &python,
                client,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
        });
        let msg = server
            .recv(RecvFlags::empty())
            .expect("the pyzmq client's message");
        assert_eq!(&msg[..], b"from pyzmq");
        assert_eq!(msg.gets("User-Id"), Some(client_public.to_z85().as_str()));
        runner.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
