/*
 * value.c — SPARQL expression values (value.h): building them from text and
 * terms, parsing typed literals, canonical forms, EBV and the comparisons of
 * the operators and of ORDER BY.
 */
#include "value.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- datatypes ------------------------------------------------------------ */

typedef struct {
    const char *iri;
    sparql_type type;
    bool bounded;          /* integer types with a range facet */
    sparql_int128 min, max;
} datatype_info;

#define I64(x) ((sparql_int128)(x))
#define U64_MAX_I128 ((sparql_int128)UINT64_MAX)
#define BIG ((sparql_int128)1 << 126)
#define DATATYPES_BUILT_IN 10 /* the first entries: the types SPARQL computes with */

static const datatype_info datatypes[] = {
    {CK_XSD_STRING, SPARQL_TYPE_STRING, false, 0, 0},
    {CK_RDF_LANGSTRING, SPARQL_TYPE_LANGSTRING, false, 0, 0},
    {CK_XSD_INTEGER, SPARQL_TYPE_INTEGER, false, 0, 0},
    {SPARQL_XSD_DECIMAL, SPARQL_TYPE_DECIMAL, false, 0, 0},
    {SPARQL_XSD_FLOAT, SPARQL_TYPE_FLOAT, false, 0, 0},
    {SPARQL_XSD_DOUBLE, SPARQL_TYPE_DOUBLE, false, 0, 0},
    {CK_XSD_BOOLEAN, SPARQL_TYPE_BOOLEAN, false, 0, 0},
    {SPARQL_XSD_DATETIME, SPARQL_TYPE_DATETIME, false, 0, 0},
    {SPARQL_XSD_DATE, SPARQL_TYPE_DATE, false, 0, 0},
    {SPARQL_XSD_TIME, SPARQL_TYPE_TIME, false, 0, 0},
    {CK_XSD "long", SPARQL_TYPE_INTEGER, true, I64(INT64_MIN), I64(INT64_MAX)},
    {CK_XSD "int", SPARQL_TYPE_INTEGER, true, I64(INT32_MIN), I64(INT32_MAX)},
    {CK_XSD "short", SPARQL_TYPE_INTEGER, true, I64(INT16_MIN), I64(INT16_MAX)},
    {CK_XSD "byte", SPARQL_TYPE_INTEGER, true, I64(INT8_MIN), I64(INT8_MAX)},
    {CK_XSD "nonNegativeInteger", SPARQL_TYPE_INTEGER, true, 0, BIG},
    {CK_XSD "positiveInteger", SPARQL_TYPE_INTEGER, true, 1, BIG},
    {CK_XSD "nonPositiveInteger", SPARQL_TYPE_INTEGER, true, -BIG, 0},
    {CK_XSD "negativeInteger", SPARQL_TYPE_INTEGER, true, -BIG, -1},
    {CK_XSD "unsignedLong", SPARQL_TYPE_INTEGER, true, 0, U64_MAX_I128},
    {CK_XSD "unsignedInt", SPARQL_TYPE_INTEGER, true, 0, I64(UINT32_MAX)},
    {CK_XSD "unsignedShort", SPARQL_TYPE_INTEGER, true, 0, I64(UINT16_MAX)},
    {CK_XSD "unsignedByte", SPARQL_TYPE_INTEGER, true, 0, I64(UINT8_MAX)},
};

/* The built-in type whose IRI constant is at iri, or NULL: values read
 * from inline ids and values computed here name their types with the same
 * string constants (the linker merges equal ones), so most types are
 * found by address, without comparing text. */
static const datatype_info *datatype_at(const char *iri)
{
    for (size_t i = 0; i < DATATYPES_BUILT_IN; i++)
        if (datatypes[i].iri == iri)
            return &datatypes[i];
    return NULL;
}

/* The built-in entry of a computed type (the table's first entries are in
 * sparql_type order from SPARQL_TYPE_STRING on). */
static const datatype_info *datatype_at_type(sparql_type type)
{
    return &datatypes[type - SPARQL_TYPE_STRING];
}

/* Called for every literal a query reads and every value it computes: by
 * address, then the last type found by text, then the local name after
 * the XSD namespace. */
static const datatype_info *datatype_find(const char *iri)
{
    const datatype_info *at = datatype_at(iri);
    if (at)
        return at;
    static _Thread_local const datatype_info *last;
    if (last && strcmp(last->iri, iri) == 0)
        return last;
    size_t ns = sizeof CK_XSD - 1;
    bool xsd = strncmp(iri, CK_XSD, ns) == 0;
    if (!xsd && strcmp(iri, CK_RDF_LANGSTRING) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof datatypes / sizeof datatypes[0]; i++)
        if (xsd ? datatypes[i].iri[ns - 1] == '#' && strcmp(datatypes[i].iri + ns, iri + ns) == 0 &&
                      strncmp(datatypes[i].iri, CK_XSD, ns) == 0
                : strcmp(datatypes[i].iri, iri) == 0)
            return last = &datatypes[i];
    return NULL;
}

