/* pkt_lex.c - packetdrill's notation into tokens, each with its line and
 * column; and the #ifdef preprocessor that runs before it.
 *
 * Comments are // to the end of the line and slash-star blocks; a comment
 * "// tcpsim: COMMAND" is a directive (settings tcpsim models that no
 * sysctl names; `save --packetdrill` writes them).  Backticks, %{ }% and
 * slash-star blocks may span lines.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render/i18n.h"
#include "cli/pkt.h"

static void fail_at(char *err, size_t errlen, int line, int col, const char *fmt, ...)
{
    char msg[PKT_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%d:%d: %s", line, col, msg);
}

const char *pkt_tok_name(enum pkt_tok t)
{
    static const char *const names[] = {
        N_("end of file"), N_("integer"), N_("number"), N_("hex number"), N_("word"), N_("string"),
        N_("backtick command"), N_("%{ }% block"), N_("option"), N_("tcpsim directive"), "'...'", N_("punctuation"),
    };
    return _(names[t]);
}

void pkt_tokens_free(struct pkt_tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->tok[i].text);
    free(t->tok);
    memset(t, 0, sizeof *t);
}

static int push(struct pkt_tokens *t, enum pkt_tok type, int line, int col, char ch, const char *text, size_t len)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct pkt_token *p = realloc(t->tok, cap * sizeof *p);
        if (!p)
            return -1;
        t->tok = p;
        t->cap = cap;
    }
    struct pkt_token *k = &t->tok[t->n];
    *k = (struct pkt_token){ .type = type, .line = line, .col = col, .ch = ch };
    if (text) {
        k->text = malloc(len + 1);
        if (!k->text)
            return -1;
        memcpy(k->text, text, len);
        k->text[len] = '\0';
    }
    t->n++;
    return 0;
}

static bool word_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool word_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

int pkt_lex(const char *text, struct pkt_tokens *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = text;
    int line = 1, col = 1;
#define ADVANCE(k)                                                          \
    do {                                                                    \
        size_t k_ = (size_t)(k);                                            \
        for (size_t i_ = 0; i_ < k_; i_++, p++) {                           \
            if (*p == '\n') { line++; col = 1; } else col++;                \
        }                                                                   \
    } while (0)
#define PUSH(type, ch, s, len)                                              \
    do {                                                                    \
        if (push(out, type, tl, tc, ch, s, len)) goto oom;                  \
    } while (0)
    while (*p) {
        int tl = line, tc = col;
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
            ADVANCE(1);
            continue;
        }
        if (c == '/' && p[1] == '/') {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            const char *body = p + 2;
            while (*body == ' ' || *body == '\t')
                body++;
            if (strncmp(body, "tcpsim:", 7) == 0) {
                const char *cmd = body + 7;
                while (*cmd == ' ' || *cmd == '\t')
                    cmd++;
                size_t len = (size_t)(p + n - cmd);
                while (len && (cmd[len - 1] == ' ' || cmd[len - 1] == '\r' || cmd[len - 1] == '\t'))
                    len--;
                PUSH(PT_DIRECTIVE, 0, cmd, len);
            }
            ADVANCE(n);
            continue;
        }
        if (c == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            if (!e) {
                fail_at(err, errlen, tl, tc, _("comment not closed: end it with */"));
                goto fail;
            }
            ADVANCE(e + 2 - p);
            continue;
        }
        if (c == '`' || (c == '%' && p[1] == '{')) {
            const char *close = c == '`' ? "`" : "}%";
            size_t open = c == '`' ? 1 : 2;
            const char *e = strstr(p + open, close);
            if (!e) {
                fail_at(err, errlen, tl, tc, _("%s not closed: end it with %s"),
                        c == '`' ? _("backtick command") : _("%{ block"), close);
                goto fail;
            }
            PUSH(c == '`' ? PT_BACKTICK : PT_CODE, 0, p + open, (size_t)(e - p - (ptrdiff_t)open));
            ADVANCE(e + strlen(close) - p);
            continue;
        }
        if (c == '"') {
            const char *e = p + 1;
            while (*e && *e != '"' && *e != '\n')
                e += (*e == '\\' && e[1]) ? 2 : 1;
            if (*e != '"') {
                fail_at(err, errlen, tl, tc, _("string not closed: end it with \" on the same line"));
                goto fail;
            }
            PUSH(PT_STRING, 0, p + 1, (size_t)(e - p - 1));
            ADVANCE(e + 1 - p);
            continue;
        }
        if (c == '-' && p[1] == '-' && word_start(p[2])) {
            size_t n = 2;
            while (p[n] && !isspace((unsigned char)p[n]))
                n++;
            PUSH(PT_OPTION, 0, p + 2, n - 2);
            ADVANCE(n);
            continue;
        }
        if (c == '.' && p[1] == '.' && p[2] == '.') {
            PUSH(PT_ELLIPSIS, 0, NULL, 0);
            ADVANCE(3);
            continue;
        }
        if (c == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
            size_t n = 2;
            while (isxdigit((unsigned char)p[n]))
                n++;
            PUSH(PT_HEX, 0, p, n);
            ADVANCE(n);
            continue;
        }
        if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)p[1]))) {
            size_t n = 0;
            bool dot = false;
            while (isdigit((unsigned char)p[n]) || (p[n] == '.' && !dot && p[n + 1] != '.')) {
                dot |= p[n] == '.';
                n++;
            }
            if (word_char(p[n])) {
                fail_at(err, errlen, tl, tc, _("'%.*s' is neither a number nor a word"), (int)(n + 1), p);
                goto fail;
            }
            PUSH(dot ? PT_FLOAT : PT_INT, 0, p, n);
            ADVANCE(n);
            continue;
        }
        if (word_start(c)) {
            size_t n = 1;
            while (word_char(p[n]))
                n++;
            PUSH(PT_WORD, 0, p, n);
            ADVANCE(n);
            continue;
        }
        if (strchr("+*~<>:()[]{},=|.-;", c)) {
            PUSH(PT_PUNCT, c, NULL, 0);
            ADVANCE(1);
            continue;
        }
        if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
            fail_at(err, errlen, tl, tc, _("unexpected byte 0x%02x: scripts are ASCII text"), (unsigned char)c);
        else
            fail_at(err, errlen, tl, tc, _("unexpected character '%c'"), c);
        goto fail;
    }
    if (push(out, PT_EOF, line, col, 0, NULL, 0))
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, _("%d:%d: out of memory"), line, col);
fail:
    pkt_tokens_free(out);
    return -1;
