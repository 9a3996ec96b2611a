//! The `zmq_poller` API (draft): [`Poller`].

use super::{c_timeout, check_nfds, from_zmq_fd, to_zmq_fd, PollEvents, NO_FD};
use crate::error::{check, Error, Result};
use crate::socket::{Exclusive, Shared, Socket, ThreadMode};
use crate::sys;
use crate::RawDescriptor;
use libc::{c_int, c_void};
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::socket::Exclusive {}
    impl Sealed for crate::socket::Shared {}
}

/// Which sockets a poller may hold: `Exclusive: Accepts<N>` for every socket, so a
/// [`Poller`] takes any socket; `Shared: Accepts<Shared>` only, so a [`SharedPoller`] takes
/// only thread-safe sockets, which is what lets it be `Send`. Sealed.
pub trait Accepts<N: ThreadMode>: ThreadMode + sealed::Sealed {}
impl Accepts<Exclusive> for Exclusive {}
impl Accepts<Shared> for Exclusive {}
impl Accepts<Shared> for Shared {}

/// A [`Poller`] that holds only thread-safe sockets ([`SharedSocket`](crate::SharedSocket))
/// and file descriptors, and therefore may move to another thread (it is `Send` when `T` is).
pub type SharedPoller<'a, T = ()> = Poller<'a, T, Shared>;

/// The key of an item registered in a [`Poller`], returned by the `add` methods and carried by
/// every event. Keys of removed items never match a later item (until 2³² re-uses of one slot).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct PollerKey {
    index: u32,
    generation: u32,
}

/// What an item polls.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    Socket(*mut c_void),
    Fd(RawDescriptor),
}

/// The `Socket` value an item was added from, to hand back with its events: a pointer
/// made from a `&'a Socket<N>` borrow that the poller holds for `'a`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Handle {
    /// Added with `add_fd` or `add_raw`: no `Socket` value.
    None,
    Exclusive(*const Socket<Exclusive>),
    Shared(*const Socket<Shared>),
}

impl Handle {
    fn of<N: ThreadMode>(socket: &Socket<N>) -> Handle {
        let ptr = (socket as *const Socket<N>).cast::<()>();
        if std::any::TypeId::of::<N>() == std::any::TypeId::of::<Shared>() {
            Handle::Shared(ptr.cast())
        } else {
            Handle::Exclusive(ptr.cast())
        }
    }

    /// # Safety
    /// The handle must come from a borrow of `'b` or longer (an entry of a live poller, whose
    /// sockets are borrowed for its `'a`).
    unsafe fn exclusive<'b>(self) -> Option<&'b Socket> {
        match self {
            // SAFETY: made by `of` from a `&'a Socket<Exclusive>` that the poller holds for
            // 'a, which the caller guarantees outlives 'b; a shared borrow is copied.
            Handle::Exclusive(ptr) => Some(unsafe { &*ptr }),
            _ => None,
        }
    }

    /// # Safety
    /// As for [`Handle::exclusive`].
    unsafe fn shared<'b>(self) -> Option<&'b Socket<Shared>> {
        match self {
            // SAFETY: as in `exclusive`, for a `&'a Socket<Shared>`.
            Handle::Shared(ptr) => Some(unsafe { &*ptr }),
            _ => None,
        }
    }
}

struct Entry<T> {
    target: Target,
    handle: Handle,
    events: PollEvents,
    data: T,
}

struct Slot<T> {
    generation: u32,
    entry: Option<Entry<T>>,
}

