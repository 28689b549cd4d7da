/*
 * loader.c — parse with raptor in parser threads, intern and index in the
 * calling thread.
 *
 * A parser thread copies each statement into a chunk (an arena of term
 * records) and passes full chunks through a queue; the loading thread
 * interns the terms, collects quads into a batch and hands full batches to
 * ck_quads_add. A term equal to the same position of the previous statement
 * is sent as a one-byte "repeat" record: subjects and graphs repeat often,
 * and skipping them saves copying, checking and dictionary lookups.
 *
 * raptor is the slowest stage (about 1 µs a statement), so N-Triples and
 * N-Quads files of 16 MiB or more are cut into line ranges, one raptor parser
 * per core. Files are parsed one after the other, so that the blank node
 * labels of a file (shared by its ranges) never mix with another file's.
 */
#include "loader.h"
#include "blank_map.h"

#include <pthread.h>
#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK_BYTES ((size_t)4 << 20)
/* Deep enough (192 MiB) that the parser keeps going while the loading
 * thread sorts and writes a batch, which takes seconds for large batches. */
#define QUEUE_DEPTH 48
#define DEFAULT_BATCH_QUADS ((size_t)4 << 20)
#define READ_BYTES (256 * 1024)
/* N-Triples/N-Quads files from this size on are parsed by several threads */
#define SPLIT_MIN_BYTES ((long long)16 << 20)
#define MAX_PARSERS 4

enum { REC_NONE = 0, REC_REPEAT, REC_IRI, REC_BLANK, REC_LITERAL };

typedef struct chunk {
    unsigned char *data;
    size_t len;
    size_t statements;
    int file_index;
} chunk;

/* ---- queue between the two threads ------------------------------------------ */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    chunk *items[QUEUE_DEPTH];
    int head, count;
    bool producer_done;
    bool consumer_failed; /* tells the parser to stop early */
} chunk_queue;

static void queue_push(chunk_queue *q, chunk *c)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == QUEUE_DEPTH && !q->consumer_failed)
        pthread_cond_wait(&q->changed, &q->lock);
    if (q->consumer_failed) {
        pthread_mutex_unlock(&q->lock);
        free(c->data);
        free(c);
        return;
    }
    q->items[(q->head + q->count) % QUEUE_DEPTH] = c;
    q->count++;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}

static chunk *queue_pop(chunk_queue *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->producer_done)
        pthread_cond_wait(&q->changed, &q->lock);
    chunk *c = NULL;
    if (q->count) {
        c = q->items[q->head];
        q->head = (q->head + 1) % QUEUE_DEPTH;
        q->count--;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->lock);
    return c;
}

/* ---- parser threads -------------------------------------------------------------- */

/* What all parser threads of a load share. */
typedef struct {
    chunk_queue *queue;
    pthread_mutex_t lock; /* guards failed and error */
    bool failed;
    ck_error error;
} parse_shared;

/* One parser thread's work: a file, or a byte range of a line-based file. */
typedef struct {
    parse_shared *shared;
    const ck_load_options *options;
    const char *path;
    const char *file_name; /* for messages */
    const char *format;
    bool line_based;       /* N-Triples or N-Quads */
    int file_index;
    long long start, end;  /* byte range; end < 0: whole file through zlib */
    raptor_parser *parser;
    chunk *current;
    /* previous statement's terms, to detect repeats */
    unsigned char *prev[4];
    size_t prev_len[4], prev_cap[4];
    bool failed;
} parse_state;

