/* seq.h - sequence number arithmetic modulo 2^32 (RFC 9293 3.4).
 *
 * Every comparison of two sequence numbers in tcpsim goes through these
 * helpers; a raw `<` between two seq_t values is a bug, because the space
 * wraps around at 2^32.
 */
#ifndef TCPSIM_SEQ_H
#define TCPSIM_SEQ_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t seq_t;

/* a < b in sequence space: b is less than 2^31 ahead of a. */
static inline bool seq_lt(seq_t a, seq_t b) { return ((seq_t)(a - b) & 0x80000000u) != 0; }
static inline bool seq_le(seq_t a, seq_t b) { return a == b || seq_lt(a, b); }
static inline bool seq_gt(seq_t a, seq_t b) { return seq_lt(b, a); }
static inline bool seq_ge(seq_t a, seq_t b) { return seq_le(b, a); }

/* lo =< x < lo + len, the window test of RFC 9293 3.10.7.4. */
static inline bool seq_in_window(seq_t x, seq_t lo, uint32_t len)
{
    return (seq_t)(x - lo) < len;
}

/* lo < x =< hi, the test for an acceptable ACK (SND.UNA < SEG.ACK =< SND.NXT). */
static inline bool seq_between_open_closed(seq_t lo, seq_t x, seq_t hi)
{
    return seq_lt(lo, x) && seq_le(x, hi);
}

#endif
