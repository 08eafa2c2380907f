/* commands.c - the command table and the handlers of user calls, segment
 * crafting, the channel and clock, and the session commands.
 *
 * A new command is one row and one function.  `help`, argument checking
 * and readline completion all read this table.  A handler that fails
 * reports why and leaves the simulation as it was.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/expect.h"
#include "cli/quiz.h"
#include "cli/session.h"
#include "render/i18n.h"

#define EP_OF(ep) ((enum endpoint_id)(ep))

/* --- user calls ----------------------------------------------------------- */

static int call_failed(struct session *s, int ep, const char *call)
{
    const struct tcb *t = sim_tcb(&s->sim, EP_OF(ep));
    session_error(s, _("%s %s: %s is %s; %s needs %s (%s)"), ep_name(EP_OF(ep)), call, ep_name(EP_OF(ep)),
                  tcp_state_name(t->state), call, i18n_tr(sim_hint(&s->sim)), i18n_tr(sim_error(&s->sim)));
    return -1;
}

static int cmd_listen(struct session *s, int ep, int argc, char **argv)
{
    char err[ARG_ERRLEN];
    uint32_t backlog;
    if (argc == 0)
        return tcb_open_passive(sim_tcb(&s->sim, EP_OF(ep))) ? call_failed(s, ep, "listen") : 0;
    if (argc != 2 || strcasecmp(argv[0], "backlog") != 0 || ep != EP_SERVER) {
        session_error(s, _("listen: usage: server listen [backlog N] (the backlog is the server's)"));
        return -1;
    }
    if (arg_u32("backlog", argv[1], 1024, &backlog, err)) {
        session_error(s, "listen: %s", err);
        return -1;
    }
    if (backlog == 0) {
        session_error(s, _("listen: a backlog of 0 takes no SYN; write 1 to 1024"));
        return -1;
    }
    if (s->sim.lst.accepted) {
        session_error(s, _("server listen: the server holds an accepted connection; reset to start a new listener"));
        return -1;
    }
    return sim_listen_backlog(&s->sim, backlog) ? call_failed(s, ep, "listen") : 0;
}

static int cmd_accept(struct session *s, int ep, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (ep != EP_SERVER) {
        session_error(s, _("client accept: accept is a listener's call: server accept"));
        return -1;
    }
    if (sim_accept(&s->sim) != 0) {
        session_error(s, _("server accept: %s; accept needs %s"), i18n_tr(sim_error(&s->sim)), i18n_tr(sim_hint(&s->sim)));
        return -1;
    }
    session_say(s, _("accept() returns the connection from port %u"), (unsigned)s->sim.lst.accepted->rport);
    return 0;
}

static int cmd_connect(struct session *s, int ep, int argc, char **argv)
{
    (void)argc; (void)argv;
    return tcb_open_active(sim_tcb(&s->sim, EP_OF(ep))) ? call_failed(s, ep, "connect") : 0;
}

static int cmd_send(struct session *s, int ep, int argc, char **argv)
{
    (void)argc;
    char err[ARG_ERRLEN];
    const uint8_t *data;
    uint8_t *filler = NULL;
    size_t len;
    if (!s->arg_quoted[0] && (argv[0][0] == '-' || argv[0][0] == '+') && argv[0][1] >= '0' && argv[0][1] <= '9') {
        session_error(s, _("send: bad byte count '%.40s': write a count from 1 to 16777216, or \"%.40s\" in quotes "
                         "to send it as text"), argv[0], argv[0]);
        return -1;
    }
    if (!s->arg_quoted[0] && argv[0][0] >= '0' && argv[0][0] <= '9') {
        uint32_t n;
        if (arg_u32(N_("byte count"), argv[0], 16u * 1024 * 1024, &n, err)) {
            session_error(s, "send: %s", err);
            return -1;
        }
        if (n == 0) {
            session_error(s, _("send: 0 bytes is nothing to send; write a count from 1, or \"text\""));
            return -1;
        }
        filler = malloc(n);
        if (!filler) {
            session_error(s, _("send: out of memory for %" PRIu32 " bytes; send less at a time"), n);
            return -1;
        }
        for (uint32_t i = 0; i < n && i < 26; i++)
            filler[i] = (uint8_t)('a' + i);
        for (uint32_t k = 26; k < n; k *= 2)    /* abc...z repeated, doubling */
            memcpy(filler + k, filler, k < n - k ? k : n - k);
        data = filler;
        len = n;
    } else {
        data = (const uint8_t *)argv[0];
        len = strlen(argv[0]);
        if (len == 0) {
            session_error(s, _("send: the text is empty; write \"some text\" or a byte count"));
            return -1;
        }
    }
    int rc = tcb_send(sim_tcb(&s->sim, EP_OF(ep)), data, len);
    free(filler);
    return rc ? call_failed(s, ep, "send") : 0;
}

