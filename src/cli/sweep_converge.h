/* sweep_converge.h - a sweep's run that stops once it is the run with no
 * loss again (sweep_converge.c).
 *
 * Most losses are repaired within a few round trips, after which the run
 * is in exactly the state the run with no loss was in at the same point
 * of the scenario: the same line, the same engine loop, the same clock,
 * the same TCBs, the same segments in flight.  From there both runs do
 * the same, so the rest of the outcome is the no-loss run's: its final
 * states, the expectations that failed after that point and the RTOs
 * that fired after it.
 *
 * The no-loss run records a digest of its state at every point (each line
 * and each engine event); a run with a loss compares its own at the same
 * kind of point once the segment is lost.  A digest holds every input of
 * what comes next, with two exceptions that cannot change the outcome:
 *   - segment ids and the history of segments (not the segments in
 *     flight, whose order is kept): so convergence is only looked for
 *     while every line still to run is one that never reads them (no
 *     `deliver #ID`, `expect next`, `history`, ...: see line_ok);
 *   - payload bytes (their lengths are kept): no rule of the engine and
 *     no command a converging run may still run looks at them.
 */
#ifndef TCPSIM_SWEEP_CONVERGE_H
#define TCPSIM_SWEEP_CONVERGE_H

#include "cli/session.h"
#include "cli/sweep_points.h"

struct conv_entry;
struct conv_loop;

/* The no-loss run's digests, and its outcome. */
struct converge {
    struct conv_entry *e;
    size_t n, cap;
    size_t *table;              /* open addressing on the cheap digest: index + 1 into e */
    size_t table_cap;
    struct conv_loop *loops;    /* each engine loop it ran: its budget and its events */
    size_t n_loops, cap_loops;
    bool *ok_from;              /* ok_from[i]: lines i.. never read ids or history */
    bool *shift_from;           /* shift_from[i]: nor choose an ISS (line_ok) */
    size_t lines;
    const unsigned *rto;        /* recording: the RTOs that fired so far */
    /* The outcome of the run with no loss. */
    enum tcp_state st[EP_COUNT];
    int failed;
    unsigned rto_end[EP_COUNT];
    bool ready;
};

/* One run with a loss: what it had when it converged. */
struct conv_run {
    struct converge *cv;
    struct session *s;          /* the run's session (points_run sets it) */
    const bool *armed;          /* true once its segment was lost */
    const unsigned *rto;        /* its RTOs after the loss so far */
    size_t offset;              /* events of the loop it resumed, done before its point */
    uint64_t tick;              /* events it has seen since its loss */
    bool converged;
    bool shifted;               /* on the no-loss run at another time */
    size_t at;                  /* the entry it converged on */
    int failed;
    unsigned rto_at[EP_COUNT];
};

/* Ready to record the no-loss run of l; rto counts its RTOs.  False when
 * memory runs out (the sweep then runs every run to its end). */
bool conv_init(struct converge *cv, const struct lines *l, const unsigned *rto);
/* Record the no-loss run s at its current point: before line `line`
 * (0-based) or, inside an engine loop, between two events. */
void conv_record(struct converge *cv, struct session *s, size_t line);
/* Its outcome once it ended. */
void conv_finish(struct converge *cv, const enum tcp_state st[EP_COUNT], int failed, const unsigned rto[EP_COUNT]);
void conv_free(struct converge *cv);

/* A run with a loss at its current point (as conv_record): true when it
 * has converged (now or before), and then it stops: its loop ends at once
 * and no more lines run. */
bool conv_check(struct conv_run *r, struct session *s, size_t line);
/* A converged run's outcome: the final states, the failed expectations,
 * and the RTOs after the loss. */
void conv_outcome(const struct conv_run *r, enum tcp_state st[EP_COUNT], int *failed, unsigned rto[EP_COUNT]);

#endif
