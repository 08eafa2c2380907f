/* pkt_map.c - what a script's system calls, shell lines and python blocks
 * mean to the endpoint that plays the kernel.
 *
 *   socket bind                     nothing (tcpsim's ports are fixed)
 *   listen(fd, N)                   server listen backlog N
 *   accept                          server accept
 *   connect                         client connect
 *   write/send(fd, ..., N)          ENDPOINT send N
 *   read/recv(fd, ..., M) = N       ENDPOINT read M, which must give N bytes
 *                                   (with autoread on: N bytes must have
 *                                   arrived unread)
 *   shutdown(SHUT_WR)               ENDPOINT shutdown (CLOSE)
 *   close                           ENDPOINT close, or abort after
 *                                   SO_LINGER {onoff=1, linger=0}
 *   setsockopt/getsockopt SO_RCVBUF set window N
 *   fcntl, other socket options     accepted, listed with -v
 *   `sysctl NAME=VALUE`             the setting a sysctl names, if tcpsim
 *                                   models it (table below)
 *   %{ assert tcpi_state == TCP_X }% the kernel's state
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/i18n.h"
#include "cli/pkt_run.h"

static const char *const mapped[] = { "socket", "bind", "listen", "accept", "connect", "write", "send", "read",
                                      "recv", "shutdown", "close", "fcntl", "getsockopt", "setsockopt", NULL };

int map_check_call(const struct pkt_event *e, char *err, size_t errlen)
{
    for (size_t i = 0; mapped[i]; i++)
        if (strcmp(e->call.name, mapped[i]) == 0)
            return 0;
    snprintf(err, errlen, _("unknown system call '%.40s': tcpsim runs socket, bind, listen, accept, connect, write, "
                          "send, read, recv, shutdown and close, and accepts fcntl, getsockopt and setsockopt"),
             e->call.name);
    return -1;
}

enum endpoint_id map_kernel_role(const struct pkt_script *sc)
{
    for (size_t i = 0; i < sc->n; i++) {
        if (sc->ev[i].kind != PKT_SYSCALL)
            continue;
        if (strcmp(sc->ev[i].call.name, "listen") == 0)
            return EP_SERVER;
        if (strcmp(sc->ev[i].call.name, "connect") == 0)
            return EP_CLIENT;
    }
    return EP_SERVER;       /* no socket: the kernel answers as a closed port */
}

static const struct pkt_expr *arg(const struct pkt_event *e, size_t i)
{
    return i < e->call.nargs ? e->call.args[i] : NULL;
}

static bool arg_int(const struct pkt_expr *x, int64_t *v)
{
    if (x && x->kind == PE_LIST && x->n == 1)
        x = x->items[0];    /* [2048] */
    if (!x || x->kind != PE_INT)
        return false;
    *v = x->num;
    return true;
}

static bool arg_is(const struct pkt_expr *x, const char *word)
{
    return x && x->kind == PE_WORD && strcmp(x->text, word) == 0;
}

/* The result the script expects: its number (-1 with an errno). */
static int64_t expected(const struct pkt_event *e)
{
    int64_t v = 0;
    return arg_int(e->call.result, &v) ? v : 0;
}

/* A call tcpsim ran (ok) against what the script expects of it. */
static int outcome(struct run *r, const struct pkt_event *e, bool ok, const char *tcpsim_says)
{
    int64_t want = expected(e);
    bool in_progress = e->call.errno_name && strcmp(e->call.errno_name, "EINPROGRESS") == 0;
    if (ok == (want >= 0 || in_progress))
        return 0;
    if (ok)
        return run_fail(r, _("%s() returns %" PRId64 " %s in the script, but succeeds in tcpsim"), e->call.name, want,
                        e->call.errno_name ? e->call.errno_name : "");
    if (tcpsim_says)
        return run_fail(r, _("%s() returns %" PRId64 " in the script, but fails in tcpsim: %s"), e->call.name, want,
                        tcpsim_says);
    return run_fail(r, _("%s() returns %" PRId64 " in the script, but fails in tcpsim"), e->call.name, want);
}

/* Quietly run a user call: its failure is the script's to judge. */
static bool call(struct run *r, const char *cmd)
{
    bool failed = r->failed;
    FILE *err = r->s.err;
    FILE *null = fopen("/dev/null", "w");
    if (null)
        r->s.err = null;
    bool ok = run_exec(r, "%s %s", ep_name(r->kernel), cmd) == 0;
    r->s.err = err;
    if (null)
        fclose(null);
    r->failed = failed;         /* the outcome decides */
    if (!ok)
        fputs("expect error\n", r->tr);
    return ok;
}

