/* pkt_parse.c - the grammar of packetdrill scripts, read by recursive
 * descent over pkt_lex's tokens, one function per rule:
 *
 *   script   := { OPTION } { event | DIRECTIVE | BACKTICK } EOF
 *   event    := time action
 *   time     := ['+'] NUM ['~' ['+'] NUM] | '*'
 *   action   := packet | syscall | BACKTICK | CODE
 *   packet   := ('<' | '>') [INT '>' INT] flags INT ':' INT '(' INT ')'
 *               ['ack' INT] ['win' INT] ['urg' INT] ['<' (options | '...') '>']
 *   syscall  := ['...' ['+'] NUM] WORD '(' [expr {',' expr}] ')' '=' expr [WORD] ['(' note ')']
 *   expr     := primary {'|' primary}
 *   primary  := '...' | ['-'] INT | HEX | STRING ['...'] | WORD ['=' expr | '(' args ')']
 *             | '[' args ']' | '{' args '}'
 *
 * Semantic checks follow packetdrill's: '*' and ranges only on outbound
 * packets, <...> only on outbound packets, seq:end(len) consistent, and
 * times that never go backwards.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/i18n.h"
#include "cli/pkt.h"
#include "cli/pkt_parser.h"


int pp_fail(struct parser *p, const struct pkt_token *at, const char *fmt, ...)
{
    char msg[PKT_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "%d:%d: %s", at->line, at->col, msg);
    return -1;
}

const struct pkt_token *pp_peek(struct parser *p) { return &p->t[p->i]; }
const struct pkt_token *pp_next(struct parser *p)
{
    const struct pkt_token *k = &p->t[p->i];
    if (k->type != PT_EOF)
        p->i++;
    return k;
}
bool pp_punct(const struct pkt_token *k, char c) { return k->type == PT_PUNCT && k->ch == c; }
bool pp_word(const struct pkt_token *k, const char *w)
{
    return k->type == PT_WORD && strcmp(k->text, w) == 0;
}

/* What a token looks like in a message. */
const char *pp_show(const struct pkt_token *k, char *buf, size_t n)
{
    if (k->type == PT_PUNCT)
        snprintf(buf, n, "'%c'", k->ch);
    else if (k->text && (k->type == PT_WORD || k->type == PT_INT || k->type == PT_FLOAT || k->type == PT_HEX))
        snprintf(buf, n, "'%.40s'", k->text);
    else
        snprintf(buf, n, "%s", pkt_tok_name(k->type));
    return buf;
}

int pp_expect(struct parser *p, char c, const char *what)
{
    const struct pkt_token *k = pp_peek(p);
    char b[64];
    if (!pp_punct(k, c))
        return pp_fail(p, k, _("expected '%c' %s, found %s"), c, what, pp_show(k, b, sizeof b));
    pp_next(p);
    return 0;
}

int pp_u32(struct parser *p, const char *what, uint32_t max, uint32_t *out)
{
    const struct pkt_token *k = pp_peek(p);
    char b[64];
    if (k->type != PT_INT)
        return pp_fail(p, k, _("expected %s (a whole number), found %s"), what, pp_show(k, b, sizeof b));
    if (strlen(k->text) > 10 || strtoull(k->text, NULL, 10) > max)
        return pp_fail(p, k, _("%s %s is out of range (at most %u)"), what, k->text, max);
    *out = (uint32_t)strtoull(k->text, NULL, 10);
    pp_next(p);
    return 0;
}

/* --- times --------------------------------------------------------------- */

/* "0.100", "1", ".5" into microseconds, exactly (no floating point). */
int pp_seconds(struct parser *p, int64_t *us)
{
    const struct pkt_token *k = pp_peek(p);
    char b[64];
    if (k->type != PT_INT && k->type != PT_FLOAT)
        return pp_fail(p, k, _("expected a time in seconds (0.100, +0.1 or *), found %s"), pp_show(k, b, sizeof b));
    const char *s = k->text;
    int64_t whole = 0, frac = 0, scale = 100000;
    for (; *s && *s != '.'; s++) {
        if (whole > 100000000)
            return pp_fail(p, k, _("time %s is too large"), k->text);
        whole = whole * 10 + (*s - '0');
    }
    if (*s == '.')
        for (s++; *s; s++, scale /= 10)
            if (scale >= 1)
                frac += (*s - '0') * scale;
    *us = whole * 1000000 + frac;
    pp_next(p);
    return 0;
}

