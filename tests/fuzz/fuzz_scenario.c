/* fuzz_scenario.c - libFuzzer target: a whole scenario file, run with its
 * expectations as `tcpsim FILE` runs it, then drawn as --svg and --html
 * would draw it (into /dev/null) when it is not a storm of events.
 * Commands that touch files are refused (session.sandboxed); its work is
 * bounded (budget.h). */
#include <stdio.h>

#include "budget.h"
#include "render/html.h"
#include "render/svg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
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
    s.sandboxed = true;
    s.echo = true;
    struct budget b;
    budget_start(&b, &s);
    ladder_header(&s.ladder);
    session_run_stream(&s, in, "fuzz");
    fclose(in);
    if (s.timeline.n_steps <= 5000) {   /* a picture a person would draw, not a storm's */
        timeline_finish(&s.timeline, &s.sim);
        svg_write(devnull, &s.timeline, &s.sim.cfg, "fuzz");
        html_write(devnull, &s.timeline, &s.sim.cfg, "fuzz");
    }
    session_free(&s);
    budget_end();
    return 0;
}
