/* SPDX-License-Identifier: MIT */
/*
 * Loader errors and the rule-format schema checks: known keys, required
 * keys, and typed scalar accessors (strict YAML 1.2-core-like scalars).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

/* ------------------------------------------------------------------ */
/* errors */


zf_status
zf__err_at(struct loader *L, const struct zf__ynode *n, zf_status code, int diag,
       const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    zf__error_setv(L->err, code, diag, fmt, ap);
    va_end(ap);
    zf__error_at(L->err, L->cur ? L->cur->src->name : NULL, n ? n->line : 0,
                 n ? n->column : 0);
    return code;
}

zf_status
zf__nomem(struct loader *L)
{
    return zf__error_nomem(L->err);
}

zf_status
zf__vec_push(struct loader *L, struct vec *v, const void *p)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 32;
        const void **nv = zf__realloc(L->ctx, v->v, cap * sizeof(*nv));
        if (!nv)
            return zf__nomem(L);
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = p;
    return ZF_OK;
}

/* Copy a vec into the rule-set arena as a const pointer array. */
const void *const *
zf__vec_freeze(struct loader *L, const struct vec *v)
{
    const void **out;

    if (!v->n)
        return NULL;
    out = zf__arena_alloc(L->arena, v->n * sizeof(*out), _Alignof(void *));
    if (out)
        memcpy(out, v->v, v->n * sizeof(*out));
    return (const void *const *)out;
}

/* ------------------------------------------------------------------ */
/* scalar accessors */

static const char *
suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    unsigned bd = 3, d;
    size_t i;

    for (i = 0; cands[i]; i++) {
        d = zf__edit_distance(word, cands[i], 3);
        if (d < bd) {
            bd = d;
            best = cands[i];
        }
    }
    return best;
}

/*
 * Check that `map` is a mapping whose keys are all in `keys` (NULL
 * terminated) and store each value in out[i] (NULL when absent).
 */
zf_status
zf__fields(struct loader *L, const struct zf__ynode *map, const char *what,
       const char *const *keys, const struct zf__ynode **out)
{
    size_t i, k;

    for (k = 0; keys[k]; k++)
        out[k] = NULL;
    if (map->kind != ZF_Y_MAP)
        return zf__err_at(L, map, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a mapping", what);
    for (i = 0; i < map->n; i++) {
        const struct zf__ynode *key = map->pairs[i].key;
        for (k = 0; keys[k]; k++)
            if (strcmp(keys[k], key->str) == 0)
                break;
        if (!keys[k]) {
            const char *s = suggest(key->str, keys);
            if (s)
                return zf__err_at(L, key, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_KEY,
                              "unknown key '%s' in %s (did you mean '%s'?)",
                              key->str, what, s);
            return zf__err_at(L, key, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_KEY,
                          "unknown key '%s' in %s", key->str, what);
        }
        out[k] = map->pairs[i].value;
    }
    return ZF_OK;
}

zf_status
zf__need(struct loader *L, const struct zf__ynode *map, const struct zf__ynode *v,
     const char *key, const char *what)
{
    if (v)
        return ZF_OK;
    return zf__err_at(L, map, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                  "%s is missing required key '%s'", what, key);
}

bool
zf__plain_is(const struct zf__ynode *n, const char *s)
{
    return n->kind == ZF_Y_SCALAR && n->plain && strcmp(n->str, s) == 0;
}

bool
zf__plain_reserved(const struct zf__ynode *n)
{
    static const char *const words[] = {"true", "false", "null", "~",
                                        "True", "False", "TRUE", "FALSE",
                                        "Null", "NULL", "yes", "no", "on",
                                        "off", "Yes", "No", "On", "Off",
                                        NULL};
    size_t i;

    if (n->kind != ZF_Y_SCALAR || !n->plain)
        return false;
    if (n->len == 0)
        return true;
    for (i = 0; words[i]; i++)
        if (strcmp(n->str, words[i]) == 0)
            return true;
    return false;
}

zf_status
zf__get_str(struct loader *L, const struct zf__ynode *n, const char *what,
        const char **out)
{
    if (n->kind != ZF_Y_SCALAR)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a string", what);
    if (zf__plain_reserved(n))
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a string; '%s' is ambiguous, quote it",
                      what, n->str);
    *out = n->str;
    return ZF_OK;
}

static bool
is_ident_char(char c, bool extended)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           (extended && (c == '.' || c == ':'));
}

