//! Option value types, and how each travels through `zmq_setsockopt`/`zmq_getsockopt` and
//! `zmq_ctx_set`/`zmq_ctx_get`.
//!
//! The traits here are public only so that the associated types of
//! [`ReadableOption`](super::ReadableOption) & co. can name them; the module is private, so
//! no other crate can implement or call them.

use crate::context::Context;
use crate::error::{Error, Result};
use crate::poll::PollEvents;
use crate::security::CurveKey;
use crate::socket::{Socket, SocketType, ThreadMode};
use crate::sys;
use libc::{c_int, c_void};
use std::mem::size_of;

/// The security mechanism of a socket (`ZMQ_MECHANISM`): which of `ZMQ_NULL`, `ZMQ_PLAIN`,
/// `ZMQ_CURVE`, `ZMQ_GSSAPI` the socket's options selected.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Mechanism {
    /// `ZMQ_NULL`: no security.
    Null,
    /// `ZMQ_PLAIN`: clear-text user name and password.
    Plain,
    /// `ZMQ_CURVE`: CurveZMQ encryption and authentication.
    Curve,
    /// `ZMQ_GSSAPI`: Kerberos (not built into this libzmq).
    Gssapi,
}

impl Mechanism {
    /// The C constant (`ZMQ_NULL`, …).
    pub fn to_raw(self) -> i32 {
        match self {
            Mechanism::Null => sys::ZMQ_NULL,
            Mechanism::Plain => sys::ZMQ_PLAIN,
            Mechanism::Curve => sys::ZMQ_CURVE,
            Mechanism::Gssapi => sys::ZMQ_GSSAPI,
        }
    }

    /// The mechanism for a C constant, if it is one this crate knows.
    pub fn from_raw(raw: i32) -> Option<Mechanism> {
        match raw {
            sys::ZMQ_NULL => Some(Mechanism::Null),
            sys::ZMQ_PLAIN => Some(Mechanism::Plain),
            sys::ZMQ_CURVE => Some(Mechanism::Curve),
            sys::ZMQ_GSSAPI => Some(Mechanism::Gssapi),
            _ => None,
        }
    }
}

#[cfg(feature = "draft")]
bitflags::bitflags! {
    /// Which peer events a ROUTER reports as empty messages (`ZMQ_ROUTER_NOTIFY`, draft).
    ///
    /// Bits this crate does not know, read back from libzmq, are kept as they are.
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    pub struct RouterNotify: i32 {
        /// `ZMQ_NOTIFY_CONNECT`: a peer connected.
        const CONNECT = sys::ZMQ_NOTIFY_CONNECT;
        /// `ZMQ_NOTIFY_DISCONNECT`: a peer disconnected.
        const DISCONNECT = sys::ZMQ_NOTIFY_DISCONNECT;
    }
}

#[cfg(feature = "draft")]
bitflags::bitflags! {
    /// When a connecting socket stops reconnecting (`ZMQ_RECONNECT_STOP`, draft).
    ///
    /// Bits this crate does not know, read back from libzmq, are kept as they are.
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    pub struct ReconnectStop: i32 {
        /// `ZMQ_RECONNECT_STOP_CONN_REFUSED`: after `ECONNREFUSED`.
        const CONN_REFUSED = sys::ZMQ_RECONNECT_STOP_CONN_REFUSED;
        /// `ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED`: after a failed ZMTP handshake.
        const HANDSHAKE_FAILED = sys::ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED;
        /// `ZMQ_RECONNECT_STOP_AFTER_DISCONNECT`: after [`Socket::disconnect`].
        const AFTER_DISCONNECT = sys::ZMQ_RECONNECT_STOP_AFTER_DISCONNECT;
    }
}

/// The largest buffer tried for a string or byte option (1 MiB): `zmq_getsockopt` says only
/// "too small" (`EINVAL`), so the buffer grows fourfold from 256 bytes up to this.
const MAX_OPTION_BUFFER: usize = 1 << 20;
/// The first buffer tried: enough for every routing id (≤ 255 bytes) and most endpoints.
const FIRST_OPTION_BUFFER: usize = 256;

/// Readable padding handed to libzmq for empty values, so that it never sees a dangling
/// pointer, and for short raw values, so that an option that reads an `int` without
/// checking the length stays inside the buffer.
static PAD: [u8; 8] = [0; 8];

/// Plain integers that travel by value: `int`, `int64_t`, `uint64_t`.
pub(crate) trait Plain: Copy + Default {}
impl Plain for c_int {}
impl Plain for i64 {}
impl Plain for u64 {}
// `zmq_fd_t` on Windows: a `SOCKET`, pointer-sized.
#[cfg(windows)]
impl Plain for usize {}

