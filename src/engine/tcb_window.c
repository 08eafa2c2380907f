/* tcb_window.c - flow control: the receive buffer and the RECEIVE call,
 * silly window syndrome avoidance on both sides, and the persist timer
 * that probes a zero window (RFC 9293 3.8.6).
 *
 * With autoread on (the default) the application reads every octet as it
 * arrives, so RCV.WND stays at the `window` setting.  With autoread off
 * the octets wait in a buffer of RCV.BUFF octets until `read`: RCV.WND is
 * the free space, its right edge RCV.NXT + RCV.WND never moves left, and
 * it opens again only by a useful amount (3.8.6.2.2).  The sender holds
 * back small segments (3.8.6.2.1) and, when queued data waits on the
 * window with nothing in flight, runs the persist timer: at a zero window
 * it sends a probe of one new octet (3.8.6.1), otherwise it overrides the
 * silly window rule; the timer backs off and never gives up.
 */
#include <stdlib.h>
#include <string.h>

#include "tcb_internal.h"

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* --- the receiver ------------------------------------------------------- */

void tcb_rcv_text(struct tcb *tcb, const uint8_t *data, uint32_t take)
{
    tcb->rcv_nxt += take;
    tcb->bytes_received += take;
    if (tcb->autoread) {
        struct event ev = { .type = EV_RECEIVE, .ep = tcb->ep, .data = data, .len = take };
        tcb_emit(tcb, &ev);
        return;
    }
    /* RFC 9293 3.8.6.2.2: RCV.NXT moves right by take and RCV.WND shrinks
     * by as much, so the right edge stays where it was. */
    if (!tcb->rcvbuf && tcb->rcv_buff) {
        tcb->rcvbuf = malloc(tcb->rcv_buff);
        if (!tcb->rcvbuf) {     /* no buffer: the application gets it at once */
            struct event ev = { .type = EV_RECEIVE, .ep = tcb->ep, .data = data, .len = take };
            tcb_emit(tcb, &ev);
            return;
        }
    }
    uint32_t room = tcb->rcv_buff - tcb->rcv_user;
    uint32_t keep = min_u32(take, room);
    if (data)
        memcpy(tcb->rcvbuf + tcb->rcv_user, data, keep);
    else
        memset(tcb->rcvbuf + tcb->rcv_user, 0, keep);
    tcb->rcv_user += keep;
    tcb->rcv_wnd -= min_u32(take, tcb->rcv_wnd);
}

/* RFC 9293 3.8.6.2.2 (MUST-39): the window opens only when the space it
 * would gain is at least min(Fr x RCV.BUFF, Eff.snd.MSS), Fr = 1/2; the
 * MSS is ours, the largest segment the peer may send us.  Returns whether
 * RCV.WND grew. */
static bool receiver_sws_open(struct tcb *tcb)
{
    uint32_t space = tcb->rcv_buff - tcb->rcv_user;
    uint32_t threshold = min_u32(tcb->rcv_buff / 2, tcb->host->cfg->mss);
    if (space <= tcb->rcv_wnd || space - tcb->rcv_wnd < threshold)
        return false;
    tcb->rcv_wnd = space;
    return true;
}

/* The peer may still send us text: a window update is worth sending. */
static bool peer_may_send(const struct tcb *tcb)
{
    return tcb->state == ESTABLISHED || tcb->state == FIN_WAIT_1 || tcb->state == FIN_WAIT_2 ||
           tcb->state == SYN_RECEIVED;
}

static void window_update(struct tcb *tcb)
{
    if (receiver_sws_open(tcb) && peer_may_send(tcb))
        tcb_send_ack_now(tcb, "window update: reading opened RCV.WND by at least min(RCV.BUFF/2, MSS) "
                              "(RFC 9293 3.8.6.2.2)");
}

