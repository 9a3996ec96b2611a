"""libzmq's six perf tools (vendor/libzmq/perf/*.cpp) written against pyzmq, for ci/bench.sh.

    python perf.py local_thr <bind-to> <message-size> <message-count>
    python perf.py remote_thr <connect-to> <message-size> <message-count>
    python perf.py local_lat <bind-to> <message-size> <roundtrip-count>
    python perf.py remote_lat <connect-to> <message-size> <roundtrip-count>
    python perf.py inproc_thr <message-size> <message-count>
    python perf.py inproc_lat <message-size> <roundtrip-count>

Same sockets, same timed section and the same output lines as the C tools. pyzmq is used the
way its documentation recommends for speed: bytes are sent with copy=False (pyzmq still
copies below zmq.COPY_THRESHOLD, 64 KiB, where that is faster), and received as bytes below
the threshold and as zero-copy Frames at or above it. pyzmq's wheel brings its own libzmq
4.3.5, so this row measures pyzmq with that build, not the crate's libzmq.a.
"""

import sys
import threading
import time

import zmq


def micros():
    """The monotonic clock in whole microseconds, as zmq_stopwatch."""
    return time.perf_counter_ns() // 1000


def check_size(n, size):
    if n != size:
        print("message of incorrect size received")
        sys.exit(255)


def recv_copy(size):
    return size < zmq.COPY_THRESHOLD


def local_thr(bind_to, size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PULL)
    s.bind(bind_to)
    elapsed = pull(s, size, count)
    throughput = count / elapsed * 1000000
    megabits = throughput * size * 8 / 1000000
    print("message size: %d [B]" % size)
    print("message count: %d" % count)
    print("mean throughput: %d [msg/s]" % int(throughput))
    print("mean throughput: %.3f [Mb/s]" % megabits)
    s.close()
    ctx.term()


def pull(s, size, count):
    """Receives `count` messages, timed from the first to the last; whole microseconds, >= 1."""
    copy = recv_copy(size)
    recv = s.recv
    check_size(len(recv(copy=copy)), size)
    watch = micros()
    for _ in range(count - 1):
        check_size(len(recv(copy=copy)), size)
    return max(micros() - watch, 1)


def push(s, size, count):
    data = bytes(size)
    send = s.send
    for _ in range(count):
        send(data, copy=False)


def remote_thr(connect_to, size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUSH)
    s.connect(connect_to)
    push(s, size, count)
    s.close()
    ctx.term()


def echo(s, size, count, check):
    copy = recv_copy(size)
    recv, send = s.recv, s.send
    for _ in range(count):
        msg = recv(copy=copy)
        if check:
            check_size(len(msg), size)
        send(msg, copy=False)


def local_lat(bind_to, size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.REP)
    s.bind(bind_to)
    echo(s, size, count, True)
    time.sleep(1)
    s.close()
    ctx.term()


def ping(s, size, count):
    """Times `count` round trips of a zeroed message; returns whole microseconds."""
    copy = recv_copy(size)
    msg = bytes(size)
    recv, send = s.recv, s.send
    watch = micros()
    for _ in range(count):
        send(msg, copy=False)
        msg = recv(copy=copy)
        check_size(len(msg), size)
    return micros() - watch


def remote_lat(connect_to, size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.REQ)
    s.connect(connect_to)
    elapsed = ping(s, size, count)
    latency = elapsed / (count * 2)
    print("message size: %d [B]" % size)
    print("roundtrip count: %d" % count)
    print("average latency: %.3f [us]" % latency)
    s.close()
    ctx.term()


def inproc_thr(size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PULL)
    s.bind("inproc://thr_test")

    def worker():
        w = ctx.socket(zmq.PUSH)
        w.connect("inproc://thr_test")
        push(w, size, count)
        w.close()

    t = threading.Thread(target=worker)
    t.start()
    print("message size: %d [B]" % size)
    print("message count: %d" % count)
    elapsed = pull(s, size, count)
    t.join()
    throughput = int(count / elapsed * 1000000)
    megabits = throughput * size * 8 / 1000000
    print("mean throughput: %d [msg/s]" % throughput)
    print("mean throughput: %.3f [Mb/s]" % megabits)
    s.close()
    ctx.term()


def inproc_lat(size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.REQ)
    s.bind("inproc://lat_test")

    def worker():
        w = ctx.socket(zmq.REP)
        w.connect("inproc://lat_test")
        echo(w, size, count, False)
        w.close()

    t = threading.Thread(target=worker)
    t.start()
    print("message size: %d [B]" % size)
    print("roundtrip count: %d" % count)
    elapsed = ping(s, size, count)
    latency = elapsed / (count * 2)
    t.join()
    print("average latency: %.3f [us]" % latency)
    s.close()
    ctx.term()


TOOLS = {
    "local_thr": (local_thr, "<bind-to> <message-size> <message-count>"),
    "remote_thr": (remote_thr, "<connect-to> <message-size> <message-count>"),
    "local_lat": (local_lat, "<bind-to> <message-size> <roundtrip-count>"),
    "remote_lat": (remote_lat, "<connect-to> <message-size> <roundtrip-count>"),
    "inproc_thr": (inproc_thr, "<message-size> <message-count>"),
    "inproc_lat": (inproc_lat, "<message-size> <roundtrip-count>"),
}


def main(argv):
    if len(argv) < 2 or argv[1] not in TOOLS:
        print("usage: perf.py {%s} ..." % ",".join(TOOLS))
        return 1
    fn, usage = TOOLS[argv[1]]
    args = argv[2:]
    want = usage.count("<")
    if len(args) != want:
        print("usage: %s %s" % (argv[1], usage))
        return 1
    try:
        numbers = [int(a) for a in args[-2:]]
    except ValueError:
        print("usage: %s %s" % (argv[1], usage))
        return 1
    fn(*args[:-2], *numbers)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