/// `zmq_getsockopt` of a plain integer; the length libzmq reports must match.
pub(crate) fn get_plain<T: Plain, M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<T> {
    let mut value = T::default();
    // SAFETY: `value` is a live, writable integer of `size_of::<T>()` bytes.
    let len =
        unsafe { s.getsockopt_raw(raw, (&mut value as *mut T).cast::<c_void>(), size_of::<T>()) }?;
    if len != size_of::<T>() {
        return Err(Error::InvalidArgument);
    }
    Ok(value)
}

/// `zmq_setsockopt` of a plain integer.
pub(crate) fn set_plain<T: Plain, M: ThreadMode>(
    s: &Socket<M>,
    raw: c_int,
    value: T,
) -> Result<()> {
    // SAFETY: `value` is a live integer readable for `size_of::<T>()` bytes.
    unsafe { s.setsockopt_raw(raw, (&value as *const T).cast::<c_void>(), size_of::<T>()) }
}

/// `zmq_getsockopt` of a string or byte option: the bytes libzmq stores (a string's
/// terminating NUL included). Grows the buffer on `EINVAL` up to [`MAX_OPTION_BUFFER`].
pub(crate) fn get_buffer<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<Vec<u8>> {
    let mut capacity = FIRST_OPTION_BUFFER;
    loop {
        let mut buf = vec![0u8; capacity];
        // SAFETY: `buf` is writable for `capacity` bytes; libzmq writes at most that many.
        match unsafe { s.getsockopt_raw(raw, buf.as_mut_ptr().cast::<c_void>(), capacity) } {
            Ok(len) => {
                buf.truncate(len.min(capacity));
                return Ok(buf);
            }
            Err(Error::InvalidArgument) if capacity < MAX_OPTION_BUFFER => capacity *= 4,
            Err(e) => return Err(e),
        }
    }
}

/// `zmq_setsockopt` of bytes; an empty value is passed as a valid pointer and length 0.
pub(crate) fn set_buffer<M: ThreadMode>(s: &Socket<M>, raw: c_int, value: &[u8]) -> Result<()> {
    let ptr = if value.is_empty() {
        PAD.as_ptr()
    } else {
        value.as_ptr()
    };
    // SAFETY: `ptr` is readable for `value.len()` bytes (none when empty).
    unsafe { s.setsockopt_raw(raw, ptr.cast::<c_void>(), value.len()) }
}

/// `zmq_setsockopt` of a string: its bytes without a NUL (`strlen`, as C callers pass);
/// an interior NUL is [`Error::InvalidArgument`]; the empty string is passed as `(NULL, 0)`,
/// C's way to clear `ZMQ_PLAIN_USERNAME`, `ZMQ_SOCKS_PROXY`, `ZMQ_BINDTODEVICE` & co.
pub(crate) fn set_string<M: ThreadMode>(s: &Socket<M>, raw: c_int, value: &str) -> Result<()> {
    if value.as_bytes().contains(&0) {
        return Err(Error::InvalidArgument);
    }
    if value.is_empty() {
        // SAFETY: a null value with length 0 is how the C API clears a string option; libzmq
        // reads nothing through it for the string options of the table.
        return unsafe { s.setsockopt_raw(raw, std::ptr::null(), 0) };
    }
    // SAFETY: `value` is readable for `value.len()` bytes.
    unsafe { s.setsockopt_raw(raw, value.as_ptr().cast::<c_void>(), value.len()) }
}

/// Bytes to a `String`: up to the first NUL; invalid UTF-8 replaced (U+FFFD), never a panic.
fn c_bytes_to_string(mut bytes: Vec<u8>) -> String {
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        bytes.truncate(nul);
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// A type a socket option can be read as.
pub trait SocketGet: Sized {
    /// Reads option `raw` of `s`.
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<Self>;
}

/// A type a socket option can be set from.
pub trait SocketSet {
    /// Sets option `raw` of `s`.
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()>;
}

impl SocketGet for i32 {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<i32> {
        get_plain::<c_int, M>(s, raw)
    }
}

impl SocketSet for i32 {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        set_plain::<c_int, M>(s, raw, self)
    }
}

impl SocketGet for i64 {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<i64> {
        get_plain::<i64, M>(s, raw)
    }
}

impl SocketSet for i64 {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        set_plain::<i64, M>(s, raw, self)
    }
}

impl SocketGet for u64 {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<u64> {
        // 64-bit Windows: `RawDescriptor` is this type.
        #[cfg(windows)]
        if let Some(fd) = windows_descriptor::get(s, raw) {
            return fd.map(u64::from);
        }
        get_plain::<u64, M>(s, raw)
    }
}

