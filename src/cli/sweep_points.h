/* sweep_points.h - the common prefix of a sweep's runs (sweep_points.c).
 *
 * Every run of a sweep is the run with no loss up to the segment it
 * loses.  So the scenario is run once more with no loss, and snapshots
 * ("points") of it are taken on the way, between two commands or between
 * two engine events inside one (with the engine loop running then: its
 * kind, target, budget and the events it had processed).  The run that
 * loses segment k starts from the latest point before the k-th send:
 * it finishes that engine loop, then runs the lines after it.
 */
#ifndef TCPSIM_SWEEP_POINTS_H
#define TCPSIM_SWEEP_POINTS_H

#include "cli/session.h"

#define SWEEP_POINTS 32

/* A scenario's lines, read once. */
struct lines {
    char **v;
    size_t n;
};
/* Read path's lines; -1 when it cannot be read, or holds a line that
 * session_run_stream would stop at (NUL, too long), or an undo (which
 * needs the log a point does not keep): sweep then runs it whole. */
int lines_read(struct lines *l, const char *path);
void lines_free(struct lines *l);

/* What a run counts (sweep.c's watch) that a point must carry. */
struct point_counts {
    uint64_t sends;             /* EV_SEND events so far */
};

struct point;
struct converge;
struct conv_run;
struct points {
    struct point *p[SWEEP_POINTS];
    size_t n;
};

/* Run the lines with no loss in s (set up as a sweep's run), taking up to
 * SWEEP_POINTS points, one each `every` sends; counts is the run's own
 * counter (its observer updates it).  With cv, the digest of every point
 * between lines and events is recorded too (sweep_converge.h). */
void points_take(struct points *pts, struct session *s, const struct lines *l, const struct point_counts *counts,
                 uint64_t every, struct converge *cv);
/* Run the lines in s as the run that loses send k: from the latest point
 * before it (s's simulation replaced, *counts set), else from the start.
 * With cr, it stops where it converges on the no-loss run. */
void points_run(const struct points *pts, struct session *s, const struct lines *l, struct point_counts *counts,
                uint64_t k, struct conv_run *cr);
void points_free(struct points *pts);

#endif
