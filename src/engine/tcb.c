/* tcb.c - the TCB's life: creation, the state writer, deletion, and the
 * user calls of RFC 9293 3.10.1-3.10.6 (OPEN, SEND, CLOSE, ABORT), plus
 * the simulator's own calls: a bare ACK and a crash.
 *
 * A call that is not allowed in the current state fails with the RFC's
 * error text and changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "tcb_internal.h"

/* The most data the application may have queued and unacknowledged. */
#define SNDBUF_LIMIT (16u * 1024u * 1024u)

void tcb_init(struct tcb *tcb, const struct tcb_host *host, enum endpoint_id ep)
{
    memset(tcb, 0, sizeof *tcb);
    tcb->host = host;
    tcb->ep = ep;
    tcb->state = CLOSED;
    tcb->autoack = true;
    tcb->autoread = true;
}

void tcb_free(struct tcb *tcb)
{
    if (!tcb->sndbuf_borrowed)
        free(tcb->sndbuf);
    tcb->sndbuf_borrowed = false;
    free(tcb->rtxq);
    free(tcb->rcvbuf);
    free(tcb->syn_text);
    tcb->syn_text = NULL;
    tcb->sndbuf = NULL;
    tcb->rtxq = NULL;
    tcb->rcvbuf = NULL;
}

/* Forget everything of the connection, keep identity and settings. */
static void tcb_clear(struct tcb *tcb)
{
    const struct tcb_host *host = tcb->host;
    struct listener *listener = tcb->listener;
    enum endpoint_id ep = tcb->ep;
    enum tcp_state state = tcb->state;
    bool autoack = tcb->autoack, autoread = tcb->autoread, child = tcb->child;
    uint16_t rport = tcb->rport;
    tcb_free(tcb);
    tcb_init(tcb, host, ep);
    tcb->listener = listener;
    tcb->state = state;     /* only tcb_set_state writes it */
    tcb->autoack = autoack;
    tcb->autoread = autoread;
    tcb->child = child;
    if (child)
        tcb->rport = rport; /* a child is its connection */
}

void tcb_set_state(struct tcb *tcb, enum tcp_state to, const char *why)
{
    enum tcp_state from = tcb->state;
    if (from == to)
        return;
    tcb->state = to;
    struct event ev = { .type = EV_STATE, .ep = tcb->ep, .port = tcb_child_port(tcb), .from = from, .to = to,
                        .why = why };
    tcb_emit(tcb, &ev);
}

void tcb_note(struct tcb *tcb, const char *why)
{
    struct event ev = { .type = EV_NOTE, .ep = tcb->ep, .port = tcb_child_port(tcb), .why = why };
    tcb_emit(tcb, &ev);
}

void tcb_signal(struct tcb *tcb, const char *message)
{
    struct event ev = { .type = EV_SIGNAL, .ep = tcb->ep, .port = tcb_child_port(tcb), .message = message };
    tcb_emit(tcb, &ev);
}

/* A fresh connection with this ISS: RFC 9293 3.3.1 variables initialised. */
void tcb_begin(struct tcb *tcb, seq_t iss)
{
    tcb_clear(tcb);
    const struct sim_config *cfg = tcb->host->cfg;
    tcb->iss = iss;
    tcb->snd_una = iss;
    tcb->snd_nxt = iss;
    tcb->sndbuf_seq = iss + 1;
    tcb->rcv_wnd = cfg->window;
    tcb->rcv_buff = cfg->window;
    tcb->rto = cfg->rto_ms;
}

void tcb_delete_because(struct tcb *tcb, const char *why)
{
    tcb_clear(tcb);
    tcb_set_state(tcb, CLOSED, why);
}

void tcb_return_to_listen(struct tcb *tcb, const char *why)
{
    tcb_clear(tcb);
    /* A listener's child is the connection alone: the listener itself
     * stays in LISTEN, so the child ends (and leaves the SYN queue). */
    tcb_set_state(tcb, tcb->child ? CLOSED : LISTEN, why);
}

