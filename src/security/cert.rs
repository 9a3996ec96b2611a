//! CURVE certificate files: a key pair plus metadata, stored in the ZPL text format that czmq
//! and pyzmq (`zmq.auth.create_certificates`, `load_certificate`) read and write.
//!
//! A certificate is saved as two files: `name.key` holds the public key (give it to peers)
//! and `name.key_secret` holds both keys (keep it; it is created readable by its owner
//! only):
//!
//! ```text
//! #   ****  Generated on 2025-01-31 12:00:00 UTC by zmq4  ****
//! #   ZeroMQ CURVE **Secret** Certificate
//! #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
//!
//! metadata
//!     name = "alice"
//! curve
//!     public-key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
//!     secret-key = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
//! ```
//!
//! Loading is lenient as czmq's and pyzmq's readers are: comments, blank lines, any
//! indentation, quoted (`"…"`, `'…'`) or bare values, CRLF line ends. A directory of
//! certificates, read as czmq's `zcertstore` reads it ([`CertStore`]: it may be missing at
//! first, it is read again when it changes, every file name of czmq and pyzmq counts), is
//! what the [`Authenticator`](crate::auth::Authenticator) takes as a CURVE allow list
//! ([`configure_curve`](crate::auth::Authenticator::configure_curve)).
//! [`load_certificates`] is pyzmq's one-off reading of the `*.key` files.
//!
//! Every failure is a typed [`CertError`], never a panic.
//!
//! ```
//! # if !zmq4::has(zmq4::Capability::Curve) { return Ok(()); }
//! use zmq4::cert::{load_certificates, Certificate};
//! use zmq4::CurveKeyPair;
//!
//! let dir = std::env::temp_dir().join(format!("zmq4-cert-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//!
//! let mut cert = Certificate::from(CurveKeyPair::generate()?); // or Certificate::generate()
//! cert.set_meta("name", "alice")?;
//! let (public_file, secret_file) = cert.save(&dir, "alice")?;
//!
//! let public = Certificate::load(&public_file)?;
//! assert_eq!(public.public_key(), cert.public_key());
//! assert_eq!(public.secret_key(), None);
//! assert_eq!(public.meta("name"), Some("alice"));
//! assert_eq!(Certificate::load(&secret_file)?, cert);
//!
//! let all = load_certificates(&dir)?; // every *.key file: public keys only
//! assert_eq!(all.len(), 1);
//! assert_eq!(all[0].public_key(), cert.public_key());
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::error::Error;
use crate::security::{CurveKey, CurveKeyPair, Z85Error};
use crate::socket::{Socket, ThreadMode};
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The extension of public certificate files (`name.key`).
pub const PUBLIC_EXTENSION: &str = "key";
/// The extension of secret certificate files (`name.key_secret`).
pub const SECRET_EXTENSION: &str = "key_secret";

