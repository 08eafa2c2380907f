/* quiz.c - `tcpsim --quiz`: the student predicts each segment (or state)
 * before the transcript shows it, and the lesson's own `ask` questions.
 *
 * The quiz watches the session's events as an observer: an observer sees
 * a segment before the ladder draws it, so the question comes between
 * what just happened (already on screen) and the segment itself.  A wrong
 * answer is shown the right one with the rule that sent it (the engine's
 * reason, with its RFC section), and the lesson goes on.
 *
 * Numbers may be written as the transcript can show them: absolute,
 * relative to the ISN of the side they count (seq: the sender's, ack: the
 * receiver's), or in the textbooks' letters, x for the client's ISN and y
 * for the server's (x+1, y+1).  Flags in any order; PSH may be left out.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <readline/readline.h>

#include "cli/args.h"
#include "cli/lexer.h"
#include "cli/quiz.h"
#include "cli/session.h"
#include "render/i18n.h"

struct quiz {
    struct session *s;
    bool states;            /* ask for state changes, not segments */
    bool tty;               /* answers from readline */
    bool ended;             /* Ctrl-D: no more questions */
    int asked, right;
    json_t *answers;        /* for --report */
};

/* --- talking to the student ------------------------------------------- */

static void say(struct quiz *q, const char *prefix, const char *text)
{
    struct session *s = q->s;
    ladder_flush(&s->ladder);
    const char *p = text;
    int width = s->ladder.width - 11;
    do {
        int n = ladder_wrap(p, width);
        fprintf(s->out, "         %s %.*s\n", prefix, n, p);
        p += n;
        while (*p == ' ')
            p++;
        prefix = " ";
    } while (*p);
    fflush(s->out);
}

/* The student is done (Ctrl-D): no more questions, and the lesson stops
 * after the command under way. */
static void end(struct quiz *q)
{
    q->ended = true;
    q->s->quit = true;
}

/* One answer line into buf; false at the end of input (Ctrl-D). */
static bool read_answer(struct quiz *q, char *buf, size_t n)
{
    if (q->ended)
        return false;
    if (q->tty) {
        char *line;
        while ((line = readline(_("answer> "))) && !line[strspn(line, " \t")])
            free(line);         /* Enter alone (by mistake) is no answer: ask again */
        if (!line) {
            end(q);
            return false;
        }
        snprintf(buf, n, "%s", line);
        free(line);
        return true;
    }
    if (!fgets(buf, (int)n, stdin)) {
        end(q);
        return false;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    fprintf(q->s->out, "         > %s\n", buf);      /* batch: the answer in the transcript */
    return true;
}

/* Case and blanks do not matter. */
static void squeeze(const char *in, char *out, size_t n)
{
    size_t k = 0;
    for (; *in && k + 1 < n; in++)
        if (!isspace((unsigned char)*in))
            out[k++] = (char)tolower((unsigned char)*in);
    out[k] = '\0';
}

static void record(struct quiz *q, const char *kind, const char *question, const char *answer,
                   const char *expected, bool ok, int hints)
{
    q->asked++;
    q->right += ok;
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:b, s:i, s:I}", "n", q->asked, "kind", kind,
                          "question", question, "answer", answer ? answer : "", "expected", expected,
                          "right", ok, "hints", hints, "t", (json_int_t)q->s->sim.now);
    if (o)
        json_array_append_new(q->answers, o);
}

/* --- numbers in any notation ----------------------------------------- */

/* Does text name `actual`: absolute, relative to isn, or letter+N (the
 * lesson's letter for that ISN, x or y unless `set numbers symbolic A B`
 * chose others)?  A NULL letter takes numbers only. */
static bool number_matches(const char *text, uint32_t actual, seq_t isn, const char *letter)
{
    char *end;
    const char *p = text;
    bool symbolic = isalpha((unsigned char)*p);
    if (symbolic) {
        size_t n = letter ? strlen(letter) : 0;
        if (!n || strncasecmp(p, letter, n) != 0)
            return false;
        p += n;
        if (*p == '\0')
            return actual == isn;
        if (*p != '+' && *p != '-')
            return false;
    }
    errno = 0;
    long long v = strtoll(p, &end, 10);
    if (errno || *end || end == p)
        return false;
    if (symbolic)
        return actual == (uint32_t)(isn + (uint32_t)v);
    if (v < 0 || v > UINT32_MAX)
        return false;
    return (uint32_t)v == actual || (uint32_t)v == (uint32_t)(actual - isn);
}

