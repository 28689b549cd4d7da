/*
 * functions.c — SPARQL 1.1 built-in functions, operators and XSD casts on
 * sparql_value (functions.h), and the extension-function registry.
 *
 * Sections follow §17 of the specification: operators, term functions,
 * strings (with REGEX and REPLACE on PCRE2), numerics, dates, hashes
 * (GnuTLS), casts, then the registry. Every function checks its arguments
 * first and returns through fail() on any type error, so a result is
 * either a complete value or ERROR.
 */
#define _GNU_SOURCE /* memmem, towupper_l */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "functions.h"

#include "geo_functions.h"

#include <ctype.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <locale.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wctype.h>

static bool fail(sparql_value *r)
{
    memset(r, 0, sizeof *r);
    return false;
}

/* The longest string a function may compute; a longer result is an error.
 * Without a bound a query of a few hundred bytes asks for gigabytes:
 * REPLACE(REPLACE(...)) with a longer replacement, or BIND chains of
 * CONCAT(?a, ?a), grow the string exponentially. */
#define STRING_RESULT_MAX ((size_t)16 << 20)

/* ---- names and arities -------------------------------------------------- */

static const sparql_builtin_info builtin_info[SPARQL_CALL_COUNT] = {
    [SPARQL_CALL_OP_OR] = {"||", 2, 2}, [SPARQL_CALL_OP_AND] = {"&&", 2, 2}, [SPARQL_CALL_OP_NOT] = {"!", 1, 1},
    [SPARQL_CALL_OP_EQ] = {"=", 2, 2}, [SPARQL_CALL_OP_NE] = {"!=", 2, 2}, [SPARQL_CALL_OP_LT] = {"<", 2, 2},
    [SPARQL_CALL_OP_GT] = {">", 2, 2}, [SPARQL_CALL_OP_LE] = {"<=", 2, 2}, [SPARQL_CALL_OP_GE] = {">=", 2, 2},
    [SPARQL_CALL_OP_ADD] = {"+", 2, 2}, [SPARQL_CALL_OP_SUB] = {"-", 2, 2}, [SPARQL_CALL_OP_MUL] = {"*", 2, 2},
    [SPARQL_CALL_OP_DIV] = {"/", 2, 2}, [SPARQL_CALL_OP_PLUS] = {"u+", 1, 1}, [SPARQL_CALL_OP_MINUS] = {"u-", 1, 1},
    [SPARQL_CALL_OP_IN] = {"IN", 1, -1}, [SPARQL_CALL_OP_NOT_IN] = {"NOT IN", 1, -1},
    [SPARQL_CALL_FN_IF] = {"IF", 3, 3}, [SPARQL_CALL_FN_COALESCE] = {"COALESCE", 0, -1},
    [SPARQL_CALL_FN_SAMETERM] = {"SAMETERM", 2, 2}, [SPARQL_CALL_FN_ISIRI] = {"ISIRI", 1, 1},
    [SPARQL_CALL_FN_ISBLANK] = {"ISBLANK", 1, 1}, [SPARQL_CALL_FN_ISLITERAL] = {"ISLITERAL", 1, 1},
    [SPARQL_CALL_FN_ISNUMERIC] = {"ISNUMERIC", 1, 1}, [SPARQL_CALL_FN_STR] = {"STR", 1, 1},
    [SPARQL_CALL_FN_LANG] = {"LANG", 1, 1}, [SPARQL_CALL_FN_DATATYPE] = {"DATATYPE", 1, 1},
    [SPARQL_CALL_FN_IRI] = {"IRI", 1, 1}, [SPARQL_CALL_FN_BNODE] = {"BNODE", 0, 1},
    [SPARQL_CALL_FN_STRDT] = {"STRDT", 2, 2}, [SPARQL_CALL_FN_STRLANG] = {"STRLANG", 2, 2},
    [SPARQL_CALL_FN_UUID] = {"UUID", 0, 0}, [SPARQL_CALL_FN_STRUUID] = {"STRUUID", 0, 0},
    [SPARQL_CALL_FN_STRLEN] = {"STRLEN", 1, 1}, [SPARQL_CALL_FN_SUBSTR] = {"SUBSTR", 2, 3},
    [SPARQL_CALL_FN_UCASE] = {"UCASE", 1, 1}, [SPARQL_CALL_FN_LCASE] = {"LCASE", 1, 1},
    [SPARQL_CALL_FN_STRSTARTS] = {"STRSTARTS", 2, 2}, [SPARQL_CALL_FN_STRENDS] = {"STRENDS", 2, 2},
    [SPARQL_CALL_FN_CONTAINS] = {"CONTAINS", 2, 2}, [SPARQL_CALL_FN_STRBEFORE] = {"STRBEFORE", 2, 2},
    [SPARQL_CALL_FN_STRAFTER] = {"STRAFTER", 2, 2}, [SPARQL_CALL_FN_ENCODE_FOR_URI] = {"ENCODE_FOR_URI", 1, 1},
    [SPARQL_CALL_FN_CONCAT] = {"CONCAT", 0, -1}, [SPARQL_CALL_FN_LANGMATCHES] = {"LANGMATCHES", 2, 2},
    [SPARQL_CALL_FN_REGEX] = {"REGEX", 2, 3}, [SPARQL_CALL_FN_REPLACE] = {"REPLACE", 3, 4},
    [SPARQL_CALL_FN_ABS] = {"ABS", 1, 1}, [SPARQL_CALL_FN_ROUND] = {"ROUND", 1, 1},
    [SPARQL_CALL_FN_CEIL] = {"CEIL", 1, 1}, [SPARQL_CALL_FN_FLOOR] = {"FLOOR", 1, 1},
    [SPARQL_CALL_FN_RAND] = {"RAND", 0, 0}, [SPARQL_CALL_FN_NOW] = {"NOW", 0, 0},
    [SPARQL_CALL_FN_YEAR] = {"YEAR", 1, 1}, [SPARQL_CALL_FN_MONTH] = {"MONTH", 1, 1},
    [SPARQL_CALL_FN_DAY] = {"DAY", 1, 1}, [SPARQL_CALL_FN_HOURS] = {"HOURS", 1, 1},
    [SPARQL_CALL_FN_MINUTES] = {"MINUTES", 1, 1}, [SPARQL_CALL_FN_SECONDS] = {"SECONDS", 1, 1},
    [SPARQL_CALL_FN_TIMEZONE] = {"TIMEZONE", 1, 1}, [SPARQL_CALL_FN_TZ] = {"TZ", 1, 1},
    [SPARQL_CALL_FN_MD5] = {"MD5", 1, 1}, [SPARQL_CALL_FN_SHA1] = {"SHA1", 1, 1},
    [SPARQL_CALL_FN_SHA256] = {"SHA256", 1, 1}, [SPARQL_CALL_FN_SHA384] = {"SHA384", 1, 1},
    [SPARQL_CALL_FN_SHA512] = {"SHA512", 1, 1},
    [SPARQL_CAST_STRING] = {CK_XSD_STRING, 1, 1}, [SPARQL_CAST_BOOLEAN] = {CK_XSD_BOOLEAN, 1, 1},
    [SPARQL_CAST_INTEGER] = {CK_XSD_INTEGER, 1, 1}, [SPARQL_CAST_DECIMAL] = {SPARQL_XSD_DECIMAL, 1, 1},
    [SPARQL_CAST_FLOAT] = {SPARQL_XSD_FLOAT, 1, 1}, [SPARQL_CAST_DOUBLE] = {SPARQL_XSD_DOUBLE, 1, 1},
    [SPARQL_CAST_DATETIME] = {SPARQL_XSD_DATETIME, 1, 1}, [SPARQL_CAST_DATE] = {SPARQL_XSD_DATE, 1, 1},
};

const sparql_builtin_info *sparql_builtin_describe(enum sparql_call id)
{
    if ((int)id < 0 || id >= SPARQL_CALL_COUNT)
        return NULL;
    return &builtin_info[id];
}

