/* SPDX-License-Identifier: MIT */
/*
 * The expression language of rule files (see expr-private.h for the
 * grammar): a lexer, a recursive-descent parser that type-checks and emits
 * code in a single pass, and the stack machine that runs the code.
 *
 * Bytecode. A compiled expression is a flat array of 16-byte ops: an opcode,
 * a flag byte, a 16-bit operand (a fact slot), a 32-bit operand (a jump
 * target or a count) and a 64-bit immediate (an integer, a string, a
 * constant list or a compiled regex). Constant strings and lists live in
 * the arena next to the code. Evaluation uses a fixed stack of EXPR_STACK
 * values on the C stack; the compiler computes the exact stack need and
 * rejects anything bigger.
 *
 * Missing facts. A bool that may be missing ("tri-state") is stored as 0, 1
 * or -1 - slot. Only and/or/not produce tri-states: each of their operands
 * is a "boundary". A fact load (or a check of a tri-state) inside a boundary
 * carries the boundary's end and base stack depth: when the fact is absent
 * the machine drops the partial values, pushes the missing marker and jumps
 * to the end of the boundary. Outside any boundary the load returns
 * ZF__EMISSING directly. So a present fact costs one test of present[slot].
 */
#include "config.h"

#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array-private.h"
#include "expr-private.h"

#define EXPR_STACK 128          /* fixed evaluation stack, in values */
#define EXPR_MAX_NEST 128       /* hard nesting cap, whatever max_depth says */
#define JUMP_PENDING (UINT32_MAX - 1) /* a missing-jump not yet resolved */
#define JUMP_RETURN UINT32_MAX  /* a missing fact ends the evaluation */
#define MAX_CODE (UINT32_MAX - 2)

enum opcode {
    OP_PUSH,        /* push imm.i */
    OP_PUSH_STR,    /* push string imm.s, b bytes */
    OP_PUSH_LIST,   /* push list imm.list, b values */
    OP_LOAD,        /* push slots[a]; absent: missing-jump (b, imm.i) */
    OP_LOAD_BOOL,   /* push bool slots[a] as a tri-state */
    OP_CHECK,       /* top is a tri-state: missing -> missing-jump */
    OP_NEG,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_EQ_K,        /* compare the top with imm.i */
    OP_NE_K,
    OP_LT_K,
    OP_LE_K,
    OP_GT_K,
    OP_GE_K,
    OP_SEQ,         /* string equality */
    OP_SNE,
    OP_NOT,         /* Kleene not, and, or on tri-states */
    OP_AND,
    OP_OR,
    OP_JFALSE,      /* jump to b if the top is 0; keep it */
    OP_JTRUE,       /* jump to b if the top is 1; keep it */
    OP_IN_K,        /* top in constant int list imm.list[b]; flag: negate */
    OP_IN_KS,       /* top in constant string list */
    OP_IN,          /* x in list (both on the stack); flag: negate */
    OP_IN_S,
    OP_MATCH,       /* top matches regex imm.re */
    OP_MIN,
    OP_MAX,
    OP_ABS,
    OP_ROUND,
    OP_DAYS,        /* d2 - d1 */
    OP_LEN_S,
    OP_LEN_L,
    OP_RET,
    OP_RET_BOOL     /* return a tri-state */
};

struct op {
    uint8_t code;
    uint8_t flag;
    uint16_t a;
    uint32_t b;
    union {
        int64_t i;
        const char *s;
        const struct zf__value *list;
        const void *re;
    } imm;
};

struct zf__expr {
    const uint16_t *slots;
    const char *source;
    uint32_t n_slots;
    uint32_t n_code;
    uint32_t stack_need;
    enum zf__type type;
    struct op code[];
};

const char *
zf__type_name(enum zf__type t)
{
    switch (t) {
    case ZF_TYPE_NONE:
        return "any";
    case ZF_TYPE_BOOL:
        return "bool";
    case ZF_TYPE_INT:
        return "int";
    case ZF_TYPE_MONEY:
        return "money";
    case ZF_TYPE_STRING:
        return "string";
    case ZF_TYPE_DATE:
        return "date";
    case ZF_TYPE_ENUM:
        return "enum";
    case ZF_TYPE_LIST:
        return "list";
    }
    return "?";
}

/* ------------------------------------------------------------------ */
/* Lexer                                                                */
/* ------------------------------------------------------------------ */

enum tok_kind {
    T_EOF,
    T_INT,
    T_STR,
    T_NAME,
    T_AND,
    T_OR,
    T_NOT,
    T_IN,
    T_MATCHES,
    T_TRUE,
    T_FALSE,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_PERCENT,
    T_LPAREN,
    T_RPAREN,
    T_LBRACK,
    T_RBRACK,
    T_COMMA
};

struct token {
    enum tok_kind kind;
    size_t off;
    size_t len;
    int64_t ival;
};

/* What a parsed sub-expression is. */
enum operand_kind {
    K_EXPR,
    K_STR_LIT,      /* a lone string literal: one OP_PUSH_STR at start */
    K_LIST_LIT      /* a lone list literal: one OP_PUSH_LIST at start */
};

struct operand {
    enum zf__type type;
    enum zf__type elem;             /* for lists */
    const struct zf__fact *en;      /* enum (or list of enum) source fact */
    enum operand_kind kind;
    bool tri;                       /* leaves a tri-state bool */
    size_t start;                   /* index of its first op */
    unsigned depth0;                /* stack depth before its code */
    size_t offset;                  /* source offset, for messages */
};

struct parser {
    const struct zf__expr_env *env;
    struct zf__expr_diag *diag;
    const char *src;
    size_t len;
    struct token tok;
    unsigned nest;
    unsigned nest_limit;
    struct op *code;
    size_t n_code;
    size_t cap_code;
    unsigned depth;
    unsigned max_depth;
    uint16_t *slots;
    size_t n_slots;
    size_t cap_slots;
    struct zf__value *tmp;          /* list literal being parsed */
    size_t cap_tmp;
};

static zf_status fail(struct parser *p, zf_status code, int diag,
                      size_t offset, const char *fmt, ...) ZF_PRINTF(5, 6);

static zf_status
fail(struct parser *p, zf_status code, int diag, size_t offset,
     const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    p->diag->code = code;
    p->diag->diag = diag;
    p->diag->offset = offset;
    zf__strlcpy_utf8(p->diag->message, sizeof(p->diag->message), buf);
    return code;
}

static zf_status
nomem(struct parser *p)
{
    return fail(p, ZF_ENOMEM, ZF_DIAG_NOMEM, p->tok.off, "out of memory");
}

/* At most `max` bytes of [s, s+n), cut on a UTF-8 boundary. */
static int
clip(const char *s, size_t n, size_t max)
{
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_ident(char c)
{
    return is_ident_start(c) || is_digit(c);
}

static const struct {
    const char *word;
    enum tok_kind kind;
} keywords[] = {
    {"and", T_AND},     {"or", T_OR},     {"not", T_NOT},
    {"in", T_IN},       {"matches", T_MATCHES},
    {"true", T_TRUE},   {"false", T_FALSE},
};

static zf_status
lex_string(struct parser *p, size_t pos, struct token *t)
{
    const char *s = p->src;
    size_t i = pos + 1;

    while (i < p->len && s[i] != '"') {
        if (s[i] == '\\') {
            if (i + 1 >= p->len) {
                i = p->len;
                break;
            }
            if (s[i + 1] != '"' && s[i + 1] != '\\' && s[i + 1] != 'n' &&
                s[i + 1] != 't') {
                uint32_t cp;
                size_t n = zf__utf8_decode(s + i + 1, p->len - i - 1, &cp);
                if (n == 0)
                    n = 1;
                return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, i,
                            "invalid escape '\\%.*s' (use \\\" \\\\ \\n \\t)",
                            (int)n, s + i + 1);
            }
            i += 2;
        } else {
            i++;
        }
    }
    if (i >= p->len)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, pos,
                    "unterminated string");
    if (i - pos - 1 > UINT32_MAX)
        return fail(p, ZF_ELIMIT, ZF_DIAG_LIMIT_EXPR, pos,
                    "string literal too long");
    t->kind = T_STR;
    t->len = i + 1 - pos;
    return ZF_OK;
}

