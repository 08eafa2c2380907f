/* ladder.h - the ladder-diagram transcript, a renderer of engine events.
 *
 * The client's column is on the left, the server's on the right, time goes
 * down in the margin; each segment is an arrow labelled with its id, flags,
 * seq, ack and len.  Lines never pass the ladder's width (80 unless set,
 * from LADDER_MIN_WIDTH to LADDER_MAX_WIDTH) and carry no colour unless asked
 * for; the light theme's colours read on a white screen.
 */
#ifndef TCPSIM_LADDER_H
#define TCPSIM_LADDER_H

#include <stdbool.h>
#include <stdio.h>

#include "render/steps.h"
#include "tcpsim/event.h"

#define LADDER_MAX_WIDTH 240         /* the widest a ladder may be set */
#define LADDER_MIN_WIDTH 60
#define LADDER_DEFAULT_WIDTH 80

/* set numbers: how sequence numbers are written. */
enum numbering { NUMBERS_ABSOLUTE, NUMBERS_RELATIVE, NUMBERS_SYMBOLIC };
#define LADDER_LETTER_MAX 3

struct ladder {
    FILE *out;
    bool color, explain;
    enum numbering numbers;
    char letter[EP_COUNT][LADDER_LETTER_MAX + 1];  /* symbolic: each side's ISN, "x" and "y" */
    bool steps;                 /* label the handshake 1/3.. and the close 1/4.. */
    uint16_t port[EP_COUNT];    /* the connection's ports: another is another host's */
    bool light;                 /* theme: colours for a white screen */
    int width;                  /* columns, LADDER_MIN_WIDTH..LADDER_MAX_WIDTH */
    uint32_t window;            /* the usual window: win= is shown otherwise */
    bool have_t;
    uint64_t last_t;
    bool pending;               /* a send line held back: is it dropped at once? */
    struct segment held;
    uint64_t held_t;
    const char *held_step;      /* its textbook step, with steps on */
    bool has_isn[EP_COUNT];     /* for relative numbers, as Wireshark */
    seq_t isn[EP_COUNT];
    struct steps step;
    bool arrival;               /* a segment arrived and nothing showed it yet */
    uint32_t arrived_id;
    enum endpoint_id arrived_at;
    uint64_t arrived_t;
};

void ladder_init(struct ladder *l, FILE *out);
void ladder_header(struct ladder *l);
void ladder_event(struct ladder *l, const struct event *ev);
/* Learn from ev what the numbering needs (the ISNs) without drawing it:
 * -q draws nothing, yet its expectations read x+1. */
void ladder_observe(struct ladder *l, const struct event *ev);
/* A line of the front end's own (a command echo, a note), at time t. */
void ladder_say(struct ladder *l, uint64_t t, const char *text);
/* A message of the front end's (what a command did), wrapped to the width
 * at a blank or beside a CJK character, its next lines indented by two. */
void ladder_tell(struct ladder *l, uint64_t t, const char *text);
/* Print any held send (the front end is about to write). */
void ladder_flush(struct ladder *l);
/* At the end of a command: the held send, and the mark of an arrival that
 * nothing showed. */
void ladder_settle(struct ladder *l);
/* The label of a segment, "#3 SYN,ACK seq=300 ack=101", as the ladder
 * writes it (in the numbering asked for). */
void ladder_label(const struct ladder *l, const struct segment *seg, char *buf, size_t n);
/* Who crafted an injected segment, as the transcript names them:
 * "[attacker :50000]", "[attacker]" or "[network]". */
void ladder_crafter(const struct ladder *l, const struct segment *seg, char *buf, size_t n);
/* A number of space's sequence space (the endpoint whose ISN it counts
 * from) as the numbering writes it: "3441309718", "1" or "x+1".  Absolute
 * until that ISN has been seen. */
const char *ladder_number(const struct ladder *l, enum endpoint_id space, seq_t v, char *buf, size_t n);
/* Read a number written as ladder_number writes it in symbolic numbering
 * ("x", "y+1", "J-2"), or absolute.  False when text is neither. */
bool ladder_parse_number(const struct ladder *l, const char *text, seq_t *out);
/* A line of commentary (set by `caption`), wrapped to the width. */
void ladder_caption(struct ladder *l, uint64_t t, const char *text);
/* How much of text goes on a line of at most width columns, breaking at a
 * blank when it can: the one word-wrap of the transcript. */
int ladder_wrap(const char *text, int width);
/* Forget times and ISNs (after reset). */
void ladder_reset(struct ladder *l);

#endif
