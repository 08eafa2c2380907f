/* test_session.c - the session's bookkeeping at scale: Ctrl-C stopping a
 * long command (the simulation as it was before it, SPEC section 2).
 *
 * Ctrl-C is simulated without a signal: an observer raises the flag the
 * SIGINT handler raises, after a given number of events.
 */
#define _GNU_SOURCE     /* open_memstream */
#include <stdio.h>
#include <string.h>

#include "cli/interrupt.h"
#include "cli/session.h"
#include "fixture.h"

struct trip {
    size_t events, at;      /* raise the flag at the at-th event (0: never) */
    bool only_muted;        /* count only the events of undo's replay */
    struct session *s;
};

static void count(void *ctx, const struct event *ev)
{
    (void)ev;
    struct trip *t = ctx;
    if (t->only_muted && !t->s->muted)
        return;
    if (++t->events == t->at)
        interrupt_raise();
}

struct ts {
    struct session s;
    FILE *out, *err;
    char *obuf, *ebuf;
    size_t olen, elen;
    struct trip trip;
};

static void ts_init(struct ts *t)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    memset(t, 0, sizeof *t);
    t->out = open_memstream(&t->obuf, &t->olen);
    t->err = open_memstream(&t->ebuf, &t->elen);
    session_init(&t->s, &cfg, t->out, t->err);
    t->s.interactive = true;
    t->s.observer = count;
    t->s.observer_ctx = &t->trip;
    t->trip.s = &t->s;
    interrupt_clear();
}

static void ts_free(struct ts *t)
{
    session_free(&t->s);
    fclose(t->out);
    fclose(t->err);
    free(t->obuf);
    free(t->ebuf);
    interrupt_clear();
}

/* What the inspections show: the TCBs, the wire and the whole history. */
static char *state_text(struct session *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len), *out = s->out;
    s->out = f;
    cmd_show(s, -1, 0, NULL);
    cmd_inflight(s, -1, 0, NULL);
    cmd_history(s, -1, 0, NULL);
    fprintf(f, "t=%llu log=%zu\n", (unsigned long long)s->sim.now, s->log_len);
    s->out = out;
    fclose(f);
    return buf;
}

static void exec_all(struct session *s, const char *const *lines)
{
    for (size_t i = 0; lines[i]; i++)
        ck_assert_int_eq(session_exec(s, lines[i]), 0);
}

static const char *const flood[] = {
    "set delivery step", "server listen backlog 8", "flood 3000 from 1000-60000", "client connect", NULL,
};

START_TEST(test_interrupt_run_restores)
{
    struct ts t;
    ts_init(&t);
    exec_all(&t.s, flood);
    char *before = state_text(&t.s);
    t.trip.at = t.trip.events + 500;        /* mid-run */
    ck_assert_int_eq(session_exec(&t.s, "run"), -1);
    fflush(t.err);
    ck_assert_ptr_nonnull(strstr(t.ebuf, "run: interrupted (Ctrl-C); the simulation is as it was before it"));
    ck_assert_ptr_null(strstr(t.ebuf, "stopped after"));    /* not called a storm */
    char *after = state_text(&t.s);
    ck_assert_str_eq(after, before);
    ck_assert(!interrupt_pending());
    ck_assert_int_eq(session_exec(&t.s, "run"), 0);          /* and it runs again */
    ck_assert_uint_eq(t.s.sim.chan.fl_len, 0);
    free(before);
    free(after);
    ts_free(&t);
}
END_TEST

START_TEST(test_interrupt_advance_restores)
{
    struct ts t;
    ts_init(&t);
    exec_all(&t.s, flood);
    ck_assert_int_eq(session_exec(&t.s, "set delivery auto"), 0);
    char *before = state_text(&t.s);
    t.trip.at = t.trip.events + 20;
    ck_assert_int_eq(session_exec(&t.s, "advance 10m"), -1);
    char *after = state_text(&t.s);
    ck_assert_str_eq(after, before);
    free(before);
    free(after);
    ts_free(&t);
}
END_TEST

START_TEST(test_interrupt_undo_restores)
{
    struct ts t;
    ts_init(&t);
    exec_all(&t.s, flood);
    ck_assert_int_eq(session_exec(&t.s, "run"), 0);
    ck_assert_int_eq(session_exec(&t.s, "client send 5000"), 0);
    ck_assert_int_eq(session_exec(&t.s, "run"), 0);
    char *before = state_text(&t.s);
    t.trip.only_muted = true;
    t.trip.events = 0;
    t.trip.at = 3000;                        /* inside undo's replay of the flood */
    ck_assert_int_eq(session_exec(&t.s, "undo"), -1);
    fflush(t.err);
    ck_assert_ptr_nonnull(strstr(t.ebuf, "undo: interrupted (Ctrl-C)"));
    char *after = state_text(&t.s);
    ck_assert_str_eq(after, before);
    t.trip.at = 0;
    ck_assert_int_eq(session_exec(&t.s, "undo"), 0);         /* the undo still works */
    free(before);
    free(after);
    ts_free(&t);
}
END_TEST

START_TEST(test_interrupt_batch_ignored)
{
    struct ts t;
    ts_init(&t);
    t.s.interactive = false;                 /* batch: SIGINT is not caught at all */
    exec_all(&t.s, flood);
    ck_assert_int_eq(session_exec(&t.s, "run"), 0);
    ts_free(&t);
}
END_TEST

Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("interrupt");
    tcase_add_test(tc, test_interrupt_run_restores);
    tcase_add_test(tc, test_interrupt_advance_restores);
    tcase_add_test(tc, test_interrupt_undo_restores);
    tcase_add_test(tc, test_interrupt_batch_ignored);
    suite_add_tcase(s, tc);
    return s;
}
