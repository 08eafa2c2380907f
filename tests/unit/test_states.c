/* test_states.c - every state against every kind of arriving segment.
 *
 * One test case per state.  Each row is one test, named
 * <state>_<segment>[_<variant>]: the endpoint is put straight into the
 * state, the segment arrives, and the row says exactly what must be sent
 * (or that nothing is) and the state after, each value written relative
 * to the TCB as it was before the segment (RFC 9293 3.10.7).
 */
#include <string.h>

#include "fixture.h"

enum base { ZERO, ISS, IRS, SND_UNA, SND_NXT, RCV_NXT, RCV_END, NO_CHECK };
struct v { enum base b; int64_t off; };

struct row {
    const char *name;
    uint8_t flags;
    struct v seq, ack;
    uint32_t len;
    int nsent;                  /* 0 or 1 segments in reply */
    uint8_t rflags;
    struct v rseq, rack;
    enum tcp_state after;
    struct v una;               /* SND.UNA after, or NO_CHECK */
};

#define V(b, o) { b, o }
#define NOTHING 0, 0, V(ZERO, 0), V(ZERO, 0)
#define SENDS(fl, sq, ak) 1, fl, sq, ak
#define ACK_NOW SENDS(TCP_ACK, V(SND_NXT, 0), V(RCV_NXT, 0))
#define ANY_UNA V(NO_CHECK, 0)
#define A TCP_ACK
#define PA (TCP_PSH | TCP_ACK)
#define FA (TCP_FIN | TCP_ACK)
#define SA (TCP_SYN | TCP_ACK)
#define RA (TCP_RST | TCP_ACK)
#define WND 65535

struct snap { seq_t iss, irs, snd_una, snd_nxt, rcv_nxt; uint32_t rcv_wnd; };

static seq_t eval(const struct snap *s, struct v v)
{
    seq_t b = 0;
    switch (v.b) {
    case ZERO: case NO_CHECK: b = 0; break;
    case ISS: b = s->iss; break;
    case IRS: b = s->irs; break;
    case SND_UNA: b = s->snd_una; break;
    case SND_NXT: b = s->snd_nxt; break;
    case RCV_NXT: b = s->rcv_nxt; break;
    case RCV_END: b = s->rcv_nxt + s->rcv_wnd; break;
    }
    return b + (seq_t)v.off;
}

static void run_row(enum endpoint_id ep, enum tcp_state state, bool passive, const struct row *r)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    fx_reach(f, ep, state, passive);
    struct tcb *t = &f->sim.tcb[ep];
    struct snap s = { t->iss, t->irs, t->snd_una, t->snd_nxt, t->rcv_nxt, t->rcv_wnd };

    struct segment seg = fx_seg(ep, r->flags, eval(&s, r->seq), eval(&s, r->ack), r->len);
    tcb_segment_arrives(t, &seg);

    const struct segment *out[8];
    size_t n = fx_sent(f, out, 8);
    ck_assert_msg(n == (size_t)r->nsent, "%s: %zu segments sent, expected %d", r->name, n, r->nsent);
    if (n) {
        char got[TCP_FLAGS_STRLEN], want[TCP_FLAGS_STRLEN];
        ck_assert_msg(out[0]->flags == r->rflags, "%s: sent %s, expected %s", r->name,
                      tcp_flags_str(out[0]->flags, got), tcp_flags_str(r->rflags, want));
        ck_assert_msg(out[0]->seq == eval(&s, r->rseq), "%s: sent seq=%u, expected %u",
                      r->name, out[0]->seq, eval(&s, r->rseq));
        ck_assert_msg(out[0]->ack == eval(&s, r->rack), "%s: sent ack=%u, expected %u",
                      r->name, out[0]->ack, eval(&s, r->rack));
        ck_assert_msg(out[0]->len == 0, "%s: reply carries data", r->name);
    }
    ck_assert_msg(t->state == r->after, "%s: state %s, expected %s", r->name,
                  tcp_state_name(t->state), tcp_state_name(r->after));
    if (r->una.b != NO_CHECK)
        ck_assert_msg(t->snd_una == eval(&s, r->una), "%s: SND.UNA=%u, expected %u",
                      r->name, t->snd_una, eval(&s, r->una));
    fx_free(f);
    free(f);
}

#define TABLE_TEST(fn, ep, state, passive, rows)                          \
    START_TEST(fn) { run_row(ep, state, passive, &rows[_i]); }            \
    END_TEST

