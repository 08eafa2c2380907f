/* sweep_converge.c - a sweep's run that stops once it is the run with no
 * loss again: the digests of a run's state and their comparison (see
 * sweep_converge.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/lexer.h"
#include "cli/sweep_converge.h"

/* The digests below name every field of these structures.  A field added
 * to one must be added to its digest (or said here why it cannot change
 * a sweep's outcome); these sizes stop the build when one grows it (not
 * when it fits in padding: struct tcb's comment asks for it too). */
#if UINTPTR_MAX == UINT64_MAX && defined(__x86_64__)
_Static_assert(sizeof(struct tcb) == 352, "struct tcb changed: update tcb_digest");
_Static_assert(sizeof(struct sim_config) == 88, "struct sim_config changed: update cfg_digest");
_Static_assert(sizeof(struct segment) == 72, "struct segment changed: update sim_digest");
_Static_assert(sizeof(struct sim) == 1304, "struct sim changed: update sim_digest");
_Static_assert(sizeof(struct listener) == 48, "struct listener changed: update sim_digest");
#endif

#define CONV_MAX_ENTRIES (1u << 18)     /* points recorded: about 20 MiB at most */
#define CONV_EVERY 8                    /* a run compares itself every this many events */

struct conv_entry {
    uint64_t cheap, full[2];
    uint64_t now;               /* the clock, which the digests leave out */
    size_t loop;                /* index into loops, or SIZE_MAX: before a line */
    size_t done;                /* the events that loop had processed */
    int failed;                 /* failed expectations so far */
    unsigned rto[EP_COUNT];     /* RTOs so far */
};

struct conv_loop {
    size_t max, total;          /* its budget, and the events it processed */
};

/* --- digests ------------------------------------------------------------------ */

/* Two independent 64-bit hashes of the same words. */
struct h2 {
    uint64_t a, b;
};

static void put(struct h2 *h, uint64_t x)
{
    h->a = (h->a ^ x) * 0x9e3779b97f4a7c15ull;
    h->a ^= h->a >> 32;
    h->b = (h->b + x) * 0xbf58476d1ce4e5b9ull;
    h->b ^= h->b >> 29;
}

/* Times are digested relative to the clock (now): see conv_check. */
static void timer_digest(struct h2 *h, const struct timer *t, uint64_t now)
{
    put(h, t->armed);
    put(h, t->armed ? t->at - now : 0);     /* read only while armed */
}

/* Every field but where the buffers live (pointers, offsets, capacities,
 * borrowed): what they hold is given by the lengths (payload bytes are
 * not read by anything that decides the outcome). */
static void tcb_digest(struct h2 *h, const struct tcb *t, uint64_t now)
{
    put(h, t->ep);
    put(h, t->listener != NULL);
    put(h, t->state);
    put(h, t->passive_open);
    put(h, t->rport);
    put(h, t->child);
    put(h, t->iss);
    put(h, t->irs);
    put(h, t->snd_una);
    put(h, t->snd_nxt);
    put(h, t->snd_wl1);
    put(h, t->snd_wl2);
    put(h, t->snd_wnd);
    put(h, t->peer_mss);
    put(h, t->snd_wnd_max);
    put(h, t->rcv_nxt);
    put(h, t->rcv_wnd);
    put(h, t->sndbuf != NULL);
    put(h, t->sndbuf_len);
    put(h, t->sndbuf_seq);
    put(h, t->close_requested);
    put(h, t->probe_out);
    put(h, t->zw_answered);
    put(h, t->sws_override);
    put(h, t->persist_shift);
    put(h, t->rcvbuf != NULL);
    put(h, t->rcv_user);
    put(h, t->rcv_buff);
    put(h, t->syn_text != NULL);
    put(h, t->syn_text_len);
    put(h, t->syn_fin);
    put(h, t->fin_sent);
    put(h, t->fin_seq);
    put(h, t->rtxq != NULL);
    put(h, t->rtxq_len - t->rtxq_head);
    for (size_t i = t->rtxq_head; i < t->rtxq_len; i++) {
        put(h, t->rtxq[i].seq);
        put(h, t->rtxq[i].seqlen);
        put(h, t->rtxq[i].flags);
        put(h, t->rtxq[i].count);
    }
    put(h, t->rtt_valid);
    put(h, t->srtt);
    put(h, t->rttvar);
    put(h, t->rto);
    put(h, t->rtt_timing);
    put(h, t->rtt_seq);
    put(h, t->rtt_timing ? now - t->rtt_sent_at : 0);     /* read only while timing */
    put(h, t->syn_backed_off);
    timer_digest(h, &t->rtx_timer, now);
    timer_digest(h, &t->tw_timer, now);
    timer_digest(h, &t->fw2_timer, now);
    timer_digest(h, &t->persist_timer, now);
    timer_digest(h, &t->delack_timer, now);
    put(h, t->orphan);
    put(h, t->oow_acked);
    put(h, t->oow_acked ? now - t->oow_ack_at : 0);       /* read only after one */
    put(h, t->bytes_received);
    put(h, t->autoack);
    put(h, t->autoread);
}

