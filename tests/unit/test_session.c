/* test_session.c - the session at scale: Ctrl-C stopping a long command
 * (the simulation as it was before it, SPEC section 2), snapshots that run
 * as their originals, and undo from them.
 *
 * Ctrl-C is simulated without a signal: an observer raises the flag the
 * SIGINT handler raises, after a given number of events.
 */
#define _GNU_SOURCE     /* open_memstream */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/interrupt.h"
#include "cli/session.h"
#include "fixture.h"
#include "render/timeline.h"

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
    fprintf(f, "t=%llu log=%zu\n", (unsigned long long)s->sim.now, s->log.len);
    const struct timeline *tl = &s->timeline;       /* what export would draw */
    fprintf(f, "timeline %zu segments, %zu marks, %zu steps\n", tl->n_segs, tl->n_marks, tl->n_steps);
    for (size_t i = 0; i < tl->n_steps; i++)
        fprintf(f, " %d@%llu:%zu/%zu:%d,%d", (int)tl->steps[i].kind, (unsigned long long)tl->steps[i].t,
                tl->steps[i].seg, tl->steps[i].mark, (int)tl->steps[i].tcb[0].state, (int)tl->steps[i].tcb[1].state);
    for (size_t i = 0; i < tl->n_segs; i++)
        fprintf(f, " #%u:%d:%llu", tl->segs[i].id, (int)tl->segs[i].fate, (unsigned long long)tl->segs[i].end);
    fputc('\n', f);
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

/* The engine's events as text, to compare two runs. */
struct trace {
    char *buf;
    size_t len;
    FILE *f;
};

static void trace_event(void *ctx, const struct event *ev)
{
    struct trace *tr = ctx;
    fprintf(tr->f, "%d t=%llu ep=%d", (int)ev->type, (unsigned long long)ev->t, (int)ev->ep);
    if (ev->seg)
        fprintf(tr->f, " #%u %u>%u seq=%u ack=%u f=%x len=%u w=%u", ev->seg->id, ev->seg->sport, ev->seg->dport,
                ev->seg->seq, ev->seg->ack, ev->seg->flags, ev->seg->len, ev->seg->wnd);
    if (ev->type == EV_STATE)
        fprintf(tr->f, " %d->%d", (int)ev->from, (int)ev->to);
    if (ev->type == EV_RECEIVE && ev->data && ev->len)
        fprintf(tr->f, " data=%02x..%02x", ev->data[0], ev->data[ev->len - 1]);
    fputc('\n', tr->f);
}

/* A session whose simulation is a copy of from's, drawing nothing. */
static void session_from_copy(struct session *s, const struct session *from, FILE *out)
{
    session_init(s, &from->cfg0, out, out);
    event_fn fn = s->sim.on_event;
    void *ctx = s->sim.ctx;
    bool (*stop)(void *) = s->sim.should_stop;
    sim_free(&s->sim);
    ck_assert_int_eq(sim_copy(&s->sim, &from->sim), 0);
    s->sim.on_event = fn;
    s->sim.ctx = ctx;
    s->sim.should_stop = stop;
    s->pres = from->pres;
    FILE *ladder_out = s->ladder.out;      /* the transcript's state, as a snapshot keeps it */
    s->ladder = from->ladder;
    s->ladder.out = ladder_out;
}

/* Random sessions copied every few commands: from there the copy and the
 * original see the same commands and must report the same events and show
 * the same TCBs; and every copy frees cleanly (ASan, valgrind). */