static zf_status
lex_number(struct parser *p, size_t pos, struct token *t)
{
    const char *s = p->src;
    size_t i = pos;
    int64_t v = 0;
    bool overflow = false;

    while (i < p->len && is_digit(s[i])) {
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, s[i] - '0', &v))
            overflow = true;
        i++;
    }
    if (i < p->len && s[i] == '.' && i + 1 < p->len && is_digit(s[i + 1]))
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, pos,
                    "only whole numbers are allowed");
    if (i < p->len && is_ident(s[i])) {
        size_t j = i;
        while (j < p->len && is_ident(s[j]))
            j++;
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, pos,
                    "invalid number '%.*s'", clip(s + pos, j - pos, 40),
                    s + pos);
    }
    if (overflow)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, pos,
                    "integer literal too large");
    t->kind = T_INT;
    t->len = i - pos;
    t->ival = v;
    return ZF_OK;
}

/* Lex the token that starts at or after `pos` into *t. */
static zf_status
lex(struct parser *p, size_t pos, struct token *t)
{
    const char *s = p->src;
    size_t n = p->len, i;
    char c, c2;

    while (pos < n && is_space(s[pos]))
        pos++;
    t->off = pos;
    t->len = 1;
    t->ival = 0;
    if (pos >= n) {
        t->kind = T_EOF;
        t->len = 0;
        return ZF_OK;
    }
    c = s[pos];
    c2 = pos + 1 < n ? s[pos + 1] : '\0';
    if (is_digit(c))
        return lex_number(p, pos, t);
    if (is_ident_start(c)) {
        for (i = pos; i < n && is_ident(s[i]); i++)
            ;
        t->len = i - pos;
        t->kind = T_NAME;
        for (i = 0; i < ZF_ARRAY_SIZE(keywords); i++)
            if (strlen(keywords[i].word) == t->len &&
                memcmp(keywords[i].word, s + pos, t->len) == 0)
                t->kind = keywords[i].kind;
        return ZF_OK;
    }
    switch (c) {
    case '"':
        return lex_string(p, pos, t);
    case '=':
        if (c2 == '=') {
            t->kind = T_EQ;
            t->len = 2;
            return ZF_OK;
        }
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, pos,
                    "unexpected '=' (did you mean '=='?)");
    case '!':
        if (c2 == '=') {
            t->kind = T_NE;
            t->len = 2;
            return ZF_OK;
        }
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, pos,
                    "unexpected '!' (use 'not' or '!=')");
    case '<':
        t->kind = c2 == '=' ? T_LE : T_LT;
        t->len = c2 == '=' ? 2 : 1;
        return ZF_OK;
    case '>':
        t->kind = c2 == '=' ? T_GE : T_GT;
        t->len = c2 == '=' ? 2 : 1;
        return ZF_OK;
    case '+':
        t->kind = T_PLUS;
        return ZF_OK;
    case '-':
        t->kind = T_MINUS;
        return ZF_OK;
    case '*':
        t->kind = T_STAR;
        return ZF_OK;
    case '/':
        t->kind = T_SLASH;
        return ZF_OK;
    case '%':
        t->kind = T_PERCENT;
        return ZF_OK;
    case '(':
        t->kind = T_LPAREN;
        return ZF_OK;
    case ')':
        t->kind = T_RPAREN;
        return ZF_OK;
    case '[':
        t->kind = T_LBRACK;
        return ZF_OK;
    case ']':
        t->kind = T_RBRACK;
        return ZF_OK;
    case ',':
        t->kind = T_COMMA;
        return ZF_OK;
    default:
        break;
    }
    {
        uint32_t cp;
        size_t cl = zf__utf8_decode(s + pos, n - pos, &cp);

        if (cl == 0)
            return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, pos,
                        "unexpected byte 0x%02X", (unsigned)(unsigned char)c);
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, pos,
                    "unexpected character '%.*s'", (int)cl, s + pos);
    }
}

static zf_status
next(struct parser *p)
{
    return lex(p, p->tok.off + p->tok.len, &p->tok);
}

static zf_status
unexpected(struct parser *p)
{
    const struct token *t = &p->tok;

    if (t->kind == T_EOF)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, t->off,
                    "unexpected end of expression");
    return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, t->off,
                "unexpected '%.*s'", clip(p->src + t->off, t->len, 40),
                p->src + t->off);
}

static zf_status
expect(struct parser *p, enum tok_kind kind, const char *what)
{
    if (p->tok.kind != kind)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, p->tok.off,
                    "expected %s", what);
    return next(p);
}

/* ------------------------------------------------------------------ */
/* Code emission                                                        */
/* ------------------------------------------------------------------ */

#define TRY(x)                          \
    do {                                \
        zf_status try_rc_ = (x);        \
        if (try_rc_ != ZF_OK)           \
            return try_rc_;             \
    } while (0)

/* Append an op that changes the stack depth by `delta`; the op is zeroed
 * apart from its code. The pointer is valid until the next emit. */
static zf_status
emit(struct parser *p, enum opcode code, int delta, struct op **out)
{
    struct op *op;

    if (p->n_code == p->cap_code && p->n_code >= MAX_CODE)
        return fail(p, ZF_ELIMIT, ZF_DIAG_LIMIT_EXPR, p->tok.off,
                    "expression too long");
    if (!ZF_ARRAY_RESERVE(p->env->ctx, p->code, p->n_code, p->cap_code, 32))
        return nomem(p);
    op = &p->code[p->n_code++];
    memset(op, 0, sizeof(*op));
    op->code = (uint8_t)code;
    p->depth = (unsigned)((int)p->depth + delta);
    if (p->depth > p->max_depth) {
        p->max_depth = p->depth;
        if (p->max_depth > EXPR_STACK)
            return fail(p, ZF_ELIMIT, ZF_DIAG_LIMIT_EXPR, p->tok.off,
                        "expression needs more than %d stack entries",
                        EXPR_STACK);
    }
    if (out)
        *out = op;
    return ZF_OK;
}

static zf_status
emit_int(struct parser *p, int64_t v)
{
    struct op *op;

    TRY(emit(p, OP_PUSH, 1, &op));
    op->imm.i = v;
    return ZF_OK;
}

static zf_status
emit_load(struct parser *p, const struct zf__fact *f)
{
    struct op *op = NULL;

    TRY(emit(p, OP_LOAD, 1, &op));
    if (NEVER(!op))
        return nomem(p);
    op->a = f->slot;
    op->b = JUMP_PENDING;
    if (!ZF_ARRAY_RESERVE(p->env->ctx, p->slots, p->n_slots, p->cap_slots,
                          16))
        return nomem(p);
    p->slots[p->n_slots++] = f->slot;
    return ZF_OK;
}

/* The operand is exactly the last op emitted, with opcode `code`. */
static bool
is_lone(const struct parser *p, const struct operand *o, enum opcode code)
{
    return o->start + 1 == p->n_code && p->code[o->start].code == code;
}

