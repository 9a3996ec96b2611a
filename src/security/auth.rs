//! A ZAP authenticator (ZeroMQ RFC 27): decides which peers may connect to the sockets of a
//! [`Context`], by IP address, PLAIN username and password, or CURVE public key.
//!
//! [`Authenticator::start`] binds a handler on `inproc://zeromq.zap.01` and answers libzmq's
//! authentication requests in a thread of its own until [`Authenticator::stop`], drop, or the
//! context's shutdown or termination. Its policy can be changed at any time, from any thread;
//! the next handshake sees the change:
//!
//! - **IP addresses**: [`allow`](Authenticator::allow) lists the only addresses that may
//!   connect (if the list is not empty, every other address is refused);
//!   [`deny`](Authenticator::deny) refuses the listed ones. When both are set, the allow
//!   list decides. NULL connections pass when the address does.
//! - **PLAIN**: a username → password map per ZAP domain
//!   ([`configure_plain`](Authenticator::configure_plain)). The user id of an accepted
//!   client is its username.
//! - **CURVE**: per domain, any client key ([`configure_curve_allow_any`]), the public keys
//!   of a directory of certificate files ([`configure_curve`]: a [`CertStore`] with czmq's
//!   semantics, which may not exist yet and is read again whenever it changes), a list of
//!   keys, or a callback. The user id of an accepted client is its public key in Z85, and
//!   the metadata of its certificate, if it came from one, travels with it.
//!
//! Servers name their domain with `set_zap_domain`; the domain [`ANY_DOMAIN`] (`"*"`) holds
//! the policy for every domain that has none of its own (and for servers without a domain).
//! Whatever the policy, a peer must pass both the IP check and its mechanism's check.
//! libzmq asks about PLAIN and CURVE peers always, about NULL peers only when the server
//! has a ZAP domain.
//!
//! Every message from an accepted peer carries the user id (`"User-Id"`) and the metadata
//! the authenticator gave it, read with [`Message::gets`](crate::Message::gets).
//!
//! [`configure_curve_allow_any`]: Authenticator::configure_curve_allow_any
//! [`configure_curve`]: Authenticator::configure_curve
//!
//! # Example: a CURVE server that knows one client
//! ```
//! # if !zmq4::has(zmq4::Capability::Curve) { return Ok(()); }
//! use zmq4::auth::Authenticator;
//! use zmq4::security::CurveKeyPair;
//! use zmq4::{Context, RecvFlags, SendFlags, SocketType};
//!
//! let ctx = Context::new();
//! let auth = Authenticator::start(&ctx)?;
//! let server_keys = CurveKeyPair::generate()?;
//! let client_keys = CurveKeyPair::generate()?;
//! auth.allow(["127.0.0.1"]);
//! auth.configure_curve_keys("*", [client_keys.public]);
//!
//! let server = ctx.socket(SocketType::Rep)?;
//! server.set_curve_server(true)?;
//! server.set_curve_secretkey(server_keys.secret)?;
//! server.set_rcvtimeo(5000)?;
//! server.bind("tcp://127.0.0.1:*")?;
//!
//! let client = ctx.socket(SocketType::Req)?;
//! client.set_curve_serverkey(server_keys.public)?;
//! client.set_curve_publickey(client_keys.public)?;
//! client.set_curve_secretkey(client_keys.secret)?;
//! client.set_rcvtimeo(5000)?;
//! client.connect(&server.last_endpoint()?)?;
//!
//! client.send("hello", SendFlags::empty())?;
//! let request = server.recv(RecvFlags::empty())?;
//! assert_eq!(request.gets("User-Id"), Some(client_keys.public.to_z85().as_str()));
//! server.send("welcome", SendFlags::empty())?;
//! assert_eq!(client.recv_bytes(RecvFlags::empty())?, b"welcome");
//!
//! auth.stop();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Differences from pyzmq's `zmq.auth`
//! - `allow` and `deny` may both be set (the allow list wins) instead of raising.
//! - `"*"` is the fallback for domains without a policy of their own (pyzmq uses it only for
//!   the empty domain, except that its `CURVE_ALLOW_ANY` covers every domain).
//! - NULL clients get an empty user id (pyzmq says `"anonymous"`).
//! - A CURVE certificate directory is read as czmq reads it ([`CertStore`]): it may not exist
//!   yet, it is read again when it changes, and every file counts (pyzmq reads the `*.key`
//!   files once, and logs an error for a missing directory).

use crate::cert::{CertError, CertStore, Certificate, StoreReport};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::poll::{poll, PollEvents};
use crate::security::CurveKey;
use crate::socket::{RecvFlags, SendFlags, Socket, SocketType};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::IpAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

