/* pkt_run.c - `tcpsim --packetdrill FILE...`: runs each script against
 * one endpoint that plays the kernel, PASS/FAIL each, then
 * "N passed, N failed"; and --translate, which prints the tcpsim
 * scenario a run amounts to.
 *
 * Numbering as packetdrill's: the script's side writes its own sequence
 * numbers, used as they are; the kernel's are relative to its ISN, which
 * the runner learns from the kernel's first SYN (0 before it).  Times are
 * the script's, on the virtual clock (latency 0: the script's packets
 * are on the kernel's wire); an outbound packet must be sent within
 * --tolerance_usecs (4 ms) of its time, any time for '*'.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render/i18n.h"
#include "cli/pkt_run.h"

static void vline(struct run *r, FILE *f, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ladder_flush(&r->s.ladder);
    fflush(r->s.out);
    fflush(r->out);
    fprintf(f, "%s:%d: %s\n", r->path, r->ev ? r->ev->line : 0, msg);
    fflush(f);
}

int run_fail(struct run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!r->failed || r->o->translate)
        vline(r, r->err, fmt, ap);
    va_end(ap);
    r->failed = true;
    return -1;
}

void run_note(struct run *r, const char *fmt, ...)
{
    va_list ap;
    if (!r->o->verbose || r->o->translate)
        return;
    va_start(ap, fmt);
    vline(r, r->out, fmt, ap);
    va_end(ap);
}

void run_comment(struct run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", r->tr);
    vfprintf(r->tr, fmt, ap);
    fputc('\n', r->tr);
    va_end(ap);
}

int run_exec(struct run *r, const char *fmt, ...)
{
    char cmd[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    fprintf(r->tr, "%s\n", cmd);
    r->s.line = r->ev ? r->ev->line : 0;
    int rc = session_exec(&r->s, cmd);
    if (rc != 0) {
        r->s.unexpected_errors = 0;
        r->failed = true;
    }
    return rc;
}

void run_mark_open(struct run *r)
{
    fflush(r->tr);
    r->open_mark = r->tr_len;
}

static uint64_t to_ms(int64_t us) { return us <= 0 ? 0 : (uint64_t)(us + 500) / 1000; }

int run_advance_to(struct run *r, int64_t t_us)
{
    uint64_t ms = to_ms(t_us);
    if (ms <= r->s.sim.now)
        return 0;
    return run_exec(r, "advance %" PRIu64 "ms", ms - r->s.sim.now);
}

/* For a segment the script injects at t: the clock moves to t, but what
 * is due at t waits, so the segment arrives first (tcpsim's rule at equal
 * times: an arrival before a timer).  The translation says `advance`. */
static int advance_before(struct run *r, int64_t t_us)
{
    uint64_t ms = to_ms(t_us);
    if (ms <= r->s.sim.now)
        return 0;
    fprintf(r->tr, "advance %" PRIu64 "ms\n", ms - r->s.sim.now);
    ladder_flush(&r->s.ladder);
    if (!sim_advance_before(&r->s.sim, ms, SIM_STORM_LIMIT)) {
        session_storm(&r->s, "advance");
        r->failed = true;
        return -1;
    }
    return 0;
}

static void on_event(void *ctx, const struct event *ev)
{
    struct run *r = ctx;
    if (ev->type == EV_RECEIVE && ev->ep == r->kernel)
        r->received += ev->len;
}

/* --- packets ---------------------------------------------------------------- */

