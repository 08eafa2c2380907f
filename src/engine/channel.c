/* channel.c - the history of segments, a bounded ring, and the ordered
 * list of those in flight.  Pure bookkeeping: the simulation decides when
 * things happen and reports them. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcpsim/channel.h"

/* Payload bytes are never changed once sent, so copies of a channel (the
 * session's snapshots) share them, counting their holders. */
struct payload {
    size_t refs;
    uint8_t bytes[];
};

static struct payload *payload_of(const uint8_t *data)
{
    return (struct payload *)(void *)((char *)(uintptr_t)data - offsetof(struct payload, bytes));
}

static uint8_t *payload_new(size_t len)
{
    struct payload *p = malloc(sizeof *p + len);
    if (!p)
        return NULL;
    p->refs = 1;
    return p->bytes;
}

static void payload_release(const uint8_t *data)
{
    if (data && --payload_of(data)->refs == 0)
        free(payload_of(data));
}

void channel_init(struct channel *c)
{
    memset(c, 0, sizeof *c);
    c->hist_first = c->payload_next = 1;
}

static size_t slot(const struct channel *c, size_t id) { return (id - 1) & (c->hist_cap - 1); }

void channel_free(struct channel *c)
{
    for (size_t id = c->hist_first; id <= c->hist_len; id++)
        payload_release(c->hist[slot(c, id)].data);
    free(c->hist);
    free(c->fate);
    free(c->fl_mem);
    channel_init(c);
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* Twice the room, each kept segment moved to its slot in the new ring. */
static bool grow_ring(struct channel *c)
{
    size_t cap = c->hist_cap ? 2 * c->hist_cap : 64;
    struct segment *h = malloc(cap * sizeof *h);
    enum seg_fate *f = malloc(cap * sizeof *f);
    if (!h || !f) {
        free(h);
        free(f);
        return false;
    }
    for (size_t id = c->hist_first; id <= c->hist_len; id++) {
        h[(id - 1) & (cap - 1)] = c->hist[slot(c, id)];
        f[(id - 1) & (cap - 1)] = c->fate[slot(c, id)];
    }
    free(c->hist);
    free(c->fate);
    c->hist = h;
    c->fate = f;
    c->hist_cap = cap;
    return true;
}

static bool in_use(const struct channel *c, size_t id)
{
    return c->fate[slot(c, id)] == FATE_IN_FLIGHT || id == c->pinned;
}

static void forget_payload(struct channel *c, size_t id)
{
    struct segment *h = &c->hist[slot(c, id)];
    if (h->data) {
        c->payload_bytes -= h->len;
        payload_release(h->data);
        h->data = NULL;
    }
}

/* Room for one more: forget the oldest segment when the ring is full
 * (unless it is in use: then the ring grows). */
static bool make_room(struct channel *c)
{
    size_t kept = c->hist_len + 1 - c->hist_first;
    if (kept < c->hist_cap)
        return true;
    if (c->hist_cap < CHANNEL_KEEP_SEGMENTS || in_use(c, c->hist_first))
        return grow_ring(c);
    forget_payload(c, c->hist_first);
    c->hist_first++;
    if (c->payload_next < c->hist_first)
        c->payload_next = c->hist_first;
    return true;
}

/* Forget the oldest payloads beyond the byte budget, in order, stopping
 * at one still in use. */
static void trim_payload(struct channel *c)
{
    while (c->payload_bytes > CHANNEL_KEEP_PAYLOAD && c->payload_next <= c->hist_len &&
           !in_use(c, c->payload_next))
        forget_payload(c, c->payload_next++);
}

uint32_t channel_record(struct channel *c, const struct segment *seg)
{
    if (c->hist_len >= UINT32_MAX - 1)
        return 0;
    uint8_t *data = NULL;
    if (seg->len) {                 /* first: seg->data may be a kept segment's */
        data = payload_new(seg->len);
        if (!data)
            return 0;
        if (seg->data)
            memcpy(data, seg->data, seg->len);
        else
            memset(data, 0, seg->len);
    }
    if (!make_room(c)) {
        payload_release(data);
        return 0;
    }
    size_t id = ++c->hist_len;
    struct segment *h = &c->hist[slot(c, id)];
    *h = *seg;
    h->data = data;
    h->id = (uint32_t)id;
    c->fate[slot(c, id)] = FATE_IN_FLIGHT;
    c->payload_bytes += seg->len;
    trim_payload(c);
    return h->id;
}

static bool before(const struct flight *a, uint64_t at, uint32_t id)
{
    return a->arrive_at < at || (a->arrive_at == at && a->id < id);
}

bool channel_launch(struct channel *c, uint32_t id, uint64_t arrive_at)
{
    size_t head = c->fl_mem ? (size_t)(c->fl - c->fl_mem) : 0;
    if (head + c->fl_len + 1 > c->fl_cap) {
        /* Slide the list back to the start, and keep half the room free so
         * that this happens once in many arrivals. */
        if (head)
            memmove(c->fl_mem, c->fl, c->fl_len * sizeof *c->fl);
        if (!grow((void **)&c->fl_mem, &c->fl_cap, 2 * (c->fl_len + 1), sizeof *c->fl_mem)) {
            c->fl = c->fl_mem;
            return false;
        }
        c->fl = c->fl_mem;
    }
    /* Most segments arrive last: search from the end. */
    size_t i = c->fl_len;
    while (i > 0 && !before(&c->fl[i - 1], arrive_at, id))
        i--;
    memmove(&c->fl[i + 1], &c->fl[i], (c->fl_len - i) * sizeof *c->fl);
    c->fl[i].id = id;
    c->fl[i].arrive_at = arrive_at;
    c->fl_len++;
    c->fate[slot(c, id)] = FATE_IN_FLIGHT;
    return true;
}

bool channel_remove(struct channel *c, uint32_t id)
{
    for (size_t i = 0; i < c->fl_len; i++) {
        if (c->fl[i].id == id) {
            if (i == 0)
                c->fl++;        /* the usual case: the earliest arrival */
            else
                memmove(&c->fl[i], &c->fl[i + 1], (c->fl_len - i - 1) * sizeof *c->fl);
            if (--c->fl_len == 0)
                c->fl = c->fl_mem;
            return true;
        }
    }
    return false;
}

const struct segment *channel_get(const struct channel *c, uint32_t id)
{
    if (id < c->hist_first || id > c->hist_len)
        return NULL;
    return &c->hist[slot(c, id)];
}

bool channel_forgotten(const struct channel *c, uint32_t id)
{
    return id > 0 && id < c->hist_first;
}

enum seg_fate channel_fate(const struct channel *c, uint32_t id)
{
    return c->fate[slot(c, id)];
}

void channel_set_fate(struct channel *c, uint32_t id, enum seg_fate f)
{
    c->fate[slot(c, id)] = f;
    if (f != FATE_IN_FLIGHT)
        trim_payload(c);    /* it may have held the budget back */
}

int channel_copy(struct channel *dst, const struct channel *src)
{
    *dst = *src;
    dst->hist = NULL;
    dst->fate = NULL;
    dst->fl_mem = dst->fl = NULL;
    if (src->hist_cap) {
        dst->hist = malloc(src->hist_cap * sizeof *dst->hist);
        dst->fate = malloc(src->hist_cap * sizeof *dst->fate);
    }
    if (src->fl_cap)
        dst->fl_mem = malloc(src->fl_cap * sizeof *dst->fl_mem);
    if ((src->hist_cap && (!dst->hist || !dst->fate)) || (src->fl_cap && !dst->fl_mem))
        goto fail;
    if (src->hist_cap)
        memcpy(dst->fate, src->fate, src->hist_cap * sizeof *dst->fate);
    for (size_t id = src->hist_first; id <= src->hist_len; id++) {
        struct segment *h = &dst->hist[slot(dst, id)];
        *h = src->hist[slot(src, id)];
        if (h->data)
            payload_of(h->data)->refs++;
    }
    if (src->fl_mem) {
        memcpy(dst->fl_mem, src->fl_mem, src->fl_cap * sizeof *dst->fl_mem);
        dst->fl = dst->fl_mem + (src->fl - src->fl_mem);
    }
    return 0;
fail:
    free(dst->hist);
    free(dst->fate);
    free(dst->fl_mem);
    channel_init(dst);
    return -1;
}

const struct flight *channel_in_flight(const struct channel *c, uint32_t id)
{
    for (size_t i = 0; i < c->fl_len; i++)
        if (c->fl[i].id == id)
            return &c->fl[i];
    return NULL;
}

const struct flight *channel_first(const struct channel *c)
{
    return c->fl_len ? &c->fl[0] : NULL;
}

const char *seg_fate_name(enum seg_fate f)
{
    switch (f) {
    case FATE_IN_FLIGHT: return "in flight";
    case FATE_DELIVERED: return "delivered";
    case FATE_DROPPED_USER: return "dropped";
    case FATE_DROPPED_LOSS: return "lost";
    }
    return "?";
}