/// The endpoint libzmq sends authentication requests to (RFC 27).
pub const ZAP_ENDPOINT: &str = "inproc://zeromq.zap.01";

/// The domain whose policy applies to every domain without one of its own, and to servers
/// with no ZAP domain.
pub const ANY_DOMAIN: &str = "*";

/// The `location` that makes [`Authenticator::configure_curve`] accept any client key, as in
/// pyzmq (`zmq.auth.CURVE_ALLOW_ANY`).
pub const CURVE_ALLOW_ANY: &str = "*";

/// The ZAP protocol version this handler speaks.
const ZAP_VERSION: &[u8] = b"1.0";

/// The status of a ZAP reply (RFC 27).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum StatusCode {
    /// `200`: the peer is accepted.
    Success,
    /// `300`: a temporary error; libzmq drops the connection without an ERROR command.
    TemporaryError,
    /// `400`: the peer is refused.
    AuthenticationFailure,
    /// `500`: the handler failed.
    InternalError,
}

impl StatusCode {
    /// The numeric code (200, 300, 400, 500), as monitor events report it.
    pub fn code(self) -> u16 {
        match self {
            StatusCode::Success => 200,
            StatusCode::TemporaryError => 300,
            StatusCode::AuthenticationFailure => 400,
            StatusCode::InternalError => 500,
        }
    }

    fn frame(self) -> &'static [u8] {
        match self {
            StatusCode::Success => b"200",
            StatusCode::TemporaryError => b"300",
            StatusCode::AuthenticationFailure => b"400",
            StatusCode::InternalError => b"500",
        }
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// What the authenticator decided about one request, as its logger sees it
/// ([`Authenticator::set_logger`]).
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct AuthEvent {
    /// The server's ZAP domain.
    pub domain: String,
    /// The peer's IP address (empty for non-IP transports).
    pub address: String,
    /// `"NULL"`, `"PLAIN"`, `"CURVE"`, `"GSSAPI"`, or what the request said.
    pub mechanism: String,
    /// The user id given to an accepted peer.
    pub user_id: String,
    /// The reply's status, or `None` for a request too malformed to answer (dropped).
    pub status: Option<StatusCode>,
    /// Why (`"OK"`, `"Address denied"`, `"Invalid password"`, …).
    pub reason: String,
}

impl fmt::Display for AuthEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "ZAP {status} {}", self.reason)?,
            None => write!(f, "ZAP request dropped: {}", self.reason)?,
        }
        write!(
            f,
            " (domain {:?}, address {:?}, mechanism {}",
            self.domain, self.address, self.mechanism
        )?;
        if !self.user_id.is_empty() {
            write!(f, ", user {:?}", self.user_id)?;
        }
        f.write_str(")")
    }
}

type Logger = Arc<dyn Fn(&AuthEvent) + Send + Sync>;
type CurveCallback = Arc<dyn Fn(&str, &CurveKey) -> bool + Send + Sync>;

/// Metadata entries, sent to the server as ZMTP properties.
type Metadata = Vec<(String, String)>;

#[derive(Clone)]
enum CurvePolicy {
    AllowAny,
    Keys(Arc<HashMap<CurveKey, Metadata>>),
    Store(Arc<CertStore>),
    Callback(CurveCallback),
}

#[derive(Default)]
struct Policy {
    allow: HashSet<String>,
    deny: HashSet<String>,
    plain: HashMap<String, HashMap<String, String>>,
    curve: HashMap<String, CurvePolicy>,
    logger: Option<Logger>,
}

/// The policy of a domain: its own, else [`ANY_DOMAIN`]'s.
fn for_domain<'a, T>(map: &'a HashMap<String, T>, domain: &str) -> Option<&'a T> {
    map.get(domain).or_else(|| map.get(ANY_DOMAIN))
}

/// An IP address in one spelling: parsed and printed back, IPv4-mapped IPv6 as IPv4.
fn normalize_address(address: &str) -> String {
    match address.trim().parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map_or(IpAddr::V6(v6), IpAddr::V4)
            .to_string(),
        Ok(ip) => ip.to_string(),
        Err(_) => address.to_owned(),
    }
}

/// Equality without an early exit on the first differing byte (lengths may leak).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Property names libzmq gives a meaning of its own: never sent as ZAP metadata.
const RESERVED_PROPERTIES: [&str; 5] = [
    "Socket-Type",
    "Identity",
    "Routing-Id",
    "User-Id",
    "Peer-Address",
];