/* --- CLOSED (RFC 9293 3.10.7.1): the server, never opened --------------- */
static const struct row closed_rows[] = {
    { "closed_syn", TCP_SYN, V(ZERO, 1000), V(ZERO, 0), 0, SENDS(RA, V(ZERO, 0), V(ZERO, 1001)), CLOSED, ANY_UNA },
    { "closed_syn_ack", SA, V(ZERO, 1000), V(ZERO, 5000), 0, SENDS(TCP_RST, V(ZERO, 5000), V(ZERO, 0)), CLOSED, ANY_UNA },
    { "closed_ack", A, V(ZERO, 1000), V(ZERO, 5000), 0, SENDS(TCP_RST, V(ZERO, 5000), V(ZERO, 0)), CLOSED, ANY_UNA },
    { "closed_data_no_ack", TCP_PSH, V(ZERO, 1000), V(ZERO, 0), 10, SENDS(RA, V(ZERO, 0), V(ZERO, 1010)), CLOSED, ANY_UNA },
    { "closed_data", PA, V(ZERO, 1000), V(ZERO, 5000), 10, SENDS(TCP_RST, V(ZERO, 5000), V(ZERO, 0)), CLOSED, ANY_UNA },
    { "closed_fin", TCP_FIN, V(ZERO, 1000), V(ZERO, 0), 0, SENDS(RA, V(ZERO, 0), V(ZERO, 1001)), CLOSED, ANY_UNA },
    { "closed_rst", TCP_RST, V(ZERO, 1000), V(ZERO, 0), 0, NOTHING, CLOSED, ANY_UNA },
    { "closed_rst_ack", RA, V(ZERO, 1000), V(ZERO, 5000), 0, NOTHING, CLOSED, ANY_UNA },
};
TABLE_TEST(test_closed, EP_SERVER, CLOSED, false, closed_rows)

/* --- LISTEN (RFC 9293 3.10.7.2): ISS of the next connection is S_ISS --- */
static const struct row listen_rows[] = {
    { "listen_syn", TCP_SYN, V(ZERO, 1000), V(ZERO, 0), 0, SENDS(SA, V(ZERO, S_ISS), V(ZERO, 1001)), SYN_RECEIVED, ANY_UNA },
    { "listen_syn_wraps", TCP_SYN, V(ZERO, 0xffffffff), V(ZERO, 0), 0, SENDS(SA, V(ZERO, S_ISS), V(ZERO, 0)), SYN_RECEIVED, ANY_UNA },
    { "listen_syn_ack", SA, V(ZERO, 1000), V(ZERO, 5000), 0, SENDS(TCP_RST, V(ZERO, 5000), V(ZERO, 0)), LISTEN, ANY_UNA },
    { "listen_ack", A, V(ZERO, 1000), V(ZERO, 5000), 0, SENDS(TCP_RST, V(ZERO, 5000), V(ZERO, 0)), LISTEN, ANY_UNA },
    { "listen_data", PA, V(ZERO, 1000), V(ZERO, 5000), 10, SENDS(TCP_RST, V(ZERO, 5000), V(ZERO, 0)), LISTEN, ANY_UNA },
    { "listen_data_no_ack", TCP_PSH, V(ZERO, 1000), V(ZERO, 0), 10, NOTHING, LISTEN, ANY_UNA },
    { "listen_fin", TCP_FIN, V(ZERO, 1000), V(ZERO, 0), 0, NOTHING, LISTEN, ANY_UNA },
    { "listen_fin_ack", FA, V(ZERO, 1000), V(ZERO, 5000), 0, SENDS(TCP_RST, V(ZERO, 5000), V(ZERO, 0)), LISTEN, ANY_UNA },
    { "listen_rst", TCP_RST, V(ZERO, 1000), V(ZERO, 0), 0, NOTHING, LISTEN, ANY_UNA },
    { "listen_rst_ack", RA, V(ZERO, 1000), V(ZERO, 5000), 0, NOTHING, LISTEN, ANY_UNA },
};
TABLE_TEST(test_listen, EP_SERVER, LISTEN, false, listen_rows)