static void
begin(const struct parser *p, struct operand *o)
{
    memset(o, 0, sizeof(*o));
    o->start = p->n_code;
    o->depth0 = p->depth;
    o->offset = p->tok.off;
}

static bool
numeric(enum zf__type t)
{
    return t == ZF_TYPE_INT || t == ZF_TYPE_MONEY;
}

/* The operand must be a plain value: check a tri-state for "missing". */
static zf_status
untri(struct parser *p, struct operand *o)
{
    struct op *op;

    if (!o->tri)
        return ZF_OK;
    TRY(emit(p, OP_CHECK, 0, &op));
    op->b = JUMP_PENDING;
    o->tri = false;
    return ZF_OK;
}

/* Make a bool operand of and/or/not a boundary (see the top comment). */
static zf_status
boundary(struct parser *p, struct operand *o, const char *opname)
{
    size_t i;

    if (o->type != ZF_TYPE_BOOL)
        return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, o->offset,
                    "operand of '%s' must be bool, got %s", opname,
                    zf__type_name(o->type));
    if (o->tri)
        return ZF_OK;
    if (is_lone(p, o, OP_LOAD)) {
        p->code[o->start].code = OP_LOAD_BOOL;
        p->code[o->start].b = 0;
    } else {
        for (i = o->start; i < p->n_code; i++) {
            struct op *op = &p->code[i];
            if ((op->code == OP_LOAD || op->code == OP_CHECK) &&
                op->b == JUMP_PENDING) {
                op->b = (uint32_t)p->n_code;
                op->imm.i = o->depth0;
            }
        }
    }
    o->tri = true;
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* Names and values                                                     */
/* ------------------------------------------------------------------ */

enum func_id {
    F_MIN,
    F_MAX,
    F_ABS,
    F_ROUND,
    F_DAYS_BETWEEN,
    F_DATE,
    F_LEN
};

static const struct {
    const char *name;
    enum func_id id;
    unsigned arity;
} functions[] = {
    {"min", F_MIN, 2},   {"max", F_MAX, 2},
    {"abs", F_ABS, 1},   {"round", F_ROUND, 2},
    {"days_between", F_DAYS_BETWEEN, 2},
    {"date", F_DATE, 1}, {"len", F_LEN, 1},
};

struct best {
    const char *name;
    unsigned cap;
};

static void
consider(struct best *b, const char *key, const char *cand)
{
    unsigned d;

    if (!cand || b->cap == 0)
        return;
    d = zf__edit_distance(key, cand, b->cap);
    if (d < b->cap) {
        b->cap = d;
        b->name = cand;
    }
}

static bool
name_eq(const char *name, const char *s, size_t n)
{
    return name && strncmp(name, s, n) == 0 && name[n] == '\0';
}

static const struct zf__fact *
find_fact(const struct zf__schema *sc, const char *s, size_t n)
{
    size_t i;

    if (!sc)
        return NULL;
    for (i = 0; i < sc->n_facts; i++)
        if (name_eq(sc->facts[i].name, s, n))
            return &sc->facts[i];
    for (i = 0; i < sc->n_builtins; i++)
        if (name_eq(sc->builtins[i].name, s, n))
            return &sc->builtins[i];
    return NULL;
}

/* Fail with "unknown <what> 'name'", suggesting the closest candidate. */
static zf_status
unknown_name(struct parser *p, const struct token *t, bool func)
{
    const struct zf__schema *sc = p->env->schema;
    const char *s = p->src + t->off;
    char key[65];
    struct best b = {NULL, 0};
    size_t i;

    if (t->len < sizeof(key)) {
        unsigned thr = (unsigned)t->len / 3;

        memcpy(key, s, t->len);
        key[t->len] = '\0';
        b.cap = (thr > 2 ? thr : 2) + 1;
        if (func) {
            for (i = 0; i < ZF_ARRAY_SIZE(functions); i++)
                consider(&b, key, functions[i].name);
        } else if (sc) {
            for (i = 0; i < sc->n_facts; i++)
                consider(&b, key, sc->facts[i].name);
            for (i = 0; i < sc->n_builtins; i++)
                consider(&b, key, sc->builtins[i].name);
        }
    }
    if (!func) {
        for (i = 0; i < ZF_ARRAY_SIZE(functions); i++)
            if (name_eq(functions[i].name, s, t->len))
                return fail(p, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_NAME, t->off,
                            "'%s' is a function; call it as %s(...)",
                            functions[i].name, functions[i].name);
    }
    if (b.name)
        return fail(p, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_NAME, t->off,
                    "unknown %s '%.*s' (did you mean '%s'?)",
                    func ? "function" : "fact", clip(s, t->len, 64), s,
                    b.name);
    return fail(p, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_NAME, t->off,
                "unknown %s '%.*s'", func ? "function" : "fact",
                clip(s, t->len, 64), s);
}

