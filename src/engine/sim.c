/* sim.c - the simulation: clock, channel operations, loss and drop rules,
 * ISS choice, and the order in which things happen.
 *
 * Order is what makes a run reproducible: segments in flight arrive by
 * time, then by id; at equal times an arrival comes before a timer (the
 * ACK that arrives just in time cancels the retransmission), and the
 * client's timers before the server's.
 */
#include <stdlib.h>
#include <string.h>

#include "tcpsim/sim.h"

void sim_config_default(struct sim_config *cfg)
{
    *cfg = (struct sim_config){
        .latency_ms = 50,
        .msl_ms = 30000,
        .rfc1337 = false,
        .two_way = false,
        .seed = 1,
        .port = { 40000, 80 },
    };
    /* window, MSS, RTO, retries, rate limit, ISN mode: the default profile's */
    profile_apply(&profile_rfc9293, cfg);
}

/* --- the TCBs' way to the simulation (host.h) --------------------------- */

static void sim_transmit(struct sim *s, struct segment *seg);

static void host_transmit(void *ctx, struct segment *seg) { sim_transmit(ctx, seg); }
static void host_emit(void *ctx, struct event *ev) { sim_emit(ctx, ev); }
static int host_fail(void *ctx, enum endpoint_id ep, const char *message, const char *hint)
{
    return sim_fail(ctx, ep, message, hint);
}
static seq_t host_choose_iss(void *ctx, enum endpoint_id ep, uint16_t remote_port)
{
    return sim_choose_iss(ctx, ep, remote_port);
}

/* The two endpoints, fresh; the server's TCB is the one that may listen
 * with a backlog. */
static void init_tcbs(struct sim *s)
{
    for (int ep = 0; ep < EP_COUNT; ep++)
        tcb_init(&s->tcb[ep], &s->host, (enum endpoint_id)ep);
    s->tcb[EP_SERVER].listener = &s->lst;
    s->lst.tcb = &s->tcb[EP_SERVER];
}

void sim_init(struct sim *s, const struct sim_config *cfg, event_fn fn, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->on_event = fn;
    s->ctx = ctx;
    s->host = (struct tcb_host){ .cfg = &s->cfg, .now = &s->now, .ctx = s, .transmit = host_transmit,
                                 .emit = host_emit, .choose_iss = host_choose_iss, .fail = host_fail };
    init_tcbs(s);
    channel_init(&s->chan);
    rng_seed(&s->rng, cfg->seed);
}

void sim_free(struct sim *s)
{
    listener_free(&s->lst);
    for (int ep = 0; ep < EP_COUNT; ep++)
        tcb_free(&s->tcb[ep]);
    channel_free(&s->chan);
}

void sim_reset(struct sim *s)
{
    bool cookies = s->lst.syncookies;
    bool autoack[EP_COUNT], autoread[EP_COUNT];
    listener_free(&s->lst);
    s->lst.syncookies = cookies;
    for (int ep = 0; ep < EP_COUNT; ep++) {
        autoack[ep] = s->tcb[ep].autoack;
        autoread[ep] = s->tcb[ep].autoread;
        tcb_free(&s->tcb[ep]);
    }
    init_tcbs(s);
    for (int ep = 0; ep < EP_COUNT; ep++) {
        s->tcb[ep].autoack = autoack[ep];
        s->tcb[ep].autoread = autoread[ep];
    }
    channel_free(&s->chan);
    s->now = 0;
    s->n_rules = 0;
    s->error = s->hint = NULL;
    rng_seed(&s->rng, s->cfg.seed);
}

const char *sim_error(const struct sim *s) { return s->error ? s->error : ""; }
const char *sim_hint(const struct sim *s) { return s->hint ? s->hint : ""; }

void sim_emit(struct sim *s, struct event *ev)
{
    ev->t = s->now;
    if (s->on_event)
        s->on_event(s->ctx, ev);
}

int sim_fail(struct sim *s, enum endpoint_id ep, const char *message, const char *hint)
{
    s->error = message;
    s->hint = hint;
    struct event ev = { .type = EV_ERROR, .ep = ep, .message = message, .hint = hint };
    sim_emit(s, &ev);
    return -1;
}

/* RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
 * M a clock ticking every 4 microseconds.  The secret is the seed; the two
 * hosts stand for their addresses. */
