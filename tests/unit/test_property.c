/* test_property.c - thousands of random sessions through the real command
 * dispatcher (user calls, loss, dup, delay, inject, replay, advance, undo,
 * reset and mistakes), checking after every engine event the invariants of
 * RFC 9293 and of the channel, and that the same seed and commands give
 * byte-identical output.  PROP_TRACE=SEED prints that session's commands
 * on stderr, to replay a failure as a scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/session.h"
#include "fixture.h"
#include "tcpsim/rng.h"

#define SESSIONS 2000
#define COMMANDS 60

/* RFC 9293 Figure 5, with the arcs every state has to CLOSED (ABORT, an
 * accepted RST, a timeout, a crash) and SYN-RECEIVED's return to LISTEN;
 * and LISTEN straight to ESTABLISHED, which only the two-way variant (not
 * TCP) and a connection recreated from a SYN cookie take; and TIME-WAIT
 * to SYN-RECEIVED (or ESTABLISHED, two-way) under a profile that reopens
 * it (linux). */
static bool legal(enum tcp_state from, enum tcp_state to, bool tw_reopen)
{
    if (from == TIME_WAIT && (to == SYN_RECEIVED || to == ESTABLISHED))
        return tw_reopen;       /* ESTABLISHED: reopened with the two-way handshake */
    if (to == CLOSED)
        return from != CLOSED;
    switch (from) {
    case CLOSED: return to == LISTEN || to == SYN_SENT;
    case LISTEN: return to == SYN_RECEIVED || to == SYN_SENT || to == ESTABLISHED;
    case SYN_SENT: return to == SYN_RECEIVED || to == ESTABLISHED;
    case SYN_RECEIVED: return to == ESTABLISHED || to == FIN_WAIT_1 || to == LISTEN;
    case ESTABLISHED: return to == FIN_WAIT_1 || to == CLOSE_WAIT;
    case FIN_WAIT_1: return to == FIN_WAIT_2 || to == CLOSING || to == TIME_WAIT;
    case FIN_WAIT_2: return to == TIME_WAIT;
    case CLOSE_WAIT: return to == LAST_ACK;
    case CLOSING: return to == TIME_WAIT;
    default: return false;      /* LAST-ACK and TIME-WAIT only close */
    }
    return false;
}

struct watch {
    struct session *s;
    size_t events;
    char failure[300];
};

static void violation(struct watch *w, const char *fmt, unsigned long a, unsigned long b)
{
    if (!w->failure[0])
        snprintf(w->failure, sizeof w->failure, fmt, a, b);
}

/* Every segment in the history is in flight exactly when its fate says so. */
static void check_channel(struct watch *w)
{
    const struct channel *c = &w->s->sim.chan;
    size_t in_flight = 0;
    for (size_t id = c->hist_first; id <= c->hist_len; id++) {
        enum seg_fate fate = channel_fate(c, (uint32_t)id);
        bool listed = channel_in_flight(c, (uint32_t)id) != NULL;
        if (listed != (fate == FATE_IN_FLIGHT))
            violation(w, "segment #%lu: fate %lu disagrees with the wire", id, fate);
        in_flight += fate == FATE_IN_FLIGHT;
    }
    if (in_flight != c->fl_len)
        violation(w, "%lu segments in flight by fate, %lu on the wire", in_flight, c->fl_len);
    for (size_t i = 1; i < c->fl_len; i++) {
        if (c->fl[i - 1].arrive_at > c->fl[i].arrive_at)
            violation(w, "the wire is out of order at %lu of %lu", i, c->fl_len);
    }
}

/* A TCB that holds unsent or unacknowledged data or FIN has a timer armed:
 * nothing waits forever (RFC 9293 3.10.4, 3.8.6.1). */
static void check_timer_armed(struct watch *w, const struct tcb *t)
{
    if (t->state == CLOSED || t->state == LISTEN)
        return;
    bool holds = tcb_unsent(t) > 0 || t->snd_una != t->snd_nxt ||
                 (t->close_requested && !(t->fin_sent && seq_gt(t->snd_una, t->fin_seq)));
    bool armed = t->rtx_timer.armed || t->tw_timer.armed || t->persist_timer.armed;
    if (holds && !armed && !w->failure[0])
        snprintf(w->failure, sizeof w->failure, "%s %s holds data or FIN with no timer armed (%zu unsent, "
                 "SND.UNA %u SND.NXT %u SND.WND %u, t=%llu)", ep_name(t->ep), tcp_state_name(t->state), tcb_unsent(t),
                 t->snd_una, t->snd_nxt, t->snd_wnd, (unsigned long long)w->s->sim.now);
}

static void check_timers(struct watch *w)
{
    const struct sim *sim = &w->s->sim;
    for (int ep = 0; ep < EP_COUNT; ep++)
        check_timer_armed(w, &sim->tcb[ep]);
    for (size_t i = 0; i < sim->lst.n_child; i++)
        check_timer_armed(w, sim->lst.child[i]);
}

