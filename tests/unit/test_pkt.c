/* test_pkt.c - packetdrill's notation: the lexer, the preprocessor and the
 * parser, each error with its line and column. */
#include <string.h>

#include "cli/pkt.h"
#include "fixture.h"

static int parse(const char *text, struct pkt_script *s, char *err)
{
    return pkt_parse(text, NULL, 0, s, err, PKT_ERRLEN);
}

/* The error of a script that must not parse. */
static const char *parse_error(const char *text)
{
    static char err[PKT_ERRLEN];
    struct pkt_script s;
    err[0] = '\0';
    ck_assert_int_eq(parse(text, &s, err), -1);
    pkt_script_free(&s);
    return err;
}

START_TEST(test_pkt_lex_tokens_with_positions)
{
    struct pkt_tokens t;
    char err[PKT_ERRLEN];
    ck_assert_int_eq(pkt_lex("+0.1 > S. 0:0(0) <...>\n  `sysctl x=1` // c\n%{ a\nb }%", &t, err, sizeof err), 0);
    ck_assert_int_eq(t.tok[0].type, PT_PUNCT);
    ck_assert_int_eq(t.tok[0].ch, '+');
    ck_assert_int_eq(t.tok[1].type, PT_FLOAT);
    ck_assert_str_eq(t.tok[1].text, "0.1");
    ck_assert_int_eq(t.tok[2].ch, '>');
    ck_assert_str_eq(t.tok[3].text, "S");
    ck_assert_int_eq(t.tok[4].ch, '.');
    ck_assert_int_eq(t.tok[4].col, 9);
    ck_assert_int_eq(t.tok[5].type, PT_INT);
    ck_assert_int_eq(t.tok[12].type, PT_ELLIPSIS);
    ck_assert_int_eq(t.tok[14].type, PT_BACKTICK);
    ck_assert_str_eq(t.tok[14].text, "sysctl x=1");
    ck_assert_int_eq(t.tok[14].line, 2);
    ck_assert_int_eq(t.tok[14].col, 3);
    ck_assert_int_eq(t.tok[15].type, PT_CODE);
    ck_assert_str_eq(t.tok[15].text, " a\nb ");
    ck_assert_int_eq(t.tok[16].type, PT_EOF);
    pkt_tokens_free(&t);
    ck_assert_int_eq(pkt_lex("0 close(3) = 0\n  /* open", &t, err, sizeof err), -1);
    ck_assert_str_eq(err, "2:3: comment not closed: end it with */");
    ck_assert_int_eq(pkt_lex("0 write(4, \"abc\n", &t, err, sizeof err), -1);
    ck_assert_str_eq(err, "1:12: string not closed: end it with \" on the same line");
    ck_assert_int_eq(pkt_lex("0 `ls", &t, err, sizeof err), -1);
    ck_assert_str_eq(err, "1:3: backtick command not closed: end it with `");
    ck_assert_int_eq(pkt_lex("0 @", &t, err, sizeof err), -1);
    ck_assert_str_eq(err, "1:3: unexpected character '@'");
    ck_assert_int_eq(pkt_lex("// tcpsim: set msl 1s\n0x1f", &t, err, sizeof err), 0);
    ck_assert_int_eq(t.tok[0].type, PT_DIRECTIVE);
    ck_assert_str_eq(t.tok[0].text, "set msl 1s");
    ck_assert_int_eq(t.tok[1].type, PT_HEX);
    pkt_tokens_free(&t);
}
END_TEST

START_TEST(test_pkt_preprocess_ifdef_else)
{
    const char *text = "a\n#ifdef LINUX\nb\n#else\nc\n#endif\n#ifndef LINUX\nd\n#endif\n";
    const char *linux_def[] = { "LINUX" };
    char err[PKT_ERRLEN];
    char *out = pkt_preprocess(text, linux_def, 1, err, sizeof err);
    ck_assert_ptr_nonnull(out);
    ck_assert(strstr(out, "b") && !strstr(out, "c") && !strstr(out, "d") && !strchr(out, '#'));
    ck_assert_int_eq(strlen(out), strlen(text));     /* lines blanked, not removed */
    free(out);
    out = pkt_preprocess(text, NULL, 0, err, sizeof err);
    ck_assert_ptr_nonnull(out);
    ck_assert(strstr(out, "c") && strstr(out, "d") && !strstr(out, "b"));
    free(out);
    ck_assert_ptr_null(pkt_preprocess("#ifdef X\n", NULL, 0, err, sizeof err));
    ck_assert_str_eq(err, "1:1: #ifdef without #endif");
    ck_assert_ptr_null(pkt_preprocess("x\n  #endif\n", NULL, 0, err, sizeof err));
    ck_assert_str_eq(err, "2:3: #endif without #ifdef");
    ck_assert_ptr_null(pkt_preprocess("#include <x>\n", NULL, 0, err, sizeof err));
    ck_assert(strncmp(err, "1:1: unknown preprocessor line '#include'", 41) == 0);
    ck_assert_ptr_null(pkt_preprocess("#ifdef A\n#else\n#else\n#endif\n", NULL, 0, err, sizeof err));
    ck_assert_str_eq(err, "3:1: a second #else for the #ifdef of line 1");
}
END_TEST