seq_t sim_choose_iss(struct sim *s, enum endpoint_id ep, uint16_t remote_port)
{
    if (s->isn_set[ep]) {
        s->isn_set[ep] = false;     /* "the ISS of that endpoint's next connection" */
        return s->isn[ep];
    }
    /* The clock ticks every 4 us (RFC 793, 6528); every 64 ns on linux. */
    seq_t m = (seq_t)(s->now * (1000000u / s->cfg.profile->isn_tick_ns));
    uint32_t n = s->connections[ep]++;
    switch (s->cfg.isn_mode) {
    case ISN_CLOCK:
        return m;
    case ISN_COUNTER: {
        seq_t base = (seq_t)rng_mix(s->cfg.seed ^ 0x6a09e667f3bcc908ull);
        return base + 64000u * n + (seq_t)(s->now * 128);
    }
    case ISN_RANDOM:
        break;
    }
    uint64_t tuple = (uint64_t)ep << 48 | (uint64_t)s->cfg.port[ep] << 32 | (uint64_t)remote_port << 16 |
                     (uint64_t)ep_peer(ep);
    return m + (seq_t)rng_mix(rng_mix(s->cfg.seed) ^ tuple);
}

/* --- putting segments on the wire ------------------------------------- */

static bool rule_matches(const struct drop_rule *r, const struct segment *seg)
{
    if (!r->any_dir && r->src != seg->src)
        return false;
    if (r->any_flags)
        return true;
    /* Every flag named is set, and no SYN, FIN or RST that was not named. */
    uint8_t ctl = TCP_SYN | TCP_FIN | TCP_RST;
    return (seg->flags & r->flags) == r->flags && (seg->flags & ctl & ~r->flags) == 0;
}

static void drop_recorded(struct sim *s, uint32_t id, enum drop_reason why)
{
    channel_set_fate(&s->chan, id, why == DROP_USER ? FATE_DROPPED_USER : FATE_DROPPED_LOSS);
    struct event ev = { .type = EV_DROP, .seg = channel_get(&s->chan, id), .drop_reason = why };
    sim_emit(s, &ev);
}

/* Record, report, then lose or launch: the one path onto the wire. */
static uint32_t put_on_wire(struct sim *s, struct segment *seg, uint64_t extra_delay, bool may_lose)
{
    seg->sent_at = s->now;
    uint32_t id = channel_record(&s->chan, seg);
    if (!id)
        return 0;
    struct event ev = { .type = EV_SEND, .seg = channel_get(&s->chan, id) };
    sim_emit(s, &ev);
    if (++s->sent_count == s->lose_nth) {     /* sweep: this one is lost */
        drop_recorded(s, id, DROP_USER);
        return id;
    }
    if (may_lose) {
        const struct segment *rec = channel_get(&s->chan, id);
        for (size_t i = 0; i < s->n_rules; i++) {
            if (rule_matches(&s->rules[i], rec)) {
                memmove(&s->rules[i], &s->rules[i + 1], (s->n_rules - i - 1) * sizeof s->rules[0]);
                s->n_rules--;
                drop_recorded(s, id, DROP_USER);
                return id;
            }
        }
        uint32_t ppm = s->loss_ppm[seg->src];
        if (ppm && rng_below(&s->rng, 1000000) < ppm) {
            drop_recorded(s, id, DROP_LOSS);
            return id;
        }
    }
    channel_launch(&s->chan, id, s->now + s->cfg.latency_ms + extra_delay);
    return id;
}

static void sim_transmit(struct sim *s, struct segment *seg)
{
    put_on_wire(s, seg, 0, true);
}

uint32_t sim_inject(struct sim *s, const struct segment *tmpl)
{
    struct segment seg = *tmpl;
    seg.retransmit = false;
    seg.origin = ORIGIN_INJECT;
    seg.copy_of = 0;
    if (!seg.why)
        seg.why = "injected: crafted by the user, bypassing the sender's TCB";
    uint32_t id = put_on_wire(s, &seg, 0, true);
    if (!id)
        sim_fail(s, seg.src, "out of memory", "reset the simulation");
    return id;
}

