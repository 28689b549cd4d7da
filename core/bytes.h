/*
 * bytes.h — byte-level encodings shared by core/: big-endian u64 (keys whose
 * byte order is numeric order) and LEB128 varints (compressed blocks and
 * dictionary entries). Internal to core/.
 */
#ifndef CITYKG_BYTES_H
#define CITYKG_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline void bytes_put_be64(void *dst, uint64_t v)
{
    unsigned char *p = dst;
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)v;
        v >>= 8;
    }
}

static inline uint64_t bytes_get_be64(const void *src)
{
    const unsigned char *p = src;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Writes v as LEB128 (at most 10 bytes); returns the bytes written. */
static inline size_t bytes_put_varint(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

/* Reads a LEB128 value at *p (not past end) and advances *p. */
static inline bool bytes_get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        unsigned char b = *(*p)++;
        r |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

#endif
