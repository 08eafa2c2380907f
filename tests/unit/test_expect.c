/* test_expect.c - the expectations of SPEC section 4: the segment check
 * (flags, seq= ack= len= win= mss=) parsed and matched alone, and the
 * cursors of `expect next` and `expect none` through a session, with
 * what reset and undo do to them. */
#include <stdlib.h>
#include <string.h>

#include "cli/expect.h"
#include "cli/session.h"
#include "fixture.h"

START_TEST(test_seg_check_parse_fields)
{
    struct seg_check c;
    char err[EXPECT_ERRLEN];
    char *f[] = { "seq=300", "ACK=101", "win=1000", "mss=0" };
    ck_assert_int_eq(seg_check_parse(&c, NULL, "syn,ack", 4, f, err), 0);
    ck_assert_uint_eq(c.flags, TCP_SYN | TCP_ACK);
    ck_assert(c.has[SEGF_SEQ] && c.has[SEGF_ACK] && c.has[SEGF_WIN] && c.has[SEGF_MSS] && !c.has[SEGF_LEN]);
    ck_assert_uint_eq(c.want[SEGF_SEQ], 300);
    ck_assert_uint_eq(c.want[SEGF_ACK], 101);
    ck_assert_uint_eq(c.want[SEGF_WIN], 1000);
    ck_assert_uint_eq(c.want[SEGF_MSS], 0);
}
END_TEST

START_TEST(test_seg_check_parse_errors)
{
    struct seg_check c;
    char err[EXPECT_ERRLEN];
    char *unknown[] = { "sport=80" }, *twice[] = { "seq=1", "seq=2" }, *wide[] = { "win=65536" },
         *bad_mss[] = { "mss=x" };
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYNACK", 0, NULL, err), -1);
    ck_assert_str_eq(err, "bad flags 'SYNACK': write e.g. SYN, SYN,ACK, ACK, FIN,ACK, RST");
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYN", 1, unknown, err), -1);
    ck_assert_str_eq(err, "unknown field 'sport=80'; write seq=N, ack=N, len=N, win=N or mss=N (mss=0: no MSS option)");
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYN", 2, twice, err), -1);
    ck_assert_str_eq(err, "seq= is given twice; write each field once");
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYN", 1, wide, err), -1);
    ck_assert_str_eq(err, "win 65536 is too large: at most 65535");
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYN", 1, bad_mss, err), -1);
    ck_assert_str_eq(err, "bad mss 'x': write a whole number from 0 to 65535");
}
END_TEST

START_TEST(test_seg_check_match_each_field)
{
    struct seg_check c;
    char err[EXPECT_ERRLEN];
    char *f[] = { "seq=300", "ack=101", "len=0", "win=1000", "mss=1460" };
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYN,ACK", 5, f, err), 0);
    const struct segment good = { .id = 2, .src = EP_SERVER, .seq = 300, .ack = 101, .flags = TCP_SYN | TCP_ACK,
                                  .wnd = 1000, .mss = 1460 };
    ck_assert(seg_check_match(&c, &good));
    struct segment g = good;
    g.flags = TCP_SYN;
    ck_assert(!seg_check_match(&c, &g));
    g = good, g.seq = 301;
    ck_assert(!seg_check_match(&c, &g));
    g = good, g.ack = 102;
    ck_assert(!seg_check_match(&c, &g));
    g = good, g.len = 1;
    ck_assert(!seg_check_match(&c, &g));
    g = good, g.wnd = 65535;
    ck_assert(!seg_check_match(&c, &g));
    g = good, g.mss = 536;
    ck_assert(!seg_check_match(&c, &g));
    g = good, g.mss = 0;                        /* no option at all */
    ck_assert(!seg_check_match(&c, &g));
    char *none[] = { "mss=0" };
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYN,ACK", 1, none, err), 0);
    ck_assert(seg_check_match(&c, &g));
    ck_assert(!seg_check_match(&c, &good));
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYN,ACK", 0, NULL, err), 0);
    ck_assert(seg_check_match(&c, &g));         /* fields not named are not checked */
}
END_TEST