/// ZAP metadata in ZMTP property format: name length (1 byte), name, value length (4 bytes,
/// big endian), value. Entries libzmq would reject or misread are left out.
fn encode_metadata(metadata: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in metadata {
        let (Ok(name_len), Ok(value_len)) = (u8::try_from(name.len()), u32::try_from(value.len()))
        else {
            continue;
        };
        if name_len == 0
            || RESERVED_PROPERTIES
                .iter()
                .any(|r| r.eq_ignore_ascii_case(name))
        {
            continue;
        }
        out.push(name_len);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&value_len.to_be_bytes());
        out.extend_from_slice(value.as_bytes());
    }
    out
}

/// The answer to one request.
struct Verdict {
    status: StatusCode,
    reason: &'static str,
    /// More for the logger than the reply's status text says (why a key is unknown).
    detail: Option<String>,
    user_id: Vec<u8>,
    metadata: Metadata,
}

impl Verdict {
    fn allow(user_id: Vec<u8>, metadata: Metadata) -> Verdict {
        Verdict {
            status: StatusCode::Success,
            reason: "OK",
            detail: None,
            user_id,
            metadata,
        }
    }

    fn deny(reason: &'static str) -> Verdict {
        Verdict {
            status: StatusCode::AuthenticationFailure,
            reason,
            detail: None,
            user_id: Vec::new(),
            metadata: Vec::new(),
        }
    }

    fn internal_error() -> Verdict {
        Verdict {
            status: StatusCode::InternalError,
            reason: "Internal error",
            detail: None,
            user_id: Vec::new(),
            metadata: Vec::new(),
        }
    }

    fn reply(&self, request_id: &[u8]) -> Vec<Vec<u8>> {
        vec![
            ZAP_VERSION.to_vec(),
            request_id.to_vec(),
            self.status.frame().to_vec(),
            self.reason.as_bytes().to_vec(),
            self.user_id.clone(),
            encode_metadata(&self.metadata),
        ]
    }
}

/// The state shared by the handle and the handler thread.
#[derive(Default)]
struct Shared {
    policy: Mutex<Policy>,
}

impl Shared {
    fn policy(&self) -> MutexGuard<'_, Policy> {
        // Nothing panics while holding the lock (callbacks run outside it); a poisoned lock
        // still holds a consistent policy.
        self.policy.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn log(&self, event: impl FnOnce() -> AuthEvent) {
        let logger = self.policy().logger.clone();
        if let Some(logger) = logger {
            let event = event();
            // A panicking logger must not take the handler down.
            let _ = catch_unwind(AssertUnwindSafe(|| logger(&event)));
        }
    }

    /// Answers one request (the frames after the envelope), or `None` to drop it.
    fn respond(&self, frames: &[&[u8]]) -> Option<Vec<Vec<u8>>> {
        let text = |i: usize| {
            frames
                .get(i)
                .map_or_else(String::new, |f| String::from_utf8_lossy(f).into_owned())
        };
        let event = |status, reason: &str, user_id: &[u8]| AuthEvent {
            domain: text(2),
            address: text(3),
            mechanism: text(5),
            user_id: String::from_utf8_lossy(user_id).into_owned(),
            status,
            reason: reason.to_owned(),
        };
        let Some(request_id) = frames.get(1) else {
            self.log(|| event(None, "not enough frames to reply", b""));
            return None;
        };
        let verdict = if frames.len() < 6 {
            Verdict::deny("Not enough frames")
        } else if frames[0] != ZAP_VERSION {
            Verdict::deny("Invalid version")
        } else {
            let domain = String::from_utf8_lossy(frames[2]);
            let address = normalize_address(&String::from_utf8_lossy(frames[3]));
            catch_unwind(AssertUnwindSafe(|| {
                self.decide(&domain, &address, frames[5], &frames[6..])
            }))
            .unwrap_or_else(|_| Verdict::internal_error())
        };
        self.log(|| match &verdict.detail {
            Some(detail) => event(
                Some(verdict.status),
                &format!("{} ({detail})", verdict.reason),
                &verdict.user_id,
            ),
            None => event(Some(verdict.status), verdict.reason, &verdict.user_id),
        });
        Some(verdict.reply(request_id))
    }

