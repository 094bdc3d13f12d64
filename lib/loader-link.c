/* SPDX-License-Identifier: MIT */
/*
 * The compile order and the linking passes: all sections of all files are
 * parsed first and then compiled in a fixed order (laws, profiles, domains
 * and items), so include order does not matter and references may point
 * forward.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

static int
cmp_prov(const void *a, const void *b)
{
    return strcmp((*(const struct zf__provision *const *)a)->id,
                  (*(const struct zf__provision *const *)b)->id);
}

static int
cmp_item(const void *a, const void *b)
{
    return strcmp((*(const struct zf__item *const *)a)->id,
                  (*(const struct zf__item *const *)b)->id);
}

/* Report a duplicate at the later of the two definitions. */
static zf_status
dup_error(struct loader *L, const char *what, const char *id,
          const struct zf__source *fa, unsigned la, unsigned ca,
          const struct zf__source *fb, unsigned lb, unsigned cb)
{
    size_t ia = 0, ib = 0, i;
    const struct zf__source *f;
    unsigned line, col;

    for (i = 0; i < L->n_files; i++) {
        if (L->files[i].src == fa)
            ia = i;
        if (L->files[i].src == fb)
            ib = i;
    }
    if (ia > ib || (ia == ib && la > lb)) {
        f = fa;
        line = la;
        col = ca;
    } else {
        f = fb;
        line = lb;
        col = cb;
    }
    zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                  "%s '%s' is defined twice", what, id);
    zf__error_at(L->err, f->name, line, col ? col : 1);
    return ZF_ESCHEMA;
}

/* One flag per item: is it on the list (by id, by tag, or "*")? */
static zf_status index_domain_names(struct loader *L);

static zf_status
resolve_itemlist(struct loader *L, struct zf__itemlist *l)
{
    bool *m;
    size_t i, k, t;

    if (!l->all && !l->n_ids && !l->n_tags)
        return ZF_OK;
    m = ZF_ARENA_NEWN(L->arena, bool, L->items.n + 1);
    if (!m)
        return zf__nomem(L);
    for (i = 0; i < L->items.n; i++) {
        const struct zf__item *it = L->items.v[i];
        bool on = l->all;
        for (k = 0; !on && k < l->n_ids; k++)
            on = strcmp(l->ids[k], it->id) == 0;
        for (k = 0; !on && k < l->n_tags; k++)
            for (t = 0; !on && t < it->n_tags; t++)
                on = strcmp(l->tags[k], it->tags[t]) == 0;
        m[it->index] = on;
    }
    l->member = m;
    return ZF_OK;
}