static int parse_time(struct parser *p, struct pkt_time *t)
{
    const struct pkt_token *k = pp_peek(p);
    memset(t, 0, sizeof *t);
    if (pp_punct(k, '*')) {
        pp_next(p);
        t->type = PKT_ANY;
        return 0;
    }
    bool rel = pp_punct(k, '+');
    if (rel)
        pp_next(p);
    if (pp_seconds(p, &t->us))
        return -1;
    t->type = rel ? PKT_REL : PKT_ABS;
    if (pp_punct(pp_peek(p), '~')) {
        pp_next(p);
        bool rel2 = pp_punct(pp_peek(p), '+');
        if (rel2 != rel)
            return pp_fail(p, pp_peek(p), rel ? _("a relative range is written +START~+END") : _("an absolute range is written START~END"));
        if (rel2)
            pp_next(p);
        if (pp_seconds(p, &t->end_us))
            return -1;
        if (t->end_us < t->us)
            return pp_fail(p, k, _("time range is backwards: the end comes before the start"));
        t->type = rel ? PKT_REL_RANGE : PKT_ABS_RANGE;
    }
    return 0;
}

/* --- packets ------------------------------------------------------------- */

static int parse_flags(struct parser *p, uint8_t *flags)
{
    const struct pkt_token *k = pp_peek(p);
    char b[64];
    *flags = 0;
    if (pp_punct(k, '-')) {
        pp_next(p);
        return 0;
    }
    if (k->type == PT_WORD) {
        for (const char *c = k->text; *c; c++) {
            switch (*c) {
            case 'S': *flags |= TCP_SYN; break;
            case 'F': *flags |= TCP_FIN; break;
            case 'R': *flags |= TCP_RST; break;
            case 'P': *flags |= TCP_PSH; break;
            case 'U': *flags |= TCP_URG; break;
            case 'E': case 'W':
                return pp_fail(p, k, _("flag %c (ECN) is not modelled by tcpsim; write S F R P U and . for ACK"), *c);
            default:
                return pp_fail(p, k, _("'%c' in '%.20s' is not a TCP flag: write S F R P U, and . for ACK"), *c, k->text);
            }
        }
        pp_next(p);
        k = pp_peek(p);
    } else if (!pp_punct(k, '.')) {
        return pp_fail(p, k, "expected TCP flags (S, S., ., P., F., R, R.), found %s", pp_show(k, b, sizeof b));
    }
    if (pp_punct(k, '.')) {
        *flags |= TCP_ACK;
        pp_next(p);
    }
    return 0;
}