/* --- SYN-SENT (RFC 9293 3.10.7.3): the client, ISS = C_ISS --------------- */
static const struct row syn_sent_rows[] = {
    { "syn_sent_syn_ack", SA, V(ZERO, 5000), V(SND_NXT, 0), 0, SENDS(A, V(SND_NXT, 0), V(ZERO, 5001)), ESTABLISHED, V(SND_NXT, 0) },
    { "syn_sent_syn_ack_data", SA | TCP_PSH, V(ZERO, 5000), V(SND_NXT, 0), 10, SENDS(A, V(SND_NXT, 0), V(ZERO, 5011)), ESTABLISHED, V(SND_NXT, 0) },
    { "syn_sent_syn_ack_fin", SA | TCP_FIN, V(ZERO, 5000), V(SND_NXT, 0), 0, SENDS(A, V(SND_NXT, 0), V(ZERO, 5002)), CLOSE_WAIT, V(SND_NXT, 0) },
    { "syn_sent_syn_ack_bad_ack", SA, V(ZERO, 5000), V(ISS, 0), 0, SENDS(TCP_RST, V(ISS, 0), V(ZERO, 0)), SYN_SENT, V(ISS, 0) },
    { "syn_sent_syn_ack_above", SA, V(ZERO, 5000), V(SND_NXT, 1), 0, SENDS(TCP_RST, V(SND_NXT, 1), V(ZERO, 0)), SYN_SENT, V(ISS, 0) },
    { "syn_sent_syn", TCP_SYN, V(ZERO, 5000), V(ZERO, 0), 0, SENDS(SA, V(ISS, 0), V(ZERO, 5001)), SYN_RECEIVED, V(ISS, 0) },
    { "syn_sent_ack", A, V(ZERO, 5000), V(SND_NXT, 0), 0, NOTHING, SYN_SENT, V(ISS, 0) },
    { "syn_sent_ack_bad", A, V(ZERO, 5000), V(ISS, 0), 0, SENDS(TCP_RST, V(ISS, 0), V(ZERO, 0)), SYN_SENT, V(ISS, 0) },
    { "syn_sent_data", PA, V(ZERO, 5000), V(SND_NXT, 0), 10, NOTHING, SYN_SENT, V(ISS, 0) },
    { "syn_sent_fin", FA, V(ZERO, 5000), V(SND_NXT, 0), 0, NOTHING, SYN_SENT, V(ISS, 0) },
    { "syn_sent_rst_ack", RA, V(ZERO, 0), V(SND_NXT, 0), 0, NOTHING, CLOSED, ANY_UNA },
    { "syn_sent_rst_bad_ack", RA, V(ZERO, 0), V(ISS, 0), 0, NOTHING, SYN_SENT, V(ISS, 0) },
    { "syn_sent_rst_no_ack", TCP_RST, V(ZERO, 5000), V(ZERO, 0), 0, NOTHING, SYN_SENT, V(ISS, 0) },
};
TABLE_TEST(test_syn_sent, EP_CLIENT, SYN_SENT, false, syn_sent_rows)

/* --- SYN-RECEIVED from a passive OPEN: the server ------------------------ */
static const struct row syn_rcvd_rows[] = {
    { "syn_received_syn_retransmitted", TCP_SYN, V(IRS, 0), V(ZERO, 0), 0, ACK_NOW, SYN_RECEIVED, V(ISS, 0) },
    { "syn_received_syn_in_window", TCP_SYN, V(RCV_NXT, 10), V(ZERO, 0), 0, NOTHING, LISTEN, ANY_UNA },
    { "syn_received_syn_ack", SA, V(RCV_NXT, 10), V(SND_NXT, 0), 0, NOTHING, LISTEN, ANY_UNA },
    { "syn_received_ack", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, ESTABLISHED, V(SND_NXT, 0) },
    { "syn_received_ack_above", A, V(RCV_NXT, 0), V(SND_NXT, 1), 0, SENDS(TCP_RST, V(SND_NXT, 1), V(ZERO, 0)), SYN_RECEIVED, V(ISS, 0) },
    { "syn_received_ack_duplicate", A, V(RCV_NXT, 0), V(SND_UNA, 0), 0, SENDS(TCP_RST, V(SND_UNA, 0), V(ZERO, 0)), SYN_RECEIVED, V(ISS, 0) },
    { "syn_received_data", PA, V(RCV_NXT, 0), V(SND_NXT, 0), 10, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 10)), ESTABLISHED, V(SND_NXT, 0) },
    { "syn_received_data_out_of_window", PA, V(RCV_END, 0), V(SND_NXT, 0), 10, ACK_NOW, SYN_RECEIVED, V(ISS, 0) },
    { "syn_received_fin", FA, V(RCV_NXT, 0), V(SND_NXT, 0), 0, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 1)), CLOSE_WAIT, V(SND_NXT, 0) },
    { "syn_received_no_ack", TCP_PSH, V(RCV_NXT, 0), V(ZERO, 0), 10, NOTHING, SYN_RECEIVED, V(ISS, 0) },
    { "syn_received_rst_exact", TCP_RST, V(RCV_NXT, 0), V(ZERO, 0), 0, NOTHING, LISTEN, ANY_UNA },
    { "syn_received_rst_in_window", TCP_RST, V(RCV_NXT, 10), V(ZERO, 0), 0, ACK_NOW, SYN_RECEIVED, V(ISS, 0) },
    { "syn_received_rst_out_of_window", TCP_RST, V(RCV_END, 10), V(ZERO, 0), 0, NOTHING, SYN_RECEIVED, V(ISS, 0) },
};
TABLE_TEST(test_syn_received, EP_SERVER, SYN_RECEIVED, true, syn_rcvd_rows)