zf_status
zf__compile_all(struct loader *L)
{
    const char *profile_id = NULL;
    const struct zf__ynode *profile_node = NULL;
    size_t i, j;
    zf_status rc;
    zf_ruleset *rs = L->rs;

    if ((rc = zf__load_manifest(L, &profile_id, &profile_node)) ||
        (rc = zf__load_includes(L, &L->files[0])))
        return rc;
    /* pass 1: law headers */
    for (i = 0; i < L->n_files; i++) {
        const struct zf__ynode *laws = L->files[i].sec[SEC_LAWS];
        L->cur = &L->files[i];
        if (!laws)
            continue;
        if ((rc = zf__get_seq(L, laws, "laws")))
            return rc;
        for (j = 0; j < laws->n; j++)
            if ((rc = zf__load_law_header(L, laws->items[j])))
                return rc;
    }
    /* pass 2: provisions */
    {
        size_t k = 0;
        for (i = 0; i < L->n_files; i++) {
            const struct zf__ynode *laws = L->files[i].sec[SEC_LAWS];
            L->cur = &L->files[i];
            for (j = 0; laws && j < laws->n; j++, k++)
                if ((rc = zf__load_law_provisions(L, laws->items[j],
                                              L->laws.v[k])))
                    return rc;
        }
    }
    if (L->provisions.n)  /* qsort's array may not be NULL, even for 0 */
        qsort(L->provisions.v, L->provisions.n, sizeof(void *), cmp_prov);
    for (i = 1; i < L->provisions.n; i++) {
        const struct zf__provision *a = L->provisions.v[i - 1],
                                   *b = L->provisions.v[i];
        if (strcmp(a->id, b->id) == 0)
            return dup_error(L, "provision", a->id, a->file, a->line,
                             a->column, b->file, b->line, b->column);
    }
    /* versions: link each earlier provision to the one that replaced it */
    for (i = 0; i < L->laws.n; i++) {
        struct zf__law *law = (struct zf__law *)L->laws.v[i];
        if (!law->superseded_by_id)
            continue;
        law->superseded_by = zf__find_law(L, law->superseded_by_id);
        if (!law->superseded_by || law->superseded_by == law) {
            zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                          "law '%s' is superseded_by unknown law '%s'",
                          law->id, law->superseded_by_id);
            zf__error_at(L->err, law->file->name, law->line, 1);
            return ZF_ESCHEMA;
        }
    }
    for (i = 0; i < L->provisions.n; i++) {
        const struct zf__provision *old = L->provisions.v[i];
        struct zf__provision *target;
        struct parsed_ref pr;

        if (!old->maps_to_ref)
            continue;
        if (!zf__parse_ref(old->maps_to_ref, &pr) || pr.item) {
            zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_BAD_REF,
                          "maps_to '%s' must name a provision, like "
                          "'aqsc:97'", old->maps_to_ref);
            zf__error_at(L->err, old->file->name, old->maps_to_line,
                         old->maps_to_column);
            return ZF_ESCHEMA;
        }
        target = (struct zf__provision *)zf__find_provision(L, pr.key);
        if (!target || !old->law->superseded_by ||
            target->law != old->law->superseded_by || target->predecessor) {
            zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                          "maps_to '%s': %s", old->maps_to_ref,
                          !target ? "no such provision"
                          : target->predecessor
                              ? "another provision already maps to it"
                              : "it is not in the law named by this law's "
                                "superseded_by");
            zf__error_at(L->err, old->file->name, old->maps_to_line,
                         old->maps_to_column);
            return ZF_ESCHEMA;
        }
        target->predecessor = old;
    }

    /* profiles */
    for (i = 0; i < L->n_files; i++) {
        const struct zf__ynode *ps = L->files[i].sec[SEC_PROFILES];
        L->cur = &L->files[i];
        if (!ps)
            continue;
        if ((rc = zf__get_seq(L, ps, "profiles")))
            return rc;
        for (j = 0; j < ps->n; j++)
            if ((rc = zf__load_profile(L, ps->items[j])))
                return rc;
    }
    /* domains and items */
    for (i = 0; i < L->n_files; i++) {
        const struct zf__ynode *ds = L->files[i].sec[SEC_DOMAINS];
        L->cur = &L->files[i];
        if (!ds)
            continue;
        if ((rc = zf__get_seq(L, ds, "domains")))
            return rc;
        for (j = 0; j < ds->n; j++)
            if ((rc = zf__load_domain(L, ds->items[j])))
                return rc;
    }
    /* standards' applies_to must name domains */
    for (i = 0; i < L->laws.n; i++) {
        struct zf__law *law = (struct zf__law *)L->laws.v[i];
        uint16_t *idx = NULL;
        if (law->n_applies_to) {
            idx = ZF_ARENA_NEWN(L->arena, uint16_t, law->n_applies_to);
            if (!idx)
                return zf__nomem(L);
            law->applies_idx = idx;
        }
        for (j = 0; j < law->n_applies_to; j++) {
            size_t d;
            for (d = 0; d < L->domains.n; d++)
                if (strcmp(((const struct zf__domain *)L->domains.v[d])->id,
                           law->applies_to[j]) == 0)
                    break;
            if (d < L->domains.n)
                idx[j] = (uint16_t)d;
            if (d == L->domains.n) {
                zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                              "applies_to names unknown domain '%s'",
                              law->applies_to[j]);
                {
                    /* point at the name itself */
                    const struct zf__ynode *ln = law->applies_node;
                    const struct zf__ynode *nn =
                        ln && j < ln->n ? ln->items[j] : NULL;
                    zf__error_at(L->err, law->file->name,
                                 nn ? nn->line : law->applies_line,
                                 nn ? nn->column : law->applies_column);
                }
                return ZF_ESCHEMA;
            }
        }
        law->applies_node = NULL;  /* the tree is freed after load */
    }
    /* profile item lists must name items; resolve them into flags */
    for (i = 0; i < L->profiles.n; i++) {
        struct zf__profile *pr = (struct zf__profile *)L->profiles.v[i];
        struct zf__itemlist *lists[4] = {&pr->minor_exempt,
                                         &pr->first_offence, &pr->maximum,
                                         &pr->no_fault};
        size_t li, k, m;
        for (li = 0; li < 4; li++) {
            if ((rc = resolve_itemlist(L, lists[li])))
                return rc;
            for (k = 0; k < lists[li]->n_ids; k++) {
                for (m = 0; m < L->items.n; m++)
                    if (strcmp(((const struct zf__item *)L->items.v[m])->id,
                               lists[li]->ids[k]) == 0)
                        break;
                if (m == L->items.n) {
                    zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                                  "profile '%s' lists unknown item '%s'",
                                  pr->id, lists[li]->ids[k]);
                    zf__error_at(L->err, pr->file->name, lists[li]->line, 1);
                    return ZF_ESCHEMA;
                }
            }
        }
    }
    L->cur = &L->files[0];
    if (!L->profiles.n)
        return zf__err_at(L, L->files[0].root, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "the rule set has no discretion profile "
                      "(a 'profiles' section)");
    rs->profile = L->profiles.v[0];
    if (profile_id) {
        rs->profile = NULL;
        for (i = 0; i < L->profiles.n; i++)
            if (strcmp(((const struct zf__profile *)L->profiles.v[i])->id,
                       profile_id) == 0)
                rs->profile = L->profiles.v[i];
        if (!rs->profile)
            return zf__err_at(L, profile_node, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                          "profile '%s' is not defined", profile_id);
    }

    rs->laws = (const struct zf__law *const *)zf__vec_freeze(L, &L->laws);
    rs->n_laws = L->laws.n;
    rs->provisions =
        (const struct zf__provision *const *)zf__vec_freeze(L, &L->provisions);
    rs->n_provisions = L->provisions.n;
    rs->items = (const struct zf__item *const *)zf__vec_freeze(L, &L->items);
    rs->n_items = L->items.n;
    rs->domains = (const struct zf__domain *const *)zf__vec_freeze(L, &L->domains);
    rs->n_domains = L->domains.n;
    if ((rc = index_domain_names(L)))
        return rc;
    rs->profiles =
        (const struct zf__profile *const *)zf__vec_freeze(L, &L->profiles);
    rs->n_profiles = L->profiles.n;
    if (L->items.n)
        qsort(L->items.v, L->items.n, sizeof(void *), cmp_item);
    for (i = 1; i < L->items.n; i++) {
        const struct zf__item *a = L->items.v[i - 1], *b = L->items.v[i];
        if (strcmp(a->id, b->id) == 0)
            return dup_error(L, "item", a->id, a->file, a->line, a->column,
                             b->file, b->line, b->column);
    }
    rs->items_by_id = (const struct zf__item *const *)zf__vec_freeze(L, &L->items);
    {
        struct vec files = {NULL, 0, 0};
        for (i = 0; i < L->n_files; i++)
            if ((rc = zf__vec_push(L, &files, L->files[i].src))) {
                zf__free(L->ctx, files.v);
                return rc;
            }
        rs->files = (const struct zf__source *const *)zf__vec_freeze(L, &files);
        rs->n_files = files.n;
        zf__free(L->ctx, files.v);
    }
    if ((L->laws.n && !rs->laws) || (L->items.n && !rs->items_by_id) ||
        !rs->files || (L->domains.n && !rs->domains) || !rs->profiles ||
        (L->provisions.n && !rs->provisions) || (L->items.n && !rs->items))
        return zf__nomem(L);
    /* the plan refers to items and domains: last */
    for (i = 0; i < L->n_files; i++)
        if (L->files[i].sec[SEC_PLAN] &&
            (rc = zf__load_plan(L, &L->files[i])))
            return rc;
    (void)zf__cmp_law_id;
    /* the recognition index (match.c): n-gram weights over every item */
    if (zf__match_index_build(rs, L->arena))
        return zf__nomem(L);
    return ZF_OK;
}

