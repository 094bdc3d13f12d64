/* SPDX-License-Identifier: MIT */
/*
 * Discretion profiles: bands, factors, mitigation, exemptions, limitation.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

/* ------------------------------------------------------------------ */
/* profiles */

static zf_status
get_bands(struct loader *L, const struct zf__ynode *n, int32_t b[3][2])
{
    static const char *const keys[] = {"lighter", "normal", "heavier", NULL};
    const struct zf__ynode *v[4];
    int t;
    zf_status rc = zf__fields(L, n, "tier bands", keys, v);

    if (rc)
        return rc;
    for (t = 0; t < 3; t++) {
        if ((rc = zf__need(L, n, v[t], keys[t], "tier bands")) ||
            (rc = zf__get_pair(L, v[t], keys[t], 0, 100, &b[t][0], &b[t][1])))
            return rc;
    }
    return ZF_OK;
}


static zf_status
get_factors(struct loader *L, const struct zf__ynode *n,
            struct zf__profile *p)
{
    static const char *const keys[] = {"id", "label", "effect", "when",
                                       "cite", "note", "mandatory", NULL};
    static const char *const effects[] = {"lighter", "heavier"};
    struct zf__factor *f;
    size_t i, j;
    zf_status rc = zf__get_seq(L, n, "factors");

    if (rc || !n->n)
        return rc;
    f = ZF_ARENA_NEWN(L->arena, struct zf__factor, n->n);
    if (!f)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[8];
        const char *note;
        if ((rc = zf__fields(L, n->items[i], "factor", keys, v)) ||
            (v[6] && (rc = zf__get_bool(L, v[6], "mandatory", &f[i].mandatory))) ||
            (v[5] && (rc = zf__get_str(L, v[5], "note", &note))) ||
            (rc = zf__need(L, n->items[i], v[0], "id", "factor")) ||
            (rc = zf__need(L, n->items[i], v[1], "label", "factor")) ||
            (rc = zf__need(L, n->items[i], v[2], "effect", "factor")) ||
            (rc = zf__need(L, n->items[i], v[3], "when", "factor")) ||
            (rc = zf__get_id(L, v[0], "factor id", &f[i].id)) ||
            (rc = zf__get_str(L, v[1], "label", &f[i].label)) ||
            (rc = zf__get_enum(L, v[2], "effect", effects, 2, &f[i].effect)) ||
            (rc = zf__get_expr(L, v[3], NULL, ZF_TYPE_BOOL, &f[i].when)) ||
            (v[4] && (rc = zf__get_cite(L, v[4], &f[i].cite))))
            return rc;
        f[i].line = n->items[i]->line;
        if (f[i].mandatory && f[i].effect)
            return zf__err_at(L, v[6], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "only a lighter factor can be mandatory "
                          "(行政处罚法第三十二条)");
        for (j = 0; j < i; j++)
            if (strcmp(f[j].id, f[i].id) == 0)
                return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "factor '%s' is defined twice", f[i].id);
    }
    p->factors = f;
    p->n_factors = n->n;
    return ZF_OK;
}

static zf_status
get_mitigation(struct loader *L, const struct zf__ynode *n,
               struct zf__profile *p)
{
    static const char *const keys[] = {"lighter_factors", "band", "cite",
                                       "note", NULL};
    const struct zf__ynode *v[5];
    const char *note;
    int64_t at;
    zf_status rc = zf__fields(L, n, "mitigation", keys, v);

    if (rc || (rc = zf__need(L, n, v[0], "lighter_factors", "mitigation")) ||
        (rc = zf__need(L, n, v[1], "band", "mitigation")) ||
        (rc = zf__get_int(L, v[0], "lighter_factors", 1, 100, &at)) ||
        (rc = zf__get_pair(L, v[1], "band", 0, 99, &p->mitigated[0],
                       &p->mitigated[1])) ||
        (v[2] && (rc = zf__get_cite(L, v[2], &p->mitigate_cite))) ||
        (v[3] && (rc = zf__get_str(L, v[3], "note", &note))))
        return rc;
    p->mitigate_at = (int)at;
    return ZF_OK;
}

