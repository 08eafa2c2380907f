/* sim_listen.c - the simulation's calls on its server's listener (see
 * listener.h): listen with a backlog, which TCB the server's application
 * addresses, accept(), a host that crashes with all its connections, and
 * the SYN flood that fills the SYN queue. */
#include "tcpsim/sim.h"

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

void sim_crash(struct sim *s, enum endpoint_id ep)
{
    if (ep == EP_SERVER) {          /* the host loses every connection */
        for (size_t i = 0; i < s->lst.n_child; i++)
            tcb_crash(s->lst.child[i]);
        s->lst.accepted = NULL;
        s->lst.backlog = 0;
        listener_reap(&s->lst);
    }
    tcb_crash(&s->tcb[ep]);
}

int sim_accept(struct sim *s)
{
    struct listener *l = &s->lst;
    if (!l->backlog)
        return sim_fail(s, EP_SERVER, "no listener with a backlog", "server listen backlog N first");
    for (size_t i = 0; i < l->n_child; i++) {
        if (listener_in_accept_queue(l, l->child[i])) {
            l->accepted = l->child[i];
            listener_reap(l);               /* the connection accepted before, if it has ended */
            return 0;
        }
    }
    return sim_fail(s, EP_SERVER, "no connection in the accept queue",
                    "a child that completed the handshake: accept() returns only after the third segment");
}

uint32_t sim_flood(struct sim *s, uint32_t n, uint16_t first, uint16_t last)
{
    uint32_t sent = 0;
    uint32_t span = (uint32_t)(last - first) + 1;
    for (uint32_t i = 0; i < n; i++) {
        struct segment syn = {
            .src = EP_CLIENT, .sport = (uint16_t)(first + i % span), .dport = s->cfg.port[EP_SERVER],
            .seq = (seq_t)rng_next(&s->rng), .flags = TCP_SYN, .wnd = 65535, .attacker = true,
            .why = "SYN flood: a spoofed source that will never answer",
        };
        sent += sim_inject(s, &syn) != 0;
    }
    return sent;
}
