/* test_window.c - flow control (RFC 9293 3.8.6): a reading application
 * with a receive buffer, the window's right edge, silly window avoidance
 * on both sides, the persist timer and its zero-window probes, and the
 * ACKs and RSTs a zero window still takes (MUST-66). */
#include <string.h>

#include "fixture.h"

static const uint8_t data[20000];

/* Client and server ESTABLISHED with 4000-octet windows; the server's
 * application reads only when told. */
static struct fx *slow_reader(void)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.cfg.window = 4000;
    tcb_set_autoread(&f->sim.tcb[EP_SERVER], false);
    tcb_open_passive(&f->sim.tcb[EP_SERVER]);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    fx_run(f);
    ck_state(f, EP_SERVER, ESTABLISHED);
    fx_clear(f);
    return f;
}

static void done(struct fx *f)
{
    fx_free(f);
    free(f);
}

/* Data waits in the buffer; RCV.WND shrinks as RCV.NXT grows, so the
 * right edge RCV.NXT + RCV.WND stays. */
START_TEST(test_established_data_autoread_off)
{
    struct fx *f = slow_reader();
    struct tcb *s = &f->sim.tcb[EP_SERVER];
    seq_t edge = s->rcv_nxt + s->rcv_wnd;
    tcb_send(&f->sim.tcb[EP_CLIENT], data, 1000);
    fx_run(f);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 0);
    ck_assert_uint_eq(s->rcv_user, 1000);
    ck_assert_uint_eq(s->rcv_wnd, 3000);
    ck_assert_uint_eq(s->rcv_nxt + s->rcv_wnd, edge);
    const struct segment *out[8];
    size_t n = fx_sent(f, out, 8);
    ck_assert_uint_eq(out[n - 1]->wnd, 3000);      /* the ACK says so */
    done(f);
}
END_TEST

/* Reading less than min(RCV.BUFF/2, MSS) opens nothing (MUST-39);
 * reading enough sends a window update. */
START_TEST(test_established_read_window_update)
{
    struct fx *f = slow_reader();
    struct tcb *s = &f->sim.tcb[EP_SERVER];
    tcb_send(&f->sim.tcb[EP_CLIENT], data, 2920);
    fx_run(f);
    ck_assert_uint_eq(s->rcv_wnd, 1080);
    fx_clear(f);
    ck_assert_int_eq(tcb_read(s, 500), 0);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 1);
    ck_assert_uint_eq(f->ev[0].len, 500);
    ck_assert_uint_eq(s->rcv_wnd, 1080);           /* 500 more is not worth it */
    ck_assert_uint_eq(fx_count(f, EV_SEND), 0);
    ck_assert_int_eq(tcb_read(s, 1000), 0);       /* free 2580: 1500 more >= 1460 */
    ck_assert_uint_eq(s->rcv_wnd, 2580);
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_ACK, S_ISS + 1, C_ISS + 2921, 0);
    ck_assert_uint_eq(out[0]->wnd, 2580);
    ck_assert_uint_eq(s->rcv_user, 1420);
    done(f);
}
END_TEST

/* read with an empty buffer fails and changes nothing. */
START_TEST(test_established_read_nothing)
{
    struct fx *f = slow_reader();
    ck_assert_int_eq(tcb_read(&f->sim.tcb[EP_SERVER], 0), -1);
    ck_assert_str_eq(sim_error(&f->sim), "no data waiting to be read");
    ck_assert_uint_eq(fx_count(f, EV_SEND), 0);
    done(f);
}
END_TEST

/* Fill the window: the sender's persist timer probes the zero window
 * with one new octet, backing off, and never gives up while the probes
 * are answered (MUST-36, MUST-37). */
START_TEST(test_established_zero_window_probe_backoff)
{
    struct fx *f = slow_reader();
    struct tcb *c = &f->sim.tcb[EP_CLIENT];
    tcb_send(c, data, 4000);
    fx_run(f);
    tcb_send(c, data, 500);
    ck_assert_uint_eq(c->snd_wnd, 0);
    ck_assert_uint_eq(tcb_unsent(c), 500);
    ck_assert(c->persist_timer.armed);
    ck_assert(!c->rtx_timer.armed);
    uint64_t last = f->sim.now, gap = 0;
    for (int i = 0; i < 12; i++) {
        fx_clear(f);
        uint64_t at = c->persist_timer.at;
        ck_assert(sim_advance_to_timer(&f->sim, 100));
        fx_run(f);
        const struct segment *out[4];
        ck_assert_uint_eq(fx_sent(f, out, 4), 2);  /* probe and its answer */
        ck_seg(out[0], TCP_ACK, C_ISS + 4001, S_ISS + 1, 1);
        ck_assert_uint_eq(out[1]->wnd, 0);
        ck_assert_uint_eq(out[1]->ack, C_ISS + 4001);
        if (i > 0 && gap < 120000)
            ck_assert_uint_ge(at - last, gap);     /* backs off */
        gap = at - last;
        last = at;
    }
    ck_assert_uint_eq(gap, 120000);                /* up to the largest RTO */
    ck_state(f, EP_CLIENT, ESTABLISHED);
    ck_assert_uint_eq(c->snd_nxt, C_ISS + 4001);
    done(f);
}
END_TEST