void tcb_enter_time_wait(struct tcb *tcb, const char *why)
{
    /* RFC 9293 3.10.7.4 eighth: start the time-wait timer, turn off the others. */
    timer_stop(&tcb->rtx_timer);
    timer_stop(&tcb->persist_timer);
    timer_stop(&tcb->delack_timer);
    timer_stop(&tcb->fw2_timer);
    timer_start(&tcb->tw_timer, tcb_now(tcb), 2ull * tcb->host->cfg->msl_ms);
    /* linux: the TIME-WAIT socket rate-limits its ACKs afresh
     * (tcp_time_wait: tw_last_oow_ack_time = 0; LINUX.md row 16). */
    if (tcb->state != TIME_WAIT)
        tcb->oow_acked = false;
    tcb_set_state(tcb, TIME_WAIT, why);
}

void tcb_established(struct tcb *tcb, const char *why)
{
    tcb_set_state(tcb, ESTABLISHED, why);
    /* RFC 6298 5.7: a SYN that had to be retransmitted leaves RTO at 3 s
     * when data transmission begins, unless a sample says otherwise. */
    if (tcb->syn_backed_off && !tcb->rtt_valid) {
        uint32_t three = 3000 > tcb->host->cfg->rto_ms ? 3000 : tcb->host->cfg->rto_ms;
        tcb->rto = three;
    }
    /* A CLOSE that was queued in SYN-RECEIVED (RFC 9293 3.10.4). */
    if (tcb->close_requested)
        tcb_set_state(tcb, FIN_WAIT_1, "queued CLOSE: FIN after the queued data (RFC 9293 3.10.4)");
}

/* --- user calls ------------------------------------------------------- */

static const char NEEDS_OPEN[] = "CLOSED";
static const char NEEDS_ACTIVE[] = "CLOSED or LISTEN";
static const char NEEDS_SEND[] = "LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED or CLOSE-WAIT";
static const char NEEDS_CLOSE[] = "LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED or CLOSE-WAIT";
static const char NEEDS_ABORT[] = "any state but CLOSED";
static const char NEEDS_ACK[] = "SYN-RECEIVED or a synchronized state (ESTABLISHED ... TIME-WAIT)";

static int fail(struct tcb *tcb, const char *message, const char *hint)
{
    return tcb->host->fail(tcb->host->ctx, tcb->ep, message, hint);
}

/* RFC 9293 3.10.1 OPEN call, passive. */
int tcb_open_passive(struct tcb *tcb)
{
    if (tcb->state != CLOSED)
        return fail(tcb, "connection already exists", NEEDS_OPEN);
    tcb_clear(tcb);
    tcb_set_state(tcb, LISTEN, "passive OPEN (RFC 9293 3.10.1)");
    return 0;
}

/* RFC 9293 3.10.1 OPEN call, active: from CLOSED, or LISTEN turned active. */
int tcb_open_active(struct tcb *tcb)
{
    const char *why;
    if (tcb->state == CLOSED)
        why = "active OPEN: send SYN (RFC 9293 3.10.1)";
    else if (tcb->state == LISTEN)
        why = "active OPEN in LISTEN: the connection turns active (RFC 9293 3.10.1)";
    else
        return fail(tcb, "connection already exists", NEEDS_ACTIVE);
    tcb_begin(tcb, tcb->host->choose_iss(tcb->host->ctx, tcb->ep, tcb->host->cfg->port[ep_peer(tcb->ep)]));
    tcb->rport = tcb->host->cfg->port[ep_peer(tcb->ep)];
    tcb->passive_open = false;
    tcb_set_state(tcb, SYN_SENT, why);
    tcb_send_syn(tcb, "active OPEN: <SEQ=ISS><CTL=SYN> (RFC 9293 3.10.1)");
    return 0;
}

/* RFC 9293 3.10.2 SEND call. */
/* A send buffer borrowed from a frozen copy of the simulation becomes the
 * TCB's own before it is written. */
static int own_sndbuf(struct tcb *tcb)
{
    uint8_t *p = malloc(tcb->sndbuf_len ? tcb->sndbuf_len : 1);
    if (!p)
        return -1;
    if (tcb->sndbuf_len)
        memcpy(p, tcb->sndbuf + tcb->sndbuf_off, tcb->sndbuf_len);
    tcb->sndbuf = p;
    tcb->sndbuf_off = 0;
    tcb->sndbuf_cap = tcb->sndbuf_len;
    tcb->sndbuf_borrowed = false;
    return 0;
}