static int cmd_close(struct session *s, int ep, int argc, char **argv)
{
    (void)argc; (void)argv;
    return tcb_close_orphan(sim_tcb(&s->sim, EP_OF(ep))) ? call_failed(s, ep, "close") : 0;
}

static int cmd_shutdown(struct session *s, int ep, int argc, char **argv)
{
    (void)argc; (void)argv;
    return tcb_close(sim_tcb(&s->sim, EP_OF(ep))) ? call_failed(s, ep, "shutdown") : 0;
}

static int cmd_abort(struct session *s, int ep, int argc, char **argv)
{
    (void)argc; (void)argv;
    return tcb_abort(sim_tcb(&s->sim, EP_OF(ep))) ? call_failed(s, ep, "abort") : 0;
}

static int cmd_ack(struct session *s, int ep, int argc, char **argv)
{
    (void)argc; (void)argv;
    return tcb_send_ack(sim_tcb(&s->sim, EP_OF(ep))) ? call_failed(s, ep, "ack") : 0;
}

/* RECEIVE (RFC 9293 3.10.3): the application reads from its buffer. */
static int cmd_read(struct session *s, int ep, int argc, char **argv)
{
    uint32_t n = 0;
    char err[ARG_ERRLEN];
    if (argc == 1 && arg_u32(N_("byte count"), argv[0], UINT32_MAX, &n, err)) {
        session_error(s, "read: %s", err);
        return -1;
    }
    return tcb_read(sim_tcb(&s->sim, EP_OF(ep)), n) ? call_failed(s, ep, "read") : 0;
}

static int cmd_crash(struct session *s, int ep, int argc, char **argv)
{
    (void)argc; (void)argv;
    sim_crash(&s->sim, EP_OF(ep));
    session_say(s, _("%s crashed: its TCB is gone"), ep_name(EP_OF(ep)));
    return 0;
}

/* --- segment crafting ----------------------------------------------------- */