static int inbound(struct run *r, const struct pkt_packet *pk)
{
    char flags[TCP_FLAGS_STRLEN], extra[64] = "";
    size_t o = 0;
    if (pk->dport && pk->dport != r->s.sim.cfg.port[r->kernel])
        return run_fail(r, _("the packet goes to port %u; the kernel's socket is port %u"), pk->dport,
                        r->s.sim.cfg.port[r->kernel]);
    if (pk->mss >= 0)
        o += (size_t)snprintf(extra + o, sizeof extra - o, " mss=%d", (int)pk->mss);
    if (pk->sport && pk->sport != r->s.sim.cfg.port[r->remote])
        snprintf(extra + o, sizeof extra - o, " sport=%u", pk->sport);
    seq_t ack = (pk->flags & TCP_ACK) ? r->isn + pk->ack : 0;
    if ((pk->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
        run_mark_open(r);
    return run_exec(r, "inject %s->%s %s seq=%" PRIu32 " ack=%" PRIu32 " len=%" PRIu32 " win=%d%s",
                    ep_name(r->remote), ep_name(r->kernel), tcp_flags_str(pk->flags, flags), pk->seq, ack, pk->len,
                    pk->win >= 0 ? (int)pk->win : 65535, extra);
}

/* The next segment the kernel put on the wire after the cursor, or NULL. */
static const struct segment *kernel_segment(struct run *r, size_t *at)
{
    const struct channel *c = &r->s.sim.chan;
    for (size_t i = r->cursor; i < c->hist_len; i++)
        if (c->hist[i].src == r->kernel && c->hist[i].origin == ORIGIN_TCB) {
            *at = i;
            return &c->hist[i];
        }
    return NULL;
}

/* A packet as packetdrill prints it, in the script's numbering. */
static void describe(char *buf, size_t n, int64_t t_us, uint8_t flags, uint32_t seq, uint32_t len, bool ack,
                     uint32_t ackno, int32_t win, const char *options)
{
    char t[32], f[8];
    int k = snprintf(buf, n, "%s %s %" PRIu32 ":%" PRIu32 "(%" PRIu32 ")", pkt_time_str(t_us, t, sizeof t),
                     pkt_flags_str(flags, f, sizeof f), seq, seq + len, len);
    if (ack && k > 0 && (size_t)k < n)
        k += snprintf(buf + k, n - (size_t)k, " ack %" PRIu32, ackno);
    if (win >= 0 && k > 0 && (size_t)k < n)
        k += snprintf(buf + k, n - (size_t)k, " win %d", (int)win);
    if (options && options[0] && k > 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, " <%s>", options);
}

static int mismatch(struct run *r, const struct pkt_packet *pk, int64_t t_us, const struct segment *seg,
                    const char *what)
{
    char want[256], got[256];
    describe(want, sizeof want, t_us, pk->flags, pk->seq, pk->len, pk->flags & TCP_ACK, pk->ack, pk->win, pk->options);
    char mss[16] = "";
    if (seg->mss)
        snprintf(mss, sizeof mss, "mss %u", seg->mss);
    describe(got, sizeof got, (int64_t)seg->sent_at * 1000, seg->flags, seg->seq - r->isn, seg->len,
             seg->flags & TCP_ACK, seg->ack, seg->wnd, mss);
    run_fail(r, _("error handling packet: %s\nscript packet: %s\nactual packet: %s"), what, want, got);
    return -1;
}

/* '>': the kernel's next segment, checked on time, flags, seq, ack, length
 * and window.  *sent_us is when it was sent. */
static int outbound(struct run *r, const struct pkt_event *e, int64_t lo, int64_t hi, int64_t *sent_us)
{
    const struct pkt_packet *pk = &e->pkt;
    bool any = e->time.type == PKT_ANY;
    int64_t tol = r->sc->tolerance_us;
    size_t at = 0;
    const struct segment *seg;
    if (!any && run_advance_to(r, lo))
        return -1;
    while (!(seg = kernel_segment(r, &at))) {
        uint64_t next;
        if (!sim_next_event_time(&r->s.sim, &next) || (!any && (int64_t)next * 1000 > hi + tol)) {
            char want[256];
            describe(want, sizeof want, any ? (int64_t)r->s.sim.now * 1000 : lo, pk->flags, pk->seq, pk->len,
                     pk->flags & TCP_ACK, pk->ack, pk->win, pk->options);
            return run_fail(r, _("timed out waiting for packet: the kernel sent nothing %s\nscript packet: %s"),
                            any ? _("and nothing is left to happen") : _("by then"), want);
        }
        if (run_exec(r, "advance %" PRIu64 "ms", next - r->s.sim.now))
            return -1;
    }
    r->cursor = at + 1;
    *sent_us = (int64_t)seg->sent_at * 1000;
    /* packetdrill learns the kernel's ISN from a connection's first SYN; a
     * SYN with a sequence number the last one did not have starts a new
     * connection (a retransmission repeats it, and is checked). */
    if ((pk->flags & TCP_SYN) && (!r->isn_known || seg->seq != r->syn_seq)) {
        r->isn = seg->seq - pk->seq;
        r->syn_seq = seg->seq;
        r->isn_known = true;
        if (r->npin < sizeof r->pin / sizeof r->pin[0]) {
            r->pin[r->npin].at = r->open_mark;
            r->pin[r->npin++].iss = seg->seq;
        }
    }
    char what[200], a[32], b[32], c[32];
    int64_t t_us = any ? *sent_us : lo;
    if (!any && (*sent_us < lo - tol || *sent_us > hi + tol)) {
        snprintf(what, sizeof what, _("timing error: expected outbound packet at %s sec but happened at %s sec; tolerance %s sec"),
                 pkt_time_str(lo, a, sizeof a), pkt_time_str(*sent_us, b, sizeof b), pkt_time_str(tol, c, sizeof c));
        return mismatch(r, pk, t_us, seg, what);
    }
    if (seg->flags != pk->flags) {
        char f1[8], f2[8];
        snprintf(what, sizeof what, _("bad outbound TCP flags: expected %s, actual %s"), pkt_flags_str(pk->flags, f1, sizeof f1),
                 pkt_flags_str(seg->flags, f2, sizeof f2));
        return mismatch(r, pk, t_us, seg, what);
    }
    if (pk->mss >= 0 && seg->mss != pk->mss) {
        if (seg->mss)
            snprintf(what, sizeof what, _("bad outbound TCP option mss: expected %d, actual %u"), (int)pk->mss, seg->mss);
        else
            snprintf(what, sizeof what, _("bad outbound TCP options: expected <mss %d>, actual none"), (int)pk->mss);
        return mismatch(r, pk, t_us, seg, what);
    }
    const struct { const char *name; bool check; uint32_t want, got; } fields[] = {
        { "tcp_seq", true, pk->seq, seg->seq - r->isn },
        { "tcp_ack_seq", (pk->flags & TCP_ACK) != 0, pk->ack, seg->ack },
        { "tcp_payload_len", true, pk->len, seg->len },
        { "tcp_window", pk->win >= 0, (uint32_t)pk->win, seg->wnd },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].check && fields[i].want != fields[i].got) {
            snprintf(what, sizeof what, _("live packet field %s: expected: %" PRIu32 " (0x%" PRIx32 ") vs actual: %" PRIu32
                     " (0x%" PRIx32 ")"), fields[i].name, fields[i].want, fields[i].want, fields[i].got, fields[i].got);
            return mismatch(r, pk, t_us, seg, what);
        }
    }
    return 0;
}

