//! [`Message`]: libzmq's `zmq_msg_t`, with zero-copy construction from Rust buffers.
//!
//! A message built from a `Vec<u8>`, `Box<[u8]>` or `String` hands its buffer to libzmq
//! without copying (`zmq_msg_init_data`); libzmq calls back exactly once, on whatever thread
//! releases the last reference, and the callback drops the Rust allocation. A message from a
//! `&'static [u8]` borrows the static bytes forever.
//!
//! libzmq may share one buffer between messages (`zmq_msg_copy`, [`Clone`]), and static data
//! is never writable: mutable access ([`Message::as_mut_slice`], `DerefMut`) first copies the
//! bytes into a private buffer when libzmq reports the buffer as shared (`ZMQ_SHARED`).
//!
//! ```
//! use zmq4::Message;
//!
//! let msg = Message::from(vec![1u8, 2, 3]); // no copy of the bytes
//! let mut copy = msg.clone();                // shares the buffer (zmq_msg_copy)
//! copy[0] = 9;                               // copy-on-write: `msg` is untouched
//! assert_eq!(&msg[..], &[1, 2, 3]);
//! assert_eq!(&copy[..], &[9, 2, 3]);
//! ```

use crate::error::{check, Error, Result};
use crate::sys;
use libc::c_void;
use std::cell::UnsafeCell;
use std::ffi::CStr;
use std::fmt;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};

/// A libzmq message (`zmq_msg_t`): one frame of bytes, plus its `more` flag, properties and
/// metadata once received.
///
/// `Message` owns its `zmq_msg_t` and closes it on drop (`zmq_msg_close`). Sending one
/// ([`crate::Socket::send_msg`]) leaves it empty and ready for reuse, as `zmq_msg_send` does.
///
/// A `Message` is `Send` but not `Sync`: [`Clone`] (`zmq_msg_copy`) turns the source into a
/// shared message by writing its flags and reference count without atomics, so two threads
/// must never clone one message at once. To hand the bytes to several threads, clone once
/// per thread (cheap: the buffer is shared) and move each clone.
///
/// ```compile_fail
/// fn shared_between_threads<T: Sync>() {}
/// shared_between_threads::<zmq4::Message>();
/// ```
pub struct Message {
    pub(crate) raw: UnsafeCell<sys::zmq_msg_t>,
}

// SAFETY: a zmq_msg_t is a plain value whose shared buffers are reference-counted with atomics
// (libzmq's msg_t uses atomic_counter_t), and the free callbacks of Rust buffers may run on
// any thread; moving a message to another thread is what zmq_msg_send does internally.
unsafe impl Send for Message {}

/// Free callback for buffers that came from a `Box<[u8]>`: `hint` is the length.
unsafe extern "C" fn free_boxed_slice(data: *mut c_void, hint: *mut c_void) {
    // SAFETY: data/hint are the pointer and length of a Box<[u8]> leaked in
    // `Message::from_boxed_slice`; libzmq calls this exactly once per buffer.
    drop(unsafe {
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(
            data.cast::<u8>(),
            hint as usize,
        ))
    });
}

/// Free callback for buffers that came from a `Vec<u8>` with spare capacity: `hint` is a
/// leaked `Box<Vec<u8>>`.
unsafe extern "C" fn free_boxed_vec(_data: *mut c_void, hint: *mut c_void) {
    // SAFETY: hint is the Box<Vec<u8>> leaked in `Message::from_vec`; called exactly once.
    drop(unsafe { Box::from_raw(hint.cast::<Vec<u8>>()) });
}

impl Message {
    /// An empty message (`zmq_msg_init`).
    pub fn new() -> Message {
        let mut raw = MaybeUninit::<sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init initialises the zmq_msg_t and cannot fail.
        unsafe { sys::zmq_msg_init(raw.as_mut_ptr()) };
        // SAFETY: initialised just above.
        Message {
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
        }
    }

