/* interrupt.h - Ctrl-C in the REPL: the signal handler only raises a flag;
 * the engine's run loops ask the session between two events whether to
 * stop (struct sim's should_stop), and the session then puts the
 * simulation back as it was before the command (SPEC section 2). */
#ifndef TCPSIM_INTERRUPT_H
#define TCPSIM_INTERRUPT_H

#include <stdbool.h>

/* Async-signal-safe: called by the SIGINT handler. */
void interrupt_raise(void);
bool interrupt_pending(void);
void interrupt_clear(void);

#endif
