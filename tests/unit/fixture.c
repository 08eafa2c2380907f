/* fixture.c - the recording simulation and the state fixtures of the
 * unit tests. */
#include <string.h>

#include "fixture.h"

static void record(void *ctx, const struct event *ev)
{
    struct fx *f = ctx;
    ck_assert_msg(f->n < FX_MAX_EVENTS, "too many events");
    f->ev[f->n] = *ev;
    if (ev->seg) {
        f->seg[f->n] = *ev->seg;
        f->ev[f->n].seg = &f->seg[f->n];
    }
    f->n++;
}

void fx_init(struct fx *f)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    cfg.seed = 42;
    memset(f, 0, sizeof *f);
    sim_init(&f->sim, &cfg, record, f);
    f->sim.isn_set[EP_CLIENT] = f->sim.isn_set[EP_SERVER] = true;
    f->sim.isn[EP_CLIENT] = C_ISS;
    f->sim.isn[EP_SERVER] = S_ISS;
}

void fx_free(struct fx *f) { sim_free(&f->sim); }
void fx_clear(struct fx *f) { f->n = 0; }

size_t fx_sent(const struct fx *f, const struct segment **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->ev[i].type == EV_SEND && k < max)
            out[k++] = f->ev[i].seg;
    return k;
}

size_t fx_count(const struct fx *f, enum event_type t)
{
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++)
        k += f->ev[i].type == t;
    return k;
}

void fx_run(struct fx *f) { ck_assert(sim_run(&f->sim, 1000)); }

static void drop_all(struct fx *f)
{
    while (f->sim.chan.fl_len)
        sim_drop(&f->sim, f->sim.chan.fl[0].id);
}

/* Deliver what is in flight, in order, n times (no timers). */
static void deliver_n(struct fx *f, int n)
{
    for (int i = 0; i < n; i++) {
        ck_assert(f->sim.chan.fl_len > 0);
        sim_deliver(&f->sim, f->sim.chan.fl[0].id);
    }
}

static void established(struct fx *f)
{
    struct sim *s = &f->sim;
    tcb_open_passive(&s->tcb[EP_SERVER]);
    tcb_open_active(&s->tcb[EP_CLIENT]);
    fx_run(f);
}

/* Leave 100 octets of `ep` unacknowledged (the segment is lost). */
static void outstanding(struct fx *f, enum endpoint_id ep)
{
    uint8_t data[100];
    memset(data, 'x', sizeof data);
    tcb_send(&f->sim.tcb[ep], data, sizeof data);
    drop_all(f);
}

void fx_reach(struct fx *f, enum endpoint_id ep, enum tcp_state state, bool passive)
{
    struct sim *s = &f->sim;
    enum endpoint_id peer = ep_peer(ep);
    switch (state) {
    case CLOSED:
        break;
    case LISTEN:
        tcb_open_passive(&s->tcb[ep]);
        break;
    case SYN_SENT:
        tcb_open_active(&s->tcb[ep]);
        break;
    case SYN_RECEIVED:
        if (passive) {
            tcb_open_passive(&s->tcb[ep]);
            tcb_open_active(&s->tcb[peer]);
            deliver_n(f, 1);                /* the SYN; the SYN,ACK is lost */
        } else {
            tcb_open_active(&s->tcb[ep]);
            tcb_open_active(&s->tcb[peer]);
            sim_drop(s, s->chan.fl[0].id);  /* ep's SYN is lost */
            deliver_n(f, 1);                /* the peer's SYN reaches ep */
        }
        break;
    case ESTABLISHED:
        established(f);
        outstanding(f, ep);
        break;
    case FIN_WAIT_1:
        established(f);
        tcb_close(&s->tcb[ep]);             /* the FIN is lost */
        break;
    case FIN_WAIT_2:
        established(f);
        tcb_close(&s->tcb[ep]);
        fx_run(f);                          /* FIN and its ACK */
        break;
    case CLOSE_WAIT:
        established(f);
        tcb_close(&s->tcb[peer]);
        fx_run(f);
        outstanding(f, ep);
        break;
    case CLOSING:
        established(f);
        tcb_close(&s->tcb[ep]);
        tcb_close(&s->tcb[peer]);
        sim_drop(s, s->chan.fl[0].id);      /* ep's FIN is lost */
        deliver_n(f, 1);                    /* the peer's FIN reaches ep */
        break;
    case LAST_ACK:
        established(f);
        tcb_close(&s->tcb[peer]);
        fx_run(f);
        tcb_close(&s->tcb[ep]);             /* the FIN is lost */
        break;
    case TIME_WAIT:
        established(f);
        tcb_close(&s->tcb[ep]);
        fx_run(f);
        tcb_close(&s->tcb[peer]);
        deliver_n(f, 1);                    /* the peer's FIN; our ACK is lost */
        break;
    case TCP_STATE_COUNT:
        break;
    }
    drop_all(f);
    ck_assert_msg(s->tcb[ep].state == state, "fixture reached %s, not %s",
                  tcp_state_name(s->tcb[ep].state), tcp_state_name(state));
    fx_clear(f);
}

struct segment fx_seg(enum endpoint_id to, uint8_t flags, seq_t seq, seq_t ack, uint32_t len)
{
    static const uint8_t zeros[2048];
    enum endpoint_id from = ep_peer(to);
    return (struct segment){
        .src = from,
        .sport = from == EP_CLIENT ? 40000 : 80,
        .dport = to == EP_CLIENT ? 40000 : 80,
        .seq = seq, .ack = ack, .flags = flags, .wnd = 65535,
        .len = len, .data = len ? zeros : NULL,
    };
}