/* ---- numbers as text --------------------------------------------------------- */

/* An xsd:double lexical form (no whitespace, no hex, INF/-INF/+INF/NaN)
 * and its value; false when it is not one (or memory runs out). */
static bool parse_double(const char *s, size_t n, double *out)
{
    size_t sign = n && (s[0] == '+' || s[0] == '-');
    if (n == 3 && memcmp(s, "NaN", 3) == 0) {
        *out = NAN;
        return true;
    }
    if (n - sign == 3 && memcmp(s + sign, "INF", 3) == 0) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
        return true;
    }
    return ck_number_lexical_ok(s, n, true, true) && ck_number_value(s, n, out);
}

size_t sparql_format_double(double d, bool is_float, char *buf)
{
    if (isnan(d))
        return (size_t)sprintf(buf, "NaN");
    if (isinf(d))
        return (size_t)sprintf(buf, d < 0 ? "-INF" : "INF");
    if (d == 0)
        return (size_t)sprintf(buf, signbit(d) ? "-0.0E0" : "0.0E0");
    char tmp[40];
    /* The shortest digits that read back as d: when 15 digits (6 for a
     * float) do, the trailing zeros trimmed below leave the shortest form,
     * since every shorter decimal is exact at that precision; otherwise
     * 16 or 17 digits (7 to 9). Few printf/strtod rounds instead of one
     * per length. Subnormals hold fewer digits: they search from 1. */
    int maxprec = is_float ? 9 : 17;
    bool subnormal = is_float ? fabsf((float)d) < FLT_MIN : fabs(d) < DBL_MIN;
    for (int prec = subnormal ? 1 : is_float ? 6 : 15; prec <= maxprec; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        double back = strtod(tmp, NULL);
        if (is_float ? (float)back == (float)d : back == d)
            break;
    }
    /* tmp is "[-]D.DDDe[+-]XX" or "[-]De[+-]XX" */
    char *e = strchr(tmp, 'e');
    int exp = atoi(e + 1);
    *e = '\0';
    char *dot = strchr(tmp, '.');
    char frac[24] = "0";
    if (dot) {
        *dot = '\0';
        size_t fl = strlen(dot + 1);
        while (fl > 0 && dot[fl] == '0')
            fl--;
        if (fl > 0) {
            memcpy(frac, dot + 1, fl);
            frac[fl] = '\0';
        }
    }
    return (size_t)sprintf(buf, "%s.%sE%d", tmp, frac, exp);
}

/* ---- life cycle ------------------------------------------------------------------ */

void sparql_value_clear(sparql_value *v)
{
    if (v->owned)
        free(v->owned);
    sparql_value_init(v);
}

/* Copies lex (and lang, and a non-static datatype) into one block. */
static bool set_strings(sparql_value *out, sparql_value_kind kind, const char *lex, size_t len,
                        const char *datatype, bool copy_datatype, const char *lang, size_t lang_len)
{
    size_t dt_len = copy_datatype ? strlen(datatype) : 0;
    sparql_value_init(out);
    char *block = malloc(len + 1 + (lang ? lang_len + 1 : 0) + (copy_datatype ? dt_len + 1 : 0));
    if (!block)
        return false;
    char *p = block;
    if (len)
        memcpy(p, lex, len);
    p[len] = '\0';
    out->lex = p;
    out->lex_len = len;
    p += len + 1;
    if (lang) {
        memcpy(p, lang, lang_len);
        p[lang_len] = '\0';
        out->lang = p;
        out->lang_len = lang_len;
        p += lang_len + 1;
    }
    if (copy_datatype) {
        memcpy(p, datatype, dt_len + 1);
        out->datatype = p;
    } else {
        out->datatype = datatype;
    }
    out->owned = block;
    out->kind = kind;
    return true;
}

bool sparql_value_set_iri(sparql_value *out, const char *iri, size_t len)
{
    return set_strings(out, SPARQL_VALUE_IRI, iri, len, NULL, false, NULL, 0);
}

bool sparql_value_set_blank(sparql_value *out, const char *label, size_t len)
{
    return set_strings(out, SPARQL_VALUE_BLANK, label, len, NULL, false, NULL, 0);
}

