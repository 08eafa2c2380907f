/* pkt_save.c - `save --packetdrill FILE ENDPOINT`: one side of the
 * session as a packetdrill script, for a real kernel and for tcpsim's
 * own --packetdrill.
 *
 * The session's commands are replayed in a silent session (the engine is
 * deterministic) while a recorder keeps, in order and with their times,
 * what ENDPOINT's application called, what ENDPOINT sent (`>`), what
 * reached it (`<`) and what its application read.  Its own sequence
 * numbers are written relative to its first SYN (absolute before it),
 * the other side's relative to that side's first SYN, as packetdrill
 * numbers them.  Settings tcpsim models that no sysctl names are kept as
 * "// tcpsim: set ..." comments, which packetdrill ignores and tcpsim
 * runs.  Only what follows the session's last `reset` is written.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/i18n.h"
#include "cli/args.h"
#include "cli/lexer.h"
#include "cli/pkt.h"
#include "cli/session.h"

enum item_kind { I_SEND, I_RECV, I_CALL, I_READ, I_DIRECTIVE, I_ESTABLISHED, I_COMMENT };

struct item {
    enum item_kind kind;
    uint64_t t;
    struct segment seg;         /* SEND, RECV (data not kept) */
    char text[120];             /* CALL: the command; DIRECTIVE, COMMENT: the text */
    uint32_t len;               /* READ */
};

struct recorder {
    enum endpoint_id ep;
    struct sim *sim;
    struct item *it;
    size_t n, cap;
    bool oom;
};

static struct item *add(struct recorder *r, enum item_kind kind, uint64_t t)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct item *p = realloc(r->it, cap * sizeof *p);
        if (!p) {
            r->oom = true;
            return NULL;
        }
        r->it = p;
        r->cap = cap;
    }
    struct item *i = &r->it[r->n++];
    memset(i, 0, sizeof *i);
    i->kind = kind;
    i->t = t;
    return i;
}

static void on_event(void *ctx, const struct event *ev)
{
    struct recorder *r = ctx;
    struct item *i;
    switch (ev->type) {
    case EV_SEND:
        if (ev->seg->src == r->ep && ev->seg->origin == ORIGIN_TCB && (i = add(r, I_SEND, ev->t)))
            i->seg = *ev->seg;
        break;
    case EV_DELIVER:
        if (ev->seg->src == r->ep)
            break;
        if (ev->seg->dport != r->sim->cfg.port[r->ep]) {
            if ((i = add(r, I_COMMENT, ev->t)))
                snprintf(i->text, sizeof i->text, "a segment to port %u, not the socket's, arrives: left out",
                         ev->seg->dport);
        } else if ((i = add(r, I_RECV, ev->t))) {
            i->seg = *ev->seg;
        }
        break;
    case EV_RECEIVE:
        if (ev->ep == r->ep && (i = add(r, I_READ, ev->t)))
            i->len = ev->len;
        break;
    case EV_STATE:
        if (ev->ep == r->ep && ev->to == ESTABLISHED && ev->from == SYN_RECEIVED && ev->port == 0 &&
            r->sim->tcb[r->ep].passive_open)
            add(r, I_ESTABLISHED, ev->t);
        break;
    default:
        break;
    }
}

/* The settings that change how the endpoint behaves, kept as directives. */
static bool kept_setting(const struct words *w, enum endpoint_id ep)
{
    static const char *const kept[] = { "msl", "mss", "window", "retries", "rfc1337", "rto", "handshake",
                                        "syncookies", "syn-retries", "ratelimit", "profile", NULL };
    enum endpoint_id e;
    if (w->argc < 2)
        return false;
    if (arg_endpoint(w->argv[1], &e))       /* set client autoack off */
        return e == ep && w->argc == 4 &&
               (strcasecmp(w->argv[2], "autoack") == 0 || strcasecmp(w->argv[2], "autoread") == 0);
    for (size_t i = 0; kept[i]; i++)
        if (strcasecmp(w->argv[1], kept[i]) == 0)
            return true;
    return false;
}

