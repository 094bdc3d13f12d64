/* SPDX-License-Identifier: MIT */
/*
 * The enforcement plan: key items per domain.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

/* ------------------------------------------------------------------ */
/* the enforcement plan (key items per domain) */

/*
 * plan:
 *   id: key-items
 *   title: ...
 *   method: how the key items were chosen
 *   domains:
 *     - { domain: general, items: [GEN-001, GEN-004] }
 *
 * Every domain of the rule set must be listed once with at least one key
 * item; every item must exist and be listed at most once per domain. An
 * item may be a key item of several domains (a 通用 item that is found most
 * often in one industry, say); the combined checklist merges it.
 */
zf_status
zf__load_plan(struct loader *L, const struct file *f)
{
    static const char *const keys[] = {"id", "title", "method", "note",
                                       "domains", NULL};
    static const char *const dkeys[] = {"domain", "items", NULL};
    const struct zf__ynode *n = f->sec[SEC_PLAN], *v[5];
    struct zf__plan *plan;
    struct zf__plan_domain *pd;
    bool *seen_item;
    size_t i, j, k;
    zf_status rc;

    L->cur = f;
    if (L->rs->plan)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                      "a rule set has at most one plan (another is in %s)",
                      L->rs->plan->file->name);
    plan = ZF_ARENA_NEW(L->arena, struct zf__plan);
    if (!plan)
        return zf__nomem(L);
    plan->file = f->src;
    plan->line = n->line;
    if ((rc = zf__fields(L, n, "plan", keys, v)) ||
        (rc = zf__need(L, n, v[0], "id", "plan")) ||
        (rc = zf__need(L, n, v[1], "title", "plan")) ||
        (rc = zf__need(L, n, v[2], "method", "plan")) ||
        (rc = zf__need(L, n, v[4], "domains", "plan")) ||
        (rc = zf__get_id(L, v[0], "plan id", &plan->id)) ||
        (rc = zf__get_str(L, v[1], "title", &plan->title)) ||
        (rc = zf__get_str(L, v[2], "method", &plan->method)) ||
        (v[3] && (rc = zf__get_str(L, v[3], "note", &plan->note))) ||
        (rc = zf__get_seq(L, v[4], "plan domains")))
        return rc;
    pd = ZF_ARENA_NEWN(L->arena, struct zf__plan_domain, v[4]->n + 1);
    seen_item = ZF_ARENA_NEWN(&L->tmp, bool, L->rs->n_items + 1);
    if (!pd || !seen_item)
        return zf__nomem(L);
    for (i = 0; i < v[4]->n; i++) {
        const struct zf__ynode *dn = v[4]->items[i], *dv[2];
        const struct zf__item **items;
        const char *name;

        if ((rc = zf__fields(L, dn, "a plan domain", dkeys, dv)) ||
            (rc = zf__need(L, dn, dv[0], "domain", "a plan domain")) ||
            (rc = zf__need(L, dn, dv[1], "items", "a plan domain")) ||
            (rc = zf__get_str(L, dv[0], "domain", &name)) ||
            (rc = zf__get_seq(L, dv[1], "items")))
            return rc;
        pd[i].domain = zf__ruleset_find_domain(L->rs, name);
        if (!pd[i].domain)
            return zf__err_at(L, dv[0], ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                          "plan names unknown domain '%s'", name);
        for (j = 0; j < i; j++)
            if (pd[j].domain == pd[i].domain)
                return zf__err_at(L, dv[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "plan lists domain '%s' twice", name);
        if (dv[1]->n == 0)
            return zf__err_at(L, dv[1], ZF_ESCHEMA, ZF_DIAG_EMPTY,
                          "plan domain '%s' has no key item", name);
        items = ZF_ARENA_NEWN(L->arena, const struct zf__item *, dv[1]->n);
        if (!items)
            return zf__nomem(L);
        for (j = 0; j < dv[1]->n; j++) {
            const char *id;
            if ((rc = zf__get_id(L, dv[1]->items[j], "item id", &id)))
                return rc;
            items[j] = zf__ruleset_find_item(L->rs, id);
            if (!items[j])
                return zf__err_at(L, dv[1]->items[j], ZF_ESCHEMA,
                              ZF_DIAG_DANGLING_REF,
                              "plan names unknown item '%s'", id);
            for (k = 0; k < j; k++)
                if (items[k] == items[j])
                    return zf__err_at(L, dv[1]->items[j], ZF_ESCHEMA,
                                  ZF_DIAG_DUPLICATE_ID,
                                  "plan lists item '%s' twice under '%s'",
                                  id, name);
            if (!seen_item[items[j]->index]) {
                seen_item[items[j]->index] = true;
                plan->n_key_items++;
            }
        }
        pd[i].items = items;
        pd[i].n_items = dv[1]->n;
    }
    for (k = 0; k < L->rs->n_domains; k++) {
        for (i = 0; i < v[4]->n; i++)
            if (pd[i].domain == L->rs->domains[k])
                break;
        if (i == v[4]->n)
            return zf__err_at(L, v[4], ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                          "plan has no key item for domain '%s' (%s)",
                          L->rs->domains[k]->id, L->rs->domains[k]->name);
    }
    plan->domains = pd;
    plan->n_domains = v[4]->n;
    L->rs->plan = plan;
    return ZF_OK;
}
