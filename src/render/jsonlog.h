/* jsonlog.h - the JSON Lines renderer of the event stream (SPEC section 5).
 *
 * One object per line, in the order the engine reports events, each with
 * "t" (virtual ms) and "type".  Every line is flushed as it is written, so
 * nothing is lost however the run ends.
 */
#ifndef TCPSIM_JSONLOG_H
#define TCPSIM_JSONLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tcpsim/event.h"

struct jsonlog {
    FILE *f;
    bool close_f;           /* false for stdout ("-") */
    int err;                /* errno of the first write, flush or close that failed; 0: none */
};

/* Open PATH ("-" is stdout) for writing.  Returns 0, or -1 with errno set. */
int jsonlog_open(struct jsonlog *jl, const char *path);
/* Flush and close; returns 0, or -1 when this or an earlier write failed
 * (jl->err says why).  A failed write stops the writing, not the run: the
 * front end reports jl->err and closes the log. */
int jsonlog_close(struct jsonlog *jl);

/* repeats: a SEND's segment repeats sequence space already on the wire
 * (wire.h), the log's `retransmit`. */
void jsonlog_event(struct jsonlog *jl, const struct event *ev, bool repeats);
void jsonlog_expect(struct jsonlog *jl, uint64_t t, int line, bool ok);
void jsonlog_error(struct jsonlog *jl, uint64_t t, const char *message);
/* A session command that moves the clock back: "reset" or "undo". */
void jsonlog_restart(struct jsonlog *jl, uint64_t t, const char *type);
/* A line of commentary (`caption`), as typed (UTF-8). */
void jsonlog_caption(struct jsonlog *jl, uint64_t t, const char *text);

#endif
