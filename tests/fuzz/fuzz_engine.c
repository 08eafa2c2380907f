/* fuzz_engine.c - libFuzzer target: a random sequence of engine operations
 * (user calls, deliveries, drops, duplicates, delays, injections, replays,
 * loss, the clock, a listener's backlog, accept, flood, cookies, the
 * two-way variant, a reading application and small windows, segments
 * from other ports and with the MSS option), each byte choosing the next
 * one.  It checks SND.UNA =< SND.NXT after every event, and after every
 * operation the wire against each segment's fate and that a TCB holding
 * data or a FIN has a timer armed; it aborts (a finding) when one fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcpsim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
    const uint8_t *p;
    size_t n;
};

static uint32_t take(struct input *in, int bytes)
{
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v = v << 8;
        if (in->n) {
            v |= *in->p++;
            in->n--;
        }
    }
    return v;
}

/* After every event: SND.UNA =< SND.NXT, modulo 2^32. */
static void check_tcbs(const struct sim *s)
{
    for (int ep = 0; ep < EP_COUNT; ep++) {
        const struct tcb *t = &s->tcb[ep];
        if (tcp_state_synchronized(t->state) && !seq_le(t->snd_una, t->snd_nxt)) {
            fprintf(stderr, "SND.UNA %u > SND.NXT %u\n", t->snd_una, t->snd_nxt);
            abort();
        }
    }
}

/* After every operation (a segment being sent is recorded before it is
 * launched): every segment is in flight exactly when its fate says so.
 * Only a segment on the wire now, on it after the last check, or sent
 * since can have changed: those are checked, so that the check costs the
 * wire, not the history.  listed[id] marks the wire for a moment. */
struct wire_check {
    uint8_t *listed;
    size_t cap;
    uint32_t *before;           /* the wire at the last check */
    size_t n_before, cap_before;
    size_t hist_len;            /* the history at the last check */
};

static void fail_channel(size_t id)
{
    fprintf(stderr, "segment #%zu: fate and wire disagree\n", id);
    abort();
}

/* After every operation: nothing waits forever (RFC 9293 3.10.4, 3.8.6.1). */
static void check_timer(const struct tcb *t)
{
    if (t->state == CLOSED || t->state == LISTEN)
        return;
    bool holds = tcb_unsent(t) > 0 || t->snd_una != t->snd_nxt ||
                 (t->close_requested && !(t->fin_sent && seq_gt(t->snd_una, t->fin_seq)));
    if (holds && !t->rtx_timer.armed && !t->tw_timer.armed && !t->persist_timer.armed) {
        fprintf(stderr, "%s %s holds data or FIN with no timer armed\n", ep_name(t->ep), tcp_state_name(t->state));
        abort();
    }
}

static void check_timers(const struct sim *s)
{
    for (int ep = 0; ep < EP_COUNT; ep++)
        check_timer(&s->tcb[ep]);
    for (size_t i = 0; i < s->lst.n_child; i++)
        check_timer(s->lst.child[i]);
}

static void check_one(const struct sim *s, const struct wire_check *w, size_t id)
{
    if (id < s->chan.hist_first || id > s->chan.hist_len)
        return;
    if ((channel_fate(&s->chan, (uint32_t)id) == FATE_IN_FLIGHT) != (w->listed[id] != 0))
        fail_channel(id);
}

static void check_channel(const struct sim *s, struct wire_check *w)
{
    const struct channel *c = &s->chan;
    if (c->hist_len < w->hist_len) {            /* reset */
        w->hist_len = 0;
        w->n_before = 0;
    }
    if (c->hist_len + 1 > w->cap) {
        size_t cap = 2 * (c->hist_len + 1);
        uint8_t *p = realloc(w->listed, cap);
        if (!p)
            abort();
        memset(p + w->cap, 0, cap - w->cap);
        w->listed = p;
        w->cap = cap;
    }
    for (size_t i = 0; i < c->fl_len; i++) {
        if (w->listed[c->fl[i].id]++ || (i && c->fl[i - 1].arrive_at > c->fl[i].arrive_at))
            fail_channel(c->fl[i].id);          /* twice on the wire, or out of order */
    }
    for (size_t i = 0; i < c->fl_len; i++)
        check_one(s, w, c->fl[i].id);
    for (size_t i = 0; i < w->n_before; i++)
        check_one(s, w, w->before[i]);
    for (size_t id = w->hist_len + 1; id <= c->hist_len; id++)
        check_one(s, w, id);
    if (c->fl_len > w->cap_before) {
        uint32_t *p = realloc(w->before, 2 * c->fl_len * sizeof *p);
        if (!p)
            abort();
        w->before = p;
        w->cap_before = 2 * c->fl_len;
    }
    for (size_t i = 0; i < c->fl_len; i++) {
        w->listed[c->fl[i].id] = 0;
        w->before[i] = c->fl[i].id;
    }
    w->n_before = c->fl_len;
    w->hist_len = c->hist_len;
}

