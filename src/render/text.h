/* text.h - text for a terminal: UTF-8 measured by display width, and
 * never a raw control byte.
 *
 * Columns are counted as a terminal counts them: a CJK character takes
 * two, a combining mark none.  The widths come from a small East Asian
 * Width table of our own, so the transcript never depends on the locale.
 * Control bytes (C0, DEL, C1) and bytes that are not UTF-8 are written as
 * \xNN, so an escape sequence typed or sent can never reach the terminal.
 */
#ifndef TCPSIM_TEXT_H
#define TCPSIM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode the UTF-8 character at p (n bytes left) into *cp.  Returns its
 * length in bytes, or 0 when p does not start a valid character. */
int text_utf8_next(const char *p, size_t n, uint32_t *cp);
/* Columns a code point takes: 0, 1 or 2 (-1 for a control character). */
int text_cp_width(uint32_t cp);
/* Columns a string takes on a terminal (an escaped string: see below). */
int text_width(const char *s);
/* Copy len bytes of src to dst (n bytes, NUL-terminated), writing control
 * characters and invalid bytes as \xNN; with quote, '"' and '\' too.
 * Stops before the text would pass max_cols columns (max_cols < 0: no
 * limit) or overflow dst, never inside a character.  Returns how many
 * bytes of src it took. */
size_t text_escape(const char *src, size_t len, char *dst, size_t n, int max_cols, bool quote);
/* How many bytes of s fit in width columns; with at_blank, the cut is made
 * at a blank when there is one (word wrap).  Never inside a character. */
int text_fit(const char *s, int width, bool at_blank);

#endif
