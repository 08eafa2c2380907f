/* bench.c - `make bench`: how fast tcpsim is on this machine, measured,
 * never asserted by a test.  It prints
 *
 *   1. engine throughput: events per second of whole connections (open,
 *      100 KB of data, close, TIME-WAIT) driven through the engine alone;
 *   2. batch commands per second: a generated 100,000-command session with
 *      a reset every connection, through the real binary (stdout to
 *      /dev/null), and the same for 200,000 commands (cost must be linear);
 *   3. the wall time of --check over the scenario library;
 *   4. peak RSS of each run;
 *
 * each beside its target (issue 5), then scale.c's measures (issue 16).
 *
 * usage: bench TCPSIM SCENARIO...
 */
#define _DEFAULT_SOURCE     /* wait4 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tcpsim/sim.h"

extern char **environ;
int bench_scale(char *tcpsim);      /* scale.c */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void count_event(void *ctx, const struct event *ev)
{
    (void)ev;
    (*(size_t *)ctx)++;
}

/* Whole connections through the engine until at least `want` events. */
static double engine_events_per_s(size_t want, size_t *events)
{
    static uint8_t data[100 * 1000];
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct sim *s = malloc(sizeof *s);
    *events = 0;
    sim_init(s, &cfg, count_event, events);
    double t0 = now_s();
    while (*events < want) {
        tcb_open_passive(&s->tcb[EP_SERVER]);
        tcb_open_active(&s->tcb[EP_CLIENT]);
        sim_run(s, SIM_STORM_LIMIT);
        tcb_send(&s->tcb[EP_CLIENT], data, sizeof data);
        sim_run(s, SIM_STORM_LIMIT);
        tcb_close(&s->tcb[EP_CLIENT]);
        sim_run(s, SIM_STORM_LIMIT);
        tcb_close(&s->tcb[EP_SERVER]);
        sim_run(s, SIM_STORM_LIMIT);
        sim_advance_to_timer(s, SIM_STORM_LIMIT);   /* TIME-WAIT ends */
        sim_reset(s);
    }
    double dt = now_s() - t0;
    sim_free(s);
    free(s);
    return (double)*events / dt;
}

/* A session of n commands: connections of ten commands and a reset. */
static int write_session(const char *path, size_t n)
{
    static const char *const cycle[] = {
        "set isn client 4294967000", "server listen", "client connect", "client send 3000",
        "server send \"hello\"", "client close", "server close", "advance 2m", "show", "reset",
    };
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", cycle[i % (sizeof cycle / sizeof cycle[0])]);
    return fclose(f);
}

/* Run argv with stdin from `in` (or /dev/null), stdout and stderr to /dev/null;
 * returns the wall time, and the peak RSS in KiB through *rss_kib. */
static double run(char *const argv[], const char *in, long *rss_kib, int *status)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);    /* expected errors */
    double t0 = now_s();
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        perror(argv[0]);
        exit(2);
    }
    struct rusage ru;
    wait4(pid, status, 0, &ru);
    double dt = now_s() - t0;
    posix_spawn_file_actions_destroy(&fa);
    *rss_kib = ru.ru_maxrss;
    return dt;
}

static const char *verdict(int ok) { return ok ? "ok" : "MISSED"; }

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: bench TCPSIM SCENARIO...\n", stderr);
        return 2;
    }
    char *tcpsim = argv[1];
    int missed = 0, status;
    long rss, peak = 0, rss100 = 0, rss200 = 0, rss_check = 0;

    size_t events;
    double eps = engine_events_per_s(3000000, &events);
    printf("engine           %12.0f events/s   (%zu events; target >= 1,000,000)   %s\n", eps, events,
           verdict(eps >= 1e6));
    missed += eps < 1e6;

    const char *s100 = "build/bench-100k.tcpsim", *s200 = "build/bench-200k.tcpsim";
    if (write_session(s100, 100000) || write_session(s200, 200000)) {
        perror("build/bench-*.tcpsim");
        return 2;
    }
    char *batch[] = { tcpsim, "-q", NULL };
    run(batch, s100, &rss, &status);                /* warm the caches */
    double t100 = 1e9, t200 = 1e9;
    for (int i = 0; i < 3; i++) {                   /* best of three */
        double t = run(batch, s100, &rss, &status);
        t100 = t < t100 ? t : t100;
        rss100 = rss > rss100 ? rss : rss100;
        t = run(batch, s200, &rss, &status);
        t200 = t < t200 ? t : t200;
        rss200 = rss > rss200 ? rss : rss200;
    }
    if (status != 0)
        fprintf(stderr, "bench: the generated session failed (exit status %d)\n", status);
    printf("batch 100k       %12.0f commands/s (%.3f s; target >= 300,000)          %s\n", 100000 / t100,
           t100, verdict(100000 / t100 >= 3e5));
    missed += 100000 / t100 < 3e5;
    printf("batch 200k       %12.0f commands/s (%.3f s = %.2f x the 100k time; target <= 2.2) %s\n",
           200000 / t200, t200, t200 / t100, verdict(t200 / t100 <= 2.2));
    missed += t200 / t100 > 2.2;

    char **check = calloc((size_t)argc + 2, sizeof *check);
    check[0] = tcpsim;
    check[1] = "--check";
    for (int i = 2; i < argc; i++)
        check[i] = argv[i];
    double tc = 1e9;
    for (int i = 0; i < 3; i++) {
        double t = run(check, NULL, &rss, &status);
        tc = t < tc ? t : tc;
        rss_check = rss > rss_check ? rss : rss_check;
    }
    free(check);
    printf("--check library  %12.1f ms         (%d scenarios; target < 100 ms)         %s\n", tc * 1000, argc - 2,
           verdict(tc < 0.1));
    missed += tc >= 0.1;

    struct rusage self;
    getrusage(RUSAGE_SELF, &self);
    peak = rss100 > rss200 ? rss100 : rss200;
    peak = rss_check > peak ? rss_check : peak;
    printf("peak RSS         %12.1f MiB        (batch 100k %.1f, 200k %.1f, --check %.1f, engine loop %.1f MiB;\n"
           "                                     target < 16)                              %s\n",
           (double)peak / 1024, (double)rss100 / 1024, (double)rss200 / 1024, (double)rss_check / 1024,
           (double)self.ru_maxrss / 1024, verdict(peak < 16 * 1024));
    missed += peak >= 16 * 1024;
    remove(s100);
    remove(s200);
    missed += bench_scale(tcpsim);
    return missed ? 1 : 0;
}