/* --- SYN-RECEIVED from an active OPEN (simultaneous open): the client --- */
static const struct row syn_rcvd_active_rows[] = {
    { "syn_received_active_syn_ack_crossed", SA, V(IRS, 0), V(SND_NXT, 0), 0, NOTHING, ESTABLISHED, V(SND_NXT, 0) },
    { "syn_received_active_syn_in_window", TCP_SYN, V(RCV_NXT, 10), V(ZERO, 0), 0, ACK_NOW, SYN_RECEIVED, V(ISS, 0) },
    { "syn_received_active_ack", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, ESTABLISHED, V(SND_NXT, 0) },
    { "syn_received_active_rst_exact", TCP_RST, V(RCV_NXT, 0), V(ZERO, 0), 0, NOTHING, CLOSED, ANY_UNA },
    { "syn_received_active_rst_in_window", TCP_RST, V(RCV_NXT, 10), V(ZERO, 0), 0, ACK_NOW, SYN_RECEIVED, V(ISS, 0) },
};
TABLE_TEST(test_syn_received_active, EP_CLIENT, SYN_RECEIVED, false, syn_rcvd_active_rows)

/* The rows every synchronized state shares the form of; each state's
 * table says its own outcome.  The endpoint has 100 octets or its FIN
 * unacknowledged where the state allows. */
