/* test_profiles.c - each rule of the rfc793 and linux profiles, named
 * test_<profile>_<state>_<event> or test_<profile>_<rule>: the rule's
 * effect, against the recording of Linux 6.18 (LINUX.md rows) or RFC 793's
 * text.  Each fails under rfc9293, which test_states.c pins.
 */
#include <string.h>

#include "fixture.h"
#include "profile_fx.h"

/* rows 1 and 5: SYN,ACK window 64240; initial RTO 1 s */
START_TEST(test_linux_listen_syn_window_64240)
{
    struct fx *f = start(&profile_linux, 0);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    tcb_open_passive(tcb(f, EP_SERVER));
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0));
    const struct segment *s = only_sent(f);
    ck_assert_ptr_nonnull(s);
    ck_seg(s, TCP_SYN | TCP_ACK, S_ISS, 1001, 0);
    ck_assert_uint_eq(s->wnd, 64240);
    ck_assert_uint_eq(tcb(f, EP_SERVER)->rto, 1000);
    stop(f);
}
END_TEST

/* row 6: RTO = SRTT + max(4 RTTVAR, 200 ms) */
START_TEST(test_linux_rto_floor_on_variance)
{
    struct fx *f = connected(&profile_linux, 10);
    struct tcb *c = tcb(f, EP_CLIENT);
    ck_assert_uint_eq(c->srtt, 20);
    ck_assert_uint_eq(c->rttvar, 10);
    ck_assert_uint_eq(c->rto, 220);         /* 20 + max(40, 200); RFC 6298 with a 200 ms floor: 200 */
    stop(f);
}
END_TEST

/* row 8: ten SYN retransmissions at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s,
 * connection timed out at 131 s */
START_TEST(test_linux_syn_sent_retransmit_linear)
{
    static const uint64_t at[] = { 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000 };
    struct fx *f = start(&profile_linux, 0);
    sim_set_loss(&f->sim, EP_CLIENT, 1000000);
    tcb_open_active(tcb(f, EP_CLIENT));
    fx_clear(f);
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        ck_assert(sim_advance_to_timer(&f->sim, 100));
        ck_assert_uint_eq(f->sim.now, at[i]);
        ck_state(f, EP_CLIENT, SYN_SENT);
    }
    ck_assert(sim_advance_to_timer(&f->sim, 100));
    ck_assert_uint_eq(f->sim.now, 131000);
    ck_state(f, EP_CLIENT, CLOSED);
    ck_assert_uint_eq(fx_count(f, EV_SEND), 10);
    stop(f);
}
END_TEST

/* row 9: five SYN,ACK retransmissions, 1, 2, 4, 8, 16 s apart, then
 * silently back to LISTEN 32 s later */
START_TEST(test_linux_syn_received_synack_retries)
{
    struct fx *f = start(&profile_linux, 0);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    tcb_open_passive(tcb(f, EP_SERVER));
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0));
    fx_clear(f);
    while (tcb(f, EP_SERVER)->state == SYN_RECEIVED)
        ck_assert(sim_advance_to_timer(&f->sim, 100));
    ck_state(f, EP_SERVER, LISTEN);
    ck_assert_uint_eq(f->sim.now, 63000);
    ck_assert_uint_eq(fx_count(f, EV_SEND), 5);
    stop(f);
}
END_TEST

/* row 10: an orphan in LAST-ACK retransmits its FIN 8 times and is
 * destroyed without a RST */
START_TEST(test_linux_last_ack_orphan_retries)
{
    struct fx *f = connected(&profile_linux, 0);
    talk(f);
    tcb_close(tcb(f, EP_CLIENT));
    fx_run(f);
    sim_advance(&f->sim, 100, 100);           /* the delayed ACK went out */
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    fx_clear(f);
    ck_assert_int_eq(tcb_close_orphan(tcb(f, EP_SERVER)), 0);
    ck_state(f, EP_SERVER, LAST_ACK);
    while (tcb(f, EP_SERVER)->state == LAST_ACK)
        ck_assert(sim_advance_to_timer(&f->sim, 100));
    ck_state(f, EP_SERVER, CLOSED);
    const struct segment *s[16];
    size_t n = tcb_sent(f, s, 16);
    ck_assert_uint_eq(n, 9);                                /* the FIN and 8 retransmissions */
    for (size_t i = 0; i < n; i++)
        ck_assert(!(s[i]->flags & TCP_RST));
    ck_assert_uint_eq(fx_count(f, EV_SIGNAL), 0);           /* nobody to tell */
    stop(f);
}
END_TEST

