/* test_figures.c - the RFC 9293 figures 6-13 and the classic failure
 * scenarios, replayed on the engine.  After every step the test asserts
 * every segment sent (flags, seq, ack, len) and the state of both ends.
 * ISNs are the figures' own (A = client, B = server).
 */
#include <string.h>

#include "fixture.h"
#include "render/wire.h"

struct exp { uint8_t flags; seq_t seq, ack; uint32_t len; };

#define SA (TCP_SYN | TCP_ACK)
#define FA (TCP_FIN | TCP_ACK)
#define PA (TCP_PSH | TCP_ACK)

static struct fx *setup(seq_t c_iss, seq_t s_iss)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.isn[EP_CLIENT] = c_iss;
    f->sim.isn[EP_SERVER] = s_iss;
    return f;
}

static void teardown(struct fx *f)
{
    fx_free(f);
    free(f);
}

/* Everything sent since the last step, then the states; starts the next step. */
static void then_(struct fx *f, int line, enum tcp_state c, enum tcp_state s, size_t n, const struct exp *e)
{
    const struct segment *out[16];
    size_t got = fx_sent(f, out, 16);
    ck_assert_msg(got == n, "line %d: %zu segments sent, expected %zu", line, got, n);
    for (size_t i = 0; i < n; i++) {
        char a[TCP_FLAGS_STRLEN], b[TCP_FLAGS_STRLEN];
        ck_assert_msg(out[i]->flags == e[i].flags && out[i]->seq == e[i].seq &&
                      out[i]->ack == e[i].ack && out[i]->len == e[i].len,
                      "line %d: segment %zu is %s seq=%u ack=%u len=%u, expected %s seq=%u ack=%u len=%u",
                      line, i, tcp_flags_str(out[i]->flags, a), out[i]->seq, out[i]->ack, out[i]->len,
                      tcp_flags_str(e[i].flags, b), e[i].seq, e[i].ack, e[i].len);
    }
    ck_assert_msg(f->sim.tcb[EP_CLIENT].state == c, "line %d: client %s, expected %s", line,
                  tcp_state_name(f->sim.tcb[EP_CLIENT].state), tcp_state_name(c));
    ck_assert_msg(f->sim.tcb[EP_SERVER].state == s, "line %d: server %s, expected %s", line,
                  tcp_state_name(f->sim.tcb[EP_SERVER].state), tcp_state_name(s));
    fx_clear(f);
}
#define THEN(c, s, ...) do {                                               \
        const struct exp e_[] = { { 0, 0, 0, 0 }, __VA_ARGS__ };           \
        then_(f, __LINE__, c, s, sizeof e_ / sizeof e_[0] - 1, e_ + 1);    \
    } while (0)

/* The id of the last segment put on the wire. */
static uint32_t last_id(struct fx *f) { return (uint32_t)f->sim.chan.hist_len; }
static void deliver(struct fx *f, uint32_t id) { ck_assert_int_eq(sim_deliver(&f->sim, id), 0); }
/* The next event in time order, which must be an arrival. */
static void deliver_next(struct fx *f)
{
    uint64_t at;
    ck_assert(f->sim.chan.fl_len > 0);
    ck_assert(sim_next_event_time(&f->sim, &at) && at == f->sim.chan.fl[0].arrive_at);
    ck_assert(sim_step(&f->sim));
}

static void handshake(struct fx *f)
{
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    fx_run(f);
    fx_clear(f);
}

