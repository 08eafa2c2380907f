/* steps.h - the textbooks' count of a connection's segments (set steps on):
 * the three-way handshake 1/3, 2/3, 3/3 and the four-way close 1/4 .. 4/4.
 *
 * Each segment gets the role it plays, not its place in time: in a close
 * the first FIN is 1/4, its ACK 2/4, the other side's FIN 3/4 and that
 * FIN's ACK 4/4.  A FIN,ACK that also acknowledges the peer's FIN is
 * 2+3/4 (a three-segment close); in a simultaneous close the two FINs
 * cross, so 3/4 may come before 2/4.  A retransmission repeats its
 * original's label.  A simultaneous open has no three-way count: it gets
 * no label.
 */
#ifndef TCPSIM_STEPS_H
#define TCPSIM_STEPS_H

#include <stdbool.h>

#include "tcpsim/segment.h"

struct steps {
    int syn_from;               /* who sent the 1/3 SYN; -1 none */
    bool simultaneous;          /* both sent a SYN: no count */
    bool synack_seen, third_done;
    seq_t synack_end;           /* the SYN,ACK's seq + 1 */
    int fin_first;              /* who closed first; -1 none */
    bool fin_seen[EP_COUNT];
    seq_t fin_end[EP_COUNT];    /* a FIN's seq + len + 1 */
    const char *fin_label[EP_COUNT];
    bool second_done, fourth_done;
};

void steps_reset(struct steps *st);
/* The step label of seg, sent by a TCB of the connection ("1/3", "2+3/4"),
 * or NULL when it is none of them. */
const char *steps_label(struct steps *st, const struct segment *seg);

#endif