/// Why a certificate could not be loaded, saved or built.
#[derive(Debug)]
#[non_exhaustive]
pub enum CertError {
    /// Reading or writing a file or directory failed.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The certificate has no `public-key` entry.
    MissingPublicKey {
        /// The file, when the text came from one.
        path: Option<PathBuf>,
    },
    /// A `public-key` or `secret-key` value is not 40 characters of valid Z85.
    BadKey {
        /// The file, when the text came from one.
        path: Option<PathBuf>,
        /// `"public-key"` or `"secret-key"`.
        field: &'static str,
        /// The 1-based line of the entry.
        line: usize,
        /// Why the value is not a key.
        source: Z85Error,
    },
    /// The secret key does not belong to the public key (checked where libzmq has CURVE).
    KeyMismatch {
        /// The file, when the text came from one.
        path: Option<PathBuf>,
    },
    /// The secret file of a certificate that has no secret key was asked for.
    MissingSecretKey,
    /// A metadata name or value that cannot be stored in a certificate or sent as a ZMTP
    /// property (see [`Certificate::set_meta`]).
    InvalidMetadata {
        /// The name.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// libzmq failed (generating a key pair; [`Error::NotSupported`] without CURVE).
    Zmq(Error),
}

fn at(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map_or_else(String::new, |p| format!("{}: ", p.display()))
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CertError::MissingPublicKey { path } => {
                write!(f, "{}no public key in certificate", at(path))
            }
            CertError::BadKey {
                path,
                field,
                line,
                source,
            } => {
                write!(f, "{}line {line}: bad {field}: {source}", at(path))
            }
            CertError::KeyMismatch { path } => {
                write!(
                    f,
                    "{}the secret key does not match the public key",
                    at(path)
                )
            }
            CertError::MissingSecretKey => f.write_str("the certificate has no secret key"),
            CertError::InvalidMetadata { name, reason } => {
                write!(f, "invalid metadata {name:?}: {reason}")
            }
            CertError::Zmq(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CertError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CertError::Io { source, .. } => Some(source),
            CertError::BadKey { source, .. } => Some(source),
            CertError::Zmq(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Error> for CertError {
    fn from(e: Error) -> CertError {
        CertError::Zmq(e)
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> CertError + '_ {
    move |source| CertError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A CURVE certificate: a public key, the secret key if this side owns it, and metadata
/// (name/value pairs such as `name = "alice"`).
///
/// The [`Authenticator`](crate::auth::Authenticator) passes the metadata of an allowed
/// client's certificate on to the server, where every message from that client carries it
/// ([`Message::gets`](crate::Message::gets)).
///
/// `Debug` does not show the secret key.
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    public: CurveKey,
    secret: Option<CurveKey>,
    metadata: Vec<(String, String)>,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("public", &self.public)
            .field("secret", &self.secret.map(|_| "<redacted>"))
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl From<CurveKeyPair> for Certificate {
    fn from(pair: CurveKeyPair) -> Certificate {
        Certificate::from_keys(pair.public, Some(pair.secret))
    }
}

impl Certificate {
    /// A certificate with a new key pair (`zmq_curve_keypair`) and no metadata.
    #[cfg(feature = "curve")]
    pub fn generate() -> Result<Certificate, CertError> {
        Ok(CurveKeyPair::generate()?.into())
    }

    /// A certificate of known keys (`secret` is `None` for a peer's public certificate).
    ///
    /// ```
    /// use zmq4::cert::Certificate;
    /// use zmq4::security::CurveKey;
    ///
    /// let key = CurveKey::from_z85("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7")?;
    /// let cert = Certificate::from_keys(key, None);
    /// assert!(cert.to_public_string().contains(r#"public-key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7""#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_keys(public: CurveKey, secret: Option<CurveKey>) -> Certificate {
        Certificate {
            public,
            secret,
            metadata: Vec::new(),
        }
    }

    /// Makes `socket` use this certificate's keys (`ZMQ_CURVE_SECRETKEY`, then
    /// `ZMQ_CURVE_PUBLICKEY`), as czmq's `zcert_apply` does. A CURVE client still sets the
    /// server's key ([`set_curve_serverkey`](crate::Socket::set_curve_serverkey)); a server
    /// sets [`set_curve_server`](crate::Socket::set_curve_server). On an `AsyncSocket`
    /// (feature `tokio`): `socket.with_socket(|s| cert.apply(s))`.
    ///
    /// [`CertError::MissingSecretKey`] for a public certificate; [`CertError::Zmq`] if
    /// libzmq refuses the keys ([`Error::InvalidArgument`] without CURVE).
    ///
    /// ```
    /// # if !zmq4::has(zmq4::Capability::Curve) { return Ok(()); }
    /// use zmq4::cert::Certificate;
    /// use zmq4::security::CurveKey;
    /// use zmq4::{Context, SocketType};
    ///
    /// // The client key pair of the zmq_curve man page (or Certificate::generate()).
    /// let public = CurveKey::from_z85("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID")?;
    /// let secret = CurveKey::from_z85("D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs")?;
    /// let cert = Certificate::from_keys(public, Some(secret));
    /// let client = Context::new().socket(SocketType::Req)?;
    /// cert.apply(&client)?;
    /// assert_eq!(client.curve_publickey()?, *cert.public_key());
    /// assert!(cert.public_only().apply(&client).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply<M: ThreadMode>(&self, socket: &Socket<M>) -> Result<(), CertError> {
        let secret = self.secret.ok_or(CertError::MissingSecretKey)?;
        socket.set_curve_secretkey(secret)?;
        socket.set_curve_publickey(self.public)?;
        Ok(())
    }

    /// The public key.
    pub fn public_key(&self) -> &CurveKey {
        &self.public
    }

    /// The secret key, if the certificate has one.
    pub fn secret_key(&self) -> Option<&CurveKey> {
        self.secret.as_ref()
    }

    /// Both keys, if the certificate has the secret one.
    pub fn key_pair(&self) -> Option<CurveKeyPair> {
        self.secret.map(|secret| CurveKeyPair {
            public: self.public,
            secret,
        })
    }

    /// The same certificate without its secret key (what `name.key` holds).
    pub fn public_only(&self) -> Certificate {
        Certificate {
            secret: None,
            ..self.clone()
        }
    }

    /// Every metadata entry, in order.
    pub fn metadata(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.metadata.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The value of a metadata entry.
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets a metadata entry (replacing one of the same name).
    ///
    /// Names are 1 to 255 characters of letters, digits and `$-_@.&+/` (ZPL names, which are
    /// also valid ZMTP property names); values are one line without both kinds of quote.
    /// Anything else is [`CertError::InvalidMetadata`].
    ///
    /// ```
    /// use zmq4::cert::Certificate;
    /// use zmq4::security::CurveKey;
    ///
    /// let mut cert = Certificate::from_keys(CurveKey::from_bytes([7; 32]), None);
    /// cert.set_meta("email", "alice@example.com")?;
    /// assert_eq!(cert.meta("email"), Some("alice@example.com"));
    /// assert!(cert.set_meta("bad name", "x").is_err());
    /// # Ok::<(), zmq4::cert::CertError>(())
    /// ```
    pub fn set_meta(&mut self, name: &str, value: &str) -> Result<&mut Certificate, CertError> {
        let invalid = |reason| {
            Err(CertError::InvalidMetadata {
                name: name.to_owned(),
                reason,
            })
        };
        if name.is_empty() || name.len() > 255 {
            return invalid("a name has 1 to 255 characters");
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"$-_@.&+/".contains(&b))
        {
            return invalid("a name has only letters, digits and $-_@.&+/");
        }
        if value.contains(['\n', '\r']) {
            return invalid("a value is one line");
        }
        if value.contains('"') && value.contains('\'') {
            return invalid("a value cannot hold both kinds of quote");
        }
        match self.metadata.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value.to_owned(),
            None => self.metadata.push((name.to_owned(), value.to_owned())),
        }
        Ok(self)
    }

    /// The text of the public certificate file (`name.key`): the banner, the metadata and
    /// the public key.
    pub fn to_public_string(&self) -> String {
        self.to_zpl(None)
    }

    /// The text of the secret certificate file (`name.key_secret`): the public file plus the
    /// secret key. [`CertError::MissingSecretKey`] if there is none.
    pub fn to_secret_string(&self) -> Result<String, CertError> {
        let secret = self.secret.ok_or(CertError::MissingSecretKey)?;
        Ok(self.to_zpl(Some(&secret)))
    }

    fn to_zpl(&self, secret: Option<&CurveKey>) -> String {
        let mut out = format!("#   ****  Generated on {} by zmq4  ****\n", utc_now());
        out.push_str(if secret.is_some() {
            SECRET_BANNER
        } else {
            PUBLIC_BANNER
        });
        out.push_str("\nmetadata\n");
        for (name, value) in &self.metadata {
            let quote = if value.contains('"') { '\'' } else { '"' };
            out.push_str(&format!("    {name} = {quote}{value}{quote}\n"));
        }
        out.push_str("curve\n");
        out.push_str(&format!("    public-key = \"{}\"\n", self.public.to_z85()));
        if let Some(secret) = secret {
            out.push_str(&format!("    secret-key = \"{}\"\n", secret.to_z85()));
        }
        out
    }

    /// Parses certificate text (either file). See [`Certificate::load`].
    pub fn parse(text: &str) -> Result<Certificate, CertError> {
        parse_zpl(text, None)
    }

    /// Loads a public (`name.key`) or secret (`name.key_secret`) certificate file.
    ///
    /// The `curve` section's `public-key` is required and `secret-key` optional; the
    /// `metadata` section's entries become [`Certificate::metadata`]; everything else (other
    /// sections, comments) is ignored. Where libzmq has CURVE, a secret key is checked to
    /// belong to the public key ([`CertError::KeyMismatch`]).
    pub fn load(path: impl AsRef<Path>) -> Result<Certificate, CertError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(io_error(path))?;
        parse_zpl(&String::from_utf8_lossy(&bytes), Some(path))
    }

    /// Writes the public certificate file (replacing an existing file: the text goes to a
    /// temporary file first, renamed over `path`).
    pub fn save_public(&self, path: impl AsRef<Path>) -> Result<(), CertError> {
        write_file(path.as_ref(), &self.to_public_string(), false)
    }

    /// Writes the secret certificate file (replacing an existing file, through a temporary
    /// file renamed over `path`), readable and writable by its owner only where the platform
    /// has Unix permissions.
    pub fn save_secret(&self, path: impl AsRef<Path>) -> Result<(), CertError> {
        write_file(path.as_ref(), &self.to_secret_string()?, true)
    }

    /// Writes `dir/name.key` and, if the certificate has a secret key, `dir/name.key_secret`,
    /// as `zmq.auth.create_certificates` does; returns both paths (the secret path even
    /// when it was not written). Unlike pyzmq, the metadata goes into both files, as czmq
    /// does, so that a directory of public certificates carries it to the authenticator.
    pub fn save(&self, dir: impl AsRef<Path>, name: &str) -> Result<(PathBuf, PathBuf), CertError> {
        let dir = dir.as_ref();
        let public = dir.join(format!("{name}.{PUBLIC_EXTENSION}"));
        let secret = dir.join(format!("{name}.{SECRET_EXTENSION}"));
        self.save_public(&public)?;
        if self.secret.is_some() {
            self.save_secret(&secret)?;
        }
        Ok((public, secret))
    }
}

const PUBLIC_BANNER: &str = "#   ZeroMQ CURVE Public Certificate
#   Exchange securely, or use a secure mechanism to verify the contents
#   of this file after exchange. Store public certificates in your home
#   directory, in the .curve subdirectory.
";

const SECRET_BANNER: &str = "#   ZeroMQ CURVE **Secret** Certificate
#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
";

/// Writes `text` to a hidden temporary file beside `path`, then renames it over `path`: a
/// reader (a [`CertStore`] re-reading the directory) never sees half a file, and the rename
/// changes the directory, which is what a store watches.
fn write_file(path: &Path, text: &str, private: bool) -> Result<(), CertError> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let temp = path.with_file_name(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let result = write_new(&temp, text, private)
        .and_then(|()| std::fs::rename(&temp, path).map_err(io_error(path)));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn write_new(path: &Path, text: &str, private: bool) -> Result<(), CertError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path).map_err(io_error(path))?;
    file.write_all(text.as_bytes()).map_err(io_error(path))
}

/// "YYYY-MM-DD hh:mm:ss UTC" for the banner, without a date crate.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// One `name = value` (or bare `name`) line of ZPL.
struct Entry<'a> {
    indented: bool,
    name: &'a str,
    value: Option<&'a str>,
}

/// Splits a ZPL line; `None` for blank lines and comments.
fn parse_line(line: &str) -> Option<Entry<'_>> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let content = line.trim_start();
    if content.is_empty() || content.starts_with('#') {
        return None;
    }
    let indented = content.len() != line.len();
    let name_end = content
        .find(|c: char| c == '=' || c.is_whitespace())
        .unwrap_or(content.len());
    let (name, rest) = content.split_at(name_end);
    let rest = rest.trim_start();
    let value = rest.strip_prefix('=').map(|v| {
        let v = v.trim_start();
        match v.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &v[1..];
                // An unterminated quote takes the rest of the line.
                inner.find(q).map_or(inner.trim_end(), |end| &inner[..end])
            }
            _ => {
                // A bare value ends at a comment (`#` after whitespace) or the line's end.
                let end = v.find(" #").or_else(|| v.find("\t#")).unwrap_or(v.len());
                v[..end].trim_end()
            }
        }
    });
    Some(Entry {
        indented,
        name,
        value,
    })
}