static void cfg_digest(struct h2 *h, const struct sim_config *c)
{
    put(h, c->latency_ms);
    put(h, c->rto_ms);
    put(h, c->rto_max_ms);
    put(h, c->msl_ms);
    put(h, c->mss);
    put(h, c->window);
    put(h, c->retries);
    put(h, c->syn_retries);
    put(h, c->rfc1337);
    put(h, c->isn_mode);
    put(h, c->two_way);
    put(h, c->seed);
    put(h, c->port[EP_CLIENT]);
    put(h, c->port[EP_SERVER]);
    put(h, (uint64_t)(uintptr_t)c->profile);   /* one of the static profiles */
    put(h, c->rto_min_ms);
    put(h, c->synack_retries);
    put(h, c->ratelimit_ms);
}

/* The simulation, but for the clock itself, segment ids and the history
 * (sent_count, lose_nth: a run's loss is behind it once it looks), the
 * callbacks, the last error's text and when each segment was sent (which
 * only the transcript shows). */
static void sim_digest(struct h2 *h, const struct sim *s)
{
    uint64_t now = s->now;
    cfg_digest(h, &s->cfg);
    for (int ep = 0; ep < EP_COUNT; ep++) {
        tcb_digest(h, &s->tcb[ep], now);
        put(h, s->isn_set[ep]);
        put(h, s->isn[ep]);
        put(h, s->loss_ppm[ep]);
        put(h, s->connections[ep]);
    }
    put(h, s->rng.state);
    put(h, s->n_rules);
    for (size_t i = 0; i < s->n_rules; i++) {
        put(h, s->rules[i].any_dir);
        put(h, s->rules[i].src);
        put(h, s->rules[i].any_flags);
        put(h, s->rules[i].flags);
    }
    put(h, s->lst.backlog);
    put(h, s->lst.syncookies);
    put(h, s->lst.n_child);
    for (size_t i = 0; i < s->lst.n_child; i++) {
        tcb_digest(h, s->lst.child[i], now);
        put(h, s->lst.child[i] == s->lst.accepted);
    }
    put(h, s->lst.accepted != NULL);
    /* In flight, in the order they arrive: new segments come after them in
     * both runs, so the order that ids decide is the same. */
    put(h, s->chan.fl_len);
    for (size_t i = 0; i < s->chan.fl_len; i++) {
        const struct segment *g = channel_get(&s->chan, s->chan.fl[i].id);
        put(h, s->chan.fl[i].arrive_at - now);
        put(h, g->src);
        put(h, g->sport);
        put(h, g->dport);
        put(h, g->seq);
        put(h, g->ack);
        put(h, g->flags);
        put(h, g->wnd);
        put(h, g->mss);
        put(h, g->len);
        put(h, g->retransmit);
        put(h, g->origin);
        put(h, g->attacker);
        put(h, g->copy_of != 0);
    }
}

