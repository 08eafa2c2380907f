/* tcb_check.c - RFC 9293 3.10.7.4, the first, second and fourth steps of
 * SEGMENT ARRIVES in a synchronized state (and SYN-RECEIVED): is the
 * segment acceptable, then its RST bit, then its SYN bit, with RFC 5961's
 * challenge ACKs.  tcb_input.c runs them in the RFC's order.
 *
 * The profiles change these steps most: rfc793 takes any RST or SYN in
 * the window (no RFC 5961); linux answers a SYN in a request's window with
 * a RST and limits the rate of challenge and duplicate ACKs.  Each rule is
 * a small predicate at its step, its reason beginning "rfc793:" or
 * "linux:" (profile.h).
 */
#include "tcb_internal.h"

/* The four cases of the acceptability test. */
static bool seq_acceptable(const struct tcb *tcb, const struct segment *seg)
{
    uint32_t len = seg_seqlen(seg);
    if (len == 0 && tcb->rcv_wnd == 0)
        return seg->seq == tcb->rcv_nxt;
    if (len == 0)
        return seq_in_window(seg->seq, tcb->rcv_nxt, tcb->rcv_wnd);
    if (tcb->rcv_wnd == 0)
        return false;
    return seq_in_window(seg->seq, tcb->rcv_nxt, tcb->rcv_wnd) ||
           seq_in_window(seg->seq + len - 1, tcb->rcv_nxt, tcb->rcv_wnd);
}

/* RFC 9293 3.10.7.4 first (MUST-66): "If the RCV.WND is zero, no segments
 * will be acceptable, but special allowance should be made to accept
 * valid ACKs, URGs, and RSTs": a segment at RCV.NXT goes on to the RST
 * and ACK steps; its text and FIN are not taken (seventh step). */
static bool zero_window_allowance(struct tcb *tcb, const struct segment *seg)
{
    if (tcb->rcv_wnd != 0 || seg->seq != tcb->rcv_nxt)
        return false;
    tcb_note(tcb, "RCV.WND = 0: its ACK and RST are processed, its text is not (RFC 9293 3.10.7.4 first)");
    return true;
}

