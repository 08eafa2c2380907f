/* pkt_run.h - one packetdrill script's run: the state the runner
 * (pkt_run.c) and the mapping of calls, shell lines and python blocks
 * (pkt_map.c) share.  Internal to them.
 *
 * The run drives a session: every action becomes a tcpsim command, run
 * by session_exec and kept, in order, as the translation that
 * `--packetdrill --translate` prints.  Outbound packets are checked here
 * against the wire's history, in order, as packetdrill checks them.
 */
#ifndef TCPSIM_PKT_RUN_H
#define TCPSIM_PKT_RUN_H

#include "cli/pkt.h"
#include "cli/session.h"

struct run {
    const struct pkt_opts *o;
    const char *path;
    struct pkt_script *sc;
    struct session s;
    FILE *tr;                       /* the translation */
    char *tr_buf;
    size_t tr_len;
    enum endpoint_id kernel, remote;
    int64_t base_us;                /* the previous event's time, for +relative */
    size_t cursor;                  /* wire history index of the next kernel segment to check */
    bool isn_known;
    seq_t isn;                      /* the kernel's ISN, 0 until its first SYN */
    seq_t syn_seq;                  /* the sequence number of the kernel's last SYN */
    bool listened;                  /* listen() ran: a later one is a plain listen */
    uint64_t received, consumed;    /* bytes the kernel's application got, and read() took */
    bool linger0;                   /* SO_LINGER {onoff=1, linger=0}: close() sends a RST */
    int64_t listen_fd, conn_fd;     /* -1: none */
    bool failed;
    const struct pkt_event *ev;     /* the event running */
    FILE *out, *err;                /* PASS/FAIL and notes; mismatches and errors */
    /* The translation pins each connection's ISS with `set isn`, before the
     * command that opened it (the connect, the SYN injected). */
    size_t open_mark;
    struct { size_t at; seq_t iss; } pin[16];
    size_t npin;
};

/* The translation's offset before a command that opens a connection. */
void run_mark_open(struct run *r);

/* Run a tcpsim command (printf-style), keep it in the translation; the
 * command's own errors are reported by the session with file:line. */
int run_exec(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "PATH:LINE: message" on stderr; the script FAILs. Returns -1. */
int run_fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* With -v: "PATH:LINE: message" on stdout (what was ignored or assumed). */
void run_note(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A comment line in the translation. */
void run_comment(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Move the clock to t (microseconds on the script's clock). */
int run_advance_to(struct run *r, int64_t t_us);

/* pkt_map.c */
/* Before running: an error for a call tcpsim cannot run (0 or -1). */
int map_check_call(const struct pkt_event *e, char *err, size_t errlen);
/* Which endpoint plays the kernel: the server for listen, the client for connect. */
enum endpoint_id map_kernel_role(const struct pkt_script *sc);
int map_syscall(struct run *r, const struct pkt_event *e, bool at_end);
int map_shell(struct run *r, const char *text);
int map_code(struct run *r, const char *text);

#endif