int tcb_read(struct tcb *tcb, size_t n)
{
    if (tcb->state == CLOSED)
        return tcb->host->fail(tcb->host->ctx, tcb->ep, "connection does not exist",
                               "a connection with data in its receive buffer");
    if (tcb->rcv_user == 0)
        return tcb->host->fail(tcb->host->ctx, tcb->ep, "no data waiting to be read",
                               "data in the receive buffer (set ENDPOINT autoread off keeps it there)");
    uint32_t take = n == 0 || n > tcb->rcv_user ? tcb->rcv_user : (uint32_t)n;
    struct event ev = { .type = EV_RECEIVE, .ep = tcb->ep, .data = tcb->rcvbuf, .len = take };
    tcb_emit(tcb, &ev);
    memmove(tcb->rcvbuf, tcb->rcvbuf + take, tcb->rcv_user - take);
    tcb->rcv_user -= take;
    window_update(tcb);
    return 0;
}

void tcb_set_autoread(struct tcb *tcb, bool on)
{
    if (on == tcb->autoread)
        return;                 /* unchanged: no window update out of nothing */
    if (on && tcb->rcv_user)
        tcb_read(tcb, 0);
    tcb->autoread = on;
    /* Reading at once, the whole buffer is free again. */
    if (on && tcb->rcv_buff && tcb->rcv_wnd < tcb->rcv_buff && tcb->state != CLOSED && tcb->state != LISTEN) {
        tcb->rcv_wnd = tcb->rcv_buff;
        if (peer_may_send(tcb))
            tcb_send_ack_now(tcb, "window update: the application reads at once again (RFC 9293 3.8.6.2.2)");
    }
}

/* --- the sender ----------------------------------------------------------- */

static bool waits_on_window(const struct tcb *tcb)
{
    switch (tcb->state) {
    case ESTABLISHED:
    case CLOSE_WAIT:
    case FIN_WAIT_1:
    case CLOSING:
    case LAST_ACK:
        /* cheapest first: this runs after every output */
        return !tcb->fin_sent && tcb->snd_una == tcb->snd_nxt && !tcb->rtx_timer.armed && tcb_unsent(tcb) > 0;
    default:
        return false;
    }
}

void tcb_persist_update(struct tcb *tcb)
{
    if (!tcb->persist_timer.armed && tcb->rtx_timer.armed)
        return;                 /* something is in flight: nothing waits on the window */
    if (!waits_on_window(tcb)) {
        timer_stop(&tcb->persist_timer);
        tcb->persist_shift = 0;
        return;
    }
    if (tcb->persist_timer.armed)
        return;
    /* RFC 9293 3.8.6.1: the probe interval starts at the RTO and backs off
     * exponentially (MUST-37), up to the largest RTO. */
    uint64_t after = tcb->rto;
    for (uint32_t i = 0; i < tcb->persist_shift && after < tcb->host->cfg->rto_max_ms; i++)
        after *= 2;
    if (after > tcb->host->cfg->rto_max_ms)
        after = tcb->host->cfg->rto_max_ms;
    timer_start(&tcb->persist_timer, tcb_now(tcb), after);
}

void tcb_persist_timeout(struct tcb *tcb)
{
    if (!waits_on_window(tcb))
        return;
    tcb->persist_shift++;
    if (tcb->snd_wnd == 0) {
        /* RFC 9293 3.8.6.1 (MUST-36): one octet of new data beyond the zero
         * window.  SND.NXT does not move: the probe is not in the
         * retransmission queue, and no answer ever gives the connection up. */
        tcb->probe_out = true;
        tcb_put_data(tcb, tcb->snd_nxt, 1, TCP_ACK,
                     "zero window probe: one new octet beyond SND.WND = 0 (RFC 9293 3.8.6.1)");
    } else {
        tcb->sws_override = true;       /* 3.8.6.2.1 (4): the override timeout */
        tcb_output(tcb);
        tcb->sws_override = false;
    }
    tcb_persist_update(tcb);
}

void tcb_probe_acked(struct tcb *tcb, seq_t ack)
{
    if (tcb->probe_out && ack == tcb->snd_nxt + 1 && tcb_unsent(tcb) > 0) {
        tcb->snd_nxt += 1;      /* the window had opened: the probe's octet was taken */
        tcb->probe_out = false;
    }
}