/* The session around it: what a later line may read. */
static void full_digest(const struct session *s, size_t line, uint64_t out[2])
{
    struct h2 h = { 0x243f6a8885a308d3ull, 0x13198a2e03707344ull };
    put(&h, line);
    put(&h, s->loop.kind);
    put(&h, s->loop.kind == LOOP_ADVANCE ? s->loop.target - s->sim.now : 0);
    put(&h, s->loop.kind == LOOP_NONE && s->last_failed);  /* a loop's command sets it after */
    put(&h, s->quit);
    put(&h, s->pres.auto_delivery);
    put(&h, s->pres.numbers);
    for (int ep = 0; ep < EP_COUNT; ep++) {
        put(&h, s->ladder.has_isn[ep]);     /* symbolic numbers in expect */
        put(&h, s->ladder.isn[ep]);
    }
    cfg_digest(&h, &s->cfg0);
    sim_digest(&h, &s->sim);
    out[0] = h.a;
    out[1] = h.b;
}

/* A few fields, to find the points worth the full digest. */
static uint64_t cheap_digest(const struct session *s, size_t line)
{
    const struct sim *m = &s->sim;
    const struct tcb *t = m->tcb;
    uint64_t c = line * 0x9e3779b97f4a7c15ull + ((uint64_t)s->loop.kind << 56) + m->chan.fl_len;
    c += ((uint64_t)t[0].snd_una << 32 | t[0].snd_nxt) * 0xbf58476d1ce4e5b9ull;
    c += ((uint64_t)t[0].rcv_nxt << 32 | t[0].state) * 0x94d049bb133111ebull;
    c += ((uint64_t)t[1].snd_una << 32 | t[1].snd_nxt) * 0xd6e8feb86659fd93ull;
    c += ((uint64_t)t[1].rcv_nxt << 32 | t[1].state) * 0xa0761d6478bd642full;
    c += ((uint64_t)t[0].srtt << 32 | t[1].srtt) * 0xe7037ed1a0b428dbull;
    c += ((uint64_t)t[0].rto << 32 | t[1].rto) * 0x8ebc6af09c88c6e3ull;
    return rng_mix(c + (t[0].rtxq_len - t[0].rtxq_head) * 0x589965cc75374cc3ull + t[1].rtxq_len - t[1].rtxq_head);
}

/* --- the lines --------------------------------------------------------------------- */

/* Whether a converged run may still run a line: LINE_ANY where it is the
 * no-loss run at the same time; LINE_SHIFTED too where it is that run
 * later or earlier (conv_check).  Never a line that reads a segment id or
 * the history (expect last, next, none, #ID; deliver, drop, dup, delay,
 * replay, segment, history, inflight), that draws on randomness apart
 * from the generator (flood is left out too), or writes anything; and
 * across a shift in time none that may choose an ISS (which reads the
 * clock) or set the clock (reset). */
enum { LINE_NO, LINE_ANY, LINE_SHIFTED };

static int line_ok(const char *line)
{
    static const char *const ok[] = { "close", "shutdown", "abort", "ack", "read", "crash", "step", "run",
                                      "advance", "loss", "set", "caption", "show", "help", "expect", "send",
                                      /* the rest: not across a shift */ "listen", "accept", "connect", "reset" };
    struct words w;
    const char *err;
    if (lex_line(line, &w, &err) != 0)
        return LINE_NO;
    int good = w.argc == 0 ? LINE_SHIFTED : LINE_NO;
    enum endpoint_id e;
    int i = w.argc > 1 && arg_endpoint(w.argv[0], &e) ? 1 : 0;
    const struct command *c = w.argc ? command_find(w.argv[i]) : NULL;
    for (size_t k = 0; c && k < sizeof ok / sizeof *ok && !good; k++)
        if (strcmp(c->name, ok[k]) == 0)
            good = k < 16 ? LINE_SHIFTED : LINE_ANY;
    if (good && c && strcmp(c->name, "expect") == 0 &&
        !(w.argc > i + 1 && (arg_endpoint(w.argv[i + 1], &e) || strcasecmp(w.argv[i + 1], "timer") == 0 ||
                             strcasecmp(w.argv[i + 1], "inflight") == 0 || strcasecmp(w.argv[i + 1], "error") == 0)))
        good = LINE_NO;
    lex_free(&w);
    return good;
}

