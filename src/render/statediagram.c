/* statediagram.c - RFC 9293's TCP connection state diagram (Figure 5),
 * placed by hand where the RFC's own figure puts its boxes and arcs, with
 * the path each endpoint took drawn over it: the client's as a thick
 * solid line, the server's as a dashed one, so the two read apart without
 * colour.  Each arc is labelled as the RFC labels it, the event over a
 * bar and the action under it.
 *
 * A transition the figure does not draw (a RST, ABORT, a timeout, a
 * FIN,ACK taking FIN-WAIT-1 straight to TIME-WAIT) is added as a curved
 * arc of the endpoint's own, marked "not in Figure 5".
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "render/i18n.h"
#include "render/svg.h"

#define BOX_W 116.0
#define BOX_H 34.0

/* The boxes; CLOSED appears twice, as in the RFC (the second one is
 * where LAST-ACK and TIME-WAIT end). */
enum box { B_CLOSED, B_LISTEN, B_SYN_RCVD, B_SYN_SENT, B_ESTAB, B_FIN_WAIT_1, B_CLOSE_WAIT,
           B_FIN_WAIT_2, B_CLOSING, B_LAST_ACK, B_TIME_WAIT, B_CLOSED_2, B_COUNT };

static const struct {
    enum tcp_state state;
    const char *text;
    double x, y;    /* centre */
} boxes[B_COUNT] = {
    [B_CLOSED] = { CLOSED, "CLOSED", 320, 60 },
    [B_LISTEN] = { LISTEN, "LISTEN", 320, 180 },
    [B_SYN_RCVD] = { SYN_RECEIVED, "SYN-RECEIVED", 80, 310 },
    [B_SYN_SENT] = { SYN_SENT, "SYN-SENT", 560, 310 },
    [B_ESTAB] = { ESTABLISHED, "ESTABLISHED", 320, 430 },
    [B_FIN_WAIT_1] = { FIN_WAIT_1, "FIN-WAIT-1", 80, 550 },
    [B_CLOSE_WAIT] = { CLOSE_WAIT, "CLOSE-WAIT", 560, 550 },
    [B_FIN_WAIT_2] = { FIN_WAIT_2, "FIN-WAIT-2", 80, 670 },
    [B_CLOSING] = { CLOSING, "CLOSING", 320, 670 },
    [B_LAST_ACK] = { LAST_ACK, "LAST-ACK", 560, 670 },
    [B_TIME_WAIT] = { TIME_WAIT, "TIME-WAIT", 320, 780 },
    [B_CLOSED_2] = { CLOSED, "CLOSED", 560, 780 },
};

#define MAX_PTS 4

