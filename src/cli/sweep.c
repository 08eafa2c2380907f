/* sweep.c - `sweep FILE`: run a scenario once per segment it puts on the
 * wire, with that one segment lost, and tabulate what became of the
 * connection: the final states, whether the expectations still hold, and
 * which timers recovered the loss.  Each run is a fresh, silent session;
 * the simulation of the session that asks is not touched.  The runs are
 * sandboxed: they write no files and do not sweep again.
 *
 * The runs start from snapshots of the run with no loss (sweep_points.c)
 * and stop once they are that run again (sweep_converge.c); a run that
 * never converges runs to the end, so a sweep may cost up to half the
 * square of the segments: it loses at most SWEEP_MAX_RUNS of them within
 * a budget of events, and says so.  On a terminal it shows its progress;
 * Ctrl-C stops it after the run in progress (which stops at once too). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/interrupt.h"
#include "cli/session.h"
#include "cli/sweep_converge.h"
#include "cli/sweep_points.h"
#include "render/i18n.h"
#include "render/text.h"

uint64_t sweep_runs(uint64_t sends, uint64_t events, uint64_t budget)
{
    uint64_t runs = sends < SWEEP_MAX_RUNS ? sends : SWEEP_MAX_RUNS;
    uint64_t afford = budget / (events ? events : 1);
    return runs < afford ? runs : (afford ? afford : 1);
}

/* What one run saw. */
struct run {
    uint64_t lose;                  /* the ordinal of the segment lost, 0: none */
    struct point_counts counts;     /* counts.sends: the segments sent so far */
    uint64_t events;                /* everything the engine reported */
    struct segment lost;            /* its header (data not kept) */
    bool lost_seen;
    unsigned timers[EP_COUNT];      /* retransmission timeouts after the loss */
};

static void watch(void *ctx, const struct event *ev)
{
    struct run *r = ctx;
    r->events++;
    if (ev->type == EV_SEND && ++r->counts.sends == r->lose) {
        r->lost = *ev->seg;
        r->lost.data = NULL;
        r->lost_seen = true;
    }
    if (ev->type == EV_TIMER && ev->timer == TIMER_RETRANSMIT && r->lost_seen)
        r->timers[ev->ep]++;
}

/* A run's session: silent, sandboxed, on after a failed expectation,
 * watched by r, losing r->lose. */
static void run_init(struct session *parent, struct session *s, struct run *r)
{
    if (!parent->devnull)
        parent->devnull = fopen("/dev/null", "w");
    session_init(s, &parent->cfg0, parent->devnull, parent->devnull);
    s->quiet = true;
    s->keep_going = true;
    s->sandboxed = true;
    s->sweep_run = true;
    s->observer = watch;
    s->observer_ctx = r;
    s->sim.lose_nth = r->lose;
}

static void run_end(struct session *s, enum tcp_state st[EP_COUNT], int *failed)
{
    for (int ep = 0; ep < EP_COUNT; ep++)
        st[ep] = sim_tcb(&s->sim, (enum endpoint_id)ep)->state;
    *failed = s->failed_expects;
    session_free(s);
}

/* Run path whole with the lose-th segment lost; fills r and the final
 * states. */
static int run_once(struct session *parent, const char *path, struct run *r, enum tcp_state st[EP_COUNT],
                    int *failed)
{
    FILE *in = session_open(path);
    if (!in)
        return -1;
    struct session s;
    run_init(parent, &s, r);
    session_run_stream(&s, in, path);
    fclose(in);
    run_end(&s, st, failed);
    return 0;
}

/* The same from the latest point of the run with no loss before it, to
 * where it converges on that run (cv). */
static void run_from(struct session *parent, const struct points *pts, const struct lines *l, struct converge *cv,
                     struct run *r, enum tcp_state st[EP_COUNT], int *failed)
{
    struct session s;
    struct conv_run cr = { .cv = cv, .armed = &r->lost_seen, .rto = r->timers };
    run_init(parent, &s, r);
    points_run(pts, &s, l, &r->counts, r->lose, cv->ready ? &cr : NULL);
    run_end(&s, st, failed);
    if (cr.converged) {
        conv_outcome(&cr, st, failed, r->timers);
        parent->sweep_converged++;
        parent->sweep_shifted += cr.shifted;
    }
}

/* A relative path is looked for beside the scenario that names it first. */
static const char *resolve(const struct session *s, const char *path, char *buf, size_t n)
{
    const char *slash = s->file ? strrchr(s->file, '/') : NULL;
    if (path[0] == '/' || !slash)
        return path;
    snprintf(buf, n, "%.*s/%s", (int)(slash - s->file), s->file, path);
    FILE *f = session_open(buf);
    if (!f)
        return path;
    fclose(f);
    return buf;
}