/// A set of sockets and file descriptors to wait on (`zmq_poller_*`, draft), each registered
/// with the events of interest and a value of type `T` that comes back with its events.
///
/// ```
/// use zmq4::poll::{PollEvents, Poller};
/// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
///
/// let ctx = Context::new();
/// let jobs = ctx.socket(SocketType::Pull)?;
/// jobs.bind("inproc://doc-poller-jobs")?;
/// let control = ctx.socket(SocketType::Pull)?;
/// control.bind("inproc://doc-poller-control")?;
///
/// // Declared after the sockets: a poller must not outlive what it polls.
/// let mut poller = Poller::new()?;
/// let jobs_key = poller.add(&jobs, PollEvents::POLLIN, "jobs")?;
/// poller.add(&control, PollEvents::POLLIN, "control")?;
///
/// let push = ctx.socket(SocketType::Push)?;
/// push.connect("inproc://doc-poller-jobs")?;
/// push.send("job 1", SendFlags::empty())?;
///
/// // One event, with the value it was registered with (Ok(None) would be a timeout).
/// let event = poller.wait(1000)?.expect("an event");
/// assert_eq!(*event.data(), "jobs");
/// assert_eq!(event.key(), jobs_key);
/// assert!(event.is_readable());
/// assert_eq!(jobs.recv_bytes(RecvFlags::empty())?, b"job 1");
///
/// // All ready items at once, into a reusable buffer.
/// push.send("job 2", SendFlags::empty())?;
/// let mut ready = Vec::new();
/// assert_eq!(poller.wait_all(&mut ready, 1000)?, 1);
/// assert_eq!(poller[ready[0].key()], "jobs");
///
/// // Removing gives the value back; nothing is ready any more.
/// assert_eq!(poller.remove(&jobs)?, "jobs");
/// assert!(poller.wait(0)?.is_none());
/// # Ok::<(), zmq4::Error>(())
/// ```
///
/// # The socket of an event
/// An event of an item added from a [`Socket`] gives it back, as `zmq_poller_event_t`'s
/// `socket` does: [`PollerEvent::socket`] (or [`shared_socket`](PollerEvent::shared_socket)
/// for a [`SharedSocket`](crate::SharedSocket)), and [`Poller::socket`] for the key of a
/// [`ReadyEvent`]. So `event.socket().unwrap().recv(flags)` reads from whichever socket is
/// ready, without keeping the sockets in the user data.
///
/// # User data
/// libzmq stores one `void *user_data` per item and returns it with each event. Here it
/// carries only the index of the item's slot in the poller's own table, never a pointer: the
/// `T` values live in that table, an event is translated back to its entry (and checked
/// against the socket or descriptor libzmq reports) before [`wait`](Poller::wait) returns,
/// and removing an item drops its slot from the table in the same call that unregisters it
/// from libzmq. A removed item's [`PollerKey`] stops matching, so a stale key finds nothing
/// rather than another item. Keys and values are only reachable through `&self`/`&mut self`,
/// so no event can outlive the item it names.
///
/// # Lifetimes
/// Sockets are borrowed for `'a`, the poller's lifetime parameter: a registered socket cannot
/// be closed before the poller is dropped (libzmq requires sockets to stay open while
/// registered, and its `zmq_poller_destroy` still reads them). Removing a socket unregisters
/// it but the borrow lasts as long as the poller.
///
/// ```compile_fail
/// use zmq4::poll::{PollEvents, Poller};
/// use zmq4::{Context, SocketType};
///
/// let ctx = Context::new();
/// let mut poller = Poller::new()?;
/// {
///     let socket = ctx.socket(SocketType::Pull)?;
///     poller.add(&socket, PollEvents::POLLIN, ())?;
/// } // error: `socket` does not live long enough
/// # Ok::<(), zmq4::Error>(())
/// ```
///
/// # Threads
/// libzmq pollers are not thread-safe, so `Poller` is never `Sync`. A `Poller` (the default
/// `M = Exclusive`) accepts every socket and is not `Send` either, since it holds references
/// to sockets that must stay on their thread. A [`SharedPoller`] (`M = Shared`) accepts only
/// thread-safe sockets and is `Send` when `T` is: it can be moved to the thread that waits,
/// while other threads keep using its sockets.
///
/// ```compile_fail
/// use zmq4::poll::{PollEvents, Poller};
/// use zmq4::{Context, SocketType};
///
/// let ctx = Context::new();
/// let socket = ctx.socket(SocketType::Pull)?;
/// let mut poller = Poller::new()?;
/// poller.add(&socket, PollEvents::POLLIN, ())?;
/// std::thread::scope(|s| {
///     // error: `Poller<'_>` cannot be sent between threads safely
///     s.spawn(move || poller.wait(0).map(|e| e.is_some()));
/// });
/// # Ok::<(), zmq4::Error>(())
/// ```
///
/// ```compile_fail
/// use zmq4::poll::{PollEvents, SharedPoller};
/// use zmq4::{Context, SocketType};
///
/// let ctx = Context::new();
/// let socket = ctx.socket(SocketType::Pull)?;
/// let mut poller = SharedPoller::new_shared()?;
/// poller.add(&socket, PollEvents::POLLIN, ())?; // error: a PULL socket is not thread-safe
/// # Ok::<(), zmq4::Error>(())
/// ```
///
/// # Event-loop integration
/// [`Poller::fd`] gives the descriptor libzmq signals when a registered thread-safe socket
/// becomes ready: watch it for readability in an external loop (epoll, tokio's `AsyncFd`),
/// then call [`wait_all`](Poller::wait_all) with timeout 0 to collect the events.
pub struct Poller<'a, T = (), M: ThreadMode = Exclusive> {
    raw: *mut c_void,
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    len: usize,
    /// Items with a non-empty event set (libzmq's poll set is empty without any).
    active: usize,
    /// Reused output buffer of `zmq_poller_wait_all`.
    scratch: Vec<sys::zmq_poller_event_t>,
    _borrows: PhantomData<(&'a (), M)>,
}