/* An arc of Figure 5: its points, and its label's place and anchor. */
static const struct arc {
    enum box from, to;
    int n;
    double pt[MAX_PTS][2];
    const char *event, *action;
    double lx, ly;
    char anchor;        /* 's'tart, 'm'iddle, 'e'nd */
} arcs[] = {
    { B_CLOSED, B_LISTEN, 2, { { 305, 77 }, { 305, 163 } }, "passive OPEN", "create TCB", 298, 112, 'e' },
    { B_LISTEN, B_CLOSED, 2, { { 335, 163 }, { 335, 77 } }, "CLOSE", "delete TCB", 342, 112, 's' },
    { B_CLOSED, B_SYN_SENT, 4, { { 378, 50 }, { 660, 50 }, { 660, 310 }, { 618, 310 } },
      "active OPEN", "create TCB, snd SYN", 668, 150, 's' },
    { B_SYN_SENT, B_CLOSED, 3, { { 560, 293 }, { 560, 68 }, { 378, 68 } }, "CLOSE", "delete TCB", 552, 150, 'e' },
    { B_LISTEN, B_SYN_RCVD, 2, { { 280, 197 }, { 110, 293 } }, "rcv SYN", "snd SYN,ACK", 226, 262, 's' },
    { B_LISTEN, B_SYN_SENT, 2, { { 360, 197 }, { 530, 293 } }, "SEND", "snd SYN", 414, 262, 'e' },
    { B_SYN_RCVD, B_LISTEN, 3, { { 40, 293 }, { 40, 180 }, { 262, 180 } }, "rcv RST", "(note 1)", 48, 230, 's' },
    { B_SYN_SENT, B_SYN_RCVD, 2, { { 502, 310 }, { 138, 310 } }, "rcv SYN", "snd SYN,ACK", 320, 302, 'm' },
    { B_SYN_RCVD, B_ESTAB, 2, { { 110, 327 }, { 280, 413 } }, "rcv ACK of SYN", "x", 186, 382, 'e' },
    { B_SYN_SENT, B_ESTAB, 2, { { 530, 327 }, { 360, 413 } }, "rcv SYN,ACK", "snd ACK", 454, 382, 's' },
    { B_SYN_RCVD, B_FIN_WAIT_1, 2, { { 60, 327 }, { 60, 533 } }, "CLOSE", "snd FIN", 68, 436, 's' },
    { B_ESTAB, B_FIN_WAIT_1, 2, { { 280, 447 }, { 110, 533 } }, "CLOSE", "snd FIN", 214, 512, 's' },
    { B_ESTAB, B_CLOSE_WAIT, 2, { { 360, 447 }, { 530, 533 } }, "rcv FIN", "snd ACK", 426, 512, 'e' },
    { B_FIN_WAIT_1, B_FIN_WAIT_2, 2, { { 80, 567 }, { 80, 653 } }, "rcv ACK of FIN", "x", 88, 606, 's' },
    { B_FIN_WAIT_1, B_CLOSING, 2, { { 138, 558 }, { 290, 653 } }, "rcv FIN", "snd ACK", 228, 596, 's' },
    { B_CLOSE_WAIT, B_LAST_ACK, 2, { { 560, 567 }, { 560, 653 } }, "CLOSE", "snd FIN", 552, 606, 'e' },
    { B_FIN_WAIT_2, B_TIME_WAIT, 3, { { 80, 687 }, { 80, 780 }, { 262, 780 } }, "rcv FIN", "snd ACK", 88, 730, 's' },
    { B_CLOSING, B_TIME_WAIT, 2, { { 320, 687 }, { 320, 763 } }, "rcv ACK of FIN", "x", 328, 720, 's' },
    { B_LAST_ACK, B_CLOSED_2, 2, { { 560, 687 }, { 560, 763 } }, "rcv ACK of FIN", "x", 568, 720, 's' },
    { B_TIME_WAIT, B_CLOSED_2, 2, { { 378, 780 }, { 502, 780 } }, "Timeout=2MSL", "delete TCB", 440, 772, 'm' },
};
#define N_ARCS (sizeof arcs / sizeof arcs[0])

static const char *const ep_dash[EP_COUNT] = { NULL, "7 4" };
static const double ep_width[EP_COUNT] = { 6.0, 3.0 };
static const double ep_opacity[EP_COUNT] = { 0.55, 0.95 };
static const char *const ep_color[EP_COUNT] = { SVG_CLIENT_COLOR, SVG_SERVER_COLOR };

static const char *anchor_name(char a)
{
    return a == 's' ? "start" : a == 'e' ? "end" : "middle";
}

/* "event" over a bar over "action", as the RFC writes an arc's label. */
static void arc_label(FILE *f, const struct arc *a)
{
    size_t w = strlen(a->event) > strlen(a->action) ? strlen(a->event) : strlen(a->action);
    double bar = (double)w * 5.6;
    double x0 = a->anchor == 's' ? a->lx : a->anchor == 'e' ? a->lx - bar : a->lx - bar / 2;
    if (a->anchor == 'm') {         /* the arc itself is the bar */
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                a->lx, a->ly, a->event, a->lx, a->ly + 20, a->action);
        return;
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>"
               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#666\" stroke-width=\"0.7\"/>"
               "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n",
            a->lx, a->ly, anchor_name(a->anchor), a->event, x0, a->ly + 4, x0 + bar, a->ly + 4,
            a->lx, a->ly + 15, anchor_name(a->anchor), a->action);
}

static void polyline(FILE *f, const struct arc *a)
{
    fprintf(f, "<polyline points=\"");
    for (int i = 0; i < a->n; i++)
        fprintf(f, "%s%.1f,%.1f", i ? " " : "", a->pt[i][0], a->pt[i][1]);
    fprintf(f, "\"");
}