static int cmd_inject(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[ARG_ERRLEN];
    enum endpoint_id src;
    uint8_t flags;
    if (arg_direction(argv[0], &src, err)) {
        session_error(s, "inject: %s", err);
        return -1;
    }
    if (arg_flags(argv[1], &flags, err)) {
        session_error(s, "inject: %s", err);
        return -1;
    }
    struct segment seg = {
        .src = src, .sport = s->sim.cfg.port[src], .dport = s->sim.cfg.port[ep_peer(src)],
        .flags = flags, .wnd = (uint16_t)(s->sim.cfg.window > 65535 ? 65535 : s->sim.cfg.window),
    };
    bool have_seq = false;
    static const uint8_t zeros[SIM_MSS_MAX];
    for (int i = 2; i < argc; i++) {
        const char *v;
        uint32_t x;
        if ((v = arg_kv(argv[i], "seq"))) {
            if (arg_u32("seq", v, UINT32_MAX, &x, err))
                goto bad;
            seg.seq = x;
            have_seq = true;
        } else if ((v = arg_kv(argv[i], "ack"))) {
            if (arg_u32("ack", v, UINT32_MAX, &x, err))
                goto bad;
            seg.ack = x;
        } else if ((v = arg_kv(argv[i], "len"))) {
            if (arg_u32("len", v, SIM_MSS_MAX, &x, err))
                goto bad;
            seg.len = x;
        } else if ((v = arg_kv(argv[i], "win"))) {
            if (arg_u32("win", v, 65535, &x, err))
                goto bad;
            seg.wnd = (uint16_t)x;
        } else if ((v = arg_kv(argv[i], "mss"))) {
            if (arg_u32("mss", v, 65535, &x, err))
                goto bad;
            seg.mss = (uint16_t)x;      /* the MSS option (RFC 9293 3.7.1) */
        } else if ((v = arg_kv(argv[i], "sport"))) {
            if (arg_u32("sport", v, 65535, &x, err))
                goto bad;
            seg.sport = (uint16_t)x;    /* another host's port, or a spoofed one */
        } else if ((v = arg_kv(argv[i], "by")) && (!strcasecmp(v, "attacker") || !strcasecmp(v, "network"))) {
            seg.attacker = strcasecmp(v, "attacker") == 0;  /* only how the ladder draws it */
        } else {
            session_error(s, _("inject: unknown field '%.40s'; usage: inject DIR FLAGS seq=N [ack=N] [len=N] [win=N] [sport=N] [mss=N] [by=attacker|network]"), argv[i]);
            return -1;
        }
    }
    if (!have_seq) {
        session_error(s, _("inject: seq=N is required; usage: inject DIR FLAGS seq=N [ack=N] [len=N] [win=N] [sport=N] [mss=N] [by=attacker|network]"));
        return -1;
    }
    seg.data = seg.len ? zeros : NULL;
    return sim_inject(&s->sim, &seg) ? 0 : -1;
bad:
    session_error(s, "inject: %s", err);
    return -1;
}

static int segment_failed(struct session *s, const char *cmd, const char *id)
{
    session_error(s, _("%s %s: %s; write %s"), cmd, id, i18n_tr(sim_error(&s->sim)), i18n_tr(sim_hint(&s->sim)));
    return -1;
}

static int cmd_replay(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[ARG_ERRLEN];
    uint32_t id;
    uint64_t delay = 0;
    if (arg_segid(argv[0], &id, err)) {
        session_error(s, "replay: %s", err);
        return -1;
    }
    if (argc == 2 || (argc == 3 && strcasecmp(argv[1], "delay") != 0)) {
        session_error(s, _("replay: usage: replay #ID [delay DUR]"));
        return -1;
    }
    if (argc == 3 && arg_duration(argv[2], &delay, err)) {
        session_error(s, "replay: %s", err);
        return -1;
    }
    if (!channel_get(&s->sim.chan, id) && !channel_forgotten(&s->sim.chan, id)) {
        session_error(s, _("replay %s: no such segment; write an id shown by history"), argv[0]);
        return -1;
    }
    return sim_replay(&s->sim, id, delay) ? 0 : segment_failed(s, "replay", argv[0]);
}

/* --- channel and clock ------------------------------------------------------ */

/* The events processed before the storm changed the simulation: the
 * command is an error, and is logged for undo and save all the same. */
static int storm(struct session *s, const char *cmd)
{
    if (!s->sim.stopped)        /* Ctrl-C, which the session reports */
        session_storm(s, cmd);
    return CMD_FAILED_CHANGED;
}

static int cmd_step(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc; (void)argv;
    if (!sim_step(&s->sim)) {
        session_error(s, _("step: nothing to do: no segment in flight and no timer armed"));
        return -1;
    }
    return 0;
}

static int cmd_run(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc; (void)argv;
    return session_run_loop(s, LOOP_RUN, 0, SIM_STORM_LIMIT) ? 0 : storm(s, "run");
}

static int cmd_advance(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[ARG_ERRLEN];
    if (argc == 0) {
        uint64_t at;
        if (!sim_next_timer(&s->sim, &at)) {
            session_error(s, _("advance: no timer is armed; give a duration, e.g. advance 1s"));
            return -1;
        }
        at = at > s->sim.now ? at : s->sim.now;
        return session_run_loop(s, LOOP_ADVANCE, at, SIM_STORM_LIMIT) ? 0 : storm(s, "advance");
    }
    uint64_t ms;
    if (arg_duration(argv[0], &ms, err)) {
        session_error(s, "advance: %s", err);
        return -1;
    }
    uint64_t target = ms > UINT64_MAX - s->sim.now ? UINT64_MAX : s->sim.now + ms;
    return session_run_loop(s, LOOP_ADVANCE, target, SIM_STORM_LIMIT) ? 0 : storm(s, "advance");
}

