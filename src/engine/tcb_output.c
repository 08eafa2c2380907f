/* tcb_output.c - what a TCB puts on the wire, and getting it there.
 *
 * Segmentizing queued data by MSS into the peer's window, the FIN after
 * the data, control segments and ACKs, and the retransmission queue with
 * its timer and the RFC 6298 estimator (SRTT, RTTVAR, RTO, Karn's rule,
 * exponential backoff, abort after `retries`).  The profile's rules on
 * timers live here too: the RTO floor, SYN linear timeouts, orphan
 * retries, the delayed ACK of a FIN, the FIN-WAIT-2 timeout, the rate
 * limit of challenge ACKs and the window's right edge (profile.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tcb_internal.h"

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

uint32_t tcb_snd_mss(const struct tcb *tcb)
{
    uint32_t peer = tcb->peer_mss ? tcb->peer_mss : TCP_DEFAULT_MSS;
    return min_u32(tcb->host->cfg->mss, peer);
}

static void put_to(struct tcb *tcb, uint16_t dport, seq_t seq, seq_t ack, uint8_t flags,
                   const uint8_t *data, uint32_t len, bool retransmit, const char *why)
{
    const struct sim_config *cfg = tcb->host->cfg;
    struct segment seg = {
        .src = tcb->ep,
        .sport = cfg->port[tcb->ep],
        .dport = dport,
        .seq = seq,
        .ack = (flags & TCP_ACK) ? ack : 0,
        .flags = flags,
        /* A RST carries no window; the others advertise RCV.WND. */
        .wnd = (flags & TCP_RST) ? 0 : (uint16_t)min_u32(tcb->rcv_wnd, 65535),
        /* RFC 9293 3.7.1: every SYN and SYN,ACK carries <mss N> (MUST-14). */
        .mss = (flags & TCP_SYN) ? (uint16_t)min_u32(cfg->mss, 65535) : 0,
        .len = len,
        .data = data,
        .retransmit = retransmit,
        .why = why,
    };
    /* Any segment that acknowledges RCV.NXT carries the delayed ACK. */
    if ((flags & TCP_ACK) && ack == tcb->rcv_nxt)
        timer_stop(&tcb->delack_timer);
    tcb->host->transmit(tcb->host->ctx, &seg);
}

/* To the connection's peer. */
static void put(struct tcb *tcb, seq_t seq, seq_t ack, uint8_t flags,
                const uint8_t *data, uint32_t len, bool retransmit, const char *why)
{
    uint16_t dport = tcb->rport ? tcb->rport : tcb->host->cfg->port[ep_peer(tcb->ep)];
    put_to(tcb, dport, seq, ack, flags, data, len, retransmit, why);
}

/* --- the retransmission queue ------------------------------------------ */

static void rtxq_push(struct tcb *tcb, seq_t seq, uint32_t seqlen, uint8_t flags)
{
    if (tcb->rtxq_len == tcb->rtxq_cap && tcb->rtxq_head) {
        memmove(tcb->rtxq, tcb->rtxq + tcb->rtxq_head, (tcb->rtxq_len - tcb->rtxq_head) * sizeof *tcb->rtxq);
        tcb->rtxq_len -= tcb->rtxq_head;
        tcb->rtxq_head = 0;
    }
    if (tcb->rtxq_len == tcb->rtxq_cap) {
        size_t cap = tcb->rtxq_cap ? tcb->rtxq_cap * 2 : 16;
        struct rtx_entry *q = realloc(tcb->rtxq, cap * sizeof *q);
        if (!q)
            return;     /* not kept: the segment is simply never retransmitted */
        tcb->rtxq = q;
        tcb->rtxq_cap = cap;
    }
    tcb->rtxq[tcb->rtxq_len++] = (struct rtx_entry){ .seq = seq, .seqlen = seqlen, .flags = flags };
}

/* A segment that occupies sequence space went out: RFC 6298 5.1 starts
 * the timer if it is not running, and one segment at a time is timed. */