static int sockopt(struct run *r, const struct pkt_event *e, bool set)
{
    const struct pkt_expr *name = arg(e, 2);
    int64_t v;
    if (arg_is(name, "SO_RCVBUF") && arg_int(arg(e, 3), &v)) {
        if (v > 65535) {
            run_note(r, _("SO_RCVBUF %" PRId64 " is more than an unscaled window holds: the window is 65535"), v);
            v = 65535;
        }
        return run_exec(r, "set window %" PRId64, v < 0 ? 0 : v);
    }
    if (set && arg_is(name, "SO_LINGER") && arg(e, 3) && arg(e, 3)->kind == PE_STRUCT) {
        const struct pkt_expr *s = arg(e, 3);
        int64_t onoff = 0, linger = 1;
        for (size_t i = 0; i < s->n; i++)
            if (s->items[i]->kind == PE_ASSIGN && s->items[i]->n == 1)
                arg_int(s->items[i]->items[0], strcmp(s->items[i]->text, "onoff") == 0 ? &onoff : &linger);
        r->linger0 = onoff && linger == 0;
        run_note(r, _("SO_LINGER: close() %s"), r->linger0 ? _("sends a RST (abort)") : _("is an ordinary close"));
        return 0;
    }
    run_note(r, _("%s(%s) accepted and ignored: tcpsim has no use for it"), e->call.name,
             name && name->text ? name->text : "...");
    return 0;
}

/* read(fd, ..., N) = want with the data waiting in the receive buffer
 * (autoread off, the kernel's way): ENDPOINT read N. */
static int read_buffer(struct run *r, const struct pkt_event *e, int64_t want)
{
    int64_t n = want;
    arg_int(arg(e, 2), &n);
    if (n <= 0)
        n = want > 0 ? want : 1;
    uint64_t before = r->received;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "read %" PRId64, n);
    call(r, cmd);                   /* fails when nothing waits: 0 bytes */
    uint64_t got = r->received - before;
    enum tcp_state st = sim_tcb(&r->s.sim, r->kernel)->state;
    bool fin = st == CLOSE_WAIT || st == LAST_ACK || st == CLOSING || st == TIME_WAIT || st == CLOSED;
    if (want > 0 && got != (uint64_t)want)
        return run_fail(r, _("%s() returns %" PRId64 " in the script, but tcpsim's application read %" PRIu64 " bytes"),
                        e->call.name, want, got);
    if (want == 0 && (got > 0 || !fin))
        return run_fail(r, _("%s() returns 0 (end of data) in the script, but %s"), e->call.name,
                        got ? _("data was waiting") : _("no FIN has arrived"));
    if (want < 0 && got > 0)
        return run_fail(r, _("%s() returns %" PRId64 " in the script, but tcpsim's application read %" PRIu64 " bytes"),
                        e->call.name, want, got);
    return 0;
}

