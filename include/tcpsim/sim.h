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
#include "tcpsim/config.h"
#include "tcpsim/event.h"
#include "tcpsim/host.h"
#include "tcpsim/listener.h"
#include "tcpsim/rng.h"
#include "tcpsim/segment.h"
#include "tcpsim/tcb.h"


/* "drop next [DIR] [FLAGS]": lose the next segment that matches. */
struct drop_rule {
    bool any_dir;
    enum endpoint_id src;
    bool any_flags;
    uint8_t flags;
};
#define SIM_MAX_DROP_RULES 16

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
    struct listener lst;            /* server listen backlog N */
    struct tcb_host host;           /* what the TCBs reach the simulation by */
    uint32_t connections[EP_COUNT]; /* ISSs chosen so far, for ISN_COUNTER */
    uint64_t sent_count;            /* segments put on the wire, resets included */
    uint64_t lose_nth;              /* sweep: lose the segment sent this many-th (0: none) */
    event_fn on_event;
    void *ctx;
    /* Asked between two events by sim_run and sim_advance (may be NULL):
     * true stops them early, as the storm limit does, with stopped set.
     * The front end's way to stop a long command (Ctrl-C). */
    bool (*should_stop)(void *ctx);
    bool stopped;
    const char *error;              /* why the last call failed */
    const char *hint;               /* what it needed */
};

void sim_init(struct sim *s, const struct sim_config *cfg, event_fn fn, void *ctx);
void sim_free(struct sim *s);
/* A deep copy of src into dst (which holds nothing), re-pointed to itself;
 * it runs exactly as src would.  Payload bytes are shared (they never
 * change).  The callbacks are src's: set dst's own after.  Returns 0, or
 * -1 when memory runs out (dst then holds nothing). */
int sim_copy(struct sim *dst, const struct sim *src);
/* The same from a simulation that will not run again and outlives the
 * copy (a sweep's snapshot): the copy reads its send buffers until it
 * writes one (tcb_send makes it its own then). */
int sim_copy_frozen(struct sim *dst, const struct sim *frozen);
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
/* Move the clock to `at`, processing only the events due before it: what
 * is due at `at` itself waits, so a segment put on the wire then still
 * arrives before a timer of that millisecond (packetdrill's injections). */
bool sim_advance_before(struct sim *s, uint64_t at, size_t max_events);
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

/* Report an event at the current time; fail a call (the error, its hint
 * and an EV_ERROR).  The TCBs reach these through their tcb_host. */
void sim_emit(struct sim *s, struct event *ev);
int sim_fail(struct sim *s, enum endpoint_id ep, const char *message, const char *hint);
/* The ISS of ep's next connection to remote_port: the one `set isn` gave,
 * else by the ISN mode (RFC 6528 by default). */
seq_t sim_choose_iss(struct sim *s, enum endpoint_id ep, uint16_t remote_port);

/* The server's listener (listener.h), as the simulation's calls:
 * The TCB that ep's application and the user's commands address: for a
 * server with a backlog, the connection accept() returned (while it has
 * one), else the listener. */
struct tcb *sim_tcb(struct sim *s, enum endpoint_id ep);
/* `server listen backlog N`: a passive OPEN with queues.  -1 when the
 * server is not CLOSED (sim_error says why). */
int sim_listen_backlog(struct sim *s, uint32_t backlog);
/* accept(): the oldest established child leaves the accept queue and
 * becomes the server's connection.  -1 when none waits. */
int sim_accept(struct sim *s);
/* ep's host crashes: every TCB it has (a listener's children too) is lost,
 * nothing is sent. */
void sim_crash(struct sim *s, enum endpoint_id ep);
/* n SYNs from spoofed ports first..last (cycling), each with a random
 * ISN, that never answer.  Returns how many were sent. */
uint32_t sim_flood(struct sim *s, uint32_t n, uint16_t first, uint16_t last);

#endif
