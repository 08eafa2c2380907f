/* svg.c - draws a timeline as the textbooks draw a TCP session: the
 * client's timeline on the left, the server's on the right, time going
 * down to scale, each segment a slanted arrow from its send time to its
 * arrival (so crossing segments cross), a lost one ending in an X half-way.
 *
 * The scale makes the shortest flight 60 px tall.  A stretch longer than
 * ten flights in which nothing is on the wire (a retransmission timeout,
 * 2 x MSL) is drawn as a break of fixed height with its length written in
 * it.  Text beside a timeline that would overlap the text above it moves
 * down, with a tick at its true time.  Everything is written in a fixed
 * order with fixed precision, so a seed always gives the same file.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/i18n.h"
#include "render/svg.h"

#define TOP 86.0            /* y of time 0 */
#define TIME_X 64.0         /* right edge of the times */
#define CX 250.0            /* the client's timeline */
#define SX 690.0            /* the server's */
#define SIDE 230.0          /* room for text beside a timeline */
#define CAPTION_W 280.0
#define LINE_H 14.0
#define BREAK_H 44.0
#define FLIGHT_PX 60.0      /* the shortest flight */
#define ZERO_PX 16.0        /* a flight of no time at all */
#define CRAFT_PX 28.0       /* an injected segment starts this far from the timeline */
#define WRAP 34             /* characters of a note per line */
#define PI 3.14159265358979323846

/* Where things go down the page.  Each step (an event) has its y; time
 * runs at `scale` between distinct times, except across a break.  Two
 * steps at the same time share a y, but a segment delivered in the very
 * millisecond it was sent (deliver #ID) arrives ZERO_PX lower, so that
 * it still reads as an arrow from its sender to its receiver. */
struct brk {
    double y0, y1;          /* the gap in the timelines */
    uint64_t ms;            /* how long nothing happened */
};

struct layout {
    double *ys;             /* ys[k]: step k */
    uint64_t *t;            /* distinct times, ascending... */
    double *y_first, *y_last;   /* ...the y of their first and last step */
    size_t n;
    struct brk *brk;
    size_t n_brk;
    double scale;           /* px per ms */
    double bottom;
};

void svg_escape(FILE *f, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        unsigned char c = *p;
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0;
        for (int i = 1; ok && i < len; i++)
            ok = (p[i] & 0xc0) == 0x80;
        if (!ok || (c < 32 && c != '\t') || c == 127) {
            fputs("\xef\xbf\xbd", f);       /* U+FFFD */
            p++;
            continue;
        }
        if (c == '&')
            fputs("&amp;", f);
        else if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '"')
            fputs("&quot;", f);
        else
            fwrite(p, 1, (size_t)len, f);
        p += len;
    }
}

