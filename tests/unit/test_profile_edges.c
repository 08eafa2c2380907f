/* test_profile_edges.c - the profiles at their edges, found on a second
 * reading of issue 14 against RFC 793 and LINUX.md: an in-window RST in
 * the closing states under rfc793, the rate limit of a TIME-WAIT socket
 * and which TIME-WAIT a SYN reopens under linux, and what a profile
 * chosen mid-connection does to the receive window.
 */
#include <string.h>

#include "profile_fx.h"

/* RFC 793 3.9, CLOSING, LAST-ACK, TIME-WAIT: "If the RST bit is set then,
 * enter the CLOSED state, delete the TCB, and return": an in-window RST
 * closes, with no "connection reset" signal (the user closed already);
 * in TIME-WAIT `set rfc1337 on` still ignores it (RFC 1337 TIME-WAIT
 * assassination is what RFC 793 allowed). */
START_TEST(test_rfc793_time_wait_rst_in_window)
{
    for (int rfc1337 = 0; rfc1337 < 2; rfc1337++) {
        struct fx *f = start(&profile_rfc793, 50);
        f->sim.cfg.rfc1337 = rfc1337;
        fx_reach(f, EP_SERVER, TIME_WAIT, false);
        ck_state(f, EP_SERVER, TIME_WAIT);
        struct tcb *s = tcb(f, EP_SERVER);
        fx_clear(f);
        struct segment rst = fx_seg(EP_SERVER, TCP_RST, s->rcv_nxt + 100, 0, 0);
        tcb_segment_arrives(s, &rst);
        ck_state(f, EP_SERVER, rfc1337 ? TIME_WAIT : CLOSED);
        ck_assert_uint_eq(fx_count(f, EV_SIGNAL), 0);
        if (!rfc1337)
            ck_assert_msg(strncmp(last_state_why(f), "rfc793:", 7) == 0, "%s", last_state_why(f));
        stop(f);
    }
}
END_TEST

START_TEST(test_rfc793_last_ack_rst_in_window)
{
    struct fx *f = start(&profile_rfc793, 50);
    fx_reach(f, EP_SERVER, LAST_ACK, false);
    ck_state(f, EP_SERVER, LAST_ACK);
    struct tcb *s = tcb(f, EP_SERVER);
    fx_clear(f);
    struct segment rst = fx_seg(EP_SERVER, TCP_RST, s->rcv_nxt + 100, 0, 0);
    tcb_segment_arrives(s, &rst);
    ck_state(f, EP_SERVER, CLOSED);
    ck_assert_uint_eq(fx_count(f, EV_SIGNAL), 0);
    ck_assert_msg(strncmp(last_state_why(f), "rfc793:", 7) == 0, "%s", last_state_why(f));
    stop(f);
}
END_TEST

/* row 16: the TIME-WAIT ACK of a retransmitted FIN is rate limited too
 * (tcp_timewait_check_oow_rate_limit); the 2 MSL timer restarts all the
 * same. */
START_TEST(test_linux_time_wait_fin_again_ratelimit)
{
    struct fx *f = server_time_wait(true);
    struct tcb *s = tcb(f, EP_SERVER);
    struct segment fin = fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, s->rcv_nxt - 1, s->snd_nxt, 0);
    fx_clear(f);
    arrive(f, fin);
    ck_assert_ptr_nonnull(only_sent(f));
    fx_clear(f);
    sim_advance(&f->sim, 100, 100);
    arrive(f, fin);
    ck_assert_ptr_null(only_sent(f));
    ck_assert_uint_eq(s->tw_timer.at, f->sim.now + 60000);  /* restarted */
    sim_advance(&f->sim, 400, 100);
    arrive(f, fin);
    ck_assert_ptr_nonnull(only_sent(f));                    /* 500 ms after the first */
    stop(f);
}
END_TEST

/* row 16: the TIME-WAIT socket keeps its own rate limit, which starts
 * afresh (tcp_time_wait: tw_last_oow_ack_time = 0): a challenge ACK just
 * before TIME-WAIT does not silence the ACK of a retransmitted FIN. */