static int
cmp_domain_name(const void *a, const void *b)
{
    return strcmp(((const struct zf__domain_name *)a)->name,
                  ((const struct zf__domain_name *)b)->name);
}

/* Sorted (name → domain) for every id, Chinese name and alias. Names are
 * unique across domains (checked when domains load); a domain's own id and
 * name may coincide, so duplicates are dropped. */
static zf_status
index_domain_names(struct loader *L)
{
    struct zf__domain_name *v;
    size_t n = 0, i, a, w;

    for (i = 0; i < L->domains.n; i++)
        n += 2 + ((const struct zf__domain *)L->domains.v[i])->n_aliases;
    v = ZF_ARENA_NEWN(L->arena, struct zf__domain_name, n ? n : 1);
    if (!v)
        return zf__nomem(L);
    n = 0;
    for (i = 0; i < L->domains.n; i++) {
        const struct zf__domain *d = L->domains.v[i];
        v[n].name = d->id;
        v[n++].domain = d;
        v[n].name = d->name;
        v[n++].domain = d;
        for (a = 0; a < d->n_aliases; a++) {
            v[n].name = d->aliases[a];
            v[n++].domain = d;
        }
    }
    qsort(v, n, sizeof(*v), cmp_domain_name);
    for (i = 0, w = 0; i < n; i++)
        if (w == 0 || strcmp(v[w - 1].name, v[i].name) != 0)
            v[w++] = v[i];
    L->rs->domain_names = v;
    L->rs->n_domain_names = w;
    return ZF_OK;
}
