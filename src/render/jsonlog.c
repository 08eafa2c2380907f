/* jsonlog.c - writes engine events as JSON Lines with jansson, which does
 * the string escaping.  Field names and values are those of SPEC section 5:
 * flags in Wireshark order, absolute seq/ack, the transcript's segment id. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "render/jsonlog.h"

int jsonlog_open(struct jsonlog *jl, const char *path)
{
    if (strcmp(path, "-") == 0) {
        jl->f = stdout;
        jl->close_f = false;
        return 0;
    }
    jl->f = fopen(path, "w");
    jl->close_f = true;
    jl->err = 0;
    return jl->f ? 0 : -1;
}

static void failed(struct jsonlog *jl)
{
    if (!jl->err)
        jl->err = errno ? errno : EIO;
}

int jsonlog_close(struct jsonlog *jl)
{
    if (!jl->f)
        return jl->err ? -1 : 0;
    errno = 0;
    if (fflush(jl->f) != 0 || ferror(jl->f))
        failed(jl);
    errno = 0;
    if (jl->close_f && fclose(jl->f) != 0)
        failed(jl);
    jl->f = NULL;
    return jl->err ? -1 : 0;
}

/* Write one object and end the line; takes the reference to obj. */
static void put(struct jsonlog *jl, json_t *obj)
{
    if (!jl->err) {
        errno = 0;
        if (obj && (json_dumpf(obj, jl->f, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 || fputc('\n', jl->f) == EOF))
            failed(jl);
        else if (fflush(jl->f) != 0)
            failed(jl);
    }
    json_decref(obj);
}

/* ["SYN","ACK"]: the names in Wireshark order, as tcp_flags_str gives them. */
static json_t *flags_array(uint8_t flags)
{
    char buf[TCP_FLAGS_STRLEN];
    json_t *a = json_array();
    if (!flags)
        return a;
    tcp_flags_str(flags, buf);
    for (char *p = buf; *p;) {
        size_t n = strcspn(p, ",");
        json_array_append_new(a, json_stringn(p, n));
        p += n + (p[n] == ',');
    }
    return a;
}

static const char *origin_name(enum seg_origin o)
{
    switch (o) {
    case ORIGIN_TCB: return "tcb";
    case ORIGIN_INJECT: return "inject";
    case ORIGIN_REPLAY: return "replay";
    case ORIGIN_DUP: return "dup";
    }
    return "tcb";
}

static json_t *send_object(const struct event *ev, bool repeats)
{
    const struct segment *g = ev->seg;
    json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:b, s:s}",
                          "t", (json_int_t)ev->t, "type", "send", "id", (json_int_t)g->id,
                          "src", ep_name(g->src), "dst", ep_name(ep_peer(g->src)),
                          "flags", flags_array(g->flags), "seq", (json_int_t)g->seq,
                          "ack", (json_int_t)g->ack, "len", (json_int_t)g->len,
                          "win", (json_int_t)g->wnd, "retransmit", repeats,
                          "origin", origin_name(g->origin));
    if (o) {
        json_object_set_new(o, "sport", json_integer(g->sport));
        json_object_set_new(o, "dport", json_integer(g->dport));
    }
    if (o && g->mss)
        json_object_set_new(o, "options", json_pack("{s:I}", "mss", (json_int_t)g->mss));
    if (o && g->origin != ORIGIN_TCB && g->origin != ORIGIN_INJECT)
        json_object_set_new(o, "copy_of", json_integer(g->copy_of));
    if (o && g->why)
        json_object_set_new(o, "why", json_string(g->why));
    return o;
}

void jsonlog_event(struct jsonlog *jl, const struct event *ev, bool repeats)
{
    json_int_t t = (json_int_t)ev->t;
    const char *ep = ep_name(ev->ep);
    json_t *o = NULL;
    if (!jl->f)
        return;
    switch (ev->type) {
    case EV_SEND:
        o = send_object(ev, repeats);
        break;
    case EV_DELIVER:
        o = json_pack("{s:I, s:s, s:I}", "t", t, "type", "deliver", "id", (json_int_t)ev->seg->id);
        break;
    case EV_DROP:
        o = json_pack("{s:I, s:s, s:I, s:s}", "t", t, "type", "drop", "id", (json_int_t)ev->seg->id,
                      "reason", ev->drop_reason == DROP_USER ? "user" : "loss");
        break;
    case EV_STATE:
        o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?}", "t", t, "type", "state", "ep", ep,
                      "from", tcp_state_name(ev->from), "to", tcp_state_name(ev->to), "why", ev->why);
        break;
    case EV_TIMER:
        o = json_pack("{s:I, s:s, s:s, s:s}", "t", t, "type", "timer", "ep", ep,
                      "timer", timer_kind_name(ev->timer));
        break;
    case EV_RECEIVE:
        o = json_pack("{s:I, s:s, s:s, s:I}", "t", t, "type", "receive", "ep", ep, "len", (json_int_t)ev->len);
        break;
    case EV_SIGNAL:
        o = json_pack("{s:I, s:s, s:s, s:s?}", "t", t, "type", "signal", "ep", ep, "message", ev->message);
        break;
    case EV_NOTE:
        o = json_pack("{s:I, s:s, s:s, s:s?}", "t", t, "type", "note", "ep", ep, "why", ev->why);
        if (o && ev->seg)
            json_object_set_new(o, "id", json_integer(ev->seg->id));
        break;
    case EV_ERROR:
        /* The front end reports a failed call with its full message
         * (jsonlog_error), so the engine's terse one is not repeated. */
        return;
    }
    if (o && ev->port && (ev->type == EV_STATE || ev->type == EV_TIMER || ev->type == EV_SIGNAL || ev->type == EV_NOTE))
        json_object_set_new(o, "port", json_integer(ev->port));      /* a listener's child */
    put(jl, o);
}

void jsonlog_expect(struct jsonlog *jl, uint64_t t, int line, bool ok)
{
    if (jl->f)
        put(jl, json_pack("{s:I, s:s, s:i, s:b}", "t", (json_int_t)t, "type", "expect", "line", line, "ok", ok));
}

/* A JSON string of text the user typed: bytes that are not UTF-8 become
 * '?', since JSON text must be Unicode. */
static json_t *user_text(const char *text)
{
    json_t *s = json_string(text);
    if (s)
        return s;
    char *copy = strdup(text);
    if (!copy)
        return NULL;
    for (char *p = copy; *p; p++) {
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    }
    s = json_string(copy);
    free(copy);
    return s;
}

void jsonlog_error(struct jsonlog *jl, uint64_t t, const char *message)
{
    if (jl->f)
        put(jl, json_pack("{s:I, s:s, s:o}", "t", (json_int_t)t, "type", "error", "message", user_text(message)));
}

void jsonlog_restart(struct jsonlog *jl, uint64_t t, const char *type)
{
    if (jl->f)
        put(jl, json_pack("{s:I, s:s}", "t", (json_int_t)t, "type", type));
}

void jsonlog_caption(struct jsonlog *jl, uint64_t t, const char *text)
{
    if (jl->f)
        put(jl, json_pack("{s:I, s:s, s:o}", "t", (json_int_t)t, "type", "caption", "text", user_text(text)));
}