static int parse_options(struct parser *p, struct pkt_packet *pk)
{
    char b[64];
    size_t o = 0;
    pp_next(p);        /* '<' */
    if (pp_peek(p)->type == PT_ELLIPSIS) {
        pp_next(p);
        pk->any_options = true;
        snprintf(pk->options, sizeof pk->options, "...");
        return pp_expect(p, '>', _("to close <...>"));
    }
    for (;;) {
        const struct pkt_token *k = pp_peek(p);
        uint32_t a = 0, c = 0;
        if (k->type != PT_WORD)
            return pp_fail(p, k, _("expected a TCP option (mss, sackOK, sack, TS, nop, wscale, eol), found %s"),
                        pp_show(k, b, sizeof b));
        const char *name = k->text;
        pp_next(p);
        int w = 0;
        if (strcmp(name, "mss") == 0) {
            if (pp_u32(p, "mss", 65535, &a))
                return -1;
            pk->mss = (int32_t)a;
            w = snprintf(pk->options + o, sizeof pk->options - o, "%smss %u", o ? "," : "", a);
        } else if (strcmp(name, "wscale") == 0) {
            if (pp_u32(p, "wscale", 255, &a))
                return -1;
            w = snprintf(pk->options + o, sizeof pk->options - o, "%swscale %u", o ? "," : "", a);
        } else if (strcmp(name, "sackOK") == 0 || strcmp(name, "nop") == 0 || strcmp(name, "eol") == 0) {
            w = snprintf(pk->options + o, sizeof pk->options - o, "%s%s", o ? "," : "", name);
        } else if (strcmp(name, "sack") == 0) {
            w = snprintf(pk->options + o, sizeof pk->options - o, "%ssack", o ? "," : "");
            int blocks = 0;
            while (pp_peek(p)->type == PT_INT) {
                if (pp_u32(p, _("SACK left edge"), UINT32_MAX, &a) || pp_expect(p, ':', _("in a SACK block")) ||
                    pp_u32(p, _("SACK right edge"), UINT32_MAX, &c))
                    return -1;
                blocks++;
            }
            if (!blocks)
                return pp_fail(p, pp_peek(p), _("sack needs blocks: sack 1:1001"));
        } else if (strcmp(name, "TS") == 0) {
            if (!pp_word(pp_peek(p), "val"))
                return pp_fail(p, pp_peek(p), "expected 'val' in TS val N ecr N");
            pp_next(p);
            if (pp_u32(p, "TS val", UINT32_MAX, &a))
                return -1;
            if (!pp_word(pp_peek(p), "ecr"))
                return pp_fail(p, pp_peek(p), "expected 'ecr' in TS val N ecr N");
            pp_next(p);
            if (pp_u32(p, "TS ecr", UINT32_MAX, &c))
                return -1;
            w = snprintf(pk->options + o, sizeof pk->options - o, "%sTS val %u ecr %u", o ? "," : "", a, c);
        } else if (strcmp(name, "md5") == 0 || strcmp(name, "FO") == 0 || strcmp(name, "FOEXP") == 0) {
            const struct pkt_token *v = pp_peek(p);
            if (v->type == PT_WORD || v->type == PT_INT || v->type == PT_HEX)
                pp_next(p);
            w = snprintf(pk->options + o, sizeof pk->options - o, "%s%s", o ? "," : "", name);
        } else {
            return pp_fail(p, k, _("unknown TCP option '%.30s' (tcpsim reads mss, wscale, sackOK, sack, TS, nop, eol, md5, FO)"),
                        name);
        }
        if (w > 0 && o + (size_t)w < sizeof pk->options)
            o += (size_t)w;
        if (pp_punct(pp_peek(p), ','))
            pp_next(p);
        else
            return pp_expect(p, '>', _("to close the option list (or ',' before the next option)"));
    }
}

static int parse_packet(struct parser *p, struct pkt_event *e)
{
    struct pkt_packet *pk = &e->pkt;
    char b[64];
    e->kind = PKT_PACKET;
    pk->inbound = pp_next(p)->ch == '<';
    pk->win = -1;
    pk->mss = -1;
    const struct pkt_token *k = pp_peek(p);
    if (k->type == PT_INT && pp_punct(&p->t[p->i + 1], '>')) {
        uint32_t sp, dp;
        if (pp_u32(p, _("source port"), 65535, &sp))
            return -1;
        pp_next(p);
        if (pp_u32(p, _("destination port"), 65535, &dp))
            return -1;
        pk->sport = (uint16_t)sp;
        pk->dport = (uint16_t)dp;
    } else if (k->type == PT_WORD && (strcmp(k->text, "udp") == 0 || strcmp(k->text, "icmp") == 0 ||
                                      strcmp(k->text, "ipv4") == 0 || strcmp(k->text, "ipv6") == 0)) {
        return pp_fail(p, k, _("%s packets are not modelled: tcpsim reads TCP packets"), k->text);
    }
    if (parse_flags(p, &pk->flags))
        return -1;
    const struct pkt_token *seq_at = pp_peek(p);
    if (seq_at->type != PT_INT)
        return pp_fail(p, seq_at, _("expected the sequence numbers START:END(LEN) after the flags, found %s"),
                    pp_show(seq_at, b, sizeof b));
    if (pp_u32(p, _("start sequence number"), UINT32_MAX, &pk->seq) || pp_expect(p, ':', _("in START:END(LEN)")) ||
        pp_u32(p, _("end sequence number"), UINT32_MAX, &pk->end) || pp_expect(p, '(', _("in START:END(LEN)")) ||
        pp_u32(p, _("payload length"), 65535, &pk->len) || pp_expect(p, ')', _("to close START:END(LEN)")))
        return -1;
    if (pk->end != pk->seq + pk->len)
        return pp_fail(p, seq_at, _("inconsistent %u:%u(%u): END must be START + LEN"), pk->seq, pk->end, pk->len);
    for (;;) {
        k = pp_peek(p);
        uint32_t v;
        if (pp_word(k, "ack")) {
            pp_next(p);
            if (pp_u32(p, "ack", UINT32_MAX, &pk->ack))
                return -1;
            pk->has_ack = true;
        } else if (pp_word(k, "win")) {
            pp_next(p);
            if (pp_u32(p, "win", 65535, &v))
                return -1;
            pk->win = (int32_t)v;
        } else if (pp_word(k, "urg")) {
            pp_next(p);
            if (pp_u32(p, "urg", 65535, &v))
                return -1;
        } else {
            break;
        }
    }
    if (pp_punct(k, '<')) {
        if (parse_options(p, pk))
            return -1;
        if (pk->any_options && pk->inbound)
            return pp_fail(p, k, _("<...> for TCP options can only be used with outbound packets"));
    }
    return 0;
}

