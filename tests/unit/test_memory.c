/* test_memory.c - what a long session keeps: the channel's bounded
 * history (the oldest segments and payloads forgotten, never one in
 * flight), the wire's bounded memory of port pairs, and sweep's caps and
 * its runs from snapshots of the run with no loss.
 */
#define _GNU_SOURCE     /* open_memstream */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/session.h"
#include "fixture.h"
#include "render/timeline.h"
#include "render/wire.h"

/* A segment on the wire between the usual ports, with len payload bytes. */
static uint32_t put(struct sim *s, uint32_t len, bool deliver)
{
    static uint8_t bytes[60000];
    struct segment seg = { .src = EP_CLIENT, .sport = 1, .dport = 2, .flags = TCP_ACK, .len = len,
                           .data = len ? bytes : NULL };
    uint32_t id = sim_inject(s, &seg);
    if (deliver)
        sim_run(s, SIM_STORM_LIMIT);
    return id;
}

START_TEST(test_channel_forgets_the_oldest)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct sim s;
    sim_init(&s, &cfg, NULL, NULL);
    for (uint32_t i = 0; i < CHANNEL_KEEP_SEGMENTS + 100; i++)
        put(&s, 0, true);
    ck_assert_uint_eq(s.chan.hist_len, CHANNEL_KEEP_SEGMENTS + 100);
    ck_assert_uint_eq(s.chan.hist_first, 101);
    ck_assert_uint_eq(s.chan.hist_cap, CHANNEL_KEEP_SEGMENTS);
    ck_assert_ptr_null(channel_get(&s.chan, 100));
    ck_assert(channel_forgotten(&s.chan, 100));
    ck_assert_ptr_nonnull(channel_get(&s.chan, 101));
    ck_assert_uint_eq(channel_get(&s.chan, 101)->id, 101);
    ck_assert_uint_eq(sim_replay(&s, 100, 0), 0);
    ck_assert_ptr_nonnull(strstr(sim_error(&s), "forgotten"));
    ck_assert_uint_ne(sim_replay(&s, 101, 0), 0);
    sim_free(&s);
}
END_TEST

START_TEST(test_channel_keeps_what_is_in_flight)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct sim s;
    sim_init(&s, &cfg, NULL, NULL);
    put(&s, 0, false);                          /* #1 stays on the wire */
    sim_delay(&s, 1, 3600000);
    for (uint32_t i = 0; i < CHANNEL_KEEP_SEGMENTS + 100; i++)
        put(&s, 0, false);
    ck_assert_uint_eq(s.chan.hist_first, 1);    /* the ring grew instead */
    ck_assert_uint_eq(s.chan.hist_cap, 2 * CHANNEL_KEEP_SEGMENTS);
    ck_assert_int_eq(sim_deliver(&s, 1), 0);
    ck_assert_uint_eq(channel_fate(&s.chan, 1), FATE_DELIVERED);
    sim_free(&s);
}
END_TEST

START_TEST(test_channel_payload_budget)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct sim s;
    sim_init(&s, &cfg, NULL, NULL);
    for (int i = 0; i < 200; i++)               /* 12 MB sent */
        put(&s, 60000, true);
    ck_assert_uint_le(s.chan.payload_bytes, CHANNEL_KEEP_PAYLOAD);
    ck_assert_uint_ge(s.chan.payload_bytes, CHANNEL_KEEP_PAYLOAD - 60000);
    const struct segment *old = channel_get(&s.chan, 1), *last = channel_get(&s.chan, 200);
    ck_assert_ptr_null(old->data);             /* the header is kept, its payload not */
    ck_assert_uint_eq(old->len, 60000);
    ck_assert_ptr_nonnull(last->data);
    ck_assert_uint_eq(sim_replay(&s, 1, 0), 0);
    ck_assert_ptr_nonnull(strstr(sim_error(&s), "payload is forgotten"));
    ck_assert_uint_ne(sim_replay(&s, 200, 0), 0);
    sim_free(&s);
}
END_TEST

/* The wire's memory of port pairs is bounded: the least recently used
 * pairs are forgotten, the recent ones kept (and brought back on use). */