START_TEST(test_snapshot_copy_runs_as_the_original)
{
    FILE *null = fopen("/dev/null", "w");
    for (uint64_t seed = 1; seed <= 150; seed++) {
        struct sim_config cfg;
        sim_config_default(&cfg);
        cfg.seed = seed;
        struct session a;
        session_init(&a, &cfg, null, null);
        struct rng r;
        rng_seed(&r, seed * 7919);
        char line[200];
        for (int round = 0; round < 8; round++) {
            struct session b;
            session_from_copy(&b, &a, null);
            struct trace ta = { 0 }, tb = { 0 };
            ta.f = open_memstream(&ta.buf, &ta.len);
            tb.f = open_memstream(&tb.buf, &tb.len);
            a.observer = trace_event;
            a.observer_ctx = &ta;
            b.observer = trace_event;
            b.observer_ctx = &tb;
            for (int i = 0; i < 25; i++) {
                random_command(&r, line, sizeof line, a.sim.chan.hist_len);
                if (strncmp(line, "undo", 4) == 0)
                    continue;           /* b has no log to replay */
                session_exec(&a, line);
                session_exec(&b, line);
            }
            fprintf(ta.f, "%s", "--\n");
            fprintf(tb.f, "%s", "--\n");
            FILE *oa = a.out, *ob = b.out;
            a.out = ta.f;
            b.out = tb.f;
            cmd_show(&a, -1, 0, NULL);
            cmd_show(&b, -1, 0, NULL);
            cmd_inflight(&a, -1, 0, NULL);
            cmd_inflight(&b, -1, 0, NULL);
            a.out = oa;
            b.out = ob;
            fclose(ta.f);
            fclose(tb.f);
            ck_assert_msg(ta.len > 3, "seed %llu: nothing happened", (unsigned long long)seed);
            ck_assert_msg(strcmp(ta.buf, tb.buf) == 0, "seed %llu round %d: the copy ran differently",
                          (unsigned long long)seed, round);
            free(ta.buf);
            free(tb.buf);
            a.observer = NULL;
            session_free(&b);
        }
        session_free(&a);
    }
    fclose(null);
}
END_TEST

/* A listener with children, one accepted, and data in flight both ways:
 * the copy's pointers are its own (the original freed first). */
START_TEST(test_snapshot_listener_children)
{
    FILE *null = fopen("/dev/null", "w");
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session a, b;
    session_init(&a, &cfg, null, null);
    static const char *const setup[] = {
        "server listen backlog 4", "flood 3 from 2000", "client connect", "server accept",
        "set delivery step", "client send 3000", "server send \"hello\"", "step", NULL,
    };
    exec_all(&a, setup);
    ck_assert_uint_ge(a.sim.lst.n_child, 4);
    ck_assert_ptr_nonnull(a.sim.lst.accepted);
    session_from_copy(&b, &a, null);
    const struct listener *l = &b.sim.lst;
    ck_assert_ptr_eq(l->tcb, &b.sim.tcb[EP_SERVER]);
    ck_assert_ptr_eq(b.sim.tcb[EP_SERVER].listener, l);
    ck_assert_ptr_eq(b.sim.tcb[EP_SERVER].host, &b.sim.host);
    ck_assert_ptr_eq(b.sim.host.ctx, &b.sim);
    ck_assert_ptr_eq(b.sim.host.now, &b.sim.now);
    bool found = false;
    for (size_t i = 0; i < l->n_child; i++) {
        ck_assert_ptr_ne(l->child[i], a.sim.lst.child[i]);
        ck_assert_ptr_eq(l->child[i]->host, &b.sim.host);
        ck_assert_ptr_eq(l->child[i]->listener, a.sim.lst.child[i]->listener ? l : NULL);
        found |= l->child[i] == l->accepted;
    }
    ck_assert(found);
    session_free(&a);                   /* the copy must not lean on it */
    ck_assert_int_eq(session_exec(&b, "run"), 0);
    ck_assert_int_eq(session_exec(&b, "expect server ESTABLISHED"), 0);
    ck_assert_int_eq(session_exec(&b, "server close"), 0);
    ck_assert_int_eq(session_exec(&b, "advance 5m"), 0);
    session_free(&b);
    fclose(null);
}
END_TEST

/* The buffers issue 11 gave a TCB: unread data in the receive buffer
 * (autoread off) and text that came on a SYN, copied and still right once
 * the original is gone. */