#define SYN_ROWS(st)                                                                        \
    { #st "_syn", TCP_SYN, V(RCV_NXT, 10), V(ZERO, 0), 0, ACK_NOW, st, V(SND_UNA, 0) },       \
    { #st "_syn_out_of_window", TCP_SYN, V(RCV_END, 10), V(ZERO, 0), 0, ACK_NOW, st, V(SND_UNA, 0) }, \
    { #st "_syn_ack", SA, V(RCV_NXT, 10), V(SND_NXT, 0), 0, ACK_NOW, st, V(SND_UNA, 0) }
#define RST_ROWS(st, exact_after)                                                           \
    { #st "_rst_exact", TCP_RST, V(RCV_NXT, 0), V(ZERO, 0), 0, NOTHING, exact_after, ANY_UNA }, \
    { #st "_rst_in_window", TCP_RST, V(RCV_NXT, 10), V(ZERO, 0), 0, ACK_NOW, st, V(SND_UNA, 0) }, \
    { #st "_rst_out_of_window", TCP_RST, V(RCV_END, 10), V(ZERO, 0), 0, NOTHING, st, V(SND_UNA, 0) }
#define ACK_ABOVE_ROW(st)                                                                   \
    { #st "_ack_above_snd_nxt", A, V(RCV_NXT, 0), V(SND_NXT, 1), 0, ACK_NOW, st, V(SND_UNA, 0) }
#define OUT_OF_WINDOW_ROWS(st)                                                              \
    { #st "_data_out_of_window", PA, V(RCV_END, 0), V(SND_UNA, 0), 10, ACK_NOW, st, V(SND_UNA, 0) }, \
    { #st "_data_old", PA, V(RCV_NXT, -20), V(SND_UNA, 0), 10, ACK_NOW, st, V(SND_UNA, 0) }
#define NO_ACK_ROW(st)                                                                      \
    { #st "_no_ack", TCP_PSH, V(RCV_NXT, 0), V(ZERO, 0), 10, NOTHING, st, V(SND_UNA, 0) }

static const struct row established_rows[] = {
    SYN_ROWS(ESTABLISHED),
    { "established_ack", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, ESTABLISHED, V(SND_NXT, 0) },
    { "established_ack_partial", A, V(RCV_NXT, 0), V(SND_UNA, 40), 0, NOTHING, ESTABLISHED, V(SND_UNA, 40) },
    { "established_ack_duplicate", A, V(RCV_NXT, 0), V(SND_UNA, -1), 0, NOTHING, ESTABLISHED, V(SND_UNA, 0) },
    ACK_ABOVE_ROW(ESTABLISHED),
    { "established_data", PA, V(RCV_NXT, 0), V(SND_UNA, 0), 10, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 10)), ESTABLISHED, V(SND_UNA, 0) },
    { "established_data_overlap", PA, V(RCV_NXT, -5), V(SND_UNA, 0), 10, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 5)), ESTABLISHED, V(SND_UNA, 0) },
    { "established_data_out_of_order", PA, V(RCV_NXT, 10), V(SND_UNA, 0), 10, ACK_NOW, ESTABLISHED, V(SND_UNA, 0) },
    OUT_OF_WINDOW_ROWS(ESTABLISHED),
    NO_ACK_ROW(ESTABLISHED),
    { "established_fin", FA, V(RCV_NXT, 0), V(SND_UNA, 0), 0, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 1)), CLOSE_WAIT, V(SND_UNA, 0) },
    { "established_fin_with_data", FA | TCP_PSH, V(RCV_NXT, 0), V(SND_UNA, 0), 10, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 11)), CLOSE_WAIT, V(SND_UNA, 0) },
    { "established_fin_out_of_order", FA, V(RCV_NXT, 10), V(SND_UNA, 0), 0, ACK_NOW, ESTABLISHED, V(SND_UNA, 0) },
    RST_ROWS(ESTABLISHED, CLOSED),
};
TABLE_TEST(test_established, EP_CLIENT, ESTABLISHED, false, established_rows)

static const struct row fin_wait_1_rows[] = {
    SYN_ROWS(FIN_WAIT_1),
    { "fin_wait_1_ack_of_fin", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, FIN_WAIT_2, V(SND_NXT, 0) },
    { "fin_wait_1_ack_duplicate", A, V(RCV_NXT, 0), V(SND_UNA, -1), 0, NOTHING, FIN_WAIT_1, V(SND_UNA, 0) },
    ACK_ABOVE_ROW(FIN_WAIT_1),
    { "fin_wait_1_data", PA, V(RCV_NXT, 0), V(SND_UNA, 0), 10, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 10)), FIN_WAIT_1, V(SND_UNA, 0) },
    OUT_OF_WINDOW_ROWS(FIN_WAIT_1),
    NO_ACK_ROW(FIN_WAIT_1),
    { "fin_wait_1_fin", FA, V(RCV_NXT, 0), V(SND_UNA, 0), 0, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 1)), CLOSING, V(SND_UNA, 0) },
    { "fin_wait_1_fin_ack_of_fin", FA, V(RCV_NXT, 0), V(SND_NXT, 0), 0, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 1)), TIME_WAIT, V(SND_NXT, 0) },
    RST_ROWS(FIN_WAIT_1, CLOSED),
};
TABLE_TEST(test_fin_wait_1, EP_CLIENT, FIN_WAIT_1, false, fin_wait_1_rows)

static const struct row fin_wait_2_rows[] = {
    SYN_ROWS(FIN_WAIT_2),
    { "fin_wait_2_ack", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, FIN_WAIT_2, V(SND_NXT, 0) },
    { "fin_wait_2_ack_duplicate", A, V(RCV_NXT, 0), V(SND_UNA, -1), 0, NOTHING, FIN_WAIT_2, V(SND_UNA, 0) },
    ACK_ABOVE_ROW(FIN_WAIT_2),
    { "fin_wait_2_data", PA, V(RCV_NXT, 0), V(SND_UNA, 0), 10, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 10)), FIN_WAIT_2, V(SND_UNA, 0) },
    OUT_OF_WINDOW_ROWS(FIN_WAIT_2),
    NO_ACK_ROW(FIN_WAIT_2),
    { "fin_wait_2_fin", FA, V(RCV_NXT, 0), V(SND_UNA, 0), 0, SENDS(A, V(SND_NXT, 0), V(RCV_NXT, 1)), TIME_WAIT, V(SND_UNA, 0) },
    RST_ROWS(FIN_WAIT_2, CLOSED),
};
TABLE_TEST(test_fin_wait_2, EP_CLIENT, FIN_WAIT_2, false, fin_wait_2_rows)