static int with_id(struct session *s, const char *cmd, const char *arg, uint32_t *id)
{
    char err[ARG_ERRLEN];
    if (arg_segid(arg, id, err)) {
        session_error(s, "%s: %s", cmd, err);
        return -1;
    }
    return 0;
}

static int cmd_deliver(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc;
    uint32_t id;
    if (with_id(s, "deliver", argv[0], &id))
        return -1;
    return sim_deliver(&s->sim, id) ? segment_failed(s, "deliver", argv[0]) : 0;
}

static int cmd_drop(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[ARG_ERRLEN];
    if (strcasecmp(argv[0], "next") != 0) {
        uint32_t id;
        if (argc > 1) {
            session_error(s, _("drop: usage: drop #ID | drop next [DIR] [FLAGS]"));
            return -1;
        }
        if (with_id(s, "drop", argv[0], &id))
            return -1;
        return sim_drop(&s->sim, id) ? segment_failed(s, "drop", argv[0]) : 0;
    }
    struct drop_rule rule = { .any_dir = true, .any_flags = true };
    for (int i = 1; i < argc; i++) {
        if (strstr(argv[i], "->") && rule.any_dir) {
            if (arg_direction(argv[i], &rule.src, err)) {
                session_error(s, "drop next: %s", err);
                return -1;
            }
            rule.any_dir = false;
        } else if (rule.any_flags && tcp_flags_parse(argv[i], &rule.flags)) {
            rule.any_flags = false;
        } else if (!strstr(argv[i], "->") && rule.any_flags && arg_flags(argv[i], &rule.flags, err) == -2) {
            session_error(s, "drop next: %s", err);
            return -1;
        } else {
            session_error(s, _("drop next: '%.40s' is neither a direction (client->server) nor flags (SYN,ACK)"), argv[i]);
            return -1;
        }
    }
    if (sim_drop_next(&s->sim, rule))
        return segment_failed(s, "drop", "next");
    session_say(s, _("the next %s%s%s will be dropped"),
                rule.any_flags ? _("segment") : argv[argc - 1],
                rule.any_dir ? "" : " ", rule.any_dir ? "" : argv[1]);
    return 0;
}

static int cmd_dup(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc;
    uint32_t id;
    if (with_id(s, "dup", argv[0], &id))
        return -1;
    return sim_dup(&s->sim, id) ? segment_failed(s, "dup", argv[0]) : 0;
}

static int cmd_delay(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc;
    char err[ARG_ERRLEN], d[32];
    uint32_t id;
    uint64_t ms;
    if (with_id(s, "delay", argv[0], &id))
        return -1;
    if (arg_duration(argv[1], &ms, err)) {
        session_error(s, "delay: %s", err);
        return -1;
    }
    if (sim_delay(&s->sim, id, ms))
        return segment_failed(s, "delay", argv[0]);
    session_say(s, _("#%" PRIu32 " delayed by %s, arrives at %" PRIu64), id, fmt_duration(ms, d, sizeof d),
                channel_in_flight(&s->sim.chan, id)->arrive_at);
    return 0;
}

static int cmd_loss(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[ARG_ERRLEN];
    uint32_t ppm;
    enum endpoint_id src = EP_CLIENT;
    bool both = argc == 1;
    if (!both && arg_direction(argv[0], &src, err)) {
        session_error(s, "loss: %s", err);
        return -1;
    }
    if (arg_percent(argv[argc - 1], &ppm, err)) {
        session_error(s, "loss: %s", err);
        return -1;
    }
    if (both || src == EP_CLIENT)
        sim_set_loss(&s->sim, EP_CLIENT, ppm);
    if (both || src == EP_SERVER)
        sim_set_loss(&s->sim, EP_SERVER, ppm);
    return 0;
}

