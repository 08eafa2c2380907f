/* help.c - `help` and `help COMMAND`, from the command table: the list of
 * commands, and for one its arguments, an example and what it teaches;
 * `help expect` also lists the checks, `help set` the settings.  Everything
 * fits 80 columns, in Chinese too (measured by display width); the
 * table's texts are msgids.
 */
#include <string.h>
#include <strings.h>

#include "cli/session.h"
#include "render/i18n.h"
#include "render/text.h"

#define HELP_WIDTH 80
#define USAGE_COL 28            /* "  USAGE...  summary" */

/* `help set`: each setting with the values it takes (set alone shows the
 * values in force). */
static const char *const settings_help = N_(
    "  set delivery auto|step             auto: after a command, the channel runs\n"
    "                                     until nothing is in flight\n"
    "  set [ENDPOINT] autoack on|off      off: data is ACKed only by ENDPOINT ack\n"
    "  set [ENDPOINT] autoread on|off     off: data waits for ENDPOINT read\n"
    "  set isn ENDPOINT N                 the ISS of its next connection\n"
    "  set latency DUR, set msl DUR       one-way delay; TIME-WAIT is 2 x MSL\n"
    "  set mss N, set window N            for connections opened afterwards\n"
    "  set retries N, set syn-retries N   retransmissions before giving up\n"
    "  set rto DUR                        the initial RTO and its floor\n"
    "  set rfc1337 on|off                 on: TIME-WAIT ignores a RST\n"
    "  set ratelimit DUR                  one challenge or duplicate ACK per DUR\n"
    "  set seed N                         reseed the random numbers now\n"
    "  set numbers absolute|relative|symbolic [A B]\n"
    "                                     how seq and ack are written (x, y)\n"
    "  set steps on|off                   label the handshake [1/3], close [1/4]\n"
    "  set explain on|off                 the RFC rule under each step\n"
    "  set handshake three-way|two-way    two-way is NOT TCP: why three\n"
    "  set isn-mode random|counter|clock  how the ISN is chosen\n"
    "  set syncookies on|off              SYN cookies when the SYN queue is full\n"
    "  set profile rfc9293|rfc793|linux   the rules and their defaults together\n"
    "  set width N|auto                   the transcript's width (60 to 240)\n"
    "  set theme dark|light               light: for a white projector screen\n");

/* Text wrapped to the width, the first line after `lead`, the others
 * under it. */
static void wrapped(FILE *out, const char *lead, const char *text)
{
    int indent = text_width(lead);
    fputs(lead, out);
    while (*text) {
        int n = ladder_wrap(text, HELP_WIDTH - indent);
        fprintf(out, "%.*s\n", n, text);
        text += n;
        while (*text == ' ')
            text++;
        if (*text)
            fprintf(out, "%*s", indent, "");
    }
}

static void one(FILE *out, const struct command *c)
{
    if (c->alias)
        fprintf(out, _("%s  (alias: %s)\n"), c->usage, c->alias);
    else
        fprintf(out, "%s\n", c->usage);
    wrapped(out, "    ", _(c->help));
    if (c->example)
        wrapped(out, _("    example: "), c->example);
    if (c->teaches)
        wrapped(out, _("    teaches: "), _(c->teaches));
    if (c->run == cmd_expect) {
        fputs(_("    the checks:\n"), out);
        fputs(_(expect_help), out);
    }
    if (c->run == cmd_set) {
        fputs(_("    the settings:\n"), out);
        fputs(_(settings_help), out);
    }
}

int cmd_help(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    ladder_flush(&s->ladder);
    if (argc == 1) {
        const struct command *c = command_find(argv[0]);
        for (size_t i = 0; !c && setting_names[i]; i++)
            if (strcasecmp(argv[0], setting_names[i]) == 0) {
                session_error(s, _("help: %s is a setting, not a command: help set lists the settings"), setting_names[i]);
                return -1;
            }
        if (!c) {
            const char *hint = command_suggest(argv[0]);
            if (hint)
                session_error(s, _("help: unknown command '%.40s' (did you mean '%s'?)"), argv[0], hint);
            else
                session_error(s, _("help: unknown command '%.40s'"), argv[0]);
            return -1;
        }
        one(s->out, c);
        return 0;
    }
    fputs(_("Commands (ENDPOINT is client or server, also c or s;\n"
            "DIR is client->server or server->client, also c->s or s->c):\n"), s->out);
    for (size_t i = 0; i < n_commands; i++) {
        const struct command *c = &commands[i];
        char lead[HELP_WIDTH];
        if (strlen(c->usage) <= USAGE_COL) {
            snprintf(lead, sizeof lead, "  %-*s ", USAGE_COL, c->usage);
        } else {
            fprintf(s->out, "  %s\n", c->usage);
            snprintf(lead, sizeof lead, "  %-*s ", USAGE_COL, "");
        }
        wrapped(s->out, lead, _(c->help));
    }
    fputs(_("Durations take a unit: 250ms, 1s, 2m.  # starts a comment.\n"
            "help COMMAND shows its arguments, an example and what it teaches.\n"), s->out);
    return 0;
}
