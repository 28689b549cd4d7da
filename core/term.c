/*
 * term.c — term normalisation, inline literal encoding, N-Triples text.
 * See term.h for the id layout.
 */
#include "term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INT_PAYLOAD_BITS 60
#define INT_MAX_INLINE ((int64_t)1 << (INT_PAYLOAD_BITS - 1)) /* exclusive */

static bool datatype_is(const ck_term *t, const char *iri)
{
    size_t n = strlen(iri);
    return t->datatype && t->datatype_len == n && memcmp(t->datatype, iri, n) == 0;
}

void ck_term_normalize(ck_term *term)
{
    if (term->kind == CK_TERM_LITERAL && datatype_is(term, CK_XSD_STRING)) {
        term->datatype = NULL;
        term->datatype_len = 0;
    }
    if (term->kind == CK_TERM_LITERAL && term->lang && term->lang_len == 0)
        term->lang = NULL;
    if (term->kind == CK_TERM_LITERAL && term->lang) {
        /* rdf:langString is implied by the tag */
        term->datatype = NULL;
        term->datatype_len = 0;
    }
}

/* Parses a canonical xsd:integer: optional '-', no leading zeros, no '+'. */
static bool parse_canonical_integer(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    if (n == 0 || n > 19)
        return false;
    if (s[0] == '-') {
        negative = true;
        i = 1;
        if (n == 1)
            return false;
    }
    if (s[i] == '0' && n - i > 1)
        return false;
    if (negative && s[i] == '0')
        return false; /* "-0" is not canonical */
    int64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
        if (v >= INT_MAX_INLINE)
            return false;
    }
    *out = negative ? -v : v;
    return true;
}

/* ---- numbers (CK_TAG_NUMBER, CK_TAG_SCIENTIFIC) --------------------------------
 * A number is sign, digits with a '.' before the last `scale` of them and,
 * for CK_TAG_SCIENTIFIC, an exponent: "-12.50", "4.87425E5", "487425.0E0".
 * Payloads from the top:
 *   CK_TAG_NUMBER      type (2 bits: decimal, double, float) | scale (5) |
 *                      sign (1) | digits (52: at most 15)
 *   CK_TAG_SCIENTIFIC  type (1: double, float) | scale (5) | sign (1) |
 *                      exponent + 512 (10) | digits (43: at most 12) */
#define NUMBER_DIGIT_BITS 52
#define NUMBER_MAX_DIGITS 15 /* 10^15 < 2^52 */
#define SCI_DIGIT_BITS 43
#define SCI_MAX_DIGITS 12    /* 10^12 < 2^43 */

static const char *const number_types[] = {CK_XSD "decimal", CK_XSD "double", CK_XSD "float"};