/* --- events and the script ----------------------------------------------- */

static int add_event(struct parser *p, struct pkt_script *s, struct pkt_event **e)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        struct pkt_event *ev = realloc(s->ev, cap * sizeof *ev);
        if (!ev)
            return pp_fail(p, pp_peek(p), _("out of memory"));
        s->ev = ev;
        s->cap = cap;
    }
    *e = &s->ev[s->n++];
    memset(*e, 0, sizeof **e);
    return 0;
}

static int take_text(struct parser *p, struct pkt_event *e, enum pkt_kind kind)
{
    const struct pkt_token *k = pp_next(p);
    e->kind = kind;
    if (!(e->text = strdup(k->text)))
        return pp_fail(p, k, _("out of memory"));
    return 0;
}

static int parse_event(struct parser *p, struct pkt_script *s, int64_t *lower)
{
    const struct pkt_token *k = pp_peek(p);
    struct pkt_event *e = NULL;
    char b[64];
    if (add_event(p, s, &e))
        return -1;
    e->line = k->line;
    e->col = k->col;
    if (k->type == PT_DIRECTIVE || k->type == PT_BACKTICK) {    /* untimed: now */
        e->time.type = PKT_NONE;
        return take_text(p, e, k->type == PT_DIRECTIVE ? PKT_DIRECTIVE : PKT_SHELL);
    }
    if (parse_time(p, &e->time))
        return -1;
    const struct pkt_token *a = pp_peek(p);
    int rc;
    if (pp_punct(a, '<') || pp_punct(a, '>'))
        rc = parse_packet(p, e);
    else if (a->type == PT_BACKTICK)
        rc = take_text(p, e, PKT_SHELL);
    else if (a->type == PT_CODE)
        rc = take_text(p, e, PKT_CODE);
    else if (a->type == PT_WORD || a->type == PT_ELLIPSIS)
        rc = pp_syscall(p, e);
    else
        rc = pp_fail(p, a, _("expected a packet (< or >), a system call, a `command` or %%{ %%} after the time, found %s"),
                  pp_show(a, b, sizeof b));
    if (rc)
        return -1;
    bool outbound = e->kind == PKT_PACKET && !e->pkt.inbound;
    if (e->time.type == PKT_ANY && !outbound)
        return pp_fail(p, k, _("event time * can only be used with outbound packets (>)"));
    if ((e->time.type == PKT_ABS_RANGE || e->time.type == PKT_REL_RANGE) && !outbound)
        return pp_fail(p, k, _("a time range can only be used with outbound packets (>)"));
    /* Times never go backwards: `lower` is the earliest the previous event can have been. */
    char t1[32], t2[32];
    if ((e->time.type == PKT_ABS || e->time.type == PKT_ABS_RANGE) && e->time.us < *lower)
        return pp_fail(p, k, _("time %s goes backwards: the previous event is at %s or later"),
                    pkt_time_str(e->time.us, t1, sizeof t1), pkt_time_str(*lower, t2, sizeof t2));
    if (e->time.type == PKT_ABS || e->time.type == PKT_ABS_RANGE)
        *lower = e->time.us;
    else if (e->time.type == PKT_REL || e->time.type == PKT_REL_RANGE)
        *lower += e->time.us;
    /* START...END: END counts from the same origin as START. */
    if (e->kind == PKT_SYSCALL && e->call.blocking && e->call.end_us < e->time.us)
        return pp_fail(p, k, _("a blocking call's end %s comes before its start %s"),
                    pkt_time_str(e->call.end_us, t1, sizeof t1), pkt_time_str(e->time.us, t2, sizeof t2));
    return 0;
}