/* Figure 6: basic three-way handshake, then data. */
START_TEST(test_figure_6_three_way_handshake)
{
    struct fx *f = setup(100, 300);
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    THEN(CLOSED, LISTEN);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    THEN(SYN_SENT, LISTEN, { TCP_SYN, 100, 0, 0 });
    deliver_next(f);
    THEN(SYN_SENT, SYN_RECEIVED, { SA, 300, 101, 0 });
    deliver_next(f);
    THEN(ESTABLISHED, SYN_RECEIVED, { TCP_ACK, 101, 301, 0 });
    deliver_next(f);
    THEN(ESTABLISHED, ESTABLISHED);
    tcb_send(&f->sim.tcb[EP_CLIENT], (const uint8_t *)"0123456789", 10);
    THEN(ESTABLISHED, ESTABLISHED, { PA, 101, 301, 10 });
    deliver_next(f);
    THEN(ESTABLISHED, ESTABLISHED, { TCP_ACK, 301, 111, 0 });
    ck_assert_uint_eq(f->sim.now, 200);
    teardown(f);
}
END_TEST

/* Figure 7: simultaneous open; the crossed SYN,ACKs complete it. */
START_TEST(test_figure_7_simultaneous_open)
{
    struct fx *f = setup(100, 300);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    THEN(SYN_SENT, CLOSED, { TCP_SYN, 100, 0, 0 });
    tcb_open_active(&f->sim.tcb[EP_SERVER]);
    THEN(SYN_SENT, SYN_SENT, { TCP_SYN, 300, 0, 0 });
    deliver(f, 2);
    THEN(SYN_RECEIVED, SYN_SENT, { SA, 100, 301, 0 });
    deliver(f, 1);
    THEN(SYN_RECEIVED, SYN_RECEIVED, { SA, 300, 101, 0 });
    deliver(f, 4);
    THEN(ESTABLISHED, SYN_RECEIVED);
    deliver(f, 3);
    THEN(ESTABLISHED, ESTABLISHED);
    ck_assert_uint_eq(f->sim.chan.fl_len, 0);
    teardown(f);
}
END_TEST

/* What Wireshark calls a retransmission (render/wire.h): sequence space
 * its sender already put on the wire.  The crossed SYN,ACK of Figure 7
 * repeats the SYN's sequence number; a replay and a TCB retransmission
 * repeat; an old SYN from another connection's ISN and new data do not. */
static bool repeats(struct fx *f, uint32_t id)
{
    struct wire w = { 0 };
    bool r = false;
    for (uint32_t i = 1; i <= id; i++)      /* the wire sees them in id order */
        r = wire_repeats(&w, channel_get(&f->sim.chan, i));
    wire_clear(&w);
    return r;
}

START_TEST(test_repeats_sent_space)
{
    struct fx *f = setup(100, 300);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    tcb_open_active(&f->sim.tcb[EP_SERVER]);
    deliver(f, 2);
    deliver(f, 1);
    ck_assert(!repeats(f, 1));
    ck_assert(repeats(f, 3));                               /* SYN,ACK seq=100 */
    ck_assert(!channel_get(&f->sim.chan, 3)->retransmit);   /* but no timeout resent it */
    ck_assert(repeats(f, 4));
    deliver(f, 4);
    deliver(f, 3);
    ck_assert_uint_eq(sim_replay(&f->sim, 1, 0), 5);
    ck_assert(repeats(f, 5));
    struct segment old = fx_seg(EP_SERVER, TCP_SYN, 90, 0, 0);
    ck_assert_uint_eq(sim_inject(&f->sim, &old), 6);
    ck_assert(!repeats(f, 6));
    tcb_send(&f->sim.tcb[EP_CLIENT], (const uint8_t *)"abc", 3);
    ck_assert(!repeats(f, 7));
    sim_drop(&f->sim, 7);
    sim_advance_to_timer(&f->sim, 100);
    uint32_t last = (uint32_t)f->sim.chan.hist_len;
    const struct segment *rtx = channel_get(&f->sim.chan, last);
    ck_assert(rtx->retransmit && repeats(f, last) && rtx->len == 3);
    teardown(f);
}
END_TEST