impl SocketSet for u64 {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        #[cfg(windows)]
        if raw == crate::sys::ZMQ_USE_FD {
            let fd = crate::RawDescriptor::try_from(self).map_err(|_| Error::InvalidArgument)?;
            return windows_descriptor::set_use_fd(s, fd);
        }
        set_plain::<u64, M>(s, raw, self)
    }
}

/// 32-bit Windows: `RawDescriptor` (`RawSocket`) is a `u32`, used only by the descriptor
/// options.
#[cfg(all(windows, target_pointer_width = "32"))]
impl SocketGet for u32 {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<u32> {
        windows_descriptor::get(s, raw).unwrap_or(Err(Error::InvalidArgument))
    }
}

#[cfg(all(windows, target_pointer_width = "32"))]
impl SocketSet for u32 {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        if raw != crate::sys::ZMQ_USE_FD {
            return Err(Error::InvalidArgument);
        }
        windows_descriptor::set_use_fd(s, self)
    }
}

/// The descriptor options on Windows, where a `RawSocket` is not what libzmq stores: it
/// reads ZMQ_FD as a `SOCKET` (pointer-sized) and keeps ZMQ_USE_FD in an `int` (-1: none,
/// which reads back as INVALID_SOCKET).
#[cfg(windows)]
mod windows_descriptor {
    use super::{get_plain, set_plain};
    use crate::error::{Error, Result};
    use crate::socket::{Socket, ThreadMode};
    use crate::RawDescriptor;
    use libc::c_int;

    /// Reads `raw` if it is a descriptor option, `None` otherwise.
    pub(super) fn get<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Option<Result<RawDescriptor>> {
        match raw {
            crate::sys::ZMQ_FD => {
                Some(get_plain::<crate::sys::zmq_fd_t, M>(s, raw).map(|fd| fd as RawDescriptor))
            }
            // -1 (none) widens to INVALID_SOCKET, RawDescriptor::MAX.
            crate::sys::ZMQ_USE_FD => {
                Some(get_plain::<c_int, M>(s, raw).map(|fd| fd as isize as RawDescriptor))
            }
            _ => None,
        }
    }

    /// Sets ZMQ_USE_FD; INVALID_SOCKET is libzmq's -1 (none).
    pub(super) fn set_use_fd<M: ThreadMode>(s: &Socket<M>, fd: RawDescriptor) -> Result<()> {
        let fd = if fd == RawDescriptor::MAX {
            -1
        } else {
            c_int::try_from(fd).map_err(|_| Error::InvalidArgument)?
        };
        set_plain::<c_int, M>(s, crate::sys::ZMQ_USE_FD, fd)
    }
}

/// C `int` 0/1.
impl SocketGet for bool {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<bool> {
        get_plain::<c_int, M>(s, raw).map(|v| v != 0)
    }
}

impl SocketSet for bool {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        set_plain::<c_int, M>(s, raw, c_int::from(self))
    }
}

impl SocketGet for Vec<u8> {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<Vec<u8>> {
        get_buffer(s, raw)
    }
}

impl SocketSet for &[u8] {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        set_buffer(s, raw, self)
    }
}

impl SocketGet for String {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<String> {
        get_buffer(s, raw).map(c_bytes_to_string)
    }
}

impl SocketSet for &str {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        set_string(s, raw, self)
    }
}

/// Read in the 32-byte binary form, set in the same.
impl SocketGet for CurveKey {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<CurveKey> {
        let mut key = [0u8; CurveKey::LEN];
        // SAFETY: `key` is writable for its 32 bytes; libzmq writes exactly 32 for that length.
        let len = unsafe { s.getsockopt_raw(raw, key.as_mut_ptr().cast::<c_void>(), key.len()) }?;
        if len != CurveKey::LEN {
            return Err(Error::InvalidArgument);
        }
        Ok(CurveKey::from_bytes(key))
    }
}

impl SocketSet for CurveKey {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        set_buffer(s, raw, self.as_bytes())
    }
}

/// An unknown mechanism number is [`Error::NotSupported`].
impl SocketGet for Mechanism {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<Mechanism> {
        Mechanism::from_raw(get_plain::<c_int, M>(s, raw)?).ok_or(Error::NotSupported)
    }
}

/// A socket type this build does not know is [`Error::NotSupported`].
impl SocketGet for SocketType {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<SocketType> {
        SocketType::from_raw(get_plain::<c_int, M>(s, raw)?).ok_or(Error::NotSupported)
    }
}

