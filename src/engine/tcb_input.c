/* tcb_input.c - SEGMENT ARRIVES, RFC 9293 3.10.7.
 *
 * One entry point, tcb_segment_arrives().  CLOSED, LISTEN and SYN-SENT get
 * a function each (3.10.7.1-3.10.7.3); every other state runs the RFC's
 * eight steps in the RFC's order (3.10.7.4), each step a small function;
 * the first, second and fourth (acceptability, RST, SYN, with the RFC 5961
 * challenge ACKs) are in tcb_check.c.
 *
 * Where RFC 9293 leaves a choice, tcpsim's choice is marked "tcpsim:" and
 * listed in SPEC.md section 1.  Where a profile changes a step, its
 * predicate sits at that step and its reason begins "linux:" or "rfc793:"
 * (profile.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tcb_internal.h"

/* What a segment asks of us once its steps are done. */
struct reply {
    bool ack;           /* acknowledge (RCV.NXT moved, or a duplicate) */
    uint32_t delay_ms;  /* linux: the ACK may wait this long (a delayed ACK) */
    const char *why;
};

static void want_ack(struct reply *r, const char *why)
{
    r->ack = true;
    r->why = why;
}

/* Send queued data (it carries the ACK), or else the bare ACK asked for. */
static void finish(struct tcb *tcb, struct reply *r)
{
    if (tcb->state == CLOSED || tcb->state == LISTEN)
        return;
    int sent = tcb_output(tcb);
    if (r->ack && sent == 0 && tcb->autoack) {
        if (r->delay_ms) {
            if (!tcb->delack_timer.armed) {
                timer_start(&tcb->delack_timer, tcb_now(tcb), r->delay_ms);
                tcb_note(tcb, r->why);
            }
            return;
        }
        tcb_send_ack_now(tcb, r->why);
    }
}

/* --- RFC 9293 3.10.7.1: CLOSED ----------------------------------------- */

static void closed_arrives(struct tcb *tcb, const struct segment *seg)
{
    if (seg->flags & TCP_RST) {
        tcb_note(tcb, "RST in CLOSED: discarded (RFC 9293 3.10.7.1)");
        return;
    }
    tcb_send_reset_for(tcb, seg, (seg->flags & TCP_ACK)
        ? "no connection: <SEQ=SEG.ACK><CTL=RST> (RFC 9293 3.10.7.1)"
        : "no connection: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (RFC 9293 3.10.7.1)");
}

/* RFC 9293 3.4.1: a connection is a pair of sockets.  A segment whose
 * port pair matches no connection (and no listener) finds no TCB: it is
 * processed as in CLOSED, whatever state tcb (which only lends its
 * endpoint, to answer from) is in. */
void tcb_no_connection_arrives(struct tcb *tcb, const struct segment *seg)
{
    if (seg->flags & TCP_RST) {
        tcb_note(tcb, "RST for no connection (no TCB for this port pair): discarded (RFC 9293 3.4.1, 3.10.7.1)");
        return;
    }
    tcb_send_reset_for(tcb, seg, (seg->flags & TCP_ACK)
        ? "no connection for this port pair: <SEQ=SEG.ACK><CTL=RST> (RFC 9293 3.4.1, 3.10.7.1)"
        : "no connection for this port pair: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (RFC 9293 3.4.1, 3.10.7.1)");
}

/* RFC 9293 3.7.1: the peer's MSS option, or 536 when its SYN had none
 * (MUST-15); the send MSS is the smaller of this and our own. */
static void take_peer_mss(struct tcb *tcb, const struct segment *syn)
{
    tcb->peer_mss = syn->mss ? syn->mss : TCP_DEFAULT_MSS;
}

/* RFC 9293 3.10.7.2 third, 3.10.7.3 fourth: "any other control or text
 * should be queued for processing later", once ESTABLISHED
 * (process_syn_text). */
static void queue_syn_text(struct tcb *tcb, const struct segment *seg)
{
    if (seg->len == 0 && !(seg->flags & TCP_FIN))
        return;
    free(tcb->syn_text);
    tcb->syn_text = seg->len ? malloc(seg->len) : NULL;
    if (seg->len && !tcb->syn_text) {
        tcb_note(tcb, "out of memory: the text on the SYN is not kept; the sender sends it again");
        return;
    }
    if (seg->len && seg->data)
        memcpy(tcb->syn_text, seg->data, seg->len);
    else if (seg->len)
        memset(tcb->syn_text, 0, seg->len);
    tcb->syn_text_len = seg->len;
    tcb->syn_fin = (seg->flags & TCP_FIN) != 0;
    tcb_note(tcb, "text or FIN on a SYN: queued until ESTABLISHED (RFC 9293 3.10.7.2 third, 3.10.7.3 fourth)");
}

