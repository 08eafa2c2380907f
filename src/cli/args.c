/* args.c - the value parsers shared by every command. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "render/i18n.h"

#define MAX_DURATION_MS (30ull * 24 * 3600 * 1000)

bool arg_endpoint(const char *s, enum endpoint_id *out)
{
    if (strcasecmp(s, "client") == 0 || strcasecmp(s, "c") == 0) {
        *out = EP_CLIENT;
        return true;
    }
    if (strcasecmp(s, "server") == 0 || strcasecmp(s, "s") == 0) {
        *out = EP_SERVER;
        return true;
    }
    return false;
}

int arg_direction(const char *s, enum endpoint_id *src, char *err)
{
    const char *arrow = strstr(s, "->");
    if (arrow) {
        char a[16];
        size_t n = (size_t)(arrow - s);
        enum endpoint_id x, y;
        if (n < sizeof a) {
            memcpy(a, s, n);
            a[n] = '\0';
            if (arg_endpoint(a, &x) && arg_endpoint(arrow + 2, &y) && x != y) {
                *src = x;
                return 0;
            }
        }
    }
    snprintf(err, ARG_ERRLEN, _("bad direction '%.40s': write client->server or server->client (c->s, s->c)"), s);
    return -1;
}

/* Digits only, no sign, into a u64 without overflow. */
static int parse_digits(const char *s, const char **end, uint64_t *v)
{
    uint64_t x = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (x > (UINT64_MAX - 9) / 10)
            return -1;
        x = x * 10 + (uint64_t)(*p - '0');
    }
    *end = p;
    *v = x;
    return 0;
}

int arg_duration(const char *s, uint64_t *ms, char *err)
{
    const char *p;
    uint64_t whole, frac = 0, frac_scale = 1;
    if (parse_digits(s, &p, &whole) == 0) {
        if (*p == '.') {
            const char *q = p + 1;
            while (*q >= '0' && *q <= '9' && frac_scale < 1000000) {
                frac = frac * 10 + (uint64_t)(*q - '0');
                frac_scale *= 10;
                q++;
            }
            if (q == p + 1 || (*q >= '0' && *q <= '9'))
                goto bad;
            p = q;
        }
        uint64_t mult;
        if (strcmp(p, "ms") == 0)
            mult = 1;
        else if (strcmp(p, "s") == 0)
            mult = 1000;
        else if (strcmp(p, "m") == 0 || strcmp(p, "min") == 0)
            mult = 60000;
        else if (*p == '\0') {
            snprintf(err, ARG_ERRLEN, _("duration '%.40s' has no unit: write %.20sms, %.20ss or %.20sm"), s, s, s, s);
            return -1;
        } else
            goto bad;
        if (whole > MAX_DURATION_MS / mult)
            goto big;
        uint64_t v = whole * mult + frac * mult / frac_scale;
        if (v > MAX_DURATION_MS)
            goto big;
        *ms = v;
        return 0;
    }
bad:
    snprintf(err, ARG_ERRLEN, _("bad duration '%.40s': write a number and a unit, e.g. 250ms, 1s, 2m"), s);
    return -1;
big:
    snprintf(err, ARG_ERRLEN, _("duration '%.40s' is too long: at most 30 days"), s);
    return -1;
}