// SAFETY: a libzmq poller has no thread affinity; like a socket it may be used from another
// thread after a move, which includes the needed memory barrier. A SharedPoller holds only
// thread-safe sockets (`add` requires `Accepts`, `add_raw` requires it by contract), which
// libzmq lets other threads use while this one waits (they lock internally and wake the
// poller's signaler, which is made for that); file descriptors, which are integers; owned
// `T` values, hence `T: Send`; and a scratch buffer of plain values whose pointers are never
// dereferenced. It is not `Sync`: libzmq forbids concurrent calls on one poller.
unsafe impl<T: Send> Send for Poller<'_, T, Shared> {}

/// One event returned by [`Poller::wait`]: which item, which events, and its value.
pub struct PollerEvent<'p, T> {
    key: PollerKey,
    events: PollEvents,
    fd: Option<RawDescriptor>,
    handle: Handle,
    data: &'p mut T,
}

impl<'p, T> PollerEvent<'p, T> {
    /// The key of the item.
    pub fn key(&self) -> PollerKey {
        self.key
    }

    /// The events that occurred (within those registered).
    pub fn events(&self) -> PollEvents {
        self.events
    }

    /// Whether [`POLLIN`](PollEvents::POLLIN) occurred.
    pub fn is_readable(&self) -> bool {
        self.events.contains(PollEvents::POLLIN)
    }

    /// Whether [`POLLOUT`](PollEvents::POLLOUT) occurred.
    pub fn is_writable(&self) -> bool {
        self.events.contains(PollEvents::POLLOUT)
    }

    /// The file descriptor, for an item added with [`Poller::add_fd`]; `None` for a socket.
    pub fn fd(&self) -> Option<RawDescriptor> {
        self.fd
    }

    /// The socket, for an item added with [`Poller::add`] from a [`Socket`] (the
    /// counterpart of `zmq_poller_event_t.socket`); `None` for a descriptor, a raw socket
    /// or a [`SharedSocket`](crate::SharedSocket) (see
    /// [`shared_socket`](PollerEvent::shared_socket)).
    ///
    /// ```
    /// use zmq4::poll::{PollEvents, Poller};
    /// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new();
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-event-socket")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-event-socket")?;
    /// push.send("job", SendFlags::empty())?;
    ///
    /// let mut poller = Poller::new()?;
    /// poller.add(&pull, PollEvents::POLLIN, ())?;
    /// let event = poller.wait(1000)?.expect("an event");
    /// let socket = event.socket().expect("added from a Socket");
    /// assert_eq!(socket.recv_bytes(RecvFlags::empty())?, b"job");
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn socket(&self) -> Option<&'p Socket> {
        // SAFETY: the entry's socket is borrowed for the poller's 'a, which outlives the
        // poller borrow 'p.
        unsafe { self.handle.exclusive() }
    }

    /// The thread-safe socket, for an item added with [`Poller::add`] from a
    /// [`SharedSocket`](crate::SharedSocket); `None` otherwise.
    pub fn shared_socket(&self) -> Option<&'p Socket<Shared>> {
        // SAFETY: as in `socket`.
        unsafe { self.handle.shared() }
    }

    /// The value the item was registered with.
    pub fn data(&self) -> &T {
        self.data
    }

    /// The value the item was registered with, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.data
    }

    /// The value, for as long as the poller stays borrowed.
    pub fn into_data(self) -> &'p mut T {
        self.data
    }

    /// The event without the borrow of the value.
    pub fn ready(&self) -> ReadyEvent {
        ReadyEvent {
            key: self.key,
            events: self.events,
            fd: self.fd,
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for PollerEvent<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollerEvent")
            .field("key", &self.key)
            .field("events", &self.events)
            .field("fd", &self.fd)
            .field("data", &self.data)
            .finish()
    }
}

/// One event stored by [`Poller::wait_all`]: which item and which events. Look the item's value
/// up with [`Poller::get`] or `poller[event.key()]`, its socket with [`Poller::socket`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ReadyEvent {
    key: PollerKey,
    events: PollEvents,
    fd: Option<RawDescriptor>,
}

