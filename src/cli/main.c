/* main.c - the tcpsim command line: options, then the REPL, batch input,
 * scenario files or --check.  Exit status: 0 success, 1 a failed
 * expectation or command error in a script, 2 a usage error, an
 * unreadable file or an output file that could not be written. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/check.h"
#include "cli/compare.h"
#include "cli/play.h"
#include "cli/quiz.h"
#include "cli/pkt.h"
#include "cli/repl.h"
#include "cli/session.h"
#include "render/i18n.h"

#define TCPSIM_VERSION "0.1.0"

static void usage(FILE *f)
{
    fputs(_("usage: tcpsim [OPTIONS] [FILE...]\n"
          "\n"
          "  tcpsim                      REPL when stdin is a terminal\n"
          "  tcpsim < commands.txt       batch: read commands from stdin\n"
          "  tcpsim FILE...              run scenario files, then exit\n"
          "  tcpsim -i FILE...           run scenario files, then stay in the REPL\n"
          "  tcpsim --check FILE...      run scenarios as tests: PASS or FAIL each, then\n"
          "                              'N passed, N failed'\n"
          "  tcpsim --check --update FILE...\n"
          "                              the same, rewriting each expected NAME.out\n"
          "  tcpsim --play FILE          a lesson for the projector: one command per key\n"
          "                              (Space/Enter next, b back, q quit)\n"
          "  tcpsim --quiz [states] FILE predict each segment (or state) of a lesson\n"
          "  tcpsim --compare A,B FILE   the scenario under profiles A and B, side by side\n"
          "\n"
          "options:\n"
          "  --seed N                seed of the generator (ISNs, random loss); default 1\n"
          "  --profile NAME          rfc9293 (default), rfc793 or linux: rules and defaults\n"
          "  --json FILE             write every event as JSON Lines to FILE (- is stdout)\n"
          "  --pcap FILE             write every segment sent to FILE, a pcap capture\n"
          "  --svg FILE              at the end, write the session as an SVG picture\n"
          "  --html FILE             at the end, write a web page that steps through it\n"
          "  --color auto|always|never   colour on a terminal (NO_COLOR is honoured)\n"
          "  --lang en|zh_CN         the language (default: LC_ALL, LC_MESSAGES, LANG)\n"
          "  --report FILE           with --quiz: the answers as JSON\n"
          "  -q, --quiet             print only errors and failed expectations\n"
          "  -i                      stay in the REPL after the files\n"
          "  -h, --help              this help\n"
          "  -V, --version           the version\n"
          "\n"
          "In the REPL, 'help' lists the commands. See also: man tcpsim\n"), f);
    fputs(_("\npacketdrill scripts (SPEC section 6):\n"
          "  tcpsim --packetdrill [-D NAME] [-v] [-q] FILE.pkt...\n"
          "                    run them against one endpoint that plays the kernel:\n"
          "                    PASS/FAIL each, then 'N passed, N failed'\n"
          "  tcpsim --packetdrill --translate FILE.pkt\n"
          "                    print the tcpsim scenario a script amounts to\n"
          "  -D NAME           take the #ifdef NAME branches\n"
          "  -v                the transcript, and what of the script tcpsim ignored\n"
          "  -q                only the FAIL lines and the closing line\n"
          "  --profile NAME    (above) the rules the kernel's endpoint follows\n"), f);
}

enum { OPT_SEED = 256, OPT_COLOR, OPT_CHECK, OPT_UPDATE, OPT_JSON, OPT_PCAP, OPT_LANG, OPT_QUIZ, OPT_REPORT,
       OPT_PROFILE, OPT_COMPARE, OPT_SVG, OPT_HTML, OPT_PLAY,
       OPT_PACKETDRILL, OPT_TRANSLATE };

#define MAX_DEFINES 32

/* --lang is read before the other options, so that even --help and the
 * errors about them speak the language asked for. */
static const char *lang_option(int argc, char **argv)
{
    const char *lang = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strncmp(argv[i], "--lang=", 7) == 0)
            lang = argv[i] + 7;
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            lang = argv[++i];
    }
    return lang;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "seed", required_argument, NULL, OPT_SEED },
        { "color", required_argument, NULL, OPT_COLOR },
        { "check", no_argument, NULL, OPT_CHECK },
        { "json", required_argument, NULL, OPT_JSON },
        { "pcap", required_argument, NULL, OPT_PCAP },
        { "profile", required_argument, NULL, OPT_PROFILE },
        { "compare", required_argument, NULL, OPT_COMPARE },
        { "svg", required_argument, NULL, OPT_SVG },
        { "html", required_argument, NULL, OPT_HTML },
        { "update", no_argument, NULL, OPT_UPDATE },
        { "play", required_argument, NULL, OPT_PLAY },
        { "packetdrill", no_argument, NULL, OPT_PACKETDRILL },
        { "translate", no_argument, NULL, OPT_TRANSLATE },
        { "quiet", no_argument, NULL, 'q' },
        { "lang", required_argument, NULL, OPT_LANG },
        { "quiz", no_argument, NULL, OPT_QUIZ },
        { "report", required_argument, NULL, OPT_REPORT },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *lang = lang_option(argc, argv);
    if (!i18n_init(lang)) {
        fprintf(stderr, _("tcpsim: unknown --lang '%s': write en or zh_CN\n"), lang);
        return 2;
    }