/* --- recording the run with no loss ------------------------------------------------ */

bool conv_init(struct converge *cv, const struct lines *l, const unsigned *rto)
{
    memset(cv, 0, sizeof *cv);
    cv->rto = rto;
    cv->lines = l->n;
    cv->ok_from = malloc((l->n + 1) * sizeof *cv->ok_from);
    cv->shift_from = malloc((l->n + 1) * sizeof *cv->shift_from);
    if (!cv->ok_from || !cv->shift_from)
        return false;
    cv->ok_from[l->n] = cv->shift_from[l->n] = true;
    for (size_t i = l->n; i-- > 0;) {
        int ok = line_ok(l->v[i]);
        cv->ok_from[i] = cv->ok_from[i + 1] && ok != LINE_NO;
        cv->shift_from[i] = cv->shift_from[i + 1] && ok == LINE_SHIFTED;
    }
    cv->ready = true;
    return true;
}

static void broken(struct converge *cv)
{
    cv->ready = false;          /* out of memory: every run to its end */
}

void conv_record(struct converge *cv, struct session *s, size_t line)
{
    if (!cv->ready)
        return;
    size_t loop = SIZE_MAX;
    if (s->loop.kind != LOOP_NONE) {
        if (s->loop.done == 0) {    /* a loop begins */
            if (cv->n_loops == cv->cap_loops) {
                size_t cap = cv->cap_loops ? 2 * cv->cap_loops : 64;
                struct conv_loop *v = realloc(cv->loops, cap * sizeof *v);
                if (!v)
                    return broken(cv);
                cv->loops = v;
                cv->cap_loops = cap;
            }
            cv->loops[cv->n_loops++] = (struct conv_loop){ .max = s->loop.max };
        }
        loop = cv->n_loops - 1;
        cv->loops[loop].total = s->loop.done + 1;
    }
    if (cv->n == CONV_MAX_ENTRIES || (!cv->ok_from[line] && (loop == SIZE_MAX || !cv->ok_from[line + 1])))
        return;                     /* no run could converge here */
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? 2 * cv->cap : 256;
        struct conv_entry *v = realloc(cv->e, cap * sizeof *v);
        size_t *t = calloc(2 * cap, sizeof *t);
        if (!v || !t) {
            free(t);
            if (v)
                cv->e = v;
            return broken(cv);
        }
        cv->e = v;
        cv->cap = cap;
        free(cv->table);
        cv->table = t;
        cv->table_cap = 2 * cap;
        for (size_t i = 0; i < cv->n; i++) {
            size_t k = cv->e[i].cheap & (cv->table_cap - 1);
            while (t[k])
                k = (k + 1) & (cv->table_cap - 1);
            t[k] = i + 1;
        }
    }
    struct conv_entry *e = &cv->e[cv->n];
    e->cheap = cheap_digest(s, line);
    full_digest(s, line, e->full);
    e->now = s->sim.now;
    e->loop = loop;
    e->done = s->loop.done;
    e->failed = s->failed_expects;
    memcpy(e->rto, cv->rto, sizeof e->rto);
    size_t k = e->cheap & (cv->table_cap - 1);
    while (cv->table[k])
        k = (k + 1) & (cv->table_cap - 1);
    cv->table[k] = ++cv->n;
}

void conv_finish(struct converge *cv, const enum tcp_state st[EP_COUNT], int failed, const unsigned rto[EP_COUNT])
{
    memcpy(cv->st, st, sizeof cv->st);
    cv->failed = failed;
    memcpy(cv->rto_end, rto, sizeof cv->rto_end);
}

