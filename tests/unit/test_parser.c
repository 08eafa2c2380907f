/* test_parser.c - the lexer and the value parsers of the command language. */
#include <string.h>

#include "cli/args.h"
#include "cli/lexer.h"
#include "fixture.h"

START_TEST(test_lex_words_quotes_comments)
{
    struct words w;
    const char *err;
    ck_assert_int_eq(lex_line("  client  send \"hi there\\n\" # a comment", &w, &err), 0);
    ck_assert_int_eq(w.argc, 3);
    ck_assert_str_eq(w.argv[0], "client");
    ck_assert_str_eq(w.argv[2], "hi there\n");
    ck_assert(w.quoted[2] && !w.quoted[1]);
    lex_free(&w);
    ck_assert_int_eq(lex_line("replay #3 delay 1s", &w, &err), 0);   /* #3 is an id */
    ck_assert_int_eq(w.argc, 4);
    ck_assert_str_eq(w.argv[1], "#3");
    lex_free(&w);
    ck_assert_int_eq(lex_line("# only a comment", &w, &err), 0);
    ck_assert_int_eq(w.argc, 0);
    lex_free(&w);
    ck_assert_int_eq(lex_line("send \"no end", &w, &err), -1);
    ck_assert_str_eq(err, "unterminated string: close it with \"");
    ck_assert_int_eq(lex_line("send \"a\"b", &w, &err), -1);
    char many[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(many, "x ");
    ck_assert_int_eq(lex_line(many, &w, &err), -1);
    ck_assert_str_eq(err, "too many words on one line (at most 32)");
}
END_TEST

START_TEST(test_durations)
{
    uint64_t ms;
    char err[ARG_ERRLEN];
    ck_assert_int_eq(arg_duration("250ms", &ms, err), 0);
    ck_assert_uint_eq(ms, 250);
    ck_assert_int_eq(arg_duration("1s", &ms, err), 0);
    ck_assert_uint_eq(ms, 1000);
    ck_assert_int_eq(arg_duration("1.5s", &ms, err), 0);
    ck_assert_uint_eq(ms, 1500);
    ck_assert_int_eq(arg_duration("2m", &ms, err), 0);
    ck_assert_uint_eq(ms, 120000);
    ck_assert_int_eq(arg_duration("30", &ms, err), -1);
    ck_assert_str_eq(err, "duration '30' has no unit: write 30ms, 30s or 30m");
    ck_assert_int_eq(arg_duration("-1s", &ms, err), -1);
    ck_assert_int_eq(arg_duration("1.s", &ms, err), -1);
    ck_assert_int_eq(arg_duration("18446744073709551615ms", &ms, err), -1);
    ck_assert_int_eq(arg_duration("31d", &ms, err), -1);
    char d[32];
    ck_assert_str_eq(fmt_duration(60000, d, sizeof d), "1m");
    ck_assert_str_eq(fmt_duration(1500, d, sizeof d), "1500ms");
    ck_assert_str_eq(fmt_duration(3000, d, sizeof d), "3s");
}
END_TEST

START_TEST(test_numbers_ids_percent)
{
    uint32_t v, id, ppm;
    char err[ARG_ERRLEN];
    ck_assert_int_eq(arg_u32("seq", "4294967295", UINT32_MAX, &v, err), 0);
    ck_assert_uint_eq(v, 4294967295u);
    ck_assert_int_eq(arg_u32("seq", "4294967296", UINT32_MAX, &v, err), -1);
    ck_assert_str_eq(err, "seq 4294967296 is too large: at most 4294967295");
    ck_assert_int_eq(arg_u32("seq", "-1", UINT32_MAX, &v, err), -1);
    ck_assert_int_eq(arg_u32("seq", "", UINT32_MAX, &v, err), -1);
    ck_assert_int_eq(arg_u32("seq", "1e3", UINT32_MAX, &v, err), -1);
    ck_assert_int_eq(arg_segid("#12", &id, err), 0);
    ck_assert_uint_eq(id, 12);
    ck_assert_int_eq(arg_segid("#0", &id, err), -1);
    ck_assert_int_eq(arg_segid("12", &id, err), -1);
    ck_assert_int_eq(arg_segid("#4294967296", &id, err), -1);
    ck_assert_int_eq(arg_percent("12.5%", &ppm, err), 0);
    ck_assert_uint_eq(ppm, 125000);
    ck_assert_int_eq(arg_percent("100", &ppm, err), 0);
    ck_assert_uint_eq(ppm, 1000000);
    ck_assert_int_eq(arg_percent("100.1", &ppm, err), -1);
    ck_assert_int_eq(arg_percent("5%%", &ppm, err), -1);
}
END_TEST

START_TEST(test_endpoints_directions)
{
    enum endpoint_id e;
    char err[ARG_ERRLEN];
    ck_assert(arg_endpoint("C", &e) && e == EP_CLIENT);
    ck_assert(arg_endpoint("server", &e) && e == EP_SERVER);
    ck_assert(!arg_endpoint("srv", &e));
    ck_assert_int_eq(arg_direction("c->s", &e, err), 0);
    ck_assert_int_eq(e, EP_CLIENT);
    ck_assert_int_eq(arg_direction("server->client", &e, err), 0);
    ck_assert_int_eq(e, EP_SERVER);
    ck_assert_int_eq(arg_direction("c->c", &e, err), -1);
    ck_assert_int_eq(arg_direction("->s", &e, err), -1);
    ck_assert_int_eq(arg_direction("c->", &e, err), -1);
    ck_assert_ptr_nonnull(arg_kv("SEQ=5", "seq"));
    ck_assert_str_eq(arg_kv("seq=5", "seq"), "5");
    ck_assert_ptr_null(arg_kv("sequence=5", "seq"));
}
END_TEST

Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("lexer and values");
    tcase_add_test(tc, test_lex_words_quotes_comments);
    tcase_add_test(tc, test_durations);
    tcase_add_test(tc, test_numbers_ids_percent);
    tcase_add_test(tc, test_endpoints_directions);
    suite_add_tcase(s, tc);
    return s;
}
