/*
 * cli_options.c — the option parser every subcommand uses: "--opt VALUE",
 * "--opt=VALUE", a few flags, and positional arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"

/* Whether name is among the space-separated names in allowed. */
static bool allows(const char *allowed, const char *name)
{
    char padded[80], allowed_padded[256];
    snprintf(padded, sizeof padded, " %s ", name);
    snprintf(allowed_padded, sizeof allowed_padded, " %s ", allowed);
    return strstr(allowed_padded, padded) != NULL;
}

static int parse_options_into(int argc, char **argv, const char *allowed, options *o);

int parse_options(int argc, char **argv, const char *allowed, options *o)
{
    int rc = parse_options_into(argc, argv, allowed, o);
    if (rc) {
        free(o->args);
        o->args = NULL;
    }
    return rc;
}

static int parse_options_into(int argc, char **argv, const char *allowed, options *o)
{
    memset(o, 0, sizeof *o);
    o->data = getenv("CITYKG_DATA") ? getenv("CITYKG_DATA") : CITYKG_DEFAULT_DATA_DIR;
    o->args = calloc((size_t)argc + 1, sizeof *o->args);
    bool only_args = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            o->args[o->nargs++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = true;
            continue;
        }
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = true;
            continue;
        }
        if (strcmp(a, "--explain") == 0 || strcmp(a, "--strict-default-graph") == 0 ||
            strcmp(a, "--as-anonymous") == 0) {
            if (!allows(allowed, a + 2))
                return cli_fail("unknown option '%s' for %s (see --help)", a, argv[0]);
            *(a[2] == 'e'   ? &o->explain
              : a[2] == 's' ? &o->strict_default_graph
                            : &o->as_anonymous) = true;
            continue;
        }
        if (strcmp(a, "-f") == 0) /* query -f FILE */
            a = "--file";
        char name[64];
        const char *value = NULL;
        const char *eq = strchr(a, '=');
        if (strncmp(a, "--", 2) != 0)
            return cli_fail("unknown option '%s' (see --help)", a);
        size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (n >= sizeof name)
            return cli_fail("unknown option '%s' (see --help)", a);
        memcpy(name, a + 2, n);
        name[n] = 0;
        if (!allows(allowed, name))
            return cli_fail("unknown option '--%s' for %s (see --help)", name, argv[0]);
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            return cli_fail("option --%s needs a value", name);
        if (strcmp(name, "data") == 0)
            o->data = value;
        else if (strcmp(name, "graph") == 0)
            o->graph = value;
        else if (strcmp(name, "format") == 0)
            o->format = value;
        else if (strcmp(name, "base") == 0)
            o->base = value;
        else if (strcmp(name, "from-redland") == 0)
            o->from_redland = value;
        else if (strcmp(name, "name") == 0)
            o->name = value;
        else if (strcmp(name, "file") == 0)
            o->file = value;
        else if (strcmp(name, "allow-service") == 0)
            o->allow_service = value;
        else if (strcmp(name, "token") == 0)
            o->token = value;
        else if (strcmp(name, "role") == 0)
            o->role = value;
        else if (strcmp(name, "graphs") == 0)
            o->graphs = value;
        else if (strcmp(name, "label") == 0)
            o->label = value;
        else if (strcmp(name, "expires") == 0) {
            char *end;
            long long days = strtoll(value, &end, 10);
            if (*end || days < 1 || days > 36500)
                return cli_fail("--expires needs a number of days from 1 to 36500, not '%s'",
                                value);
            o->expires_days = (uint64_t)days;
        }
        else if (strcmp(name, "timeout") == 0 || strcmp(name, "memory") == 0 ||
                 strcmp(name, "repeat") == 0) {
            char *end;
            long long n = strtoll(value, &end, 10);
            if (*end || n < 1)
                return cli_fail("--%s needs a whole number >= 1, not '%s'", name, value);
            *(name[0] == 't' ? &o->timeout_ms : name[0] == 'm' ? &o->memory_mb : &o->repeat) =
                (uint64_t)n;
        }
        else if (strcmp(name, "batch") == 0) {
            char *end;
            long long b = strtoll(value, &end, 10);
            if (*end || b < 1000)
                return cli_fail("--batch needs a number of quads >= 1000, not '%s'", value);
            o->batch = (size_t)b;
        }
    }
    return 0;
}


static char *read_all(FILE *f)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
    }
    if (buf)
        buf[len] = 0;
    return buf;
}

char *cli_read_text(const char *text_arg, const char *file, const char *what)
{
    if (!text_arg == !file) {
        cli_fail("give the %s as an argument or with -f FILE (- for stdin)", what);
        return NULL;
    }
    if (!file) {
        char *text = strdup(text_arg);
        if (!text)
            cli_fail("out of memory");
        return text;
    }
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    if (!f) {
        cli_fail("%s: cannot read the %s file", file, what);
        return NULL;
    }
    char *text = read_all(f);
    if (f != stdin)
        fclose(f);
    if (!text)
        cli_fail("out of memory");
    return text;
}
