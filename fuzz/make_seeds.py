"""Writes the committed seed corpora of fuzz/corpus/<target>/ (run from fuzz/; idempotent).

The seeds are small, valid-looking inputs that start the fuzzer past the first checks:
Z85 text and keys, option operations for each socket type, messages of several shapes, and
ZMTP 3.0 byte streams (greeting, READY/HELLO commands, message frames) for the NULL, PLAIN
and CURVE servers of the zmtp_handshake target.
"""
import os
import struct


def write(target, name, data):
    d = os.path.join("corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# z85
write("z85", "rfc32", b"HelloWorld")
write("z85", "key", b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7")
write("z85", "max", b"%nSc0")
write("z85", "bytes32", bytes(range(32)))
write("z85", "odd", b"abc")

# socket_options: [socket type] then (selector, length, value)*
for ty in range(21):
    ops = b""
    for sel, val in [(0, struct.pack("<i", 0)), (1, b"id"), (2, b"topic"), (4, b"domain"),
                     (7, b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"), (13, struct.pack("<i", 10)),
                     (18, b"X-Key:value")]:
        ops += bytes([sel, len(val)]) + val
    write("socket_options", "type%02d" % ty, bytes([ty]) + ops)

# message
write("message", "empty", b"")
write("message", "one", b"x")
write("message", "multipart", b"first\xffsecond\xff\xffafter an empty frame")
write("message", "names", b"Socket-Type")
write("message", "big", bytes(range(256)) * 64)


def greeting(mech, as_server=0):
    return (b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00"
            + mech.encode().ljust(20, b"\x00") + bytes([as_server]) + b"\x00" * 31)


def command(name, body):
    payload = bytes([len(name)]) + name + body
    if len(payload) < 256:
        return bytes([0x04, len(payload)]) + payload
    return bytes([0x06]) + struct.pack(">Q", len(payload)) + payload


def prop(name, value):
    return bytes([len(name)]) + name + struct.pack(">I", len(value)) + value


def frame(data, more=False):
    return bytes([0x01 if more else 0x00, len(data)]) + data


ready = command(b"READY", prop(b"Socket-Type", b"DEALER") + prop(b"Identity", b""))
# zmtp_handshake: [server: 0 NULL, 1 PLAIN, 2 CURVE] then the bytes
write("zmtp_handshake", "null_ready_message",
      b"\x00" + greeting("NULL") + ready + frame(b"hello"))
write("zmtp_handshake", "null_ready_multipart",
      b"\x00" + greeting("NULL") + ready + frame(b"a", True) + frame(b"") + frame(b"b"))
write("zmtp_handshake", "null_greeting_only", b"\x00" + greeting("NULL"))
write("zmtp_handshake", "null_truncated", b"\x00" + greeting("NULL")[:11])
write("zmtp_handshake", "zmtp1", b"\x00\x01\x00\x06hello")
write("zmtp_handshake", "plain_hello",
      b"\x01" + greeting("PLAIN") + command(b"HELLO", b"\x05admin\x06secret"))
write("zmtp_handshake", "plain_hello_initiate",
      b"\x01" + greeting("PLAIN") + command(b"HELLO", b"\x05admin\x06secret")
      + command(b"INITIATE", prop(b"Socket-Type", b"DEALER")) + frame(b"x"))
write("zmtp_handshake", "plain_wrong_password",
      b"\x01" + greeting("PLAIN") + command(b"HELLO", b"\x05admin\x05wrong"))
# CURVE HELLO: version 1.0, 72 bytes of padding, client transient key, nonce, box (80).
hello = b"\x01\x00" + b"\x00" * 72 + bytes(range(32)) + struct.pack(">Q", 1) + bytes(80)
write("zmtp_handshake", "curve_hello", b"\x02" + greeting("CURVE") + command(b"HELLO", hello))
write("zmtp_handshake", "curve_wrong_mechanism", b"\x02" + greeting("NULL") + ready)
write("zmtp_handshake", "error_command",
      b"\x00" + greeting("NULL") + command(b"ERROR", b"\x03400"))