int tcb_send(struct tcb *tcb, const uint8_t *data, size_t len)
{
    switch (tcb->state) {
    case CLOSED:
        return fail(tcb, "connection does not exist", NEEDS_SEND);
    case FIN_WAIT_1:
    case FIN_WAIT_2:
    case CLOSING:
    case LAST_ACK:
    case TIME_WAIT:
        return fail(tcb, "connection closing", NEEDS_SEND);
    case LISTEN:
    case SYN_SENT:
    case SYN_RECEIVED:
    case ESTABLISHED:
    case CLOSE_WAIT:
    case TCP_STATE_COUNT:
        break;
    }
    if (tcb->close_requested)
        return fail(tcb, "connection closing", NEEDS_SEND);
    if (len == 0)
        return 0;
    if (len > SNDBUF_LIMIT || tcb->sndbuf_len > SNDBUF_LIMIT - len)
        return fail(tcb, "insufficient resources", "at most 16 MiB queued and unacknowledged");
    /* LISTEN: "change the connection from passive to active" (3.10.2). */
    if (tcb->state == LISTEN)
        tcb_open_active(tcb);
    if (tcb->sndbuf_borrowed && own_sndbuf(tcb) != 0)
        return fail(tcb, "insufficient resources", "less data at a time");
    if (tcb->sndbuf_off + tcb->sndbuf_len + len > tcb->sndbuf_cap && tcb->sndbuf_off) {
        memmove(tcb->sndbuf, tcb->sndbuf + tcb->sndbuf_off, tcb->sndbuf_len);
        tcb->sndbuf_off = 0;
    }
    if (tcb->sndbuf_len + len > tcb->sndbuf_cap) {
        size_t cap = tcb->sndbuf_cap ? tcb->sndbuf_cap : 4096;
        while (cap < tcb->sndbuf_len + len)
            cap *= 2;
        uint8_t *p = realloc(tcb->sndbuf, cap);
        if (!p)
            return fail(tcb, "insufficient resources", "less data at a time");
        tcb->sndbuf = p;
        tcb->sndbuf_cap = cap;
    }
    memcpy(tcb->sndbuf + tcb->sndbuf_off + tcb->sndbuf_len, data, len);
    tcb->sndbuf_len += len;
    tcb_output(tcb);
    return 0;
}

/* RFC 9293 3.10.4 CLOSE call. */
int tcb_close(struct tcb *tcb)
{
    switch (tcb->state) {
    case CLOSED:
        return fail(tcb, "connection does not exist", NEEDS_CLOSE);
    case LISTEN:
        tcb_delete_because(tcb, "CLOSE in LISTEN (RFC 9293 3.10.4)");
        return 0;
    case SYN_SENT:
        tcb_delete_because(tcb, "CLOSE in SYN-SENT: delete the TCB (RFC 9293 3.10.4)");
        return 0;
    case SYN_RECEIVED:
        if (tcb->close_requested)
            return fail(tcb, "connection closing", NEEDS_CLOSE);
        tcb->close_requested = true;
        if (tcb_unsent(tcb) == 0)
            tcb_set_state(tcb, FIN_WAIT_1, "CLOSE in SYN-RECEIVED: send FIN (RFC 9293 3.10.4)");
        /* else: queued until ESTABLISHED, see tcb_established() */
        tcb_output(tcb);
        return 0;
    case ESTABLISHED:
        tcb->close_requested = true;
        tcb_set_state(tcb, FIN_WAIT_1, "CLOSE: FIN after the queued data (RFC 9293 3.10.4)");
        tcb_output(tcb);
        return 0;
    case CLOSE_WAIT:
        tcb->close_requested = true;
        tcb_set_state(tcb, LAST_ACK, "CLOSE in CLOSE-WAIT: FIN after the queued data (RFC 9293 3.10.4)");
        tcb_output(tcb);
        return 0;
    case FIN_WAIT_1:
    case FIN_WAIT_2:
    case CLOSING:
    case LAST_ACK:
    case TIME_WAIT:
    case TCP_STATE_COUNT:
        break;
    }
    return fail(tcb, "connection closing", NEEDS_CLOSE);
}

