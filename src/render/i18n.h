/* i18n.h - messages in two languages with GNU gettext (libintl is in
 * glibc): _() where a message is shown, N_() in static tables, translated
 * when shown.  The engine never translates: it hands out msgids (its
 * reason strings), and the renderers and the front end translate them.
 */
#ifndef TCPSIM_I18N_H
#define TCPSIM_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

/* A message that is not marked here, translated: the engine's reasons,
 * errors and hints (msgids handed out as they are).  NULL and "" stay as
 * they are ("" is the catalog's header to gettext). */
const char *i18n_tr(const char *msgid);

/* strerror(err) in the chosen language: the C library's own catalogs
 * need a zh_CN locale, which tcpsim does not ask for, so the errors a
 * file name can meet are translated here. */
const char *i18n_strerror(int err);

/* Choose the language: lang ("en", "zh_CN") when not NULL, else the first
 * of LC_ALL, LC_MESSAGES, LANG that is set; anything that is not Chinese
 * is English.  Sets a UTF-8 character type (for display widths) and binds
 * the catalog, found beside the program when run from the build tree.
 * Returns false when lang is not a language tcpsim speaks. */
bool i18n_init(const char *lang);
/* "en" or "zh_CN". */
const char *i18n_lang(void);

#endif
