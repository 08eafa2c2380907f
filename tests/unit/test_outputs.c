/* test_outputs.c - the JSON Lines and pcap renderers, event by event:
 * the exact object SPEC section 5 gives for each kind of event, and the
 * IPv4/TCP header layout and checksums of a captured packet. */
#include <stdlib.h>
#include <string.h>

#include "render/capture.h"
#include "render/jsonlog.h"
#include "fixture.h"

/* The line jsonlog writes for one event. */
static char *json_of(const struct event *ev)
{
    char *buf = NULL;
    size_t len = 0;
    struct jsonlog jl = { .f = open_memstream(&buf, &len), .close_f = true };
    ck_assert_ptr_nonnull(jl.f);
    jsonlog_event(&jl, ev, ev->type == EV_SEND && ev->seg->retransmit);
    jsonlog_close(&jl);
    return buf;
}

START_TEST(test_json_send)
{
    /* SPEC 5: a SYN,ACK retransmitted by the server: flags in Wireshark
     * order, absolute seq/ack, the transcript's id. */
    struct segment g = { .id = 7, .src = EP_SERVER, .sport = 80, .dport = 40000, .seq = 4294967290u, .ack = 101,
                         .flags = TCP_SYN | TCP_ACK, .wnd = 65535, .retransmit = true };
    struct event ev = { .type = EV_SEND, .t = 1050, .seg = &g };
    char *line = json_of(&ev);
    ck_assert_str_eq(line, "{\"t\":1050,\"type\":\"send\",\"id\":7,\"src\":\"server\",\"dst\":\"client\","
                           "\"flags\":[\"SYN\",\"ACK\"],\"seq\":4294967290,\"ack\":101,\"len\":0,"
                           "\"win\":65535,\"retransmit\":true,\"origin\":\"tcb\",\"sport\":80,\"dport\":40000}\n");
    free(line);
}
END_TEST

START_TEST(test_json_other_events)
{
    struct segment g = { .id = 4 };
    struct event drop = { .type = EV_DROP, .t = 50, .seg = &g, .drop_reason = DROP_LOSS };
    struct event state = { .type = EV_STATE, .t = 0, .ep = EP_CLIENT, .from = CLOSED,
                           .to = SYN_SENT, .why = "say \"why\"" };
    struct event timer = { .type = EV_TIMER, .t = 60050, .ep = EP_SERVER, .timer = TIMER_TIME_WAIT };
    struct event err = { .type = EV_ERROR, .message = "not logged twice" };
    char *a = json_of(&drop), *b = json_of(&state), *c = json_of(&timer), *d = json_of(&err);
    ck_assert_str_eq(a, "{\"t\":50,\"type\":\"drop\",\"id\":4,\"reason\":\"loss\"}\n");
    ck_assert_str_eq(b, "{\"t\":0,\"type\":\"state\",\"ep\":\"client\",\"from\":\"CLOSED\",\"to\":\"SYN-SENT\","
                        "\"why\":\"say \\\"why\\\"\"}\n");
    ck_assert_str_eq(c, "{\"t\":60050,\"type\":\"timer\",\"ep\":\"server\",\"timer\":\"time-wait\"}\n");
    ck_assert_str_eq(d, "");
    free(a); free(b); free(c); free(d);
}
END_TEST

START_TEST(test_json_error_not_utf8)
{
    char *buf = NULL;
    size_t len = 0;
    struct jsonlog jl = { .f = open_memstream(&buf, &len), .close_f = true };
    jsonlog_error(&jl, 3, "unknown command 'a\xff\xfe'");
    jsonlog_expect(&jl, 3, 12, true);
    jsonlog_close(&jl);
    ck_assert_str_eq(buf, "{\"t\":3,\"type\":\"error\",\"message\":\"unknown command 'a?\?'\"}\n"
                          "{\"t\":3,\"type\":\"expect\",\"line\":12,\"ok\":true}\n");
    free(buf);
}
END_TEST

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

START_TEST(test_capture_packet)
{
    /* An odd payload length exercises the checksum's last byte. */
    const uint8_t data[5] = "hello";
    struct segment g = { .id = 3, .src = EP_CLIENT, .sport = 40000, .dport = 80, .seq = 0xfffffffa,
                         .ack = 301, .flags = TCP_PSH | TCP_ACK, .wnd = 1000, .len = 5, .data = data };
    uint8_t buf[64];
    size_t n = capture_packet(&g, buf);
    ck_assert_uint_eq(n, 45);
    ck_assert_uint_eq(buf[0], 0x45);
    ck_assert_uint_eq((unsigned)buf[2] << 8 | buf[3], 45);         /* total length */
    ck_assert_uint_eq(buf[9], 6);                                  /* TCP */
    ck_assert_uint_eq(get32(buf + 12), CAPTURE_CLIENT_ADDR);
    ck_assert_uint_eq(get32(buf + 16), CAPTURE_SERVER_ADDR);
    ck_assert_uint_eq(capture_checksum(buf, 20, 0), 0);            /* a valid header sums to 0 */
    const uint8_t *tcp = buf + 20;
    ck_assert_uint_eq((unsigned)tcp[0] << 8 | tcp[1], 40000);
    ck_assert_uint_eq((unsigned)tcp[2] << 8 | tcp[3], 80);
    ck_assert_uint_eq(get32(tcp + 4), 0xfffffffa);
    ck_assert_uint_eq(get32(tcp + 8), 301);
    ck_assert_uint_eq(tcp[12], 0x50);
    ck_assert_uint_eq(tcp[13], 0x18);
    ck_assert_uint_eq((unsigned)tcp[14] << 8 | tcp[15], 1000);
    ck_assert_mem_eq(tcp + 20, "hello", 5);
    /* RFC 9293 3.1: over the pseudo-header and segment, a valid checksum sums to 0. */
    uint32_t pseudo = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 25;
    ck_assert_uint_eq(capture_checksum(tcp, 25, pseudo), 0);
    /* The server's segments go the other way. */
    g.src = EP_SERVER;
    g.data = NULL;                      /* an injected segment: zero bytes */
    capture_packet(&g, buf);
    ck_assert_uint_eq(get32(buf + 12), CAPTURE_SERVER_ADDR);
    ck_assert_mem_eq(buf + 40, "\0\0\0\0\0", 5);
}
END_TEST

START_TEST(test_checksum_rfc1071)
{
    /* RFC 1071 section 3's example: the sum of 00 01 f2 03 f4 f5 f6 f7 is
     * ddf2, so the checksum is its complement. */
    const uint8_t b[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    ck_assert_uint_eq(capture_checksum(b, 8, 0), (uint16_t)~0xddf2);
}
END_TEST

Suite *outputs_suite(void)
{
    Suite *s = suite_create("outputs");
    TCase *tc = tcase_create("outputs");
    tcase_add_test(tc, test_json_send);
    tcase_add_test(tc, test_json_other_events);
    tcase_add_test(tc, test_json_error_not_utf8);
    tcase_add_test(tc, test_capture_packet);
    tcase_add_test(tc, test_checksum_rfc1071);
    suite_add_tcase(s, tc);
    return s;
}
