/* steps.c - which textbook step a segment is (steps.h).  The labels are
 * msgids: 1/3 is 第一次握手 in Chinese, as the course notes write it. */
#include <string.h>

#include "render/i18n.h"
#include "render/steps.h"

void steps_reset(struct steps *st)
{
    memset(st, 0, sizeof *st);
    st->syn_from = st->fin_first = -1;
}

static const char *handshake(struct steps *st, const struct segment *seg)
{
    int src = (int)seg->src;
    if (!(seg->flags & TCP_ACK)) {              /* SYN: 1/3, or a crossing SYN */
        if (st->syn_from >= 0 && st->syn_from != src && !st->third_done) {
            st->simultaneous = true;
            return NULL;
        }
        if (!seg->retransmit || st->syn_from != src) {
            steps_reset(st);                    /* a new connection */
            st->syn_from = src;
        }
        return N_("1/3");
    }
    if (st->simultaneous || st->syn_from < 0 || st->syn_from == src)
        return NULL;
    st->synack_seen = true;                     /* SYN,ACK: 2/3 */
    st->synack_end = seg->seq + 1;
    return N_("2/3");
}

static const char *close_step(struct steps *st, const struct segment *seg)
{
    int src = (int)seg->src, peer = (int)ep_peer(seg->src);
    bool acks_peer_fin = (seg->flags & TCP_ACK) && st->fin_seen[peer] && seg->ack == st->fin_end[peer];
    if (seg->flags & TCP_FIN) {
        if (st->fin_seen[src] && seg->retransmit)
            return st->fin_label[src];
        st->fin_seen[src] = true;
        st->fin_end[src] = seg->seq + seg->len + 1;
        if (st->fin_first < 0) {
            st->fin_first = src;
            st->fin_label[src] = N_("1/4");
        } else if (src != st->fin_first && acks_peer_fin && !st->second_done) {
            st->second_done = true;             /* FIN,ACK: the ACK and the FIN in one */
            st->fin_label[src] = N_("2+3/4");
        } else {
            st->fin_label[src] = src == st->fin_first ? N_("1/4") : N_("3/4");
        }
        return st->fin_label[src];
    }
    if (!acks_peer_fin)
        return NULL;
    if (src != st->fin_first && !st->second_done) {
        st->second_done = true;
        return N_("2/4");
    }
    if (src == st->fin_first && !st->fourth_done) {
        st->fourth_done = true;
        return N_("4/4");
    }
    return NULL;
}

const char *steps_label(struct steps *st, const struct segment *seg)
{
    if (seg->flags & TCP_RST)
        return NULL;
    if (seg->flags & TCP_SYN)
        return handshake(st, seg);
    if ((seg->flags & TCP_FIN) || st->fin_first >= 0)
        return close_step(st, seg);
    if (st->synack_seen && !st->third_done && (int)seg->src == st->syn_from && (seg->flags & TCP_ACK) &&
        seg->ack == st->synack_end) {
        st->third_done = true;
        return N_("3/3");
    }
    return NULL;
}
