/* fixture.h - a simulation for unit tests that records every event, and
 * helpers that put an endpoint straight into a state with known ISNs.
 *
 * ISNs sit a few octets below 2^32 so that every test also crosses the
 * wraparound of sequence space.
 */
#ifndef TCPSIM_TEST_FIXTURE_H
#define TCPSIM_TEST_FIXTURE_H

#include <check.h>
#include <stdlib.h>

#include "tcpsim/sim.h"

#define C_ISS 4294967290u   /* 2^32 - 6 */
#define S_ISS 4294967280u   /* 2^32 - 16 */
#define FX_MAX_EVENTS 4096

struct fx {
    struct sim sim;
    struct event ev[FX_MAX_EVENTS];
    struct segment seg[FX_MAX_EVENTS];     /* copies of each event's segment */
    size_t n;
};

void fx_init(struct fx *f);
void fx_free(struct fx *f);
void fx_clear(struct fx *f);

/* Drive client and server with real calls and deliveries until `ep` is in
 * `state`, then drop whatever is in flight and forget the events.  For
 * SYN-RECEIVED, `passive` chooses how it was reached. */
void fx_reach(struct fx *f, enum endpoint_id ep, enum tcp_state state, bool passive);

/* The segments sent since the last fx_clear, in order. */
size_t fx_sent(const struct fx *f, const struct segment **out, size_t max);
/* Count the events of one type. */
size_t fx_count(const struct fx *f, enum event_type t);

/* Deliver everything, processing timers too, until nothing is in flight. */
void fx_run(struct fx *f);

/* A segment from ep's peer to ep. */
struct segment fx_seg(enum endpoint_id to, uint8_t flags, seq_t seq, seq_t ack, uint32_t len);

/* Assert one segment's fields. */
#define ck_seg(s, fl, sq, ak, ln) do {                                         \
        char fb_[TCP_FLAGS_STRLEN], eb_[TCP_FLAGS_STRLEN];                     \
        ck_assert_msg((s)->flags == (fl), "flags %s, expected %s",             \
                      tcp_flags_str((s)->flags, fb_), tcp_flags_str((fl), eb_)); \
        ck_assert_uint_eq((s)->seq, (seq_t)(sq));                              \
        ck_assert_uint_eq((s)->ack, (seq_t)(ak));                              \
        ck_assert_uint_eq((s)->len, (ln));                                     \
    } while (0)

#define ck_state(f, ep, st) \
    ck_assert_str_eq(tcp_state_name((f)->sim.tcb[ep].state), tcp_state_name(st))

/* One random command line, good or bad, naming ids up to hist + 1
 * (test_property.c). */
void random_command(struct rng *r, char *buf, size_t n, size_t hist);

Suite *states_suite(void);
Suite *figures_suite(void);
Suite *basics_suite(void);
Suite *calls_suite(void);
Suite *parser_suite(void);
Suite *outputs_suite(void);
Suite *property_suite(void);
Suite *lessons_suite(void);
Suite *transcript_suite(void);
Suite *closing_suite(void);
Suite *demux_suite(void);
Suite *mss_suite(void);
Suite *window_suite(void);
Suite *syn_text_suite(void);
Suite *retries_suite(void);
Suite *expect_suite(void);
Suite *profiles_suite(void);
Suite *session_suite(void);
Suite *memory_suite(void);
Suite *profile_edges_suite(void);
Suite *sweep_suite(void);
Suite *pkt_suite(void);

#endif
