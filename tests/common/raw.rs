//! The raw-API harness of the tests that call libzmq through `zmq4::sys` only (tests/sys.rs,
//! tests/platform.rs): a context and a socket that clean up on drop, every call checked
//! with libzmq's error text in the panic, every blocking call bounded by [`WAIT_MS`].

use std::ffi::{c_void, CStr, CString};
use std::mem::size_of;
use std::ptr;
use zmq4::sys;

/// Upper bound for every blocking send/recv and every retry loop, in milliseconds.
pub const WAIT_MS: i32 = super::TIMEOUT_MS;

/// libzmq's errno for the calling thread.
pub fn errno() -> i32 {
    // SAFETY: zmq_errno has no preconditions.
    unsafe { sys::zmq_errno() }
}

/// libzmq's message for the calling thread's last error.
pub fn last_error() -> String {
    let e = errno();
    // SAFETY: zmq_strerror returns a pointer to a static, NUL-terminated string for any value.
    let text = unsafe { CStr::from_ptr(sys::zmq_strerror(e)) }.to_string_lossy();
    format!("errno {e}: {text}")
}

/// A context, terminated on drop (declare sockets after it so they are closed first).
pub struct Ctx(pub *mut c_void);

impl Ctx {
    pub fn new() -> Ctx {
        // SAFETY: zmq_ctx_new has no preconditions; null is checked below.
        let ctx = unsafe { sys::zmq_ctx_new() };
        assert!(!ctx.is_null(), "zmq_ctx_new: {}", last_error());
        Ctx(ctx)
    }

    pub fn set(&self, option: i32, value: i32) {
        // SAFETY: self.0 is a live context.
        let rc = unsafe { sys::zmq_ctx_set(self.0, option, value) };
        assert_eq!(rc, 0, "zmq_ctx_set({option}, {value}): {}", last_error());
    }

    pub fn socket(&self, kind: i32) -> Sock {
        // SAFETY: self.0 is a live context.
        let s = unsafe { sys::zmq_socket(self.0, kind) };
        assert!(!s.is_null(), "zmq_socket({kind}): {}", last_error());
        let sock = Sock(s);
        // Never block zmq_ctx_term on unsent messages.
        sock.set_int(sys::ZMQ_LINGER, 0);
        sock.set_int(sys::ZMQ_RCVTIMEO, WAIT_MS);
        sock.set_int(sys::ZMQ_SNDTIMEO, WAIT_MS);
        sock
    }

    /// A PAIR socket receiving `socket`'s monitor events (`events` mask), RCVTIMEO-bounded.
    pub fn monitor(&self, socket: &Sock, events: i32) -> Sock {
        let endpoint = super::inproc_endpoint();
        let c = CString::new(endpoint.as_str()).unwrap();
        // SAFETY: socket.0 is an open socket of this context; c outlives the call.
        let rc = unsafe { sys::zmq_socket_monitor(socket.0, c.as_ptr(), events) };
        assert_eq!(rc, 0, "zmq_socket_monitor: {}", last_error());
        let pair = self.socket(sys::ZMQ_PAIR);
        // Connected before the monitored socket does anything, so no event is dropped.
        pair.connect(&endpoint);
        pair
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        // SAFETY: self.0 is a live context, terminated once; its sockets were closed first
        // (declared after it) and have LINGER 0.
        unsafe { sys::zmq_ctx_term(self.0) };
    }
}

/// A socket, closed on drop.
pub struct Sock(pub *mut c_void);

impl Sock {
    pub fn set_int(&self, option: i32, value: i32) {
        // SAFETY: the socket is open; optval points to an int of the given length.
        let rc = unsafe {
            sys::zmq_setsockopt(
                self.0,
                option,
                ptr::from_ref(&value).cast(),
                size_of::<i32>(),
            )
        };
        assert_eq!(rc, 0, "zmq_setsockopt({option}, {value}): {}", last_error());
    }