fn parse_zpl(text: &str, path: Option<&Path>) -> Result<Certificate, CertError> {
    let path = || path.map(Path::to_path_buf);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut section = "";
    let mut public = None;
    let mut secret = None;
    let mut metadata: Vec<(String, String)> = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let Some(entry) = parse_line(line) else {
            continue;
        };
        let Some(value) = entry.value else {
            if !entry.indented {
                section = entry.name;
            }
            continue;
        };
        // Keys belong in the `curve` section; at the top level they are accepted too.
        let in_curve = section == "curve" || !entry.indented;
        let key_slot = match entry.name {
            "public-key" if in_curve => Some((&mut public, "public-key")),
            "secret-key" if in_curve => Some((&mut secret, "secret-key")),
            _ => None,
        };
        if let Some((slot, field)) = key_slot {
            if slot.is_none() {
                let key = CurveKey::from_z85(value).map_err(|source| CertError::BadKey {
                    path: path(),
                    field,
                    line: index + 1,
                    source,
                })?;
                *slot = Some(key);
            }
        } else if section == "metadata"
            && entry.indented
            && !metadata.iter().any(|(n, _)| n == entry.name)
        {
            metadata.push((entry.name.to_owned(), value.to_owned()));
        }
    }
    let public = public.ok_or_else(|| CertError::MissingPublicKey { path: path() })?;
    if let Some(secret) = &secret {
        // Without CURVE in libzmq the derivation is not available: nothing to check against.
        if let Ok(derived) = CurveKey::public_from_secret(secret) {
            if derived != public {
                return Err(CertError::KeyMismatch { path: path() });
            }
        }
    }
    Ok(Certificate {
        public,
        secret,
        metadata,
    })
}

