/* lesson.c - the session commands a lesson in front of a class leans on:
 * `reset` (and what it keeps), the channel's loss rates and drop rules as
 * `set` and `show` list them, and `caption`.
 *
 * reset clears everything that happens on the wire (endpoints, channel,
 * clock, loss rates, drop rules) and keeps the settings, naming those that
 * are not the defaults, so that a class never runs a lesson under a
 * setting it forgot (a two-way handshake above all).  `reset all` restores
 * the defaults too: those the session began with (--seed included).
 */
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/expect.h"
#include "cli/session.h"
#include "render/i18n.h"

static void percent(uint32_t ppm, char *buf, size_t n)
{
    uint32_t frac = ppm % 10000;
    int k = snprintf(buf, n, "%" PRIu32, ppm / 10000);
    if (frac) {
        k += snprintf(buf + k, n - (size_t)k, ".%04" PRIu32, frac);
        while (buf[k - 1] == '0')
            buf[--k] = '\0';
    }
    snprintf(buf + k, n - (size_t)k, "%%");
}

void session_channel_rules(struct session *s)
{
    const struct sim *m = &s->sim;
    char a[16], b[16], f[TCP_FLAGS_STRLEN];
    percent(m->loss_ppm[EP_CLIENT], a, sizeof a);
    percent(m->loss_ppm[EP_SERVER], b, sizeof b);
    ladder_flush(&s->ladder);
    fprintf(s->out, "  loss      client->server %s, server->client %s\n", a, b);
    if (m->n_rules == 0)
        fputs(_("  drop next none pending\n"), s->out);
    for (size_t i = 0; i < m->n_rules; i++) {
        const struct drop_rule *r = &m->rules[i];
        fprintf(s->out, "  drop next %s%s%s\n", r->any_flags ? _("segment") : tcp_flags_str(r->flags, f),
                r->any_dir ? "" : " ", r->any_dir ? "" : r->src == EP_CLIENT ? "client->server" : "server->client");
    }
}

static void add(char *buf, size_t n, const char *fmt, const char *v)
{
    size_t k = strlen(buf);
    snprintf(buf + k, n - k, "%s", k ? ", " : "");
    k = strlen(buf);
    snprintf(buf + k, n - k, fmt, v);
}

const char *session_changed_settings(struct session *s, char *buf, size_t n)
{
    const struct sim_config *c = &s->sim.cfg, *d = &s->cfg0;
    const struct presentation *p = &s->pres, *q = &s->pres0;
    char v[64];
    buf[0] = '\0';
    /* Another profile: named, and the values below measured against its
     * own defaults (a window of 64240 is linux's, not a change). */
    struct sim_config base;
    if (c->profile != d->profile) {
        add(buf, n, "profile %s", c->profile->name);
        base = *d;
        profile_apply(c->profile, &base);
        d = &base;
    }
    if (c->two_way != d->two_way)
        add(buf, n, "%s", c->two_way ? _("handshake two-way (NOT TCP)") : "handshake three-way");
    if (p->auto_delivery != q->auto_delivery)
        add(buf, n, "delivery %s", p->auto_delivery ? "auto" : "step");
    for (int ep = 0; ep < EP_COUNT; ep++) {
        if (!s->sim.tcb[ep].autoack)
            add(buf, n, "%s autoack off", ep_name((enum endpoint_id)ep));
        if (s->sim.isn_set[ep]) {
            snprintf(v, sizeof v, "%s %" PRIu32, ep_name((enum endpoint_id)ep), s->sim.isn[ep]);
            add(buf, n, "isn %s", v);
        }
    }
    if (c->latency_ms != d->latency_ms)
        add(buf, n, "latency %s", fmt_duration(c->latency_ms, v, sizeof v));
    if (c->msl_ms != d->msl_ms)
        add(buf, n, "msl %s", fmt_duration(c->msl_ms, v, sizeof v));
    if (c->rto_ms != d->rto_ms)
        add(buf, n, "rto %s", fmt_duration(c->rto_ms, v, sizeof v));
    snprintf(v, sizeof v, "%" PRIu32, c->mss);
    if (c->mss != d->mss)
        add(buf, n, "mss %s", v);
    snprintf(v, sizeof v, "%" PRIu32, c->window);
    if (c->window != d->window)
        add(buf, n, "window %s", v);
    snprintf(v, sizeof v, "%" PRIu32, c->retries);
    if (c->retries != d->retries)
        add(buf, n, "retries %s", v);
    snprintf(v, sizeof v, "%" PRIu32, c->syn_retries);
    if (c->syn_retries != d->syn_retries)
        add(buf, n, "syn-retries %s", v);
    if (c->ratelimit_ms != d->ratelimit_ms)
        add(buf, n, "ratelimit %s", fmt_duration(c->ratelimit_ms, v, sizeof v));
    if (c->rfc1337 != d->rfc1337)
        add(buf, n, "rfc1337 %s", c->rfc1337 ? "on" : "off");
    static const char *const modes[] = { "random", "counter", "clock" };
    if (c->isn_mode != d->isn_mode)
        add(buf, n, "isn-mode %s", modes[c->isn_mode]);
    snprintf(v, sizeof v, "%" PRIu64, c->seed);
    if (c->seed != d->seed)
        add(buf, n, "seed %s", v);
    if (s->sim.lst.syncookies)
        add(buf, n, "syncookies %s", "on");
    if (p->numbers != q->numbers || strcmp(p->letter[0], q->letter[0]) || strcmp(p->letter[1], q->letter[1]))
        add(buf, n, "numbers %s", settings_numbers(p, v, sizeof v));
    if (p->steps != q->steps)
        add(buf, n, "steps %s", p->steps ? "on" : "off");
    if (p->explain != q->explain)
        add(buf, n, "explain %s", p->explain ? "on" : "off");
    snprintf(v, sizeof v, "%d", p->width);
    if (p->width != q->width)
        add(buf, n, "width %s", p->width ? v : "auto");
    if (p->light != q->light)
        add(buf, n, "theme %s", p->light ? "light" : "dark");
    return buf;
}