int map_syscall(struct run *r, const struct pkt_event *e, bool at_end)
{
    const char *n = e->call.name;
    int64_t fd = -1, v;
    arg_int(arg(e, 0), &fd);
    if (at_end) {           /* a blocking call returns */
        if (strcmp(n, "accept") == 0)
            goto accept;
        if (strcmp(n, "read") == 0 || strcmp(n, "recv") == 0)
            goto read;
        if (strcmp(n, "connect") == 0 && expected(e) >= 0 && sim_tcb(&r->s.sim, r->kernel)->state != ESTABLISHED)
            return run_fail(r, _("connect() returns %" PRId64 " in the script, but the kernel is %s"), expected(e),
                            tcp_state_name(sim_tcb(&r->s.sim, r->kernel)->state));
        return 0;
    }
    if (strcmp(n, "socket") == 0) {
        r->isn_known = false;   /* a new socket: its ISN is learned afresh */
        r->isn = 0;
        if (arg(e, 1) && arg(e, 1)->kind == PE_WORD && !arg_is(arg(e, 1), "SOCK_STREAM"))
            return run_fail(r, _("socket(%s): tcpsim models TCP (SOCK_STREAM) only"), arg(e, 1)->text);
        return 0;
    }
    if (strcmp(n, "bind") == 0 || strcmp(n, "fcntl") == 0) {
        run_note(r, _("%s() accepted: %s"), n, n[0] == 'b' ? _("tcpsim's ports are fixed") : _("tcpsim has no use for it"));
        return 0;
    }
    if (strcmp(n, "setsockopt") == 0 || strcmp(n, "getsockopt") == 0)
        return sockopt(r, e, n[0] == 's');
    if (strcmp(n, "listen") == 0) {
        int64_t backlog = 1;
        if (sim_tcb(&r->s.sim, r->kernel)->state == LISTEN) {
            run_note(r, _("listen() on a listening socket changes nothing"));
            r->listen_fd = fd;
            r->listened = true;
            return 0;
        }
        arg_int(arg(e, 1), &backlog);
        if (backlog < 1 || backlog > 1024) {
            run_note(r, _("listen backlog %" PRId64 " taken as %d"), backlog, backlog < 1 ? 1 : 1024);
            backlog = backlog < 1 ? 1 : 1024;
        }
        /* The server's first listen has queues, as a kernel's; a listen
         * after a connection, or the client's, is RFC 9293's single TCB. */
        char cmd[64];
        if (r->kernel == EP_SERVER && !r->listened)
            snprintf(cmd, sizeof cmd, "listen backlog %" PRId64, backlog);
        else
            snprintf(cmd, sizeof cmd, "listen");
        r->listened = true;
        r->listen_fd = fd;
        return outcome(r, e, call(r, cmd), sim_error(&r->s.sim));
    }
    if (strcmp(n, "accept") == 0) {
        if (e->call.blocking)
            return 0;       /* at its end */
accept:;
        bool ok;
        if (r->s.sim.lst.backlog && r->kernel == EP_SERVER) {
            ok = call(r, "accept");
        } else {    /* a single TCB: accept() returns it once it is synchronized */
            ok = tcp_state_synchronized(sim_tcb(&r->s.sim, r->kernel)->state);
            run_comment(r, "accept() returns the %s's connection", ep_name(r->kernel));
        }
        if (ok)
            r->conn_fd = expected(e);
        return outcome(r, e, ok, _("no connection has completed its handshake"));
    }
    if (strcmp(n, "connect") == 0) {
        r->conn_fd = fd;
        run_mark_open(r);
        return outcome(r, e, call(r, "connect"), sim_error(&r->s.sim));
    }
    if (strcmp(n, "write") == 0 || strcmp(n, "send") == 0) {
        if (!arg_int(arg(e, 2), &v))
            v = expected(e);
        if (v <= 0)
            return 0;
        char cmd[64];
        snprintf(cmd, sizeof cmd, "send %" PRId64, v);
        return outcome(r, e, call(r, cmd), sim_error(&r->s.sim));
    }
    if (strcmp(n, "read") == 0 || strcmp(n, "recv") == 0) {
        if (e->call.blocking)
            return 0;
read:;
        int64_t want = expected(e);
        if (!sim_tcb(&r->s.sim, r->kernel)->autoread)
            return read_buffer(r, e, want);
        uint64_t avail = r->received - r->consumed;
        enum tcp_state st = sim_tcb(&r->s.sim, r->kernel)->state;
        bool fin = st == CLOSE_WAIT || st == LAST_ACK || st == CLOSING || st == TIME_WAIT || st == CLOSED;
        if (want > 0 && (uint64_t)want > avail)
            return run_fail(r, _("%s() returns %" PRId64 " in the script, but %" PRIu64 " bytes have arrived unread"), n,
                            want, avail);
        if (want == 0 && (avail > 0 || !fin))
            return run_fail(r, _("%s() returns 0 (end of data) in the script, but %s"), n,
                            avail ? _("data is waiting") : _("no FIN has arrived"));
        if (want < 0 && avail > 0)
            return run_fail(r, _("%s() returns %" PRId64 " in the script, but %" PRIu64 " bytes are waiting"), n, want, avail);
        if (want > 0)
            r->consumed += (uint64_t)want;
        run_comment(r, "the application reads %" PRId64 " bytes (tcpsim's application reads data as it arrives)", want);
        return 0;
    }
    if (strcmp(n, "shutdown") == 0) {
        if (arg_is(arg(e, 1), "SHUT_RD")) {
            run_note(r, _("shutdown(SHUT_RD) accepted: it sends nothing"));
            return 0;
        }
        return outcome(r, e, call(r, command_find("shutdown") ? "shutdown" : "close"), sim_error(&r->s.sim));
    }
    if (strcmp(n, "close") == 0) {
        if (fd == r->listen_fd && r->conn_fd >= 0 && r->conn_fd != fd) {
            run_note(r, _("close(%" PRId64 ") closes the listening socket; the accepted connection goes on"), fd);
            return 0;
        }
        return outcome(r, e, call(r, r->linger0 ? "abort" : "close"), sim_error(&r->s.sim));
    }
    return run_fail(r, _("unknown system call '%s'"), n);
}

/* --- shell lines: sysctls ------------------------------------------------------ */

/* The sysctls tcpsim models, and the setting each one changes. */
static const struct {
    const char *sysctl, *setting;
    enum { S_NUMBER, S_ONOFF, S_COOKIES, S_MS, S_RFC793 } kind;
} sysctls[] = {
    { "net.ipv4.tcp_rfc1337", "rfc1337", S_ONOFF },
    { "net.ipv4.tcp_syncookies", "syncookies", S_COOKIES },
    { "net.ipv4.tcp_syn_retries", "syn-retries", S_NUMBER },
    { "net.ipv4.tcp_retries2", "retries", S_NUMBER },
    { "net.ipv4.tcp_invalid_ratelimit", "ratelimit", S_MS },
    /* FreeBSD without RFC 5961: the rfc793 profile (SPEC section 1) */
    { "net.inet.tcp.insecure_rst", "profile", S_RFC793 },
    { "net.inet.tcp.insecure_syn", "profile", S_RFC793 },
};