/* The same packet, as an `expect next` line of the translation. */
static void translate_outbound(struct run *r, const struct pkt_packet *pk)
{
    char flags[TCP_FLAGS_STRLEN], line[256];
    int k = snprintf(line, sizeof line, "expect next %s->%s %s seq=%" PRIu32, ep_name(r->kernel), ep_name(r->remote),
                     tcp_flags_str(pk->flags, flags), r->isn + pk->seq);
    if (pk->flags & TCP_ACK)
        k += snprintf(line + k, sizeof line - (size_t)k, " ack=%" PRIu32, pk->ack);
    k += snprintf(line + k, sizeof line - (size_t)k, " len=%" PRIu32, pk->len);
    if (pk->win >= 0)
        k += snprintf(line + k, sizeof line - (size_t)k, " win=%d", (int)pk->win);
    if (pk->mss >= 0)
        snprintf(line + k, sizeof line - (size_t)k, " mss=%d", (int)pk->mss);
    fprintf(r->tr, "%s\n", line);
}

/* --- events ----------------------------------------------------------------- */

/* A blocking call (START...END) finishes at END: accept takes the
 * connection then, connect and read are checked then. */
struct pending {
    const struct pkt_event *e;
    int64_t end_us;
};

static int run_event(struct run *r, const struct pkt_event *e, struct pending *pend, size_t *npend)
{
    int64_t t = r->base_us, end = 0, sent = 0;
    switch (e->time.type) {
    case PKT_ABS: case PKT_ABS_RANGE: t = e->time.us; end = e->time.end_us; break;
    case PKT_REL: case PKT_REL_RANGE: t = r->base_us + e->time.us; end = r->base_us + e->time.end_us; break;
    case PKT_ANY: case PKT_NONE: break;
    }
    if (e->time.type != PKT_ABS_RANGE && e->time.type != PKT_REL_RANGE)
        end = t;
    /* Blocking calls return before anything later happens. */
    for (size_t i = 0; i < *npend;) {
        if (pend[i].end_us <= t && e->time.type != PKT_ANY) {
            const struct pkt_event *saved = r->ev;
            r->ev = pend[i].e;
            int rc = run_advance_to(r, pend[i].end_us) ? -1 : map_syscall(r, pend[i].e, true);
            r->ev = saved;
            memmove(&pend[i], &pend[i + 1], (--*npend - i) * sizeof *pend);
            if (rc)
                return -1;
        } else {
            i++;
        }
    }
    r->ev = e;
    if (e->kind != PKT_DIRECTIVE)
        run_comment(r, "%d: %s", e->line, e->line <= (int)r->sc->nlines ? r->sc->lines[e->line - 1] : "");
    switch (e->kind) {
    case PKT_PACKET:
        if (e->pkt.inbound) {
            if (advance_before(r, t) || inbound(r, &e->pkt))
                return -1;
            break;
        }
        if (outbound(r, e, t, end, &sent)) {
            if (!r->o->translate)
                return -1;
        }
        translate_outbound(r, &e->pkt);
        if (e->time.type == PKT_ANY || e->time.type == PKT_ABS_RANGE || e->time.type == PKT_REL_RANGE)
            t = sent;   /* the next +time counts from when it was sent */
        break;
    case PKT_SYSCALL:
        if (run_advance_to(r, t))
            return -1;
        if (e->call.blocking) {
            int64_t call_end = e->time.type == PKT_REL ? r->base_us + e->call.end_us : e->call.end_us;
            if (*npend == 16)
                return run_fail(r, _("more than 16 blocking calls at once"));
            pend[(*npend)++] = (struct pending){ e, call_end };
        }
        if (map_syscall(r, e, false))
            return -1;
        break;
    case PKT_SHELL:
        if (run_advance_to(r, t) || map_shell(r, e->text))
            return -1;
        break;
    case PKT_CODE:
        if (run_advance_to(r, t) || map_code(r, e->text))
            return -1;
        break;
    case PKT_DIRECTIVE:
        if (run_exec(r, "%s", e->text))
            return -1;
        break;
    }
    r->base_us = t;
    return 0;
}

