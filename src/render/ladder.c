/* ladder.c - draws engine events as a ladder diagram.
 *
 *    time  client                                                   server
 *       0  SYN-SENT
 *          #1 SYN seq=100 ------------------------------------------------>
 *      50                                                       SYN-RECEIVED
 *          <------------------------------------ #2 SYN,ACK seq=300 ack=101
 *
 * A send is held back for one event, so that a segment lost the moment it
 * is sent is drawn as one arrow ending in X.  An arrival is held the same
 * way: when nothing its receiver does shows it (no state change, no reply,
 * no note), it is marked where it lands, "#4 arrives (no reply, no state
 * change)".
 *
 * A segment crafted outside the TCBs (inject, flood) is not the sender's:
 * its arrow is drawn with ~ from four columns inside the diagram, with who
 * put it on the wire, [network] (an old duplicate, the connection's own
 * ports) or [attacker] (spoofed, or from another port).
 *
 *           [attacker :41000] #1 SYN seq=7000 ~~~~~~~~~~~~~~~~~~~~~~~~~~>
 *
 * Text is measured by display width (text.h) and never carries a raw
 * control byte.
 */
#include <inttypes.h>
#include <string.h>

#include "render/ladder.h"
#include "render/text.h"
#include "render/i18n.h"

#define MARGIN 9                /* "  60050  " */
#define COL (l->width - MARGIN)   /* every drawing function has its ladder l */

/* Colours by theme: the light one has no dim, cyan or yellow, which fade
 * on a projector's white screen. */
#define C_RESET "\033[0m"
#define C_STATE "\033[1m"
#define C_C2S (l->light ? "\033[34m" : "\033[36m")
#define C_S2C (l->light ? "\033[35m" : "\033[33m")
#define C_DROP "\033[31m"
#define C_DIM (l->light ? "\033[0m" : "\033[2m")

void ladder_init(struct ladder *l, FILE *out)
{
    memset(l, 0, sizeof *l);
    l->out = out;
    l->window = 65535;
    l->port[EP_CLIENT] = 40000;
    l->port[EP_SERVER] = 80;
    strcpy(l->letter[EP_CLIENT], "x");
    strcpy(l->letter[EP_SERVER], "y");
    steps_reset(&l->step);
    l->width = LADDER_DEFAULT_WIDTH;
}

void ladder_reset(struct ladder *l)
{
    ladder_settle(l);
    l->have_t = false;
    memset(l->has_isn, 0, sizeof l->has_isn);
    steps_reset(&l->step);
}

/* The margin: the time when it changed, blanks otherwise. */
static void margin(struct ladder *l, uint64_t t)
{
    if (!l->have_t || t != l->last_t) {
        fprintf(l->out, "%7" PRIu64 "  ", t);
        l->have_t = true;
        l->last_t = t;
    } else {
        fputs("         ", l->out);
    }
}

/* Text in an endpoint's column: the client's from the left, the server's
 * flush right.  Too long a text is cut to the width. */
static void column(struct ladder *l, uint64_t t, enum endpoint_id ep, const char *color, const char *text)
{
    char buf[LADDER_MAX_WIDTH * 4 + 1];
    text_escape(text, strlen(text), buf, sizeof buf, COL, false);
    margin(l, t);
    int pad = ep == EP_SERVER ? COL - text_width(buf) : 0;
    fprintf(l->out, "%*s%s%s%s\n", pad, "", l->color && color ? color : "", buf,
            l->color && color ? C_RESET : "");
}

/* Text that belongs to neither column, centred. */
static void middle(struct ladder *l, uint64_t t, const char *color, const char *text)
{
    char buf[LADDER_MAX_WIDTH * 4 + 1];
    text_escape(text, strlen(text), buf, sizeof buf, COL, false);
    int pad = (COL - text_width(buf)) / 2;
    margin(l, t);
    fprintf(l->out, "%*s%s%s%s\n", pad, "", l->color && color ? color : "", buf,
            l->color && color ? C_RESET : "");
}

void ladder_header(struct ladder *l)
{
    /* padded by display width: the words may be Chinese */
    const char *t = _("time"), *c = _("client"), *sv = _("server");
    int pad = COL - text_width(c) - text_width(sv);
    fprintf(l->out, "%*s%s  %s%*s%s\n", 7 - text_width(t), "", t, c, pad > 1 ? pad : 1, "", sv);
}

/* Is seg of the connection (its ports), or another host's? */
static bool ours(const struct ladder *l, const struct segment *seg)
{
    return seg->sport == l->port[seg->src] && seg->dport == l->port[ep_peer(seg->src)];
}