static bool setting_exists(const char *name)
{
    for (size_t i = 0; setting_names[i]; i++)
        if (strcmp(setting_names[i], name) == 0)
            return true;
    return false;
}

static int sysctl(struct run *r, const char *name, const char *value)
{
    for (size_t i = 0; i < sizeof sysctls / sizeof sysctls[0]; i++) {
        if (strcmp(sysctls[i].sysctl, name) != 0)
            continue;
        if (!setting_exists(sysctls[i].setting)) {
            run_note(r, _("%s: tcpsim has no setting %s yet; ignored"), name, sysctls[i].setting);
            return 0;
        }
        long v = strtol(value, NULL, 10);
        switch (sysctls[i].kind) {
        case S_NUMBER: return run_exec(r, "set %s %ld", sysctls[i].setting, v);
        case S_ONOFF: return run_exec(r, "set %s %s", sysctls[i].setting, v ? "on" : "off");
        case S_MS: return run_exec(r, "set %s %ldms", sysctls[i].setting, v);
        case S_RFC793:
            if (!v) {
                run_note(r, _("%s=0: RFC 5961's rules, tcpsim's default"), name);
                return 0;
            }
            return run_exec(r, "set profile rfc793");
        case S_COOKIES:
            if (v == 1)
                run_note(r, _("%s=1 (only under a flood): tcpsim's cookies are on or off; off"), name);
            return run_exec(r, "set %s %s", sysctls[i].setting, v == 2 ? "on" : "off");
        }
    }
    run_note(r, _("sysctl %s=%s ignored: tcpsim does not model it"), name, value);
    return 0;
}

int map_shell(struct run *r, const char *text)
{
    char *copy = strdup(text);
    if (!copy)
        return run_fail(r, _("out of memory"));
    bool any = false;
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t\n;&|\"'", &save); w; w = strtok_r(NULL, " \t\n;&|\"'", &save)) {
        char *eq = strchr(w, '=');
        if (eq && strncmp(w, "net.", 4) == 0) {
            *eq = '\0';
            any = true;
            if (sysctl(r, w, eq + 1)) {
                free(copy);
                return -1;
            }
        }
    }
    if (!any)
        run_note(r, _("shell line `%.60s` ignored"), text);
    free(copy);
    return 0;
}

/* --- %{ python }%: tcpi_state assertions ----------------------------------------- */

static bool linux_state(const char *name, enum tcp_state *st)
{
    static const struct { const char *linux_name; enum tcp_state st; } names[] = {
        { "TCP_ESTABLISHED", ESTABLISHED }, { "TCP_SYN_SENT", SYN_SENT }, { "TCP_SYN_RECV", SYN_RECEIVED },
        { "TCP_FIN_WAIT1", FIN_WAIT_1 }, { "TCP_FIN_WAIT2", FIN_WAIT_2 }, { "TCP_TIME_WAIT", TIME_WAIT },
        { "TCP_CLOSE", CLOSED }, { "TCP_CLOSE_WAIT", CLOSE_WAIT }, { "TCP_LAST_ACK", LAST_ACK },
        { "TCP_LISTEN", LISTEN }, { "TCP_CLOSING", CLOSING },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].linux_name, name) == 0) {
            *st = names[i].st;
            return true;
        }
    return false;
}

int map_code(struct run *r, const char *text)
{
    const char *a = strstr(text, "tcpi_state");
    const char *eq = a ? strstr(a, "==") : NULL;
    if (!eq) {
        run_note(r, _("%%{ }%% block skipped: tcpsim reads only assert tcpi_state == TCP_..."));
        return 0;
    }
    const char *w = eq + 2;
    while (*w == ' ' || *w == '\t')
        w++;
    size_t n = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
    char name[40];
    snprintf(name, sizeof name, "%.*s", (int)(n < 39 ? n : 39), w);
    enum tcp_state want;
    if (!linux_state(name, &want))
        return run_fail(r, _("%%{ assert tcpi_state == %s }%%: not a Linux TCP state (TCP_ESTABLISHED, TCP_CLOSE_WAIT, ...)"),
                        name);
    fprintf(r->tr, "expect %s %s\n", ep_name(r->kernel), tcp_state_name(want));
    enum tcp_state got = sim_tcb(&r->s.sim, r->kernel)->state;
    if (got != want)
        return run_fail(r, _("assertion failed: tcpi_state == %s: the kernel is %s"), name, tcp_state_name(got));
    return 0;
}
