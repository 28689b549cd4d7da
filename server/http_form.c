/*
 * http_form.c — urlencoded forms, Content-Type parameters, UTF-8 checks.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_form.h"

static int hex(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes s[0..n) into out (at least n + 1 bytes). */
static void url_decode(const char *s, size_t n, char *out)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+')
            out[j++] = ' ';
        else if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 &&
                 hex(s[i + 2]) >= 0) {
            out[j++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else
            out[j++] = s[i];
    }
    out[j] = 0;
}

bool form_each(const char *body, size_t len,
               void (*fn)(void *ctx, const char *name, const char *value), void *ctx)
{
    char *buf = malloc(len + 2);
    if (!buf)
        return false;
    size_t pos = 0;
    while (pos < len) {
        const char *pair = body + pos;
        const char *amp = memchr(pair, '&', len - pos);
        size_t n = amp ? (size_t)(amp - pair) : len - pos;
        pos += n + 1;
        if (n == 0)
            continue;
        const char *eq = memchr(pair, '=', n);
        size_t name_len = eq ? (size_t)(eq - pair) : n;
        /* name and value decoded into one buffer, each NUL-terminated */
        url_decode(pair, name_len, buf);
        size_t vstart = strlen(buf) + 1;
        if (eq)
            url_decode(eq + 1, n - name_len - 1, buf + vstart);
        else
            buf[vstart] = 0;
        fn(ctx, buf, buf + vstart);
    }
    free(buf);
    return true;
}

void media_type_of(const char *content_type, char *buf, size_t size)
{
    size_t j = 0;
    if (content_type) {
        while (isspace((unsigned char)*content_type))
            content_type++;
        for (; content_type[j] && content_type[j] != ';' && j + 1 < size; j++)
            buf[j] = (char)tolower((unsigned char)content_type[j]);
        while (j && isspace((unsigned char)buf[j - 1]))
            j--;
    }
    if (size)
        buf[j] = 0;
}

bool charset_is_utf8(const char *content_type)
{
    const char *p = content_type ? strchr(content_type, ';') : NULL;
    for (; p; p = strchr(p + 1, ';')) {
        const char *v = p + 1;
        while (isspace((unsigned char)*v))
            v++;
        if (strncasecmp(v, "charset=", 8) != 0)
            continue;
        v += 8;
        if (*v == '"')
            v++;
        size_t n = strcspn(v, "\"; \t");
        return (n == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
               (n == 4 && strncasecmp(v, "utf8", 4) == 0) ||
               (n == 8 && strncasecmp(v, "us-ascii", 8) == 0);
    }
    return true;
}

bool utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < len;) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if (i + n >= len) /* the sequence is cut off */
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}