    fn decide(
        &self,
        domain: &str,
        address: &str,
        mechanism: &[u8],
        credentials: &[&[u8]],
    ) -> Verdict {
        let policy = self.policy();
        if !policy.allow.is_empty() {
            if !policy.allow.contains(address) {
                return Verdict::deny("Address not allowed");
            }
        } else if policy.deny.contains(address) {
            return Verdict::deny("Address denied");
        }
        match (mechanism, credentials) {
            (b"NULL", []) => Verdict::allow(Vec::new(), Vec::new()),
            (b"PLAIN", [username, password]) => {
                let Some(users) = for_domain(&policy.plain, domain) else {
                    return Verdict::deny("No passwords defined for domain");
                };
                let Some(expected) = std::str::from_utf8(username)
                    .ok()
                    .and_then(|u| users.get(u))
                else {
                    return Verdict::deny("Invalid username");
                };
                if constant_time_eq(expected.as_bytes(), password) {
                    Verdict::allow(username.to_vec(), Vec::new())
                } else {
                    Verdict::deny("Invalid password")
                }
            }
            (b"CURVE", [key]) => {
                // Exactly 32 raw bytes (CurveKey::try_from would also take 40 Z85 characters).
                let Ok(key) = <[u8; 32]>::try_from(*key).map(CurveKey::from_bytes) else {
                    return Verdict::deny("Invalid credentials");
                };
                let user_id = key.to_z85().into_bytes();
                match for_domain(&policy.curve, domain).cloned() {
                    None => Verdict::deny("Unknown domain"),
                    Some(CurvePolicy::AllowAny) => Verdict::allow(user_id, Vec::new()),
                    Some(CurvePolicy::Keys(keys)) => match keys.get(&key) {
                        Some(metadata) => Verdict::allow(user_id, metadata.clone()),
                        None => Verdict::deny("Unknown key"),
                    },
                    Some(CurvePolicy::Store(store)) => {
                        drop(policy); // reading the directory must not hold up configuration
                        match store.lookup(&key) {
                            Some(cert) => Verdict::allow(
                                user_id,
                                cert.metadata()
                                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                                    .collect(),
                            ),
                            None => Verdict {
                                detail: Some(store_detail(&store)),
                                ..Verdict::deny("Unknown key")
                            },
                        }
                    }
                    Some(CurvePolicy::Callback(callback)) => {
                        drop(policy); // the callback may configure the authenticator
                        match catch_unwind(AssertUnwindSafe(|| callback(domain, &key))) {
                            Ok(true) => Verdict::allow(user_id, Vec::new()),
                            Ok(false) => Verdict::deny("Unknown key"),
                            Err(_) => Verdict::internal_error(),
                        }
                    }
                }
            }
            // GSSAPI was checked by the mechanism itself: the principal is the user id.
            (b"GSSAPI", [principal]) => Verdict::allow(principal.to_vec(), Vec::new()),
            (b"NULL" | b"PLAIN" | b"CURVE" | b"GSSAPI", _) => Verdict::deny("Invalid credentials"),
            _ => Verdict::deny("Unsupported mechanism"),
        }
    }
}

/// Why a certificate directory did not know a key, for the logger: the directory is
/// missing, or files were skipped, or it simply holds other keys.
fn store_detail(store: &CertStore) -> String {
    let report = store.report();
    let location = store.location().display();
    if report.missing {
        return format!("certificate directory {location} does not exist");
    }
    let mut detail = format!(
        "not among the {} certificates of {location}",
        report.certificates
    );
    if !report.skipped.is_empty() {
        detail.push_str(&format!("; {} files skipped:", report.skipped.len()));
        for skipped in &report.skipped {
            detail.push_str(&format!(" {skipped};"));
        }
        detail.pop();
    }
    detail
}

/// A running ZAP handler for one [`Context`]; see the [module docs](self).
///
/// `Authenticator` is `Send + Sync`: configure it from any thread, or share it in an `Arc`.
/// The handler stops on [`Authenticator::stop`], on drop, and when the context is shut down
/// or terminated (so [`Context::term`] never waits for it).
pub struct Authenticator {
    shared: Arc<Shared>,
    ctx: Context,
    control_endpoint: String,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("running", &self.is_running())
            .finish()
    }
}

