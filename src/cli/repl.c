/* repl.c - the REPL: readline with a prompt that shows the clock, history
 * kept across runs under $XDG_STATE_HOME (or ~/.local/state), and tab
 * completion of commands, endpoints, directions, flags, settings, states
 * and segment ids, from what the words before say.  Ctrl-C abandons the
 * line, Ctrl-D quits.  Pasted text runs line by line, each line shown
 * after its prompt as if typed: a bracketed paste is split at its line
 * ends, and a line of text after the last line end is left to edit.
 *
 * Readline keeps its state in globals of its own, so the session being
 * completed is kept in one file-local pointer here, and only here.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli/interrupt.h"
#include "cli/repl.h"
#include "render/i18n.h"

static struct session *completing;       /* readline offers no context pointer */
static const char *first_words[64];     /* command names, then the endpoints */
static const char *command_words[64];
static const char *ep_command_words[64]; /* the commands an endpoint takes */
static const char *set_words[64];       /* setting names, then the endpoints */
static volatile sig_atomic_t interrupted;

static const char *const words_endpoints[] = { "client", "server", NULL };
static const char *const words_dirs[] = { "client->server", "server->client", "c->s", "s->c", NULL };
static const char *const words_flags[] = { "SYN", "SYN,ACK", "ACK", "PSH,ACK", "FIN,ACK", "RST", "RST,ACK", "FIN", NULL };
static const char *const words_fields[] = { "seq=", "ack=", "len=", "win=", "sport=", NULL };
static const char *const words_expect[] = {
    "client", "server", "last", "next", "none", "timer", "inflight", "error", NULL,
};
static const char *const words_tcb_fields[] = {
    "iss=", "irs=", "snd.una=", "snd.nxt=", "rcv.nxt=", "snd.wnd=", "rcv.wnd=", NULL,
};
static const char *const words_timers[] = { "retransmit", "persist", "time-wait", "fin-wait-2", "none", NULL };
static const char *const words_states[] = {
    "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
    "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT", NULL,
};
static const char *const words_backlog[] = { "backlog", NULL };
static const char *const words_delay[] = { "delay", NULL };
static const char *const words_from[] = { "from", NULL };
static const char *const words_log[] = { "json", "off", NULL };
static const char *const words_off[] = { "off", NULL };
static const char *const words_next[] = { "next", NULL };
static const char *const words_export[] = { "svg", "html", NULL };
static const char *const words_all[] = { "all", NULL };

static void build_word_lists(void)
{
    size_t k = 0, e = 0;
    for (size_t i = 0; i < n_commands && k < 60; i++) {
        command_words[k++] = commands[i].name;
        if (commands[i].flags & (CMD_EP | CMD_EP_OPT))
            ep_command_words[e++] = commands[i].name;
    }
    command_words[k] = NULL;
    ep_command_words[e] = NULL;
    memcpy(first_words, command_words, k * sizeof *first_words);
    first_words[k++] = "client";
    first_words[k++] = "server";
    first_words[k] = NULL;
    k = 0;
    for (size_t i = 0; setting_names[i] && k < 60; i++)
        set_words[k++] = setting_names[i];
    set_words[k++] = "client";
    set_words[k++] = "server";
    set_words[k] = NULL;
}

/* The candidates for the word being completed, from the words before it;
 * IDS means the segment ids of the history. */
static const char *const *candidates;
static const char *const IDS_[] = { NULL };
#define IDS IDS_

static char *generate(const char *text, int state)
{
    static size_t i;
    size_t n = strlen(text);
    if (!state)
        i = 0;
    if (candidates == IDS) {
        const struct channel *c = &completing->sim.chan;
        char id[32];
        if (i < c->hist_first - 1)
            i = c->hist_first - 1;
        while (i < c->hist_len) {
            snprintf(id, sizeof id, "#%zu", ++i);
            if (strncmp(id, text, n) == 0)
                return strdup(id);
        }
        return NULL;
    }
    while (candidates[i]) {
        const char *w = candidates[i++];
        if (strncasecmp(w, text, n) == 0)
            return strdup(w);
    }
    return NULL;
}

static bool is_endpoint_word(const char *w)
{
    return strcasecmp(w, "client") == 0 || strcasecmp(w, "server") == 0 ||
           strcasecmp(w, "c") == 0 || strcasecmp(w, "s") == 0;
}

static bool is(const char *w, const char *name)
{
    return w && strcasecmp(w, name) == 0;
}

static const char *const *words_of_setting(const char *name)
{
    if (is_endpoint_word(name))
        name = "client";
    for (size_t i = 0; setting_words[i].name; i++)
        if (strcasecmp(setting_words[i].name, name) == 0)
            return setting_words[i].words;
    return NULL;
}

/* What may follow: w[0..n) are the words before the one being completed,
 * the command's own arguments from w[a] on (after an endpoint, a = 2). */
