/* fuzz_files.c - libFuzzer target: a scenario whose commands may write
 * files, in a sandbox directory of their own: `save`, `log json`,
 * `capture`, `export svg|html` and `sweep` (of a file the input saved),
 * with plain file names only (session.sandbox_dir).  The work is bounded
 * (budget.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/tcpsim-fuzz-XXXXXX";

/* The sandbox goes away with the process. */
static void remove_sandbox(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[sizeof dir + 300];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    static bool made;
    if (!made) {
        if (!mkdtemp(dir))
            return 0;
        made = true;
        atexit(remove_sandbox);
    }
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    if (size == 0 || !devnull)
        return 0;
    FILE *in = fmemopen((void *)data, size, "r");
    if (!in)
        return 0;
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session s;
    session_init(&s, &cfg, devnull, devnull);
    s.sandbox_dir = dir;
    s.echo = true;
    struct budget b;
    budget_start(&b, &s);
    session_run_stream(&s, in, "fuzz");
    fclose(in);
    session_free(&s);
    budget_end();
    return 0;
}
