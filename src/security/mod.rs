//! Security: CURVE keys and the Z85 text encoding they travel in, certificates and their
//! stores ([`cert`], also at `zmq4::cert`), and the ZAP authenticator ([`auth`], also at
//! `zmq4::auth`).
//!
//! - [`CurveKey`]: a 32-byte CURVE key (public or secret), made from raw bytes or from its
//!   40-character Z85 text, printed back as Z85; what the `curve_*key` socket options take
//!   and return ([`Socket::set_curve_serverkey`](crate::Socket::set_curve_serverkey), …).
//! - [`CurveKeyPair::generate`] (`zmq_curve_keypair`) and [`CurveKey::public_from_secret`]
//!   (`zmq_curve_public`); both need the `curve` feature and fail with
//!   [`Error::NotSupported`] without it.
//! - [`z85_encode`] / [`z85_decode`] (`zmq_z85_encode` / `zmq_z85_decode`, ZeroMQ RFC 32),
//!   with every input checked in Rust first: bad input is a typed [`Z85Error`], never a panic.
//!
//! ```
//! use zmq4::security::{z85_decode, z85_encode, CurveKey};
//!
//! // The test vector of RFC 32.
//! let bytes = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
//! assert_eq!(z85_encode(&bytes)?, "HelloWorld");
//! assert_eq!(z85_decode("HelloWorld")?, bytes);
//!
//! let key = CurveKey::from_z85("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7")?;
//! assert_eq!(key.to_z85(), "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
//! assert_eq!(CurveKey::try_from(&key.as_bytes()[..])?, key);
//! # Ok::<(), zmq4::security::Z85Error>(())
//! ```

pub mod auth;
pub mod cert;

use crate::error::{check, Error, Result};
use crate::sys;
use std::ffi::CString;
use std::fmt;

/// The Z85 alphabet of ZeroMQ RFC 32, in digit order.
const Z85_ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// The value of a Z85 character, or `None` outside the alphabet.
fn z85_digit(c: u8) -> Option<u32> {
    Z85_ALPHABET.iter().position(|&a| a == c).map(|d| d as u32)
}

/// Why a Z85 encoding or decoding (or a [`CurveKey`] conversion) was refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Z85Error {
    /// The input has the wrong length: for [`z85_encode`] not a multiple of 4 bytes, for
    /// [`z85_decode`] not a multiple of 5 characters, for a [`CurveKey`] neither 32 raw bytes
    /// nor 40 Z85 characters.
    InvalidLength {
        /// The length given (bytes).
        len: usize,
    },
    /// A byte at `index` of the text is not one of the 85 Z85 characters.
    InvalidCharacter {
        /// Byte offset of the offending character in the input.
        index: usize,
        /// The offending byte.
        byte: u8,
    },
    /// The 5-character group starting at `index` encodes a value above `2^32 - 1`, which no
    /// 4 bytes produce.
    Overflow {
        /// Byte offset of the group's first character.
        index: usize,
    },
}

impl fmt::Display for Z85Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Z85Error::InvalidLength { len } => write!(f, "invalid Z85 or CURVE key length {len}"),
            Z85Error::InvalidCharacter { index, byte } => {
                write!(
                    f,
                    "invalid Z85 character {:?} at index {index}",
                    char::from(byte)
                )
            }
            Z85Error::Overflow { index } => {
                write!(f, "Z85 group at index {index} encodes a value above 2^32-1")
            }
        }
    }
}

impl std::error::Error for Z85Error {}

impl From<Z85Error> for Error {
    /// Every [`Z85Error`] is an invalid argument (`EINVAL`), as libzmq reports it.
    fn from(_: Z85Error) -> Error {
        Error::InvalidArgument
    }
}

/// Checks that `text` is valid Z85: a multiple of 5 characters, all from the alphabet, no
/// group above `2^32 - 1`. This is everything `zmq_z85_decode` relies on.
fn validate_z85(text: &[u8]) -> Result<(), Z85Error> {
    if !text.len().is_multiple_of(5) {
        return Err(Z85Error::InvalidLength { len: text.len() });
    }
    for (g, group) in text.chunks_exact(5).enumerate() {
        let mut value: u64 = 0;
        for (i, &c) in group.iter().enumerate() {
            let digit = z85_digit(c).ok_or(Z85Error::InvalidCharacter {
                index: g * 5 + i,
                byte: c,
            })?;
            value = value * 85 + u64::from(digit);
        }
        if value > u64::from(u32::MAX) {
            return Err(Z85Error::Overflow { index: g * 5 });
        }
    }
    Ok(())
}