/* Figure 8: recovery from an old duplicate SYN. */
START_TEST(test_figure_8_old_duplicate_syn)
{
    struct fx *f = setup(100, 300);
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    THEN(SYN_SENT, LISTEN, { TCP_SYN, 100, 0, 0 });
    struct segment old = fx_seg(EP_SERVER, TCP_SYN, 90, 0, 0);
    ck_assert_uint_eq(sim_inject(&f->sim, &old), 2);
    THEN(SYN_SENT, LISTEN, { TCP_SYN, 90, 0, 0 });
    deliver(f, 2);
    THEN(SYN_SENT, SYN_RECEIVED, { SA, 300, 91, 0 });
    deliver(f, 3);
    THEN(SYN_SENT, SYN_RECEIVED, { TCP_RST, 91, 0, 0 });
    deliver(f, 4);
    THEN(SYN_SENT, LISTEN);
    f->sim.isn_set[EP_SERVER] = true;
    f->sim.isn[EP_SERVER] = 400;
    deliver(f, 1);
    THEN(SYN_SENT, SYN_RECEIVED, { SA, 400, 101, 0 });
    deliver(f, 5);
    THEN(ESTABLISHED, SYN_RECEIVED, { TCP_ACK, 101, 401, 0 });
    deliver(f, 6);
    THEN(ESTABLISHED, ESTABLISHED);
    teardown(f);
}
END_TEST

/* Figure 9: half-open connection discovery.  B sends 300, receives 100. */
START_TEST(test_figure_9_half_open_discovery)
{
    struct fx *f = setup(99, 299);
    handshake(f);
    tcb_crash(&f->sim.tcb[EP_CLIENT]);
    THEN(CLOSED, ESTABLISHED);
    f->sim.isn_set[EP_CLIENT] = true;
    f->sim.isn[EP_CLIENT] = 400;
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    THEN(SYN_SENT, ESTABLISHED, { TCP_SYN, 400, 0, 0 });
    deliver_next(f);    /* in B's window: a challenge ACK, the figure's <SEQ=300><ACK=100> */
    THEN(SYN_SENT, ESTABLISHED, { TCP_ACK, 300, 100, 0 });
    deliver_next(f);
    THEN(SYN_SENT, ESTABLISHED, { TCP_RST, 100, 0, 0 });
    deliver_next(f);
    THEN(SYN_SENT, CLOSED);
    ck_assert(sim_advance_to_timer(&f->sim, 100));  /* A's SYN again, after its RTO */
    THEN(SYN_SENT, CLOSED, { TCP_SYN, 400, 0, 0 });
    teardown(f);
}
END_TEST

/* Figure 10: the active side causes half-open discovery. */
START_TEST(test_figure_10_active_half_open_discovery)
{
    struct fx *f = setup(99, 299);
    handshake(f);
    tcb_crash(&f->sim.tcb[EP_CLIENT]);
    tcb_open_passive(&f->sim.tcb[EP_CLIENT]);
    THEN(LISTEN, ESTABLISHED);
    tcb_send(&f->sim.tcb[EP_SERVER], (const uint8_t *)"0123456789", 10);
    THEN(LISTEN, ESTABLISHED, { PA, 300, 100, 10 });
    deliver_next(f);
    THEN(LISTEN, ESTABLISHED, { TCP_RST, 100, 0, 0 });
    deliver_next(f);
    THEN(LISTEN, CLOSED);
    teardown(f);
}
END_TEST

/* Figure 11: an old duplicate SYN initiates a reset on two passive sockets. */
START_TEST(test_figure_11_two_passive_sockets)
{
    struct fx *f = setup(100, 300);
    tcb_open_passive(&f->sim.tcb[EP_CLIENT]);
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    THEN(LISTEN, LISTEN);
    struct segment old = fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0);
    sim_inject(&f->sim, &old);
    THEN(LISTEN, LISTEN, { TCP_SYN, 1000, 0, 0 });
    deliver_next(f);
    THEN(LISTEN, SYN_RECEIVED, { SA, 300, 1001, 0 });
    deliver_next(f);
    THEN(LISTEN, SYN_RECEIVED, { TCP_RST, 1001, 0, 0 });
    deliver_next(f);
    THEN(LISTEN, LISTEN);
    teardown(f);
}
END_TEST