/* Decode the string token into the arena (NUL-terminated). */
static zf_status
string_value(struct parser *p, const struct token *t, const char **out,
             uint32_t *out_len)
{
    size_t i, n = 0, end = t->off + t->len - 1;
    char *buf = zf__arena_alloc(p->env->arena, t->len - 1, 1);

    if (!buf)
        return nomem(p);
    for (i = t->off + 1; i < end; i++) {
        char c = p->src[i];
        if (c == '\\') {
            c = p->src[++i];
            if (c == 'n')
                c = '\n';
            else if (c == 't')
                c = '\t';
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    *out = buf;
    *out_len = (uint32_t)n;
    return ZF_OK;
}

/* Byte offset in the source of byte `k` of a string token's value. */
static size_t
string_offset(const struct parser *p, const struct token *t, size_t k)
{
    size_t i = t->off + 1, end = t->off + t->len - 1, n = 0;

    while (i < end && n < k) {
        i += p->src[i] == '\\' ? 2 : 1;
        n++;
    }
    return i;
}

/* The index of string s in the enum fact f's values, or fail. */
static zf_status
enum_index(struct parser *p, const struct zf__fact *f, const char *s,
           size_t n, size_t offset, int64_t *idx)
{
    char allowed[300];
    size_t i, used = 0;

    for (i = 0; i < f->n_enum_values; i++) {
        if (name_eq(f->enum_values[i], s, n)) {
            *idx = (int64_t)i;
            return ZF_OK;
        }
    }
    allowed[0] = '\0';
    for (i = 0; i < f->n_enum_values && used < sizeof(allowed) - 1; i++) {
        int w = snprintf(allowed + used, sizeof(allowed) - used, "%s\"%s\"",
                         i ? ", " : "", f->enum_values[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, offset,
                "\"%.*s\" is not a value of '%s' (allowed: %s)",
                clip(s, n, 64), s, f->name, allowed);
}

static bool
same_enum(const struct zf__fact *a, const struct zf__fact *b)
{
    size_t i;

    if (a == b || a->enum_values == b->enum_values)
        return a->n_enum_values == b->n_enum_values;
    if (a->n_enum_values != b->n_enum_values)
        return false;
    for (i = 0; i < a->n_enum_values; i++)
        if (strcmp(a->enum_values[i], b->enum_values[i]) != 0)
            return false;
    return true;
}

/* Rewrite a lone string literal operand into the enum index of `f`. */
static zf_status
literal_to_enum(struct parser *p, struct operand *o, const struct zf__fact *f)
{
    struct op *op = &p->code[o->start];
    int64_t idx = 0;

    TRY(enum_index(p, f, op->imm.s, op->b, o->offset, &idx));
    op->code = OP_PUSH;
    op->b = 0;
    op->imm.i = idx;
    o->type = ZF_TYPE_ENUM;
    o->en = f;
    o->kind = K_EXPR;
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* Parser                                                               */
/* ------------------------------------------------------------------ */

static zf_status parse_or(struct parser *p, struct operand *o);

static zf_status
nest_enter(struct parser *p)
{
    if (p->nest >= p->nest_limit)
        return fail(p, ZF_ELIMIT, ZF_DIAG_LIMIT_EXPR, p->tok.off,
                    "expression nested too deeply (limit %u)", p->nest_limit);
    p->nest++;
    return ZF_OK;
}

/*
 * list := "[" literal ("," literal)* "]". With `lhs` an enum, string
 * literals become the enum's indexes. The values go to the arena.
 */
static zf_status
parse_list(struct parser *p, const struct operand *lhs,
           const struct zf__value **out, uint32_t *out_n,
           enum zf__type *elem, const struct zf__fact **en)
{
    size_t n = 0;
    struct zf__value *vals;
    const struct zf__fact *to_enum =
        lhs && lhs->type == ZF_TYPE_ENUM ? lhs->en : NULL;

    *elem = ZF_TYPE_NONE;
    *en = NULL;
    TRY(next(p)); /* '[' */
    for (;;) {
        struct zf__value v;
        enum zf__type t;
        size_t off = p->tok.off;

        memset(&v, 0, sizeof(v));
        switch (p->tok.kind) {
        case T_INT:
            t = ZF_TYPE_INT;
            v.u.i = p->tok.ival;
            break;
        case T_MINUS:
            TRY(next(p));
            if (p->tok.kind != T_INT)
                return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, p->tok.off,
                            "expected an integer after '-'");
            t = ZF_TYPE_INT;
            v.u.i = -p->tok.ival;
            break;
        case T_TRUE:
        case T_FALSE:
            t = ZF_TYPE_BOOL;
            v.u.i = p->tok.kind == T_TRUE;
            break;
        case T_STR:
            t = ZF_TYPE_STRING;
            TRY(string_value(p, &p->tok, &v.u.str.s, &v.u.str.len));
            if (to_enum) {
                TRY(enum_index(p, to_enum, v.u.str.s, v.u.str.len, off,
                               &v.u.i));
                t = ZF_TYPE_ENUM;
            }
            break;
        case T_EOF:
            return unexpected(p);
        default:
            return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, off,
                        "list elements must be literals");
        }
        if (*elem == ZF_TYPE_NONE)
            *elem = t;
        else if (*elem != t)
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                        "list elements must all have the same type, "
                        "got %s and %s", zf__type_name(*elem),
                        zf__type_name(t));
        if (n == p->cap_tmp && n >= UINT32_MAX)
            return fail(p, ZF_ELIMIT, ZF_DIAG_LIMIT_EXPR, off,
                        "list too long");
        if (!ZF_ARRAY_RESERVE(p->env->ctx, p->tmp, n, p->cap_tmp, 16))
            return nomem(p);
        p->tmp[n++] = v;
        TRY(next(p));
        if (p->tok.kind == T_COMMA) {
            TRY(next(p));
            continue;
        }
        if (p->tok.kind == T_RBRACK)
            break;
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, p->tok.off,
                    "expected ',' or ']'");
    }
    TRY(next(p)); /* ']' */
    vals = ZF_ARENA_NEWN(p->env->arena, struct zf__value, n);
    if (!vals)
        return nomem(p);
    memcpy(vals, p->tmp, n * sizeof(*vals));
    *out = vals;
    *out_n = (uint32_t)n;
    if (to_enum)
        *en = to_enum;
    return ZF_OK;
}

static zf_status
type_error2(struct parser *p, size_t off, const char *fname,
            const struct operand *a, const struct operand *b,
            const char *need)
{
    return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                "%s() needs %s, got %s and %s", fname, need,
                zf__type_name(a->type), zf__type_name(b->type));
}

static zf_status
parse_call(struct parser *p, struct operand *o)
{
    struct token name = p->tok;
    struct operand args[2];
    unsigned n = 0;
    size_t fi;
    const char *fname = NULL;
    enum func_id id = F_MIN;
    unsigned arity = 0;
    enum opcode code = OP_MIN;
    int delta = -1;

    for (fi = 0; fi < ZF_ARRAY_SIZE(functions); fi++) {
        if (name_eq(functions[fi].name, p->src + name.off, name.len)) {
            fname = functions[fi].name;
            id = functions[fi].id;
            arity = functions[fi].arity;
        }
    }
    if (!fname)
        return unknown_name(p, &name, true);
    TRY(next(p)); /* name */
    TRY(nest_enter(p));
    TRY(next(p)); /* '(' */
    if (p->tok.kind != T_RPAREN) {
        for (;;) {
            struct operand a;

            TRY(parse_or(p, &a));
            if (n < 2)
                args[n] = a;
            n++;
            if (p->tok.kind != T_COMMA)
                break;
            TRY(next(p));
        }
    }
    if (p->tok.kind != T_RPAREN)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, p->tok.off,
                    n ? "expected ',' or ')'" : "expected ')'");
    TRY(next(p));
    p->nest--;
    if (n != arity)
        return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, name.off,
                    "%s() takes %u argument%s, got %u", fname, arity,
                    arity == 1 ? "" : "s", n);
    o->type = ZF_TYPE_INT;
    switch (id) {
    case F_MIN:
    case F_MAX:
        if (numeric(args[0].type) && numeric(args[1].type))
            o->type = args[0].type == ZF_TYPE_MONEY ||
                              args[1].type == ZF_TYPE_MONEY
                          ? ZF_TYPE_MONEY
                          : ZF_TYPE_INT;
        else if (args[0].type == ZF_TYPE_DATE &&
                 args[1].type == ZF_TYPE_DATE)
            o->type = ZF_TYPE_DATE;
        else
            return type_error2(p, name.off, fname, &args[0], &args[1],
                               "two int/money or two date arguments");
        code = id == F_MIN ? OP_MIN : OP_MAX;
        delta = -1;
        break;
    case F_ABS:
        if (!numeric(args[0].type))
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, name.off,
                        "abs() needs an int or money argument, got %s",
                        zf__type_name(args[0].type));
        o->type = args[0].type;
        code = OP_ABS;
        delta = 0;
        break;
    case F_ROUND:
        if (!numeric(args[0].type) || !numeric(args[1].type))
            return type_error2(p, name.off, fname, &args[0], &args[1],
                               "int or money arguments");
        o->type = args[0].type == ZF_TYPE_MONEY ||
                          args[1].type == ZF_TYPE_MONEY
                      ? ZF_TYPE_MONEY
                      : ZF_TYPE_INT;
        code = OP_ROUND;
        delta = -1;
        break;
    case F_DAYS_BETWEEN:
        if (args[0].type != ZF_TYPE_DATE || args[1].type != ZF_TYPE_DATE)
            return type_error2(p, name.off, fname, &args[0], &args[1],
                               "two dates");
        code = OP_DAYS;
        delta = -1;
        break;
    case F_LEN:
        if (args[0].type == ZF_TYPE_STRING)
            code = OP_LEN_S;
        else if (args[0].type == ZF_TYPE_LIST)
            code = OP_LEN_L;
        else
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, name.off,
                        "len() needs a list or a string, got %s",
                        zf__type_name(args[0].type));
        delta = 0;
        break;
    case F_DATE:
    default: {
        struct op *op = &p->code[args[0].start];
        int32_t days;

        if (args[0].kind != K_STR_LIT || !is_lone(p, &args[0], OP_PUSH_STR))
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, args[0].offset,
                        "date() needs a string literal \"YYYY-MM-DD\"");
        if (!zf__parse_date(op->imm.s, op->b, &days))
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, args[0].offset,
                        "invalid date \"%.*s\" (expected YYYY-MM-DD)",
                        clip(op->imm.s, op->b, 40), op->imm.s);
        op->code = OP_PUSH;
        op->b = 0;
        op->imm.i = days;
        o->type = ZF_TYPE_DATE;
        return ZF_OK;
    }
    }
    return emit(p, code, delta, NULL);
}