/// Unknown bits are kept.
impl SocketGet for PollEvents {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<PollEvents> {
        // The event bits all fit in libzmq's `short` events field.
        Ok(PollEvents::from_bits_retain(
            get_plain::<c_int, M>(s, raw)? as i16
        ))
    }
}

/// Unknown bits are kept.
#[cfg(feature = "draft")]
impl SocketGet for RouterNotify {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<RouterNotify> {
        Ok(RouterNotify::from_bits_retain(get_plain::<c_int, M>(
            s, raw,
        )?))
    }
}

#[cfg(feature = "draft")]
impl SocketSet for RouterNotify {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        set_plain::<c_int, M>(s, raw, self.bits())
    }
}

/// Unknown bits are kept.
#[cfg(feature = "draft")]
impl SocketGet for ReconnectStop {
    fn get_from<M: ThreadMode>(s: &Socket<M>, raw: c_int) -> Result<ReconnectStop> {
        Ok(ReconnectStop::from_bits_retain(get_plain::<c_int, M>(
            s, raw,
        )?))
    }
}

#[cfg(feature = "draft")]
impl SocketSet for ReconnectStop {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        set_plain::<c_int, M>(s, raw, self.bits())
    }
}

/// A type a context option can be read as.
pub trait ContextGet: Sized {
    /// Reads option `raw` of `ctx`.
    fn get_from(ctx: &Context, raw: c_int) -> Result<Self>;
}

/// A type a context option can be set from.
pub trait ContextSet {
    /// Sets option `raw` of `ctx`.
    fn set_on(self, ctx: &Context, raw: c_int) -> Result<()>;
}

/// `zmq_ctx_get`. For the options of the table on a live context it cannot fail, so `-1` is
/// a value (the default `ZMQ_THREAD_SCHED_POLICY`), not an error.
fn ctx_get_int(ctx: &Context, raw: c_int) -> Result<i32> {
    // SAFETY: with_raw hands out the live context pointer.
    ctx.inner
        .with_raw(|ptr| Ok(unsafe { sys::zmq_ctx_get(ptr, raw) }))
}

impl ContextGet for i32 {
    fn get_from(ctx: &Context, raw: c_int) -> Result<i32> {
        ctx_get_int(ctx, raw)
    }
}

impl ContextSet for i32 {
    fn set_on(self, ctx: &Context, raw: c_int) -> Result<()> {
        ctx.set_int(raw, self)
    }
}

impl ContextGet for bool {
    fn get_from(ctx: &Context, raw: c_int) -> Result<bool> {
        ctx_get_int(ctx, raw).map(|v| v != 0)
    }
}

impl ContextSet for bool {
    fn set_on(self, ctx: &Context, raw: c_int) -> Result<()> {
        ctx.set_int(raw, c_int::from(self))
    }
}

/// `ZMQ_THREAD_NAME_PREFIX`, the one string context option: through `zmq_ctx_get_ext` with
/// `draft`; without it, only the integer form exists (`zmq_ctx_get` gives `atoi` of the
/// prefix), shown as decimal.
impl ContextGet for String {
    fn get_from(ctx: &Context, raw: c_int) -> Result<String> {
        #[cfg(feature = "draft")]
        {
            // libzmq copies the prefix (≤ 16 bytes) without a NUL and without updating the
            // length; the zeroed buffer ends it. 4 bytes would select the integer form.
            ctx.get_bytes(raw, 32).map(c_bytes_to_string)
        }
        #[cfg(not(feature = "draft"))]
        {
            ctx_get_int(ctx, raw).map(|v| v.to_string())
        }
    }
}

/// See the `ContextGet` impl: without `draft`, only a decimal integer can be set
/// ([`Error::NotSupported`] otherwise).
impl ContextSet for &str {
    fn set_on(self, ctx: &Context, raw: c_int) -> Result<()> {
        if self.as_bytes().contains(&0) {
            return Err(Error::InvalidArgument);
        }
        #[cfg(feature = "draft")]
        {
            if self.len() == size_of::<c_int>() {
                // libzmq reads a 4-byte value as a C int: a trailing NUL keeps it a string
                // (the NUL ends the thread name, and the getter stops there).
                let mut padded = self.as_bytes().to_vec();
                padded.push(0);
                return ctx.set_bytes(raw, &padded);
            }
            ctx.set_bytes(raw, self.as_bytes())
        }
        #[cfg(not(feature = "draft"))]
        {
            match self.parse::<i32>() {
                Ok(n) => ctx.set_int(raw, n),
                Err(_) => Err(Error::NotSupported),
            }
        }
    }
}

