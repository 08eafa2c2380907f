/* test_retries.c - retry limits (RFC 9293 3.8.3): a SYN or SYN,ACK is
 * retransmitted at most `syn-retries` times (default 7: 247 s, at least 3
 * minutes, MUST-23), any other segment at most `retries` times (default
 * 6: 127 s, R2 at least 100 s); then "connection timed out". */
#include <string.h>

#include "fixture.h"

static const uint8_t data[100];

static bool gave_up(const struct fx *f, const char *why_part)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->ev[i].type == EV_STATE && f->ev[i].why && strstr(f->ev[i].why, why_part))
            return true;
    return false;
}

/* Data lost for good: six retransmissions, given up at 127 s. */
START_TEST(test_established_timeout_retries)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct sim *s = &f->sim;
    tcb_open_passive(&s->tcb[EP_SERVER]);
    tcb_open_active(&s->tcb[EP_CLIENT]);
    fx_run(f);
    struct drop_rule all = { .src = EP_CLIENT, .any_flags = true };
    for (int i = 0; i < 8; i++)
        sim_drop_next(s, all);
    uint64_t t0 = s->now;
    tcb_send(&s->tcb[EP_CLIENT], data, sizeof data);
    fx_clear(f);
    while (s->tcb[EP_CLIENT].state == ESTABLISHED)
        ck_assert(sim_advance_to_timer(s, 100));
    ck_state(f, EP_CLIENT, CLOSED);
    ck_assert_uint_eq(s->now - t0, 127000);
    ck_assert_uint_ge(s->now - t0, 100000);
    ck_assert_uint_eq(fx_count(f, EV_SEND), 6);
    ck_assert(gave_up(f, "retransmitted retries times"));
    fx_free(f);
    free(f);
}
END_TEST

/* `set retries 2` gives data up sooner and leaves the SYN's limit alone. */
START_TEST(test_established_timeout_retries_setting)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct sim *s = &f->sim;
    s->cfg.retries = 2;
    tcb_open_passive(&s->tcb[EP_SERVER]);
    struct drop_rule all = { .src = EP_CLIENT, .any_flags = true };
    for (int i = 0; i < 3; i++)
        sim_drop_next(s, all);
    tcb_open_active(&s->tcb[EP_CLIENT]);
    for (int i = 0; i < 3; i++)
        ck_assert(sim_advance_to_timer(s, 100));
    fx_run(f);
    ck_state(f, EP_CLIENT, ESTABLISHED);     /* the 4th SYN got through */
    for (int i = 0; i < 3; i++)
        sim_drop_next(s, all);
    tcb_send(&s->tcb[EP_CLIENT], data, sizeof data);
    fx_clear(f);
    while (s->tcb[EP_CLIENT].state == ESTABLISHED)
        ck_assert(sim_advance_to_timer(s, 100));
    ck_assert_uint_eq(fx_count(f, EV_SEND), 2);
    ck_assert(gave_up(f, "retransmitted retries times"));
    fx_free(f);
    free(f);
}
END_TEST

/* A SYN,ACK to a peer that never answers: seven retransmissions, then
 * back to LISTEN at 247 s. */
START_TEST(test_syn_received_timeout_syn_retries)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    fx_reach(f, EP_SERVER, SYN_RECEIVED, true);
    struct sim *s = &f->sim;
    tcb_crash(&s->tcb[EP_CLIENT]);          /* it will never answer */
    struct drop_rule all = { .src = EP_SERVER, .any_flags = true };
    for (int i = 0; i < 10; i++)
        sim_drop_next(s, all);
    uint64_t t0 = s->now;
    while (s->tcb[EP_SERVER].state == SYN_RECEIVED)
        ck_assert(sim_advance_to_timer(s, 100));
    ck_state(f, EP_SERVER, LISTEN);
    ck_assert_uint_eq(fx_count(f, EV_SEND), 7);
    ck_assert_uint_eq(s->now - t0, 247000);
    ck_assert(gave_up(f, "syn-retries"));
    fx_free(f);
    free(f);
}
END_TEST

Suite *retries_suite(void)
{
    Suite *s = suite_create("retries");
    TCase *tc = tcase_create("retry limits");
    tcase_add_test(tc, test_established_timeout_retries);
    tcase_add_test(tc, test_established_timeout_retries_setting);
    tcase_add_test(tc, test_syn_received_timeout_syn_retries);
    suite_add_tcase(s, tc);
    return s;
}
