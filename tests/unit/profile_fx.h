/* profile_fx.h - helpers of the profile tests (test_profiles.c,
 * test_profile_edges.c): a simulation under a profile, segments that
 * arrive at once, what the TCBs sent, and a connection whose server hears
 * only injected segments. */
#ifndef TCPSIM_TEST_PROFILE_FX_H
#define TCPSIM_TEST_PROFILE_FX_H

#include "fixture.h"

static inline struct fx *start(const struct profile *p, uint32_t latency)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    profile_apply(p, &f->sim.cfg);
    f->sim.cfg.latency_ms = latency;
    return f;
}

static inline void stop(struct fx *f)
{
    fx_free(f);
    free(f);
}

/* seg arrives at its destination now (latency 0) or after the latency. */
static inline void arrive(struct fx *f, struct segment seg)
{
    ck_assert(sim_inject(&f->sim, &seg) != 0);
    fx_run(f);
}

static inline struct tcb *tcb(struct fx *f, enum endpoint_id ep) { return &f->sim.tcb[ep]; }

/* The segments the TCBs sent since fx_clear (not the injections). */
static inline size_t tcb_sent(struct fx *f, const struct segment **out, size_t max)
{
    const struct segment *all[64];
    size_t n = fx_sent(f, all, 64), k = 0;
    for (size_t i = 0; i < n; i++)
        if (all[i]->origin == ORIGIN_TCB && k < max)
            out[k++] = all[i];
    return k;
}

/* The one segment sent since fx_clear, or NULL when none or several. */
static inline const struct segment *only_sent(struct fx *f)
{
    const struct segment *s[4];
    return tcb_sent(f, s, 4) == 1 ? s[0] : NULL;
}

/* The reason of the last state change, which explain shows. */
static inline const char *last_state_why(const struct fx *f)
{
    for (size_t i = f->n; i-- > 0;)
        if (f->ev[i].type == EV_STATE)
            return f->ev[i].why;
    return "";
}

/* A connection, the client active, with the latency given.  From then
 * on the server's segments are lost, so that only injected segments
 * reach it and the client never answers (call talk() to undo that). */
static inline struct fx *connected(const struct profile *p, uint32_t latency)
{
    struct fx *f = start(p, latency);
    tcb_open_passive(tcb(f, EP_SERVER));
    tcb_open_active(tcb(f, EP_CLIENT));
    fx_run(f);
    ck_state(f, EP_SERVER, ESTABLISHED);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    fx_clear(f);
    return f;
}

static inline void talk(struct fx *f) { sim_set_loss(&f->sim, EP_SERVER, 0); }

/* Put the server in TIME-WAIT after it closed first. */
static inline struct fx *server_time_wait(bool orphan)
{
    struct fx *f = connected(&profile_linux, 0);
    struct tcb *s = tcb(f, EP_SERVER);
    talk(f);
    if (orphan)
        tcb_close_orphan(s);
    else
        tcb_close(s);
    fx_run(f);
    sim_advance(&f->sim, 10, 100);          /* the client's delayed ACK */
    ck_state(f, EP_SERVER, FIN_WAIT_2);
    sim_set_loss(&f->sim, EP_SERVER, 1000000);
    fx_clear(f);
    arrive(f, fx_seg(EP_SERVER, TCP_FIN | TCP_ACK, s->rcv_nxt, s->snd_nxt, 0));
    ck_state(f, EP_SERVER, TIME_WAIT);
    return f;
}

#endif
