/*
 * http_form.h — reading what a request body or header says: HTML form
 * bodies (application/x-www-form-urlencoded), the media type and charset of
 * a Content-Type, and UTF-8 validity.
 */
#ifndef CITYKG_SERVER_HTTP_FORM_H
#define CITYKG_SERVER_HTTP_FORM_H

#include <stdbool.h>
#include <stddef.h>

/* Calls fn(ctx, name, value) for every name=value pair of a urlencoded
 * form ('+' is a space, %XX a byte), in order, repeated names included.
 * The strings are valid during the call only. False when out of memory. */
bool form_each(const char *body, size_t len,
               void (*fn)(void *ctx, const char *name, const char *value), void *ctx);

/* The media type of a Content-Type value, lower case, without parameters,
 * into buf ("" for NULL). */
void media_type_of(const char *content_type, char *buf, size_t size);
/* Whether the charset parameter, if any, is UTF-8 (or US-ASCII, its subset). */
bool charset_is_utf8(const char *content_type);

/* Whether s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);

#endif