bool sparql_builtin_by_name(const char *name, size_t len, enum sparql_call *out)
{
    if (len == 3 && strncasecmp(name, "URI", 3) == 0) {
        *out = SPARQL_CALL_FN_IRI;
        return true;
    }
    for (int i = SPARQL_CALL_FN_IF; i < SPARQL_CAST_STRING; i++) {
        const char *n = builtin_info[i].name;
        if (strlen(n) == len && strncasecmp(n, name, len) == 0) {
            *out = (enum sparql_call)i;
            return true;
        }
    }
    return false;
}

/* ---- context ---------------------------------------------------------------- */

struct sparql_bnode_label {
    char *key;
    size_t key_len;
    char label[48];
};

#define REGEX_CACHE_SIZE 16

typedef struct {
    char *key; /* pattern, NUL, flags */
    size_t key_len;
    pcre2_code *code;
    int matches_empty; /* -1 unknown, 0, 1 */
} regex_entry;

struct sparql_regex_cache {
    regex_entry entries[REGEX_CACHE_SIZE];
    size_t next; /* round-robin victim */
};

static atomic_uint_fast64_t query_counter;

bool sparql_func_ctx_init(sparql_func_ctx *ctx, const char *base_iri)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->base_iri = base_iri;
    ctx->query_id = atomic_fetch_add(&query_counter, 1) + 1;
    ctx->regex = calloc(1, sizeof *ctx->regex);
    if (!ctx->regex)
        return false;
    if (gnutls_rnd(GNUTLS_RND_NONCE, &ctx->rand_state, sizeof ctx->rand_state) != 0 ||
        ctx->rand_state == 0)
        ctx->rand_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)time(NULL);
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    sparql_datetime now = {.kind = SPARQL_DT_DATETIME, .year = tm.tm_year + 1900,
                           .month = tm.tm_mon + 1, .day = tm.tm_mday, .hour = tm.tm_hour,
                           .minute = tm.tm_min, .has_tz = true, .tz_minutes = 0};
    now.second.m = (sparql_int128)tm.tm_sec * 1000 + ts.tv_nsec / 1000000;
    now.second.scale = 3;
    if (!sparql_value_set_datetime(&ctx->now, &now)) {
        free(ctx->regex);
        ctx->regex = NULL;
        return false;
    }
    return true;
}

static void labels_clear(sparql_func_ctx *ctx)
{
    for (size_t i = 0; i < ctx->labels_len; i++)
        free(ctx->labels[i].key);
    ctx->labels_len = 0;
}

void sparql_func_ctx_free(sparql_func_ctx *ctx)
{
    labels_clear(ctx);
    free(ctx->labels);
    if (ctx->regex) {
        for (size_t i = 0; i < REGEX_CACHE_SIZE; i++) {
            free(ctx->regex->entries[i].key);
            pcre2_code_free(ctx->regex->entries[i].code);
        }
        free(ctx->regex);
    }
    sparql_value_clear(&ctx->now);
    if (ctx->ext_state && ctx->ext_state_free)
        ctx->ext_state_free(ctx->ext_state);
    memset(ctx, 0, sizeof *ctx);
}

/* ---- UTF-8 ---------------------------------------------------------------------- */

/* Decodes the code point at s[*i] and advances; a malformed byte counts as
 * one code point of its own value, so lengths never run past the end. */
static uint32_t utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[*i];
    int extra = c < 0x80                ? 0
                : c >= 0xC0 && c < 0xE0 ? 1
                : c >= 0xE0 && c < 0xF0 ? 2
                : c >= 0xF0 && c < 0xF8 ? 3
                                        : -1;
    if (extra <= 0 || *i + (size_t)extra >= n) {
        (*i)++;
        return c;
    }
    uint32_t cp = c & (0x3Fu >> extra);
    for (int k = 1; k <= extra; k++) {
        if ((u[*i + (size_t)k] & 0xC0) != 0x80) {
            (*i)++;
            return c;
        }
        cp = (cp << 6) | (u[*i + (size_t)k] & 0x3F);
    }
    *i += (size_t)extra + 1;
    return cp;
}

static size_t utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static size_t utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; count++)
        utf8_next(s, n, &i);
    return count;
}

/* ---- string argument rules (§17.4.3.1) --------------------------------------------- */

static bool is_string(const sparql_value *v)
{
    return sparql_value_is_string_literal(v);
}

static bool is_simple(const sparql_value *v)
{
    return v->kind == SPARQL_VALUE_LITERAL && v->type == SPARQL_TYPE_STRING;
}

/* Argument compatibility (§17.4.3.1.1). */
static bool compatible(const sparql_value *a, const sparql_value *b)
{
    if (!is_string(a) || !is_string(b))
        return false;
    if (!b->lang)
        return true;
    return a->lang && a->lang_len == b->lang_len && strncasecmp(a->lang, b->lang, a->lang_len) == 0;
}

/* A string result that keeps the language tag of `like` (if any). */
static bool set_like(sparql_value *r, const char *s, size_t n, const sparql_value *like)
{
    if (!sparql_value_set_literal(r, s, n, NULL, like && like->lang ? like->lang : NULL,
                                  like && like->lang ? like->lang_len : 0))
        return fail(r);
    return true;
}

/* A growing byte buffer for building results. */
typedef struct {
    char *p;
    size_t len, cap;
    bool failed; /* out of memory, or longer than STRING_RESULT_MAX */
} strbuf;

static void sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->failed || b->len + n > STRING_RESULT_MAX) {
        b->failed = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Moves the buffer into a string result like `like`. */
static bool sb_result(strbuf *b, sparql_value *r, const sparql_value *like)
{
    bool ok = !b->failed && set_like(r, b->p ? b->p : "", b->len, like);
    free(b->p);
    return ok ? true : fail(r);
}

/* ---- case mapping --------------------------------------------------------------------- */

static locale_t utf8_locale;
static pthread_once_t utf8_locale_once = PTHREAD_ONCE_INIT;

static void utf8_locale_init(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Without a UTF-8 locale: ASCII, Latin-1 and Latin Extended-A by rule. */
static uint32_t fallback_case(uint32_t c, bool upper)
{
    if (upper) {
        if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
            return c - 0x20;
        if (c == 0xFF)
            return 0x178;
        if (c >= 0x100 && c <= 0x17E && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149)
            return ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) ? (c % 2 == 0 ? c - 1 : c)
                                                                               : (c % 2 == 1 ? c - 1 : c);
        return c;
    }
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 0x20;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x100 && c <= 0x17E && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149)
        return ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) ? (c % 2 == 1 ? c + 1 : c)
                                                                           : (c % 2 == 0 ? c + 1 : c);
    return c;
}

static bool change_case(const sparql_value *a, sparql_value *r, bool upper)
{
    pthread_once(&utf8_locale_once, utf8_locale_init);
    strbuf b = {0};
    char enc[4];
    for (size_t i = 0; i < a->lex_len;) {
        uint32_t c = utf8_next(a->lex, a->lex_len, &i);
        if (upper && c == 0xDF) { /* ß has no single upper-case letter: SS */
            sb_add(&b, "SS", 2);
            continue;
        }
        uint32_t m;
        if (utf8_locale)
            m = (uint32_t)(upper ? towupper_l((wint_t)c, utf8_locale) : towlower_l((wint_t)c, utf8_locale));
        else
            m = fallback_case(c, upper);
        sb_add(&b, enc, utf8_put(m, enc));
    }
    return sb_result(&b, r, a);
}

/* ---- term functions (§17.4.2) ------------------------------------------------------------ */

static bool has_scheme(const char *s, size_t n)
{
    if (n == 0 || !isalpha((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ':')
            return true;
        if (!isalnum(c) && c != '+' && c != '-' && c != '.')
            return false;
    }
    return false;
}

/* RFC 3986 §5.2.4 remove_dot_segments, in place on a NUL-terminated path. */
static void remove_dot_segments(char *path)
{
    char *in = path, *out = path;
    while (*in) {
        if (strncmp(in, "../", 3) == 0)
            in += 3;
        else if (strncmp(in, "./", 2) == 0)
            in += 2;
        else if (strncmp(in, "/./", 3) == 0)
            in += 2;
        else if (strcmp(in, "/.") == 0)
            in[1] = '\0';
        else if (strncmp(in, "/../", 4) == 0 || strcmp(in, "/..") == 0) {
            in += 3;
            if (*in == '\0') {
                in--;
                *in = '/';
            }
            while (out > path && *--out != '/')
                ;
        } else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0)
            in += strlen(in);
        else {
            do
                *out++ = *in++;
            while (*in && *in != '/');
        }
    }
    *out = '\0';
}