static void process_syn_text(struct tcb *tcb, struct reply *r);

/* --- RFC 9293 3.10.7.2: LISTEN ----------------------------------------- */

static void passive_syn(struct tcb *tcb, const struct segment *seg, seq_t iss, const char *why);

void tcb_listen_arrives(struct tcb *tcb, const struct segment *seg)
{
    bool listener = !tcb->child && tcb->listener && tcb->listener->backlog > 0;
    /* first: check for a RST */
    if (seg->flags & TCP_RST) {
        tcb_note(tcb, "RST in LISTEN: ignored (RFC 9293 3.10.7.2 first)");
        return;
    }
    /* second: check for an ACK */
    if (seg->flags & TCP_ACK) {
        if (listener && listener_cookie_ack(tcb, seg))
            return;
        tcb_send_reset_for(tcb, seg, "ACK in LISTEN: <SEQ=SEG.ACK><CTL=RST> (RFC 9293 3.10.7.2 second)");
        return;
    }
    /* third: check for a SYN (a listener with a backlog gives it a child) */
    if ((seg->flags & TCP_SYN) && listener) {
        listener_syn(tcb, seg);
        return;
    }
    if (seg->flags & TCP_SYN) {
        passive_syn(tcb, seg, tcb->host->choose_iss(tcb->host->ctx, tcb->ep, seg->sport),
                    "rcv SYN in LISTEN: IRS = SEG.SEQ, RCV.NXT = SEG.SEQ+1 (RFC 9293 3.10.7.2 third)");
        return;
    }
    /* fourth: other text or control */
    tcb_note(tcb, "no SYN, ACK or RST in LISTEN: discarded (RFC 9293 3.10.7.2 fourth)");
}

/* RFC 9293 3.10.7.2 third: a SYN makes the connection, with this ISS. */
static void passive_syn(struct tcb *tcb, const struct segment *seg, seq_t iss, const char *why)
{
    tcb_begin(tcb, iss);
    tcb->passive_open = true;
    tcb->rport = seg->sport;
    tcb->irs = seg->seq;
    tcb->rcv_nxt = seg->seq + 1;
    tcb->snd_wnd = seg->wnd;
    tcb->snd_wl1 = seg->seq;
    take_peer_mss(tcb, seg);
    queue_syn_text(tcb, seg);
    if (tcb->host->cfg->two_way) {
        /* set handshake two-way: the textbook's broken variant, not TCP. */
        tcb_set_state(tcb, ESTABLISHED, "NOT TCP (two-way handshake): ESTABLISHED on the SYN alone; "
                                        "TCP waits in SYN-RECEIVED for the third segment (RFC 9293 3.10.7.2)");
        struct reply r = { 0 };
        process_syn_text(tcb, &r);      /* the SYN,ACK acknowledges it */
    } else {
        tcb_set_state(tcb, SYN_RECEIVED, why);
    }
    tcb_send_syn(tcb, "rcv SYN: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> (RFC 9293 3.10.7.2 third)");
}

/* --- shared by SYN-SENT and the other states: text and FIN -------------- */

static bool text_allowed(enum tcp_state s)
{
    return s == ESTABLISHED || s == FIN_WAIT_1 || s == FIN_WAIT_2;
}

/* seventh: process the segment text.  Returns whether every octet before
 * the FIN (if any) is now received, so that the FIN may be processed. */
