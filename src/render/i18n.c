/* i18n.c - choosing the language and finding the message catalog. */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static const char *current = "en";

const char *i18n_lang(void) { return current; }

const char *i18n_tr(const char *msgid)
{
    return msgid && *msgid ? gettext(msgid) : msgid;
}

const char *i18n_strerror(int err)
{
    switch (err) {
    case ENOENT: return _("No such file or directory");
    case EACCES: return _("Permission denied");
    case EISDIR: return _("Is a directory");
    case ENOTDIR: return _("Not a directory");
    case ENOSPC: return _("No space left on device");
    case EROFS: return _("Read-only file system");
    case ENOMEM: return _("Cannot allocate memory");
    case EEXIST: return _("File exists");
    case EMFILE: return _("Too many open files");
    case ENAMETOOLONG: return _("File name too long");
    case EIO: return _("Input/output error");
    case EPIPE: return _("Broken pipe");
    default: return strerror(err);
    }
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The catalogs: $TCPSIM_LOCALEDIR, else locale/ or build/locale/ beside
 * the program (the build tree), else ../share/locale from it (installed,
 * wherever PREFIX was), else the LOCALEDIR it was built for. */
static const char *catalog_dir(char *buf, size_t n)
{
    const char *env = getenv("TCPSIM_LOCALEDIR");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        static const char *const near[] = { "locale", "build/locale", "../share/locale" };
        for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
            snprintf(buf, n, "%s/%s", exe, near[i]);
            if (is_dir(buf))
                return buf;
        }
    }
    return LOCALEDIR;
}

static const char *from_environment(void)
{
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return "";
}

bool i18n_init(const char *lang)
{
    bool known = true;
    const char *want = lang ? lang : from_environment();
    if (strncmp(want, "zh", 2) == 0) {
        current = "zh_CN";
    } else {
        current = "en";
        known = !lang || strcmp(lang, "en") == 0 || strncmp(lang, "en_", 3) == 0 ||
                strcmp(lang, "C") == 0 || strcmp(lang, "POSIX") == 0;
    }
    /* The catalog is chosen by LANGUAGE, so no zh_CN locale need be
     * installed; C.UTF-8 (always on Debian) gives the display widths. */
    if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8"))
        setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    setenv("LANGUAGE", current, 1);
    char buf[PATH_MAX + 32];
    bindtextdomain("tcpsim", catalog_dir(buf, sizeof buf));
    bind_textdomain_codeset("tcpsim", "UTF-8");
    textdomain("tcpsim");
    return known;
}