impl Authenticator {
    /// Binds a ZAP handler to [`ZAP_ENDPOINT`] in `ctx` and starts its thread. The policy
    /// starts empty: every NULL peer passes, every PLAIN and CURVE peer is refused. Start it
    /// before the servers it guards accept connections.
    ///
    /// Fails with [`Error::AddressInUse`] if the context already has a ZAP handler, and
    /// [`Error::ContextTerminated`] if it is shut down.
    pub fn start(ctx: &Context) -> Result<Authenticator> {
        // Both sockets are bound here, so requests and stop signals sent after `start`
        // returns are never lost, then moved to the thread that owns them from then on.
        let zap = ctx.socket(SocketType::Router)?;
        zap.set_linger(0)?;
        zap.bind(ZAP_ENDPOINT)?;
        let control = ctx.socket(SocketType::Pull)?;
        control.set_linger(0)?;
        let control_endpoint = crate::socket::unique_inproc_endpoint("auth.control");
        control.bind(&control_endpoint)?;

        let shared = Arc::new(Shared::default());
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("zmq4-zap".into())
            .spawn(move || serve(zap, control, &thread_shared))
            .map_err(|e| Error::from_errno(e.raw_os_error().unwrap_or(libc::ENOMEM)))?;
        Ok(Authenticator {
            shared,
            ctx: ctx.clone(),
            control_endpoint,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Stops the handler and waits for its thread (which closes its sockets). Idempotent;
    /// also done on drop. (Called from the handler thread itself, in a callback or logger,
    /// it only asks the thread to stop.)
    ///
    /// Peers that handshake afterwards are not checked: without a ZAP handler libzmq refuses
    /// PLAIN peers but accepts every CURVE client and NULL peer (unless the server sets
    /// `zap_enforce_domain`, a draft option). Stop the servers first.
    pub fn stop(&self) {
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(thread) = thread else { return };
        if !thread.is_finished() {
            // If the context is shut down or terminated, no socket can be made, and none is
            // needed: the handler's poll fails with ETERM and the thread ends by itself.
            if let Ok(push) = self.ctx.socket(SocketType::Push) {
                // Only fails if the thread ended meanwhile (its endpoint is gone): then the
                // message waits in a pipe that linger 0 discards when `push` is dropped.
                let _ = push
                    .set_linger(0)
                    .and_then(|()| push.connect(&self.control_endpoint))
                    .and_then(|()| push.send(b"STOP", SendFlags::DONTWAIT));
            }
        }
        if thread.thread().id() != std::thread::current().id() {
            // The thread never panics (requests and callbacks run under catch_unwind).
            let _ = thread.join();
        }
    }

    /// Whether the handler thread is still running.
    pub fn is_running(&self) -> bool {
        self.thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|t| !t.is_finished())
    }

    /// Allows these IP addresses (added to the allow list). While the allow list is not
    /// empty, peers from any other address are refused, whatever their mechanism; PLAIN and
    /// CURVE peers from an allowed address must still pass their own check.
    ///
    /// Addresses are compared as IP addresses (`"::ffff:127.0.0.1"` is `"127.0.0.1"`);
    /// anything that is not one is compared as text.
    pub fn allow<I, S>(&self, addresses: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.shared
            .policy()
            .allow
            .extend(addresses.into_iter().map(|a| normalize_address(a.as_ref())));
    }

    /// Denies these IP addresses (added to the deny list): their peers are refused. Ignored
    /// while the allow list is not empty.
    pub fn deny<I, S>(&self, addresses: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.shared
            .policy()
            .deny
            .extend(addresses.into_iter().map(|a| normalize_address(a.as_ref())));
    }

    /// Empties the allow list.
    pub fn clear_allow(&self) {
        self.shared.policy().allow.clear();
    }

    /// Empties the deny list.
    pub fn clear_deny(&self) {
        self.shared.policy().deny.clear();
    }

    /// Sets the PLAIN users of a domain ([`ANY_DOMAIN`] for all), replacing the previous
    /// ones: a map from username to password. An empty map refuses every PLAIN peer of the
    /// domain.
    ///
    /// ```
    /// # let ctx = zmq4::Context::new();
    /// let auth = zmq4::auth::Authenticator::start(&ctx)?;
    /// auth.configure_plain("*", [("admin", "secret"), ("guest", "guest")]);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn configure_plain<I, U, P>(&self, domain: &str, passwords: I)
    where
        I: IntoIterator<Item = (U, P)>,
        U: Into<String>,
        P: Into<String>,
    {
        let users = passwords
            .into_iter()
            .map(|(u, p)| (u.into(), p.into()))
            .collect();
        self.shared.policy().plain.insert(domain.to_owned(), users);
    }

    /// Sets the CURVE policy of a domain from a directory of certificates, as czmq's `zauth`
    /// does: only the public keys it holds are accepted, and each client gets its
    /// certificate's metadata. `location` [`CURVE_ALLOW_ANY`] (`"*"`) accepts every key
    /// instead.
    ///
    /// The directory is a [`CertStore`]: it may not exist yet (an empty store until it
    /// does), every file of it counts whatever its name (pyzmq's `name.key` and
    /// `name.key_secret`, czmq's `name` and `name_secret`), and it is read again at the next
    /// handshake after it changed, with no new call. So czmq's Ironhouse order works: start
    /// the authenticator, then save the client's certificate, then connect.
    ///
    /// Returns what the directory holds now: the number of certificates and every file
    /// skipped with its reason ([`StoreReport`]; later readings: keep the store with
    /// [`configure_curve_store`](Authenticator::configure_curve_store)). A refusal says
    /// the same to the [logger](Authenticator::set_logger): `Unknown key (certificate
    /// directory … does not exist)`, or which files were skipped and why. Fails only if
    /// `location` exists and is not a directory; the previous policy then stays.
    ///
    /// ```
    /// # if !zmq4::has(zmq4::Capability::Curve) { return Ok(()); }
    /// # let ctx = zmq4::Context::new();
    /// let auth = zmq4::auth::Authenticator::start(&ctx)?;
    /// let dir = std::env::temp_dir().join(format!("zmq4-auth-doc-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let report = auth.configure_curve("*", &dir)?; // not there yet: no certificate
    /// assert_eq!((report.certificates, report.missing), (0, true));
    /// // Certificates saved into `dir` from now on are accepted at the next handshake.
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn configure_curve(
        &self,
        domain: &str,
        location: impl AsRef<Path>,
    ) -> Result<StoreReport, CertError> {
        let location = location.as_ref();
        if location == Path::new(CURVE_ALLOW_ANY) {
            self.configure_curve_allow_any(domain);
            return Ok(StoreReport::default());
        }
        if let Ok(meta) = std::fs::metadata(location) {
            if !meta.is_dir() {
                return Err(CertError::Io {
                    path: location.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        "not a directory",
                    ),
                });
            }
        }
        let store = Arc::new(CertStore::open(location));
        let report = store.report();
        self.configure_curve_store(domain, store);
        Ok(report)
    }

    /// Sets the CURVE policy of a domain to a [`CertStore`] (replacing its previous policy):
    /// the keys it holds at each handshake are accepted. Keep a clone of the `Arc` to read
    /// its [`report`](CertStore::report) later.
    pub fn configure_curve_store(&self, domain: &str, store: Arc<CertStore>) {
        self.shared
            .policy()
            .curve
            .insert(domain.to_owned(), CurvePolicy::Store(store));
    }

    /// Accepts every CURVE client key in a domain (pyzmq's `CURVE_ALLOW_ANY`). The
    /// connection is still encrypted, and the IP policy still applies.
    pub fn configure_curve_allow_any(&self, domain: &str) {
        self.shared
            .policy()
            .curve
            .insert(domain.to_owned(), CurvePolicy::AllowAny);
    }

    /// Accepts only these CURVE client keys in a domain (replacing its previous policy).
    /// Returns how many distinct keys there are.
    pub fn configure_curve_keys<I: IntoIterator<Item = CurveKey>>(
        &self,
        domain: &str,
        keys: I,
    ) -> usize {
        self.set_curve_keys(domain, keys.into_iter().map(|k| (k, Vec::new())).collect())
    }

    /// Accepts only the public keys of these certificates in a domain (replacing its
    /// previous policy); each client gets its certificate's metadata as ZMTP properties.
    /// Returns how many distinct keys there are.
    pub fn configure_curve_certificates<I: IntoIterator<Item = Certificate>>(
        &self,
        domain: &str,
        certs: I,
    ) -> usize {
        let keys = certs
            .into_iter()
            .map(|c| {
                (
                    *c.public_key(),
                    c.metadata()
                        .map(|(n, v)| (n.to_owned(), v.to_owned()))
                        .collect(),
                )
            })
            .collect();
        self.set_curve_keys(domain, keys)
    }

    fn set_curve_keys(&self, domain: &str, keys: HashMap<CurveKey, Metadata>) -> usize {
        let n = keys.len();
        self.shared
            .policy()
            .curve
            .insert(domain.to_owned(), CurvePolicy::Keys(Arc::new(keys)));
        n
    }

    /// Lets a callback decide on CURVE clients in a domain: it gets the domain and the
    /// client's public key and returns whether to accept it (pyzmq's
    /// `configure_curve_callback`). It runs on the handler thread, so every handshake of the
    /// context waits for it; a panic in it refuses the client with status 500.
    pub fn configure_curve_callback<F>(&self, domain: &str, callback: F)
    where
        F: Fn(&str, &CurveKey) -> bool + Send + Sync + 'static,
    {
        self.shared
            .policy()
            .curve
            .insert(domain.to_owned(), CurvePolicy::Callback(Arc::new(callback)));
    }

    /// Removes the PLAIN and CURVE policies of a domain (it then falls back to
    /// [`ANY_DOMAIN`]'s, if any).
    pub fn remove_domain(&self, domain: &str) {
        let mut policy = self.shared.policy();
        policy.plain.remove(domain);
        policy.curve.remove(domain);
    }

    /// Calls `logger` with every decision, on the handler thread (keep it quick).
    ///
    /// ```
    /// # let ctx = zmq4::Context::new();
    /// let auth = zmq4::auth::Authenticator::start(&ctx)?;
    /// auth.set_logger(|event| eprintln!("{event}"));
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn set_logger<F: Fn(&AuthEvent) + Send + Sync + 'static>(&self, logger: F) {
        self.shared.policy().logger = Some(Arc::new(logger));
    }

