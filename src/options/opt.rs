//! The socket option table: one zero-sized marker type per `ZMQ_*` socket option, for
//! [`Socket::get`] / [`Socket::set`]; the same table generates the method pair of each option
//! on [`Socket`] (`linger()` / `set_linger()`), the preferred spelling.
//!
//! Names follow the C names: the marker is the C name without `ZMQ_` in CamelCase
//! (`ZMQ_ROUTER_MANDATORY` → `RouterMandatory`), the getter the same in lower case
//! (`router_mandatory()`), the setter `set_` + that (`set_router_mandatory()`).
//! The one exception: `ZMQ_TYPE`'s getter is `socket_type()`, as `type` is a Rust keyword.
//!
//! Access follows libzmq 4.3.5's own code (`options.cpp`, `socket_base.cpp` and the socket
//! types' overrides), which is stricter than some man pages: the ROUTER, XPUB, REQ and STREAM
//! behaviour flags, `ZMQ_CONNECT_ROUTING_ID`, the VMCI sizes and the messages
//! (`ZMQ_HELLO_MSG`, …) can only be written. `ZMQ_BUSY_POLL` is write-only here because
//! libzmq 4.3.5's getter for it always fails (`EINVAL`, a missing `return 0`).
//!
//! See [`SOCKET_OPTIONS`] for the table as data and as a porting table, and
//! [`EXCLUDED_SOCKET_OPTIONS`](super::EXCLUDED_SOCKET_OPTIONS) for the names left out.
//!
//! ```
//! use zmq4::{opt, Context, SocketType};
//!
//! let sub = Context::new().socket(SocketType::Sub)?;
//! sub.set(opt::Subscribe, b"")?;            // sub.set_subscribe(b"")
//! sub.set(opt::Rcvtimeo, 50)?;              // sub.set_rcvtimeo(50)
//! assert_eq!(sub.get(opt::Rcvtimeo)?, 50);  // sub.rcvtimeo()
//! assert!(!sub.get(opt::Rcvmore)?);         // sub.rcvmore()
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::socket::{Socket, ThreadMode};