/// Generates a certificate and saves it as `dir/name.key` and `dir/name.key_secret`, with
/// `metadata` in both; returns the two paths (`zmq.auth.create_certificates`).
///
/// ```
/// # if !zmq4::has(zmq4::Capability::Curve) { return Ok(()); }
/// let dir = std::env::temp_dir().join(format!("zmq4-create-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let (public, secret) = zmq4::cert::create_certificates(&dir, "server", &[("name", "server")])?;
/// let (public_key, secret_key) = zmq4::cert::load_certificate(&secret)?;
/// assert_eq!(zmq4::cert::load_certificate(&public)?, (public_key, None));
/// assert!(secret_key.is_some());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "curve")]
pub fn create_certificates(
    dir: impl AsRef<Path>,
    name: &str,
    metadata: &[(&str, &str)],
) -> Result<(PathBuf, PathBuf), CertError> {
    let mut cert = Certificate::generate()?;
    for (n, v) in metadata {
        cert.set_meta(n, v)?;
    }
    cert.save(dir, name)
}

/// The keys of a certificate file: the public key, and the secret key if the file has one
/// (`zmq.auth.load_certificate`).
pub fn load_certificate(path: impl AsRef<Path>) -> Result<(CurveKey, Option<CurveKey>), CertError> {
    let cert = Certificate::load(path)?;
    Ok((cert.public, cert.secret))
}