impl ReadyEvent {
    /// The key of the item.
    pub fn key(&self) -> PollerKey {
        self.key
    }

    /// The events that occurred (within those registered).
    pub fn events(&self) -> PollEvents {
        self.events
    }

    /// Whether [`POLLIN`](PollEvents::POLLIN) occurred.
    pub fn is_readable(&self) -> bool {
        self.events.contains(PollEvents::POLLIN)
    }

    /// Whether [`POLLOUT`](PollEvents::POLLOUT) occurred.
    pub fn is_writable(&self) -> bool {
        self.events.contains(PollEvents::POLLOUT)
    }

    /// The file descriptor, for an item added with [`Poller::add_fd`]; `None` for a socket.
    pub fn fd(&self) -> Option<RawDescriptor> {
        self.fd
    }
}

const EMPTY_EVENT: sys::zmq_poller_event_t = sys::zmq_poller_event_t {
    socket: std::ptr::null_mut(),
    fd: NO_FD,
    user_data: std::ptr::null_mut(),
    events: 0,
};

impl<'a, T> Poller<'a, T, Exclusive> {
    /// Creates an empty poller (`zmq_poller_new`) that accepts every socket; see
    /// [`Poller::new_shared`] for one that can move between threads.
    pub fn new() -> Result<Self> {
        Self::create()
    }
}

impl<'a, T> Poller<'a, T, Shared> {
    /// Creates an empty [`SharedPoller`] (`zmq_poller_new`): it accepts only thread-safe
    /// sockets and file descriptors, and is `Send` when `T` is.
    ///
    /// ```
    /// use zmq4::poll::{PollEvents, SharedPoller};
    /// use zmq4::{Context, SendFlags, SocketType};
    ///
    /// let ctx = Context::new();
    /// let server = ctx.shared_socket(SocketType::Server)?;
    /// server.bind("tcp://127.0.0.1:*")?; // thread-safe types refuse inproc
    /// let client = ctx.shared_socket(SocketType::Client)?;
    /// client.connect(&server.last_endpoint()?)?;
    ///
    /// let mut poller = SharedPoller::new_shared()?;
    /// poller.add(&server, PollEvents::POLLIN, 7_u32)?;
    /// std::thread::scope(|s| {
    ///     // The poller waits in another thread while this one sends.
    ///     let waiter = s.spawn(move || poller.wait(5000).map(|e| e.map(|e| *e.data())));
    ///     client.send("hi", SendFlags::empty())?;
    ///     assert_eq!(waiter.join().unwrap()?, Some(7));
    ///     Ok::<(), zmq4::Error>(())
    /// })?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn new_shared() -> Result<Self> {
        Self::create()
    }
}

impl<'a, T, M: ThreadMode> Poller<'a, T, M> {
    fn create() -> Result<Self> {
        // SAFETY: zmq_poller_new has no preconditions; it returns null on failure.
        let raw = unsafe { sys::zmq_poller_new() };
        if raw.is_null() {
            return Err(Error::last());
        }
        Ok(Poller {
            raw,
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
            active: 0,
            scratch: Vec::new(),
            _borrows: PhantomData,
        })
    }

    /// Registers a socket for `events` with the value `data` (`zmq_poller_add`). Empty
    /// `events` are allowed: the item stays silent until [`modify`](Poller::modify)d.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the socket is already registered in this poller or
    /// `events` has bits other than the four [`PollEvents`]; `data` is then dropped.
    pub fn add<N: ThreadMode>(
        &mut self,
        socket: &'a Socket<N>,
        events: PollEvents,
        data: T,
    ) -> Result<PollerKey>
    where
        M: Accepts<N>,
    {
        let raw = self.raw;
        let target = socket.as_raw();
        self.insert(
            Target::Socket(target),
            Handle::of(socket),
            events,
            data,
            |user_data| {
                // SAFETY: a live poller; the socket is borrowed for 'a, which outlives the
                // poller (and so every use libzmq makes of the registration, including
                // zmq_poller_destroy); `Accepts` makes it thread-safe if this poller can be
                // sent to another thread. user_data is an integer libzmq only stores.
                unsafe { sys::zmq_poller_add(raw, target, user_data, events.bits()) }
            },
        )
    }

