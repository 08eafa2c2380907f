/* play.c - `tcpsim --play FILE`: a lesson for the projector, one command
 * per key press.  Space, Enter, n, the right arrow or Page Down (what a
 * presenter's clicker sends) runs the next command; b, Backspace, the left
 * arrow or Page Up goes back one; q, Ctrl-C or Ctrl-D quits.
 *
 * A key press runs the lesson's lines up to the next command that shows
 * something: comments, blank lines, `set` and `expect` lines run with the
 * command after them.  Going back replays the lesson from its start up to
 * the step before (the engine is deterministic) on a cleared screen, so
 * the screen is the one the class saw then.  Keys are read without
 * readline, so a lesson leaves nothing in the REPL's history.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "cli/play.h"
#include "render/i18n.h"

struct lesson {
    char **lines;
    size_t n_lines;
    size_t *step_end;       /* step k runs lines [step_end[k-1], step_end[k]) */
    size_t n_steps;
};

enum key { KEY_NEXT, KEY_BACK, KEY_QUIT, KEY_OTHER };

static void lesson_free(struct lesson *l)
{
    for (size_t i = 0; i < l->n_lines; i++)
        free(l->lines[i]);
    free(l->lines);
    free(l->step_end);
}

/* The first word of a line, lower-cased into buf ("" for a comment). */
static const char *first_word(const char *line, char *buf, size_t n)
{
    line += strspn(line, " \t");
    size_t k = 0;
    while (k + 1 < n && line[k] && line[k] != '#' && !strchr(" \t\r\n", line[k])) {
        buf[k] = (char)(line[k] >= 'A' && line[k] <= 'Z' ? line[k] + 32 : line[k]);
        k++;
    }
    buf[k] = '\0';
    return buf;
}

/* Lines that run with the command after them, without a key press. */
static bool runs_along(const char *line)
{
    char w[16];
    first_word(line, w, sizeof w);
    return !*w || strcmp(w, "set") == 0 || strcmp(w, "expect") == 0;
}

