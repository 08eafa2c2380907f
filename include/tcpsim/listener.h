/* listener.h - a listener with a backlog, as real stacks have it.
 *
 * `server listen backlog N` makes the server's TCB a listener that stays
 * in LISTEN.  Each SYN creates a child connection (a TCB of its own, for
 * the SYN's source port) in SYN-RECEIVED: the SYN queue, at most N.  A
 * child that completes the handshake waits in the accept queue (at most
 * N) until the application calls accept().  With SYN cookies on, a SYN
 * makes no child at all: the SYN,ACK's ISN encodes the connection, and the
 * final ACK recreates it (RFC 4987 3.6).  Without a backlog the server is
 * RFC 9293's single TCB, as before.
 */
#ifndef TCPSIM_LISTENER_H
#define TCPSIM_LISTENER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpsim/segment.h"

struct sim;
struct tcb;

struct listener {
    uint32_t backlog;           /* 0: no listener with a backlog */
    bool syncookies;
    struct tcb **child;         /* in the order their SYNs arrived */
    size_t n_child, cap_child;
    struct tcb *accepted;       /* the connection accept() returned last */
};

/* How many children wait in SYN-RECEIVED, and how many are established
 * and not yet accepted. */
size_t listener_syn_queue(const struct listener *l);
size_t listener_accept_queue(const struct listener *l);
bool listener_in_accept_queue(const struct listener *l, const struct tcb *t);

/* The TCB that ep's application and the user's commands address: for a
 * server with a backlog, the connection accept() returned (while it has
 * one), else the listener. */
struct tcb *sim_tcb(struct sim *s, enum endpoint_id ep);

/* `server listen backlog N`: a passive OPEN with queues.  -1 when the
 * server is not CLOSED (sim_error says why). */
int sim_listen_backlog(struct sim *s, uint32_t backlog);
/* accept(): the oldest established child leaves the accept queue and
 * becomes the server's connection.  -1 when none waits. */
int sim_accept(struct sim *s);
/* n SYNs from spoofed ports first..last (cycling), each with a random
 * ISN, that never answer.  Returns how many were sent. */
uint32_t sim_flood(struct sim *s, uint32_t n, uint16_t first, uint16_t last);

/* Engine internals (sim.c and the TCB): which TCB a segment for the
 * server goes to, the listener's SYN and ACK, and clearing away children
 * that have ended. */
struct tcb *listener_demux(struct sim *s, const struct segment *seg);
void listener_syn(struct tcb *listener, const struct segment *seg);
bool listener_cookie_ack(struct tcb *listener, const struct segment *seg);
void listener_reap(struct sim *s);
void listener_free(struct sim *s);

#endif