static const struct row close_wait_rows[] = {
    SYN_ROWS(CLOSE_WAIT),
    { "close_wait_ack", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, CLOSE_WAIT, V(SND_NXT, 0) },
    { "close_wait_ack_duplicate", A, V(RCV_NXT, 0), V(SND_UNA, -1), 0, NOTHING, CLOSE_WAIT, V(SND_UNA, 0) },
    ACK_ABOVE_ROW(CLOSE_WAIT),
    /* seventh step: text after the peer's FIN is ignored */
    { "close_wait_data", PA, V(RCV_NXT, 0), V(SND_UNA, 0), 10, NOTHING, CLOSE_WAIT, V(SND_UNA, 0) },
    OUT_OF_WINDOW_ROWS(CLOSE_WAIT),
    NO_ACK_ROW(CLOSE_WAIT),
    { "close_wait_fin_retransmitted", FA, V(RCV_NXT, -1), V(SND_UNA, 0), 0, ACK_NOW, CLOSE_WAIT, V(SND_UNA, 0) },
    RST_ROWS(CLOSE_WAIT, CLOSED),
};
TABLE_TEST(test_close_wait, EP_SERVER, CLOSE_WAIT, false, close_wait_rows)

static const struct row closing_rows[] = {
    SYN_ROWS(CLOSING),
    { "closing_ack_of_fin", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, TIME_WAIT, V(SND_NXT, 0) },
    { "closing_ack_duplicate", A, V(RCV_NXT, 0), V(SND_UNA, -1), 0, NOTHING, CLOSING, V(SND_UNA, 0) },
    ACK_ABOVE_ROW(CLOSING),
    { "closing_data", PA, V(RCV_NXT, 0), V(SND_UNA, 0), 10, NOTHING, CLOSING, V(SND_UNA, 0) },
    OUT_OF_WINDOW_ROWS(CLOSING),
    NO_ACK_ROW(CLOSING),
    { "closing_fin_retransmitted", FA, V(RCV_NXT, -1), V(SND_UNA, 0), 0, ACK_NOW, CLOSING, V(SND_UNA, 0) },
    RST_ROWS(CLOSING, CLOSED),
};
TABLE_TEST(test_closing, EP_CLIENT, CLOSING, false, closing_rows)

static const struct row last_ack_rows[] = {
    SYN_ROWS(LAST_ACK),
    { "last_ack_ack_of_fin", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, CLOSED, ANY_UNA },
    { "last_ack_ack_duplicate", A, V(RCV_NXT, 0), V(SND_UNA, -1), 0, NOTHING, LAST_ACK, V(SND_UNA, 0) },
    ACK_ABOVE_ROW(LAST_ACK),
    { "last_ack_data", PA, V(RCV_NXT, 0), V(SND_UNA, 0), 10, NOTHING, LAST_ACK, V(SND_UNA, 0) },
    OUT_OF_WINDOW_ROWS(LAST_ACK),
    NO_ACK_ROW(LAST_ACK),
    { "last_ack_fin_retransmitted", FA, V(RCV_NXT, -1), V(SND_UNA, 0), 0, ACK_NOW, LAST_ACK, V(SND_UNA, 0) },
    RST_ROWS(LAST_ACK, CLOSED),
};
TABLE_TEST(test_last_ack, EP_SERVER, LAST_ACK, false, last_ack_rows)