/* The ISN that ep's numbers count from: the one the transcript uses (it
 * outlives the connection), else the TCB's. */
static seq_t isn_of(const struct quiz *q, enum endpoint_id ep)
{
    const struct ladder *l = &q->s->ladder;
    return l->has_isn[ep] ? l->isn[ep] : sim_tcb(&q->s->sim, ep)->iss;
}

/* --- the next segment -------------------------------------------------- */

/* Why an answer is not this segment, or NULL when it is. */
static const char *judge_segment(struct quiz *q, const char *answer, const struct segment *seg)
{
    struct words w;
    const char *lex_error;
    if (lex_line(answer, &w, &lex_error) != 0)
        return N_("write it like the transcript: client SYN seq=x");
    const char *why = NULL;
    enum endpoint_id who;
    uint8_t flags;
    if (w.argc < 2 || !arg_endpoint(w.argv[0], &who) || !tcp_flags_parse(w.argv[1], &flags)) {
        why = N_("write who sends it, its flags and numbers: client SYN seq=x");
        goto out;
    }
    enum endpoint_id dst = ep_peer(seg->src);
    seq_t iss_src = isn_of(q, seg->src), iss_dst = isn_of(q, dst);
    bool has_seq = false, has_ack = false, has_len = false;
    if (who != seg->src) {
        why = N_("another endpoint sends it");
        goto out;
    }
    if ((flags & ~TCP_PSH) != (seg->flags & ~TCP_PSH)) {
        why = N_("not those flags");
        goto out;
    }
    for (int i = 2; i < w.argc && !why; i++) {
        const char *v;
        if ((v = arg_kv(w.argv[i], "seq"))) {
            has_seq = true;
            if (!number_matches(v, seg->seq, iss_src, q->s->ladder.letter[seg->src]))
                why = N_("not that seq");
        } else if ((v = arg_kv(w.argv[i], "ack"))) {
            has_ack = true;
            if (!(seg->flags & TCP_ACK) || !number_matches(v, seg->ack, iss_dst, q->s->ladder.letter[dst]))
                why = N_("not that ack");
        } else if ((v = arg_kv(w.argv[i], "len"))) {
            has_len = true;
            if (!number_matches(v, seg->len, 0, NULL))
                why = N_("not that len");
        } else {
            why = N_("only seq=, ack= and len= are asked");
        }
    }
    if (!why && !has_seq)
        why = N_("give its seq");
    else if (!why && (seg->flags & TCP_ACK) && !has_ack)
        why = N_("the ACK bit is set: give its ack");
    else if (!why && seg->len && !has_len)
        why = N_("it carries data: give its len");
out:
    lex_free(&w);
    return why;
}

static void expected_segment(struct quiz *q, const struct segment *seg, char *buf, size_t n)
{
    char label[160];
    ladder_label(&q->s->ladder, seg, label, sizeof label);
    const char *sp = strchr(label, ' ');            /* leave out the #id */
    snprintf(buf, n, "%s %s", ep_name(seg->src), sp ? sp + 1 : label);
}

/* Read an answer, showing the rule (and asking again) at each `hint`;
 * false at the end of input.  *skip says the student gave up. */
static bool answer_with_hints(struct quiz *q, const char *rule, char *answer, size_t n, int *hints, bool *skip)
{
    char low[256], msg[400];
    for (;;) {
        if (!read_answer(q, answer, n))
            return false;
        squeeze(answer, low, sizeof low);
        if (strcmp(low, "hint") != 0) {
            *skip = strcmp(low, "skip") == 0;
            return true;
        }
        (*hints)++;
        snprintf(msg, sizeof msg, _("the rule: %s"), rule ? i18n_tr(rule) : _("(none given)"));
        say(q, "!", msg);
    }
}

/* Right, or the right answer with the rule that makes it so. */
static void verdict(struct quiz *q, bool ok, bool skip, const char *why_wrong, const char *expected,
                    const char *rule)
{
    char msg[400];
    if (ok) {
        say(q, "+", _("right"));
        return;
    }
    if (skip)
        snprintf(msg, sizeof msg, _("it is %s, because %s"), expected, rule ? i18n_tr(rule) : _("the rule above"));
    else
        snprintf(msg, sizeof msg, _("wrong (%s): it is %s, because %s"), i18n_tr(why_wrong), expected,
                 rule ? i18n_tr(rule) : _("the rule above"));
    say(q, skip ? "=" : "x", msg);
}