    /// A message of `size` zeroed bytes (`zmq_msg_init_size`, then zero-filled).
    pub fn with_size(size: usize) -> Result<Message> {
        // SAFETY: every byte is written just below, before anything reads it.
        let mut msg = unsafe { Message::with_size_uninit(size)? };
        // SAFETY: a fresh, unshared buffer of `size` writable bytes.
        unsafe { std::ptr::write_bytes(msg.data_ptr(), 0, size) };
        Ok(msg)
    }

    /// A message of `size` bytes left as the allocator returned them: `zmq_msg_init_size`
    /// alone, the way C programs (and libzmq's perf tools) make a message they fill in place
    /// or send as it is. [`Message::with_size`] costs a `memset` more.
    ///
    /// # Safety
    /// The bytes are uninitialised. Until every one of them has been written (through the
    /// raw pointer `zmq_msg_data(msg.as_mut_ptr())`), nothing may read them from Rust: no
    /// [`as_slice`](Message::as_slice), [`as_mut_slice`](Message::as_mut_slice), `Deref`,
    /// [`to_vec`](Message::to_vec) or comparison. Sending the message as it is, or dropping
    /// it, is fine: libzmq only copies the bytes.
    #[inline]
    pub unsafe fn with_size_uninit(size: usize) -> Result<Message> {
        let mut raw = MaybeUninit::<sys::zmq_msg_t>::uninit();
        // SAFETY: on success zmq_msg_init_size initialises the message; on failure (ENOMEM)
        // it is left uninitialised and not used.
        check(unsafe { sys::zmq_msg_init_size(raw.as_mut_ptr(), size) })?;
        // SAFETY: initialised by the successful call above.
        Ok(Message {
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
        })
    }

    /// The start of the message's bytes (`zmq_msg_data`).
    #[inline]
    fn data_ptr(&mut self) -> *mut u8 {
        // SAFETY: an initialised message; zmq_msg_data only computes the pointer.
        unsafe { sys::zmq_msg_data(self.as_mut_ptr()).cast() }
    }

    /// A message holding a copy of `data`: `zmq_msg_init_buffer` with the `draft` feature
    /// (one call into libzmq), `zmq_msg_init_size` and a copy without it (the same thing).
    ///
    /// If libzmq cannot allocate the buffer, this calls [`std::alloc::handle_alloc_error`],
    /// as a failed `Vec` allocation does.
    #[inline]
    pub fn from_slice(data: &[u8]) -> Message {
        let out_of_memory = || -> ! {
            std::alloc::handle_alloc_error(
                std::alloc::Layout::array::<u8>(data.len())
                    .unwrap_or(std::alloc::Layout::new::<u8>()),
            )
        };
        #[cfg(feature = "draft")]
        {
            let mut raw = MaybeUninit::<sys::zmq_msg_t>::uninit();
            // SAFETY: `data` is valid for `data.len()` bytes; on success zmq_msg_init_buffer
            // initialises the message with a copy of them, on failure (ENOMEM) it leaves it
            // uninitialised and it is not used.
            if unsafe {
                sys::zmq_msg_init_buffer(raw.as_mut_ptr(), data.as_ptr().cast(), data.len())
            } != 0
            {
                out_of_memory();
            }
            // SAFETY: initialised by the successful call above.
            Message {
                raw: UnsafeCell::new(unsafe { raw.assume_init() }),
            }
        }
        #[cfg(not(feature = "draft"))]
        {
            // SAFETY: every byte is written just below, before anything reads it.
            let mut msg = unsafe { Message::with_size_uninit(data.len()) }
                .unwrap_or_else(|_| out_of_memory());
            // SAFETY: the fresh buffer has `data.len()` writable bytes and cannot overlap
            // `data`.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), msg.data_ptr(), data.len()) };
            msg
        }
    }

    /// A message that refers to static bytes without copying them (`zmq_msg_init_data` with
    /// no free function). They are never written: mutable access copies them first.
    pub fn from_static(data: &'static [u8]) -> Message {
        if data.is_empty() {
            return Message::new();
        }
        let mut raw = MaybeUninit::<sys::zmq_msg_t>::uninit();
        // SAFETY: the data is 'static, so it outlives every message referring to it; with no
        // free function libzmq marks it constant (ZMQ_SHARED reads 1), so `as_mut_slice`
        // never hands out a pointer into it. zmq_msg_init_data cannot fail without a ffn.
        unsafe {
            sys::zmq_msg_init_data(
                raw.as_mut_ptr(),
                data.as_ptr() as *mut c_void,
                data.len(),
                None,
                std::ptr::null_mut(),
            )
        };
        // SAFETY: initialised above.
        Message {
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
        }
    }