/// What [`Socket::set_use_fd`] takes: a listening stream socket whose ownership passes to
/// the [`Socket`] (and, once a bind uses it, to libzmq, which closes it). An
/// [`OwnedFd`](std::os::fd::OwnedFd) on Unix, e.g. `OwnedFd::from(tcp_listener)`.
#[cfg(unix)]
pub type OwnedListener = std::os::fd::OwnedFd;

/// What [`Socket::set_use_fd`] takes: a listening stream socket whose ownership passes to
/// the [`Socket`] (and, once a bind uses it, to libzmq, which closes it).
#[cfg(windows)]
pub type OwnedListener = std::os::windows::io::OwnedSocket;

/// `ZMQ_USE_FD`: checks the descriptor (see [`check_listener`]), hands its number to libzmq
/// and keeps the ownership in the socket until a bind gives it to libzmq (see
/// `Socket::bind`). `None` clears the option and closes a descriptor not used yet.
impl SocketSet for Option<OwnedListener> {
    fn set_on<M: ThreadMode>(self, s: &Socket<M>, raw: c_int) -> Result<()> {
        let number: c_int = match &self {
            Some(listener) => {
                check_listener(listener)?;
                listener_number(listener)?
            }
            None => -1,
        };
        set_plain::<c_int, M>(s, raw, number)?;
        // The previous descriptor, if any, is no longer named by the option: dropped (closed).
        crate::guard::lock(&s.state).use_fd = self;
        Ok(())
    }
}

#[cfg(unix)]
fn listener_number(listener: &OwnedListener) -> Result<c_int> {
    use std::os::fd::AsRawFd;
    Ok(listener.as_raw_fd())
}

#[cfg(windows)]
fn listener_number(listener: &OwnedListener) -> Result<c_int> {
    use std::os::windows::io::AsRawSocket;
    // libzmq 4.3.5 keeps ZMQ_USE_FD in an int.
    c_int::try_from(listener.as_raw_socket()).map_err(|_| Error::InvalidArgument)
}

/// `getsockopt(SOL_SOCKET, opt)` as an int.
#[cfg(unix)]
fn sockopt_int(fd: std::os::fd::RawFd, opt: c_int) -> Result<c_int> {
    let mut value: c_int = 0;
    let mut len = size_of::<c_int>() as libc::socklen_t;
    // SAFETY: `value` is a writable int and `len` its size; getsockopt writes at most that.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            opt,
            (&mut value as *mut c_int).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        let errno = std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EINVAL);
        return Err(Error::from_errno(errno));
    }
    Ok(value)
}

/// The address family of a socket descriptor (`getsockname`).
#[cfg(unix)]
pub(crate) fn listener_family(listener: &OwnedListener) -> Result<c_int> {
    use std::os::fd::AsRawFd;
    // SAFETY: sockaddr_storage is plain data; all zeroes is a valid value.
    let mut addr: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: `addr` is writable for `len` bytes; getsockname writes at most that.
    let rc = unsafe {
        libc::getsockname(
            listener.as_raw_fd(),
            (&mut addr as *mut libc::sockaddr_storage).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(c_int::from(addr.ss_family))
}

/// What libzmq's listeners assume of a `ZMQ_USE_FD` descriptor without checking (they
/// assert on `accept` errors and set TCP options on it): a listening `SOCK_STREAM` socket of
/// family `AF_INET`, `AF_INET6` or `AF_UNIX`. It is also made non-blocking, as libzmq's own
/// listening sockets are, so that a spurious wake-up cannot block the I/O thread in
/// `accept`.
#[cfg(unix)]
fn check_listener(listener: &OwnedListener) -> Result<()> {
    use std::os::fd::AsRawFd;
    let fd = listener.as_raw_fd();
    let not_listener = |e: Error| match e {
        Error::NotSocket => Error::InvalidArgument,
        e => e,
    };
    if sockopt_int(fd, libc::SO_TYPE).map_err(not_listener)? != libc::SOCK_STREAM
        || sockopt_int(fd, libc::SO_ACCEPTCONN).map_err(not_listener)? == 0
        || !matches!(
            listener_family(listener)?,
            libc::AF_INET | libc::AF_INET6 | libc::AF_UNIX
        )
    {
        return Err(Error::InvalidArgument);
    }
    // SAFETY: fcntl on a descriptor this call borrows; F_GETFL/F_SETFL take and give ints.
    let rc = unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 {
            flags
        } else {
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK)
        }
    };
    if rc < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

/// Windows: the descriptor is taken as it is (the Unix checks are not ported).
#[cfg(windows)]
fn check_listener(_listener: &OwnedListener) -> Result<()> {
    Ok(())
}