int arg_u32(const char *what, const char *s, uint32_t max, uint32_t *out, char *err)
{
    const char *p;
    uint64_t v;
    if (parse_digits(s, &p, &v) != 0 || *p != '\0') {
        snprintf(err, ARG_ERRLEN, _("bad %s '%.40s': write a whole number from 0 to %" PRIu32), _(what), s, max);
        return -1;
    }
    if (v > max) {
        snprintf(err, ARG_ERRLEN, _("%s %.40s is too large: at most %" PRIu32), _(what), s, max);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

int arg_segid(const char *s, uint32_t *id, char *err)
{
    const char *p;
    uint64_t v;
    if (s[0] != '#' || parse_digits(s + 1, &p, &v) != 0 || *p != '\0' || v == 0 || v > UINT32_MAX) {
        snprintf(err, ARG_ERRLEN, _("bad segment id '%.40s': write # and its number, e.g. #3 (see history)"), s);
        return -1;
    }
    *id = (uint32_t)v;
    return 0;
}

const char *arg_kv(const char *s, const char *key)
{
    size_t n = strlen(key);
    if (strncasecmp(s, key, n) == 0 && s[n] == '=')
        return s + n + 1;
    return NULL;
}

int arg_percent(const char *s, uint32_t *ppm, char *err)
{
    const char *p;
    uint64_t whole, frac = 0, scale = 1;
    bool rest = false;      /* a digit past ppm's precision is not 0 */
    if (parse_digits(s, &p, &whole) != 0)
        goto bad;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            goto bad;
        while (*p >= '0' && *p <= '9') {
            if (scale < 10000) {
                frac = frac * 10 + (uint64_t)(*p - '0');
                scale *= 10;
            } else {
                rest |= *p != '0';
            }
            p++;
        }
    }
    if (*p == '%')
        p++;
    if (*p != '\0')
        goto bad;
    if (whole > 100 || (whole == 100 && (frac || rest)))
        goto bad;
    *ppm = (uint32_t)(whole * 10000 + frac * 10000 / scale);
    return 0;
bad:
    snprintf(err, ARG_ERRLEN, _("bad percentage '%.40s': write a number from 0 to 100, e.g. 10 or 12.5%%"), s);
    return -1;
}

int arg_onoff(const char *s, bool *out, char *err)
{
    if (strcasecmp(s, "on") == 0 || strcasecmp(s, "yes") == 0 || strcmp(s, "1") == 0) {
        *out = true;
        return 0;
    }
    if (strcasecmp(s, "off") == 0 || strcasecmp(s, "no") == 0 || strcmp(s, "0") == 0) {
        *out = false;
        return 0;
    }
    snprintf(err, ARG_ERRLEN, _("bad value '%.40s': write on or off"), s);
    return -1;
}

/* Edit distance with swaps (optimal string alignment). */
size_t arg_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 20 || lb > 20)
        return 99;
    size_t d[21][21];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + ((a[i - 1] | 32) != (b[j - 1] | 32));
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (i > 1 && j > 1 && (a[i - 1] | 32) == (b[j - 2] | 32) && (a[i - 2] | 32) == (b[j - 1] | 32) &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;      /* two letters swapped: one edit */
        }
    }
    return d[la][lb];
}

const char *arg_suggest(const char *name, const char *const *words)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; words[i]; i++) {
        size_t d = arg_distance(name, words[i]);
        if (d < best_d) {
            best_d = d;
            best = words[i];
        }
    }
    return best;
}

int arg_flags(const char *s, uint8_t *flags, char *err)
{
    static const char *const names[] = { "SYN", "ACK", "FIN", "RST", "PSH", "URG", NULL };
    if (tcp_flags_parse(s, flags))
        return 0;
    /* each misspelt flag by its nearest, when every one has a near one */
    char fix[64];
    size_t k = 0;
    bool near = *s != '\0';
    for (const char *p = s; *p && near;) {
        size_t n = strcspn(p, ",+|");
        char word[24];
        snprintf(word, sizeof word, "%.*s", (int)(n < 23 ? n : 23), p);
        const char *hint = arg_suggest(word, names);
        near = hint && k + strlen(hint) + 2 < sizeof fix && arg_distance(word, hint) < 2 + (n > 3);
        if (near)
            k += (size_t)snprintf(fix + k, sizeof fix - k, "%s%s", k ? "," : "", hint);
        p += n;
        if (*p)
            p++;
    }
    if (near && k) {
        snprintf(err, ARG_ERRLEN, _("bad flags '%.40s' (did you mean '%s'?)"), s, fix);
        return -2;
    }
    snprintf(err, ARG_ERRLEN, _("bad flags '%.40s': write e.g. SYN, SYN,ACK, ACK, FIN,ACK, RST, PSH,ACK"), s);
    return -1;
}

const char *fmt_duration(uint64_t ms, char *buf, size_t n)
{
    if (ms % 60000 == 0 && ms >= 60000)
        snprintf(buf, n, "%" PRIu64 "m", ms / 60000);
    else if (ms % 1000 == 0 && ms > 0)
        snprintf(buf, n, "%" PRIu64 "s", ms / 1000);
    else
        snprintf(buf, n, "%" PRIu64 "ms", ms);
    return buf;
}