option_table! {
    owner: Socket,
    methods: [
        /// The typed socket options, generated from the table in [`opt`](crate::options::opt):
        /// one getter and/or setter per `ZMQ_*` option.
        impl<M: ThreadMode> Socket<M>
    ],
    delegates: [
        /// The typed socket options on an async socket, generated from the same table: each
        /// runs the [`Socket`] method of the same name under the socket's lock
        /// ([`with_socket`](crate::tokio::AsyncSocket::with_socket)).
        // Gated as the module is in lib.rs (absent while rustdoc collects doctests without
        // `__tokio-doctests`).
        #[cfg(all(feature = "tokio", unix, any(not(doctest), feature = "__tokio-doctests")))]
        impl<M: ThreadMode> crate::tokio::AsyncSocket<M>
    ],
    option: SocketOption, readable: ReadableOption, writable: WritableOption,
    get: SocketGet, set: SocketSet,
    module: "opt", c_get: "zmq_getsockopt", c_set: "zmq_setsockopt",
    man: "[zmq_setsockopt(3)](http://api.zeromq.org/4-3:zmq-setsockopt) and \
          [zmq_getsockopt(3)](http://api.zeromq.org/4-3:zmq-getsockopt)",
    table:
        /// Every row of the socket option table, in zmq.h order (draft rows only with the
        /// `draft` feature).
        ///
        /// The porting table (methods on [`Socket`]; markers in
        /// [`opt`](crate::options::opt) are the C name without `ZMQ_` in CamelCase):
        SOCKET_OPTIONS;

    // ---- Stable socket options, in zmq.h order ----------------------------------------
    /// I/O thread affinity of new connections: a bit mask of the context's I/O threads
    /// (bit 0 = first thread); 0 lets libzmq choose.
    [] Affinity = ZMQ_AFFINITY: Uint64, rw(affinity, set_affinity);
    /// The routing id of the socket, as ROUTER peers see it: 1 to 255 bytes, which should
    /// not start with a zero byte (libzmq's generated ids do).
    [] RoutingId = ZMQ_ROUTING_ID: Bytes, rw(routing_id, set_routing_id);
    /// SUB/XSUB: adds a subscription, a message prefix (empty: every message); XPUB with
    /// `ZMQ_XPUB_MANUAL`: subscribes the last peer that sent a subscription.
    [] Subscribe = ZMQ_SUBSCRIBE: Bytes, w(set_subscribe);
    /// SUB/XSUB: removes one subscription added with `ZMQ_SUBSCRIBE`.
    [] Unsubscribe = ZMQ_UNSUBSCRIBE: Bytes, w(set_unsubscribe);
    /// Multicast data rate (pgm, norm) in kilobits per second.
    [] Rate = ZMQ_RATE: Int, rw(rate, set_rate);
    /// Multicast recovery interval (pgm, norm) in milliseconds.
    [] RecoveryIvl = ZMQ_RECOVERY_IVL: Int, rw(recovery_ivl, set_recovery_ivl);
    /// Kernel transmit buffer size (`SO_SNDBUF`) in bytes; -1 keeps the OS default.
    [] Sndbuf = ZMQ_SNDBUF: Int, rw(sndbuf, set_sndbuf);
    /// Kernel receive buffer size (`SO_RCVBUF`) in bytes; -1 keeps the OS default.
    [] Rcvbuf = ZMQ_RCVBUF: Int, rw(rcvbuf, set_rcvbuf);
    /// Whether the frame last received is followed by more frames of the same message.
    [] Rcvmore = ZMQ_RCVMORE: Bool, r(rcvmore);
    /// The file descriptor that becomes readable (edge-triggered) when `ZMQ_EVENTS` may have
    /// changed, for event loops. Thread-safe (draft) sockets have none: `EINVAL`. On Windows
    /// a Winsock `SOCKET` (the read end of libzmq's loopback signaler pair).
    [] Fd = ZMQ_FD: Fd, r(fd);
    /// Whether a message can be received (`POLLIN`) or sent (`POLLOUT`) now without
    /// blocking; also processes pending commands, which resets the `ZMQ_FD` edge.
    [] Events = ZMQ_EVENTS: Events, r(events);
    /// The socket's type. The getter is `socket_type()`, not `type()`: `type` is a Rust
    /// keyword.
    [] Type = ZMQ_TYPE: SockType, r(socket_type);
    /// How long, in milliseconds, unsent messages are kept after the socket is closed:
    /// -1 (the default) until sent, 0 not at all.
    [] Linger = ZMQ_LINGER: Int, rw(linger, set_linger);
    /// Initial reconnection interval in milliseconds; -1 disables reconnection.
    [] ReconnectIvl = ZMQ_RECONNECT_IVL: Int, rw(reconnect_ivl, set_reconnect_ivl);
    /// Maximum length of the queue of pending incoming connections (`listen` backlog).
    [] Backlog = ZMQ_BACKLOG: Int, rw(backlog, set_backlog);
    /// Upper bound in milliseconds of the exponential reconnection backoff; 0 means no
    /// backoff (always `ZMQ_RECONNECT_IVL`).
    [] ReconnectIvlMax = ZMQ_RECONNECT_IVL_MAX: Int, rw(reconnect_ivl_max, set_reconnect_ivl_max);
    /// Largest inbound message accepted, in bytes (-1: no limit); a peer sending a larger
    /// one is disconnected.
    [] Maxmsgsize = ZMQ_MAXMSGSIZE: Int64, rw(maxmsgsize, set_maxmsgsize);
    /// High water mark for outbound messages, per peer (0: no limit). Set it before the
    /// first bind or connect: afterwards it is [`Error::InvalidState`](crate::Error::InvalidState)
    /// (libzmq's update of live pipes reaches freed ones, see [`crate::aborts`]).
    [] Sndhwm = ZMQ_SNDHWM: Int, rw(sndhwm, set_sndhwm);
    /// High water mark for inbound messages, per peer (0: no limit). Set it before the
    /// first bind or connect, as `ZMQ_SNDHWM`.
    [] Rcvhwm = ZMQ_RCVHWM: Int, rw(rcvhwm, set_rcvhwm);
    /// Multicast time-to-live: how many network hops multicast packets may take.
    [] MulticastHops = ZMQ_MULTICAST_HOPS: Int, rw(multicast_hops, set_multicast_hops);
    /// Receive timeout in milliseconds: -1 blocks forever, 0 never blocks; on expiry a
    /// receive fails with [`Error::TimedOut`](crate::Error::TimedOut).
    [] Rcvtimeo = ZMQ_RCVTIMEO: Int, rw(rcvtimeo, set_rcvtimeo);
    /// Send timeout in milliseconds: -1 blocks forever, 0 never blocks; on expiry a send
    /// fails with [`Error::TimedOut`](crate::Error::TimedOut).
    [] Sndtimeo = ZMQ_SNDTIMEO: Int, rw(sndtimeo, set_sndtimeo);
    /// The endpoint last bound or connected, wildcards resolved (the port `tcp://*:*` got);
    /// empty before the first.
    [] LastEndpoint = ZMQ_LAST_ENDPOINT: Str, r(last_endpoint);
    /// ROUTER: fail sends to an unknown routing id with `EHOSTUNREACH` (or block / `EAGAIN`
    /// at the high water mark) instead of dropping the message silently.
    [] RouterMandatory = ZMQ_ROUTER_MANDATORY: Bool, w(set_router_mandatory);
    /// Override of `SO_KEEPALIVE`: -1 keeps the OS default, 0 off, 1 on.
    [] TcpKeepalive = ZMQ_TCP_KEEPALIVE: Int, rw(tcp_keepalive, set_tcp_keepalive);
    /// Override of `TCP_KEEPCNT` (-1: OS default).
    [] TcpKeepaliveCnt = ZMQ_TCP_KEEPALIVE_CNT: Int, rw(tcp_keepalive_cnt, set_tcp_keepalive_cnt);
    /// Override of `TCP_KEEPIDLE`, in seconds (-1: OS default).
    [] TcpKeepaliveIdle = ZMQ_TCP_KEEPALIVE_IDLE: Int, rw(tcp_keepalive_idle, set_tcp_keepalive_idle);
    /// Override of `TCP_KEEPINTVL`, in seconds (-1: OS default).
    [] TcpKeepaliveIntvl = ZMQ_TCP_KEEPALIVE_INTVL: Int, rw(tcp_keepalive_intvl, set_tcp_keepalive_intvl);
    /// Queue outbound messages only to completed connections, so that sends block (or fail)
    /// while no peer is connected.
    [] Immediate = ZMQ_IMMEDIATE: Bool, rw(immediate, set_immediate);
    /// XPUB: pass every subscribe message upstream, duplicates included (not unsubscribes).
    [] XpubVerbose = ZMQ_XPUB_VERBOSE: Bool, w(set_xpub_verbose);
    /// ROUTER: raw mode, exchanging plain TCP data with non-ZMTP peers (prefer the STREAM
    /// socket type).
    [] RouterRaw = ZMQ_ROUTER_RAW: Bool, w(set_router_raw);
    /// Use IPv6 as well as IPv4 on this socket (dual stack).
    [] Ipv6 = ZMQ_IPV6: Bool, rw(ipv6, set_ipv6);
    /// The security mechanism the socket's options selected (NULL, PLAIN, CURVE, GSSAPI).
    [] Mechanism = ZMQ_MECHANISM: Mech, r(mechanism);
    /// Act as PLAIN server (selects the PLAIN mechanism; false: back to NULL).
    [] PlainServer = ZMQ_PLAIN_SERVER: Bool, rw(plain_server, set_plain_server);
    /// PLAIN client user name (selects the PLAIN mechanism); `""` returns to NULL.
    [] PlainUsername = ZMQ_PLAIN_USERNAME: Str, rw(plain_username, set_plain_username);
    /// PLAIN client password (selects the PLAIN mechanism); `""` returns to NULL.
    [] PlainPassword = ZMQ_PLAIN_PASSWORD: Str, rw(plain_password, set_plain_password);
    /// Act as CURVE server (needs the `curve` feature; set `ZMQ_CURVE_SECRETKEY` too).
    [] CurveServer = ZMQ_CURVE_SERVER: Bool, rw(curve_server, set_curve_server);
    /// The socket's long-term CURVE public key (a CURVE client sets it).
    [] CurvePublickey = ZMQ_CURVE_PUBLICKEY: Key, rw(curve_publickey, set_curve_publickey);
    /// The socket's long-term CURVE secret key.
    [] CurveSecretkey = ZMQ_CURVE_SECRETKEY: Key, rw(curve_secretkey, set_curve_secretkey);
    /// A CURVE client: the server's long-term public key.
    [] CurveServerkey = ZMQ_CURVE_SERVERKEY: Key, rw(curve_serverkey, set_curve_serverkey);
    /// ROUTER, DEALER, REQ: send an empty message on each new connection, so that a ROUTER
    /// peer learns this socket's routing id at once.
    [] ProbeRouter = ZMQ_PROBE_ROUTER: Bool, w(set_probe_router);
    /// REQ: prefix requests with a request id and drop replies that do not match.
    [] ReqCorrelate = ZMQ_REQ_CORRELATE: Bool, w(set_req_correlate);
    /// REQ: allow a new request before the reply to the last one came (use with
    /// `ZMQ_REQ_CORRELATE`).
    [] ReqRelaxed = ZMQ_REQ_RELAXED: Bool, w(set_req_relaxed);
    /// Keep only the last message in the queues (single-part messages only).
    [] Conflate = ZMQ_CONFLATE: Bool, rw(conflate, set_conflate);
    /// The RFC 27 (ZAP) authentication domain of this socket.
    [] ZapDomain = ZMQ_ZAP_DOMAIN: Str, rw(zap_domain, set_zap_domain);
    /// ROUTER: a new connection with a routing id already in use takes it over instead of
    /// being refused.
    [] RouterHandover = ZMQ_ROUTER_HANDOVER: Bool, w(set_router_handover);
    /// IP type-of-service (DSCP/ToS byte) of outgoing packets.
    [] Tos = ZMQ_TOS: Int, rw(tos, set_tos);
    /// ROUTER, STREAM, PEER: the routing id to give the peer of the next `connect`.
    [] ConnectRoutingId = ZMQ_CONNECT_ROUTING_ID: Bytes, w(set_connect_routing_id);
    /// Act as GSSAPI server (GSSAPI is not built into this libzmq: `EINVAL`).
    [] GssapiServer = ZMQ_GSSAPI_SERVER: Bool, rw(gssapi_server, set_gssapi_server);
    /// GSSAPI principal name (not built: `EINVAL`).
    [] GssapiPrincipal = ZMQ_GSSAPI_PRINCIPAL: Str, rw(gssapi_principal, set_gssapi_principal);
    /// GSSAPI service principal name (not built: `EINVAL`).
    [] GssapiServicePrincipal = ZMQ_GSSAPI_SERVICE_PRINCIPAL: Str, rw(gssapi_service_principal, set_gssapi_service_principal);
    /// GSSAPI without encryption (not built: `EINVAL`).
    [] GssapiPlaintext = ZMQ_GSSAPI_PLAINTEXT: Bool, rw(gssapi_plaintext, set_gssapi_plaintext);
    /// Maximum time in milliseconds for the ZMTP handshake of a new connection (0: none).
    [] HandshakeIvl = ZMQ_HANDSHAKE_IVL: Int, rw(handshake_ivl, set_handshake_ivl);
    /// SOCKS5 proxy (`host:port`) for tcp connects; `""` for none.
    [] SocksProxy = ZMQ_SOCKS_PROXY: Str, rw(socks_proxy, set_socks_proxy);
    /// XPUB, RADIO: at the high water mark, fail with `EAGAIN` instead of dropping.
    [] XpubNodrop = ZMQ_XPUB_NODROP: Bool, w(set_xpub_nodrop);
    /// XPUB: the application handles subscriptions (`ZMQ_SUBSCRIBE` on the XPUB itself).
    [] XpubManual = ZMQ_XPUB_MANUAL: Bool, w(set_xpub_manual);
    /// XPUB: a message sent to each new subscriber (empty: none).
    [] XpubWelcomeMsg = ZMQ_XPUB_WELCOME_MSG: Bytes, w(set_xpub_welcome_msg);
    /// STREAM: deliver an empty message when a peer connects or disconnects (default on).
    [] StreamNotify = ZMQ_STREAM_NOTIFY: Bool, w(set_stream_notify);
    /// PUB, XPUB, SUB, XSUB: deliver the messages that do NOT match the subscriptions.
    [] InvertMatching = ZMQ_INVERT_MATCHING: Bool, rw(invert_matching, set_invert_matching);
    /// Interval in milliseconds between ZMTP heartbeats (PING) on each connection (0: none).
    [] HeartbeatIvl = ZMQ_HEARTBEAT_IVL: Int, rw(heartbeat_ivl, set_heartbeat_ivl);
    /// Time-to-live in milliseconds the peer should apply to our heartbeats (kept in units
    /// of 100 ms).
    [] HeartbeatTtl = ZMQ_HEARTBEAT_TTL: Int, rw(heartbeat_ttl, set_heartbeat_ttl);
    /// How long in milliseconds to wait for traffic after a PING before closing the
    /// connection (0: `ZMQ_HEARTBEAT_IVL`).
    [] HeartbeatTimeout = ZMQ_HEARTBEAT_TIMEOUT: Int, rw(heartbeat_timeout, set_heartbeat_timeout);
    /// XPUB: pass every subscribe and unsubscribe message upstream, duplicates included.
    [] XpubVerboser = ZMQ_XPUB_VERBOSER: Bool, w(set_xpub_verboser);
    /// Timeout in milliseconds of a tcp `connect` (0: the OS's).
    [] ConnectTimeout = ZMQ_CONNECT_TIMEOUT: Int, rw(connect_timeout, set_connect_timeout);
    /// Maximum TCP retransmission time in milliseconds (`TCP_USER_TIMEOUT`; 0: the OS's).
    [] TcpMaxrt = ZMQ_TCP_MAXRT: Int, rw(tcp_maxrt, set_tcp_maxrt);
    /// Whether the socket is thread-safe (the draft CLIENT, SERVER, RADIO, … types).
    [] ThreadSafe = ZMQ_THREAD_SAFE: Bool, r(thread_safe);
    /// Largest multicast transport data unit, in bytes.
    [] MulticastMaxtpdu = ZMQ_MULTICAST_MAXTPDU: Int, rw(multicast_maxtpdu, set_multicast_maxtpdu);
    /// VMCI buffer size (the vmci transport is not built: `EINVAL`).
    [] VmciBufferSize = ZMQ_VMCI_BUFFER_SIZE: Uint64, w(set_vmci_buffer_size);
    /// VMCI minimum buffer size (not built: `EINVAL`).
    [] VmciBufferMinSize = ZMQ_VMCI_BUFFER_MIN_SIZE: Uint64, w(set_vmci_buffer_min_size);
    /// VMCI maximum buffer size (not built: `EINVAL`).
    [] VmciBufferMaxSize = ZMQ_VMCI_BUFFER_MAX_SIZE: Uint64, w(set_vmci_buffer_max_size);
    /// VMCI connect timeout in milliseconds (not built: `EINVAL`).
    [] VmciConnectTimeout = ZMQ_VMCI_CONNECT_TIMEOUT: Int, w(set_vmci_connect_timeout);
    /// A listening stream socket, already bound (a `TcpListener` or `UnixListener` as an
    /// `OwnedFd`), for the next `tcp://`, `ws://` or `ipc://` bind to use instead of making
    /// one; `None` clears it. The socket takes the descriptor's ownership: it closes it if no
    /// bind used it, and libzmq closes it with the listener once a bind did. A descriptor
    /// that is not a listening `SOCK_STREAM` socket of family `AF_INET`, `AF_INET6` or
    /// `AF_UNIX` is [`Error::InvalidArgument`](crate::Error::InvalidArgument) (libzmq would
    /// abort in its I/O thread). Read back: the descriptor libzmq holds, -1 for none.
    [] UseFd = ZMQ_USE_FD: UseFd, rw(use_fd, set_use_fd);
    /// Name type of the GSSAPI principal (`ZMQ_GSSAPI_NT_*`; not built: `EINVAL`).
    [] GssapiPrincipalNametype = ZMQ_GSSAPI_PRINCIPAL_NAMETYPE: Int, rw(gssapi_principal_nametype, set_gssapi_principal_nametype);
    /// Name type of the GSSAPI service principal (`ZMQ_GSSAPI_NT_*`; not built: `EINVAL`).
    [] GssapiServicePrincipalNametype = ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: Int, rw(gssapi_service_principal_nametype, set_gssapi_service_principal_nametype);
    /// Bind the socket's connections to a network interface (`SO_BINDTODEVICE`, needs
    /// `CAP_NET_RAW` when used), at most 16 bytes; `""` for none.
    [] Bindtodevice = ZMQ_BINDTODEVICE: Str, rw(bindtodevice, set_bindtodevice);

    // ---- DRAFT socket options, in zmq.h order -----------------------------------------
    /// Treat an empty `ZMQ_ZAP_DOMAIN` strictly per RFC 27: always ask the ZAP handler.
    [feature = "draft"] ZapEnforceDomain = ZMQ_ZAP_ENFORCE_DOMAIN: Bool, rw(zap_enforce_domain, set_zap_enforce_domain);
    /// Windows loopback fast path for tcp (no effect elsewhere).
    [feature = "draft"] LoopbackFastpath = ZMQ_LOOPBACK_FASTPATH: Bool, rw(loopback_fastpath, set_loopback_fastpath);
    /// Adds an application metadata property, `"X-key:value"`, sent to peers in the
    /// handshake; call once per property.
    [feature = "draft"] Metadata = ZMQ_METADATA: Str, w(set_metadata);
    /// RADIO over UDP multicast: loop sent datagrams back to local listeners.
    [feature = "draft"] MulticastLoop = ZMQ_MULTICAST_LOOP: Bool, rw(multicast_loop, set_multicast_loop);
    /// ROUTER: deliver an empty message (after the routing id) when a peer connects and/or
    /// disconnects.
    [feature = "draft"] RouterNotify = ZMQ_ROUTER_NOTIFY: Notify, rw(router_notify, set_router_notify);
    /// XPUB: like `ZMQ_XPUB_MANUAL`, and send only the last value to a new subscriber.
    [feature = "draft"] XpubManualLastValue = ZMQ_XPUB_MANUAL_LAST_VALUE: Bool, w(set_xpub_manual_last_value);
    /// SOCKS5 user name (selects basic authentication); `""` for none.
    [feature = "draft"] SocksUsername = ZMQ_SOCKS_USERNAME: Str, rw(socks_username, set_socks_username);
    /// SOCKS5 password; `""` for none.
    [feature = "draft"] SocksPassword = ZMQ_SOCKS_PASSWORD: Str, rw(socks_password, set_socks_password);
    /// Largest number of bytes read from the network in one system call (> 0).
    [feature = "draft"] InBatchSize = ZMQ_IN_BATCH_SIZE: Int, rw(in_batch_size, set_in_batch_size);
    /// Largest number of bytes written to the network in one system call (> 0).
    [feature = "draft"] OutBatchSize = ZMQ_OUT_BATCH_SIZE: Int, rw(out_batch_size, set_out_batch_size);
    /// wss: the server's private key, PEM (needs the `wss` feature, else `EINVAL`).
    [feature = "draft"] WssKeyPem = ZMQ_WSS_KEY_PEM: Str, w(set_wss_key_pem);
    /// wss: the server's certificate, PEM (needs `wss`).
    [feature = "draft"] WssCertPem = ZMQ_WSS_CERT_PEM: Str, w(set_wss_cert_pem);
    /// wss: a certificate to trust, PEM (needs `wss`).
    [feature = "draft"] WssTrustPem = ZMQ_WSS_TRUST_PEM: Str, w(set_wss_trust_pem);
    /// wss: the host name to verify the server certificate against (needs `wss`).
    [feature = "draft"] WssHostname = ZMQ_WSS_HOSTNAME: Str, w(set_wss_hostname);
    /// wss: trust the system's certificate store (needs `wss`).
    [feature = "draft"] WssTrustSystem = ZMQ_WSS_TRUST_SYSTEM: Bool, w(set_wss_trust_system);
    /// XPUB, XSUB: process only the first (un)subscription of a multipart message.
    [feature = "draft"] OnlyFirstSubscribe = ZMQ_ONLY_FIRST_SUBSCRIBE: Bool, w(set_only_first_subscribe);
    /// When to stop reconnecting: after a refused connection, a failed handshake, and/or
    /// an explicit disconnect.
    [feature = "draft"] ReconnectStop = ZMQ_RECONNECT_STOP: ReconnStop, rw(reconnect_stop, set_reconnect_stop);
    /// A message sent to each new peer on connect (empty: none).
    [feature = "draft"] HelloMsg = ZMQ_HELLO_MSG: Bytes, w(set_hello_msg);
    /// A message the socket receives when a peer disconnects (empty: none).
    [feature = "draft"] DisconnectMsg = ZMQ_DISCONNECT_MSG: Bytes, w(set_disconnect_msg);
    /// Socket priority of outgoing packets (`SO_PRIORITY`).
    [feature = "draft"] Priority = ZMQ_PRIORITY: Int, rw(priority, set_priority);
    /// Busy-poll the network receive queue (`SO_BUSY_POLL`). Write-only: libzmq 4.3.5's
    /// getter for it always fails with `EINVAL`.
    [feature = "draft"] BusyPoll = ZMQ_BUSY_POLL: Bool, w(set_busy_poll);
    /// A message the socket receives when a connection it made is lost and retried
    /// (empty: none).
    [feature = "draft"] HiccupMsg = ZMQ_HICCUP_MSG: Bytes, w(set_hiccup_msg);
    /// XSUB: pass every unsubscribe message upstream, duplicates included.
    [feature = "draft"] XsubVerboseUnsubscribe = ZMQ_XSUB_VERBOSE_UNSUBSCRIBE: Bool, w(set_xsub_verbose_unsubscribe);
    /// XPUB, XSUB: the number of distinct subscriptions (`EINVAL` on other types).
    [feature = "draft"] TopicsCount = ZMQ_TOPICS_COUNT: Int, r(topics_count);
    /// NORM sender mode, `ZMQ_NORM_FIXED` … `ZMQ_NORM_CCE_ECNONLY` (norm is not built: `EINVAL`).
    [feature = "draft"] NormMode = ZMQ_NORM_MODE: Int, rw(norm_mode, set_norm_mode);
    /// NORM unicast NACK mode (not built: `EINVAL`).
    [feature = "draft"] NormUnicastNack = ZMQ_NORM_UNICAST_NACK: Bool, rw(norm_unicast_nack, set_norm_unicast_nack);
    /// NORM buffer size in kilobytes (not built: `EINVAL`).
    [feature = "draft"] NormBufferSize = ZMQ_NORM_BUFFER_SIZE: Int, rw(norm_buffer_size, set_norm_buffer_size);
    /// NORM segment size in bytes (not built: `EINVAL`).
    [feature = "draft"] NormSegmentSize = ZMQ_NORM_SEGMENT_SIZE: Int, rw(norm_segment_size, set_norm_segment_size);
    /// NORM block size (not built: `EINVAL`).
    [feature = "draft"] NormBlockSize = ZMQ_NORM_BLOCK_SIZE: Int, rw(norm_block_size, set_norm_block_size);
    /// NORM parity segments per block (not built: `EINVAL`).
    [feature = "draft"] NormNumParity = ZMQ_NORM_NUM_PARITY: Int, rw(norm_num_parity, set_norm_num_parity);
    /// NORM proactive parity segments (not built: `EINVAL`).
    [feature = "draft"] NormNumAutoparity = ZMQ_NORM_NUM_AUTOPARITY: Int, rw(norm_num_autoparity, set_norm_num_autoparity);
    /// NORM push mode (not built: `EINVAL`).
    [feature = "draft"] NormPush = ZMQ_NORM_PUSH: Bool, rw(norm_push, set_norm_push);
}