static void recovered_by(const struct run *r, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int ep = 0; ep < EP_COUNT; ep++) {
        if (!r->timers[ep])
            continue;
        size_t k = strlen(buf);
        snprintf(buf + k, n - k, "%s%s x%u", k ? ", " : "", ep_name((enum endpoint_id)ep), r->timers[ep]);
    }
    if (!buf[0])
        snprintf(buf, n, _("none"));
}

int cmd_sweep(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc;
    char pathbuf[4096];
    const char *path = s->sandbox_dir ? session_file(s, "sweep", argv[0], pathbuf, sizeof pathbuf)
                                      : resolve(s, argv[0], pathbuf, sizeof pathbuf);
    if (!path || (!s->sandbox_dir && !session_may_write(s, "sweep")))
        return -1;
    struct run base = { 0 };
    enum tcp_state st[EP_COUNT];
    int failed;
    int rc = run_once(s, path, &base, st, &failed);
    if (rc != 0) {
        session_error(s, _("sweep: cannot read %.100s: %s; give a scenario file"), path, i18n_strerror(errno));
        return -1;
    }
    ladder_flush(&s->ladder);
    uint64_t budget = s->sweep_events ? s->sweep_events : SWEEP_MAX_EVENTS;
    uint64_t runs = sweep_runs(base.counts.sends, base.events, budget);
    if (runs < base.counts.sends)
        fprintf(s->out, _("sweep %.60s: %llu segments, the first %llu each lost once (sweep stops at %d runs or "
                        "%d million events, and each run replays the whole scenario: sweep a shorter one for "
                        "the rest)\n"), argv[0], (unsigned long long)base.counts.sends, (unsigned long long)runs,
                SWEEP_MAX_RUNS, (int)(budget / 1000000));
    else
        fprintf(s->out, _("sweep %.60s: %llu segments, each lost once\n"), argv[0], (unsigned long long)base.counts.sends);
    fprintf(s->out, _("with no loss: client %s, server %s, expectations %s\n"), tcp_state_name(st[EP_CLIENT]),
            tcp_state_name(st[EP_SERVER]), failed ? "FAIL" : _("hold"));
    fprintf(s->out, _("  lost  segment             client        server        expect  RTOs that fired\n"));
    fflush(s->out);
    /* The prefix the runs share, once more with points on the way. */
    struct lines lines;
    struct points pts = { 0 };
    struct converge cv = { 0 };
    bool reuse = !s->sweep_whole && lines_read(&lines, path) == 0;
    s->sweep_converged = s->sweep_shifted = 0;
    if (reuse) {
        struct run r0 = { .lost_seen = true };      /* counts every RTO */
        struct session t;
        run_init(s, &t, &r0);
        conv_init(&cv, &lines, r0.timers);
        points_take(&pts, &t, &lines, &r0.counts, runs / SWEEP_POINTS + 1, &cv);
        run_end(&t, st, &failed);
        conv_finish(&cv, st, failed, r0.timers);
    }
    bool progress = !s->quiet && !s->muted && isatty(fileno(s->err));
    for (uint64_t k = 1; k <= runs && !interrupt_pending(); k++) {
        struct run r = { .lose = k };
        if (reuse)
            run_from(s, &pts, &lines, &cv, &r, st, &failed);
        else
            run_once(s, path, &r, st, &failed);
        char label[64], flags[TCP_FLAGS_STRLEN], timers[64];
        snprintf(label, sizeof label, "#%u %s %s", r.lost.id, ep_name(r.lost.src),
                 tcp_flags_str(r.lost.flags, flags));
        recovered_by(&r, timers, sizeof timers);
        if (progress) {                     /* the row above the progress line */
            fputs("\r\033[K", s->err);
            fflush(s->err);
        }
        const char *verdict = failed ? "FAIL" : _("hold");     /* padded by display width */
        int pad = 6 - text_width(verdict);
        fprintf(s->out, "  %4llu  %-18.18s  %-12s  %-12s  %s%*s  %s\n", (unsigned long long)k, label,
                tcp_state_name(st[EP_CLIENT]), tcp_state_name(st[EP_SERVER]), verdict, pad > 0 ? pad : 0, "",
                timers);
        if (progress) {
            fflush(s->out);
            fprintf(s->err, _("sweep: run %llu of %llu (Ctrl-C stops it)"), (unsigned long long)k,
                    (unsigned long long)runs);
            fflush(s->err);
        }
    }
    if (progress) {
        fputs("\r\033[K", s->err);       /* the progress line goes away */
        fflush(s->err);
    }
    if (reuse) {
        conv_free(&cv);
        points_free(&pts);
        lines_free(&lines);
    }
    fflush(s->out);
    return 1;
}
