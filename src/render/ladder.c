/* ladder.c - draws engine events as a ladder diagram.
 *
 *    time  client                                                   server
 *       0  SYN-SENT
 *          #1 SYN seq=100 ------------------------------------------------>
 *      50                                                       SYN-RECEIVED
 *          <------------------------------------ #2 SYN,ACK seq=300 ack=101
 *
 * A send is held back for one event, so that a segment lost the moment it
 * is sent is drawn as one arrow ending in X.
 */
#include <inttypes.h>
#include <string.h>

#include "render/ladder.h"

#define MARGIN 9                /* "  60050  " */
#define COL (LADDER_WIDTH - MARGIN)

#define C_RESET "\033[0m"
#define C_STATE "\033[1m"
#define C_C2S "\033[36m"
#define C_S2C "\033[33m"
#define C_DROP "\033[31m"
#define C_DIM "\033[2m"

void ladder_init(struct ladder *l, FILE *out)
{
    memset(l, 0, sizeof *l);
    l->out = out;
    l->window = 65535;
}

void ladder_reset(struct ladder *l)
{
    ladder_flush(l);
    l->have_t = false;
    memset(l->has_isn, 0, sizeof l->has_isn);
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
    char buf[LADDER_WIDTH + 1];
    snprintf(buf, sizeof buf, "%.*s", COL, text);
    margin(l, t);
    int pad = ep == EP_SERVER ? COL - (int)strlen(buf) : 0;
    fprintf(l->out, "%*s%s%s%s\n", pad, "", l->color && color ? color : "", buf,
            l->color && color ? C_RESET : "");
}

/* Text that belongs to neither column, centred. */
static void middle(struct ladder *l, uint64_t t, const char *color, const char *text)
{
    char buf[LADDER_WIDTH + 1];
    snprintf(buf, sizeof buf, "%.*s", COL, text);
    int pad = (COL - (int)strlen(buf)) / 2;
    margin(l, t);
    fprintf(l->out, "%*s%s%s%s\n", pad, "", l->color && color ? color : "", buf,
            l->color && color ? C_RESET : "");
}

void ladder_header(struct ladder *l)
{
    fprintf(l->out, "%7s  %-*s%s\n", "time", COL - 6, "client", "server");
}

void ladder_label(const struct ladder *l, const struct segment *seg, char *buf, size_t n)
{
    char flags[TCP_FLAGS_STRLEN];
    seq_t seq = seg->seq, ack = seg->ack;
    enum endpoint_id dst = ep_peer(seg->src);
    if (l->relative && l->has_isn[seg->src])
        seq -= l->isn[seg->src];
    if (l->relative && l->has_isn[dst])
        ack -= l->isn[dst];
    int k = snprintf(buf, n, "#%" PRIu32 " %s seq=%" PRIu32, seg->id, tcp_flags_str(seg->flags, flags), seq);
    if (seg->flags & TCP_ACK)
        k += snprintf(buf + k, n - (size_t)k, " ack=%" PRIu32, ack);
    if (seg->len)
        k += snprintf(buf + k, n - (size_t)k, " len=%" PRIu32, seg->len);
    if (!(seg->flags & TCP_RST) && seg->wnd != l->window)
        k += snprintf(buf + k, n - (size_t)k, " win=%u", (unsigned)seg->wnd);
    (void)k;
}

/* Why a segment is unusual, after its label. */
static const char *tag(const struct segment *seg, char *buf, size_t n)
{
    switch (seg->origin) {
    case ORIGIN_INJECT: return " (injected)";
    case ORIGIN_REPLAY: snprintf(buf, n, " (replay of #%" PRIu32 ")", seg->copy_of); return buf;
    case ORIGIN_DUP: snprintf(buf, n, " (dup of #%" PRIu32 ")", seg->copy_of); return buf;
    case ORIGIN_TCB: break;
    }
    return seg->retransmit ? " (retransmission)" : "";
}

static void explain(struct ladder *l, uint64_t t, enum endpoint_id ep, const char *why);

/* One arrow across the whole width; `lost` ends it in X, with the reason. */
static void arrow(struct ladder *l, uint64_t t, const struct segment *seg, const char *lost)
{
    char label[96], t2[32], text[LADDER_WIDTH * 2];
    char end = lost ? 'X' : '>';
    ladder_label(l, seg, label, sizeof label);
    snprintf(text, sizeof text, "%s%s%s", label, tag(seg, t2, sizeof t2), lost ? lost : "");
    int len = (int)strlen(text);
    int dashes = COL - len - 2;
    if (dashes < 2) {                     /* never past 80 columns */
        snprintf(text, sizeof text, "%s%s", label, seg->retransmit ? " (rtx)" : "");
        len = (int)strlen(text);
        dashes = COL - len - 2;
        if (dashes < 2) {
            text[COL - 4] = '\0';
            len = COL - 4;
            dashes = 2;
        }
    }
    char line[LADDER_WIDTH * 4];      /* the label is at most COL - 4 wide */
    char *p = line;
    bool c2s = seg->src == EP_CLIENT;
    if (c2s) {
        p += sprintf(p, "%s ", text);
        memset(p, '-', (size_t)dashes);
        p += dashes;
        *p++ = end == 'X' ? 'X' : '>';
    } else {
        *p++ = end == 'X' ? 'X' : '<';
        memset(p, '-', (size_t)dashes);
        p += dashes;
        p += sprintf(p, " %s", text);
    }
    *p = '\0';
    margin(l, t);
    const char *color = end == 'X' ? C_DROP : c2s ? C_C2S : C_S2C;
    fprintf(l->out, "%s%s%s\n", l->color ? color : "", line, l->color ? C_RESET : "");
    if (l->explain && seg->why)
        explain(l, t, seg->src, seg->why);
}

