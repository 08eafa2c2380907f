/* outputs.c - a session's output files: the JSON Lines log and the pcap
 * capture, opened from the command line (--json, --pcap) or by the
 * commands `log json FILE | log off` and `capture FILE | capture off`.
 * A file that cannot be opened is an error that changes nothing: the file
 * already open (if any) stays open. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cli/session.h"

int session_log_json(struct session *s, const char *path, char *err, size_t errlen)
{
    struct jsonlog jl = { 0 };
    if (jsonlog_open(&jl, path) != 0) {
        snprintf(err, errlen, "cannot write the JSON log %.100s: %s; choose another path", path, strerror(errno));
        return -1;
    }
    jsonlog_close(&s->json);
    s->json = jl;
    return 0;
}

int session_capture(struct session *s, const char *path, char *err, size_t errlen)
{
    struct capture c = { 0 };
    char why[256];
    if (capture_open(&c, path, why, sizeof why) != 0) {
        snprintf(err, errlen, "cannot write the capture %.100s: %s; choose another path", path, why);
        return -1;
    }
    capture_close(&s->pcap);
    s->pcap = c;
    return 0;
}

int cmd_log(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    char err[300];
    if (argc == 1 && strcasecmp(argv[0], "off") == 0) {
        if (!s->json.f) {
            session_error(s, "log off: no JSON log is open; start one with: log json FILE");
            return -1;
        }
        jsonlog_close(&s->json);
        session_say(s, "JSON log closed");
        return 1;
    }
    if (argc != 2 || strcasecmp(argv[0], "json") != 0) {
        session_error(s, "log: usage: log json FILE | log off (FILE - is standard output)");
        return -1;
    }
    if (!session_may_write(s, "log"))
        return -1;
    if (session_log_json(s, argv[1], err, sizeof err) != 0) {
        session_error(s, "log: %s", err);
        return -1;
    }
    session_say(s, "JSON log to %.60s", argv[1]);
    return 1;
}

int cmd_capture(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc;
    char err[300];
    if (strcasecmp(argv[0], "off") == 0) {
        if (!s->pcap.dumper) {
            session_error(s, "capture off: no capture is open; start one with: capture FILE");
            return -1;
        }
        capture_close(&s->pcap);
        session_say(s, "capture closed");
        return 1;
    }
    if (!session_may_write(s, "capture"))
        return -1;
    if (session_capture(s, argv[0], err, sizeof err) != 0) {
        session_error(s, "capture: %s", err);
        return -1;
    }
    session_say(s, "capturing to %.60s", argv[0]);
    return 1;
}