START_TEST(test_wire_forgets_old_port_pairs)
{
    struct wire w = { 0 };
    struct segment syn = { .src = EP_CLIENT, .dport = 80, .seq = 1000, .flags = TCP_SYN };
    for (uint16_t port = 1; port <= 3000; port++) {
        syn.sport = port;
        ck_assert(!wire_repeats(&w, &syn));
        if (port % 100 == 0) {          /* port 100 stays in use */
            syn.sport = 100;
            syn.retransmit = true;
            ck_assert(wire_repeats(&w, &syn));
            syn.retransmit = false;
        }
    }
    ck_assert_uint_le(w.cap, 2 * WIRE_PAIRS);
    ck_assert_uint_le(w.old_cap, 2 * WIRE_PAIRS);
    syn.retransmit = true;
    syn.sport = 1;                      /* forgotten: no longer a repeat */
    ck_assert(!wire_repeats(&w, &syn));
    syn.sport = 2999;
    ck_assert(wire_repeats(&w, &syn));
    syn.sport = 100;
    ck_assert(wire_repeats(&w, &syn));
    struct wire copy;
    ck_assert_int_eq(wire_copy(&copy, &w), 0);
    syn.sport = 2998;
    ck_assert(wire_repeats(&copy, &syn));
    wire_clear(&copy);
    wire_clear(&w);
}
END_TEST

/* A sweep makes one run per segment, within its caps. */
START_TEST(test_sweep_runs_capped)
{
    ck_assert_uint_eq(sweep_runs(12, 40, SWEEP_MAX_EVENTS), 12);
    ck_assert_uint_eq(sweep_runs(0, 0, SWEEP_MAX_EVENTS), 0);
    ck_assert_uint_eq(sweep_runs(6009, 12000, SWEEP_MAX_EVENTS), SWEEP_MAX_RUNS);
    ck_assert_uint_eq(sweep_runs(4000, 1000000, SWEEP_MAX_EVENTS), SWEEP_MAX_EVENTS / 1000000);
    ck_assert_uint_eq(sweep_runs(4000, SWEEP_MAX_EVENTS * 2ull, SWEEP_MAX_EVENTS), 1);
}
END_TEST

/* The table of `sweep FILE` in a session, as text. */
static char *sweep_text(const char *path, bool whole)
{
    char *buf = NULL, cmd[128];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len), *null = fopen("/dev/null", "w");
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session s;
    session_init(&s, &cfg, f, null);
    s.sweep_whole = whole;
    snprintf(cmd, sizeof cmd, "sweep %s", path);
    session_exec(&s, cmd);
    session_free(&s);
    fclose(f);
    fclose(null);
    return buf;
}

/* Random scenarios swept twice: each run from the start, and each from
 * the latest point of the run with no loss before its segment (a `run`,
 * an `advance` or the automatic delivery resumed between two events):
 * the same table. */
