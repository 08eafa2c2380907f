/* help.c - `help` and `help COMMAND`, from the command table: the list of
 * commands, and for one its arguments, an example and what it teaches;
 * `help expect` also lists the checks.  Everything fits 80 columns.
 */
#include <string.h>

#include "cli/session.h"

#define HELP_WIDTH 80
#define USAGE_COL 28            /* "  USAGE...  summary" */

/* Text wrapped to the width, the first line after `lead`, the others
 * under it. */
static void wrapped(FILE *out, const char *lead, const char *text)
{
    int indent = (int)strlen(lead);
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
    fprintf(out, "%s%s%s%s\n", c->usage, c->alias ? "  (alias: " : "", c->alias ? c->alias : "", c->alias ? ")" : "");
    wrapped(out, "    ", c->help);
    if (c->example)
        wrapped(out, "    example: ", c->example);
    if (c->teaches)
        wrapped(out, "    teaches: ", c->teaches);
    if (c->run == cmd_expect) {
        fputs("    the checks:\n", out);
        fputs(expect_help, out);
    }
}

int cmd_help(struct session *s, int ep, int argc, char **argv)
{
    (void)ep;
    ladder_flush(&s->ladder);
    if (argc == 1) {
        const struct command *c = command_find(argv[0]);
        if (!c) {
            const char *hint = command_suggest(argv[0]);
            session_error(s, "help: unknown command '%.40s'%s%s%s", argv[0], hint ? " (did you mean '" : "",
                          hint ? hint : "", hint ? "'?)" : "");
            return -1;
        }
        one(s->out, c);
        return 0;
    }
    fputs("Commands (ENDPOINT is client or server, also c or s;\n"
          "DIR is client->server or server->client, also c->s or s->c):\n", s->out);
    for (size_t i = 0; i < n_commands; i++) {
        const struct command *c = &commands[i];
        char lead[HELP_WIDTH];
        if (strlen(c->usage) <= USAGE_COL) {
            snprintf(lead, sizeof lead, "  %-*s ", USAGE_COL, c->usage);
        } else {
            fprintf(s->out, "  %s\n", c->usage);
            snprintf(lead, sizeof lead, "  %-*s ", USAGE_COL, "");
        }
        wrapped(s->out, lead, c->help);
    }
    fputs("Durations take a unit: 250ms, 1s, 2m.  # starts a comment.\n"
          "help COMMAND shows its arguments, an example and what it teaches.\n", s->out);
    return 0;
}
