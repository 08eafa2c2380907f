/* test_demux.c - a connection is a pair of sockets (RFC 9293 3.4.1): a
 * segment from a port that matches no connection, in every state, is
 * processed as in CLOSED (3.10.7.1) and leaves the connection alone. */
#include <string.h>

#include "fixture.h"

#define OTHER_PORT 41000

struct drow {
    const char *name;
    enum tcp_state state;
    bool passive;
    uint8_t flags;
    bool replies;           /* a RST goes back to OTHER_PORT */
    enum tcp_state after;
};

#define RA (TCP_RST | TCP_ACK)
#define THREE(st, p, name)                                              \
    { name "_ack_other_port", st, p, TCP_ACK, true, st },               \
    { name "_rst_other_port", st, p, TCP_RST, false, st },              \
    { name "_syn_other_port", st, p, TCP_SYN, true, st }

static const struct drow rows[] = {
    { "closed_ack_other_port", CLOSED, false, TCP_ACK, true, CLOSED },
    { "closed_rst_other_port", CLOSED, false, TCP_RST, false, CLOSED },
    /* a TCB in LISTEN takes any remote socket */
    { "listen_syn_other_port", LISTEN, false, TCP_SYN, true, SYN_RECEIVED },
    { "listen_rst_other_port", LISTEN, false, TCP_RST, false, LISTEN },
    THREE(SYN_SENT, false, "syn_sent"),
    THREE(SYN_RECEIVED, true, "syn_received"),
    THREE(ESTABLISHED, false, "established"),
    THREE(FIN_WAIT_1, false, "fin_wait_1"),
    THREE(FIN_WAIT_2, false, "fin_wait_2"),
    THREE(CLOSE_WAIT, false, "close_wait"),
    THREE(CLOSING, false, "closing"),
    THREE(LAST_ACK, false, "last_ack"),
    THREE(TIME_WAIT, false, "time_wait"),
};

START_TEST(test_any_state_other_port)
{
    const struct drow *r = &rows[_i];
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    fx_reach(f, EP_CLIENT, r->state, r->passive);
    struct tcb *t = &f->sim.tcb[EP_CLIENT];
    seq_t una = t->snd_una, nxt = t->rcv_nxt;
    /* In the window and exactly at RCV.NXT: it would reset the connection
     * if the ports were not looked at. */
    struct segment seg = fx_seg(EP_CLIENT, r->flags, t->rcv_nxt, t->snd_nxt, 0);
    seg.sport = OTHER_PORT;
    uint32_t id = sim_inject(&f->sim, &seg);
    fx_clear(f);
    ck_assert_int_eq(sim_deliver(&f->sim, id), 0);
    ck_assert_msg(t->state == r->after, "%s: state %s, expected %s", r->name,
                  tcp_state_name(t->state), tcp_state_name(r->after));
    const struct segment *out[4];
    size_t n = fx_sent(f, out, 4);
    if (r->after != SYN_RECEIVED) {
        ck_assert_msg(n == (r->replies ? 1u : 0u), "%s: %zu sent", r->name, n);
        ck_assert_msg(t->snd_una == una && t->rcv_nxt == nxt, "%s: the connection moved", r->name);
    }
    if (n) {
        ck_assert_uint_eq(out[0]->dport, OTHER_PORT);
        if (r->after != SYN_RECEIVED) {
            if (r->flags & TCP_ACK)
                ck_seg(out[0], TCP_RST, seg.ack, 0, 0);
            else
                ck_seg(out[0], RA, 0, seg.seq + 1, 0);
        }
    }
    fx_free(f);
    free(f);
}
END_TEST

/* A listener with a backlog: a RST from another port leaves its child
 * alone; an ACK from another port is answered by the listener. */
START_TEST(test_listen_backlog_rst_other_port)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct sim *s = &f->sim;
    ck_assert_int_eq(sim_listen_backlog(s, 2), 0);
    tcb_open_active(&s->tcb[EP_CLIENT]);
    fx_run(f);
    ck_assert_uint_eq(s->lst.n_child, 1);
    struct tcb *c = s->lst.child[0];
    ck_assert_str_eq(tcp_state_name(c->state), "ESTABLISHED");
    struct segment rst = fx_seg(EP_SERVER, TCP_RST, c->rcv_nxt, 0, 0);
    rst.sport = OTHER_PORT;
    uint32_t id = sim_inject(s, &rst);
    fx_clear(f);
    sim_deliver(s, id);
    ck_assert_str_eq(tcp_state_name(c->state), "ESTABLISHED");
    ck_assert_uint_eq(fx_count(f, EV_SEND), 0);
    fx_free(f);
    free(f);
}
END_TEST

/* A single TCB (no backlog) in SYN-RECEIVED listens no more: the flood's
 * other SYNs are answered with RST,ACK and take nothing of it. */
START_TEST(test_syn_received_flood_without_backlog)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    struct sim *s = &f->sim;
    tcb_open_passive(&s->tcb[EP_SERVER]);
    ck_assert_uint_eq(sim_flood(s, 3, 50000, 50002), 3);
    fx_clear(f);
    fx_run(f);
    ck_state(f, EP_SERVER, SYN_RECEIVED);
    ck_assert_uint_eq(s->tcb[EP_SERVER].rport, 50000);
    const struct segment *out[8];
    size_t n = fx_sent(f, out, 8);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(out[0]->flags, TCP_SYN | TCP_ACK);
    ck_assert_uint_eq(out[1]->flags, RA);
    ck_assert_uint_eq(out[1]->dport, 50001);
    ck_assert_uint_eq(out[2]->flags, RA);
    ck_assert_uint_eq(out[2]->dport, 50002);
    fx_free(f);
    free(f);
}
END_TEST

Suite *demux_suite(void)
{
    Suite *s = suite_create("demux");
    TCase *tc = tcase_create("port pair");
    tcase_add_loop_test(tc, test_any_state_other_port, 0, (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(tc, test_listen_backlog_rst_other_port);
    tcase_add_test(tc, test_syn_received_flood_without_backlog);
    suite_add_tcase(s, tc);
    return s;
}