    /// Hands a boxed slice to libzmq without copying; it is dropped when libzmq releases it.
    pub fn from_boxed_slice(data: Box<[u8]>) -> Message {
        if data.is_empty() {
            return Message::new();
        }
        let len = data.len();
        let ptr = Box::into_raw(data).cast::<u8>();
        // SAFETY: `ptr` is a leaked Box<[u8]> of `len` bytes, released once by
        // free_boxed_slice with the same length.
        unsafe { Message::from_raw_parts(ptr, len, free_boxed_slice, len as *mut c_void) }
    }

    /// Hands a vector to libzmq without copying its bytes; it is dropped when libzmq
    /// releases it.
    pub fn from_vec(data: Vec<u8>) -> Message {
        if data.len() == data.capacity() {
            return Message::from_boxed_slice(data.into_boxed_slice());
        }
        // Spare capacity: shrinking could move the bytes, so box the Vec itself instead.
        let mut boxed = Box::new(data);
        let (ptr, len) = (boxed.as_mut_ptr(), boxed.len());
        let hint = Box::into_raw(boxed).cast::<c_void>();
        // SAFETY: `ptr`/`len` describe the heap buffer of the leaked Vec behind `hint`, which
        // does not move while the Vec is boxed; free_boxed_vec releases it once.
        unsafe { Message::from_raw_parts(ptr, len, free_boxed_vec, hint) }
    }

    /// `zmq_msg_init_data` with a free function that owns the buffer.
    ///
    /// # Safety
    /// `data` must be valid for reads and writes of `len` bytes until `free` is called with
    /// `(data, hint)`, and `free` must release it (from any thread, once).
    unsafe fn from_raw_parts(
        data: *mut u8,
        len: usize,
        free: unsafe extern "C" fn(*mut c_void, *mut c_void),
        hint: *mut c_void,
    ) -> Message {
        let mut raw = MaybeUninit::<sys::zmq_msg_t>::uninit();
        // SAFETY: the caller guarantees the buffer contract.
        let rc =
            unsafe { sys::zmq_msg_init_data(raw.as_mut_ptr(), data.cast(), len, Some(free), hint) };
        if rc == -1 {
            // Only ENOMEM (allocating the reference count), and libzmq does not call `free`
            // then: release the buffer, and fail as any Rust allocation failure does.
            // SAFETY: libzmq did not take the buffer, so this is its one release.
            unsafe { free(data.cast(), hint) };
            std::alloc::handle_alloc_error(std::alloc::Layout::new::<sys::zmq_msg_t>());
        }
        // SAFETY: initialised by the successful call.
        Message {
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
        }
    }

    /// The number of bytes (`zmq_msg_size`).
    #[inline]
    pub fn len(&self) -> usize {
        // SAFETY: `raw` is an initialised message; zmq_msg_size only reads it.
        unsafe { sys::zmq_msg_size(self.as_ptr()) }
    }

