/* C code linked against the libzmq the zmq4 crate built, as a C extension or another
 * language binding would link it. Built two ways by ci/linktest.sh:
 *  - by build.rs with the cc crate from DEP_ZMQ_* only, called from main.rs (no main here);
 *  - by gcc with `pkg-config --static --cflags --libs libzmq` and -DLINKTEST_MAIN.
 * The EXPECT_* macros come from the zmq4 build script's exports (DEP_ZMQ_VERSION, _CURVE,
 * _DRAFT, _VERSION_NUMBER). */

#include <zmq.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if !defined(EXPECT_MAJOR) || !defined(EXPECT_MINOR) || !defined(EXPECT_PATCH) \
  || !defined(EXPECT_CURVE) || !defined(EXPECT_DRAFT)
#error "EXPECT_MAJOR/MINOR/PATCH, EXPECT_CURVE and EXPECT_DRAFT must be defined"
#endif

#if defined(ZMQ_BUILD_DRAFT_API) != EXPECT_DRAFT
#error "ZMQ_BUILD_DRAFT_API must be defined exactly when the library has the DRAFT API"
#endif

#ifdef EXPECT_VERSION_NUMBER
#if ZMQ_VERSION != EXPECT_VERSION_NUMBER
#error "zmq.h's ZMQ_VERSION differs from DEP_ZMQ_VERSION_NUMBER"
#endif
#endif

/* Appends to the report; keeps it NUL-terminated and never overflows. */
static void say (char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen (buf);
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (buf + used, len - used, fmt, ap);
    va_end (ap);
}

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            say (buf, len, "\nFAILED at linktest.c:%d: %s (%s)", __LINE__,     \
                 #cond, zmq_strerror (zmq_errno ()));                          \
            rc = __LINE__;                                                     \
            goto out;                                                          \
        }                                                                      \
    } while (0)

