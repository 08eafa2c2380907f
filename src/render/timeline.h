/* timeline.h - the session as the pictures draw it: a recorder of the
 * engine's event stream that keeps each segment's send time, arrival or
 * loss and its transcript label, each state change, timer, note and
 * caption, and the steps the HTML page walks through with both TCBs as
 * they were after each step.
 *
 * The SVG and HTML renderers (svg.h, html.h) read a finished timeline;
 * the session records into it on every engine event, undo's silent
 * replays included (a replay rebuilds it from empty, as the simulation).
 */
#ifndef TCPSIM_TIMELINE_H
#define TCPSIM_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/ladder.h"
#include "tcpsim/event.h"
#include "tcpsim/sim.h"

#define TL_LABEL 128        /* a segment's label */
#define TL_TEXT 2048        /* the words of a mark (a caption is the longest) */

enum tl_fate { TL_IN_FLIGHT, TL_ARRIVED, TL_DROPPED, TL_LOST };

/* A segment's words are written only when a picture is drawn: it keeps
 * its header and the ladder's numbering as it was when it was sent (one
 * copy of the ladder for all the segments sent while it did not change). */
struct tl_seg {
    uint32_t id;
    enum endpoint_id src;
    uint8_t flags;
    enum seg_origin origin;
    bool retransmit;
    struct segment seg;         /* the header (no payload) */
    size_t numbering;           /* numberings[i]: for ladder_label(), the transcript's words */
    const char *step;           /* its textbook step ("1/3"), shown with steps on */
    const char *why;
    uint64_t sent, end;         /* end: arrival, loss, or when it is due */
    enum tl_fate fate;
    size_t step_send, step_end; /* the steps of its send and of its end */
};

/* What a picture writes beside a timeline: a state, a timer, a note. */
enum tl_mark_kind { TL_STATE, TL_TIMER, TL_NOTE, TL_SIGNAL, TL_RECEIVE, TL_CAPTION };

struct tl_mark {
    enum tl_mark_kind kind;
    enum endpoint_id ep;        /* not for TL_CAPTION */
    uint16_t port;              /* a listener's child connection: its peer's port */
    uint64_t t;
    enum tcp_state from, to;    /* TL_STATE */
    enum timer_kind timer;      /* TL_TIMER */
    uint32_t len;               /* TL_RECEIVE */
    const char *message;        /* TL_SIGNAL */
    char *caption;              /* TL_CAPTION, owned */
    const char *why;
    size_t step;
};

/* One endpoint's TCB as the HTML page shows it (in the numbering of the
 * segments around it: see timeline_numbering). */
struct tl_tcb {
    enum tcp_state state;
    bool synchronized_vars;     /* SND.* and RCV.* mean something */
    seq_t snd_una, snd_nxt, rcv_nxt;
    uint32_t snd_wnd, rcv_wnd;
    uint64_t rtx_at, tw_at, persist_at;     /* when the retransmission, TIME-WAIT and persist
                                               timers fire; 0: not armed */
};

enum tl_step_kind { TL_STEP_SEND, TL_STEP_ARRIVE, TL_STEP_DROP, TL_STEP_MARK };

struct tl_step {
    enum tl_step_kind kind;
    uint64_t t;
    size_t seg;                 /* index into segs: SEND, ARRIVE, DROP */
    size_t mark;                /* index into marks: MARK */
    struct tl_tcb tcb[EP_COUNT];    /* after this step */
};

/* The most steps a timeline records: past them (a long session, not a
 * lesson) it stops, so that memory stays bounded; `full` says so. */
#define TL_MAX_STEPS 8192

struct timeline {
    struct tl_seg *segs;
    size_t n_segs, cap_segs;
    struct tl_mark *marks;
    size_t n_marks, cap_marks;
    struct tl_step *steps;
    size_t n_steps, cap_steps;
    bool snapshot_due;          /* the last step still waits for its TCBs */
    struct steps count;         /* the textbook steps, counted as the ladder counts them */
    struct ladder *numberings;  /* the ladder's states that wrote the labels */
    size_t n_num, cap_num;
    uint32_t latency_ms;        /* the smallest flight seen, for the scale */
    bool full;                  /* TL_MAX_STEPS were recorded: the rest is not */
};

void timeline_init(struct timeline *tl);
void timeline_free(struct timeline *tl);
/* Forget everything (reset, or undo rebuilding the simulation). */
void timeline_clear(struct timeline *tl);
/* A copy of src into dst (which holds nothing), for the session's
 * snapshots; 0, or -1 when memory runs out (dst then holds nothing). */
int timeline_copy(struct timeline *dst, const struct timeline *src);
/* Record one engine event as a step.  The ladder gives the labels (it
 * must have seen the event first); sim gives the TCBs at this step. */
void timeline_event(struct timeline *tl, const struct event *ev, const struct ladder *l, struct sim *sim);
/* A caption at time t (the front end's commentary). */
void timeline_caption(struct timeline *tl, uint64_t t, const char *text, struct sim *sim);
/* Before drawing: when the segments still in flight are due. */
void timeline_finish(struct timeline *tl, struct sim *sim);

/* The ladder whose numbering writes the numbers of step k: that of the
 * last segment sent by then (NULL before any: absolute numbers). */
const struct ladder *timeline_numbering(const struct timeline *tl, size_t k);

/* The words of a segment's label (as the transcript's), of its mark
 * ("retransmission", "replay of #2", or ""), and of a mark beside a
 * timeline ("ESTABLISHED", "retransmission timeout", a note, ...). */
void timeline_seg_label(const struct timeline *tl, const struct tl_seg *s, char *buf, size_t n);
void timeline_seg_mark(const struct tl_seg *s, char *buf, size_t n);
void timeline_mark_text(const struct tl_mark *m, char *buf, size_t n);

/* When the timer that fired at mark m (a TL_TIMER) was started: for
 * TIME-WAIT its deadline less 2 x MSL, for the retransmission and persist
 * timers the step before the first one that shows its deadline; another
 * timer's own time (no span). */
uint64_t timeline_timer_start(const struct timeline *tl, const struct tl_mark *m, uint32_t msl_ms);

/* The explanation of a step, and a short line saying what happened. */
const char *timeline_step_why(const struct timeline *tl, const struct tl_step *st);
void timeline_step_text(const struct timeline *tl, const struct tl_step *st, char *buf, size_t n);

#endif
