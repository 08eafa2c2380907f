/* test_syn_text.c - text (and a FIN) on a SYN is queued and delivered
 * once the connection is ESTABLISHED (RFC 9293 3.10.7.2 third, 3.10.7.3
 * fourth); the SYN,ACK acknowledges the SYN alone. */
#include <string.h>

#include "fixture.h"

static const uint8_t hello[] = "hello, SYN";

static struct segment syn_with_text(enum endpoint_id to, uint8_t flags, seq_t seq, seq_t ack)
{
    struct segment s = fx_seg(to, flags, seq, ack, 10);
    s.data = hello;
    return s;
}

START_TEST(test_listen_syn_text)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct tcb *t = &f->sim.tcb[EP_SERVER];
    tcb_open_passive(t);
    struct segment syn = syn_with_text(EP_SERVER, TCP_SYN, 1000, 0);
    tcb_segment_arrives(t, &syn);
    ck_state(f, EP_SERVER, SYN_RECEIVED);
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_SYN | TCP_ACK, S_ISS, 1001, 0);     /* the SYN alone */
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 0);
    fx_clear(f);
    struct segment ack = fx_seg(EP_SERVER, TCP_ACK, 1001, S_ISS + 1, 0);
    tcb_segment_arrives(t, &ack);
    ck_state(f, EP_SERVER, ESTABLISHED);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 1);
    for (size_t i = 0; i < f->n; i++)
        if (f->ev[i].type == EV_RECEIVE)
            ck_assert_uint_eq(f->ev[i].len, 10);     /* its bytes are valid only during the event */
    ck_assert_uint_eq(t->rcv_nxt, 1011);
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_ACK, S_ISS + 1, 1011, 0);
    /* the sender's retransmission of the text is a duplicate now */
    fx_clear(f);
    struct segment again = syn_with_text(EP_SERVER, TCP_ACK | TCP_PSH, 1001, S_ISS + 1);
    tcb_segment_arrives(t, &again);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 0);
    ck_assert_uint_eq(t->rcv_nxt, 1011);
    fx_free(f);
    free(f);
}
END_TEST

START_TEST(test_listen_syn_text_fin)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct tcb *t = &f->sim.tcb[EP_SERVER];
    tcb_open_passive(t);
    struct segment syn = syn_with_text(EP_SERVER, TCP_SYN | TCP_FIN, 1000, 0);
    tcb_segment_arrives(t, &syn);
    struct segment ack = fx_seg(EP_SERVER, TCP_ACK, 1001, S_ISS + 1, 0);
    tcb_segment_arrives(t, &ack);
    ck_state(f, EP_SERVER, CLOSE_WAIT);
    ck_assert_uint_eq(t->rcv_nxt, 1012);
    fx_free(f);
    free(f);
}
END_TEST

/* Simultaneous open: the peer's SYN carries text; it waits in
 * SYN-RECEIVED and is delivered when our SYN is acknowledged. */
START_TEST(test_syn_sent_syn_text)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct tcb *t = &f->sim.tcb[EP_CLIENT];
    tcb_open_active(t);
    fx_clear(f);
    struct segment syn = syn_with_text(EP_CLIENT, TCP_SYN, 5000, 0);
    tcb_segment_arrives(t, &syn);
    ck_state(f, EP_CLIENT, SYN_RECEIVED);
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_SYN | TCP_ACK, C_ISS, 5001, 0);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 0);
    fx_clear(f);
    struct segment ack = fx_seg(EP_CLIENT, TCP_ACK, 5001, C_ISS + 1, 0);
    tcb_segment_arrives(t, &ack);
    ck_state(f, EP_CLIENT, ESTABLISHED);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 1);
    ck_assert_uint_eq(t->rcv_nxt, 5011);
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_ACK, C_ISS + 1, 5011, 0);
    fx_free(f);
    free(f);
}
END_TEST

