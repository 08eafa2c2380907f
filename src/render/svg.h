/* svg.h - the session as an SVG picture (SPEC section 5 "Pictures"): two
 * timelines with time going down to scale, each segment a slanted arrow
 * from its send time to its arrival, and RFC 9293's state diagram
 * (Figure 5) beside them with each endpoint's path.
 *
 * The picture carries its facts as attributes for tests and the HTML
 * page: each arrow is a <g class="seg" id="seg-N"> with data-sent,
 * data-end, data-fate and the step numbers of its send and end; the
 * sequence diagram's scale is data-px-per-ms.
 */
#ifndef TCPSIM_SVG_H
#define TCPSIM_SVG_H

#include <stdio.h>

#include "render/timeline.h"
#include "tcpsim/config.h"

/* Write the picture of a finished timeline; title names it.  Returns 0,
 * or -1 when the stream reports an error. */
int svg_write(FILE *f, const struct timeline *tl, const struct sim_config *cfg, const char *title);

/* Text as XML character data: & < > " escaped, control bytes and
 * invalid UTF-8 written as U+FFFD. */
void svg_escape(FILE *f, const char *text);

/* The font list of every picture: CJK text falls back to Noto Sans CJK. */
#define SVG_FONTS "'DejaVu Sans', 'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif"
/* The endpoints' colours. */
#define SVG_CLIENT_COLOR "#1d5fa7"
#define SVG_SERVER_COLOR "#b5520b"

/* The state diagram (statediagram.c), its top left corner at (x, y), with
 * each endpoint's path as the timeline recorded it.  Its size: */
#define STATES_WIDTH 800
#define STATES_HEIGHT 830
void svg_state_diagram(FILE *f, const struct timeline *tl, double x, double y);

#endif
