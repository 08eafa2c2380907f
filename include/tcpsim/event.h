/* event.h - what the engine reports, through one callback.
 *
 * Everything the front ends and renderers show is built from these
 * events: a segment sent, delivered or dropped, a state change with its
 * reason, a timer that fired, bytes handed to the application, a signal
 * to the application (connection reset, timed out, ...), a failed user
 * call, and a note on how an arriving segment was treated.
 */
#ifndef TCPSIM_EVENT_H
#define TCPSIM_EVENT_H

#include <stdint.h>

#include "tcpsim/segment.h"
#include "tcpsim/state.h"

enum event_type {
    EV_SEND,      /* seg put on the wire (seg->retransmit marks a retransmission) */
    EV_DELIVER,   /* seg arrives at its destination, before it is processed */
    EV_DROP,      /* seg lost: drop_reason says by whom */
    EV_STATE,     /* ep moved from -> to; why names the rule and section */
    EV_TIMER,     /* a timer of ep fired */
    EV_RECEIVE,   /* ep's application got len bytes of data */
    EV_SIGNAL,    /* an unsolicited signal to ep's application, in message */
    EV_ERROR,     /* a user call failed: message and hint */
    EV_NOTE,      /* how ep treated an arriving segment (discarded, ...) */
};

enum drop_reason { DROP_USER, DROP_LOSS };
enum timer_kind { TIMER_RETRANSMIT, TIMER_TIME_WAIT, TIMER_PERSIST, TIMER_DELACK, TIMER_FIN_WAIT_2 };

/* "retransmit", "time-wait", "persist", "delayed-ack", "fin-wait-2". */
const char *timer_kind_name(enum timer_kind k);

struct event {
    enum event_type type;
    uint64_t t;                     /* virtual ms */
    enum endpoint_id ep;            /* the endpoint concerned (not for SEND/DELIVER/DROP) */
    uint16_t port;                  /* STATE, TIMER, SIGNAL, NOTE of a listener's child
                                       connection: its peer's port; 0 otherwise */
    const struct segment *seg;      /* SEND, DELIVER, DROP */
    enum drop_reason drop_reason;   /* DROP */
    enum tcp_state from, to;        /* STATE */
    enum timer_kind timer;          /* TIMER */
    const uint8_t *data;            /* RECEIVE */
    uint32_t len;                   /* RECEIVE */
    const char *why;                /* STATE, NOTE: the rule and its RFC section */
    const char *message;            /* SIGNAL, ERROR: "connection reset" ... */
    const char *hint;               /* ERROR: what the call needs, e.g. "CLOSED or LISTEN" */
};

typedef void (*event_fn)(void *ctx, const struct event *ev);

#endif
