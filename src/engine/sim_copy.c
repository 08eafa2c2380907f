/* sim_copy.c - a deep copy of a simulation, for the front end's snapshots
 * (undo, Ctrl-C and sweep restore one instead of replaying from the start).
 *
 * A simulation is a tree of its own allocations, with pointers into
 * itself that a copy must re-point: each TCB's host (the simulation's
 * tcb_host, whose cfg, now and ctx point at the simulation), the server
 * TCB's listener, the listener's own TCB, its children and the accepted
 * one.  Every pointer field of struct tcb, struct listener and struct
 * channel is handled here: a field added there must be added here (the
 * unit test test_snapshot_* compares a copy's run with the original's).
 */
#include <stdlib.h>
#include <string.h>

#include "tcpsim/sim.h"

/* dup n bytes (NULL for none); false when memory runs out. */
static bool dup_bytes(void **dst, const void *src, size_t n)
{
    *dst = NULL;
    if (!src || n == 0)
        return true;
    *dst = malloc(n);
    if (!*dst)
        return false;
    memcpy(*dst, src, n);
    return true;
}

/* The TCB and every buffer it owns: the send buffer (only the bytes still
 * held), the retransmission queue (only the entries still waiting, with
 * room to grow), the receive buffer (autoread off) and the text that came
 * on a SYN. */
static bool tcb_copy(struct tcb *dst, const struct tcb *src, const struct tcb_host *host, struct listener *lst,
                     bool frozen)
{
    *dst = *src;
    dst->host = host;
    dst->listener = src->listener ? lst : NULL;
    dst->sndbuf = NULL;
    dst->rtxq = NULL;
    dst->rcvbuf = NULL;
    dst->syn_text = NULL;
    dst->sndbuf_off = dst->sndbuf_cap = 0;
    dst->rtxq_head = dst->rtxq_len = dst->rtxq_cap = 0;
    dst->sndbuf_borrowed = false;
    if (frozen && src->sndbuf) {    /* read until the copy writes: see tcb_send */
        dst->sndbuf = src->sndbuf;
        dst->sndbuf_off = src->sndbuf_off;
        dst->sndbuf_cap = src->sndbuf_cap;
        dst->sndbuf_borrowed = true;
    } else {
        if (!dup_bytes((void **)&dst->sndbuf, src->sndbuf ? src->sndbuf + src->sndbuf_off : NULL, src->sndbuf_len))
            goto fail;
        dst->sndbuf_cap = src->sndbuf_len;
    }
    /* A queue just full would slide its entries back at every segment sent. */
    size_t waiting = src->rtxq_len - src->rtxq_head;
    if (src->rtxq) {
        size_t cap = src->rtxq_cap > 2 * waiting ? src->rtxq_cap : 2 * waiting + 16;
        if (!(dst->rtxq = malloc(cap * sizeof *dst->rtxq)))
            goto fail;
        if (waiting)
            memcpy(dst->rtxq, src->rtxq + src->rtxq_head, waiting * sizeof *dst->rtxq);
        dst->rtxq_cap = cap;
    }
    dst->rtxq_len = waiting;
    if (src->rcvbuf) {              /* rcv_buff bytes, rcv_user of them held */
        if (!(dst->rcvbuf = malloc(src->rcv_buff ? src->rcv_buff : 1)))
            goto fail;
        if (src->rcv_user)
            memcpy(dst->rcvbuf, src->rcvbuf, src->rcv_user);
    }
    if (!dup_bytes((void **)&dst->syn_text, src->syn_text, src->syn_text_len))
        goto fail;
    return true;
fail:
    tcb_free(dst);
    return false;
}

static bool listener_copy(struct sim *dst, const struct sim *src, bool frozen)
{
    const struct listener *l = &src->lst;
    struct listener *d = &dst->lst;
    *d = *l;
    d->tcb = &dst->tcb[EP_SERVER];
    d->child = NULL;
    d->n_child = d->cap_child = 0;
    d->accepted = NULL;
    if (l->n_child == 0)
        return true;
    d->child = calloc(l->n_child, sizeof *d->child);
    if (!d->child)
        return false;
    d->cap_child = l->n_child;
    for (size_t i = 0; i < l->n_child; i++) {
        struct tcb *c = malloc(sizeof *c);
        if (!c || !tcb_copy(c, l->child[i], &dst->host, d, frozen)) {
            free(c);
            return false;
        }
        d->child[d->n_child++] = c;
        if (l->child[i] == l->accepted)
            d->accepted = c;
    }
    return true;
}

static int copy(struct sim *dst, const struct sim *src, bool frozen)
{
    *dst = *src;
    dst->host.cfg = &dst->cfg;
    dst->host.now = &dst->now;
    dst->host.ctx = dst;
    memset(dst->tcb, 0, sizeof dst->tcb);
    memset(&dst->lst, 0, sizeof dst->lst);
    dst->lst.tcb = &dst->tcb[EP_SERVER];
    if (channel_copy(&dst->chan, &src->chan) != 0) {
        channel_init(&dst->chan);
        goto fail;
    }
    for (int ep = 0; ep < EP_COUNT; ep++) {
        if (!tcb_copy(&dst->tcb[ep], &src->tcb[ep], &dst->host, &dst->lst, frozen))
            goto fail;
    }
    if (!listener_copy(dst, src, frozen))
        goto fail;
    return 0;
fail:
    sim_free(dst);
    return -1;
}

int sim_copy(struct sim *dst, const struct sim *src) { return copy(dst, src, false); }
int sim_copy_frozen(struct sim *dst, const struct sim *frozen) { return copy(dst, frozen, true); }
