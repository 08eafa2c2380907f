/* channel.c - the history of segments and the ordered list of those in
 * flight.  Pure bookkeeping: the simulation decides when things happen
 * and reports them. */
#include <stdlib.h>
#include <string.h>

#include "tcpsim/channel.h"

void channel_init(struct channel *c) { memset(c, 0, sizeof *c); }

void channel_free(struct channel *c)
{
    for (size_t i = 0; i < c->hist_len; i++)
        free((void *)c->hist[i].data);
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

uint32_t channel_record(struct channel *c, const struct segment *seg)
{
    if (c->hist_len >= UINT32_MAX - 1)
        return 0;
    if (!grow((void **)&c->hist, &c->hist_cap, c->hist_len + 1, sizeof *c->hist) ||
        !grow((void **)&c->fate, &c->fate_cap, c->hist_len + 1, sizeof *c->fate))
        return 0;

    uint8_t *data = NULL;
    if (seg->len) {
        data = malloc(seg->len);
        if (!data)
            return 0;
        if (seg->data)
            memcpy(data, seg->data, seg->len);
        else
            memset(data, 0, seg->len);
    }
    struct segment *h = &c->hist[c->hist_len];
    *h = *seg;
    h->data = data;
    h->id = (uint32_t)(c->hist_len + 1);
    c->fate[c->hist_len] = FATE_IN_FLIGHT;
    c->hist_len++;
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
    c->fate[id - 1] = FATE_IN_FLIGHT;
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
    if (id == 0 || id > c->hist_len)
        return NULL;
    return &c->hist[id - 1];
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