/* Reading reopens the window: the update lets the rest go, and the
 * persist timer stops. */
START_TEST(test_established_zero_window_reopens)
{
    struct fx *f = slow_reader();
    struct tcb *c = &f->sim.tcb[EP_CLIENT], *s = &f->sim.tcb[EP_SERVER];
    tcb_send(c, data, 4000);
    fx_run(f);
    tcb_send(c, data, 500);
    sim_advance_to_timer(&f->sim, 100);            /* one probe */
    fx_run(f);
    ck_assert_int_eq(tcb_read(s, 0), 0);
    fx_run(f);
    ck_assert_uint_eq(s->bytes_received, 4500);
    ck_assert_uint_eq(c->snd_una, C_ISS + 4501);
    ck_assert(!c->persist_timer.armed);
    ck_assert(!c->rtx_timer.armed);
    done(f);
}
END_TEST

/* A probe that arrives once the window has opened is taken; its ACK
 * covers the probe octet, which then counts as sent. */
START_TEST(test_established_probe_taken)
{
    struct fx *f = slow_reader();
    struct tcb *c = &f->sim.tcb[EP_CLIENT], *s = &f->sim.tcb[EP_SERVER];
    tcb_send(c, data, 4000);
    fx_run(f);
    tcb_send(c, data, 500);
    sim_advance(&f->sim, c->persist_timer.at - f->sim.now, 100);   /* the probe is in flight */
    ck_assert_uint_eq(f->sim.chan.fl_len, 1);
    s->rcv_user = 0;                                /* the buffer was read ... */
    s->rcv_wnd = 4000;                              /* ... and no update sent yet */
    fx_clear(f);
    sim_step(&f->sim);                              /* the probe arrives */
    ck_assert_uint_eq(s->rcv_nxt, C_ISS + 4002);
    sim_step(&f->sim);                              /* its ACK */
    ck_assert_uint_eq(c->snd_una, C_ISS + 4002);
    fx_run(f);
    ck_assert_uint_eq(c->snd_una, C_ISS + 4501);   /* the rest went too */
    ck_assert_uint_eq(s->bytes_received, 4500);
    done(f);
}
END_TEST

/* MUST-66: at a zero window a segment's ACK is still processed... */
START_TEST(test_established_ack_at_zero_window)
{
    struct fx *f = slow_reader();
    struct tcb *s = &f->sim.tcb[EP_SERVER];
    tcb_send(&f->sim.tcb[EP_CLIENT], data, 4000);
    fx_run(f);
    ck_assert_uint_eq(s->rcv_wnd, 0);
    tcb_send(s, data, 100);
    sim_drop(&f->sim, f->sim.chan.fl[0].id);        /* lost, unacknowledged */
    fx_clear(f);
    struct segment probe = fx_seg(EP_SERVER, TCP_ACK, s->rcv_nxt, S_ISS + 101, 1);
    tcb_segment_arrives(s, &probe);
    ck_assert_uint_eq(s->snd_una, S_ISS + 101);
    ck_assert_uint_eq(s->rcv_nxt, C_ISS + 4001);   /* the text is not taken */
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_ACK, S_ISS + 101, C_ISS + 4001, 0);
    ck_assert_uint_eq(out[0]->wnd, 0);
    done(f);
}
END_TEST

/* ... and so is a RST, even one carrying text. */
START_TEST(test_established_rst_at_zero_window)
{
    struct fx *f = slow_reader();
    struct tcb *s = &f->sim.tcb[EP_SERVER];
    tcb_send(&f->sim.tcb[EP_CLIENT], data, 4000);
    fx_run(f);
    ck_assert_uint_eq(s->rcv_wnd, 0);
    struct segment rst = fx_seg(EP_SERVER, TCP_RST, s->rcv_nxt, 0, 10);
    tcb_segment_arrives(s, &rst);
    ck_state(f, EP_SERVER, CLOSED);
    done(f);
}
END_TEST