/* Resolves ref against base (RFC 3986 §5.2.2); returns a malloc'd string. */
static char *resolve_iri(const char *base, const char *ref, size_t ref_len)
{
    size_t blen = strlen(base);
    char *out = malloc(blen + ref_len + 4);
    if (!out)
        return NULL;
    const char *colon = strchr(base, ':');
    size_t scheme_len = colon ? (size_t)(colon - base) + 1 : 0;
    /* authority end: after "//host" */
    size_t auth_end = scheme_len;
    if (strncmp(base + scheme_len, "//", 2) == 0) {
        auth_end = scheme_len + 2;
        while (auth_end < blen && !strchr("/?#", base[auth_end]))
            auth_end++;
    }
    size_t path_end = auth_end;
    while (path_end < blen && base[path_end] != '?' && base[path_end] != '#')
        path_end++;
    size_t query_end = path_end;
    while (query_end < blen && base[query_end] != '#')
        query_end++;
    char *p = out;
    if (ref_len >= 2 && ref[0] == '/' && ref[1] == '/') {
        memcpy(p, base, scheme_len);
        p += scheme_len;
        memcpy(p, ref, ref_len);
        p[ref_len] = '\0';
        return out;
    }
    memcpy(p, base, auth_end);
    p += auth_end;
    char *path = p;
    if (ref_len == 0 || ref[0] == '#') {
        memcpy(p, base + auth_end, query_end - auth_end);
        p += query_end - auth_end;
        memcpy(p, ref, ref_len);
        p[ref_len] = '\0';
        return out;
    }
    if (ref[0] == '?') {
        memcpy(p, base + auth_end, path_end - auth_end);
        p += path_end - auth_end;
        memcpy(p, ref, ref_len);
        p[ref_len] = '\0';
        return out;
    }
    size_t rpath = 0;
    while (rpath < ref_len && ref[rpath] != '?' && ref[rpath] != '#')
        rpath++;
    if (ref[0] == '/') {
        memcpy(p, ref, rpath);
        p += rpath;
    } else {
        /* merge: base path up to its last '/', then the reference path */
        size_t last = path_end;
        while (last > auth_end && base[last - 1] != '/')
            last--;
        if (last == auth_end && auth_end > scheme_len) {
            *p++ = '/';
        } else {
            memcpy(p, base + auth_end, last - auth_end);
            p += last - auth_end;
        }
        memcpy(p, ref, rpath);
        p += rpath;
    }
    *p = '\0';
    remove_dot_segments(path);
    p = path + strlen(path);
    memcpy(p, ref + rpath, ref_len - rpath);
    p[ref_len - rpath] = '\0';
    return out;
}

/* No spaces, controls or <>"{}|^`\ (what RFC 3987 and N-Triples' IRIREF
 * forbid), at most one '#' (the fragment cannot hold another), and '%' only
 * as a percent-encoding of two hex digits. */
static bool iri_chars_ok(const char *s, size_t n)
{
    bool fragment = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F || strchr("<>\"{}|^`\\", c))
            return false;
        if (c == '#') {
            if (fragment)
                return false;
            fragment = true;
        }
        if (c == '%' && (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
                         !isxdigit((unsigned char)s[i + 2])))
            return false;
    }
    return true;
}

/* §17.4.2.8: the string resolved against the query's base "must result in an
 * absolute IRI"; without a base a relative string is an error, as is a
 * string with characters no IRI may hold. */
static bool fn_iri(const sparql_value *a, sparql_value *r, sparql_func_ctx *ctx)
{
    if (a->kind == SPARQL_VALUE_IRI)
        return sparql_value_copy(r, a) || fail(r);
    if (!is_simple(a) || !iri_chars_ok(a->lex, a->lex_len))
        return fail(r);
    if (has_scheme(a->lex, a->lex_len))
        return sparql_value_set_iri(r, a->lex, a->lex_len) || fail(r);
    if (!ctx->base_iri || !has_scheme(ctx->base_iri, strlen(ctx->base_iri)))
        return fail(r);
    char *resolved = resolve_iri(ctx->base_iri, a->lex, a->lex_len);
    if (!resolved)
        return fail(r);
    bool ok = sparql_value_set_iri(r, resolved, strlen(resolved));
    free(resolved);
    return ok || fail(r);
}

static bool fn_bnode(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx)
{
    char label[48];
    if (nargs == 0) {
        snprintf(label, sizeof label, "f%llux%llu", (unsigned long long)ctx->query_id,
                 (unsigned long long)++ctx->bnode_counter);
        return sparql_value_set_blank(r, label, strlen(label)) || fail(r);
    }
    const sparql_value *a = &args[0];
    if (!is_simple(a))
        return fail(r);
    if (ctx->labels_scope != ctx->row_scope) {
        labels_clear(ctx);
        ctx->labels_scope = ctx->row_scope;
    }
    for (size_t i = 0; i < ctx->labels_len; i++) {
        struct sparql_bnode_label *e = &ctx->labels[i];
        if (e->key_len == a->lex_len && memcmp(e->key, a->lex, a->lex_len) == 0)
            return sparql_value_set_blank(r, e->label, strlen(e->label)) || fail(r);
    }
    if (ctx->labels_len == ctx->labels_cap) {
        size_t cap = ctx->labels_cap ? ctx->labels_cap * 2 : 8;
        struct sparql_bnode_label *l = realloc(ctx->labels, cap * sizeof *l);
        if (!l)
            return fail(r);
        ctx->labels = l;
        ctx->labels_cap = cap;
    }
    struct sparql_bnode_label *e = &ctx->labels[ctx->labels_len];
    e->key = malloc(a->lex_len + 1);
    if (!e->key)
        return fail(r);
    memcpy(e->key, a->lex, a->lex_len);
    e->key[a->lex_len] = '\0';
    e->key_len = a->lex_len;
    snprintf(e->label, sizeof e->label, "f%llux%llu", (unsigned long long)ctx->query_id,
             (unsigned long long)++ctx->bnode_counter);
    ctx->labels_len++;
    return sparql_value_set_blank(r, e->label, strlen(e->label)) || fail(r);
}