uint32_t sim_replay(struct sim *s, uint32_t id, uint64_t extra_delay_ms)
{
    const struct segment *old = channel_get(&s->chan, id);
    if (!old) {
        sim_fail(s, EP_CLIENT, channel_forgotten(&s->chan, id) ? "that segment is forgotten: tcpsim keeps the "
                 "last 16384" : "no such segment", "an id shown by history");
        return 0;
    }
    if (old->len && !old->data) {
        sim_fail(s, EP_CLIENT, "its payload is forgotten: tcpsim keeps the payload of the last 4 MiB sent",
                 "a later segment, or inject with the same header");
        return 0;
    }
    struct segment seg = *old;
    seg.retransmit = false;
    seg.origin = ORIGIN_REPLAY;
    seg.copy_of = id;
    seg.why = "replay: a copy of an earlier segment, an old duplicate";
    uint32_t nid = put_on_wire(s, &seg, extra_delay_ms, false);
    if (!nid)
        sim_fail(s, seg.src, "out of memory", "reset the simulation");
    return nid;
}

/* --- channel operations ------------------------------------------------ */

static int need_in_flight(struct sim *s, uint32_t id)
{
    if (!channel_get(&s->chan, id))
        return sim_fail(s, EP_CLIENT, channel_forgotten(&s->chan, id) ? "that segment is forgotten: tcpsim "
                        "keeps the last 16384" : "no such segment", "an id shown by history");
    if (!channel_in_flight(&s->chan, id))
        return sim_fail(s, EP_CLIENT, "segment is not in flight", "an id shown by inflight");
    return 0;
}

static void process(struct sim *s, const struct segment *arrived);

static void deliver(struct sim *s, uint32_t id)
{
    channel_remove(&s->chan, id);
    /* Pinned, its payload stays while it is processed; and a copy of its
     * header: processing may put new segments in the history and move it. */
    s->chan.pinned = id;
    channel_set_fate(&s->chan, id, FATE_DELIVERED);
    struct segment seg = *channel_get(&s->chan, id);
    process(s, &seg);
    s->chan.pinned = 0;
    channel_set_fate(&s->chan, id, FATE_DELIVERED);     /* its payload may go now */
}

static void process(struct sim *s, const struct segment *arrived)
{
    struct segment seg = *arrived;
    enum endpoint_id to = ep_peer(seg.src);
    struct event ev = { .type = EV_DELIVER, .seg = &seg, .ep = to };
    sim_emit(s, &ev);
    if (seg.dport != s->cfg.port[to] || s->cfg.absent[to]) {
        /* Another port of that address, or an absent host: one tcpsim
         * does not simulate (an attacker's probe, a spoofed SYN's source,
         * the remote side of a packetdrill script). */
        struct event note = { .type = EV_NOTE, .ep = to, .seg = &seg,
                              .why = s->cfg.absent[to] ? "absent host: not simulated, nobody answers"
                                                       : "not for our port: that host is not simulated, nobody answers" };
        sim_emit(s, &note);
        return;
    }
    /* RFC 9293 3.4.1: the TCB of the segment's port pair, else none. */
    struct tcb *t = to == EP_SERVER && s->lst.backlog ? listener_demux(&s->lst, &seg) : &s->tcb[to];
    if (t->rport == seg.sport || t->state == CLOSED || t->state == LISTEN)
        tcb_segment_arrives(t, &seg);       /* its connection, a listener, or CLOSED processing */
    else
        tcb_no_connection_arrives(t, &seg);
    if (s->lst.n_child)
        listener_reap(&s->lst);
}

int sim_deliver(struct sim *s, uint32_t id)
{
    if (need_in_flight(s, id))
        return -1;
    deliver(s, id);
    return 0;
}

int sim_drop(struct sim *s, uint32_t id)
{
    if (need_in_flight(s, id))
        return -1;
    channel_remove(&s->chan, id);
    drop_recorded(s, id, DROP_USER);
    return 0;
}

int sim_drop_next(struct sim *s, struct drop_rule rule)
{
    if (s->n_rules == SIM_MAX_DROP_RULES)
        return sim_fail(s, EP_CLIENT, "too many pending drop rules", "at most 16; reset clears them");
    s->rules[s->n_rules++] = rule;
    return 0;
}