static zf_status
parse_primary(struct parser *p, struct operand *o)
{
    struct op *op;

    switch (p->tok.kind) {
    case T_INT:
        o->type = ZF_TYPE_INT;
        TRY(emit_int(p, p->tok.ival));
        return next(p);
    case T_TRUE:
    case T_FALSE:
        o->type = ZF_TYPE_BOOL;
        TRY(emit_int(p, p->tok.kind == T_TRUE));
        return next(p);
    case T_STR: {
        const char *s;
        uint32_t n;

        TRY(string_value(p, &p->tok, &s, &n));
        TRY(emit(p, OP_PUSH_STR, 1, &op));
        op->imm.s = s;
        op->b = n;
        o->type = ZF_TYPE_STRING;
        o->kind = K_STR_LIT;
        return next(p);
    }
    case T_LPAREN:
        TRY(nest_enter(p));
        TRY(next(p));
        TRY(parse_or(p, o));
        p->nest--;
        return expect(p, T_RPAREN, "')'");
    case T_LBRACK: {
        const struct zf__value *vals;
        uint32_t n;

        TRY(parse_list(p, NULL, &vals, &n, &o->elem, &o->en));
        TRY(emit(p, OP_PUSH_LIST, 1, &op));
        op->imm.list = vals;
        op->b = n;
        o->type = ZF_TYPE_LIST;
        o->kind = K_LIST_LIT;
        return ZF_OK;
    }
    case T_NAME: {
        struct token after;
        const struct zf__fact *f;

        TRY(lex(p, p->tok.off + p->tok.len, &after));
        if (after.kind == T_LPAREN)
            return parse_call(p, o);
        f = find_fact(p->env->schema, p->src + p->tok.off, p->tok.len);
        if (!f)
            return unknown_name(p, &p->tok, false);
        TRY(emit_load(p, f));
        o->type = f->type;
        o->elem = f->elem;
        o->en = f;
        return next(p);
    }
    default:
        return unexpected(p);
    }
}

static zf_status
parse_unary(struct parser *p, struct operand *o)
{
    size_t off;

    if (p->tok.kind != T_MINUS) {
        begin(p, o);
        return parse_primary(p, o);
    }
    off = p->tok.off;
    TRY(nest_enter(p));
    TRY(next(p));
    TRY(parse_unary(p, o));
    p->nest--;
    if (!numeric(o->type))
        return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                    "operand of unary '-' must be int or money, got %s",
                    zf__type_name(o->type));
    if (is_lone(p, o, OP_PUSH))
        p->code[o->start].imm.i = -p->code[o->start].imm.i;
    else
        TRY(emit(p, OP_NEG, 0, NULL));
    o->offset = off;
    o->kind = K_EXPR;
    return ZF_OK;
}

/* The result type of `a op b` for an arithmetic operator, or NONE. */
static enum zf__type
arith_type(enum tok_kind op, enum zf__type a, enum zf__type b)
{
    bool money = a == ZF_TYPE_MONEY || b == ZF_TYPE_MONEY;

    switch (op) {
    case T_PLUS:
        if (numeric(a) && numeric(b))
            return money ? ZF_TYPE_MONEY : ZF_TYPE_INT;
        if ((a == ZF_TYPE_DATE && b == ZF_TYPE_INT) ||
            (a == ZF_TYPE_INT && b == ZF_TYPE_DATE))
            return ZF_TYPE_DATE;
        return ZF_TYPE_NONE;
    case T_MINUS:
        if (numeric(a) && numeric(b))
            return money ? ZF_TYPE_MONEY : ZF_TYPE_INT;
        if (a == ZF_TYPE_DATE && b == ZF_TYPE_INT)
            return ZF_TYPE_DATE;
        return ZF_TYPE_NONE;
    case T_STAR:
        if (numeric(a) && numeric(b) && !(a == ZF_TYPE_MONEY &&
                                          b == ZF_TYPE_MONEY))
            return money ? ZF_TYPE_MONEY : ZF_TYPE_INT;
        return ZF_TYPE_NONE;
    case T_SLASH:
    case T_PERCENT:
        if (numeric(a) && b == ZF_TYPE_INT)
            return a;
        return ZF_TYPE_NONE;
    default:
        return ZF_TYPE_NONE;
    }
}

static zf_status
parse_binary(struct parser *p, struct operand *o, bool additive)
{
    if (additive)
        TRY(parse_binary(p, o, false));
    else
        TRY(parse_unary(p, o));
    for (;;) {
        enum tok_kind op = p->tok.kind;
        size_t off = p->tok.off;
        struct operand r;
        enum zf__type t;
        enum opcode code;

        if (additive ? (op != T_PLUS && op != T_MINUS)
                     : (op != T_STAR && op != T_SLASH && op != T_PERCENT))
            return ZF_OK;
        TRY(next(p));
        if (additive)
            TRY(parse_binary(p, &r, false));
        else
            TRY(parse_unary(p, &r));
        t = arith_type(op, o->type, r.type);
        if (t == ZF_TYPE_NONE) {
            if (op == T_MINUS && o->type == ZF_TYPE_DATE &&
                r.type == ZF_TYPE_DATE)
                return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                            "operator '-' cannot be applied to date and "
                            "date (use days_between)");
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                        "operator '%c' cannot be applied to %s and %s",
                        p->src[off], zf__type_name(o->type),
                        zf__type_name(r.type));
        }
        code = op == T_PLUS    ? OP_ADD
               : op == T_MINUS ? OP_SUB
               : op == T_STAR  ? OP_MUL
               : op == T_SLASH ? OP_DIV
                               : OP_MOD;
        TRY(emit(p, code, -1, NULL));
        o->type = t;
        o->kind = K_EXPR;
        o->en = NULL;
    }
}

static bool
is_cmp(enum tok_kind k)
{
    return k >= T_EQ && k <= T_GE;
}