/* The box of state s (the first CLOSED). */
static enum box box_of(enum tcp_state s)
{
    for (int b = 0; b < B_COUNT; b++) {
        if (boxes[b].state == s)
            return (enum box)b;
    }
    return B_CLOSED;
}

static int find_arc(enum box from, enum box to)
{
    for (size_t i = 0; i < N_ARCS; i++) {
        if (arcs[i].from == from && arcs[i].to == to)
            return (int)i;
    }
    return -1;
}

/* One endpoint's path: the figure's arcs it took, the transitions the
 * figure lacks, the boxes it visited. */
struct path {
    bool used[N_ARCS];
    bool extra[B_COUNT][B_COUNT];
    bool visited[B_COUNT];
};

static void find_path(struct path *p, const struct timeline *tl, enum endpoint_id ep)
{
    memset(p, 0, sizeof *p);
    enum box at = B_CLOSED;
    for (size_t i = 0; i < tl->n_marks; i++) {
        const struct tl_mark *m = &tl->marks[i];
        if (m->kind != TL_STATE || m->ep != ep || m->port)
            continue;
        if (boxes[at].state != m->from)
            at = box_of(m->from);
        /* Either CLOSED box may be the one the figure's arc uses. */
        enum box from_c[2] = { at, at }, to_c[2] = { box_of(m->to), box_of(m->to) };
        if (m->from == CLOSED)
            from_c[1] = at == B_CLOSED ? B_CLOSED_2 : B_CLOSED;
        if (m->to == CLOSED)
            to_c[0] = B_CLOSED_2;
        int k = -1;
        enum box from = at, to = to_c[1];
        for (int a = 0; a < 2 && k < 0; a++) {
            for (int b = 0; b < 2 && k < 0; b++) {
                if ((k = find_arc(from_c[a], to_c[b])) >= 0) {
                    from = from_c[a];
                    to = to_c[b];
                }
            }
        }
        if (k >= 0)
            p->used[k] = true;
        else
            p->extra[from][to] = true;
        p->visited[from] = p->visited[to] = true;
        at = to;
    }
}

/* Move (*x, *y), a box's centre, to where the line towards (tx, ty)
 * leaves the box. */
static void edge(double *x, double *y, double tx, double ty)
{
    double ux = tx - *x, uy = ty - *y;
    double sx = ux != 0 ? (BOX_W / 2) / fabs(ux) : 1e9, sy = uy != 0 ? (BOX_H / 2) / fabs(uy) : 1e9;
    double k = sx < sy ? sx : sy;
    *x += ux * k;
    *y += uy * k;
}

static void draw_path(FILE *f, const struct path *p, enum endpoint_id ep)
{
    const char *dash = ep_dash[ep];
    fprintf(f, "<g class=\"path\" data-ep=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" "
               "stroke-opacity=\"%.2f\" stroke-linejoin=\"round\"%s%s%s>\n",
            ep_name(ep), ep_color[ep], ep_width[ep], ep_opacity[ep],
            dash ? " stroke-dasharray=\"" : "", dash ? dash : "", dash ? "\"" : "");
    for (size_t i = 0; i < N_ARCS; i++) {
        if (!p->used[i])
            continue;
        polyline(f, &arcs[i]);
        fprintf(f, " data-from=\"%s\" data-to=\"%s\"/>\n", boxes[arcs[i].from].text, boxes[arcs[i].to].text);
    }
    for (int a = 0; a < B_COUNT; a++) {
        for (int b = 0; b < B_COUNT; b++) {
            if (!p->extra[a][b])
                continue;
            /* A curve bowing to the side, each endpoint's to its own, from
             * the edge of one box to the edge of the other. */
            double x1 = boxes[a].x, y1 = boxes[a].y, x2 = boxes[b].x, y2 = boxes[b].y;
            double dx = x2 - x1, dy = y2 - y1, len = sqrt(dx * dx + dy * dy);
            double side = ep == EP_CLIENT ? -1 : 1, bow = 90 + 0.3 * len;
            double mx = (x1 + x2) / 2 + side * bow * -dy / len, my = (y1 + y2) / 2 + side * bow * dx / len;
            edge(&x1, &y1, mx, my);
            edge(&x2, &y2, mx, my);
            char title[128];
            snprintf(title, sizeof title, _("%s -> %s: not in Figure 5"), boxes[a].text, boxes[b].text);
            fprintf(f, "<path class=\"extra\" d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\" data-from=\"%s\" data-to=\"%s\" "
                       "marker-end=\"url(#head-%s)\"><title>", x1, y1, mx, my, x2, y2, boxes[a].text, boxes[b].text,
                    ep_name(ep));
            svg_escape(f, title);
            fprintf(f, "</title></path>\n");
        }
    }
    fprintf(f, "</g>\n");
}

