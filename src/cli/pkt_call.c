/* pkt_call.c - the grammar of packetdrill's system calls and their
 * arguments (see pkt_parse.c for the whole grammar):
 *
 *   syscall  := ['...' ['+'] NUM] WORD '(' [expr {',' expr}] ')' '=' expr [WORD] ['(' note ')']
 *   expr     := primary {'|' primary}
 *   primary  := '...' | ['-'] INT | HEX | STRING ['...'] | WORD ['=' expr | '(' args ')']
 *             | '[' args ']' | '{' args '}'
 *
 * Arguments are kept as a tree; the runner reads the few it needs (the
 * length of a write, the option of a setsockopt) and ignores the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "render/i18n.h"
#include "cli/pkt.h"
#include "cli/pkt_parser.h"

/* --- system calls -------------------------------------------------------- */

void pkt_expr_free(struct pkt_expr *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++)
        pkt_expr_free(x->items[i]);
    free(x->items);
    free(x->text);
    free(x);
}

static struct pkt_expr *expr_new(struct parser *p, enum pkt_expr_kind kind, const struct pkt_token *at)
{
    struct pkt_expr *x = calloc(1, sizeof *x);
    if (!x)
        pp_fail(p, at, _("out of memory"));
    else {
        x->kind = kind;
        x->line = at->line;
        x->col = at->col;
    }
    return x;
}

static int expr_add(struct parser *p, struct pkt_expr *x, struct pkt_expr *item)
{
    struct pkt_expr **items = realloc(x->items, (x->n + 1) * sizeof *items);
    if (!items) {
        pkt_expr_free(item);
        return pp_fail(p, pp_peek(p), _("out of memory"));
    }
    x->items = items;
    x->items[x->n++] = item;
    return 0;
}

static struct pkt_expr *parse_expr(struct parser *p);

/* Comma-separated expressions up to the closing character. */
static int parse_args(struct parser *p, struct pkt_expr *x, char close)
{
    if (pp_punct(pp_peek(p), close)) {
        pp_next(p);
        return 0;
    }
    for (;;) {
        struct pkt_expr *item = parse_expr(p);
        if (!item || expr_add(p, x, item))
            return -1;
        if (pp_punct(pp_peek(p), ',')) {
            pp_next(p);
            continue;
        }
        char what[32];
        snprintf(what, sizeof what, _("or ',' in the list"));
        return pp_expect(p, close, what);
    }
}

static struct pkt_expr *parse_primary(struct parser *p)
{
    const struct pkt_token *k = pp_peek(p);
    char b[64];
    struct pkt_expr *x = NULL;
    if (k->type == PT_ELLIPSIS) {
        pp_next(p);
        return expr_new(p, PE_ELLIPSIS, k);
    }
    if (k->type == PT_INT || k->type == PT_HEX || (pp_punct(k, '-') && p->t[p->i + 1].type == PT_INT)) {
        bool neg = pp_punct(k, '-');
        if (neg)
            pp_next(p);
        const struct pkt_token *n = pp_next(p);
        if (strlen(n->text) > 18)
            return (pp_fail(p, n, _("number %.30s is too large"), n->text), NULL);
        x = expr_new(p, PE_INT, k);
        if (x)
            x->num = (neg ? -1 : 1) * (int64_t)strtoll(n->text, NULL, n->type == PT_HEX ? 16 : 10);
        return x;
    }
    if (k->type == PT_STRING) {
        x = expr_new(p, PE_STRING, k);
        if (!x || !(x->text = strdup(pp_next(p)->text)))
            return (pkt_expr_free(x), NULL);
        while (pp_peek(p)->type == PT_STRING || pp_peek(p)->type == PT_ELLIPSIS)
            pp_next(p);        /* "abc"... and "a" "b": the text is not used */
        return x;
    }
    if (k->type == PT_WORD) {
        pp_next(p);
        if (pp_punct(pp_peek(p), '=') || pp_punct(pp_peek(p), '(')) {
            bool call = pp_punct(pp_peek(p), '(');
            x = expr_new(p, call ? PE_CALL : PE_ASSIGN, k);
            if (!x || !(x->text = strdup(k->text)))
                return (pkt_expr_free(x), NULL);
            pp_next(p);
            if (call ? parse_args(p, x, ')') : 0)
                return (pkt_expr_free(x), NULL);
            if (!call) {
                struct pkt_expr *v = parse_expr(p);
                if (!v || expr_add(p, x, v))
                    return (pkt_expr_free(x), NULL);
            }
            return x;
        }
        x = expr_new(p, PE_WORD, k);
        if (x && !(x->text = strdup(k->text)))
            return (pkt_expr_free(x), NULL);
        return x;
    }
    if (pp_punct(k, '[') || pp_punct(k, '{')) {
        pp_next(p);
        x = expr_new(p, k->ch == '[' ? PE_LIST : PE_STRUCT, k);
        if (!x || parse_args(p, x, k->ch == '[' ? ']' : '}'))
            return (pkt_expr_free(x), NULL);
        return x;
    }
    pp_fail(p, k, _("expected an argument (a number, a word, \"text\", [..], {..} or ...), found %s"), pp_show(k, b, sizeof b));
    return NULL;
}

