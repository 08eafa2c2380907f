/* wire.h - the wire's memory of the sequence space each sender has put on
 * it, as a capture's reader (Wireshark) keeps it, to tell which segments
 * repeat it: Wireshark's "retransmission", the JSON log's `retransmit`.
 *
 * A sender's connection is its pair of ports.  For each pair the memory
 * keeps the ranges [base, max) of the last WIRE_CONNECTIONS connections: a
 * fresh SYN outside all of them starts a new one, and the oldest is
 * forgotten.  A hash table of pairs and that bound make every lookup cost
 * the same at any session length.  Pairs are forgotten too, the least
 * recently used first: the table in use takes at most WIRE_PAIRS of them;
 * when it is full it becomes the old one (looked up second, its pairs
 * brought back on use) and the old one before it is forgotten.
 */
#ifndef TCPSIM_WIRE_H
#define TCPSIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "tcpsim/segment.h"

#define WIRE_CONNECTIONS 16
#define WIRE_PAIRS 1024

struct wire_ports;

struct wire {
    struct wire_ports *slot;    /* open addressing, cap a power of two */
    size_t used, cap;
    struct wire_ports *old;     /* the table before, full: old_cap slots */
    size_t old_cap;
};

/* Record seg, which is going on the wire; true when it carries sequence
 * space (data, SYN or FIN) its sender already put there between the same
 * ports: a TCB's retransmission, but also a replay, a duplicate, the
 * SYN,ACK that repeats our SYN in a simultaneous open, or a connection that
 * reuses the ISN of the one before it on those ports.  A zero window
 * probe (one octet at the next sequence number while the peer offers a
 * zero window) is neither a repeat nor remembered, as Wireshark sees it. */
bool wire_repeats(struct wire *w, const struct segment *seg);
/* Forget everything (a simulation rebuilt from its start). */
void wire_clear(struct wire *w);
/* A copy of src into dst (which holds nothing); 0, or -1 when memory runs
 * out (dst then holds nothing). */
int wire_copy(struct wire *dst, const struct wire *src);

#endif
