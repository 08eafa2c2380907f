/* interrupt.c - the one flag Ctrl-C raises (see interrupt.h). */
#include <signal.h>

#include "cli/interrupt.h"

static volatile sig_atomic_t raised;

void interrupt_raise(void) { raised = 1; }
bool interrupt_pending(void) { return raised != 0; }
void interrupt_clear(void) { raised = 0; }