/* Writes sign, digits and point; returns the length. */
static size_t render_digits(uint64_t m, unsigned scale, bool negative, char *buf)
{
    char digits[40];
    int n = 0;
    do { /* at least scale + 1 digits, zero-padded */
        digits[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m || n <= (int)scale);
    for (int i = 0; i < n / 2; i++) {
        char c = digits[i];
        digits[i] = digits[n - 1 - i];
        digits[n - 1 - i] = c;
    }
    size_t len = 0;
    if (negative)
        buf[len++] = '-';
    memcpy(buf + len, digits, (size_t)n - scale);
    len += (size_t)n - scale;
    if (scale) {
        buf[len++] = '.';
        memcpy(buf + len, digits + n - scale, scale);
        len += scale;
    }
    buf[len] = 0;
    return len;
}

static size_t render_number(ck_id id, char *buf)
{
    uint64_t p = ck_id_payload(id);
    if (ck_id_tag(id) == CK_TAG_NUMBER)
        return render_digits(p & (((uint64_t)1 << NUMBER_DIGIT_BITS) - 1),
                             (unsigned)(p >> (NUMBER_DIGIT_BITS + 1)) & 31,
                             p >> NUMBER_DIGIT_BITS & 1, buf);
    size_t len = render_digits(p & (((uint64_t)1 << SCI_DIGIT_BITS) - 1),
                               (unsigned)(p >> (SCI_DIGIT_BITS + 11)) & 31,
                               p >> (SCI_DIGIT_BITS + 10) & 1, buf);
    int exponent = (int)(p >> SCI_DIGIT_BITS & 1023) - 512;
    buf[len++] = 'E';
    return len + render_digits(exponent < 0 ? (uint64_t)-exponent : (uint64_t)exponent, 0,
                               exponent < 0, buf + len);
}

/* The datatype of a number id. */
static const char *number_type(ck_id id)
{
    unsigned type = (unsigned)(ck_id_payload(id) >> (ck_id_tag(id) == CK_TAG_NUMBER ? 58 : 59));
    if (ck_id_tag(id) == CK_TAG_SCIENTIFIC)
        type += 1; /* double or float */
    return type < 3 ? number_types[type] : NULL;
}

static bool inline_number(const ck_term *t, unsigned type, ck_id *id)
{
    const char *s = t->value;
    size_t n = t->value_len, i = 0, digits = 0;
    if (n == 0 || n > 28)
        return false;
    bool negative = s[0] == '-', point = false;
    i = negative;
    uint64_t m = 0;
    unsigned scale = 0;
    for (; i < n && s[i] != 'E'; i++) {
        if (s[i] == '.' && !point) {
            point = true;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || ++digits > NUMBER_MAX_DIGITS)
            return false;
        m = m * 10 + (uint64_t)(s[i] - '0');
        scale += point;
    }
    if (digits == 0 || scale > 31)
        return false;
    ck_id made;
    if (i == n) {
        made = ck_id_make(CK_TAG_NUMBER, (uint64_t)type << 58 |
                                             (uint64_t)scale << (NUMBER_DIGIT_BITS + 1) |
                                             (uint64_t)negative << NUMBER_DIGIT_BITS | m);
    } else {
        /* an exponent: doubles and floats only, fewer digits */
        char *end;
        long exponent = strtol(s + i + 1, &end, 10);
        if (type == 0 || digits > SCI_MAX_DIGITS || end != s + n || exponent < -512 ||
            exponent > 511)
            return false;
        made = ck_id_make(CK_TAG_SCIENTIFIC,
                          (uint64_t)(type - 1) << 59 | (uint64_t)scale << (SCI_DIGIT_BITS + 11) |
                              (uint64_t)negative << (SCI_DIGIT_BITS + 10) |
                              (uint64_t)(exponent + 512) << SCI_DIGIT_BITS | m);
    }
    /* only forms that render back exactly ("0.5", "12.50", "1.5E3"; not
     * ".5", "5.", "012", "1.5E+3", "1.5E03") */
    char back[40];
    if (render_number(made, back) != n || memcmp(back, s, n) != 0)
        return false;
    *id = made;
    return true;
}

/* ---- xsd:dateTime (CK_TAG_DATETIME) ------------------------------------------
 * payload from the top: year (14 bits) | month (4) | day (5) | hour (5) |
 * minute (6) | second (6) | fraction (11: 0 none, 1 + d, 11 + dd or
 * 111 + ddd for one to three digits) | zone (2: 0 none, 1 'Z', 2 offset)
 * | offset (7: quarter hours + 56). */
/* Writes v as n digits, zero-padded. */
static char *put_digits(char *o, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        o[i] = (char)('0' + v % 10);
    return o + n;
}

static size_t render_datetime(uint64_t p, char *buf)
{
    unsigned offset = p & 127, zone = p >> 7 & 3, frac = p >> 9 & 2047, sec = p >> 20 & 63,
             min = p >> 26 & 63, hour = p >> 32 & 31, day = p >> 37 & 31, month = p >> 42 & 15,
             year = (unsigned)(p >> 46 & 16383);
    char *o = put_digits(buf, year, 4);
    *o++ = '-';
    o = put_digits(o, month, 2);
    *o++ = '-';
    o = put_digits(o, day, 2);
    *o++ = 'T';
    o = put_digits(o, hour, 2);
    *o++ = ':';
    o = put_digits(o, min, 2);
    *o++ = ':';
    o = put_digits(o, sec, 2);
    if (frac >= 1) {
        *o++ = '.';
        o = frac >= 111 ? put_digits(o, frac - 111, 3)
            : frac >= 11 ? put_digits(o, frac - 11, 2) : put_digits(o, frac - 1, 1);
    }
    if (zone == 1) {
        *o++ = 'Z';
    } else if (zone == 2) {
        int q = (int)offset - 56, a = q < 0 ? -q : q;
        *o++ = q < 0 ? '-' : '+';
        o = put_digits(o, (unsigned)a / 4, 2);
        *o++ = ':';
        o = put_digits(o, (unsigned)a % 4 * 15, 2);
    }
    *o = 0;
    return (size_t)(o - buf);
}

/* Reads n digits at s as a number; -1 if they are not all digits. */
static int read_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool inline_datetime(const ck_term *t, ck_id *id)
{
    const char *s = t->value;
    size_t n = t->value_len;
    if (n < 19 || n > 29 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':')
        return false;
    int year = read_digits(s, 4), month = read_digits(s + 5, 2), day = read_digits(s + 8, 2),
        hour = read_digits(s + 11, 2), min = read_digits(s + 14, 2), sec = read_digits(s + 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || min < 0 || sec < 0 || month > 15 ||
        day > 31 || hour > 31 || min > 63 || sec > 63)
        return false;
    size_t i = 19;
    unsigned frac = 0, zone = 0, offset = 56;
    if (i < n && s[i] == '.') {
        size_t d = 0;
        while (i + 1 + d < n && s[i + 1 + d] >= '0' && s[i + 1 + d] <= '9')
            d++;
        if (d < 1 || d > 3)
            return false;
        int v = read_digits(s + i + 1, (int)d);
        frac = (unsigned)v + (d == 1 ? 1 : d == 2 ? 11 : 111);
        i += 1 + d;
    }
    if (i < n && s[i] == 'Z') {
        zone = 1;
        i++;
    } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int h = read_digits(s + i + 1, 2), m = read_digits(s + i + 4, 2);
        if (h < 0 || m < 0 || m % 15 || h * 4 + m / 15 > 56)
            return false;
        int q = h * 4 + m / 15;
        zone = 2;
        offset = (unsigned)(56 + (s[i] == '-' ? -q : q));
        i += 6;
    }
    if (i != n)
        return false;
    uint64_t payload = (uint64_t)year << 46 | (uint64_t)month << 42 | (uint64_t)day << 37 |
                       (uint64_t)hour << 32 | (uint64_t)min << 26 | (uint64_t)sec << 20 |
                       (uint64_t)frac << 9 | (uint64_t)zone << 7 | offset;
    char back[32];
    if (render_datetime(payload, back) != n || memcmp(back, s, n) != 0)
        return false; /* e.g. "-00:00", which renders as "+00:00" */
    *id = ck_id_make(CK_TAG_DATETIME, payload);
    return true;
}

