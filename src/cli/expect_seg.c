/* expect_seg.c - the expectations about segments on the wire:
 *
 *   expect last client->server ACK seq=101 ack=301 [len=0] [win=N] [mss=N]
 *   expect #7 SYN,ACK seq=300 ack=101
 *   expect next server->client SYN,ACK seq=300 ack=101
 *   expect none [DIR]
 *
 * `expect next` reads the wire in order, as packetdrill does: per sending
 * endpoint a cursor keeps the history index of the next segment no
 * `expect next` took yet.  Every segment put on the wire that way counts,
 * whoever made it (the TCB, inject, replay, dup, a retransmission, a lost
 * one: it was sent).  A segment is taken only when it matches, so a check
 * mistyped in the REPL can be typed again.  `expect none` looks at what
 * was sent since the last `expect next` or `expect none` that passed.
 * seq= and ack= are absolute or, in symbolic numbering, x+1; a message
 * writes both sides in the numbering the transcript shows.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/expect.h"
#include "cli/session.h"
#include "render/i18n.h"

static const struct {
    const char *name;
    uint32_t max;
} seg_fields[SEGF_COUNT] = {
    [SEGF_SEQ] = { "seq", UINT32_MAX }, [SEGF_ACK] = { "ack", UINT32_MAX },
    [SEGF_LEN] = { "len", UINT32_MAX }, [SEGF_WIN] = { "win", 65535 },
    [SEGF_MSS] = { "mss", 65535 },
};

#define SEG_USAGE "FLAGS [seq=N] [ack=N] [len=N] [win=N] [mss=N]"

int expect_seq_value(const struct ladder *l, const char *what, const char *v, uint32_t *out, char *err)
{
    char e[ARG_ERRLEN];
    if (l && ladder_parse_number(l, v, out))
        return 0;
    if (l && l->numbers == NUMBERS_SYMBOLIC && !isdigit((unsigned char)v[0])) {
        snprintf(err, EXPECT_ERRLEN, _("bad %s '%.20s': write a number, or %s/%s with an offset (e.g. %s+1) "
                 "once that side's SYN was sent"), what, v, l->letter[EP_CLIENT], l->letter[EP_SERVER],
                 l->letter[EP_CLIENT]);
        return -1;
    }
    if (arg_u32(what, v, UINT32_MAX, out, e)) {
        snprintf(err, EXPECT_ERRLEN, "%s", e);
        return -1;
    }
    return 0;
}

const char *expect_number(const struct ladder *l, int space, uint32_t v, char *buf, size_t n)
{
    if (space < 0 || !l) {
        snprintf(buf, n, "%" PRIu32, v);
        return buf;
    }
    return ladder_number(l, (enum endpoint_id)space, v, buf, n);
}

int seg_check_parse(struct seg_check *c, const struct ladder *l, const char *flags, int argc, char **argv,
                    char *err)
{
    memset(c, 0, sizeof *c);
    if (!tcp_flags_parse(flags, &c->flags)) {
        snprintf(err, EXPECT_ERRLEN, _("bad flags '%.40s': write e.g. SYN, SYN,ACK, ACK, FIN,ACK, RST"), flags);
        return -1;
    }
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        int f;
        for (f = 0; f < SEGF_COUNT; f++)
            if ((v = arg_kv(argv[i], seg_fields[f].name)))
                break;
        if (!v) {
            snprintf(err, EXPECT_ERRLEN, _("unknown field '%.40s'; write seq=N, ack=N, len=N, win=N or mss=N "
                                         "(mss=0: no MSS option)"), argv[i]);
            return -1;
        }
        if (c->has[f]) {
            snprintf(err, EXPECT_ERRLEN, _("%s= is given twice; write each field once"), seg_fields[f].name);
            return -1;
        }
        char e[ARG_ERRLEN];
        if (f == SEGF_SEQ || f == SEGF_ACK) {
            if (expect_seq_value(l, seg_fields[f].name, v, &c->want[f], err))
                return -1;
        } else if (arg_u32(seg_fields[f].name, v, seg_fields[f].max, &c->want[f], e)) {
            snprintf(err, EXPECT_ERRLEN, "%s", e);
            return -1;
        }
        c->has[f] = true;
    }
    return 0;
}

static uint32_t seg_field(const struct segment *seg, int f)
{
    switch (f) {
    case SEGF_SEQ: return seg->seq;
    case SEGF_ACK: return seg->ack;
    case SEGF_LEN: return seg->len;
    case SEGF_WIN: return seg->wnd;
    default: return seg->mss;
    }
}

bool seg_check_match(const struct seg_check *c, const struct segment *seg)
{
    if (seg->flags != c->flags)
        return false;
    for (int f = 0; f < SEGF_COUNT; f++)
        if (c->has[f] && seg_field(seg, f) != c->want[f])
            return false;
    return true;
}

/* Whose sequence space field f counts in, for a segment from src (-1:
 * unknown), or -1 for a plain number. */