static zf_status
get_itemlist(struct loader *L, const struct zf__ynode *n, const char *what,
             struct zf__itemlist *out)
{
    static const char *const keys[] = {"items", "tags", "cite", "note", NULL};
    const struct zf__ynode *v[5];
    zf_status rc = zf__fields(L, n, what, keys, v);

    if (rc)
        return rc;
    out->line = n->line;
    if (v[0]) {
        if (v[0]->kind == ZF_Y_SCALAR && !v[0]->plain &&
            strcmp(v[0]->str, "*") == 0)
            out->all = true;
        else if ((rc = zf__get_str_list(L, v[0], "items", &out->ids,
                                    &out->n_ids)))
            return rc;
    }
    if ((v[1] && (rc = zf__get_str_list(L, v[1], "tags", &out->tags,
                                    &out->n_tags))) ||
        (v[2] && (rc = zf__get_cite(L, v[2], &out->cite))) ||
        (v[3] && (rc = zf__get_str(L, v[3], "note", &out->note))))
        return rc;
    return ZF_OK;
}

static zf_status
get_exemptions(struct loader *L, const struct zf__ynode *n,
               struct zf__profile *p)
{
    static const char *const keys[] = {"minor", "first_offence", "no_fault",
                                       NULL};
    const struct zf__ynode *v[4];
    zf_status rc = zf__fields(L, n, "exemptions", keys, v);

    if (rc || (v[0] && (rc = get_itemlist(L, v[0], "minor",
                                          &p->minor_exempt))) ||
        (v[1] && (rc = get_itemlist(L, v[1], "first_offence",
                                    &p->first_offence))) ||
        (v[2] && (rc = get_itemlist(L, v[2], "no_fault", &p->no_fault))))
        return rc;
    return ZF_OK;
}

static zf_status
get_limitation(struct loader *L, const struct zf__ynode *n,
               struct zf__profile *p)
{
    static const char *const keys[] = {"years", "extended_years",
                                       "extended_when", "cite", "note", NULL};
    const struct zf__ynode *v[6];
    const char *note;
    int64_t y = 0, ey = 0;
    zf_status rc = zf__fields(L, n, "limitation", keys, v);

    if (rc || (rc = zf__need(L, n, v[0], "years", "limitation")) ||
        (rc = zf__get_int(L, v[0], "years", 1, 100, &y)) ||
        (v[1] && (rc = zf__get_int(L, v[1], "extended_years", 1, 100, &ey))) ||
        (v[2] && (rc = zf__get_expr(L, v[2], NULL, ZF_TYPE_BOOL,
                                &p->lim_ext_when))) ||
        (v[3] && (rc = zf__get_cite(L, v[3], &p->lim_cite))) ||
        (v[4] && (rc = zf__get_str(L, v[4], "note", &note))))
        return rc;
    if (!v[1] != !v[2])
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "'extended_years' and 'extended_when' go together");
    p->lim_years = (int)y;
    p->lim_ext_years = (int)ey;
    return ZF_OK;
}

static zf_status
get_elements(struct loader *L, const struct zf__ynode *n,
             struct zf__profile *p)
{
    static const char *const keys[] = {"id", "label", "levels", NULL};
    static const char *const lkeys[] = {"when", "percent", "label", NULL};
    struct zf__element *e;
    size_t i, j;
    zf_status rc = zf__get_seq(L, n, "elements");

    if (rc || !n->n)
        return rc;
    e = ZF_ARENA_NEWN(L->arena, struct zf__element, n->n);
    if (!e)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[4];
        struct zf__level *lv;

