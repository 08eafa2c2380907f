/* segment.h - a TCP segment as the simulator sees it on the wire.
 *
 * A segment carries the header fields RFC 9293 names (SEG.SEQ, SEG.ACK,
 * SEG.LEN, SEG.WND and the control bits) and its payload bytes.  Once put
 * on the wire it gets an id (#1, #2, ...) and is kept in the history.
 */
#ifndef TCPSIM_SEGMENT_H
#define TCPSIM_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpsim/seq.h"

/* RFC 9293 3.7.1 (MUST-15): the send MSS when the peer's SYN had no MSS option. */
#define TCP_DEFAULT_MSS 536

/* Control bits, with their values in the TCP header. */
enum {
    TCP_FIN = 0x01,
    TCP_SYN = 0x02,
    TCP_RST = 0x04,
    TCP_PSH = 0x08,
    TCP_ACK = 0x10,
    TCP_URG = 0x20,
};
#define TCP_FLAGS_ALL 0x3f

enum endpoint_id { EP_CLIENT = 0, EP_SERVER = 1 };
#define EP_COUNT 2

static inline enum endpoint_id ep_peer(enum endpoint_id ep)
{
    return ep == EP_CLIENT ? EP_SERVER : EP_CLIENT;
}
const char *ep_name(enum endpoint_id ep);

/* Who put a segment on the wire. */
enum seg_origin {
    ORIGIN_TCB,         /* the sender's TCB */
    ORIGIN_INJECT,      /* crafted by the user */
    ORIGIN_REPLAY,      /* a copy of an earlier segment (copy_of) */
    ORIGIN_DUP,         /* the network duplicated segment copy_of */
};

struct segment {
    uint32_t id;            /* wire id, 1, 2, ...; 0 before it is sent */
    enum endpoint_id src;   /* the endpoint that put it on the wire */
    uint16_t sport, dport;
    seq_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    uint16_t mss;           /* the MSS option (RFC 9293 3.7.1); 0: none */
    uint32_t len;           /* payload bytes (SYN and FIN not counted) */
    const uint8_t *data;    /* len bytes, owned by whoever holds the segment */
    bool retransmit;        /* a retransmission by the sender's TCB */
    enum seg_origin origin;
    bool attacker;          /* INJECT: an attacker's (flood, inject by=attacker),
                               not the network's old duplicate */
    uint32_t copy_of;       /* REPLAY, DUP: the id copied */
    const char *why;        /* why it was sent, with its RFC section */
    uint64_t sent_at;       /* virtual ms */
};

/* SEG.LEN: the octets of sequence space, counting SYN and FIN. */
static inline uint32_t seg_seqlen(const struct segment *s)
{
    return s->len + ((s->flags & TCP_SYN) ? 1u : 0u) + ((s->flags & TCP_FIN) ? 1u : 0u);
}

/* Flags in Wireshark order ("SYN,ACK", "FIN,PSH,ACK"); "none" when empty.
 * buf must hold TCP_FLAGS_STRLEN bytes. */
#define TCP_FLAGS_STRLEN 32
const char *tcp_flags_str(uint8_t flags, char *buf);

/* Parse "SYN,ACK" (any order, any case, '+' or ',' between).  Returns
 * false and leaves *out alone when a name is not a flag. */
bool tcp_flags_parse(const char *text, uint8_t *out);

#endif