    /// Removes the logger.
    pub fn clear_logger(&self) {
        self.shared.policy().logger = None;
    }

    /// Prints every decision to stderr (`true`) or stops doing so (`false`), like czmq's
    /// `VERBOSE`; replaces any logger.
    pub fn set_verbose(&self, verbose: bool) {
        if verbose {
            self.set_logger(|event| eprintln!("zmq4 auth: {event}"));
        } else {
            self.clear_logger();
        }
    }

    /// Answers one ZAP request as the handler thread does, without sockets: `request` holds
    /// the frames after the envelope (version, request id, domain, address, routing id,
    /// mechanism, credentials…). Returns the reply frames (version, request id, status code,
    /// status text, user id, metadata), or `None` for a request too short to answer.
    ///
    /// For tests and fuzzing; it never panics, whatever the frames.
    ///
    /// ```
    /// # let ctx = zmq4::Context::new();
    /// let auth = zmq4::auth::Authenticator::start(&ctx)?;
    /// auth.configure_plain("*", [("admin", "secret")]);
    /// let reply = auth.handle_request(&[&b"1.0"[..], b"7", b"", b"127.0.0.1", b"", b"PLAIN", b"admin", b"secret"]);
    /// let reply = reply.unwrap();
    /// assert_eq!(reply[1], b"7");
    /// assert_eq!(reply[2], b"200");
    /// assert_eq!(reply[4], b"admin");
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn handle_request<F: AsRef<[u8]>>(&self, request: &[F]) -> Option<Vec<Vec<u8>>> {
        let frames: Vec<&[u8]> = request.iter().map(AsRef::as_ref).collect();
        self.shared.respond(&frames)
    }
}

