/* timeline.c - records the engine's events for the pictures: segments
 * with their send time and fate, marks beside the timelines, and one step
 * per event with both TCBs as they stood at that event.
 *
 * A step's TCBs are taken the moment the engine reports the event: a
 * state change is reported as the state is written, so the TCBs of each
 * step agree with the event log's order (a TCB's other variables may
 * already hold what the rule that is running computed).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/i18n.h"
#include "render/timeline.h"

void timeline_init(struct timeline *tl)
{
    memset(tl, 0, sizeof *tl);
    steps_reset(&tl->count);
}

void timeline_free(struct timeline *tl)
{
    timeline_clear(tl);
    free(tl->segs);
    free(tl->marks);
    free(tl->steps);
    free(tl->numberings);
    memset(tl, 0, sizeof *tl);
}

void timeline_clear(struct timeline *tl)
{
    for (size_t i = 0; i < tl->n_marks; i++)
        free(tl->marks[i].caption);
    tl->n_segs = tl->n_marks = tl->n_steps = tl->n_num = 0;
    tl->snapshot_due = false;
    tl->full = false;
    tl->latency_ms = 0;
    steps_reset(&tl->count);
}

static bool dup_array(void **dst, const void *src, size_t n, size_t size, size_t *cap)
{
    *dst = NULL;
    *cap = 0;
    if (!n)
        return true;
    if (!(*dst = malloc(n * size)))
        return false;
    memcpy(*dst, src, n * size);
    *cap = n;
    return true;
}

int timeline_copy(struct timeline *dst, const struct timeline *src)
{
    *dst = *src;
    dst->segs = NULL;
    dst->steps = NULL;
    dst->numberings = NULL;
    dst->marks = NULL;
    dst->n_marks = 0;               /* the others are only counts: nothing to free */
    if (!dup_array((void **)&dst->segs, src->segs, src->n_segs, sizeof *src->segs, &dst->cap_segs) ||
        !dup_array((void **)&dst->steps, src->steps, src->n_steps, sizeof *src->steps, &dst->cap_steps) ||
        !dup_array((void **)&dst->numberings, src->numberings, src->n_num, sizeof *src->numberings, &dst->cap_num) ||
        !dup_array((void **)&dst->marks, src->marks, src->n_marks, sizeof *src->marks, &dst->cap_marks))
        goto fail;
    dst->n_marks = src->n_marks;
    for (size_t i = 0; i < dst->n_marks; i++) {
        if (src->marks[i].caption && !(dst->marks[i].caption = strdup(src->marks[i].caption))) {
            dst->n_marks = i;       /* the captions copied so far are freed */
            goto fail;
        }
    }
    return 0;
fail:
    timeline_free(dst);
    return -1;
}