/* Letters on the boxes an endpoint visited: C top left, S top right. */
static void draw_visits(FILE *f, const struct path *p, enum endpoint_id ep)
{
    for (int b = 0; b < B_COUNT; b++) {
        if (!p->visited[b])
            continue;
        double x = boxes[b].x + (ep == EP_CLIENT ? -BOX_W / 2 : BOX_W / 2), y = boxes[b].y - BOX_H / 2;
        fprintf(f, "<g class=\"visited\" data-ep=\"%s\" data-state=\"%s\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" "
                   "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\" "
                   "font-weight=\"bold\" fill=\"#fff\">%c</text></g>\n",
                ep_name(ep), boxes[b].text, x, y, ep_color[ep], x, y + 3.5, ep == EP_CLIENT ? 'C' : 'S');
    }
}

void svg_state_diagram(FILE *f, const struct timeline *tl, double x, double y)
{
    fprintf(f, "<g id=\"state-diagram\" transform=\"translate(%.1f %.1f)\" font-size=\"10\">\n", x, y);
    fprintf(f, "<text x=\"320\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">");
    svg_escape(f, _("TCP connection state diagram (RFC 9293, Figure 5)"));
    fprintf(f, "</text>\n");
    struct path path[EP_COUNT];
    for (int ep = 0; ep < EP_COUNT; ep++) {
        find_path(&path[ep], tl, (enum endpoint_id)ep);
        draw_path(f, &path[ep], (enum endpoint_id)ep);
    }
    fprintf(f, "<g class=\"arcs\" fill=\"none\" stroke=\"#222\" stroke-width=\"1\">\n");
    for (size_t i = 0; i < N_ARCS; i++) {
        polyline(f, &arcs[i]);
        fprintf(f, " marker-end=\"url(#head-plain)\"/>\n");
    }
    fprintf(f, "</g>\n<g class=\"arc-labels\" fill=\"#222\">\n");
    for (size_t i = 0; i < N_ARCS; i++)
        arc_label(f, &arcs[i]);
    fprintf(f, "</g>\n");
    for (int b = 0; b < B_COUNT; b++) {
        fprintf(f, "<g class=\"box\" data-state=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" "
                   "rx=\"3\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1.2\"/><text x=\"%.1f\" y=\"%.1f\" "
                   "text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">%s</text></g>\n",
                boxes[b].text, boxes[b].x - BOX_W / 2, boxes[b].y - BOX_H / 2, BOX_W, BOX_H, boxes[b].x,
                boxes[b].y + 4, boxes[b].text);
    }
    for (int ep = 0; ep < EP_COUNT; ep++)
        draw_visits(f, &path[ep], (enum endpoint_id)ep);
    fprintf(f, "<g id=\"state-legend\" font-size=\"11\">\n");
    for (int ep = 0; ep < EP_COUNT; ep++) {
        double ly = 820 + 16.0 * ep;
        char text[128];
        snprintf(text, sizeof text, _("the %s's path (%c on each state it visited)"), ep_name((enum endpoint_id)ep),
                 ep == EP_CLIENT ? 'C' : 'S');
        fprintf(f, "<line x1=\"0\" y1=\"%.1f\" x2=\"50\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\" "
                   "stroke-opacity=\"%.2f\"%s%s%s/><text x=\"60\" y=\"%.1f\">",
                ly, ly, ep_color[ep], ep_width[ep], ep_opacity[ep], ep_dash[ep] ? " stroke-dasharray=\"" : "",
                ep_dash[ep] ? ep_dash[ep] : "", ep_dash[ep] ? "\"" : "", ly + 4);
        svg_escape(f, text);
        fprintf(f, "</text>\n");
    }
    fprintf(f, "</g>\n</g>\n");
}