static bool process_text(struct tcb *tcb, const struct segment *seg, struct reply *r)
{
    seq_t data_seq = seg->seq + ((seg->flags & TCP_SYN) ? 1 : 0);
    if (seg->len == 0 && !(seg->flags & TCP_FIN))
        return true;
    if (seg->len && tcb->orphan && seq_gt(data_seq + seg->len, tcb->rcv_nxt) &&
        (tcb->state == FIN_WAIT_1 || tcb->state == FIN_WAIT_2)) {
        /* linux: nobody will read it: new data for a close()d socket is
         * answered with a RST and the socket is destroyed (LINUX.md row 19). */
        tcb_send_reset_for(tcb, seg, "linux: data after close(): <SEQ=SEG.ACK><CTL=RST>, nobody will read it");
        tcb_signal(tcb, "connection reset");
        tcb_delete_because(tcb, "linux: data after close(): the orphan is reset");
        return false;
    }
    if (seg->len && !text_allowed(tcb->state)) {
        tcb_note(tcb, "text after the peer's FIN: ignored (RFC 9293 3.10.7.4 seventh)");
        return false;
    }
    if (seq_gt(data_seq, tcb->rcv_nxt)) {
        /* tcpsim keeps no out-of-order data or FIN: the duplicate ACK asks again. */
        tcb_note(tcb, "out of order (SEG.SEQ > RCV.NXT): not kept, ACK RCV.NXT again");
        want_ack(r, "duplicate ACK: RCV.NXT has not moved (RFC 9293 3.10.7.4 seventh)");
        return false;
    }
    if (tcb->rcv_wnd == 0) {
        /* RFC 9293 3.10.7.4: at a zero window no text (nor FIN) is
         * acceptable; the ACK tells the sender the window again. */
        want_ack(r, "zero window: text not accepted, ACK RCV.NXT with RCV.WND = 0 (RFC 9293 3.8.6.1)");
        return false;
    }
    if (seg->len == 0)
        return true;
    uint32_t skip = tcb->rcv_nxt - data_seq;      /* already received */
    if (skip >= seg->len) {
        want_ack(r, "ACK: text already received (RFC 9293 3.10.7.4 seventh)");
        return skip == seg->len;
    }
    uint32_t take = seg->len - skip;
    bool all = true;
    if (take > tcb->rcv_wnd) {
        take = tcb->rcv_wnd;
        all = false;
    }
    if (take) {
        tcb_rcv_text(tcb, seg->data ? seg->data + skip : NULL, take);
        if (tcb->autoread)      /* read at once; linux keeps the right edge all the same */
            tcb_window_consumed(tcb, take);
    }
    want_ack(r, "ACK of data: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 9293 3.10.7.4 seventh)");
    return all;
}

/* linux: the ACK of a FIN in ESTABLISHED waits (delayed-ACK "pingpong"
 * mode), about one jiffy, or TCP_ATO_MIN once data was received; a close()
 * within that time carries it on its FIN (LINUX.md row 12). */
static void delay_fin_ack(const struct tcb *tcb, struct reply *r)
{
    const struct profile *p = tcb_profile(tcb);
    r->delay_ms = tcb->bytes_received ? p->delack_fin_data_ms : p->delack_fin_ms;
    if (r->delay_ms)
        r->why = tcb->bytes_received ? "linux: delayed ACK: after data, the ACK of the FIN waits 40 ms"
                                     : "linux: delayed ACK: the ACK of the FIN waits one tick, 4 ms";
}

/* eighth: check the FIN bit. */
static void check_fin(struct tcb *tcb, const struct segment *seg, bool in_order, struct reply *r)
{
    if (!(seg->flags & TCP_FIN) || !in_order)
        return;
    tcb->rcv_nxt += 1;
    /* linux: a close()d socket in FIN-WAIT-2 is a TIME-WAIT mini-socket
     * with the window it had (LINUX.md row 3). */
    if (!(tcb->orphan && tcb->state == FIN_WAIT_2 && tcb_profile(tcb)->orphan_keeps_window))
        tcb_window_consumed(tcb, 1);
    tcb_signal(tcb, "connection closing");
    want_ack(r, "ACK of FIN: RCV.NXT advanced over the FIN (RFC 9293 3.10.7.4 eighth)");
    if (tcb->state == ESTABLISHED)
        delay_fin_ack(tcb, r);
    switch (tcb->state) {
    case SYN_RECEIVED:
    case ESTABLISHED:
        tcb_set_state(tcb, CLOSE_WAIT, "rcv FIN (RFC 9293 3.10.7.4 eighth)");
        break;
    case FIN_WAIT_1:
        if (tcb_fin_acked(tcb))
            tcb_enter_time_wait(tcb, "rcv FIN, our FIN is acknowledged (RFC 9293 3.10.7.4 eighth)");
        else
            tcb_set_state(tcb, CLOSING, "rcv FIN, our FIN not yet acknowledged: simultaneous close (RFC 9293 3.10.7.4 eighth)");
        break;
    case FIN_WAIT_2:
        tcb_enter_time_wait(tcb, "rcv FIN in FIN-WAIT-2 (RFC 9293 3.10.7.4 eighth)");
        break;
    default:
        break;      /* CLOSE-WAIT, CLOSING, LAST-ACK: remain (TIME-WAIT stops at the fifth step) */
    }
}