/* A fuzz input's work is bounded in events (see budget.h): past them every
 * run stops at once. */
#define FUZZ_EVENTS 200000
static unsigned long events;

static void on_event(void *ctx, const struct event *ev)
{
    (void)ev;
    events++;
    check_tcbs(ctx);
}

static bool spent(void *ctx)
{
    (void)ctx;
    return events >= FUZZ_EVENTS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = { data, size };
    struct sim_config cfg;
    sim_config_default(&cfg);
    cfg.seed = take(&in, 2);
    cfg.mss = 1 + take(&in, 1) * 8;
    cfg.retries = take(&in, 1) % 8;
    cfg.syn_retries = cfg.retries + 1;
    static struct sim s;            /* large; one at a time */
    static struct wire_check w;
    sim_init(&s, &cfg, on_event, &s);
    s.should_stop = spent;
    events = 0;
    w.hist_len = w.n_before = 0;
    for (int ops = 0; in.n && ops < 500 && events < FUZZ_EVENTS; ops++) {
        uint32_t op = take(&in, 1);
        enum endpoint_id ep = (op & 0x80) ? EP_SERVER : EP_CLIENT;
        struct tcb *t = &s.tcb[ep];
        uint32_t id = take(&in, 1) % (uint32_t)(s.chan.hist_len + 2);
        switch (op & 0x1f) {
        case 0: tcb_open_passive(t); break;
        case 1: tcb_open_active(t); break;
        case 2: {
            static const uint8_t bytes[4096];
            tcb_send(t, bytes, 1 + take(&in, 1) * 16);
            break;
        }
        case 3: tcb_close(t); break;
        case 4: tcb_abort(t); break;
        case 5: tcb_send_ack(t); break;
        case 6: tcb_crash(t); break;
        case 7: sim_step(&s); break;
        case 8: sim_run(&s, 2000); break;
        case 9: sim_advance(&s, take(&in, 2) * 10u, 2000); break;
        case 10: sim_advance_to_timer(&s, 2000); break;
        case 11: sim_deliver(&s, id); break;
        case 12: sim_drop(&s, id); break;
        case 13: sim_dup(&s, id); break;
        case 14: sim_delay(&s, id, take(&in, 2)); break;
        case 15: sim_replay(&s, id, take(&in, 1) * 10u); break;
        case 16: {
            struct segment g = { .src = ep, .sport = cfg.port[ep], .dport = cfg.port[ep_peer(ep)],
                                 .flags = (uint8_t)(take(&in, 1) & TCP_FLAGS_ALL), .wnd = (uint16_t)take(&in, 2) };
            g.seq = s.tcb[ep].snd_nxt + take(&in, 1) - 128;
            g.ack = s.tcb[ep].rcv_nxt + take(&in, 1) - 128;
            if (op & 0x40)
                g.sport = (uint16_t)(41000 + (op & 0x20));     /* another port: no connection */
            if (g.flags & TCP_SYN)
                g.mss = (uint16_t)(take(&in, 1) * 8);            /* 0: no option */
            sim_inject(&s, &g);
            break;
        }
        case 17: sim_set_loss(&s, ep, take(&in, 1) * 4000u); break;
        case 18: {
            struct drop_rule r = { .any_dir = op & 0x40, .src = ep, .any_flags = op & 0x20,
                                   .flags = (uint8_t)(take(&in, 1) & TCP_FLAGS_ALL) };
            sim_drop_next(&s, r);
            break;
        }
        case 19:
            sim_reset(&s);
            w.hist_len = w.n_before = 0;        /* ids start again at #1 */
            break;
        case 20: sim_listen_backlog(&s, 1 + take(&in, 1) % 4); break;
        case 21: sim_accept(&s); break;
        case 22: sim_flood(&s, 1 + take(&in, 1) % 8, 50000, 50003); break;
        case 23: s.lst.syncookies = !s.lst.syncookies; break;
        case 24: s.cfg.two_way = !s.cfg.two_way; break;
        case 25: s.cfg.isn_mode = (enum isn_mode)(take(&in, 1) % 3); break;
        case 26: tcb_close(sim_tcb(&s, EP_SERVER)); break;
        case 27: tcb_set_autoread(t, !t->autoread); break;
        case 28: tcb_read(t, take(&in, 1) * 16u); break;
        case 29: s.cfg.window = take(&in, 1) * 64u; break;         /* 0 included */
        case 30: {
            static const struct profile *const p[] = { &profile_rfc9293, &profile_rfc793, &profile_linux };
            profile_apply(p[take(&in, 1) % 3], &s.cfg);
            break;
        }
        case 31: tcb_close_orphan(t); break;
        default: sim_run(&s, 2000); break;
        }
        check_timers(&s);
        check_channel(&s, &w);
    }
    sim_free(&s);
    return 0;
}
