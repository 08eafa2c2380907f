/* test_basics.c - sequence arithmetic, flag and state names, the channel's
 * order, the seeded generator and the RFC 6298 estimator. */
#include <string.h>

#include "fixture.h"

START_TEST(test_seq_compare_wraps)
{
    ck_assert(seq_lt(4294967290u, 5));
    ck_assert(seq_gt(5, 4294967290u));
    ck_assert(!seq_lt(5, 4294967290u));
    ck_assert(seq_le(7, 7) && seq_ge(7, 7) && !seq_lt(7, 7));
    ck_assert(seq_lt(0x7fffffffu, 0xfffffffeu));
    ck_assert(seq_in_window(2, 4294967290u, 10));
    ck_assert(!seq_in_window(4, 4294967290u, 10));
    ck_assert(!seq_in_window(4294967289u, 4294967290u, 10));
    ck_assert(seq_between_open_closed(4294967295u, 0, 3));
    ck_assert(!seq_between_open_closed(4294967295u, 4294967295u, 3));
    ck_assert(seq_between_open_closed(4294967295u, 3, 3));
}
END_TEST

START_TEST(test_flags_wireshark_order)
{
    char b[TCP_FLAGS_STRLEN];
    ck_assert_str_eq(tcp_flags_str(TCP_ACK | TCP_SYN, b), "SYN,ACK");
    ck_assert_str_eq(tcp_flags_str(TCP_ACK | TCP_FIN | TCP_PSH, b), "FIN,PSH,ACK");
    ck_assert_str_eq(tcp_flags_str(TCP_ACK | TCP_RST, b), "RST,ACK");
    ck_assert_str_eq(tcp_flags_str(0, b), "none");
    uint8_t f = 0;
    ck_assert(tcp_flags_parse("ack,syn", &f) && f == (TCP_SYN | TCP_ACK));
    ck_assert(tcp_flags_parse("FIN+ACK", &f) && f == (TCP_FIN | TCP_ACK));
    f = 0x7;
    ck_assert(!tcp_flags_parse("SYN,", &f));
    ck_assert(!tcp_flags_parse("SYNACK", &f));
    ck_assert(!tcp_flags_parse("", &f));
    ck_assert_uint_eq(f, 0x7);
}
END_TEST

START_TEST(test_state_names)
{
    enum tcp_state s;
    ck_assert_str_eq(tcp_state_name(SYN_RECEIVED), "SYN-RECEIVED");
    ck_assert(tcp_state_parse("syn_rcvd", &s) && s == SYN_RECEIVED);
    ck_assert(tcp_state_parse("SYN-RECEIVED", &s) && s == SYN_RECEIVED);
    ck_assert(tcp_state_parse("fin_wait1", &s) && s == FIN_WAIT_1);
    ck_assert(tcp_state_parse("time-wait", &s) && s == TIME_WAIT);
    ck_assert(tcp_state_parse("Time_Wait", &s) && s == TIME_WAIT);
    ck_assert(!tcp_state_parse("TIMEWAIT", &s));
    /* Linux netstat and ss, and the course notes, write SYN_RECV */
    ck_assert(tcp_state_parse("SYN_RECV", &s) && s == SYN_RECEIVED);
    ck_assert(tcp_state_parse("syn-recv", &s) && s == SYN_RECEIVED);
    ck_assert(tcp_state_parse("FIN_WAIT_2", &s) && s == FIN_WAIT_2);
    ck_assert(!tcp_state_parse("SYN_REC", &s));
    int sync = 0;
    for (int i = 0; i < TCP_STATE_COUNT; i++)
        sync += tcp_state_synchronized((enum tcp_state)i);
    ck_assert_int_eq(sync, 7);
    ck_assert(!tcp_state_synchronized(SYN_RECEIVED));
}
END_TEST

/* In flight, segments arrive by time, then by id: a duplicate arrives
 * with its original (after the others due then), and a delayed segment
 * falls behind later ones. */
START_TEST(test_channel_order)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    for (int i = 0; i < 3; i++) {
        struct segment s = fx_seg(EP_SERVER, TCP_SYN, (seq_t)i, 0, 0);
        sim_inject(&f->sim, &s);
    }
    ck_assert_int_eq(sim_dup(&f->sim, 1), 0);          /* #4 */
    ck_assert_int_eq(sim_delay(&f->sim, 2, 10), 0);
    uint32_t order[5];
    for (size_t i = 0; i < f->sim.chan.fl_len; i++)
        order[i] = f->sim.chan.fl[i].id;
    ck_assert_uint_eq(f->sim.chan.fl_len, 4);
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 3);
    ck_assert_uint_eq(order[2], 4);
    ck_assert_uint_eq(order[3], 2);
    ck_assert_int_eq(sim_deliver(&f->sim, 99), -1);
    ck_assert_str_eq(sim_error(&f->sim), "no such segment");
    ck_assert_int_eq(sim_drop(&f->sim, 3), 0);
    ck_assert_int_eq(sim_drop(&f->sim, 3), -1);
    ck_assert_str_eq(sim_error(&f->sim), "segment is not in flight");
    ck_assert_uint_eq(sim_replay(&f->sim, 3, 0), 5);   /* any segment may be replayed */
    fx_free(f);
    free(f);
}
END_TEST

/* The earliest arrival leaves the wire without moving the others: found by
 * fuzzing, where 13,000 segments in flight were each moved on every
 * delivery.  Many launches and deliveries keep the order and the count. */
