/* state.h - the eleven TCP states of RFC 9293 3.3.2, from one X-macro list.
 *
 * The list yields the enum, the printed names (RFC spelling) and the netstat
 * spellings accepted on input, so they can never drift apart.  Code never
 * relies on the order of the enum: tcp_state_synchronized() says which
 * states are synchronized.
 */
#ifndef TCPSIM_STATE_H
#define TCPSIM_STATE_H

#include <stdbool.h>

/*        enum          printed         netstat       */
#define TCP_STATES(X)                                  \
    X(CLOSED,       "CLOSED",       "CLOSE")           \
    X(LISTEN,       "LISTEN",       "LISTEN")          \
    X(SYN_SENT,     "SYN-SENT",     "SYN_SENT")        \
    X(SYN_RECEIVED, "SYN-RECEIVED", "SYN_RCVD")        \
    X(ESTABLISHED,  "ESTABLISHED",  "ESTABLISHED")     \
    X(FIN_WAIT_1,   "FIN-WAIT-1",   "FIN_WAIT1")       \
    X(FIN_WAIT_2,   "FIN-WAIT-2",   "FIN_WAIT2")       \
    X(CLOSE_WAIT,   "CLOSE-WAIT",   "CLOSE_WAIT")      \
    X(CLOSING,      "CLOSING",      "CLOSING")         \
    X(LAST_ACK,     "LAST-ACK",     "LAST_ACK")        \
    X(TIME_WAIT,    "TIME-WAIT",    "TIME_WAIT")

enum tcp_state {
#define TCP_STATE_ENUM(id, name, netstat) id,
    TCP_STATES(TCP_STATE_ENUM)
#undef TCP_STATE_ENUM
    TCP_STATE_COUNT
};

/* The RFC spelling, e.g. "SYN-RECEIVED". */
const char *tcp_state_name(enum tcp_state s);

/* Parse a state name: the RFC spelling, the netstat spelling, or either
 * with '-' and '_' exchanged, case-insensitively.  Returns false if the
 * name is not a state. */
bool tcp_state_parse(const char *text, enum tcp_state *out);

/* States after the handshake, in which RCV.NXT and SND.UNA are valid and
 * the RFC 5961 rules apply: ESTABLISHED through TIME-WAIT. */
bool tcp_state_synchronized(enum tcp_state s);

#endif