    /// Registers a raw libzmq socket (`zmq_poller_add`), for sockets not owned by a
    /// [`Socket`] or whose lifetime is managed by other means.
    ///
    /// # Safety
    /// `socket` must be a libzmq socket that stays open until it is removed from this poller
    /// or the poller is dropped. Unless the socket is thread-safe, no other thread may use it
    /// while it is registered; and since a [`SharedPoller`] may move to another thread, a
    /// socket added to one must be thread-safe.
    pub unsafe fn add_raw(
        &mut self,
        socket: *mut c_void,
        events: PollEvents,
        data: T,
    ) -> Result<PollerKey> {
        let raw = self.raw;
        self.insert(
            Target::Socket(socket),
            Handle::None,
            events,
            data,
            |user_data| {
                // SAFETY: a live poller; the caller guarantees the socket; user_data is an
                // integer libzmq stores and returns without dereferencing.
                unsafe { sys::zmq_poller_add(raw, socket, user_data, events.bits()) }
            },
        )
    }

    /// Registers a file descriptor for `events` with the value `data` (`zmq_poller_add_fd`).
    ///
    /// The descriptor is not borrowed: close it only after removing it, or a later descriptor
    /// with the same number is polled in its place.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the descriptor is already registered in this poller or
    /// `events` has unknown bits; [`Error::BadFileDescriptor`] for `-1`.
    pub fn add_fd(&mut self, fd: RawDescriptor, events: PollEvents, data: T) -> Result<PollerKey> {
        let raw = self.raw;
        self.insert(Target::Fd(fd), Handle::None, events, data, |user_data| {
            // SAFETY: a live poller; user_data is an integer libzmq only stores and returns.
            unsafe { sys::zmq_poller_add_fd(raw, to_zmq_fd(fd), user_data, events.bits()) }
        })
    }

