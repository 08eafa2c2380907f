/* test_transcript.c - the transcript's pieces a class reads (issue 12):
 * the textbook step of each segment, sequence numbers in each numbering,
 * and text measured by display width with control bytes escaped. */
#include <string.h>

#include "render/ladder.h"
#include "render/steps.h"
#include "render/text.h"
#include "fixture.h"

/* A segment of the connection, client ISS 100, server ISS 300. */
static struct segment seg_of(enum endpoint_id src, uint8_t flags, seq_t seq, seq_t ack)
{
    return (struct segment){ .src = src, .flags = flags, .seq = seq, .ack = ack, .wnd = 65535 };
}

static const char *step(struct steps *st, enum endpoint_id src, uint8_t flags, seq_t seq, seq_t ack)
{
    struct segment g = seg_of(src, flags, seq, ack);
    const char *l = steps_label(st, &g);
    return l ? l : "-";
}

static void handshake(struct steps *st)
{
    ck_assert_str_eq(step(st, EP_CLIENT, TCP_SYN, 100, 0), "1/3");
    ck_assert_str_eq(step(st, EP_SERVER, TCP_SYN | TCP_ACK, 300, 101), "2/3");
    ck_assert_str_eq(step(st, EP_CLIENT, TCP_ACK, 101, 301), "3/3");
    ck_assert_str_eq(step(st, EP_CLIENT, TCP_ACK | TCP_PSH, 101, 301), "-");     /* data: no step */
}

START_TEST(test_steps_normal_close)
{
    struct steps st;
    steps_reset(&st);
    handshake(&st);
    ck_assert_str_eq(step(&st, EP_CLIENT, TCP_FIN | TCP_ACK, 101, 301), "1/4");
    ck_assert_str_eq(step(&st, EP_SERVER, TCP_ACK, 301, 102), "2/4");
    ck_assert_str_eq(step(&st, EP_SERVER, TCP_FIN | TCP_ACK, 301, 102), "3/4");
    ck_assert_str_eq(step(&st, EP_CLIENT, TCP_ACK, 102, 302), "4/4");
    ck_assert_str_eq(step(&st, EP_CLIENT, TCP_ACK, 102, 302), "-");   /* TIME-WAIT's re-ACK */
}
END_TEST

START_TEST(test_steps_merged_fin_ack)
{
    /* the server's FIN,ACK acknowledges the client's FIN: 2+3/4 */
    struct steps st;
    steps_reset(&st);
    handshake(&st);
    ck_assert_str_eq(step(&st, EP_CLIENT, TCP_FIN | TCP_ACK, 101, 301), "1/4");
    ck_assert_str_eq(step(&st, EP_SERVER, TCP_FIN | TCP_ACK, 301, 102), "2+3/4");
    ck_assert_str_eq(step(&st, EP_CLIENT, TCP_ACK, 102, 302), "4/4");
}
END_TEST

START_TEST(test_steps_simultaneous_close)
{
    /* the FINs cross (neither ACKs the other's): 1/4 and 3/4, then each
     * ACK counts for the FIN it acknowledges */
    struct steps st;
    steps_reset(&st);
    handshake(&st);
    ck_assert_str_eq(step(&st, EP_CLIENT, TCP_FIN | TCP_ACK, 101, 301), "1/4");
    ck_assert_str_eq(step(&st, EP_SERVER, TCP_FIN | TCP_ACK, 301, 101), "3/4");
    ck_assert_str_eq(step(&st, EP_SERVER, TCP_ACK, 302, 102), "2/4");
    ck_assert_str_eq(step(&st, EP_CLIENT, TCP_ACK, 102, 302), "4/4");
}
END_TEST

START_TEST(test_steps_retransmission_and_open)
{
    struct steps st;
    steps_reset(&st);
    struct segment syn = seg_of(EP_CLIENT, TCP_SYN, 100, 0);
    ck_assert_str_eq(steps_label(&st, &syn), "1/3");
    syn.retransmit = true;
    ck_assert_str_eq(steps_label(&st, &syn), "1/3");
    /* a crossing SYN: a simultaneous open has no three-way count */
    ck_assert_str_eq(step(&st, EP_SERVER, TCP_SYN, 300, 0), "-");
    ck_assert_str_eq(step(&st, EP_SERVER, TCP_SYN | TCP_ACK, 300, 101), "-");
    ck_assert_str_eq(step(&st, EP_CLIENT, TCP_RST, 101, 0), "-");
}
END_TEST