static int field_space(int f, int src)
{
    if (src < 0 || (f != SEGF_SEQ && f != SEGF_ACK))
        return -1;
    return f == SEGF_SEQ ? src : (int)ep_peer((enum endpoint_id)src);
}

/* " seq=N ack=N ...": with seg, its fields as the transcript labels them
 * (seq; ack with ACK; len with data) and every field c names; without
 * seg, the values c wants from a segment sent by src (-1: unknown). */
static int fields_text(const struct seg_check *c, const struct ladder *l, const struct segment *seg, int src,
                       char *buf, size_t n)
{
    int k = 0;
    for (int f = 0; f < SEGF_COUNT && (size_t)k < n; f++) {
        bool shown = c->has[f];
        if (seg && f == SEGF_SEQ)
            shown = true;
        if (seg && f == SEGF_ACK && (seg->flags & TCP_ACK))
            shown = true;
        if (seg && f == SEGF_LEN && seg->len)
            shown = true;
        if (!shown)
            continue;
        uint32_t v = seg ? seg_field(seg, f) : c->want[f];
        char num[24];
        if (f == SEGF_MSS && v == 0)
            k += snprintf(buf + k, n - (size_t)k, _(" no MSS option"));
        else
            k += snprintf(buf + k, n - (size_t)k, " %s=%s", seg_fields[f].name,
                          expect_number(l, field_space(f, seg ? (int)seg->src : src), v, num, sizeof num));
    }
    return k;
}

void seg_check_describe(const struct seg_check *c, const struct ladder *l, const struct segment *seg, char *buf,
                        size_t n)
{
    char fl[TCP_FLAGS_STRLEN];
    int k = snprintf(buf, n, "#%" PRIu32 " %s", seg->id, tcp_flags_str(seg->flags, fl));
    if (k >= 0 && (size_t)k < n)
        fields_text(c, l, seg, -1, buf + k, n - (size_t)k);
}

/* "WHAT FLAGS seq=N ...": what the check wants of a segment from src (-1:
 * unknown), for its message. */
static void want_text(struct session *s, const char *what, const struct seg_check *c, int src, char *buf, size_t n)
{
    char fl[TCP_FLAGS_STRLEN];
    int k = snprintf(buf, n, "%s %s", what, tcp_flags_str(c->flags, fl));
    if (k >= 0 && (size_t)k < n)
        fields_text(c, &s->ladder, NULL, src, buf + k, n - (size_t)k);
}

/* Parse "DIR FLAGS [fields]" for command cmd ("expect last", ...). */
static int parse_dir_check(struct session *s, const char *cmd, int argc, char **argv, enum endpoint_id *src,
                           struct seg_check *c)
{
    char err[EXPECT_ERRLEN];
    if (argc < 2)
        return expect_malformed(s, "%s: usage: %s DIR " SEG_USAGE, cmd, cmd);
    if (arg_direction(argv[0], src, err))
        return expect_malformed(s, "%s: %s", cmd, err);
    if (seg_check_parse(c, &s->ladder, argv[1], argc - 2, argv + 2, err))
        return expect_malformed(s, "%s: %s", cmd, err);
    return 0;
}

static int check_segment(struct session *s, const char *what, const struct seg_check *c,
                         const struct segment *seg)
{
    char want[200], got[200];
    if (seg_check_match(c, seg))
        return 0;
    want_text(s, what, c, (int)seg->src, want, sizeof want);
    seg_check_describe(c, &s->ladder, seg, got, sizeof got);
    return expect_fail(s, want, got);
}

/* Segment #i + 1 of the history; the oldest ones may be forgotten (the
 * history keeps the last CHANNEL_KEEP_SEGMENTS): a search starts at first(). */
static const struct segment *at(const struct channel *ch, size_t i) { return channel_get(ch, (uint32_t)(i + 1)); }
static size_t first(const struct channel *ch, size_t i) { return i < ch->hist_first - 1 ? ch->hist_first - 1 : i; }