/* ---- numbers as text (ck_number_lexical_ok, ck_number_value) ------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Moves *i past the digits at s[*i]; returns how many there were. */
static size_t skip_digits(const char *s, size_t n, size_t *i)
{
    size_t start = *i;
    while (*i < n && is_digit(s[*i]))
        (*i)++;
    return *i - start;
}

bool ck_number_lexical_ok(const char *s, size_t n, bool fraction, bool exponent)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t digits = skip_digits(s, n, &i);
    if (fraction && i < n && s[i] == '.') {
        i++;
        digits += skip_digits(s, n, &i);
    }
    if (digits == 0)
        return false;
    if (exponent && i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (skip_digits(s, n, &i) == 0)
            return false;
    }
    return i == n;
}

/* Clinger's fast path: up to 15 significant digits and a power of ten up
 * to 22 are exact doubles, so one multiplication or division rounds
 * correctly, as strtod does; loads and queries read numbers by the
 * million, and most take this path. */
bool ck_number_value(const char *s, size_t n, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = s[0] == '+' || s[0] == '-';
    bool point = false;
    uint64_t m = 0;
    int digits = 0, scale = 0, exponent = 0;
    for (; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
        if (s[i] == '.') {
            point = true;
        } else if (m == 0 && s[i] == '0') {
            scale += point; /* a leading zero is no significant digit */
        } else if (++digits > 15) {
            goto slow;
        } else {
            m = m * 10 + (uint64_t)(s[i] - '0');
            scale += point;
        }
    }
    if (i < n) {
        bool negative = s[++i] == '-';
        i += s[i] == '-' || s[i] == '+';
        if (n - i > 4)
            goto slow;
        for (; i < n; i++)
            exponent = exponent * 10 + (s[i] - '0');
        exponent = negative ? -exponent : exponent;
    }
    int e = exponent - scale;
    if (e < -22 || e > 22)
        goto slow;
    double d = e >= 0 ? (double)m * pow10[e] : (double)m / pow10[-e];
    *out = s[0] == '-' ? -d : d;
    return true;
slow:;
    char stack[64];
    char *text = n < sizeof stack ? stack : malloc(n + 1);
    if (!text)
        return false;
    memcpy(text, s, n);
    text[n] = '\0';
    *out = strtod(text, NULL);
    if (text != stack)
        free(text);
    return true;
}

