/* session.c - the dispatcher: a line becomes words, the words a row of the
 * command table, and the row's handler runs with its arguments checked.
 * Also the session's life, its messages, and Ctrl-C (undo.c keeps the
 * log and the snapshots that undo and Ctrl-C go back with).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/expect.h"
#include "cli/interrupt.h"
#include "cli/lexer.h"
#include "cli/session.h"
#include "render/text.h"
#include "render/i18n.h"

static void on_event(void *ctx, const struct event *ev)
{
    struct session *s = ctx;
    if (s->observer)
        s->observer(s->observer_ctx, ev);
    if (!s->quiet)      /* -q: only errors and failed expectations */
        ladder_event(&s->ladder, ev);
    else
        ladder_observe(&s->ladder, ev);
    s->work++;          /* for the snapshots' spacing */
    if (s->sweep_run)
        return;         /* a sweep's run: no log, capture or picture can ever be made */
    /* The wire remembers what was sent even while undo replays in silence:
     * it is rebuilt with the simulation. */
    bool repeats = ev->type == EV_SEND && wire_repeats(&s->wire, ev->seg);
    timeline_event(&s->timeline, ev, &s->ladder, &s->sim);     /* rebuilt by undo's replay too */
    if (!s->muted) {    /* undo's replay happened already */
        jsonlog_event(&s->json, ev, repeats);
        capture_event(&s->pcap, ev);
    }
}

/* The engine asks between two events: Ctrl-C stops every session's runs
 * (a sweep's too), except the replay that puts things back after it. */
static bool should_stop(void *ctx)
{
    struct session *s = ctx;
    if (s->between) {
        s->between(s->between_ctx);
        s->loop.done++;
    }
    return !s->restoring && interrupt_pending();
}

bool session_run_loop(struct session *s, enum loop_kind kind, uint64_t target, size_t max)
{
    s->loop = (struct loop){ .kind = kind, .target = target, .max = max };
    bool ok = kind != LOOP_ADVANCE ? sim_run(&s->sim, max)
                                   : sim_advance(&s->sim, target > s->sim.now ? target - s->sim.now : 0, max);
    s->loop.kind = LOOP_NONE;
    return ok;
}

static void start_sim(struct session *s)
{
    sim_init(&s->sim, &s->cfg0, on_event, s);
    s->sim.should_stop = should_stop;
}

void session_apply_presentation(struct session *s)
{
    s->ladder.numbers = s->pres.numbers;
    memcpy(s->ladder.letter, s->pres.letter, sizeof s->ladder.letter);
    s->ladder.steps = s->pres.steps;
    s->ladder.explain = s->pres.explain;
    s->ladder.window = s->sim.cfg.window;
    session_present(s);
}