START_TEST(test_numbers_each_mode)
{
    struct ladder l;
    char buf[32];
    seq_t v;
    ladder_init(&l, stdout);
    l.has_isn[EP_CLIENT] = true;
    l.isn[EP_CLIENT] = 4294967290u;             /* wraps: x+10 is 4 */
    ck_assert_str_eq(ladder_number(&l, EP_CLIENT, 4, buf, sizeof buf), "4");
    ck_assert_str_eq(ladder_number(&l, EP_SERVER, 7, buf, sizeof buf), "7");   /* no ISN seen yet */
    l.numbers = NUMBERS_RELATIVE;
    ck_assert_str_eq(ladder_number(&l, EP_CLIENT, 4, buf, sizeof buf), "10");
    ck_assert_str_eq(ladder_number(&l, EP_CLIENT, 4294967280u, buf, sizeof buf), "-10");
    l.numbers = NUMBERS_SYMBOLIC;
    ck_assert_str_eq(ladder_number(&l, EP_CLIENT, 4294967290u, buf, sizeof buf), "x");
    ck_assert_str_eq(ladder_number(&l, EP_CLIENT, 4, buf, sizeof buf), "x+10");
    ck_assert_str_eq(ladder_number(&l, EP_CLIENT, 4294967289u, buf, sizeof buf), "x-1");
    strcpy(l.letter[EP_CLIENT], "J");
    ck_assert(ladder_parse_number(&l, "J+10", &v));
    ck_assert_uint_eq(v, 4);
    ck_assert(ladder_parse_number(&l, "J-1", &v));
    ck_assert_uint_eq(v, 4294967289u);
    ck_assert(ladder_parse_number(&l, "12", &v));
    ck_assert_uint_eq(v, 12);
    ck_assert(!ladder_parse_number(&l, "K+1", &v));        /* the server's ISN is not known */
    ck_assert(!ladder_parse_number(&l, "J+", &v));
    ck_assert(!ladder_parse_number(&l, "4294967296", &v));
}
END_TEST

START_TEST(test_text_width_cjk)
{
    ck_assert_int_eq(text_width("abc"), 3);
    ck_assert_int_eq(text_width("你好"), 4);
    ck_assert_int_eq(text_width("，"), 2);                 /* fullwidth comma */
    ck_assert_int_eq(text_width("e\xcc\x81"), 1);          /* e + combining acute */
    ck_assert_int_eq(text_width("\x1b"), 4);               /* drawn as \x1b */
}
END_TEST

START_TEST(test_text_escape_control_bytes)
{
    char buf[64];
    const char in[] = "a\x1b[2J\x7f\xc2\x9b\xff\"";
    text_escape(in, strlen(in), buf, sizeof buf, -1, false);
    ck_assert_str_eq(buf, "a\\x1b[2J\\x7f\\xc2\\x9b\\xff\"");  /* C1 CSI too, and a stray byte */
    text_escape(in, strlen(in), buf, sizeof buf, -1, true);
    ck_assert_str_eq(buf, "a\\x1b[2J\\x7f\\xc2\\x9b\\xff\\x22");
    ck_assert_ptr_null(strchr(buf, '\x1b'));
}
END_TEST

START_TEST(test_text_never_cuts_a_character)
{
    char buf[64];
    /* 5 columns: two CJK characters, never half of the third */
    size_t took = text_escape("你好世界", strlen("你好世界"), buf, sizeof buf, 5, true);
    ck_assert_str_eq(buf, "你好");
    ck_assert_uint_eq(took, 6);
    ck_assert_int_eq(text_fit("你好世界", 5, false), 6);
    /* word wrap breaks at a blank, or beside a CJK character, not before ， */
    ck_assert_int_eq(text_fit("hello world", 8, true), 5);
    ck_assert_int_eq(text_fit("你好，世界", 5, true), 3);
    /* nor before an ASCII closing mark after Chinese: 步 goes down with its ")" */
    ck_assert_int_eq(text_fit("a 第五步) b", 8, true), (int)strlen("a 第五"));
}
END_TEST

Suite *transcript_suite(void)
{
    Suite *s = suite_create("transcript");
    TCase *tc = tcase_create("transcript");
    tcase_add_test(tc, test_steps_normal_close);
    tcase_add_test(tc, test_steps_merged_fin_ack);
    tcase_add_test(tc, test_steps_simultaneous_close);
    tcase_add_test(tc, test_steps_retransmission_and_open);
    tcase_add_test(tc, test_numbers_each_mode);
    tcase_add_test(tc, test_text_width_cjk);
    tcase_add_test(tc, test_text_escape_control_bytes);
    tcase_add_test(tc, test_text_never_cuts_a_character);
    suite_add_tcase(s, tc);
    return s;
}