START_TEST(test_snapshot_receive_buffer_and_syn_text)
{
    FILE *null = fopen("/dev/null", "w");
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session a, b;
    session_init(&a, &cfg, null, null);
    static const char *const unread[] = {
        "set server autoread off", "server listen", "client connect", "client send \"hello\"", NULL,
    };
    exec_all(&a, unread);
    ck_assert_uint_eq(a.sim.tcb[EP_SERVER].rcv_user, 5);
    session_from_copy(&b, &a, null);
    session_free(&a);
    ck_assert_ptr_ne(b.sim.tcb[EP_SERVER].rcvbuf, NULL);
    ck_assert_int_eq(memcmp(b.sim.tcb[EP_SERVER].rcvbuf, "hello", 5), 0);
    ck_assert_int_eq(session_exec(&b, "server read 2"), 0);
    ck_assert_uint_eq(b.sim.tcb[EP_SERVER].rcv_user, 3);
    ck_assert_int_eq(memcmp(b.sim.tcb[EP_SERVER].rcvbuf, "llo", 3), 0);
    session_free(&b);

    session_init(&a, &cfg, null, null);
    static const char *const syn_text[] = {
        "set isn server 300", "server listen", "set delivery step", "inject c->s SYN seq=100 len=5", "step", NULL,
    };
    exec_all(&a, syn_text);
    ck_assert_uint_eq(a.sim.tcb[EP_SERVER].syn_text_len, 5);
    session_from_copy(&b, &a, null);
    session_free(&a);
    ck_assert_ptr_ne(b.sim.tcb[EP_SERVER].syn_text, NULL);
    static const char *const complete[] = {
        "drop #2", "inject c->s ACK seq=101 ack=301", "step", "expect server ESTABLISHED", "expect server rcv.nxt=106",
        NULL,
    };
    exec_all(&b, complete);
    session_free(&b);
    fclose(null);
}
END_TEST

/* A copy of a frozen simulation (a sweep's point) reads the frozen send
 * buffer until it writes its own: the frozen one is never changed or
 * freed by it, and a second copy runs as the first. */
START_TEST(test_snapshot_frozen_send_buffer)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct sim frozen, a, b;
    sim_init(&frozen, &cfg, NULL, NULL);
    tcb_open_passive(&frozen.tcb[EP_SERVER]);
    tcb_open_active(&frozen.tcb[EP_CLIENT]);
    sim_run(&frozen, SIM_STORM_LIMIT);
    static uint8_t text[200000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (uint8_t)(i * 7);
    tcb_send(&frozen.tcb[EP_CLIENT], text, sizeof text);
    sim_step(&frozen);
    const struct tcb *f = &frozen.tcb[EP_CLIENT];
    ck_assert_uint_gt(f->sndbuf_len, 100000);
    size_t off = f->sndbuf_off, len = f->sndbuf_len;
    uint8_t *before = malloc(len);
    memcpy(before, f->sndbuf + off, len);
    uint64_t end[2];
    for (int round = 0; round < 2; round++) {
        struct sim *c = round ? &b : &a;
        ck_assert_int_eq(sim_copy_frozen(c, &frozen), 0);
        ck_assert(c->tcb[EP_CLIENT].sndbuf_borrowed);
        ck_assert_ptr_eq(c->tcb[EP_CLIENT].sndbuf, f->sndbuf);
        sim_run(c, SIM_STORM_LIMIT);                 /* ACKs move its offset only */
        ck_assert_int_eq(tcb_send(&c->tcb[EP_CLIENT], text, 1000), 0);    /* now its own */
        ck_assert(!c->tcb[EP_CLIENT].sndbuf_borrowed);
        ck_assert_ptr_ne(c->tcb[EP_CLIENT].sndbuf, f->sndbuf);
        sim_run(c, SIM_STORM_LIMIT);
        end[round] = c->tcb[EP_SERVER].bytes_received;
        sim_free(c);
        ck_assert_uint_eq(f->sndbuf_off, off);
        ck_assert_int_eq(memcmp(f->sndbuf + off, before, len), 0);
    }
    ck_assert_uint_eq(end[0], sizeof text + 1000);
    ck_assert_uint_eq(end[1], end[0]);
    free(before);
    sim_free(&frozen);
}
END_TEST