static void ask_segment(struct quiz *q, const struct segment *seg)
{
    char expected[200], answer[256];
    int hints = 0;
    bool skip;
    expected_segment(q, seg, expected, sizeof expected);
    say(q, "?", _("next segment? sender, flags, seq, ack, len (or: hint, skip)"));
    if (!answer_with_hints(q, seg->why, answer, sizeof answer, &hints, &skip))
        return;
    const char *why = skip ? N_("skipped") : judge_segment(q, answer, seg);
    verdict(q, !why, skip, why, expected, seg->why);
    record(q, "segment", "next segment", answer, expected, !why, hints);
}

/* --- the next state ----------------------------------------------------- */

static void ask_state(struct quiz *q, const struct event *ev)
{
    char answer[256], question[80];
    int hints = 0;
    bool skip;
    const char *expected = tcp_state_name(ev->to);
    snprintf(question, sizeof question, _("the %s's next state, from %s? (or: hint, skip)"), ep_name(ev->ep),
             tcp_state_name(ev->from));
    say(q, "?", question);
    if (!answer_with_hints(q, ev->why, answer, sizeof answer, &hints, &skip))
        return;
    enum tcp_state st;
    bool ok = !skip && tcp_state_parse(answer, &st) && st == ev->to;
    verdict(q, ok, skip, N_("another state"), expected, ev->why);
    record(q, "state", question, answer, expected, ok, hints);
}

static void observe(void *ctx, const struct event *ev)
{
    struct quiz *q = ctx;
    if (q->ended || q->s->muted)
        return;
    if (!q->states && ev->type == EV_SEND && ev->seg->origin == ORIGIN_TCB) {
        ladder_observe(&q->s->ladder, ev);      /* a SYN's ISN, for the numbering */
        ask_segment(q, ev->seg);
    }
    else if (q->states && ev->type == EV_STATE)
        ask_state(q, ev);
}

/* --- the lesson's own questions: ask ... ------------------------------ */

static int ask_free(struct quiz *q, int argc, char **argv)
{
    char answer[256], low[256], want[256];
    say(q, "?", argv[0]);
    if (!read_answer(q, answer, sizeof answer))
        return 1;
    squeeze(answer, low, sizeof low);
    bool ok = false;
    for (int i = 1; i < argc && !ok; i++) {
        squeeze(argv[i], want, sizeof want);
        ok = strcmp(low, want) == 0;
    }
    if (ok)
        say(q, "+", _("right"));
    else {
        char msg[400];
        snprintf(msg, sizeof msg, _("the lesson's answer: %s"), argv[1]);
        say(q, "x", msg);
    }
    record(q, "ask", argv[0], answer, argv[1], ok, 0);
    return 1;
}

static int ask_state_of(struct quiz *q, enum endpoint_id ep)
{
    char answer[256], question[80];
    enum tcp_state want = sim_tcb(&q->s->sim, ep)->state, got;
    snprintf(question, sizeof question, _("what state is the %s in now?"), ep_name(ep));
    say(q, "?", question);
    if (!read_answer(q, answer, sizeof answer))
        return 1;
    bool ok = tcp_state_parse(answer, &got) && got == want;
    char msg[120];
    snprintf(msg, sizeof msg, ok ? _("right: %s") : _("it is %s"), tcp_state_name(want));
    say(q, ok ? "+" : "x", msg);
    record(q, "state", question, answer, tcp_state_name(want), ok, 0);
    return 1;
}

static const struct {
    const char *name;
    size_t off;
    bool seq_space;     /* a sequence number, written in any notation */
    bool own;           /* ...counted from the endpoint's own ISN, else the peer's */
} fields[] = {
    { "iss", offsetof(struct tcb, iss), true, true },       { "irs", offsetof(struct tcb, irs), true, false },
    { "snd.una", offsetof(struct tcb, snd_una), true, true }, { "snd.nxt", offsetof(struct tcb, snd_nxt), true, true },
    { "rcv.nxt", offsetof(struct tcb, rcv_nxt), true, false }, { "snd.wnd", offsetof(struct tcb, snd_wnd), false, false },
    { "rcv.wnd", offsetof(struct tcb, rcv_wnd), false, false },
};

