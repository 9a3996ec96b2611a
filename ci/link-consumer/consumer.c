/* A C program linking the libzmq that zmq4-install laid out in a prefix, found the way other
 * projects find libzmq: CMake's find_package(ZeroMQ) (targets libzmq and libzmq-static) and
 * plain `pkg-config --cflags --libs libzmq`. Built and run by ci/pyzmq-suite.sh.
 * Checks: the version is 4.3.5; an inproc PAIR round trip; with CURVE, a CURVE-secured tcp
 * round trip on 127.0.0.1 (libsodium inside the library). Every receive waits at most 5 s.
 * Prints "consumer ok version=X.Y.Z curve=N draft=N" and exits 0, or says what failed. */

#include <zmq.h>

#include <stdio.h>
#include <string.h>

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf (stderr, "consumer: %s failed at line %d: %s\n", #cond,    \
                     __LINE__, zmq_strerror (zmq_errno ()));                   \
            return 1;                                                          \
        }                                                                      \
    } while (0)

/* Sends `text` from `a`, receives it on `b` within the timeout, compares. */
static int round_trip (void *a, void *b, const char *text)
{
    char buf[64] = {0};
    int timeout = 5000;
    CHECK (zmq_setsockopt (b, ZMQ_RCVTIMEO, &timeout, sizeof timeout) == 0);
    CHECK (zmq_send (a, text, strlen (text), 0) == (int) strlen (text));
    CHECK (zmq_recv (b, buf, sizeof buf - 1, 0) == (int) strlen (text));
    CHECK (strcmp (buf, text) == 0);
    return 0;
}

static int curve_round_trip (void *ctx)
{
    char server_public[41], server_secret[41], client_public[41], client_secret[41];
    char endpoint[256];
    size_t len = sizeof endpoint;
    int one = 1;
    CHECK (zmq_curve_keypair (server_public, server_secret) == 0);
    CHECK (zmq_curve_keypair (client_public, client_secret) == 0);
    void *server = zmq_socket (ctx, ZMQ_PAIR);
    void *client = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (server && client);
    CHECK (zmq_setsockopt (server, ZMQ_CURVE_SERVER, &one, sizeof one) == 0);
    CHECK (zmq_setsockopt (server, ZMQ_CURVE_SECRETKEY, server_secret, 40) == 0);
    CHECK (zmq_setsockopt (client, ZMQ_CURVE_SERVERKEY, server_public, 40) == 0);
    CHECK (zmq_setsockopt (client, ZMQ_CURVE_PUBLICKEY, client_public, 40) == 0);
    CHECK (zmq_setsockopt (client, ZMQ_CURVE_SECRETKEY, client_secret, 40) == 0);
    CHECK (zmq_bind (server, "tcp://127.0.0.1:*") == 0);
    CHECK (zmq_getsockopt (server, ZMQ_LAST_ENDPOINT, endpoint, &len) == 0);
    CHECK (zmq_connect (client, endpoint) == 0);
    if (round_trip (client, server, "curve hello"))
        return 1;
    zmq_close (client);
    zmq_close (server);
    return 0;
}

int main (void)
{
    int major, minor, patch, zero = 0;
    zmq_version (&major, &minor, &patch);
    CHECK (major == 4 && minor == 3 && patch == 5);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a && b);
    CHECK (zmq_setsockopt (a, ZMQ_LINGER, &zero, sizeof zero) == 0);
    CHECK (zmq_bind (b, "inproc://consumer") == 0);
    CHECK (zmq_connect (a, "inproc://consumer") == 0);
    if (round_trip (a, b, "hello"))
        return 1;
    zmq_close (a);
    zmq_close (b);
    int curve = zmq_has ("curve");
    if (curve && curve_round_trip (ctx))
        return 1;
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("consumer ok version=%d.%d.%d curve=%d draft=%d\n", major, minor, patch, curve,
            zmq_has ("draft"));
    return 0;
}