/* The text and FIN a SYN brought, now that the connection is ESTABLISHED:
 * the seventh and eighth steps, as if they arrived now. */
static void process_syn_text(struct tcb *tcb, struct reply *r)
{
    if (tcb->syn_text_len == 0 && !tcb->syn_fin)
        return;
    struct segment q = { .src = ep_peer(tcb->ep), .seq = tcb->irs + 1, .len = tcb->syn_text_len,
                         .data = tcb->syn_text, .flags = TCP_ACK | (tcb->syn_fin ? TCP_FIN : 0) };
    uint8_t *text = tcb->syn_text;
    tcb->syn_text = NULL;
    tcb->syn_text_len = 0;
    tcb->syn_fin = false;
    bool in_order = process_text(tcb, &q, r);
    check_fin(tcb, &q, in_order, r);
    free(text);
}

/* --- RFC 9293 3.10.7.3: SYN-SENT --------------------------------------- */

static void syn_sent_arrives(struct tcb *tcb, const struct segment *seg)
{
    bool ack_ok = false;
    /* first: check the ACK bit */
    if (seg->flags & TCP_ACK) {
        if (seq_le(seg->ack, tcb->iss) || seq_gt(seg->ack, tcb->snd_nxt)) {
            if (seg->flags & TCP_RST)
                tcb_note(tcb, "RST with an unacceptable ACK in SYN-SENT: discarded (RFC 9293 3.10.7.3 first)");
            else
                tcb_send_reset_for(tcb, seg, "SEG.ACK =< ISS or > SND.NXT in SYN-SENT: <SEQ=SEG.ACK><CTL=RST> (RFC 9293 3.10.7.3 first)");
            return;
        }
        ack_ok = seq_between_open_closed(tcb->snd_una, seg->ack, tcb->snd_nxt);
    }
    /* second: check the RST bit (tcpsim: accepted when its ACK acknowledges
     * our SYN; the sequence number is not checked) */
    if (seg->flags & TCP_RST) {
        if (ack_ok) {
            tcb_signal(tcb, "connection reset");
            tcb_delete_because(tcb, "rcv RST acknowledging our SYN: connection refused (RFC 9293 3.10.7.3 second)");
        } else {
            tcb_note(tcb, "RST without ACK in SYN-SENT: discarded (RFC 9293 3.10.7.3 second)");
        }
        return;
    }
    /* fourth: check the SYN bit */
    if (!(seg->flags & TCP_SYN)) {
        /* fifth: neither SYN nor RST */
        tcb_note(tcb, "no SYN or RST in SYN-SENT: discarded (RFC 9293 3.10.7.3 fifth)");
        return;
    }
    tcb->irs = seg->seq;
    tcb->rcv_nxt = seg->seq + 1;
    take_peer_mss(tcb, seg);
    if (ack_ok) {
        tcb->snd_una = seg->ack;
        tcb_acked(tcb, seg->ack);
    }
    tcb->snd_wnd = seg->wnd;
    tcb->snd_wl1 = seg->seq;
    tcb->snd_wl2 = seg->ack;
    if (seq_gt(tcb->snd_una, tcb->iss)) {
        struct reply r = { 0 };
        tcb_established(tcb, "rcv SYN,ACK: SND.UNA < SEG.ACK =< SND.NXT (RFC 9293 3.10.7.3 fourth)");
        want_ack(&r, "ACK of SYN,ACK: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 9293 3.10.7.3 fourth)");
        /* "continue processing at the sixth step": text and FIN */
        bool in_order = process_text(tcb, seg, &r);
        check_fin(tcb, seg, in_order, &r);
        finish(tcb, &r);
        return;
    }
    tcb->passive_open = false;
    tcb_set_state(tcb, SYN_RECEIVED, "rcv SYN in SYN-SENT: simultaneous open (RFC 9293 3.10.7.3 fourth)");
    queue_syn_text(tcb, seg);
    /* Our SYN again, now with an ACK: it re-sends sequence number ISS. */
    tcb->rtt_timing = false;
    tcb_send_ctl(tcb, tcb->iss, tcb->rcv_nxt, TCP_SYN | TCP_ACK,
                 "simultaneous open: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> (RFC 9293 3.10.7.3 fourth)");
}

/* --- RFC 9293 3.10.7.4: the other states, step by step ------------------ */

