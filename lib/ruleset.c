/* SPDX-License-Identifier: MIT */
/*
 * The rule-set object: reference count, getters, lookups by id and name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

void
zf__ruleset_destroy(zf_ruleset *rs)
{
    size_t i;
    const zf_context *ctx;

    if (!rs)
        return;
    ctx = rs->ctx;
    for (i = 0; i < rs->n_regexes; i++)
        pcre2_code_free(rs->regexes[i]);
    zf__free(ctx, rs->regexes);
    zf__arena_destroy(&rs->arena);
    zf__free(ctx, rs);
}

ZF_API zf_ruleset *
zf_ruleset_ref(zf_ruleset *rs)
{
    if (rs)
        atomic_fetch_add_explicit(&rs->refcount, 1, memory_order_relaxed);
    return rs;
}

ZF_API void
zf_ruleset_unref(zf_ruleset *rs)
{
    if (rs && atomic_fetch_sub_explicit(&rs->refcount, 1,
                                        memory_order_acq_rel) == 1)
        zf__ruleset_destroy(rs);
}

ZF_API const char *
zf_ruleset_id(const zf_ruleset *rs)
{
    return rs ? rs->id : NULL;
}

ZF_API const char *
zf_ruleset_version(const zf_ruleset *rs)
{
    return rs ? rs->version : NULL;
}

ZF_API const char *
zf_ruleset_digest(const zf_ruleset *rs)
{
    return rs ? rs->digest : NULL;
}

ZF_API uint64_t
zf_ruleset_generation(const zf_ruleset *rs)
{
    return rs ? rs->generation : 0;
}

ZF_API size_t
zf_ruleset_domain_count(const zf_ruleset *rs)
{
    return rs ? rs->n_domains : 0;
}

ZF_API size_t
zf_ruleset_item_count(const zf_ruleset *rs)
{
    return rs ? rs->n_items : 0;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

size_t
zf__bigrams(const char *s, size_t n, uint32_t *out, size_t cap)
{
    uint32_t prev = 0, cp;
    size_t i = 0, k, cnt = 0, j, w;

    while (i < n && cnt < cap) {
        k = zf__utf8_decode(s + i, n - i, &cp);
        if (!k)
            break;
        i += k;
        if (prev >= 0x80 && cp >= 0x80)
            out[cnt++] = prev * 31u + cp;
        prev = cp;
    }
    qsort(out, cnt, sizeof(*out), cmp_u32);
    for (j = 0, w = 0; j < cnt; j++)
        if (w == 0 || out[w - 1] != out[j])
            out[w++] = out[j];
    return w;
}

size_t
zf__bigrams_merge(uint32_t *v, size_t n)
{
    size_t j, w;

    qsort(v, n, sizeof(*v), cmp_u32);
    for (j = 0, w = 0; j < n; j++)
        if (w == 0 || v[w - 1] != v[j])
            v[w++] = v[j];
    return w;
}

const struct zf__item *
zf__ruleset_find_item(const zf_ruleset *rs, const char *id)
{
    size_t lo = 0, hi = rs->n_items;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(id, rs->items_by_id[mid]->id);
        if (c == 0)
            return rs->items_by_id[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct zf__domain *
zf__ruleset_find_domain(const zf_ruleset *rs, const char *name)
{
    size_t lo = 0, hi = rs->n_domain_names;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, rs->domain_names[mid].name);
        if (c == 0)
            return rs->domain_names[mid].domain;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
