/* session.h - one tcpsim session: a simulation, how it is shown, and the
 * commands that changed it (for undo and save).
 *
 * The REPL, batch input and scenario files all feed lines to
 * session_exec(); the session runs them through the command table and
 * draws the engine's events with the ladder renderer.
 */
#ifndef TCPSIM_SESSION_H
#define TCPSIM_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "render/capture.h"
#include "render/jsonlog.h"
#include "render/ladder.h"
#include "render/timeline.h"
#include "render/wire.h"
#include "tcpsim/sim.h"

/* Where expect next and expect none read the history (expect_seg.c): per
 * sender, the index where `expect next` looks for the next segment not
 * taken yet; the history's length at the last `expect next` or `expect
 * none`.  reset restarts them, undo keeps them (session_replay). */
struct expect_cursors {
    size_t next_from[EP_COUNT];
    size_t none_from;
};
/* The commands in effect: their text, one after another, and for each
 * its offset << 1 | whether it changed the simulation. */
struct cmdlog {
    char *text;
    size_t text_len, text_cap;
    uint64_t *entry;
    size_t len, cap;
};
#define SNAPSHOT_MAX 4
#define SNAPSHOT_WORK 20000
struct snapshot;

/* The engine loop a command is in: sweep snapshots a run between two
 * events and resumes the loop from there (sweep.c). */
enum loop_kind {
    LOOP_NONE,
    LOOP_RUN,                       /* `run`: until nothing is in flight */
    LOOP_ADVANCE,                   /* `advance`: until the clock reaches target */
    LOOP_AUTO,                      /* the same as LOOP_RUN, after a command (delivery auto) */
};
struct loop {
    enum loop_kind kind;
    uint64_t target;                /* LOOP_ADVANCE: the clock it runs to */
    size_t max, done;               /* its event budget, and the events processed */
};

/* What `set` changes outside the engine. */
struct presentation {
    bool auto_delivery;
    bool explain, steps;
    enum numbering numbers;
    char letter[EP_COUNT][LADDER_LETTER_MAX + 1];
    int width;                      /* set width: columns, or 0 for auto */
    bool light;                     /* set theme light */
};

struct session {
    struct sim sim;
    struct sim_config cfg0;         /* as the session began: undo replays from here */
    struct presentation pres, pres0;
    struct ladder ladder;           /* the transcript */
    struct jsonlog json;            /* --json, log json FILE */
    struct capture pcap;            /* --pcap, capture FILE */
    char *json_path, *pcap_path;    /* their names, for the messages */
    bool output_failed;             /* an output file could not be written: exit 2 */
    bool input_failed;              /* reading a scenario or stdin failed: exit 2 */
    struct wire wire;               /* sent sequence space, for the log's retransmit */
    struct timeline timeline;       /* what export svg|html draws */
    FILE *out, *err, *devnull;
    bool echo;                      /* show each command in the transcript */
    bool quiet;
    bool sandboxed;                 /* fuzzing: save, log, capture and sweep refuse */
    bool profile_pinned;            /* --compare: `set profile` is ignored */
    bool terminal;                  /* REPL or --play: width auto is the terminal's */
    const char *sandbox_dir;        /* fuzzing: ...or use plain names in this directory */
    uint64_t sweep_events;          /* a sweep's budget of engine events (0: SWEEP_MAX_EVENTS) */
    bool sweep_whole;               /* tests: every run of a sweep from the start */
    uint64_t sweep_converged;       /* tests: the runs of the last sweep that converged, */
    uint64_t sweep_shifted;         /* ... of them on the no-loss run at another time */
    bool sweep_run;                 /* one of a sweep's runs: it keeps no wire, log, capture or picture */
    int muted;                      /* replaying for undo: draw nothing */
    bool interactive;               /* the REPL's: Ctrl-C stops a command and undoes it */
    bool restoring;                 /* replaying after Ctrl-C: not to be stopped */

    const char *file;               /* for file:line in messages */
    int line;
    bool last_failed;               /* for `expect error` */
    int unexpected_errors;          /* command errors no `expect error` took */
    bool expect_failed;
    int failed_expects;             /* how many expectations failed */
    struct expect_cursors cursors;  /* expect next, expect none */
    bool keep_going;                /* sweep: run on after a failed expectation */
    bool quit;

