/*
 * lexer.c — SPARQL 1.1 terminals (§19.8), hand-written.
 *
 * One function per terminal family. The only look-ahead trick is '<': it
 * starts an IRIREF when a valid IRIREF follows up to '>', otherwise it is the
 * less-than operator. \u and \U escapes are decoded inside IRIs and strings
 * (where the W3C tests use them); the escaped code point must be a Unicode
 * scalar value, so a lone surrogate is an error.
 */
#include "lexer.h"

#include <stdio.h>
#include <string.h>

void sparql_lexer_init(sparql_lexer *lx, const char *text, size_t len, sparql_arena *arena)
{
    lx->src = lx->p = text;
    lx->end = text + len;
    lx->line = 1;
    lx->line_start = text;
    lx->col_p = text;
    lx->col = 1;
    lx->arena = arena;
}

/* ---- character classes (bytes >= 0x80 count as PN_CHARS_BASE) ---------- */

static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* Name characters are code points (§19.8 PN_CHARS_BASE and friends). */
static bool is_base(long c)
{
    return is_alpha((int)c) || (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) ||
           (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
           (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
           (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
           (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
           (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
static bool is_chars_u(long c) { return is_base(c) || c == '_'; }
/* PN_CHARS without '-': what VARNAME allows after its first character */
static bool is_var_char(long c)
{
    return is_chars_u(c) || is_digit((int)c) || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
           (c >= 0x203F && c <= 0x2040);
}
static bool is_chars(long c) { return is_var_char(c) || c == '-'; }

/* The code point at lx->p + ahead and its length in bytes; -1 at the end
 * or on malformed UTF-8. */
static long peek_cp(const sparql_lexer *lx, size_t ahead, size_t *len)
{
    const unsigned char *s = (const unsigned char *)lx->p + ahead;
    const unsigned char *end = (const unsigned char *)lx->end;
    *len = 1;
    if (s >= end)
        return -1;
    if (s[0] < 0x80)
        return s[0];
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (n == 0 || s[0] > 0xF4 || (size_t)(end - s) < n)
        return -1;
    long cp = s[0] & (0x3F >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const long min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = n;
    return cp;
}

static int peek(const sparql_lexer *lx, size_t ahead)
{
    return lx->p + ahead < lx->end ? (unsigned char)lx->p[ahead] : -1;
}

/* ---- growable byte buffer in the arena -------------------------------------- */

typedef struct {
    sparql_arena *arena;
    char *s;
    size_t n, cap;
} sbuf;

static void sbuf_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 32;
        while (ncap < b->n + n + 1)
            ncap *= 2;
        char *ns = sparql_arena_alloc(b->arena, ncap);
        if (b->n)
            memcpy(ns, b->s, b->n);
        b->s = ns;
        b->cap = ncap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sbuf_put_utf8(sbuf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sbuf_put(b, u, n);
}

static char *sbuf_take(sbuf *b)
{
    if (!b->s)
        sbuf_put(b, "", 0);
    return b->s;
}

/* ---- tokens --------------------------------------------------------------- */

static sparql_token make(sparql_lexer *lx, sparql_tok_kind kind, const char *start)
{
    sparql_token t = {0};
    t.kind = kind;
    t.start = start;
    t.len = (size_t)(lx->p - start);
    return t;
}

static sparql_token error(sparql_lexer *lx, const char *start, const char *msg)
{
    sparql_token t = make(lx, TOK_ERROR, start);
    t.text = sparql_arena_strdup(lx->arena, msg);
    t.text_len = strlen(t.text);
    return t;
}

static void skip_space(sparql_lexer *lx)
{
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (c == '\n') {
            lx->p++;
            lx->line++;
            lx->line_start = lx->p;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->p++;
        } else if (c == '#') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else {
            break;
        }
    }
}

/* Reads \uXXXX or \UXXXXXXXX at lx->p (pointing at the backslash). */
static bool read_ucode(sparql_lexer *lx, unsigned long *cp)
{
    int n = peek(lx, 1) == 'u' ? 4 : 8;
    unsigned long v = 0;
    for (int i = 0; i < n; i++) {
        int c = peek(lx, 2 + (size_t)i);
        if (c < 0 || !is_hex(c))
            return false;
        v = v * 16 + (unsigned long)(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return false;
    lx->p += 2 + n;
    *cp = v;
    return true;
}

/* IRIREF: '<' ([^<>"{}|^`\]-[#x00-#x20] | UCHAR)* '>'. Returns false (and
 * leaves lx->p alone) when no IRIREF starts here. */
static bool lex_iri(sparql_lexer *lx, sparql_token *out)
{
    const char *start = lx->p;
    sbuf b = {lx->arena, NULL, 0, 0};
    lx->p++;
    while (lx->p < lx->end) {
        int c = (unsigned char)*lx->p;
        if (c == '>') {
            lx->p++;
            *out = make(lx, TOK_IRI, start);
            out->text = sbuf_take(&b);
            out->text_len = b.n;
            return true;
        }
        if (c == '\\') {
            unsigned long cp;
            if ((peek(lx, 1) == 'u' || peek(lx, 1) == 'U') && read_ucode(lx, &cp)) {
                if (cp <= 0x20 || (cp < 0x80 && strchr("<>\"{}|^`\\", (int)cp)))
                    break;
                sbuf_put_utf8(&b, cp);
                continue;
            }
            break;
        }
        if (c <= 0x20 || strchr("<\"{}|^`", c))
            break;
        sbuf_put(&b, lx->p, 1);
        lx->p++;
    }
    lx->p = start;
    return false;
}

static sparql_token lex_string(sparql_lexer *lx)
{
    const char *start = lx->p;
    char q = *lx->p;
    bool longq = peek(lx, 1) == q && peek(lx, 2) == q;
    sbuf b = {lx->arena, NULL, 0, 0};
    lx->p += longq ? 3 : 1;
    for (;;) {
        if (lx->p >= lx->end)
            return error(lx, start, "expected the closing quote of the string, found end of input");
        char c = *lx->p;
        if (c == q) {
            if (!longq) {
                lx->p++;
                break;
            }
            if (peek(lx, 1) == q && peek(lx, 2) == q) {
                lx->p += 3;
                break;
            }
        }
        if (c == '\\') {
            int e = peek(lx, 1);
            const char *map = "t\tb\bn\nr\rf\f\"\"''\\\\";
            const char *m = e > 0 ? strchr(map, e) : NULL;
            if (e == 'u' || e == 'U') {
                unsigned long cp;
                if (!read_ucode(lx, &cp))
                    return error(lx, lx->p, "invalid \\u escape in string");
                sbuf_put_utf8(&b, cp);
                continue;
            }
            if (!m || (m - map) % 2 != 0)
                return error(lx, lx->p, "invalid escape in string");
            sbuf_put(&b, m + 1, 1);
            lx->p += 2;
            continue;
        }
        if (!longq && (c == '\n' || c == '\r'))
            return error(lx, start, "expected the closing quote of the string, found a line break");
        if (c == '\n') {
            lx->line++;
            lx->line_start = lx->p + 1;
        }
        sbuf_put(&b, lx->p, 1);
        lx->p++;
    }
    sparql_token t = make(lx, TOK_STRING, start);
    t.text = sbuf_take(&b);
    t.text_len = b.n;
    return t;
}

static sparql_token lex_number(sparql_lexer *lx)
{
    const char *start = lx->p;
    sparql_tok_kind kind = TOK_INTEGER;
    while (is_digit(peek(lx, 0)))
        lx->p++;
    if (peek(lx, 0) == '.' && is_digit(peek(lx, 1))) {
        kind = TOK_DECIMAL;
        lx->p++;
        while (is_digit(peek(lx, 0)))
            lx->p++;
    } else if (peek(lx, 0) == '.' && lx->p > start && (peek(lx, 1) == 'e' || peek(lx, 1) == 'E')) {
        /* "1.e5": a double with an empty fraction */
        size_t k = 2;
        if (peek(lx, k) == '+' || peek(lx, k) == '-')
            k++;
        if (is_digit(peek(lx, k)))
            lx->p++;
    }
    if (peek(lx, 0) == 'e' || peek(lx, 0) == 'E') {
        size_t k = 1;
        if (peek(lx, k) == '+' || peek(lx, k) == '-')
            k++;
        if (is_digit(peek(lx, k))) {
            kind = TOK_DOUBLE;
            lx->p += k;
            while (is_digit(peek(lx, 0)))
                lx->p++;
        }
    }
    sparql_token t = make(lx, kind, start);
    t.text = sparql_arena_strndup(lx->arena, start, t.len);
    t.text_len = t.len;
    return t;
}

/* Scans a name made of PN_CHARS and '.', not ending in '.', starting at
 * lx->p (first character already checked by the caller). */
static void scan_dotted_name(sparql_lexer *lx)
{
    const char *last_ok = lx->p;
    while (lx->p < lx->end) {
        size_t n;
        long c = peek_cp(lx, 0, &n);
        if (is_chars(c)) {
            lx->p += n;
            last_ok = lx->p;
        } else if (c == '.') {
            lx->p++;
        } else {
            break;
        }
    }
    lx->p = last_ok;
}

/* PN_LOCAL after the ':' of a prefixed name: decoded into b. Percent
 * encodings stay as written; \-escapes lose their backslash. */
static bool scan_local(sparql_lexer *lx, sbuf *b)
{
    size_t good_len = 0;
    const char *good_p = lx->p;
    bool first = true;
    while (lx->p < lx->end) {
        int c = (unsigned char)*lx->p;
        size_t n;
        long cp = peek_cp(lx, 0, &n);
        if (c == '%') {
            if (!is_hex(peek(lx, 1)) || !is_hex(peek(lx, 2)))
                return false;
            sbuf_put(b, lx->p, 3);
            lx->p += 3;
        } else if (c == '\\') {
            int e = peek(lx, 1);
            if (e <= 0 || !strchr("_~.-!$&'()*+,;=/?#@%", e))
                return false;
            char ch = (char)e;
            sbuf_put(b, &ch, 1);
            lx->p += 2;
        } else if (first ? is_chars_u(cp) || is_digit(c) || c == ':' : is_chars(cp) || c == ':') {
            sbuf_put(b, lx->p, n);
            lx->p += n;
        } else if (c == '.' && !first) {
            sbuf_put(b, lx->p, 1);
            lx->p++;
            continue; /* a dot may not end the name */
        } else {
            break;
        }
        first = false;
        good_len = b->n;
        good_p = lx->p;
    }
    lx->p = good_p;
    b->n = good_len;
    if (b->s)
        b->s[b->n] = '\0';
    return true;
}

static sparql_token lex_name(sparql_lexer *lx)
{
    const char *start = lx->p;
    size_t n0;
    if (is_base(peek_cp(lx, 0, &n0))) {
        lx->p += n0;
        scan_dotted_name(lx);
    }
    if (peek(lx, 0) == ':') {
        /* prefixed name: start..p is PN_PREFIX (may be empty) */
        sparql_token t;
        char *prefix = sparql_arena_strndup(lx->arena, start, (size_t)(lx->p - start));
        lx->p++;
        sbuf b = {lx->arena, NULL, 0, 0};
        if (!scan_local(lx, &b))
            return error(lx, start, "invalid escape in prefixed name");
        t = make(lx, TOK_PNAME, start);
        t.prefix = prefix;
        t.text = sbuf_take(&b);
        t.text_len = b.n;
        return t;
    }
    /* a keyword: letters, digits and '_' only */
    lx->p = start;
    while (lx->p < lx->end && (is_alpha(*lx->p) || is_digit(*lx->p) || *lx->p == '_'))
        lx->p++;
    if (lx->p == start)
        return error(lx, start, "unexpected character");
    sparql_token t = make(lx, TOK_WORD, start);
    t.text = sparql_arena_strndup(lx->arena, start, t.len);
    t.text_len = t.len;
    return t;
}

static sparql_token lex_var(sparql_lexer *lx)
{
    const char *start = lx->p;
    lx->p++;
    const char *name = lx->p;
    while (lx->p < lx->end) {
        size_t n;
        if (!is_var_char(peek_cp(lx, 0, &n)))
            break;
        lx->p += n;
    }
    sparql_token t = make(lx, TOK_VAR, start);
    t.text = sparql_arena_strndup(lx->arena, name, (size_t)(lx->p - name));
    t.text_len = (size_t)(lx->p - name);
    return t;
}

/* '(' WS* ')' and '[' WS* ']': whitespace only (no comments), per §19.8. */
static bool lex_empty_pair(sparql_lexer *lx, char close)
{
    const char *q = lx->p + 1;
    int lines = 0;
    const char *ls = NULL;
    while (q < lx->end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')) {
        if (*q == '\n') {
            lines++;
            ls = q + 1;
        }
        q++;
    }
    if (q < lx->end && *q == close) {
        lx->p = q + 1;
        lx->line += lines;
        if (ls)
            lx->line_start = ls;
        return true;
    }
    return false;
}

sparql_token sparql_lexer_next(sparql_lexer *lx)
{
    skip_space(lx);
    const char *start = lx->p;
    /* columns count characters (not UTF-8 bytes), counted on from the
     * previous token so that long lines stay linear */
    if (lx->col_p < lx->line_start) {
        lx->col_p = lx->line_start;
        lx->col = 1;
    }
    for (; lx->col_p < lx->p; lx->col_p++)
        lx->col += ((unsigned char)*lx->col_p & 0xC0) != 0x80;
    int line = lx->line, col = lx->col;
    sparql_token t;
    if (lx->p >= lx->end) {
        t = make(lx, TOK_EOF, start);
        t.line = line;
        t.col = col;
        return t;
    }
    int c = (unsigned char)*lx->p, c1 = peek(lx, 1);
    sparql_tok_kind k = TOK_EOF;
    size_t n = 1;
    switch (c) {
    case '{': k = TOK_LBRACE; break;
    case '}': k = TOK_RBRACE; break;
    case ')': k = TOK_RPAREN; break;
    case ']': k = TOK_RBRACKET; break;
    case ',': k = TOK_COMMA; break;
    case ';': k = TOK_SEMI; break;
    case '/': k = TOK_SLASH; break;
    case '*': k = TOK_STAR; break;
    case '+': k = TOK_PLUS; break;
    case '-': k = TOK_MINUS; break;
    case '=': k = TOK_EQ; break;
    case '^':
        if (c1 == '^') {
            k = TOK_DCARET;
            n = 2;
        } else {
            k = TOK_CARET;
        }
        break;
    case '!':
        if (c1 == '=') {
            k = TOK_NE;
            n = 2;
        } else {
            k = TOK_BANG;
        }
        break;
    case '>':
        if (c1 == '=') {
            k = TOK_GE;
            n = 2;
        } else {
            k = TOK_GT;
        }
        break;
    case '|':
        if (c1 == '|') {
            k = TOK_OR;
            n = 2;
        } else {
            k = TOK_PIPE;
        }
        break;
    case '&':
        if (c1 == '&') {
            k = TOK_AND;
            n = 2;
        }
        break;
    default:
        break;
    }
    if (k != TOK_EOF) {
        lx->p += n;
        t = make(lx, k, start);
    } else if (c == '<') {
        if (!lex_iri(lx, &t)) {
            if (c1 == '=') {
                lx->p += 2;
                t = make(lx, TOK_LE, start);
            } else {
                lx->p++;
                t = make(lx, TOK_LT, start);
            }
        }
    } else if (c == '(') {
        if (lex_empty_pair(lx, ')'))
            t = make(lx, TOK_NIL, start);
        else {
            lx->p++;
            t = make(lx, TOK_LPAREN, start);
        }
    } else if (c == '[') {
        if (lex_empty_pair(lx, ']'))
            t = make(lx, TOK_ANON, start);
        else {
            lx->p++;
            t = make(lx, TOK_LBRACKET, start);
        }
    } else if (c == '"' || c == '\'') {
        t = lex_string(lx);
    } else if (is_digit(c) || (c == '.' && is_digit(c1))) {
        t = lex_number(lx);
    } else if (c == '.') {
        lx->p++;
        t = make(lx, TOK_DOT, start);
    } else if (c == '?' || c == '$') {
        size_t n1;
        long cp1 = peek_cp(lx, 1, &n1);
        if (is_chars_u(cp1) || is_digit((int)cp1))
            t = lex_var(lx);
        else if (c == '?') {
            lx->p++;
            t = make(lx, TOK_QUESTION, start);
        } else {
            lx->p++;
            t = error(lx, start, "'$' must start a variable name");
        }
    } else if (c == '@') {
        lx->p++;
        const char *tag = lx->p;
        while (is_alpha(peek(lx, 0)))
            lx->p++;
        if (lx->p == tag)
            return error(lx, start, "'@' must start a language tag");
        while (peek(lx, 0) == '-' && (is_alpha(peek(lx, 1)) || is_digit(peek(lx, 1)))) {
            lx->p++;
            while (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0)))
                lx->p++;
        }
        t = make(lx, TOK_LANGTAG, start);
        t.text = sparql_arena_strndup(lx->arena, tag, (size_t)(lx->p - tag));
        t.text_len = (size_t)(lx->p - tag);
    } else if (c == '_' && c1 == ':') {
        lx->p += 2;
        const char *label = lx->p;
        size_t fn;
        long f = peek_cp(lx, 0, &fn);
        if (!(is_chars_u(f) || is_digit((int)f)))
            return error(lx, start, "invalid blank node label");
        lx->p += fn;
        scan_dotted_name(lx);
        t = make(lx, TOK_BLANK, start);
        t.text = sparql_arena_strndup(lx->arena, label, (size_t)(lx->p - label));
        t.text_len = (size_t)(lx->p - label);
    } else if (c == ':' || is_base(peek_cp(lx, 0, &n))) {
        t = lex_name(lx);
    } else {
        lx->p++;
        t = error(lx, start, "unexpected character");
    }
    t.line = line;
    t.col = col;
    return t;
}

const char *sparql_token_describe(sparql_arena *arena, const sparql_token *tok)
{
    char buf[80];
    switch (tok->kind) {
    case TOK_EOF:
        return "end of input";
    case TOK_ERROR:
        return tok->text;
    case TOK_STRING:
        return "a string";
    default:
        break;
    }
    size_t n = tok->len > 40 ? 40 : tok->len;
    snprintf(buf, sizeof buf, "'%.*s%s'", (int)n, tok->start, tok->len > n ? "..." : "");
    return sparql_arena_strdup(arena, buf);
}
