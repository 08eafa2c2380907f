/* compare.c - `tcpsim --compare A,B FILE`: one scenario under two
 * profiles, side by side, aligned like `diff -y`.
 *
 * Each run is a fresh, silent session whose events become rows: a
 * segment put on the wire ("s FIN,ACK seq=1 ack=2") or a state change
 * ("s CLOSE-WAIT"), with its time.  Numbers are relative to each side's
 * ISN, as Wireshark shows them, so that runs with different ISNs line up.
 * The two lists are aligned on their longest common subsequence of rows
 * (time aside); a row in both at different times is marked '|', a row in
 * one only '<' or '>'.  `set profile` lines in the file are ignored: the
 * profiles compared are the ones named.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/compare.h"
#include "cli/session.h"
#include "render/i18n.h"
#include "render/text.h"

#define ROW_TEXT 40
#define MAX_ROWS 1000                 /* the alignment takes MAX_ROWS^2 x 2 bytes */
#define HALF 38                     /* (80 - 3) / 2: each side, a mark between */

struct row {
    uint64_t t;
    char text[ROW_TEXT];            /* "c #SYN seq=0", without the time */
};

struct run {
    struct row *rows;
    size_t n;
    bool truncated;
    bool has_iss[EP_COUNT];
    seq_t iss[EP_COUNT];
    uint32_t window;
};

static void add(struct run *r, uint64_t t, const char *text)
{
    if (r->n == MAX_ROWS) {
        r->truncated = true;
        return;
    }
    r->rows[r->n].t = t;
    snprintf(r->rows[r->n].text, ROW_TEXT, "%.*s", ROW_TEXT - 1, text);
    r->n++;
}

static void watch(void *ctx, const struct event *ev)
{
    struct run *r = ctx;
    char buf[96], flags[TCP_FLAGS_STRLEN];
    if (ev->type == EV_STATE && ev->port == 0) {
        snprintf(buf, sizeof buf, "%c %s", ep_name(ev->ep)[0], tcp_state_name(ev->to));
        add(r, ev->t, buf);
        return;
    }
    if (ev->type != EV_SEND)
        return;
    const struct segment *g = ev->seg;
    enum endpoint_id dst = ep_peer(g->src);
    if ((g->flags & TCP_SYN) && g->origin == ORIGIN_TCB) {
        r->has_iss[g->src] = true;
        r->iss[g->src] = g->seq;
    }
    seq_t seq = g->seq - (r->has_iss[g->src] ? r->iss[g->src] : 0);
    seq_t ack = g->ack - (r->has_iss[dst] ? r->iss[dst] : 0);
    int k = snprintf(buf, sizeof buf, "%c %s seq=%" PRIu32, ep_name(g->src)[0], tcp_flags_str(g->flags, flags), seq);
    if (g->flags & TCP_ACK)
        k += snprintf(buf + k, sizeof buf - (size_t)k, " ack=%" PRIu32, ack);
    if (g->len)
        k += snprintf(buf + k, sizeof buf - (size_t)k, " len=%" PRIu32, g->len);
    if (!(g->flags & TCP_RST) && g->wnd != r->window)
        k += snprintf(buf + k, sizeof buf - (size_t)k, " win=%u", (unsigned)g->wnd);
    if (g->retransmit)
        snprintf(buf + k, sizeof buf - (size_t)k, " rtx");
    else if (g->origin != ORIGIN_TCB)
        snprintf(buf + k, sizeof buf - (size_t)k, " (%s)", g->origin == ORIGIN_INJECT ? _("injected") : _("copy"));
    add(r, ev->t, buf);
}

static int run_under(const struct sim_config *cfg0, const struct profile *p, const char *path, struct run *r)
{
    FILE *in = session_open(path);
    if (!in)
        return -1;
    FILE *devnull = fopen("/dev/null", "w");
    if (!devnull) {
        fclose(in);
        return -1;
    }
    struct sim_config cfg = *cfg0;
    profile_apply(p, &cfg);
    r->window = cfg.window;
    struct session s;
    session_init(&s, &cfg, devnull, devnull);
    s.quiet = true;
    s.keep_going = true;            /* an expectation of one profile may not hold in the other */
    s.sandboxed = true;
    s.profile_pinned = true;
    s.observer = watch;
    s.observer_ctx = r;
    session_run_stream(&s, in, path);
    fclose(in);
    session_free(&s);
    fclose(devnull);
    return 0;
}