void conv_free(struct converge *cv)
{
    free(cv->e);
    free(cv->table);
    free(cv->loops);
    free(cv->ok_from);
    free(cv->shift_from);
    memset(cv, 0, sizeof *cv);
}

/* --- a run with a loss ------------------------------------------------------------- */

/* Whether the run, at a point like e's, does all that the no-loss run did
 * from e: inside a loop, the rest of it fits the budget in both (a loop
 * stopped by its budget is an ACK storm, which converges nowhere). */
static bool same_future(const struct converge *cv, const struct conv_entry *e, const struct session *s,
                        size_t offset)
{
    if (e->loop == SIZE_MAX)
        return s->loop.kind == LOOP_NONE;
    const struct conv_loop *L = &cv->loops[e->loop];
    size_t done = s->loop.done + offset, max = s->loop.max + offset;
    return s->loop.kind != LOOP_NONE && L->max == max && L->total < L->max && done + (L->total - e->done) < max;
}

/* The same state at another time does the same, shifted, if nothing reads
 * the clock itself: only choosing an ISS does (RFC 6528's clock, and the
 * SYN cookies' time slot).  A TCB chooses one when it opens actively or
 * gets a SYN in LISTEN (or its listener's queue does); none can while
 * neither is in LISTEN or may fall back to it (SYN-RECEIVED), no
 * listener has a queue, and no line to come opens or listens. */
static bool shift_ok(const struct converge *cv, const struct session *s, size_t line)
{
    for (int ep = 0; ep < EP_COUNT; ep++) {
        enum tcp_state st = s->sim.tcb[ep].state;
        if (st == LISTEN || st == SYN_RECEIVED || st == SYN_SENT)
            return false;
    }
    return s->sim.lst.backlog == 0 && s->sim.lst.n_child == 0 &&
           cv->shift_from[s->loop.kind == LOOP_NONE ? line : line + 1];
}

bool conv_check(struct conv_run *r, struct session *s, size_t line)
{
    struct converge *cv = r->cv;
    if (r->converged) {
        s->sim.stopped = true;      /* its loop ends before the next event */
        s->quit = true;             /* and no line runs after it */
        return true;
    }
    if (!cv || !cv->ready || !*r->armed || line >= cv->lines || cv->n == 0)
        return false;
    /* Once converged, a run stays so; it need not be seen at once. */
    if (s->loop.kind != LOOP_NONE && r->tick++ % CONV_EVERY != 0)
        return false;
    if (!cv->ok_from[s->loop.kind == LOOP_NONE ? line : line + 1])
        return false;
    uint64_t cheap = cheap_digest(s, line), full[2];
    bool have_full = false;
    for (size_t k = cheap & (cv->table_cap - 1); cv->table[k]; k = (k + 1) & (cv->table_cap - 1)) {
        const struct conv_entry *e = &cv->e[cv->table[k] - 1];
        if (e->cheap != cheap)
            continue;
        if (!have_full) {
            full_digest(s, line, full);
            have_full = true;
        }
        if (e->full[0] != full[0] || e->full[1] != full[1] || !same_future(cv, e, s, r->offset) ||
            (e->now != s->sim.now && !shift_ok(cv, s, line)))
            continue;
        r->converged = true;
        r->at = (size_t)(e - cv->e);
        r->shifted = e->now != s->sim.now;
        r->failed = s->failed_expects;
        memcpy(r->rto_at, r->rto, sizeof r->rto_at);
        return conv_check(r, s, line);
    }
    return false;
}

void conv_outcome(const struct conv_run *r, enum tcp_state st[EP_COUNT], int *failed, unsigned rto[EP_COUNT])
{
    const struct converge *cv = r->cv;
    const struct conv_entry *e = &cv->e[r->at];
    memcpy(st, cv->st, sizeof cv->st);
    *failed = r->failed + (cv->failed - e->failed);
    for (int ep = 0; ep < EP_COUNT; ep++)
        rto[ep] = r->rto_at[ep] + (cv->rto_end[ep] - e->rto[ep]);
}
