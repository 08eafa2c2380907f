/* main.c - runs every unit-test suite and ends with Check's summary. */
#include <stdlib.h>

#include "fixture.h"

int main(void)
{
    SRunner *sr = srunner_create(basics_suite());
    srunner_add_suite(sr, states_suite());
    srunner_add_suite(sr, calls_suite());
    srunner_add_suite(sr, figures_suite());
    srunner_add_suite(sr, parser_suite());
    srunner_add_suite(sr, outputs_suite());
    srunner_add_suite(sr, expect_suite());
    srunner_add_suite(sr, lessons_suite());
    srunner_add_suite(sr, transcript_suite());
    srunner_add_suite(sr, closing_suite());
    srunner_add_suite(sr, demux_suite());
    srunner_add_suite(sr, mss_suite());
    srunner_add_suite(sr, window_suite());
    srunner_add_suite(sr, syn_text_suite());
    srunner_add_suite(sr, retries_suite());
    srunner_add_suite(sr, profiles_suite());
    srunner_add_suite(sr, profile_edges_suite());
    srunner_add_suite(sr, pkt_suite());
    srunner_add_suite(sr, property_suite());
    srunner_add_suite(sr, session_suite());
    srunner_add_suite(sr, memory_suite());
    srunner_add_suite(sr, sweep_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
