/* test_lessons.c - the "why" lessons in the engine: the listener with a
 * backlog (children, SYN and accept queues, expiry), SYN cookies, the
 * two-way handshake variant and the ISN modes. */
#include <stdlib.h>

#include "fixture.h"

static struct fx *fresh(void)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    return f;
}

static void done(struct fx *f)
{
    fx_free(f);
    free(f);
}

/* The last segment sent. */
static const struct segment *last_sent(const struct fx *f)
{
    for (size_t i = f->n; i-- > 0;)
        if (f->ev[i].type == EV_SEND)
            return f->ev[i].seg;
    return NULL;
}

START_TEST(test_backlog_children_and_queues)
{
    struct fx *f = fresh();
    struct sim *s = &f->sim;
    ck_assert_int_eq(sim_listen_backlog(s, 2), 0);
    ck_assert_uint_eq(sim_flood(s, 3, 50000, 50002), 3);     /* three SYNs, room for two */
    sim_run(s, 1000);
    ck_state(f, EP_SERVER, LISTEN);                          /* the listener stays */
    ck_assert_uint_eq(s->lst.n_child, 2);
    ck_assert_uint_eq(listener_syn_queue(&s->lst), 2);
    ck_assert_uint_eq(s->lst.child[0]->rport, 50000);
    ck_assert_uint_eq(s->lst.child[0]->irs + 1, s->lst.child[0]->rcv_nxt);
    ck_assert_str_eq(tcp_state_name(s->lst.child[1]->state), "SYN-RECEIVED");
    bool dropped = false;
    for (size_t i = 0; i < f->n; i++)
        dropped |= f->ev[i].type == EV_NOTE && strstr(f->ev[i].why, "SYN queue full") != NULL;
    ck_assert(dropped);
    /* The SYN,ACKs go to ports nobody simulates: they expire after
     * `syn-retries` (7) retransmissions, and the queue empties. */
    for (int i = 0; i < 20 && s->lst.n_child; i++)
        sim_advance_to_timer(s, 1000);
    ck_assert_uint_eq(s->lst.n_child, 0);
    ck_assert_uint_eq(s->now, 50 + 247000);                  /* 1+2+4+...+64+120 s */
    ck_state(f, EP_SERVER, LISTEN);
    done(f);
}
END_TEST

START_TEST(test_accept_after_the_third_segment)
{
    struct fx *f = fresh();
    struct sim *s = &f->sim;
    ck_assert_int_eq(sim_listen_backlog(s, 1), 0);
    tcb_open_active(&s->tcb[EP_CLIENT]);
    ck_assert(sim_step(s));                                  /* the SYN arrives */
    ck_assert_int_eq(sim_accept(s), -1);
    ck_assert_str_eq(sim_error(s), "no connection in the accept queue");
    ck_assert(sim_step(s));                                  /* the SYN,ACK */
    ck_state(f, EP_CLIENT, ESTABLISHED);
    ck_assert_int_eq(sim_accept(s), -1);
    ck_assert_ptr_eq(sim_tcb(s, EP_SERVER), &s->tcb[EP_SERVER]);
    ck_assert(sim_step(s));                                  /* the third segment */
    ck_assert_uint_eq(listener_accept_queue(&s->lst), 1);
    ck_assert_int_eq(sim_accept(s), 0);
    struct tcb *conn = sim_tcb(s, EP_SERVER);
    ck_assert_ptr_ne(conn, &s->tcb[EP_SERVER]);
    ck_assert_str_eq(tcp_state_name(conn->state), "ESTABLISHED");
    ck_assert_uint_eq(conn->iss, S_ISS);
    ck_assert_uint_eq(conn->rcv_nxt, C_ISS + 1);
    ck_assert_uint_eq(listener_accept_queue(&s->lst), 0);
    /* Data flows on the accepted connection, by its port. */
    ck_assert_int_eq(tcb_send(&s->tcb[EP_CLIENT], (const uint8_t *)"hi", 2), 0);
    sim_run(s, 1000);
    ck_assert_uint_eq(conn->rcv_nxt, C_ISS + 3);
    done(f);
}
END_TEST