START_TEST(test_seg_check_describe)
{
    struct seg_check c;
    char err[EXPECT_ERRLEN], buf[200];
    const struct segment ack = { .id = 3, .seq = 101, .ack = 301, .flags = TCP_ACK, .wnd = 65535 };
    const struct segment data = { .id = 4, .seq = 101, .ack = 301, .flags = TCP_PSH | TCP_ACK, .len = 10,
                                  .wnd = 65535 };
    const struct segment syn = { .id = 1, .seq = 100, .flags = TCP_SYN, .wnd = 65535 };
    ck_assert_int_eq(seg_check_parse(&c, NULL, "ACK", 0, NULL, err), 0);
    seg_check_describe(&c, NULL, &ack, buf, sizeof buf);
    ck_assert_str_eq(buf, "#3 ACK seq=101 ack=301");
    seg_check_describe(&c, NULL, &data, buf, sizeof buf);
    ck_assert_str_eq(buf, "#4 PSH,ACK seq=101 ack=301 len=10");
    char *f[] = { "win=1000", "mss=1460", "ack=5" };
    ck_assert_int_eq(seg_check_parse(&c, NULL, "SYN", 3, f, err), 0);
    seg_check_describe(&c, NULL, &syn, buf, sizeof buf);
    ck_assert_str_eq(buf, "#1 SYN seq=100 ack=0 win=65535 no MSS option");
}
END_TEST

/* A session whose errors go to a buffer, set up for one handshake. */
struct xs {
    struct session s;
    FILE *out, *err;
    char *obuf, *ebuf;
    size_t olen, elen;
};

static void xs_init(struct xs *x)
{
    memset(x, 0, sizeof *x);
    x->out = open_memstream(&x->obuf, &x->olen);
    x->err = open_memstream(&x->ebuf, &x->elen);
    ck_assert(x->out && x->err);
    struct sim_config cfg;
    sim_config_default(&cfg);
    session_init(&x->s, &cfg, x->out, x->err);
    x->s.quiet = true;
    x->s.file = "t";
    ck_assert_int_eq(session_exec(&x->s, "set isn client 100"), 0);
    ck_assert_int_eq(session_exec(&x->s, "set isn server 300"), 0);
    ck_assert_int_eq(session_exec(&x->s, "server listen"), 0);
}

/* Run one line; its result, with the message it printed in msg. */
static int xs_run(struct xs *x, const char *line, char *msg, size_t n)
{
    long at = ftell(x->err);
    x->s.expect_failed = false;
    int rc = session_exec(&x->s, line);
    fflush(x->err);
    snprintf(msg, n, "%s", x->ebuf ? x->ebuf + at : "");
    msg[strcspn(msg, "\n")] = '\0';
    return rc;
}

static void xs_ok(struct xs *x, const char *line)
{
    char msg[300];
    ck_assert_msg(xs_run(x, line, msg, sizeof msg) == 0, "'%s' failed: %s", line, msg);
}

static void xs_fails(struct xs *x, const char *line, const char *want)
{
    char msg[300];
    ck_assert_msg(xs_run(x, line, msg, sizeof msg) == -1, "'%s' passed", line);
    ck_assert(x->s.expect_failed);
    ck_assert_str_eq(msg, want);
}

static void xs_free(struct xs *x)
{
    session_free(&x->s);
    fclose(x->out);
    fclose(x->err);
    free(x->obuf);
    free(x->ebuf);
}

START_TEST(test_expect_next_takes_in_order)
{
    struct xs x;
    xs_init(&x);
    xs_ok(&x, "client connect");    /* #1 SYN, #2 SYN,ACK, #3 ACK */
    /* A check that does not match takes nothing: #1 is still next. */
    xs_fails(&x, "expect next c->s ACK", "t:0: expected next c->s ACK, got #1 SYN seq=100");
    xs_ok(&x, "expect next c->s SYN seq=100");
    xs_ok(&x, "expect next c->s ACK seq=101 ack=301");
    xs_fails(&x, "expect next c->s ACK",
             "t:0: expected next c->s ACK, got nothing more sent c->s (expect next took every segment so far)");
    xs_ok(&x, "expect next s->c SYN,ACK seq=300 ack=101");
    xs_ok(&x, "client send 10");    /* #4 PSH,ACK, #5 ACK */
    xs_ok(&x, "expect next s->c ACK seq=301 ack=111");
    xs_ok(&x, "expect next c->s PSH,ACK seq=101 len=10");
    xs_fails(&x, "expect #4 ACK", "t:0: expected #4 ACK, got #4 PSH,ACK seq=101 ack=301 len=10");
    xs_fails(&x, "expect #6 ACK", "t:0: expected #6 ACK, got no segment #6 (5 sent so far)");
    xs_free(&x);
}
END_TEST