static zf_status
parse_compare(struct parser *p, struct operand *o)
{
    enum tok_kind op = p->tok.kind;
    size_t off = p->tok.off;
    int olen = (int)p->tok.len;
    struct operand r;
    bool str = false, ordered;

    TRY(next(p));
    TRY(untri(p, o));
    TRY(parse_binary(p, &r, true));
    TRY(untri(p, &r));
    if ((numeric(o->type) && numeric(r.type)) ||
        (o->type == ZF_TYPE_DATE && r.type == ZF_TYPE_DATE)) {
        ordered = true;
    } else if (o->type == ZF_TYPE_BOOL && r.type == ZF_TYPE_BOOL) {
        ordered = false;
    } else if (o->type == ZF_TYPE_STRING && r.type == ZF_TYPE_STRING) {
        ordered = false;
        str = true;
    } else if (o->type == ZF_TYPE_ENUM && r.type == ZF_TYPE_ENUM) {
        if (!same_enum(o->en, r.en))
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                        "cannot compare enum '%s' with enum '%s' "
                        "(different values)", o->en->name, r.en->name);
        ordered = false;
    } else if (o->type == ZF_TYPE_ENUM && r.kind == K_STR_LIT &&
               is_lone(p, &r, OP_PUSH_STR)) {
        TRY(literal_to_enum(p, &r, o->en));
        ordered = false;
    } else if (r.type == ZF_TYPE_ENUM && o->kind == K_STR_LIT &&
               o->start + 1 == r.start &&
               p->code[o->start].code == OP_PUSH_STR) {
        TRY(literal_to_enum(p, o, r.en));
        ordered = false;
    } else if ((o->type == ZF_TYPE_DATE && r.type == ZF_TYPE_STRING) ||
               (o->type == ZF_TYPE_STRING && r.type == ZF_TYPE_DATE)) {
        return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                    "cannot compare date with string "
                    "(write date(\"YYYY-MM-DD\"))");
    } else {
        return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                    "cannot compare %s with %s", zf__type_name(o->type),
                    zf__type_name(r.type));
    }
    if (!ordered && op != T_EQ && op != T_NE)
        return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                    "operator '%.*s' cannot be applied to %s", olen,
                    p->src + off, zf__type_name(o->type));
    if (str) {
        TRY(emit(p, op == T_EQ ? OP_SEQ : OP_SNE, -1, NULL));
    } else if (is_lone(p, &r, OP_PUSH)) {
        /* fuse "push constant; compare" */
        struct op *k = &p->code[r.start];

        k->code = (uint8_t)(OP_EQ_K + (op - T_EQ));
        p->depth--;
    } else {
        TRY(emit(p, (enum opcode)(OP_EQ + (op - T_EQ)), -1, NULL));
    }
    o->type = ZF_TYPE_BOOL;
    o->kind = K_EXPR;
    o->en = NULL;
    return ZF_OK;
}

/* Can a value of operand o be looked for in a list of `elem`? */
static zf_status
check_in(struct parser *p, struct operand *o, enum zf__type elem,
         const struct zf__fact *elem_en, size_t off, bool *str)
{
    *str = false;
    if (numeric(o->type) && numeric(elem))
        return ZF_OK;
    if (o->type == elem &&
        (elem == ZF_TYPE_BOOL || elem == ZF_TYPE_DATE))
        return ZF_OK;
    if (o->type == ZF_TYPE_STRING && elem == ZF_TYPE_STRING) {
        *str = true;
        return ZF_OK;
    }
    if (o->type == ZF_TYPE_ENUM && elem == ZF_TYPE_ENUM && elem_en &&
        same_enum(o->en, elem_en))
        return ZF_OK;
    if (o->kind == K_STR_LIT && elem == ZF_TYPE_ENUM && elem_en &&
        is_lone(p, o, OP_PUSH_STR))
        return literal_to_enum(p, o, elem_en);
    return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                "cannot look for %s in a list of %s",
                zf__type_name(o->type), zf__type_name(elem));
}

static zf_status
parse_in(struct parser *p, struct operand *o, bool negate)
{
    size_t off = p->tok.off;
    struct op *op;
    bool str;

    if (negate)
        TRY(next(p)); /* "not" */
    TRY(next(p));     /* "in" */
    TRY(untri(p, o));
    if (p->tok.kind == T_LBRACK) {
        const struct zf__value *vals;
        uint32_t n;
        enum zf__type elem;
        const struct zf__fact *en;

        TRY(parse_list(p, o, &vals, &n, &elem, &en));
        TRY(check_in(p, o, elem, en, off, &str));
        TRY(emit(p, str ? OP_IN_KS : OP_IN_K, 0, &op));
        op->imm.list = vals;
        op->b = n;
        op->flag = negate;
    } else if (p->tok.kind == T_NAME) {
        const struct zf__fact *f =
            find_fact(p->env->schema, p->src + p->tok.off, p->tok.len);

        if (!f)
            return unknown_name(p, &p->tok, false);
        if (f->type != ZF_TYPE_LIST)
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, p->tok.off,
                        "right side of 'in' must be a list, got %s",
                        zf__type_name(f->type));
        TRY(check_in(p, o, f->elem, f, off, &str));
        TRY(emit_load(p, f));
        TRY(emit(p, str ? OP_IN_S : OP_IN, -1, &op));
        op->flag = negate;
        TRY(next(p));
    } else {
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, p->tok.off,
                    "expected a list or a list fact after 'in'");
    }
    o->type = ZF_TYPE_BOOL;
    o->kind = K_EXPR;
    o->en = NULL;
    return ZF_OK;
}

static zf_status
parse_matches(struct parser *p, struct operand *o)
{
    size_t off = p->tok.off;
    struct token pat;
    const char *s;
    uint32_t n;
    size_t err_off = 0;
    char msg[160];
    void *re;
    struct op *op;

    TRY(next(p));
    if (o->type != ZF_TYPE_STRING)
        return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off,
                    "'matches' needs a string on the left, got %s",
                    zf__type_name(o->type));
    if (p->tok.kind != T_STR)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, p->tok.off,
                    "expected a string pattern after 'matches'");
    pat = p->tok;
    if (!p->env->compile_regex)
        return fail(p, ZF_EREGEX, ZF_DIAG_REGEX, pat.off,
                    "regex not available");
    TRY(string_value(p, &pat, &s, &n));
    msg[0] = '\0';
    re = p->env->compile_regex(p->env->regex_ud, s, n, &err_off, msg,
                               sizeof(msg));
    if (!re) {
        msg[sizeof(msg) - 1] = '\0';
        if (strcmp(msg, ZF__EXPR_REGEX_NOMEM) == 0)
            return nomem(p);
        return fail(p, ZF_EREGEX, ZF_DIAG_REGEX,
                    string_offset(p, &pat, err_off), "invalid regex: %s",
                    msg[0] ? msg : "cannot compile");
    }
    TRY(emit(p, OP_MATCH, 0, &op));
    op->imm.re = re;
    o->type = ZF_TYPE_BOOL;
    o->kind = K_EXPR;
    return next(p);
}

static zf_status
parse_cmp(struct parser *p, struct operand *o)
{
    TRY(parse_binary(p, o, true));
    if (is_cmp(p->tok.kind)) {
        TRY(parse_compare(p, o));
    } else if (p->tok.kind == T_IN) {
        TRY(parse_in(p, o, false));
    } else if (p->tok.kind == T_NOT) {
        struct token after;

        TRY(lex(p, p->tok.off + p->tok.len, &after));
        if (after.kind != T_IN)
            return ZF_OK;
        TRY(parse_in(p, o, true));
    } else if (p->tok.kind == T_MATCHES) {
        TRY(parse_matches(p, o));
    } else {
        return ZF_OK;
    }
    if (is_cmp(p->tok.kind) || p->tok.kind == T_IN ||
        p->tok.kind == T_MATCHES)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, p->tok.off,
                    "comparisons cannot be chained; use 'and'");
    return ZF_OK;
}

static zf_status
parse_not(struct parser *p, struct operand *o)
{
    size_t off;

    if (p->tok.kind != T_NOT)
        return parse_cmp(p, o);
    off = p->tok.off;
    TRY(nest_enter(p));
    TRY(next(p));
    TRY(parse_not(p, o));
    p->nest--;
    TRY(boundary(p, o, "not"));
    TRY(emit(p, OP_NOT, 0, NULL));
    o->offset = off;
    o->kind = K_EXPR;
    return ZF_OK;
}