/// Encodes bytes as Z85 text (`zmq_z85_encode`, RFC 32). The length must be a multiple of 4
/// (else [`Z85Error::InvalidLength`]); the text is 5/4 as long. Empty input gives `""`.
///
/// ```
/// assert_eq!(zmq4::security::z85_encode(&[0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]).unwrap(), "HelloWorld");
/// assert!(zmq4::security::z85_encode(&[1, 2, 3]).is_err());
/// ```
pub fn z85_encode(data: &[u8]) -> Result<String, Z85Error> {
    if !data.len().is_multiple_of(4) {
        return Err(Z85Error::InvalidLength { len: data.len() });
    }
    let mut dest = vec![0u8; data.len() / 4 * 5 + 1];
    // SAFETY: `dest` has room for the 5/4 * len characters and the NUL that zmq_z85_encode
    // writes; `data` is readable for `data.len()` bytes, a multiple of 4 as it requires.
    let out = unsafe { sys::zmq_z85_encode(dest.as_mut_ptr().cast(), data.as_ptr(), data.len()) };
    if out.is_null() {
        return Err(Z85Error::InvalidLength { len: data.len() });
    }
    dest.pop(); // the NUL terminator
                // Every byte is from the (ASCII) Z85 alphabet.
    Ok(dest.into_iter().map(char::from).collect())
}

/// Decodes Z85 text into bytes (`zmq_z85_decode`, RFC 32). The text must be a multiple of 5
/// characters of the Z85 alphabet, each group of 5 at most `2^32 - 1`; every violation is
/// reported as a [`Z85Error`] (checked here, since `zmq_z85_decode` alone accepts some bad
/// input such as a string cut short by a NUL). Empty text gives no bytes.
///
/// ```
/// use zmq4::security::{z85_decode, Z85Error};
/// assert_eq!(z85_decode("HelloWorld").unwrap(), [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]);
/// assert_eq!(z85_decode("Hello World"), Err(Z85Error::InvalidLength { len: 11 }));
/// assert_eq!(z85_decode("Hello~orld"), Err(Z85Error::InvalidCharacter { index: 5, byte: b'~' }));
/// ```
pub fn z85_decode(text: &str) -> Result<Vec<u8>, Z85Error> {
    let bytes = text.as_bytes();
    validate_z85(bytes)?;
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    // No NUL: every character was checked to be in the alphabet.
    let c_text = CString::new(bytes).map_err(|e| Z85Error::InvalidCharacter {
        index: e.nul_position(),
        byte: 0,
    })?;
    let mut dest = vec![0u8; bytes.len() / 5 * 4];
    // SAFETY: `c_text` is NUL-terminated; `dest` holds strlen * 4 / 5 bytes as required.
    let out = unsafe { sys::zmq_z85_decode(dest.as_mut_ptr(), c_text.as_ptr()) };
    if out.is_null() {
        // Unreachable after validation; reported rather than trusted.
        return Err(Z85Error::InvalidLength { len: bytes.len() });
    }
    Ok(dest)
}

/// A CURVE key: 32 bytes, public or secret.
///
/// Made from raw bytes ([`CurveKey::from_bytes`], `From<[u8; 32]>`), from 40 characters of
/// Z85 ([`CurveKey::from_z85`], `TryFrom<&str>`), or from either form as a byte slice
/// (`TryFrom<&[u8]>`: 32 raw bytes or 40 Z85 characters). Shown as Z85 by
/// [`CurveKey::to_z85`] and `Display`.
///
/// `Debug` prints the Z85 form too: do not debug-print secret keys where logs are kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CurveKey([u8; 32]);

impl CurveKey {
    /// The length of a key in bytes (32).
    pub const LEN: usize = 32;
    /// The length of a key in Z85 characters (40).
    pub const Z85_LEN: usize = 40;

