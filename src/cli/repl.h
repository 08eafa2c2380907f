/* repl.h - the interactive loop on a terminal, with GNU readline. */
#ifndef TCPSIM_REPL_H
#define TCPSIM_REPL_H

#include "cli/session.h"

/* Reads lines until quit or Ctrl-D; returns the exit status. */
int repl_run(struct session *s);

#endif