/* lead, then the list "a b, c d, ..." on lines that break only between
 * its items. */
static void say_list(struct session *s, const char *lead, const char *list)
{
    char line[LADDER_MAX_WIDTH * 4];
    int width = s->ladder.width - 9;
    size_t k = (size_t)snprintf(line, sizeof line, "%s", lead);
    const char *p = list;
    while (*p) {
        const char *end = strstr(p, ", ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (k > 2 && (int)(k + n + 1) > width) {
            line[k - 1] = '\0';        /* the blank after the comma */
            session_say(s, "%s", line);
            k = (size_t)snprintf(line, sizeof line, "  ");
        }
        k += (size_t)snprintf(line + k, sizeof line - k, "%.*s%s", (int)n, p, end ? "," : "");
        if (end)
            k += (size_t)snprintf(line + k, sizeof line - k, " ");
        p += n + (end ? 2 : 0);
    }
    session_say(s, "%s", line);
}

int cmd_reset(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    bool all = argc == 1;
    if (all && strcasecmp(argv[0], "all") != 0) {
        session_error(s, _("reset: '%.40s' is not a choice; write reset (keeps the settings) or reset all"), argv[0]);
        return -1;
    }
    ladder_flush(&s->ladder);
    if (all)
        s->sim.cfg = s->cfg0;
    sim_reset(&s->sim);
    sim_set_loss(&s->sim, EP_CLIENT, 0);
    sim_set_loss(&s->sim, EP_SERVER, 0);
    if (all) {
        for (int e = 0; e < EP_COUNT; e++) {
            s->sim.tcb[e].autoack = true;
            s->sim.isn_set[e] = false;
        }
        s->sim.lst.syncookies = false;
        s->pres = s->pres0;
    }
    session_apply_presentation(s);
    ladder_reset(&s->ladder);
    expect_cursors_reset(s);
    timeline_clear(&s->timeline);
    if (!s->muted)
        jsonlog_restart(&s->json, s->sim.now, "reset");
    session_say(s, _("reset: endpoints CLOSED; channel, clock, loss and drop rules cleared"));
    char kept[600];
    if (all)
        session_say(s, _("every setting is back to its default"));
    else if (*session_changed_settings(s, kept, sizeof kept))
        say_list(s, _("settings kept (not the defaults): "), kept);
    if (s->sim.cfg.two_way)
        session_say(s, "%s", _(MSG_NOT_TCP));
    return 0;
}

int cmd_caption(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char text[2048] = "";
    size_t k = 0;
    for (int i = 0; i < argc && k < sizeof text; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "%s%s", i ? " " : "", argv[i]);
    if (!s->muted && !s->quiet)
        ladder_caption(&s->ladder, s->sim.now, text);
    if (!s->muted)
        jsonlog_caption(&s->json, s->sim.now, text);
    timeline_caption(&s->timeline, s->sim.now, text, &s->sim);     /* undo's replay too */
    return 0;
}
