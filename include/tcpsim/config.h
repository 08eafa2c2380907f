/* config.h - the settings a simulation runs with: latency, timers, MSS,
 * window, retries, the ISN generator and the ports.  The TCBs read them
 * through their tcb_host; `set` changes them. */
#ifndef TCPSIM_CONFIG_H
#define TCPSIM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "tcpsim/profile.h"
#include "tcpsim/segment.h"

/* How an ISS is chosen when the user has not set one (RFC 6528). */
enum isn_mode {
    ISN_RANDOM,     /* RFC 6528: a 4 us clock plus a keyed hash of the connection */
    ISN_COUNTER,    /* 4.4BSD: +64,000 per connection, +128,000 per second */
    ISN_CLOCK,      /* RFC 793: the 4 us clock alone */
};

struct sim_config {
    uint32_t latency_ms;    /* one way */
    uint32_t rto_ms;        /* initial RTO (RFC 6298: 1 s) */
    uint32_t rto_max_ms;
    uint32_t msl_ms;        /* TIME-WAIT lasts 2 x MSL */
    uint32_t mss;
    uint32_t window;        /* RCV.WND of both endpoints */
    uint32_t retries;       /* retransmissions of a segment before "connection timed out" */
    uint32_t syn_retries;   /* ... of a SYN or SYN,ACK (RFC 9293 3.8.3, MUST-23: >= 3 minutes) */
    bool rfc1337;           /* ignore RST in TIME-WAIT */
    enum isn_mode isn_mode;
    bool two_way;           /* set handshake two-way: a broken variant, NOT TCP */
    uint64_t seed;
    uint16_t port[EP_COUNT];
    /* The profile chosen (profile.h): its rules, and the defaults above
     * and below came from it unless `set` changed them one by one. */
    const struct profile *profile;
    uint32_t rto_min_ms;    /* the RTO's floor (RFC 6298 2.4: 1 s; linux 200 ms) */
    uint32_t synack_retries;/* SYN,ACK retransmissions (syn-retries sets both; linux 5) */
    uint32_t ratelimit_ms;  /* at most one challenge or duplicate ACK per this; 0: off */
    bool absent[EP_COUNT];  /* a host tcpsim does not simulate: segments to it go
                               unanswered (packetdrill's script side; inject speaks for it) */
};

void sim_config_default(struct sim_config *cfg);

#endif
