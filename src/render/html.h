/* html.h - the session as one self-contained web page (SPEC section 5
 * "Pictures"): the SVG picture inline, and a little script that steps
 * through the session with Next/Back and the arrow keys, highlighting the
 * current segment, its explanation and both TCBs at that moment.  Nothing
 * is fetched from a network.
 *
 * The page exposes its state for tests: <body data-step="K"
 * data-segment="ID">, and the TCBs in #client-state, #server-state, ...
 * Opened with #step=K it starts at step K; with #selftest it clicks Next
 * through every step and Back once, presses the left and the right arrow
 * keys, and writes what it saw after each, as JSON, into
 * <pre id="selftest">.
 */
#ifndef TCPSIM_HTML_H
#define TCPSIM_HTML_H

#include <stdio.h>

#include "render/timeline.h"
#include "tcpsim/config.h"

/* Write the page of a finished timeline.  Returns 0, or -1 when the
 * stream reports an error. */
int html_write(FILE *f, const struct timeline *tl, const struct sim_config *cfg, const char *title);

#endif