static char *slurp_file(const char *path)
{
    FILE *f = session_open(path);
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t k;
    while (m && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, k, m);
    bool bad = ferror(f);
    fclose(f);
    if (m)
        fclose(m);
    if (bad || !m || memchr(buf, '\0', len)) {
        free(buf);
        errno = bad ? EIO : (m ? EINVAL : ENOMEM);
        return NULL;
    }
    return buf;
}

int pkt_run_text(const struct sim_config *cfg, const struct pkt_opts *o, const char *path, const char *text,
                 FILE *out, FILE *err_out)
{
    struct pkt_script sc;
    char err[PKT_ERRLEN];
    if (pkt_parse(text, o->defines, o->ndefines, &sc, err, sizeof err)) {
        fprintf(err_out, "%s:%s\n", path, err);
        pkt_script_free(&sc);
        return 1;
    }
    for (size_t i = 0; i < sc.n; i++) {
        if (sc.ev[i].kind == PKT_SYSCALL && map_check_call(&sc.ev[i], err, sizeof err)) {
            fprintf(err_out, "%s:%d:%d: %s\n", path, sc.ev[i].line, sc.ev[i].col, err);
            pkt_script_free(&sc);
            return 1;
        }
    }
    struct run r = { .o = o, .path = path, .sc = &sc, .listen_fd = -1, .conn_fd = -1, .out = out, .err = err_out };
    r.kernel = map_kernel_role(&sc);
    r.remote = ep_peer(r.kernel);
    r.tr = open_memstream(&r.tr_buf, &r.tr_len);
    FILE *sink = (o->verbose && !o->translate) ? out : fopen("/dev/null", "w");
    if (!r.tr || !sink) {
        fprintf(err_out, _("tcpsim: out of memory\n"));
        if (r.tr)
            fclose(r.tr);
        free(r.tr_buf);
        if (sink && sink != out)
            fclose(sink);
        pkt_script_free(&sc);
        return 1;
    }
    session_init(&r.s, cfg, sink, err_out);
    r.s.echo = true;
    r.s.file = path;
    r.s.sandboxed = true;           /* a script's directives touch no files */
    r.s.observer = on_event;
    r.s.observer_ctx = &r;
    if (o->verbose && !o->translate)
        ladder_header(&r.s.ladder);
    run_exec(&r, "set latency 0ms");
    run_exec(&r, "set %s absent on", ep_name(r.remote));
    run_exec(&r, "set %s autoread off", ep_name(r.kernel));    /* data waits for read(), as in a kernel */
    struct pending pend[16];
    size_t npend = 0;
    for (size_t i = 0; i < sc.n && (!r.failed || o->translate); i++)
        run_event(&r, &sc.ev[i], pend, &npend);
    for (size_t i = 0; i < npend && (!r.failed || o->translate); i++) {
        r.ev = pend[i].e;
        if (!run_advance_to(&r, pend[i].end_us))
            map_syscall(&r, pend[i].e, true);
    }
    session_free(&r.s);
    fclose(r.tr);
    if (o->translate) {
        fprintf(out, "# %s, as tcpsim runs it (tcpsim --packetdrill --translate)\n"
                     "# the %s plays the kernel; the %s is the script's side: absent, inject speaks for it\n",
                path, ep_name(r.kernel), ep_name(r.remote));
        /* Each connection's ISS is pinned, so the absolute numbers stay true. */
        size_t done = 0;
        for (size_t i = 0; i < r.npin; i++) {
            fwrite(r.tr_buf + done, 1, r.pin[i].at - done, out);
            fprintf(out, "set isn %s %" PRIu32 "\n", ep_name(r.kernel), r.pin[i].iss);
            done = r.pin[i].at;
        }
        fwrite(r.tr_buf + done, 1, r.tr_len - done, out);
    }
    free(r.tr_buf);
    if (sink != out)
        fclose(sink);
    pkt_script_free(&sc);
    return r.failed ? 1 : 0;
}

/* One script file: 0 PASS, 1 FAIL, 2 unreadable. */
static int run_file(const struct sim_config *cfg, const struct pkt_opts *o, const char *path)
{
    char *text = slurp_file(path);
    if (!text) {
        fprintf(stderr, _("tcpsim: cannot read %s: %s\n"), path,
                errno == EINVAL ? _("it holds a NUL byte: scripts are text") : i18n_strerror(errno));
        return 2;
    }
    int rc = pkt_run_text(cfg, o, path, text, stdout, stderr);
    free(text);
    return rc;
}

int pkt_run_files(const struct sim_config *cfg, const struct pkt_opts *o, int n, char **files)
{
    int passed = 0, failed = 0, unreadable = 0;
    for (int i = 0; i < n; i++) {
        fflush(stdout);
        int rc = run_file(cfg, o, files[i]);
        unreadable += rc == 2;
        if (o->translate) {
            failed += rc != 0;
            continue;
        }
        if (rc == 0)
            passed++;
        else
            failed++;
        if (rc != 0 || !o->quiet)
            printf("%s %s\n", rc == 0 ? "PASS" : "FAIL", files[i]);
    }
    if (!o->translate)
        printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    if (unreadable)
        return 2;
    return failed ? 1 : 0;
}
