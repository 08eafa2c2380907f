/* profile.h - what a host does where RFC 9293 leaves room or where real
 * stacks differ: the rfc9293, rfc793 and linux profiles, as data.
 *
 * A profile is two things.  Defaults (window, MSS, RTO, retry limits,
 * rate limit, ISN clock) are copied into the sim_config when the profile
 * is chosen, so that a later `set` of one value overrides it.  Rules are
 * read where the RFC step they change is written: each is one named
 * field, tested by one small predicate in tcb_input.c or tcb_output.c,
 * whose reason string begins "linux:" or "rfc793:".  `grep -n 'linux:'`
 * finds every place Linux differs.  The figures for linux come from the
 * kernel oracle (../shared/oracle/LINUX.md, rows 1-19).
 */
#ifndef TCPSIM_PROFILE_H
#define TCPSIM_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

struct sim_config;

struct profile {
    const char *name;               /* "rfc9293", "rfc793", "linux" */
    const char *what;               /* one line for `set` and the README */

    /* Defaults, copied by profile_apply(); each has a `set`. */
    uint32_t window;                /* RCV.WND; linux 64240 = 44 x 1460 (row 1) */
    uint32_t mss;
    uint32_t rto_ms;                /* initial RTO (row 5) */
    uint32_t rto_min_ms;            /* floor (RFC 6298 2.4: 1 s; linux 200 ms, row 6) */
    uint32_t rto_max_ms;            /* row 7 */
    uint32_t retries;               /* data and FIN (row 11) */
    uint32_t syn_retries;           /* SYN (row 8) */
    uint32_t synack_retries;        /* SYN,ACK (row 9) */
    uint32_t ratelimit_ms;          /* challenge and duplicate ACKs (row 16) */
    int isn_mode;                   /* enum isn_mode (config.h) */
    uint32_t isn_tick_ns;           /* the ISN clock: 4000 (RFC 793), 64 on linux (row 17) */

    /* Rules. */
    bool challenge_acks;            /* RFC 5961 3.2, 4.2; false: RFC 793's in-window RST and SYN reset */
    bool rto_floor_on_variance;     /* linux: RTO = SRTT + max(4 RTTVAR, floor), not max(floor, SRTT + 4 RTTVAR) */
    uint32_t syn_linear_timeouts;   /* linux: the first N SYN retransmissions do not back off (row 8) */
    uint32_t orphan_retries;        /* linux: retries of a close()d socket; 0: `retries` (row 10) */
    uint32_t fin_wait_2_timeout_ms; /* linux: an orphan leaves FIN-WAIT-2 after this; 0: never (row 18) */
    uint32_t delack_fin_ms;         /* linux: the ACK of a FIN in ESTABLISHED waits this long (row 12)... */
    uint32_t delack_fin_data_ms;    /* ...or this long once data was received; 0: not delayed */
    bool window_right_edge;         /* linux: RCV.NXT moves, the right edge stays until MSS is free (row 2) */
    bool orphan_keeps_window;       /* linux: a close()d socket's window is frozen in FIN-WAIT-2 (row 3) */
    bool crossed_synack_ack;        /* linux: ACK a crossed SYN,ACK (row 13) */
    bool synrecv_syn_resets;        /* linux: RST,ACK to an in-window SYN in passive SYN-RECEIVED (row 14) */
    bool synrecv_syn_resends;       /* linux: the SYN again (SEG.SEQ = IRS): the SYN,ACK again (not recorded) */
    bool time_wait_reopen;          /* linux: a SYN above RCV.NXT reopens TIME-WAIT (row 15) */
    bool close_orphans;             /* linux: close() orphans the socket, shutdown() does not (row 19) */
};

extern const struct profile profile_rfc9293, profile_rfc793, profile_linux;

/* The profile of that name (case-insensitive), or NULL. */
const struct profile *profile_find(const char *name);
/* "rfc9293|rfc793|linux", for usage messages. */
const char *profile_names(void);
/* Choose p: its rules, and its defaults copied into cfg. */
void profile_apply(const struct profile *p, struct sim_config *cfg);

/* The TIME-WAIT reopen's ISS: old SND.NXT + 65535 + 2 (linux, row 15). */
#define PROFILE_TW_REOPEN_ISS_OFFSET 65537u

#endif