START_TEST(test_syn_cookies)
{
    struct fx *f = fresh();
    struct sim *s = &f->sim;
    s->lst.syncookies = true;
    ck_assert_int_eq(sim_listen_backlog(s, 1), 0);
    sim_flood(s, 5, 50000, 50004);
    sim_run(s, 1000);
    ck_assert_uint_eq(s->lst.n_child, 0);                    /* no queue entry at all */
    ck_assert(!sim_next_timer(s, &(uint64_t){ 0 }));          /* and nothing to retransmit */
    /* An ACK that carries no cookie of ours is answered with a RST. */
    struct segment forged = fx_seg(EP_SERVER, TCP_ACK, 7001, 123456, 0);
    sim_inject(s, &forged);
    sim_run(s, 1000);
    ck_assert_uint_eq(s->lst.n_child, 0);
    ck_assert(last_sent(f)->flags == TCP_RST && last_sent(f)->seq == 123456);
    /* The real client: the cookie comes back in its ACK and recreates the
     * connection, ESTABLISHED, in the accept queue. */
    tcb_open_active(&s->tcb[EP_CLIENT]);
    ck_assert(sim_step(s));
    const struct segment *cookie = last_sent(f);
    ck_assert(cookie->flags == (TCP_SYN | TCP_ACK) && cookie->ack == C_ISS + 1);
    ck_assert_uint_eq(cookie->seq >> 24 & 7, 3);              /* the MSS bits */
    seq_t iss = cookie->seq;
    sim_run(s, 1000);
    ck_assert_uint_eq(s->lst.n_child, 1);
    ck_assert_uint_eq(listener_accept_queue(&s->lst), 1);
    ck_assert_str_eq(tcp_state_name(s->lst.child[0]->state), "ESTABLISHED");
    ck_assert_uint_eq(s->lst.child[0]->iss, iss);
    ck_assert_uint_eq(s->lst.child[0]->snd_nxt, iss + 1);
    ck_assert_uint_eq(s->lst.child[0]->rcv_nxt, C_ISS + 1);
    done(f);
}
END_TEST

START_TEST(test_two_way_handshake_is_not_tcp)
{
    struct fx *f = fresh();
    struct sim *s = &f->sim;
    s->cfg.two_way = true;
    tcb_open_passive(&s->tcb[EP_SERVER]);
    struct segment stale = fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0);
    sim_inject(s, &stale);
    ck_assert(sim_step(s));
    ck_state(f, EP_SERVER, ESTABLISHED);                     /* on the SYN alone */
    ck_assert_uint_eq(s->tcb[EP_SERVER].rcv_nxt, 1001);
    s->cfg.two_way = false;
    tcb_abort(&s->tcb[EP_SERVER]);
    tcb_open_passive(&s->tcb[EP_SERVER]);
    sim_inject(s, &stale);
    while (s->chan.fl_len && s->tcb[EP_SERVER].state == LISTEN)
        sim_step(s);
    ck_state(f, EP_SERVER, SYN_RECEIVED);                    /* TCP waits for the third */
    done(f);
}
END_TEST

START_TEST(test_isn_modes)
{
    struct fx *f = fresh();
    struct sim *s = &f->sim;
    s->isn_set[EP_CLIENT] = s->isn_set[EP_SERVER] = false;
    s->cfg.isn_mode = ISN_COUNTER;
    seq_t a = sim_choose_iss(s, EP_SERVER, 40000);
    s->now += 1000;
    seq_t b = sim_choose_iss(s, EP_SERVER, 41000);
    ck_assert_uint_eq((seq_t)(b - a), 64000 + 128000);       /* per connection, per second */
    s->cfg.isn_mode = ISN_CLOCK;
    ck_assert_uint_eq(sim_choose_iss(s, EP_SERVER, 40000), (seq_t)(s->now * 250));
    s->cfg.isn_mode = ISN_RANDOM;                              /* RFC 6528 */
    seq_t c = sim_choose_iss(s, EP_SERVER, 40000);
    seq_t d = sim_choose_iss(s, EP_SERVER, 41000);
    s->now += 2;
    seq_t e = sim_choose_iss(s, EP_SERVER, 40000);
    ck_assert_uint_eq((seq_t)(e - c), 500);                  /* the same ends: the clock moved */
    ck_assert_uint_ne((seq_t)(d - c), 0);
    ck_assert_uint_ne((seq_t)(d - c), 64000);                /* other ends: unrelated */
    done(f);
}
END_TEST

Suite *lessons_suite(void)
{
    Suite *s = suite_create("lessons");
    TCase *tc = tcase_create("listener, cookies, variants");
    tcase_add_test(tc, test_backlog_children_and_queues);
    tcase_add_test(tc, test_accept_after_the_third_segment);
    tcase_add_test(tc, test_syn_cookies);
    tcase_add_test(tc, test_two_way_handshake_is_not_tcp);
    tcase_add_test(tc, test_isn_modes);
    suite_add_tcase(s, tc);
    return s;
}