bool ck_term_try_inline(const ck_term *term, ck_id *id)
{
    if (term->kind != CK_TERM_LITERAL || term->lang)
        return false;
    if (!term->datatype) {
        if (term->value_len > 7 || memchr(term->value, 0, term->value_len))
            return false;
        uint64_t payload = 0;
        for (size_t i = 0; i < term->value_len; i++)
            payload |= (uint64_t)(unsigned char)term->value[i] << (8 * (6 - i));
        *id = ck_id_make(CK_TAG_SHORT_STRING, payload);
        return true;
    }
    if (datatype_is(term, CK_XSD_INTEGER)) {
        int64_t v;
        if (!parse_canonical_integer(term->value, term->value_len, &v))
            return false;
        uint64_t payload = (uint64_t)v & (((uint64_t)1 << INT_PAYLOAD_BITS) - 1);
        *id = ck_id_make(CK_TAG_INT, payload);
        return true;
    }
    if (datatype_is(term, CK_XSD_BOOLEAN)) {
        if (term->value_len == 4 && memcmp(term->value, "true", 4) == 0) {
            *id = ck_id_make(CK_TAG_BOOL, 1);
            return true;
        }
        if (term->value_len == 5 && memcmp(term->value, "false", 5) == 0) {
            *id = ck_id_make(CK_TAG_BOOL, 0);
            return true;
        }
        return false;
    }
    for (unsigned type = 0; type < 3; type++)
        if (datatype_is(term, number_types[type]))
            return inline_number(term, type, id);
    if (datatype_is(term, CK_XSD "dateTime"))
        return inline_datetime(term, id);
    return false;
}

bool ck_term_from_inline(ck_id id, ck_term *term, char buf[32])
{
    memset(term, 0, sizeof *term);
    term->kind = CK_TERM_LITERAL;
    term->value = buf;
    uint64_t payload = ck_id_payload(id);
    switch (ck_id_tag(id)) {
    case CK_TAG_INT: {
        int64_t v = (int64_t)(payload << (64 - INT_PAYLOAD_BITS)) >> (64 - INT_PAYLOAD_BITS);
        /* not snprintf: every integer a query reads is rendered here, and
         * a 60-bit payload's magnitude fits in uint64_t */
        term->value_len = render_digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 0, v < 0, buf);
        term->datatype = CK_XSD_INTEGER;
        term->datatype_len = strlen(CK_XSD_INTEGER);
        return true;
    }
    case CK_TAG_BOOL:
        term->value_len = payload ? 4 : 5;
        memcpy(buf, payload ? "true" : "false", term->value_len + 1);
        term->datatype = CK_XSD_BOOLEAN;
        term->datatype_len = strlen(CK_XSD_BOOLEAN);
        return true;
    case CK_TAG_SHORT_STRING: {
        size_t n = 0;
        for (int i = 0; i < 7; i++) {
            char c = (char)((payload >> (8 * (6 - i))) & 0xFF);
            if (!c)
                break;
            buf[n++] = c;
        }
        buf[n] = 0;
        term->value_len = n;
        return true;
    }
    case CK_TAG_NUMBER:
    case CK_TAG_SCIENTIFIC:
        if (!number_type(id))
            return false;
        term->value_len = render_number(id, buf);
        term->datatype = number_type(id);
        term->datatype_len = strlen(term->datatype);
        return true;
    case CK_TAG_DATETIME:
        term->value_len = render_datetime(payload, buf);
        term->datatype = CK_XSD "dateTime";
        term->datatype_len = strlen(CK_XSD "dateTime");
        return true;
    default:
        return false;
    }
}

