/* expect.c - `expect`: the checks that make a scenario a test.
 *
 *   expect client ESTABLISHED
 *   expect server snd.nxt=301 rcv.nxt=101
 *   expect last client->server ACK seq=101 ack=301 [len=0]
 *   expect inflight 0
 *   expect error
 *
 * Numbers are absolute, or (with `set numbers symbolic`) written as the
 * transcript writes them: seq=x+1 ack=y+1.  A failed check prints
 * "file:line: expected ..., got ..." with both sides in the numbering the
 * transcript shows, and stops the scenario.
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/session.h"

static int failed(struct session *s, const char *fmt, const char *want, const char *got)
{
    char msg[300];
    snprintf(msg, sizeof msg, fmt, want, got);
    ladder_flush(&s->ladder);
    fflush(s->out);
    fprintf(s->err, "%s:%d: expected %s\n", s->file ? s->file : "input", s->line, msg);
    fflush(s->err);
    char line[400];
    snprintf(line, sizeof line, "expected %s", msg);
    jsonlog_error(&s->json, s->sim.now, line);
    s->expect_failed = true;
    return -1;
}

static int usage(struct session *s)
{
    session_error(s, "expect: usage: expect ENDPOINT STATE | expect ENDPOINT field=N ... | "
                     "expect last DIR FLAGS [seq=N] [ack=N] [len=N] | expect inflight N | expect error");
    s->expect_failed = true;
    return -1;
}

/* Each field, and whose sequence space it counts in: 0 its own, 1 the
 * peer's, -1 none (a window). */
static const struct { const char *name; size_t off; int space; } fields[] = {
    { "iss", offsetof(struct tcb, iss), 0 }, { "irs", offsetof(struct tcb, irs), 1 },
    { "snd.una", offsetof(struct tcb, snd_una), 0 }, { "snd.nxt", offsetof(struct tcb, snd_nxt), 0 },
    { "rcv.nxt", offsetof(struct tcb, rcv_nxt), 1 }, { "snd.wnd", offsetof(struct tcb, snd_wnd), -1 },
    { "rcv.wnd", offsetof(struct tcb, rcv_wnd), -1 },
};

/* A number of space's sequence space as the transcript writes it. */
static const char *num(struct session *s, int space, uint32_t v, char *buf, size_t n)
{
    if (space < 0) {
        snprintf(buf, n, "%" PRIu32, v);
        return buf;
    }
    return ladder_number(&s->ladder, (enum endpoint_id)space, v, buf, n);
}

/* Read a sequence number: absolute, or as symbolic numbering writes it. */
static int seq_value(struct session *s, const char *what, const char *v, uint32_t *out, char *err)
{
    if (ladder_parse_number(&s->ladder, v, out))
        return 0;
    if (s->ladder.numbers == NUMBERS_SYMBOLIC && !isdigit((unsigned char)v[0])) {
        snprintf(err, ARG_ERRLEN, "bad %s '%.20s': write a number, or %s/%s with an offset (e.g. %s+1) "
                 "once that side's SYN was sent", what, v, s->ladder.letter[EP_CLIENT],
                 s->ladder.letter[EP_SERVER], s->ladder.letter[EP_CLIENT]);
        return -1;
    }
    return arg_u32(what, v, UINT32_MAX, out, err);
}

static int expect_endpoint(struct session *s, enum endpoint_id e, int argc, char **argv)
{
    const struct tcb *t = sim_tcb(&s->sim, e);
    char want[128], got[128], err[ARG_ERRLEN];
    enum tcp_state st;
    if (argc == 1 && !strchr(argv[0], '=')) {
        if (!tcp_state_parse(argv[0], &st)) {
            session_error(s, "expect: '%.40s' is not a state; write e.g. ESTABLISHED, SYN-RECEIVED or TIME_WAIT", argv[0]);
            s->expect_failed = true;
            return -1;
        }
        if (t->state != st) {
            snprintf(want, sizeof want, "%s %s", ep_name(e), tcp_state_name(st));
            return failed(s, "%s, got %s", want, tcp_state_name(t->state));
        }
        return 0;
    }
    for (int i = 0; i < argc; i++) {
        size_t k;
        const char *v = NULL;
        for (k = 0; k < sizeof fields / sizeof fields[0]; k++)
            if ((v = arg_kv(argv[i], fields[k].name)))
                break;
        if (!v) {
            session_error(s, "expect: unknown field '%.40s'; the fields are iss irs snd.una snd.nxt rcv.nxt snd.wnd rcv.wnd", argv[i]);
            s->expect_failed = true;
            return -1;
        }
        uint32_t x;
        int space = fields[k].space < 0 ? -1 : fields[k].space == 0 ? (int)e : (int)ep_peer(e);
        if (space < 0 ? arg_u32(fields[k].name, v, UINT32_MAX, &x, err) : seq_value(s, fields[k].name, v, &x, err)) {
            session_error(s, "expect: %s", err);
            s->expect_failed = true;
            return -1;
        }
        uint32_t actual;
        char a[24];
        memcpy(&actual, (const char *)t + fields[k].off, sizeof actual);
        if (actual != x) {
            snprintf(want, sizeof want, "%s %s=%s", ep_name(e), fields[k].name, num(s, space, x, a, sizeof a));
            num(s, space, actual, got, sizeof got);
            return failed(s, "%s, got %s", want, got);
        }
    }
    return 0;
}

