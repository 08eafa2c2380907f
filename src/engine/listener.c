/* listener.c - the listen backlog: children in SYN-RECEIVED (the SYN
 * queue) and established ones waiting for accept() (the accept queue),
 * SYN cookies, accept(), and the SYN flood that fills the queue. */
#include <stdlib.h>
#include <string.h>

#include "tcb_internal.h"
#include "tcpsim/rng.h"

size_t listener_syn_queue(const struct listener *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_child; i++)
        n += l->child[i]->state == SYN_RECEIVED;
    return n;
}

bool listener_in_accept_queue(const struct listener *l, const struct tcb *t)
{
    return t != l->accepted && t->state != SYN_RECEIVED && t->state != CLOSED;
}

size_t listener_accept_queue(const struct listener *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_child; i++)
        n += listener_in_accept_queue(l, l->child[i]);
    return n;
}

static struct tcb *new_child(struct listener *l, uint16_t rport)
{
    if (l->n_child == l->cap_child) {
        size_t cap = l->cap_child ? l->cap_child * 2 : 8;
        struct tcb **p = realloc(l->child, cap * sizeof *p);
        if (!p)
            return NULL;
        l->child = p;
        l->cap_child = cap;
    }
    struct tcb *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    tcb_init(c, l->tcb->host, l->tcb->ep);
    c->autoack = l->tcb->autoack;
    c->autoread = l->tcb->autoread;
    c->child = true;
    c->rport = rport;
    c->state = LISTEN;          /* born of the listener, before its SYN */
    l->child[l->n_child++] = c;
    return c;
}

/* A SYN cookie (RFC 4987 3.6, as Linux makes it): 5 bits of a 64-second
 * clock, 3 bits for the peer's MSS (an index into a table, as Linux's
 * msstab), and 24 bits of a keyed hash of the connection, its ISN and
 * that clock. */
static const uint16_t cookie_mss[] = { 536, 1300, 1440, 1460 };
#define COOKIE_MSS_N (sizeof cookie_mss / sizeof cookie_mss[0])

static uint32_t cookie_mss_index(uint16_t peer_mss)
{
    uint32_t i = COOKIE_MSS_N - 1;
    while (i > 0 && cookie_mss[i] > (peer_mss ? peer_mss : TCP_DEFAULT_MSS))
        i--;
    return i;
}

static seq_t cookie(const struct listener *l, uint16_t rport, seq_t irs, uint32_t slot, uint32_t mss_index)
{
    uint64_t h = rng_mix(rng_mix(l->tcb->host->cfg->seed ^ 0x5bd1e995u) ^ ((uint64_t)rport << 32 | irs) ^ (uint64_t)slot << 48);
    return (seq_t)((slot & 31u) << 27 | (mss_index & 7u) << 24 | (uint32_t)(h & 0xffffff));
}

static uint32_t cookie_slot(const struct listener *l) { return (uint32_t)(tcb_now(l->tcb) / 64000); }

void listener_syn(struct tcb *listener, const struct segment *seg)
{
    struct listener *l = listener->listener;
    if (l->syncookies) {
        tcb_send_cookie(listener, seg, cookie(l, seg->sport, seg->seq, cookie_slot(l), cookie_mss_index(seg->mss)));
        return;
    }
    if (listener_syn_queue(l) >= l->backlog) {
        tcb_note(listener, "SYN queue full (backlog): SYN dropped, the client will retry");
        return;
    }
    if (listener_accept_queue(l) >= l->backlog) {
        tcb_note(listener, "accept queue full (backlog): SYN dropped, the client will retry");
        return;
    }
    struct tcb *c = new_child(l, seg->sport);
    if (!c) {
        tcb_note(listener, "out of memory: SYN dropped");
        return;
    }
    tcb_listen_arrives(c, seg);     /* RFC 9293 3.10.7.2 third, in the child */
}

bool listener_cookie_ack(struct tcb *listener, const struct segment *seg)
{
    struct listener *l = listener->listener;
    if (!l->syncookies || (seg->flags & (TCP_SYN | TCP_RST)))
        return false;
    seq_t iss = seg->ack - 1, irs = seg->seq - 1;
    uint32_t now = cookie_slot(l), mss_index = (iss >> 24) & 7u;
    bool ok = false;
    for (uint32_t age = 0; age < 2 && age <= now && !ok && mss_index < COOKIE_MSS_N; age++)
        ok = cookie(l, seg->sport, irs, now - age, mss_index) == iss;
    if (!ok)
        return false;
    if (listener_accept_queue(l) >= l->backlog) {
        tcb_note(listener, "accept queue full (backlog): the cookie's ACK is dropped");
        return true;
    }
    struct tcb *c = new_child(l, seg->sport);
    if (!c)
        return true;
    tcb_begin(c, iss);
    c->passive_open = true;
    c->irs = irs;
    c->rcv_nxt = seg->seq;
    c->snd_una = c->snd_nxt = seg->ack;
    c->sndbuf_seq = seg->ack;
    c->snd_wnd = seg->wnd;
    c->snd_wl1 = seg->seq;
    c->snd_wl2 = seg->ack;
    c->peer_mss = cookie_mss[mss_index];    /* the MSS the cookie kept */
    tcb_established(c, "ACK carries a valid SYN cookie: the connection is recreated from it (RFC 4987 3.6)");
    if (seg->len || (seg->flags & TCP_FIN))
        tcb_segment_arrives(c, seg);        /* its text and FIN */
    return true;
}

struct tcb *listener_demux(struct listener *l, const struct segment *seg)
{
    if (l->accepted && l->accepted->rport == seg->sport && l->accepted->state != CLOSED)
        return l->accepted;
    for (size_t i = 0; i < l->n_child; i++) {
        if (l->child[i]->rport == seg->sport && l->child[i]->state != CLOSED)
            return l->child[i];
    }
    return l->tcb;
}

void listener_reap(struct listener *l)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n_child; i++) {
        struct tcb *c = l->child[i];
        if (c->state == CLOSED && c != l->accepted) {
            tcb_free(c);
            free(c);
        } else {
            l->child[k++] = c;
        }
    }
    l->n_child = k;
}

void listener_free(struct listener *l)
{
    for (size_t i = 0; i < l->n_child; i++) {
        tcb_free(l->child[i]);
        free(l->child[i]);
    }
    free(l->child);
    struct tcb *tcb = l->tcb;
    memset(l, 0, sizeof *l);
    l->tcb = tcb;
}