/* and := not ("and" not)*  /  or := and ("or" and)* */
static zf_status
parse_logic(struct parser *p, struct operand *o, bool is_or)
{
    enum tok_kind kw = is_or ? T_OR : T_AND;
    const char *name = is_or ? "or" : "and";

    if (is_or)
        TRY(parse_logic(p, o, false));
    else
        TRY(parse_not(p, o));
    if (p->tok.kind != kw)
        return ZF_OK;
    TRY(boundary(p, o, name));
    while (p->tok.kind == kw) {
        size_t jump;
        struct operand r;

        TRY(next(p));
        TRY(emit(p, is_or ? OP_JTRUE : OP_JFALSE, 0, NULL));
        jump = p->n_code - 1;
        if (is_or)
            TRY(parse_logic(p, &r, false));
        else
            TRY(parse_not(p, &r));
        TRY(boundary(p, &r, name));
        TRY(emit(p, is_or ? OP_OR : OP_AND, -1, NULL));
        p->code[jump].b = (uint32_t)p->n_code;
    }
    o->kind = K_EXPR;
    return ZF_OK;
}

static zf_status
parse_or(struct parser *p, struct operand *o)
{
    return parse_logic(p, o, true);
}

static int
cmp_slot(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

    return (x > y) - (x < y);
}

static zf_status
finish(struct parser *p, const struct operand *o, enum zf__type type,
       const struct zf__expr **out)
{
    struct zf__expr *e;
    size_t i, n = 0, size;
    uint16_t *slots = NULL;
    char *source;

    TRY(emit(p, o->tri ? OP_RET_BOOL : OP_RET, 0, NULL));
    for (i = p->n_code; i-- > 0;) {
        struct op *op = &p->code[i];

        if ((op->code == OP_LOAD || op->code == OP_CHECK) &&
            op->b == JUMP_PENDING) {
            op->b = JUMP_RETURN;
        } else if (op->code == OP_JFALSE || op->code == OP_JTRUE) {
            /* thread jumps: the value at the target is known */
            const struct op *t = &p->code[op->b];
            if (t->code == op->code)
                op->b = t->b;
            else if (t->code == OP_JFALSE || t->code == OP_JTRUE)
                op->b++;
        }
    }
    if (p->n_slots) {
        qsort(p->slots, p->n_slots, sizeof(*p->slots), cmp_slot);
        for (i = 0; i < p->n_slots; i++)
            if (n == 0 || p->slots[n - 1] != p->slots[i])
                p->slots[n++] = p->slots[i];
        slots = ZF_ARENA_NEWN(p->env->arena, uint16_t, n);
        if (!slots)
            return nomem(p);
        memcpy(slots, p->slots, n * sizeof(*slots));
    }
    source = zf__arena_strndup(p->env->arena, p->src, p->len);
    size = sizeof(*e) + p->n_code * sizeof(struct op);
    e = zf__arena_alloc(p->env->arena, size, _Alignof(struct zf__expr));
    if (!source || !e)
        return nomem(p);
    e->slots = slots;
    e->n_slots = (uint32_t)n;
    e->source = source;
    e->n_code = (uint32_t)p->n_code;
    e->stack_need = p->max_depth;
    e->type = type;
    memcpy(e->code, p->code, p->n_code * sizeof(struct op));
    *out = e;
    return ZF_OK;
}

static zf_status
compile(struct parser *p, enum zf__type want, const struct zf__expr **out)
{
    struct operand o;
    enum zf__type type;

    TRY(lex(p, 0, &p->tok));
    if (p->tok.kind == T_EOF)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, 0,
                    "empty expression");
    TRY(parse_or(p, &o));
    if (p->tok.kind == T_RPAREN)
        return fail(p, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, p->tok.off,
                    "unbalanced ')'");
    if (p->tok.kind != T_EOF)
        return unexpected(p);
    type = o.type;
    if (want == ZF_TYPE_MONEY && type == ZF_TYPE_INT)
        type = ZF_TYPE_MONEY;
    if (want != ZF_TYPE_NONE && type != want) {
        size_t first = 0;

        while (first < p->len && is_space(p->src[first]))
            first++;
        if (want == ZF_TYPE_BOOL)
            return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, first,
                        "condition must be bool, got %s",
                        zf__type_name(type));
        return fail(p, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, first,
                    "expression must be %s, got %s", zf__type_name(want),
                    zf__type_name(type));
    }
    return finish(p, &o, type, out);
}

zf_status
zf__expr_compile(const struct zf__expr **out, const struct zf__expr_env *env,
                 const char *src, size_t len, enum zf__type want,
                 struct zf__expr_diag *diag)
{
    struct zf__expr_diag dummy;
    struct parser p;
    zf_status rc;

    if (!diag)
        diag = &dummy;
    memset(diag, 0, sizeof(*diag));
    if (!out || !env || !env->ctx || !env->arena || (!src && len)) {
        diag->code = ZF_EINVAL;
        diag->diag = ZF_DIAG_INVAL;
        zf__strlcpy_utf8(diag->message, sizeof(diag->message),
                         "invalid arguments");
        return ZF_EINVAL;
    }
    memset(&p, 0, sizeof(p));
    p.env = env;
    p.diag = diag;
    p.src = src ? src : "";
    p.len = len;
    p.nest_limit = env->max_depth < EXPR_MAX_NEST ? env->max_depth
                                                   : EXPR_MAX_NEST;
    rc = compile(&p, want, out);
    zf__free(env->ctx, p.code);
    zf__free(env->ctx, p.slots);
    zf__free(env->ctx, p.tmp);
    if (rc == ZF_OK)
        diag->code = ZF_OK;
    return rc;
}

enum zf__type
zf__expr_type(const struct zf__expr *e)
{
    return e->type;
}

size_t
zf__expr_slots(const struct zf__expr *e, const uint16_t **slots)
{
    *slots = e->slots;
    return e->n_slots;
}