/* Figure 12: normal close, then 2 x MSL. */
START_TEST(test_figure_12_normal_close)
{
    struct fx *f = setup(99, 299);
    handshake(f);
    tcb_close(&f->sim.tcb[EP_CLIENT]);
    THEN(FIN_WAIT_1, ESTABLISHED, { FA, 100, 300, 0 });
    deliver_next(f);
    THEN(FIN_WAIT_1, CLOSE_WAIT, { TCP_ACK, 300, 101, 0 });
    deliver_next(f);
    THEN(FIN_WAIT_2, CLOSE_WAIT);
    tcb_close(&f->sim.tcb[EP_SERVER]);
    THEN(FIN_WAIT_2, LAST_ACK, { FA, 300, 101, 0 });
    deliver_next(f);
    THEN(TIME_WAIT, LAST_ACK, { TCP_ACK, 101, 301, 0 });
    deliver_next(f);
    THEN(TIME_WAIT, CLOSED);
    uint64_t entered = f->sim.now - 50;             /* the FIN arrived one latency ago */
    ck_assert_uint_eq(f->sim.tcb[EP_CLIENT].tw_timer.at, entered + 60000);
    ck_assert(sim_advance(&f->sim, entered + 59999 - f->sim.now, 100));
    THEN(TIME_WAIT, CLOSED);
    ck_assert(sim_advance(&f->sim, 1, 100));
    THEN(CLOSED, CLOSED);
    ck_assert_uint_eq(fx_count(f, EV_TIMER), 0);   /* cleared by THEN */
    teardown(f);
}
END_TEST

/* Figure 13: simultaneous close. */
START_TEST(test_figure_13_simultaneous_close)
{
    struct fx *f = setup(99, 299);
    handshake(f);
    tcb_close(&f->sim.tcb[EP_CLIENT]);
    tcb_close(&f->sim.tcb[EP_SERVER]);
    THEN(FIN_WAIT_1, FIN_WAIT_1, { FA, 100, 300, 0 }, { FA, 300, 100, 0 });
    deliver(f, 4);
    THEN(FIN_WAIT_1, CLOSING, { TCP_ACK, 301, 101, 0 });
    deliver(f, 5);
    THEN(CLOSING, CLOSING, { TCP_ACK, 101, 301, 0 });
    deliver(f, 6);
    THEN(TIME_WAIT, CLOSING);
    deliver(f, 7);
    THEN(TIME_WAIT, TIME_WAIT);
    ck_assert(sim_advance(&f->sim, 60000, 100));
    THEN(CLOSED, CLOSED);
    teardown(f);
}
END_TEST

/* The normal close of Figure 12, up to the final ACK, which is lost. */
static void close_losing_final_ack(struct fx *f)
{
    handshake(f);
    tcb_close(&f->sim.tcb[EP_CLIENT]);
    fx_run(f);
    fx_clear(f);
    tcb_close(&f->sim.tcb[EP_SERVER]);
    deliver_next(f);
    THEN(TIME_WAIT, LAST_ACK, { FA, 300, 101, 0 }, { TCP_ACK, 101, 301, 0 });
    sim_drop(&f->sim, last_id(f));
}

/* The final ACK of the close is lost: LAST-ACK retransmits its FIN after
 * the RTO; TIME-WAIT ACKs it again and restarts 2 x MSL. */
START_TEST(test_lost_final_ack)
{
    struct fx *f = setup(99, 299);
    close_losing_final_ack(f);
    uint64_t fin_sent_at = f->sim.now - 50;
    ck_assert(sim_advance(&f->sim, fin_sent_at + 1000 - f->sim.now, 100));
    THEN(TIME_WAIT, LAST_ACK, { FA, 300, 101, 0 });
    const struct segment *re = channel_get(&f->sim.chan, last_id(f));
    ck_assert(re->retransmit);
    uint64_t t = f->sim.now;
    fx_run(f);
    THEN(TIME_WAIT, CLOSED, { TCP_ACK, 101, 301, 0 });
    ck_assert_uint_eq(f->sim.tcb[EP_CLIENT].tw_timer.at, t + 50 + 60000);
    teardown(f);
}
END_TEST