#ifdef M_TRIM_THRESHOLD
    /* A sweep (and undo) builds and frees the same megabytes over and
     * over: glibc would hand them back to the kernel each time, and fault
     * them in again (most of a sweep's time).  Keep up to 64 MiB free, and
     * blocks under 4 MiB on the heap. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);   /* larger blocks (the log) grow in place */
#endif
    struct sim_config cfg;
    sim_config_default(&cfg);
    bool check = false, update = false, quiet = false, interactive = false, quiz = false;
    const char *color = "auto", *json = NULL, *pcap = NULL, *report = NULL, *compare = NULL;
    const char *svg = NULL, *html = NULL, *play = NULL;
    const char *defines[MAX_DEFINES];
    struct pkt_opts pd = { .defines = defines };
    bool packetdrill = false;
    int c;
    while ((c = getopt_long(argc, argv, "qihVvD:", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SEED: {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] < '0' || optarg[0] > '9' || v > UINT32_MAX) {
                fprintf(stderr, _("tcpsim: bad --seed '%s': write a whole number from 0 to 4294967295\n"), optarg);
                return 2;
            }
            cfg.seed = v;
            break;
        }
        case OPT_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never")) {
                fprintf(stderr, _("tcpsim: bad --color '%s': write auto, always or never\n"), optarg);
                return 2;
            }
            color = optarg;
            break;
        case OPT_LANG: break;       /* read first, by lang_option */
        case OPT_PROFILE: {
            const struct profile *p = profile_find(optarg);
            if (!p) {
                fprintf(stderr, _("tcpsim: bad --profile '%s': write %s\n"), optarg, profile_names());
                return 2;
            }
            profile_apply(p, &cfg);
            break;
        }
        case OPT_COMPARE: compare = optarg; break;
        case OPT_CHECK: check = true; break;
        case OPT_QUIZ: quiz = true; break;
        case OPT_REPORT: report = optarg; break;
        case OPT_JSON: json = optarg; break;
        case OPT_PCAP: pcap = optarg; break;
        case OPT_SVG: svg = optarg; break;
        case OPT_HTML: html = optarg; break;
        case OPT_UPDATE: update = true; break;
        case OPT_PLAY: play = optarg; break;
        case OPT_PACKETDRILL: packetdrill = true; break;
        case OPT_TRANSLATE: pd.translate = true; break;
        case 'v': pd.verbose = true; break;
        case 'D':
            if (pd.ndefines == MAX_DEFINES) {
                fprintf(stderr, "tcpsim: at most %d -D names\n", MAX_DEFINES);
                return 2;
            }
            defines[pd.ndefines++] = optarg;
            break;
        case 'q': quiet = true; break;
        case 'i': interactive = true; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("tcpsim %s\n", TCPSIM_VERSION); return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    int nfiles = argc - optind;
    char **files = argv + optind;
    if (update && !check) {
        fputs(_("tcpsim: --update goes with --check: tcpsim --check --update FILE...\n"), stderr);
        return 2;
    }
    if (check && (json || pcap || svg || html)) {
        fputs(_("tcpsim: --json, --pcap, --svg and --html record one run, not --check: "
                "tcpsim --json F.json --pcap F.pcap FILE\n"), stderr);
        return 2;
    }
    bool use_color = strcmp(color, "always") == 0 ||
                     (strcmp(color, "auto") == 0 && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
    if (play) {
        if (check || interactive || quiz || compare || svg || html || nfiles > 0 || json || pcap) {
            fputs(_("tcpsim: --play shows one lesson, alone: tcpsim --play FILE (record a run with "
                  "tcpsim --json F.json FILE)\n"), stderr);
            return 2;
        }
        return play_run(&cfg, play, use_color);
    }
    if ((pd.translate || pd.verbose || pd.ndefines) && !packetdrill) {
        fputs(_("tcpsim: --translate, -v and -D go with --packetdrill: tcpsim --packetdrill [-D NAME] [-v] FILE.pkt...\n"),
              stderr);
        return 2;
    }
    if (packetdrill) {
        if (check || json || pcap || interactive || quiz) {
            fputs(_("tcpsim: --packetdrill runs scripts as tests, alone: tcpsim --packetdrill FILE.pkt...\n"), stderr);
            return 2;
        }
        if (nfiles == 0) {
            fputs(_("tcpsim: --packetdrill needs scripts, e.g. tcpsim --packetdrill tests/packetdrill/*.pkt\n"), stderr);
            return 2;
        }
        pd.quiet = quiet;
        return pkt_run_files(&cfg, &pd, nfiles, files);
    }
    if (report && !quiz) {
        fputs(_("tcpsim: --report goes with --quiz: tcpsim --quiz --report answers.json FILE\n"), stderr);
        return 2;
    }
    if (quiz) {
        bool states = nfiles == 2 && strcmp(files[0], "states") == 0;
        if (nfiles != 1 + states || check || json || pcap || svg || html) {
            fputs(_("tcpsim: --quiz runs one lesson: tcpsim --quiz [states] [--report FILE] FILE\n"), stderr);
            return 2;
        }
        return quiz_main(&cfg, files[states], states, report);
    }
    if (compare) {
        if (nfiles != 1 || check || json || pcap || svg || html) {
            fputs(_("tcpsim: --compare takes one scenario and no other mode: tcpsim --compare rfc9293,linux FILE\n"),
                  stderr);
            return 2;
        }
        return compare_profiles(&cfg, compare, files[0], stdout);
    }
    if (check) {
        if (nfiles == 0) {
            fputs(_("tcpsim: --check needs scenario files, e.g. tcpsim --check scenarios/*.tcpsim\n"), stderr);
            return 2;
        }
        return check_files(&cfg, nfiles, files, update, quiet);
    }

    bool tty_in = isatty(STDIN_FILENO);
    struct stat st;
    if (nfiles == 0 && fstat(STDIN_FILENO, &st) == 0 && S_ISDIR(st.st_mode)) {
        fputs(_("tcpsim: cannot read standard input: Is a directory; give it a file of commands: tcpsim < FILE\n"),
              stderr);
        return 2;
    }
    struct session s;
    session_init(&s, &cfg, stdout, stderr);
    s.quiet = quiet;
    s.ladder.color = use_color;
    char err[300];
    if ((json && session_log_json(&s, json, err, sizeof err) != 0) ||
        (pcap && session_capture(&s, pcap, err, sizeof err) != 0) ||
        (svg && session_export(&s, "svg", svg, err, sizeof err) != 0) ||      /* writable? say so now */
        (html && session_export(&s, "html", html, err, sizeof err) != 0)) {
        fprintf(stderr, "tcpsim: %s\n", err);
        session_free(&s);
        return 2;
    }
    int status = 0;
    if (nfiles > 0) {
        s.echo = true;
        for (int i = 0; i < nfiles && !s.quit; i++) {
            FILE *in = session_open(files[i]);
            if (!in) {
                fprintf(stderr, _("tcpsim: cannot read %s: %s\n"), files[i], i18n_strerror(errno));
                session_free(&s);
                return 2;
            }
            if (i == 0 && !quiet)       /* not above an unreadable file's error */
                ladder_header(&s.ladder);
            session_run_stream(&s, in, files[i]);
            fclose(in);
            if (s.expect_failed)
                break;
        }
        if (s.expect_failed || s.unexpected_errors > 0)
            status = 1;
        if (interactive && !s.quit && !s.expect_failed && tty_in) {
            s.file = NULL;
            s.echo = false;
            status = repl_run(&s);
        }
    } else if (tty_in) {
        status = repl_run(&s);
    } else {
        if (!quiet)
            ladder_header(&s.ladder);
        s.echo = true;
        session_run_stream(&s, stdin, "stdin");
        if (s.expect_failed || s.unexpected_errors > 0)
            status = 1;
    }
    /* The pictures show the whole run, so they are written at its end. */
    if ((svg && session_export(&s, "svg", svg, err, sizeof err) != 0) ||
        (html && session_export(&s, "html", html, err, sizeof err) != 0)) {
        fprintf(stderr, "tcpsim: %s\n", err);
        status = 2;
    }
    if (session_close_outputs(&s, true, true) != 0 || s.output_failed || s.input_failed)
        status = 2;
    session_free(&s);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, _("tcpsim: writing the transcript failed: %s; check where standard output goes\n"),
                errno ? i18n_strerror(errno) : _("standard output is closed or full"));
        return status ? status : 1;
    }
    return status;
}