/// The public certificates (`*.key` files, secret keys left out) of a directory, sorted by
/// file name (`zmq.auth.load_certificates`). Any unreadable or malformed `.key` file is an
/// error naming it, and so is a missing directory; [`CertStore`] reads every file name
/// instead, treats a missing directory as empty and follows changes.
pub fn load_certificates(dir: impl AsRef<Path>) -> Result<Vec<Certificate>, CertError> {
    let dir = dir.as_ref();
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        let path = entry.map_err(io_error(dir))?.path();
        if path.extension().is_some_and(|e| e == PUBLIC_EXTENSION) && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|p| Certificate::load(p).map(|c| c.public_only()))
        .collect()
}

/// The suffix of the file names czmq (`name_secret`) and pyzmq (`name.key_secret`) give
/// secret certificates.
const SECRET_SUFFIX: &str = "_secret";

/// How deep [`CertStore`] descends into subdirectories (czmq reads them all; the bound keeps
/// a symbolic-link loop finite).
const MAX_DEPTH: usize = 8;

/// A file of a certificate directory that a [`CertStore`] did not load, and why.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SkippedFile {
    /// The file (or the directory itself, when it could not be read).
    pub path: PathBuf,
    /// Why it was skipped.
    pub error: std::sync::Arc<CertError>,
}

impl fmt::Display for SkippedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "skipped {}: {}", self.path.display(), self.error)
    }
}

/// What the last reading of a certificate directory found ([`CertStore::report`]).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct StoreReport {
    /// How many distinct public keys the store holds.
    pub certificates: usize,
    /// Whether the directory did not exist (an empty store, not an error).
    pub missing: bool,
    /// Every file that is not a certificate, or not a valid one, with the reason; also the
    /// directory itself if it could not be listed.
    pub skipped: Vec<SkippedFile>,
}

/// What a directory looked like when it was read: compared on every lookup.
#[derive(Clone, PartialEq, Eq, Debug)]
struct DirStamp {
    path: PathBuf,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    change: (i64, i64, u64),
}

