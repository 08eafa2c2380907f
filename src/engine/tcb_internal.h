/* tcb_internal.h - what the TCB's three files share: the one function that
 * writes the state, the senders, and the retransmission bookkeeping.  Not
 * a public header. */
#ifndef TCPSIM_TCB_INTERNAL_H
#define TCPSIM_TCB_INTERNAL_H

#include "tcpsim/sim.h"
#include "tcpsim/tcb.h"

/* tcb.c */
void tcb_set_state(struct tcb *tcb, enum tcp_state to, const char *why);
void tcb_begin(struct tcb *tcb, seq_t iss);
void tcb_delete_because(struct tcb *tcb, const char *why);
void tcb_return_to_listen(struct tcb *tcb, const char *why);
void tcb_enter_time_wait(struct tcb *tcb, const char *why);
void tcb_established(struct tcb *tcb, const char *why);
void tcb_note(struct tcb *tcb, const char *why);
void tcb_signal(struct tcb *tcb, const char *message);

/* tcb_output.c */
void tcb_send_syn(struct tcb *tcb, const char *why);
void tcb_send_ctl(struct tcb *tcb, seq_t seq, seq_t ack, uint8_t flags, const char *why);
void tcb_send_ack_now(struct tcb *tcb, const char *why);
/* A reply for a segment that has no connection (RFC 9293 3.10.7.1). */
void tcb_send_reset_for(struct tcb *tcb, const struct segment *seg, const char *why);
/* Send queued data and the FIN as far as the window allows; returns how
 * many segments went out. */
int tcb_output(struct tcb *tcb);
/* Everything up to ack is acknowledged: trim the queue and the send
 * buffer, take an RTT sample, manage the retransmission timer. */
void tcb_acked(struct tcb *tcb, seq_t ack);
bool tcb_fin_acked(const struct tcb *tcb);
void tcb_retransmit_timeout(struct tcb *tcb);

#endif
