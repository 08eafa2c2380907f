/* undo.c - what the session remembers to take commands back: the log of
 * every command still in effect (for undo and save), and snapshots.
 *
 * The engine is deterministic, so the simulation after the first n logged
 * commands is found by replaying them.  To make that cost the same at any
 * session length, the session keeps up to SNAPSHOT_MAX snapshots (a deep
 * copy of the simulation, with the presentation, the transcript's state
 * and the wire's memory), one each SNAPSHOT_WORK units of work (an engine
 * event is one, a command eight).  Replaying to n starts from the latest
 * snapshot at or before n, and forgets those after it.  Before the oldest
 * one, it starts from the beginning, taking snapshots again on the way.
 *
 * The log is one block of text with an offset per command: a few bytes
 * per command, however long the session.  The commands undo and save
 * live here too.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/expect.h"
#include "cli/interrupt.h"
#include "cli/session.h"
#include "render/i18n.h"

struct snapshot {
    size_t at;                      /* taken after this many logged commands */
    struct sim sim;
    struct presentation pres;
    struct ladder ladder;
    struct wire wire;
    struct timeline timeline;       /* what export draws */
};

/* --- the log -------------------------------------------------------------- */

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

int session_log_add(struct session *s, const char *line, bool changed)
{
    struct cmdlog *l = &s->log;
    size_t n = strlen(line);        /* the line's ending, not a CR inside quotes */
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    if (!grow((void **)&l->entry, &l->cap, l->len + 1, sizeof *l->entry) ||
        !grow((void **)&l->text, &l->text_cap, l->text_len + n + 1, 1))
        return -1;
    memcpy(l->text + l->text_len, line, n);
    l->text[l->text_len + n] = '\0';
    l->entry[l->len++] = (uint64_t)l->text_len << 1 | changed;
    l->text_len += n + 1;
    return 0;
}

const char *session_log_line(const struct session *s, size_t i) { return s->log.text + (s->log.entry[i] >> 1); }
bool session_log_changed(const struct session *s, size_t i) { return s->log.entry[i] & 1; }

static void log_truncate(struct cmdlog *l, size_t n)
{
    if (n < l->len) {
        l->text_len = (size_t)(l->entry[n] >> 1);
        l->len = n;
    }
}

/* --- snapshots ------------------------------------------------------------ */

static void snapshot_free(struct snapshot *p)
{
    sim_free(&p->sim);
    wire_clear(&p->wire);
    timeline_free(&p->timeline);
    free(p);
}

void session_forget(struct session *s)
{
    for (size_t i = 0; i < s->n_snap; i++)
        snapshot_free(s->snap[i]);
    s->n_snap = 0;
    free(s->log.text);
    free(s->log.entry);
    memset(&s->log, 0, sizeof s->log);
}

void session_maybe_snapshot(struct session *s)
{
    size_t at = s->log.len;
    if (s->work - s->work_at_snap < s->snapshot_work || (s->n_snap && s->snap[s->n_snap - 1]->at >= at))
        return;
    struct snapshot *p = calloc(1, sizeof *p);
    if (!p)
        return;
    if (sim_copy(&p->sim, &s->sim) != 0) {
        free(p);
        return;
    }
    if (wire_copy(&p->wire, &s->wire) != 0) {
        sim_free(&p->sim);
        free(p);
        return;
    }
    if (timeline_copy(&p->timeline, &s->timeline) != 0) {
        sim_free(&p->sim);
        wire_clear(&p->wire);
        free(p);
        return;
    }
    ladder_settle(&s->ladder);
    p->at = at;
    p->pres = s->pres;
    p->ladder = s->ladder;
    if (s->n_snap == SNAPSHOT_MAX) {
        snapshot_free(s->snap[0]);
        memmove(s->snap, s->snap + 1, (SNAPSHOT_MAX - 1) * sizeof *s->snap);
        s->n_snap--;
    }
    s->snap[s->n_snap++] = p;
    s->work_at_snap = s->work;
}

/* The simulation of snapshot p (or of the beginning, p NULL) in place of
 * the session's, the session's own callbacks and output kept. */
static void restore(struct session *s, const struct snapshot *p)
{
    event_fn fn = s->sim.on_event;
    void *ctx = s->sim.ctx;
    bool (*stop)(void *) = s->sim.should_stop;
    sim_free(&s->sim);
    wire_clear(&s->wire);
    timeline_free(&s->timeline);
    if (p && sim_copy(&s->sim, &p->sim) == 0 && wire_copy(&s->wire, &p->wire) == 0 &&
        timeline_copy(&s->timeline, &p->timeline) == 0) {
        FILE *out = s->ladder.out;
        bool color = s->ladder.color;
        s->ladder = p->ladder;
        s->ladder.out = out;
        s->ladder.color = color;
        s->pres = p->pres;
    } else {
        if (p) {                    /* out of memory: from the beginning */
            sim_free(&s->sim);
            wire_clear(&s->wire);
        }
        timeline_init(&s->timeline);
        sim_init(&s->sim, &s->cfg0, fn, ctx);
        s->pres = s->pres0;
        session_apply_presentation(s);
        ladder_reset(&s->ladder);
        s->ladder.window = s->cfg0.window;     /* `set window` or `set profile` replays set it again */
    }
    s->sim.on_event = fn;
    s->sim.ctx = ctx;
    s->sim.should_stop = stop;
}