static struct pkt_expr *parse_expr(struct parser *p)
{
    struct pkt_expr *x = parse_primary(p);
    while (x && pp_punct(pp_peek(p), '|')) {
        const struct pkt_token *k = pp_next(p);
        struct pkt_expr *o = expr_new(p, PE_OR, k);
        struct pkt_expr *rhs = o ? parse_primary(p) : NULL;
        if (!o || !rhs || expr_add(p, o, x) || expr_add(p, o, rhs)) {
            if (o && o->n == 0)
                pkt_expr_free(x);
            pkt_expr_free(o);
            return NULL;
        }
        x = o;
    }
    return x;
}

int pp_syscall(struct parser *p, struct pkt_event *e)
{
    struct pkt_syscall *c = &e->call;
    char b[64];
    e->kind = PKT_SYSCALL;
    if (pp_peek(p)->type == PT_ELLIPSIS) {
        pp_next(p);
        if (pp_punct(pp_peek(p), '+'))
            pp_next(p);
        c->blocking = true;
        if (pp_seconds(p, &c->end_us))
            return -1;
    }
    const struct pkt_token *k = pp_peek(p);
    if (k->type != PT_WORD)
        return pp_fail(p, k, _("expected a packet (< or >), a system call, a `command` or %%{ %%} after the time, found %s"),
                    pp_show(k, b, sizeof b));
    if (!(c->name = strdup(k->text)))
        return pp_fail(p, k, _("out of memory"));
    e->line = k->line;
    e->col = k->col;
    pp_next(p);
    if (!pp_punct(pp_peek(p), '('))
        return pp_fail(p, pp_peek(p), _("expected '(' after %s: a system call is written name(args) = result"), k->text);
    pp_next(p);
    struct pkt_expr args = { .kind = PE_LIST };
    int rc = parse_args(p, &args, ')');
    c->args = args.items;
    c->nargs = args.n;
    if (rc)
        return -1;
    if (pp_expect(p, '=', _("and the result after the call: name(args) = result")))
        return -1;
    if (!(c->result = parse_expr(p)))
        return -1;
    if (pp_peek(p)->type == PT_WORD && pp_peek(p)->text[0] == 'E') {
        if (!(c->errno_name = strdup(pp_next(p)->text)))
            return pp_fail(p, k, _("out of memory"));
    }
    if (pp_punct(pp_peek(p), '(')) {      /* a note: (Operation now in progress), (flags O_RDWR) */
        const struct pkt_token *open = pp_next(p);
        while (!pp_punct(pp_peek(p), ')')) {
            if (pp_peek(p)->type == PT_EOF || pp_peek(p)->line != open->line)
                return pp_fail(p, open, _("note not closed: end it with ')' on the same line"));
            pp_next(p);
        }
        pp_next(p);
    }
    return 0;
}