/* Every SYN is lost: retransmissions at 1, 3, 7, 15, 31, 63, 127 s (RTO
 * 1 s doubling), then "connection timed out" at 247 s, when the RTO is
 * held at its 120 s maximum: syn-retries 7 keeps a SYN going for more than
 * the 3 minutes of RFC 9293 3.8.3 (MUST-23). */
START_TEST(test_syn_sent_timeout_syn_retries)
{
    struct fx *f = setup(100, 300);
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    struct drop_rule all = { .any_dir = false, .src = EP_CLIENT, .any_flags = true };
    for (int i = 0; i < 8; i++)
        sim_drop_next(&f->sim, all);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    THEN(SYN_SENT, LISTEN, { TCP_SYN, 100, 0, 0 });
    const uint64_t at[] = { 1000, 3000, 7000, 15000, 31000, 63000, 127000 };
    for (size_t i = 0; i < 7; i++) {
        ck_assert(sim_advance_to_timer(&f->sim, 100));
        ck_assert_uint_eq(f->sim.now, at[i]);
        THEN(SYN_SENT, LISTEN, { TCP_SYN, 100, 0, 0 });
    }
    ck_assert(sim_advance_to_timer(&f->sim, 100));
    ck_assert_uint_eq(f->sim.now, 247000);
    ck_assert_uint_ge(f->sim.now, 180000);
    ck_assert_uint_eq(fx_count(f, EV_SIGNAL), 1);
    THEN(CLOSED, LISTEN);
    teardown(f);
}
END_TEST

/* The SYN,ACK is lost.  The client's retransmitted SYN meets SYN-RECEIVED
 * (a bare ACK: it is just out of window) and the server's own timer
 * resends the SYN,ACK, which completes the handshake. */
START_TEST(test_lost_syn_ack)
{
    struct fx *f = setup(100, 300);
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    deliver_next(f);
    THEN(SYN_SENT, SYN_RECEIVED, { TCP_SYN, 100, 0, 0 }, { SA, 300, 101, 0 });
    sim_drop(&f->sim, 2);
    ck_assert(sim_advance(&f->sim, 1000 - f->sim.now, 100));      /* t = 1000 */
    THEN(SYN_SENT, SYN_RECEIVED, { TCP_SYN, 100, 0, 0 });
    ck_assert(sim_advance(&f->sim, 50, 100));                     /* t = 1050 */
    THEN(SYN_SENT, SYN_RECEIVED, { TCP_ACK, 301, 101, 0 }, { SA, 300, 101, 0 });
    ck_assert(sim_advance(&f->sim, 50, 100));                     /* t = 1100 */
    THEN(ESTABLISHED, SYN_RECEIVED, { TCP_ACK, 101, 301, 0 });
    fx_run(f);
    THEN(ESTABLISHED, ESTABLISHED);
    teardown(f);
}
END_TEST

/* Half-close: the server keeps sending from CLOSE-WAIT to FIN-WAIT-2. */
START_TEST(test_half_close)
{
    struct fx *f = setup(99, 299);
    handshake(f);
    tcb_close(&f->sim.tcb[EP_CLIENT]);
    fx_run(f);
    THEN(FIN_WAIT_2, CLOSE_WAIT, { FA, 100, 300, 0 }, { TCP_ACK, 300, 101, 0 });
    tcb_send(&f->sim.tcb[EP_SERVER], (const uint8_t *)"late data", 9);
    THEN(FIN_WAIT_2, CLOSE_WAIT, { PA, 300, 101, 9 });
    deliver_next(f);
    THEN(FIN_WAIT_2, CLOSE_WAIT, { TCP_ACK, 101, 309, 0 });
    ck_assert_uint_eq(f->sim.tcb[EP_CLIENT].bytes_received, 9);
    deliver_next(f);
    tcb_close(&f->sim.tcb[EP_SERVER]);
    THEN(FIN_WAIT_2, LAST_ACK, { FA, 309, 101, 0 });
    fx_run(f);
    THEN(TIME_WAIT, CLOSED, { TCP_ACK, 101, 310, 0 });
    teardown(f);
}
END_TEST