/* first: check sequence number.  Returns false when the segment stops here. */
bool tcb_check_sequence(struct tcb *tcb, const struct segment *seg)
{
    if (seq_acceptable(tcb, seg) || zero_window_allowance(tcb, seg))
        return true;
    if (seg->flags & TCP_RST) {
        tcb_note(tcb, "RST outside the window: discarded (RFC 9293 3.10.7.4 first)");
        return false;
    }
    /* tcpsim: a retransmitted FIN in TIME-WAIT is ACKed and restarts 2 x MSL
     * (RFC 9293 3.10.7.4 eighth, TIME-WAIT), though it is behind RCV.NXT. */
    if (tcb->state == TIME_WAIT && (seg->flags & TCP_FIN) && seg->seq + seg_seqlen(seg) == tcb->rcv_nxt) {
        timer_start(&tcb->tw_timer, tcb_now(tcb), 2ull * tcb->host->cfg->msl_ms);
        tcb_note(tcb, "retransmitted FIN in TIME-WAIT: ACK it, restart 2 x MSL (RFC 9293 3.10.7.4 eighth)");
        /* linux: this ACK is rate limited like the others (LINUX.md row 16). */
        if (tcb->autoack && !tcb_ack_rate_limited(tcb))
            tcb_send_ack_now(tcb, "re-ACK of the retransmitted FIN (RFC 9293 3.10.7.4)");
        return false;
    }
    /* linux: the peer's SYN again (its SYN,ACK was lost) gets the SYN,ACK
     * again (tcp_check_req; LINUX.md "known from the Linux source"). */
    if (tcb->state == SYN_RECEIVED && tcb->passive_open && tcb_profile(tcb)->synrecv_syn_resends &&
        (seg->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN && seg->seq == tcb->irs) {
        if (!tcb_ack_rate_limited(tcb))
            tcb_send_ctl(tcb, tcb->iss, tcb->rcv_nxt, TCP_SYN | TCP_ACK,
                         "linux: the SYN again in SYN-RECEIVED: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> again");
        return false;
    }
    /* A segment that carries no data (or a SYN) is rate limited; data is not. */
    if ((seg_seqlen(seg) == 0 || (seg->flags & TCP_SYN)) && tcb_ack_rate_limited(tcb))
        return false;
    tcb_send_ack_now(tcb, "unacceptable segment: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 9293 3.10.7.4 first)");
    return false;
}

/* rfc793: before RFC 5961, a RST or SYN anywhere in the window is taken
 * as it stands; no challenge ACK asks the peer to prove itself. */
static bool challenge_acks(const struct tcb *tcb)
{
    return tcb_profile(tcb)->challenge_acks;
}

/* second: check the RST bit (with RFC 5961 3.2). */
void tcb_check_rst(struct tcb *tcb, const struct segment *seg)
{
    if (seg->seq != tcb->rcv_nxt && challenge_acks(tcb)) {
        if (!tcb_ack_rate_limited(tcb))
            tcb_send_ack_now(tcb, "challenge ACK: RST in window but SEG.SEQ != RCV.NXT (RFC 5961 3.2)");
        return;
    }
    /* rfc793: any RST in the window is taken as it stands, each state as
     * RFC 793 3.9 says (the same as RFC 9293's for SEG.SEQ = RCV.NXT). */
    bool blind = seg->seq != tcb->rcv_nxt;
    switch (tcb->state) {
    case SYN_RECEIVED:
        if (tcb->passive_open) {
            tcb_return_to_listen(tcb, blind ? "rfc793: rcv RST in the window in SYN-RECEIVED from a passive OPEN: "
                                              "back to LISTEN (RFC 793 3.4; no RFC 5961)"
                                            : "rcv RST in SYN-RECEIVED from a passive OPEN: back to LISTEN "
                                              "(RFC 9293 3.10.7.4 second)");
        } else {
            tcb_signal(tcb, "connection refused");
            tcb_delete_because(tcb, blind ? "rfc793: rcv RST in the window in SYN-RECEIVED from an active OPEN: "
                                            "connection refused (RFC 793 3.4; no RFC 5961)"
                                          : "rcv RST in SYN-RECEIVED from an active OPEN: connection refused "
                                            "(RFC 9293 3.10.7.4 second)");
        }
        return;
    case ESTABLISHED:
    case FIN_WAIT_1:
    case FIN_WAIT_2:
    case CLOSE_WAIT:
        tcb_signal(tcb, "connection reset");
        tcb_delete_because(tcb, blind ? "rfc793: rcv RST in the window: connection reset (RFC 793 3.4; no RFC 5961)"
                                      : "rcv RST, SEG.SEQ = RCV.NXT: connection reset (RFC 9293 3.10.7.4 second)");
        return;
    case TIME_WAIT:
        if (tcb->host->cfg->rfc1337) {
            tcb_note(tcb, "RST in TIME-WAIT: ignored (RFC 1337, set rfc1337 on)");
            return;
        }
        tcb_delete_because(tcb, blind ? "rfc793: rcv RST in the window in TIME-WAIT: CLOSED (RFC 793 3.4; no RFC 5961)"
                                      : "rcv RST in TIME-WAIT: CLOSED (RFC 9293 3.10.7.4 second)");
        return;
    default:    /* CLOSING, LAST-ACK */
        tcb_delete_because(tcb, blind ? "rfc793: rcv RST in the window while closing: CLOSED (RFC 793 3.4; no RFC 5961)"
                                      : "rcv RST while closing: CLOSED (RFC 9293 3.10.7.4 second)");
        return;
    }
}

/* fourth: check the SYN bit (with RFC 5961 4.2). */
void tcb_check_syn(struct tcb *tcb, const struct segment *seg)
{
    if (!challenge_acks(tcb)) {
        /* rfc793: "If the SYN is in the window it is an error, send a reset". */
        tcb_send_reset_for(tcb, seg, "rfc793: SYN in the window: reset (RFC 793 3.9, no RFC 5961)");
        tcb_signal(tcb, "connection reset");
        tcb_delete_because(tcb, "rfc793: SYN in the window: connection reset, CLOSED (RFC 793 3.9)");
        return;
    }
    if (tcb->state == SYN_RECEIVED && tcb->passive_open) {
        if (tcb_profile(tcb)->synrecv_syn_resets) {
            /* linux: tcp_check_req() answers the SYN with a RST and drops the
             * request; the SYN itself is not processed (LINUX.md row 14). */
            tcb_send_reset_for(tcb, seg, "linux: SYN in the window of a request: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>");
            tcb_return_to_listen(tcb, "linux: SYN in the window in SYN-RECEIVED: the request is dropped, LISTEN");
            return;
        }
        tcb_return_to_listen(tcb, "rcv SYN in window in SYN-RECEIVED from a passive OPEN: back to LISTEN (RFC 9293 3.10.7.4 fourth)");
        return;
    }
    if (tcb_ack_rate_limited(tcb))
        return;
    tcb_send_ack_now(tcb, "challenge ACK: SYN in a synchronized state (RFC 5961 4.2)");
}