/* linux: an orphan in FIN-WAIT-2 lives tcp_fin_timeout (60 s), then is
 * destroyed without a word (LINUX.md row 18). */
void tcb_orphan_fin_wait_2(struct tcb *tcb)
{
    uint32_t after = tcb_profile(tcb)->fin_wait_2_timeout_ms;
    if (tcb->orphan && tcb->state == FIN_WAIT_2 && after)
        timer_start(&tcb->fw2_timer, tcb_now(tcb), after);
}

/* close(): CLOSE, then (linux) the application lets go of the socket. */
int tcb_close_orphan(struct tcb *tcb)
{
    if (!tcb_profile(tcb)->close_orphans)
        return tcb_close(tcb);
    bool closed_before = tcb->close_requested || tcb->state == TIME_WAIT || tcb->state == CLOSING ||
                         tcb->state == LAST_ACK || tcb->state == FIN_WAIT_1 || tcb->state == FIN_WAIT_2;
    if (tcb->state == CLOSED)
        return fail(tcb, "connection does not exist", NEEDS_CLOSE);
    if (tcb->orphan)        /* the application let go of it already */
        return fail(tcb, "connection closing", NEEDS_CLOSE);
    if (closed_before) {
        /* linux: close() after shutdown(): nothing to send, the socket is orphaned. */
        if (!tcb->orphan)
            tcb_note(tcb, "linux: close() after shutdown(): orphaned, nothing is sent");
    } else if (tcb_close(tcb) != 0) {
        return -1;
    }
    if (tcb->state != CLOSED && tcb->state != LISTEN && !tcb->orphan) {
        tcb->orphan = true;
        tcb_orphan_fin_wait_2(tcb);
    }
    return 0;
}

/* RFC 9293 3.10.5 ABORT call. */
int tcb_abort(struct tcb *tcb)
{
    switch (tcb->state) {
    case CLOSED:
        return fail(tcb, "connection does not exist", NEEDS_ABORT);
    case LISTEN:
    case SYN_SENT:
        tcb_delete_because(tcb, "ABORT: delete the TCB, nothing to reset (RFC 9293 3.10.5)");
        return 0;
    case SYN_RECEIVED:
    case ESTABLISHED:
    case FIN_WAIT_1:
    case FIN_WAIT_2:
    case CLOSE_WAIT:
        tcb_send_ctl(tcb, tcb->snd_nxt, 0, TCP_RST, "ABORT: <SEQ=SND.NXT><CTL=RST> (RFC 9293 3.10.5)");
        tcb_delete_because(tcb, "ABORT: RST sent, TCB deleted (RFC 9293 3.10.5)");
        return 0;
    case CLOSING:
    case LAST_ACK:
    case TIME_WAIT:
    case TCP_STATE_COUNT:
        break;
    }
    tcb_delete_because(tcb, "ABORT while closing: delete the TCB (RFC 9293 3.10.5)");
    return 0;
}

/* A bare ACK on demand: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
int tcb_send_ack(struct tcb *tcb)
{
    if (tcb->state == CLOSED)
        return fail(tcb, "connection does not exist", NEEDS_ACK);
    if (tcb->state == LISTEN || tcb->state == SYN_SENT)
        return fail(tcb, "nothing received to acknowledge", NEEDS_ACK);
    tcb_send_ack_now(tcb, "user ACK: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
    return 0;
}

void tcb_crash(struct tcb *tcb)
{
    tcb_delete_because(tcb, "host crashed: the TCB is lost, nothing is sent");
}

size_t tcb_unsent(const struct tcb *tcb)
{
    if (tcb->state == CLOSED || tcb->state == LISTEN)
        return 0;
    /* Bytes of the buffer already sent: from sndbuf_seq up to SND.NXT,
     * less the SYN when it is not acknowledged yet. */
    seq_t sent_to = tcb->fin_sent ? tcb->fin_seq : tcb->snd_nxt;
    size_t sent = seq_gt(sent_to, tcb->sndbuf_seq) ? (size_t)(seq_t)(sent_to - tcb->sndbuf_seq) : 0;
    return sent >= tcb->sndbuf_len ? 0 : tcb->sndbuf_len - sent;
}
