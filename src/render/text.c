/* text.c - display width and escaping of UTF-8 text (text.h). */
#include <stdio.h>
#include <string.h>

#include "render/text.h"

int text_utf8_next(const char *p, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    int len = u[0] >= 0xf0 && u[0] <= 0xf4 ? 4 : u[0] >= 0xe0 ? (u[0] < 0xf0 ? 3 : 0) : u[0] >= 0xc2 ? 2 : 0;
    if (len == 0 || (size_t)len > n)
        return 0;
    uint32_t c = u[0] & (0x7f >> len);
    for (int i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (u[i] & 0x3f);
    }
    /* no overlong form, no surrogate, nothing past U+10FFFF */
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

/* East Asian Wide and Fullwidth (Unicode 15), as the terminals draw them. */
static const uint32_t wide[][2] = {
    { 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a }, { 0x23e9, 0x23ec }, { 0x2614, 0x2615 },
    { 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
    { 0xa960, 0xa97f }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f },
    { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff },
    { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};
/* Combining marks and zero-width characters. */
static const uint32_t zero[][2] = {
    { 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x0610, 0x061a }, { 0x064b, 0x065f },
    { 0x200b, 0x200f }, { 0x202a, 0x202e }, { 0x2060, 0x2064 }, { 0x20d0, 0x20ff }, { 0x302a, 0x302d },
    { 0x3099, 0x309a }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff },
};

static bool in(const uint32_t (*t)[2], size_t n, uint32_t cp)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= t[i][0] && cp <= t[i][1])
            return true;
    return false;
}

int text_cp_width(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
        return -1;
    if (cp < 0x300)                     /* Latin: no table to search */
        return 1;
    if (in(zero, sizeof zero / sizeof zero[0], cp))
        return 0;
    return in(wide, sizeof wide / sizeof wide[0], cp) ? 2 : 1;
}

int text_width(const char *s)
{
    int w = 0;
    size_t n = strlen(s);
    while (n > 0) {
        uint32_t cp;
        if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f) {    /* printable ASCII */
            w++;
            s++;
            n--;
            continue;
        }
        int k = text_utf8_next(s, n, &cp);
        int cw = k ? text_cp_width(cp) : 4;     /* drawn as \xNN */
        w += cw < 0 ? 4 : cw;
        k = k ? k : 1;
        s += k;
        n -= (size_t)k;
    }
    return w;
}

size_t text_escape(const char *src, size_t len, char *dst, size_t n, int max_cols, bool quote)
{
    size_t i = 0, k = 0;
    int cols = 0;
    if (n == 0)
        return 0;
    while (i < len) {
        uint32_t cp;
        unsigned char c = (unsigned char)src[i];
        if (c >= 0x20 && c < 0x7f && !(quote && (c == '"' || c == '\\'))) {   /* printable ASCII */
            if (k + 1 >= n || (max_cols >= 0 && cols + 1 > max_cols))
                break;
            dst[k++] = (char)c;
            cols++;
            i++;
            continue;
        }
        int clen = text_utf8_next(src + i, len - i, &cp);
        int cw = clen ? text_cp_width(cp) : -1;
        bool esc = cw < 0 || (quote && (cp == '"' || cp == '\\'));
        size_t bytes = esc ? 4 : (size_t)clen;
        int w = esc ? 4 : cw;
        if (k + bytes >= n || (max_cols >= 0 && cols + w > max_cols))
            break;
        if (esc)
            snprintf(dst + k, n - k, "\\x%02x", (unsigned char)src[i]);
        else
            memcpy(dst + k, src + i, bytes);
        k += bytes;
        cols += w;
        i += esc ? 1 : (size_t)clen;
    }
    dst[k] = '\0';
    return i;
}

static bool closing(uint32_t cp)
{
    static const uint32_t marks[] = { 0x3001, 0x3002, 0xff0c, 0xff0e, 0xff1a, 0xff1b, 0xff01, 0xff1f,
                                      0xff09, 0x300d, 0x300f, 0x3011, 0x300b, 0x3009,
                                      ')', ']', ',', '.', ';', ':', '!', '?' };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (cp == marks[i])
            return true;
    return false;
}

int text_fit(const char *s, int width, bool at_blank)
{
    size_t n = strlen(s), i = 0;
    int cols = 0, brk = -1, prev_w = 1;
    while (i < n) {
        uint32_t cp;
        int k = text_utf8_next(s + i, n - i, &cp);
        int cw = k ? text_cp_width(cp) : 4;
        cw = cw < 0 ? 4 : cw;
        k = k ? k : 1;
        /* a line may break at a blank, and beside a CJK character, but
         * never before closing punctuation (，。：） ...) */
        if (i > 0 && (s[i] == ' ' || (((cw == 2 && s[i - 1] != ' ') || prev_w == 2) && !closing(cp))))
            brk = (int)i;
        if (cols + cw > width)
            return !at_blank || s[i] == ' ' ? (int)i : brk > 0 ? brk : (int)i;
        cols += cw;
        prev_w = cw;
        i += (size_t)k;
    }
    return (int)n;
}