/* Replay the session's commands, recording.  A `reset` starts again. */
static int record(struct session *s, struct recorder *r)
{
    struct session sub;
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        return -1;
    session_init(&sub, &s->cfg0, null, null);
    sub.quiet = true;
    sub.sandboxed = true;
    sub.observer = on_event;
    sub.observer_ctx = r;
    r->sim = &sub.sim;
    for (size_t k = 0; k < s->log.len; k++) {
        const char *line = session_log_line(s, k);
        struct words w;
        const char *lex_err;
        enum endpoint_id e;
        if (lex_line(line, &w, &lex_err) == 0 && w.argc > 0) {
            const struct command *c = w.argc > 1 && arg_endpoint(w.argv[0], &e) && e == r->ep ? command_find(w.argv[1]) : NULL;
            struct item *i = NULL;
            if (strcasecmp(w.argv[0], "reset") == 0)
                r->n = 0;
            else if (c && (c->flags & CMD_EP))
                i = add(r, I_CALL, sub.sim.now);
            else if (strcasecmp(w.argv[0], "set") == 0 && kept_setting(&w, r->ep))
                i = add(r, I_DIRECTIVE, sub.sim.now);
            if (i)
                snprintf(i->text, sizeof i->text, "%s", c ? c->name : line);
            if (i && c && strcmp(c->name, "send") == 0 && w.argc == 3)     /* send N | "text": its length */
                snprintf(i->text, sizeof i->text, "send %zu", (!w.quoted[2] && w.argv[2][0] >= '0' &&
                         w.argv[2][0] <= '9') ? (size_t)strtoul(w.argv[2], NULL, 10) : strlen(w.argv[2]));
            else if (i && c && w.argc > 2)  /* the call's arguments */
                for (int a = 2; a < w.argc; a++)
                    snprintf(i->text + strlen(i->text), sizeof i->text - strlen(i->text), " %s", w.argv[a]);
            lex_free(&w);
        }
        session_exec(&sub, line);
    }
    session_free(&sub);
    fclose(null);
    return r->oom ? -1 : 0;
}

struct writer {
    FILE *f;
    enum endpoint_id ep;
    uint16_t lport, rport;
    bool have_lisn, have_risn;
    seq_t lisn, risn;           /* the endpoint's first SYN, the other side's */
    seq_t syn_seq;              /* the endpoint's last SYN */
    int fd;                     /* the connection's descriptor */
    bool listening;
};

static void packet(struct writer *w, const struct item *i)
{
    const struct segment *g = &i->seg;
    bool out = i->kind == I_SEND;
    char f[8];
    /* As the runner learns it: a connection's first SYN (one whose
     * sequence number the last SYN did not have) sets the base. */
    if (out && (g->flags & TCP_SYN) && (!w->have_lisn || g->seq != w->syn_seq)) {
        w->lisn = w->syn_seq = g->seq;
        w->have_lisn = true;
    }
    seq_t base = out ? (w->have_lisn ? w->lisn : 0) : w->risn;
    seq_t ack_base = out ? w->risn : (w->have_lisn ? w->lisn : 0);
    seq_t seq = g->seq - base;
    fprintf(w->f, "%" PRIu64 ".%03" PRIu64 " %c ", i->t / 1000, i->t % 1000, out ? '>' : '<');
    uint16_t other = out ? g->dport : g->sport;
    if (other != w->rport)
        fprintf(w->f, "%u>%u ", g->sport, g->dport);
    fprintf(w->f, "%s %" PRIu32 ":%" PRIu32 "(%" PRIu32 ")", pkt_flags_str(g->flags, f, sizeof f), seq, seq + g->len,
            g->len);
    if (g->flags & TCP_ACK)
        fprintf(w->f, " ack %" PRIu32, g->ack - ack_base);
    if (!out)
        fprintf(w->f, " win %u", g->wnd);
    if (g->mss)
        fprintf(w->f, " <mss %u>", g->mss);
    else if (out && (g->flags & TCP_SYN))
        fputs(" <...>", w->f);
    fputc('\n', w->f);
}

