/* sim.h - a simulation: two endpoints, the channel between them, the clock.
 *
 * This is the engine's front door.  It owns the two TCBs, the virtual
 * channel with its latency, loss and drop rules, the seeded generator and
 * the virtual clock, and reports everything through one event callback.
 * It does no I/O and keeps no globals; two simulations never meet.
 */
#ifndef TCPSIM_SIM_H
#define TCPSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpsim/channel.h"
#include "tcpsim/event.h"
#include "tcpsim/listener.h"
#include "tcpsim/rng.h"
#include "tcpsim/segment.h"
#include "tcpsim/tcb.h"

/* How an ISS is chosen when the user has not set one (RFC 6528). */
enum isn_mode {
    ISN_RANDOM,     /* RFC 6528: a 4 us clock plus a keyed hash of the connection */
    ISN_COUNTER,    /* 4.4BSD: +64,000 per connection, +128,000 per second */
    ISN_CLOCK,      /* RFC 793: the 4 us clock alone */
};

struct sim_config {
    uint32_t latency_ms;    /* one way */
    uint32_t rto_ms;        /* initial RTO and its floor (RFC 6298: 1 s) */
    uint32_t rto_max_ms;
    uint32_t msl_ms;        /* TIME-WAIT lasts 2 x MSL */
    uint32_t mss;
    uint32_t window;        /* RCV.WND of both endpoints */
    uint32_t retries;       /* retransmissions before "connection timed out" */
    bool rfc1337;           /* ignore RST in TIME-WAIT */
    enum isn_mode isn_mode;
    bool two_way;           /* set handshake two-way: a broken variant, NOT TCP */
    uint64_t seed;
    uint16_t port[EP_COUNT];
};

void sim_config_default(struct sim_config *cfg);

/* "drop next [DIR] [FLAGS]": lose the next segment that matches. */
struct drop_rule {
    bool any_dir;
    enum endpoint_id src;
    bool any_flags;
    uint8_t flags;
};
#define SIM_MAX_DROP_RULES 16

/* The sequence space [base, max) one sender has put on the wire from one
 * port to another in one connection.  The wire's memory, as a capture's
 * reader has it: a reset of the simulation does not clear it. */
struct sent_space {
    enum endpoint_id src;
    uint16_t sport, dport;
    seq_t base, max;
};

struct sim {
    struct sim_config cfg;
    uint64_t now;
    struct tcb tcb[EP_COUNT];
    struct channel chan;
    struct rng rng;
    bool isn_set[EP_COUNT];         /* "set isn": ISS of the next connection */
    seq_t isn[EP_COUNT];
    uint32_t loss_ppm[EP_COUNT];    /* random loss, per sending endpoint */
    struct drop_rule rules[SIM_MAX_DROP_RULES];
    size_t n_rules;
    struct sent_space *sent;        /* per sender and ports, for segment.repeats */
    size_t n_sent, cap_sent;
    struct listener lst;            /* server listen backlog N */
    uint32_t connections[EP_COUNT]; /* ISSs chosen so far, for ISN_COUNTER */
    uint64_t sent_count;            /* segments put on the wire, resets included */
    uint64_t lose_nth;              /* sweep: lose the segment sent this many-th (0: none) */
    event_fn on_event;
    void *ctx;
    const char *error;              /* why the last call failed */
    const char *hint;               /* what it needed */
};

void sim_init(struct sim *s, const struct sim_config *cfg, event_fn fn, void *ctx);
void sim_free(struct sim *s);
/* Both endpoints CLOSED, channel and clock cleared, generator reseeded;
 * settings kept. */
void sim_reset(struct sim *s);

/* The reason the last call returned -1, and what it needed. */
const char *sim_error(const struct sim *s);
const char *sim_hint(const struct sim *s);

/* Channel and clock.  sim_step processes the earliest event (an arrival,
 * or a timer when no arrival comes first); returns false when there is
 * nothing at all to do. */
bool sim_step(struct sim *s);
/* Process events in time order until nothing is in flight, or max_events
 * have been processed (returns false then: an ACK storm). */
bool sim_run(struct sim *s, size_t max_events);
/* Move the clock by ms, processing every event due on the way; false if
 * max_events were processed first (the clock stays where they left it). */
bool sim_advance(struct sim *s, uint64_t ms, size_t max_events);
/* When the next event of any kind, or the next timer, is due. */
bool sim_next_event_time(const struct sim *s, uint64_t *at);
bool sim_next_timer(const struct sim *s, uint64_t *at);
/* Advance to the next armed timer and fire it; false when none is armed
 * (or, as sim_advance, when max_events ran out). */
bool sim_advance_to_timer(struct sim *s, size_t max_events);
/* How many events run, advance and auto delivery process before they
 * call it an ACK storm and stop. */
#define SIM_STORM_LIMIT 100000
/* The largest payload of one segment over IPv4: 65535 less 40 header bytes. */
#define SIM_MSS_MAX 65495

int sim_deliver(struct sim *s, uint32_t id);
int sim_drop(struct sim *s, uint32_t id);
int sim_drop_next(struct sim *s, struct drop_rule rule);
int sim_dup(struct sim *s, uint32_t id);
int sim_delay(struct sim *s, uint32_t id, uint64_t ms);
/* Put a crafted segment on the wire (it bypasses the sender's TCB);
 * returns its id, or 0 with the error set. */
uint32_t sim_inject(struct sim *s, const struct segment *tmpl);
uint32_t sim_replay(struct sim *s, uint32_t id, uint64_t extra_delay_ms);
void sim_set_loss(struct sim *s, enum endpoint_id src, uint32_t ppm);

/* Used by the TCBs: put a segment on the wire, report an event, choose
 * an ISS, fail a call. */
void sim_transmit(struct sim *s, struct segment *seg);
void sim_emit(struct sim *s, struct event *ev);
seq_t sim_choose_iss(struct sim *s, enum endpoint_id ep, uint16_t remote_port);
int sim_fail(struct sim *s, enum endpoint_id ep, const char *message, const char *hint);

#endif