/* Parses the value of a literal whose type is known. */
static void parse_literal_value(sparql_value *v, const datatype_info *info)
{
    const char *s = v->lex;
    size_t n = v->lex_len;
    switch (v->type) {
    case SPARQL_TYPE_STRING:
    case SPARQL_TYPE_LANGSTRING:
        v->valid = true;
        break;
    case SPARQL_TYPE_INTEGER:
        v->valid = sparql_decimal_parse(s, n, true, &v->v.dec) &&
                   (!info->bounded || (v->v.dec.m >= info->min && v->v.dec.m <= info->max));
        break;
    case SPARQL_TYPE_DECIMAL:
        v->valid = sparql_decimal_parse(s, n, false, &v->v.dec);
        break;
    case SPARQL_TYPE_FLOAT:
    case SPARQL_TYPE_DOUBLE:
        v->valid = parse_double(s, n, &v->v.d);
        if (v->valid && v->type == SPARQL_TYPE_FLOAT)
            v->v.d = (float)v->v.d;
        break;
    case SPARQL_TYPE_BOOLEAN:
        v->valid = true;
        if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
            v->v.b = true;
        else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
            v->v.b = false;
        else
            v->valid = false;
        break;
    case SPARQL_TYPE_DATETIME:
        v->valid = sparql_datetime_parse(s, n, SPARQL_DT_DATETIME, &v->v.dt);
        break;
    case SPARQL_TYPE_DATE:
        v->valid = sparql_datetime_parse(s, n, SPARQL_DT_DATE, &v->v.dt);
        break;
    case SPARQL_TYPE_TIME:
        v->valid = sparql_datetime_parse(s, n, SPARQL_DT_TIME, &v->v.dt);
        break;
    default:
        v->valid = false;
    }
    if (strlen(s) != n) /* an embedded NUL is never a valid typed value */
        v->valid = v->valid && (v->type == SPARQL_TYPE_STRING || v->type == SPARQL_TYPE_LANGSTRING);
}

bool sparql_value_set_literal(sparql_value *out, const char *lex, size_t len, const char *datatype,
                              const char *lang, size_t lang_len)
{
    if (lang && datatype && strcmp(datatype, CK_RDF_LANGSTRING) != 0) {
        memset(out, 0, sizeof *out);
        return false;
    }
    if (lang)
        datatype = CK_RDF_LANGSTRING;
    else if (!datatype)
        datatype = CK_XSD_STRING;
    const datatype_info *info = datatype_find(datatype);
    if (info && info->type == SPARQL_TYPE_LANGSTRING && !lang) {
        memset(out, 0, sizeof *out); /* rdf:langString needs a tag */
        return false;
    }
    if (!set_strings(out, SPARQL_VALUE_LITERAL, lex, len, info ? info->iri : datatype, !info, lang,
                     lang_len))
        return false;
    out->type = info ? info->type : SPARQL_TYPE_OTHER;
    if (info)
        parse_literal_value(out, info);
    return true;
}

bool sparql_value_set_string(sparql_value *out, const char *s, size_t len)
{
    return sparql_value_set_literal(out, s, len, NULL, NULL, 0);
}

/* Every comparison and logical operator returns a boolean: its text is a
 * constant, so it needs no heap block and no parsing. */
bool sparql_value_set_bool(sparql_value *out, bool b)
{
    sparql_value_init(out);
    out->kind = SPARQL_VALUE_LITERAL;
    out->type = SPARQL_TYPE_BOOLEAN;
    out->valid = true;
    out->v.b = b;
    out->lex = b ? "true" : "false";
    out->lex_len = b ? 4 : 5;
    out->datatype = datatype_at_type(SPARQL_TYPE_BOOLEAN)->iri;
    return true;
}

bool sparql_value_set_integer(sparql_value *out, sparql_decimal i)
{
    char buf[SPARQL_DECIMAL_TEXT_MAX];
    size_t n = sparql_decimal_format_integer(i, buf);
    return sparql_value_set_literal(out, buf, n, CK_XSD_INTEGER, NULL, 0);
}

bool sparql_value_set_int(sparql_value *out, int64_t i)
{
    return sparql_value_set_integer(out, sparql_decimal_from_int(i));
}

bool sparql_value_set_decimal(sparql_value *out, sparql_decimal d)
{
    char buf[SPARQL_DECIMAL_TEXT_MAX];
    size_t n = sparql_decimal_format(d, buf);
    return sparql_value_set_literal(out, buf, n, SPARQL_XSD_DECIMAL, NULL, 0);
}

bool sparql_value_set_double(sparql_value *out, double d)
{
    char buf[40];
    size_t n = sparql_format_double(d, false, buf);
    return sparql_value_set_literal(out, buf, n, SPARQL_XSD_DOUBLE, NULL, 0);
}

bool sparql_value_set_float(sparql_value *out, double f)
{
    char buf[40];
    size_t n = sparql_format_double((float)f, true, buf);
    return sparql_value_set_literal(out, buf, n, SPARQL_XSD_FLOAT, NULL, 0);
}

