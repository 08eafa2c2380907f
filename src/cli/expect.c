/* expect.c - `expect`: the checks that make a scenario a test.
 *
 *   expect client ESTABLISHED
 *   expect server snd.nxt=301 rcv.nxt=101
 *   expect last|#ID|next ... , expect none [DIR]     (expect_seg.c)
 *   expect timer server retransmit [in 1s]
 *   expect inflight 0
 *   expect error
 *
 * Numbers are absolute, or (with `set numbers symbolic`) written as the
 * transcript writes them: seq=x+1 ack=y+1.  A failed check prints
 * "file:line: expected ..., got ..." with both sides in the numbering the
 * transcript shows, and stops the scenario; so does a malformed one
 * (SPEC 4).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/expect.h"
#include "cli/session.h"
#include "render/i18n.h"

const char *const expect_help =
    N_("  expect ENDPOINT STATE                its state, e.g. ESTABLISHED\n"
    "  expect ENDPOINT FIELD=N ...          TCB fields: iss irs snd.una snd.nxt\n"
    "                                       rcv.nxt snd.wnd rcv.wnd\n"
    "  expect last DIR FLAGS [SEG...]       the last segment sent that way\n"
    "  expect #ID FLAGS [SEG...]            segment #ID\n"
    "  expect next DIR FLAGS [SEG...]       the next segment sent that way that no\n"
    "                                       expect next took yet (in order, each\n"
    "                                       taken once, when it matches)\n"
    "  expect none [DIR]                    nothing sent (that way) since the last\n"
    "                                       expect next or expect none\n"
    "  expect timer ENDPOINT KIND [in DUR]  KIND retransmit, persist, time-wait,\n"
    "                                       fin-wait-2, or none (no timer armed);\n"
    "                                       in DUR: it fires DUR from now\n"
    "  expect inflight N                    N segments on the wire\n"
    "  expect error                         the previous command failed\n"
    "SEG is seq=N ack=N len=N win=N mss=N (mss=0: no MSS option).  Numbers are\n"
    "absolute, or with set numbers symbolic as the transcript writes them (x+1).\n"
    "reset starts expect next and expect none again with the segments sent after\n"
    "it; undo keeps what they took, less what it takes back.\n");

int expect_fail(struct session *s, const char *want, const char *got)
{
    if (!s->file) {     /* typed at the prompt: an error like the others, no file:line */
        session_error(s, "expected %s, got %s", want, got);
        s->expect_failed = true;
        return -1;
    }
    ladder_flush(&s->ladder);
    fflush(s->out);
    fprintf(s->err, _("%s:%d: expected %s, got %s\n"), s->file ? s->file : "input", s->line, want, got);
    fflush(s->err);
    char line[500];
    snprintf(line, sizeof line, _("expected %s, got %s"), want, got);
    jsonlog_error(&s->json, s->sim.now, line);
    s->expect_failed = true;
    return -1;
}

int expect_malformed(struct session *s, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    session_error(s, "%s", msg);
    s->expect_failed = true;
    return -1;
}

static int usage(struct session *s)
{
    return expect_malformed(s, _("expect: usage: expect ENDPOINT STATE | ENDPOINT FIELD=N ... | last DIR FLAGS [SEG...] "
                               "| #ID FLAGS [SEG...] | next DIR FLAGS [SEG...] | none [DIR] "
                               "| timer ENDPOINT KIND [in DUR] | inflight N | error (help expect explains each)"));
}

/* Each field, and whose sequence space it counts in: 0 its own, 1 the
 * peer's, -1 none (a window). */
static const struct { const char *name; size_t off; int space; } fields[] = {
    { "iss", offsetof(struct tcb, iss), 0 }, { "irs", offsetof(struct tcb, irs), 1 },
    { "snd.una", offsetof(struct tcb, snd_una), 0 }, { "snd.nxt", offsetof(struct tcb, snd_nxt), 0 },
    { "rcv.nxt", offsetof(struct tcb, rcv_nxt), 1 }, { "snd.wnd", offsetof(struct tcb, snd_wnd), -1 },
    { "rcv.wnd", offsetof(struct tcb, rcv_wnd), -1 },
};

