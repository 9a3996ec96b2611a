//! The context option table: one zero-sized marker type per `ZMQ_*` context option, for
//! [`Context::get`] / [`Context::set`]; the same table generates the method pair of each
//! option on [`Context`] (`io_threads()` / `set_io_threads()`), the preferred spelling.
//!
//! Names follow the C names as for socket options: `ZMQ_MAX_SOCKETS` → marker `MaxSockets`,
//! methods `max_sockets()` / `set_max_sockets()`.
//!
//! Access follows libzmq 4.3.5's `ctx.cpp`: `ZMQ_SOCKET_LIMIT` and `ZMQ_MSG_T_SIZE` can only
//! be read; `ZMQ_THREAD_PRIORITY` and `ZMQ_THREAD_AFFINITY_CPU_ADD` / `_REMOVE` only written
//! (`ZMQ_THREAD_PRIORITY` and `ZMQ_SOCKET_LIMIT` even share the number 3: `zmq_ctx_get(3)`
//! is the limit, `zmq_ctx_set(3)` the priority). `ZMQ_IPV6` and `ZMQ_BLOCKY` set the default
//! of new sockets (`ZMQ_BLOCKY` = false gives them `ZMQ_LINGER` 0).
//!
//! `ZMQ_THREAD_NAME_PREFIX` is a string: with the `draft` feature, any text up to 16 bytes
//! (through `zmq_ctx_set_ext` / `zmq_ctx_get_ext`); without it, only the integer form of
//! `zmq_ctx_set` exists, so only a decimal number can be set (other text is
//! [`Error::NotSupported`](crate::Error::NotSupported)) and the prefix reads back as one.
//!
//! Most of these options take effect for I/O threads and sockets created afterwards: set them
//! right after [`Context::new`].
//!
//! ```
//! use zmq4::{ctxopt, Context};
//!
//! let ctx = Context::new();
//! ctx.set_io_threads(2)?;                        // zmq_ctx_set(ctx, ZMQ_IO_THREADS, 2)
//! ctx.set(ctxopt::MaxMsgsz, 1 << 20)?;
//! assert_eq!(ctx.io_threads()?, 2);
//! assert_eq!(ctx.get(ctxopt::MaxMsgsz)?, 1 << 20);
//! assert_eq!(ctx.msg_t_size()?, 64);            // sizeof (zmq_msg_t)
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::context::Context;

option_table! {
    owner: Context,
    methods: [
        /// The typed context options, generated from the table in
        /// [`ctxopt`](crate::options::ctxopt).
        impl Context
    ],
    delegates: [],
    option: ContextOption, readable: ReadableContextOption, writable: WritableContextOption,
    get: ContextGet, set: ContextSet,
    module: "ctxopt", c_get: "zmq_ctx_get", c_set: "zmq_ctx_set",
    man: "[zmq_ctx_set(3)](http://api.zeromq.org/4-3:zmq-ctx-set) and \
          [zmq_ctx_get(3)](http://api.zeromq.org/4-3:zmq-ctx-get)",
    table:
        /// Every row of the context option table (draft rows only with the `draft` feature).
        ///
        /// The porting table (methods on [`Context`]):
        CONTEXT_OPTIONS;

    /// Number of I/O threads (default 1; 0 for inproc-only use). Takes effect when the
    /// first socket is created.
    [] IoThreads = ZMQ_IO_THREADS: Int, rw(io_threads, set_io_threads);
    /// Maximum number of sockets (default 1023, at most `ZMQ_SOCKET_LIMIT`). Takes effect
    /// when the first socket is created.
    [] MaxSockets = ZMQ_MAX_SOCKETS: Int, rw(max_sockets, set_max_sockets);
    /// The largest value `ZMQ_MAX_SOCKETS` accepts.
    [] SocketLimit = ZMQ_SOCKET_LIMIT: Int, r(socket_limit);
    /// Scheduling priority of the I/O threads (OS-specific; ≥ 0, needs privileges for
    /// real-time policies).
    [] ThreadPriority = ZMQ_THREAD_PRIORITY: Int, w(set_thread_priority);
    /// Scheduling policy of the I/O threads (`SCHED_*`; -1, the default, keeps the OS's).
    [] ThreadSchedPolicy = ZMQ_THREAD_SCHED_POLICY: Int, rw(thread_sched_policy, set_thread_sched_policy);
    /// Largest message size accepted, in bytes (default and maximum `i32::MAX`).
    [] MaxMsgsz = ZMQ_MAX_MSGSZ: Int, rw(max_msgsz, set_max_msgsz);
    /// The size of `zmq_msg_t` in this libzmq (64), for code that allocates them itself.
    [] MsgTSize = ZMQ_MSG_T_SIZE: Int, r(msg_t_size);
    /// Adds a CPU to the affinity set of I/O threads created afterwards.
    [] ThreadAffinityCpuAdd = ZMQ_THREAD_AFFINITY_CPU_ADD: Int, w(set_thread_affinity_cpu_add);
    /// Removes a CPU from that affinity set (`EINVAL` if it is not in it).
    [] ThreadAffinityCpuRemove = ZMQ_THREAD_AFFINITY_CPU_REMOVE: Int, w(set_thread_affinity_cpu_remove);
    /// Prefix of the I/O threads' names (`ZMQbg/<prefix>/IO/0`, …), at most 16 bytes.
    [] ThreadNamePrefix = ZMQ_THREAD_NAME_PREFIX: Str, rw(thread_name_prefix, set_thread_name_prefix);
    /// Default `ZMQ_IPV6` of new sockets.
    [] Ipv6 = ZMQ_IPV6: Bool, rw(ipv6, set_ipv6);
    /// Whether new sockets linger forever by default (true, the default) or not at all
    /// (false: new sockets get `ZMQ_LINGER` 0, so `zmq_ctx_term` never blocks on them).
    [] Blocky = ZMQ_BLOCKY: Bool, rw(blocky, set_blocky);
    /// Whether received messages may share the decoder's buffer (zero-copy, the default)
    /// instead of being copied out of it.
    [feature = "draft"] ZeroCopyRecv = ZMQ_ZERO_COPY_RECV: Bool, rw(zero_copy_recv, set_zero_copy_recv);
}