void ladder_label(const struct ladder *l, const struct segment *seg, char *buf, size_t n)
{
    char flags[TCP_FLAGS_STRLEN], seq[24], ack[24];
    enum endpoint_id dst = ep_peer(seg->src);
    int k = snprintf(buf, n, "#%" PRIu32 " %s seq=%s", seg->id, tcp_flags_str(seg->flags, flags),
                     ladder_number(l, seg->src, seg->seq, seq, sizeof seq));
    if (seg->flags & TCP_ACK)
        k += snprintf(buf + k, n - (size_t)k, " ack=%s", ladder_number(l, dst, seg->ack, ack, sizeof ack));
    if (seg->len)
        k += snprintf(buf + k, n - (size_t)k, " len=%" PRIu32, seg->len);
    if (!(seg->flags & TCP_RST) && seg->wnd != l->window)
        k += snprintf(buf + k, n - (size_t)k, " win=%u", (unsigned)seg->wnd);
    if (seg->mss)
        k += snprintf(buf + k, n - (size_t)k, " <mss %u>", (unsigned)seg->mss);
    (void)k;
}

/* Why a segment is unusual, after its label. */
static const char *tag(const struct segment *seg, char *buf, size_t n)
{
    switch (seg->origin) {
    case ORIGIN_INJECT: return "";     /* drawn as the network's or the attacker's */
    case ORIGIN_REPLAY: snprintf(buf, n, _(" (replay of #%" PRIu32 ")"), seg->copy_of); return buf;
    case ORIGIN_DUP: snprintf(buf, n, _(" (dup of #%" PRIu32 ")"), seg->copy_of); return buf;
    case ORIGIN_TCB: break;
    }
    return seg->retransmit ? _(" (retransmission)") : "";
}

static void explain(struct ladder *l, uint64_t t, enum endpoint_id ep, const char *why);

/* Who put a crafted segment on the wire: the network (an old duplicate on
 * the connection's own ports) or an attacker (spoofed, or another port). */
void ladder_crafter(const struct ladder *l, const struct segment *seg, char *buf, size_t n)
{
    if (seg->sport != l->port[seg->src])
        snprintf(buf, n, _("[attacker :%u]"), (unsigned)seg->sport);
    else
        snprintf(buf, n, "%s", seg->attacker ? _("[attacker]") : _("[network]"));
}

/* One arrow across the whole width; `lost` ends it in X, with the reason.
 * A crafted segment's arrow starts CRAFT_INSET columns inside, drawn ~. */
#define CRAFT_INSET 4
static void arrow(struct ladder *l, uint64_t t, const struct segment *seg, const char *step, const char *lost)
{
    char label[96], t2[64], who[64] = "", text[LADDER_MAX_WIDTH * 4];
    char end = lost ? 'X' : '>';
    bool crafted = seg->origin == ORIGIN_INJECT, c2s = seg->src == EP_CLIENT;
    int inset = crafted ? CRAFT_INSET : 0;
    char shaft = crafted ? '~' : '-';
    ladder_label(l, seg, label, sizeof label);
    if (crafted)
        ladder_crafter(l, seg, who, sizeof who);
    else if (seg->dport != l->port[ep_peer(seg->src)])
        snprintf(who, sizeof who, _("(to :%u)"), (unsigned)seg->dport);
    snprintf(text, sizeof text, "%s%s%s%s%s%s%s%s", step ? "[" : "", step ? step : "", step ? "] " : "",
             crafted && c2s ? who : "", crafted && c2s ? " " : "", label, tag(seg, t2, sizeof t2),
             lost ? lost : "");
    if (*who && (!crafted || !c2s))
        snprintf(text + strlen(text), sizeof text - strlen(text), " %s", who);
    int len = text_width(text);
    int dashes = COL - inset - len - 2;
    if (dashes < 2 && !crafted && *who) {  /* too long: first without "(to :PORT)" */
        snprintf(text, sizeof text, "%s%s%s%s%s%s", step ? "[" : "", step ? step : "", step ? "] " : "", label,
                 tag(seg, t2, sizeof t2), lost ? lost : "");
        len = text_width(text);
        dashes = COL - inset - len - 2;
    }
    if (dashes < 2) {                     /* never past 80 columns */
        snprintf(text, sizeof text, "%s%s", label, seg->retransmit ? _(" (rtx)") : "");
        len = text_width(text);
        dashes = COL - inset - len - 2;
        if (dashes < 2) {
            text[text_fit(text, COL - inset - 4, false)] = '\0';
            len = text_width(text);
            dashes = COL - inset - len - 2;
        }
    }
    char line[LADDER_MAX_WIDTH * 6];      /* the label is at most COL - 4 wide */
    char *p = line;
    if (c2s) {
        p += sprintf(p, "%*s%s ", inset, "", text);
        memset(p, shaft, (size_t)dashes);
        p += dashes;
        *p++ = end == 'X' ? 'X' : '>';
    } else {
        *p++ = end == 'X' ? 'X' : '<';
        memset(p, shaft, (size_t)dashes);
        p += dashes;
        p += sprintf(p, " %s", text);
    }
    *p = '\0';
    margin(l, t);
    const char *color = end == 'X' ? C_DROP : c2s ? C_C2S : C_S2C;
    fprintf(l->out, "%s%s%s\n", l->color ? color : "", line, l->color ? C_RESET : "");
    if (l->explain && seg->why)
        explain(l, t, seg->src, i18n_tr(seg->why));
}