static void split_lines(const char *text, struct pkt_script *s)
{
    size_t n = 1;
    for (const char *c = text; *c; c++)
        n += *c == '\n';
    s->lines = calloc(n, sizeof *s->lines);
    if (!s->lines)
        return;
    const char *c = text;
    for (size_t i = 0; i < n; i++) {
        const char *e = strchr(c, '\n');
        size_t len = e ? (size_t)(e - c) : strlen(c);
        if (len && c[len - 1] == '\r')
            len--;
        s->lines[i] = strndup(c, len);
        s->nlines = i + 1;
        if (!e)
            break;
        c = e + 1;
    }
}

int pkt_parse(const char *text, const char *const *defines, size_t ndefines, struct pkt_script *out,
              char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->tolerance_us = 4000;
    split_lines(text, out);
    char *pre = pkt_preprocess(text, defines, ndefines, err, errlen);
    if (!pre)
        return -1;
    struct pkt_tokens toks;
    int rc = pkt_lex(pre, &toks, err, errlen);
    free(pre);
    if (rc)
        return -1;
    struct parser p = { .t = toks.tok, .err = err, .errlen = errlen };
    int64_t lower = 0;
    while (pp_peek(&p)->type == PT_OPTION) {
        const struct pkt_token *k = pp_next(&p);
        if (strncmp(k->text, "tolerance_usecs=", 16) == 0) {
            char *end;
            long v = strtol(k->text + 16, &end, 10);
            if (*end || v < 0 || v > 100000000) {
                rc = pp_fail(&p, k, _("--tolerance_usecs wants microseconds, e.g. --tolerance_usecs=10000"));
                goto done;
            }
            out->tolerance_us = v;
        }
    }
    while (pp_peek(&p)->type != PT_EOF) {
        if (pp_peek(&p)->type == PT_OPTION) {
            rc = pp_fail(&p, pp_peek(&p), _("options (--%s) go before the first event"), pp_peek(&p)->text);
            goto done;
        }
        if ((rc = parse_event(&p, out, &lower)) != 0)
            goto done;
    }
done:
    pkt_tokens_free(&toks);
    return rc;
}

void pkt_script_free(struct pkt_script *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct pkt_event *e = &s->ev[i];
        free(e->text);
        free(e->call.name);
        for (size_t j = 0; j < e->call.nargs; j++)
            pkt_expr_free(e->call.args[j]);
        free(e->call.args);
        pkt_expr_free(e->call.result);
        free(e->call.errno_name);
    }
    free(s->ev);
    for (size_t i = 0; i < s->nlines; i++)
        free(s->lines[i]);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

const char *pkt_flags_str(uint8_t flags, char *buf, size_t n)
{
    size_t o = 0;
    static const struct { uint8_t bit; char c; } order[] = {
        { TCP_SYN, 'S' }, { TCP_FIN, 'F' }, { TCP_RST, 'R' }, { TCP_PSH, 'P' }, { TCP_URG, 'U' },
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0] && o + 2 < n; i++)
        if (flags & order[i].bit)
            buf[o++] = order[i].c;
    if ((flags & TCP_ACK) && o + 2 < n)
        buf[o++] = '.';
    if (o == 0 && n > 1)
        buf[o++] = '-';
    buf[o] = '\0';
    return buf;
}

const char *pkt_time_str(int64_t us, char *buf, size_t n)
{
    if (us < 0)
        us = 0;
    if (us % 1000 == 0)         /* milliseconds, as tcpsim's clock counts */
        snprintf(buf, n, "%lld.%03lld", (long long)(us / 1000000), (long long)(us % 1000000 / 1000));
    else
        snprintf(buf, n, "%lld.%06lld", (long long)(us / 1000000), (long long)(us % 1000000));
    return buf;
}
