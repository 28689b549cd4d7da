/*
 * lexer.h — tokens of the SPARQL 1.1 query language (§19.8 terminals).
 *
 * The lexer turns query text into one token at a time. Decoded token values
 * (IRI without brackets and with \u escapes applied, string contents with
 * escapes applied, variable names without ?/$, local names with PN_LOCAL
 * escapes removed) are NUL-terminated copies allocated in the arena the
 * lexer was given: they live as long as that arena.
 *
 * Keywords are not told apart here: a bare word is TOK_WORD and the parser
 * compares it case-insensitively (except 'a'). Numbers are unsigned; the
 * parser applies a sign that directly precedes one where the grammar allows a
 * signed literal.
 */
#ifndef CITYKG_SPARQL_LEXER_H
#define CITYKG_SPARQL_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "algebra.h"

typedef enum {
    TOK_EOF,
    TOK_ERROR,    /* text holds the message */
    TOK_IRI,      /* <...> : text = IRI as written (may be relative) */
    TOK_PNAME,    /* prefix:local : prefix and text (local, unescaped) */
    TOK_BLANK,    /* _:label : text = label */
    TOK_VAR,      /* ?x or $x : text = x */
    TOK_LANGTAG,  /* @en-GB : text = en-GB */
    TOK_INTEGER,  /* text = lexical form */
    TOK_DECIMAL,
    TOK_DOUBLE,
    TOK_STRING,   /* any of the four quote forms : text = value */
    TOK_NIL,      /* ( ) */
    TOK_ANON,     /* [ ] */
    TOK_WORD,     /* keyword, 'a', true, false, built-in name */
    TOK_LBRACE, TOK_RBRACE, TOK_LPAREN, TOK_RPAREN, TOK_LBRACKET, TOK_RBRACKET,
    TOK_DOT, TOK_COMMA, TOK_SEMI, TOK_PIPE, TOK_SLASH, TOK_CARET, TOK_DCARET,
    TOK_STAR, TOK_PLUS, TOK_MINUS, TOK_QUESTION, TOK_BANG,
    TOK_EQ, TOK_NE, TOK_LT, TOK_GT, TOK_LE, TOK_GE, TOK_AND, TOK_OR
} sparql_tok_kind;

typedef struct {
    sparql_tok_kind kind;
    const char *start;   /* raw token text in the query (not terminated) */
    size_t len;
    int line, col;       /* 1-based position of the first character */
    char *text;          /* decoded value (see above), arena-owned, or NULL */
    size_t text_len;
    char *prefix;        /* TOK_PNAME only: the prefix without ':' */
} sparql_token;

typedef struct {
    const char *src, *p, *end;
    int line;
    const char *line_start;
    const char *col_p;  /* a position on the current line and its column */
    int col;
    sparql_arena *arena;
} sparql_lexer;

void sparql_lexer_init(sparql_lexer *lx, const char *text, size_t len, sparql_arena *arena);

/* Reads the next token. Never fails except with TOK_ERROR; after TOK_EOF
 * every call returns TOK_EOF again. */
sparql_token sparql_lexer_next(sparql_lexer *lx);

/* A short human-readable description of a token for error messages, e.g.
 * "'WHERE'", "end of input", "variable ?x". Arena-allocated. */
const char *sparql_token_describe(sparql_arena *arena, const sparql_token *tok);

#endif