    /// Whether the message has no bytes.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of the message.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        let len = self.len();
        if len == 0 {
            return &[];
        }
        // SAFETY: zmq_msg_data (non-const in C, but it only reads) points at `len` initialised
        // bytes that live as long as the
        // message and are not written while `&self` is borrowed.
        unsafe {
            std::slice::from_raw_parts(sys::zmq_msg_data(self.as_ptr() as *mut _).cast::<u8>(), len)
        }
    }

    /// The bytes, writable. If libzmq shares the buffer with other messages (after
    /// [`Clone`]) or it is static data, the bytes are first copied into a private buffer.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        let len = self.len();
        if len == 0 {
            return &mut [];
        }
        if self.is_shared() {
            *self = Message::from_slice(self.as_slice());
        }
        // SAFETY: the buffer is not shared (ZMQ_SHARED is 0: no other message refers to it and
        // it is not constant data), so `&mut self` gives exclusive access to its `len` bytes.
        unsafe {
            std::slice::from_raw_parts_mut(sys::zmq_msg_data(self.as_mut_ptr()).cast::<u8>(), len)
        }
    }

    /// Whether libzmq may share this message's buffer (`ZMQ_SHARED`): true after a copy, and
    /// for static data.
    pub fn is_shared(&self) -> bool {
        self.get_property(sys::ZMQ_SHARED) == Ok(1)
    }

    /// Whether more frames of the same multipart message follow (`zmq_msg_more`).
    #[inline]
    pub fn more(&self) -> bool {
        // SAFETY: reads an initialised message.
        unsafe { sys::zmq_msg_more(self.as_ptr()) == 1 }
    }

    /// `zmq_msg_get`: an integer property (`ZMQ_MORE`, `ZMQ_SRCFD`, `ZMQ_SHARED`).
    pub fn get_property(&self, property: i32) -> Result<i32> {
        // SAFETY: reads an initialised message; unknown properties give EINVAL.
        check(unsafe { sys::zmq_msg_get(self.as_ptr(), property) })
    }

    /// `zmq_msg_set`: sets an integer property (libzmq 4.3.5 accepts none: EINVAL).
    pub fn set_property(&mut self, property: i32, value: i32) -> Result<()> {
        // SAFETY: an initialised message.
        check(unsafe { sys::zmq_msg_set(self.as_mut_ptr(), property, value) }).map(drop)
    }

    /// `zmq_msg_gets`: a metadata property of a received message: `"Socket-Type"`,
    /// `"Routing-Id"`, `"User-Id"`, `"Peer-Address"`, or an application property set with
    /// `ZMQ_METADATA` (`"X-..."`). `None` when the message carries no such property.
    pub fn gets(&self, property: &str) -> Option<&str> {
        // SAFETY: reads an initialised message; the name is NUL-terminated. The value lives
        // in the message's metadata, not in the name's buffer.
        let value = crate::socket::with_c_str(property, |name| unsafe {
            sys::zmq_msg_gets(self.as_ptr(), name)
        })
        .ok()?;
        if value.is_null() {
            return None;
        }
        // SAFETY: libzmq returns a NUL-terminated string owned by the message's metadata,
        // which is reference-counted and lives as long as the message, i.e. `&self`.
        unsafe { CStr::from_ptr(value) }.to_str().ok()
    }

    /// The routing id of a message received on a SERVER or PEER socket, or set for sending
    /// (`zmq_msg_routing_id`); `None` when it has none.
    #[cfg(feature = "draft")]
    pub fn routing_id(&self) -> Option<u32> {
        // SAFETY: zmq_msg_routing_id only reads the message (it takes a non-const pointer).
        let id = unsafe { sys::zmq_msg_routing_id(self.as_ptr() as *mut _) };
        (id != 0).then_some(id)
    }

    /// Sets the routing id a SERVER or PEER socket sends this message to
    /// (`zmq_msg_set_routing_id`); 0 is invalid.
    #[cfg(feature = "draft")]
    pub fn set_routing_id(&mut self, routing_id: u32) -> Result<()> {
        // SAFETY: an initialised message.
        check(unsafe { sys::zmq_msg_set_routing_id(self.as_mut_ptr(), routing_id) }).map(drop)
    }

    /// The group of a message received on a DISH socket (`zmq_msg_group`); `None` when empty.
    #[cfg(feature = "draft")]
    pub fn group(&self) -> Option<&str> {
        let g = self.group_c_str().to_str().ok()?;
        (!g.is_empty()).then_some(g)
    }

    /// The group's length in bytes, UTF-8 or not (what a RADIO puts on the wire).
    #[cfg(feature = "draft")]
    pub(crate) fn group_len(&self) -> usize {
        self.group_c_str().to_bytes().len()
    }

    #[cfg(feature = "draft")]
    fn group_c_str(&self) -> &CStr {
        // SAFETY: zmq_msg_group only reads; it returns a NUL-terminated string stored inside
        // the message (or in its refcounted long-group buffer), valid while `&self` lives.
        unsafe { CStr::from_ptr(sys::zmq_msg_group(self.as_ptr() as *mut _)) }
    }

    /// Sets the group a RADIO socket publishes this message to (`zmq_msg_set_group`; at most
    /// 255 bytes, no NUL: else [`Error::InvalidArgument`]).
    #[cfg(feature = "draft")]
    pub fn set_group(&mut self, group: &str) -> Result<()> {
        // libzmq 4.3.5 measures the C string with strnlen(group, 255), so a longer group is
        // cut to 255 bytes (possibly inside a UTF-8 character) instead of refused as its man
        // page says: check the length here.
        if group.len() > sys::ZMQ_GROUP_MAX_LENGTH as usize {
            return Err(crate::Error::InvalidArgument);
        }
        let msg = self.as_mut_ptr();
        crate::socket::check_with_c_str(group, |g| {
            // SAFETY: an initialised message; libzmq copies the group.
            unsafe { sys::zmq_msg_set_group(msg, g) }
        })
    }

    /// The `zmq_msg_t` for use with [`crate::sys`].
    #[inline]
    pub fn as_ptr(&self) -> *const sys::zmq_msg_t {
        self.raw.get()
    }

    /// The `zmq_msg_t` for use with [`crate::sys`]. It must stay initialised (a closed or
    /// moved-out message must be re-initialised with `zmq_msg_init` before the `Message` is
    /// used or dropped).
    #[inline]
    pub fn as_mut_ptr(&mut self) -> *mut sys::zmq_msg_t {
        self.raw.get_mut()
    }

    /// Copies the bytes into a `Vec<u8>`.
    pub fn to_vec(&self) -> Vec<u8> {
        self.as_slice().to_vec()
    }

    /// The bytes as text, if they are valid UTF-8.
    ///
    /// ```
    /// let msg = zmq4::Message::from("héllo");
    /// assert_eq!(msg.as_str(), Some("héllo"));
    /// assert_eq!(zmq4::Message::from(&[0xff, 0xfe]).as_str(), None);
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.as_slice()).ok()
    }

    /// The frame as a fixed-width value ([`FrameValue`]): [`FrameError::WrongSize`] unless
    /// it has exactly [`FrameValue::SIZE`] bytes.
    ///
    /// ```
    /// use zmq4::{FrameError, Message};
    /// assert_eq!(Message::from(&7u32.to_le_bytes()).to_value::<u32>(), Ok(7));
    /// assert_eq!(
    ///     Message::from("abc").to_value::<u32>(),
    ///     Err(FrameError::WrongSize { expected: 4, actual: 3 })
    /// );
    /// ```
    pub fn to_value<T: FrameValue>(&self) -> std::result::Result<T, FrameError> {
        T::from_frame(self.as_slice())
    }

    /// Drops a message that a successful `zmq_msg_send` left empty, without the
    /// `zmq_msg_close` that libzmq documents as unnecessary after a successful send (an empty
    /// message owns nothing). Saves a call per message on paths that consume what they send.
    #[cfg(feature = "tokio")]
    #[inline]
    pub(crate) fn forget_sent(self) {
        debug_assert!(self.is_empty());
        std::mem::forget(self);
    }
}