bool sparql_value_set_datetime(sparql_value *out, const sparql_datetime *dt)
{
    char buf[SPARQL_DATETIME_TEXT_MAX];
    size_t n = sparql_datetime_format(dt, buf);
    const char *type = dt->kind == SPARQL_DT_DATETIME ? SPARQL_XSD_DATETIME
                       : dt->kind == SPARQL_DT_DATE   ? SPARQL_XSD_DATE
                                                      : SPARQL_XSD_TIME;
    return sparql_value_set_literal(out, buf, n, type, NULL, 0);
}

bool sparql_value_copy(sparql_value *dst, const sparql_value *src)
{
    switch (src->kind) {
    case SPARQL_VALUE_IRI:
        return sparql_value_set_iri(dst, src->lex, src->lex_len);
    case SPARQL_VALUE_BLANK:
        return sparql_value_set_blank(dst, src->lex, src->lex_len);
    case SPARQL_VALUE_LITERAL: {
        /* the parsed value is copied, not parsed again from the text */
        if (!src->lex) /* no text (sparql_value_from_inline): a struct copy */
            return *dst = *src, true;
        bool static_type = datatype_at(src->datatype) != NULL;
        if (!set_strings(dst, SPARQL_VALUE_LITERAL, src->lex, src->lex_len, src->datatype,
                         !static_type, src->lang, src->lang_len))
            return false;
        dst->type = src->type;
        dst->valid = src->valid;
        dst->v = src->v;
        return true;
    }
    default:
        memset(dst, 0, sizeof *dst);
        return true;
    }
}

/* ---- terms ------------------------------------------------------------------ */

bool sparql_value_from_term(sparql_value *out, const ck_term *t)
{
    switch (t->kind) {
    case CK_TERM_IRI:
        return sparql_value_set_iri(out, t->value, t->value_len);
    case CK_TERM_BLANK:
        return sparql_value_set_blank(out, t->value, t->value_len);
    case CK_TERM_LITERAL: {
        char stack[128];
        char *copy = NULL;
        const char *type = NULL;
        const datatype_info *at = t->datatype ? datatype_at(t->datatype) : NULL;
        if (at && t->datatype_len == strlen(at->iri)) {
            type = at->iri; /* a NUL-terminated constant: no copy */
        } else if (t->datatype) {
            copy = t->datatype_len < sizeof stack ? stack : malloc(t->datatype_len + 1);
            if (!copy) {
                memset(out, 0, sizeof *out);
                return false;
            }
            memcpy(copy, t->datatype, t->datatype_len);
            copy[t->datatype_len] = '\0';
            type = copy;
        }
        bool ok = sparql_value_set_literal(out, t->value, t->value_len, t->lang ? NULL : type,
                                           t->lang, t->lang_len);
        if (copy && copy != stack)
            free(copy);
        return ok;
    }
    }
    memset(out, 0, sizeof *out);
    return false;
}

/* ---- inline ids without text ---------------------------------------------------
 * The payload layouts of core/term.c (see its comments); test_value checks
 * every decoding here against the text that ck_term_from_inline renders. */