static const char *const *what_follows(char **w, int n, int a, const char *cmd)
{
    int argi = n - a + 1;               /* which argument is being completed */
    const char *prev = w[n - 1];
    if (is(cmd, "inject"))
        return argi == 1 ? words_dirs : argi == 2 ? words_flags : words_fields;
    if (is(cmd, "drop"))
        return argi == 1 ? words_next : strstr(prev, "->") ? words_flags : argi == 2 ? words_dirs : NULL;
    if (is(cmd, "replay") || is(cmd, "deliver") || is(cmd, "dup") || is(cmd, "delay") || is(cmd, "segment"))
        return argi == 1 ? IDS : argi == 2 && is(cmd, "replay") ? words_delay : NULL;
    if (is(cmd, "loss"))
        return argi == 1 ? words_dirs : NULL;
    if (is(cmd, "listen"))
        return argi == 1 ? words_backlog : NULL;
    if (is(cmd, "flood"))
        return argi == 2 ? words_from : NULL;
    if (is(cmd, "log"))
        return argi == 1 ? words_log : NULL;
    if (is(cmd, "capture"))
        return argi == 1 ? words_off : NULL;
    if (is(cmd, "export"))
        return argi == 1 ? words_export : NULL;
    if (is(cmd, "reset"))
        return argi == 1 ? words_all : NULL;
    if (is(cmd, "show"))
        return argi == 1 && a == 1 ? words_endpoints : NULL;
    if (is(cmd, "help"))
        return argi == 1 ? command_words : NULL;
    if (is(cmd, "set")) {
        if (argi == 1)
            return set_words;
        if (argi == 3 && is_endpoint_word(w[a]))
            return words_of_setting(prev);   /* set client autoack on|off */
        return argi == 2 ? words_of_setting(prev) : NULL;
    }
    if (is(cmd, "expect")) {
        const char *what = w[a];
        if (argi == 1)
            return words_expect;
        if (is(what, "last") || is(what, "next"))
            return argi == 2 ? words_dirs : argi == 3 ? words_flags : words_fields;
        if (is(what, "none"))
            return argi == 2 ? words_dirs : NULL;
        if (what[0] == '#')                 /* expect #3 FLAGS seq=... */
            return argi == 2 ? words_flags : words_fields;
        if (is(what, "timer"))
            return argi == 2 ? words_endpoints : argi == 3 ? words_timers : NULL;
        if (is_endpoint_word(what))
            return argi == 2 ? words_states : words_tcb_fields;
        return NULL;
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;
    char before[256];
    snprintf(before, sizeof before, "%.*s", start, rl_line_buffer);
    char *w[16];
    int n = 0;
    for (char *tok = strtok(before, " \t"); tok && n < 16; tok = strtok(NULL, " \t"))
        w[n++] = tok;
    int a = n && is_endpoint_word(w[0]) ? 2 : 1;     /* where the arguments begin */
    if (n == 0)
        candidates = first_words;
    else if (n == 1 && a == 2)
        candidates = ep_command_words;              /* client <Tab>: its calls */
    else if (text[0] == '#')
        candidates = IDS;
    else
        candidates = what_follows(w, n, a, w[a - 1]);
    if (!candidates) {
        /* a file goes here: readline completes file names */
        if (n >= a && ((n - a == 0 && (is(w[a - 1], "save") || is(w[a - 1], "sweep"))) ||
                       (n - a == 1 && (is(w[a - 1], "export") || is(w[a - 1], "log")))))
            rl_attempted_completion_over = 0;
        return NULL;
    }
    char **m = rl_completion_matches(text, generate);
    if (m && !m[1] && m[0][0] && m[0][strlen(m[0]) - 1] == '=')
        rl_completion_suppress_append = 1;  /* seq= takes its value without a blank */
    return m;
}

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    interrupt_raise();      /* a long command stops between two events */
}

/* Called by readline when a signal interrupts its read. */
static int signal_hook(void)
{
    if (interrupted) {
        interrupted = 0;
        rl_replace_line("", 0);
        rl_crlf();
        rl_on_new_line();
        rl_redisplay();
    }
    return 0;
}

static char *history_path(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[4096];
    if (state && *state)
        snprintf(dir, sizeof dir, "%s/tcpsim", state);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/tcpsim", home);
    else
        return NULL;
    /* mkdir -p */
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    mkdir(dir, 0700);
    size_t n = strlen(dir) + sizeof "/history";
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/history", dir);
    return path;
}

/* --- pasting ----------------------------------------------------------- */

/* Lines pasted and not run yet, separated by '\n'; the text after the last
 * '\n' is an unfinished line, left in the next line's buffer to edit. */
static char *pasted;
static size_t pasted_len;

static void queue_pasted(const char *text, size_t n)
{
    char *p = realloc(pasted, pasted_len + n + 1);
    if (!p)
        return;
    pasted = p;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (c == '\r' && i + 1 < n && text[i + 1] == '\n')
            continue;                   /* CR LF: one line end */
        pasted[pasted_len++] = c == '\r' ? '\n' : c;
    }
    pasted[pasted_len] = '\0';
}

static void drop_pasted(void)
{
    free(pasted);
    pasted = NULL;
    pasted_len = 0;
}