    fn insert(
        &mut self,
        target: Target,
        handle: Handle,
        events: PollEvents,
        data: T,
        register: impl FnOnce(*mut c_void) -> c_int,
    ) -> Result<PollerKey> {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                let index = u32::try_from(self.slots.len()).map_err(|_| Error::OutOfMemory)?;
                self.slots.push(Slot {
                    generation: 0,
                    entry: None,
                });
                index
            }
        };
        // The slot index travels as libzmq's user_data: a plain integer, never dereferenced.
        if let Err(e) = check(register(index as usize as *mut c_void)) {
            self.free.push(index);
            return Err(e);
        }
        let slot = &mut self.slots[index as usize];
        slot.entry = Some(Entry {
            target,
            handle,
            events,
            data,
        });
        self.len += 1;
        self.active += usize::from(!events.is_empty());
        Ok(PollerKey {
            index,
            generation: slot.generation,
        })
    }

    fn find(&self, target: Target) -> Option<PollerKey> {
        self.slots
            .iter()
            .enumerate()
            .find_map(|(index, slot)| match &slot.entry {
                Some(entry) if entry.target == target => Some(PollerKey {
                    index: index as u32,
                    generation: slot.generation,
                }),
                _ => None,
            })
    }

    fn entry(&self, key: PollerKey) -> Option<&Entry<T>> {
        let slot = self.slots.get(key.index as usize)?;
        slot.entry
            .as_ref()
            .filter(|_| slot.generation == key.generation)
    }

    fn entry_mut(&mut self, key: PollerKey) -> Option<&mut Entry<T>> {
        let slot = self.slots.get_mut(key.index as usize)?;
        slot.entry
            .as_mut()
            .filter(|_| slot.generation == key.generation)
    }

    /// Changes the events a socket is polled for (`zmq_poller_modify`); empty `events`
    /// silence it without unregistering it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the socket is not registered here or `events` has
    /// unknown bits.
    pub fn modify<N: ThreadMode>(&mut self, socket: &Socket<N>, events: PollEvents) -> Result<()> {
        let key = self
            .find(Target::Socket(socket.as_raw()))
            .ok_or(Error::InvalidArgument)?;
        self.modify_key(key, events)
    }

    /// Changes the events a file descriptor is polled for (`zmq_poller_modify_fd`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the descriptor is not registered here or `events` has
    /// unknown bits.
    pub fn modify_fd(&mut self, fd: RawDescriptor, events: PollEvents) -> Result<()> {
        let key = self.find(Target::Fd(fd)).ok_or(Error::InvalidArgument)?;
        self.modify_key(key, events)
    }

    /// Changes the events of the item with this key, socket or descriptor.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the key names no registered item or `events` has unknown
    /// bits.
    pub fn modify_key(&mut self, key: PollerKey, events: PollEvents) -> Result<()> {
        let raw = self.raw;
        let entry = self.entry_mut(key).ok_or(Error::InvalidArgument)?;
        let rc = match entry.target {
            // SAFETY: a live poller and a socket registered in it, hence still open.
            Target::Socket(socket) => unsafe { sys::zmq_poller_modify(raw, socket, events.bits()) },
            // SAFETY: a live poller.
            Target::Fd(fd) => unsafe {
                sys::zmq_poller_modify_fd(raw, to_zmq_fd(fd), events.bits())
            },
        };
        check(rc)?;
        let was_active = !entry.events.is_empty();
        entry.events = events;
        self.active = self.active - usize::from(was_active) + usize::from(!events.is_empty());
        Ok(())
    }

    /// Unregisters a socket (`zmq_poller_remove`) and returns its value. The socket stays
    /// borrowed until the poller is dropped.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the socket is not registered here.
    pub fn remove<N: ThreadMode>(&mut self, socket: &Socket<N>) -> Result<T> {
        let key = self
            .find(Target::Socket(socket.as_raw()))
            .ok_or(Error::InvalidArgument)?;
        self.remove_key(key)
    }

    /// Unregisters a file descriptor (`zmq_poller_remove_fd`) and returns its value.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the descriptor is not registered here.
    pub fn remove_fd(&mut self, fd: RawDescriptor) -> Result<T> {
        let key = self.find(Target::Fd(fd)).ok_or(Error::InvalidArgument)?;
        self.remove_key(key)
    }

    /// Unregisters the item with this key and returns its value; the key (and any copy of
    /// it in earlier events) stops matching.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the key names no registered item.
    pub fn remove_key(&mut self, key: PollerKey) -> Result<T> {
        let target = self.entry(key).ok_or(Error::InvalidArgument)?.target;
        let rc = match target {
            // SAFETY: a live poller and a socket registered in it, hence still open.
            Target::Socket(socket) => unsafe { sys::zmq_poller_remove(self.raw, socket) },
            // SAFETY: a live poller.
            Target::Fd(fd) => unsafe { sys::zmq_poller_remove_fd(self.raw, to_zmq_fd(fd)) },
        };
        check(rc)?;
        let slot = &mut self.slots[key.index as usize];
        let entry = slot.entry.take().ok_or(Error::InvalidArgument)?;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(key.index);
        self.len -= 1;
        self.active -= usize::from(!entry.events.is_empty());
        Ok(entry.data)
    }

    /// The value of the item with this key, if it is still registered.
    pub fn get(&self, key: PollerKey) -> Option<&T> {
        self.entry(key).map(|e| &e.data)
    }

    /// The value of the item with this key, mutably, if it is still registered.
    pub fn get_mut(&mut self, key: PollerKey) -> Option<&mut T> {
        self.entry_mut(key).map(|e| &mut e.data)
    }

    /// The socket of the item with this key, if it is registered and was added with
    /// [`add`](Poller::add) from a [`Socket`]: what a [`ReadyEvent`] of
    /// [`wait_all`](Poller::wait_all) names. The borrow is the poller's own (`'a`), so the
    /// socket can be used while the poller is borrowed mutably.
    ///
    /// ```
    /// use zmq4::poll::{PollEvents, Poller};
    /// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new();
    /// let a = ctx.socket(SocketType::Pull)?;
    /// a.bind("inproc://doc-poller-socket-a")?;
    /// let b = ctx.socket(SocketType::Pull)?;
    /// b.bind("inproc://doc-poller-socket-b")?;
    /// for endpoint in ["inproc://doc-poller-socket-a", "inproc://doc-poller-socket-b"] {
    ///     let push = ctx.socket(SocketType::Push)?;
    ///     push.connect(endpoint)?;
    ///     push.send(endpoint, SendFlags::empty())?;
    /// }
    ///
    /// let mut poller = Poller::new()?;
    /// poller.add(&a, PollEvents::POLLIN, ())?;
    /// poller.add(&b, PollEvents::POLLIN, ())?;
    /// let mut ready = Vec::new();
    /// let mut got = Vec::new();
    /// while got.len() < 2 && poller.wait_all(&mut ready, 1000)? > 0 {
    ///     for event in &ready {
    ///         let socket = poller.socket(event.key()).expect("added from a Socket");
    ///         got.push(socket.recv_string(RecvFlags::empty())?);
    ///     }
    /// }
    /// got.sort();
    /// assert_eq!(got, ["inproc://doc-poller-socket-a", "inproc://doc-poller-socket-b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn socket(&self, key: PollerKey) -> Option<&'a Socket> {
        // SAFETY: a registered entry's socket is borrowed for 'a.
        self.entry(key)
            .and_then(|e| unsafe { e.handle.exclusive() })
    }

    /// The thread-safe socket of the item with this key, if it is registered and was added
    /// from a [`SharedSocket`](crate::SharedSocket).
    pub fn shared_socket(&self, key: PollerKey) -> Option<&'a Socket<Shared>> {
        // SAFETY: a registered entry's socket is borrowed for 'a.
        self.entry(key).and_then(|e| unsafe { e.handle.shared() })
    }

    /// The events the item with this key is registered for, if it is still registered.
    pub fn registered_events(&self, key: PollerKey) -> Option<PollEvents> {
        self.entry(key).map(|e| e.events)
    }

    /// The key of a registered socket.
    pub fn key_of<N: ThreadMode>(&self, socket: &Socket<N>) -> Option<PollerKey> {
        self.find(Target::Socket(socket.as_raw()))
    }

    /// The key of a registered file descriptor.
    pub fn key_of_fd(&self, fd: RawDescriptor) -> Option<PollerKey> {
        self.find(Target::Fd(fd))
    }

    /// Every registered item's key and value, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (PollerKey, &T)> + '_ {
        self.slots.iter().enumerate().filter_map(|(index, slot)| {
            let entry = slot.entry.as_ref()?;
            Some((
                PollerKey {
                    index: index as u32,
                    generation: slot.generation,
                },
                &entry.data,
            ))
        })
    }

    /// How many sockets and descriptors are registered (`zmq_poller_size`).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Waits up to `timeout_ms` milliseconds (negative: forever) for an event on any item
    /// (`zmq_poller_wait`) and returns one, or `Ok(None)` when the time runs out (libzmq's
    /// `EAGAIN`, reported here as a timeout rather than an error).
    ///
    /// Level-triggered: an item stays ready until its condition is consumed (the message
    /// received, …), so with several ready items [`wait_all`](Poller::wait_all) is fairer.
    ///
    /// # Errors
    /// - [`Error::Interrupted`]: a signal arrived first; the call may be retried.
    /// - [`Error::ContextTerminated`]: the context of a registered socket was shut down or
    ///   terminated (also while this call is blocked).
    /// - [`Error::Fault`]: waiting forever with nothing registered, or every item silenced
    ///   (empty events) — libzmq's answer to a wait that could never end.
    /// - [`Error::InvalidArgument`]: more items than `poll(2)` accepts (as for
    ///   [`poll()`](super::poll())).
    pub fn wait(&mut self, timeout_ms: i64) -> Result<Option<PollerEvent<'_, T>>> {
        if !self.prepare_wait(timeout_ms)? {
            return Ok(None);
        }
        let mut event = EMPTY_EVENT;
        // SAFETY: a live poller and one writable event. Registered sockets are open (borrowed
        // for 'a or guaranteed by add_raw's contract).
        let rc = unsafe { sys::zmq_poller_wait(self.raw, &mut event, c_timeout(timeout_ms)) };
        if let Err(e) = check(rc) {
            return if e.is_again() { Ok(None) } else { Err(e) };
        }
        let Some((key, fd)) = self.resolve(&event) else {
            // Not an item of ours: impossible unless libzmq returned foreign user data.
            return Ok(None);
        };
        let events = PollEvents::from_bits_retain(event.events);
        let entry = self.slots[key.index as usize]
            .entry
            .as_mut()
            .ok_or(Error::Fault)?;
        Ok(Some(PollerEvent {
            key,
            events,
            fd,
            handle: entry.handle,
            data: &mut entry.data,
        }))
    }

    /// Waits like [`wait`](Poller::wait) and stores every ready item in `events` (cleared
    /// first; its allocation is reused), returning how many; `Ok(0)` when the time runs out.
    ///
    /// Up to [`len`](Poller::len) events are collected per call, as libzmq advises against
    /// livelock, from an internal buffer that grows with the poller and is then reused.
    ///
    /// # Errors
    /// As for [`wait`](Poller::wait).
    pub fn wait_all(&mut self, events: &mut Vec<ReadyEvent>, timeout_ms: i64) -> Result<usize> {
        events.clear();
        if !self.prepare_wait(timeout_ms)? {
            return Ok(0);
        }
        let capacity = self.len.clamp(1, c_int::MAX as usize);
        self.scratch.clear();
        self.scratch.resize(capacity, EMPTY_EVENT);
        // SAFETY: a live poller; `scratch` has `capacity` writable events, and libzmq writes
        // at most that many. Registered sockets are open (see `wait`).
        let rc = unsafe {
            sys::zmq_poller_wait_all(
                self.raw,
                self.scratch.as_mut_ptr(),
                capacity as c_int,
                c_timeout(timeout_ms),
            )
        };
        let n = match check(rc) {
            Ok(n) => n as usize,
            Err(e) if e.is_again() => return Ok(0),
            Err(e) => return Err(e),
        };
        events.reserve(n);
        for raw in &self.scratch[..n.min(capacity)] {
            if let Some((key, fd)) = self.resolve(raw) {
                events.push(ReadyEvent {
                    key,
                    events: PollEvents::from_bits_retain(raw.events),
                    fd,
                });
            }
        }
        Ok(events.len())
    }

    /// Checks before a wait; `Ok(false)` means "report a timeout without calling libzmq".
    fn prepare_wait(&self, timeout_ms: i64) -> Result<bool> {
        check_nfds(self.len)?;
        if self.active == 0 && timeout_ms > 0 {
            // libzmq would usleep(timeout * 1000), whose 32-bit argument wraps after 71
            // minutes; sleep for the real time instead.
            super::sleep_ms(timeout_ms, None)?;
            return Ok(false);
        }
        Ok(true)
    }

    /// The key and descriptor of the item an event names, checking its user data (a slot
    /// index) against the socket or descriptor libzmq reports.
    fn resolve(
        &self,
        event: &sys::zmq_poller_event_t,
    ) -> Option<(PollerKey, Option<RawDescriptor>)> {
        let index = event.user_data as usize;
        let slot = self.slots.get(index)?;
        let entry = slot.entry.as_ref()?;
        let fd = match entry.target {
            Target::Socket(socket) if socket == event.socket => None,
            Target::Fd(fd) if event.socket.is_null() && to_zmq_fd(fd) == event.fd => Some(fd),
            _ => return None,
        };
        Some((
            PollerKey {
                index: index as u32,
                generation: slot.generation,
            },
            fd,
        ))
    }

    /// The poller's own file descriptor (`zmq_poller_fd`), for an external event loop.
    ///
    /// libzmq makes it readable when a registered **thread-safe** socket may have become
    /// ready (thread-safe sockets have no `ZMQ_FD` of their own); classic sockets and
    /// descriptors do not signal it. A [`wait`](Poller::wait)/[`wait_all`](Poller::wait_all)
    /// consumes the signal, so after the descriptor polls readable, call `wait_all` with
    /// timeout 0 and handle every event. The descriptor belongs to the poller: do not close
    /// it, and do not use it after the poller is dropped.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] until a thread-safe socket has been added (libzmq creates
    /// the descriptor then).
    pub fn fd(&self) -> Result<RawDescriptor> {
        let mut fd: sys::zmq_fd_t = NO_FD;
        // SAFETY: a live poller; libzmq writes one zmq_fd_t.
        check(unsafe { sys::zmq_poller_fd(self.raw, &mut fd) })?;
        Ok(from_zmq_fd(fd))
    }

    /// The raw `void *` poller for use with [`crate::sys`]; valid while `self` lives. Adding
    /// or removing items through it bypasses the user-data table: don't.
    pub fn as_raw(&self) -> *mut c_void {
        self.raw
    }
}