        if ((rc = zf__fields(L, n->items[i], "element", keys, v)) ||
            (rc = zf__need(L, n->items[i], v[0], "id", "element")) ||
            (rc = zf__need(L, n->items[i], v[1], "label", "element")) ||
            (rc = zf__need(L, n->items[i], v[2], "levels", "element")) ||
            (rc = zf__get_id(L, v[0], "element id", &e[i].id)) ||
            (rc = zf__get_str(L, v[1], "label", &e[i].label)) ||
            (rc = zf__get_seq(L, v[2], "levels")))
            return rc;
        e[i].line = n->items[i]->line;
        if (!v[2]->n)
            return zf__err_at(L, v[2], ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                          "an element needs at least one level");
        lv = ZF_ARENA_NEWN(L->arena, struct zf__level, v[2]->n);
        if (!lv)
            return zf__nomem(L);
        for (j = 0; j < v[2]->n; j++) {
            const struct zf__ynode *w[4], *ln = v[2]->items[j];
            int32_t lo, hi;
            if ((rc = zf__fields(L, ln, "level", lkeys, w)) ||
                (rc = zf__need(L, ln, w[1], "percent", "level")) ||
                (rc = zf__get_pair(L, w[1], "percent", 0, 100, &lo, &hi)) ||
                (w[0] && (rc = zf__get_expr(L, w[0], NULL, ZF_TYPE_BOOL,
                                        &lv[j].when))) ||
                (w[2] && (rc = zf__get_str(L, w[2], "label", &lv[j].label))))
                return rc;
            if (lo != hi)
                return zf__err_at(L, w[1], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                              "a level's percent is one number");
            if (!w[0] && j + 1 < v[2]->n)
                return zf__err_at(L, ln, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                              "a level without 'when' always applies; it "
                              "must be the last");
            lv[j].percent = lo;
            lv[j].line = ln->line;
        }
        e[i].levels = lv;
        e[i].n_levels = v[2]->n;
    }
    p->elements = e;
    p->n_elements = n->n;
    return ZF_OK;
}

