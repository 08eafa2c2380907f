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

struct tcb *sim_tcb(struct sim *s, enum endpoint_id ep)
{
    if (ep == EP_SERVER && s->lst.accepted)
        return s->lst.accepted;
    return &s->tcb[ep];
}

int sim_listen_backlog(struct sim *s, uint32_t backlog)
{
    if (tcb_open_passive(&s->tcb[EP_SERVER]) != 0)
        return -1;
    s->lst.backlog = backlog;
    return 0;
}

static struct tcb *new_child(struct sim *s, uint16_t rport)
{
    if (s->lst.n_child == s->lst.cap_child) {
        size_t cap = s->lst.cap_child ? s->lst.cap_child * 2 : 8;
        struct tcb **p = realloc(s->lst.child, cap * sizeof *p);
        if (!p)
            return NULL;
        s->lst.child = p;
        s->lst.cap_child = cap;
    }
    struct tcb *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    tcb_init(c, s, EP_SERVER);
    c->autoack = s->tcb[EP_SERVER].autoack;
    c->child = true;
    c->rport = rport;
    c->state = LISTEN;          /* born of the listener, before its SYN */
    s->lst.child[s->lst.n_child++] = c;
    return c;
}

/* A SYN cookie (RFC 4987 3.6, as Linux makes it): 5 bits of a 64-second
 * clock, 3 bits for the MSS, and 24 bits of a keyed hash of the
 * connection, its ISN and that clock. */
static seq_t cookie(const struct sim *s, uint16_t rport, seq_t irs, uint32_t slot)
{
    uint64_t h = rng_mix(rng_mix(s->cfg.seed ^ 0x5bd1e995u) ^ ((uint64_t)rport << 32 | irs) ^ (uint64_t)slot << 48);
    return (seq_t)((slot & 31u) << 27 | 3u << 24 | (uint32_t)(h & 0xffffff));
}

static uint32_t cookie_slot(const struct sim *s) { return (uint32_t)(s->now / 64000); }

void listener_syn(struct tcb *listener, const struct segment *seg)
{
    struct sim *s = listener->sim;
    struct listener *l = &s->lst;
    if (l->syncookies) {
        tcb_send_cookie(listener, seg, cookie(s, seg->sport, seg->seq, cookie_slot(s)));
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
    struct tcb *c = new_child(s, seg->sport);
    if (!c) {
        tcb_note(listener, "out of memory: SYN dropped");
        return;
    }
    tcb_listen_arrives(c, seg);     /* RFC 9293 3.10.7.2 third, in the child */
}

bool listener_cookie_ack(struct tcb *listener, const struct segment *seg)
{
    struct sim *s = listener->sim;
    if (!s->lst.syncookies || (seg->flags & (TCP_SYN | TCP_RST)))
        return false;
    seq_t iss = seg->ack - 1, irs = seg->seq - 1;
    uint32_t now = cookie_slot(s);
    bool ok = false;
    for (uint32_t age = 0; age < 2 && age <= now && !ok; age++)
        ok = cookie(s, seg->sport, irs, now - age) == iss;
    if (!ok)
        return false;
    if (listener_accept_queue(&s->lst) >= s->lst.backlog) {
        tcb_note(listener, "accept queue full (backlog): the cookie's ACK is dropped");
        return true;
    }
    struct tcb *c = new_child(s, seg->sport);
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
    tcb_established(c, "ACK carries a valid SYN cookie: the connection is recreated from it (RFC 4987 3.6)");
    if (seg->len || (seg->flags & TCP_FIN))
        tcb_segment_arrives(c, seg);        /* its text and FIN */
    return true;
}

struct tcb *listener_demux(struct sim *s, const struct segment *seg)
{
    struct listener *l = &s->lst;
    if (l->accepted && l->accepted->rport == seg->sport && l->accepted->state != CLOSED)
        return l->accepted;
    for (size_t i = 0; i < l->n_child; i++) {
        if (l->child[i]->rport == seg->sport && l->child[i]->state != CLOSED)
            return l->child[i];
    }
    return &s->tcb[EP_SERVER];
}

int sim_accept(struct sim *s)
{
    struct listener *l = &s->lst;
    if (!l->backlog)
        return sim_fail(s, EP_SERVER, "no listener with a backlog", "server listen backlog N first");
    for (size_t i = 0; i < l->n_child; i++) {
        if (listener_in_accept_queue(l, l->child[i])) {
            l->accepted = l->child[i];
            listener_reap(s);               /* the connection accepted before, if it has ended */
            return 0;
        }
    }
    return sim_fail(s, EP_SERVER, "no connection in the accept queue",
                    "a child that completed the handshake: accept() returns only after the third segment");
}

void listener_reap(struct sim *s)
{
    struct listener *l = &s->lst;
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

void listener_free(struct sim *s)
{
    struct listener *l = &s->lst;
    for (size_t i = 0; i < l->n_child; i++) {
        tcb_free(l->child[i]);
        free(l->child[i]);
    }
    free(l->child);
    memset(l, 0, sizeof *l);
}

uint32_t sim_flood(struct sim *s, uint32_t n, uint16_t first, uint16_t last)
{
    uint32_t sent = 0;
    uint32_t span = (uint32_t)(last - first) + 1;
    for (uint32_t i = 0; i < n; i++) {
        struct segment syn = {
            .src = EP_CLIENT, .sport = (uint16_t)(first + i % span), .dport = s->cfg.port[EP_SERVER],
            .seq = (seq_t)rng_next(&s->rng), .flags = TCP_SYN, .wnd = 65535,
            .why = "SYN flood: a spoofed source that will never answer",
        };
        sent += sim_inject(s, &syn) != 0;
    }
    return sent;
}
