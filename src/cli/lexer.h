/* lexer.h - splits one command line into words.
 *
 * Words are separated by blanks; "double quotes" make one word with \" \\
 * \n \t escapes; `#` starts a comment unless a digit follows it (#3 is a
 * segment id).
 */
#ifndef TCPSIM_LEXER_H
#define TCPSIM_LEXER_H

#include <stddef.h>

#define LEX_MAX_WORDS 32

struct words {
    int argc;
    char *argv[LEX_MAX_WORDS + 1];
    char quoted[LEX_MAX_WORDS];     /* whether each word was quoted */
    char *buf;                      /* owns the words */
};

/* Returns 0, or -1 with *error set to a message naming the problem. */
int lex_line(const char *line, struct words *w, const char **error);
void lex_free(struct words *w);

#endif