static void call(struct writer *w, const struct item *i)
{
    char t[32];
    snprintf(t, sizeof t, "%" PRIu64 ".%03" PRIu64, i->t / 1000, i->t % 1000);
    char name[32];
    sscanf(i->text, "%31s", name);
    if (strcmp(name, "listen") == 0 || strcmp(name, "connect") == 0)
        w->have_lisn = false;   /* a new socket: the runner learns its ISN afresh */
    if (strcmp(name, "listen") == 0) {
        unsigned backlog = 0;
        sscanf(i->text, "listen backlog %u", &backlog);
        if (!backlog)   /* tcpsim runs the same listen; listen() then changes nothing */
            fprintf(w->f, "// tcpsim listens with RFC 9293's single TCB, no queues: calls may act on\n"
                          "// it before accept(), which a kernel's listening socket refuses\n"
                          "// tcpsim: %s listen\n", ep_name(w->ep));
        backlog += !backlog;
        fprintf(w->f, "%s socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                      "%s setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
                      "%s bind(3, ..., ...) = 0\n%s listen(3, %u) = 0\n", t, t, t, t, backlog);
        w->listening = true;
    } else if (strcmp(name, "connect") == 0) {
        if (w->listening)
            fputs("// tcpsim connects a listening socket; packetdrill needs a socket of its own\n", w->f);
        fprintf(w->f, "%s socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                      "%s fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
                      "%s connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n", t, t, t);
        w->fd = 3;
    } else if (strcmp(name, "accept") == 0) {
        fprintf(w->f, "%s accept(3, ..., ...) = 4\n", t);
        w->fd = 4;
    } else if (strcmp(name, "send") == 0) {
        long n = strtol(i->text + 5, NULL, 10);
        fprintf(w->f, "%s write(%d, ..., %ld) = %ld\n", t, w->fd, n, n);
    } else if (strcmp(name, "close") == 0) {
        fprintf(w->f, "%s close(%d) = 0\n", t, w->fd);
    } else if (strcmp(name, "shutdown") == 0) {
        fprintf(w->f, "%s shutdown(%d, SHUT_WR) = 0\n", t, w->fd);
    } else if (strcmp(name, "abort") == 0) {
        fprintf(w->f, "%s setsockopt(%d, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n%s close(%d) = 0\n",
                t, w->fd, t, w->fd);
    } else if (strcmp(name, "read") != 0) {     /* the reads are written as data arrives */
        fprintf(w->f, "// tcpsim: %s %s\n", ep_name(w->ep), i->text);
    }
}

/* Where Linux still differs from the profile, for the header. */
static void differences(struct writer *w, const struct sim_config *c)
{
    char d1[32], d2[32];
    if (c->profile == &profile_linux) {
        fputs("// The linux profile models Linux 6.x's defaults and rules (its window, RTO\n"
              "// floor, retries, delayed ACKs, rate limit: ../shared/oracle/LINUX.md).\n"
              "// What remains: window scaling and timestamps are off here (tcpsim has\n"
              "// neither), Linux's congestion window is not modelled, and its ISNs are\n"
              "// its own (the numbers below are relative to each side's).\n", w->f);
        return;
    }
    fprintf(w->f, "// Where Linux still differs from the %s profile, these lines fail on it:\n"
                  "// - windows: Linux advertises its own (64240 on a SYN), so '>' lines leave\n"
                  "//   win out; its receive buffer is not the session's window (%" PRIu32 ").\n"
                  "// - timers: Linux's RTO floor is 200 ms (here %s), its TIME-WAIT 60 s\n"
                  "//   whatever the MSL (here 2 x %s).\n"
                  "// - Linux delays ACKs (up to 40 ms at first) and may merge them with a FIN;\n"
                  "//   it sends data with a congestion window (10 segments at first); tcpsim\n"
                  "//   ACKs at once and sends what the window allows.\n"
                  "// - Linux's ISN is its own: the numbers below are relative to each side's.\n",
            c->profile ? c->profile->name : "rfc9293", c->window, fmt_duration(c->rto_min_ms, d1, sizeof d1),
            fmt_duration(c->msl_ms, d2, sizeof d2));
    if (c->profile == &profile_rfc793)
        fputs("// - Linux applies RFC 5961 whatever its sysctls: an in-window RST or SYN\n"
              "//   draws a challenge ACK, not the reset of RFC 793 (a FreeBSD host without\n"
              "//   it: sysctl net.inet.tcp.insecure_rst=1 net.inet.tcp.insecure_syn=1).\n", w->f);
}

