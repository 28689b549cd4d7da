/*
 * decimal.c — xsd:decimal arithmetic on 128-bit scaled integers (decimal.h).
 *
 * Every operation checks for overflow with the compiler's checked
 * arithmetic builtins, so a result is either exact or reported as failed.
 */
#include "decimal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static bool pow10_i128(int e, sparql_int128 *out)
{
    sparql_int128 p = 1;
    for (int i = 0; i < e; i++) {
        if (__builtin_mul_overflow(p, (sparql_int128)10, &p))
            return false;
    }
    *out = p;
    return true;
}

/* Multiplies the mantissa by 10^k, raising the scale by k. */
static bool rescale_up(sparql_decimal a, int k, sparql_decimal *out)
{
    sparql_int128 p;
    if (k < 0 || a.scale + k > SPARQL_DECIMAL_MAX_SCALE || !pow10_i128(k, &p))
        return false;
    sparql_int128 m;
    if (__builtin_mul_overflow(a.m, p, &m))
        return false; /* (out untouched: callers pass the operand itself) */
    out->m = m;
    out->scale = a.scale + k;
    return true;
}

sparql_decimal sparql_decimal_normalize(sparql_decimal a)
{
    while (a.scale > 0 && a.m % 10 == 0) {
        a.m /= 10;
        a.scale--;
    }
    if (a.m == 0)
        a.scale = 0;
    return a;
}

bool sparql_decimal_parse(const char *s, size_t n, bool integer_only, sparql_decimal *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    sparql_int128 m = 0;
    int scale = 0, digits = 0, pending_zeros = 0;
    bool point = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.' && !point && !integer_only) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9')
            return false;
        digits++;
        if (point) {
            /* Trailing fractional zeros are only counted: 1.000…0 fits. */
            if (c == '0') {
                pending_zeros++;
                continue;
            }
            for (; pending_zeros > 0; pending_zeros--) {
                if (scale >= SPARQL_DECIMAL_MAX_SCALE || __builtin_mul_overflow(m, (sparql_int128)10, &m))
                    return false;
                scale++;
            }
            scale++;
            if (scale > SPARQL_DECIMAL_MAX_SCALE)
                return false;
        }
        if (__builtin_mul_overflow(m, (sparql_int128)10, &m) ||
            __builtin_add_overflow(m, (sparql_int128)(c - '0'), &m))
            return false;
    }
    if (digits == 0)
        return false;
    out->m = neg ? -m : m;
    out->scale = scale;
    return true;
}

sparql_decimal sparql_decimal_from_int(int64_t v)
{
    sparql_decimal d = {v, 0};
    return d;
}

bool sparql_decimal_from_double(double d, sparql_decimal *out)
{
    if (d != d || d > 1e38 || d < -1e38)
        return false;
    char buf[64];
    /* Shortest round-tripping text, then parsed exactly in plain notation. */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    char *e = strchr(buf, 'e');
    int exp = e ? atoi(e + 1) : 0;
    if (e)
        *e = '\0';
    sparql_decimal m;
    if (!sparql_decimal_parse(buf, strlen(buf), false, &m))
        return false;
    if (exp >= 0) {
        sparql_int128 p;
        for (; exp > 0 && m.scale > 0; exp--)
            m.scale--;
        if (!pow10_i128(exp, &p) || __builtin_mul_overflow(m.m, p, &m.m))
            return false;
    } else {
        if (m.scale - exp > SPARQL_DECIMAL_MAX_SCALE)
            return false; /* too small to be represented: not exact */
        m.scale -= exp;
    }
    *out = sparql_decimal_normalize(m);
    return true;
}

double sparql_decimal_to_double(sparql_decimal a)
{
    char buf[SPARQL_DECIMAL_TEXT_MAX];
    sparql_decimal_format(a, buf);
    return strtod(buf, NULL);
}

bool sparql_decimal_is_integer(sparql_decimal a)
{
    return sparql_decimal_normalize(a).scale == 0;
}

int sparql_decimal_sign(sparql_decimal a)
{
    return a.m > 0 ? 1 : a.m < 0 ? -1 : 0;
}

/* Brings a and b to the same scale; fails only if that overflows. */
static bool align(sparql_decimal *a, sparql_decimal *b)
{
    *a = sparql_decimal_normalize(*a);
    *b = sparql_decimal_normalize(*b);
    if (a->scale < b->scale)
        return rescale_up(*a, b->scale - a->scale, a);
    if (b->scale < a->scale)
        return rescale_up(*b, a->scale - b->scale, b);
    return true;
}

int sparql_decimal_cmp(sparql_decimal a, sparql_decimal b)
{
    int sa = sparql_decimal_sign(a), sb = sparql_decimal_sign(b);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (!align(&a, &b)) {
        /* Cannot align: compare the integer parts, then fall back to doubles. */
        sparql_decimal ta = sparql_decimal_trunc(a), tb = sparql_decimal_trunc(b);
        if (ta.m != tb.m)
            return ta.m < tb.m ? -1 : 1;
        double da = sparql_decimal_to_double(a), db = sparql_decimal_to_double(b);
        return da < db ? -1 : da > db ? 1 : 0;
    }
    return a.m < b.m ? -1 : a.m > b.m ? 1 : 0;
}

bool sparql_decimal_add(sparql_decimal a, sparql_decimal b, sparql_decimal *out)
{
    if (!align(&a, &b) || __builtin_add_overflow(a.m, b.m, &out->m))
        return false;
    out->scale = a.scale;
    *out = sparql_decimal_normalize(*out);
    return true;
}

