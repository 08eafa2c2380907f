/* test_sweep.c - a sweep's runs that stop once they converge on the run
 * with no loss (src/cli/sweep_converge.c): the table is the one that
 * running every run whole gives, whether the runs converge at the same
 * time as the no-loss run, later, or never.
 */
#define _GNU_SOURCE     /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/session.h"
#include "fixture.h"

struct swept {
    char *table;
    uint64_t converged, shifted;
};

/* `sweep FILE` in a session: its table, and how many runs converged. */
static struct swept sweep_of(const char *path, bool whole)
{
    struct swept r = { 0 };
    char cmd[128];
    size_t len = 0;
    FILE *f = open_memstream(&r.table, &len), *null = fopen("/dev/null", "w");
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session s;
    session_init(&s, &cfg, f, null);
    s.sweep_whole = whole;
    snprintf(cmd, sizeof cmd, "sweep %s", path);
    session_exec(&s, cmd);
    r.converged = s.sweep_converged;
    r.shifted = s.sweep_shifted;
    session_free(&s);
    fclose(f);
    fclose(null);
    return r;
}

/* The first line where two tables differ (a short message for Check). */
static void first_difference(const char *a, const char *b, char *out, size_t n)
{
    size_t i = 0, line = 0;
    while (a[i] && a[i] == b[i])
        line = a[i++] == '\n' ? i : line;
    snprintf(out, n, "%.*s | %.*s", (int)strcspn(a + line, "\n"), a + line, (int)strcspn(b + line, "\n"), b + line);
}

/* Sweep text (a scenario) both ways; the tables must be the same.  Returns
 * the sweep from points, table freed. */
static struct swept both_ways(const char *text)
{
    char path[] = "/tmp/tcpsim-conv-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct swept whole = sweep_of(path, true), points = sweep_of(path, false);
    unlink(path);
    ck_assert_msg(strstr(whole.table, "  lost  segment") != NULL, "no table for:\n%s", text);
    char diff[256];
    first_difference(whole.table, points.table, diff, sizeof diff);
    ck_assert_msg(strcmp(whole.table, points.table) == 0, "the sweeps differ (whole | points): %s\nfor:\n%.600s",
                  diff, text);
    ck_assert_uint_eq(whole.converged, 0);      /* whole runs never stop early */
    free(whole.table);
    free(points.table);
    return points;
}

#define TRANSFER "set mss 500\nserver listen\nclient connect\nclient send 6000\n"

/* A lost ACK is covered by the next one: the run is the no-loss run again
 * at the same time.  A lost data segment is retransmitted on a timeout:
 * the run is the no-loss run again, later. */
START_TEST(test_sweep_converge_same_time_and_later)
{
    struct swept r = both_ways(TRANSFER "client close\nserver close\nadvance 2m\nexpect client CLOSED\n");
    ck_assert_uint_gt(r.converged, 0);
    ck_assert_uint_gt(r.converged, r.shifted);  /* some at the same time */
    ck_assert_uint_gt(r.shifted, 0);            /* and some later */
}
END_TEST

/* The expectations after the point of convergence are the no-loss run's:
 * one that fails there fails in every converged run, and `expect error`
 * takes the error of the command before it. */
START_TEST(test_sweep_converge_keeps_failed_expectations)
{
    struct swept r = both_ways(TRANSFER "advance 1m\nexpect server CLOSED\nserver listen\nexpect error\n"
                                        "expect inflight 0\nexpect client timer none\n");
    ck_assert_uint_gt(r.converged, 0);
    r = both_ways(TRANSFER "advance 1m\nexpect server ESTABLISHED\nclient close\nrun\nexpect client timer "
                           "time-wait\n");
    ck_assert_uint_gt(r.converged, 0);
}
END_TEST

/* A line that reads segment ids or the history may come after the loss:
 * a run with a loss numbers its segments differently, so none converges
 * before it (a replay's own delivery could: the history follows it). */
START_TEST(test_sweep_never_converges_before_ids)
{
    static const char *const tails[] = {
        "expect next c->s ACK\n", "expect none\n", "history\n", "deliver #3\n", "expect last c->s ACK\n",
        "segment #2\n", "replay #1\nhistory\n", "dup #2\n", "drop #2\n", "delay #2 1s\n", "inflight\n",
    };
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        char text[512];
        snprintf(text, sizeof text, TRANSFER "advance 1m\n%s", tails[i]);
        struct swept r = both_ways(text);
        ck_assert_msg(r.converged == 0, "%s: %llu runs converged", tails[i], (unsigned long long)r.converged);
    }
}
END_TEST