START_TEST(test_expect_none_since_last)
{
    struct xs x;
    xs_init(&x);
    xs_ok(&x, "client connect");
    xs_fails(&x, "expect none", "t:0: expected nothing sent since the last expect next or expect none, "
                                "got #1 SYN seq=100 and 2 more");
    xs_fails(&x, "expect none s->c", "t:0: expected nothing sent s->c since the last expect next or "
                                     "expect none, got #2 SYN,ACK seq=300 ack=101");
    xs_ok(&x, "expect next c->s SYN");
    xs_ok(&x, "expect none");       /* nothing since that expect next */
    xs_ok(&x, "client send 10");
    xs_fails(&x, "expect none c->s", "t:0: expected nothing sent c->s since the last expect next or "
                                     "expect none, got #4 PSH,ACK seq=101 ack=301 len=10");
    xs_ok(&x, "expect next s->c SYN,ACK");
    xs_ok(&x, "expect none c->s");  /* the expect next moved the mark past #4 and #5 */
    xs_free(&x);
}
END_TEST

START_TEST(test_expect_cursors_reset_restarts)
{
    struct xs x;
    xs_init(&x);
    xs_ok(&x, "client connect");
    xs_ok(&x, "expect next c->s SYN");
    xs_ok(&x, "expect next c->s ACK");
    xs_ok(&x, "reset");
    xs_ok(&x, "set isn client 500");
    xs_ok(&x, "set isn server 700");
    xs_ok(&x, "server listen");
    xs_ok(&x, "client connect");
    /* The new connection's segments are #1 to #3 again, none taken yet,
     * all sent since the reset. */
    xs_fails(&x, "expect none", "t:0: expected nothing sent since the last expect next or expect none, "
                                "got #1 SYN seq=500 and 2 more");
    xs_ok(&x, "expect next c->s SYN seq=500");
    xs_ok(&x, "expect next c->s ACK seq=501 ack=701");
    xs_free(&x);
}
END_TEST

START_TEST(test_expect_cursors_undo_keeps_taken)
{
    struct xs x;
    xs_init(&x);
    xs_ok(&x, "client connect");
    xs_ok(&x, "expect next c->s SYN");
    xs_ok(&x, "expect next c->s ACK");
    xs_ok(&x, "client send 10");                    /* #4, #5 */
    xs_ok(&x, "expect next c->s PSH,ACK len=10");
    xs_ok(&x, "undo");                              /* #4 and #5 were never sent */
    /* What undo kept stays taken; nothing is left that way. */
    xs_fails(&x, "expect next c->s ACK",
             "t:0: expected next c->s ACK, got nothing more sent c->s (expect next took every segment so far)");
    xs_ok(&x, "client send 20");                    /* a new #4 */
    xs_ok(&x, "expect next c->s PSH,ACK seq=101 len=20");
    xs_free(&x);
}
END_TEST

START_TEST(test_expect_cursors_undo_replays_reset)
{
    struct xs x;
    xs_init(&x);
    xs_ok(&x, "reset");
    xs_ok(&x, "server listen");
    xs_ok(&x, "client connect");
    xs_ok(&x, "expect next c->s SYN");
    xs_ok(&x, "client send 10");
    xs_ok(&x, "undo");          /* its replay runs the reset again */
    /* The reset replayed does not give back the SYN that expect next took. */
    xs_fails(&x, "expect next c->s SYN", "t:0: expected next c->s SYN, got #3 ACK seq=101 ack=301");
    xs_free(&x);
}
END_TEST