/* The y of any time: from the last step at or before it, at scale. */
static double y_of(const struct layout *L, uint64_t t)
{
    if (L->n == 0 || t < L->t[0])
        return TOP;
    size_t lo = 0, hi = L->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (L->t[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return L->y_last[lo] + (double)(t - L->t[lo]) * L->scale;
}

static const char *fmt_ms(uint64_t ms, char *buf, size_t n)
{
    if (ms >= 60000 && ms % 60000 == 0)
        snprintf(buf, n, "%" PRIu64 " min", ms / 60000);
    else if (ms >= 1000 && ms % 1000 == 0)
        snprintf(buf, n, "%" PRIu64 " s", ms / 1000);
    else
        snprintf(buf, n, "%" PRIu64 " ms", ms);
    return buf;
}

/* Each step's y, the scale and the breaks.  Returns false when memory
 * runs out. */
static bool lay_out(struct layout *L, const struct timeline *tl, const struct sim_config *cfg)
{
    size_t n = tl->n_steps + 1;
    L->ys = malloc(n * sizeof *L->ys);
    L->t = malloc(n * sizeof *L->t);
    L->y_first = malloc(n * sizeof *L->y_first);
    L->y_last = malloc(n * sizeof *L->y_last);
    L->brk = malloc(n * sizeof *L->brk);
    if (!L->ys || !L->t || !L->y_first || !L->y_last || !L->brk)
        return false;
    uint64_t flight = tl->latency_ms ? tl->latency_ms : cfg->latency_ms ? cfg->latency_ms : 50;
    L->scale = FLIGHT_PX / (double)flight;
    if (L->scale > 4.0)
        L->scale = 4.0;
    /* Time 0 is the top, whether or not anything happened then. */
    L->t[0] = 0;
    L->y_first[0] = L->y_last[0] = TOP;
    L->n = 1;
    /* A gap is a break when it is long and nothing is on the wire across
     * it: steps come in time order, so one walk keeps `reach`, the latest
     * end of every segment sent so far. */
    uint64_t reach = 0;
    for (size_t k = 0; k < tl->n_steps; k++) {
        const struct tl_step *st = &tl->steps[k];
        size_t i = L->n - 1;
        double y = L->y_last[i];
        if (st->t > L->t[i]) {
            uint64_t gap = st->t - L->t[i];
            if (reach < st->t && gap > 10 * flight) {
                uint64_t from = reach > L->t[i] ? reach : L->t[i];
                struct brk *b = &L->brk[L->n_brk++];
                b->y0 = y + (double)(from - L->t[i]) * L->scale;
                b->y1 = b->y0 + BREAK_H;
                b->ms = st->t - from;
                y = b->y1;
            } else {
                y += (double)gap * L->scale;
            }
            L->t[L->n] = st->t;
            L->y_first[L->n] = y;
            i = L->n++;
        } else if (st->kind == TL_STEP_ARRIVE && tl->segs[st->seg].sent == st->t) {
            y += ZERO_PX;
        }
        L->ys[k] = L->y_last[i] = y;
        if (st->kind == TL_STEP_SEND && tl->segs[st->seg].end > reach)
            reach = tl->segs[st->seg].end;
    }
    L->bottom = L->y_last[L->n - 1] + 40.0;
    for (size_t i = 0; i < tl->n_segs; i++) {      /* still in flight, or an X after the last step */
        double y = y_of(L, tl->segs[i].end) + 40.0;
        if (y > L->bottom)
            L->bottom = y;
    }
    return true;
}

static void free_layout(struct layout *L)
{
    free(L->ys);
    free(L->t);
    free(L->y_first);
    free(L->y_last);
    free(L->brk);
}

/* The two timelines, interrupted by the breaks, and the times beside them. */
static void draw_axes(FILE *f, const struct layout *L, const struct sim_config *cfg)
{
    char buf[32];
    fprintf(f, "<g id=\"axes\">\n");
    fprintf(f, "<text x=\"%.1f\" y=\"44\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">ms</text>\n", TIME_X);
    for (int ep = 0; ep < EP_COUNT; ep++) {
        double x = ep == EP_CLIENT ? CX : SX;
        fprintf(f, "<text x=\"%.1f\" y=\"40\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" "
                   "fill=\"%s\">%s</text>\n", x, ep == EP_CLIENT ? SVG_CLIENT_COLOR : SVG_SERVER_COLOR,
                ep_name((enum endpoint_id)ep));
        char port[64];
        snprintf(port, sizeof port, _("port %u"), (unsigned)cfg->port[ep]);
        fprintf(f, "<text x=\"%.1f\" y=\"58\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">", x);
        svg_escape(f, port);
        fprintf(f, "</text>\n");
        double from = TOP - 12.0;
        for (size_t i = 0; i < L->n_brk; i++) {
            const struct brk *b = &L->brk[i];
            fprintf(f, "<line class=\"timeline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" "
                       "stroke-width=\"2\"/>\n", x, from, x, b->y0 + 8.0);
            fprintf(f, "<path d=\"M%.1f %.1f l-6 5 l12 5 l-12 5 l12 5 l-6 3\" fill=\"none\" stroke=\"#222\"/>\n",
                    x, b->y0 + 8.0);
            from = b->y1 - 8.0;
        }
        fprintf(f, "<line class=\"timeline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" "
                   "stroke-width=\"2\"/>\n", x, from, x, L->bottom);
    }
    for (size_t i = 0; i < L->n_brk; i++) {
        char text[128];
        snprintf(text, sizeof text, _("(%s pass, nothing on the wire)"), fmt_ms(L->brk[i].ms, buf, sizeof buf));
        fprintf(f, "<text class=\"break\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                   "font-style=\"italic\" fill=\"#444\">", (CX + SX) / 2, (L->brk[i].y0 + L->brk[i].y1) / 2 + 4);
        svg_escape(f, text);
        fprintf(f, "</text>\n");
    }
    double last = -100.0;
    for (size_t i = 0; i < L->n; i++) {
        if (L->y_first[i] - last < 12.0)
            continue;
        last = L->y_first[i];
        fprintf(f, "<text class=\"time\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\" "
                   "fill=\"#555\">%" PRIu64 "</text>\n", TIME_X, L->y_first[i] + 4, L->t[i]);
    }
    fprintf(f, "</g>\n");
}

static const char *fate_name(enum tl_fate f)
{
    switch (f) {
    case TL_IN_FLIGHT: return "in-flight";
    case TL_ARRIVED: return "arrived";
    case TL_DROPPED: return "dropped";
    case TL_LOST: return "lost";
    }
    return "";
}

/* One segment: a slanted arrow, its label along it near the sender; the
 * k-th of several sent by one side at one moment has its label stacked
 * beyond the one before, so that labels of arrows on top of each other do
 * not overlap. */
static void draw_segment(FILE *f, const struct layout *L, const struct timeline *tl, const struct tl_seg *s, int k)
{
    bool c2s = s->src == EP_CLIENT, injected = s->origin == ORIGIN_INJECT;
    double x1 = c2s ? CX : SX, x2 = c2s ? SX : CX;
    double y1 = L->ys[s->step_send], y2 = s->fate == TL_ARRIVED ? L->ys[s->step_end] : y_of(L, s->end);
    bool lost = s->fate == TL_DROPPED || s->fate == TL_LOST;
    if (lost)
        x2 = (CX + SX) / 2;
    if (injected)       /* the network's or an attacker's, not the endpoint's (as the transcript draws it) */
        x1 += c2s ? CRAFT_PX : -CRAFT_PX;
    const char *color = s->origin != ORIGIN_TCB ? "#444" : c2s ? SVG_CLIENT_COLOR : SVG_SERVER_COLOR;
    const char *dash = s->origin != ORIGIN_TCB ? "9 3 2 3" : s->retransmit ? "2 3" :
                       s->fate == TL_IN_FLIGHT ? "6 4" : NULL;
    fprintf(f, "<g class=\"seg %s%s%s\" id=\"seg-%" PRIu32 "\" data-seg=\"%" PRIu32 "\" data-src=\"%s\" "
               "data-sent=\"%" PRIu64 "\" data-end=\"%" PRIu64 "\" data-fate=\"%s\" data-step=\"%zu\" "
               "data-step-end=\"%zu\">\n",
            c2s ? "c2s" : "s2c", s->retransmit ? " rtx" : "",
            injected ? " crafted injected" : s->origin != ORIGIN_TCB ? " crafted" : "", s->id, s->id,
            ep_name(s->src), s->sent, s->end, fate_name(s->fate), s->step_send, s->step_end);
    fprintf(f, "<title>");
    char label[TL_LABEL], mark[TL_LABEL];
    timeline_seg_label(tl, s, label, sizeof label);
    timeline_seg_mark(s, mark, sizeof mark);
    svg_escape(f, s->why ? _(s->why) : label);
    fprintf(f, "</title>\n");
    fprintf(f, "<line class=\"halo\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ffd23f\" "
               "stroke-width=\"10\" stroke-linecap=\"round\" visibility=\"hidden\"/>\n", x1, y1, x2, y2);
    fprintf(f, "<line class=\"shaft\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.6\"",
            x1, y1, x2, y2, color);
    if (dash)
        fprintf(f, " stroke-dasharray=\"%s\"", dash);
    if (!lost)
        fprintf(f, " marker-end=\"url(#head-%s)\"", s->origin != ORIGIN_TCB ? "crafted" : c2s ? "client" : "server");
    fprintf(f, "/>\n");
    if (lost)
        fprintf(f, "<path class=\"lost\" d=\"M%.1f %.1fl14 14m0 -14l-14 14\" stroke=\"#c00\" stroke-width=\"2.4\"/>\n",
                x2 - 7, y2 - 7);
    if (injected)       /* where it came from: a small diamond */
        fprintf(f, "<path class=\"origin\" d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"#fff\" stroke=\"#444\"/>\n",
                x1, y1 - 5);
    double dx = x2 - x1, dy = y2 - y1;
    double len = sqrt(dx * dx + dy * dy);
    double angle = atan2(c2s ? dy : -dy, c2s ? dx : -dx) * 180.0 / PI;
    /* Several sent at once: their labels stack away from the arrow, four
     * deep, then start further along. */
    double along = 22.0 + 210.0 * (k / 4 % 2);
    double off = c2s ? -5.0 - 13.0 * (k % 4) : 13.0 + 13.0 * (k % 4);
    double u = len > along ? along / len : 0;
    double px = x1 + dx * u, py = y1 + dy * u;
    /* The client's labels above their arrows, the server's below theirs:
     * where two arrows cross, their labels stay on either side. */
    fprintf(f, "<text class=\"label\" transform=\"translate(%.1f %.1f) rotate(%.2f)\" y=\"%.0f\" font-size=\"11.5\" "
               "text-anchor=\"%s\" fill=\"#111\">", px, py, angle, off, c2s ? "start" : "end");
    svg_escape(f, label);
    if (mark[0]) {
        fputs(" <tspan font-style=\"italic\">(", f);
        svg_escape(f, mark);
        fputs(")</tspan>", f);
    }
    if (s->fate == TL_IN_FLIGHT) {
        fputs(" <tspan font-style=\"italic\">", f);
        svg_escape(f, _("(in flight)"));
        fputs("</tspan>", f);
    }
    fputs("</text>\n", f);
    if (lost) {     /* beyond the X, on the side away from the label */
        fprintf(f, "<text class=\"fate\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"11.5\" fill=\"#c00\" "
                   "font-weight=\"bold\">", x2 + (c2s ? 12 : -12), y2 + (c2s ? 16 : -9), c2s ? "start" : "end");
        svg_escape(f, s->fate == TL_DROPPED ? _("dropped") : _("lost"));
        fputs("</text>\n", f);
    }
    fputs("</g>\n", f);
}

static const char *mark_class(enum tl_mark_kind k)
{
    switch (k) {
    case TL_STATE: return "state";
    case TL_TIMER: return "timer";
    case TL_NOTE: return "note";
    case TL_SIGNAL: return "signal";
    case TL_RECEIVE: return "receive";
    case TL_CAPTION: return "caption";
    }
    return "";
}

/* Text beside a timeline (or in the captions' column), wrapped, moved
 * down below the text before it when they would overlap. */
static void draw_mark(FILE *f, const struct layout *L, const struct timeline *tl, const struct tl_mark *m,
                      double *next_y, uint32_t msl_ms)
{
    bool cap = m->kind == TL_CAPTION;
    int side = cap ? 2 : (int)m->ep;
    double line_x = side == EP_CLIENT ? CX : SX;
    double tx = cap ? SX + SIDE + 20 : side == EP_CLIENT ? CX - 12 : SX + 12;
    double y = L->ys[m->step];
    double ty = y + 4 > next_y[side] ? y + 4 : next_y[side];
    char text[TL_TEXT + 40], dur[32], words[TL_TEXT];
    timeline_mark_text(m, words, sizeof words);
    uint64_t start = 0;
    bool bracket = m->kind == TL_TIMER && !m->port;
    if (bracket) {      /* TIME-WAIT says how long; a retransmission timeout does not */
        start = timeline_timer_start(tl, m, msl_ms);
        bracket = start < m->t;
        if (m->timer != TIMER_TIME_WAIT)
            snprintf(text, sizeof text, _("%s after %s"), words, fmt_ms(m->t - start, dur, sizeof dur));
        else
            snprintf(text, sizeof text, "%s", words);
    } else if (m->port) {
        snprintf(text, sizeof text, ":%u %s", (unsigned)m->port, words);
    } else {
        snprintf(text, sizeof text, "%s", words);
    }
    fprintf(f, "<g class=\"mark %s\" data-step=\"%zu\"", mark_class(m->kind), m->step);
    if (!cap)
        fprintf(f, " data-ep=\"%s\"", ep_name(m->ep));
    if (m->port)
        fprintf(f, " data-port=\"%u\"", (unsigned)m->port);
    if (m->kind == TL_STATE)
        fprintf(f, " data-state=\"%s\"", tcp_state_name(m->to));
    fprintf(f, ">\n");
    if (m->why) {
        fprintf(f, "<title>");
        svg_escape(f, _(m->why));
        fprintf(f, "</title>\n");
    }
    if (bracket) {      /* how long the timer ran: a bracket beside the timeline */
        double bx = line_x + (side == EP_CLIENT ? -8 : 8), tick = side == EP_CLIENT ? 4 : -4;
        double y0 = y_of(L, start);
        fprintf(f, "<path class=\"timer-span\" d=\"M%.1f %.1fh%.1fV%.1fh%.1f\" fill=\"none\" stroke=\"#666\" "
                   "stroke-dasharray=\"3 2\"/>\n", bx + tick, y0, -tick, y, tick);
    }
    if (!cap && m->kind == TL_TIMER)
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1.5\"/>"
                   "<path d=\"M%.1f %.1fv-3.5M%.1f %.1fh3\" stroke=\"#222\"/>\n",
                line_x, y, line_x, y, line_x, y);
    else if (!cap)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" stroke-width=\"%s\"/>\n",
                line_x - 5, y, line_x + 5, y, m->kind == TL_STATE ? "2.5" : "1");
    if (ty > y + 6 && !cap)     /* the text moved down: a leader to its time */
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"1 2\"/>\n",
                line_x + (side == EP_CLIENT ? -5 : 5), y, tx + (side == EP_CLIENT ? 2 : -2), ty - 4);
    const char *style = m->kind == TL_STATE ? " font-weight=\"bold\" font-size=\"12.5\"" :
                        m->kind == TL_CAPTION ? " font-style=\"italic\" font-size=\"12.5\"" :
                        m->kind == TL_NOTE ? " font-size=\"10.5\" fill=\"#444\"" : " font-size=\"11\"";
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", tx, ty, side == EP_CLIENT ? "end" : "start", style);
    const char *p = text;
    int lines = 0;
    /* The client's side is narrower: the times stand left of it. */
    int width = cap ? WRAP + 8 : m->kind == TL_STATE ? TL_LABEL : side == EP_CLIENT ? WRAP - 6 : WRAP;
    while (*p) {
        int n = ladder_wrap(p, width);
        char line[TL_TEXT + 40];
        snprintf(line, sizeof line, "%.*s", n, p);
        if (lines == 0)
            fputs("<tspan>", f);
        else
            fprintf(f, "<tspan x=\"%.1f\" dy=\"%.1f\">", tx, LINE_H);
        svg_escape(f, line);
        fputs("</tspan>", f);
        lines++;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputs("</text>\n</g>\n", f);
    next_y[side] = ty + LINE_H * lines + 1;
}

static void defs(FILE *f)
{
    static const struct { const char *name, *color; } heads[] = {
        { "client", SVG_CLIENT_COLOR }, { "server", SVG_SERVER_COLOR }, { "crafted", "#444" }, { "plain", "#222" },
    };
    fputs("<defs>\n", f);
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        fprintf(f, "<marker id=\"head-%s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" "
                   "markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" "
                   "fill=\"%s\"/></marker>\n", heads[i].name, heads[i].color);
    fputs("</defs>\n", f);
}

/* What the line styles mean, under the sequence diagram. */
static void legend(FILE *f, double y)
{
    static const struct { const char *dash, *color, *text; } rows[] = {
        { NULL, SVG_CLIENT_COLOR, N_("segment sent by the client (arrow at its arrival)") },
        { NULL, SVG_SERVER_COLOR, N_("segment sent by the server") },
        { "2 3", "#222", N_("retransmission") },
        { "9 3 2 3", "#444", N_("crafted: injected, replayed or duplicated") },
        { "6 4", "#222", N_("still in flight") },
    };
    fprintf(f, "<g id=\"legend\" font-size=\"11\">\n");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double ly = y + 16.0 * (double)i;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.6\"",
                CX, ly, CX + 50, ly, rows[i].color);
        if (rows[i].dash)
            fprintf(f, " stroke-dasharray=\"%s\"", rows[i].dash);
        fprintf(f, "/><text x=\"%.1f\" y=\"%.1f\">", CX + 60, ly + 4);
        svg_escape(f, _(rows[i].text));
        fputs("</text>\n", f);
    }
    double ly = y + 16.0 * 5;
    fprintf(f, "<path d=\"M%.1f %.1fl10 10m0 -10l-10 10\" stroke=\"#c00\" stroke-width=\"2.4\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">", CX + 20, ly - 5, CX + 60, ly + 4);
    svg_escape(f, _("lost or dropped on the way"));
    fputs("</text>\n", f);
    fprintf(f, "</g>\n");
}

int svg_write(FILE *f, const struct timeline *tl, const struct sim_config *cfg, const char *title)
{
    struct layout L = { 0 };
    char *body = NULL;
    size_t body_len = 0;
    FILE *m = lay_out(&L, tl, cfg) ? open_memstream(&body, &body_len) : NULL;
    if (!m) {
        free_layout(&L);
        return -1;
    }
    bool captions = false;
    for (size_t i = 0; i < tl->n_marks; i++)
        captions |= tl->marks[i].kind == TL_CAPTION;
    /* The sequence diagram first, into memory: its text decides its height. */
    fprintf(m, "<g id=\"sequence\" data-px-per-ms=\"%.6f\" data-client-x=\"%.1f\" data-server-x=\"%.1f\">\n",
            L.scale, CX, SX);
    char *marks = NULL;
    size_t marks_len = 0;
    FILE *mm = open_memstream(&marks, &marks_len);
    double next_y[3] = { 0, 0, 0 };
    for (size_t i = 0; mm && i < tl->n_marks; i++)
        draw_mark(mm, &L, tl, &tl->marks[i], next_y, cfg->msl_ms);
    bool failed = !mm || ferror(mm) != 0;
    if (mm)
        fclose(mm);
    for (int i = 0; i < 3; i++) {
        if (next_y[i] + 20 > L.bottom)
            L.bottom = next_y[i] + 20;
    }
    draw_axes(m, &L, cfg);
    int k = 0;
    for (size_t i = 0; i < tl->n_segs; i++) {
        const struct tl_seg *g = &tl->segs[i], *prev = i ? g - 1 : NULL;
        k = prev && prev->src == g->src && L.ys[prev->step_send] == L.ys[g->step_send] ? k + 1 : 0;
        draw_segment(m, &L, tl, g, k);
    }
    if (marks)
        fwrite(marks, 1, marks_len, m);
    free(marks);
    fprintf(m, "</g>\n");
    legend(m, L.bottom + 24);
    failed |= ferror(m) != 0;
    fclose(m);

    double seq_w = SX + SIDE + (captions ? CAPTION_W : 0);
    double seq_h = L.bottom + 130;
    double width = seq_w + STATES_WIDTH, height = seq_h > STATES_HEIGHT + 20 ? seq_h : STATES_HEIGHT + 20;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\">\n", width, height, width, height, SVG_FONTS);
    fprintf(f, "<title>");
    svg_escape(f, title);
    fprintf(f, "</title>\n");
    defs(f);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
    fwrite(body, 1, body_len, f);
    free(body);
    svg_state_diagram(f, tl, seq_w, 10);
    fprintf(f, "</svg>\n");
    free_layout(&L);
    return failed || ferror(f) ? -1 : 0;
}
