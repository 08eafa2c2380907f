/* compare.h - `tcpsim --compare A,B FILE`: one scenario under two profiles,
 * side by side, where they differ. */
#ifndef TCPSIM_COMPARE_H
#define TCPSIM_COMPARE_H

#include <stdio.h>

#include "tcpsim/sim.h"

/* list is "A,B" (or "B", compared with rfc9293).  Prints the aligned
 * rows to out; returns the exit status (0, or 2 for a bad list or file). */
int compare_profiles(const struct sim_config *cfg, const char *list, const char *path, FILE *out);

#endif