/* The next whole pasted line (to free), or NULL. */
static char *next_pasted(void)
{
    char *nl = pasted ? memchr(pasted, '\n', pasted_len) : NULL;
    if (!nl)
        return NULL;
    size_t n = (size_t)(nl - pasted);
    char *line = strndup(pasted, n);
    memmove(pasted, nl + 1, pasted_len - n);    /* with the NUL */
    pasted_len -= n + 1;
    return line;
}

/* Readline's pre-input hook: an unfinished pasted line goes into the
 * buffer, as the terminal would have typed it. */
static int insert_unfinished(void)
{
    if (pasted && pasted_len > 0) {
        rl_insert_text(pasted);
        rl_redisplay();
    }
    drop_pasted();
    return 0;
}

/* Bound to the start of a bracketed paste (ESC [200~), instead of
 * readline's own command, which would insert the text, line ends and all,
 * as one line: the first line is accepted as if Enter ended it, the rest
 * is queued for the loop. */
static int on_paste(int count, int key)
{
    (void)count; (void)key;
    static const char end[] = "\033[201~";
    size_t matched = 0, len = 0, cap = 256;
    char *text = malloc(cap);
    int c;
    if (!text)
        return 0;
    while (matched < sizeof end - 1 && (c = rl_read_key()) >= 0) {
        if (len + 1 >= cap) {
            char *p = realloc(text, cap *= 2);
            if (!p)
                break;
            text = p;
        }
        text[len++] = (char)c;
        matched = c == end[matched] ? matched + 1 : c == end[0];
    }
    len -= matched;
    queue_pasted(text, len);
    free(text);
    char *first = next_pasted();
    if (!first) {                       /* no line end: insert it, as readline does */
        insert_unfinished();
        return 0;
    }
    rl_insert_text(first);
    free(first);
    rl_redisplay();
    return rl_newline(1, '\n');
}

/* A pasted line, shown after the prompt as if typed (control bytes as ^X). */
static void echo_line(FILE *out, const char *prompt, const char *line)
{
    fputs(prompt, out);
    for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
        if (*p < 32 || *p == 127)
            fprintf(out, "^%c", *p == 127 ? '?' : *p + 64);
        else
            fputc(*p, out);
    }
    fputc('\n', out);
}

int repl_run(struct session *s)
{
    completing = s;
    s->terminal = true;
    s->interactive = true;
    build_word_lists();
    rl_readline_name = "tcpsim";
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t";
    rl_catch_signals = 0;
    rl_signal_event_hook = signal_hook;
    rl_initialize();
    rl_bind_keyseq_in_map("\033[200~", on_paste, emacs_standard_keymap);
    rl_bind_keyseq_in_map("\033[200~", on_paste, vi_insertion_keymap);
    rl_bind_keyseq_in_map("\033[200~", on_paste, vi_movement_keymap);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);     /* no SA_RESTART: the read returns */

    char *hist = history_path();
    FILE *probe = hist ? fopen(hist, "a") : NULL;
    if (hist && !probe) {
        fprintf(s->err, _("tcpsim: cannot keep the history in %s: %s; set XDG_STATE_HOME to a writable "
                          "directory (this session goes on without a history file)\n"), hist, i18n_strerror(errno));
        free(hist);
        hist = NULL;
    }
    if (probe)
        fclose(probe);
    if (hist)
        read_history(hist);
    stifle_history(1000);
    fputs(_("tcpsim: a TCP connection simulator.\n'help' lists the commands, Tab completes, Ctrl-D quits.\n"), s->out);
    session_present(s);
    ladder_header(&s->ladder);
    int status = 0;
    while (!s->quit) {
        char prompt[64];
        session_present(s);         /* width auto follows the terminal */
        snprintf(prompt, sizeof prompt, "[t=%" PRIu64 "ms] tcpsim> ", s->sim.now);
        if (interrupted) {          /* Ctrl-C while pasted lines ran: the rest is dropped */
            interrupted = 0;
            drop_pasted();
        }
        char *line = next_pasted();
        if (line) {
            echo_line(s->out, prompt, line);
        } else {
            rl_pre_input_hook = pasted ? insert_unfinished : NULL;
            line = readline(prompt);
        }
        if (!line) {
            fputc('\n', s->out);
            break;
        }
        size_t n = strcspn(line, "\r\n");
        if (line[n]) {              /* a paste readline let through whole, then Enter: */
            const char *rest = line + n + (line[n] == '\r' && line[n + 1] == '\n' ? 2 : 1);
            queue_pasted(rest, strlen(rest));
            if (pasted_len > 0 && pasted[pasted_len - 1] != '\n')
                queue_pasted("\n", 1);     /* every line of it runs */
            line[n] = '\0';
        }
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';      /* Tab completion leaves a blank */
        HIST_ENTRY *prev = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
        if (*line && !(prev && strcmp(prev->line, line) == 0)) {
            add_history(line);
            if (hist && append_history(1, hist) != 0)
                write_history(hist);
        }
        interrupt_clear();      /* a Ctrl-C at the prompt stops no command */
        session_exec(s, line);
        fflush(s->out);
        free(line);
    }
    drop_pasted();
    if (hist) {
        history_truncate_file(hist, 1000);
        free(hist);
    }
    completing = NULL;
    return status;
}
