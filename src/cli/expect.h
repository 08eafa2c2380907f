/* expect.h - what the two files of `expect` share: the segment check
 * (flags and seq= ack= len= win= mss=), its messages, and the cursors of
 * `expect next` and `expect none`.
 *
 * expect.c owns the command and the checks of TCBs, timers, the wire and
 * errors; expect_seg.c the checks of segments.  The segment check is a
 * value with no session in it, so the unit tests parse and match it alone.
 */
#ifndef TCPSIM_EXPECT_H
#define TCPSIM_EXPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpsim/segment.h"

struct ladder;
struct session;

/* The header fields a segment check may name, in the order it prints them. */
enum { SEGF_SEQ, SEGF_ACK, SEGF_LEN, SEGF_WIN, SEGF_MSS, SEGF_COUNT };

struct seg_check {
    uint8_t flags;                  /* exactly these control bits */
    bool has[SEGF_COUNT];           /* which fields were named */
    uint32_t want[SEGF_COUNT];      /* mss=0: no MSS option */
};

/* "FLAGS [seq=N] [ack=N] [len=N] [win=N] [mss=N]": returns 0, or -1 with
 * a message naming the problem and the fix in err (ERRLEN bytes).  seq
 * and ack may be written as the ladder l numbers them (x+1 in symbolic
 * numbering); l NULL: absolute only. */
#define EXPECT_ERRLEN 200
int seg_check_parse(struct seg_check *c, const struct ladder *l, const char *flags, int argc, char **argv,
                    char *err);
bool seg_check_match(const struct seg_check *c, const struct segment *seg);
/* The segment as the check sees it, numbered as the ladder l numbers the
 * transcript (l NULL: absolute): "#3 ACK seq=101 ack=301", with len when
 * it carries data, and win= and mss= when the check names them ("no MSS
 * option" for none). */
void seg_check_describe(const struct seg_check *c, const struct ladder *l, const struct segment *seg, char *buf,
                        size_t n);

/* A sequence number read as the ladder numbers them (symbolic "x+1", or
 * absolute); 0, or -1 with the message in err (EXPECT_ERRLEN bytes). */
int expect_seq_value(const struct ladder *l, const char *what, const char *v, uint32_t *out, char *err);
/* v as the transcript writes it: space is the endpoint whose sequence
 * space it counts in, or -1 for a plain number (a window, a length). */
const char *expect_number(const struct ladder *l, int space, uint32_t v, char *buf, size_t n);

/* A failed expectation: "file:line: expected WANT, got GOT", exit 1. */
int expect_fail(struct session *s, const char *want, const char *got);
/* A malformed one (SPEC 4: it fails too): the message, exit 1. */
int expect_malformed(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* expect last | #ID | next | none, after the word `expect`. */
int expect_last(struct session *s, int argc, char **argv);
int expect_id(struct session *s, int argc, char **argv);
int expect_next(struct session *s, int argc, char **argv);
int expect_none(struct session *s, int argc, char **argv);

/* The cursors of expect next and expect none.  reset: they start again
 * with the first segment sent after it.  undo: they stay where they were,
 * but never past the segments still in the history (what undo took back
 * was not sent, so nothing of it is taken). */
void expect_cursors_reset(struct session *s);
void expect_cursors_clamp(struct session *s);

#endif
