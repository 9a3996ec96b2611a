"""The pyzmq end of one cell of tests/interop_pyzmq.rs.

Usage: python peer.py '<json config>'

It makes one socket, secures it as the config says (a ThreadAuthenticator when it is the
security server with ZAP), binds or connects, prints READY, plays its role, checks every frame
it receives against the shared payload rule and prints RESULT with what it saw. Every wait is
bounded by the config's timeout; any failure prints a traceback on stderr and exits 1.

Lines on stdout (flushed):
  READY <endpoint>     bound (the resolved endpoint) or connecting (the endpoint)
  SYNCED               SUB: the first probe arrived (the test then publishes the data)
  RESULT k=hex ...     what was received: metadata of the first message, auth events
Lines on stdin:
  GO                   PUB: probes reached the subscriber; publish the data
"""

import binascii
import json
import select
import sys
import time

import zmq
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils.monitor import recv_monitor_message

cfg = json.loads(sys.argv[1])
TIMEOUT_MS = cfg["timeout_ms"]
DEADLINE = time.monotonic() + TIMEOUT_MS / 1000.0


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def left_ms():
    left = int((DEADLINE - time.monotonic()) * 1000)
    if left <= 0:
        raise TimeoutError("cell deadline passed")
    return left


def payload():
    """Frame k of size n holds bytes (j + 7k) mod 251, as the Rust side makes them."""
    frames = []
    for k, n in enumerate(cfg["sizes"]):
        block = bytes((j + 7 * k) % 251 for j in range(251))
        frames.append((block * (n // 251 + 1))[:n])
    return frames


EXPECTED = payload()


def check_payload(frames, what):
    got = [bytes(f.buffer) if isinstance(f, zmq.Frame) else f for f in frames]
    sizes = [len(f) for f in got]
    assert sizes == cfg["sizes"], "%s: frame sizes %r, want %r" % (what, sizes, cfg["sizes"])
    for k, (g, e) in enumerate(zip(got, EXPECTED)):
        assert g == e, "%s: frame %d differs" % (what, k)


result = {}


def note_metadata(frame):
    """Records the ZMTP/ZAP properties of a received frame (once)."""
    if "Socket-Type" in result:
        return
    for prop in ("Socket-Type", "User-Id", "Peer-Address", "X-Zmq4"):
        try:
            value = frame.get(prop)
        except zmq.ZMQError:
            value = None
        if value is not None:
            result[prop] = value


def recv(sock):
    frames = sock.recv_multipart(copy=False)
    note_metadata(frames[0])
    return frames


ctx = zmq.Context()
sock = ctx.socket(getattr(zmq, cfg["type"]))
sock.linger = 0
sock.rcvtimeo = TIMEOUT_MS
sock.sndtimeo = TIMEOUT_MS
if cfg.get("routing_id"):
    sock.routing_id = binascii.unhexlify(cfg["routing_id"])

sec = cfg["security"]
auth = None
if sec["server"]:
    sock.zap_domain = sec["domain"].encode()
    if sec["mech"] == "PLAIN":
        sock.plain_server = True
    elif sec["mech"] == "CURVE":
        sock.curve_server = True
        sock.curve_secretkey = sec["server_secret"].encode()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    if sec.get("deny"):
        if sec["mech"] == "NULL":
            auth.deny("127.0.0.1")
        else:
            auth.allow("127.0.0.1")
    else:
        auth.allow("127.0.0.1")
    if sec["mech"] == "PLAIN":
        auth.configure_plain(domain=sec["domain"], passwords={sec["username"]: sec["password"]})
    elif sec["mech"] == "CURVE":

        class Keys:
            def callback(self, domain, key):
                return domain == sec["domain"] and key.decode() == sec["client_public"]

        auth.configure_curve_callback(domain=sec["domain"], credentials_provider=Keys())
else:
    if sec["mech"] == "PLAIN":
        sock.plain_username = sec["username"].encode()
        sock.plain_password = sec["password"].encode()
    elif sec["mech"] == "CURVE":
        sock.curve_serverkey = sec["server_public"].encode()
        sock.curve_publickey = sec["client_public"].encode()
        sock.curve_secretkey = sec["client_secret"].encode()

monitor = None
if cfg.get("expect_drop"):
    # A REQ that is the security server loses its connection when the reply arrives
    # (libzmq 4.3.5, see req_server_drops_replies in the Rust test).
    monitor = sock.get_monitor_socket(zmq.EVENT_DISCONNECTED)
if cfg["role"] == "denied":
    monitor = sock.get_monitor_socket()

if cfg["bind"]:
    sock.bind("tcp://127.0.0.1:*")
    out("READY " + sock.last_endpoint.decode())
else:
    sock.connect(cfg["endpoint"])
    out("READY " + cfg["endpoint"])


def stdin_line(timeout_ms):
    ready, _, _ = select.select([sys.stdin], [], [], timeout_ms / 1000.0)
    return sys.stdin.readline().strip() if ready else None


role = cfg["role"]
data = EXPECTED
if role == "REQ" and cfg.get("expect_drop"):
    sock.send_multipart(data)
    if not monitor.poll(left_ms()):
        raise TimeoutError("REQ: no DISCONNECTED")
    assert recv_monitor_message(monitor)["event"] == zmq.EVENT_DISCONNECTED
    try:
        sock.recv(zmq.DONTWAIT)
        raise AssertionError("REQ: a reply arrived after all (fixed upstream?)")
    except zmq.Again:
        result["reply_dropped"] = "1"
elif role == "REQ":
    sock.send_multipart(data)
    check_payload(recv(sock), "REQ reply")
elif role == "REP":
    check_payload(recv(sock), "REP request")
    sock.send_multipart(data)
elif role == "DEALER":
    sock.send_multipart(data)
    check_payload(recv(sock), "DEALER reply")
elif role == "ROUTER":
    frames = recv(sock)
    rid = bytes(frames[0].buffer)
    result["peer_routing_id"] = rid.hex()
    check_payload(frames[1:], "ROUTER request")
    sock.send_multipart([rid] + data)
elif role == "PUB":
    # Probe until the test says the subscriber sees them, then publish the data once.
    while stdin_line(20) != "GO":
        left_ms()
        sock.send(b"P")
    sock.send_multipart([b"D"] + data)
elif role == "SUB":
    sock.subscribe(b"P")
    sock.subscribe(b"D")
    synced = False
    while True:
        frames = sock.recv_multipart(copy=False)
        topic = bytes(frames[0].buffer)
        if topic == b"P":
            if not synced:
                synced = True
                out("SYNCED")
            continue
        assert topic == b"D", "SUB: unexpected topic %r" % topic
        note_metadata(frames[0])
        check_payload(frames[1:], "SUB data")
        break
elif role == "XPUB":
    frames = recv(sock)
    assert [bytes(f.buffer) for f in frames] == [b"\x01D"], "XPUB: subscription %r" % frames
    sock.send_multipart([b"D"] + data)
    frames = sock.recv_multipart()
    assert frames == [b"\x00D"], "XPUB: unsubscription %r" % frames
elif role == "XSUB":
    sock.send(b"\x01D")
    frames = recv(sock)
    assert bytes(frames[0].buffer) == b"D"
    check_payload(frames[1:], "XSUB data")
    sock.send(b"\x00D")
elif role == "PUSH":
    sock.send_multipart(data)
elif role == "PULL":
    check_payload(recv(sock), "PULL")
elif role == "PAIR_A":
    sock.send_multipart(data)
    check_payload(recv(sock), "PAIR echo")
elif role == "PAIR_B":
    check_payload(recv(sock), "PAIR")
    sock.send_multipart(data)
elif role == "denied":
    # A refused peer: wait for the authentication failure on this side, then make sure
    # nothing was delivered.
    if not sec["server"]:
        # Queued on the pipe the connect made, unless the refusal already tore it down (the
        # handshake can fail before this line): a blocking send would then wait forever.
        try:
            sock.send(b"must not arrive", zmq.DONTWAIT)
        except zmq.Again:
            pass
    while True:
        if not monitor.poll(min(left_ms(), 2000)):
            if sec["server"] or cfg["bind"]:
                continue  # the next poll raises once the cell's deadline has passed
            # A refused handshake is not retried by libzmq, and its events can all fall
            # before this monitor's pipe is attached: libzmq drops monitor events it cannot
            # send, and the monitor socket takes up its commands at most once a millisecond.
            # So a connect that was seen to produce no event at all is made again.
            sys.stderr.write("no monitor event yet: connecting again\n")
            sock.disconnect(cfg["endpoint"])
            sock.connect(cfg["endpoint"])
            continue
        ev = recv_monitor_message(monitor)
        sys.stderr.write("monitor: %r\n" % ev)
        if ev["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
            raise AssertionError("handshake succeeded for a peer that must be refused")
        if ev["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
            result["auth_failed"] = str(ev["value"])
            break
    if sec["server"]:
        try:
            sock.recv(zmq.DONTWAIT)
            raise AssertionError("a refused peer's message was delivered")
        except zmq.Again:
            pass
else:
    raise ValueError("unknown role " + role)

out("RESULT " + " ".join("%s=%s" % (k, v.encode().hex()) for k, v in sorted(result.items())))

# Whatever this side sent must reach the peer before the context goes: close with a bounded
# linger (the test reads the peer's side before it lets this process go).
if monitor is not None:
    sock.disable_monitor()
    monitor.close(linger=0)
# A refused client's message can never be delivered: no linger for it.
sock.close(linger=0 if role == "denied" else left_ms())
if auth is not None:
    auth.stop()
ctx.term()