    /// A key from its 32 raw bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> CurveKey {
        CurveKey(bytes)
    }

    /// A key from its 40-character Z85 text.
    pub fn from_z85(text: &str) -> Result<CurveKey, Z85Error> {
        if text.len() != Self::Z85_LEN {
            return Err(Z85Error::InvalidLength { len: text.len() });
        }
        let bytes = z85_decode(text)?;
        let mut key = [0u8; 32];
        key.copy_from_slice(&bytes);
        Ok(CurveKey(key))
    }

    /// The 32 raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 32 raw bytes, by value.
    pub const fn to_bytes(self) -> [u8; 32] {
        self.0
    }

    /// The key as 40 characters of Z85.
    pub fn to_z85(&self) -> String {
        // 32 is a multiple of 4: encoding cannot fail.
        z85_encode(&self.0).unwrap_or_default()
    }

    /// Derives the public key of a secret key (`zmq_curve_public`).
    ///
    /// Fails with [`Error::NotSupported`] when libzmq is built without CURVE (the `curve`
    /// feature is off).
    pub fn public_from_secret(secret: &CurveKey) -> Result<CurveKey> {
        let secret_z85 = CString::new(secret.to_z85()).map_err(|_| Error::InvalidArgument)?;
        let mut public_z85 = [0u8; 41];
        // SAFETY: `public_z85` has room for 40 characters and the NUL; `secret_z85` is a
        // NUL-terminated 40-character Z85 string.
        check(unsafe {
            sys::zmq_curve_public(public_z85.as_mut_ptr().cast(), secret_z85.as_ptr())
        })?;
        Ok(CurveKey::from_z85_buffer(&public_z85)?)
    }

    /// A key from the NUL-terminated 41-byte Z85 buffer libzmq fills.
    fn from_z85_buffer(buf: &[u8; 41]) -> Result<CurveKey, Z85Error> {
        let text = std::str::from_utf8(&buf[..40]).map_err(|e| Z85Error::InvalidCharacter {
            index: e.valid_up_to(),
            byte: buf[e.valid_up_to()],
        })?;
        CurveKey::from_z85(text)
    }
}

impl From<[u8; 32]> for CurveKey {
    fn from(bytes: [u8; 32]) -> CurveKey {
        CurveKey(bytes)
    }
}

impl From<CurveKey> for [u8; 32] {
    fn from(key: CurveKey) -> [u8; 32] {
        key.0
    }
}

impl TryFrom<&str> for CurveKey {
    type Error = Z85Error;

    /// 40 characters of Z85.
    fn try_from(text: &str) -> Result<CurveKey, Z85Error> {
        CurveKey::from_z85(text)
    }
}

impl TryFrom<&[u8]> for CurveKey {
    type Error = Z85Error;

    /// 32 raw bytes, or 40 characters of Z85; any other length is
    /// [`Z85Error::InvalidLength`].
    fn try_from(bytes: &[u8]) -> Result<CurveKey, Z85Error> {
        match bytes.len() {
            CurveKey::LEN => {
                let mut key = [0u8; 32];
                key.copy_from_slice(bytes);
                Ok(CurveKey(key))
            }
            CurveKey::Z85_LEN => {
                validate_z85(bytes)?;
                // All alphabet characters are ASCII, hence UTF-8.
                let text = std::str::from_utf8(bytes)
                    .map_err(|_| Z85Error::InvalidLength { len: bytes.len() })?;
                CurveKey::from_z85(text)
            }
            len => Err(Z85Error::InvalidLength { len }),
        }
    }
}

impl AsRef<[u8]> for CurveKey {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for CurveKey {
    /// The Z85 form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_z85())
    }
}

impl fmt::Debug for CurveKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CurveKey({})", self.to_z85())
    }
}

impl std::str::FromStr for CurveKey {
    type Err = Z85Error;

    /// 40 characters of Z85.
    fn from_str(text: &str) -> Result<CurveKey, Z85Error> {
        CurveKey::from_z85(text)
    }
}

/// Anything a CURVE key socket option accepts: a [`CurveKey`], 32 raw bytes (`[u8; 32]`,
/// `&[u8; 32]`, or a `&[u8]` of that length), or 40 characters of Z85 (`&str`, `&String`, or a
/// `&[u8]` of that length). Wrong input is a [`Z85Error`].
pub trait IntoCurveKey {
    /// Converts to a key.
    fn into_curve_key(self) -> Result<CurveKey, Z85Error>;
}