/* PORT or FIRST-LAST (the SYNs cycle through them). */
static int flood_ports(const char *text, uint32_t n, uint32_t *first, uint32_t *last, char *err)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s", text);
    char *dash = strchr(buf, '-');
    if (dash)
        *dash = '\0';
    if (arg_u32(N_("port"), buf, 65535, first, err) || (dash && arg_u32(N_("port"), dash + 1, 65535, last, err)))
        return -1;
    if (!dash)
        *last = *first + n - 1 > 65535 ? 65535 : *first + n - 1;
    if (*first == 0 || *last < *first) {
        snprintf(err, ARG_ERRLEN, _("ports '%.20s' must run from 1 to 65535, first to last"), text);
        return -1;
    }
    return 0;
}

static int cmd_flood(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[ARG_ERRLEN];
    uint32_t n, first = 50000, last;
    if (arg_u32(N_("SYN count"), argv[0], 10000, &n, err)) {
        session_error(s, "flood: %s", err);
        return -1;
    }
    if (n == 0) {
        session_error(s, _("flood: 0 SYNs is no flood; write 1 to 10000"));
        return -1;
    }
    last = first + n - 1 > 65535 ? 65535 : first + n - 1;
    if (argc == 2 || (argc == 3 && strcasecmp(argv[1], "from") != 0)) {
        session_error(s, _("flood: usage: flood N [from PORT | from FIRST-LAST]"));
        return -1;
    }
    if (argc == 3 && flood_ports(argv[2], n, &first, &last, err)) {
        session_error(s, "flood: %s", err);
        return -1;
    }
    sim_flood(&s->sim, n, (uint16_t)first, (uint16_t)last);
    return 0;
}

/* --- session ---------------------------------------------------------------- */

int cmd_quit(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc; (void)argv;
    s->quit = true;
    return 0;
}