bool sparql_decimal_neg(sparql_decimal a, sparql_decimal *out)
{
    if (__builtin_sub_overflow((sparql_int128)0, a.m, &out->m))
        return false;
    out->scale = a.scale;
    return true;
}

bool sparql_decimal_sub(sparql_decimal a, sparql_decimal b, sparql_decimal *out)
{
    sparql_decimal nb;
    return sparql_decimal_neg(b, &nb) && sparql_decimal_add(a, nb, out);
}

bool sparql_decimal_mul(sparql_decimal a, sparql_decimal b, sparql_decimal *out)
{
    a = sparql_decimal_normalize(a);
    b = sparql_decimal_normalize(b);
    if (a.scale + b.scale > SPARQL_DECIMAL_MAX_SCALE || __builtin_mul_overflow(a.m, b.m, &out->m))
        return false;
    out->scale = a.scale + b.scale;
    *out = sparql_decimal_normalize(*out);
    return true;
}

bool sparql_decimal_div(sparql_decimal a, sparql_decimal b, sparql_decimal *out)
{
    a = sparql_decimal_normalize(a);
    b = sparql_decimal_normalize(b);
    if (b.m == 0)
        return false;
    /* a/b = (a.m * 10^k / b.m) * 10^-(a.scale + k - b.scale). Take k as large
     * as fits, aiming at SPARQL_DECIMAL_DIV_SCALE fractional digits. */
    int k = SPARQL_DECIMAL_DIV_SCALE - a.scale + b.scale;
    if (k < 0)
        k = 0;
    sparql_decimal num = a;
    while (k > 0 && !rescale_up(a, k, &num))
        k--;
    if (k == 0)
        num = a;
    sparql_int128 q = num.m / b.m;
    int scale = num.scale - b.scale;
    if (scale < 0) {
        sparql_int128 p;
        if (!pow10_i128(-scale, &p) || __builtin_mul_overflow(q, p, &q))
            return false;
        scale = 0;
    }
    out->m = q;
    out->scale = scale;
    *out = sparql_decimal_normalize(*out);
    return true;
}

bool sparql_decimal_idiv(sparql_decimal a, sparql_decimal b, sparql_decimal *out)
{
    sparql_decimal q;
    if (!sparql_decimal_div(a, b, &q))
        return false;
    *out = sparql_decimal_trunc(q);
    return true;
}

sparql_decimal sparql_decimal_trunc(sparql_decimal a)
{
    sparql_int128 p = 1;
    pow10_i128(a.scale, &p); /* scale <= MAX_SCALE < 38: cannot overflow */
    sparql_decimal r = {a.m / p, 0};
    return r;
}

sparql_decimal sparql_decimal_floor(sparql_decimal a)
{
    sparql_decimal t = sparql_decimal_trunc(a);
    if (a.m < 0 && sparql_decimal_cmp(t, a) != 0)
        t.m -= 1;
    return t;
}

sparql_decimal sparql_decimal_ceil(sparql_decimal a)
{
    sparql_decimal t = sparql_decimal_trunc(a);
    if (a.m > 0 && sparql_decimal_cmp(t, a) != 0)
        t.m += 1;
    return t;
}

sparql_decimal sparql_decimal_round(sparql_decimal a)
{
    sparql_decimal half = {5, 1}, sum;
    if (!sparql_decimal_add(a, half, &sum))
        return sparql_decimal_trunc(a); /* only near the range limit */
    return sparql_decimal_floor(sum);
}

/* Writes |m| in decimal, most significant digit first; returns the length. */
static size_t digits_of(sparql_int128 m, char *buf)
{
    char tmp[48];
    size_t n = 0;
    do {
        int d = (int)(m % 10);
        tmp[n++] = (char)('0' + (d < 0 ? -d : d));
        m /= 10;
    } while (m != 0);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

size_t sparql_decimal_format(sparql_decimal a, char *buf)
{
    a = sparql_decimal_normalize(a);
    char digits[48];
    size_t nd = digits_of(a.m, digits), len = 0;
    if (a.m < 0)
        buf[len++] = '-';
    if ((size_t)a.scale >= nd) {
        buf[len++] = '0';
        buf[len++] = '.';
        for (size_t i = nd; i < (size_t)a.scale; i++)
            buf[len++] = '0';
        memcpy(buf + len, digits, nd);
        len += nd;
    } else {
        size_t ip = nd - (size_t)a.scale;
        memcpy(buf + len, digits, ip);
        len += ip;
        buf[len++] = '.';
        if (a.scale == 0) {
            buf[len++] = '0';
        } else {
            memcpy(buf + len, digits + ip, (size_t)a.scale);
            len += (size_t)a.scale;
        }
    }
    buf[len] = '\0';
    return len;
}

size_t sparql_decimal_format_integer(sparql_decimal a, char *buf)
{
    a = sparql_decimal_trunc(a);
    size_t len = 0;
    if (a.m < 0)
        buf[len++] = '-';
    len += digits_of(a.m, buf + len);
    return len;
}

bool sparql_decimal_to_int64(sparql_decimal a, int64_t *out)
{
    a = sparql_decimal_normalize(a);
    if (a.scale != 0 || a.m > INT64_MAX || a.m < INT64_MIN)
        return false;
    *out = (int64_t)a.m;
    return true;
}