#undef ADVANCE
#undef PUSH
}

/* --- the preprocessor ---------------------------------------------------- */

static bool defined(const char *name, size_t len, const char *const *defines, size_t ndefines)
{
    for (size_t i = 0; i < ndefines; i++)
        if (strlen(defines[i]) == len && strncmp(defines[i], name, len) == 0)
            return true;
    return false;
}

#define PP_DEPTH 16

char *pkt_preprocess(const char *text, const char *const *defines, size_t ndefines, char *err, size_t errlen)
{
    size_t n = strlen(text);
    char *out = malloc(n + 1);
    if (!out) {
        snprintf(err, errlen, _("1:1: out of memory"));
        return NULL;
    }
    memcpy(out, text, n + 1);
    /* For each open #if: whether its branch is kept, whether an #else was seen, its line. */
    bool keep[PP_DEPTH + 1] = { true }, seen_else[PP_DEPTH + 1] = { false };
    int open_line[PP_DEPTH + 1] = { 0 };
    int depth = 0, line = 1;
    char *p = out;
    while (*p) {
        char *eol = strchr(p, '\n');
        char *end = eol ? eol : p + strlen(p);
        char *q = p;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        bool directive = q < end && *q == '#';
        bool was_kept = keep[depth];
        if (directive) {
            char *w = q + 1;
            while (w < end && (*w == ' ' || *w == '\t'))
                w++;
            char *we = w;
            while (we < end && word_char(*we))
                we++;
            size_t wl = (size_t)(we - w);
            char *name = we;
            while (name < end && (*name == ' ' || *name == '\t'))
                name++;
            char *ne = name;
            while (ne < end && word_char(*ne))
                ne++;
            int col = (int)(q - p) + 1;
            if ((wl == 5 && strncmp(w, "ifdef", 5) == 0) || (wl == 6 && strncmp(w, "ifndef", 6) == 0)) {
                if (ne == name) {
                    fail_at(err, errlen, line, col, _("#%.*s needs a name, e.g. #ifdef LINUX"), (int)wl, w);
                    goto fail;
                }
                if (depth == PP_DEPTH) {
                    fail_at(err, errlen, line, col, _("#ifdef nested deeper than %d"), PP_DEPTH);
                    goto fail;
                }
                bool d = defined(name, (size_t)(ne - name), defines, ndefines);
                depth++;
                keep[depth] = keep[depth - 1] && (wl == 5 ? d : !d);
                seen_else[depth] = false;
                open_line[depth] = line;
            } else if (wl == 4 && strncmp(w, "else", 4) == 0) {
                if (depth == 0 || seen_else[depth]) {
                    fail_at(err, errlen, line, col, depth ? _("a second #else for the #ifdef of line %d")
                                                          : _("#else without #ifdef"), open_line[depth]);
                    goto fail;
                }
                seen_else[depth] = true;
                bool taken = keep[depth];
                keep[depth] = keep[depth - 1] && !taken;
            } else if (wl == 5 && strncmp(w, "endif", 5) == 0) {
                if (depth == 0) {
                    fail_at(err, errlen, line, col, _("#endif without #ifdef"));
                    goto fail;
                }
                depth--;
            } else {
                fail_at(err, errlen, line, col, _("unknown preprocessor line '#%.*s': tcpsim reads #ifdef, #ifndef, "
                                                "#else and #endif (comments are // or /* */)"), (int)(wl ? wl : 1), w);
                goto fail;
            }
        }
        if (directive || !was_kept)
            for (char *b = p; b < end; b++)
                *b = ' ';
        line++;
        p = eol ? eol + 1 : end;
    }
    if (depth > 0) {
        fail_at(err, errlen, open_line[depth], 1, _("#ifdef without #endif"));
        goto fail;
    }
    return out;
fail:
    free(out);
    return NULL;
}