static void observe(void *ctx, const struct event *ev)
{
    struct watch *w = ctx;
    const struct sim *sim = &w->s->sim;
    w->events++;
    for (int ep = 0; ep < EP_COUNT; ep++) {
        const struct tcb *t = &sim->tcb[ep];
        /* SND.UNA =< SND.NXT, modulo 2^32 */
        if (tcp_state_synchronized(t->state) && !seq_le(t->snd_una, t->snd_nxt))
            violation(w, "SND.UNA %lu > SND.NXT %lu", t->snd_una, t->snd_nxt);
    }
    switch (ev->type) {
    case EV_STATE:
        if (!legal(ev->from, ev->to, sim->cfg.profile->time_wait_reopen) && !w->failure[0])
            snprintf(w->failure, sizeof w->failure, "illegal transition %s -> %s",
                     tcp_state_name(ev->from), tcp_state_name(ev->to));
        if (!ev->port && sim_tcb((struct sim *)sim, ev->ep)->state != ev->to && sim->tcb[ev->ep].state != ev->to)
            violation(w, "state event to %lu but the TCB is in %lu", ev->to, sim->tcb[ev->ep].state);
        break;
    case EV_SEND:
        if (ev->seg->id != sim->chan.hist_len)
            violation(w, "sent #%lu but the history holds %lu", ev->seg->id, sim->chan.hist_len);
        break;
    case EV_DELIVER:
        check_timers(w);    /* the previous event is fully processed */
        if (channel_fate(&sim->chan, ev->seg->id) != FATE_DELIVERED || channel_in_flight(&sim->chan, ev->seg->id))
            violation(w, "#%lu delivered but still in flight (fate %lu)", ev->seg->id, channel_fate(&sim->chan, ev->seg->id));
        break;
    case EV_DROP:
        if (channel_fate(&sim->chan, ev->seg->id) == FATE_DELIVERED || channel_in_flight(&sim->chan, ev->seg->id))
            violation(w, "#%lu dropped but delivered or in flight (fate %lu)", ev->seg->id, channel_fate(&sim->chan, ev->seg->id));
        break;
    default:
        break;
    }
}

static const char *const flags[] = { "SYN", "ACK", "SYN,ACK", "FIN,ACK", "RST", "RST,ACK", "PSH,ACK", "none" };
static const char *const eps[] = { "client", "server", "c", "s" };
static const char *const dirs[] = { "c->s", "s->c" };

