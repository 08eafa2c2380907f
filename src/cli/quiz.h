/* quiz.h - practice that answers back (`tcpsim --quiz`, SPEC section 7).
 *
 * A lesson runs as usual, but before each segment a TCB puts on the wire
 * (or, with `states`, before each state change) the student is asked for
 * it; `ask` lines in the lesson ask questions of their own.  Answers come
 * from the terminal (readline) or, in batch, from stdin, one per line.
 */
#ifndef TCPSIM_QUIZ_H
#define TCPSIM_QUIZ_H

#include <stdbool.h>

#include "tcpsim/config.h"

struct session;

/* Run FILE as a quiz; `report` (may be NULL) receives the answers as JSON.
 * Returns the exit status: 0 when the quiz ran to its end (whatever the
 * score), 1 when the lesson itself failed, 2 when a file cannot be read
 * or written. */
int quiz_main(const struct sim_config *cfg, const char *file, bool states, const char *report);

/* `ask ...` in a lesson: a question of the lesson's own.  Outside a quiz
 * it does nothing. */
int cmd_ask(struct session *s, int ep, int argc, char **argv);

#endif