const char *
zf__expr_source(const struct zf__expr *e)
{
    return e->source;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                           */
/* ------------------------------------------------------------------ */

static bool
str_eq(const struct zf__value *a, const struct zf__value *b)
{
    return a->u.str.len == b->u.str.len &&
           (a->u.str.len == 0 ||
            memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0);
}

int
zf__expr_eval(const struct zf__expr *e, const struct zf__expr_ctx *c,
              struct zf__value *out, uint16_t *missing_slot)
{
    struct zf__value stack[EXPR_STACK];
    struct zf__value *sp = stack; /* first free entry */
    const struct op *code = e->code, *pc = code;
    const struct zf__value *slots = c->slots;
    const uint8_t *present = c->present;
    const struct zf__value *list;
    int64_t x, y, q, r;
    uint32_t k, n;
    uint16_t slot;
    int rc;

    for (;;) {
        switch ((enum opcode)pc->code) {
        case OP_PUSH:
            sp->u.i = pc->imm.i;
            sp++;
            break;
        case OP_PUSH_STR:
            sp->u.str.s = pc->imm.s;
            sp->u.str.len = pc->b;
            sp++;
            break;
        case OP_PUSH_LIST:
            sp->u.list.v = pc->imm.list;
            sp->u.list.n = pc->b;
            sp++;
            break;
        case OP_LOAD:
            if (ZF_UNLIKELY(!present[pc->a])) {
                slot = pc->a;
                goto missing;
            }
            *sp++ = slots[pc->a];
            break;
        case OP_LOAD_BOOL:
            sp->u.i = present[pc->a] ? slots[pc->a].u.i != 0
                                     : -1 - (int64_t)pc->a;
            sp++;
            break;
        case OP_CHECK:
            if (ZF_UNLIKELY(sp[-1].u.i < 0)) {
                slot = (uint16_t)(-1 - sp[-1].u.i);
                goto missing;
            }
            break;
        case OP_NEG:
            if (sp[-1].u.i == INT64_MIN)
                return ZF_EINPUT;
            sp[-1].u.i = -sp[-1].u.i;
            break;
        case OP_ADD:
            sp--;
            if (__builtin_add_overflow(sp[-1].u.i, sp[0].u.i, &sp[-1].u.i))
                return ZF_EINPUT;
            break;
        case OP_SUB:
            sp--;
            if (__builtin_sub_overflow(sp[-1].u.i, sp[0].u.i, &sp[-1].u.i))
                return ZF_EINPUT;
            break;
        case OP_MUL:
            sp--;
            if (__builtin_mul_overflow(sp[-1].u.i, sp[0].u.i, &sp[-1].u.i))
                return ZF_EINPUT;
            break;
        case OP_DIV:
            sp--;
            x = sp[-1].u.i;
            y = sp[0].u.i;
            if (y == 0 || (x == INT64_MIN && y == -1))
                return ZF_EINPUT;
            sp[-1].u.i = x / y;
            break;
        case OP_MOD:
            sp--;
            x = sp[-1].u.i;
            y = sp[0].u.i;
            if (y == 0)
                return ZF_EINPUT;
            sp[-1].u.i = y == -1 ? 0 : x % y;
            break;
        case OP_EQ:
            sp--;
            sp[-1].u.i = sp[-1].u.i == sp[0].u.i;
            break;
        case OP_NE:
            sp--;
            sp[-1].u.i = sp[-1].u.i != sp[0].u.i;
            break;
        case OP_LT:
            sp--;
            sp[-1].u.i = sp[-1].u.i < sp[0].u.i;
            break;
        case OP_LE:
            sp--;
            sp[-1].u.i = sp[-1].u.i <= sp[0].u.i;
            break;
        case OP_GT:
            sp--;
            sp[-1].u.i = sp[-1].u.i > sp[0].u.i;
            break;
        case OP_GE:
            sp--;
            sp[-1].u.i = sp[-1].u.i >= sp[0].u.i;
            break;
        case OP_EQ_K:
            sp[-1].u.i = sp[-1].u.i == pc->imm.i;
            break;
        case OP_NE_K:
            sp[-1].u.i = sp[-1].u.i != pc->imm.i;
            break;
        case OP_LT_K:
            sp[-1].u.i = sp[-1].u.i < pc->imm.i;
            break;
        case OP_LE_K:
            sp[-1].u.i = sp[-1].u.i <= pc->imm.i;
            break;
        case OP_GT_K:
            sp[-1].u.i = sp[-1].u.i > pc->imm.i;
            break;
        case OP_GE_K:
            sp[-1].u.i = sp[-1].u.i >= pc->imm.i;
            break;
        case OP_SEQ:
            sp--;
            sp[-1].u.i = str_eq(&sp[-1], &sp[0]);
            break;
        case OP_SNE:
            sp--;
            sp[-1].u.i = !str_eq(&sp[-1], &sp[0]);
            break;
        case OP_NOT:
            if (sp[-1].u.i >= 0)
                sp[-1].u.i = !sp[-1].u.i;
            break;
        case OP_AND:
            /* left is 1 or missing (0 jumped past) */
            sp--;
            if (sp[0].u.i == 0 || sp[-1].u.i > 0)
                sp[-1].u.i = sp[0].u.i;
            break;
        case OP_OR:
            /* left is 0 or missing (1 jumped past) */
            sp--;
            if (sp[0].u.i == 1 || sp[-1].u.i == 0)
                sp[-1].u.i = sp[0].u.i;
            break;
        case OP_JFALSE:
            if (sp[-1].u.i == 0) {
                pc = code + pc->b;
                continue;
            }
            break;
        case OP_JTRUE:
            if (sp[-1].u.i == 1) {
                pc = code + pc->b;
                continue;
            }
            break;
        case OP_IN_K:
            x = sp[-1].u.i;
            list = pc->imm.list;
            r = 0;
            for (k = 0, n = pc->b; k < n; k++) {
                if (list[k].u.i == x) {
                    r = 1;
                    break;
                }
            }
            sp[-1].u.i = r ^ pc->flag;
            break;
        case OP_IN_KS:
            list = pc->imm.list;
            r = 0;
            for (k = 0, n = pc->b; k < n; k++) {
                if (str_eq(&sp[-1], &list[k])) {
                    r = 1;
                    break;
                }
            }
            sp[-1].u.i = r ^ pc->flag;
            break;
        case OP_IN:
        case OP_IN_S:
            sp--;
            list = sp[0].u.list.v;
            n = sp[0].u.list.n;
            r = 0;
            for (k = 0; k < n; k++) {
                if (pc->code == OP_IN ? list[k].u.i == sp[-1].u.i
                                      : str_eq(&sp[-1], &list[k])) {
                    r = 1;
                    break;
                }
            }
            sp[-1].u.i = r ^ pc->flag;
            break;
        case OP_MATCH:
            rc = pcre2_match(pc->imm.re,
                             (PCRE2_SPTR)(sp[-1].u.str.s ? sp[-1].u.str.s
                                                         : ""),
                             sp[-1].u.str.len, 0, 0, c->match_data,
                             c->match_context);
            if (rc >= 0)
                sp[-1].u.i = 1;
            else if (rc == PCRE2_ERROR_NOMATCH)
                sp[-1].u.i = 0;
            else
                return ZF_EINDETERMINATE;
            break;
        case OP_MIN:
            sp--;
            if (sp[0].u.i < sp[-1].u.i)
                sp[-1].u.i = sp[0].u.i;
            break;
        case OP_MAX:
            sp--;
            if (sp[0].u.i > sp[-1].u.i)
                sp[-1].u.i = sp[0].u.i;
            break;
        case OP_ABS:
            if (sp[-1].u.i == INT64_MIN)
                return ZF_EINPUT;
            if (sp[-1].u.i < 0)
                sp[-1].u.i = -sp[-1].u.i;
            break;
        case OP_ROUND:
            /* nearest multiple of y, halves away from zero */
            sp--;
            x = sp[-1].u.i;
            y = sp[0].u.i;
            if (y <= 0)
                return ZF_EINPUT;
            q = x / y;
            r = x % y;
            if (r < 0)
                r = -r;
            if (r >= y - r)
                q += x < 0 ? -1 : 1;
            if (__builtin_mul_overflow(q, y, &sp[-1].u.i))
                return ZF_EINPUT;
            break;
        case OP_DAYS:
            sp--;
            if (__builtin_sub_overflow(sp[0].u.i, sp[-1].u.i, &sp[-1].u.i))
                return ZF_EINPUT;
            break;
        case OP_LEN_S:
            sp[-1].u.i =
                (int64_t)zf__utf8_count(sp[-1].u.str.s, sp[-1].u.str.len);
            break;
        case OP_LEN_L:
            sp[-1].u.i = sp[-1].u.list.n;
            break;
        case OP_RET:
            *out = sp[-1];
            return ZF_OK;
        case OP_RET_BOOL:
            if (sp[-1].u.i < 0) {
                *missing_slot = (uint16_t)(-1 - sp[-1].u.i);
                return ZF__EMISSING;
            }
            *out = sp[-1];
            return ZF_OK;
        default:
            return ZF_EINTERNAL;
        }
        pc++;
        continue;
    missing:
        if (pc->b == JUMP_RETURN) {
            *missing_slot = slot;
            return ZF__EMISSING;
        }
        sp = stack + pc->imm.i;
        sp->u.i = -1 - (int64_t)slot;
        sp++;
        pc = code + pc->b;
    }
}