impl Drop for Authenticator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The handler thread: answers requests until a stop signal or the context's end (ETERM),
/// then closes its sockets.
fn serve(zap: Socket, control: Socket, shared: &Shared) {
    serve_until_stopped(&zap, &control, shared);
    // Closing a socket releases its inproc endpoints later, in libzmq's reaper thread;
    // unbinding releases the ZAP endpoint now, so a new handler can start as soon as `stop`
    // returns. (After ETERM this fails harmlessly: the context is going away.)
    let _ = zap.unbind(ZAP_ENDPOINT);
}

fn serve_until_stopped(zap: &Socket, control: &Socket, shared: &Shared) {
    let mut items = [
        zap.as_poll_item(PollEvents::POLLIN),
        control.as_poll_item(PollEvents::POLLIN),
    ];
    loop {
        match poll(&mut items, -1) {
            Ok(_) => {}
            Err(Error::Interrupted) => continue,
            Err(_) => return, // ETERM: the context is shutting down
        }
        if items[1].is_readable() {
            return;
        }
        // One request per poll, so that a flood of requests cannot delay a stop signal.
        if items[0].is_readable() {
            match zap.recv_multipart(RecvFlags::DONTWAIT) {
                Ok(frames) => {
                    if let Err(Error::ContextTerminated) = answer(zap, frames, shared) {
                        return;
                    }
                }
                Err(Error::WouldBlock) | Err(Error::Interrupted) => {}
                Err(_) => return,
            }
        }
    }
}