/* The same, completed by the crossed SYN,ACK (RFC 9293 Figure 7). */
START_TEST(test_syn_received_active_syn_ack_delivers_syn_text)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct tcb *t = &f->sim.tcb[EP_CLIENT];
    tcb_open_active(t);
    struct segment syn = syn_with_text(EP_CLIENT, TCP_SYN, 5000, 0);
    tcb_segment_arrives(t, &syn);
    fx_clear(f);
    struct segment sa = fx_seg(EP_CLIENT, TCP_SYN | TCP_ACK, 5000, C_ISS + 1, 0);
    tcb_segment_arrives(t, &sa);
    ck_state(f, EP_CLIENT, ESTABLISHED);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 1);
    ck_assert_uint_eq(t->rcv_nxt, 5011);
    fx_free(f);
    free(f);
}
END_TEST

/* CLOSE in SYN-RECEIVED with nothing to send goes to FIN-WAIT-1 at once
 * (RFC 9293 3.10.4); the text the SYN brought still waits, and is
 * delivered when the ACK of our SYN arrives (3.10.7.2 third: "queued for
 * processing later"). */
START_TEST(test_syn_received_close_syn_text)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct tcb *t = &f->sim.tcb[EP_SERVER];
    tcb_open_passive(t);
    struct segment syn = syn_with_text(EP_SERVER, TCP_SYN, 1000, 0);
    tcb_segment_arrives(t, &syn);
    ck_assert_int_eq(tcb_close(t), 0);
    ck_state(f, EP_SERVER, FIN_WAIT_1);
    fx_clear(f);
    struct segment ack = fx_seg(EP_SERVER, TCP_ACK, 1001, S_ISS + 1, 0);
    tcb_segment_arrives(t, &ack);
    ck_state(f, EP_SERVER, FIN_WAIT_1);
    ck_assert_uint_eq(fx_count(f, EV_RECEIVE), 1);
    ck_assert_uint_eq(t->rcv_nxt, 1011);
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);
    ck_seg(out[0], TCP_ACK, S_ISS + 2, 1011, 0);
    /* the peer's FIN, acknowledging ours too: TIME-WAIT */
    struct segment fin = fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, 1011, S_ISS + 2, 0);
    tcb_segment_arrives(t, &fin);
    ck_state(f, EP_SERVER, TIME_WAIT);
    fx_free(f);
    free(f);
}
END_TEST

/* The same with a FIN on the SYN: the ACK of our SYN alone leaves the
 * peer's FIN processed in FIN-WAIT-1: CLOSING (3.10.7.4 eighth). */
START_TEST(test_syn_received_close_syn_text_fin)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct tcb *t = &f->sim.tcb[EP_SERVER];
    tcb_open_passive(t);
    struct segment syn = syn_with_text(EP_SERVER, TCP_SYN | TCP_FIN, 1000, 0);
    tcb_segment_arrives(t, &syn);
    ck_assert_int_eq(tcb_close(t), 0);
    fx_clear(f);
    struct segment ack = fx_seg(EP_SERVER, TCP_ACK, 1001, S_ISS + 1, 0);
    tcb_segment_arrives(t, &ack);
    ck_state(f, EP_SERVER, CLOSING);
    ck_assert_uint_eq(t->rcv_nxt, 1012);
    const struct segment *out[4];
    ck_assert_uint_eq(fx_sent(f, out, 4), 1);     /* the FIN is acknowledged */
    ck_seg(out[0], TCP_ACK, S_ISS + 2, 1012, 0);
    fx_free(f);
    free(f);
}
END_TEST

Suite *syn_text_suite(void)
{
    Suite *s = suite_create("syn text");
    TCase *tc = tcase_create("text on a SYN");
    tcase_add_test(tc, test_listen_syn_text);
    tcase_add_test(tc, test_listen_syn_text_fin);
    tcase_add_test(tc, test_syn_sent_syn_text);
    tcase_add_test(tc, test_syn_received_active_syn_ack_delivers_syn_text);
    tcase_add_test(tc, test_syn_received_close_syn_text);
    tcase_add_test(tc, test_syn_received_close_syn_text_fin);
    suite_add_tcase(s, tc);
    return s;
}
