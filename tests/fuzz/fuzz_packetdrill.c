/* fuzz_packetdrill.c - libFuzzer target: a packetdrill script, parsed and
 * run as `tcpsim --packetdrill` runs it, and translated.  The script's
 * directives may not touch files (the runner's session is sandboxed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    if (size == 0 || size > 65536 || !devnull || memchr(data, '\0', size))
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct sim_config cfg;
    sim_config_default(&cfg);
    const char *defines[] = { "LINUX" };
    struct pkt_opts o = { .defines = defines, .ndefines = 1 };
    pkt_run_text(&cfg, &o, "fuzz", text, devnull, devnull);
    o.translate = true;
    o.verbose = true;
    pkt_run_text(&cfg, &o, "fuzz", text, devnull, devnull);
    free(text);
    return 0;
}