    const char *arg_quoted;         /* during a command: which arguments were "quoted" */

    struct quiz *quiz;              /* --quiz: asks before segments, and `ask` */
    struct loop loop;               /* the engine loop running now */
    void (*between)(void *ctx);     /* sweep: called between two engine events */
    void *between_ctx;

    /* Tests: sees every engine event, undo's replays included. */
    event_fn observer;
    void *observer_ctx;

    /* Every command that succeeded and is still in effect, for undo and
     * save (undo.c), and snapshots of the simulation along it. */
    struct cmdlog log;
    struct snapshot *snap[SNAPSHOT_MAX];    /* oldest first */
    size_t n_snap;
    uint64_t work, work_at_snap;            /* events, and 8 per command */
    uint64_t snapshot_work;                 /* the spacing: SNAPSHOT_WORK (tests change it) */
};

void session_init(struct session *s, const struct sim_config *cfg, FILE *out, FILE *err);
void session_free(struct session *s);
/* Give the ladder what `set` chose for it (width auto: the terminal's
 * columns, at least 60, when s->terminal; 80 otherwise). */
void session_present(struct session *s);
/* Run one line.  Returns 0, or -1 when the command failed. */
int session_exec(struct session *s, const char *line);
/* The longest line a stream may hold: 4 MiB. */
#define SESSION_MAX_LINE (4 << 20)
/* Run every line of a stream (a scenario file or stdin); stops at quit or
 * at a failed expectation.  Returns 0, or -1 after an error or failure. */
int session_run_stream(struct session *s, FILE *in, const char *name);

/* Open a scenario file for reading; NULL with errno set (EISDIR for a
 * directory) when it cannot be read. */
