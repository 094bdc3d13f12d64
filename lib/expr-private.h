/* SPDX-License-Identifier: MIT */
/*
 * The expression language of rule files: conditions (`when:`) and amounts.
 *
 * Statically typed; compiled once at load time to a compact stack bytecode
 * living in the rule set's arena; every name is resolved against a fact
 * schema at compile time, so a typo is a load error with an offset.
 *
 * Grammar (lowest precedence first):
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | cmp
 *   cmp     := add (("=="|"!="|"<"|"<="|">"|">=") add
 *                   | "in" list_or_name | "not" "in" list_or_name
 *                   | "matches" STRING)?
 *   add     := mul (("+"|"-") mul)*
 *   mul     := unary (("*"|"/"|"%") unary)*
 *   unary   := "-" unary | primary
 *   primary := INT | STRING | "true" | "false" | NAME | NAME "(" args ")"
 *            | "(" expr ")" | "[" literal ("," literal)* "]"
 * Functions: min(a,b), max(a,b), abs(a), round(a, to), days_between(d1,d2),
 *            date("YYYY-MM-DD"), len(list|string).
 * Types: bool, int, money (whole yuan), string, date, enum, list.
 * Integer literals are `int` and convert implicitly to `money`.
 * An enum compared with a string literal checks the literal is one of the
 * enum's values at compile time.
 * Missing facts: evaluation of a fact that is not present yields "missing",
 * which propagates except where `and`/`or` short-circuit (Kleene logic:
 * false and missing = false; true or missing = true).
 */
#ifndef ZF_EXPR_PRIVATE_H
#define ZF_EXPR_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util-private.h"

enum zf__type {
    ZF_TYPE_NONE = 0,  /* "any" when used as the wanted type */
    ZF_TYPE_BOOL,
    ZF_TYPE_INT,
    ZF_TYPE_MONEY,
    ZF_TYPE_STRING,
    ZF_TYPE_DATE,      /* days since 1970-01-01 in .i */
    ZF_TYPE_ENUM,      /* index into the fact's enum_values in .i */
    ZF_TYPE_LIST       /* list of `elem` */
};

const char *zf__type_name(enum zf__type t);

/* A declared fact: one entry of a schema. */
struct zf__fact {
    const char *name;              /* ASCII identifier [a-z_][a-z0-9_]* */
    const char *label;             /* Chinese label, may be NULL */
    enum zf__type type;
    enum zf__type elem;            /* element type for ZF_TYPE_LIST */
    const char *const *enum_values;/* for ENUM (or LIST of ENUM) */
    size_t n_enum_values;
    uint16_t slot;                 /* index into zf__expr_ctx.slots */
};

/* Names an expression may use: the item's facts, then built-in case facts. */
struct zf__schema {
    const struct zf__fact *facts;
    size_t n_facts;
    const struct zf__fact *builtins;
    size_t n_builtins;
};

/* A runtime value. Strings are not NUL-terminated necessarily. */
struct zf__value {
    union {
        int64_t i;   /* bool (0/1), int, money, date, enum index */
        struct {
            const char *s;
            uint32_t len;
        } str;
        struct {
            const struct zf__value *v;
            uint32_t n;
        } list;
    } u;
};

/* The message a compile_regex callback writes when it ran out of memory. */
#define ZF__EXPR_REGEX_NOMEM "out of memory"

/* Compile-time environment. */
struct zf__expr_env {
    const zf_context *ctx;
    struct zf__arena *arena;        /* the compiled form is allocated here */
    const struct zf__schema *schema;
    unsigned max_depth;             /* nesting limit (ZF_LIMIT_EXPR_DEPTH) */
    /* Compile a `matches` pattern: returns an opaque pcre2_code_8 * owned by
     * the caller's rule set, or NULL with *err_offset (bytes into the
     * pattern) and msg filled. A msg of exactly ZF__EXPR_REGEX_NOMEM means
     * an allocation failed (the compile then fails with ZF_ENOMEM). */
    void *(*compile_regex)(void *ud, const char *pattern, size_t len,
                           size_t *err_offset, char *msg, size_t msg_size);
    void *regex_ud;
};

/* Compile diagnostics: `offset` is a byte offset into the source text. */
struct zf__expr_diag {
    zf_status code;   /* ZF_ESYNTAX, ZF_ESCHEMA, ZF_EREGEX, ZF_ELIMIT, ZF_ENOMEM */
    int diag;         /* ZF_DIAG_EXPR_SYNTAX, _EXPR_TYPE, _UNKNOWN_NAME, ... */
    size_t offset;
    char message[256];/* e.g. "unknown fact 'untrainde' (did you mean 'untrained'?)" */
};

struct zf__expr;

/*
 * Compile `src[0..len)`. `want` is the required result type (ZF_TYPE_NONE:
 * any; ZF_TYPE_MONEY also accepts int). On success *out points into
 * env->arena. Returns ZF_OK or the diag's code.
 */
zf_status zf__expr_compile(const struct zf__expr **out,
                           const struct zf__expr_env *env, const char *src,
                           size_t len, enum zf__type want,
                           struct zf__expr_diag *diag);

enum zf__type zf__expr_type(const struct zf__expr *e);

/* The fact slots the expression reads (deduplicated, ascending). */
size_t zf__expr_slots(const struct zf__expr *e, const uint16_t **slots);

/* Evaluation context: all borrowed, nothing allocated. */
struct zf__expr_ctx {
    const struct zf__value *slots;
    const uint8_t *present;        /* present[slot] != 0 if the fact is given */
    void *match_data;              /* pcre2_match_data_8 *, for `matches` */
    void *match_context;           /* pcre2_match_context_8 *, may be NULL */
};

/* Positive internal status: a fact needed was not present. */
#define ZF__EMISSING 1

/*
 * Evaluate. Returns ZF_OK (*out set), ZF__EMISSING (*missing_slot set to the
 * first missing slot that decided the result), ZF_EINDETERMINATE (a regex
 * hit a match limit), or ZF_EINPUT on arithmetic overflow / division by
 * zero. Never allocates; thread-safe for a const expression.
 */
int zf__expr_eval(const struct zf__expr *e, const struct zf__expr_ctx *c,
                  struct zf__value *out, uint16_t *missing_slot);

/* Render the source form back (for `zhifa show`); borrowed from arena. */
const char *zf__expr_source(const struct zf__expr *e);

#endif
