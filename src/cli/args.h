/* args.h - parsing the values commands take: endpoints, directions,
 * durations, numbers, segment ids, key=value pairs, percentages.
 *
 * Each parser returns 0, or -1 with a message that names the problem and
 * the fix in the buffer it is given.
 */
#ifndef TCPSIM_ARGS_H
#define TCPSIM_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpsim/segment.h"

#define ARG_ERRLEN 160

bool arg_endpoint(const char *s, enum endpoint_id *out);
int arg_direction(const char *s, enum endpoint_id *src, char *err);
/* "250ms", "1s", "2m", "1.5s": a unit is required; at most 30 days. */
int arg_duration(const char *s, uint64_t *ms, char *err);
int arg_u32(const char *what, const char *s, uint32_t max, uint32_t *out, char *err);
int arg_segid(const char *s, uint32_t *id, char *err);
/* "key=value": returns the value, or NULL when s does not start with key= */
const char *arg_kv(const char *s, const char *key);
/* "12", "12.5", "12%": parts per million. */
int arg_percent(const char *s, uint32_t *ppm, char *err);
int arg_onoff(const char *s, bool *out, char *err);
/* Flags as SYN,ACK; a misspelt one gets a "did you mean" and returns -2
 * (other errors -1). */
int arg_flags(const char *s, uint8_t *flags, char *err);
/* Edits between two words, ignoring case (99 past 20 characters). */
size_t arg_distance(const char *a, const char *b);
/* The closest of words (NULL-terminated) within two edits, or NULL. */
const char *arg_suggest(const char *name, const char *const *words);
/* "1000ms", "1.5s" from milliseconds, as the transcript writes durations. */
const char *fmt_duration(uint64_t ms, char *buf, size_t n);

#endif
