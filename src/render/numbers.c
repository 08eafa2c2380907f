/* numbers.c - sequence numbers as `set numbers` writes them: absolute,
 * relative to each side's ISN (as Wireshark), or symbolic as the
 * textbooks write them, the client's ISN x and the server's y (or the
 * letters given), so that seq=x+1 ack=y+1.
 *
 * The ISNs are those the transcript saw: the first SYN of each side's
 * connection (ladder.c).  Until a side's SYN is seen its numbers stay
 * absolute.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render/ladder.h"

const char *ladder_number(const struct ladder *l, enum endpoint_id space, seq_t v, char *buf, size_t n)
{
    if (l->numbers == NUMBERS_ABSOLUTE || !l->has_isn[space]) {
        snprintf(buf, n, "%" PRIu32, v);
        return buf;
    }
    seq_t off = v - l->isn[space];
    if (l->numbers == NUMBERS_RELATIVE && off < 0x80000000u)
        snprintf(buf, n, "%" PRIu32, off);
    else if (l->numbers == NUMBERS_RELATIVE)    /* before the ISN: an old duplicate */
        snprintf(buf, n, "-%" PRIu32, (seq_t)(0u - off));
    else if (off == 0)
        snprintf(buf, n, "%s", l->letter[space]);
    else if (off < 0x80000000u)
        snprintf(buf, n, "%s+%" PRIu32, l->letter[space], off);
    else
        snprintf(buf, n, "%s-%" PRIu32, l->letter[space], (seq_t)(0u - off));
    return buf;
}

bool ladder_parse_number(const struct ladder *l, const char *text, seq_t *out)
{
    char *end;
    if (isdigit((unsigned char)text[0])) {
        errno = 0;
        unsigned long long v = strtoull(text, &end, 10);
        if (errno || *end || v > UINT32_MAX)
            return false;
        *out = (seq_t)v;
        return true;
    }
    if (l->numbers != NUMBERS_SYMBOLIC)
        return false;
    for (int ep = 0; ep < EP_COUNT; ep++) {
        size_t k = strlen(l->letter[ep]);
        if (!l->has_isn[ep] || strncmp(text, l->letter[ep], k) != 0)
            continue;
        const char *rest = text + k;
        if (*rest == '\0') {
            *out = l->isn[ep];
            return true;
        }
        if ((*rest != '+' && *rest != '-') || !isdigit((unsigned char)rest[1]))
            continue;
        errno = 0;
        unsigned long long d = strtoull(rest + 1, &end, 10);
        if (errno || *end || d > UINT32_MAX)
            continue;
        *out = *rest == '+' ? l->isn[ep] + (seq_t)d : l->isn[ep] - (seq_t)d;
        return true;
    }
    return false;
}