/* A fresh session that runs the commands of s's log: what s must show. */
static char *replayed_text(struct session *s)
{
    FILE *null = fopen("/dev/null", "w");
    struct session r;
    session_init(&r, &s->cfg0, null, null);
    for (size_t i = 0; i < s->log.len; i++)
        session_exec(&r, session_log_line(s, i));
    char *text = state_text(&r);
    session_free(&r);
    fclose(null);
    return text;
}

/* Random sessions with undo, snapshots taken every few events: after each
 * undo the simulation is the one its log replays to from the start. */
START_TEST(test_undo_from_snapshots_equals_replay)
{
    FILE *null = fopen("/dev/null", "w");
    size_t undos = 0, snaps = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct sim_config cfg;
        sim_config_default(&cfg);
        cfg.seed = seed;
        struct session a;
        session_init(&a, &cfg, null, null);
        a.snapshot_work = 40 + seed;
        struct rng r;
        rng_seed(&r, seed * 104729);
        char line[200];
        for (int i = 0; i < 400; i++) {
            random_command(&r, line, sizeof line, a.sim.chan.hist_len);
            if (i % 50 == 49)
                snprintf(line, sizeof line, "undo");
            session_exec(&a, line);
            snaps += a.n_snap;
            if (strcmp(line, "undo") == 0 && !a.last_failed) {
                undos++;
                char *got = state_text(&a), *want = replayed_text(&a);
                ck_assert_msg(strcmp(got, want) == 0, "seed %llu, command %d: undo differs from replay",
                              (unsigned long long)seed, i);
                free(got);
                free(want);
            }
        }
        session_free(&a);
    }
    ck_assert_uint_gt(undos, 100);
    ck_assert_uint_gt(snaps, 1000);
    fclose(null);
}
END_TEST

/* Undo at the end of a long session replays from a snapshot, not from
 * the start: the commands it replays are bounded by the spacing. */
struct replayed {
    struct session *s;
    size_t events;
};

static void count_muted(void *ctx, const struct event *ev)
{
    (void)ev;
    struct replayed *r = ctx;
    r->events += r->s->muted > 0;
}

START_TEST(test_undo_cost_is_bounded)
{
    FILE *null = fopen("/dev/null", "w");
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session a;
    session_init(&a, &cfg, null, null);
    struct replayed r = { .s = &a };
    a.observer = count_muted;
    a.observer_ctx = &r;
    for (int i = 0; i < 5000; i++) {
        session_exec(&a, "server listen");
        session_exec(&a, "client connect");
        session_exec(&a, "client send 3000");
        session_exec(&a, "client close");
        session_exec(&a, "server close");
        session_exec(&a, "advance 2m");
    }
    ck_assert_uint_ge(a.n_snap, 2);
    ck_assert_int_eq(session_exec(&a, "undo"), 0);
    ck_assert_uint_le(r.events, SNAPSHOT_WORK);
    ck_assert_uint_gt(r.events, 0);
    char *got = state_text(&a), *want = replayed_text(&a);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    session_free(&a);
    fclose(null);
}
END_TEST

Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *sn = tcase_create("snapshots");
    tcase_set_timeout(sn, 60);
    tcase_add_test(sn, test_snapshot_copy_runs_as_the_original);
    tcase_add_test(sn, test_snapshot_listener_children);
    tcase_add_test(sn, test_snapshot_receive_buffer_and_syn_text);
    tcase_add_test(sn, test_snapshot_frozen_send_buffer);
    tcase_add_test(sn, test_undo_from_snapshots_equals_replay);
    tcase_add_test(sn, test_undo_cost_is_bounded);
    suite_add_tcase(s, sn);
    TCase *tc = tcase_create("interrupt");
    tcase_add_test(tc, test_interrupt_run_restores);
    tcase_add_test(tc, test_interrupt_advance_restores);
    tcase_add_test(tc, test_interrupt_undo_restores);
    tcase_add_test(tc, test_interrupt_batch_ignored);
    suite_add_tcase(s, tc);
    return s;
}
