/* segment.c - control-bit names in Wireshark order, and endpoint names. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "tcpsim/segment.h"

/* Wireshark lists the bits from the lowest up: FIN, SYN, RST, PSH, ACK, URG. */
static const struct { uint8_t bit; const char *name; } flag_names[] = {
    { TCP_FIN, "FIN" }, { TCP_SYN, "SYN" }, { TCP_RST, "RST" },
    { TCP_PSH, "PSH" }, { TCP_ACK, "ACK" }, { TCP_URG, "URG" },
};
#define N_FLAGS (sizeof flag_names / sizeof flag_names[0])

const char *ep_name(enum endpoint_id ep)
{
    return ep == EP_CLIENT ? "client" : "server";
}

const char *tcp_flags_str(uint8_t flags, char *buf)
{
    buf[0] = '\0';
    for (size_t i = 0; i < N_FLAGS; i++) {
        if (!(flags & flag_names[i].bit))
            continue;
        if (buf[0])
            strcat(buf, ",");
        strcat(buf, flag_names[i].name);
    }
    if (!buf[0])
        strcpy(buf, "none");
    return buf;
}

bool tcp_flags_parse(const char *text, uint8_t *out)
{
    uint8_t flags = 0;
    const char *p = text;
    if (strcasecmp(text, "none") == 0) {
        *out = 0;
        return true;
    }
    while (*p) {
        size_t n = strcspn(p, ",+|");
        bool found = false;
        for (size_t i = 0; i < N_FLAGS; i++) {
            if (n == strlen(flag_names[i].name) && strncasecmp(p, flag_names[i].name, n) == 0) {
                flags |= flag_names[i].bit;
                found = true;
            }
        }
        if (!found)
            return false;
        p += n;
        if (*p) {
            p++;
            if (!*p)
                return false;   /* trailing separator */
        }
    }
    if (p == text)
        return false;
    *out = flags;
    return true;
}