static const struct row time_wait_rows[] = {
    SYN_ROWS(TIME_WAIT),
    /* fifth step: "the only thing that can arrive is a retransmission of
     * the remote FIN": an ACK, even one above SND.NXT, is not answered */
    { "time_wait_ack", A, V(RCV_NXT, 0), V(SND_NXT, 0), 0, NOTHING, TIME_WAIT, V(SND_UNA, 0) },
    { "time_wait_ack_duplicate", A, V(RCV_NXT, 0), V(SND_UNA, -1), 0, NOTHING, TIME_WAIT, V(SND_UNA, 0) },
    { "time_wait_ack_above_snd_nxt", A, V(RCV_NXT, 0), V(SND_NXT, 1), 0, NOTHING, TIME_WAIT, V(SND_UNA, 0) },
    { "time_wait_data", PA, V(RCV_NXT, 0), V(SND_UNA, 0), 10, NOTHING, TIME_WAIT, V(SND_UNA, 0) },
    OUT_OF_WINDOW_ROWS(TIME_WAIT),
    NO_ACK_ROW(TIME_WAIT),
    { "time_wait_fin_retransmitted", FA, V(RCV_NXT, -1), V(SND_UNA, 0), 0, ACK_NOW, TIME_WAIT, V(SND_UNA, 0) },
    RST_ROWS(TIME_WAIT, CLOSED),
};
TABLE_TEST(test_time_wait, EP_CLIENT, TIME_WAIT, false, time_wait_rows)

#define N(rows) (int)(sizeof rows / sizeof rows[0])

/* The retransmitted FIN in TIME-WAIT restarts the 2 x MSL timer. */
START_TEST(test_time_wait_fin_restarts_timer)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    fx_reach(f, EP_CLIENT, TIME_WAIT, false);
    struct tcb *t = &f->sim.tcb[EP_CLIENT];
    ck_assert(t->tw_timer.armed);
    ck_assert_uint_eq(t->tw_timer.at, f->sim.now + 60000);
    sim_advance(&f->sim, 30000, 10);
    struct segment fin = fx_seg(EP_CLIENT, FA, t->rcv_nxt - 1, t->snd_nxt, 0);
    tcb_segment_arrives(t, &fin);
    ck_assert_uint_eq(t->tw_timer.at, f->sim.now + 60000);
    /* The server is CLOSED by now: it would answer the re-ACK with a RST
     * that closes TIME-WAIT early (RFC 1337).  Lose the re-ACK. */
    sim_drop(&f->sim, f->sim.chan.fl[0].id);
    sim_advance(&f->sim, 59999, 10);
    ck_state(f, EP_CLIENT, TIME_WAIT);
    sim_advance(&f->sim, 1, 10);
    ck_state(f, EP_CLIENT, CLOSED);
    fx_free(f);
    free(f);
}
END_TEST

/* set rfc1337 on: a RST in TIME-WAIT is ignored (RFC 1337). */
START_TEST(test_time_wait_rst_exact_rfc1337)
{
    struct fx *f = malloc(sizeof *f);
    fx_init(f);
    f->sim.cfg.rfc1337 = true;
    fx_reach(f, EP_CLIENT, TIME_WAIT, false);
    struct tcb *t = &f->sim.tcb[EP_CLIENT];
    struct segment rst = fx_seg(EP_CLIENT, TCP_RST, t->rcv_nxt, 0, 0);
    tcb_segment_arrives(t, &rst);
    ck_state(f, EP_CLIENT, TIME_WAIT);
    ck_assert_uint_eq(fx_count(f, EV_SEND), 0);
    fx_free(f);
    free(f);
}
END_TEST

Suite *states_suite(void)
{
    Suite *s = suite_create("states");
    struct { const char *name; const TTest *fn; int n; } cases[] = {
        { "CLOSED", test_closed, N(closed_rows) },
        { "LISTEN", test_listen, N(listen_rows) },
        { "SYN-SENT", test_syn_sent, N(syn_sent_rows) },
        { "SYN-RECEIVED", test_syn_received, N(syn_rcvd_rows) },
        { "SYN-RECEIVED (active)", test_syn_received_active, N(syn_rcvd_active_rows) },
        { "ESTABLISHED", test_established, N(established_rows) },
        { "FIN-WAIT-1", test_fin_wait_1, N(fin_wait_1_rows) },
        { "FIN-WAIT-2", test_fin_wait_2, N(fin_wait_2_rows) },
        { "CLOSE-WAIT", test_close_wait, N(close_wait_rows) },
        { "CLOSING", test_closing, N(closing_rows) },
        { "LAST-ACK", test_last_ack, N(last_ack_rows) },
        { "TIME-WAIT", test_time_wait, N(time_wait_rows) },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_loop_test(tc, cases[i].fn, 0, cases[i].n);
        if (strcmp(cases[i].name, "TIME-WAIT") == 0) {
            tcase_add_test(tc, test_time_wait_fin_restarts_timer);
            tcase_add_test(tc, test_time_wait_rst_exact_rfc1337);
        }
        suite_add_tcase(s, tc);
    }
    return s;
}
