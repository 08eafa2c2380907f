/* scale.c - `make bench`, issue 16: cost and memory at any session length.
 *
 *   1. random-command sessions of 1 M and 5 M commands, as students type
 *      them (connections on new ISNs and ports, data, loss, drops, crafted
 *      SYNs from other ports, mistakes, no reset), run in this process:
 *      their CPU times and the ratio (5 x the commands, at most 5.5 x the
 *      time), and one `undo` at the end of each (under 50 ms);
 *   2. the peak RSS of the 1 M-command session through the real binary
 *      (under 64 MiB), measured first (see below);
 *   3. `sweep` of a scenario that puts 4,000 segments on the wire (under
 *      0.5 s).
 *
 * CPU time, not wall time, for the ratio: the machine may be shared.
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

#include "cli/session.h"

extern char **environ;

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* n random commands, seeded: the mix of tests/bench's generator. */
static int write_random(const char *path, size_t n, uint64_t seed)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    struct rng r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        uint32_t x = rng_below(&r, 100);
        if (x < 12) fputs("server listen\n", f);
        else if (x < 24) fputs("client connect\n", f);
        else if (x < 40) fprintf(f, "client send %u\n", 1 + rng_below(&r, 5000));
        else if (x < 48) fputs("server send \"hello\"\n", f);
        else if (x < 56) fputs("client close\n", f);
        else if (x < 62) fputs("server close\n", f);
        else if (x < 72) fprintf(f, "advance %us\n", 1 + rng_below(&r, 200));
        else if (x < 76) fprintf(f, "set isn client %u\n", (unsigned)rng_next(&r));
        else if (x < 80) fprintf(f, "inject c->s SYN seq=%u sport=%u\n", (unsigned)rng_next(&r),
                                 1024 + rng_below(&r, 64000));
        else if (x < 84) fputs("client abort\n", f);
        else if (x < 88) fputs("show\n", f);
        else if (x < 92) fprintf(f, "loss %u\n", rng_below(&r, 30));
        else if (x < 96) fputs("drop next\n", f);
        else fputs("inflight\n", f);
    }
    return fclose(f);
}

/* Run path in this process; the CPU seconds of the session and of one
 * undo at its end. */
static void session_times(const char *path, double *run_s, double *undo_s)
{
    FILE *null = fopen("/dev/null", "w"), *in = fopen(path, "r");
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session *s = malloc(sizeof *s);
    session_init(s, &cfg, null, null);
    s->quiet = true;
    double t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    session_run_stream(s, in, path);
    double t1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    session_exec(s, "undo");
    double t2 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    *run_s = t1 - t0;
    *undo_s = t2 - t1;
    session_free(s);
    free(s);
    fclose(in);
    fclose(null);
}

/* The real binary, stdin from path: wall seconds and peak RSS in KiB. */
static double spawn_run(char *const argv[], const char *path, long *rss_kib)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, path, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    double t0 = clock_s(CLOCK_MONOTONIC);
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        perror(argv[0]);
        exit(2);
    }
    struct rusage ru;
    int status;
    wait4(pid, &status, 0, &ru);
    posix_spawn_file_actions_destroy(&fa);
    *rss_kib = ru.ru_maxrss;
    return clock_s(CLOCK_MONOTONIC) - t0;
}

static const char *verdict(int ok) { return ok ? "ok" : "MISSED"; }

int bench_scale(char *tcpsim)
{
    int missed = 0;
    const char *p1 = "build/bench-1m.tcpsim", *p5 = "build/bench-5m.tcpsim";
    if (write_random(p1, 1000000, 16) || write_random(p5, 5000000, 16)) {
        perror("build/bench-*m.tcpsim");
        return 1;
    }
    /* The binary first: a child spawned by a large parent reports the
     * parent's RSS as its own peak (posix_spawn shares the memory until
     * exec). */
    long rss;
    char *batch[] = { tcpsim, "-q", NULL };
    spawn_run(batch, p1, &rss);
    printf("RSS random 1M    %12.1f MiB        (the binary, no reset; target < 64)       %s\n", (double)rss / 1024,
           verdict(rss < 64 * 1024));
    missed += rss >= 64 * 1024;

    double r1, u1, r5, u5;
    session_times(p1, &r1, &u1);
    session_times(p5, &r5, &u5);
    printf("random 1M        %12.2f s CPU      (no reset, new ISNs and ports)\n", r1);
    printf("random 5M        %12.2f s CPU      (%.2f x the 1M time; target <= 5.5)        %s\n", r5, r5 / r1,
           verdict(r5 / r1 <= 5.5));
    missed += r5 / r1 > 5.5;
    printf("undo after 1M    %12.1f ms         (target < 50 ms)                          %s\n", u1 * 1000,
           verdict(u1 < 0.05));
    printf("undo after 5M    %12.1f ms         (target < 50 ms)                          %s\n", u5 * 1000,
           verdict(u5 < 0.05));
    missed += (u1 >= 0.05) + (u5 >= 0.05);
    remove(p1);
    remove(p5);

    const char *sc = "build/bench-sweep.tcpsim", *cmd = "build/bench-sweep.in";
    FILE *f = fopen(sc, "w"), *g = fopen(cmd, "w");
    if (!f || !g) {
        perror("build/bench-sweep.*");
        return missed + 1;
    }
    fputs("set mss 500\nserver listen\nclient connect\nclient send 1000000\nclient close\nserver close\n"
          "advance 2m\n", f);
    fprintf(g, "sweep %s\n", sc);
    fclose(f);
    fclose(g);
    double ts = spawn_run(batch, cmd, &rss);
    printf("sweep 4,035 segs %12.2f s           (wall; target < 0.5 s)                   %s\n", ts,
           verdict(ts < 0.5));
    missed += ts >= 0.5;
    remove(sc);
    remove(cmd);
    return missed;
}