zf_status
zf__load_profile(struct loader *L, const struct zf__ynode *n)
{
    static const char *const keys[] = {
        "id", "title", "policy", "note", "tiers", "recommend", "round_to",
        "procedure", "method", "factors", "mitigation", "exemptions",
        "maximum", "elements", "consequences", "limitation", "same_act",
        "match", NULL};
    static const char *const mkeys[] = {"min_score", "margin",
                                        "out_of_domain", NULL};
    static const char *const methods[] = {"bands", "additive"};
    static const char *const prkeys[] = {"summary_unit", "summary_person",
                                         "hearing_unit", "hearing_person",
                                         "legal_review", "collective",
                                         NULL};
    static const char *const tkeys[] = {"range", "upto", NULL};
    static const char *const rec[] = {"midpoint", "low", "high"};
    static const char *const policies[] = {"local", "national", "example"};
    const struct zf__ynode *v[19], *tv[3], *pv[7], *mv[4];
    struct zf__profile *p;
    size_t i;
    int k;
    zf_status rc = zf__fields(L, n, "profile", keys, v);

    if (rc || (rc = zf__need(L, n, v[0], "id", "profile")) ||
        (rc = zf__need(L, n, v[1], "title", "profile")) ||
        (rc = zf__need(L, n, v[4], "tiers", "profile")))
        return rc;
    p = ZF_ARENA_NEW(L->arena, struct zf__profile);
    if (!p)
        return zf__nomem(L);
    p->file = L->cur->src;
    p->line = n->line;
    p->round_to = 1;
    p->policy = "local";
    /* 行政处罚法第五十一条: 公民200元以下、法人3000元以下; the 听证
     * thresholds are the common provincial figures (legal.md §3), which a
     * profile overrides */
    p->summary_unit = 3000;
    p->summary_person = 200;
    p->hearing_unit = 50000;
    p->hearing_person = 20000;
    p->legal_review_when = ZF_TRIG_HEARING | ZF_TRIG_MITIGATED;
    p->collective_when = ZF_TRIG_MITIGATED;
    /* recognition's decision rule (match.c; docs/matching.md) */
    p->match_min = ZF__MATCH_MIN_DEFAULT;
    p->match_margin = ZF__MATCH_MARGIN_DEFAULT;
    p->match_ood = ZF__MATCH_OOD_DEFAULT;
    if (v[17]) {
        int64_t *mdst[3] = {&p->match_min, &p->match_margin, &p->match_ood};
        if ((rc = zf__fields(L, v[17], "match", mkeys, mv)))
            return rc;
        for (k = 0; k < 3; k++)
            if (mv[k] && (rc = zf__get_int(L, mv[k], mkeys[k], 0, 100, mdst[k])))
                return rc;
    }
    if ((rc = zf__get_id(L, v[0], "profile id", &p->id)) ||
        (rc = zf__get_str(L, v[1], "title", &p->title)) ||
        (v[3] && (rc = zf__get_str(L, v[3], "note", &p->note))) ||
        (rc = zf__fields(L, v[4], "tiers", tkeys, tv)) ||
        (rc = zf__need(L, v[4], tv[0], "range", "tiers")) ||
        (rc = zf__need(L, v[4], tv[1], "upto", "tiers")) ||
        (rc = get_bands(L, tv[0], p->bands[0])) ||
        (rc = get_bands(L, tv[1], p->bands[1])))
        return rc;
    if (v[2]) {
        if ((rc = zf__get_enum(L, v[2], "policy", policies, 3, &k)))
            return rc;
        p->policy = policies[k];
    }
    if (v[5]) {
        if ((rc = zf__get_enum(L, v[5], "recommend", rec, 3, &k)))
            return rc;
        p->recommend = k;
    }
    if (v[6] && (rc = zf__get_int(L, v[6], "round_to", 1, 1000000, &p->round_to)))
        return rc;
    if (v[7]) {
        int64_t *dst[4] = {&p->summary_unit, &p->summary_person,
                           &p->hearing_unit, &p->hearing_person};
        if ((rc = zf__fields(L, v[7], "procedure", prkeys, pv)))
            return rc;
        for (k = 0; k < 4; k++)
            if (pv[k] && (rc = zf__get_int(L, pv[k], prkeys[k], 0, MONEY_MAX,
                                       dst[k])))
                return rc;
        if ((pv[4] && (rc = zf__get_triggers(L, pv[4], &p->legal_review_when))) ||
            (pv[5] && (rc = zf__get_triggers(L, pv[5], &p->collective_when))))
            return rc;
    }
    if (v[8]) {
        if ((rc = zf__get_enum(L, v[8], "method", methods, 2, &k)))
            return rc;
        p->method = k;
    }
    if ((v[9] && (rc = get_factors(L, v[9], p))) ||
        (v[10] && (rc = get_mitigation(L, v[10], p))) ||
        (v[11] && (rc = get_exemptions(L, v[11], p))) ||
        (v[12] && (rc = get_itemlist(L, v[12], "maximum", &p->maximum))) ||
        (v[13] && (rc = get_elements(L, v[13], p))) ||
        (v[14] && (rc = zf__get_consequences(L, v[14], NULL, false,
                                         &p->consequences,
                                         &p->n_consequences))) ||
        (v[15] && (rc = get_limitation(L, v[15], p))) ||
        (v[16] && (rc = zf__get_cite(L, v[16], &p->merge_cite))))
        return rc;
    if (p->method == 1 && !p->n_elements)
        return zf__err_at(L, v[8], ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "the additive method needs 'elements'");
    for (i = 0; i < L->profiles.n; i++)
        if (strcmp(((const struct zf__profile *)L->profiles.v[i])->id,
                   p->id) == 0)
            return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                          "profile '%s' is defined twice", p->id);
    return zf__vec_push(L, &L->profiles, p);
}