START_TEST(test_pkt_parse_packets)
{
    struct pkt_script s;
    char err[PKT_ERRLEN];
    ck_assert_int_eq(parse("--tolerance_usecs=10000\n"
                           "0.100 < S 0:0(0) win 65535 <mss 1460,sackOK,nop,nop,TS val 1 ecr 0,nop,wscale 7>\n"
                           "+0 > S. 0:0(0) ack 1 <...>\n"
                           "+.1 < . 1:1(0) ack 1 win 257\n"
                           "* > P. 1:11(10) ack 1\n"
                           "0.5~0.7 > F. 11:11(0) ack 1 win 0\n"
                           "+0 < R 1:1(0)\n"
                           "+0 < 50000>80 R. 1:1(0) ack 12\n", &s, err), 0);
    ck_assert_int_eq(s.tolerance_us, 10000);
    ck_assert_int_eq(s.n, 7);
    struct pkt_event *e = s.ev;
    ck_assert_int_eq(e[0].time.type, PKT_ABS);
    ck_assert_int_eq(e[0].time.us, 100000);
    ck_assert(e[0].pkt.inbound);
    ck_assert_int_eq(e[0].pkt.flags, TCP_SYN);
    ck_assert_int_eq(e[0].pkt.win, 65535);
    ck_assert_int_eq(e[0].pkt.mss, 1460);
    ck_assert_str_eq(e[0].pkt.options, "mss 1460,sackOK,nop,nop,TS val 1 ecr 0,nop,wscale 7");
    ck_assert_int_eq(e[1].time.type, PKT_REL);
    ck_assert(!e[1].pkt.inbound && e[1].pkt.any_options);
    ck_assert_int_eq(e[1].pkt.flags, TCP_SYN | TCP_ACK);
    ck_assert(e[1].pkt.has_ack);
    ck_assert_int_eq(e[1].pkt.ack, 1);
    ck_assert_int_eq(e[1].pkt.win, -1);
    ck_assert_int_eq(e[2].time.us, 100000);
    ck_assert_int_eq(e[2].pkt.flags, TCP_ACK);
    ck_assert_int_eq(e[3].time.type, PKT_ANY);
    ck_assert_int_eq(e[3].pkt.flags, TCP_PSH | TCP_ACK);
    ck_assert_int_eq(e[3].pkt.len, 10);
    ck_assert_int_eq(e[4].time.type, PKT_ABS_RANGE);
    ck_assert_int_eq(e[4].time.end_us, 700000);
    ck_assert_int_eq(e[4].pkt.flags, TCP_FIN | TCP_ACK);
    ck_assert_int_eq(e[4].pkt.win, 0);
    ck_assert_int_eq(e[5].pkt.flags, TCP_RST);
    ck_assert_int_eq(e[6].pkt.sport, 50000);
    ck_assert_int_eq(e[6].pkt.dport, 80);
    ck_assert_int_eq(e[6].pkt.flags, TCP_RST | TCP_ACK);
    ck_assert_int_eq(e[6].line, 8);
    pkt_script_free(&s);
}
END_TEST