impl Drop for Message {
    fn drop(&mut self) {
        // SAFETY: `raw` is initialised; zmq_msg_close releases this reference (and the buffer,
        // via its free function, if it was the last one). It fails only for an invalid msg.
        unsafe { sys::zmq_msg_close(self.raw.get_mut()) };
    }
}

impl Clone for Message {
    /// Shares the buffer (`zmq_msg_copy`): cheap for large messages; writes copy first.
    fn clone(&self) -> Message {
        let mut copy = Message::new();
        // SAFETY: both messages are initialised. zmq_msg_copy writes the source too (it marks
        // it shared and sets its reference count): `raw` is an UnsafeCell and Message is not
        // Sync, so no other thread can touch `self` meanwhile. It fails only for invalid
        // messages.
        unsafe { sys::zmq_msg_copy(copy.as_mut_ptr(), self.raw.get()) };
        copy
    }
}

impl Default for Message {
    fn default() -> Message {
        Message::new()
    }
}

impl Deref for Message {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl DerefMut for Message {
    fn deref_mut(&mut self) -> &mut [u8] {
        self.as_mut_slice()
    }
}

impl AsRef<[u8]> for Message {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Message {}

/// Bytes of a message that `Debug` shows.
const DEBUG_PREVIEW: usize = 32;

impl fmt::Debug for Message {
    /// The length, the `more` flag and the first 32 bytes, escaped as in a Rust byte string
    /// (`…` marks the rest): `Message { len: 5, more: false, data: b"hello" }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Preview<'a>(&'a [u8], bool);
        impl fmt::Debug for Preview<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("b\"")?;
                for &b in self.0 {
                    write!(f, "{}", std::ascii::escape_default(b))?;
                }
                f.write_str(if self.1 { "\"…" } else { "\"" })
            }
        }
        let bytes = self.as_slice();
        let shown = &bytes[..bytes.len().min(DEBUG_PREVIEW)];
        f.debug_struct("Message")
            .field("len", &bytes.len())
            .field("more", &self.more())
            .field("data", &Preview(shown, shown.len() < bytes.len()))
            .finish()
    }
}

