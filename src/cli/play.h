/* play.h - tcpsim --play FILE: a lesson shown one command per key press. */
#ifndef TCPSIM_PLAY_H
#define TCPSIM_PLAY_H

#include <stdbool.h>

#include "cli/session.h"

/* Plays the lesson in path, keys from standard input (raw when it is a
 * terminal); returns the exit status (2: the file cannot be read). */
int play_run(const struct sim_config *cfg, const char *path, bool color);

#endif