static const double exact_powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* m * 10^e as the nearest double when one IEEE operation gives it (m below
 * 2^53, |e| <= 22: Clinger's fast path, the value parse_double gives). */
static bool exact_double(uint64_t m, int e, bool negative, double *out)
{
    if (m >> 53 || e < -22 || e > 22)
        return false;
    double d = e >= 0 ? (double)m * exact_powers[e] : (double)m / exact_powers[-e];
    *out = negative ? -d : d;
    return true;
}

/* The fields of an inline number (CK_TAG_NUMBER or CK_TAG_SCIENTIFIC):
 * type 0 decimal, 1 double, 2 float (above: not a number); the value is
 * m * 10^(exponent - scale), negated when negative. */
typedef struct {
    unsigned type, scale;
    bool negative;
    int exponent;
    uint64_t m;
} inline_number;

static void number_fields(ck_id id, inline_number *f)
{
    uint64_t p = ck_id_payload(id);
    f->exponent = 0;
    if (ck_id_tag(id) == CK_TAG_NUMBER) {
        f->type = (unsigned)(p >> 58);
        f->scale = (unsigned)(p >> 53) & 31;
        f->negative = p >> 52 & 1;
        f->m = p & (((uint64_t)1 << 52) - 1);
    } else {
        f->type = 1 + (unsigned)(p >> 59 & 1); /* double or float */
        f->scale = (unsigned)(p >> 54) & 31;
        f->negative = p >> 53 & 1;
        f->exponent = (int)(p >> 43 & 1023) - 512;
        f->m = p & (((uint64_t)1 << 43) - 1);
    }
}

static bool decode_number(ck_id id, sparql_value *out)
{
    inline_number f;
    number_fields(id, &f);
    if (f.type > 2)
        return false;
    if (f.type == 0) {
        /* as sparql_decimal_parse: trailing fractional zeros dropped */
        uint64_t m = f.m;
        unsigned scale = f.scale;
        while (scale > 0 && m % 10 == 0)
            m /= 10, scale--;
        out->type = SPARQL_TYPE_DECIMAL;
        out->v.dec.m = f.negative ? -(sparql_int128)m : (sparql_int128)m;
        out->v.dec.scale = (int)scale;
        return true;
    }
    if (!exact_double(f.m, f.exponent - (int)f.scale, f.negative, &out->v.d))
        return false; /* strtod's case: read the text */
    out->type = f.type == 1 ? SPARQL_TYPE_DOUBLE : SPARQL_TYPE_FLOAT;
    if (f.type == 2)
        out->v.d = (float)out->v.d;
    return true;
}

bool sparql_inline_double(ck_id id, double *out)
{
    enum ck_tag tag = ck_id_tag(id);
    if (tag != CK_TAG_NUMBER && tag != CK_TAG_SCIENTIFIC)
        return false;
    inline_number f;
    number_fields(id, &f);
    return f.type == 1 && exact_double(f.m, f.exponent - (int)f.scale, f.negative, out);
}

/* Only values sparql_datetime_parse accepts the same way: a field the
 * inline form can hold but XSD does not allow (month 13, 30 February) or
 * 24:00:00 goes through the text. */
static bool decode_datetime(ck_id id, sparql_value *out)
{
    uint64_t p = ck_id_payload(id);
    unsigned offset = p & 127, zone = p >> 7 & 3, frac = p >> 9 & 2047, sec = p >> 20 & 63,
             min = p >> 26 & 63, hour = p >> 32 & 31, day = p >> 37 & 31, month = p >> 42 & 15,
             year = (unsigned)(p >> 46 & 16383);
    static const unsigned char month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year > 9999 || month < 1 || month > 12 || day < 1 || day > month_days[month - 1] ||
        hour > 23 || min > 59 || sec > 59 || zone == 3 || frac > 1110)
        return false;
    if (month == 2 && day == 29 && !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return false;
    sparql_datetime *dt = &out->v.dt;
    dt->kind = SPARQL_DT_DATETIME;
    dt->year = year;
    dt->month = (int)month;
    dt->day = (int)day;
    dt->hour = (int)hour;
    dt->minute = (int)min;
    /* fraction: 0 none, 1 + d, 11 + dd or 111 + ddd; as parsed, without
     * trailing zeros */
    int64_t m = sec;
    int scale = 0;
    if (frac) {
        unsigned f = frac >= 111 ? frac - 111 : frac >= 11 ? frac - 11 : frac - 1;
        scale = frac >= 111 ? 3 : frac >= 11 ? 2 : 1;
        m = m * (scale == 3 ? 1000 : scale == 2 ? 100 : 10) + f;
        while (scale > 0 && m % 10 == 0)
            m /= 10, scale--;
    }
    dt->second.m = m;
    dt->second.scale = scale;
    dt->has_tz = zone != 0;
    dt->tz_minutes = zone == 2 ? ((int)offset - 56) * 15 : 0;
    out->type = SPARQL_TYPE_DATETIME;
    return true;
}

bool sparql_value_from_inline(ck_id id, sparql_value *out)
{
    sparql_value_init(out);
    out->kind = SPARQL_VALUE_LITERAL;
    out->valid = true;
    bool ok;
    switch (ck_id_tag(id)) {
    case CK_TAG_INT: {
        /* a 60-bit two's complement payload */
        int64_t v = (int64_t)(ck_id_payload(id) << 4) >> 4;
        out->type = SPARQL_TYPE_INTEGER;
        out->v.dec = sparql_decimal_from_int(v);
        ok = true;
        break;
    }
    case CK_TAG_BOOL:
        out->type = SPARQL_TYPE_BOOLEAN;
        out->v.b = ck_id_payload(id) != 0;
        ok = true;
        break;
    case CK_TAG_NUMBER:
    case CK_TAG_SCIENTIFIC:
        ok = decode_number(id, out);
        break;
    case CK_TAG_DATETIME:
        ok = decode_datetime(id, out);
        break;
    default:
        ok = false;
    }
    if (!ok) {
        sparql_value_init(out);
        return false;
    }
    out->datatype = datatype_at_type(out->type)->iri;
    return true;
}

/* The fraction field's digit count: 0 none, 1 to 3 (see decode_datetime). */
static unsigned fraction_digits(uint64_t p)
{
    unsigned frac = p >> 9 & 2047;
    return frac == 0 ? 0 : frac < 11 ? 1 : frac < 111 ? 2 : 3;
}

/* Fields every month has, and no 24:00:00: the value is valid. */
static bool datetime_plainly_valid(uint64_t p)
{
    unsigned sec = p >> 20 & 63, min = p >> 26 & 63, hour = p >> 32 & 31, day = p >> 37 & 31,
             month = p >> 42 & 15;
    return month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour < 24 && min < 60 &&
           sec < 60;
}

bool sparql_inline_compare(ck_id x, ck_id y, int *c)
{
    enum ck_tag tx = ck_id_tag(x), ty = ck_id_tag(y);
    if (tx != ty)
        return false;
    uint64_t px = ck_id_payload(x), py = ck_id_payload(y);
    switch (tx) {
    case CK_TAG_INT: {
        int64_t a = (int64_t)(px << 4) >> 4, b = (int64_t)(py << 4) >> 4;
        *c = (a > b) - (a < b);
        return true;
    }
    case CK_TAG_BOOL:
        *c = (px > py) - (px < py);
        return true;
    case CK_TAG_DATETIME:
        /* one timezone (or none for both) and fractions of as many digits:
         * the payload's fields, from the year down, are the order */
        if ((px & 511) != (py & 511) || (px >> 7 & 3) == 3 ||
            fraction_digits(px) != fraction_digits(py) || !datetime_plainly_valid(px) ||
            !datetime_plainly_valid(py))
            return false;
        *c = (px > py) - (px < py);
        return true;
    default:
        return false;
    }
}

bool sparql_inline_order(ck_id x, ck_id y, int *c)
{
    if (x == y) {
        *c = 0;
        return true;
    }
    if (sparql_inline_compare(x, y, c))
        return true; /* (different ids of these kinds: different values) */
    sparql_value a, b;
    if (!sparql_value_from_inline(x, &a) || !sparql_value_from_inline(y, &b))
        return false;
    *c = sparql_value_order_values(&a, &b);
    return *c != 0; /* equal values of different terms: the tie-break reads text */
}

bool sparql_value_from_inline_term(sparql_value *out, ck_id id, const ck_term *t)
{
    sparql_value parsed;
    if (!sparql_value_from_inline(id, &parsed))
        return sparql_value_from_term(out, t);
    if (!set_strings(out, SPARQL_VALUE_LITERAL, t->value, t->value_len, parsed.datatype, false,
                     NULL, 0))
        return false;
    out->type = parsed.type;
    out->valid = true;
    out->v = parsed.v;
    return true;
}

bool sparql_value_has_text(const sparql_value *v)
{
    return v->kind != SPARQL_VALUE_LITERAL || v->lex != NULL;
}

bool sparql_value_as_term(const sparql_value *v, ck_term *t)
{
    memset(t, 0, sizeof *t);
    switch (v->kind) {
    case SPARQL_VALUE_IRI:
        t->kind = CK_TERM_IRI;
        break;
    case SPARQL_VALUE_BLANK:
        t->kind = CK_TERM_BLANK;
        break;
    case SPARQL_VALUE_LITERAL:
        t->kind = CK_TERM_LITERAL;
        if (v->lang) {
            t->lang = v->lang;
            t->lang_len = v->lang_len;
        } else if (v->type != SPARQL_TYPE_STRING) {
            t->datatype = v->datatype;
            t->datatype_len = strlen(v->datatype);
        }
        break;
    default:
        return false;
    }
    if (!v->lex)
        return false; /* a value without text is no term */
    t->value = v->lex;
    t->value_len = v->lex_len;
    return true;
}

/* ---- tests ------------------------------------------------------------------- */

static bool is_numeric_type(sparql_type t)
{
    return t == SPARQL_TYPE_INTEGER || t == SPARQL_TYPE_DECIMAL || t == SPARQL_TYPE_FLOAT ||
           t == SPARQL_TYPE_DOUBLE;
}

bool sparql_value_is_numeric(const sparql_value *v)
{
    return v->kind == SPARQL_VALUE_LITERAL && v->valid && is_numeric_type(v->type);
}

bool sparql_value_is_string_literal(const sparql_value *v)
{
    return v->kind == SPARQL_VALUE_LITERAL &&
           (v->type == SPARQL_TYPE_STRING || v->type == SPARQL_TYPE_LANGSTRING);
}

/* m / 10^scale as the nearest double, without the text round trip of
 * sparql_decimal_to_double, when m and 10^scale are exact doubles: IEEE
 * division then rounds the exact quotient once, as strtod does. Every
 * comparison of a decimal or integer with a double comes here. */
static bool decimal_to_double_exact(sparql_decimal a, double *out)
{
    static const double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const sparql_int128 limit = (sparql_int128)1 << 53;
    if (a.m > limit || a.m < -limit || a.scale < 0 ||
        a.scale >= (int)(sizeof powers / sizeof powers[0]))
        return false;
    *out = (double)(int64_t)a.m / powers[a.scale];
    return true;
}

bool sparql_term_to_double(const ck_term *term, double *out)
{
    sparql_value v;
    if (term->kind != CK_TERM_LITERAL || !sparql_value_from_term(&v, term))
        return false;
    bool ok = sparql_value_is_numeric(&v);
    if (ok)
        *out = sparql_value_to_double(&v);
    sparql_value_clear(&v);
    return ok;
}

double sparql_value_to_double(const sparql_value *v)
{
    if (v->type == SPARQL_TYPE_FLOAT || v->type == SPARQL_TYPE_DOUBLE)
        return v->v.d;
    double d;
    if (decimal_to_double_exact(v->v.dec, &d))
        return d;
    return sparql_decimal_to_double(v->v.dec);
}

int sparql_value_ebv(const sparql_value *v)
{
    if (v->kind != SPARQL_VALUE_LITERAL)
        return -1;
    switch (v->type) {
    case SPARQL_TYPE_BOOLEAN:
        return v->valid && v->v.b;
    case SPARQL_TYPE_STRING:
    case SPARQL_TYPE_LANGSTRING:
        return v->lex_len > 0;
    case SPARQL_TYPE_INTEGER:
    case SPARQL_TYPE_DECIMAL:
        return v->valid && sparql_decimal_sign(v->v.dec) != 0;
    case SPARQL_TYPE_FLOAT:
    case SPARQL_TYPE_DOUBLE:
        return v->valid && !isnan(v->v.d) && v->v.d != 0;
    default:
        return -1;
    }
}

static bool lang_equal(const sparql_value *a, const sparql_value *b)
{
    if (!a->lang || !b->lang)
        return a->lang == b->lang;
    return a->lang_len == b->lang_len && strncasecmp(a->lang, b->lang, a->lang_len) == 0;
}

bool sparql_value_same_term(const sparql_value *a, const sparql_value *b)
{
    if (a->kind != b->kind || a->kind == SPARQL_VALUE_ERROR || a->lex_len != b->lex_len ||
        memcmp(a->lex, b->lex, a->lex_len) != 0)
        return false;
    if (a->kind != SPARQL_VALUE_LITERAL)
        return true;
    return strcmp(a->datatype, b->datatype) == 0 && lang_equal(a, b);
}

/* ---- comparison -------------------------------------------------------------- */

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    /* UTF-8 byte order is code point order. */
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn ? 1 : 0;
}

