/* inspect.c - the inspection commands: show (both TCBs side by side),
 * inflight, history and segment.  They read the engine, change nothing. */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/session.h"
#include "render/i18n.h"
#include "render/text.h"

#define HALF 38
#define HALF_BYTES (HALF * 4 + 1)   /* HALF columns of UTF-8 (the labels may be Chinese) */

/* Two columns side by side, measured by display width. */
static void pair(FILE *out, const char *a, const char *b)
{
    char left[HALF_BYTES];
    snprintf(left, sizeof left, "%.*s", text_fit(a, HALF, false), a);
    int pad = HALF - text_width(left);
    fprintf(out, "  %s%*s %s\n", left, pad > 0 ? pad : 0, "", b);
}

static void timers(const struct tcb *t, char *buf, size_t n)
{
    int k = snprintf(buf, n, _("timers   "));
    if (t->rtx_timer.armed)
        k += snprintf(buf + k, n - (size_t)k, "retransmit@%" PRIu64 " ", t->rtx_timer.at);
    if (t->tw_timer.armed)
        k += snprintf(buf + k, n - (size_t)k, "time-wait@%" PRIu64 " ", t->tw_timer.at);
    if (t->fw2_timer.armed)
        k += snprintf(buf + k, n - (size_t)k, "fin-wait-2@%" PRIu64 " ", t->fw2_timer.at);
    if (t->persist_timer.armed)
        k += snprintf(buf + k, n - (size_t)k, "persist@%" PRIu64 " ", t->persist_timer.at);
    if (t->delack_timer.armed)
        k += snprintf(buf + k, n - (size_t)k, "delayed-ack@%" PRIu64 " ", t->delack_timer.at);
    if (!t->rtx_timer.armed && !t->tw_timer.armed && !t->persist_timer.armed && !t->delack_timer.armed &&
        !t->fw2_timer.armed)
        snprintf(buf + k, n - (size_t)k, _("none"));
    size_t len = strlen(buf);           /* no blank after the last timer */
    while (len > 0 && buf[len - 1] == ' ')
        buf[--len] = '\0';
}

/* Each TCB as lines of text, its numbers as the ladder writes them. */
static void tcb_lines(const struct ladder *l, const struct tcb *t, char lines[][HALF_BYTES], int *n)
{
    int k = 0;
    char a[24], b[24];
    enum endpoint_id me = t->ep, peer = ep_peer(t->ep);
    bool has = t->state != CLOSED && t->state != LISTEN;
    bool sync = has && t->state != SYN_SENT;
    snprintf(lines[k++], HALF_BYTES, "%s %s", ep_name(t->ep), tcp_state_name(t->state));
    if (has) {
        snprintf(lines[k++], HALF_BYTES, "ISS      %s", ladder_number(l, me, t->iss, a, sizeof a));
        if (sync)
            snprintf(lines[k++], HALF_BYTES, "IRS      %s", ladder_number(l, peer, t->irs, a, sizeof a));
        else
            snprintf(lines[k++], HALF_BYTES, "IRS      -");
        snprintf(lines[k++], HALF_BYTES, "SND.UNA  %s", ladder_number(l, me, t->snd_una, a, sizeof a));
        snprintf(lines[k++], HALF_BYTES, "SND.NXT  %s", ladder_number(l, me, t->snd_nxt, b, sizeof b));
        snprintf(lines[k++], HALF_BYTES, "SND.WND  %" PRIu32, t->snd_wnd);
        if (sync)
            snprintf(lines[k++], HALF_BYTES, "RCV.NXT  %s", ladder_number(l, peer, t->rcv_nxt, a, sizeof a));
        else
            snprintf(lines[k++], HALF_BYTES, "RCV.NXT  -");
        snprintf(lines[k++], HALF_BYTES, "RCV.WND  %" PRIu32, t->rcv_wnd);
        snprintf(lines[k++], HALF_BYTES, ngettext("unsent   %zu byte", "unsent   %zu bytes", (unsigned long)tcb_unsent(t)), tcb_unsent(t));
        snprintf(lines[k++], HALF_BYTES, ngettext("rtx q    %zu segment", "rtx q    %zu segments", t->rtxq_len - t->rtxq_head),
                 t->rtxq_len - t->rtxq_head);
        if (t->rtt_valid)
            snprintf(lines[k++], HALF_BYTES, _("RTO      %" PRIu32 "ms (SRTT %" PRIu32 ", RTTVAR %" PRIu32 ")"), t->rto, t->srtt, t->rttvar);
        else
            snprintf(lines[k++], HALF_BYTES, _("RTO      %" PRIu32 "ms (no RTT sample)"), t->rto);
        timers(t, lines[k++], HALF + 1);
        snprintf(lines[k++], HALF_BYTES, ngettext("received %" PRIu64 " byte", "received %" PRIu64 " bytes", (unsigned long)t->bytes_received), t->bytes_received);
        if (!t->autoread)
            snprintf(lines[k++], HALF_BYTES, _("unread   %" PRIu32 " of %" PRIu32 " bytes"), t->rcv_user, t->rcv_buff);
    }
    if (!t->autoack)
        snprintf(lines[k++], HALF_BYTES, "autoack  off");
    if (!t->autoread && !has)
        snprintf(lines[k++], HALF_BYTES, "autoread off");
    *n = k;
}

