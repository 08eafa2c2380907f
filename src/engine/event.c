/* event.c - names of event types, timers and drop reasons, as the JSON
 * log and the transcript print them. */
#include "tcpsim/event.h"

const char *event_type_name(enum event_type t)
{
    switch (t) {
    case EV_SEND: return "send";
    case EV_DELIVER: return "deliver";
    case EV_DROP: return "drop";
    case EV_STATE: return "state";
    case EV_TIMER: return "timer";
    case EV_RECEIVE: return "receive";
    case EV_SIGNAL: return "signal";
    case EV_ERROR: return "error";
    case EV_NOTE: return "note";
    }
    return "?";
}

const char *timer_kind_name(enum timer_kind k)
{
    return k == TIMER_RETRANSMIT ? "retransmit" : "time-wait";
}

const char *drop_reason_name(enum drop_reason r)
{
    return r == DROP_USER ? "user" : "loss";
}