impl DirStamp {
    fn of(path: &Path) -> io::Result<DirStamp> {
        let meta = std::fs::metadata(path)?;
        Ok(DirStamp {
            path: path.to_path_buf(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            change: {
                use std::os::unix::fs::MetadataExt;
                (meta.ctime(), meta.ctime_nsec(), meta.ino())
            },
        })
    }
}

#[derive(Debug)]
enum Stamp {
    /// Never read, or a change was seen too close to the reading to trust the timestamps.
    Stale,
    /// The location did not exist.
    Missing,
    /// The location and every subdirectory read, as they were.
    Dirs(Vec<DirStamp>),
}

#[derive(Debug)]
struct StoreState {
    stamp: Stamp,
    certs: std::collections::HashMap<CurveKey, Certificate>,
    report: StoreReport,
}

/// A directory of certificates that follows its changes, with czmq's semantics
/// (`zcertstore`) and both libraries' file names.
///
/// - **A missing directory is an empty store**, not an error; it is read when it appears.
/// - **Every regular file is read** (subdirectories too, as czmq does), whatever its name:
///   pyzmq's `name.key`, czmq's `name` or `name.txt`. Files whose name ends in `_secret`
///   (`name.key_secret`, czmq's `name_secret`) give their public key only, and only when no
///   public file holds it, so a directory of secret certificates works as well. Hidden
///   files (`.name`) are ignored, as czmq's directory reader does.
/// - **Nothing is skipped silently**: a file that is not a valid certificate is listed, with
///   its [`CertError`], in [`report`](CertStore::report).
/// - **Changes are followed without a new call**: every lookup compares the modification
///   time of the directory (and of its subdirectories) with the one it read, and reads the
///   directory again if it changed; otherwise a lookup costs one `stat` per directory.
///   Adding, removing or renaming a file changes the directory; so does
///   [`Certificate::save`], which writes through a renamed temporary file. A file edited
///   in place does not change its directory: call [`reload`](CertStore::reload) then.
///
/// The [`Authenticator`](crate::auth::Authenticator) uses one for
/// [`configure_curve`](crate::auth::Authenticator::configure_curve).
///
/// ```
/// # if !zmq4::has(zmq4::Capability::Curve) { return Ok(()); }
/// use zmq4::cert::{CertStore, Certificate};
/// use zmq4::security::CurveKey;
///
/// let dir = std::env::temp_dir().join(format!("zmq4-store-doc-{}", std::process::id()));
/// # let _ = std::fs::remove_dir_all(&dir);
/// let store = CertStore::open(&dir);          // the directory does not exist yet
/// assert!(store.report().missing);
///
/// std::fs::create_dir_all(&dir)?;
/// // The zmq_curve man page's client key pair (or Certificate::generate()).
/// let public = CurveKey::from_z85("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID")?;
/// let secret = CurveKey::from_z85("D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs")?;
/// let alice = Certificate::from_keys(public, Some(secret));
/// alice.save(&dir, "alice")?;                  // alice.key and alice.key_secret
/// std::fs::write(dir.join("README"), "not a certificate")?;
/// assert!(store.lookup(alice.public_key()).is_some()); // seen without a new call
/// let report = store.report();
/// assert_eq!(report.certificates, 1);
/// assert_eq!(report.skipped.len(), 1);          // README, with the reason
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CertStore {
    location: PathBuf,
    state: std::sync::Mutex<StoreState>,
}

impl CertStore {
    /// A store of the certificates in `location`, read now and again whenever it changes.
    /// Never fails: a missing or unreadable directory is an empty store, and
    /// [`report`](CertStore::report) says why.
    pub fn open(location: impl AsRef<Path>) -> CertStore {
        let store = CertStore {
            location: location.as_ref().to_path_buf(),
            state: std::sync::Mutex::new(StoreState {
                stamp: Stamp::Stale,
                certs: Default::default(),
                report: StoreReport::default(),
            }),
        };
        store.reload();
        store
    }

    /// The directory.
    pub fn location(&self) -> &Path {
        &self.location
    }

    fn state(&self) -> std::sync::MutexGuard<'_, StoreState> {
        // Nothing panics while holding the lock; a poisoned one still holds a whole state.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The state, read again first if the directory changed since it was last read.
    fn fresh(&self) -> std::sync::MutexGuard<'_, StoreState> {
        let mut state = self.state();
        let changed = match &state.stamp {
            Stamp::Stale => true,
            Stamp::Missing => !matches!(
                std::fs::metadata(&self.location),
                Err(e) if e.kind() == io::ErrorKind::NotFound
            ),
            Stamp::Dirs(dirs) => dirs
                .iter()
                .any(|d| DirStamp::of(&d.path).map_or(true, |now| now != *d)),
        };
        if changed {
            *state = read_store(&self.location);
        }
        state
    }