/* Both numeric. NaN compares unordered (NE). */
static sparql_cmp numeric_cmp(const sparql_value *a, const sparql_value *b)
{
    bool exact = (a->type == SPARQL_TYPE_INTEGER || a->type == SPARQL_TYPE_DECIMAL) &&
                 (b->type == SPARQL_TYPE_INTEGER || b->type == SPARQL_TYPE_DECIMAL);
    if (exact)
        return (sparql_cmp)sparql_decimal_cmp(a->v.dec, b->v.dec);
    double x = sparql_value_to_double(a), y = sparql_value_to_double(b);
    if (isnan(x) || isnan(y))
        return SPARQL_CMP_NE;
    return x < y ? SPARQL_CMP_LT : x > y ? SPARQL_CMP_GT : SPARQL_CMP_EQ;
}

/* The comparison category of a valid literal; equal categories compare. */
static int category(const sparql_value *v)
{
    switch (v->type) {
    case SPARQL_TYPE_INTEGER:
    case SPARQL_TYPE_DECIMAL:
    case SPARQL_TYPE_FLOAT:
    case SPARQL_TYPE_DOUBLE:
        return 1;
    case SPARQL_TYPE_BOOLEAN:
        return 2;
    case SPARQL_TYPE_DATETIME:
        return 3;
    case SPARQL_TYPE_DATE:
        return 4;
    case SPARQL_TYPE_TIME:
        return 5;
    case SPARQL_TYPE_STRING:
        return 6;
    case SPARQL_TYPE_LANGSTRING:
        return 7;
    default:
        return 0; /* unknown datatype */
    }
}

