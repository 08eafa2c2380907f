/* test_mss.c - the MSS option (RFC 9293 3.7.1): every SYN and SYN,ACK
 * carries <mss N>; the send MSS is the smaller of ours and the peer's,
 * 536 when the peer's SYN had none (MUST-14, MUST-15); the capture holds
 * it as a real TCP option. */
#include <string.h>

#include "fixture.h"
#include "render/capture.h"

static const uint8_t data[4000];

/* The server in LISTEN gets a SYN with option mss (0: none), answers,
 * the handshake completes, and it sends 3000 octets: their sizes. */
static void server_sends_after_syn(struct fx *f, uint16_t mss, uint32_t *sizes, size_t *n)
{
    struct sim *s = &f->sim;
    struct tcb *t = &s->tcb[EP_SERVER];
    tcb_open_passive(t);
    struct segment syn = fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0);
    syn.mss = mss;
    tcb_segment_arrives(t, &syn);
    const struct segment *out[8];
    ck_assert_uint_eq(fx_sent(f, out, 8), 1);
    ck_seg(out[0], TCP_SYN | TCP_ACK, S_ISS, 1001, 0);
    ck_assert_uint_eq(out[0]->mss, f->sim.cfg.mss);     /* ours, whatever the peer's */
    struct segment ack = fx_seg(EP_SERVER, TCP_ACK, 1001, S_ISS + 1, 0);
    tcb_segment_arrives(t, &ack);
    ck_state(f, EP_SERVER, ESTABLISHED);
    fx_clear(f);
    tcb_send(t, data, 3000);
    size_t k = fx_sent(f, out, 8);
    for (size_t i = 0; i < k; i++)
        sizes[i] = out[i]->len;
    *n = k;
}

START_TEST(test_listen_syn_mss_smaller)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    uint32_t sizes[8];
    size_t n;
    server_sends_after_syn(f, 1000, sizes, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(sizes[0], 1000);
    ck_assert_uint_eq(sizes[2], 1000);
    fx_free(f);
    free(f);
}
END_TEST

START_TEST(test_listen_syn_no_mss)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    uint32_t sizes[8];
    size_t n;
    server_sends_after_syn(f, 0, sizes, &n);     /* MUST-15: assume 536 */
    ck_assert_uint_eq(n, 6);
    ck_assert_uint_eq(sizes[0], 536);
    ck_assert_uint_eq(sizes[5], 3000 - 5 * 536);
    fx_free(f);
    free(f);
}
END_TEST

START_TEST(test_listen_syn_mss_larger_than_ours)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.cfg.mss = 1200;
    uint32_t sizes[8];
    size_t n;
    server_sends_after_syn(f, 9000, sizes, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(sizes[0], 1200);
    fx_free(f);
    free(f);
}
END_TEST

/* The active side: its SYN carries our MSS, the SYN,ACK's option limits
 * what it sends. */
START_TEST(test_syn_sent_syn_ack_mss)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.cfg.mss = 1400;
    struct tcb *t = &f->sim.tcb[EP_CLIENT];
    tcb_open_active(t);
    const struct segment *out[8];
    ck_assert_uint_eq(fx_sent(f, out, 8), 1);
    ck_assert_uint_eq(out[0]->mss, 1400);
    struct segment sa = fx_seg(EP_CLIENT, TCP_SYN | TCP_ACK, 5000, C_ISS + 1, 0);
    sa.mss = 700;
    tcb_segment_arrives(t, &sa);
    ck_state(f, EP_CLIENT, ESTABLISHED);
    ck_assert_uint_eq(tcb_snd_mss(t), 700);
    fx_clear(f);
    tcb_send(t, data, 1500);
    ck_assert_uint_eq(fx_sent(f, out, 8), 3);
    ck_assert_uint_eq(out[0]->len, 700);
    ck_assert_uint_eq(out[0]->mss, 0);       /* only SYNs carry it */
    ck_assert_uint_eq(out[2]->len, 100);
    fx_free(f);
    free(f);
}
END_TEST

/* A retransmitted SYN carries the option again; a RST never does. */
START_TEST(test_syn_sent_timeout_syn_keeps_mss)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    tcb_open_active(&f->sim.tcb[EP_CLIENT]);
    sim_drop(&f->sim, f->sim.chan.fl[0].id);
    fx_clear(f);
    ck_assert(sim_advance_to_timer(&f->sim, 10));
    const struct segment *out[8];
    ck_assert_uint_eq(fx_sent(f, out, 8), 1);
    ck_assert(out[0]->retransmit);
    ck_assert_uint_eq(out[0]->mss, 1460);
    fx_free(f);
    free(f);
}
END_TEST

/* The capture: data offset 6 and the option <kind 2, length 4, MSS>. */
START_TEST(test_capture_syn_mss_option)
{
    static uint8_t buf[65535];
    struct segment syn = fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0);
    syn.mss = 1460;
    size_t n = capture_packet(&syn, buf);
    ck_assert_uint_eq(n, 44);
    ck_assert_uint_eq(buf[20 + 12] >> 4, 6);
    ck_assert_uint_eq(buf[40], 2);
    ck_assert_uint_eq(buf[41], 4);
    ck_assert_uint_eq(buf[42] << 8 | buf[43], 1460);
    /* the TCP checksum over header, option and pseudo-header comes out 0 */
    uint32_t pseudo = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 24;
    ck_assert_uint_eq(capture_checksum(buf + 20, 24, pseudo), 0);
    struct segment ack = fx_seg(EP_SERVER, TCP_ACK, 1001, 1, 0);
    ck_assert_uint_eq(capture_packet(&ack, buf), 40);
    ck_assert_uint_eq(buf[20 + 12] >> 4, 5);
}
END_TEST

Suite *mss_suite(void)
{
    Suite *s = suite_create("mss");
    TCase *tc = tcase_create("MSS option");
    tcase_add_test(tc, test_listen_syn_mss_smaller);
    tcase_add_test(tc, test_listen_syn_no_mss);
    tcase_add_test(tc, test_listen_syn_mss_larger_than_ours);
    tcase_add_test(tc, test_syn_sent_syn_ack_mss);
    tcase_add_test(tc, test_syn_sent_timeout_syn_keeps_mss);
    tcase_add_test(tc, test_capture_syn_mss_option);
    suite_add_tcase(s, tc);
    return s;
}