void ladder_flush(struct ladder *l)
{
    if (l->pending) {
        l->pending = false;
        arrow(l, l->held_t, &l->held, NULL);
    }
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
    int n = (int)strlen(text);
    if (n <= width)
        return n;
    n = width;
    while (n > 0 && text[n] != ' ')
        n--;
    return n > 0 ? n : width;
}

/* Explanations are long: wrap them under the column, indented. */
static void explain(struct ladder *l, uint64_t t, enum endpoint_id ep, const char *why)
{
    char buf[256];
    snprintf(buf, sizeof buf, "why: %s", why);
    const char *p = buf;
    while (*p) {
        int n = ladder_wrap(p, COL - 4);
        char line[LADDER_WIDTH + 1];
        snprintf(line, sizeof line, "  %.*s", n, p);
        column(l, t, ep, C_DIM, line);
        p += n;
        while (*p == ' ')
            p++;
    }
}

static void printable(const uint8_t *data, uint32_t len, char *buf, size_t n)
{
    size_t k = 0;
    for (uint32_t i = 0; i < len && k + 5 < n; i++) {
        uint8_t c = data[i];
        if (c >= 32 && c < 127 && c != '"' && c != '\\')
            buf[k++] = (char)c;
        else
            k += (size_t)snprintf(buf + k, n - k, "\\x%02x", c);
    }
    buf[k] = '\0';
}

void ladder_event(struct ladder *l, const struct event *ev)
{
    char text[LADDER_WIDTH * 3];
    if (l->pending) {
        bool lost_now = ev->type == EV_DROP && ev->seg->id == l->held.id;
        l->pending = false;
        arrow(l, l->held_t, &l->held, !lost_now ? NULL : ev->drop_reason == DROP_USER ? " dropped" : " lost");
        if (lost_now)
            return;
    }
    switch (ev->type) {
    case EV_SEND:
        /* A new connection's SYN sets the base of relative numbers, as the
         * first SYN of a stream does in Wireshark; a crafted SYN does not. */
        if ((ev->seg->flags & TCP_SYN) && ev->seg->origin == ORIGIN_TCB && !ev->seg->retransmit) {
            l->has_isn[ev->seg->src] = true;
            l->isn[ev->seg->src] = ev->seg->seq;
        }
        l->held = *ev->seg;
        l->held_t = ev->t;
        l->pending = true;
        return;
    case EV_DELIVER:
        return;     /* the arrival shows in what the receiver does */
    case EV_DROP:
        snprintf(text, sizeof text, "#%" PRIu32 " %s", ev->seg->id,
                 ev->drop_reason == DROP_USER ? "dropped" : "lost (random loss)");
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
            explain(l, ev->t, ev->ep, ev->why);
        return;
    case EV_TIMER:
    {
        const char *what = ev->timer == TIMER_RETRANSMIT ? "[retransmission timeout]" : "[TIME-WAIT: 2 x MSL elapsed]";
        if (ev->port)
            snprintf(text, sizeof text, ":%u %s", (unsigned)ev->port, what);
        else
            snprintf(text, sizeof text, "%s", what);
        column(l, ev->t, ev->ep, NULL, text);
    }
        return;
    case EV_RECEIVE: {
        char data[64];
        printable(ev->data, ev->len < 24 ? ev->len : 24, data, sizeof data);
        snprintf(text, sizeof text, "app reads %" PRIu32 " bytes \"%s%s\"", ev->len, data, ev->len > 24 ? "..." : "");
        column(l, ev->t, ev->ep, NULL, text);
        return;
    }
    case EV_SIGNAL:
        snprintf(text, sizeof text, "(%s)", ev->message);
        column(l, ev->t, ev->ep, NULL, text);
        return;
    case EV_NOTE: {
        char rule[200];
        if (l->explain) {
            explain(l, ev->t, ev->ep, ev->why);
        } else {
            short_rule(ev->why, rule, sizeof rule);
            snprintf(text, sizeof text, "(%s)", rule);
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
    char buf[LADDER_WIDTH + 1];
    snprintf(buf, sizeof buf, "%.*s", COL, text);
    margin(l, t);
    fprintf(l->out, "%s%s%s\n", l->color ? C_DIM : "", buf, l->color ? C_RESET : "");
}