/* A listener with a backlog: its queues, and one line per child. */
static void show_listener(struct session *s)
{
    const struct listener *l = &s->sim.lst;
    if (!l->backlog)
        return;
    fprintf(s->out, _("  listener  %s, backlog %" PRIu32 ": SYN queue %zu, accept queue %zu%s\n"),
            tcp_state_name(s->sim.tcb[EP_SERVER].state), l->backlog, listener_syn_queue(l),
            listener_accept_queue(l), l->syncookies ? _(", SYN cookies on") : "");
    for (size_t i = 0; i < l->n_child; i++) {
        const struct tcb *c = l->child[i];
        const char *where = c == l->accepted ? _("accepted") : c->state == SYN_RECEIVED ? _("SYN queue") : _("accept queue");
        fprintf(s->out, "    :%-5u  %-12s  %-12s  ISS %" PRIu32 "  IRS %" PRIu32 "\n", (unsigned)c->rport,
                tcp_state_name(c->state), where, c->iss, c->irs);
    }
}

int cmd_show(struct session *s, int ep, int argc, char **argv)
{
    enum endpoint_id e;
    if (argc == 1) {
        if (ep >= 0 || !arg_endpoint(argv[0], &e)) {
            session_error(s, _("show: '%.40s' is not an endpoint; write show, show client or show server"), argv[0]);
            return -1;
        }
        ep = (int)e;
    }
    ladder_flush(&s->ladder);
    char a[20][HALF_BYTES], b[20][HALF_BYTES];
    int na, nb = 0;
    if (ep >= 0) {
        tcb_lines(&s->ladder, sim_tcb(&s->sim, (enum endpoint_id)ep), a, &na);
        for (int i = 0; i < na; i++)
            fprintf(s->out, "  %s\n", a[i]);
    } else {
        tcb_lines(&s->ladder, sim_tcb(&s->sim, EP_CLIENT), a, &na);
        tcb_lines(&s->ladder, sim_tcb(&s->sim, EP_SERVER), b, &nb);
        fprintf(s->out, "  t=%" PRIu64 "ms\n", s->sim.now);
        for (int i = 0; i < na || i < nb; i++)
            pair(s->out, i < na ? a[i] : "", i < nb ? b[i] : "");
    }
    if (ep != EP_CLIENT)
        show_listener(s);
    if (ep < 0)
        session_channel_rules(s);
    return 1;
}

static void describe(struct session *s, const struct segment *seg, char *buf, size_t n)
{
    char label[96];
    ladder_label(&s->ladder, seg, label, sizeof label);
    snprintf(buf, n, "%s %s", label, seg->src == EP_CLIENT ? "c->s" : "s->c");
}

int cmd_inflight(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc; (void)argv;
    ladder_flush(&s->ladder);
    if (s->sim.chan.fl_len == 0) {
        fputs(_("  nothing in flight\n"), s->out);
        return 1;
    }
    for (size_t i = 0; i < s->sim.chan.fl_len; i++) {
        char d[128];
        const struct flight *f = &s->sim.chan.fl[i];
        describe(s, channel_get(&s->sim.chan, f->id), d, sizeof d);
        fprintf(s->out, _("  %-60s arrives %" PRIu64 "\n"), d, f->arrive_at);
    }
    return 1;
}