static int expect_endpoint(struct session *s, enum endpoint_id e, int argc, char **argv)
{
    const struct tcb *t = sim_tcb(&s->sim, e);
    char want[128], got[128], err[EXPECT_ERRLEN];
    enum tcp_state st;
    if (argc == 1 && !strchr(argv[0], '=')) {
        if (!tcp_state_parse(argv[0], &st))
            return expect_malformed(s, _("expect: '%.40s' is not a state; write e.g. ESTABLISHED, SYN-RECEIVED or TIME_WAIT"), argv[0]);
        if (t->state != st) {
            snprintf(want, sizeof want, "%s %s", ep_name(e), tcp_state_name(st));
            return expect_fail(s, want, tcp_state_name(t->state));
        }
        return 0;
    }
    for (int i = 0; i < argc; i++) {
        size_t k;
        const char *v = NULL;
        for (k = 0; k < sizeof fields / sizeof fields[0]; k++)
            if ((v = arg_kv(argv[i], fields[k].name)))
                break;
        if (!v)
            return expect_malformed(s, _("expect: unknown field '%.40s'; the fields are iss irs snd.una snd.nxt rcv.nxt snd.wnd rcv.wnd"), argv[i]);
        uint32_t x;
        int space = fields[k].space < 0 ? -1 : fields[k].space == 0 ? (int)e : (int)ep_peer(e);
        if (space < 0 ? arg_u32(fields[k].name, v, UINT32_MAX, &x, err)
                      : expect_seq_value(&s->ladder, fields[k].name, v, &x, err))
            return expect_malformed(s, "expect: %s", err);
        uint32_t actual;
        char a[24];
        memcpy(&actual, (const char *)t + fields[k].off, sizeof actual);
        if (actual != x) {
            snprintf(want, sizeof want, "%s %s=%s", ep_name(e), fields[k].name,
                     expect_number(&s->ladder, space, x, a, sizeof a));
            expect_number(&s->ladder, space, actual, got, sizeof got);
            return expect_fail(s, want, got);
        }
    }
    return 0;
}

/* --- expect timer -------------------------------------------------------- */

/* The timers `expect timer` names, and where each lives in the TCB. */
static const struct { const char *name; size_t off; } timer_kinds[] = {
    { "retransmit", offsetof(struct tcb, rtx_timer) },      /* RFC 9293 3.8.1, RFC 6298 */
    { "persist", offsetof(struct tcb, persist_timer) },     /* RFC 9293 3.8.6.1 */
    { "time-wait", offsetof(struct tcb, tw_timer) },        /* RFC 9293 3.10.7.4, 2 MSL */
    /* The FIN-WAIT-2 timeout is not RFC 9293's but Linux's (tcp_fin_timeout):
     * only an orphan of the linux profile arms it. */
    { "fin-wait-2", offsetof(struct tcb, fw2_timer) },
};
#define N_TIMER_KINDS (sizeof timer_kinds / sizeof timer_kinds[0])

static const struct timer *tcb_timer(const struct tcb *t, size_t kind)
{
    return (const struct timer *)(const void *)((const char *)t + timer_kinds[kind].off);
}

/* "time-wait", "TIME_WAIT": the same name. */
static bool same_name(const char *typed, const char *name)
{
    for (; *typed && *name; typed++, name++) {
        char a = *typed == '_' ? '-' : *typed;
        if ((a | 32) != (*name | 32))
            return false;
    }
    return *typed == '\0' && *name == '\0';
}

static const char *const no_timer = N_("no timer armed");