static bool bytes_equal(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

bool ck_term_equal(const ck_term *a, const ck_term *b)
{
    if (a->kind != b->kind || !bytes_equal(a->value, a->value_len, b->value, b->value_len))
        return false;
    if ((a->datatype == NULL) != (b->datatype == NULL) || (a->lang == NULL) != (b->lang == NULL))
        return false;
    if (a->datatype && !bytes_equal(a->datatype, a->datatype_len, b->datatype, b->datatype_len))
        return false;
    if (a->lang && !bytes_equal(a->lang, a->lang_len, b->lang, b->lang_len))
        return false;
    return true;
}

/* Appends s escaped for N-Triples (strings: ECHAR; IRIs: UCHAR for the
 * characters IRIREF forbids). */
static void append_escaped(char **out, size_t *len, size_t *cap, const char *s, size_t n,
                           bool iri)
{
    for (size_t i = 0; i < n; i++) {
        if (*len + 12 >= *cap) {
            *cap = *cap * 2 + 16;
            *out = realloc(*out, *cap);
        }
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        if (!iri) {
            switch (c) {
            case '"': esc = "\\\""; break;
            case '\\': esc = "\\\\"; break;
            case '\n': esc = "\\n"; break;
            case '\r': esc = "\\r"; break;
            default: break;
            }
        }
        if (esc) {
            size_t k = strlen(esc);
            memcpy(*out + *len, esc, k);
            *len += k;
        } else if (iri && (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' ||
                           c == '}' || c == '|' || c == '^' || c == '`' || c == '\\')) {
            *len += (size_t)snprintf(*out + *len, 12, "\\u%04X", c);
        } else {
            (*out)[(*len)++] = (char)c;
        }
    }
}

char *ck_term_to_ntriples(const ck_term *t)
{
    size_t cap = t->value_len + t->datatype_len + t->lang_len + 16, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    switch (t->kind) {
    case CK_TERM_IRI:
        out[len++] = '<';
        append_escaped(&out, &len, &cap, t->value, t->value_len, true);
        out[len++] = '>';
        break;
    case CK_TERM_BLANK:
        out[len++] = '_';
        out[len++] = ':';
        append_escaped(&out, &len, &cap, t->value, t->value_len, true);
        break;
    case CK_TERM_LITERAL:
        out[len++] = '"';
        append_escaped(&out, &len, &cap, t->value, t->value_len, false);
        out[len++] = '"';
        if (t->lang) {
            out[len++] = '@';
            append_escaped(&out, &len, &cap, t->lang, t->lang_len, true);
        } else if (t->datatype) {
            out[len++] = '^';
            out[len++] = '^';
            out[len++] = '<';
            append_escaped(&out, &len, &cap, t->datatype, t->datatype_len, true);
            out[len++] = '>';
        }
        break;
    }
    if (len + 1 > cap)
        out = realloc(out, len + 1);
    out[len] = 0;
    return out;
}

uint64_t ck_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    /* Eight bytes per step (multiply-rotate, as in the MurmurHash family)
     * with a splitmix64 finish so that low bits are usable for open
     * addressing. Term hashes are stored in term2id: changing this function
     * changes the store format. */
    const unsigned char *p = data;
    uint64_t h = seed ^ (len * 0x9E3779B97F4A7C15ULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w *= 0x87C37B91114253D5ULL;
        w = (w << 31) | (w >> 33);
        h ^= w * 0x4CF5AD432745937FULL;
        h = ((h << 27) | (h >> 37)) * 5 + 0x52DCE729;
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    h ^= tail * 0x87C37B91114253D5ULL;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

static int id_order(const void *a, const void *b)
{
    ck_id x = *(const ck_id *)a, y = *(const ck_id *)b;
    return (x > y) - (x < y);
}

size_t ck_ids_sort_unique(ck_id *ids, size_t n)
{
    if (n < 2)
        return n;
    qsort(ids, n, sizeof *ids, id_order);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (ids[i] != ids[k - 1])
            ids[k++] = ids[i];
    return k;
}