/* linux: a SYN (no ACK) above RCV.NXT in TIME-WAIT recycles the
 * connection: SYN-RECEIVED at once, ISS = old SND.NXT + 65537
 * (tcp_timewait_state_process, LINUX.md row 15).  RFC 9293 answers it with
 * an ACK.  Linux hands the SYN to the listener of the port, so only a
 * connection that came from a passive OPEN reopens; the TIME-WAIT of an
 * active OPEN has no listener and sends the ACK. */
static bool time_wait_reopens(struct tcb *tcb, const struct segment *seg)
{
    if (tcb->state != TIME_WAIT || !tcb_profile(tcb)->time_wait_reopen || !tcb->passive_open)
        return false;
    if ((seg->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN || !seq_gt(seg->seq, tcb->rcv_nxt))
        return false;
    passive_syn(tcb, seg, tcb->snd_nxt + PROFILE_TW_REOPEN_ISS_OFFSET,
                "linux: SYN above RCV.NXT in TIME-WAIT: reopened, ISS = old SND.NXT + 65537");
    return true;
}

/* fifth, ESTABLISHED and the states that share its rule.  Returns false
 * when the segment stops here. */
static bool established_ack(struct tcb *tcb, const struct segment *seg)
{
    tcb_probe_acked(tcb, seg->ack);     /* a zero-window probe's octet taken (3.8.6.1) */
    if (seq_between_open_closed(tcb->snd_una, seg->ack, tcb->snd_nxt)) {
        tcb->snd_una = seg->ack;
        tcb_acked(tcb, seg->ack);
    } else if (seq_gt(seg->ack, tcb->snd_nxt)) {
        if (!tcb_ack_rate_limited(tcb))
            tcb_send_ack_now(tcb, "SEG.ACK > SND.NXT acknowledges what was never sent: ACK, drop (RFC 9293 3.10.7.4 fifth)");
        return false;
    }
    /* SEG.ACK =< SND.UNA: a duplicate, the ACK field is ignored. */
    if (seq_le(tcb->snd_una, seg->ack) && seq_le(seg->ack, tcb->snd_nxt) &&
        (seq_lt(tcb->snd_wl1, seg->seq) || (tcb->snd_wl1 == seg->seq && seq_le(tcb->snd_wl2, seg->ack)))) {
        tcb->snd_wnd = seg->wnd;
        tcb->snd_wl1 = seg->seq;
        tcb->snd_wl2 = seg->ack;
    }
    /* The peer is there, its window closed: what we retransmit now probes
     * it (3.8.6.1, MUST-37; tcb_retransmit_timeout). */
    if (tcb->snd_wnd == 0 && seq_le(tcb->snd_una, seg->ack) && seq_le(seg->ack, tcb->snd_nxt))
        tcb->zw_answered = true;
    return true;
}

/* fifth: check the ACK field.  Returns false when the segment stops here. */
static bool check_ack(struct tcb *tcb, const struct segment *seg, struct reply *r)
{
    if (!(seg->flags & TCP_ACK)) {
        tcb_note(tcb, "no ACK bit: discarded (RFC 9293 3.10.7.4 fifth)");
        return false;
    }
    if (tcb->state == SYN_RECEIVED) {
        if (!seq_between_open_closed(tcb->snd_una, seg->ack, tcb->snd_nxt)) {
            tcb_send_reset_for(tcb, seg, "unacceptable ACK in SYN-RECEIVED: <SEQ=SEG.ACK><CTL=RST> (RFC 9293 3.10.7.4 fifth)");
            return false;
        }
        tcb->snd_wnd = seg->wnd;
        tcb->snd_wl1 = seg->seq;
        tcb->snd_wl2 = seg->ack;
        tcb_established(tcb, "rcv ACK of our SYN: SND.UNA < SEG.ACK =< SND.NXT (RFC 9293 3.10.7.4 fifth)");
        process_syn_text(tcb, r);
    }
    if (tcb->state == TIME_WAIT) {
        /* "The only thing that can arrive in this state is a retransmission
         * of the remote FIN.  Acknowledge it, and restart the 2 MSL timeout." */
        if (seg->flags & TCP_FIN) {
            tcb_enter_time_wait(tcb, "rcv FIN in TIME-WAIT: restart 2 x MSL (RFC 9293 3.10.7.4 fifth)");
            if (tcb->autoack)
                tcb_send_ack_now(tcb, "ACK of the FIN in TIME-WAIT (RFC 9293 3.10.7.4 fifth)");
        } else {
            tcb_note(tcb, "no FIN in TIME-WAIT: nothing to do (RFC 9293 3.10.7.4 fifth)");
        }
        return false;
    }
    if (!established_ack(tcb, seg))
        return false;
    switch (tcb->state) {
    case FIN_WAIT_1:
        if (tcb_fin_acked(tcb)) {
            tcb_set_state(tcb, FIN_WAIT_2, "rcv ACK of our FIN (RFC 9293 3.10.7.4 fifth)");
            tcb_orphan_fin_wait_2(tcb);
        }
        /* A CLOSE in SYN-RECEIVED went to FIN-WAIT-1 before our SYN was
         * acknowledged (3.10.4): the text and FIN the SYN brought are
         * processed now that it is. */
        if (seq_gt(tcb->snd_una, tcb->iss))
            process_syn_text(tcb, r);
        return true;
    case CLOSING:
        if (tcb_fin_acked(tcb)) {
            tcb_enter_time_wait(tcb, "rcv ACK of our FIN in CLOSING (RFC 9293 3.10.7.4 fifth)");
            return true;
        }
        /* "otherwise ignore the segment": but data and the FIN queued
         * behind CLOSE still go out (RFC 9293 3.10.4), so output runs. */
        tcb_note(tcb, "CLOSING: ACK does not cover our FIN, ignored (RFC 9293 3.10.7.4 fifth)");
        tcb_output(tcb);
        return false;
    case LAST_ACK:
        if (tcb_fin_acked(tcb)) {
            tcb_delete_because(tcb, "rcv ACK of our FIN in LAST-ACK (RFC 9293 3.10.7.4 fifth)");
            return false;
        }
        return true;
    default:
        return true;
    }
}

/* tcpsim: a SYN,ACK that crosses ours in a simultaneous open completes
 * the handshake, as RFC 9293 Figure 7 draws it (line 6), although its
 * SEG.SEQ = IRS lies just before RCV.NXT. */
static bool crossed_syn_ack(struct tcb *tcb, const struct segment *seg)
{
    if (tcb->state != SYN_RECEIVED || tcb->passive_open)
        return false;
    if ((seg->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != (TCP_SYN | TCP_ACK))
        return false;
    if (seg->seq != tcb->irs || !seq_between_open_closed(tcb->snd_una, seg->ack, tcb->snd_nxt))
        return false;
    tcb->snd_una = seg->ack;
    tcb_acked(tcb, seg->ack);
    tcb->snd_wnd = seg->wnd;
    tcb->snd_wl1 = seg->seq;
    tcb->snd_wl2 = seg->ack;
    tcb_established(tcb, "rcv SYN,ACK in SYN-RECEIVED: simultaneous open completes (RFC 9293 Figure 7)");
    struct reply r = { 0 };
    process_syn_text(tcb, &r);
    /* linux: the crossed SYN,ACK is acknowledged (LINUX.md row 13). */
    if (tcb_profile(tcb)->crossed_synack_ack)
        want_ack(&r, "linux: ACK of the crossed SYN,ACK: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
    finish(tcb, &r);
    return true;
}

static void synchronized_arrives(struct tcb *tcb, const struct segment *seg)
{
    struct reply r = { 0 };
    if (crossed_syn_ack(tcb, seg) || time_wait_reopens(tcb, seg))
        return;
    /* RFC 9293 3.10.7.4, first: check sequence number */
    if (!tcb_check_sequence(tcb, seg))
        return;
    /* second: check the RST bit */
    if (seg->flags & TCP_RST) {
        tcb_check_rst(tcb, seg);
        return;
    }
    /* third: check security (not modeled) */
    /* fourth: check the SYN bit */
    if (seg->flags & TCP_SYN) {
        tcb_check_syn(tcb, seg);
        return;
    }
    /* fifth: check the ACK field */
    if (!check_ack(tcb, seg, &r))
        return;
    /* sixth: check the URG bit (not modeled) */
    /* seventh: process the segment text */
    bool in_order = process_text(tcb, seg, &r);
    /* eighth: check the FIN bit */
    check_fin(tcb, seg, in_order, &r);
    finish(tcb, &r);
}

void tcb_segment_arrives(struct tcb *tcb, const struct segment *seg)
{
    switch (tcb->state) {
    case CLOSED:
        closed_arrives(tcb, seg);
        return;
    case LISTEN:
        tcb_listen_arrives(tcb, seg);
        return;
    case SYN_SENT:
        syn_sent_arrives(tcb, seg);
        return;
    default:
        synchronized_arrives(tcb, seg);
        return;
    }
}
