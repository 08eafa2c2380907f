/* settings.c - `set`: the table of settings, listing and changing them.
 *
 * Engine settings take effect for what happens next (a new window or MSS
 * applies to new connections); presentation settings at once.
 */
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/session.h"
#include "render/i18n.h"

const char *const setting_names[] = {
    "delivery", "autoack", "autoread", "isn", "latency", "msl", "mss", "window", "retries", "syn-retries",
    "rfc1337", "rto", "seed", "relative", "explain", "handshake", "isn-mode", "syncookies", "numbers", "steps",
    "profile", "ratelimit", "width", "theme", NULL,
};

/* The words each setting takes, for completion (a number or a duration
 * has none); `set ENDPOINT NAME` settings are under "client". */
static const char *const v_onoff[] = { "on", "off", NULL };
static const char *const v_endpoints[] = { "client", "server", NULL };
const struct setting_words setting_words[] = {
    { "delivery", (const char *const[]){ "auto", "step", NULL } },
    { "autoack", v_onoff }, { "autoread", v_onoff }, { "rfc1337", v_onoff }, { "relative", v_onoff }, { "explain", v_onoff },
    { "syncookies", v_onoff }, { "steps", v_onoff }, { "isn", v_endpoints },
    { "handshake", (const char *const[]){ "three-way", "two-way", NULL } },
    { "isn-mode", (const char *const[]){ "random", "counter", "clock", NULL } },
    { "numbers", (const char *const[]){ "absolute", "relative", "symbolic", NULL } },
    { "width", (const char *const[]){ "auto", "60", "80", "100", "120", NULL } },
    { "theme", (const char *const[]){ "dark", "light", NULL } },
    { "profile", (const char *const[]){ "rfc9293", "rfc793", "linux", NULL } },
    { "client", (const char *const[]){ "autoack", "autoread", NULL } },
    { NULL, NULL },
};

static void list(struct session *s)
{
    const struct sim_config *c = &s->sim.cfg;
    char a[32], b[32], d[32];
    ladder_flush(&s->ladder);
    fprintf(s->out, _("  profile   %s (%s)\n"), c->profile->name, i18n_tr(c->profile->what));
    fprintf(s->out, "  delivery  %s\n", s->pres.auto_delivery ? "auto" : "step");
    fprintf(s->out, "  autoack   client %s, server %s\n", s->sim.tcb[EP_CLIENT].autoack ? "on" : "off",
            s->sim.tcb[EP_SERVER].autoack ? "on" : "off");
    fprintf(s->out, "  autoread  client %s, server %s\n", s->sim.tcb[EP_CLIENT].autoread ? "on" : "off",
            s->sim.tcb[EP_SERVER].autoread ? "on" : "off");
    if (c->absent[EP_CLIENT] || c->absent[EP_SERVER])
        fprintf(s->out, "  absent    %s (not simulated: nobody answers)\n", c->absent[EP_CLIENT] ? "client" : "server");
    for (int ep = 0; ep < EP_COUNT; ep++) {
        if (s->sim.isn_set[ep])
            fprintf(s->out, _("  isn       %s %" PRIu32 " (next connection)\n"), ep_name((enum endpoint_id)ep), s->sim.isn[ep]);
        else
            fprintf(s->out, _("  isn       %s random\n"), ep_name((enum endpoint_id)ep));
    }
    fprintf(s->out, _("  latency   %s\n  msl       %s (TIME-WAIT lasts 2 x MSL)\n"),
            fmt_duration(c->latency_ms, a, sizeof a), fmt_duration(c->msl_ms, b, sizeof b));
    fprintf(s->out, "  mss       %" PRIu32 "\n  window    %" PRIu32 "\n  retries   %" PRIu32 "\n",
            c->mss, c->window, c->retries);
    fprintf(s->out, _("  syn-retries %" PRIu32 " (SYN; SYN,ACK %" PRIu32 ")\n"), c->syn_retries, c->synack_retries);
    fprintf(s->out, _("  rfc1337   %s\n  rto       %s initial, "), c->rfc1337 ? "on" : "off",
            fmt_duration(c->rto_ms, d, sizeof d));
    fprintf(s->out, _("%s floor\n  ratelimit %s\n"), fmt_duration(c->rto_min_ms, a, sizeof a),
            c->ratelimit_ms ? fmt_duration(c->ratelimit_ms, b, sizeof b) : _("0ms (off)"));
    static const char *const isn_modes[] = { N_("random (RFC 6528)"), "counter", "clock" };
    fprintf(s->out, "  handshake %s\n  isn-mode  %s\n  syncookies %s\n", c->two_way ? _("two-way (NOT TCP)") : "three-way",
            _(isn_modes[c->isn_mode]), s->sim.lst.syncookies ? "on" : "off");
    char numbers[40];
    fprintf(s->out, "  seed      %" PRIu64 "\n  numbers   %s\n  steps     %s\n  explain   %s\n", c->seed,
            settings_numbers(&s->pres, numbers, sizeof numbers), s->pres.steps ? "on" : "off",
            s->pres.explain ? "on" : "off");
    session_channel_rules(s);
    if (s->pres.width)
        fprintf(s->out, "  width     %d\n", s->pres.width);
    else
        fprintf(s->out, _("  width     auto (%d now)\n"), s->ladder.width);
    fprintf(s->out, "  theme     %s\n", s->pres.light ? "light" : "dark");
}