/* --- replay --------------------------------------------------------------- */

void session_replay(struct session *s, size_t n)
{
    ladder_settle(&s->ladder);
    while (s->n_snap && s->snap[s->n_snap - 1]->at > n)
        snapshot_free(s->snap[--s->n_snap]);
    const struct snapshot *p = s->n_snap ? s->snap[s->n_snap - 1] : NULL;
    size_t from = p ? p->at : 0, len = s->log.len;
    /* The commands from the snapshot on, set aside: the log is rebuilt. */
    size_t base = from < len ? (size_t)(s->log.entry[from] >> 1) : s->log.text_len;
    size_t text_n = s->log.text_len - base;
    char *text = malloc(text_n + 1);
    uint64_t *entry = malloc((len - from + 1) * sizeof *entry);
    if (!text || !entry) {
        free(text);
        free(entry);
        return;
    }
    if (text_n)
        memcpy(text, s->log.text + base, text_n);
    for (size_t i = from; i < len; i++)
        entry[i - from] = s->log.entry[i] - ((uint64_t)base << 1);
    log_truncate(&s->log, from);
    restore(s, p);
    s->work_at_snap = s->work;

    if (!s->devnull)
        s->devnull = fopen("/dev/null", "w");
    FILE *ladder_out = s->ladder.out, *out = s->out;
    if (s->devnull)
        s->ladder.out = s->out = s->devnull;
    s->muted++;
    struct expect_cursors cursors = s->cursors;     /* a reset replayed clears them */
    size_t i = from;
    for (; i < n && !(s->interactive && !s->restoring && interrupt_pending()); i++)
        session_exec(s, text + (entry[i - from] >> 1));      /* logs each again */
    /* Stopped by Ctrl-C: the commands not replayed stay in the log, so
     * that the session can put back the simulation it had. */
    for (size_t j = i; i < n && j < len; j++)
        session_log_add(s, text + (entry[j - from] >> 1), entry[j - from] & 1);
    free(text);
    free(entry);
    s->muted--;
    s->cursors = cursors;
    expect_cursors_clamp(s);        /* what undo took back was not sent: not taken */
    ladder_settle(&s->ladder);
    s->ladder.out = ladder_out;
    s->out = out;
    session_present(s);     /* width auto: measured on the terminal, not /dev/null */
}

/* --- the commands ---------------------------------------------------------- */

int cmd_undo(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc; (void)argv;
    size_t k = s->log.len;
    while (k > 0 && !session_log_changed(s, k - 1))
        k--;                /* inspections after it showed what is undone */
    if (k == 0) {
        session_error(s, _("undo: nothing to undo yet"));
        return -1;
    }
    char *last = strdup(session_log_line(s, k - 1));
    session_replay(s, k - 1);
    jsonlog_restart(&s->json, s->sim.now, "undo");
    if (last) {
        last[strcspn(last, "\r\n")] = '\0';
        session_say(s, _("undone: %.60s (now t=%" PRIu64 ")"), last, s->sim.now);
    }
    free(last);
    return 0;
}

int cmd_save(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    if (argc > 1 || strcmp(argv[0], "--packetdrill") == 0)
        return cmd_save_packetdrill(s, argc, argv);     /* pkt_save.c */
    char pb[4096];
    const char *path = session_file(s, "save", argv[0], pb, sizeof pb);
    if (!path)
        return -1;
    FILE *f = fopen(path, "w");
    if (!f) {
        session_error(s, _("save: cannot write %.100s: %s; choose another path"), path, strerror(errno));
        return -1;
    }
    fprintf(f, "# tcpsim session, saved by 'save'; run it with: tcpsim %s\n", argv[0]);
    if (s->cfg0.profile != &profile_rfc9293)
        fprintf(f, "set profile %s\n", s->cfg0.profile->name);
    if (s->cfg0.seed != 1)
        fprintf(f, "set seed %" PRIu64 "\n", s->cfg0.seed);
    for (size_t i = 0; i < s->log.len; i++)
        fprintf(f, "%s\n", session_log_line(s, i));
    errno = 0;
    bool bad = fflush(f) != 0 || ferror(f);
    int e = errno ? errno : EIO;
    if (fclose(f) != 0 || bad) {
        errno = bad ? e : errno;
        session_error(s, _("save: writing %.100s failed: %s"), argv[0], strerror(errno));
        return -1;
    }
    session_say(s, _("saved %zu commands to %.60s"), s->log.len, argv[0]);
    return 0;
}