START_TEST(test_pkt_parse_calls_shell_code)
{
    struct pkt_script s;
    char err[PKT_ERRLEN];
    ck_assert_int_eq(parse("`sysctl -q net.ipv4.tcp_syn_retries=3`\n"
                           "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                           "+0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [2048], 4) = 0\n"
                           "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
                           "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
                           "+0 fcntl(3, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)\n"
                           "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
                           "+0...0.2 read(4, ..., 100) = 100\n"
                           "+0 %{ assert tcpi_state == TCP_CLOSE_WAIT }%\n", &s, err), 0);
    ck_assert_int_eq(s.n, 9);
    ck_assert_int_eq(s.ev[0].kind, PKT_SHELL);
    ck_assert_int_eq(s.ev[0].time.type, PKT_NONE);
    ck_assert_str_eq(s.ev[0].text, "sysctl -q net.ipv4.tcp_syn_retries=3");
    struct pkt_syscall *c = &s.ev[1].call;
    ck_assert_str_eq(c->name, "socket");
    ck_assert_int_eq(c->nargs, 3);
    ck_assert_int_eq(c->args[0]->kind, PE_ELLIPSIS);
    ck_assert_str_eq(c->args[1]->text, "SOCK_STREAM");
    ck_assert_int_eq(c->result->num, 3);
    c = &s.ev[2].call;
    ck_assert_int_eq(c->args[3]->kind, PE_LIST);
    ck_assert_int_eq(c->args[3]->items[0]->num, 2048);
    c = &s.ev[3].call;
    ck_assert_int_eq(c->args[3]->kind, PE_STRUCT);
    ck_assert_int_eq(c->args[3]->items[1]->kind, PE_ASSIGN);
    ck_assert_str_eq(c->args[3]->items[1]->text, "linger");
    ck_assert_int_eq(s.ev[4].call.args[2]->kind, PE_OR);
    ck_assert_int_eq(s.ev[5].call.result->num, 0x802);
    c = &s.ev[6].call;
    ck_assert_int_eq(c->result->num, -1);
    ck_assert_str_eq(c->errno_name, "EINPROGRESS");
    c = &s.ev[7].call;
    ck_assert(c->blocking);
    ck_assert_int_eq(c->end_us, 200000);
    ck_assert_int_eq(s.ev[8].kind, PKT_CODE);
    ck_assert_str_eq(s.ev[8].text, " assert tcpi_state == TCP_CLOSE_WAIT ");
    pkt_script_free(&s);
}
END_TEST

START_TEST(test_pkt_parse_errors_name_line_and_column)
{
    ck_assert_str_eq(parse_error("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0 win 100\n"),
                     "2:12: expected '(' in START:END(LEN), found 'win'");
    ck_assert_str_eq(parse_error("0 < S 0:10(5) win 100\n"), "1:7: inconsistent 0:10(5): END must be START + LEN");
    ck_assert_str_eq(parse_error("0 < X 0:0(0)\n"), "1:5: 'X' in 'X' is not a TCP flag: write S F R P U, and . for ACK");
    ck_assert_str_eq(parse_error("0.2 < S 0:0(0)\n0.1 < . 1:1(0) ack 1\n"),
                     "2:1: time 0.100 goes backwards: the previous event is at 0.200 or later");
    ck_assert_str_eq(parse_error("0.2 < S 0:0(0)\n+0.1 < . 1:1(0)\n0.25 close(3) = 0\n"),
                     "3:1: time 0.250 goes backwards: the previous event is at 0.300 or later");
    ck_assert_str_eq(parse_error("* < S 0:0(0)\n"), "1:1: event time * can only be used with outbound packets (>)");
    ck_assert_str_eq(parse_error("0 < S 0:0(0) <...>\n"), "1:14: <...> for TCP options can only be used with outbound packets");
    ck_assert_str_eq(parse_error("0 > S 0:0(0) <mss 1460, foo 3>\n"),
                     "1:25: unknown TCP option 'foo' (tcpsim reads mss, wscale, sackOK, sack, TS, nop, eol, md5, FO)");
    ck_assert_str_eq(parse_error("0 close(3)\n"), "2:1: expected '=' and the result after the call: name(args) = result, found end of file");
    ck_assert_str_eq(parse_error("0 close 3\n"), "1:9: expected '(' after close: a system call is written name(args) = result");
    ck_assert_str_eq(parse_error("< S 0:0(0)\n"), "1:1: expected a time in seconds (0.100, +0.1 or *), found '<'");
    ck_assert_str_eq(parse_error("0 < udp (10)\n"), "1:5: udp packets are not modelled: tcpsim reads TCP packets");
    ck_assert_str_eq(parse_error("0 < SE 0:0(0)\n"), "1:5: flag E (ECN) is not modelled by tcpsim; write S F R P U and . for ACK");
}
END_TEST