static int bad(struct session *s, const char *name, const char *err)
{
    session_error(s, "set %s: %s", name, i18n_tr(err));
    return -1;
}

static int set_duration(struct session *s, const char *name, const char *v, uint64_t min, uint32_t *out)
{
    char err[ARG_ERRLEN];
    uint64_t ms;
    if (arg_duration(v, &ms, err))
        return bad(s, name, err);
    if (ms < min) {     /* arg_duration takes at most 30 days */
        snprintf(err, sizeof err, _("%.40s is out of range: from %" PRIu64 "ms to 30 days"), v, min);
        return bad(s, name, err);
    }
    *out = (uint32_t)ms;
    return 0;
}

static int set_number(struct session *s, const char *name, const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
    char err[ARG_ERRLEN];
    uint32_t x;
    if (arg_u32(name, v, max, &x, err))
        return bad(s, name, err);
    if (x < min) {
        snprintf(err, sizeof err, _("%.40s is too small: at least %" PRIu32), v, min);
        return bad(s, name, err);
    }
    *out = x;
    return 0;
}

const char *settings_numbers(const struct presentation *p, char *buf, size_t n)
{
    static const char *const names[] = { "absolute", "relative", "symbolic" };
    if (p->numbers == NUMBERS_SYMBOLIC)
        snprintf(buf, n, "symbolic %s %s", p->letter[EP_CLIENT], p->letter[EP_SERVER]);
    else
        snprintf(buf, n, "%s", names[p->numbers]);
    return buf;
}

/* A letter for an ISN: one to three ASCII letters. */
static bool isn_letter(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > LADDER_LETTER_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z')))
            return false;
    return true;
}

/* set numbers absolute|relative|symbolic [A B] */
static int set_numbers(struct session *s, int argc, char **argv)
{
    static const char *const use = N_("write absolute, relative, or symbolic [A B] (the letters of the client's "
                                    "and the server's ISN, x y unless given)");
    enum numbering mode;
    if (argc == 0)
        return bad(s, "numbers", use);
    if (strcasecmp(argv[0], "absolute") == 0)
        mode = NUMBERS_ABSOLUTE;
    else if (strcasecmp(argv[0], "relative") == 0)
        mode = NUMBERS_RELATIVE;
    else if (strcasecmp(argv[0], "symbolic") == 0)
        mode = NUMBERS_SYMBOLIC;
    else
        return bad(s, "numbers", use);
    if (argc != 1 && !(mode == NUMBERS_SYMBOLIC && argc == 3))
        return bad(s, "numbers", use);
    if (argc == 3 && (!isn_letter(argv[1]) || !isn_letter(argv[2]) || strcmp(argv[1], argv[2]) == 0))
        return bad(s, "numbers", _("the letters are one to three ASCII letters each, two different ones, e.g. J K"));
    if (argc == 3) {
        snprintf(s->pres.letter[EP_CLIENT], sizeof s->pres.letter[EP_CLIENT], "%s", argv[1]);
        snprintf(s->pres.letter[EP_SERVER], sizeof s->pres.letter[EP_SERVER], "%s", argv[2]);
    } else if (mode == NUMBERS_SYMBOLIC) {
        strcpy(s->pres.letter[EP_CLIENT], "x");
        strcpy(s->pres.letter[EP_SERVER], "y");
    }
    s->pres.numbers = mode;
    session_apply_presentation(s);
    return 0;
}