/* "retransmit in 1s, time-wait in 2m", or "no timer armed"; whether one is. */
static bool armed_text(const struct tcb *t, uint64_t now, char *buf, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < N_TIMER_KINDS && (size_t)k < n; i++) {
        const struct timer *tm = tcb_timer(t, i);
        char d[32];
        if (tm && tm->armed)
            k += snprintf(buf + k, n - (size_t)k, _("%s%s in %s"), k ? ", " : "", timer_kinds[i].name,
                          fmt_duration(tm->at > now ? tm->at - now : 0, d, sizeof d));
    }
    if (k == 0)
        snprintf(buf, n, "%s", _(no_timer));
    return k > 0;
}

static int expect_timer(struct session *s, int argc, char **argv)
{
    char err[ARG_ERRLEN], want[128], got[160], d[32];
    enum endpoint_id e;
    uint64_t in = 0;
    size_t kind;
    if ((argc != 2 && argc != 4) || (argc == 4 && strcasecmp(argv[2], "in") != 0))
        return expect_malformed(s, _("expect timer: usage: expect timer ENDPOINT "
                                   "retransmit|persist|time-wait|fin-wait-2|none [in DUR]"));
    if (!arg_endpoint(argv[0], &e))
        return expect_malformed(s, _("expect timer: '%.40s' is not an endpoint; write client or server"), argv[0]);
    bool none = strcasecmp(argv[1], "none") == 0;
    for (kind = 0; kind < N_TIMER_KINDS && !none; kind++)
        if (same_name(argv[1], timer_kinds[kind].name))
            break;
    if (!none && kind == N_TIMER_KINDS)
        return expect_malformed(s, _("expect timer: unknown timer '%.40s'; the timers are retransmit persist "
                                   "time-wait fin-wait-2, or none"), argv[1]);
    if (none && argc == 4)
        return expect_malformed(s, _("expect timer: none takes no 'in DUR'; write expect timer %s none"), ep_name(e));
    if (argc == 4 && arg_duration(argv[3], &in, err))
        return expect_malformed(s, "expect timer: %s", err);

    const struct tcb *t = sim_tcb(&s->sim, e);
    bool any = armed_text(t, s->sim.now, got, sizeof got);
    if (none) {
        if (!any)
            return 0;
        snprintf(want, sizeof want, "%s %s", ep_name(e), _(no_timer));
        return expect_fail(s, want, got);
    }
    const struct timer *tm = tcb_timer(t, kind);
    if (tm && tm->armed && (argc == 2 || tm->at - s->sim.now == in))
        return 0;
    snprintf(want, sizeof want, _("%s %s timer%s%s"), ep_name(e), timer_kinds[kind].name, argc == 4 ? _(" in ") : "",
             argc == 4 ? fmt_duration(in, d, sizeof d) : "");
    return expect_fail(s, want, got);
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
            return expect_fail(s, _("an error from the previous command"), _("none"));
        s->unexpected_errors--;       /* that error was wanted */
        s->last_failed = false;
        return 0;
    }
    if (strcasecmp(argv[0], "inflight") == 0) {
        uint32_t n;
        if (argc != 2)
            return usage(s);
        if (arg_u32("count", argv[1], UINT32_MAX, &n, err))
            return expect_malformed(s, "expect inflight: %s", err);
        if (s->sim.chan.fl_len != n) {
            snprintf(want, sizeof want, "inflight %" PRIu32, n);
            snprintf(got, sizeof got, "%zu", s->sim.chan.fl_len);
            return expect_fail(s, want, got);
        }
        return 0;
    }
    if (strcasecmp(argv[0], "last") == 0)
        return expect_last(s, argc - 1, argv + 1);
    if (strcasecmp(argv[0], "next") == 0)
        return expect_next(s, argc - 1, argv + 1);
    if (strcasecmp(argv[0], "none") == 0)
        return expect_none(s, argc - 1, argv + 1);
    if (strcasecmp(argv[0], "timer") == 0)
        return expect_timer(s, argc - 1, argv + 1);
    if (argv[0][0] == '#')
        return expect_id(s, argc, argv);
    if (arg_endpoint(argv[0], &e) && argc >= 2)
        return expect_endpoint(s, e, argc - 1, argv + 1);
    return usage(s);
}
