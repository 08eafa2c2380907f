/* fuzz_command.c - libFuzzer target: one command line, fed to the parser
 * and dispatcher of a session that holds a connection being opened.
 * Commands that touch files are refused (session.sandboxed); its work is
 * bounded (budget.h). */
#include <stdlib.h>
#include <string.h>

#include "budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    char *line = malloc(size + 1);
    if (!line || !devnull) {
        free(line);
        return 0;
    }
    memcpy(line, data, size);
    line[size] = '\0';
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct session s;
    session_init(&s, &cfg, devnull, devnull);
    s.sandboxed = true;
    s.echo = true;
    struct budget b;
    budget_start(&b, &s);
    static const char *const setup[] = {
        "set isn client 4294967290", "set isn server 300", "server listen",
        "set delivery step", "client connect", "client send 10",
    };
    for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++)
        session_exec(&s, setup[i]);
    session_exec(&s, line);
    session_exec(&s, "run");
    session_exec(&s, "undo");
    session_free(&s);
    budget_end();
    free(line);
    return 0;
}