int cmd_history(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc; (void)argv;
    ladder_flush(&s->ladder);
    if (s->sim.chan.hist_len == 0) {
        fputs(_("  no segment yet\n"), s->out);
        return 1;
    }
    const struct channel *c = &s->sim.chan;
    if (c->hist_first > 1)
        fprintf(s->out, _("  (#1 to #%zu are forgotten: tcpsim keeps the last %u segments)\n"), c->hist_first - 1,
                CHANNEL_KEEP_SEGMENTS);
    for (size_t id = c->hist_first; id <= c->hist_len; id++) {
        char d[128];
        const struct segment *seg = channel_get(c, (uint32_t)id);
        describe(s, seg, d, sizeof d);
        fprintf(s->out, "%7" PRIu64 "  %-58s %s\n", seg->sent_at, d,
                i18n_tr(seg_fate_name(channel_fate(c, (uint32_t)id))));
    }
    return 1;
}

int cmd_segment(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc;
    char err[ARG_ERRLEN], flags[TCP_FLAGS_STRLEN];
    uint32_t id;
    if (arg_segid(argv[0], &id, err)) {
        session_error(s, "segment: %s", err);
        return -1;
    }
    const struct segment *seg = channel_get(&s->sim.chan, id);
    if (!seg) {
        session_error(s, _("segment %s: %s; write an id shown by history"), argv[0],
                      channel_forgotten(&s->sim.chan, id) ? _("that segment is forgotten: tcpsim keeps the last 16384")
                                                          : _("no such segment"));
        return -1;
    }
    static const char *const origins[] = { N_("the sender's TCB"), N_("injected"), N_("replay"), N_("duplicate") };
    char sq[24], ak[24];
    ladder_flush(&s->ladder);
    fprintf(s->out, _("  segment #%" PRIu32 ", %s -> %s, sent at %" PRIu64 "ms, %s\n"), id, ep_name(seg->src),
            ep_name(ep_peer(seg->src)), seg->sent_at, i18n_tr(seg_fate_name(channel_fate(&s->sim.chan, id))));
    fprintf(s->out, "  ports    %u -> %u\n", (unsigned)seg->sport, (unsigned)seg->dport);
    /* in the transcript's numbering, and absolute beside it when that differs */
    ladder_number(&s->ladder, seg->src, seg->seq, sq, sizeof sq);
    ladder_number(&s->ladder, ep_peer(seg->src), seg->ack, ak, sizeof ak);
    fprintf(s->out, "  SEG.SEQ  %s", sq);
    if (strtoul(sq, NULL, 10) != seg->seq || !isdigit((unsigned char)sq[0]))
        fprintf(s->out, " (%" PRIu32 ")", seg->seq);
    fprintf(s->out, "\n  SEG.ACK  %s", ak);
    if (strtoul(ak, NULL, 10) != seg->ack || !isdigit((unsigned char)ak[0]))
        fprintf(s->out, " (%" PRIu32 ")", seg->ack);
    fprintf(s->out, "%s\n", (seg->flags & TCP_ACK) ? "" : _(" (ACK bit off: not meaningful)"));
    fprintf(s->out, "  flags    %s\n  SEG.WND  %u\n", tcp_flags_str(seg->flags, flags), (unsigned)seg->wnd);
    fprintf(s->out, _("  SEG.LEN  %" PRIu32 " (%" PRIu32 " data octets)\n"), seg_seqlen(seg), seg->len);
    if (seg->mss)
        fprintf(s->out, "  options  <mss %u> (RFC 9293 3.7.1)\n", (unsigned)seg->mss);
    fprintf(s->out, "  origin   %s%s%s\n", _(origins[seg->origin]),
            seg->origin == ORIGIN_INJECT ? (seg->attacker ? _(" by an attacker") : _(" (drawn as the network's)")) : "",
            seg->retransmit ? _(", a retransmission") : "");
    /* the rule, wrapped at a word to stay within the width */
    const char *p = i18n_tr(seg->why), *lead = _("  why      ");
    while (p && *p) {
        int n = ladder_wrap(p, s->ladder.width - 11);
        fprintf(s->out, "%s%.*s\n", lead, n, p);
        lead = "           ";
        p += n;
        while (*p == ' ')
            p++;
    }
    return 1;
}