zf_status
zf__get_id(struct loader *L, const struct zf__ynode *n, const char *what,
       const char **out)
{
    size_t i;
    zf_status rc = zf__get_str(L, n, what, out);

    if (rc)
        return rc;
    if (n->len == 0 || n->len > 63)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "%s must be 1 to 63 ASCII characters", what);
    for (i = 0; i < n->len; i++)
        if (!is_ident_char(n->str[i], true))
            return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "%s '%s' may only contain ASCII letters, digits "
                          "and _ - . :", what, n->str);
    return ZF_OK;
}

zf_status
zf__get_int(struct loader *L, const struct zf__ynode *n, const char *what,
        int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = n->str;
    bool neg = false;
    int64_t v = 0;
    size_t i = 0;

    if (n->kind != ZF_Y_SCALAR || !n->plain || n->len == 0)
        goto bad;
    if (s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == n->len)
        goto bad;
    for (; i < n->len; i++) {
        if (s[i] < '0' || s[i] > '9')
            goto bad;
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, s[i] - '0', &v))
            return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "%s is too large", what);
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "%s must be between %lld and %lld, got %lld", what,
                      (long long)lo, (long long)hi, (long long)v);
    *out = v;
    return ZF_OK;
bad:
    return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                  "%s must be an integer", what);
}

#define MONEY_MAX ((int64_t)1 << 53)

zf_status
zf__get_bool(struct loader *L, const struct zf__ynode *n, const char *what,
         bool *out)
{
    if (zf__plain_is(n, "true")) {
        *out = true;
        return ZF_OK;
    }
    if (zf__plain_is(n, "false")) {
        *out = false;
        return ZF_OK;
    }
    return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                  "%s must be true or false", what);
}

zf_status
zf__get_date(struct loader *L, const struct zf__ynode *n, const char *what,
         int32_t *out)
{
    if (n->kind != ZF_Y_SCALAR || !zf__parse_date(n->str, n->len, out))
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "%s must be a date YYYY-MM-DD", what);
    return ZF_OK;
}

zf_status
zf__get_seq(struct loader *L, const struct zf__ynode *n, const char *what)
{
    if (n->kind != ZF_Y_SEQ)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a list", what);
    return ZF_OK;
}

/* A YAML sequence into an arena array of `size`-byte elements, each read
 * by `one`. An empty list gives NULL and 0. */
typedef zf_status (*elem_fn)(struct loader *L, const struct zf__ynode *n,
                             const char *what, void *elem);

zf_status
zf__get_list(struct loader *L, const struct zf__ynode *n, const char *what,
         size_t size, size_t align, elem_fn one, void **out, size_t *count)
{
    unsigned char *v;
    size_t i;
    zf_status rc = zf__get_seq(L, n, what);

    if (rc)
        return rc;
    *out = NULL;
    *count = 0;
    if (!n->n)
        return ZF_OK;
    v = zf__arena_calloc(L->arena, n->n, size, align);
    if (!v)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++)
        if ((rc = one(L, n->items[i], what, v + i * size)))
            return rc;
    *out = v;
    *count = n->n;
    return ZF_OK;
}

static zf_status
str_elem(struct loader *L, const struct zf__ynode *n, const char *what,
         void *elem)
{
    return zf__get_str(L, n, what, (const char **)elem);
}

/* A list of strings → arena array. */
zf_status
zf__get_str_list(struct loader *L, const struct zf__ynode *n, const char *what,
             const char *const **out, size_t *count)
{
    void *v = NULL;
    zf_status rc = zf__get_list(L, n, what, sizeof(const char *),
                            _Alignof(const char *), str_elem, &v, count);

    *out = v;
    return rc;
}

int
zf__index_of(const char *s, const char *const *names, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

zf_status
zf__get_enum(struct loader *L, const struct zf__ynode *n, const char *what,
         const char *const *names, size_t count, int *out)
{
    const char *s;
    char list[256];
    size_t i, off = 0;
    zf_status rc = zf__get_str(L, n, what, &s);

    if (rc)
        return rc;
    *out = zf__index_of(s, names, count);
    if (*out >= 0)
        return ZF_OK;
    list[0] = '\0';
    for (i = 0; i < count && off < sizeof(list); i++)
        off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
                                i ? ", " : "", names[i]);
    return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                  "%s '%s' is not one of: %s", what, s, list);
}