impl From<Vec<u8>> for Message {
    /// Zero-copy: see [`Message::from_vec`].
    #[inline]
    fn from(v: Vec<u8>) -> Message {
        Message::from_vec(v)
    }
}

impl From<Box<[u8]>> for Message {
    /// Zero-copy: see [`Message::from_boxed_slice`].
    #[inline]
    fn from(b: Box<[u8]>) -> Message {
        Message::from_boxed_slice(b)
    }
}

impl From<String> for Message {
    /// Zero-copy: the string's buffer becomes the message.
    #[inline]
    fn from(s: String) -> Message {
        Message::from_vec(s.into_bytes())
    }
}

impl From<&[u8]> for Message {
    /// Copies the bytes.
    #[inline]
    fn from(s: &[u8]) -> Message {
        Message::from_slice(s)
    }
}

impl<const N: usize> From<&[u8; N]> for Message {
    /// Copies the bytes.
    #[inline]
    fn from(s: &[u8; N]) -> Message {
        Message::from_slice(s)
    }
}

impl From<&Vec<u8>> for Message {
    /// Copies the bytes (`From<Vec<u8>>` takes the buffer without copying).
    #[inline]
    fn from(v: &Vec<u8>) -> Message {
        Message::from_slice(v)
    }
}

impl From<&String> for Message {
    /// Copies the bytes (`From<String>` takes the buffer without copying).
    #[inline]
    fn from(s: &String) -> Message {
        Message::from_slice(s.as_bytes())
    }
}

impl From<&Message> for Message {
    /// Shares the buffer, as [`Clone`] does (`zmq_msg_copy`).
    #[inline]
    fn from(m: &Message) -> Message {
        m.clone()
    }
}

impl<const N: usize> From<[u8; N]> for Message {
    /// Copies the bytes.
    #[inline]
    fn from(a: [u8; N]) -> Message {
        Message::from_slice(&a)
    }
}

impl From<&str> for Message {
    /// Copies the bytes.
    #[inline]
    fn from(s: &str) -> Message {
        Message::from_slice(s.as_bytes())
    }
}