/* A connection opened after the loss takes an ISS from the clock (RFC
 * 6528), which a later run would read later: no run converges at another
 * time then, and the expectation of that ISS tells them apart. */
START_TEST(test_sweep_no_shift_before_an_iss)
{
    struct swept r = both_ways(TRANSFER "client close\nserver close\nadvance 5m\nserver listen\nclient connect\n"
                                        "expect client ESTABLISHED\n");
    ck_assert_uint_eq(r.shifted, 0);
    ck_assert_uint_gt(r.converged, 0);          /* the same time still converges */
    /* The expectation of the new ISS fails in a run that ends later. */
    char text[512];
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session s;
    FILE *null = fopen("/dev/null", "w");
    session_init(&s, &cfg, null, null);
    s.quiet = true;
    const char *lines[] = { "set mss 500", "server listen", "client connect", "client send 6000", "client close",
                            "server close", "advance 5m", "server listen", "client connect" };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        session_exec(&s, lines[i]);
    ck_assert_uint_ne(s.sim.tcb[EP_CLIENT].iss, 0);
    snprintf(text, sizeof text, TRANSFER "client close\nserver close\nadvance 5m\nserver listen\nclient connect\n"
                                         "expect client iss=%u\n", (unsigned)s.sim.tcb[EP_CLIENT].iss);
    session_free(&s);
    fclose(null);
    r = both_ways(text);
    ck_assert_uint_eq(r.shifted, 0);
}
END_TEST

/* A run whose loss sends it down another path (a lost SYN,ACK with few
 * retries) never converges: it runs to its end. */
START_TEST(test_sweep_never_converges_when_the_outcome_differs)
{
    struct swept r = both_ways("set syn-retries 3\nserver listen\nclient connect\nadvance 10s\n"
                               "expect client ESTABLISHED\n");
    ck_assert_uint_lt(r.converged, 3);
}
END_TEST

/* Random scenarios of the commands a converged run may still run (random
 * loss too: the generator is part of the state), swept both ways. */
START_TEST(test_sweep_converge_random)
{
    static const char *const cmds[] = {
        "client send %u", "server send %u", "advance %ums", "run", "client ack", "server ack", "expect inflight 0",
        "expect client ESTABLISHED", "expect server timer retransmit", "expect error", "loss %u", "step",
        "server read", "set autoread server off", "set autoread server on", "client close", "expect client timer none",
    };
    uint64_t converged = 0, shifted = 0;
    for (uint64_t seed = 1; seed <= 24; seed++) {
        struct rng g;
        rng_seed(&g, seed * 7919);
        char text[4096];
        int k = snprintf(text, sizeof text, "set seed %llu\nset mss %u\nserver listen\nclient connect\n",
                         (unsigned long long)seed, 300 + rng_below(&g, 700));
        for (int i = 0; i < 24 && k < 3900; i++) {
            const char *c = cmds[rng_below(&g, sizeof cmds / sizeof *cmds)];
            unsigned arg = strstr(c, "loss") ? rng_below(&g, 3) * 5 : strstr(c, "advance") ? 200 + rng_below(&g, 3000)
                                                                                          : 1 + rng_below(&g, 4000);
            k += snprintf(text + k, sizeof text - (size_t)k, c, arg);
            k += snprintf(text + k, sizeof text - (size_t)k, "\n");
        }
        snprintf(text + k, sizeof text - (size_t)k, "advance 3m\n");
        struct swept r = both_ways(text);
        converged += r.converged;
        shifted += r.shifted;
    }
    ck_assert_uint_gt(converged, 50);
    ck_assert_uint_gt(shifted, 5);
}
END_TEST

Suite *sweep_suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("convergence");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_sweep_converge_same_time_and_later);
    tcase_add_test(tc, test_sweep_converge_keeps_failed_expectations);
    tcase_add_test(tc, test_sweep_never_converges_before_ids);
    tcase_add_test(tc, test_sweep_no_shift_before_an_iss);
    tcase_add_test(tc, test_sweep_never_converges_when_the_outcome_differs);
    tcase_add_test(tc, test_sweep_converge_random);
    suite_add_tcase(s, tc);
    return s;
}