const char *ck_format_from_name(const char *name)
{
    static const struct { const char *suffix, *format; } by_ext[] = {
        {".nt", "ntriples"}, {".nq", "nquads"}, {".ttl", "turtle"}, {".trig", "trig"},
        {".rdf", "rdfxml"},  {".owl", "rdfxml"}, {".xml", "rdfxml"}, {".n3", "turtle"}};
    static const char *names[] = {"ntriples", "nquads", "turtle", "trig", "rdfxml"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return names[i];
    size_t n = strlen(name);
    if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
        n -= 3;
    for (size_t i = 0; i < sizeof by_ext / sizeof *by_ext; i++) {
        size_t k = strlen(by_ext[i].suffix);
        if (n > k && strncmp(name + n - k, by_ext[i].suffix, k) == 0)
            return by_ext[i].format;
    }
    return NULL;
}

/* Lines before byte offset end of the file: turns a range parser's line
 * number into the file's. Only computed when reporting an error. */
static long long count_lines_before(const char *path, long long end)
{
    FILE *f = fopen(path, "rb");
    long long lines = 0, pos = 0;
    char buf[65536];
    while (f && pos < end) {
        size_t want = (size_t)(end - pos < (long long)sizeof buf ? end - pos : (long long)sizeof buf);
        size_t n = fread(buf, 1, want, f);
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
        pos += (long long)n;
    }
    if (f)
        fclose(f);
    return lines;
}

static bool shared_failed(parse_state *ps)
{
    if (ps->failed)
        return true;
    pthread_mutex_lock(&ps->shared->lock);
    bool failed = ps->shared->failed;
    pthread_mutex_unlock(&ps->shared->lock);
    return failed;
}

/* Records the first error of a parse at line:column (-1: unknown) and stops
 * the parser. */
static void fail_where(parse_state *ps, long long line, int column, const char *fmt,
                       const char *detail)
{
    if (ps->failed)
        return;
    ps->failed = true;
    if (line >= 0 && ps->start > 0)
        line += count_lines_before(ps->path, ps->start);
    char where[64] = "";
    if (line >= 0 && column >= 0)
        snprintf(where, sizeof where, "%lld:%d:", line, column);
    else if (line >= 0)
        snprintf(where, sizeof where, "%lld:", line);
    char what[900];
    snprintf(what, sizeof what, fmt, detail);
    pthread_mutex_lock(&ps->shared->lock);
    /* the first error wins; a later one in another range may be a follow-up */
    if (!ps->shared->failed) {
        ps->shared->failed = true;
        ck_error_set(&ps->shared->error, CK_ERR_SYNTAX, "%s:%s %s", ps->file_name, where, what);
    }
    pthread_mutex_unlock(&ps->shared->lock);
    if (ps->parser)
        raptor_parser_parse_abort(ps->parser);
}

/* An error at raptor's current position. */
static void fail_at(parse_state *ps, const char *fmt, const char *detail)
{
    raptor_locator *loc = ps->parser ? raptor_parser_get_locator(ps->parser) : NULL;
    fail_where(ps, loc ? loc->line : -1, loc ? loc->column : -1, fmt, detail);
}

static void log_handler(void *data, raptor_log_message *msg)
{
    parse_state *ps = data;
    const char *text = msg->text ? msg->text : "syntax error";
    /* raptor only warns about rdf:aboutEach(Prefix), which RDF 1.1 removed:
     * the W3C suite requires an error. Other warnings stay warnings. */
    if (msg->level >= RAPTOR_LOG_LEVEL_ERROR ||
        (msg->level == RAPTOR_LOG_LEVEL_WARN && strstr(text, "aboutEach")))
        fail_at(ps, "%s", text);
}

static chunk *chunk_new(int file_index)
{
    chunk *c = calloc(1, sizeof *c);
    if (c) {
        c->data = malloc(CHUNK_BYTES);
        c->file_index = file_index;
        if (!c->data) {
            free(c);
            c = NULL;
        }
    }
    return c;
}

static void chunk_flush(parse_state *ps)
{
    if (ps->current && ps->current->statements)
        queue_push(ps->shared->queue, ps->current);
    else if (ps->current) {
        free(ps->current->data);
        free(ps->current);
    }
    ps->current = NULL;
}

static bool chunk_room(parse_state *ps, size_t need)
{
    if (ps->current && ps->current->len + need > CHUNK_BYTES && ps->current->statements) {
        chunk_flush(ps);
        /* repeats never cross chunks */
        for (int i = 0; i < 4; i++)
            ps->prev_len[i] = (size_t)-1;
    }
    if (!ps->current) {
        ps->current = chunk_new(ps->file_index);
        if (!ps->current)
            return false;
        if (need > CHUNK_BYTES) {
            unsigned char *big = realloc(ps->current->data, need);
            if (!big)
                return false;
            ps->current->data = big;
        }
    }
    return true;
}

static void put_u32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

/* Serialises a raptor term as a record: kind, then (len, bytes) for value,
 * datatype and language. */
static size_t record_size(const raptor_term *t, const unsigned char **v, size_t *vl,
                          const unsigned char **d, size_t *dl, const unsigned char **l, size_t *ll)
{
    *v = *d = *l = NULL;
    *vl = *dl = *ll = 0;
    if (!t)
        return 1;
    switch (t->type) {
    case RAPTOR_TERM_TYPE_URI:
        *v = raptor_uri_as_counted_string(t->value.uri, vl);
        break;
    case RAPTOR_TERM_TYPE_BLANK:
        *v = t->value.blank.string;
        *vl = t->value.blank.string_len;
        /* a label cannot end in '.': raptor's N-Triples lexer takes the
         * statement's final dot into "_:b." */
        while (*vl > 1 && (*v)[*vl - 1] == '.')
            (*vl)--;
        break;
    case RAPTOR_TERM_TYPE_LITERAL:
        *v = t->value.literal.string;
        *vl = t->value.literal.string_len;
        if (t->value.literal.datatype)
            *d = raptor_uri_as_counted_string(t->value.literal.datatype, dl);
        if (t->value.literal.language) {
            *l = t->value.literal.language;
            *ll = t->value.literal.language_len;
        }
        break;
    default:
        break;
    }
    return 1 + 12 + *vl + *dl + *ll;
}

static bool is_absolute_iri(const unsigned char *s, size_t n)
{
    if (n == 0 || !((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z'))
        return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = s[i];
        if (c == ':')
            return true;
        if (!(((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
              c == '-' || c == '.'))
            return false;
    }
    return false;
}

/* BCP 47 shape as RDF 1.1 requires: [a-zA-Z]+ ('-' [a-zA-Z0-9]+)* */
static bool is_valid_lang(const unsigned char *s, size_t n)
{
    size_t i = 0, part = 0;
    while (i < n && ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))
        i++, part++;
    if (part == 0)
        return false;
    while (i < n) {
        if (s[i++] != '-')
            return false;
        part = 0;
        while (i < n && (((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            i++, part++;
        if (part == 0)
            return false;
    }
    return true;
}

/* Valid UTF-8 without surrogates or overlong forms (raptor accepts \uD800
 * escapes and stores their bytes). With iri set, the ASCII characters an
 * IRI may not contain are rejected too. */
static bool clean_utf8(const unsigned char *s, size_t n, bool iri)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (iri && (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
                        c == '|' || c == '^' || c == '`' || c == '\\'))
                return false;
            i++;
            continue;
        }
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (len == 0 || c > 0xF4 || i + len > n)
            return false;
        uint32_t cp = c & (0x3F >> (len - 1));
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

/* N-Triples BLANK_NODE_LABEL: no ':'; raptor passes labels of line-based
 * formats through unchecked. (A trailing '.' is the statement's own.) */
static bool valid_blank_label(const unsigned char *s, size_t n)
{
    if (n == 0 || s[0] == '-' || s[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ':' || s[i] <= 0x20)
            return false;
    return true;
}

static bool check_term(parse_state *ps, const raptor_term *t)
{
    size_t n;
    if (t->type == RAPTOR_TERM_TYPE_URI) {
        const unsigned char *s = raptor_uri_as_counted_string(t->value.uri, &n);
        if (!clean_utf8(s, n, true)) {
            fail_at(ps, "IRI <%s> contains a character IRIs do not allow", (const char *)s);
            return false;
        }
        if (!is_absolute_iri(s, n)) {
            fail_at(ps, "relative IRI <%s> (no base IRI to resolve it against)", (const char *)s);
            return false;
        }
    } else if (t->type == RAPTOR_TERM_TYPE_BLANK) {
        if (ps->line_based && !valid_blank_label(t->value.blank.string, t->value.blank.string_len)) {
            fail_at(ps, "invalid blank node label _:%s", (const char *)t->value.blank.string);
            return false;
        }
    } else if (t->type == RAPTOR_TERM_TYPE_LITERAL) {
        if (!clean_utf8(t->value.literal.string, t->value.literal.string_len, false)) {
            fail_at(ps, "%s", "literal is not valid UTF-8 (or encodes a surrogate code point)");
            return false;
        }
        if (t->value.literal.language &&
            !is_valid_lang(t->value.literal.language, t->value.literal.language_len)) {
            fail_at(ps, "invalid language tag @%s", (const char *)t->value.literal.language);
            return false;
        }
        if (t->value.literal.datatype) {
            const unsigned char *s = raptor_uri_as_counted_string(t->value.literal.datatype, &n);
            if (!is_absolute_iri(s, n) || !clean_utf8(s, n, true)) {
                fail_at(ps, "invalid datatype IRI <%s>", (const char *)s);
                return false;
            }
        }
    }
    return true;
}

static void statement_handler(void *data, raptor_statement *st)
{
    parse_state *ps = data;
    if (ps->failed)
        return;
    const raptor_term *terms[4] = {st->subject, st->predicate, st->object, st->graph};
    size_t total = 0;
    for (int i = 0; i < 4; i++) {
        const unsigned char *v, *d, *l;
        size_t vl, dl, ll;
        total += record_size(terms[i], &v, &vl, &d, &dl, &l, &ll);
    }
    if (!chunk_room(ps, total)) {
        fail_at(ps, "%s", "out of memory");
        return;
    }
    chunk *c = ps->current;
    for (int i = 0; i < 4; i++) {
        const unsigned char *v, *d, *l;
        size_t vl, dl, ll;
        size_t size = record_size(terms[i], &v, &vl, &d, &dl, &l, &ll);
        unsigned char *p = c->data + c->len;
        if (!terms[i]) {
            *p = REC_NONE;
            c->len += 1;
            ps->prev_len[i] = (size_t)-1;
            continue;
        }
        p[0] = terms[i]->type == RAPTOR_TERM_TYPE_URI     ? REC_IRI
               : terms[i]->type == RAPTOR_TERM_TYPE_BLANK ? REC_BLANK
                                                          : REC_LITERAL;
        put_u32(p + 1, (uint32_t)vl);
        put_u32(p + 5, (uint32_t)dl);
        put_u32(p + 9, (uint32_t)ll);
        if (vl)
            memcpy(p + 13, v, vl);
        if (dl)
            memcpy(p + 13 + vl, d, dl);
        if (ll)
            memcpy(p + 13 + vl + dl, l, ll);
        if (ps->prev_len[i] == size && memcmp(ps->prev[i], p, size) == 0) {
            *p = REC_REPEAT;
            c->len += 1;
            continue;
        }
        /* checked once per distinct run: repeats were checked already */
        if (!check_term(ps, terms[i]))
            return;
        if (ps->prev_cap[i] < size) {
            ps->prev_cap[i] = size * 2;
            ps->prev[i] = realloc(ps->prev[i], ps->prev_cap[i]);
        }
        memcpy(ps->prev[i], p, size);
        ps->prev_len[i] = size;
        c->len += size;
    }
    c->statements++;
}

/* raptor 2.0.15's Turtle lexer dereferences NULL on the empty IRI "<>"
 * followed by white space and "{" (a TriG graph named by the base IRI, also
 * reached by Turtle input): the whole process would crash. Until raptor is
 * fixed, Turtle and TriG text passes this scanner before raptor sees it; it
 * follows the lexer's states (comments, strings, IRIs) across reads and
 * finds that token sequence, which is then rejected as a syntax error.
 * Where the scanner and raptor might disagree (a backslash before a quote
 * or '#' outside strings) it stays in plain text, so it errs towards
 * finding the sequence rather than missing it. */
typedef enum {
    SCAN_TEXT, SCAN_BACKSLASH, SCAN_COMMENT, SCAN_IRI, SCAN_AFTER_EMPTY_IRI,
    SCAN_QUOTES, /* at the opening quotes of a string */
    SCAN_STRING, SCAN_LONG_STRING
} scan_mode;

typedef struct {
    scan_mode mode;
    unsigned char quote; /* ' or " of the current string */
    int quotes;          /* SCAN_QUOTES: opening quotes seen; SCAN_LONG_STRING: closing ones */
    bool escaped;        /* strings: the previous byte was a backslash */
    bool iri_empty;      /* SCAN_IRI: nothing since '<' */
    long long line;      /* 1-based line of the current byte */
} empty_graph_scan;

/* Scans n more bytes; true when they complete "<>" white space "{". */
static bool empty_graph_found(empty_graph_scan *sc, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == '\n')
            sc->line++;
    again: /* c once more, in the mode it turned out to belong to */
        switch (sc->mode) {
        case SCAN_AFTER_EMPTY_IRI:
            if (c == '{')
                return true;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v')
                break;
            sc->mode = SCAN_TEXT;
            /* fall through - c is plain text */
        case SCAN_TEXT:
            if (c == '\\')
                sc->mode = SCAN_BACKSLASH;
            else if (c == '#')
                sc->mode = SCAN_COMMENT;
            else if (c == '<')
                sc->mode = SCAN_IRI, sc->iri_empty = true;
            else if (c == '"' || c == '\'')
                sc->mode = SCAN_QUOTES, sc->quote = c, sc->quotes = 1;
            break;
        case SCAN_BACKSLASH: /* outside strings only quotes and '#' lose their meaning */
            sc->mode = SCAN_TEXT;
            if (c == '<')
                sc->mode = SCAN_IRI, sc->iri_empty = true;
            break;
        case SCAN_COMMENT:
            if (c == '\n' || c == '\r')
                sc->mode = SCAN_TEXT;
            break;
        case SCAN_IRI:
            if (c == '>')
                sc->mode = sc->iri_empty ? SCAN_AFTER_EMPTY_IRI : SCAN_TEXT;
            sc->iri_empty = false;
            break;
        case SCAN_QUOTES:
            if (c == sc->quote && sc->quotes == 2) {
                sc->mode = SCAN_LONG_STRING, sc->quotes = 0, sc->escaped = false;
                break;
            }
            if (c == sc->quote) {
                sc->quotes++;
                break;
            }
            if (sc->quotes == 2) { /* "" was an empty string: c is plain text again */
                sc->mode = SCAN_TEXT;
                goto again;
            }
            sc->mode = SCAN_STRING, sc->escaped = false;
            /* fall through - c is the first byte of the string */
        case SCAN_STRING:
            if (sc->escaped)
                sc->escaped = false;
            else if (c == '\\')
                sc->escaped = true;
            else if (c == sc->quote || c == '\n' || c == '\r') /* raptor ends it at a line end too */
                sc->mode = SCAN_TEXT;
            break;
        case SCAN_LONG_STRING:
            if (sc->escaped)
                sc->escaped = false, sc->quotes = 0;
            else if (c == '\\')
                sc->escaped = true, sc->quotes = 0;
            else if (c != sc->quote)
                sc->quotes = 0;
            else if (++sc->quotes == 3)
                sc->mode = SCAN_TEXT;
            break;
        }
    }
    return false;
}

/* Feeds the parser from zlib (whole file, gzip or plain, or stdin). */
static void feed_whole(parse_state *ps, unsigned char *buf)
{
    bool turtle = strcmp(ps->format, "turtle") == 0 || strcmp(ps->format, "trig") == 0;
    empty_graph_scan scan = {.line = 1};
    bool is_stdin = strcmp(ps->path, "-") == 0;
    gzFile in = is_stdin ? gzdopen(0, "rb") : gzopen(ps->path, "rb");
    if (!in) {
        fail_at(ps, "%s", "cannot open file");
        return;
    }
    while (!shared_failed(ps)) {
        int n = gzread(in, buf, READ_BYTES);
        if (n < 0) {
            int zerr;
            fail_at(ps, "read error: %s", gzerror(in, &zerr));
            break;
        }
        if (turtle && empty_graph_found(&scan, buf, (size_t)n)) {
            fail_where(ps, scan.line, -1, "%s",
                       "the empty IRI <> before '{' is not supported (raptor 2.0.15 "
                       "crashes on it): write the graph IRI in full");
            break;
        }
        if (raptor_parser_parse_chunk(ps->parser, buf, (size_t)n, n == 0) != 0)
            fail_at(ps, "%s", "syntax error");
        if (n == 0)
            break;
    }
    gzclose(in);
}

/* Feeds the parser bytes [start, end) of an uncompressed file. */
static void feed_range(parse_state *ps, unsigned char *buf)
{
    FILE *f = fopen(ps->path, "rb");
    if (!f || fseeko(f, (off_t)ps->start, SEEK_SET) != 0) {
        fail_at(ps, "%s", "cannot open file");
        if (f)
            fclose(f);
        return;
    }
    long long left = ps->end - ps->start;
    while (!shared_failed(ps)) {
        size_t want = left < READ_BYTES ? (size_t)left : READ_BYTES;
        size_t n = want ? fread(buf, 1, want, f) : 0;
        left -= (long long)n;
        bool last = n == 0 || left == 0;
        if (raptor_parser_parse_chunk(ps->parser, buf, n, last) != 0)
            fail_at(ps, "%s", "syntax error");
        if (last)
            break;
    }
    fclose(f);
}

static void *parse_part(void *arg)
{
    parse_state *ps = arg;
    const ck_load_options *o = ps->options;
    raptor_world *world = raptor_new_world();
    if (!world || raptor_world_open(world) != 0) {
        fail_at(ps, "%s", "cannot start raptor");
        if (world)
            raptor_free_world(world);
        return NULL;
    }
    raptor_world_set_log_handler(world, ps, log_handler);
    ps->parser = raptor_new_parser(world, ps->format);
    raptor_uri *base = NULL;
    if (o->base)
        base = raptor_new_uri(world, (const unsigned char *)o->base);
    else if (strcmp(ps->path, "-") == 0)
        base = raptor_new_uri(world, (const unsigned char *)"file:///dev/stdin");
    else
        base = raptor_new_uri_from_uri_or_file_string(world, NULL, (const unsigned char *)ps->path);
    unsigned char *buf = malloc(READ_BYTES);
    for (int i = 0; i < 4; i++)
        ps->prev_len[i] = (size_t)-1;
    if (!ps->parser || !base || !buf) {
        fail_at(ps, "%s", "cannot start the parser");
    } else {
        raptor_parser_set_statement_handler(ps->parser, ps, statement_handler);
        if (raptor_parser_parse_start(ps->parser, base) != 0)
            fail_at(ps, "%s", "cannot start the parser");
        else if (ps->end < 0)
            feed_whole(ps, buf);
        else
            feed_range(ps, buf);
    }
    chunk_flush(ps);
    free(buf);
    if (base)
        raptor_free_uri(base);
    if (ps->parser)
        raptor_free_parser(ps->parser);
    ps->parser = NULL;
    raptor_free_world(world);
    for (int i = 0; i < 4; i++)
        free(ps->prev[i]);
    return NULL;
}

/* Splits an uncompressed line-based file into up to max_parts byte ranges
 * that end at line ends. Returns the number of ranges (>= 1). */
static int split_lines(const char *path, long long size, int max_parts, long long *bounds)
{
    bounds[0] = 0;
    int parts = 1;
    FILE *f = fopen(path, "rb");
    for (int k = 1; f && k < max_parts; k++) {
        long long pos = size * k / max_parts;
        if (pos <= bounds[parts - 1] || fseeko(f, (off_t)pos, SEEK_SET) != 0)
            continue;
        int c;
        while ((c = fgetc(f)) != EOF && c != '\n')
            pos++;
        if (c == EOF)
            break;
        bounds[parts++] = pos + 1;
    }
    if (f)
        fclose(f);
    bounds[parts] = size;
    return parts;
}

/* Parses one file: N-Triples and N-Quads files of some size are split into
 * line ranges parsed in parallel (one raptor parser each); everything else
 * by one parser. Blank node labels stay file-scoped: all ranges of a file
 * carry the same file index. */
static void parse_file(parse_shared *shared, const ck_load_options *o, const char *path,
                       int file_index)
{
    parse_state base = {.shared = shared, .options = o, .path = path, .file_index = file_index,
                        .end = -1};
    base.file_name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    bool is_stdin = strcmp(path, "-") == 0;
    base.format = o->format ? ck_format_from_name(o->format) : is_stdin ? NULL : ck_format_from_name(path);
    if (!base.format) {
        if (o->format)
            fail_at(&base, "unknown format '%s' (use ntriples, nquads, turtle, trig or rdfxml)",
                    o->format);
        else
            fail_at(&base, "%s", "cannot tell the format from the file name: give --format");
        return;
    }
    bool line_based = strcmp(base.format, "ntriples") == 0 || strcmp(base.format, "nquads") == 0;
    base.line_based = line_based;
    size_t n = strlen(path);
    bool gz = n > 3 && strcmp(path + n - 3, ".gz") == 0;
    struct stat sb;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (getenv("CITYKG_PARSERS")) /* for measurements: force a parser count */
        cpus = atol(getenv("CITYKG_PARSERS"));
    int max_parts = cpus < 1 ? 1 : cpus > MAX_PARSERS ? MAX_PARSERS : (int)cpus;
    long long bounds[MAX_PARSERS + 1];
    int parts = 1;
    if (line_based && !gz && !is_stdin && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
        sb.st_size >= SPLIT_MIN_BYTES && max_parts > 1)
        parts = split_lines(path, (long long)sb.st_size, max_parts, bounds);
    if (parts == 1) {
        parse_part(&base);
        return;
    }
    parse_state states[MAX_PARSERS];
    pthread_t threads[MAX_PARSERS];
    for (int k = 0; k < parts; k++) {
        states[k] = base;
        states[k].start = bounds[k];
        states[k].end = bounds[k + 1];
        if (pthread_create(&threads[k], NULL, parse_part, &states[k]) != 0) {
            parts = k;
            fail_at(&base, "%s", "cannot start a parser thread");
            break;
        }
    }
    for (int k = 0; k < parts; k++)
        pthread_join(threads[k], NULL);
}

typedef struct {
    parse_shared *shared;
    const char *const *files;
    int nfiles;
    const ck_load_options *options;
} parse_job;

static void *parser_main(void *arg)
{
    parse_job *job = arg;
    for (int i = 0; i < job->nfiles; i++) {
        pthread_mutex_lock(&job->shared->lock);
        bool failed = job->shared->failed;
        pthread_mutex_unlock(&job->shared->lock);
        if (failed)
            break;
        parse_file(job->shared, job->options, job->files[i], i);
    }
    chunk_queue *q = job->shared->queue;
    pthread_mutex_lock(&q->lock);
    q->producer_done = true;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* ---- loading thread ------------------------------------------------------------- */

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

typedef struct {
    ck_txn *txn;
    blank_map blanks;
    ck_quad *batch;
    size_t batch_len, batch_cap;
    ck_id target_graph;
    uint64_t quads_read, quads_added;
} load_state;

static ck_status flush_batch(load_state *ls, ck_error *err)
{
    size_t added = 0;
    ck_status st = ck_quads_add(ls->txn, ls->batch, ls->batch_len, &added, err);
    ls->quads_added += added;
    ls->batch_len = 0;
    return st;
}

/* Decodes one record at *p, interning its term; REC_REPEAT keeps *id. */
static ck_status intern_record(load_state *ls, const unsigned char **p, ck_id *id, ck_error *err)
{
    const unsigned char *r = *p;
    if (r[0] == REC_REPEAT) {
        *p += 1;
        return CK_OK;
    }
    if (r[0] == REC_NONE) {
        *p += 1;
        *id = 0;
        return CK_OK;
    }
    uint32_t vl = get_u32(r + 1), dl = get_u32(r + 5), ll = get_u32(r + 9);
    const char *v = (const char *)r + 13;
    *p += 13 + vl + dl + ll;
    if (r[0] == REC_BLANK) {
        *id = blank_map_get(&ls->blanks, ls->txn, v, vl);
        return *id ? CK_OK : ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    ck_term t = {r[0] == REC_IRI ? CK_TERM_IRI : CK_TERM_LITERAL, v, vl,
                 dl ? v + vl : NULL, dl, ll ? v + vl + dl : NULL, ll};
    return ck_term_intern(ls->txn, &t, id, err);
}

static ck_status load_chunk(load_state *ls, const chunk *c, ck_error *err)
{
    if (!ls->txn) { /* ck_parse_check: the parsers' checks are all there is */
        ls->quads_read += c->statements;
        return CK_OK;
    }
    const unsigned char *p = c->data;
    ck_id ids[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < c->statements; i++) {
        for (int k = 0; k < 4; k++) {
            ck_status st = intern_record(ls, &p, &ids[k], err);
            if (st)
                return st;
        }
        if (ls->batch_len == ls->batch_cap) {
            ck_status st = flush_batch(ls, err);
            if (st)
                return st;
        }
        ls->batch[ls->batch_len++] =
            (ck_quad){ids[3] ? ids[3] : ls->target_graph, ids[0], ids[1], ids[2]};
        ls->quads_read++;
    }
    return CK_OK;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

ck_status ck_load_into(ck_txn *txn, const char *const *files, int nfiles,
                       const ck_load_options *opts, ck_load_result *result, ck_error *err)
{
    static const ck_load_options defaults = {0};
    if (!opts)
        opts = &defaults;
    memset(result, 0, sizeof *result);
    double start = now_seconds(), last_report = start;
    load_state ls = {.txn = txn};
    ls.batch_cap = opts->batch_quads ? opts->batch_quads : DEFAULT_BATCH_QUADS;
    ls.batch = malloc(ls.batch_cap * sizeof *ls.batch);
    if (!ls.batch)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory for the load batch");
    ck_status st = CK_OK;
    if (opts->graph) {
        ck_term g = {CK_TERM_IRI, opts->graph, strlen(opts->graph), NULL, 0, NULL, 0};
        if (!is_absolute_iri((const unsigned char *)opts->graph, strlen(opts->graph)))
            st = ck_error_set(err, CK_ERR_INVALID, "--graph needs an absolute IRI, not '%s'",
                              opts->graph);
        else if (txn)
            st = ck_term_intern(txn, &g, &ls.target_graph, err);
    }
    if (st) {
        free(ls.batch);
        return st;
    }

    chunk_queue queue = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
    parse_shared shared = {.queue = &queue, .lock = PTHREAD_MUTEX_INITIALIZER};
    parse_job job = {&shared, files, nfiles, opts};
    pthread_t parser;
    if (pthread_create(&parser, NULL, parser_main, &job) != 0) {
        free(ls.batch);
        return ck_error_set(err, CK_ERR_NOMEM, "cannot start the parser thread");
    }
    int file_index = -1;
    chunk *c;
    while ((c = queue_pop(&queue))) {
        if (st == CK_OK) {
            if (c->file_index != file_index) {
                blank_map_clear(&ls.blanks);
                file_index = c->file_index;
            }
            st = load_chunk(&ls, c, err);
            if (st) {
                /* stop the parsers: they check shared.failed between reads */
                pthread_mutex_lock(&shared.lock);
                shared.failed = true;
                pthread_mutex_unlock(&shared.lock);
                pthread_mutex_lock(&queue.lock);
                queue.consumer_failed = true;
                pthread_cond_broadcast(&queue.changed);
                pthread_mutex_unlock(&queue.lock);
            }
        }
        free(c->data);
        free(c);
        double now = now_seconds();
        if (opts->progress && now - last_report >= 1.0) {
            opts->progress(opts->progress_ctx, ls.quads_read, now - start);
            last_report = now;
        }
    }
    pthread_join(parser, NULL);
    if (st == CK_OK && shared.failed) { /* a parser's error, not the consumer's */
        if (err)
            *err = shared.error;
        st = shared.error.code ? shared.error.code : CK_ERR_SYNTAX;
    }
    if (st == CK_OK && ls.batch_len)
        st = flush_batch(&ls, err);
    blank_map_clear(&ls.blanks);
    free(ls.batch);
    result->quads_read = ls.quads_read;
    result->quads_added = ls.quads_added;
    result->seconds = now_seconds() - start;
    return st;
}

ck_status ck_parse_check(const char *const *files, int nfiles, const ck_load_options *opts,
                         ck_load_result *result, ck_error *err)
{
    return ck_load_into(NULL, files, nfiles, opts, result, err);
}

ck_status ck_load_files(ck_store *store, const char *const *files, int nfiles,
                        const ck_load_options *opts, ck_load_result *result, ck_error *err)
{
    ck_txn *txn;
    ck_status st = ck_txn_begin_write(store, &txn, err);
    if (st)
        return st;
    st = ck_load_into(txn, files, nfiles, opts, result, err);
    if (st) {
        ck_txn_abort(txn);
        return st;
    }
    double before_commit = now_seconds();
    st = ck_txn_commit(txn, err);
    result->seconds += now_seconds() - before_commit;
    return st;
}
