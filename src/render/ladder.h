/* ladder.h - the ladder-diagram transcript, a renderer of engine events.
 *
 * The client's column is on the left, the server's on the right, time goes
 * down in the margin; each segment is an arrow labelled with its id, flags,
 * seq, ack and len.  Lines never pass 80 columns and carry no colour
 * unless asked for.
 */
#ifndef TCPSIM_LADDER_H
#define TCPSIM_LADDER_H

#include <stdbool.h>
#include <stdio.h>

#include "tcpsim/event.h"

#define LADDER_WIDTH 80

struct ladder {
    FILE *out;
    bool color, relative, explain;
    uint32_t window;            /* the usual window: win= is shown otherwise */
    bool have_t;
    uint64_t last_t;
    bool pending;               /* a send line held back: is it dropped at once? */
    struct segment held;
    uint64_t held_t;
    bool has_isn[EP_COUNT];     /* for relative numbers, as Wireshark */
    seq_t isn[EP_COUNT];
};

void ladder_init(struct ladder *l, FILE *out);
void ladder_header(struct ladder *l);
void ladder_event(struct ladder *l, const struct event *ev);
/* A line of the front end's own (a command echo, a note), at time t. */
void ladder_say(struct ladder *l, uint64_t t, const char *text);
/* Print any held line. */
void ladder_flush(struct ladder *l);
/* The label of a segment, "#3 SYN,ACK seq=300 ack=101", as the ladder
 * writes it (relative numbers when asked). */
void ladder_label(const struct ladder *l, const struct segment *seg, char *buf, size_t n);
/* How much of text goes on a line of at most width columns, breaking at a
 * blank when it can: the one word-wrap of the transcript. */
int ladder_wrap(const char *text, int width);
/* Forget times and ISNs (after reset). */
void ladder_reset(struct ladder *l);

#endif