    /// The certificate with this public key (public part and metadata), if the directory
    /// holds one; reads the directory again first if it changed (czmq's
    /// `zcertstore_lookup`).
    pub fn lookup(&self, key: &CurveKey) -> Option<Certificate> {
        self.fresh().certs.get(key).cloned()
    }

    /// Every certificate (public parts), sorted by public key; reads the directory again
    /// first if it changed.
    pub fn certificates(&self) -> Vec<Certificate> {
        let mut all: Vec<Certificate> = self.fresh().certs.values().cloned().collect();
        all.sort_by_key(|c| *c.public_key().as_bytes());
        all
    }

    /// How many distinct public keys the directory holds now.
    pub fn len(&self) -> usize {
        self.fresh().certs.len()
    }

    /// Whether the directory holds no certificate now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the directory holds now: the count, whether it is missing, and every file
    /// skipped with its reason.
    pub fn report(&self) -> StoreReport {
        self.fresh().report.clone()
    }

    /// Reads the directory again, changed or not (after a file was edited in place), and
    /// returns the report.
    pub fn reload(&self) -> StoreReport {
        let mut state = self.state();
        *state = read_store(&self.location);
        state.report.clone()
    }
}

/// Reads a certificate directory: the state a [`CertStore`] keeps.
fn read_store(location: &Path) -> StoreState {
    let started = std::time::SystemTime::now();
    let mut report = StoreReport::default();
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    match DirStamp::of(location) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            report.missing = true;
            return StoreState {
                stamp: Stamp::Missing,
                certs: Default::default(),
                report,
            };
        }
        _ => list_files(location, 0, &mut files, &mut dirs, &mut report.skipped),
    }
    files.sort();
    // Public files first: a secret file only adds a key that no public file has.
    let (secret, public): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(SECRET_SUFFIX))
    });
    let mut certs = std::collections::HashMap::new();
    for path in public.iter().chain(&secret) {
        match Certificate::load(path) {
            Ok(cert) => {
                certs
                    .entry(*cert.public_key())
                    .or_insert_with(|| cert.public_only());
            }
            Err(error) => report.skipped.push(SkippedFile {
                path: path.clone(),
                error: std::sync::Arc::new(error),
            }),
        }
    }
    report.certificates = certs.len();
    // A directory changed within the timestamps' resolution of this reading could change
    // again without its time changing: such a reading is not trusted, and the next lookup
    // reads again.
    let settled = dirs.iter().all(|d| {
        d.modified.is_some_and(|m| {
            m.checked_add(std::time::Duration::from_secs(2))
                .is_some_and(|m| m < started)
        })
    });
    StoreState {
        stamp: if settled && report.skipped.iter().all(|s| s.path != location) {
            Stamp::Dirs(dirs)
        } else {
            Stamp::Stale
        },
        certs,
        report,
    }
}