/* Sequence space wraps: ISS = 2^32 - 6 and 20 octets of data. */
START_TEST(test_wraparound)
{
    struct fx *f = setup(4294967290u, 4294967295u);
    handshake(f);
    ck_assert_uint_eq(f->sim.tcb[EP_CLIENT].snd_nxt, 4294967291u);
    ck_assert_uint_eq(f->sim.tcb[EP_SERVER].snd_nxt, 0);       /* the SYN took 2^32 - 1 */
    tcb_send(&f->sim.tcb[EP_CLIENT], (const uint8_t *)"twenty octets, wraps", 20);
    THEN(ESTABLISHED, ESTABLISHED, { PA, 4294967291u, 0, 20 });
    deliver_next(f);
    THEN(ESTABLISHED, ESTABLISHED, { TCP_ACK, 0, 15, 0 });
    deliver_next(f);
    ck_assert_uint_eq(f->sim.tcb[EP_CLIENT].snd_una, 15);
    ck_assert(!f->sim.tcb[EP_CLIENT].rtx_timer.armed);
    tcb_close(&f->sim.tcb[EP_CLIENT]);
    fx_run(f);
    THEN(FIN_WAIT_2, CLOSE_WAIT, { FA, 15, 0, 0 }, { TCP_ACK, 0, 16, 0 });
    teardown(f);
}
END_TEST

/* A TIME-WAIT shorter than the peer's RTO: the retransmitted FIN finds
 * the client CLOSED and is answered with a RST, not an ACK. */
START_TEST(test_too_short_time_wait)
{
    struct fx *f = setup(99, 299);
    f->sim.cfg.msl_ms = 100;                        /* TIME-WAIT: 200 ms */
    close_losing_final_ack(f);
    ck_assert(sim_advance(&f->sim, 200, 100));
    THEN(CLOSED, LAST_ACK);
    ck_assert(sim_advance_to_timer(&f->sim, 100));        /* the server's RTO */
    THEN(CLOSED, LAST_ACK, { FA, 300, 101, 0 });
    fx_run(f);
    THEN(CLOSED, CLOSED, { TCP_RST, 101, 0, 0 });
    teardown(f);
}
END_TEST

Suite *figures_suite(void)
{
    Suite *s = suite_create("figures");
    TCase *tc = tcase_create("RFC 9293 figures");
    tcase_add_test(tc, test_figure_6_three_way_handshake);
    tcase_add_test(tc, test_figure_7_simultaneous_open);
    tcase_add_test(tc, test_repeats_sent_space);
    tcase_add_test(tc, test_figure_8_old_duplicate_syn);
    tcase_add_test(tc, test_figure_9_half_open_discovery);
    tcase_add_test(tc, test_figure_10_active_half_open_discovery);
    tcase_add_test(tc, test_figure_11_two_passive_sockets);
    tcase_add_test(tc, test_figure_12_normal_close);
    tcase_add_test(tc, test_figure_13_simultaneous_close);
    suite_add_tcase(s, tc);
    tc = tcase_create("scenarios");
    tcase_add_test(tc, test_lost_final_ack);
    tcase_add_test(tc, test_syn_sent_timeout_syn_retries);
    tcase_add_test(tc, test_lost_syn_ack);
    tcase_add_test(tc, test_half_close);
    tcase_add_test(tc, test_wraparound);
    tcase_add_test(tc, test_too_short_time_wait);
    suite_add_tcase(s, tc);
    return s;
}