START_TEST(test_sweep_from_points_equals_whole_runs)
{
    char path[] = "/tmp/tcpsim-sweep-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    size_t rows = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        FILE *f = fopen(path, "w");
        struct rng r;
        rng_seed(&r, seed * 31337);
        char line[200];
        /* Losses, so that timers fire inside an advance and leave segments
         * in flight for the delivery after it. */
        fprintf(f, "set seed %llu\nloss 25\nserver listen\nclient connect\nclient send %llu\n",
                (unsigned long long)seed, (unsigned long long)(seed * 700));
        for (int i = 0; i < 40; i++) {
            random_command(&r, line, sizeof line, 30);
            if (strncmp(line, "undo", 4) != 0)
                fprintf(f, "%s\n", line);
            if (i % 10 == 0)
                fprintf(f, "expect client ESTABLISHED\n");
            if (i % 4 == 0)
                fprintf(f, "advance %ums\n", 900 + (unsigned)rng_below(&r, 300));
        }
        fclose(f);
        char *whole = sweep_text(path, true), *points = sweep_text(path, false);
        ck_assert_msg(strcmp(whole, points) == 0, "seed %llu: the sweeps differ", (unsigned long long)seed);
        for (char *p = whole; (p = strchr(p, '\n')); p++)
            rows++;
        free(whole);
        free(points);
    }
    /* expect next reads the history from where the last one stopped: a
     * point carries where that is. */
    FILE *f = fopen(path, "w");
    fputs("set isn client 100\nset isn server 300\nserver listen\nclient connect\n"
          "expect next c->s SYN seq=100\nexpect next s->c SYN,ACK seq=300 ack=101\n"
          "client send 10\nexpect next c->s ACK seq=101 ack=301\nexpect next c->s PSH,ACK seq=101 len=10\n"
          "client send 10\nexpect next s->c ACK seq=301 ack=111\nexpect next c->s PSH,ACK seq=111 len=10\n"
          "client close\nexpect next c->s FIN,ACK seq=121\n", f);
    fclose(f);
    char *next_whole = sweep_text(path, true), *next_points = sweep_text(path, false);
    ck_assert_msg(strstr(next_whole, "hold") != NULL, "the expect next scenario never holds:\n%s", next_whole);
    ck_assert_str_eq(next_whole, next_points);
    free(next_whole);
    free(next_points);
    unlink(path);
    ck_assert_uint_gt(rows, 400);
    /* And the lessons (syn-flood's lost SYN,ACK is retransmitted as an
     * advance ends, and delivered after it). */
    static const char *const lessons[] = {
        "scenarios/syn-flood.tcpsim", "scenarios/lost-syn-backoff.tcpsim", "scenarios/random-loss.tcpsim",
        "scenarios/fig12-normal-close.tcpsim", "scenarios/half-close.tcpsim", "scenarios/syn-cookies.tcpsim",
        "scenarios/lesson-symbolic-steps.tcpsim",   /* x and y: the ladder's ISNs come with a point */
    };
    for (size_t i = 0; i < sizeof lessons / sizeof lessons[0]; i++) {
        char *whole = sweep_text(lessons[i], true), *points = sweep_text(lessons[i], false);
        ck_assert_msg(strlen(whole) > 200, "%s: no table", lessons[i]);
        ck_assert_msg(strcmp(whole, points) == 0, "%s: the sweeps differ", lessons[i]);
        free(whole);
        free(points);
    }
}
END_TEST

/* The pictures' timeline records at most TL_MAX_STEPS steps, and says it
 * stopped; a reset starts it again. */
START_TEST(test_timeline_is_bounded)
{
    FILE *null = fopen("/dev/null", "w");
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session s;
    session_init(&s, &cfg, null, null);
    session_exec(&s, "server listen");
    session_exec(&s, "client connect");
    for (int i = 0; i < 3000 && !s.timeline.full; i++)
        session_exec(&s, "client send 100");
    ck_assert(s.timeline.full);
    ck_assert_uint_eq(s.timeline.n_steps, TL_MAX_STEPS);
    size_t cap = s.timeline.cap_steps;
    for (int i = 0; i < 100; i++)
        session_exec(&s, "client send 100");
    ck_assert_uint_eq(s.timeline.n_steps, TL_MAX_STEPS);
    ck_assert_uint_eq(s.timeline.cap_steps, cap);
    session_exec(&s, "reset");
    ck_assert(!s.timeline.full);
    ck_assert_uint_lt(s.timeline.n_steps, 10);
    session_free(&s);
    fclose(null);
}
END_TEST

Suite *memory_suite(void)
{
    Suite *s = suite_create("memory");
    TCase *ch = tcase_create("bounded history");
    tcase_add_test(ch, test_channel_forgets_the_oldest);
    tcase_add_test(ch, test_channel_keeps_what_is_in_flight);
    tcase_add_test(ch, test_channel_payload_budget);
    tcase_add_test(ch, test_wire_forgets_old_port_pairs);
    tcase_add_test(ch, test_timeline_is_bounded);
    suite_add_tcase(s, ch);
    TCase *sw = tcase_create("sweep");
    tcase_set_timeout(sw, 60);
    tcase_add_test(sw, test_sweep_runs_capped);
    tcase_add_test(sw, test_sweep_from_points_equals_whole_runs);
    suite_add_tcase(s, sw);
    return s;
}
