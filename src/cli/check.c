/* check.c - scenario files as tests: expectations, then the transcript
 * against NAME.out beside NAME.tcpsim (a unified diff where they differ),
 * or rewriting NAME.out with --update. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/check.h"
#include "cli/session.h"
#include "render/i18n.h"

int run_scenario(const struct sim_config *cfg, const char *path, FILE *out, FILE *err, bool color)
{
    FILE *in = session_open(path);
    if (!in)
        return -2;
    struct session s;
    session_init(&s, cfg, out, err);
    s.echo = true;
    s.ladder.color = color;
    ladder_header(&s.ladder);
    session_run_stream(&s, in, path);
    fclose(in);
    int rc = (s.expect_failed || s.unexpected_errors > 0) ? -1 : 0;
    if (!s.expect_failed && s.unexpected_errors > 0)
        fprintf(err, ngettext("%s: %d command error not covered by 'expect error'\n",
                                 "%s: %d command errors not covered by 'expect error'\n", s.unexpected_errors),
                path, s.unexpected_errors);
    session_free(&s);
    return rc;
}

static char *out_path(const char *path)
{
    size_t n = strlen(path);
    const char *ext = ".tcpsim";
    size_t e = strlen(ext);
    char *p = malloc(n + 8);
    if (!p)
        return NULL;
    if (n > e && strcmp(path + n - e, ext) == 0)
        n -= e;
    memcpy(p, path, n);
    strcpy(p + n, ".out");
    return p;
}

static char *slurp(FILE *f, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, n = 0, k;
    char chunk[4096];
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + k + 1 > cap) {
            cap = (n + k + 1) * 2;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                return NULL;
            }
            buf = b;
        }
        memcpy(buf + n, chunk, k);
        n += k;
    }
    if (!buf)
        buf = calloc(1, 1);
    else
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* A unified diff of the expected transcript and the actual one, by diff(1). */
static void show_diff(const char *expected_path, const char *actual, size_t len)
{
    char tmp[] = "/tmp/tcpsim-actual-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return;
    }
    fwrite(actual, 1, len, f);
    fclose(f);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("diff", "diff", "-u", "--label", expected_path, "--label", "actual transcript",
               expected_path, tmp, (char *)NULL);
        _exit(127);
    }
    if (pid > 0) {
        int st;
        waitpid(pid, &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
            printf(_("  (install diff(1) to see the difference)\n"));
    }
    unlink(tmp);
}

static bool is_scenario(const char *path)
{
    size_t n = strlen(path), e = strlen(".tcpsim");
    return n > e && strcmp(path + n - e, ".tcpsim") == 0;
}

int check_files(const struct sim_config *cfg, int n, char **files, bool update, bool quiet)
{
    int passed = 0, failed = 0, unreadable = 0, ran = 0;
    for (int i = 0; i < n; i++) {
        if (!is_scenario(files[i])) {
            /* a glob of scenarios/ holds the .out files too: never run them */
            printf(_("SKIP %s (not a .tcpsim scenario)\n"), files[i]);
            continue;
        }
        ran++;
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        if (!mem) {
            fprintf(stderr, _("tcpsim: out of memory\n"));
            return 2;
        }
        fflush(stdout);
        int rc = run_scenario(cfg, files[i], mem, stderr, false);
        fclose(mem);
        if (rc == -2) {
            fprintf(stderr, _("tcpsim: cannot read %s: %s\n"), files[i], i18n_strerror(errno));
            printf("FAIL %s\n", files[i]);
            failed++;
            unreadable++;
            free(buf);
            continue;
        }
        bool ok = rc == 0, missing = false;
        char *expected_path = out_path(files[i]);
        if (expected_path && update && !ok) {
            printf(_("%s: an expectation failed or a command erred: %s not written\n"), files[i], expected_path);
        } else if (expected_path && update) {
            FILE *f = fopen(expected_path, "w");
            if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
                fprintf(stderr, _("tcpsim: cannot write %s: %s\n"), expected_path, i18n_strerror(errno));
                ok = false;
            }
        } else if (expected_path) {
            errno = 0;
            FILE *f = session_open(expected_path);
            if (!f && errno != ENOENT) {
                fprintf(stderr, _("tcpsim: cannot read the expected transcript %s: %s; it must be a readable "
                                "file (tcpsim --check --update %s writes it)\n"), expected_path, strerror(errno),
                        files[i]);
                ok = false;
                unreadable++;
            }
            if (f) {
                size_t elen;
                char *expected = slurp(f, &elen);
                fclose(f);
                if (!expected || elen != len || memcmp(expected, buf, len) != 0) {
                    printf(_("%s: transcript differs from %s:\n"), files[i], expected_path);
                    show_diff(expected_path, buf, len);
                    ok = false;
                }
                free(expected);
            } else {
                missing = true;
            }
        }
        if (ok)
            passed++;
        else
            failed++;
        if (!quiet || !ok || missing)
            printf("%s %s%s%s%s%s\n", ok ? "PASS" : "FAIL", files[i], update && ok ? _(" (transcript written)") : "",
                   missing ? _(" (no transcript to compare: --update writes ") : "",
                   missing ? expected_path : "", missing ? ")" : "");
        free(expected_path);
        free(buf);
    }
    printf("%d passed, %d failed\n", passed, failed);
    if (ran == 0) {
        fputs(_("tcpsim: --check ran nothing: give scenario files NAME.tcpsim\n"), stderr);
        return 2;
    }
    fflush(stdout);
    if (unreadable)
        return 2;
    return failed ? 1 : 0;
}
