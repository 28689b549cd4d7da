/*
 * http_config.c — defaults of `citykg serve` and the JSON config file
 * (jansson). Strict: unknown keys and wrong types are errors.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http_config.h"

void serve_config_defaults(serve_config *c)
{
    memset(c, 0, sizeof *c);
    c->bind = strdup("127.0.0.1");
    c->port = 8080;
    c->max_body_bytes = 64ull << 20;     /* a city dataset upload, not 100 MB */
    c->max_uri_bytes = 64ull << 10;      /* long GET queries, not 1 MB */
    c->query_timeout_ms = 60000;
    c->query_memory_bytes = 1ull << 30;
    c->result_buffer_bytes = 8ull << 20;
    c->shutdown_grace_ms = 10000;
    c->max_connections = 256;
}

void serve_config_free(serve_config *c)
{
    free(c->bind);
    for (size_t i = 0; i < c->n_cors_origins; i++)
        free(c->cors_origins[i]);
    free(c->cors_origins);
    free(c->service_allow);
    free(c->load_allow);
    free(c->load_dirs);
    memset(c, 0, sizeof *c);
}

/* A whole number in [min, max] for key. */
static ck_status read_number(const char *path, const char *key, json_t *v, uint64_t min,
                             uint64_t max, uint64_t *out, ck_error *err)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        (uint64_t)json_integer_value(v) < min || (uint64_t)json_integer_value(v) > max)
        return ck_error_set(err, CK_ERR_INVALID,
                            "%s: \"%s\" must be a whole number from %llu to %llu", path, key,
                            (unsigned long long)min, (unsigned long long)max);
    *out = (uint64_t)json_integer_value(v);
    return CK_OK;
}

/* An array of non-empty strings without the separator, joined by it (or
 * each kept, when list is given). */
static ck_status read_strings(const char *path, const char *key, json_t *v, const char *sep,
                              char **joined, char ***list, size_t *n, ck_error *err)
{
    if (!json_is_array(v))
        return ck_error_set(err, CK_ERR_INVALID, "%s: \"%s\" must be an array of strings",
                            path, key);
    size_t total = 1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s) || !*json_string_value(s) || strstr(json_string_value(s), sep))
            return ck_error_set(err, CK_ERR_INVALID,
                                "%s: \"%s\"[%zu] must be a non-empty string without '%s'", path,
                                key, i, sep);
        total += strlen(json_string_value(s)) + 1;
    }
    if (list) {
        char **l = calloc(json_array_size(v) + 1, sizeof *l);
        if (!l)
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < *n; i++)
            free((*list)[i]);
        free(*list);
        *list = l;
        *n = json_array_size(v);
        for (size_t i = 0; i < *n; i++)
            l[i] = strdup(json_string_value(json_array_get(v, i)));
        return CK_OK;
    }
    char *s = calloc(total, 1);
    if (!s)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < json_array_size(v); i++) {
        if (i)
            strcat(s, sep);
        strcat(s, json_string_value(json_array_get(v, i)));
    }
    free(*joined);
    *joined = json_array_size(v) ? s : NULL;
    if (!json_array_size(v))
        free(s);
    return CK_OK;
}

static ck_status apply_key(const char *path, const char *key, json_t *v, serve_config *c,
                           ck_error *err)
{
    uint64_t n = 0;
    ck_status st;
    if (strcmp(key, "bind") == 0) {
        if (!json_is_string(v) || !*json_string_value(v))
            return ck_error_set(err, CK_ERR_INVALID, "%s: \"bind\" must be an address string",
                                path);
        free(c->bind);
        c->bind = strdup(json_string_value(v));
        return CK_OK;
    }
    if (strcmp(key, "strict_default_graph") == 0 || strcmp(key, "metrics_public") == 0) {
        if (!json_is_boolean(v))
            return ck_error_set(err, CK_ERR_INVALID, "%s: \"%s\" must be true or false", path,
                                key);
        *(key[0] == 's' ? &c->strict_default_graph : &c->metrics_public) = json_is_true(v);
        return CK_OK;
    }
    if (strcmp(key, "cors_origins") == 0)
        return read_strings(path, key, v, ",", NULL, &c->cors_origins, &c->n_cors_origins, err);
    if (strcmp(key, "service_allow") == 0)
        return read_strings(path, key, v, ",", &c->service_allow, NULL, NULL, err);
    if (strcmp(key, "load_allow") == 0)
        return read_strings(path, key, v, ",", &c->load_allow, NULL, NULL, err);
    if (strcmp(key, "load_dirs") == 0) /* folders may hold ',' but not ':' (update.h) */
        return read_strings(path, key, v, ":", &c->load_dirs, NULL, NULL, err);
    static const struct {
        const char *key;
        uint64_t min, max, scale;
    } numbers[] = {
        {"port", 0, 65535, 1},
        {"max_body_bytes", 1, UINT64_C(1) << 40, 1},
        {"max_uri_bytes", 256, 16u << 20, 1},
        {"query_timeout_ms", 1, UINT64_C(86400000), 1},
        {"query_memory_mb", 1, UINT64_C(1) << 20, UINT64_C(1) << 20},
        {"result_buffer_bytes", 0, UINT64_C(1) << 32, 1},
        {"shutdown_grace_ms", 0, UINT64_C(3600000), 1},
        {"max_connections", 1, 1000, 1},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        if (strcmp(key, numbers[i].key) != 0)
            continue;
        if ((st = read_number(path, key, v, numbers[i].min, numbers[i].max, &n, err)))
            return st;
        n *= numbers[i].scale;
        switch (i) {
        case 0: c->port = (unsigned)n; break;
        case 1: c->max_body_bytes = n; break;
        case 2: c->max_uri_bytes = n; break;
        case 3: c->query_timeout_ms = n; break;
        case 4: c->query_memory_bytes = n; break;
        case 5: c->result_buffer_bytes = n; break;
        case 6: c->shutdown_grace_ms = n; break;
        default: c->max_connections = (unsigned)n; break;
        }
        return CK_OK;
    }
    return ck_error_set(err, CK_ERR_INVALID,
                        "%s: unknown key \"%s\" (see docs/operations.md for the keys)", path,
                        key);
}

ck_status serve_config_load(const char *path, serve_config *c, ck_error *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return ck_error_set(err, CK_ERR_SYNTAX, "%s:%d:%d: %s", path, jerr.line, jerr.column,
                            jerr.text);
    ck_status st = CK_OK;
    if (!json_is_object(root))
        st = ck_error_set(err, CK_ERR_INVALID, "%s: the config must be a JSON object", path);
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (st)
            break;
        st = apply_key(path, key, v, c, err);
    }
    json_decref(root);
    return st;
}
