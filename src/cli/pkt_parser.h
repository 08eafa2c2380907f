/* pkt_parser.h - the parser's state and the token helpers that the
 * grammar's two files (pkt_parse.c, pkt_call.c) share.  Internal to them. */
#ifndef TCPSIM_PKT_PARSER_H
#define TCPSIM_PKT_PARSER_H

#include "cli/pkt.h"

struct parser {
    const struct pkt_token *t;
    size_t i;
    char *err;
    size_t errlen;
};

/* "LINE:COL: message" at a token into p->err; returns -1. */
int pp_fail(struct parser *p, const struct pkt_token *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const struct pkt_token *pp_peek(struct parser *p);
const struct pkt_token *pp_next(struct parser *p);
bool pp_punct(const struct pkt_token *k, char c);
bool pp_word(const struct pkt_token *k, const char *w);
/* A token as a message shows it: 'S', '(', end of file. */
const char *pp_show(const struct pkt_token *k, char *buf, size_t n);
int pp_expect(struct parser *p, char c, const char *what);
int pp_u32(struct parser *p, const char *what, uint32_t max, uint32_t *out);
/* "0.100" into microseconds, exactly. */
int pp_seconds(struct parser *p, int64_t *us);

int pp_syscall(struct parser *p, struct pkt_event *e);
void pkt_expr_free(struct pkt_expr *x);

#endif
