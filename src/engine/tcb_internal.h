/* tcb_internal.h - what the TCB's three files share: the one function that
 * writes the state, the senders, and the retransmission bookkeeping.  Not
 * a public header. */
#ifndef TCPSIM_TCB_INTERNAL_H
#define TCPSIM_TCB_INTERNAL_H

#include "tcpsim/host.h"
#include "tcpsim/listener.h"
#include "tcpsim/tcb.h"

/* The simulation, as far as a TCB sees it (host.h). */
static inline uint64_t tcb_now(const struct tcb *tcb) { return *tcb->host->now; }
static inline void tcb_emit(const struct tcb *tcb, struct event *ev) { tcb->host->emit(tcb->host->ctx, ev); }

/* The profile's rules (profile.h). */
static inline const struct profile *tcb_profile(const struct tcb *tcb) { return tcb->host->cfg->profile; }

/* tcb.c */
void tcb_set_state(struct tcb *tcb, enum tcp_state to, const char *why);
void tcb_begin(struct tcb *tcb, seq_t iss);
void tcb_delete_because(struct tcb *tcb, const char *why);
void tcb_return_to_listen(struct tcb *tcb, const char *why);
void tcb_enter_time_wait(struct tcb *tcb, const char *why);
void tcb_established(struct tcb *tcb, const char *why);
void tcb_note(struct tcb *tcb, const char *why);
void tcb_signal(struct tcb *tcb, const char *message);
void tcb_orphan_fin_wait_2(struct tcb *tcb);
static inline uint16_t tcb_child_port(const struct tcb *tcb) { return tcb->child ? tcb->rport : 0; }

/* tcb_check.c: RFC 9293 3.10.7.4 first, second and fourth steps.
 * tcb_check_sequence returns false when the segment stops there. */
bool tcb_check_sequence(struct tcb *tcb, const struct segment *seg);
void tcb_check_rst(struct tcb *tcb, const struct segment *seg);
void tcb_check_syn(struct tcb *tcb, const struct segment *seg);

/* tcb_input.c: the listener (listener.c) hands a segment on */
void tcb_listen_arrives(struct tcb *tcb, const struct segment *seg);

/* tcb_output.c */
void tcb_send_syn(struct tcb *tcb, const char *why);
void tcb_send_ctl(struct tcb *tcb, seq_t seq, seq_t ack, uint8_t flags, const char *why);
void tcb_send_ack_now(struct tcb *tcb, const char *why);
/* A reply for a segment that has no connection (RFC 9293 3.10.7.1). */
void tcb_send_reset_for(struct tcb *tcb, const struct segment *seg, const char *why);
/* A listener's SYN,ACK that keeps no state: SYN cookies (RFC 4987 3.6). */
void tcb_send_cookie(struct tcb *tcb, const struct segment *syn, seq_t cookie);
/* Send queued data and the FIN as far as the window allows; returns how
 * many segments went out. */
int tcb_output(struct tcb *tcb);
/* Everything up to ack is acknowledged: trim the queue and the send
 * buffer, take an RTT sample, manage the retransmission timer. */
void tcb_acked(struct tcb *tcb, seq_t ack);
bool tcb_fin_acked(const struct tcb *tcb);
void tcb_retransmit_timeout(struct tcb *tcb);
/* Put len octets of the send buffer from seq on the wire (tcb_window.c
 * sends its probes with it). */
void tcb_put_data(struct tcb *tcb, seq_t seq, uint32_t len, uint8_t flags, const char *why);

/* tcb_window.c: the receive buffer, silly window avoidance, the persist timer */
/* Hand take octets of arriving text to the application, or to the
 * receive buffer (RCV.WND shrinks, its right edge stays). */
void tcb_rcv_text(struct tcb *tcb, const uint8_t *data, uint32_t take);
/* Sender SWS avoidance (RFC 9293 3.8.6.2.1, MUST-38), with every SEND
 * pushed and no Nagle: d queued octets, u usable, the send MSS.  Send
 * (1) a full segment, (2) all the queued data, (3) at least half the
 * largest window the peer has offered, or (4) when the persist timer
 * overrides. */
static inline bool tcb_sws_may_send(const struct tcb *tcb, uint32_t d, uint32_t u, uint32_t mss)
{
    uint32_t can = d < u ? d : u;
    return can >= mss || d <= u || can >= tcb->snd_wnd_max / 2 || tcb->sws_override;
}
/* Arm the persist timer while queued data waits on the peer's window with
 * nothing in flight; stop it otherwise. */
void tcb_persist_update(struct tcb *tcb);
void tcb_persist_timeout(struct tcb *tcb);
/* An ACK that covers the probe's octet: it counts as sent. */
void tcb_probe_acked(struct tcb *tcb, seq_t ack);
/* The rate limit of challenge and duplicate ACKs (`set ratelimit`,
 * RFC 5961 7; linux tcp_invalid_ratelimit): true when this one is not
 * sent, after noting why. */
bool tcb_ack_rate_limited(struct tcb *tcb);
/* linux: RCV.NXT moved n octets (data or FIN); the right edge of the
 * window stays where it was (LINUX.md row 2). */
void tcb_window_consumed(struct tcb *tcb, uint32_t n);

#endif
