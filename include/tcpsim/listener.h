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

struct tcb;

struct listener {
    struct tcb *tcb;            /* the listening TCB (the server's) */
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

/* Which TCB a segment for the listener's port goes to: the child of its
 * source port, else the listener. */
struct tcb *listener_demux(struct listener *l, const struct segment *seg);
/* SEGMENT ARRIVES in LISTEN with a backlog (tcb_input.c calls these):
 * a SYN makes a child or a cookie; an ACK may carry a valid cookie. */
void listener_syn(struct tcb *listener, const struct segment *seg);
bool listener_cookie_ack(struct tcb *listener, const struct segment *seg);
/* Free the children that have ended; all of them, keeping l->tcb. */
void listener_reap(struct listener *l);
void listener_free(struct listener *l);

#endif
