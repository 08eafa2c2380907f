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

#include "cli/repl.h"

static struct session *completing;       /* readline offers no context pointer */
static const char *first_words[64];     /* command names, then the endpoints */
static const char *command_words[64];
static volatile sig_atomic_t interrupted;

static const char *const words_endpoints[] = { "client", "server", NULL };
static const char *const words_dirs[] = { "client->server", "server->client", "c->s", "s->c", NULL };
static const char *const words_flags[] = { "SYN", "SYN,ACK", "ACK", "PSH,ACK", "FIN,ACK", "RST", "RST,ACK", "FIN", NULL };
static const char *const words_expect[] = { "client", "server", "last", "next", "none", "timer", "inflight", "error", NULL };
static const char *const words_timers[] = { "retransmit", "persist", "time-wait", "fin-wait-2", "none", NULL };
static const char *const words_states[] = {
    "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
    "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT", NULL,
};
static const char *const words_onoff[] = { "on", "off", NULL };

static void build_word_lists(void)
{
    size_t k = 0;
    for (size_t i = 0; i < n_commands && k < 60; i++)
        command_words[k++] = commands[i].name;
    command_words[k] = NULL;
    memcpy(first_words, command_words, k * sizeof *first_words);
    first_words[k++] = "client";
    first_words[k++] = "server";
    first_words[k] = NULL;
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

/* After "expect CHECK": what the check takes next (w[1] is the check). */
static const char *const *expect_words(char **w, int n, int argi)
{
    const char *check = n > 1 ? w[1] : "";
    if (strcasecmp(check, "last") == 0 || strcasecmp(check, "next") == 0)
        return argi == 2 ? words_dirs : argi == 3 ? words_flags : NULL;
    if (strcasecmp(check, "none") == 0)
        return argi == 2 ? words_dirs : NULL;
    if (strcasecmp(check, "timer") == 0)
        return argi == 2 ? words_endpoints : argi == 3 ? words_timers : NULL;
    if (check[0] == '#')
        return argi == 2 ? words_flags : NULL;
    return is_endpoint_word(check) && argi == 2 ? words_states : NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;
    char before[256];
    snprintf(before, sizeof before, "%.*s", start, rl_line_buffer);
    char *w[8];
    int n = 0;
    for (char *tok = strtok(before, " \t"); tok && n < 8; tok = strtok(NULL, " \t"))
        w[n++] = tok;
    const char *cmd = n ? w[0] : NULL;
    int argi = n;                       /* which argument is being completed */
    if (cmd && is_endpoint_word(cmd)) {
        cmd = n > 1 ? w[1] : NULL;
        argi = n - 1;
    }
    const char *prev = n ? w[n - 1] : "";
    static const char *const next_word[] = { "next", NULL };
    if (argi == 0)
        candidates = n == 0 ? first_words : command_words;
    else if (text[0] == '#')
        candidates = IDS;
    else if (strcasecmp(cmd, "inject") == 0)
        candidates = argi == 1 ? words_dirs : argi == 2 ? words_flags : NULL;
    else if (strcasecmp(cmd, "drop") == 0)
        candidates = argi == 1 ? next_word : argi == 2 ? words_dirs : words_flags;
    else if (strcasecmp(cmd, "loss") == 0 || strcasecmp(cmd, "replay") == 0)
        candidates = argi == 1 && strcasecmp(cmd, "loss") == 0 ? words_dirs : NULL;
    else if (strcasecmp(cmd, "show") == 0)
        candidates = words_endpoints;
    else if (strcasecmp(cmd, "help") == 0)
        candidates = command_words;
    else if (strcasecmp(cmd, "set") == 0)
        candidates = argi == 1 ? setting_names : strcasecmp(prev, "isn") == 0 ? words_endpoints : words_onoff;
    else if (strcasecmp(cmd, "expect") == 0)
        candidates = argi == 1 ? words_expect : expect_words(w, n, argi);
    else
        candidates = NULL;
    if (!candidates)
        return NULL;
    return rl_completion_matches(text, generate);
}

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
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

int repl_run(struct session *s)
{
    completing = s;
    build_word_lists();
    rl_readline_name = "tcpsim";
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t";
    rl_catch_signals = 0;
    rl_signal_event_hook = signal_hook;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);     /* no SA_RESTART: the read returns */

    char *hist = history_path();
    FILE *probe = hist ? fopen(hist, "a") : NULL;
    if (hist && !probe) {
        fprintf(s->err, "tcpsim: cannot keep the history in %s: %s; set XDG_STATE_HOME to a writable "
                        "directory (this session goes on without a history file)\n", hist, strerror(errno));
        free(hist);
        hist = NULL;
    }
    if (probe)
        fclose(probe);
    if (hist)
        read_history(hist);
    stifle_history(1000);
    fputs("tcpsim: a TCP connection simulator. 'help' lists the commands, Tab completes, Ctrl-D quits.\n", s->out);
    ladder_header(&s->ladder);
    int status = 0;
    while (!s->quit) {
        char prompt[64];
        snprintf(prompt, sizeof prompt, "[t=%" PRIu64 "ms] tcpsim> ", s->sim.now);
        char *line = readline(prompt);
        if (!line) {
            fputc('\n', s->out);
            break;
        }
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';      /* Tab completion leaves a blank */
        HIST_ENTRY *prev = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
        if (*line && !(prev && strcmp(prev->line, line) == 0)) {
            add_history(line);
            if (hist && append_history(1, hist) != 0)
                write_history(hist);
        }
        session_exec(s, line);
        fflush(s->out);
        free(line);
    }
    if (hist) {
        history_truncate_file(hist, 1000);
        free(hist);
    }
    completing = NULL;
    return status;
}
