/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <yaml.h>

#include "array-private.h"
#include "yaml-private.h"

/* A frame of the build stack: a sequence or mapping being filled. */
struct frame {
    struct zf__ynode *node;
    const struct zf__ynode **kids;  /* items, or key,value,key,value... */
    size_t n, cap;
};

struct builder {
    const zf_context *ctx;
    const char *buf;
    size_t len;
    unsigned end_line, end_col;  /* just past the last character */
    struct zf__arena *arena;
    struct zf__arena *str_arena;
    size_t cur_chars, cur_bytes;   /* a scalar's start: characters → bytes */
    const char *source;
    zf_error *err;
    struct frame *stack;
    size_t depth, stack_cap;
    const struct zf__ynode *root;
};

static zf_status fail_at(struct builder *b, zf_status code, int diag,
                         const yaml_mark_t *m, const char *fmt, ...)
    ZF_PRINTF(5, 6);

/* Bytes of the line break at s[i], or 0: CR LF, CR, LF, NEL, LS and PS, the
 * line breaks libyaml counts. */
static size_t
line_break(const unsigned char *s, size_t i, size_t len)
{
    if (s[i] == '\r')
        return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
    if (s[i] == '\n')
        return 1;
    if (i + 1 < len && s[i] == 0xC2 && s[i + 1] == 0x85)
        return 2;
    if (i + 2 < len && s[i] == 0xE2 && s[i + 1] == 0x80 &&
        (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
        return 3;
    return 0;
}

/*
 * Walk the buffer to libyaml's mark (0-based line and column, in
 * characters) or to byte offset `stop`, whichever comes first; give the
 * 1-based line and column there and the byte offset. A leading BOM is not
 * a character. At the end of an input without a final line break libyaml
 * puts the mark on a line past the last one; the end of the last line is
 * reported instead. Continuation bytes never start a character, so an
 * offset in invalid UTF-8 is positioned sensibly.
 */
static void
locate(const char *buf, size_t len, size_t mline, size_t mcol, size_t stop,
       unsigned *line, unsigned *col, size_t *off)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0, l = 0, c = 0;

    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    while (i < len && i < stop && (l < mline || (l == mline && c < mcol))) {
        size_t br = line_break(s, i, len);
        if (br) {
            if (l == mline)
                break;      /* a column past the end of its line */
            l++;
            c = 0;
            i += br;
            continue;
        }
        c++;
        i++;
        while (i < len && i < stop && (s[i] & 0xC0) == 0x80)
            i++;
    }
    *line = l + 1 > UINT_MAX ? UINT_MAX : (unsigned)(l + 1);
    *col = c + 1 > UINT_MAX ? UINT_MAX : (unsigned)(c + 1);
    *off = i;
}

static zf_status
fail_at(struct builder *b, zf_status code, int diag, const yaml_mark_t *m,
        const char *fmt, ...)
{
    va_list ap;
    unsigned line, col;
    size_t off;

    va_start(ap, fmt);
    zf__error_setv(b->err, code, diag, fmt, ap);
    va_end(ap);
    /* libyaml's mark.index counts characters; err->offset is in bytes */
    locate(b->buf, b->len, m->line, m->column, SIZE_MAX, &line, &col, &off);
    zf__error_at(b->err, b->source, line, col);
    if (b->err)
        b->err->offset = off;
    return code;
}

/* A node's 1-based position. An empty scalar at the end of an input
 * without a final line break has its mark on a line past the last one
 * (see locate()); it is placed at the end of the last line instead. */
static void
node_position(const struct builder *b, const yaml_mark_t *m,
              struct zf__ynode *node)
{
    if (m->line + 1 > b->end_line) {
        node->line = b->end_line;
        node->column = b->end_col;
        return;
    }
    node->line = (unsigned)m->line + 1;
    node->column = (unsigned)m->column + 1;
}

static zf_status
push_kid(struct builder *b, const struct zf__ynode *kid)
{
    struct frame *f;

    if (b->depth == 0) {
        b->root = kid;
        return ZF_OK;
    }
    f = &b->stack[b->depth - 1];
    if (!ZF_ARRAY_RESERVE(b->ctx, f->kids, f->n, f->cap, 16))
        return zf__error_nomem(b->err);
    f->kids[f->n++] = kid;
    return ZF_OK;
}

static const char *
mapping_key_dup(const struct frame *f, const struct zf__ynode *key)
{
    size_t i;

    /* keys are at even positions; mappings in rule files are small, and
     * the list-length limit bounds the quadratic worst case */
    for (i = 0; i + 1 < f->n; i += 2) {
        const struct zf__ynode *k = f->kids[i];
        if (k->len == key->len && memcmp(k->str, key->str, k->len) == 0)
            return k->str;
    }
    return NULL;
}

static zf_status
add_node(struct builder *b, struct zf__ynode *node, const yaml_mark_t *m)
{
    struct frame *f;

    if (b->depth > 0) {
        f = &b->stack[b->depth - 1];
        if (f->node->kind == ZF_Y_MAP && f->n % 2 == 0) {
            /* this node is a key */
            if (node->kind != ZF_Y_SCALAR)
                return fail_at(b, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE, m,
                               "mapping keys must be plain strings%s", "");
            if (mapping_key_dup(f, node))
                return fail_at(b, ZF_ESCHEMA, ZF_DIAG_DUPLICATE_KEY, m,
                               "duplicate key '%s'", node->str);
        }
        /* entries after adding this node: items of a sequence, pairs of
         * a mapping (kids holds key, value, key, value, ...) */
        if ((f->node->kind == ZF_Y_MAP ? f->n / 2 + 1 : f->n + 1) >
            (size_t)zf__limit(b->ctx, ZF_LIMIT_LIST_ITEMS))
            return fail_at(b, ZF_ELIMIT, ZF_DIAG_LIMIT_COUNT, m,
                           "more than %ld entries in a %s",
                           zf__limit(b->ctx, ZF_LIMIT_LIST_ITEMS),
                           f->node->kind == ZF_Y_MAP ? "mapping" : "list");
    }
    return push_kid(b, node);
}

static zf_status
start_collection(struct builder *b, enum zf__ykind kind, const yaml_event_t *ev)
{
    struct zf__ynode *node;
    zf_status rc;

    if (b->depth >= (size_t)zf__limit(b->ctx, ZF_LIMIT_YAML_DEPTH))
        return fail_at(b, ZF_ELIMIT, ZF_DIAG_LIMIT_DEPTH, &ev->start_mark,
                       "nesting deeper than the limit%s", "");
    node = ZF_ARENA_NEW(b->arena, struct zf__ynode);
    if (!node)
        return zf__error_nomem(b->err);
    node->kind = kind;
    node_position(b, &ev->start_mark, node);
    rc = add_node(b, node, &ev->start_mark);
    if (rc)
        return rc;
    if (!ZF_ARRAY_RESERVE(b->ctx, b->stack, b->depth, b->stack_cap, 8))
        return zf__error_nomem(b->err);
    b->stack[b->depth].node = node;
    b->stack[b->depth].kids = NULL;
    b->stack[b->depth].n = 0;
    b->stack[b->depth].cap = 0;
    b->depth++;
    return ZF_OK;
}

static zf_status
end_collection(struct builder *b)
{
    struct frame *f = &b->stack[b->depth - 1];
    struct zf__ynode *node = f->node;
    size_t i;

    if (node->kind == ZF_Y_SEQ) {
        const struct zf__ynode **items = NULL;
        if (f->n) {
            items = ZF_ARENA_NEWN(b->arena, const struct zf__ynode *, f->n);
            if (!items)
                return zf__error_nomem(b->err);
            memcpy(items, f->kids, f->n * sizeof(*items));
        }
        node->items = items;
        node->n = f->n;
    } else {
        struct zf__ypair *pairs = NULL;
        if (f->n) {
            pairs = ZF_ARENA_NEWN(b->arena, struct zf__ypair, f->n / 2);
            if (!pairs)
                return zf__error_nomem(b->err);
            for (i = 0; i + 1 < f->n; i += 2) {
                pairs[i / 2].key = f->kids[i];
                pairs[i / 2].value = f->kids[i + 1];
            }
        }
        node->pairs = pairs;
        node->n = f->n / 2;
    }
    zf__free(b->ctx, f->kids);
    f->kids = NULL;
    b->depth--;
    return ZF_OK;
}

static zf_status
scalar(struct builder *b, const yaml_event_t *ev)
{
    struct zf__ynode *node;
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    size_t bad;

    if (len > (size_t)zf__limit(b->ctx, ZF_LIMIT_SCALAR_LENGTH))
        return fail_at(b, ZF_ELIMIT, ZF_DIAG_LIMIT_SCALAR, &ev->start_mark,
                       "scalar longer than the limit%s", "");
    if (!zf__utf8_valid(v, len, &bad))
        return fail_at(b, ZF_ESYNTAX, ZF_DIAG_BAD_UTF8, &ev->start_mark,
                       "invalid UTF-8 or NUL character in a scalar%s", "");
    node = ZF_ARENA_NEW(b->arena, struct zf__ynode);
    if (!node)
        return zf__error_nomem(b->err);
    node->kind = ZF_Y_SCALAR;
    node_position(b, &ev->start_mark, node);
    node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    /* mark.index counts characters; walk forward to its byte (events come
     * in order, so this is linear over the whole file) */
    while (b->cur_chars < ev->start_mark.index && b->cur_bytes < b->len) {
        b->cur_bytes++;
        while (b->cur_bytes < b->len &&
               ((unsigned char)b->buf[b->cur_bytes] & 0xC0) == 0x80)
            b->cur_bytes++;
        b->cur_chars++;
    }
    node->raw = b->cur_chars == ev->start_mark.index ? b->buf + b->cur_bytes
                                                     : NULL;
    node->str = zf__arena_strndup(b->str_arena, v, len);
    node->len = len;
    if (!node->str)
        return zf__error_nomem(b->err);
    return add_node(b, node, &ev->start_mark);
}

zf_status
zf__yaml_parse(const struct zf__ynode **root, const zf_context *ctx,
               struct zf__arena *arena, struct zf__arena *str_arena,
               const char *buf, size_t len,
               const char *source, zf_error *err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct builder b;
    zf_status rc = ZF_OK;
    bool done = false;
    unsigned docs = 0;
    size_t bad, i;

    memset(&b, 0, sizeof(b));
    b.ctx = ctx;
    b.arena = arena;
    b.str_arena = str_arena;
    b.source = source;
    b.err = err;
    b.buf = buf;
    b.len = len;
    *root = NULL;

    if (len > (size_t)zf__limit(ctx, ZF_LIMIT_FILE_SIZE)) {
        zf__error_set(err, ZF_ELIMIT, ZF_DIAG_LIMIT_FILE_SIZE,
                      "file larger than the limit (%zu > %ld bytes)", len,
                      zf__limit(ctx, ZF_LIMIT_FILE_SIZE));
        zf__error_at(err, source, 0, 0);
        return ZF_ELIMIT;
    }
    /* libyaml accepts NUL in some positions and its own UTF-8 checks are
     * lax; check the whole buffer first and report the first bad byte. */
    if (!zf__utf8_valid(buf, len, &bad)) {
        unsigned line, col;
        size_t at;
        /* lines counted as libyaml counts them, so all errors agree */
        locate(buf, len, SIZE_MAX, SIZE_MAX, bad, &line, &col, &at);
        zf__error_set(err, ZF_ESYNTAX, ZF_DIAG_BAD_UTF8,
                      "invalid UTF-8 or NUL byte");
        zf__error_at(err, source, line, col);
        if (err)
            err->offset = bad;
        return ZF_ESYNTAX;
    }
    {
        size_t at;
        locate(buf, len, SIZE_MAX, SIZE_MAX, SIZE_MAX, &b.end_line,
               &b.end_col, &at);
    }
    if (!yaml_parser_initialize(&parser))
        return zf__error_nomem(err);
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR) {
                rc = zf__error_nomem(err);
            } else {
                const yaml_mark_t *m = &parser.problem_mark;
                char msg[256];
                if (parser.context)
                    snprintf(msg, sizeof(msg), "%s %s", parser.problem,
                             parser.context);
                else
                    snprintf(msg, sizeof(msg), "%s",
                             parser.problem ? parser.problem : "syntax error");
                rc = fail_at(&b, ZF_ESYNTAX, ZF_DIAG_YAML_SYNTAX, m,
                             "YAML: %s", msg);
            }
            break;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = fail_at(&b, ZF_ESYNTAX, ZF_DIAG_MULTI_DOC,
                             &ev.start_mark,
                             "only one YAML document per file%s", "");
            break;
        case YAML_ALIAS_EVENT:
            rc = fail_at(&b, ZF_ESCHEMA, ZF_DIAG_ALIAS, &ev.start_mark,
                         "aliases are not allowed%s", "");
            break;
        case YAML_SCALAR_EVENT:
            if (ev.data.scalar.anchor)
                rc = fail_at(&b, ZF_ESCHEMA, ZF_DIAG_ALIAS, &ev.start_mark,
                             "anchors are not allowed%s", "");
            else if (ev.data.scalar.tag)
                rc = fail_at(&b, ZF_ESCHEMA, ZF_DIAG_TAG, &ev.start_mark,
                             "explicit tags are not allowed (%s)",
                             (const char *)ev.data.scalar.tag);
            else
                rc = scalar(&b, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            const yaml_char_t *anchor, *tag;
            if (ev.type == YAML_SEQUENCE_START_EVENT) {
                anchor = ev.data.sequence_start.anchor;
                tag = ev.data.sequence_start.tag;
            } else {
                anchor = ev.data.mapping_start.anchor;
                tag = ev.data.mapping_start.tag;
            }
            if (anchor)
                rc = fail_at(&b, ZF_ESCHEMA, ZF_DIAG_ALIAS, &ev.start_mark,
                             "anchors are not allowed%s", "");
            else if (tag)
                rc = fail_at(&b, ZF_ESCHEMA, ZF_DIAG_TAG, &ev.start_mark,
                             "explicit tags are not allowed (%s)",
                             (const char *)tag);
            else
                rc = start_collection(&b, ev.type == YAML_SEQUENCE_START_EVENT
                                              ? ZF_Y_SEQ : ZF_Y_MAP, &ev);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            rc = end_collection(&b);
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (rc)
            break;
    }
    yaml_parser_delete(&parser);
    for (i = 0; i < b.depth; i++)
        zf__free(ctx, b.stack[i].kids);
    zf__free(ctx, b.stack);
    if (rc)
        return rc;
    if (!b.root) {
        zf__error_set(err, ZF_ESCHEMA, ZF_DIAG_EMPTY, "empty file");
        zf__error_at(err, source, 1, 1);
        return ZF_ESCHEMA;
    }
    *root = b.root;
    return ZF_OK;
}
