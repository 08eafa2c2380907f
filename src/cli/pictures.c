/* pictures.c - the session's pictures: `export svg FILE`, `export html
 * FILE`, and --svg/--html, written when the run ends.  The timeline they
 * draw is recorded on every engine event (session.c); this file only
 * names and writes the files.  A file that cannot be written is an error
 * that changes nothing. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cli/session.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/svg.h"

/* "lost-final-ack" from "scenarios/lost-final-ack.tcpsim". */
static void title_of(const struct session *s, char *buf, size_t n)
{
    if (!s->file || strcmp(s->file, "stdin") == 0) {
        snprintf(buf, n, "tcpsim session");
        return;
    }
    const char *base = strrchr(s->file, '/');
    base = base ? base + 1 : s->file;
    size_t len = strcspn(base, ".");
    snprintf(buf, n, "tcpsim: %.*s", (int)(len < 80 ? len : 80), base);
}

int session_export(struct session *s, const char *kind, const char *path, char *err, size_t errlen)
{
    bool html = strcasecmp(kind, "html") == 0;
    if (!html && strcasecmp(kind, "svg") != 0) {
        snprintf(err, errlen, _("cannot export '%.20s': write export svg FILE or export html FILE"), kind);
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, _("cannot write the picture %.100s: %s; choose another path"), path, strerror(errno));
        return -1;
    }
    char title[128];
    title_of(s, title, sizeof title);
    timeline_finish(&s->timeline, &s->sim);
    int rc = html ? html_write(f, &s->timeline, &s->sim.cfg, title) : svg_write(f, &s->timeline, &s->sim.cfg, title);
    int saved = errno;
    if (fclose(f) != 0 || rc != 0) {
        snprintf(err, errlen, _("writing the picture %.100s failed: %s; check the disk and choose another path"),
                 path, strerror(rc != 0 ? saved : errno));
        return -1;
    }
    return 0;
}

int cmd_export(struct session *s, int ep, int argc, char **argv)
{
    (void)ep; (void)argc;
    char err[300], pb[4096];
    const char *path = session_file(s, "export", argv[1], pb, sizeof pb);     /* a fuzzer's sandbox too */
    if (!path)
        return -1;
    if (session_export(s, argv[0], path, err, sizeof err) != 0) {
        session_error(s, "export: %s", err);
        return -1;
    }
    session_say(s, _("%s picture written to %.60s"), strcasecmp(argv[0], "html") == 0 ? "HTML" : "SVG", argv[1]);
    if (s->timeline.full)
        session_say(s, _("(it shows the first %d steps since the session or its last reset began: a picture "
                       "keeps no more)"), TL_MAX_STEPS);
    return 1;
}
