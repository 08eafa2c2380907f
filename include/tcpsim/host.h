/* host.h - what a TCB needs of the simulation it lives in, handed to it
 * as a narrow interface: the settings and the clock to read, and four
 * calls (put a segment on the wire, report an event, choose an ISS, fail
 * a user call).  The TCB and the listener know nothing else of the
 * simulation, so the engine's files do not call each other in a circle:
 * sim.c calls down into tcb*.c and listener.c, and they call back only
 * through this.
 */
#ifndef TCPSIM_HOST_H
#define TCPSIM_HOST_H

#include <stdint.h>

#include "tcpsim/config.h"
#include "tcpsim/event.h"
#include "tcpsim/segment.h"

struct tcb_host {
    const struct sim_config *cfg;
    const uint64_t *now;                /* the virtual clock, in ms */
    void *ctx;                          /* the simulation, for the calls */
    /* Put seg on the wire (it gets its id, may be lost). */
    void (*transmit)(void *ctx, struct segment *seg);
    /* Report ev, stamped with the current time. */
    void (*emit)(void *ctx, struct event *ev);
    /* The ISS of ep's next connection to remote_port (RFC 6528). */
    seq_t (*choose_iss)(void *ctx, enum endpoint_id ep, uint16_t remote_port);
    /* A user call failed: the message and what it needed.  Returns -1. */
    int (*fail)(void *ctx, enum endpoint_id ep, const char *message, const char *hint);
};

#endif
