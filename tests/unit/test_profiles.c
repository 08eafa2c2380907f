/* test_profiles.c - each rule of the rfc793 and linux profiles, named
 * test_<profile>_<state>_<event> or test_<profile>_<rule>: the rule's
 * effect, against the recording of Linux 6.18 (LINUX.md rows) or RFC 793's
 * text.  Each fails under rfc9293, which test_states.c pins.
 */
#include <string.h>

#include "fixture.h"

static struct fx *start(const struct profile *p, uint32_t latency)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    profile_apply(p, &f->sim.cfg);
    f->sim.cfg.latency_ms = latency;
    return f;
}

static void stop(struct fx *f)
{
    fx_free(f);
    free(f);
}

/* seg arrives at its destination now (latency 0) or after the latency. */
static void arrive(struct fx *f, struct segment seg)
{
    ck_assert(sim_inject(&f->sim, &seg) != 0);
    fx_run(f);
}

static struct tcb *tcb(struct fx *f, enum endpoint_id ep) { return &f->sim.tcb[ep]; }

/* The segments the TCBs sent since fx_clear (not the injections). */
static size_t tcb_sent(struct fx *f, const struct segment **out, size_t max)
{
    const struct segment *all[64];
    size_t n = fx_sent(f, all, 64), k = 0;
    for (size_t i = 0; i < n; i++)
        if (all[i]->origin == ORIGIN_TCB && k < max)
            out[k++] = all[i];
    return k;
}

/* The one segment sent since fx_clear, or NULL when none or several. */
static const struct segment *only_sent(struct fx *f)
{
    const struct segment *s[4];
    return tcb_sent(f, s, 4) == 1 ? s[0] : NULL;
}

/* The reason of the last state change, which explain shows. */
static const char *last_state_why(const struct fx *f)
{
    for (size_t i = f->n; i-- > 0;)
        if (f->ev[i].type == EV_STATE)
            return f->ev[i].why;
    return "";
}

/* A connection, the client active, with the latency given.  From then
 * on the server's segments are lost, so that only injected segments
 * reach it and the client never answers (call talk() to undo that). */
static struct fx *connected(const struct profile *p, uint32_t latency)
{
    struct fx *f = start(p, latency);
    tcb_open_passive(tcb(f, EP_SERVER));
    tcb_open_active(tcb(f, EP_CLIENT));
    fx_run(f);
    ck_state(f, EP_SERVER, ESTABLISHED);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    fx_clear(f);
    return f;
}

static void talk(struct fx *f) { sim_set_loss(&f->sim, EP_SERVER, 0); }

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

/* Put the server in TIME-WAIT after it closed first. */
static struct fx *server_time_wait(bool orphan)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    talk(f);
    if (orphan)
        tcb_close_orphan(s);
    else
        tcb_close(s);
    fx_run(f);
    sim_advance(&f->sim, 10, 100);          /* the client's delayed ACK */
    ck_state(f, EP_SERVER, FIN_WAIT_2);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    fx_clear(f);
    arrive(f, fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, s->rcv_nxt, s->snd_nxt, 0));
    ck_state(f, EP_SERVER, TIME_WAIT);
    return f;
}

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
    tcase_add_test(tc, test_linux_time_wait_active_open_syn_acked);
    tcase_add_test(tc, test_linux_time_wait_fin_again_ratelimit);
    tcase_add_test(tc, test_linux_time_wait_ratelimit_fresh);
    tcase_add_test(tc, test_linux_time_wait_old_syn_acked);
    tcase_add_test(tc, test_linux_time_wait_window_after_close);
    tcase_add_test(tc, test_linux_established_window_right_edge);
    tcase_add_test(tc, test_linux_established_autoread_on_again);
    tcase_add_test(tc, test_linux_established_ratelimit);
    tcase_add_test(tc, test_linux_isn_clock_64ns);
    tcase_add_test(tc, test_linux_fin_wait_2_orphan_timeout);
    tcase_add_test(tc, test_linux_fin_wait_2_data_after_close_rst);
    suite_add_tcase(s, tc);
    tc = tcase_create("rfc793 and rfc9293");
    tcase_add_test(tc, test_rfc793_rst_in_window);
    tcase_add_test(tc, test_rfc793_syn_received_rst_in_window);
    tcase_add_test(tc, test_rfc793_established_syn_in_window);
    tcase_add_test(tc, test_rfc793_time_wait_rst_in_window);
    tcase_add_test(tc, test_rfc793_last_ack_rst_in_window);
    tcase_add_test(tc, test_rfc793_isn_clock);
    tcase_add_test(tc, test_rfc9293_defaults);
    tcase_add_test(tc, test_rfc9293_established_window_after_linux);
    suite_add_tcase(s, tc);
    return s;
}
