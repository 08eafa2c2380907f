/* test_closing.c - data and a FIN queued behind CLOSE go out in every
 * state that may still send (RFC 9293 3.10.4), CLOSING and LAST-ACK
 * included, with the retransmission timer armed. */
#include <string.h>

#include "fixture.h"

static const uint8_t hundred[100];

/* Server: SYN-RECEIVED with 100 octets and a CLOSE queued; the client's
 * third segment is lost and its FIN,ACK arrives: simultaneous close. */
static void queued_close_in_syn_received(struct fx *f)
{
    struct sim *s = &f->sim;
    tcb_open_passive(&s->tcb[EP_SERVER]);
    tcb_open_active(&s->tcb[EP_CLIENT]);
    sim_deliver(s, s->chan.fl[0].id);                       /* SYN */
    ck_assert_int_eq(tcb_send(&s->tcb[EP_SERVER], hundred, sizeof hundred), 0);
    ck_assert_int_eq(tcb_close(&s->tcb[EP_SERVER]), 0);
    ck_state(f, EP_SERVER, SYN_RECEIVED);
    sim_deliver(s, s->chan.fl[0].id);                       /* SYN,ACK */
    ck_state(f, EP_CLIENT, ESTABLISHED);
    sim_drop(s, s->chan.fl[0].id);                          /* the third segment */
    tcb_close(&s->tcb[EP_CLIENT]);
    fx_clear(f);
    sim_deliver(s, s->chan.fl[0].id);                       /* the client's FIN,ACK */
}

START_TEST(test_closing_fin_sends_queued_data)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    queued_close_in_syn_received(f);
    ck_state(f, EP_SERVER, CLOSING);
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 2);
    ck_seg(out[0], TCP_PSH | TCP_ACK, S_ISS + 1, C_ISS + 2, 100);
    ck_seg(out[1], TCP_FIN | TCP_ACK, S_ISS + 101, C_ISS + 2, 0);
    ck_assert(f->sim.tcb[EP_SERVER].rtx_timer.armed);
    fx_run(f);
    ck_assert_uint_eq(f->sim.tcb[EP_CLIENT].bytes_received, 100);
    ck_state(f, EP_CLIENT, TIME_WAIT);
    ck_state(f, EP_SERVER, TIME_WAIT);
    fx_free(f);
    free(f);
}
END_TEST

/* The same with a 50-octet window: the ACK of the first half arrives in
 * CLOSING without covering our FIN, and must still send the rest. */
START_TEST(test_closing_ack_sends_queued_data)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.cfg.window = 50;
    queued_close_in_syn_received(f);
    ck_state(f, EP_SERVER, CLOSING);
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_ACK, S_ISS + 1, C_ISS + 2, 50);
    sim_deliver(&f->sim, f->sim.chan.fl[0].id);             /* 50 octets */
    ck_state(f, EP_CLIENT, FIN_WAIT_2);
    fx_clear(f);
    sim_deliver(&f->sim, f->sim.chan.fl[0].id);             /* their ACK */
    ck_state(f, EP_SERVER, CLOSING);
    ck_assert_uint_eq(fx_sent(f, out, 4), 2);
    ck_seg(out[0], TCP_PSH | TCP_ACK, S_ISS + 51, C_ISS + 2, 50);
    ck_seg(out[1], TCP_FIN | TCP_ACK, S_ISS + 101, C_ISS + 2, 0);
    ck_assert(f->sim.tcb[EP_SERVER].rtx_timer.armed);
    fx_run(f);
    ck_assert_uint_eq(f->sim.tcb[EP_CLIENT].bytes_received, 100);
    ck_state(f, EP_SERVER, TIME_WAIT);
    fx_free(f);
    free(f);
}
END_TEST

/* LAST-ACK: CLOSE in CLOSE-WAIT behind 100 octets and a 50-octet window. */
START_TEST(test_last_ack_ack_sends_queued_data)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.cfg.window = 50;
    struct sim *s = &f->sim;
    tcb_open_passive(&s->tcb[EP_SERVER]);
    tcb_open_active(&s->tcb[EP_CLIENT]);
    fx_run(f);
    tcb_close(&s->tcb[EP_CLIENT]);
    fx_run(f);
    ck_state(f, EP_SERVER, CLOSE_WAIT);
    tcb_send(&s->tcb[EP_SERVER], hundred, sizeof hundred);
    tcb_close(&s->tcb[EP_SERVER]);
    ck_state(f, EP_SERVER, LAST_ACK);
    fx_clear(f);
    sim_deliver(s, s->chan.fl[0].id);                       /* 50 octets */
    sim_deliver(s, s->chan.fl[0].id);                       /* their ACK */
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 3);
    ck_seg(out[1], TCP_PSH | TCP_ACK, S_ISS + 51, C_ISS + 2, 50);
    ck_seg(out[2], TCP_FIN | TCP_ACK, S_ISS + 101, C_ISS + 2, 0);
    ck_assert(s->tcb[EP_SERVER].rtx_timer.armed);
    fx_run(f);
    ck_state(f, EP_SERVER, CLOSED);
    ck_assert_uint_eq(s->tcb[EP_CLIENT].bytes_received, 100);
    fx_free(f);
    free(f);
}
END_TEST

Suite *closing_suite(void)
{
    Suite *s = suite_create("closing");
    TCase *tc = tcase_create("queued CLOSE");
    tcase_add_test(tc, test_closing_fin_sends_queued_data);
    tcase_add_test(tc, test_closing_ack_sends_queued_data);
    tcase_add_test(tc, test_last_ack_ack_sends_queued_data);
    suite_add_tcase(s, tc);
    return s;
}