int sim_dup(struct sim *s, uint32_t id)
{
    if (need_in_flight(s, id))
        return -1;
    uint64_t at = channel_in_flight(&s->chan, id)->arrive_at;
    struct segment seg = *channel_get(&s->chan, id);
    seg.why = "duplicate: the network delivers this segment twice";
    seg.origin = ORIGIN_DUP;
    seg.copy_of = id;
    seg.sent_at = s->now;
    uint32_t nid = channel_record(&s->chan, &seg);
    if (!nid)
        return sim_fail(s, seg.src, "out of memory", "reset the simulation");
    struct event ev = { .type = EV_SEND, .seg = channel_get(&s->chan, nid) };
    sim_emit(s, &ev);
    channel_launch(&s->chan, nid, at);      /* with the original, after it by id */
    return 0;
}

int sim_delay(struct sim *s, uint32_t id, uint64_t ms)
{
    if (need_in_flight(s, id))
        return -1;
    uint64_t at = channel_in_flight(&s->chan, id)->arrive_at;
    channel_remove(&s->chan, id);
    channel_launch(&s->chan, id, at + ms);
    return 0;
}

void sim_set_loss(struct sim *s, enum endpoint_id src, uint32_t ppm)
{
    s->loss_ppm[src] = ppm > 1000000 ? 1000000 : ppm;
}

/* --- the clock ---------------------------------------------------------- */

/* The TCB whose timer is due first: the client's, the server's, then a
 * listener's children in the order they were born. */
static bool next_timer(const struct sim *s, uint64_t *at, struct tcb **who)
{
    bool any = false;
    size_t n = EP_COUNT + s->lst.n_child;
    for (size_t i = 0; i < n; i++) {
        struct tcb *t = i < EP_COUNT ? (struct tcb *)&s->tcb[i] : s->lst.child[i - EP_COUNT];
        uint64_t when;
        if (tcb_next_timer(t, &when) && (!any || when < *at)) {
            *at = when;
            *who = t;
            any = true;
        }
    }
    return any;
}

bool sim_next_event_time(const struct sim *s, uint64_t *at)
{
    const struct flight *f = channel_first(&s->chan);
    struct tcb *who;
    uint64_t t;
    bool timer = next_timer(s, &t, &who);
    if (f && (!timer || f->arrive_at <= t)) {
        *at = f->arrive_at;
        return true;
    }
    if (timer)
        *at = t;
    return timer;
}

bool sim_step(struct sim *s)
{
    const struct flight *f = channel_first(&s->chan);
    struct tcb *who = NULL;
    uint64_t t = 0;
    bool timer = next_timer(s, &t, &who);
    if (f && (!timer || f->arrive_at <= t)) {
        if (f->arrive_at > s->now)
            s->now = f->arrive_at;
        deliver(s, f->id);
        return true;
    }
    if (!timer)
        return false;
    if (t > s->now)
        s->now = t;
    tcb_fire_timers(who, s->now);
    listener_reap(&s->lst);
    return true;
}

static bool stop_now(struct sim *s)
{
    if (s->should_stop && s->should_stop(s->ctx))
        s->stopped = true;
    return s->stopped;
}

bool sim_run(struct sim *s, size_t max_events)
{
    size_t n = 0;
    s->stopped = false;
    while (s->chan.fl_len > 0) {
        if (n++ == max_events || stop_now(s))
            return false;
        sim_step(s);
    }
    return true;
}

bool sim_advance(struct sim *s, uint64_t ms, size_t max_events)
{
    uint64_t target = ms > UINT64_MAX - s->now ? UINT64_MAX : s->now + ms;
    uint64_t at;
    size_t n = 0;
    s->stopped = false;
    while (sim_next_event_time(s, &at) && at <= target) {
        if (n++ == max_events || stop_now(s))
            return false;
        sim_step(s);
    }
    s->now = target;
    return true;
}

bool sim_advance_before(struct sim *s, uint64_t at, size_t max_events)
{
    uint64_t next;
    size_t n = 0;
    while (sim_next_event_time(s, &next) && next < at) {
        if (n++ == max_events)
            return false;
        sim_step(s);
    }
    if (at > s->now)
        s->now = at;
    return true;
}

bool sim_next_timer(const struct sim *s, uint64_t *at)
{
    struct tcb *who;
    return next_timer(s, at, &who);
}

bool sim_advance_to_timer(struct sim *s, size_t max_events)
{
    uint64_t at;
    if (!sim_next_timer(s, &at))
        return false;
    return sim_advance(s, at > s->now ? at - s->now : 0, max_events);
}