START_TEST(test_pkt_flags_and_times_as_packetdrill_writes_them)
{
    char b[16];
    ck_assert_str_eq(pkt_flags_str(TCP_SYN | TCP_ACK, b, sizeof b), "S.");
    ck_assert_str_eq(pkt_flags_str(TCP_ACK, b, sizeof b), ".");
    ck_assert_str_eq(pkt_flags_str(TCP_FIN | TCP_PSH | TCP_ACK, b, sizeof b), "FP.");
    ck_assert_str_eq(pkt_flags_str(0, b, sizeof b), "-");
    ck_assert_str_eq(pkt_time_str(1500000, b, sizeof b), "1.500");
    ck_assert_str_eq(pkt_time_str(1500, b, sizeof b), "0.001500");
}
END_TEST


/* The script's side of a packetdrill run is a host tcpsim does not
 * simulate: what the kernel sends it goes unanswered. */
START_TEST(test_closed_syn_ack_to_absent_host)
{
    struct fx f;
    fx_init(&f);
    f.sim.cfg.absent[EP_CLIENT] = true;
    f.sim.cfg.latency_ms = 0;
    ck_assert_int_eq(tcb_open_passive(&f.sim.tcb[EP_SERVER]), 0);
    struct segment syn = fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0);
    sim_inject(&f.sim, &syn);
    fx_clear(&f);
    fx_run(&f);
    const struct segment *out[8];
    ck_assert_uint_eq(fx_sent(&f, out, 8), 1);      /* the SYN,ACK, and no RST back */
    ck_seg(out[0], TCP_SYN | TCP_ACK, f.sim.tcb[EP_SERVER].iss, 1001, 0);
    ck_state(&f, EP_SERVER, SYN_RECEIVED);
    ck_state(&f, EP_CLIENT, CLOSED);
    fx_free(&f);
}
END_TEST

/* sim_advance_before: a segment injected at t arrives before a timer due
 * at t, as tcpsim orders equal times (the SYN,ACK's retransmission at 1 s
 * follows the retransmitted SYN that arrives at 1 s). */
START_TEST(test_syn_received_syn_before_timer_at_same_ms)
{
    struct fx f;
    fx_init(&f);
    f.sim.cfg.absent[EP_CLIENT] = true;
    f.sim.cfg.latency_ms = 0;
    ck_assert_int_eq(tcb_open_passive(&f.sim.tcb[EP_SERVER]), 0);
    struct segment syn = fx_seg(EP_SERVER, TCP_SYN, 1000, 0, 0);
    sim_inject(&f.sim, &syn);
    fx_run(&f);
    uint64_t at;
    ck_assert(sim_next_timer(&f.sim, &at));
    ck_assert_uint_eq(at, 1000);
    ck_assert(sim_advance_before(&f.sim, at, 100));
    ck_assert_uint_eq(f.sim.now, 1000);
    fx_clear(&f);
    sim_inject(&f.sim, &syn);               /* the SYN again, at 1000 */
    fx_run(&f);
    ck_assert(sim_advance_before(&f.sim, 1001, 100));
    const struct segment *out[8];
    ck_assert_uint_eq(fx_sent(&f, out, 8), 3);
    ck_seg(out[0], TCP_SYN, 1000, 0, 0);                                    /* injected */
    ck_seg(out[1], TCP_ACK, f.sim.tcb[EP_SERVER].iss + 1, 1001, 0);         /* RFC 9293 3.10.7.4 first */
    ck_seg(out[2], TCP_SYN | TCP_ACK, f.sim.tcb[EP_SERVER].iss, 1001, 0);   /* then the timer */
    fx_free(&f);
}
END_TEST

Suite *pkt_suite(void)
{
    Suite *s = suite_create("packetdrill");
    TCase *tc = tcase_create("notation");
    tcase_add_test(tc, test_pkt_lex_tokens_with_positions);
    tcase_add_test(tc, test_pkt_preprocess_ifdef_else);
    tcase_add_test(tc, test_pkt_parse_packets);
    tcase_add_test(tc, test_pkt_parse_calls_shell_code);
    tcase_add_test(tc, test_pkt_parse_errors_name_line_and_column);
    tcase_add_test(tc, test_pkt_flags_and_times_as_packetdrill_writes_them);
    suite_add_tcase(s, tc);
    tc = tcase_create("script side");
    tcase_add_test(tc, test_closed_syn_ack_to_absent_host);
    tcase_add_test(tc, test_syn_received_syn_before_timer_at_same_ms);
    suite_add_tcase(s, tc);
    return s;
}
