/* lexer.c - command lines into words: blanks, quotes, comments. */
#include <stdlib.h>
#include <string.h>

#include "cli/lexer.h"
#include "render/i18n.h"

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

int lex_line(const char *line, struct words *w, const char **error)
{
    size_t n = strlen(line);
    memset(w, 0, sizeof *w);
    w->buf = malloc(n + 1);
    if (!w->buf) {
        *error = N_("out of memory");
        return -1;
    }
    char *o = w->buf;
    const char *p = line;
    for (;;) {
        while (is_blank(*p))
            p++;
        if (!*p || (*p == '#' && !(p[1] >= '0' && p[1] <= '9')))
            break;
        if (w->argc == LEX_MAX_WORDS) {
            *error = N_("too many words on one line (at most 32)");
            lex_free(w);
            return -1;
        }
        w->argv[w->argc] = o;
        w->quoted[w->argc] = *p == '"';
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) {
                    p++;
                    *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
                    p++;
                } else {
                    *o++ = *p++;
                }
            }
            if (*p != '"') {
                *error = N_("unterminated string: close it with \"");
                lex_free(w);
                return -1;
            }
            p++;
            if (*p && !is_blank(*p)) {
                *error = N_("a quoted string must be followed by a blank");
                lex_free(w);
                return -1;
            }
        } else {
            while (*p && !is_blank(*p))
                *o++ = *p++;
        }
        *o++ = '\0';
        w->argc++;
    }
    w->argv[w->argc] = NULL;
    return 0;
}

void lex_free(struct words *w)
{
    free(w->buf);
    w->buf = NULL;
    w->argc = 0;
}