static int ask_field(struct quiz *q, enum endpoint_id ep, const char *name)
{
    struct tcb *t = sim_tcb(&q->s->sim, ep);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcasecmp(name, fields[i].name) != 0)
            continue;
        uint32_t want = *(const uint32_t *)((const char *)t + fields[i].off);
        enum endpoint_id base = fields[i].own ? ep : ep_peer(ep);
        seq_t isn = fields[i].seq_space ? isn_of(q, base) : 0;
        const char *letter = fields[i].seq_space ? q->s->ladder.letter[base] : NULL;
        char answer[256], question[80], msg[120];
        snprintf(question, sizeof question, _("what is the %s's %s now?"), ep_name(ep), fields[i].name);
        say(q, "?", question);
        if (!read_answer(q, answer, sizeof answer))
            return 1;
        char low[256];
        squeeze(answer, low, sizeof low);
        bool ok = fields[i].seq_space ? number_matches(low, want, isn, letter)
                                      : strtoul(low, NULL, 10) == want && isdigit((unsigned char)low[0]);
        char expected[32];                  /* in the lesson's numbering */
        if (fields[i].seq_space)
            ladder_number(&q->s->ladder, base, want, expected, sizeof expected);
        else
            snprintf(expected, sizeof expected, "%" PRIu32, want);
        snprintf(msg, sizeof msg, ok ? _("right: %s") : _("it is %s"), expected);
        say(q, ok ? "+" : "x", msg);
        record(q, "field", question, answer, expected, ok, 0);
        return 1;
    }
    session_error(q->s, _("ask: unknown field '%.20s'; ask ENDPOINT iss|irs|snd.una|snd.nxt|rcv.nxt|snd.wnd|rcv.wnd"),
                  name);
    return -1;
}

int cmd_ask(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    enum endpoint_id e;
    bool free_text = s->arg_quoted[0];
    if (free_text && argc < 2) {
        session_error(s, _("ask: a question needs its accepted answers: ask \"TEXT\" ANSWER..."));
        return -1;
    }
    if (!free_text && !(argc == 2 && (strcasecmp(argv[0], "state") == 0 ? arg_endpoint(argv[1], &e)
                                                                          : arg_endpoint(argv[0], &e)))) {
        session_error(s, _("ask: usage: ask \"TEXT\" ANSWER... | ask state ENDPOINT | ask ENDPOINT FIELD"));
        return -1;
    }
    struct quiz *q = s->quiz;
    if (!q || q->ended || s->muted)
        return 1;                   /* asked only in --quiz */
    if (free_text)
        return ask_free(q, argc, argv);
    if (strcasecmp(argv[0], "state") == 0)
        return ask_state_of(q, e);
    return ask_field(q, e, argv[1]);
}

/* --- the run ------------------------------------------------------------ */

static void score(struct quiz *q)
{
    char msg[120];
    ladder_flush(&q->s->ladder);
    size_t i;
    json_t *a;
    json_array_foreach(q->answers, i, a) {
        snprintf(msg, sizeof msg, "%2zu. %-8s %-6s  %s", i + 1, json_string_value(json_object_get(a, "kind")),
                 json_is_true(json_object_get(a, "right")) ? _("right") : _("missed"),
                 json_string_value(json_object_get(a, "expected")));
        fprintf(q->s->out, "         %s\n", msg);
    }
    fprintf(q->s->out, _("score %d/%d\n"), q->right, q->asked);
}

static int write_report(struct quiz *q, const char *file, const char *path)
{
    json_t *r = json_pack("{s:s, s:s, s:i, s:i, s:O}", "lesson", file, "mode", q->states ? "states" : "segments",
                          "right", q->right, "asked", q->asked, "answers", q->answers);
    int rc = r ? json_dump_file(r, path, JSON_INDENT(2)) : -1;
    json_decref(r);
    if (rc != 0) {
        fprintf(stderr, _("tcpsim: cannot write the report %s: %s; choose another path\n"), path,
                errno ? i18n_strerror(errno) : _("write failed"));
        return 2;
    }
    return 0;
}

int quiz_main(const struct sim_config *cfg, const char *file, bool states, const char *report)
{
    FILE *in = session_open(file);
    if (!in) {
        fprintf(stderr, _("tcpsim: cannot read %s: %s\n"), file, i18n_strerror(errno));
        return 2;
    }
    struct session s;
    struct quiz q = { .s = &s, .states = states, .tty = isatty(STDIN_FILENO), .answers = json_array() };
    session_init(&s, cfg, stdout, stderr);
    s.quiz = &q;
    s.observer = observe;
    s.observer_ctx = &q;
    s.echo = true;
    ladder_header(&s.ladder);
    session_run_stream(&s, in, file);
    fclose(in);
    score(&q);
    int status = s.expect_failed ? 1 : 0;
    session_free(&s);
    if (report && write_report(&q, file, report) != 0)
        status = 2;
    json_decref(q.answers);
    return status;
}