FILE *session_open(const char *path);
/* Report a failed command: "[file:line: ]message". */
void session_error(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line of the front end's own in the transcript. */
void session_say(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The command table, for help and completion.  A handler returns 0, 1
 * when it succeeded but changed nothing, -1 after reporting an error, or
 * CMD_FAILED_CHANGED after reporting an error that came once it had
 * changed the simulation (a storm-stopped run): logged like a success. */
#define CMD_FAILED_CHANGED (-2)
struct command;
typedef int (*command_fn)(struct session *s, int ep, int argc, char **argv);
/* CMD_NOLOG: not kept for undo and save (the session commands). */
enum { CMD_EP = 1, CMD_EP_OPT = 2, CMD_CHANGES = 4, CMD_NOLOG = 8 };
struct command {
    const char *name, *alias;
    int flags;
    int min_args, max_args;
    command_fn run;
    const char *usage, *help;
    const char *example, *teaches;  /* for help COMMAND */
};
extern const struct command commands[];
extern const size_t n_commands;
const struct command *command_find(const char *name);
/* The closest command name within two edits, or NULL. */
const char *command_suggest(const char *name);

/* Settings names, for completion and `set`. */
extern const char *const setting_names[];
/* "absolute", "relative", "symbolic x y": the numbering as set writes it. */
const char *settings_numbers(const struct presentation *p, char *buf, size_t n);
/* The loss rates and pending drop rules, as `set` and `show` list them. */
void session_channel_rules(struct session *s);
/* The settings that are not the session's defaults, "delivery step, ...",
 * or "" (reset names them). */
const char *session_changed_settings(struct session *s, char *buf, size_t n);
/* Said whenever a two-way handshake is set, and by reset while it is. */
#define MSG_NOT_TCP N_("NOT TCP: two-way handshake, a listener trusts any SYN")
/* The words a setting takes, for completion; ends with a NULL name. */
struct setting_words {
    const char *name;
    const char *const *words;
};
extern const struct setting_words setting_words[];

/* Run the engine: LOOP_RUN or LOOP_AUTO until nothing is in flight,
 * LOOP_ADVANCE until the clock reaches target, at most max events; false
 * when they ran out (or Ctrl-C stopped it). */
bool session_run_loop(struct session *s, enum loop_kind kind, uint64_t target, size_t max);
/* Read one line of a stream (session.c): its length, -1 at the end, -2
 * past SESSION_MAX_LINE; *nul when it holds a NUL byte. */
ssize_t session_read_line(FILE *in, char **buf, size_t *cap, bool *nul);

/* Report that running stopped at SIM_STORM_LIMIT events (cmd may be NULL). */
void session_storm(struct session *s, const char *cmd);
/* False, after reporting it, when this run may not touch files (fuzzing). */
bool session_may_write(struct session *s, const char *command);
/* The path a command may open for `path`: path itself; in a sandbox
 * directory (fuzzing), a plain name inside it (in buf); NULL, after
 * reporting it, when the run may not touch files or that name. */
const char *session_file(struct session *s, const char *command, const char *path, char *buf, size_t n);
/* Start writing the JSON log or the capture to path, closing the one
 * open before.  Returns 0, or -1 with a message in err, changing nothing. */
int session_log_json(struct session *s, const char *path, char *err, size_t errlen);
int session_capture(struct session *s, const char *path, char *err, size_t errlen);
/* Write the session so far as a picture, kind "svg" or "html" (pictures.c).
 * Returns 0, or -1 with a message in err. */
int session_export(struct session *s, const char *kind, const char *path, char *err, size_t errlen);
/* Report an output file whose write failed, and close it: -1 if one did. */
int session_check_outputs(struct session *s);
/* Close the JSON log and/or the capture, reporting a failed write or
 * close (output_failed is set then); -1 if one failed. */
int session_close_outputs(struct session *s, bool json, bool pcap);

/* Give the ladder what pres and the configuration say. */
void session_apply_presentation(struct session *s);

/* The log (undo.c): add a command (its line ending cut), read one back. */
int session_log_add(struct session *s, const char *line, bool changed);
const char *session_log_line(const struct session *s, size_t i);
bool session_log_changed(const struct session *s, size_t i);
/* Rebuild the simulation from the first n logged commands, silently,
 * from the latest snapshot at or before them. */
void session_replay(struct session *s, size_t n);
/* Take a snapshot when enough work was done since the last. */
void session_maybe_snapshot(struct session *s);
/* Free the log and the snapshots. */
void session_forget(struct session *s);

/* Handlers that live in their own files, or that the dispatcher knows. */
int cmd_undo(struct session *s, int ep, int argc, char **argv);
int cmd_save(struct session *s, int ep, int argc, char **argv);
/* save --packetdrill FILE ENDPOINT (pkt_save.c) */
int cmd_save_packetdrill(struct session *s, int argc, char **argv);
int cmd_quit(struct session *s, int ep, int argc, char **argv);
int cmd_expect(struct session *s, int ep, int argc, char **argv);
/* help expect: every check, a line each (expect.c). */
extern const char *const expect_help;
int cmd_show(struct session *s, int ep, int argc, char **argv);
int cmd_inflight(struct session *s, int ep, int argc, char **argv);
int cmd_history(struct session *s, int ep, int argc, char **argv);
int cmd_segment(struct session *s, int ep, int argc, char **argv);
int cmd_set(struct session *s, int ep, int argc, char **argv);
int cmd_log(struct session *s, int ep, int argc, char **argv);
int cmd_capture(struct session *s, int ep, int argc, char **argv);
int cmd_sweep(struct session *s, int ep, int argc, char **argv);
int cmd_reset(struct session *s, int ep, int argc, char **argv);
int cmd_caption(struct session *s, int ep, int argc, char **argv);
int cmd_export(struct session *s, int ep, int argc, char **argv);
int cmd_help(struct session *s, int ep, int argc, char **argv);
/* How many runs a sweep makes of a scenario that sends `sends` segments
 * in `events` engine events: one per segment, at most SWEEP_MAX_RUNS, and
 * at most budget events in all (at least one run). */
#define SWEEP_MAX_RUNS 5000
#define SWEEP_MAX_EVENTS 200000000
uint64_t sweep_runs(uint64_t sends, uint64_t events, uint64_t budget);

#endif
