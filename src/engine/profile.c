/* profile.c - the three profiles as data, and choosing one.
 *
 * rfc9293 is tcpsim's model as SPEC.md section 1 writes it; its defaults
 * are the defaults of every setting.  rfc793 changes only the rules that
 * RFC 5961 changed (and the ISN clock).  linux holds the figures the
 * kernel oracle recorded from Linux 6.18 with its default sysctls; each
 * field names the row of ../shared/oracle/LINUX.md it models.
 */
#include <strings.h>

#include "tcpsim/config.h"
#include "tcpsim/profile.h"

const struct profile profile_rfc9293 = {
    .name = "rfc9293",
    .what = "RFC 9293 with RFC 5961 and RFC 6298, as SPEC section 1 writes it",
    .window = 65535, .mss = 1460,
    .rto_ms = 1000, .rto_min_ms = 1000, .rto_max_ms = 120000,
    .retries = 6, .syn_retries = 7, .synack_retries = 7,   /* RFC 9293 3.8.3: 127 s, 247 s (MUST-23) */
    .ratelimit_ms = 0,
    .isn_mode = ISN_RANDOM, .isn_tick_ns = 4000,
    .challenge_acks = true,
};

const struct profile profile_rfc793 = {
    .name = "rfc793",
    .what = "RFC 793 (1981): in-window RST and SYN reset, no challenge ACKs, ISN = 4 us clock",
    .window = 65535, .mss = 1460,
    .rto_ms = 1000, .rto_min_ms = 1000, .rto_max_ms = 120000,
    .retries = 6, .syn_retries = 7, .synack_retries = 7,   /* RFC 9293 3.8.3: 127 s, 247 s (MUST-23) */
    .ratelimit_ms = 0,
    .isn_mode = ISN_CLOCK, .isn_tick_ns = 4000,
    .challenge_acks = false,
};

const struct profile profile_linux = {
    .name = "linux",
    .what = "Linux 6.x with default sysctls, as the kernel oracle recorded it",
    .window = 64240, .mss = 1460,                   /* rows 1, 4 */
    .rto_ms = 1000, .rto_min_ms = 200, .rto_max_ms = 120000,   /* rows 5-7 */
    .retries = 15,                                  /* row 11: tcp_retries2 */
    .syn_retries = 10, .syn_linear_timeouts = 4,    /* row 8: tcp_syn_retries 6 + 4 linear */
    .synack_retries = 5,                            /* row 9 */
    .ratelimit_ms = 500,                            /* row 16: tcp_invalid_ratelimit */
    .isn_mode = ISN_RANDOM, .isn_tick_ns = 64,      /* row 17 */
    .challenge_acks = true,
    .rto_floor_on_variance = true,                  /* row 6 */
    .orphan_retries = 8,                            /* row 10: tcp_orphan_retries 0 means 8 */
    .fin_wait_2_timeout_ms = 60000,                 /* row 18: tcp_fin_timeout */
    .delack_fin_ms = 4, .delack_fin_data_ms = 40,   /* row 12: one jiffy, TCP_ATO_MIN */
    .window_right_edge = true,                      /* row 2 */
    .orphan_keeps_window = true,                    /* row 3 */
    .crossed_synack_ack = true,                     /* row 13 */
    .synrecv_syn_resets = true,                     /* row 14 */
    .synrecv_syn_resends = true,                    /* tcp_check_req(), "known from the source" */
    .time_wait_reopen = true,                       /* row 15 */
    .close_orphans = true,                          /* row 19 */
};

static const struct profile *const all[] = { &profile_rfc9293, &profile_rfc793, &profile_linux };

const struct profile *profile_find(const char *name)
{
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcasecmp(name, all[i]->name) == 0)
            return all[i];
    return NULL;
}

const char *profile_names(void) { return "rfc9293|rfc793|linux"; }

void profile_apply(const struct profile *p, struct sim_config *cfg)
{
    cfg->profile = p;
    cfg->window = p->window;
    cfg->mss = p->mss;
    cfg->rto_ms = p->rto_ms;
    cfg->rto_min_ms = p->rto_min_ms;
    cfg->rto_max_ms = p->rto_max_ms;
    cfg->retries = p->retries;
    cfg->syn_retries = p->syn_retries;
    cfg->synack_retries = p->synack_retries;
    cfg->ratelimit_ms = p->ratelimit_ms;
    cfg->isn_mode = (enum isn_mode)p->isn_mode;
}