sparql_cmp sparql_value_compare(const sparql_value *a, const sparql_value *b, bool want_order)
{
    if (a->kind == SPARQL_VALUE_ERROR || b->kind == SPARQL_VALUE_ERROR)
        return SPARQL_CMP_ERROR;
    if (a->kind != SPARQL_VALUE_LITERAL || b->kind != SPARQL_VALUE_LITERAL) {
        if (want_order)
            return SPARQL_CMP_ERROR;
        return sparql_value_same_term(a, b) ? SPARQL_CMP_EQ : SPARQL_CMP_NE;
    }
    int ca = a->valid ? category(a) : 0, cb = b->valid ? category(b) : 0;
    if (ca == 0 || cb == 0) {
        /* RDFterm-equal: unknown (or ill-typed) literals are equal only as
         * the same term; otherwise SPARQL cannot tell, which is an error. */
        if (!want_order && sparql_value_has_text(a) && sparql_value_has_text(b) &&
            sparql_value_same_term(a, b))
            return SPARQL_CMP_EQ; /* (a value without text is valid: never this term) */
        /* ... except a language-tagged string against a literal without a
         * tag: no datatype, known or not, has those values
         * (mf:LangTagAwareness, mf:KnownTypesDefault2Neq) */
        bool la = a->type == SPARQL_TYPE_LANGSTRING, lb = b->type == SPARQL_TYPE_LANGSTRING;
        if (!want_order && la != lb)
            return SPARQL_CMP_NE;
        return SPARQL_CMP_ERROR;
    }
    if (ca != cb)
        return want_order ? SPARQL_CMP_ERROR : SPARQL_CMP_NE;
    switch (ca) {
    case 1:
        return numeric_cmp(a, b);
    case 2:
        return (sparql_cmp)((int)a->v.b - (int)b->v.b);
    case 3:
    case 4:
    case 5: {
        int c = sparql_datetime_compare(&a->v.dt, &b->v.dt);
        return c == SPARQL_DT_INDETERMINATE ? SPARQL_CMP_ERROR : (sparql_cmp)c;
    }
    case 6:
        return (sparql_cmp)bytes_cmp(a->lex, a->lex_len, b->lex, b->lex_len);
    default: /* language-tagged strings: = by term; no order (§17.3) */
        if (want_order)
            return SPARQL_CMP_ERROR;
        return sparql_value_same_term(a, b) ? SPARQL_CMP_EQ : SPARQL_CMP_NE;
    }
}