static void header(struct writer *w, const struct session *s, const char *path)
{
    const struct sim_config *c = &s->cfg0;
    fprintf(w->f, "// The %s's side of a tcpsim session, written by 'save --packetdrill %s %s'.\n"
                  "// On a Linux host, as root: packetdrill %s\n"
                  "// In tcpsim: tcpsim --packetdrill %s\n"
                  "//\n"
                  "// The sysctls below bring Linux closest to tcpsim: no timestamps, SACK,\n"
                  "// window scaling or ECN (tcpsim sends no such options), no global limit on\n"
                  "// challenge ACKs, and the session's retries and rate limit.\n",
            ep_name(w->ep), path, ep_name(w->ep), path, path);
    differences(w, c);
    fprintf(w->f, "`sysctl -q -w net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0 "
                  "net.ipv4.tcp_ecn=0 net.ipv4.tcp_challenge_ack_limit=2147483647 net.ipv4.tcp_invalid_ratelimit=%" PRIu32
                  " net.ipv4.tcp_rfc1337=%d net.ipv4.tcp_retries2=%" PRIu32 " net.ipv4.tcp_syn_retries=%" PRIu32
                  " net.ipv4.tcp_synack_retries=%" PRIu32 "`\n",
            c->ratelimit_ms, c->rfc1337 ? 1 : 0, c->retries, c->syn_retries, c->synack_retries);
    /* The sysctls set what tcpsim can say of them; the profile, all of the
     * session's first settings (syn-retries, for one, sets both limits). */
    fprintf(w->f, "// tcpsim: set profile %s\n\n", c->profile ? c->profile->name : "rfc9293");
}

static int pkt_save(struct session *s, const char *path, enum endpoint_id ep, char *err, size_t errlen)
{
    struct recorder r = { .ep = ep };
    if (record(s, &r)) {
        free(r.it);
        snprintf(err, errlen, _("out of memory replaying the session"));
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        free(r.it);
        snprintf(err, errlen, _("cannot write %.100s: %s; choose another path"), path, i18n_strerror(errno));
        return -1;
    }
    struct writer w = { .f = f, .ep = ep, .lport = s->cfg0.port[ep], .rport = s->cfg0.port[ep_peer(ep)], .fd = 3 };
    /* The other side's numbers start at its first SYN, unless SYN cookies
     * hash them (then the kernel must see them as they were). */
    bool cookies = false;
    for (size_t i = 0; i < r.n; i++)
        cookies |= r.it[i].kind == I_DIRECTIVE && strstr(r.it[i].text, "syncookies on");
    for (size_t i = 0; i < r.n && !cookies; i++)
        if (r.it[i].kind == I_RECV && (r.it[i].seg.flags & TCP_SYN) && r.it[i].seg.sport == w.rport) {
            w.risn = r.it[i].seg.seq;
            break;
        }
    header(&w, s, path);
    /* tcpsim's runner keeps data for read() (autoread off), as a kernel does;
     * the session's application read everything at once. */
    fprintf(f, "// tcpsim: set %s autoread on\n", ep_name(ep));
    bool accepted = false;
    for (size_t i = 0; i < r.n; i++) {
        const struct item *it = &r.it[i];
        switch (it->kind) {
        case I_SEND: case I_RECV: packet(&w, it); break;
        case I_CALL:
            accepted |= strncmp(it->text, "accept", 6) == 0;
            call(&w, it);
            break;
        case I_DIRECTIVE: fprintf(f, "// tcpsim: %s\n", it->text); break;
        case I_COMMENT: fprintf(f, "// %s\n", it->text); break;
        case I_READ:
            fprintf(f, "%" PRIu64 ".%03" PRIu64 " read(%d, ..., %" PRIu32 ") = %" PRIu32 "\n", it->t / 1000, it->t % 1000,
                    w.fd, it->len, it->len);
            break;
        case I_ESTABLISHED:         /* a listen without a backlog: accept() now */
            if (!accepted) {
                struct item a = { .kind = I_CALL, .t = it->t };
                snprintf(a.text, sizeof a.text, "accept");
                call(&w, &a);
                accepted = true;
            }
            break;
        }
    }
    free(r.it);
    if (ferror(f) | (fclose(f) != 0)) {
        snprintf(err, errlen, _("writing %.100s failed: %s"), path, i18n_strerror(errno));
        return -1;
    }
    return 0;
}

int cmd_save_packetdrill(struct session *s, int argc, char **argv)
{
    enum endpoint_id e;
    char err[300];
    if (argc != 3 || strcmp(argv[0], "--packetdrill") != 0 || !arg_endpoint(argv[2], &e)) {
        session_error(s, _("save: usage: save FILE | save --packetdrill FILE ENDPOINT (the endpoint that plays the kernel)"));
        return -1;
    }
    char pb[4096];
    const char *path = session_file(s, "save", argv[1], pb, sizeof pb);
    if (!path)
        return -1;
    if (pkt_save(s, path, e, err, sizeof err)) {
        session_error(s, "save --packetdrill: %s", err);
        return -1;
    }
    session_say(s, _("saved the %s's side to %.60s as a packetdrill script"), ep_name(e), argv[1]);
    return 0;
}
