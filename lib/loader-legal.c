/* SPDX-License-Identifier: MIT */
/*
 * Legal references: parsing "law:article[-sub][.para][(item)]" and
 * rendering the Chinese citation.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

/* ------------------------------------------------------------------ */
/* legal references */


static bool
parse_uint(const char **p, unsigned *out)
{
    unsigned v = 0;
    const char *s = *p;

    if (*s < '1' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned)(*s - '0');
        if (v > 9999)
            return false;
        s++;
    }
    *p = s;
    *out = v;
    return true;
}

/* "aqsc:97(3)", "aqsc:28.1", "xf:134-1(2)" */
bool
zf__parse_ref(const char *s, struct parsed_ref *r)
{
    const char *colon = strchr(s, ':'), *p;
    size_t ll;

    memset(r, 0, sizeof(*r));
    if (!colon || colon == s || (ll = (size_t)(colon - s)) >= sizeof(r->law))
        return false;
    memcpy(r->law, s, ll);
    r->law[ll] = '\0';
    p = colon + 1;
    /* documents numbered only by items (判定标准 like hg2017): "hg2017:(2)" */
    if (*p == '(') {
        p++;
        if (!parse_uint(&p, &r->item) || *p != ')' || p[1])
            return false;
        snprintf(r->key, sizeof(r->key), "%s:(%u)", r->law, r->item);
        return true;
    }
    if (!parse_uint(&p, &r->article))
        return false;
    if (*p == '-') {
        p++;
        if (!parse_uint(&p, &r->sub))
            return false;
    }
    if (*p == '.') {
        p++;
        if (!parse_uint(&p, &r->para))
            return false;
    }
    if (*p == '(') {
        p++;
        if (!parse_uint(&p, &r->item) || *p != ')')
            return false;
        p++;
    }
    if (*p)
        return false;
    snprintf(r->key, sizeof(r->key), "%s:%u", r->law, r->article);
    if (r->sub)
        snprintf(r->key + strlen(r->key), sizeof(r->key) - strlen(r->key),
                 "-%u", r->sub);
    if (r->para)
        snprintf(r->key + strlen(r->key), sizeof(r->key) - strlen(r->key),
                 ".%u", r->para);
    return true;
}

int
zf__cmp_law_id(const void *a, const void *b)
{
    return strcmp((*(const struct zf__law *const *)a)->id,
                  (*(const struct zf__law *const *)b)->id);
}

const struct zf__law *
zf__find_law(const struct loader *L, const char *id)
{
    size_t i;

    for (i = 0; i < L->laws.n; i++) {
        const struct zf__law *law = L->laws.v[i];
        if (strcmp(law->id, id) == 0)
            return law;
    }
    return NULL;
}

char *
zf__render_cite(struct loader *L, const struct zf__law *law,
            const struct parsed_ref *r, bool with_item)
{
    struct zf__buf b;
    char *s, *out;

    zf__buf_init(&b, L->ctx);
    zf__cite(&b, law->title, r->article, r->sub, r->para,
             with_item ? r->item : 0);
    s = zf__buf_steal(&b, NULL);
    if (!s)
        return NULL;
    out = zf__arena_strdup(L->arena, s);
    zf__free(L->ctx, s);
    return out;
}

zf_status
zf__get_ref(struct loader *L, const struct zf__ynode *n, const char *what,
        struct zf__ref *out, struct parsed_ref *pr)
{
    struct parsed_ref tmp;
    const char *s;
    zf_status rc = zf__get_str(L, n, what, &s);

    if (rc)
        return rc;
    if (!pr)
        pr = &tmp;
    if (!zf__parse_ref(s, pr))
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_REF,
                      "%s '%s' is not a legal reference like "
                      "'aqsc:97(3)' or 'aqsc:28.1'", what, s);
    out->law = zf__find_law(L, pr->law);
    if (!out->law)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                      "%s '%s' names unknown law '%s'", what, s, pr->law);
    out->ref = s;
    out->article = (uint16_t)pr->article;
    out->sub = (uint16_t)pr->sub;
    out->para = (uint16_t)pr->para;
    out->item = (uint16_t)pr->item;
    out->cite = zf__render_cite(L, out->law, pr, true);
    return out->cite ? ZF_OK : zf__nomem(L);
}

static zf_status
ref_elem(struct loader *L, const struct zf__ynode *n, const char *what,
         void *elem)
{
    return zf__get_ref(L, n, what, elem, NULL);
}

zf_status
zf__get_ref_list(struct loader *L, const struct zf__ynode *n, const char *what,
             const struct zf__ref **out, size_t *count)
{
    void *v = NULL;
    zf_status rc = zf__get_list(L, n, what, sizeof(struct zf__ref),
                            _Alignof(struct zf__ref), ref_elem, &v, count);

    *out = v;
    return rc;
}
