/* pkt.h - packetdrill's script language: its tokens, the parsed script,
 * and the runner and exporter built on them (SPEC section 6).
 *
 * A script is a list of events, each with a time: a packet (`<` injected
 * from the script's side, `>` sent by the kernel and checked), a system
 * call, a backtick shell line or a %{ python }% block.  The lexer
 * (pkt_lex.c) turns the text into tokens with their line and column; the
 * parser (pkt_parse.c) reads them with a grammar, one function per rule,
 * after a line-based preprocessor has kept the #ifdef branches chosen by
 * -D NAME.  Every error says LINE:COL and what was expected.
 */
#ifndef TCPSIM_PKT_H
#define TCPSIM_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tcpsim/sim.h"

#define PKT_ERRLEN 256

/* --- tokens ------------------------------------------------------------ */

enum pkt_tok {
    PT_EOF,
    PT_INT,         /* 123 (text holds the digits) */
    PT_FLOAT,       /* 0.100, .1 */
    PT_HEX,         /* 0x2 */
    PT_WORD,        /* S, win, SOCK_STREAM, sackOK */
    PT_STRING,      /* "text" (without the quotes) */
    PT_BACKTICK,    /* `shell line` (without the backticks) */
    PT_CODE,        /* %{ python }% (the text inside) */
    PT_OPTION,      /* --name[=value] before the first event */
    PT_DIRECTIVE,   /* a comment "// tcpsim: COMMAND": the command */
    PT_ELLIPSIS,    /* ... */
    PT_PUNCT,       /* one of + * ~ < > : ( ) [ ] { } , = | . - ; */
};

struct pkt_token {
    enum pkt_tok type;
    int line, col;
    char ch;            /* PT_PUNCT */
    char *text;         /* every other type but PT_EOF and PT_ELLIPSIS */
};

struct pkt_tokens {
    struct pkt_token *tok;
    size_t n, cap;
};

/* Tokens of text (already preprocessed); -1 with "LINE:COL: message". */
int pkt_lex(const char *text, struct pkt_tokens *out, char *err, size_t errlen);
void pkt_tokens_free(struct pkt_tokens *t);
const char *pkt_tok_name(enum pkt_tok t);

/* Keep the lines of the #ifdef NAME / #ifndef NAME / #else / #endif
 * branches chosen by the defined names, blank the others (line numbers
 * stay).  Returns a new string, or NULL with "LINE:COL: message". */
char *pkt_preprocess(const char *text, const char *const *defines, size_t ndefines, char *err, size_t errlen);

/* --- the parsed script ------------------------------------------------- */

enum pkt_time_type { PKT_ABS, PKT_REL, PKT_ANY, PKT_ABS_RANGE, PKT_REL_RANGE, PKT_NONE };

struct pkt_time {
    enum pkt_time_type type;
    int64_t us, end_us;             /* microseconds; end for ranges */
};

enum pkt_expr_kind { PE_ELLIPSIS, PE_INT, PE_WORD, PE_STRING, PE_LIST, PE_STRUCT, PE_OR, PE_ASSIGN, PE_CALL };

struct pkt_expr {
    enum pkt_expr_kind kind;
    int line, col;
    int64_t num;                    /* PE_INT */
    char *text;                     /* PE_WORD, PE_STRING, PE_ASSIGN and PE_CALL's name */
    struct pkt_expr **items;        /* PE_LIST, PE_STRUCT, PE_CALL arguments; PE_OR, PE_ASSIGN operands */
    size_t n;
};

enum pkt_opt_kind { PO_MSS, PO_WSCALE, PO_SACKOK, PO_SACK, PO_TS, PO_NOP, PO_EOL, PO_MD5, PO_FO };

struct pkt_packet {
    bool inbound;                   /* '<' */
    uint8_t flags;                  /* TCP_SYN ... in the header's bits */
    uint32_t seq, end, len;
    bool has_ack;
    uint32_t ack;
    int32_t win;                    /* -1: not written */
    uint16_t sport, dport;          /* 0: not written */
    bool any_options;               /* <...> */
    int32_t mss;                    /* -1: no mss option */
    char options[160];              /* the option list as written, for messages */
};

struct pkt_syscall {
    char *name;
    struct pkt_expr **args;
    size_t nargs;
    struct pkt_expr *result;
    char *errno_name;               /* ECONNREFUSED, or NULL */
    bool blocking;                  /* START...END */
    int64_t end_us;
};

enum pkt_kind { PKT_PACKET, PKT_SYSCALL, PKT_SHELL, PKT_CODE, PKT_DIRECTIVE };

struct pkt_event {
    int line, col;
    struct pkt_time time;
    enum pkt_kind kind;
    struct pkt_packet pkt;
    struct pkt_syscall call;
    char *text;                     /* SHELL, CODE, DIRECTIVE */
};

struct pkt_script {
    struct pkt_event *ev;
    size_t n, cap;
    int64_t tolerance_us;           /* --tolerance_usecs=N; 4000 */
    char **lines;                   /* the source, for translations and messages */
    size_t nlines;
};

/* Parse a script; -1 with "LINE:COL: message". */
int pkt_parse(const char *text, const char *const *defines, size_t ndefines, struct pkt_script *out,
              char *err, size_t errlen);
void pkt_script_free(struct pkt_script *s);

/* Flags as packetdrill writes them: "S.", "P.", ".", "R", "F." */
const char *pkt_flags_str(uint8_t flags, char *buf, size_t n);
/* "0.100" from microseconds */
const char *pkt_time_str(int64_t us, char *buf, size_t n);

/* --- the runner (pkt_run.c) and the exporter (pkt_save.c) -------------- */

struct pkt_opts {
    const char *const *defines;
    size_t ndefines;
    bool verbose;                   /* the transcript, and what was ignored */
    bool translate;                 /* print the tcpsim scenario instead */
    bool quiet;                     /* -q: FAIL lines only, and the closing line */
};

/* tcpsim --packetdrill FILE...: PASS/FAIL each and "N passed, N failed";
 * returns the exit status as --check does. */
int pkt_run_files(const struct sim_config *cfg, const struct pkt_opts *o, int n, char **files);
/* One script's text: 0 when it passes, 1 when it fails (mismatches and
 * errors on err; -v's transcript and notes, --translate's scenario on out). */
int pkt_run_text(const struct sim_config *cfg, const struct pkt_opts *o, const char *name, const char *text,
                 FILE *out, FILE *err);

/* save --packetdrill FILE ENDPOINT is cmd_save_packetdrill (session.h,
 * pkt_save.c): it replays the session's commands and writes ENDPOINT's side. */

#endif