int expect_last(struct session *s, int argc, char **argv)
{
    enum endpoint_id src;
    struct seg_check c;
    if (parse_dir_check(s, "expect last", argc, argv, &src, &c))
        return -1;
    char what[64], want[200], got[64];
    snprintf(what, sizeof what, "last %.40s", argv[0]);
    const struct channel *ch = &s->sim.chan;
    for (size_t i = ch->hist_len; i-- > first(ch, 0);)
        if (at(ch, i)->src == src)
            return check_segment(s, what, &c, at(ch, i));
    want_text(s, what, &c, (int)src, want, sizeof want);
    snprintf(got, sizeof got, _("no segment %.40s"), argv[0]);
    return expect_fail(s, want, got);
}

int expect_id(struct session *s, int argc, char **argv)
{
    char err[EXPECT_ERRLEN], want[200], got[64];
    uint32_t id;
    struct seg_check c;
    if (arg_segid(argv[0], &id, err))
        return expect_malformed(s, "expect: %s", err);
    if (argc < 2)
        return expect_malformed(s, "expect %s: usage: expect #ID " SEG_USAGE, argv[0]);
    if (seg_check_parse(&c, &s->ladder, argv[1], argc - 2, argv + 2, err))
        return expect_malformed(s, "expect %s: %s", argv[0], err);
    const struct segment *seg = channel_get(&s->sim.chan, id);
    if (!seg) {
        want_text(s, argv[0], &c, -1, want, sizeof want);
        snprintf(got, sizeof got, _("no segment %s (%zu sent so far)"), argv[0], s->sim.chan.hist_len);
        return expect_fail(s, want, got);
    }
    return check_segment(s, argv[0], &c, seg);
}

int expect_next(struct session *s, int argc, char **argv)
{
    enum endpoint_id src;
    struct seg_check c;
    if (parse_dir_check(s, "expect next", argc, argv, &src, &c))
        return -1;
    char what[64], want[200], got[120];
    snprintf(what, sizeof what, "next %.40s", argv[0]);
    const struct channel *ch = &s->sim.chan;
    size_t i = first(ch, s->cursors.next_from[src]);
    while (i < ch->hist_len && at(ch, i)->src != src)
        i++;
    if (i == ch->hist_len) {
        want_text(s, what, &c, (int)src, want, sizeof want);
        snprintf(got, sizeof got, _("nothing more sent %.40s (expect next took every segment so far)"), argv[0]);
        return expect_fail(s, want, got);
    }
    if (check_segment(s, what, &c, at(ch, i)))
        return -1;
    s->cursors.next_from[src] = i + 1;
    s->cursors.none_from = ch->hist_len;
    return 0;
}

int expect_none(struct session *s, int argc, char **argv)
{
    char err[ARG_ERRLEN], want[120], got[200];
    enum endpoint_id src = EP_CLIENT;
    if (argc > 1)
        return expect_malformed(s, _("expect none: usage: expect none [DIR]"));
    if (argc == 1 && arg_direction(argv[0], &src, err))
        return expect_malformed(s, "expect none: %s", err);
    const struct channel *ch = &s->sim.chan;
    const struct segment *seen = NULL;
    size_t more = 0;
    for (size_t i = first(ch, s->cursors.none_from); i < ch->hist_len; i++) {
        if (argc == 1 && at(ch, i)->src != src)
            continue;
        if (seen)
            more++;
        else
            seen = at(ch, i);
    }
    if (!seen) {
        s->cursors.none_from = ch->hist_len;
        return 0;
    }
    struct seg_check all = { 0 };
    snprintf(want, sizeof want, _("nothing sent%s%.40s since the last expect next or expect none"),
             argc ? " " : "", argc ? argv[0] : "");
    seg_check_describe(&all, &s->ladder, seen, got, sizeof got);
    if (more) {
        size_t k = strlen(got);
        snprintf(got + k, sizeof got - k, _(" and %zu more"), more);
    }
    return expect_fail(s, want, got);
}

void expect_cursors_reset(struct session *s)
{
    for (int e = 0; e < EP_COUNT; e++)
        s->cursors.next_from[e] = 0;
    s->cursors.none_from = 0;
}

void expect_cursors_clamp(struct session *s)
{
    size_t n = s->sim.chan.hist_len;
    for (int e = 0; e < EP_COUNT; e++)
        if (s->cursors.next_from[e] > n)
            s->cursors.next_from[e] = n;
    if (s->cursors.none_from > n)
        s->cursors.none_from = n;
}