const struct command commands[] = {
    /* user calls */
    { "listen", NULL, CMD_EP | CMD_CHANGES, 0, 2, cmd_listen, "ENDPOINT listen [backlog N]", N_("passive OPEN: wait for a SYN (with queues)"),
      "server listen", N_("a passive OPEN: the server waits in LISTEN; a SYN makes it SYN-RECEIVED (RFC 9293 3.5)") },
    { "accept", NULL, CMD_EP | CMD_CHANGES, 0, 0, cmd_accept, "server accept", N_("take an established connection off the queue"),
      "server accept", N_("the accept queue: the handshake completes in the kernel, accept() only takes the connection") },
    { "connect", "syn", CMD_EP | CMD_CHANGES, 0, 0, cmd_connect, "ENDPOINT connect", N_("active OPEN: send a SYN"),
      "client connect", N_("the active OPEN: a SYN with the ISS; it takes one sequence number (3.4, 3.5)") },
    { "send", NULL, CMD_EP | CMD_CHANGES, 1, 1, cmd_send, "ENDPOINT send N | \"text\"", N_("queue N bytes or the text for sending"),
      "client send \"hello\"", N_("data is numbered byte by byte: seq advances by len, the ACK names the next byte wanted (3.4)") },
    { "close", "fin", CMD_EP | CMD_CHANGES, 0, 0, cmd_close, "ENDPOINT close", N_("CLOSE: a FIN once the queued data is sent"),
      "client close", N_("the close: FIN takes one sequence number; FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT (3.6)") },
    { "shutdown", NULL, CMD_EP | CMD_CHANGES, 0, 0, cmd_shutdown, "ENDPOINT shutdown", N_("CLOSE as shutdown(SHUT_WR): a half-close (close() under linux orphans)"),
      "client shutdown", N_("the half-close: shutdown(SHUT_WR) sends a FIN but still receives (3.6)") },
    { "abort", "rst", CMD_EP | CMD_CHANGES, 0, 0, cmd_abort, "ENDPOINT abort", N_("ABORT: send a RST and forget the connection"),
      "client abort", N_("ABORT: a RST ends the connection at once, without TIME-WAIT (3.10.5)") },
    { "ack", NULL, CMD_EP | CMD_CHANGES, 0, 0, cmd_ack, "ENDPOINT ack", N_("send a bare ACK of RCV.NXT now"),
      "client ack", N_("an ACK carries RCV.NXT, the next sequence number expected (3.4)") },
    { "read", NULL, CMD_EP | CMD_CHANGES, 0, 1, cmd_read, "ENDPOINT read [N]", N_("RECEIVE: the application reads N bytes (all) of its buffer"),
      "client read 100", N_("flow control: unread data fills the buffer and shrinks the window the ACKs offer (3.8.6)") },
    { "crash", NULL, CMD_EP | CMD_CHANGES, 0, 0, cmd_crash, "ENDPOINT crash", N_("the host loses its TCB and sends nothing"),
      "server crash", N_("half-open connections: the survivor learns of the crash by a RST (3.5.1, Figure 9)") },
    /* segment crafting */
    { "inject", NULL, CMD_CHANGES, 3, 9, cmd_inject, "inject DIR FLAGS seq=N [ack=N] [len=N] [win=N] [sport=N] [mss=N] [by=attacker]", N_("put a crafted segment on the wire"),
      "inject c->s SYN seq=1000", N_("old duplicates and attacks: how a TCB judges a segment it did not expect (3.10.7)") },
    { "replay", NULL, CMD_CHANGES, 1, 3, cmd_replay, "replay #ID [delay DUR]", N_("put a copy of an earlier segment back on the wire"),
      "replay #1 delay 1s", N_("a delayed old duplicate, the reason for the three-way handshake (3.5, Figure 8)") },
    /* channel and clock */
    { "step", NULL, CMD_CHANGES, 0, 0, cmd_step, "step", N_("process the next event (an arrival or a timer)"),
      "step", N_("one event at a time: which segment arrives when, and what it changes") },
    { "run", NULL, CMD_CHANGES, 0, 0, cmd_run, "run", N_("process events until no segment is in flight"),
      "run", N_("the channel until quiet; timers still armed stay armed") },
    { "advance", NULL, CMD_CHANGES, 0, 1, cmd_advance, "advance [DUR]", N_("move the clock by DUR, or to the next timer"),
      "advance 60s", N_("timers: retransmission with backoff (RFC 6298), TIME-WAIT's 2 x MSL (3.6.1)") },
    { "deliver", NULL, CMD_CHANGES, 1, 1, cmd_deliver, "deliver #ID", N_("deliver an in-flight segment now"),
      "deliver #3", N_("reordering: a segment that overtakes another") },
    { "drop", NULL, CMD_CHANGES, 1, 3, cmd_drop, "drop #ID | drop next [DIR] [FLAGS]", N_("lose a segment in flight, or the next one sent"),
      "drop next s->c SYN,ACK", N_("loss and retransmission: what each side resends, and when (3.8.1)") },
    { "dup", NULL, CMD_CHANGES, 1, 1, cmd_dup, "dup #ID", N_("duplicate an in-flight segment"),
      "dup #3", N_("duplicates: the receiver ACKs again and discards the copy (3.10.7.4)") },
    { "delay", NULL, CMD_CHANGES, 2, 2, cmd_delay, "delay #ID DUR", N_("hold an in-flight segment longer"),
      "delay #1 2s", N_("a segment that arrives late, after the connection moved on") },
    { "flood", NULL, CMD_CHANGES, 1, 3, cmd_flood, "flood N [from PORTS]", N_("N spoofed SYNs that never answer"),
      "flood 100", N_("SYN flooding: a full SYN queue, and SYN cookies (RFC 4987)") },
    { "loss", NULL, CMD_CHANGES, 1, 2, cmd_loss, "loss [DIR] PCT", N_("random loss rate for new segments (seeded)"),
      "loss c->s 20%", N_("random loss, seeded: the same seed loses the same segments") },
    /* inspection */
    { "show", NULL, CMD_EP_OPT, 0, 1, cmd_show, "show [ENDPOINT]", N_("the TCBs: state, sequence variables, timers"),
      "show client", N_("the TCB: ISS, IRS, SND.UNA, SND.NXT, RCV.NXT and the windows (3.3.1)") },
    { "inflight", NULL, 0, 0, 0, cmd_inflight, "inflight", N_("segments on the wire with their ids"),
      "inflight", N_("what is on the wire right now, to deliver, drop or delay") },
    { "history", NULL, 0, 0, 0, cmd_history, "history", N_("every segment so far with its fate"),
      "history", N_("every segment with its fate: delivered, dropped or in flight") },
    { "segment", NULL, 0, 1, 1, cmd_segment, "segment #ID", N_("one segment's header fields"),
      "segment #2", N_("the header fields of one segment, and the rule that sent it") },
    { "help", NULL, CMD_NOLOG, 0, 1, cmd_help, "help [COMMAND]", N_("this list, or one command"),
      "help close", N_("the commands, their arguments and what each shows") },
    /* settings, tests, session */
    { "set", NULL, CMD_CHANGES, 0, 4, cmd_set, "set [NAME VALUE]", N_("change a setting; alone, list them"),
      "set handshake two-way", N_("settings; set alone lists them all") },
    { "ask", NULL, 0, 1, 16, cmd_ask, "ask \"TEXT\" ANSWER... | ask state ENDPOINT | ask ENDPOINT FIELD",
      N_("a question for --quiz (skipped otherwise); state and field answers come from the simulation"),
      "ask state server", N_("predicting before seeing: the class answers, then the lesson shows it (--quiz)") },
    { "expect", NULL, 0, 1, 8, cmd_expect, "expect CHECK", N_("check the simulation (help expect: the checks)"),
      "expect client ESTABLISHED", N_("checks that make a scenario a test; help expect lists them") },
    { "reset", NULL, CMD_CHANGES, 0, 1, cmd_reset, "reset [all]", N_("start over, settings kept (all: defaults)"),
      "reset", N_("a fresh start for the next experiment, under the same settings (it names those changed)") },
    { "caption", NULL, 0, 1, 64, cmd_caption, "caption TEXT", N_("a line of commentary (any language)"),
      "caption 第一次握手: the client sends SYN", N_("the teacher's words in the transcript, beside what they explain") },
    { "undo", NULL, CMD_NOLOG, 0, 0, cmd_undo, "undo", N_("undo the last command that changed the simulation"),
      "undo", N_("try another path from the same point") },
    { "save", NULL, CMD_NOLOG, 1, 3, cmd_save, "save FILE | save --packetdrill FILE ENDPOINT", N_("the session as a scenario file, or ENDPOINT's side as a packetdrill script"),
      "save lesson.tcpsim", N_("keep this session as a scenario to replay or test, or as a script for a real kernel") },
    { "sweep", NULL, CMD_NOLOG, 1, 1, cmd_sweep, "sweep FILE", N_("rerun a scenario once per segment, losing it"),
      "sweep scenarios/fig12-normal-close.tcpsim", N_("every loss a scenario can suffer, and that TCP survives each") },
    { "log", NULL, CMD_NOLOG, 1, 2, cmd_log, "log json FILE | log off", N_("write the events as JSON Lines (FILE - is stdout)"),
      "log json events.jsonl", N_("the events as data, for scripts and plots") },
    { "capture", NULL, CMD_NOLOG, 1, 1, cmd_capture, "capture FILE | capture off", N_("write every segment sent to a pcap file"),
      "capture lesson.pcap", N_("open the session in Wireshark: the same seq and ack") },
    { "export", NULL, CMD_NOLOG, 2, 2, cmd_export, "export svg|html FILE", N_("the session so far as an SVG picture or a stepping web page"),
      "export html lesson.html", N_("the lesson as the textbooks draw it, to step through in a browser") },
    { "quit", "exit", CMD_NOLOG, 0, 0, cmd_quit, "quit", N_("leave tcpsim (also exit, or end of input)"),
      "quit", N_("leaving") },
};
const size_t n_commands = sizeof commands / sizeof commands[0];
