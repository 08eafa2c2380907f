/* sweep_points.c - the runs of a sweep from snapshots of the run with no
 * loss (see sweep_points.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/sweep_converge.h"
#include "cli/sweep_points.h"

struct point {
    size_t line;                /* the line running (loop.kind != NONE), or to run next */
    struct loop loop;
    struct sim sim;
    struct presentation pres;
    struct ladder ladder;       /* what symbolic numbers need: the ISNs it learned */
    struct expect_cursors cursors;  /* where expect next and expect none read */
    int failed_expects;
    bool expect_failed, last_failed;
    struct point_counts counts;
};

int lines_read(struct lines *l, const char *path)
{
    memset(l, 0, sizeof *l);
    FILE *in = session_open(path);
    if (!in)
        return -1;
    char *buf = NULL;
    size_t cap = 0, room = 0;
    ssize_t n;
    bool nul, ok = true;
    while (ok && (n = session_read_line(in, &buf, &cap, &nul)) != -1) {
        char first[8];
        ok = n != -2 && !nul && !(sscanf(buf, " %7s", first) == 1 && strcasecmp(first, "undo") == 0);
        if (ok && l->n == room) {
            room = room ? 2 * room : 64;
            char **v = realloc(l->v, room * sizeof *v);
            ok = v != NULL;
            if (v)
                l->v = v;
        }
        if (ok && !(l->v[l->n] = strdup(buf)))
            ok = false;
        l->n += ok;
    }
    ok = ok && !ferror(in);
    free(buf);
    fclose(in);
    if (!ok)
        lines_free(l);
    return ok ? 0 : -1;
}

void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* As session_run_stream runs them (a sweep's run goes on after a failed
 * expectation), until the run converges (cr, may be NULL). */
static void run_lines(struct session *s, const struct lines *l, size_t from, struct conv_run *cr)
{
    for (size_t i = from; i < l->n && !s->quit && (s->keep_going || !s->expect_failed); i++) {
        if (cr && conv_check(cr, s, i))
            break;
        s->line = (int)i + 1;
        session_exec(s, l->v[i]);
    }
}

/* --- taking points ----------------------------------------------------------- */

struct taker {
    struct points *pts;
    struct session *s;
    const struct point_counts *counts;
    uint64_t every, next;       /* a point when counts->sends reaches next */
    size_t line;
    struct converge *cv;        /* the digests at every point, or NULL */
};

static void take(struct taker *t, const struct loop *loop)
{
    if (t->pts->n == SWEEP_POINTS || t->counts->sends < t->next)
        return;
    struct point *p = calloc(1, sizeof *p);
    if (!p || sim_copy(&p->sim, &t->s->sim) != 0) {
        free(p);
        t->next = UINT64_MAX;       /* out of memory: no more points */
        return;
    }
    p->line = t->line;
    p->loop = *loop;
    p->pres = t->s->pres;
    p->ladder = t->s->ladder;
    p->cursors = t->s->cursors;
    p->failed_expects = t->s->failed_expects;
    p->expect_failed = t->s->expect_failed;
    p->last_failed = t->s->last_failed;
    p->counts = *t->counts;
    t->pts->p[t->pts->n++] = p;
    t->next = t->counts->sends + t->every;
}

static void between(void *ctx)
{
    struct taker *t = ctx;
    if (t->s->loop.kind != LOOP_NONE)       /* a loop it can resume */
        take(t, &t->s->loop);
    if (t->cv)
        conv_record(t->cv, t->s, t->line);
}

void points_take(struct points *pts, struct session *s, const struct lines *l, const struct point_counts *counts,
                 uint64_t every, struct converge *cv)
{
    struct taker t = { .pts = pts, .s = s, .counts = counts, .every = every ? every : 1, .next = every, .cv = cv };
    static const struct loop none = { .kind = LOOP_NONE };
    s->between = between;
    s->between_ctx = &t;
    for (size_t i = 0; i < l->n && !s->quit && (s->keep_going || !s->expect_failed); i++) {
        t.line = i;
        take(&t, &none);
        if (cv)
            conv_record(cv, s, i);
        s->line = (int)i + 1;
        session_exec(s, l->v[i]);
    }
    s->between = NULL;
}

/* --- running from a point ------------------------------------------------------ */

static void check_between(void *ctx)
{
    struct conv_run *cr = ctx;
    struct session *s = cr->s;
    conv_check(cr, s, (size_t)s->line - 1);
}

void points_run(const struct points *pts, struct session *s, const struct lines *l, struct point_counts *counts,
                uint64_t k, struct conv_run *cr)
{
    if (cr) {
        cr->s = s;
        s->between = check_between;
        s->between_ctx = cr;
    }
    const struct point *p = NULL;
    for (size_t i = 0; i < pts->n && pts->p[i]->counts.sends < k; i++)
        p = pts->p[i];
    if (!p) {
        run_lines(s, l, 0, cr);
        return;
    }
    event_fn fn = s->sim.on_event;
    void *ctx = s->sim.ctx;
    bool (*stop)(void *) = s->sim.should_stop;
    uint64_t lose = s->sim.lose_nth;
    sim_free(&s->sim);
    if (sim_copy_frozen(&s->sim, &p->sim) != 0) {  /* out of memory: from the start */
        sim_init(&s->sim, &s->cfg0, fn, ctx);
        s->sim.should_stop = stop;
        s->sim.lose_nth = lose;
        run_lines(s, l, 0, cr);
        return;
    }
    s->sim.on_event = fn;
    s->sim.ctx = ctx;
    s->sim.should_stop = stop;
    s->sim.lose_nth = lose;
    s->pres = p->pres;
    FILE *ladder_out = s->ladder.out;
    bool color = s->ladder.color;
    s->ladder = p->ladder;
    s->ladder.out = ladder_out;
    s->ladder.color = color;
    s->cursors = p->cursors;
    s->failed_expects = p->failed_expects;
    s->expect_failed = p->expect_failed;
    s->last_failed = p->last_failed;
    *counts = p->counts;
    size_t next = p->line;
    if (p->loop.kind != LOOP_NONE) {
        /* The rest of the loop, as the command ran it: a run out of events
         * is the storm its command reports (an error, here unseen); after
         * a `run` or `advance` that ended well, the automatic delivery of
         * every command that changed the simulation (session_exec). */
        s->line = (int)p->line + 1;
        if (cr)
            cr->offset = p->loop.done;  /* the loop as the no-loss run counted it */
        bool ok = session_run_loop(s, p->loop.kind, p->loop.target, p->loop.max - p->loop.done);
        if (cr)
            cr->offset = 0;
        if (ok && p->loop.kind != LOOP_AUTO && s->pres.auto_delivery && !s->quit)
            ok = session_run_loop(s, LOOP_AUTO, 0, SIM_STORM_LIMIT);
        s->last_failed = !ok;
        s->unexpected_errors += !ok;
        next++;
    }
    run_lines(s, l, next, cr);
}

void points_free(struct points *pts)
{
    for (size_t i = 0; i < pts->n; i++) {
        sim_free(&pts->p[i]->sim);
        free(pts->p[i]);
    }
    pts->n = 0;
}