/* A PAIR/PAIR round trip over inproc in ctx: bounded by RCVTIMEO/SNDTIMEO. */
static int pair_round_trip (void *ctx, const char *endpoint, char *buf, size_t len)
{
    int rc = 0;
    const int timeout = 5000, linger = 0;
    char got[16] = "";
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a && b);
    CHECK (zmq_setsockopt (a, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK (zmq_setsockopt (b, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK (zmq_setsockopt (a, ZMQ_RCVTIMEO, &timeout, sizeof timeout) == 0);
    CHECK (zmq_setsockopt (b, ZMQ_RCVTIMEO, &timeout, sizeof timeout) == 0);
    CHECK (zmq_setsockopt (a, ZMQ_SNDTIMEO, &timeout, sizeof timeout) == 0);
    CHECK (zmq_setsockopt (b, ZMQ_SNDTIMEO, &timeout, sizeof timeout) == 0);
    CHECK (zmq_bind (a, endpoint) == 0);
    CHECK (zmq_connect (b, endpoint) == 0);
    CHECK (zmq_send (b, "ping", 4, 0) == 4);
    CHECK (zmq_recv (a, got, sizeof got, 0) == 4 && memcmp (got, "ping", 4) == 0);
    CHECK (zmq_send (a, "pong", 4, 0) == 4);
    CHECK (zmq_recv (b, got, sizeof got, 0) == 4 && memcmp (got, "pong", 4) == 0);
    say (buf, len, "PAIR round trip over %s: ok\n", endpoint);
out:
    if (a)
        zmq_close (a);
    if (b)
        zmq_close (b);
    return rc;
}

/* Runs every check, writes what it found to buf; returns 0 when all passed, else the
 * failing line. */
int linktest_run (char *buf, size_t len)
{
    int rc = 0, major = -1, minor = -1, patch = -1;
    void *ctx = NULL;
    buf[0] = '\0';

    zmq_version (&major, &minor, &patch);
    say (buf, len, "zmq_version: %d.%d.%d (zmq.h: %d.%d.%d, expected %d.%d.%d)\n",
         major, minor, patch, ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR,
         ZMQ_VERSION_PATCH, EXPECT_MAJOR, EXPECT_MINOR, EXPECT_PATCH);
    CHECK (major == EXPECT_MAJOR && minor == EXPECT_MINOR
           && patch == EXPECT_PATCH);
    CHECK (ZMQ_VERSION == ZMQ_MAKE_VERSION (major, minor, patch));

    const int curve = zmq_has ("curve") != 0;
    say (buf, len, "zmq_has(\"curve\"): %d (expected %d)\n", curve, EXPECT_CURVE);
    CHECK (curve == EXPECT_CURVE);
    const int draft = zmq_has ("draft") != 0;
    say (buf, len, "zmq_has(\"draft\"): %d (expected %d)\n", draft, EXPECT_DRAFT);
    CHECK (draft == EXPECT_DRAFT);
    CHECK (zmq_has ("ipc"));

#if EXPECT_CURVE
    {
        char public_key[41], secret_key[41];
        CHECK (zmq_curve_keypair (public_key, secret_key) == 0);
        CHECK (strlen (public_key) == 40 && strlen (secret_key) == 40);
        say (buf, len, "zmq_curve_keypair: ok\n");
    }
#else
    {
        char public_key[41], secret_key[41];
        CHECK (zmq_curve_keypair (public_key, secret_key) == -1
               && zmq_errno () == ENOTSUP);
        say (buf, len, "zmq_curve_keypair: ENOTSUP as expected\n");
    }
#endif

    ctx = zmq_ctx_new ();
    CHECK (ctx);
    rc = pair_round_trip (ctx, "inproc://linktest-c", buf, len);
    if (rc)
        goto out;

#ifdef ZMQ_BUILD_DRAFT_API
    {
        /* A DRAFT symbol resolves too. */
        void *poller = zmq_poller_new ();
        CHECK (poller);
        CHECK (zmq_poller_size (poller) == 0);
        CHECK (zmq_poller_destroy (&poller) == 0);
        say (buf, len, "zmq_poller_new (DRAFT): ok\n");
    }
#endif

out:
    if (ctx)
        zmq_ctx_term (ctx);
    return rc;
}

/* Connects a PAIR in a context made by the caller (zmq4, in Rust) to endpoint and sends text
 * on it; the caller receives it. Returns 0 or errno. */
int linktest_send_in (void *ctx, const char *endpoint, const char *text)
{
    const int timeout = 5000, linger = 0;
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    if (!s)
        return zmq_errno ();
    int rc = 0;
    if (zmq_setsockopt (s, ZMQ_LINGER, &linger, sizeof linger)
        || zmq_setsockopt (s, ZMQ_SNDTIMEO, &timeout, sizeof timeout)
        || zmq_connect (s, endpoint)
        || zmq_send (s, text, strlen (text), 0) != (int) strlen (text))
        rc = zmq_errno ();
    zmq_close (s);
    return rc;
}

/* Takes a socket that Rust gave up (zmq4's Socket::into_raw), echoes one message back on it,
 * and returns the socket to the caller, which adopts it again (Socket::from_raw). Returns
 * the socket, or NULL with errno in *err. */
void *linktest_echo_once (void *socket, int *err)
{
    const int timeout = 5000;
    char buf[64];
    *err = 0;
    if (zmq_setsockopt (socket, ZMQ_RCVTIMEO, &timeout, sizeof timeout)
        || zmq_setsockopt (socket, ZMQ_SNDTIMEO, &timeout, sizeof timeout)) {
        *err = zmq_errno ();
        return NULL;
    }
    const int n = zmq_recv (socket, buf, sizeof buf, 0);
    if (n < 0 || zmq_send (socket, buf, n > (int) sizeof buf ? sizeof buf : (size_t) n, 0) < 0) {
        *err = zmq_errno ();
        return NULL;
    }
    return socket;
}

/* The address of zmq_version as the C code links it: equal to the Rust side's when there is
 * one libzmq in the program. */
void *linktest_zmq_version_address (void)
{
    return (void *) &zmq_version;
}

#ifdef LINKTEST_MAIN
int main (void)
{
    char report[2048];
    const int rc = linktest_run (report, sizeof report);
    printf ("%s", report);
    printf ("%s\n", rc == 0 ? "linktest (pkg-config): all checks passed"
                            : "linktest (pkg-config): FAILED");
    return rc != 0;
}
#endif