static int lesson_read(struct lesson *l, FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t lines_cap = 0;
    memset(l, 0, sizeof *l);
    while ((n = getline(&line, &cap, in)) != -1) {
        if (l->n_lines == lines_cap) {
            lines_cap = lines_cap ? lines_cap * 2 : 64;
            char **p = realloc(l->lines, lines_cap * sizeof *p);
            if (!p)
                goto fail;
            l->lines = p;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (!(l->lines[l->n_lines] = strdup(line)))
            goto fail;
        l->n_lines++;
    }
    free(line);
    l->step_end = malloc((l->n_lines + 1) * sizeof *l->step_end);
    if (!l->step_end)
        return -1;
    for (size_t i = 0; i < l->n_lines; i++)
        if (!runs_along(l->lines[i]))
            l->step_end[l->n_steps++] = i + 1;
    if (l->n_steps == 0 || l->step_end[l->n_steps - 1] < l->n_lines) {
        if (l->n_steps == 0)
            l->n_steps = 1;             /* a lesson of settings alone: one step */
        l->step_end[l->n_steps - 1] = l->n_lines;   /* trailing expects join the last */
    }
    return 0;
fail:
    free(line);
    return -1;
}

static enum key read_key(int fd)
{
    unsigned char c;
    if (read(fd, &c, 1) != 1)
        return KEY_QUIT;
    switch (c) {
    case ' ': case '\r': case '\n': case 'n': case 'j': return KEY_NEXT;
    case 'b': case 'p': case 'k': case 127: case 8: return KEY_BACK;
    case 'q': case 'Q': case 3: case 4: return KEY_QUIT;
    case 27: {
        /* ESC [ C right, ESC [ D left, ESC [ 6 ~ Page Down, ESC [ 5 ~ Page Up */
        unsigned char seq[8];
        size_t k = 0;
        while (k < sizeof seq && read(fd, &seq[k], 1) == 1) {
            if (k > 0 && seq[k] >= 0x40 && seq[k] <= 0x7e)
                break;
            k++;
        }
        if (k < sizeof seq && k >= 1 && seq[0] == '[') {
            char fin = (char)seq[k], arg = k > 1 ? (char)seq[1] : 0;
            if (fin == 'C' || (fin == '~' && arg == '6'))
                return KEY_NEXT;
            if (fin == 'D' || (fin == '~' && arg == '5'))
                return KEY_BACK;
        }
        return KEY_OTHER;
    }
    default: return KEY_OTHER;
    }
}

static void start(struct session *s, const struct sim_config *cfg, const char *path, bool color, bool tty)
{
    session_init(s, cfg, stdout, stderr);
    s->ladder.color = color;
    s->terminal = tty;
    s->echo = true;
    s->file = path;
    session_present(s);
    if (tty)
        fputs("\033[H\033[2J\033[3J", stdout);      /* a clean screen to project */
    ladder_header(&s->ladder);
}

static void run_step(struct session *s, const struct lesson *l, size_t k)
{
    for (size_t i = k ? l->step_end[k - 1] : 0; i < l->step_end[k]; i++) {
        char w[16];
        s->line = (int)i + 1;
        s->echo = strcmp(first_word(l->lines[i], w, sizeof w), "caption") != 0;  /* a caption shows itself */
        session_present(s);
        session_exec(s, l->lines[i]);
    }
    s->echo = true;
    fflush(stdout);
}

static void status(bool tty, size_t done, size_t total)
{
    if (!tty)
        return;
    fputs("\r\033[K", stdout);     /* a key that did nothing: the same line again */
    fputs("\033[7m", stdout);
    if (done < total)
        printf(_(" -- %zu/%zu: Space next, b back, q quit -- "), done, total);
    else
        printf(_(" -- end of the lesson (%zu/%zu): b back, q quit -- "), done, total);
    fputs("\033[0m", stdout);
    fflush(stdout);
}

static void unstatus(bool tty)
{
    if (tty)
        fputs("\r\033[K", stdout);
}

int play_run(const struct sim_config *cfg, const char *path, bool color)
{
    FILE *in = session_open(path);
    if (!in) {
        fprintf(stderr, _("tcpsim: cannot read %s: %s\n"), path, i18n_strerror(errno));
        return 2;
    }
    struct lesson l;
    int rc = lesson_read(&l, in);
    fclose(in);
    if (rc != 0) {
        lesson_free(&l);
        fprintf(stderr, _("tcpsim: out of memory reading %s\n"), path);
        return 2;
    }
    bool tty = isatty(STDOUT_FILENO);
    int keys = STDIN_FILENO;
    struct termios saved, raw;
    bool raw_mode = isatty(keys) && tcgetattr(keys, &saved) == 0;
    if (raw_mode) {
        raw = saved;
        raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO | ISIG);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(keys, TCSAFLUSH, &raw);
    }
    struct session s;
    start(&s, cfg, path, color, tty);
    size_t done = 0;
    for (;;) {
        status(tty, done, l.n_steps);
        enum key k = read_key(keys);
        if (k == KEY_QUIT)
            break;
        if (k == KEY_NEXT && done < l.n_steps) {
            unstatus(tty);
            run_step(&s, &l, done++);
        } else if (k == KEY_BACK && done > 0) {
            unstatus(tty);
            session_free(&s);
            start(&s, cfg, path, color, tty);
            done--;
            for (size_t i = 0; i < done; i++)
                run_step(&s, &l, i);
        }
    }
    unstatus(tty);
    if (raw_mode)
        tcsetattr(keys, TCSAFLUSH, &saved);
    int status_code = s.expect_failed || s.unexpected_errors > 0 ? 1 : 0;
    session_free(&s);
    lesson_free(&l);
    return status_code;
}