START_TEST(test_expect_timer_kinds)
{
    struct xs x;
    xs_init(&x);
    xs_ok(&x, "expect timer client none");
    xs_ok(&x, "drop next c->s");
    xs_ok(&x, "client connect");                    /* the SYN is lost: RTO 1s */
    xs_ok(&x, "expect timer client retransmit");
    xs_ok(&x, "expect timer client retransmit in 1s");
    xs_ok(&x, "expect timer server none");
    xs_fails(&x, "expect timer client retransmit in 1500ms",
             "t:0: expected client retransmit timer in 1500ms, got retransmit in 1s");
    xs_fails(&x, "expect timer client none", "t:0: expected client no timer armed, got retransmit in 1s");
    xs_fails(&x, "expect timer client persist", "t:0: expected client persist timer, got retransmit in 1s");
    xs_fails(&x, "expect timer client fin-wait-2", "t:0: expected client fin-wait-2 timer, got retransmit in 1s");
    xs_fails(&x, "expect timer server time-wait", "t:0: expected server time-wait timer, got no timer armed");
    xs_ok(&x, "advance 250ms");
    xs_ok(&x, "expect timer client retransmit in 750ms");
    xs_free(&x);
}
END_TEST

START_TEST(test_expect_next_symbolic_numbers)
{
    /* SPEC 4: both sides of a message in the numbering the transcript
     * shows; the check reads x+1 as the transcript writes it. */
    struct xs x;
    xs_init(&x);
    xs_ok(&x, "set numbers symbolic");
    xs_ok(&x, "client connect");
    xs_ok(&x, "expect next c->s SYN seq=x");
    xs_ok(&x, "expect next s->c SYN,ACK seq=y ack=x+1");
    xs_fails(&x, "expect next c->s ACK seq=x+2", "t:0: expected next c->s ACK seq=x+2, got #3 ACK seq=x+1 ack=y+1");
    xs_fails(&x, "expect #2 SYN,ACK ack=102", "t:0: expected #2 SYN,ACK ack=x+2, got #2 SYN,ACK seq=y ack=x+1");
    xs_ok(&x, "expect next c->s ACK seq=101 ack=y+1");      /* absolute still reads */
    xs_fails(&x, "expect next c->s ACK seq=z", "t:0: expect next: bad seq 'z': write a number, or x/y with an "
                                               "offset (e.g. x+1) once that side's SYN was sent");
    xs_free(&x);
}
END_TEST

START_TEST(test_expect_malformed_fails)
{
    struct xs x;
    xs_init(&x);
    xs_fails(&x, "expect", "t:0: expect: missing argument; usage: expect CHECK");
    xs_fails(&x, "expect timer client soon",
             "t:0: expect timer: unknown timer 'soon'; the timers are retransmit persist time-wait fin-wait-2, or none");
    xs_fails(&x, "expect next c->s SYN seq=1 seq=2", "t:0: expect next: seq= is given twice; write each field once");
    xs_free(&x);
}
END_TEST

Suite *expect_suite(void)
{
    Suite *s = suite_create("expect");
    TCase *tc = tcase_create("segment checks");
    tcase_add_test(tc, test_seg_check_parse_fields);
    tcase_add_test(tc, test_seg_check_parse_errors);
    tcase_add_test(tc, test_seg_check_match_each_field);
    tcase_add_test(tc, test_seg_check_describe);
    suite_add_tcase(s, tc);
    tc = tcase_create("cursors and timers");
    tcase_add_test(tc, test_expect_next_takes_in_order);
    tcase_add_test(tc, test_expect_none_since_last);
    tcase_add_test(tc, test_expect_cursors_reset_restarts);
    tcase_add_test(tc, test_expect_cursors_undo_keeps_taken);
    tcase_add_test(tc, test_expect_cursors_undo_replays_reset);
    tcase_add_test(tc, test_expect_timer_kinds);
    tcase_add_test(tc, test_expect_next_symbolic_numbers);
    tcase_add_test(tc, test_expect_malformed_fails);
    suite_add_tcase(s, tc);
    return s;
}