/// Answers one message of the ROUTER: routing id, envelope up to an empty delimiter frame,
/// then the request. A message without a delimiter has no reply address and is dropped.
fn answer(zap: &Socket, mut frames: Vec<Message>, shared: &Shared) -> Result<()> {
    let Some(delimiter) = frames
        .iter()
        .skip(1)
        .position(|f| f.is_empty())
        .map(|i| i + 1)
    else {
        shared.log(|| AuthEvent {
            domain: String::new(),
            address: String::new(),
            mechanism: String::new(),
            user_id: String::new(),
            status: None,
            reason: "no envelope delimiter".into(),
        });
        return Ok(());
    };
    let request = frames.split_off(delimiter + 1);
    let Some(reply) = shared.respond(&request.iter().map(Message::as_slice).collect::<Vec<_>>())
    else {
        return Ok(());
    };
    // ROUTER drops replies to peers that are gone; DONTWAIT keeps this thread from ever
    // blocking on one.
    match zap.send_multipart(
        frames
            .into_iter()
            .chain(reply.into_iter().map(Message::from)),
        SendFlags::DONTWAIT,
    ) {
        Err(Error::ContextTerminated) => Err(Error::ContextTerminated),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(auth: &Authenticator, frames: &[&[u8]]) -> Option<(Vec<u8>, Vec<u8>, Vec<u8>)> {
        auth.handle_request(frames)
            .map(|r| (r[2].clone(), r[4].clone(), r[5].clone()))
    }

    #[test]
    fn metadata_encoding_skips_reserved_and_oversized_names() {
        let md = vec![
            ("name".to_owned(), "alice".to_owned()),
            ("socket-type".to_owned(), "PUB".to_owned()),
            ("x".repeat(256), "v".to_owned()),
            (String::new(), "v".to_owned()),
        ];
        assert_eq!(encode_metadata(&md), b"\x04name\x00\x00\x00\x05alice");
    }

    #[test]
    fn addresses_are_normalized() {
        assert_eq!(normalize_address("::ffff:127.0.0.1"), "127.0.0.1");
        assert_eq!(normalize_address("0:0:0:0:0:0:0:1"), "::1");
        assert_eq!(normalize_address("not an ip"), "not an ip");
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn decisions() {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        let key = CurveKey::from_bytes([3; 32]);
        let null: &[&[u8]] = &[b"1.0", b"1", b"", b"10.0.0.1", b"", b"NULL"];
        assert_eq!(reply(&auth, null).unwrap().0, b"200");
        auth.deny(["10.0.0.1"]);
        assert_eq!(reply(&auth, null).unwrap().0, b"400");
        auth.allow(["10.0.0.1"]);
        assert_eq!(reply(&auth, null).unwrap().0, b"200", "the allow list wins");
        auth.clear_allow();
        auth.clear_deny();

        let curve = |domain: &'static [u8]| -> Vec<&[u8]> {
            vec![
                b"1.0",
                b"1",
                domain,
                b"10.0.0.1",
                b"",
                b"CURVE",
                key.as_bytes(),
            ]
        };
        assert_eq!(reply(&auth, &curve(b"d")).unwrap().0, b"400");
        auth.configure_curve_keys("d", [key]);
        let (status, user, _) = reply(&auth, &curve(b"d")).unwrap();
        assert_eq!((status, user), (b"200".to_vec(), key.to_z85().into_bytes()));
        assert_eq!(
            reply(&auth, &curve(b"")).unwrap().0,
            b"400",
            "no '*' policy"
        );
        auth.configure_curve_callback("*", |_, _| panic!("callback panics"));
        assert_eq!(reply(&auth, &curve(b"other")).unwrap().0, b"500");
        let mut cert = Certificate::from_keys(key, None);
        cert.set_meta("name", "k").unwrap();
        auth.configure_curve_certificates("*", [cert]);
        assert_eq!(
            reply(&auth, &curve(b"")).unwrap().2,
            b"\x04name\x00\x00\x00\x01k"
        );

        auth.configure_plain("p", [("u", "pw")]);
        let plain = |pw: &'static [u8]| -> Vec<&[u8]> {
            vec![b"1.0", b"1", b"p", b"", b"", b"PLAIN", b"u", pw]
        };
        assert_eq!(reply(&auth, &plain(b"pw")).unwrap().0, b"200");
        assert_eq!(reply(&auth, &plain(b"pW")).unwrap().0, b"400");
        assert_eq!(reply(&auth, &plain(b"pw\0")).unwrap().0, b"400");

        // Malformed: never a panic.
        assert_eq!(auth.handle_request::<&[u8]>(&[]), None);
        assert_eq!(auth.handle_request(&[b"1.0"]), None);
        assert_eq!(reply(&auth, &[b"1.0", b"1"]).unwrap().0, b"400");
        assert_eq!(
            reply(&auth, &[b"2.0", b"1", b"", b"", b"", b"NULL"])
                .unwrap()
                .0,
            b"400"
        );
        assert_eq!(
            reply(&auth, &[b"1.0", b"1", b"", b"", b"", b"NULL", b"x"])
                .unwrap()
                .0,
            b"400"
        );
        assert_eq!(
            reply(&auth, &[b"1.0", b"1", b"", b"", b"", b"CURVE", b"short"])
                .unwrap()
                .0,
            b"400"
        );
        assert_eq!(
            reply(
                &auth,
                &[
                    b"1.0",
                    b"1",
                    b"",
                    b"",
                    b"",
                    b"CURVE",
                    key.to_z85().as_bytes()
                ]
            )
            .unwrap()
            .0,
            b"400"
        );
        assert_eq!(
            reply(&auth, &[b"1.0", b"1", b"", b"", b"", b"KERBEROS"])
                .unwrap()
                .0,
            b"400"
        );
        assert_eq!(
            reply(
                &auth,
                &[b"1.0", b"1", b"\xff", b"\xfe", b"", b"PLAIN", b"\xff", b""]
            )
            .unwrap()
            .0,
            b"400"
        );
    }
}