/* An arrival that nothing else showed: mark it where it landed. */
static void arrival(struct ladder *l)
{
    if (!l->arrival)
        return;
    l->arrival = false;
    char text[160];
    snprintf(text, sizeof text, _("#%" PRIu32 " arrives (no reply, no state change)"), l->arrived_id);
    column(l, l->arrived_t, l->arrived_at, C_DIM, text);
}

void ladder_flush(struct ladder *l)
{
    if (l->pending) {
        l->pending = false;
        arrow(l, l->held_t, &l->held, l->held_step, NULL);
    }
}

void ladder_settle(struct ladder *l)
{
    ladder_flush(l);
    arrival(l);
}

/* The rule text without its "(RFC ...)" reference, for the short form. */
static void short_rule(const char *why, char *buf, size_t n)
{
    snprintf(buf, n, "%s", why);
    char *ref = strstr(buf, " (RFC");
    if (ref)
        *ref = '\0';
}

int ladder_wrap(const char *text, int width)
{
    int n = text_fit(text, width, true);
    uint32_t cp;
    if (n == 0 && *text) {      /* never stand still: at least one character */
        n = text_utf8_next(text, strlen(text), &cp);
        n = n ? n : 1;
    }
    return n;
}

/* Explanations are long: wrap them under the column, indented. */
static void explain(struct ladder *l, uint64_t t, enum endpoint_id ep, const char *why)
{
    char buf[1024];
    snprintf(buf, sizeof buf, _("why: %s"), why);
    const char *p = buf;
    while (*p) {
        int n = ladder_wrap(p, COL - 4);
        char line[LADDER_MAX_WIDTH * 4 + 1];
        snprintf(line, sizeof line, "  %.*s", n, p);
        column(l, t, ep, C_DIM, line);
        p += n;
        while (*p == ' ')
            p++;
    }
}

/* Data as the application got it, at most DATA_COLS columns of it. */
#define DATA_COLS 24
static void data_text(const uint8_t *data, uint32_t len, char *buf, size_t n, bool *cut)
{
    size_t took = text_escape((const char *)data, len, buf, n, DATA_COLS, true);
    *cut = took < len;
}

void ladder_observe(struct ladder *l, const struct event *ev)
{
    /* A new connection's SYN sets the base of relative numbers, as the
     * first SYN of a stream does in Wireshark; a crafted SYN does not. */
    if (ev->type == EV_SEND && (ev->seg->flags & TCP_SYN) && ev->seg->origin == ORIGIN_TCB &&
        !ev->seg->retransmit && ours(l, ev->seg)) {
        l->has_isn[ev->seg->src] = true;
        l->isn[ev->seg->src] = ev->seg->seq;
    }
}

/* Does ev show what the endpoint that a segment reached did with it? */
static bool shows_arrival(const struct ladder *l, const struct event *ev)
{
    switch (ev->type) {
    case EV_SEND: return ev->seg->src == l->arrived_at && ev->seg->origin == ORIGIN_TCB;
    case EV_STATE: case EV_RECEIVE: case EV_SIGNAL: case EV_NOTE: return ev->ep == l->arrived_at;
    default: return false;
    }
}