/* row 12: the ACK of a FIN waits one jiffy when no data came */
START_TEST(test_linux_established_fin_delayed_ack)
{
    struct fx *f = connected(&profile_linux, 0);
    arrive(f, fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, tcb(f, EP_SERVER)->rcv_nxt, tcb(f, EP_SERVER)->snd_nxt, 0));
    ck_state(f, EP_SERVER, CLOSE_WAIT);
    ck_assert_ptr_null(only_sent(f));
    ck_assert(tcb(f, EP_SERVER)->delack_timer.armed);
    sim_advance(&f->sim, 3, 100);
    ck_assert_ptr_null(only_sent(f));
    sim_advance(&f->sim, 1, 100);
    const struct segment *s = only_sent(f);
    ck_assert_ptr_nonnull(s);
    ck_seg(s, TCP_ACK, tcb(f, EP_SERVER)->snd_nxt, tcb(f, EP_SERVER)->rcv_nxt, 0);
    ck_assert_uint_eq(s->wnd, 64239);                       /* row 2: the FIN took one */
    stop(f);
}
END_TEST

/* row 12: after data the delay is 40 ms (TCP_ATO_MIN); data itself is ACKed at once */
START_TEST(test_linux_established_fin_delayed_ack_after_data)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    arrive(f, fx_seg(EP_SERVER, TCP_PSH | TCP_ACK, s->rcv_nxt, s->snd_nxt, 100));
    ck_assert_ptr_nonnull(only_sent(f));
    fx_clear(f);
    arrive(f, fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, s->rcv_nxt, s->snd_nxt, 0));
    sim_advance(&f->sim, 39, 100);
    ck_assert_ptr_null(only_sent(f));
    sim_advance(&f->sim, 1, 100);
    ck_assert_ptr_nonnull(only_sent(f));
    stop(f);
}
END_TEST

/* row 12: a close() within the delay: three segments, the FIN carries the ACK */
START_TEST(test_linux_close_wait_three_segment_close)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    arrive(f, fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, s->rcv_nxt, s->snd_nxt, 0));
    sim_advance(&f->sim, 1, 100);
    tcb_close_orphan(s);
    sim_advance(&f->sim, 100, 100);
    const struct segment *seg = only_sent(f);
    ck_assert_ptr_nonnull(seg);
    ck_seg(seg, TCP_FIN | TCP_ACK, S_ISS + 1, C_ISS + 2, 0);
    ck_assert(!s->delack_timer.armed);
    stop(f);
}
END_TEST

/* row 13: the crossed SYN,ACK of a simultaneous open is ACKed */
START_TEST(test_linux_syn_received_crossed_synack_ack)
{
    struct fx *f = start(&profile_linux, 0);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    tcb_open_active(tcb(f, EP_SERVER));
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0));
    ck_state(f, EP_SERVER, SYN_RECEIVED);
    fx_clear(f);
    arrive(f, fx_seg(EP_SERVER, TCP_SYN | TCP_ACK, 1000, S_ISS + 1, 0));
    ck_state(f, EP_SERVER, ESTABLISHED);
    const struct segment *s = only_sent(f);
    ck_assert_ptr_nonnull(s);
    ck_seg(s, TCP_ACK, S_ISS + 1, 1001, 0);
    stop(f);
}
END_TEST

/* row 14: an in-window SYN in SYN-RECEIVED gets RST,ACK, back to LISTEN */
START_TEST(test_linux_syn_received_syn_in_window_rst)
{
    struct fx *f = start(&profile_linux, 0);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    tcb_open_passive(tcb(f, EP_SERVER));
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, 900, 0, 0));
    fx_clear(f);
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0));
    ck_state(f, EP_SERVER, LISTEN);
    const struct segment *s = only_sent(f);
    ck_assert_ptr_nonnull(s);
    ck_seg(s, TCP_RST | TCP_ACK, 0, 1001, 0);
    stop(f);
}
END_TEST