impl IntoCurveKey for CurveKey {
    fn into_curve_key(self) -> Result<CurveKey, Z85Error> {
        Ok(self)
    }
}

impl IntoCurveKey for &CurveKey {
    fn into_curve_key(self) -> Result<CurveKey, Z85Error> {
        Ok(*self)
    }
}

impl IntoCurveKey for [u8; 32] {
    fn into_curve_key(self) -> Result<CurveKey, Z85Error> {
        Ok(CurveKey(self))
    }
}

impl IntoCurveKey for &[u8; 32] {
    fn into_curve_key(self) -> Result<CurveKey, Z85Error> {
        Ok(CurveKey(*self))
    }
}

impl IntoCurveKey for &[u8] {
    fn into_curve_key(self) -> Result<CurveKey, Z85Error> {
        CurveKey::try_from(self)
    }
}

impl IntoCurveKey for &str {
    fn into_curve_key(self) -> Result<CurveKey, Z85Error> {
        CurveKey::from_z85(self)
    }
}

impl IntoCurveKey for &String {
    fn into_curve_key(self) -> Result<CurveKey, Z85Error> {
        CurveKey::from_z85(self)
    }
}

/// A CURVE key pair, as `zmq_curve_keypair` makes them.
///
/// `Debug` shows the public key only.
///
/// ```
/// # if !zmq4::has(zmq4::Capability::Curve) { return Ok(()); }
/// use zmq4::security::{CurveKey, CurveKeyPair};
/// let pair = CurveKeyPair::generate()?;
/// assert_eq!(CurveKey::public_from_secret(&pair.secret)?, pair.public);
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CurveKeyPair {
    /// The public key, to hand to peers.
    pub public: CurveKey,
    /// The secret key, to keep.
    pub secret: CurveKey,
}

impl CurveKeyPair {
    /// Generates a new key pair (`zmq_curve_keypair`).
    ///
    /// Fails with [`Error::NotSupported`] when libzmq is built without CURVE (the `curve`
    /// feature is off).
    pub fn generate() -> Result<CurveKeyPair> {
        let mut public = [0u8; 41];
        let mut secret = [0u8; 41];
        // SAFETY: both buffers have room for 40 Z85 characters and the NUL libzmq writes.
        check(unsafe {
            sys::zmq_curve_keypair(public.as_mut_ptr().cast(), secret.as_mut_ptr().cast())
        })?;
        Ok(CurveKeyPair {
            public: CurveKey::from_z85_buffer(&public)?,
            secret: CurveKey::from_z85_buffer(&secret)?,
        })
    }
}

impl fmt::Debug for CurveKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurveKeyPair")
            .field("public", &self.public)
            .field("secret", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn rfc32_vector() {
        let bytes = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
        assert_eq!(z85_encode(&bytes).unwrap(), "HelloWorld");
        assert_eq!(z85_decode("HelloWorld").unwrap(), bytes);
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn bad_input_is_typed() {
        assert_eq!(z85_encode(&[0; 5]), Err(Z85Error::InvalidLength { len: 5 }));
        assert_eq!(z85_decode("abcd"), Err(Z85Error::InvalidLength { len: 4 }));
        assert_eq!(
            z85_decode("abc\0e"),
            Err(Z85Error::InvalidCharacter { index: 3, byte: 0 })
        );
        assert_eq!(
            z85_decode("abcd\"").unwrap_err(),
            Z85Error::InvalidCharacter {
                index: 4,
                byte: b'"'
            }
        );
        assert_eq!(
            z85_decode("0000é").unwrap_err(),
            Z85Error::InvalidLength { len: 6 }
        );
        assert_eq!(
            z85_decode("00000%nSc0").unwrap(),
            [0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            z85_decode("00000%nSc1"),
            Err(Z85Error::Overflow { index: 5 })
        );
        assert_eq!(z85_decode("#####"), Err(Z85Error::Overflow { index: 0 }));
        assert_eq!(z85_decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(z85_encode(&[]).unwrap(), "");
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn round_trips_every_byte() {
        let data: Vec<u8> = (0..=255).collect();
        assert_eq!(z85_decode(&z85_encode(&data).unwrap()).unwrap(), data);
    }
}