/* One random command line, good or bad. */
void random_command(struct rng *r, char *buf, size_t n, size_t hist)
{
    uint32_t id = (uint32_t)rng_below(r, (uint32_t)hist + 2);    /* sometimes unknown */
    uint32_t seq = 100 + (uint32_t)rng_below(r, 40) - 20 + (rng_below(r, 2) ? 200 : 0);
    const char *ep = eps[rng_below(r, 4)], *dir = dirs[rng_below(r, 2)];
    switch (rng_below(r, 45)) {
    case 0: case 1: snprintf(buf, n, "server listen"); break;
    case 2: case 3: snprintf(buf, n, "client connect"); break;
    case 4: snprintf(buf, n, "%s connect", ep); break;
    case 5: snprintf(buf, n, "%s send %u", ep, 1 + (unsigned)rng_below(r, 4000)); break;
    case 6: snprintf(buf, n, "%s send \"hi\"", ep); break;
    case 7: case 8: snprintf(buf, n, "%s close", ep); break;
    case 9: snprintf(buf, n, "%s abort", ep); break;
    case 10: snprintf(buf, n, "%s ack", ep); break;
    case 11: snprintf(buf, n, "%s crash", ep); break;
    case 12: snprintf(buf, n, "step"); break;
    case 13: snprintf(buf, n, "run"); break;
    case 14: snprintf(buf, n, "advance %ums", (unsigned)rng_below(r, 5000)); break;
    case 15: snprintf(buf, n, "advance"); break;
    case 16: snprintf(buf, n, "deliver #%u", id); break;
    case 17: snprintf(buf, n, "drop #%u", id); break;
    case 18: snprintf(buf, n, "drop next %s %s", dir, flags[rng_below(r, 8)]); break;
    case 19: snprintf(buf, n, "dup #%u", id); break;
    case 20: snprintf(buf, n, "delay #%u %ums", id, (unsigned)rng_below(r, 3000)); break;
    case 21: snprintf(buf, n, "loss %s %u", dir, (unsigned)rng_below(r, 60)); break;
    case 22: snprintf(buf, n, "inject %s %s seq=%u ack=%u len=%u%s", dir, flags[rng_below(r, 8)], seq,
                      seq + 200 * (unsigned)rng_below(r, 2) - 100, (unsigned)rng_below(r, 3),
                      rng_below(r, 4) ? "" : " sport=41000"); break;
    case 23: snprintf(buf, n, "replay #%u%s", id, rng_below(r, 2) ? " delay 1s" : ""); break;
    case 24: snprintf(buf, n, "undo"); break;
    case 25: snprintf(buf, n, "reset"); break;
    case 26: snprintf(buf, n, "set delivery %s", rng_below(r, 2) ? "step" : "auto"); break;
    case 27: snprintf(buf, n, "set %s autoack %s", ep, rng_below(r, 2) ? "off" : "on"); break;
    case 28: snprintf(buf, n, "set %s %u", rng_below(r, 2) ? "retries" : "mss", 1 + (unsigned)rng_below(r, 1500)); break;
    case 29: snprintf(buf, n, "set msl %us", 1 + (unsigned)rng_below(r, 30)); break;
    case 30: snprintf(buf, n, "set rfc1337 %s", rng_below(r, 2) ? "on" : "off"); break;
    case 31: snprintf(buf, n, "%s", rng_below(r, 2) ? "show" : "history"); break;
    case 32: snprintf(buf, n, "segment #%u", id); break;
    case 34: snprintf(buf, n, "server listen backlog %u", 1 + (unsigned)rng_below(r, 3)); break;
    case 35: snprintf(buf, n, "server accept"); break;
    case 36: snprintf(buf, n, "flood %u", 1 + (unsigned)rng_below(r, 4)); break;
    case 37: snprintf(buf, n, "set syncookies %s", rng_below(r, 2) ? "on" : "off"); break;
    case 38: snprintf(buf, n, "set handshake %s", rng_below(r, 4) ? "three-way" : "two-way"); break;
    case 39: snprintf(buf, n, "set %s autoread %s", ep, rng_below(r, 3) ? "off" : "on"); break;
    case 40: snprintf(buf, n, "%s read %u", ep, (unsigned)rng_below(r, 3000)); break;
    case 41:
        if (rng_below(r, 2))
            snprintf(buf, n, "inject %s ACK seq=%u ack=%u win=%u", dir, seq, seq + 100, (unsigned)rng_below(r, 2) * 500);
        else
            snprintf(buf, n, "set window %u", (unsigned)rng_below(r, 5000));
        break;
    case 42: snprintf(buf, n, "set profile %s", (const char *[]){ "rfc9293", "rfc793", "linux" }[rng_below(r, 3)]); break;
    case 43: snprintf(buf, n, "%s shutdown", ep); break;
    case 44: snprintf(buf, n, "set ratelimit %ums", (unsigned)rng_below(r, 2) * 500); break;
    default: snprintf(buf, n, "%s %s", ep, rng_below(r, 2) ? "conect" : "\"unterminated"); break;
    }
}

/* Run one random session into a memory buffer; returns the output. */
static char *run_session(uint64_t seed, struct watch *w)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    ck_assert_ptr_nonnull(f);
    struct sim_config cfg;
    sim_config_default(&cfg);
    cfg.seed = seed;
    struct session s;
    session_init(&s, &cfg, f, f);
    s.echo = true;
    s.observer = observe;
    s.observer_ctx = w;
    w->s = &s;
    struct rng r;
    rng_seed(&r, seed);
    char line[200];
    session_exec(&s, "set isn client 100");
    session_exec(&s, "set isn server 300");
    for (int i = 0; i < COMMANDS && !w->failure[0]; i++) {
        random_command(&r, line, sizeof line, s.sim.chan.hist_len);
        if (getenv("PROP_TRACE") && seed == strtoull(getenv("PROP_TRACE"), NULL, 10))
            fprintf(stderr, "%s\n", line);
        session_exec(&s, line);
        check_channel(w);
        check_timers(w);
        if (w->failure[0])
            fprintf(stderr, "seed %llu, command %d '%s': %s\n", (unsigned long long)seed, i, line, w->failure);
    }
    session_free(&s);
    fclose(f);
    return out;
}

START_TEST(test_random_sessions_keep_invariants)
{
    size_t events = 0;
    for (uint64_t seed = 1; seed <= SESSIONS; seed++) {
        struct watch a = { 0 }, b = { 0 };
        char *first = run_session(seed, &a);
        ck_assert_msg(!a.failure[0], "seed %llu: %s", (unsigned long long)seed, a.failure);
        char *second = run_session(seed, &b);
        ck_assert_msg(strcmp(first, second) == 0, "seed %llu: the same commands gave different output",
                      (unsigned long long)seed);
        ck_assert_uint_eq(a.events, b.events);
        events += a.events;
        free(first);
        free(second);
    }
    ck_assert_uint_gt(events, SESSIONS * 20);      /* the sessions did something */
}
END_TEST

Suite *property_suite(void)
{
    Suite *s = suite_create("property");
    TCase *tc = tcase_create("random sessions");
    tcase_set_timeout(tc, 0);
    tcase_add_test(tc, test_random_sessions_keep_invariants);
    suite_add_tcase(s, tc);
    return s;
}