int cmd_set(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[ARG_ERRLEN];
    struct sim_config *c = &s->sim.cfg;
    enum endpoint_id e;
    if (argc == 0) {
        list(s);
        return 1;
    }
    /* set client autoack off, set server autoread off */
    if (arg_endpoint(argv[0], &e)) {
        bool on;
        if (argc == 3 && strcasecmp(argv[1], "absent") == 0) {
            if (arg_onoff(argv[2], &on, err))
                return bad(s, "absent", err);
            c->absent[e] = on;     /* packetdrill's remote side: inject speaks for it */
            return 0;
        }
        bool read = argc == 3 && strcasecmp(argv[1], "autoread") == 0;
        if (argc != 3 || (!read && strcasecmp(argv[1], "autoack") != 0)) {
            session_error(s, _("set %s: only autoack, autoread and absent are per endpoint: set %s autoack|autoread|absent on|off"),
                          argv[0], ep_name(e));
            return -1;
        }
        if (arg_onoff(argv[2], &on, err))
            return bad(s, read ? "autoread" : "autoack", err);
        if (read) {
            tcb_set_autoread(&s->sim.tcb[e], on);      /* a listener's children inherit it */
            if (sim_tcb(&s->sim, e) != &s->sim.tcb[e])
                tcb_set_autoread(sim_tcb(&s->sim, e), on);
        } else {
            s->sim.tcb[e].autoack = on;
            sim_tcb(&s->sim, e)->autoack = on;     /* and the connection accept() returned */
        }
        return 0;
    }
    const char *name = argv[0];
    if (strcasecmp(name, "isn") == 0) {
        uint32_t v;
        if (argc != 3 || !arg_endpoint(argv[1], &e))
            return bad(s, "isn", _("usage: set isn client|server N"));
        if (arg_u32("ISN", argv[2], UINT32_MAX, &v, err))
            return bad(s, "isn", err);
        s->sim.isn_set[e] = true;
        s->sim.isn[e] = v;
        return 0;
    }
    if (strcasecmp(name, "numbers") == 0)
        return set_numbers(s, argc - 1, argv + 1);
    if (strcasecmp(name, "autoack") == 0) {
        bool on;
        if (argc != 2 || arg_onoff(argv[1], &on, err))
            return bad(s, "autoack", _("usage: set autoack on|off (both), or set client autoack on|off"));
        s->sim.tcb[EP_CLIENT].autoack = s->sim.tcb[EP_SERVER].autoack = on;
        sim_tcb(&s->sim, EP_SERVER)->autoack = on;
        return 0;
    }
    if (strcasecmp(name, "autoread") == 0) {
        bool on;
        if (argc != 2 || arg_onoff(argv[1], &on, err))
            return bad(s, "autoread", _("usage: set autoread on|off (both), or set client autoread on|off"));
        for (int i = 0; i < EP_COUNT; i++) {
            tcb_set_autoread(&s->sim.tcb[i], on);
            if (sim_tcb(&s->sim, (enum endpoint_id)i) != &s->sim.tcb[i])
                tcb_set_autoread(sim_tcb(&s->sim, (enum endpoint_id)i), on);
        }
        return 0;
    }
    if (argc != 2) {
        bool known = false;
        for (int i = 0; setting_names[i]; i++)
            known |= strcasecmp(name, setting_names[i]) == 0;
        if (!known)
            goto unknown;
        session_error(s, _("set %s: give one value, e.g. set %s VALUE (set alone lists them)"), name, name);
        return -1;
    }
    const char *v = argv[1];
    bool on;
    if (strcasecmp(name, "delivery") == 0) {
        if (strcasecmp(v, "auto") == 0)
            s->pres.auto_delivery = true;
        else if (strcasecmp(v, "step") == 0)
            s->pres.auto_delivery = false;
        else
            return bad(s, name, _("write auto (run the channel after each command) or step"));
        return 0;
    }
    if (strcasecmp(name, "handshake") == 0) {
        if (strcasecmp(v, "three-way") == 0)
            c->two_way = false;
        else if (strcasecmp(v, "two-way") == 0)
            c->two_way = true;
        else
            return bad(s, name, _("write three-way (TCP) or two-way (a broken variant, for teaching)"));
        if (c->two_way)
            session_say(s, "%s", _(MSG_NOT_TCP));
        return 0;
    }
    if (strcasecmp(name, "isn-mode") == 0) {
        if (strcasecmp(v, "random") == 0)
            c->isn_mode = ISN_RANDOM;
        else if (strcasecmp(v, "counter") == 0)
            c->isn_mode = ISN_COUNTER;
        else if (strcasecmp(v, "clock") == 0)
            c->isn_mode = ISN_CLOCK;
        else
            return bad(s, name, _("write random (RFC 6528 clock plus keyed hash), counter or clock"));
        return 0;
    }
    if (strcasecmp(name, "width") == 0) {
        uint32_t w = 0;
        if (strcasecmp(v, "auto") != 0 && set_number(s, name, v, LADDER_MIN_WIDTH, LADDER_MAX_WIDTH, &w))
            return -1;
        s->pres.width = (int)w;
        session_present(s);
        return 0;
    }
    if (strcasecmp(name, "theme") == 0) {
        if (strcasecmp(v, "dark") != 0 && strcasecmp(v, "light") != 0)
            return bad(s, name, _("write dark (a dark screen) or light (a white screen, a projector)"));
        s->pres.light = strcasecmp(v, "light") == 0;
        session_present(s);
        return 0;
    }
    if (strcasecmp(name, "latency") == 0)
        return set_duration(s, name, v, 0, &c->latency_ms);
    if (strcasecmp(name, "msl") == 0)
        return set_duration(s, name, v, 1, &c->msl_ms);
    if (strcasecmp(name, "profile") == 0) {
        const struct profile *p = profile_find(v);
        if (!p) {
            snprintf(err, sizeof err, _("no profile '%.40s': write %s"), v, profile_names());
            return bad(s, name, err);
        }
        if (s->profile_pinned)
            return 0;           /* --compare chose the profile */
        profile_apply(p, c);
        s->ladder.window = c->window;
        return 0;
    }
    if (strcasecmp(name, "ratelimit") == 0)
        return set_duration(s, name, v, 0, &c->ratelimit_ms);
    if (strcasecmp(name, "rto") == 0) {
        if (set_duration(s, name, v, 1, &c->rto_ms))
            return -1;
        c->rto_min_ms = c->rto_ms;      /* the initial RTO and the floor */
        if (c->rto_max_ms < c->rto_ms)
            c->rto_max_ms = c->rto_ms;
        return 0;
    }
    if (strcasecmp(name, "mss") == 0)
        return set_number(s, name, v, 1, SIM_MSS_MAX, &c->mss);
    if (strcasecmp(name, "window") == 0) {
        if (set_number(s, name, v, 0, 65535, &c->window))
            return -1;
        s->ladder.window = c->window;
        if (c->window == 0)
            session_say(s, _("window 0: a peer may send nothing until the window opens; "
                           "it probes on its persist timer (RFC 9293 3.8.6.1)"));
        return 0;
    }
    if (strcasecmp(name, "retries") == 0)
        return set_number(s, name, v, 0, 100, &c->retries);
    if (strcasecmp(name, "syn-retries") == 0) {
        if (set_number(s, name, v, 0, 100, &c->syn_retries))
            return -1;
        c->synack_retries = c->syn_retries;     /* one limit for SYN and SYN,ACK */
        return 0;
    }
    if (strcasecmp(name, "seed") == 0) {
        uint32_t seed;
        if (arg_u32("seed", v, UINT32_MAX, &seed, err))
            return bad(s, name, err);
        c->seed = seed;
        rng_seed(&s->sim.rng, seed);
        return 0;
    }
    if (strcasecmp(name, "syncookies") == 0) {
        if (arg_onoff(v, &on, err))
            return bad(s, name, err);
        s->sim.lst.syncookies = on;
        return 0;
    }
    if (strcasecmp(name, "steps") == 0) {
        if (arg_onoff(v, &on, err))
            return bad(s, name, err);
        s->pres.steps = s->ladder.steps = on;
        return 0;
    }
    if (strcasecmp(name, "rfc1337") == 0 || strcasecmp(name, "relative") == 0 || strcasecmp(name, "explain") == 0) {
        if (arg_onoff(v, &on, err))
            return bad(s, name, err);
        if (strcasecmp(name, "rfc1337") == 0)
            c->rfc1337 = on;
        else if (strcasecmp(name, "relative") == 0)       /* the alias of numbers relative|absolute */
            s->pres.numbers = s->ladder.numbers = on ? NUMBERS_RELATIVE : NUMBERS_ABSOLUTE;
        else
            s->pres.explain = s->ladder.explain = on;
        return 0;
    }
unknown: {
    char names[400];
    size_t k = 0;
    for (int i = 0; setting_names[i] && k < sizeof names; i++)
        k += (size_t)snprintf(names + k, sizeof names - k, " %s", setting_names[i]);
    const char *hint = arg_suggest(name, setting_names);
    if (hint)
        session_error(s, _("set: unknown setting '%.40s' (did you mean '%s'?)"), name, hint);
    else
        session_error(s, _("set: unknown setting '%.40s'; the settings are%s"), name, names);
    return -1;
}
}