static int expect_last(struct session *s, int argc, char **argv)
{
    char err[ARG_ERRLEN], want[160], got[160], f1[TCP_FLAGS_STRLEN];
    enum endpoint_id src;
    uint8_t flags;
    if (argc < 2)
        return usage(s);
    if (arg_direction(argv[0], &src, err)) {
        session_error(s, "expect last: %s", err);
        s->expect_failed = true;
        return -1;
    }
    if (!tcp_flags_parse(argv[1], &flags)) {
        session_error(s, "expect last: bad flags '%.40s': write e.g. SYN,ACK", argv[1]);
        s->expect_failed = true;
        return -1;
    }
    const struct segment *last = NULL;
    for (size_t i = s->sim.chan.hist_len; i-- > 0;) {
        if (s->sim.chan.hist[i].src == src) {
            last = &s->sim.chan.hist[i];
            break;
        }
    }
    int k = snprintf(want, sizeof want, "last %s %s", argv[0], tcp_flags_str(flags, f1));
    bool ok = last && last->flags == flags;
    for (int i = 2; i < argc; i++) {
        const char *v, *name;
        uint32_t x, actual;
        int space, rc;
        char a[24];
        if ((v = arg_kv(argv[i], "seq"))) {
            actual = last ? last->seq : 0;
            name = "seq", space = (int)src;
        } else if ((v = arg_kv(argv[i], "ack"))) {
            actual = last ? last->ack : 0;
            name = "ack", space = (int)ep_peer(src);
        } else if ((v = arg_kv(argv[i], "len"))) {
            actual = last ? last->len : 0;
            name = "len", space = -1;
        } else {
            session_error(s, "expect last: unknown field '%.40s'; write seq=N, ack=N or len=N", argv[i]);
            s->expect_failed = true;
            return -1;
        }
        rc = space < 0 ? arg_u32("value", v, UINT32_MAX, &x, err) : seq_value(s, name, v, &x, err);
        if (rc) {
            session_error(s, "expect last: %s", err);
            s->expect_failed = true;
            return -1;
        }
        k += snprintf(want + k, sizeof want - (size_t)k, " %s=%s", name, num(s, space, x, a, sizeof a));
        ok = ok && actual == x;
    }
    if (ok)
        return 0;
    if (!last)
        snprintf(got, sizeof got, "no segment %s", argv[0]);
    else
        ladder_label(&s->ladder, last, got, sizeof got);
    return failed(s, "%s, got %s", want, got);
}

int cmd_expect(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[ARG_ERRLEN], want[64], got[64];
    enum endpoint_id e;
    if (strcasecmp(argv[0], "error") == 0) {
        if (argc != 1)
            return usage(s);
        if (!s->last_failed)
            return failed(s, "%s, got %s", "an error from the previous command", "none");
        s->unexpected_errors--;       /* that error was wanted */
        s->last_failed = false;
        return 0;
    }
    if (strcasecmp(argv[0], "inflight") == 0) {
        uint32_t n;
        if (argc != 2)
            return usage(s);
        if (arg_u32("count", argv[1], UINT32_MAX, &n, err)) {
            session_error(s, "expect inflight: %s", err);
            s->expect_failed = true;
            return -1;
        }
        if (s->sim.chan.fl_len != n) {
            snprintf(want, sizeof want, "inflight %" PRIu32, n);
            snprintf(got, sizeof got, "%zu", s->sim.chan.fl_len);
            return failed(s, "%s, got %s", want, got);
        }
        return 0;
    }
    if (strcasecmp(argv[0], "last") == 0)
        return expect_last(s, argc - 1, argv + 1);
    if (arg_endpoint(argv[0], &e) && argc >= 2)
        return expect_endpoint(s, e, argc - 1, argv + 1);
    return usage(s);
}
