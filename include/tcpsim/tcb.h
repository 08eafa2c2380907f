/* tcb.h - one endpoint's Transmission Control Block and its user calls.
 *
 * The TCB holds the variables of RFC 9293 3.3.1 under their RFC names, the
 * send buffer, the retransmission queue and the RFC 6298 estimator.  The
 * user calls of RFC 9293 3.10.1-3.10.6 and SEGMENT ARRIVES (3.10.7) act
 * on it; what they send and what happens goes out through the tcb_host it
 * is handed (host.h), its only way to the simulation that owns it.
 */
#ifndef TCPSIM_TCB_H
#define TCPSIM_TCB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpsim/segment.h"
#include "tcpsim/seq.h"
#include "tcpsim/state.h"
#include "tcpsim/timer.h"

struct listener;
struct tcb_host;

/* One segment of sequence space waiting for its acknowledgement. */
struct rtx_entry {
    seq_t seq;
    uint32_t seqlen;        /* SEG.LEN: data octets plus SYN and FIN */
    uint8_t flags;          /* SYN, FIN, PSH as first sent; ACK is added when due */
    uint32_t count;         /* how many times it was retransmitted */
};

/* A field added here must be added to sim_copy.c (a pointer) and to the
 * sweep's digest of a TCB (src/cli/sweep_converge.c). */
struct tcb {
    const struct tcb_host *host;
    enum endpoint_id ep;
    struct listener *listener;  /* a server listening with a backlog: its queues */

    enum tcp_state state;
    bool passive_open;      /* SYN-RECEIVED was entered from LISTEN */
    uint16_t rport;         /* the peer's port (a passive open takes the SYN's) */
    bool child;             /* a connection of a listener with a backlog */

    /* RFC 9293 3.3.1 */
    seq_t iss, irs;
    seq_t snd_una, snd_nxt, snd_wl1, snd_wl2;
    uint32_t snd_wnd;
    uint32_t peer_mss;      /* the peer's MSS option, 536 when its SYN had none (RFC 9293 3.7.1) */
    uint32_t snd_wnd_max;   /* Max(SND.WND): the largest window the peer offered (3.8.6.2.1) */
    seq_t rcv_nxt;
    uint32_t rcv_wnd;

    /* Data the application has sent and the peer has not acknowledged:
     * sndbuf_len bytes from sndbuf + sndbuf_off, the first with sequence
     * number sndbuf_seq.  An ACK moves the offset, not the bytes. */
    uint8_t *sndbuf;
    size_t sndbuf_off, sndbuf_len, sndbuf_cap;
    seq_t sndbuf_seq;
    bool sndbuf_borrowed;   /* a frozen copy's (sim_copy_frozen): copied before a write, never freed */
    bool close_requested;   /* CLOSE called: FIN once the data is sent */
    bool probe_out;         /* a zero-window probe: one octet at SND.NXT, SND.NXT not moved */
    bool zw_answered;       /* the peer answered at a zero window since the last retransmission (3.8.6.1) */
    bool sws_override;      /* the persist timer overrides sender SWS avoidance (3.8.6.2.1 (4)) */
    uint32_t persist_shift; /* persist timer backoff: RTO x 2^shift */

    /* The receive buffer (autoread off): rcv_user bytes the application
     * has not read (RCV.USER), in a buffer of rcv_buff bytes (RCV.BUFF,
     * the `window` setting when the connection began). */
    uint8_t *rcvbuf;
    uint32_t rcv_user, rcv_buff;

    /* Text and a FIN that came on a SYN, queued until ESTABLISHED (RFC
     * 9293 3.10.7.2 third, 3.10.7.3 fourth). */
    uint8_t *syn_text;
    uint32_t syn_text_len;
    bool syn_fin;
    bool fin_sent;
    seq_t fin_seq;

    /* The retransmission queue, oldest first: rtxq[rtxq_head] up to
     * rtxq[rtxq_len - 1].  An ACK moves the head, not the entries. */
    struct rtx_entry *rtxq;
    size_t rtxq_head, rtxq_len, rtxq_cap;

    /* RFC 6298 estimator, in ms. */
    bool rtt_valid;
    uint32_t srtt, rttvar, rto;
    bool rtt_timing;        /* one segment is being timed (Karn's rule) */
    seq_t rtt_seq;          /* ...its ACK must reach past this */
    uint64_t rtt_sent_at;
    bool syn_backed_off;    /* RFC 6298 5.7: the SYN was retransmitted */

    struct timer rtx_timer;
    struct timer tw_timer;
    struct timer fw2_timer;     /* linux: an orphan's FIN-WAIT-2 timeout */
    struct timer persist_timer;
    struct timer delack_timer;  /* linux: the delayed ACK of a FIN */

    /* Profiles (profile.h). */
    bool orphan;                /* linux: close() let go of the socket */
    bool oow_acked;             /* a rate-limited ACK was sent, at oow_ack_at */
    uint64_t oow_ack_at;

    uint64_t bytes_received;

    /* Settings that outlive a connection. */
    bool autoack;           /* send the ACKs that acknowledge arriving data */
    bool autoread;          /* the application reads every byte as it arrives */
};

/* User calls (RFC 9293 3.10.1-3.10.6).  Each returns 0, or -1 with the
 * simulation's error set and nothing changed. */
int tcb_open_passive(struct tcb *tcb);
int tcb_open_active(struct tcb *tcb);
int tcb_send(struct tcb *tcb, const uint8_t *data, size_t len);
int tcb_close(struct tcb *tcb);
/* close() as the application calls it: CLOSE, and under a profile whose
 * close() orphans the socket (linux), the socket is let go of; then also
 * allowed after CLOSE (a shutdown()) in any state but CLOSED. */
int tcb_close_orphan(struct tcb *tcb);
int tcb_abort(struct tcb *tcb);
int tcb_send_ack(struct tcb *tcb);
/* RECEIVE (RFC 9293 3.10.3): the application reads up to n bytes of the
 * receive buffer (0: all of them); the window reopens as RFC 9293
 * 3.8.6.2.2 allows. */
int tcb_read(struct tcb *tcb, size_t n);
/* autoread on: the application reads at once (and what waits now). */
void tcb_set_autoread(struct tcb *tcb, bool on);
/* The host loses its TCB without sending anything (crash, reboot). */
void tcb_crash(struct tcb *tcb);

/* SEGMENT ARRIVES (RFC 9293 3.10.7). */
void tcb_segment_arrives(struct tcb *tcb, const struct segment *seg);
/* A segment that matches no connection, processed as in CLOSED (RFC 9293
 * 3.10.7.1); tcb only lends the endpoint that answers. */
void tcb_no_connection_arrives(struct tcb *tcb, const struct segment *seg);

/* Timers: the earliest armed deadline, and firing whatever is due at now. */
bool tcb_next_timer(const struct tcb *tcb, uint64_t *at);
void tcb_fire_timers(struct tcb *tcb, uint64_t now);

/* The send MSS: the smaller of our own (`set mss`) and the peer's (RFC
 * 9293 3.7.1, MUST-14/15). */
uint32_t tcb_snd_mss(const struct tcb *tcb);

/* Bytes queued by the application and not yet put on the wire. */
size_t tcb_unsent(const struct tcb *tcb);

void tcb_init(struct tcb *tcb, const struct tcb_host *host, enum endpoint_id ep);
/* Forget the connection (CLOSED, buffers freed); settings are kept. */
void tcb_delete(struct tcb *tcb);
void tcb_free(struct tcb *tcb);

#endif
