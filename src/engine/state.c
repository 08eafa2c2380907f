/* state.c - names of the TCP states, printed and parsed, and of the timers. */
#include <ctype.h>
#include <stddef.h>

#include "tcpsim/event.h"
#include "tcpsim/state.h"

static const char *const printed[] = {
#define TCP_STATE_PRINTED(id, name, netstat) name,
    TCP_STATES(TCP_STATE_PRINTED)
#undef TCP_STATE_PRINTED
};

static const char *const netstat[] = {
#define TCP_STATE_NETSTAT(id, name, ns) ns,
    TCP_STATES(TCP_STATE_NETSTAT)
#undef TCP_STATE_NETSTAT
};

const char *tcp_state_name(enum tcp_state s)
{
    if ((unsigned)s >= TCP_STATE_COUNT)
        return "?";
    return printed[s];
}

/* Equal ignoring case, with '-' and '_' counted the same. */
static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (char)toupper((unsigned char)*a), y = (char)toupper((unsigned char)*b);
        if (x == '_')
            x = '-';
        if (y == '_')
            y = '-';
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* Other spellings of the tools and the course notes: Linux netstat and ss
 * write SYN_RECV (BSD netstat SYN_RCVD, in the table); FIN_WAIT_1 and
 * friends match the printed names, '-' and '_' being the same. */
static const struct { const char *name; enum tcp_state state; } other_names[] = {
    { "SYN_RECV", SYN_RECEIVED }, { "SYN_RECEIVE", SYN_RECEIVED },
};

bool tcp_state_parse(const char *text, enum tcp_state *out)
{
    for (int s = 0; s < TCP_STATE_COUNT; s++) {
        if (same_name(text, printed[s]) || same_name(text, netstat[s])) {
            *out = (enum tcp_state)s;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof other_names / sizeof other_names[0]; i++) {
        if (same_name(text, other_names[i].name)) {
            *out = other_names[i].state;
            return true;
        }
    }
    return false;
}

bool tcp_state_synchronized(enum tcp_state s)
{
    switch (s) {
    case ESTABLISHED:
    case FIN_WAIT_1:
    case FIN_WAIT_2:
    case CLOSE_WAIT:
    case CLOSING:
    case LAST_ACK:
    case TIME_WAIT:
        return true;
    case CLOSED:
    case LISTEN:
    case SYN_SENT:
    case SYN_RECEIVED:
    case TCP_STATE_COUNT:
        break;
    }
    return false;
}

const char *timer_kind_name(enum timer_kind k)
{
    switch (k) {
    case TIMER_RETRANSMIT: return "retransmit";
    case TIMER_TIME_WAIT: return "time-wait";
    case TIMER_PERSIST: return "persist";
    case TIMER_DELACK: return "delayed-ack";
    case TIMER_FIN_WAIT_2: return "fin-wait-2";
    }
    return "?";
}
