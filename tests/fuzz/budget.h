/* budget.h - a fuzz input's bounded work, counted in engine events, not in
 * seconds: past FUZZ_EVENTS the session stops its runs (the engine's
 * should_stop, as Ctrl-C does) and reads no more lines.  The bound is the
 * same on every machine and every run, so a slow input cannot flake.
 * 50,000 events are many lessons' worth (a lesson makes hundreds). */
#ifndef TCPSIM_FUZZ_BUDGET_H
#define TCPSIM_FUZZ_BUDGET_H

#include "cli/interrupt.h"
#include "cli/session.h"

#define FUZZ_EVENTS 50000

struct budget {
    struct session *s;
    unsigned long events;
};

static void budget_event(void *ctx, const struct event *ev)
{
    (void)ev;
    struct budget *b = ctx;
    if (++b->events == FUZZ_EVENTS) {
        interrupt_raise();          /* every run of this input stops */
        b->s->quit = true;
    }
}

/* Count s's events against the budget (its observer). */
static inline void budget_start(struct budget *b, struct session *s)
{
    b->s = s;
    b->events = 0;
    s->observer = budget_event;
    s->observer_ctx = b;
    s->sweep_events = FUZZ_EVENTS;
    interrupt_clear();
}

static inline void budget_end(void) { interrupt_clear(); }

#endif