void session_present(struct session *s)
{
    struct winsize ws;
    int w = s->pres.width;
    if (w == 0)
        w = s->terminal && ioctl(fileno(s->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col
                                                                                     : LADDER_DEFAULT_WIDTH;
    s->ladder.width = w < LADDER_MIN_WIDTH ? LADDER_MIN_WIDTH : w > LADDER_MAX_WIDTH ? LADDER_MAX_WIDTH : w;
    s->ladder.light = s->pres.light;
}

void session_init(struct session *s, const struct sim_config *cfg, FILE *out, FILE *err)
{
    memset(s, 0, sizeof *s);
    s->cfg0 = *cfg;
    s->out = out;
    s->err = err;
    s->pres.auto_delivery = true;
    strcpy(s->pres.letter[EP_CLIENT], "x");
    strcpy(s->pres.letter[EP_SERVER], "y");
    s->pres0 = s->pres;
    s->snapshot_work = SNAPSHOT_WORK;
    ladder_init(&s->ladder, out);
    timeline_init(&s->timeline);
    start_sim(s);
    memcpy(s->ladder.port, cfg->port, sizeof s->ladder.port);
    session_apply_presentation(s);
}

void session_free(struct session *s)
{
    ladder_settle(&s->ladder);
    session_close_outputs(s, true, true);
    wire_clear(&s->wire);
    timeline_free(&s->timeline);
    sim_free(&s->sim);
    session_forget(s);
    if (s->devnull)
        fclose(s->devnull);
}

/* A message for the REPL's terminal, wrapped at blanks to the transcript's
 * width (the terminal's, when it is narrower), its later lines indented
 * under its first (after "error: "): the terminal's own wrap cuts words. */
static void wrap_message(char *text, size_t size, int width)
{
    enum { INDENT = 7 };        /* "error: " */
    char out[8192];             /* room for a 4096-byte text and its line breaks */
    size_t o = 0;
    const char *p = text;
    while (*p && o < sizeof out - INDENT - 2) {
        int n = text_fit(p, width - INDENT, true);
        if (n == 0)             /* nothing fits: leave the rest to the terminal */
            n = (int)strlen(p);
        o += (size_t)snprintf(out + o, sizeof out - o, "%.*s", n, p);
        for (p += n; *p == ' '; p++)
            ;
        if (*p && o < sizeof out - INDENT - 2)
            o += (size_t)snprintf(out + o, sizeof out - o, "\n%*s", INDENT, "");
    }
    size_t m = o < size - 1 ? o : size - 1;
    memcpy(text, out, m);
    text[m] = '\0';
}

void session_error(struct session *s, const char *fmt, ...)
{
    if (s->muted)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ladder_flush(&s->ladder);
    fflush(s->out);
    char shown[sizeof msg * 4];     /* what the user typed, never a raw control byte */
    text_escape(msg, strlen(msg), shown, sizeof shown, -1, false);
    if (s->terminal && !s->file) {
        struct winsize ws;
        bool narrower = ioctl(fileno(s->err), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20 && ws.ws_col < s->ladder.width;
        wrap_message(shown, sizeof shown, narrower ? ws.ws_col : s->ladder.width);
    }
    if (s->file)
        fprintf(s->err, "%s:%d: %s\n", s->file, s->line, shown);
    else
        fprintf(s->err, _("error: %s\n"), shown);
    fflush(s->err);
    jsonlog_error(&s->json, s->sim.now, msg);
}

void session_say(struct session *s, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    if (s->muted || s->quiet)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ladder_tell(&s->ladder, s->sim.now, buf);
}

bool session_may_write(struct session *s, const char *command)
{
    if (s->sandboxed)
        session_error(s, _("%s: this run may not touch files"), command);
    return !s->sandboxed;
}

const char *session_file(struct session *s, const char *command, const char *path, char *buf, size_t n)
{
    if (!s->sandbox_dir)
        return session_may_write(s, command) ? path : NULL;
    if (!*path || strchr(path, '/') || strcmp(path, ".") == 0 || strcmp(path, "..") == 0 ||
        strcmp(path, "-") == 0) {
        session_error(s, _("%s: this run writes only plain file names, in its sandbox"), command);
        return NULL;
    }
    snprintf(buf, n, "%s/%s", s->sandbox_dir, path);
    return buf;
}

void session_storm(struct session *s, const char *cmd)
{
    session_error(s, _("%s%sstopped after %d events: an ACK storm (the endpoints keep answering each "
                     "other) or more segments than one command should make; inspect with inflight, "
                     "then step, run or reset"), cmd ? cmd : "", cmd ? " " : "", SIM_STORM_LIMIT);
}

/* --- the command table lookup ------------------------------------------ */

const struct command *command_find(const char *name)
{
    for (size_t i = 0; i < n_commands; i++) {
        if (strcasecmp(name, commands[i].name) == 0 ||
            (commands[i].alias && strcasecmp(name, commands[i].alias) == 0))
            return &commands[i];
    }
    return NULL;
}

const char *command_suggest(const char *name)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < n_commands; i++) {
        size_t d = arg_distance(name, commands[i].name);
        if (d < best_d) {
            best_d = d;
            best = commands[i].name;
        }
    }
    return best;
}

/* --- Ctrl-C ---------------------------------------------------------------- */

/* Ctrl-C stopped command c: rebuild the simulation from the `logged`
 * commands before it, with Ctrl-C ignored, and say so. */
static void interrupted(struct session *s, const struct command *c, size_t logged)
{
    interrupt_clear();
    if (c && (c->flags & CMD_CHANGES || c->run == cmd_undo)) {
        s->restoring = true;
        session_replay(s, logged);
        s->restoring = false;
        jsonlog_restart(&s->json, s->sim.now, "interrupt");
        session_error(s, _("%s: interrupted (Ctrl-C); the simulation is as it was before it (t=%" PRIu64 "ms)"),
                      c->name, s->sim.now);
    } else {
        session_error(s, "%s: interrupted (Ctrl-C)", c ? c->name : "command");
    }
    interrupt_clear();
}

/* --- the dispatcher ----------------------------------------------------- */

static const char *const endpoint_words[] = { "client", "server", NULL };

static int dispatch(struct session *s, struct words *w, const struct command **which)
{
    int i = 0, ep = -1;
    enum endpoint_id e;
    *which = NULL;
    if (arg_endpoint(w->argv[0], &e)) {
        ep = (int)e;
        if (w->argc == 1) {
            session_error(s, _("%s: what should the %s do? e.g. '%s connect' (help lists the commands)"),
                          w->argv[0], ep_name(e), ep_name(e));
            return -1;
        }
        i = 1;
    }
    const struct command *c = command_find(w->argv[i]);
    if (!c) {
        const char *hint = command_suggest(w->argv[i]);
        const char *ep_hint = i == 0 ? arg_suggest(w->argv[0], endpoint_words) : NULL;
        const struct command *next = w->argc > 1 ? command_find(w->argv[1]) : NULL;
        if (ep_hint && (!hint || (next && (next->flags & (CMD_EP | CMD_EP_OPT))) ||
                        arg_distance(w->argv[0], ep_hint) < arg_distance(w->argv[0], hint))) {
            if (next)           /* sever listen: the server, not save */
                session_error(s, _("unknown endpoint '%.40s' (did you mean '%s'?)"), w->argv[0], ep_hint);
            else
                session_error(s, _("unknown command '%.40s' (did you mean '%s'?)"), w->argv[0], ep_hint);
            return -1;
        }
        if (hint)
            session_error(s, _("unknown command '%.40s' (did you mean '%s'?)"), w->argv[i], hint);
        else
            session_error(s, _("unknown command '%.40s' (help lists the commands)"), w->argv[i]);
        return -1;
    }
    *which = c;
    if ((c->flags & CMD_EP) && ep < 0) {
        session_error(s, _("%s needs an endpoint: client %s or server %s"), c->name, c->name, c->name);
        return -1;
    }
    if (!(c->flags & (CMD_EP | CMD_EP_OPT)) && ep >= 0) {
        session_error(s, _("%s is not an endpoint's call: write '%s' alone (usage: %s)"), c->name, c->name, c->usage);
        return -1;
    }
    int argc = w->argc - i - 1;
    if (argc < c->min_args || argc > c->max_args) {
        session_error(s, _("%s: %s; usage: %s"), c->name,
                      argc < c->min_args ? _("missing argument") : _("too many arguments"), c->usage);
        return -1;
    }
    s->arg_quoted = w->quoted + i + 1;
    return c->run(s, ep, argc, w->argv + i + 1);
}

int session_exec(struct session *s, const char *line)
{
    struct words w;
    const char *lex_error;
    if (lex_line(line, &w, &lex_error) != 0) {
        session_error(s, "%s", _(lex_error));
        s->last_failed = true;
        if (!s->muted)
            s->unexpected_errors++;
        return -1;
    }
    if (w.argc == 0) {
        lex_free(&w);
        return 0;
    }
    bool is_expect = strcasecmp(w.argv[0], "expect") == 0;
    bool is_ask = strcasecmp(w.argv[0], "ask") == 0;       /* the quiz shows the question itself */
    bool shows_itself = is_expect || is_ask || strcasecmp(w.argv[0], "caption") == 0;
    if (s->echo && !s->quiet && !s->muted && !shows_itself) {
        char buf[1024];             /* ladder_say cuts it to the width */
        snprintf(buf, sizeof buf, "> %s", line);
        buf[strcspn(buf, "\r\n")] = '\0';
        ladder_say(&s->ladder, s->sim.now, buf);
    }
    const struct command *c;
    size_t logged = s->log.len;
    int rc = dispatch(s, &w, &c);
    lex_free(&w);
    if (is_expect) {
        if (rc != 0) {              /* a malformed expect is a failed one (SPEC 4) */
            s->failed_expects++;
            s->expect_failed = true;
        }
        if (!s->muted)
            jsonlog_expect(&s->json, s->sim.now, s->line, rc == 0);
        return rc;
    }
    bool ok = rc >= 0 || rc == CMD_FAILED_CHANGED;
    bool changed = (rc == 0 || rc == CMD_FAILED_CHANGED) && c && (c->flags & CMD_CHANGES);
    if (rc > 0)
        rc = 0;             /* succeeded, changed nothing (e.g. `set` alone) */
    if (rc == CMD_FAILED_CHANGED) {
        rc = -1;
        changed = false;    /* no auto delivery after a storm */
        if (ok && !(c->flags & CMD_NOLOG))
            session_log_add(s, line, true);
        ok = false;
    }
    if (ok && c && !(c->flags & CMD_NOLOG))
        session_log_add(s, line, changed);
    if (changed) {
        if (s->pres.auto_delivery && !session_run_loop(s, LOOP_AUTO, 0, SIM_STORM_LIMIT)) {
            if (!s->sim.stopped)
                session_storm(s, NULL);
            rc = -1;
        }
    }
    ladder_settle(&s->ladder);
    if (s->interactive && !s->muted && interrupt_pending()) {
        interrupted(s, c, logged);
        rc = -1;
    }
    s->work += 8;
    if (s->log.len > logged)
        session_maybe_snapshot(s);
    if (!s->muted && session_check_outputs(s) != 0)
        rc = -1;
    s->last_failed = rc != 0;
    if (rc != 0 && !s->muted)
        s->unexpected_errors++;
    return rc;
}

FILE *session_open(const char *path)
{
    struct stat st;
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    return f;
}

/* Read one line (with its newline) into *buf.  Returns its length, -1 at
 * the end of input, or -2 when it runs past SESSION_MAX_LINE bytes.  *nul
 * says whether it holds a NUL byte.  A line ends at LF, CR LF, or a lone
 * CR (old Mac files), but a CR inside a quoted string is part of the
 * line, as the lexer reads it. */
ssize_t session_read_line(FILE *in, char **buf, size_t *cap, bool *nul)
{
    size_t len = 0;
    int c = EOF;
    bool quoted = false, escaped = false, comment = false;
    *nul = false;
    while ((c = getc_unlocked(in)) != EOF) {
        bool word_start = len == 0 || strchr(" \t\v\f", (*buf)[len - 1]);
        if (quoted) {
            quoted = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if (!comment && c == '"' && word_start) {
            quoted = true;
        } else if (!comment && c == '#' && word_start) {
            int d = getc_unlocked(in);
            comment = !(d >= '0' && d <= '9');      /* #3 is a segment id */
            if (d != EOF)
                ungetc(d, in);
        } else if (c == '\r') {
            int d = getc_unlocked(in);
            if (d != EOF)
                ungetc(d, in);
            if (d != '\n') {
                c = '\n';                          /* a lone CR ends the line */
                quoted = comment = false;
            }
        }
        if (len + 2 > *cap) {
            if (*cap >= SESSION_MAX_LINE)
                return -2;
            size_t n = *cap ? *cap * 2 : 256;
            if (n > SESSION_MAX_LINE)
                n = SESSION_MAX_LINE;
            char *p = realloc(*buf, n);
            if (!p)
                return -2;
            *buf = p;
            *cap = n;
        }
        *nul |= c == '\0';
        (*buf)[len++] = (char)c;
        if (c == '\n')
            break;
    }
    if (len == 0)
        return -1;
    (*buf)[len] = '\0';
    return (ssize_t)len;
}

int session_run_stream(struct session *s, FILE *in, const char *name)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool nul;
    int rc = 0;
    s->file = name;
    s->line = 0;
    while (!s->quit && (s->keep_going || !s->expect_failed) && (n = session_read_line(in, &line, &cap, &nul)) != -1) {
        s->line++;
        if (n == -2 || nul) {
            /* Not a text file (or not one of ours): stop reading it. */
            session_error(s, _("%s: scenario files are text; stopped reading %s"),
                          n == -2 ? _("the line is longer than 4 MiB") : _("the line holds a NUL byte"), name);
            s->unexpected_errors++;
            rc = -1;
            break;
        }
        if (session_exec(s, line) != 0)
            rc = -1;
    }
    if (ferror(in)) {
        session_error(s, _("reading %s failed: %s"), name, i18n_strerror(errno));
        s->unexpected_errors++;
        s->input_failed = true;
        rc = -1;
    }
    free(line);
    ladder_settle(&s->ladder);
    fflush(s->out);
    return rc;
}