/* ---- ORDER BY ------------------------------------------------------------------ */

static int kind_rank(sparql_value_kind k)
{
    switch (k) {
    case SPARQL_VALUE_BLANK:
        return 1;
    case SPARQL_VALUE_IRI:
        return 2;
    case SPARQL_VALUE_LITERAL:
        return 3;
    default:
        return 0;
    }
}

/* Literal groups in ORDER BY: computed values first, then strings, then
 * literals SPARQL cannot compare (unknown or ill-typed). */
static int order_group(const sparql_value *v)
{
    if (!v->valid)
        return 9;
    int c = category(v);
    return c == 0 ? 9 : c;
}

static int literal_value_order(const sparql_value *a, const sparql_value *b, int group)
{
    switch (group) {
    case 1: {
        bool na = (a->type == SPARQL_TYPE_FLOAT || a->type == SPARQL_TYPE_DOUBLE) && isnan(a->v.d);
        bool nb = (b->type == SPARQL_TYPE_FLOAT || b->type == SPARQL_TYPE_DOUBLE) && isnan(b->v.d);
        if (na || nb)
            return na && nb ? 0 : na ? -1 : 1; /* NaN first */
        return (int)numeric_cmp(a, b);
    }
    case 2:
        return (int)a->v.b - (int)b->v.b;
    case 3:
    case 4:
    case 5: {
        /* A total order: a value without timezone is placed as if UTC. This
         * agrees with every determinate XSD comparison. */
        int c = sparql_datetime_fields_cmp(&a->v.dt, &b->v.dt);
        if (c != SPARQL_DT_INDETERMINATE)
            return c;
        return sparql_decimal_cmp(sparql_datetime_timeline(&a->v.dt),
                                  sparql_datetime_timeline(&b->v.dt));
    }
    case 6:
    case 7:
        return bytes_cmp(a->lex, a->lex_len, b->lex, b->lex_len);
    default:
        return 0;
    }
}

int sparql_value_order_values(const sparql_value *a, const sparql_value *b)
{
    int ka = kind_rank(a->kind), kb = kind_rank(b->kind);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (ka == 0)
        return 0;
    if (a->kind != SPARQL_VALUE_LITERAL)
        return bytes_cmp(a->lex, a->lex_len, b->lex, b->lex_len);
    int ga = order_group(a), gb = order_group(b);
    if (ga != gb)
        return ga < gb ? -1 : 1;
    return literal_value_order(a, b, ga);
}

int sparql_value_order(const sparql_value *a, const sparql_value *b)
{
    int c = sparql_value_order_values(a, b);
    if (c != 0 || a->kind != SPARQL_VALUE_LITERAL || b->kind != SPARQL_VALUE_LITERAL)
        return c;
    /* Tie-break for equal values of different terms (1 and 1.0, ...). */
    c = strcmp(a->datatype, b->datatype);
    if (c != 0)
        return c < 0 ? -1 : 1;
    c = bytes_cmp(a->lex, a->lex_len, b->lex, b->lex_len);
    if (c != 0)
        return c;
    return bytes_cmp(a->lang ? a->lang : "", a->lang_len, b->lang ? b->lang : "", b->lang_len);
}