static void side(char *buf, const struct row *row)
{
    char text[64];
    if (!row) {
        buf[0] = '\0';
        return;
    }
    snprintf(text, sizeof text, "%6" PRIu64 " %s", row->t, row->text);
    snprintf(buf, HALF + 1, "%.*s", HALF, text);
}

static void line(FILE *out, const struct row *a, const struct row *b, char mark)
{
    char l[HALF + 1], r[HALF + 1];
    side(l, a);
    side(r, b);
    if (b)
        fprintf(out, "%-*s %c %s\n", HALF, l, mark, r);
    else
        fprintf(out, "%-*s %c\n", HALF, l, mark);
}

/* Align a and b on their longest common subsequence of row texts. */
static int align(FILE *out, const struct run *a, const struct run *b, size_t *differ)
{
    size_t n = a->n, m = b->n;
    uint16_t *L = calloc((n + 1) * (m + 1), sizeof *L);
    if (!L)
        return -1;
#define AT(i, j) L[(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            AT(i, j) = strcmp(a->rows[i].text, b->rows[j].text) == 0 ? (uint16_t)(AT(i + 1, j + 1) + 1)
                       : AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
    size_t i = 0, j = 0;
    *differ = 0;
    while (i < n || j < m) {
        if (i < n && j < m && strcmp(a->rows[i].text, b->rows[j].text) == 0) {
            bool same_t = a->rows[i].t == b->rows[j].t;
            line(out, &a->rows[i], &b->rows[j], same_t ? ' ' : '|');
            *differ += !same_t;
            i++, j++;
        } else if (j == m || (i < n && AT(i + 1, j) >= AT(i, j + 1))) {
            line(out, &a->rows[i++], NULL, '<');
            (*differ)++;
        } else {
            line(out, NULL, &b->rows[j++], '>');
            (*differ)++;
        }
    }
#undef AT
    free(L);
    return 0;
}

int compare_profiles(const struct sim_config *cfg, const char *list, const char *path, FILE *out)
{
    char names[64];
    snprintf(names, sizeof names, "%s", list);
    char *comma = strchr(names, ',');
    const char *na = comma ? names : "rfc9293", *nb = comma ? comma + 1 : names;
    if (comma)
        *comma = '\0';
    const struct profile *pa = profile_find(na), *pb = profile_find(nb);
    if (!pa || !pb || (comma && strchr(comma + 1, ','))) {
        fprintf(stderr, _("tcpsim: bad --compare '%s': write two profiles, e.g. --compare rfc9293,linux "
                          "(profiles: %s)\n"), list, profile_names());
        return 2;
    }
    struct run a = { .rows = malloc(MAX_ROWS * sizeof *a.rows) }, b = { .rows = malloc(MAX_ROWS * sizeof *b.rows) };
    int rc = 0;
    size_t differ = 0;
    if (!a.rows || !b.rows) {
        fputs(_("tcpsim: out of memory\n"), stderr);
        rc = 2;
    } else if (run_under(cfg, pa, path, &a) != 0 || run_under(cfg, pb, path, &b) != 0) {
        fprintf(stderr, _("tcpsim: cannot read %s: %s\n"), path, i18n_strerror(errno));
        rc = 2;
    } else {
        char ha[HALF + 1], hb[HALF + 1];
        snprintf(ha, sizeof ha, _("  time %s"), pa->name);
        snprintf(hb, sizeof hb, _("  time %s"), pb->name);
        fprintf(out, "%s%*s   %s\n", ha, HALF - text_width(ha) > 0 ? HALF - text_width(ha) : 0, "", hb);
        if (align(out, &a, &b, &differ) != 0) {
            fputs(_("tcpsim: out of memory\n"), stderr);
            rc = 2;
        } else {
            if (a.truncated || b.truncated)
                fprintf(out, _("(only the first %d rows of each run)\n"), MAX_ROWS);
            fprintf(out, ngettext("%zu row differs (%s %zu rows, %s %zu rows)\n",
                                 "%zu rows differ (%s %zu rows, %s %zu rows)\n", differ),
                    differ, pa->name, a.n, pb->name, b.n);
        }
    }
    free(a.rows);
    free(b.rows);
    return rc;
}