START_TEST(test_linux_time_wait_ratelimit_fresh)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    talk(f);
    tcb_close(s);
    fx_run(f);
    sim_advance(&f->sim, 10, 100);
    ck_state(f, EP_SERVER, FIN_WAIT_2);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    fx_clear(f);
    arrive(f, fx_seg(EP_SERVER, TCP_SYN, s->rcv_nxt + 10, 0, 0));
    ck_assert_ptr_nonnull(only_sent(f));                    /* a challenge ACK */
    fx_clear(f);
    sim_advance(&f->sim, 100, 100);
    arrive(f, fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, s->rcv_nxt, s->snd_nxt, 0));
    ck_state(f, EP_SERVER, TIME_WAIT);
    fx_clear(f);
    sim_advance(&f->sim, 100, 100);
    arrive(f, fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, s->rcv_nxt - 1, s->snd_nxt, 0));
    ck_assert_ptr_nonnull(only_sent(f));
    stop(f);
}
END_TEST

/* row 15 needs the listener: a TIME-WAIT of an active OPEN has none on
 * its port, so Linux answers the SYN with the TIME-WAIT ACK
 * (tcp_v4_rcv, TCP_TW_SYN without a listener falls through to TW_ACK). */
START_TEST(test_linux_time_wait_active_open_syn_acked)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *c = tcb(f, EP_CLIENT);
    talk(f);
    tcb_close(c);
    fx_run(f);
    tcb_close(tcb(f, EP_SERVER));
    fx_run(f);
    sim_advance(&f->sim, 10, 100);
    ck_state(f, EP_CLIENT, TIME_WAIT);
    sim_set_loss(&f->sim, EP_CLIENT, 1000000);
    fx_clear(f);
    struct segment syn = fx_seg(EP_CLIENT, TCP_SYN, c->rcv_nxt + 100000, 0, 0);
    tcb_segment_arrives(c, &syn);
    ck_state(f, EP_CLIENT, TIME_WAIT);
    const struct segment *seg = only_sent(f);
    ck_assert_ptr_nonnull(seg);
    ck_seg(seg, TCP_ACK, c->snd_nxt, c->rcv_nxt, 0);
    stop(f);
}
END_TEST

/* row 2: `set ENDPOINT autoread on` when it is on already changes
 * nothing: no window update opens the right edge early. */
START_TEST(test_linux_established_autoread_on_again)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    arrive(f, fx_seg(EP_SERVER, TCP_PSH | TCP_ACK, s->rcv_nxt, s->snd_nxt, 100));
    fx_clear(f);
    tcb_set_autoread(s, true);
    ck_assert_ptr_null(only_sent(f));
    ck_assert_uint_eq(s->rcv_wnd, 64140);
    stop(f);
}
END_TEST

/* A profile chosen mid-connection rules from then on: a window that
 * linux's right edge left shrunk opens again under rfc9293, where an
 * application that reads at once leaves the whole buffer free. */
START_TEST(test_rfc9293_established_window_after_linux)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    arrive(f, fx_seg(EP_SERVER, TCP_PSH | TCP_ACK, s->rcv_nxt, s->snd_nxt, 100));
    ck_assert_uint_eq(only_sent(f)->wnd, 64140);
    fx_clear(f);
    profile_apply(&profile_rfc9293, &f->sim.cfg);
    arrive(f, fx_seg(EP_SERVER, TCP_PSH | TCP_ACK, s->rcv_nxt, s->snd_nxt, 100));
    ck_assert_uint_eq(only_sent(f)->wnd, 64240);            /* RCV.BUFF, set when it began */
    stop(f);
}
END_TEST

Suite *profile_edges_suite(void)
{
    Suite *s = suite_create("profile edges");
    TCase *tc = tcase_create("profiles at their edges");
    tcase_add_test(tc, test_rfc793_time_wait_rst_in_window);
    tcase_add_test(tc, test_rfc793_last_ack_rst_in_window);
    tcase_add_test(tc, test_linux_time_wait_fin_again_ratelimit);
    tcase_add_test(tc, test_linux_time_wait_ratelimit_fresh);
    tcase_add_test(tc, test_linux_time_wait_active_open_syn_acked);
    tcase_add_test(tc, test_linux_established_autoread_on_again);
    tcase_add_test(tc, test_rfc9293_established_window_after_linux);
    suite_add_tcase(s, tc);
    return s;
}