/* tcp_check_req(): the SYN again (its SYN,ACK lost) gets the SYN,ACK again;
 * RFC 9293 answers it as an old segment, with a bare ACK */
START_TEST(test_linux_syn_received_syn_again_synack)
{
    for (int linux = 0; linux < 2; linux++) {
        struct fx *f = start(linux ? &profile_linux : &profile_rfc9293, 0);
        sim_set_loss(&f->sim, EP_SERVER, 1000000);
        tcb_open_passive(tcb(f, EP_SERVER));
        arrive(f, fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0));
        fx_clear(f);
        arrive(f, fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0));
        ck_state(f, EP_SERVER, SYN_RECEIVED);
        const struct segment *s = only_sent(f);
        ck_assert_ptr_nonnull(s);
        if (linux)
            ck_seg(s, TCP_SYN | TCP_ACK, S_ISS, 1001, 0);
        else
            ck_seg(s, TCP_ACK, S_ISS + 1, 1001, 0);
        stop(f);
    }
}
END_TEST

/* row 15: a SYN above RCV.NXT reopens TIME-WAIT, ISS = SND.NXT + 65537 */
START_TEST(test_linux_time_wait_reopen)
{
    struct fx *f = server_time_wait(true);
    seq_t snd_nxt = tcb(f, EP_SERVER)->snd_nxt;
    fx_clear(f);
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, C_ISS + 100000, 0, 0));
    ck_state(f, EP_SERVER, SYN_RECEIVED);
    const struct segment *s = only_sent(f);
    ck_assert_ptr_nonnull(s);
    ck_seg(s, TCP_SYN | TCP_ACK, snd_nxt + 65537, C_ISS + 100001, 0);
    stop(f);
}
END_TEST

/* row 15, the other side: a SYN at or below RCV.NXT gets the TIME-WAIT ACK */
START_TEST(test_linux_time_wait_old_syn_acked)
{
    struct fx *f = server_time_wait(true);
    struct tcb *s = tcb(f, EP_SERVER);
    uint64_t tw = s->tw_timer.at;
    fx_clear(f);
    sim_advance(&f->sim, 500, 100);
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, C_ISS, 0, 0));
    ck_state(f, EP_SERVER, TIME_WAIT);
    const struct segment *seg = only_sent(f);
    ck_assert_ptr_nonnull(seg);
    ck_seg(seg, TCP_ACK, s->snd_nxt, s->rcv_nxt, 0);
    ck_assert_uint_eq(s->tw_timer.at, tw);                  /* not restarted */
    stop(f);
}
END_TEST

/* row 3: the TIME-WAIT ACK keeps the window of the orphan (64240) after
 * close(), and shows the FIN's octet (64239) after shutdown() */
START_TEST(test_linux_time_wait_window_after_close)
{
    for (int orphan = 0; orphan < 2; orphan++) {
        struct fx *f = server_time_wait(orphan);
        const struct segment *s = only_sent(f);
        ck_assert_ptr_nonnull(s);
        ck_assert_uint_eq(s->wnd, orphan ? 64240 : 64239);
        stop(f);
    }
}
END_TEST

/* row 2: RCV.NXT moves, the right edge stays: 64140 after 100 octets */
START_TEST(test_linux_established_window_right_edge)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    arrive(f, fx_seg(EP_SERVER, TCP_PSH | TCP_ACK, s->rcv_nxt, s->snd_nxt, 100));
    ck_assert_uint_eq(only_sent(f)->wnd, 64140);
    fx_clear(f);
    arrive(f, fx_seg(EP_SERVER, TCP_PSH | TCP_ACK, s->rcv_nxt, s->snd_nxt, 1400));
    ck_assert_uint_eq(only_sent(f)->wnd, 64240);            /* 1500 free: a full MSS, it opens */
    stop(f);
}
END_TEST