void ladder_event(struct ladder *l, const struct event *ev)
{
    char text[LADDER_MAX_WIDTH * 10];
    if (l->pending) {
        bool lost_now = ev->type == EV_DROP && ev->seg->id == l->held.id;
        l->pending = false;
        arrow(l, l->held_t, &l->held, l->held_step,
              !lost_now ? NULL : ev->drop_reason == DROP_USER ? _(" dropped") : _(" lost"));
        if (lost_now)
            return;
    }
    if (l->arrival && shows_arrival(l, ev))
        l->arrival = false;
    arrival(l);
    switch (ev->type) {
    case EV_SEND:
        ladder_observe(l, ev);
        l->held = *ev->seg;
        l->held_t = ev->t;
        l->held_step = ev->seg->origin == ORIGIN_TCB && ours(l, ev->seg) ? steps_label(&l->step, ev->seg) : NULL;
        if (l->held_step)
            l->held_step = _(l->held_step);     /* 1/3 is 第一次握手 in Chinese */
        if (!l->steps)
            l->held_step = NULL;
        l->pending = true;
        return;
    case EV_DELIVER:
        /* the arrival shows in what the receiver does; if nothing does,
         * arrival() marks it */
        l->arrival = true;
        l->arrived_id = ev->seg->id;
        l->arrived_at = ep_peer(ev->seg->src);
        l->arrived_t = ev->t;
        return;
    case EV_DROP:
        snprintf(text, sizeof text, "#%" PRIu32 " %s", ev->seg->id,
                 ev->drop_reason == DROP_USER ? _("dropped") : _("lost (random loss)"));
        middle(l, ev->t, C_DROP, text);
        return;
    case EV_STATE:
        if (ev->port) {             /* a listener's child connection */
            snprintf(text, sizeof text, ":%u %s", (unsigned)ev->port, tcp_state_name(ev->to));
            column(l, ev->t, ev->ep, C_STATE, text);
        } else {
            column(l, ev->t, ev->ep, C_STATE, tcp_state_name(ev->to));
        }
        if (l->explain && ev->why)
            explain(l, ev->t, ev->ep, i18n_tr(ev->why));
        return;
    case EV_TIMER:
    {
        const char *what = ev->timer == TIMER_RETRANSMIT ? _("[retransmission timeout]")
                         : ev->timer == TIMER_PERSIST  ? _("[persist timeout]")
                         : ev->timer == TIMER_DELACK ? _("[delayed ACK timer]")
                         : ev->timer == TIMER_FIN_WAIT_2 ? _("[FIN-WAIT-2 timeout]")
                                                       : _("[TIME-WAIT: 2 x MSL elapsed]");
        if (ev->port)
            snprintf(text, sizeof text, ":%u %s", (unsigned)ev->port, what);
        else
            snprintf(text, sizeof text, "%s", what);
        column(l, ev->t, ev->ep, NULL, text);
    }
        return;
    case EV_RECEIVE: {
        char data[DATA_COLS * 4 + 1];
        bool cut;
        data_text(ev->data, ev->len, data, sizeof data, &cut);
        snprintf(text, sizeof text, ngettext("app reads %" PRIu32 " byte \"%s%s\"", "app reads %" PRIu32 " bytes \"%s%s\"", ev->len), ev->len, data, cut ? "..." : "");
        column(l, ev->t, ev->ep, NULL, text);
        return;
    }
    case EV_SIGNAL:
        snprintf(text, sizeof text, _("(%s)"), i18n_tr(ev->message));
        column(l, ev->t, ev->ep, NULL, text);
        return;
    case EV_NOTE: {
        char rule[600];
        const char *why = i18n_tr(ev->why);
        if (ev->seg && !ours(l, ev->seg)) {     /* another host's port: not the endpoint's column */
            short_rule(why, rule, sizeof rule);
            snprintf(text, sizeof text, ":%u (%s)", (unsigned)ev->seg->dport, rule);
            middle(l, ev->t, C_DIM, text);
        } else if (l->explain) {
            explain(l, ev->t, ev->ep, why);
        } else {
            short_rule(why, rule, sizeof rule);
            snprintf(text, sizeof text, _("(%s)"), rule);
            column(l, ev->t, ev->ep, C_DIM, text);
        }
        return;
    }
    case EV_ERROR:
        return;     /* the front end reports errors itself */
    }
}

void ladder_say(struct ladder *l, uint64_t t, const char *text)
{
    ladder_flush(l);
    char buf[LADDER_MAX_WIDTH * 4 + 1];
    text_escape(text, strlen(text), buf, sizeof buf, COL, false);
    margin(l, t);
    fprintf(l->out, "%s%s%s\n", l->color ? C_DIM : "", buf, l->color ? C_RESET : "");
}

/* Text wrapped to the width: lead before the first line, cont before the
 * others (the same width), at a blank or beside a CJK character. */
static void wrapped(struct ladder *l, uint64_t t, const char *text, const char *color, const char *lead,
                    const char *cont)
{
    ladder_flush(l);
    char buf[2048];
    text_escape(text, strlen(text), buf, sizeof buf, -1, false);
    const char *p = buf;
    int indent = text_width(lead);
    while (*p) {
        int n = ladder_wrap(p, COL - indent);
        margin(l, t);
        fprintf(l->out, "%s%s%.*s%s\n", l->color && color ? color : "", lead, n, p, l->color && color ? C_RESET : "");
        lead = cont;
        p += n;
        while (*p == ' ')
            p++;
    }
}

void ladder_caption(struct ladder *l, uint64_t t, const char *text)
{
    wrapped(l, t, text, C_STATE, "== ", "   ");
}

void ladder_tell(struct ladder *l, uint64_t t, const char *text)
{
    wrapped(l, t, text, C_DIM, "", "  ");
}