static bool valid_lang_tag(const char *s, size_t n)
{
    size_t i = 0, part = 0;
    bool first = true;
    for (; i <= n; i++) {
        if (i == n || s[i] == '-') {
            if (part == 0 || part > 8)
                return false;
            part = 0;
            first = false;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (!(isalpha(c) || (!first && isdigit(c))))
            return false;
        part++;
    }
    return n > 0;
}

static void uuid_text(char out[37])
{
    unsigned char b[16];
    if (gnutls_rnd(GNUTLS_RND_RANDOM, b, sizeof b) != 0)
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (unsigned char)rand();
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    sprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
            b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* ---- string functions (§17.4.3) ------------------------------------------------------------ */

static double round_half_up(double x)
{
    return floor(x + 0.5);
}

static bool fn_substr(sparql_value *args, int nargs, sparql_value *r)
{
    const sparql_value *s = &args[0];
    /* §17.4.3.3 takes xsd:integer positions (and types derived from it):
     * a decimal or double is a type error, unlike XPath's fn:substring */
    for (int k = 1; k < nargs; k++)
        if (args[k].kind != SPARQL_VALUE_LITERAL || args[k].type != SPARQL_TYPE_INTEGER ||
            !args[k].valid)
            return fail(r);
    if (!is_string(s))
        return fail(r);
    /* fn:substring: characters at positions p with
     * round(start) <= p < round(start) + round(length). */
    double start = round_half_up(sparql_value_to_double(&args[1]));
    double end = nargs == 3 ? start + round_half_up(sparql_value_to_double(&args[2])) : INFINITY;
    size_t from = s->lex_len, to = s->lex_len, i = 0;
    bool started = false;
    if (!isnan(start) && !isnan(end)) {
        for (double pos = 1; i <= s->lex_len; pos++) {
            if (!started && pos >= start && pos < end) {
                from = i;
                started = true;
            }
            if (started && !(pos < end)) {
                to = i;
                break;
            }
            if (i == s->lex_len)
                break;
            utf8_next(s->lex, s->lex_len, &i);
        }
    }
    if (!started)
        from = to = 0;
    return set_like(r, s->lex + from, to - from, s);
}

static const char *find_bytes(const char *h, size_t hn, const char *n, size_t nn)
{
    if (nn == 0)
        return h;
    return memmem(h, hn, n, nn);
}

static bool fn_str_test(enum sparql_call id, const sparql_value *a, const sparql_value *b, sparql_value *r)
{
    if (!compatible(a, b))
        return fail(r);
    bool v;
    if (id == SPARQL_CALL_FN_STRSTARTS)
        v = b->lex_len <= a->lex_len && memcmp(a->lex, b->lex, b->lex_len) == 0;
    else if (id == SPARQL_CALL_FN_STRENDS)
        v = b->lex_len <= a->lex_len && memcmp(a->lex + a->lex_len - b->lex_len, b->lex, b->lex_len) == 0;
    else
        v = find_bytes(a->lex, a->lex_len, b->lex, b->lex_len) != NULL;
    return sparql_value_set_bool(r, v) || fail(r);
}

static bool fn_str_split(bool before, const sparql_value *a, const sparql_value *b, sparql_value *r)
{
    if (!compatible(a, b))
        return fail(r);
    const char *hit = find_bytes(a->lex, a->lex_len, b->lex, b->lex_len);
    if (!hit) /* no match: the empty simple literal */
        return sparql_value_set_string(r, "", 0) || fail(r);
    if (before)
        return set_like(r, a->lex, (size_t)(hit - a->lex), a);
    size_t off = (size_t)(hit - a->lex) + b->lex_len;
    return set_like(r, a->lex + off, a->lex_len - off, a);
}

static bool fn_encode_for_uri(const sparql_value *a, sparql_value *r)
{
    if (!is_string(a))
        return fail(r);
    strbuf b = {0};
    sb_add(&b, "", 0);
    for (size_t i = 0; i < a->lex_len; i++) {
        unsigned char c = (unsigned char)a->lex[i];
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            sb_add(&b, (const char *)&c, 1);
        } else {
            char hex[4];
            snprintf(hex, sizeof hex, "%%%02X", c);
            sb_add(&b, hex, 3);
        }
    }
    return sb_result(&b, r, NULL);
}

static bool fn_concat(sparql_value *args, int nargs, sparql_value *r)
{
    strbuf b = {0};
    sb_add(&b, "", 0);
    const sparql_value *lang = nargs > 0 ? &args[0] : NULL;
    for (int i = 0; i < nargs; i++) {
        if (!is_string(&args[i])) {
            free(b.p);
            return fail(r);
        }
        /* the result keeps a language tag only if all arguments share it */
        if (lang && (!args[i].lang || !compatible(lang, &args[i]) || !compatible(&args[i], lang)))
            lang = NULL;
        sb_add(&b, args[i].lex, args[i].lex_len);
    }
    return sb_result(&b, r, lang);
}

static bool fn_langmatches(const sparql_value *tag, const sparql_value *range, sparql_value *r)
{
    if (!is_simple(tag) || !is_simple(range))
        return fail(r);
    bool m;
    if (range->lex_len == 1 && range->lex[0] == '*')
        m = tag->lex_len > 0;
    else
        m = range->lex_len > 0 && tag->lex_len >= range->lex_len &&
            strncasecmp(tag->lex, range->lex, range->lex_len) == 0 &&
            (tag->lex_len == range->lex_len || tag->lex[range->lex_len] == '-');
    if (range->lex_len == 0)
        m = tag->lex_len == 0;
    return sparql_value_set_bool(r, m) || fail(r);
}

/* ---- regular expressions ---------------------------------------------------------------------- */

/* The compiled pattern for (pattern, flags), from the cache or compiled
 * now; NULL for a bad pattern or bad flags. Owned by the cache. */
static regex_entry *regex_get(sparql_func_ctx *ctx, const sparql_value *pattern, const sparql_value *flags)
{
    const char *f = flags ? flags->lex : "";
    size_t flen = flags ? flags->lex_len : 0;
    size_t klen = pattern->lex_len + 1 + flen;
    sparql_regex_cache *cache = ctx->regex;
    if (!cache)
        return NULL;
    for (size_t i = 0; i < REGEX_CACHE_SIZE; i++) {
        regex_entry *e = &cache->entries[i];
        if (e->code && e->key_len == klen && memcmp(e->key, pattern->lex, pattern->lex_len) == 0 &&
            memcmp(e->key + pattern->lex_len + 1, f, flen) == 0)
            return e;
    }
    uint32_t opts = PCRE2_UTF | PCRE2_UCP;
    bool literal = false;
    for (size_t i = 0; i < flen; i++) {
        switch (f[i]) {
        case 's': opts |= PCRE2_DOTALL; break;
        case 'm': opts |= PCRE2_MULTILINE; break;
        case 'i': opts |= PCRE2_CASELESS; break;
        case 'x': opts |= PCRE2_EXTENDED; break;
        case 'q': literal = true; break;
        default: return NULL;
        }
    }
    if (literal) /* PCRE2_LITERAL combines with few options; XPath q keeps i */
        opts = PCRE2_UTF | PCRE2_LITERAL | (opts & PCRE2_CASELESS);
    else if (!(opts & PCRE2_MULTILINE))
        opts |= PCRE2_DOLLAR_ENDONLY; /* XPath: $ is the very end */
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern->lex, pattern->lex_len, opts, &errcode,
                                     &erroff, NULL);
    if (!code)
        return NULL;
    char *key = malloc(klen + 1);
    if (!key) {
        pcre2_code_free(code);
        return NULL;
    }
    memcpy(key, pattern->lex, pattern->lex_len);
    key[pattern->lex_len] = '\0';
    memcpy(key + pattern->lex_len + 1, f, flen);
    key[klen] = '\0';
    regex_entry *e = &cache->entries[cache->next];
    cache->next = (cache->next + 1) % REGEX_CACHE_SIZE;
    free(e->key);
    pcre2_code_free(e->code);
    e->key = key;
    e->key_len = klen;
    e->code = code;
    e->matches_empty = -1;
    return e;
}

/* 1 match, 0 no match, -1 error (e.g. invalid UTF-8 in the subject). */
static int regex_match(pcre2_code *code, const char *s, size_t n)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    if (!md)
        return -1;
    int rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static bool regex_args_ok(const sparql_value *text, const sparql_value *pattern, const sparql_value *flags)
{
    return is_string(text) && is_simple(pattern) && (!flags || is_simple(flags));
}

static bool fn_regex(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx)
{
    const sparql_value *flags = nargs == 3 ? &args[2] : NULL;
    if (!regex_args_ok(&args[0], &args[1], flags))
        return fail(r);
    regex_entry *e = regex_get(ctx, &args[1], flags);
    if (!e)
        return fail(r);
    int m = regex_match(e->code, args[0].lex, args[0].lex_len);
    if (m < 0)
        return fail(r);
    return sparql_value_set_bool(r, m == 1) || fail(r);
}

/* Rewrites an XPath replacement string ($N, \$, \\) into PCRE2's syntax
 * (${N}, $$, \). False if it is malformed. */
static bool translate_replacement(const sparql_value *rep, uint32_t groups, strbuf *out)
{
    const char *s = rep->lex;
    size_t n = rep->lex_len;
    sb_add(out, "", 0);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            if (i + 1 >= n || (s[i + 1] != '\\' && s[i + 1] != '$'))
                return false;
            sb_add(out, s[i + 1] == '$' ? "$$" : "\\", s[i + 1] == '$' ? 2 : 1);
            i++;
        } else if (s[i] == '$') {
            if (i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9')
                return false;
            uint32_t g = (uint32_t)(s[++i] - '0');
            /* more digits only while they name an existing group */
            while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9' &&
                   g * 10 + (uint32_t)(s[i + 1] - '0') <= groups)
                g = g * 10 + (uint32_t)(s[++i] - '0');
            char ref[24];
            snprintf(ref, sizeof ref, "${%u}", g);
            sb_add(out, ref, strlen(ref));
        } else {
            sb_add(out, s + i, 1);
        }
    }
    return !out->failed;
}