/* rows 16: one challenge or duplicate ACK per 500 ms; data is not limited */
START_TEST(test_linux_established_ratelimit)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    seq_t old = s->rcv_nxt - 500;
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, old, 0, 0));
    ck_assert_ptr_nonnull(only_sent(f));
    fx_clear(f);
    sim_advance(&f->sim, 100, 100);
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, old, 0, 0));
    arrive(f, fx_seg(EP_SERVER, TCP_ACK, s->rcv_nxt + 100000, s->snd_nxt, 0));
    ck_assert_ptr_null(only_sent(f));
    arrive(f, fx_seg(EP_SERVER, TCP_PSH | TCP_ACK, s->rcv_nxt + 100000, s->snd_nxt, 10));
    ck_assert_ptr_nonnull(only_sent(f));                    /* data: answered */
    fx_clear(f);
    sim_advance(&f->sim, 400, 100);
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, old, 0, 0));
    ck_assert_ptr_nonnull(only_sent(f));                    /* 500 ms after the first */
    stop(f);
}
END_TEST

/* row 17: ISN = a 64 ns clock plus a hash: 300 ms apart, 4,687,500 apart */
START_TEST(test_linux_isn_clock_64ns)
{
    struct fx *f = start(&profile_linux, 0);
    f->sim.isn_set[EP_SERVER] = false;
    seq_t a = sim_choose_iss(&f->sim, EP_SERVER, 40000);
    sim_advance(&f->sim, 300, 100);
    seq_t b = sim_choose_iss(&f->sim, EP_SERVER, 40000);
    ck_assert_uint_eq((seq_t)(b - a), 300u * 15625u);
    stop(f);
}
END_TEST

/* row 18: an orphan leaves FIN-WAIT-2 after 60 s, silently; not after shutdown() */
START_TEST(test_linux_fin_wait_2_orphan_timeout)
{
    for (int orphan = 0; orphan < 2; orphan++) {
        struct fx *f = connected(&profile_linux, 0);
        struct tcb *s = tcb(f, EP_SERVER);
        talk(f);
        if (orphan)
            tcb_close_orphan(s);
        else
            tcb_close(s);
        fx_run(f);
        sim_advance(&f->sim, 10, 100);      /* the client's delayed ACK */
        ck_state(f, EP_SERVER, FIN_WAIT_2);
        ck_assert(s->fw2_timer.armed == (orphan != 0));
        ck_assert(!s->tw_timer.armed);
        fx_clear(f);
        sim_advance(&f->sim, 60000, 100);
        ck_state(f, EP_SERVER, orphan ? CLOSED : FIN_WAIT_2);
        ck_assert_uint_eq(fx_count(f, EV_SEND), 0);
        stop(f);
    }
}
END_TEST

/* row 19: data for a close()d socket is answered with a RST */
START_TEST(test_linux_fin_wait_2_data_after_close_rst)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    talk(f);
    tcb_close_orphan(s);
    fx_run(f);
    sim_advance(&f->sim, 10, 100);          /* the client's delayed ACK */
    fx_clear(f);
    seq_t ack = s->snd_nxt;
    arrive(f, fx_seg(EP_SERVER, TCP_PSH | TCP_ACK, s->rcv_nxt, ack, 10));
    ck_state(f, EP_SERVER, CLOSED);
    const struct segment *seg = only_sent(f);
    ck_assert_ptr_nonnull(seg);
    ck_seg(seg, TCP_RST, ack, 0, 0);
    stop(f);
}
END_TEST

/* RFC 793 3.4: a RST anywhere in the window resets; no challenge ACK */
START_TEST(test_rfc793_rst_in_window)
{
    struct fx *f = connected(&profile_rfc793, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    arrive(f, fx_seg(EP_SERVER, TCP_RST, s->rcv_nxt + 100, 0, 0));
    ck_state(f, EP_SERVER, CLOSED);
    ck_assert_ptr_null(only_sent(f));
    stop(f);
}
END_TEST

/* RFC 793 3.9: in SYN-RECEIVED from a passive OPEN, a RST anywhere in the
 * window returns the connection to LISTEN; RFC 5961 asks for SEG.SEQ =
 * RCV.NXT and answers the others with a challenge ACK */
START_TEST(test_rfc793_syn_received_rst_in_window)
{
    for (int rfc793 = 0; rfc793 < 2; rfc793++) {
        struct fx *f = start(rfc793 ? &profile_rfc793 : &profile_rfc9293, 0);
        sim_set_loss(&f->sim, EP_SERVER, 1000000);
        tcb_open_passive(tcb(f, EP_SERVER));
        arrive(f, fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0));
        fx_clear(f);
        arrive(f, fx_seg(EP_SERVER, TCP_RST, 1101, 0, 0));
        ck_state(f, EP_SERVER, rfc793 ? LISTEN : SYN_RECEIVED);
        const struct segment *s = only_sent(f);
        if (rfc793) {
            ck_assert_ptr_null(s);
            ck_assert_msg(strncmp(last_state_why(f), "rfc793:", 7) == 0, "%s", last_state_why(f));
        } else {
            ck_assert_ptr_nonnull(s);
            ck_seg(s, TCP_ACK, S_ISS + 1, 1001, 0);
        }
        stop(f);
    }
}
END_TEST