START_TEST(test_channel_first_leaves_in_place)
{
    struct channel c;
    channel_init(&c);
    struct segment g = { .flags = TCP_ACK };
    for (uint32_t i = 1; i <= 3; i++) {
        ck_assert_uint_eq(channel_record(&c, &g), i);
        ck_assert(channel_launch(&c, i, 50 + i));
    }
    const struct flight *second = &c.fl[1];
    ck_assert(channel_remove(&c, 1));
    ck_assert_ptr_eq(&c.fl[0], second);
    ck_assert_uint_eq(c.fl[0].id, 2);
    for (uint32_t t = 0; t < 10000; t++) {      /* a long steady stream */
        uint32_t id = channel_record(&c, &g);
        ck_assert(channel_launch(&c, id, 100 + t));
        ck_assert(channel_remove(&c, c.fl[0].id));
        ck_assert_uint_eq(c.fl_len, 2);
        ck_assert(c.fl[0].arrive_at < c.fl[1].arrive_at);
    }
    ck_assert_uint_le(c.fl_cap, 64);            /* the room was reused, not grown */
    channel_free(&c);
}
END_TEST

/* drop next: every named flag set, and no SYN/FIN/RST that was not named. */
START_TEST(test_drop_next_matches_flags)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct drop_rule pure_ack = { .src = EP_CLIENT, .flags = TCP_ACK };
    sim_drop_next(&f->sim, pure_ack);
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    fx_run(f);
    /* the SYN passed, the third segment (ACK) was dropped */
    ck_assert_uint_eq(channel_fate(&f->sim.chan, 1), FATE_DELIVERED);
    ck_assert_uint_eq(channel_fate(&f->sim.chan, 3), FATE_DROPPED_USER);
    ck_state(f, EP_SERVER, SYN_RECEIVED);
    ck_assert_uint_eq(f->sim.n_rules, 0);
    fx_free(f);
    free(f);
}
END_TEST

/* The same seed loses the same segments; another seed, others. */
static void lossy_run(uint64_t seed, enum seg_fate *fates, size_t n)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.cfg.seed = seed;
    sim_reset(&f->sim);
    sim_set_loss(&f->sim, EP_CLIENT, 500000);
    for (size_t i = 0; i < n; i++) {
        struct segment s = fx_seg(EP_SERVER, TCP_ACK, (seq_t)i, 0, 0);
        sim_inject(&f->sim, &s);
        fates[i] = channel_fate(&f->sim.chan, (uint32_t)(i + 1));
    }
    fx_free(f);
    free(f);
}

START_TEST(test_loss_is_seeded)
{
    enum seg_fate a[64], b[64], c[64];
    lossy_run(7, a, 64);
    lossy_run(7, b, 64);
    lossy_run(8, c, 64);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    ck_assert(memcmp(a, c, sizeof a) != 0);
    int lost = 0;
    for (int i = 0; i < 64; i++)
        lost += a[i] == FATE_DROPPED_LOSS;
    ck_assert_int_gt(lost, 16);
    ck_assert_int_lt(lost, 48);
}
END_TEST

/* RFC 6298: a first sample R gives SRTT = R, RTTVAR = R/2, and RTO never
 * below its 1 s floor; with the floor lowered the formula shows. */
START_TEST(test_rto_estimator)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.cfg.rto_ms = f->sim.cfg.rto_min_ms = 200;
    f->sim.cfg.latency_ms = 100;
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    fx_run(f);
    struct tcb *c = &f->sim.tcb[EP_CLIENT];
    ck_assert(c->rtt_valid);
    ck_assert_uint_eq(c->srtt, 200);
    ck_assert_uint_eq(c->rttvar, 100);
    ck_assert_uint_eq(c->rto, 600);                     /* 200 + 4 x 100 */
    fx_free(f);
    free(f);
}
END_TEST

/* Karn's rule: the ACK of a retransmitted SYN gives no sample, and RFC
 * 6298 5.7 leaves RTO at 3 s once the connection is established. */
START_TEST(test_rto_karn_and_three_seconds)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct drop_rule syn = { .src = EP_CLIENT, .flags = TCP_SYN };
    sim_drop_next(&f->sim, syn);
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    ck_assert(sim_advance_to_timer(&f->sim, 100));
    fx_run(f);
    struct tcb *c = &f->sim.tcb[EP_CLIENT];
    ck_state(f, EP_CLIENT, ESTABLISHED);
    ck_assert(!c->rtt_valid);
    ck_assert_uint_eq(c->rto, 3000);
    fx_free(f);
    free(f);
}
END_TEST

Suite *basics_suite(void)
{
    Suite *s = suite_create("basics");
    TCase *tc = tcase_create("sequence numbers and names");
    tcase_add_test(tc, test_seq_compare_wraps);
    tcase_add_test(tc, test_flags_wireshark_order);
    tcase_add_test(tc, test_state_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("channel and clock");
    tcase_add_test(tc, test_channel_order);
    tcase_add_test(tc, test_drop_next_matches_flags);
    tcase_add_test(tc, test_channel_first_leaves_in_place);
    tcase_add_test(tc, test_loss_is_seeded);
    tcase_add_test(tc, test_rto_estimator);
    tcase_add_test(tc, test_rto_karn_and_three_seconds);
    suite_add_tcase(s, tc);
    return s;
}