/* Sender SWS avoidance (MUST-38): 1000 usable of a 4000 window, more
 * queued: nothing goes until the window opens or the persist timer
 * overrides. */
START_TEST(test_established_sender_sws)
{
    struct fx *f = slow_reader();
    struct tcb *c = &f->sim.tcb[EP_CLIENT];
    tcb_send(c, data, 3000);
    fx_run(f);
    ck_assert_uint_eq(c->snd_wnd, 1000);
    fx_clear(f);
    tcb_send(c, data, 2000);
    ck_assert_uint_eq(fx_count(f, EV_SEND), 0);
    ck_assert(c->persist_timer.armed);
    ck_assert(sim_advance_to_timer(&f->sim, 100));
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_ACK, C_ISS + 3001, S_ISS + 1, 1000);
    done(f);
}
END_TEST

/* autoread on again: what waits is read, the window is whole again. */
START_TEST(test_established_autoread_on_again)
{
    struct fx *f = slow_reader();
    struct tcb *s = &f->sim.tcb[EP_SERVER];
    tcb_send(&f->sim.tcb[EP_CLIENT], data, 4000);
    fx_run(f);
    fx_clear(f);
    tcb_set_autoread(s, true);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 1);
    ck_assert_uint_eq(s->rcv_wnd, 4000);
    ck_assert_uint_eq(fx_count(f, EV_SEND), 1);
    done(f);
}
END_TEST

/* A FIN that went out as the last data filled the window is refused at
 * the zero window (3.10.7.4 first: it occupies sequence space), but each
 * retransmission is acknowledged: it probes the window, and the
 * connection stays open as long as the probes are answered (3.8.6.1,
 * MUST-37), however long the application takes to read.  Reading then
 * lets the FIN in. */
START_TEST(test_fin_wait_1_timeout_zero_window)
{
    struct fx *f = slow_reader();
    struct tcb *c = &f->sim.tcb[EP_CLIENT], *s = &f->sim.tcb[EP_SERVER];
    tcb_send(c, data, 4000);
    ck_assert_int_eq(tcb_close(c), 0);
    fx_run(f);
    ck_assert_uint_eq(c->snd_wnd, 0);
    ck_state(f, EP_CLIENT, FIN_WAIT_1);
    fx_clear(f);
    sim_advance(&f->sim, 600000, 1000);            /* 10 minutes, 6 retries is 127 s */
    ck_state(f, EP_CLIENT, FIN_WAIT_1);
    ck_assert_uint_eq(fx_count(f, EV_SIGNAL), 0);
    const struct segment *out[32];
    size_t n = fx_sent(f, out, 32);
    ck_assert_uint_ge(n, 2);
    ck_assert_ptr_nonnull(strstr(out[n - 2]->why, "MUST-37"));   /* explain says why */
    ck_assert_int_eq(tcb_read(s, 0), 0);
    sim_advance(&f->sim, 130000, 1000);            /* the next retransmission */
    ck_state(f, EP_SERVER, CLOSE_WAIT);
    ck_state(f, EP_CLIENT, FIN_WAIT_2);
    done(f);
}
END_TEST

/* ...but a peer that stops answering is given up as usual. */
START_TEST(test_fin_wait_1_timeout_zero_window_silent)
{
    struct fx *f = slow_reader();
    struct tcb *c = &f->sim.tcb[EP_CLIENT];
    tcb_send(c, data, 4000);
    ck_assert_int_eq(tcb_close(c), 0);
    fx_run(f);
    ck_assert_uint_eq(c->snd_wnd, 0);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    sim_advance(&f->sim, 600000, 1000);
    ck_state(f, EP_CLIENT, CLOSED);
    done(f);
}
END_TEST

Suite *window_suite(void)
{
    Suite *s = suite_create("window");
    TCase *tc = tcase_create("flow control");
    tcase_add_test(tc, test_established_data_autoread_off);
    tcase_add_test(tc, test_established_read_window_update);
    tcase_add_test(tc, test_established_read_nothing);
    tcase_add_test(tc, test_established_zero_window_probe_backoff);
    tcase_add_test(tc, test_established_zero_window_reopens);
    tcase_add_test(tc, test_established_probe_taken);
    tcase_add_test(tc, test_established_ack_at_zero_window);
    tcase_add_test(tc, test_established_rst_at_zero_window);
    tcase_add_test(tc, test_established_sender_sws);
    tcase_add_test(tc, test_established_autoread_on_again);
    tcase_add_test(tc, test_fin_wait_1_timeout_zero_window);
    tcase_add_test(tc, test_fin_wait_1_timeout_zero_window_silent);
    suite_add_tcase(s, tc);
    return s;
}