impl<T, M: ThreadMode> Index<PollerKey> for Poller<'_, T, M> {
    type Output = T;

    /// The value of a registered item.
    ///
    /// # Panics
    /// If the key names no registered item (it was removed); [`Poller::get`] does not panic.
    fn index(&self, key: PollerKey) -> &T {
        self.get(key)
            .expect("PollerKey of an item no longer registered")
    }
}

impl<T, M: ThreadMode> IndexMut<PollerKey> for Poller<'_, T, M> {
    /// The value of a registered item, mutably.
    ///
    /// # Panics
    /// If the key names no registered item (it was removed).
    fn index_mut(&mut self, key: PollerKey) -> &mut T {
        self.get_mut(key)
            .expect("PollerKey of an item no longer registered")
    }
}

impl<T, M: ThreadMode> Drop for Poller<'_, T, M> {
    fn drop(&mut self) {
        // SAFETY: `raw` is the live poller owned by this value, destroyed exactly once here;
        // libzmq reads the registered sockets while unregistering them, and they are still
        // open (borrowed for 'a, which outlives this drop, or add_raw's contract). It fails
        // only with EFAULT for an invalid poller, impossible here. The `T` values are dropped
        // afterwards with the table.
        unsafe { sys::zmq_poller_destroy(&mut self.raw) };
    }
}

impl<T, M: ThreadMode> fmt::Debug for Poller<'_, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poller")
            .field("raw", &self.raw)
            .field("len", &self.len)
            .finish()
    }
}