/// Why a frame could not be read as a typed value ([`Socket::recv_string`],
/// [`Socket::recv_value`], [`Message::to_value`]).
///
/// [`Socket::recv_string`]: crate::Socket::recv_string
/// [`Socket::recv_value`]: crate::Socket::recv_value
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum FrameError {
    /// Receiving failed.
    Zmq(Error),
    /// The frame is not valid UTF-8; its bytes are kept.
    InvalidUtf8 {
        /// The frame's bytes.
        bytes: Vec<u8>,
        /// How many leading bytes are valid UTF-8.
        valid_up_to: usize,
    },
    /// The frame does not have the value's size.
    WrongSize {
        /// [`FrameValue::SIZE`].
        expected: usize,
        /// The frame's size.
        actual: usize,
    },
    /// The frame has the right size but is not a value of the type (a `bool` byte other
    /// than 0 or 1).
    InvalidValue,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Zmq(e) => fmt::Display::fmt(e, f),
            FrameError::InvalidUtf8 { bytes, valid_up_to } => write!(
                f,
                "frame of {} bytes is not UTF-8 (valid up to byte {valid_up_to})",
                bytes.len()
            ),
            FrameError::WrongSize { expected, actual } => {
                write!(f, "frame of {actual} bytes, expected {expected}")
            }
            FrameError::InvalidValue => f.write_str("frame is not a value of the type"),
        }
    }
}

impl std::error::Error for FrameError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FrameError::Zmq(e) => Some(e),
            _ => None,
        }
    }
}

impl FrameError {
    /// The text of a frame's bytes, or [`FrameError::InvalidUtf8`] keeping them.
    pub(crate) fn utf8(bytes: Vec<u8>) -> std::result::Result<String, FrameError> {
        String::from_utf8(bytes).map_err(|e| {
            let valid_up_to = e.utf8_error().valid_up_to();
            FrameError::InvalidUtf8 {
                bytes: e.into_bytes(),
                valid_up_to,
            }
        })
    }
}

impl From<Error> for FrameError {
    fn from(e: Error) -> FrameError {
        FrameError::Zmq(e)
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A fixed-width value sent as one frame of exactly [`SIZE`](FrameValue::SIZE) bytes:
/// `u8`…`u64`, `i8`…`i64`, `f32`, `f64` (little-endian, IEEE 754 bits for floats) and
/// `bool` (one byte, 0 or 1). See [`Socket::send_value`] and [`Socket::recv_value`].
///
/// Little-endian is what a C program's `zmq_send(s, &value, sizeof value, 0)` sends on x86
/// and ARM, and the same bytes on every machine.
///
/// ```
/// use zmq4::{FrameValue, Message};
/// assert_eq!(<u16 as FrameValue>::SIZE, 2);
/// assert_eq!(&0x0102u16.to_message()[..], &[2, 1]);
/// assert_eq!(i64::from_frame(&(-5i64).to_le_bytes()), Ok(-5));
/// assert!(bool::from_frame(&[2]).is_err());
/// ```
///
/// [`Socket::send_value`]: crate::Socket::send_value
/// [`Socket::recv_value`]: crate::Socket::recv_value
pub trait FrameValue: Copy + sealed::Sealed {
    /// The frame's size in bytes.
    const SIZE: usize;

    /// The value as a frame.
    fn to_message(self) -> Message;

    /// The value of a frame: [`FrameError::WrongSize`] unless it has exactly
    /// [`SIZE`](FrameValue::SIZE) bytes.
    fn from_frame(bytes: &[u8]) -> std::result::Result<Self, FrameError>;
}

fn exact<const N: usize>(bytes: &[u8]) -> std::result::Result<[u8; N], FrameError> {
    bytes.try_into().map_err(|_| FrameError::WrongSize {
        expected: N,
        actual: bytes.len(),
    })
}

macro_rules! frame_values {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl FrameValue for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn to_message(self) -> Message {
                Message::from_slice(&self.to_le_bytes())
            }
            #[inline]
            fn from_frame(bytes: &[u8]) -> std::result::Result<$t, FrameError> {
                exact(bytes).map(<$t>::from_le_bytes)
            }
        }
    )*};
}

frame_values!(u8, u16, u32, u64, i8, i16, i32, i64, f32, f64);

impl sealed::Sealed for bool {}
impl FrameValue for bool {
    const SIZE: usize = 1;
    #[inline]
    fn to_message(self) -> Message {
        Message::from_slice(&[u8::from(self)])
    }
    #[inline]
    fn from_frame(bytes: &[u8]) -> std::result::Result<bool, FrameError> {
        match exact::<1>(bytes)? {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(FrameError::InvalidValue),
        }
    }
}