static bool fn_replace(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx)
{
    const sparql_value *text = &args[0], *flags = nargs == 4 ? &args[3] : NULL;
    if (!regex_args_ok(text, &args[1], flags) || !is_simple(&args[2]))
        return fail(r);
    regex_entry *e = regex_get(ctx, &args[1], flags);
    if (!e)
        return fail(r);
    if (e->matches_empty < 0) /* XPath: a pattern matching "" is an error */
        e->matches_empty = regex_match(e->code, "", 0) != 0;
    if (e->matches_empty)
        return fail(r);
    uint32_t groups = 0;
    pcre2_pattern_info(e->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    strbuf rep = {0};
    if (!translate_replacement(&args[2], groups, &rep)) {
        free(rep.p);
        return fail(r);
    }
    uint32_t opts = PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                    PCRE2_SUBSTITUTE_UNSET_EMPTY | PCRE2_SUBSTITUTE_UNKNOWN_UNSET;
    PCRE2_SIZE cap = text->lex_len * 2 + 64, outlen = cap;
    char *out = malloc(cap);
    int rc = out ? pcre2_substitute(e->code, (PCRE2_SPTR)text->lex, text->lex_len, 0, opts, NULL, NULL,
                                    (PCRE2_SPTR)rep.p, rep.len, (PCRE2_UCHAR *)out, &outlen)
                 : PCRE2_ERROR_NOMEMORY;
    if (out && rc == PCRE2_ERROR_NOMEMORY && outlen <= STRING_RESULT_MAX) {
        free(out);
        cap = outlen + 1;
        out = malloc(cap);
        outlen = cap;
        if (out)
            rc = pcre2_substitute(e->code, (PCRE2_SPTR)text->lex, text->lex_len, 0, opts, NULL, NULL,
                                  (PCRE2_SPTR)rep.p, rep.len, (PCRE2_UCHAR *)out, &outlen);
    }
    free(rep.p);
    bool ok = out && rc >= 0 && outlen <= STRING_RESULT_MAX && set_like(r, out, outlen, text);
    free(out);
    return ok || fail(r);
}

/* ---- numerics (§17.3, §17.4.4) ------------------------------------------------------------------- */

static int numeric_rank(const sparql_value *v)
{
    switch (v->type) {
    case SPARQL_TYPE_INTEGER: return 0;
    case SPARQL_TYPE_DECIMAL: return 1;
    case SPARQL_TYPE_FLOAT: return 2;
    default: return 3;
    }
}

static bool set_numeric(sparql_value *r, int rank, sparql_decimal d, double x)
{
    bool ok;
    switch (rank) {
    case 0: ok = sparql_value_set_integer(r, d); break;
    case 1: ok = sparql_value_set_decimal(r, d); break;
    case 2: ok = sparql_value_set_float(r, x); break;
    default: ok = sparql_value_set_double(r, x); break;
    }
    return ok || fail(r);
}

static bool fn_arith(enum sparql_call op, const sparql_value *a, const sparql_value *b, sparql_value *r)
{
    if (!sparql_value_is_numeric(a) || !sparql_value_is_numeric(b))
        return fail(r);
    int rank = numeric_rank(a) > numeric_rank(b) ? numeric_rank(a) : numeric_rank(b);
    if (rank <= 1) {
        sparql_decimal d;
        bool ok;
        switch (op) {
        case SPARQL_CALL_OP_ADD: ok = sparql_decimal_add(a->v.dec, b->v.dec, &d); break;
        case SPARQL_CALL_OP_SUB: ok = sparql_decimal_sub(a->v.dec, b->v.dec, &d); break;
        case SPARQL_CALL_OP_MUL: ok = sparql_decimal_mul(a->v.dec, b->v.dec, &d); break;
        default:
            ok = sparql_decimal_div(a->v.dec, b->v.dec, &d);
            rank = 1; /* integer / integer is a decimal */
            break;
        }
        return ok ? set_numeric(r, rank, d, 0) : fail(r);
    }
    double x = sparql_value_to_double(a), y = sparql_value_to_double(b), z;
    switch (op) {
    case SPARQL_CALL_OP_ADD: z = x + y; break;
    case SPARQL_CALL_OP_SUB: z = x - y; break;
    case SPARQL_CALL_OP_MUL: z = x * y; break;
    default: z = x / y; break;
    }
    return set_numeric(r, rank, sparql_decimal_from_int(0), z);
}

static bool fn_unary_numeric(enum sparql_call id, const sparql_value *a, sparql_value *r)
{
    if (!sparql_value_is_numeric(a))
        return fail(r);
    int rank = numeric_rank(a);
    if (rank <= 1) {
        sparql_decimal d = a->v.dec;
        switch (id) {
        case SPARQL_CALL_OP_MINUS:
            if (!sparql_decimal_neg(d, &d))
                return fail(r);
            break;
        case SPARQL_CALL_FN_ABS:
            if (d.m < 0 && !sparql_decimal_neg(d, &d))
                return fail(r);
            break;
        case SPARQL_CALL_FN_ROUND: d = sparql_decimal_round(d); break;
        case SPARQL_CALL_FN_CEIL: d = sparql_decimal_ceil(d); break;
        case SPARQL_CALL_FN_FLOOR: d = sparql_decimal_floor(d); break;
        default: break;
        }
        return set_numeric(r, rank, d, 0);
    }
    double x = a->v.d;
    switch (id) {
    case SPARQL_CALL_OP_MINUS: x = -x; break;
    case SPARQL_CALL_FN_ABS: x = fabs(x); break;
    case SPARQL_CALL_FN_ROUND: x = isfinite(x) ? copysign(round_half_up(x), x) : x; break;
    case SPARQL_CALL_FN_CEIL: x = ceil(x); break;
    case SPARQL_CALL_FN_FLOOR: x = floor(x); break;
    default: break;
    }
    return set_numeric(r, rank, sparql_decimal_from_int(0), x);
}

/* ---- dates (§17.4.5) --------------------------------------------------------------------------- */

static bool fn_date_part(enum sparql_call id, const sparql_value *a, sparql_value *r)
{
    if (a->kind != SPARQL_VALUE_LITERAL || !a->valid)
        return fail(r);
    bool has_date = a->type == SPARQL_TYPE_DATETIME || a->type == SPARQL_TYPE_DATE;
    bool has_time = a->type == SPARQL_TYPE_DATETIME || a->type == SPARQL_TYPE_TIME;
    const sparql_datetime *dt = &a->v.dt;
    char buf[24];
    switch (id) {
    case SPARQL_CALL_FN_YEAR: return has_date ? (sparql_value_set_int(r, dt->year) || fail(r)) : fail(r);
    case SPARQL_CALL_FN_MONTH: return has_date ? (sparql_value_set_int(r, dt->month) || fail(r)) : fail(r);
    case SPARQL_CALL_FN_DAY: return has_date ? (sparql_value_set_int(r, dt->day) || fail(r)) : fail(r);
    case SPARQL_CALL_FN_HOURS: return has_time ? (sparql_value_set_int(r, dt->hour) || fail(r)) : fail(r);
    case SPARQL_CALL_FN_MINUTES: return has_time ? (sparql_value_set_int(r, dt->minute) || fail(r)) : fail(r);
    case SPARQL_CALL_FN_SECONDS: return has_time ? (sparql_value_set_decimal(r, dt->second) || fail(r)) : fail(r);
    case SPARQL_CALL_FN_TIMEZONE:
        if (!(has_date || has_time) || !dt->has_tz)
            return fail(r);
        sparql_datetime_tz_duration(dt, buf);
        return sparql_value_set_literal(r, buf, strlen(buf), SPARQL_XSD_DAYTIMEDURATION, NULL, 0) || fail(r);
    default: /* TZ */
        if (!(has_date || has_time))
            return fail(r);
        sparql_datetime_tz_text(dt, buf);
        return sparql_value_set_string(r, buf, strlen(buf)) || fail(r);
    }
}

/* ---- hashes (§17.4.6) ------------------------------------------------------------------------- */

static bool fn_hash(enum sparql_call id, const sparql_value *a, sparql_value *r)
{
    if (!is_simple(a))
        return fail(r);
    gnutls_digest_algorithm_t alg = id == SPARQL_CALL_FN_MD5      ? GNUTLS_DIG_MD5
                                    : id == SPARQL_CALL_FN_SHA1   ? GNUTLS_DIG_SHA1
                                    : id == SPARQL_CALL_FN_SHA256 ? GNUTLS_DIG_SHA256
                                    : id == SPARQL_CALL_FN_SHA384 ? GNUTLS_DIG_SHA384
                                                             : GNUTLS_DIG_SHA512;
    unsigned char digest[64];
    unsigned len = gnutls_hash_get_len(alg);
    if (len == 0 || len > sizeof digest || gnutls_hash_fast(alg, a->lex, a->lex_len, digest) != 0)
        return fail(r);
    char hex[129];
    for (unsigned i = 0; i < len; i++)
        sprintf(hex + 2 * i, "%02x", digest[i]);
    return sparql_value_set_string(r, hex, 2 * len) || fail(r);
}

/* ---- casts (§17.5) ---------------------------------------------------------------------------- */

/* The lexical form with XSD whitespace collapsed at both ends. */
static void trimmed(const sparql_value *a, const char **s, size_t *n)
{
    const char *p = a->lex;
    size_t len = a->lex_len;
    while (len > 0 && strchr(" \t\r\n", *p) && *p) {
        p++;
        len--;
    }
    while (len > 0 && p[len - 1] && strchr(" \t\r\n", p[len - 1]))
        len--;
    *s = p;
    *n = len;
}

static bool cast_from_string(enum sparql_call to, const sparql_value *a, sparql_value *r)
{
    const char *s;
    size_t n;
    trimmed(a, &s, &n);
    const char *type = to == SPARQL_CAST_BOOLEAN   ? CK_XSD_BOOLEAN
                       : to == SPARQL_CAST_INTEGER ? CK_XSD_INTEGER
                       : to == SPARQL_CAST_DECIMAL ? SPARQL_XSD_DECIMAL
                       : to == SPARQL_CAST_FLOAT   ? SPARQL_XSD_FLOAT
                       : to == SPARQL_CAST_DOUBLE  ? SPARQL_XSD_DOUBLE
                       : to == SPARQL_CAST_DATE    ? SPARQL_XSD_DATE
                                                   : SPARQL_XSD_DATETIME;
    sparql_value parsed;
    if (!sparql_value_set_literal(&parsed, s, n, type, NULL, 0))
        return fail(r);
    bool ok = parsed.valid;
    if (ok) { /* re-emit in canonical form */
        switch (parsed.type) {
        case SPARQL_TYPE_BOOLEAN: ok = sparql_value_set_bool(r, parsed.v.b); break;
        case SPARQL_TYPE_INTEGER: ok = sparql_value_set_integer(r, parsed.v.dec); break;
        case SPARQL_TYPE_DECIMAL: ok = sparql_value_set_decimal(r, parsed.v.dec); break;
        case SPARQL_TYPE_FLOAT: ok = sparql_value_set_float(r, parsed.v.d); break;
        case SPARQL_TYPE_DOUBLE: ok = sparql_value_set_double(r, parsed.v.d); break;
        default: ok = sparql_value_set_datetime(r, &parsed.v.dt); break;
        }
    }
    sparql_value_clear(&parsed);
    return ok || fail(r);
}

/* XPath's cast of a number to xsd:string (F&O 19.1.2.1/.2): a decimal with
 * no fraction as an integer ("1.0" -> "1"); a double or float between 1e-6
 * and 1e6 in plain decimal notation with the fewest digits that read back
 * ("1.25E0" -> "1.25", "1E0" -> "1"), a double zero as "0" or "-0".
 * Returns the length written to buf, or 0 when the canonical form stands
 * (other values, other types). */
static size_t xpath_number_text(const sparql_value *a, const sparql_value *canon, char buf[64])
{
    if (a->type == SPARQL_TYPE_DECIMAL) {
        size_t n = canon->lex_len;
        if (n >= 2 && n < 64 && canon->lex[n - 2] == '.' && canon->lex[n - 1] == '0') {
            memcpy(buf, canon->lex, n - 2);
            buf[n - 2] = 0;
            return strcmp(buf, "-0") == 0 ? (strcpy(buf, "0"), 1) : n - 2;
        }
        return 0;
    }
    if (a->type != SPARQL_TYPE_DOUBLE && a->type != SPARQL_TYPE_FLOAT)
        return 0;
    double d = a->v.d, m = d < 0 ? -d : d;
    if (d != d || (m != 0 && (m < 1e-6 || m >= 1e6)))
        return 0;
    for (int prec = 0; prec < 18; prec++) {
        int n = snprintf(buf, 64, "%.*f", prec, d);
        double back = strtod(buf, NULL);
        if (a->type == SPARQL_TYPE_FLOAT ? (float)back == (float)d : back == d)
            return (size_t)n; /* negative zero stays "-0" (F&O 17.1.2) */
    }
    return 0;
}

static bool fn_cast(enum sparql_call to, const sparql_value *a, sparql_value *r)
{
    if (a->kind == SPARQL_VALUE_IRI && to == SPARQL_CAST_STRING)
        return sparql_value_set_string(r, a->lex, a->lex_len) || fail(r);
    if (a->kind != SPARQL_VALUE_LITERAL || a->type == SPARQL_TYPE_LANGSTRING)
        return fail(r);
    if (to == SPARQL_CAST_STRING) {
        /* a valid typed value casts to its canonical form ("0"^^xsd:boolean
         * -> "false", "01"^^xsd:integer -> "1"); anything else keeps its
         * lexical form */
        sparql_value canon = {0};
        bool made = false;
        if (a->valid) {
            switch (a->type) {
            case SPARQL_TYPE_BOOLEAN: made = sparql_value_set_bool(&canon, a->v.b); break;
            case SPARQL_TYPE_INTEGER: made = sparql_value_set_integer(&canon, a->v.dec); break;
            case SPARQL_TYPE_DECIMAL: made = sparql_value_set_decimal(&canon, a->v.dec); break;
            case SPARQL_TYPE_DOUBLE: made = sparql_value_set_double(&canon, a->v.d); break;
            case SPARQL_TYPE_FLOAT: made = sparql_value_set_float(&canon, a->v.d); break;
            default: break;
            }
        }
        char xpath[64];
        size_t n = made ? xpath_number_text(a, &canon, xpath) : 0;
        bool ok = n ? sparql_value_set_string(r, xpath, n)
                    : made ? sparql_value_set_string(r, canon.lex, canon.lex_len)
                           : sparql_value_set_string(r, a->lex, a->lex_len);
        sparql_value_clear(&canon);
        return ok || fail(r);
    }
    if (a->type == SPARQL_TYPE_STRING)
        return cast_from_string(to, a, r);
    if (!a->valid)
        return fail(r);
    bool numeric = sparql_value_is_numeric(a), exact = a->type == SPARQL_TYPE_INTEGER || a->type == SPARQL_TYPE_DECIMAL;
    bool boolean = a->type == SPARQL_TYPE_BOOLEAN;
    sparql_decimal d;
    switch (to) {
    case SPARQL_CAST_BOOLEAN:
        if (boolean)
            return sparql_value_set_bool(r, a->v.b) || fail(r);
        if (!numeric)
            return fail(r);
        return sparql_value_set_bool(r, sparql_value_ebv(a) == 1) || fail(r);
    case SPARQL_CAST_INTEGER:
    case SPARQL_CAST_DECIMAL:
        if (boolean)
            d = sparql_decimal_from_int(a->v.b);
        else if (exact)
            d = a->v.dec;
        else if (!numeric || !sparql_decimal_from_double(a->v.d, &d))
            return fail(r);
        if (to == SPARQL_CAST_INTEGER)
            return sparql_value_set_integer(r, sparql_decimal_trunc(d)) || fail(r);
        return sparql_value_set_decimal(r, d) || fail(r);
    case SPARQL_CAST_FLOAT:
    case SPARQL_CAST_DOUBLE: {
        if (!numeric && !boolean)
            return fail(r);
        double x = boolean ? (a->v.b ? 1.0 : 0.0) : sparql_value_to_double(a);
        bool ok = to == SPARQL_CAST_FLOAT ? sparql_value_set_float(r, x) : sparql_value_set_double(r, x);
        return ok || fail(r);
    }
    case SPARQL_CAST_DATETIME:
        if (a->type == SPARQL_TYPE_DATETIME)
            return sparql_value_set_datetime(r, &a->v.dt) || fail(r);
        if (a->type == SPARQL_TYPE_DATE) {
            sparql_datetime dt = sparql_datetime_from_date(&a->v.dt);
            return sparql_value_set_datetime(r, &dt) || fail(r);
        }
        return fail(r);
    case SPARQL_CAST_DATE:
        if (a->type == SPARQL_TYPE_DATE || a->type == SPARQL_TYPE_DATETIME) {
            sparql_datetime dt = sparql_datetime_date_part(&a->v.dt);
            return sparql_value_set_datetime(r, &dt) || fail(r);
        }
        return fail(r);
    default:
        return fail(r);
    }
}

/* ---- operators (§17.3) -------------------------------------------------------------------------- */

int sparql_compare_op(enum sparql_call op, const sparql_value *a, const sparql_value *b)
{
    bool ordered = op != SPARQL_CALL_OP_EQ && op != SPARQL_CALL_OP_NE;
    sparql_cmp c = sparql_value_compare(a, b, ordered);
    if (c == SPARQL_CMP_ERROR)
        return -1;
    switch (op) {
    case SPARQL_CALL_OP_EQ: return c == SPARQL_CMP_EQ;
    case SPARQL_CALL_OP_NE: return c != SPARQL_CMP_EQ;
    case SPARQL_CALL_OP_LT: return c == SPARQL_CMP_LT;
    case SPARQL_CALL_OP_GT: return c == SPARQL_CMP_GT;
    case SPARQL_CALL_OP_LE: return c == SPARQL_CMP_LT || c == SPARQL_CMP_EQ;
    case SPARQL_CALL_OP_GE: return c == SPARQL_CMP_GT || c == SPARQL_CMP_EQ;
    default: return -1;
    }
}

static bool set_tristate(sparql_value *r, int v)
{
    if (v < 0)
        return fail(r);
    return sparql_value_set_bool(r, v == 1) || fail(r);
}

static bool fn_in(bool negate, sparql_value *args, int nargs, sparql_value *r)
{
    bool error = false;
    for (int i = 1; i < nargs; i++) {
        int eq = sparql_compare_op(SPARQL_CALL_OP_EQ, &args[0], &args[i]);
        if (eq == 1)
            return set_tristate(r, !negate);
        if (eq < 0)
            error = true;
    }
    return error ? fail(r) : set_tristate(r, negate);
}

/* ---- dispatch ---------------------------------------------------------------------------------- */

static bool call_checked(enum sparql_call id, sparql_value *args, int nargs, sparql_value *r,
                         sparql_func_ctx *ctx)
{
    sparql_value *a = nargs > 0 ? &args[0] : NULL, *b = nargs > 1 ? &args[1] : NULL;
    switch (id) {
    case SPARQL_CALL_OP_OR: {
        int x = sparql_value_ebv(a), y = sparql_value_ebv(b);
        return set_tristate(r, x == 1 || y == 1 ? 1 : x < 0 || y < 0 ? -1 : 0);
    }
    case SPARQL_CALL_OP_AND: {
        int x = sparql_value_ebv(a), y = sparql_value_ebv(b);
        return set_tristate(r, x == 0 || y == 0 ? 0 : x < 0 || y < 0 ? -1 : 1);
    }
    case SPARQL_CALL_OP_NOT: {
        int x = sparql_value_ebv(a);
        return set_tristate(r, x < 0 ? -1 : !x);
    }
    case SPARQL_CALL_OP_EQ: case SPARQL_CALL_OP_NE: case SPARQL_CALL_OP_LT:
    case SPARQL_CALL_OP_GT: case SPARQL_CALL_OP_LE: case SPARQL_CALL_OP_GE:
        return set_tristate(r, sparql_compare_op(id, a, b));
    case SPARQL_CALL_OP_ADD: case SPARQL_CALL_OP_SUB: case SPARQL_CALL_OP_MUL: case SPARQL_CALL_OP_DIV:
        return fn_arith(id, a, b, r);
    case SPARQL_CALL_OP_PLUS:
        return sparql_value_is_numeric(a) ? (sparql_value_copy(r, a) || fail(r)) : fail(r);
    case SPARQL_CALL_OP_MINUS: case SPARQL_CALL_FN_ABS: case SPARQL_CALL_FN_ROUND:
    case SPARQL_CALL_FN_CEIL: case SPARQL_CALL_FN_FLOOR:
        return fn_unary_numeric(id, a, r);
    case SPARQL_CALL_OP_IN: case SPARQL_CALL_OP_NOT_IN:
        return fn_in(id == SPARQL_CALL_OP_NOT_IN, args, nargs, r);
    case SPARQL_CALL_FN_IF: {
        int c = sparql_value_ebv(a);
        if (c < 0)
            return fail(r);
        const sparql_value *pick = c ? &args[1] : &args[2];
        return sparql_value_copy(r, pick) && !sparql_value_is_error(r) ? true : fail(r);
    }
    case SPARQL_CALL_FN_COALESCE:
        for (int i = 0; i < nargs; i++)
            if (!sparql_value_is_error(&args[i]))
                return sparql_value_copy(r, &args[i]) || fail(r);
        return fail(r);
    case SPARQL_CALL_FN_SAMETERM:
        if (sparql_value_is_error(a) || sparql_value_is_error(b))
            return fail(r);
        return set_tristate(r, sparql_value_same_term(a, b));
    case SPARQL_CALL_FN_ISIRI: case SPARQL_CALL_FN_ISBLANK: case SPARQL_CALL_FN_ISLITERAL: case SPARQL_CALL_FN_ISNUMERIC: {
        if (sparql_value_is_error(a))
            return fail(r);
        bool v = id == SPARQL_CALL_FN_ISIRI       ? a->kind == SPARQL_VALUE_IRI
                 : id == SPARQL_CALL_FN_ISBLANK   ? a->kind == SPARQL_VALUE_BLANK
                 : id == SPARQL_CALL_FN_ISLITERAL ? a->kind == SPARQL_VALUE_LITERAL
                                             : sparql_value_is_numeric(a);
        return set_tristate(r, v);
    }
    case SPARQL_CALL_FN_STR:
        if (a->kind != SPARQL_VALUE_IRI && a->kind != SPARQL_VALUE_LITERAL)
            return fail(r);
        return sparql_value_set_string(r, a->lex, a->lex_len) || fail(r);
    case SPARQL_CALL_FN_LANG:
        if (a->kind != SPARQL_VALUE_LITERAL)
            return fail(r);
        return sparql_value_set_string(r, a->lang ? a->lang : "", a->lang ? a->lang_len : 0) || fail(r);
    case SPARQL_CALL_FN_DATATYPE:
        if (a->kind != SPARQL_VALUE_LITERAL)
            return fail(r);
        return sparql_value_set_iri(r, a->datatype, strlen(a->datatype)) || fail(r);
    case SPARQL_CALL_FN_IRI:
        return fn_iri(a, r, ctx);
    case SPARQL_CALL_FN_BNODE:
        return fn_bnode(args, nargs, r, ctx);
    case SPARQL_CALL_FN_STRDT:
        if (!is_simple(a) || b->kind != SPARQL_VALUE_IRI || strcmp(b->lex, CK_RDF_LANGSTRING) == 0)
            return fail(r);
        return sparql_value_set_literal(r, a->lex, a->lex_len, b->lex, NULL, 0) || fail(r);
    case SPARQL_CALL_FN_STRLANG:
        if (!is_simple(a) || !is_simple(b) || !valid_lang_tag(b->lex, b->lex_len))
            return fail(r);
        return sparql_value_set_literal(r, a->lex, a->lex_len, NULL, b->lex, b->lex_len) || fail(r);
    case SPARQL_CALL_FN_UUID:
    case SPARQL_CALL_FN_STRUUID: {
        char text[48] = "urn:uuid:";
        uuid_text(text + 9);
        if (id == SPARQL_CALL_FN_UUID)
            return sparql_value_set_iri(r, text, strlen(text)) || fail(r);
        return sparql_value_set_string(r, text + 9, 36) || fail(r);
    }
    case SPARQL_CALL_FN_STRLEN:
        if (!is_string(a))
            return fail(r);
        return sparql_value_set_int(r, (int64_t)utf8_length(a->lex, a->lex_len)) || fail(r);
    case SPARQL_CALL_FN_SUBSTR:
        return fn_substr(args, nargs, r);
    case SPARQL_CALL_FN_UCASE: case SPARQL_CALL_FN_LCASE:
        return is_string(a) ? change_case(a, r, id == SPARQL_CALL_FN_UCASE) : fail(r);
    case SPARQL_CALL_FN_STRSTARTS: case SPARQL_CALL_FN_STRENDS: case SPARQL_CALL_FN_CONTAINS:
        return fn_str_test(id, a, b, r);
    case SPARQL_CALL_FN_STRBEFORE: case SPARQL_CALL_FN_STRAFTER:
        return fn_str_split(id == SPARQL_CALL_FN_STRBEFORE, a, b, r);
    case SPARQL_CALL_FN_ENCODE_FOR_URI:
        return fn_encode_for_uri(a, r);
    case SPARQL_CALL_FN_CONCAT:
        return fn_concat(args, nargs, r);
    case SPARQL_CALL_FN_LANGMATCHES:
        return fn_langmatches(a, b, r);
    case SPARQL_CALL_FN_REGEX:
        return fn_regex(args, nargs, r, ctx);
    case SPARQL_CALL_FN_REPLACE:
        return fn_replace(args, nargs, r, ctx);
    case SPARQL_CALL_FN_RAND: {
        /* xorshift64*: statistically fine, not for secrets */
        uint64_t x = ctx->rand_state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        ctx->rand_state = x;
        double v = (double)((x * 0x2545F4914F6CDD1DULL) >> 11) * 0x1.0p-53;
        return sparql_value_set_double(r, v) || fail(r);
    }
    case SPARQL_CALL_FN_NOW:
        return sparql_value_copy(r, &ctx->now) && !sparql_value_is_error(r) ? true : fail(r);
    case SPARQL_CALL_FN_YEAR: case SPARQL_CALL_FN_MONTH: case SPARQL_CALL_FN_DAY: case SPARQL_CALL_FN_HOURS:
    case SPARQL_CALL_FN_MINUTES: case SPARQL_CALL_FN_SECONDS: case SPARQL_CALL_FN_TIMEZONE: case SPARQL_CALL_FN_TZ:
        return fn_date_part(id, a, r);
    case SPARQL_CALL_FN_MD5: case SPARQL_CALL_FN_SHA1: case SPARQL_CALL_FN_SHA256:
    case SPARQL_CALL_FN_SHA384: case SPARQL_CALL_FN_SHA512:
        return fn_hash(id, a, r);
    case SPARQL_CAST_STRING: case SPARQL_CAST_BOOLEAN: case SPARQL_CAST_INTEGER:
    case SPARQL_CAST_DECIMAL: case SPARQL_CAST_FLOAT: case SPARQL_CAST_DOUBLE:
    case SPARQL_CAST_DATETIME: case SPARQL_CAST_DATE:
        return fn_cast(id, a, r);
    default:
        return fail(r);
    }
}

bool sparql_function_call(enum sparql_call id, sparql_value *args, int nargs, sparql_value *result,
                          sparql_func_ctx *ctx)
{
    const sparql_builtin_info *info = sparql_builtin_describe(id);
    if (!info || nargs < info->min_args || (info->max_args >= 0 && nargs > info->max_args) ||
        (nargs > 0 && !args) || !ctx)
        return fail(result);
    return call_checked(id, args, nargs, result, ctx);
}

/* ---- extension registry ------------------------------------------------------------------------- */

#define REGISTRY_SIZE 256

static sparql_ext_function registry[REGISTRY_SIZE];
static size_t registry_len;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;

static bool cast_entry(sparql_value *args, int nargs, sparql_value *result, sparql_func_ctx *ctx,
                       void *userdata)
{
    return sparql_function_call((enum sparql_call)(intptr_t)userdata, args, nargs, result, ctx);
}

static bool register_locked(const char *iri, sparql_ext_fn fn, int min_args, int max_args, void *userdata)
{
    size_t i = 0;
    while (i < registry_len && strcmp(registry[i].iri, iri) != 0)
        i++;
    if (i == REGISTRY_SIZE)
        return false;
    if (i == registry_len)
        registry_len++;
    registry[i] = (sparql_ext_function){iri, fn, min_args, max_args, userdata};
    return true;
}

#define AGGREGATES_SIZE 64

static sparql_ext_aggregate aggregates[AGGREGATES_SIZE];
static size_t aggregates_len;

static bool register_aggregate_locked(const char *iri, sparql_ext_aggregate_fn fn, void *userdata)
{
    size_t i = 0;
    while (i < aggregates_len && strcmp(aggregates[i].iri, iri) != 0)
        i++;
    if (i == AGGREGATES_SIZE)
        return false;
    if (i == aggregates_len)
        aggregates_len++;
    aggregates[i] = (sparql_ext_aggregate){iri, fn, userdata};
    return true;
}

static void registry_init(void)
{
    for (int id = SPARQL_CAST_STRING; id <= SPARQL_CAST_DATE; id++)
        register_locked(builtin_info[id].name, cast_entry, 1, 1, (void *)(intptr_t)id);
    /* GeoSPARQL (geo_functions.h) is part of the engine: always there */
    size_t n_geo;
    const sparql_ext_function *geo = geo_functions(&n_geo);
    for (size_t i = 0; i < n_geo; i++)
        register_locked(geo[i].iri, geo[i].fn, geo[i].min_args, geo[i].max_args, geo[i].userdata);
    const sparql_ext_aggregate *geo_aggs = geo_aggregates(&n_geo);
    for (size_t i = 0; i < n_geo; i++)
        register_aggregate_locked(geo_aggs[i].iri, geo_aggs[i].fn, geo_aggs[i].userdata);
}

bool sparql_function_register(const char *iri, sparql_ext_fn fn, int min_args, int max_args, void *userdata)
{
    if (!iri || !fn)
        return false;
    pthread_once(&registry_once, registry_init);
    pthread_mutex_lock(&registry_lock);
    bool ok = register_locked(iri, fn, min_args, max_args, userdata);
    pthread_mutex_unlock(&registry_lock);
    return ok;
}

const sparql_ext_function *sparql_function_lookup(const char *iri)
{
    pthread_once(&registry_once, registry_init);
    const sparql_ext_function *found = NULL;
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < registry_len && !found; i++)
        if (strcmp(registry[i].iri, iri) == 0)
            found = &registry[i];
    pthread_mutex_unlock(&registry_lock);
    return found;
}

bool sparql_function_call_iri(const char *iri, sparql_value *args, int nargs, sparql_value *result,
                              sparql_func_ctx *ctx)
{
    const sparql_ext_function *f = sparql_function_lookup(iri);
    if (!f || nargs < f->min_args || (f->max_args >= 0 && nargs > f->max_args))
        return fail(result);
    return f->fn(args, nargs, result, ctx, f->userdata);
}

bool sparql_aggregate_register(const char *iri, sparql_ext_aggregate_fn fn, void *userdata)
{
    if (!iri || !fn)
        return false;
    pthread_once(&registry_once, registry_init);
    pthread_mutex_lock(&registry_lock);
    bool ok = register_aggregate_locked(iri, fn, userdata);
    pthread_mutex_unlock(&registry_lock);
    return ok;
}

const sparql_ext_aggregate *sparql_aggregate_lookup(const char *iri)
{
    pthread_once(&registry_once, registry_init);
    const sparql_ext_aggregate *found = NULL;
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < aggregates_len && !found; i++)
        if (strcmp(aggregates[i].iri, iri) == 0)
            found = &aggregates[i];
    pthread_mutex_unlock(&registry_lock);
    return found;
}