/* RFC 793 3.9: "If the SYN is in the window it is an error, send a reset" */
START_TEST(test_rfc793_established_syn_in_window)
{
    struct fx *f = connected(&profile_rfc793, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    seq_t seq = s->rcv_nxt + 10;
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, seq, 0, 0));
    ck_state(f, EP_SERVER, CLOSED);
    const struct segment *out = only_sent(f);
    ck_assert_ptr_nonnull(out);
    ck_seg(out, TCP_RST | TCP_ACK, 0, seq + 1, 0);
    stop(f);
}
END_TEST

/* RFC 793 3.3: ISN from a clock ticking every 4 us, nothing else */
START_TEST(test_rfc793_isn_clock)
{
    struct fx *f = start(&profile_rfc793, 0);
    f->sim.isn_set[EP_SERVER] = false;
    sim_advance(&f->sim, 1000, 100);
    ck_assert_uint_eq(sim_choose_iss(&f->sim, EP_SERVER, 40000), 250000);
    stop(f);
}
END_TEST

/* The default profile keeps the old defaults, so no transcript changes. */
START_TEST(test_rfc9293_defaults)
{
    struct sim_config c;
    sim_config_default(&c);
    ck_assert_ptr_eq(c.profile, &profile_rfc9293);
    ck_assert_uint_eq(c.window, 65535);
    ck_assert_uint_eq(c.rto_min_ms, 1000);
    ck_assert_uint_eq(c.ratelimit_ms, 0);
    ck_assert_ptr_eq(profile_find("LINUX"), &profile_linux);
    ck_assert_ptr_null(profile_find("bsd"));
}
END_TEST

Suite *profiles_suite(void)
{
    Suite *s = suite_create("profiles");
    TCase *tc = tcase_create("linux");
    tcase_add_test(tc, test_linux_listen_syn_window_64240);
    tcase_add_test(tc, test_linux_rto_floor_on_variance);
    tcase_add_test(tc, test_linux_syn_sent_retransmit_linear);
    tcase_add_test(tc, test_linux_syn_received_synack_retries);
    tcase_add_test(tc, test_linux_last_ack_orphan_retries);
    tcase_add_test(tc, test_linux_established_fin_delayed_ack);
    tcase_add_test(tc, test_linux_established_fin_delayed_ack_after_data);
    tcase_add_test(tc, test_linux_close_wait_three_segment_close);
    tcase_add_test(tc, test_linux_syn_received_crossed_synack_ack);
    tcase_add_test(tc, test_linux_syn_received_syn_in_window_rst);
    tcase_add_test(tc, test_linux_syn_received_syn_again_synack);
    tcase_add_test(tc, test_linux_time_wait_reopen);
    tcase_add_test(tc, test_linux_time_wait_old_syn_acked);
    tcase_add_test(tc, test_linux_time_wait_window_after_close);
    tcase_add_test(tc, test_linux_established_window_right_edge);
    tcase_add_test(tc, test_linux_established_ratelimit);
    tcase_add_test(tc, test_linux_isn_clock_64ns);
    tcase_add_test(tc, test_linux_fin_wait_2_orphan_timeout);
    tcase_add_test(tc, test_linux_fin_wait_2_data_after_close_rst);
    suite_add_tcase(s, tc);
    tc = tcase_create("rfc793 and rfc9293");
    tcase_add_test(tc, test_rfc793_rst_in_window);
    tcase_add_test(tc, test_rfc793_syn_received_rst_in_window);
    tcase_add_test(tc, test_rfc793_established_syn_in_window);
    tcase_add_test(tc, test_rfc793_isn_clock);
    tcase_add_test(tc, test_rfc9293_defaults);
    suite_add_tcase(s, tc);
    return s;
}
