/* wire.c - the wire's memory of sent sequence space (see wire.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/wire.h"

struct wire_space {
    seq_t base, max;
};

/* One sender's pair of ports: its connections, oldest first, in a ring. */
struct wire_ports {
    uint64_t key;           /* 1 + (src, sport, dport); 0: an empty slot */
    uint32_t first, n;
    bool zero_window;       /* this sender's last segment offered a zero window */
    struct wire_space conn[WIRE_CONNECTIONS];
};

static uint64_t key_of(const struct segment *seg)
{
    return 1 + ((uint64_t)seg->src << 32 | (uint64_t)seg->sport << 16 | seg->dport);
}

/* The other direction of the same pair of ports. */
static uint64_t reverse_key_of(const struct segment *seg)
{
    return 1 + ((uint64_t)ep_peer(seg->src) << 32 | (uint64_t)seg->dport << 16 | seg->sport);
}

static size_t slot_of(uint64_t key, size_t cap)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 32) & (cap - 1);
}

static struct wire_ports *find_in(struct wire_ports *slot, size_t cap, uint64_t key)
{
    for (size_t i = slot_of(key, cap);; i = (i + 1) & (cap - 1))
        if (slot[i].key == key || slot[i].key == 0)
            return &slot[i];
}

static struct wire_ports *find(struct wire *w, uint64_t key) { return find_in(w->slot, w->cap, key); }

/* Keep the table at most half full, and at most WIRE_PAIRS pairs; false
 * when memory ran out. */
static bool make_room(struct wire *w)
{
    if (w->cap && 2 * (w->used + 1) <= w->cap)
        return true;
    if (w->used >= WIRE_PAIRS) {    /* full: it becomes the old table */
        free(w->old);
        w->old = w->slot;
        w->old_cap = w->cap;
        w->slot = NULL;
        w->used = w->cap = 0;
    }
    size_t cap = w->cap ? 2 * w->cap : 64;
    struct wire old = *w;
    w->slot = calloc(cap, sizeof *w->slot);
    if (!w->slot) {
        *w = old;
        return false;
    }
    w->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slot[i].key)
            *find(w, old.slot[i].key) = old.slot[i];
    free(old.slot);
    return true;
}

static struct wire_space *nth(struct wire_ports *p, uint32_t i)
{
    return &p->conn[(p->first + i) % WIRE_CONNECTIONS];
}

static struct wire_space *open_connection(struct wire_ports *p, seq_t isn)
{
    if (p->n == WIRE_CONNECTIONS)
        p->first = (p->first + 1) % WIRE_CONNECTIONS;     /* forget the oldest */
    else
        p->n++;
    struct wire_space *c = nth(p, p->n - 1);
    *c = (struct wire_space){ .base = isn, .max = isn };
    return c;
}

bool wire_repeats(struct wire *w, const struct segment *seg)
{
    uint32_t n = seg_seqlen(seg);
    if (!make_room(w))
        return false;
    uint64_t key = key_of(seg);
    struct wire_ports *p = find(w, key);
    if (!p->key) {
        struct wire_ports *o = w->old ? find_in(w->old, w->old_cap, key) : NULL;
        *p = o && o->key ? *o : (struct wire_ports){ .key = key };      /* brought back */
        w->used++;
    }
    if (!(seg->flags & TCP_RST))
        p->zero_window = seg->wnd == 0;
    if (n == 0)
        return false;
    /* A zero window probe (RFC 9293 3.8.6.1), as Wireshark tells it: one
     * octet at the next sequence number while the peer offers a zero
     * window.  Neither a repeat nor part of the sent space. */
    const struct wire_ports *r = find(w, reverse_key_of(seg));
    if (n == 1 && seg->len == 1 && r->key && r->zero_window && p->n &&
        seg->seq == nth(p, p->n - 1)->max)
        return false;
    struct wire_space *hit = NULL;
    for (uint32_t i = 0; i < p->n; i++) {       /* the latest one that holds it */
        struct wire_space *c = nth(p, i);
        if (seq_ge(seg->seq, c->base) && seq_lt(seg->seq, c->max))
            hit = c;
    }
    bool fresh_syn = seg->origin == ORIGIN_TCB && (seg->flags & TCP_SYN) && !seg->retransmit;
    struct wire_space *c = hit;
    if (!c)
        c = p->n == 0 || fresh_syn ? open_connection(p, seg->seq) : nth(p, p->n - 1);
    if (seq_ge(seg->seq, c->base) && seq_gt(seg->seq + n, c->max))
        c->max = seg->seq + n;
    return hit != NULL;
}

void wire_clear(struct wire *w)
{
    free(w->slot);
    free(w->old);
    *w = (struct wire){ 0 };
}

static bool dup_table(struct wire_ports **dst, const struct wire_ports *src, size_t cap)
{
    *dst = NULL;
    if (!src)
        return true;
    *dst = malloc(cap * sizeof **dst);
    if (*dst)
        memcpy(*dst, src, cap * sizeof **dst);
    return *dst != NULL;
}

int wire_copy(struct wire *dst, const struct wire *src)
{
    *dst = *src;
    if (!dup_table(&dst->slot, src->slot, src->cap) || !dup_table(&dst->old, src->old, src->old_cap)) {
        free(dst->slot);
        *dst = (struct wire){ 0 };
        return -1;
    }
    return 0;
}