/// Collects the regular files under `dir` (hidden ones left out) and the stamp of every
/// directory read.
fn list_files(
    dir: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
    dirs: &mut Vec<DirStamp>,
    skipped: &mut Vec<SkippedFile>,
) {
    let skip = |skipped: &mut Vec<SkippedFile>, path: &Path, source: io::Error| {
        skipped.push(SkippedFile {
            path: path.to_path_buf(),
            error: std::sync::Arc::new(CertError::Io {
                path: path.to_path_buf(),
                source,
            }),
        })
    };
    // The stamp is taken before the listing, so a change during the listing is seen next
    // time.
    match DirStamp::of(dir) {
        Ok(stamp) => dirs.push(stamp),
        Err(e) => return skip(skipped, dir, e),
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return skip(skipped, dir, e),
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                skip(skipped, dir, e);
                continue;
            }
        };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follows symbolic links, as czmq does.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                if depth < MAX_DEPTH {
                    list_files(&path, depth + 1, files, dirs, skipped);
                }
            }
            Ok(meta) if meta.is_file() => files.push(path),
            Ok(_) => {}
            Err(e) => skip(skipped, &path, e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Pure Rust (no libzmq call): runs under Miri too (ci/miri.sh).
    #[test]
    fn zpl_lines_split() {
        let split = |line| parse_line(line).map(|e| (e.indented, e.name, e.value));
        assert_eq!(split(""), None);
        assert_eq!(split("   # comment"), None);
        assert_eq!(split("curve\r"), Some((false, "curve", None)));
        assert_eq!(
            split("    public-key = \"a b\" # c"),
            Some((true, "public-key", Some("a b")))
        );
        assert_eq!(
            split("\tlevel = '3'  # x"),
            Some((true, "level", Some("3")))
        );
        assert_eq!(
            split("  name = bare value # x"),
            Some((true, "name", Some("bare value")))
        );
        assert_eq!(split("  name=a#b"), Some((true, "name", Some("a#b"))));
        // An unterminated quote takes the rest of the line.
        assert_eq!(split("  k = \"open  "), Some((true, "k", Some("open"))));
        assert_eq!(split("  k ="), Some((true, "k", Some(""))));
        // Multi-byte text right after the quote or the equals sign.
        assert_eq!(
            split("  k = '\u{e9}t\u{e9}'"),
            Some((true, "k", Some("\u{e9}t\u{e9}")))
        );
        assert_eq!(
            split("  \u{e9} = \u{e9}"),
            Some((true, "\u{e9}", Some("\u{e9}")))
        );
    }

    const PUBLIC: &str = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    const SECRET: &str = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn parses_pyzmq_and_czmq_styles() {
        let text = format!(
            "#   ****  Generated on 2024 by pyzmq  ****\r\n\r\nmetadata\r\n    name = Alice Smith\r\n\
             \tlevel = '3'  # a comment\r\ncurve\r\n    public-key = \"{PUBLIC}\"\r\n    secret-key = \"{SECRET}\"\r\n"
        );
        let cert = Certificate::parse(&text).unwrap();
        assert_eq!(cert.public_key().to_z85(), PUBLIC);
        assert_eq!(cert.secret_key().unwrap().to_z85(), SECRET);
        assert_eq!(
            cert.metadata().collect::<Vec<_>>(),
            [("name", "Alice Smith"), ("level", "3")]
        );
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn round_trips() {
        let mut cert = Certificate::from_keys(
            CurveKey::from_z85(PUBLIC).unwrap(),
            Some(CurveKey::from_z85(SECRET).unwrap()),
        );
        cert.set_meta("quote", "say \"hi\"")
            .unwrap()
            .set_meta("x", "")
            .unwrap();
        assert_eq!(
            Certificate::parse(&cert.to_secret_string().unwrap()).unwrap(),
            cert
        );
        assert_eq!(
            Certificate::parse(&cert.to_public_string()).unwrap(),
            cert.public_only()
        );
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn typed_errors() {
        assert!(matches!(
            Certificate::parse("curve\n"),
            Err(CertError::MissingPublicKey { path: None })
        ));
        assert!(matches!(
            Certificate::parse("metadata\n    public-key = \"x\"\n"),
            Err(CertError::MissingPublicKey { .. })
        ));
        match Certificate::parse("curve\n    public-key = \"abc\"\n") {
            Err(CertError::BadKey {
                field: "public-key",
                line: 2,
                source: Z85Error::InvalidLength { len: 3 },
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        let bad_secret = format!(
            "curve\n  public-key = {PUBLIC}\n  secret-key = \"{}~\"\n",
            &SECRET[..39]
        );
        assert!(matches!(
            Certificate::parse(&bad_secret),
            Err(CertError::BadKey {
                field: "secret-key",
                line: 3,
                ..
            })
        ));
        let mut cert = Certificate::from_keys(CurveKey::from_bytes([1; 32]), None);
        assert!(matches!(
            cert.to_secret_string(),
            Err(CertError::MissingSecretKey)
        ));
        assert!(cert.set_meta("", "x").is_err());
        assert!(cert.set_meta("a", "b\nc").is_err());
        assert!(cert.set_meta("a", "'\"").is_err());
        assert!(matches!(
            Certificate::load("/nonexistent/zmq4.key"),
            Err(CertError::Io { .. })
        ));
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn mismatched_secret_is_refused_with_curve() {
        let text = format!(
            "curve\n    public-key = \"{}\"\n    secret-key = \"{SECRET}\"\n",
            CurveKey::from_bytes([0; 32])
        );
        let result = Certificate::parse(&text);
        if crate::has(crate::Capability::Curve) {
            assert!(matches!(result, Err(CertError::KeyMismatch { .. })));
        } else {
            assert!(result.is_ok());
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "reads the real-time clock, which Miri isolates")]
    fn banner_date() {
        let s = utc_now();
        assert_eq!(s.len(), "2025-01-31 12:00:00 UTC".len(), "{s}");
    }
}