/* Room for one more element in a growing array; false when memory runs out. */
static bool grow(void **arr, size_t *cap, size_t len, size_t size)
{
    if (len < *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 32;
    void *p = realloc(*arr, n * size);
    if (!p)
        return false;
    *arr = p;
    *cap = n;
    return true;
}

static void view_tcb(struct tl_tcb *v, const struct tcb *t)
{
    v->state = t->state;
    v->synchronized_vars = t->state != CLOSED && t->state != LISTEN;
    v->snd_una = t->snd_una;
    v->snd_nxt = t->snd_nxt;
    v->rcv_nxt = t->rcv_nxt;
    v->snd_wnd = t->snd_wnd;
    v->rcv_wnd = t->rcv_wnd;
    v->rtx_at = t->rtx_timer.armed ? t->rtx_timer.at : 0;
    v->tw_at = t->tw_timer.armed ? t->tw_timer.at : 0;
    v->persist_at = t->persist_timer.armed ? t->persist_timer.at : 0;
}

static void snapshot(struct timeline *tl, struct sim *sim)
{
    if (!tl->snapshot_due)
        return;
    tl->snapshot_due = false;
    struct tl_step *st = &tl->steps[tl->n_steps - 1];
    for (int ep = 0; ep < EP_COUNT; ep++)
        view_tcb(&st->tcb[ep], sim_tcb(sim, (enum endpoint_id)ep));
}

static struct tl_step *add_step(struct timeline *tl, enum tl_step_kind kind, uint64_t t)
{
    if (!grow((void **)&tl->steps, &tl->cap_steps, tl->n_steps, sizeof *tl->steps))
        return NULL;
    struct tl_step *st = &tl->steps[tl->n_steps++];
    st->kind = kind;        /* the TCBs are filled by snapshot(), seg or mark by the caller */
    st->t = t;
    st->seg = st->mark = 0;
    tl->snapshot_due = true;
    return st;
}

static struct tl_seg *find_seg(struct timeline *tl, uint32_t id)
{
    /* Ids are given in order from 1 after each reset, so the search is short. */
    if (id >= 1 && id <= tl->n_segs && tl->segs[id - 1].id == id)
        return &tl->segs[id - 1];
    for (size_t i = tl->n_segs; i-- > 0;) {
        if (tl->segs[i].id == id)
            return &tl->segs[i];
    }
    return NULL;
}

/* The index of the ladder's numbering as it is now: the last one kept,
 * unless the ladder changed since (its drawing state aside).  Returns
 * SIZE_MAX when memory runs out. */
static size_t numbering_now(struct timeline *tl, const struct ladder *l)
{
    struct ladder key;
    memcpy(&key, l, sizeof key);
    key.out = NULL;                 /* what the ladder is drawing, not how it numbers */
    key.have_t = key.pending = key.arrival = false;
    key.last_t = key.held_t = key.arrived_t = 0;
    memset(&key.held, 0, sizeof key.held);
    key.held_step = NULL;
    key.arrived_id = 0;
    key.arrived_at = EP_CLIENT;
    if (tl->n_num && memcmp(&tl->numberings[tl->n_num - 1], &key, sizeof key) == 0)
        return tl->n_num - 1;
    if (!grow((void **)&tl->numberings, &tl->cap_num, tl->n_num, sizeof *tl->numberings))
        return SIZE_MAX;
    memcpy(&tl->numberings[tl->n_num], &key, sizeof key);
    return tl->n_num++;
}

static void record_send(struct timeline *tl, const struct event *ev, const struct ladder *l, struct sim *sim)
{
    const struct segment *g = ev->seg;
    if (!grow((void **)&tl->segs, &tl->cap_segs, tl->n_segs, sizeof *tl->segs))
        return;
    size_t num = numbering_now(tl, l);
    struct tl_step *st = num == SIZE_MAX ? NULL : add_step(tl, TL_STEP_SEND, ev->t);
    if (!st)
        return;
    struct tl_seg *s = &tl->segs[tl->n_segs];
    s->id = g->id;
    s->src = g->src;
    s->flags = g->flags;
    s->origin = g->origin;
    s->retransmit = g->retransmit;
    s->seg = *g;
    s->seg.data = NULL;
    s->numbering = num;
    /* The steps count the connection's own segments, as the ladder's do:
     * a TCB's, between the connection's ports. */
    bool ours = g->origin == ORIGIN_TCB && g->sport == l->port[g->src] && g->dport == l->port[ep_peer(g->src)];
    s->step = ours ? steps_label(&tl->count, g) : NULL;
    s->why = g->why;
    s->sent = ev->t;
    s->end = ev->t + sim->cfg.latency_ms;   /* until it arrives or is lost */
    s->fate = TL_IN_FLIGHT;
    s->step_send = s->step_end = tl->n_steps - 1;
    st->seg = tl->n_segs++;
}

void timeline_seg_label(const struct timeline *tl, const struct tl_seg *s, char *buf, size_t n)
{
    const struct ladder *num = &tl->numberings[s->numbering];
    char who[48];
    int k = 0;
    if (num->steps && s->step)     /* as the ladder writes it: "[1/3] #1 SYN ..." */
        k = snprintf(buf, n, "[%s] ", s->step);
    if (s->origin == ORIGIN_INJECT) {   /* and "[attacker] #7 ..." */
        ladder_crafter(num, &s->seg, who, sizeof who);
        k = snprintf(buf, n, "%s ", who);
    }
    if (k >= 0 && (size_t)k < n)
        ladder_label(num, &s->seg, buf + k, n - (size_t)k);
}

void timeline_seg_mark(const struct tl_seg *s, char *buf, size_t n)
{
    switch (s->origin) {
    case ORIGIN_INJECT: snprintf(buf, n, "%s", ""); return;    /* its label names its crafter */
    case ORIGIN_REPLAY: snprintf(buf, n, _("replay of #%" PRIu32), s->seg.copy_of); return;
    case ORIGIN_DUP: snprintf(buf, n, _("dup of #%" PRIu32), s->seg.copy_of); return;
    case ORIGIN_TCB: snprintf(buf, n, "%s", s->retransmit ? _("retransmission") : ""); return;
    }
}

static void record_end(struct timeline *tl, const struct event *ev)
{
    struct tl_seg *s = find_seg(tl, ev->seg->id);
    if (!s)
        return;
    struct tl_step *st = add_step(tl, ev->type == EV_DELIVER ? TL_STEP_ARRIVE : TL_STEP_DROP, ev->t);
    if (!st)
        return;
    st->seg = (size_t)(s - tl->segs);
    s->step_end = tl->n_steps - 1;
    if (ev->type == EV_DELIVER) {
        s->fate = TL_ARRIVED;
        s->end = ev->t;
        uint64_t flight = ev->t - s->sent;
        if (flight > 0 && (tl->latency_ms == 0 || flight < tl->latency_ms))
            tl->latency_ms = (uint32_t)(flight < UINT32_MAX ? flight : UINT32_MAX);
    } else {
        /* A loss is drawn half-way, or where it happened when that is later. */
        uint64_t half = s->sent + (s->end - s->sent) / 2;
        s->fate = ev->drop_reason == DROP_USER ? TL_DROPPED : TL_LOST;
        s->end = ev->t > half ? ev->t : half;
    }
}

static struct tl_mark *add_mark(struct timeline *tl, enum tl_mark_kind kind, const struct event *ev)
{
    if (!grow((void **)&tl->marks, &tl->cap_marks, tl->n_marks, sizeof *tl->marks))
        return NULL;
    struct tl_step *st = add_step(tl, TL_STEP_MARK, ev->t);
    if (!st)
        return NULL;
    struct tl_mark *m = &tl->marks[tl->n_marks];
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->ep = ev->ep;
    m->port = ev->port;
    m->t = ev->t;
    m->from = ev->from;
    m->to = ev->to;
    m->timer = ev->timer;
    m->len = ev->len;
    m->message = ev->message;
    m->why = ev->why;
    m->step = tl->n_steps - 1;
    st->mark = tl->n_marks++;
    return m;
}

static void record(struct timeline *tl, const struct event *ev, const struct ladder *l, struct sim *sim)
{
    switch (ev->type) {
    case EV_SEND: record_send(tl, ev, l, sim); return;
    case EV_DELIVER:
    case EV_DROP: record_end(tl, ev); return;
    case EV_STATE: add_mark(tl, TL_STATE, ev); return;
    case EV_TIMER: add_mark(tl, TL_TIMER, ev); return;
    case EV_NOTE: add_mark(tl, TL_NOTE, ev); return;
    case EV_SIGNAL: add_mark(tl, TL_SIGNAL, ev); return;
    case EV_RECEIVE: add_mark(tl, TL_RECEIVE, ev); return;
    case EV_ERROR: return;
    }
}

void timeline_mark_text(const struct tl_mark *m, char *buf, size_t n)
{
    switch (m->kind) {
    case TL_STATE:
        snprintf(buf, n, "%s", tcp_state_name(m->to));
        return;
    case TL_TIMER:
        switch (m->timer) {
        case TIMER_RETRANSMIT: snprintf(buf, n, "%s", _("retransmission timeout")); return;
        case TIMER_TIME_WAIT: snprintf(buf, n, "%s", _("TIME-WAIT: 2 x MSL elapsed")); return;
        case TIMER_PERSIST: snprintf(buf, n, "%s", _("persist timeout")); return;
        default: snprintf(buf, n, "%s", _("a timer expired")); return;     /* one the pictures do not name yet */
        }
        return;
    case TL_NOTE: {     /* the short form, as the ladder writes it */
        const char *why = m->why ? _(m->why) : "";
        const char *ref = strstr(why, " (RFC");
        snprintf(buf, n, "(%.*s)", (int)(ref ? (size_t)(ref - why) : strlen(why)), why);
        return;
    }
    case TL_SIGNAL:
        snprintf(buf, n, "(%s)", m->message ? _(m->message) : "");
        return;
    case TL_RECEIVE:
        snprintf(buf, n, ngettext("app reads %" PRIu32 " byte", "app reads %" PRIu32 " bytes", m->len), m->len);
        return;
    case TL_CAPTION:
        snprintf(buf, n, "%s", m->caption ? m->caption : "");
        return;
    }
}

void timeline_event(struct timeline *tl, const struct event *ev, const struct ladder *l, struct sim *sim)
{
    if (tl->n_steps >= TL_MAX_STEPS) {
        snapshot(tl, sim);          /* the last step's TCBs */
        tl->full = true;
        return;
    }
    record(tl, ev, l, sim);
    snapshot(tl, sim);
}

void timeline_caption(struct timeline *tl, uint64_t t, const char *text, struct sim *sim)
{
    if (tl->n_steps >= TL_MAX_STEPS) {
        tl->full = true;
        return;
    }
    struct event ev = { .type = EV_NOTE, .t = t };
    char *copy = strdup(text);
    struct tl_mark *m = copy ? add_mark(tl, TL_CAPTION, &ev) : NULL;
    if (m)
        m->caption = copy;
    else
        free(copy);
    snapshot(tl, sim);
}

const struct ladder *timeline_numbering(const struct timeline *tl, size_t k)
{
    /* Segments are in the order of their steps: the last one sent by k. */
    size_t lo = 0, hi = tl->n_segs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (tl->segs[mid].step_send <= k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &tl->numberings[tl->segs[lo - 1].numbering] : NULL;
}

void timeline_finish(struct timeline *tl, struct sim *sim)
{
    snapshot(tl, sim);
    for (size_t i = 0; i < tl->n_segs; i++) {
        struct tl_seg *s = &tl->segs[i];
        const struct flight *f = s->fate == TL_IN_FLIGHT ? channel_in_flight(&sim->chan, s->id) : NULL;
        if (f)
            s->end = f->arrive_at;
    }
}

uint64_t timeline_timer_start(const struct timeline *tl, const struct tl_mark *m, uint32_t msl_ms)
{
    if (m->timer == TIMER_TIME_WAIT)
        return m->t > 2ull * msl_ms ? m->t - 2ull * msl_ms : 0;
    if (m->timer != TIMER_RETRANSMIT && m->timer != TIMER_PERSIST)
        return m->t;                /* a timer the steps do not record: no span */
    size_t k = m->step;
    /* The steps before the one that fired it show its deadline (the timer
     * is stopped as it fires): walk back over them, then one more, the
     * step after which it was armed. */
    while (k > 0 && (m->timer == TIMER_RETRANSMIT ? tl->steps[k - 1].tcb[m->ep].rtx_at
                                                  : tl->steps[k - 1].tcb[m->ep].persist_at) == m->t)
        k--;
    return k > 0 ? tl->steps[k - 1].t : tl->steps[0].t;
}

const char *timeline_step_why(const struct timeline *tl, const struct tl_step *st)
{
    const char *why = st->kind == TL_STEP_MARK ? tl->marks[st->mark].why :
                      st->kind == TL_STEP_SEND ? tl->segs[st->seg].why : NULL;
    return why ? _(why) : NULL;
}

void timeline_step_text(const struct timeline *tl, const struct tl_step *st, char *buf, size_t n)
{
    const struct tl_seg *s = &tl->segs[st->seg];
    const struct tl_mark *m = &tl->marks[st->mark];
    char label[TL_LABEL], mark[TL_TEXT];
    switch (st->kind) {
    case TL_STEP_SEND:
        timeline_seg_label(tl, s, label, sizeof label);
        timeline_seg_mark(s, mark, sizeof mark);
        if (mark[0])
            snprintf(buf, n, _("%s sends %s (%s)"), ep_name(s->src), label, mark);
        else
            snprintf(buf, n, _("%s sends %s"), ep_name(s->src), label);
        return;
    case TL_STEP_ARRIVE:
        snprintf(buf, n, _("#%" PRIu32 " arrives at the %s"), s->id, ep_name(ep_peer(s->src)));
        return;
    case TL_STEP_DROP:
        snprintf(buf, n, s->fate == TL_DROPPED ? _("#%" PRIu32 " is dropped") : _("#%" PRIu32 " is lost (random loss)"),
                 s->id);
        return;
    case TL_STEP_MARK:
        timeline_mark_text(m, mark, sizeof mark);
        if (m->kind == TL_CAPTION)
            snprintf(buf, n, "%s", mark);
        else if (m->kind == TL_STATE)
            snprintf(buf, n, "%s: %s -> %s", ep_name(m->ep), tcp_state_name(m->from), tcp_state_name(m->to));
        else
            snprintf(buf, n, "%s: %s", ep_name(m->ep), mark);
        return;
    }
}
