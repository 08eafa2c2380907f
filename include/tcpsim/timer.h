/* timer.h - a one-shot timer on the virtual clock.
 *
 * Timers do nothing by themselves: the simulation asks each endpoint for
 * its earliest armed deadline and fires it when the clock gets there.
 */
#ifndef TCPSIM_TIMER_H
#define TCPSIM_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
    bool armed;
    uint64_t at;    /* virtual ms at which it fires */
};

static inline void timer_start(struct timer *t, uint64_t now, uint64_t after)
{
    t->armed = true;
    t->at = now + after;
}

static inline void timer_stop(struct timer *t) { t->armed = false; }

#endif
