/* check.h - `tcpsim --check`: scenarios as tests, with expected transcripts. */
#ifndef TCPSIM_CHECK_H
#define TCPSIM_CHECK_H

#include <stdbool.h>

#include "tcpsim/sim.h"

/* Runs each file; prints PASS/FAIL lines and "N passed, N failed".
 * Returns the exit status (0, 1, or 2 when a file cannot be read). */
int check_files(const struct sim_config *cfg, int n, char **files, bool update, bool quiet);
/* Run one scenario into out (the transcript) and err; returns 0 when every
 * expectation held and no command failed unexpectedly. */
int run_scenario(const struct sim_config *cfg, const char *path, FILE *out, FILE *err, bool color);

#endif