static void sent_new(struct tcb *tcb, seq_t seq, uint32_t seqlen, uint8_t flags)
{
    rtxq_push(tcb, seq, seqlen, flags);
    if (!tcb->rtx_timer.armed)
        timer_start(&tcb->rtx_timer, tcb_now(tcb), tcb->rto);
    if (!tcb->rtt_timing) {
        tcb->rtt_timing = true;
        tcb->rtt_seq = seq + seqlen;
        tcb->rtt_sent_at = tcb_now(tcb);
    }
}

void tcb_send_syn(struct tcb *tcb, const char *why)
{
    /* SYN-SENT sends <SEQ=ISS><CTL=SYN>; SYN-RECEIVED <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
    uint8_t flags = tcb->state == SYN_SENT ? TCP_SYN : (TCP_SYN | TCP_ACK);
    put(tcb, tcb->iss, tcb->rcv_nxt, flags, NULL, 0, false, why);
    tcb->snd_nxt = tcb->iss + 1;
    sent_new(tcb, tcb->iss, 1, TCP_SYN);
}

void tcb_send_ctl(struct tcb *tcb, seq_t seq, seq_t ack, uint8_t flags, const char *why)
{
    put(tcb, seq, ack, flags, NULL, 0, false, why);
}

void tcb_send_ack_now(struct tcb *tcb, const char *why)
{
    put(tcb, tcb->snd_nxt, tcb->rcv_nxt, TCP_ACK, NULL, 0, false, why);
}

/* RFC 9293 3.10.7.1: the reset for a segment that finds no connection. */
void tcb_send_reset_for(struct tcb *tcb, const struct segment *seg, const char *why)
{
    /* The reset answers the segment: it goes back to the port it came from. */
    if (seg->flags & TCP_ACK)
        put_to(tcb, seg->sport, seg->ack, 0, TCP_RST, NULL, 0, false, why);
    else
        put_to(tcb, seg->sport, 0, seg->seq + seg_seqlen(seg), TCP_RST | TCP_ACK, NULL, 0, false, why);
}

void tcb_send_cookie(struct tcb *tcb, const struct segment *syn, seq_t cookie)
{
    tcb->rcv_wnd = tcb->host->cfg->window;    /* the window the recreated connection will have */
    put_to(tcb, syn->sport, cookie, syn->seq + 1, TCP_SYN | TCP_ACK, NULL, 0, false,
           "SYN cookie: <SEQ=cookie><ACK=SEG.SEQ+1><CTL=SYN,ACK>, no queue entry (RFC 4987 3.6)");
}

/* Data may flow while we have not sent our FIN: ESTABLISHED and CLOSE-WAIT,
 * and FIN-WAIT-1, CLOSING and LAST-ACK while a queued CLOSE waits for the
 * data (RFC 9293 3.10.4: everything SENT before CLOSE is delivered, then
 * the FIN; a FIN that crossed ours in CLOSING changes nothing of that). */
static bool may_send_data(const struct tcb *tcb)
{
    switch (tcb->state) {
    case ESTABLISHED:
    case CLOSE_WAIT:
    case FIN_WAIT_1:
    case CLOSING:
    case LAST_ACK:
        return !tcb->fin_sent;
    default:
        return false;
    }
}

void tcb_put_data(struct tcb *tcb, seq_t seq, uint32_t len, uint8_t flags, const char *why)
{
    size_t off = (seq_t)(seq - tcb->sndbuf_seq);
    put(tcb, seq, tcb->rcv_nxt, flags, tcb->sndbuf + tcb->sndbuf_off + off, len, false, why);
}

/* Why a data segment goes out now, and as large as it is. */
static const char *send_why(const struct tcb *tcb)
{
    if (tcb->sws_override)
        return "override timeout: send what the window allows, though small (RFC 9293 3.8.6.2.1)";
    if (tcb_snd_mss(tcb) < tcb->host->cfg->mss)
        return "SEND: data within SND.WND, at most the peer's MSS option, 536 without one "
               "(RFC 9293 3.10.2, 3.7.1)";
    return "SEND: data within SND.WND, at most MSS (RFC 9293 3.10.2)";
}

static int output_data(struct tcb *tcb)
{
    int sent = 0;
    uint32_t mss = tcb_snd_mss(tcb);
    if (tcb->snd_wnd > tcb->snd_wnd_max)
        tcb->snd_wnd_max = tcb->snd_wnd;
    for (;;) {
        size_t unsent = tcb_unsent(tcb);
        uint32_t outstanding = tcb->snd_nxt - tcb->snd_una;
        uint32_t usable = tcb->snd_wnd > outstanding ? tcb->snd_wnd - outstanding : 0;
        uint32_t d = (uint32_t)(unsent < UINT32_MAX ? unsent : UINT32_MAX);
        uint32_t n = min_u32(d, min_u32(mss, usable));
        if (n == 0 || !tcb_sws_may_send(tcb, d, usable, mss))
            break;
        uint8_t flags = TCP_ACK | (n == unsent ? TCP_PSH : 0);
        tcb_put_data(tcb, tcb->snd_nxt, n, flags, send_why(tcb));
        tcb->probe_out = false;
        sent_new(tcb, tcb->snd_nxt, n, flags & TCP_PSH);
        tcb->snd_nxt += n;
        sent++;
    }
    return sent;
}

int tcb_output(struct tcb *tcb)
{
    int sent = 0;
    if (!may_send_data(tcb)) {
        tcb_persist_update(tcb);
        return 0;
    }
    sent = output_data(tcb);
    if (tcb->close_requested && tcb_unsent(tcb) == 0) {
        put(tcb, tcb->snd_nxt, tcb->rcv_nxt, TCP_FIN | TCP_ACK, NULL, 0, false,
            "CLOSE: <SEQ=SND.NXT><CTL=FIN,ACK> after the data (RFC 9293 3.10.4)");
        tcb->fin_sent = true;
        tcb->fin_seq = tcb->snd_nxt;
        sent_new(tcb, tcb->snd_nxt, 1, TCP_FIN);
        tcb->snd_nxt += 1;
        sent++;
    }
    tcb_persist_update(tcb);
    return sent;
}

bool tcb_fin_acked(const struct tcb *tcb)
{
    return tcb->fin_sent && seq_gt(tcb->snd_una, tcb->fin_seq);
}

/* RFC 6298 2.2 and 2.3, integer milliseconds. */
static void rtt_sample(struct tcb *tcb, uint32_t r)
{
    const struct sim_config *cfg = tcb->host->cfg;
    if (!tcb->rtt_valid) {
        tcb->srtt = r;
        tcb->rttvar = r / 2;
        tcb->rtt_valid = true;
    } else {
        uint32_t diff = tcb->srtt > r ? tcb->srtt - r : r - tcb->srtt;
        tcb->rttvar = (3 * tcb->rttvar + diff) / 4;
        tcb->srtt = (7 * tcb->srtt + r) / 8;
    }
    uint32_t k = 4 * tcb->rttvar;
    uint32_t rto = tcb->srtt + (k > 1 ? k : 1);     /* G = 1 ms */
    if (tcb_profile(tcb)->rto_floor_on_variance)
        /* linux: the floor bounds the variance term, not the RTO: RTO =
         * SRTT + max(4 RTTVAR, tcp_rto_min) (LINUX.md row 6). */
        rto = tcb->srtt + (k > cfg->rto_min_ms ? k : cfg->rto_min_ms);
    if (rto < cfg->rto_min_ms)                      /* 2.4: the floor */
        rto = cfg->rto_min_ms;
    if (rto > cfg->rto_max_ms)                      /* 2.5: a maximum */
        rto = cfg->rto_max_ms;
    tcb->rto = rto;
}

void tcb_acked(struct tcb *tcb, seq_t ack)
{
    /* Drop what the ACK covers from the retransmission queue. */
    while (tcb->rtxq_head < tcb->rtxq_len &&
           seq_le(tcb->rtxq[tcb->rtxq_head].seq + tcb->rtxq[tcb->rtxq_head].seqlen, ack))
        tcb->rtxq_head++;
    if (tcb->rtxq_head == tcb->rtxq_len)
        tcb->rtxq_head = tcb->rtxq_len = 0;
    if (tcb->rtxq_len && seq_lt(tcb->rtxq[tcb->rtxq_head].seq, ack)) {
        struct rtx_entry *e = &tcb->rtxq[tcb->rtxq_head];  /* partly acknowledged */
        uint32_t d = ack - e->seq;
        if (e->flags & TCP_SYN)
            e->flags &= (uint8_t)~TCP_SYN;
        e->seq = ack;
        e->seqlen -= d;
    }
    /* ...and from the send buffer. */
    if (seq_gt(ack, tcb->sndbuf_seq)) {
        size_t n = (seq_t)(ack - tcb->sndbuf_seq);
        if (n > tcb->sndbuf_len)
            n = tcb->sndbuf_len;
        tcb->sndbuf_off += n;
        tcb->sndbuf_len -= n;
        if (tcb->sndbuf_len == 0)
            tcb->sndbuf_off = 0;
        tcb->sndbuf_seq += (seq_t)n;
    }
    /* RFC 6298 (Karn): only a segment never retransmitted is timed. */
    if (tcb->rtt_timing && seq_ge(ack, tcb->rtt_seq)) {
        tcb->rtt_timing = false;
        rtt_sample(tcb, (uint32_t)(tcb_now(tcb) - tcb->rtt_sent_at));
    }
    /* 5.2: all acknowledged, timer off; 5.3: new data acknowledged, restart. */
    if (tcb->rtxq_len == 0)
        timer_stop(&tcb->rtx_timer);
    else
        timer_start(&tcb->rtx_timer, tcb_now(tcb), tcb->rto);
}

/* RFC 9293 3.8.3: how many retransmissions of this segment before the
 * connection is given up: `syn-retries` for a SYN or SYN,ACK (at least 3
 * minutes, MUST-23), `retries` for the others (R2, at least 100 s). */
static uint32_t retry_limit(const struct tcb *tcb, const struct rtx_entry *e)
{
    const struct sim_config *cfg = tcb->host->cfg;
    if (e->flags & TCP_SYN)
        return tcb->state == SYN_SENT ? cfg->syn_retries : cfg->synack_retries;
    /* linux: a close()d socket gives up after tcp_orphan_retries (LINUX.md row 10). */
    if (tcb->orphan && tcb_profile(tcb)->orphan_retries)
        return tcb_profile(tcb)->orphan_retries;
    return cfg->retries;
}

static void give_up(struct tcb *tcb, const struct rtx_entry *e)
{
    bool syn = (e->flags & TCP_SYN) != 0;
    if (tcb->orphan) {
        tcb_delete_because(tcb, "linux: an orphan's retransmissions are exhausted "
                                "(tcp_orphan_retries): destroyed, no RST");
        return;
    }
    tcb_signal(tcb, "connection timed out");
    if (tcb->state == SYN_RECEIVED && tcb->passive_open)
        tcb_return_to_listen(tcb, "SYN,ACK retransmitted syn-retries times: give up, back to LISTEN "
                                  "(passive OPEN; RFC 9293 3.8.3)");
    else if (syn)
        tcb_delete_because(tcb, "SYN retransmitted syn-retries times: connection timed out "
                                "(RFC 9293 3.8.3, MUST-23: at least 3 minutes)");
    else
        tcb_delete_because(tcb, "segment retransmitted retries times: connection timed out "
                                "(RFC 9293 3.8.3, R2: at least 100 s)");
}

/* RFC 6298 5.5: back off the timer.  linux: the first
 * tcp_syn_linear_timeouts SYN retransmissions keep the RTO (LINUX.md row 8). */
static bool backs_off(const struct tcb *tcb, const struct rtx_entry *e)
{
    return !(tcb->state == SYN_SENT && (e->flags & TCP_SYN) && e->count <= tcb_profile(tcb)->syn_linear_timeouts);
}

/* RFC 6298 5.4-5.6: retransmit the earliest unacknowledged segment, back
 * off the timer, restart it.  After its retry limit the connection is
 * given up. */
void tcb_retransmit_timeout(struct tcb *tcb)
{
    if (tcb->rtxq_len == 0) {
        timer_stop(&tcb->rtx_timer);
        return;
    }
    struct rtx_entry *e = &tcb->rtxq[tcb->rtxq_head];
    /* RFC 9293 3.8.6.1 (MUST-37): at a zero window (a FIN or data the
     * receiver cannot take yet) a retransmission is a window probe; while
     * the peer acknowledges them the connection stays open. */
    bool probe = tcb->zw_answered && tcb->snd_wnd == 0 && !(e->flags & TCP_SYN) && !tcb->orphan;
    if (probe)
        e->count = 0;
    tcb->zw_answered = false;
    if (e->count >= retry_limit(tcb, e)) {
        give_up(tcb, e);
        return;
    }
    e->count++;
    uint8_t flags = e->flags;
    if (tcb->state != SYN_SENT)
        flags |= TCP_ACK;
    const uint8_t *data = NULL;
    uint32_t len = e->seqlen - ((e->flags & TCP_SYN) ? 1 : 0) - ((e->flags & TCP_FIN) ? 1 : 0);
    if (len)
        data = tcb->sndbuf + tcb->sndbuf_off + (seq_t)(e->seq - tcb->sndbuf_seq);
    if (e->flags & TCP_SYN)
        tcb->syn_backed_off = true;
    tcb->rtt_timing = false;                        /* Karn's rule */
    bool backoff = backs_off(tcb, e);
    put(tcb, e->seq, tcb->rcv_nxt, flags, data, len, true,
        !backoff ? "linux: the SYN again; the RTO does not double for the first 4 (tcp_syn_linear_timeouts)"
        : probe ? "retransmission timeout at a zero window: it probes the window; the peer answers, so it is "
                  "not counted against retries (RFC 9293 3.8.6.1, MUST-37)"
        : tcb_profile(tcb)->rto_floor_on_variance
            ? "linux: retransmission timeout (RTO = SRTT + max(4 RTTVAR, 200 ms), doubling): resend the earliest "
              "unacknowledged segment"
            : "retransmission timeout: resend the earliest unacknowledged segment (RFC 6298 5.4)");
    if (backoff)
        tcb->rto = tcb->rto * 2 > tcb->host->cfg->rto_max_ms ? tcb->host->cfg->rto_max_ms : tcb->rto * 2;
    timer_start(&tcb->rtx_timer, tcb_now(tcb), tcb->rto);
}

bool tcb_ack_rate_limited(struct tcb *tcb)
{
    uint32_t limit = tcb->host->cfg->ratelimit_ms;
    uint64_t now = tcb_now(tcb);
    if (limit && tcb->oow_acked && now - tcb->oow_ack_at < limit) {
        tcb_note(tcb, tcb_profile(tcb)->ratelimit_ms
                 ? "linux: no ACK sent: one per tcp_invalid_ratelimit at most"
                 : "no ACK sent: one per `ratelimit` at most (RFC 5961 7)");
        return true;
    }
    tcb->oow_acked = true;
    tcb->oow_ack_at = now;
    return false;
}

void tcb_window_consumed(struct tcb *tcb, uint32_t n)
{
    if (!tcb_profile(tcb)->window_right_edge) {
        /* RFC 9293: what the application reads at once leaves the whole
         * buffer free (a window that linux shrank, before `set profile`,
         * opens again). */
        if (tcb->autoread && tcb->rcv_buff)
            tcb->rcv_wnd = tcb->rcv_buff;
        return;
    }
    tcb->rcv_wnd = tcb->rcv_wnd > n ? tcb->rcv_wnd - n : 0;
    /* The window opens again only by a full MSS (or half the buffer), as
     * receiver SWS avoidance has it (RFC 9293 3.8.6.2.2). */
    uint32_t buff = tcb->rcv_buff ? tcb->rcv_buff : tcb->host->cfg->window;
    uint32_t space = buff > tcb->rcv_user ? buff - tcb->rcv_user : 0;
    uint32_t step = tcb->host->cfg->mss < buff / 2 ? tcb->host->cfg->mss : buff / 2;
    if (space > tcb->rcv_wnd && space - tcb->rcv_wnd >= step)
        tcb->rcv_wnd = space;
}

static void earliest(const struct timer *t, bool *any, uint64_t *at)
{
    if (t->armed && (!*any || t->at < *at)) {
        *at = t->at;
        *any = true;
    }
}

bool tcb_next_timer(const struct tcb *tcb, uint64_t *at)
{
    bool any = false;
    earliest(&tcb->rtx_timer, &any, at);
    earliest(&tcb->tw_timer, &any, at);
    earliest(&tcb->persist_timer, &any, at);
    earliest(&tcb->delack_timer, &any, at);
    earliest(&tcb->fw2_timer, &any, at);
    return any;
}

void tcb_fire_timers(struct tcb *tcb, uint64_t now)
{
    if (tcb->tw_timer.armed && tcb->tw_timer.at <= now) {
        timer_stop(&tcb->tw_timer);
        struct event ev = { .type = EV_TIMER, .ep = tcb->ep, .port = tcb_child_port(tcb), .timer = TIMER_TIME_WAIT };
        tcb_emit(tcb, &ev);
        tcb_delete_because(tcb, "2 x MSL elapsed in TIME-WAIT (RFC 9293 3.10.8)");
        return;
    }
    if (tcb->fw2_timer.armed && tcb->fw2_timer.at <= now) {
        timer_stop(&tcb->fw2_timer);
        struct event ev = { .type = EV_TIMER, .ep = tcb->ep, .port = tcb_child_port(tcb), .timer = TIMER_FIN_WAIT_2 };
        tcb_emit(tcb, &ev);
        tcb_delete_because(tcb, "linux: an orphan's FIN-WAIT-2 timeout (tcp_fin_timeout): destroyed, no RST");
        return;
    }
    if (tcb->delack_timer.armed && tcb->delack_timer.at <= now) {
        timer_stop(&tcb->delack_timer);
        struct event ev = { .type = EV_TIMER, .ep = tcb->ep, .port = tcb_child_port(tcb), .timer = TIMER_DELACK };
        tcb_emit(tcb, &ev);
        tcb_send_ack_now(tcb, "linux: the delayed ACK of the FIN: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
        return;
    }
    if (tcb->rtx_timer.armed && tcb->rtx_timer.at <= now) {
        timer_stop(&tcb->rtx_timer);
        struct event ev = { .type = EV_TIMER, .ep = tcb->ep, .port = tcb_child_port(tcb), .timer = TIMER_RETRANSMIT };
        tcb_emit(tcb, &ev);
        tcb_retransmit_timeout(tcb);
        return;
    }
    if (tcb->persist_timer.armed && tcb->persist_timer.at <= now) {
        timer_stop(&tcb->persist_timer);
        struct event ev = { .type = EV_TIMER, .ep = tcb->ep, .port = tcb_child_port(tcb), .timer = TIMER_PERSIST };
        tcb_emit(tcb, &ev);
        tcb_persist_timeout(tcb);
    }
}