    /// Sets a binary/string option; returns libzmq's errno on failure.
    pub fn try_set_bytes(&self, option: i32, value: &[u8]) -> Result<(), i32> {
        // SAFETY: the socket is open; value is valid for value.len() bytes.
        let rc = unsafe { sys::zmq_setsockopt(self.0, option, value.as_ptr().cast(), value.len()) };
        if rc == 0 {
            Ok(())
        } else {
            Err(errno())
        }
    }

    pub fn get_string(&self, option: i32) -> String {
        let mut buf = [0u8; 1024];
        let mut len = buf.len();
        // SAFETY: the socket is open; buf has `len` writable bytes and len is updated in place.
        let rc = unsafe { sys::zmq_getsockopt(self.0, option, buf.as_mut_ptr().cast(), &mut len) };
        assert_eq!(rc, 0, "zmq_getsockopt({option}): {}", last_error());
        let bytes = &buf[..len];
        let bytes = bytes.strip_suffix(b"\0").unwrap_or(bytes);
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    pub fn try_bind(&self, endpoint: &str) -> Result<(), String> {
        let c = CString::new(endpoint).unwrap();
        // SAFETY: the socket is open; c is a NUL-terminated string that outlives the call.
        let rc = unsafe { sys::zmq_bind(self.0, c.as_ptr()) };
        if rc == 0 {
            Ok(())
        } else {
            Err(format!("zmq_bind({endpoint}): {}", last_error()))
        }
    }

    /// Binds and returns the resolved endpoint (ZMQ_LAST_ENDPOINT).
    pub fn bind(&self, endpoint: &str) -> String {
        self.try_bind(endpoint).unwrap();
        self.get_string(sys::ZMQ_LAST_ENDPOINT)
    }

    /// The resolved endpoint of the last bind or connect (ZMQ_LAST_ENDPOINT).
    pub fn last_endpoint(&self) -> String {
        self.get_string(sys::ZMQ_LAST_ENDPOINT)
    }

    pub fn connect(&self, endpoint: &str) {
        let c = CString::new(endpoint).unwrap();
        // SAFETY: the socket is open; c is a NUL-terminated string that outlives the call.
        let rc = unsafe { sys::zmq_connect(self.0, c.as_ptr()) };
        assert_eq!(rc, 0, "zmq_connect({endpoint}): {}", last_error());
    }

    pub fn send(&self, data: &[u8]) {
        // SAFETY: the socket is open; data is valid for data.len() bytes.
        let rc = unsafe { sys::zmq_send(self.0, data.as_ptr().cast(), data.len(), 0) };
        assert_eq!(rc, data.len() as i32, "zmq_send: {}", last_error());
    }

    /// One frame, or libzmq's errno (EAGAIN once RCVTIMEO expires).
    pub fn try_recv(&self) -> Result<Vec<u8>, i32> {
        let mut buf = vec![0u8; 1024];
        // SAFETY: the socket is open; buf has buf.len() writable bytes.
        let rc = unsafe { sys::zmq_recv(self.0, buf.as_mut_ptr().cast(), buf.len(), 0) };
        if rc < 0 {
            return Err(errno());
        }
        buf.truncate(rc as usize);
        Ok(buf)
    }

    pub fn recv(&self) -> Vec<u8> {
        self.try_recv().unwrap_or_else(|e| {
            panic!(
                "zmq_recv (bounded by RCVTIMEO): errno {e}: {}",
                last_error()
            )
        })
    }
}

impl Drop for Sock {
    fn drop(&mut self) {
        // SAFETY: self.0 is an open socket, closed exactly once here.
        unsafe { sys::zmq_close(self.0) };
    }
}

/// Whether this libzmq has `capability` (`zmq_has`).
pub fn has(capability: &str) -> bool {
    let c = CString::new(capability).unwrap();
    // SAFETY: c is a NUL-terminated string that outlives the call.
    unsafe { sys::zmq_has(c.as_ptr()) != 0 }
}
