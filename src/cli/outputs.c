/* outputs.c - a session's output files: the JSON Lines log and the pcap
 * capture, opened from the command line (--json, --pcap) or by the
 * commands `log json FILE | log off` and `capture FILE | capture off`.
 * A file that cannot be opened is an error that changes nothing: the file
 * already open (if any) stays open.  A write, flush or close that fails
 * (a full disk) is an error naming the file and the reason, and closes
 * that file; on the command line it makes the exit status 2. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/session.h"
#include "render/i18n.h"

int session_log_json(struct session *s, const char *path, char *err, size_t errlen)
{
    struct jsonlog jl = { 0 };
    if (jsonlog_open(&jl, path) != 0) {
        snprintf(err, errlen, _("cannot write the JSON log %.100s: %s; choose another path"), path, i18n_strerror(errno));
        return -1;
    }
    char *copy = strdup(path);
    if (!copy) {
        jsonlog_close(&jl);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    session_close_outputs(s, true, false);
    s->json = jl;
    s->json_path = copy;
    return 0;
}

int session_capture(struct session *s, const char *path, char *err, size_t errlen)
{
    struct capture c = { 0 };
    char why[256];
    if (capture_open(&c, path, why, sizeof why) != 0) {
        snprintf(err, errlen, _("cannot write the capture %.100s: %s; choose another path"), path, why);
        return -1;
    }
    char *copy = strdup(path);
    if (!copy) {
        capture_close(&c);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    session_close_outputs(s, false, true);
    s->pcap = c;
    s->pcap_path = copy;
    return 0;
}

static void output_failed(struct session *s, const char *what, const char *path, int err, const char *reopen)
{
    if (err == EOVERFLOW)
        session_error(s, _("writing %s %.100s stopped: the clock passed 2^32 s, the latest time it can hold; "
                         "it is closed (start another with: %s)"), _(what), path, reopen);
    else
        session_error(s, _("writing %s %.100s failed: %s; it is closed (free some space, or start another "
                         "with: %s)"), _(what), path, i18n_strerror(err), reopen);
    s->output_failed = true;
}

int session_check_outputs(struct session *s)
{
    if (s->json.err || s->pcap.err)
        return session_close_outputs(s, s->json.err != 0, s->pcap.err != 0);
    return 0;
}

int session_close_outputs(struct session *s, bool json, bool pcap)
{
    int rc = 0;
    if (json && (s->json.f || s->json.err)) {
        if (jsonlog_close(&s->json) != 0) {
            int e = s->json.err;
            s->json = (struct jsonlog){ 0 };    /* the message below goes to no log */
            output_failed(s, N_("the JSON log"), s->json_path, e, "log json FILE");
            rc = -1;
        }
        s->json = (struct jsonlog){ 0 };
        free(s->json_path);
        s->json_path = NULL;
    }
    if (pcap && (s->pcap.dumper || s->pcap.err)) {
        if (capture_close(&s->pcap) != 0) {
            int e = s->pcap.err;
            s->pcap = (struct capture){ 0 };
            output_failed(s, N_("the capture"), s->pcap_path, e, "capture FILE");
            rc = -1;
        }
        s->pcap = (struct capture){ 0 };
        free(s->pcap_path);
        s->pcap_path = NULL;
    }
    return rc;
}

int cmd_log(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[300];
    if (argc == 1 && strcasecmp(argv[0], "off") == 0) {
        if (!s->json.f) {
            session_error(s, _("log off: no JSON log is open; start one with: log json FILE"));
            return -1;
        }
        if (session_close_outputs(s, true, false) != 0)
            return -1;
        session_say(s, _("JSON log closed"));
        return 1;
    }
    if (argc != 2 || strcasecmp(argv[0], "json") != 0) {
        session_error(s, _("log: usage: log json FILE | log off (FILE - is standard output)"));
        return -1;
    }
    char pb[4096];
    const char *path = session_file(s, "log", argv[1], pb, sizeof pb);
    if (!path)
        return -1;
    if (session_log_json(s, path, err, sizeof err) != 0) {
        session_error(s, "log: %s", err);
        return -1;
    }
    session_say(s, _("JSON log to %.60s"), argv[1]);
    return 1;
}

int cmd_capture(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc;
    char err[300];
    if (strcasecmp(argv[0], "off") == 0) {
        if (!s->pcap.dumper) {
            session_error(s, _("capture off: no capture is open; start one with: capture FILE"));
            return -1;
        }
        if (session_close_outputs(s, false, true) != 0)
            return -1;
        session_say(s, _("capture closed"));
        return 1;
    }
    char pb[4096];
    const char *path = session_file(s, "capture", argv[0], pb, sizeof pb);
    if (!path)
        return -1;
    if (session_capture(s, path, err, sizeof err) != 0) {
        session_error(s, "capture: %s", err);
        return -1;
    }
    session_say(s, _("capturing to %.60s"), argv[0]);
    return 1;
}
