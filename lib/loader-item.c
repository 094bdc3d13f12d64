/* SPDX-License-Identifier: MIT */
/*
 * Checklist items and domains: facts, conditions, patterns, consequences,
 * discretion grades.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

/* ------------------------------------------------------------------ */
/* items and domains */

static const char *const type_names[] = {"bool", "int", "money", "string",
                                         "date", "enum"};
static const enum zf__type type_values[] = {
    ZF_TYPE_BOOL, ZF_TYPE_INT, ZF_TYPE_MONEY, ZF_TYPE_STRING, ZF_TYPE_DATE,
    ZF_TYPE_ENUM};

static zf_status
get_facts(struct loader *L, const struct zf__ynode *n, struct zf__item *it)
{
    static const char *const keys[] = {"type", "label", "min", "max",
                                       "values", NULL};
    struct zf__fact *facts;
    struct zf__fact_bounds *bounds;
    size_t i, j;
    zf_status rc;

    if (n->kind != ZF_Y_MAP)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "facts must map fact names to declarations");
    if (n->n > ZF__MAX_ITEM_FACTS)
        return zf__err_at(L, n, ZF_ELIMIT, ZF_DIAG_LIMIT_COUNT,
                      "an item may declare at most %d facts",
                      ZF__MAX_ITEM_FACTS);
    if (!n->n)
        return ZF_OK;
    facts = ZF_ARENA_NEWN(L->arena, struct zf__fact, n->n);
    bounds = ZF_ARENA_NEWN(L->arena, struct zf__fact_bounds, n->n);
    if (!facts || !bounds)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *key = n->pairs[i].key, *v[6];
        const char *name = key->str;
        int t;

        if (!(name[0] >= 'a' && name[0] <= 'z') && name[0] != '_')
            goto badname;
        for (j = 0; name[j]; j++)
            if (!((name[j] >= 'a' && name[j] <= 'z') || name[j] == '_' ||
                  (name[j] >= '0' && name[j] <= '9')))
                goto badname;
        for (j = 0; j < ZF__N_BUILTINS; j++)
            if (strcmp(name, zf__builtins[j].name) == 0)
                return zf__err_at(L, key, ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "fact '%s' would hide the built-in fact of "
                              "the same name", name);
        if ((rc = zf__fields(L, n->pairs[i].value, "fact", keys, v)) ||
            (rc = zf__need(L, n->pairs[i].value, v[0], "type", "fact")) ||
            (rc = zf__get_enum(L, v[0], "fact type", type_names, 6, &t)))
            return rc;
        facts[i].name = name;
        facts[i].type = type_values[t];
        facts[i].slot = (uint16_t)(ZF__N_BUILTINS + i);
        if (v[1] && (rc = zf__get_str(L, v[1], "label", &facts[i].label)))
            return rc;
        if ((v[2] || v[3]) && facts[i].type != ZF_TYPE_INT &&
            facts[i].type != ZF_TYPE_MONEY)
            return zf__err_at(L, v[2] ? v[2] : v[3], ZF_ESCHEMA,
                          ZF_DIAG_BAD_VALUE,
                          "min/max apply to int and money facts only");
        if (v[2]) {
            bounds[i].has_min = true;
            if ((rc = zf__get_int(L, v[2], "min", -MONEY_MAX, MONEY_MAX,
                              &bounds[i].min)))
                return rc;
        }
        if (v[3]) {
            bounds[i].has_max = true;
            if ((rc = zf__get_int(L, v[3], "max", -MONEY_MAX, MONEY_MAX,
                              &bounds[i].max)))
                return rc;
        }
        if (facts[i].type == ZF_TYPE_ENUM) {
            if ((rc = zf__need(L, n->pairs[i].value, v[4], "values",
                           "enum fact")) ||
                (rc = zf__get_str_list(L, v[4], "values",
                                   &facts[i].enum_values,
                                   &facts[i].n_enum_values)))
                return rc;
            if (!facts[i].n_enum_values)
                return zf__err_at(L, v[4], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                              "an enum needs at least one value");
        } else if (v[4]) {
            return zf__err_at(L, v[4], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "'values' applies to enum facts only");
        }
        continue;
badname:
        return zf__err_at(L, key, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "fact name '%s' must match [a-z_][a-z0-9_]*", name);
    }
    it->facts = facts;
    it->bounds = bounds;
    it->n_facts = n->n;
    return ZF_OK;
}

zf_status
zf__get_expr(struct loader *L, const struct zf__ynode *n,
         const struct zf__item *it, enum zf__type want,
         const struct zf__expr **out)
{
    struct zf__schema schema = {it ? it->facts : NULL, it ? it->n_facts : 0,
                                zf__builtins, ZF__N_BUILTINS};
    struct zf__expr_env env;
    struct zf__expr_diag d;
    zf_status rc;

    if (n->kind != ZF_Y_SCALAR || zf__plain_reserved(n))
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "a condition must be an expression string");
    memset(&env, 0, sizeof(env));
    env.ctx = L->ctx;
    env.arena = L->arena;
    env.schema = &schema;
    env.max_depth = (unsigned)zf__limit(L->ctx, ZF_LIMIT_EXPR_DEPTH);
    env.compile_regex = zf__expr_regex_cb;
    env.regex_ud = L;
    memset(&d, 0, sizeof(d));
    rc = zf__expr_compile(out, &env, n->str, n->len, want, &d);
    if (rc == ZF_OK)
        return ZF_OK;
    if (rc == ZF_ENOMEM)
        return zf__nomem(L);
    rc = zf__err_at(L, n, rc, d.diag, "%s", d.message);
    if (L->err)
        L->err->column = zf__scalar_column(n, d.offset);
    return rc;
}

/* A citation for rule data: a legal reference rendered to Chinese. */
zf_status
zf__get_cite(struct loader *L, const struct zf__ynode *n, const char **out)
{
    struct zf__ref r;
    zf_status rc = zf__get_ref(L, n, "cite", &r, NULL);

    if (!rc)
        *out = r.cite;
    return rc;
}

zf_status
zf__get_consequences(struct loader *L, const struct zf__ynode *n,
                 const struct zf__item *it, bool item_level,
                 const struct zf__consequence **out, size_t *count)
{
    static const char *const keys[] = {"flag", "when", "cite", "reason",
                                       "note", NULL};
    struct zf__consequence *c;
    size_t i;
    zf_status rc = zf__get_seq(L, n, item_level ? "referrals" : "consequences");

    if (rc || !n->n)
        return rc;
    c = ZF_ARENA_NEWN(L->arena, struct zf__consequence, n->n);
    if (!c)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[6];
        const char *note;
        if ((rc = zf__fields(L, n->items[i], item_level ? "referral"
                                                    : "consequence",
                         keys, v)) ||
            (rc = zf__need(L, n->items[i], v[2], "cite", "consequence")) ||
            (rc = zf__get_cite(L, v[2], &c[i].cite)) ||
            (v[1] && (rc = zf__get_expr(L, v[1], it, ZF_TYPE_BOOL,
                                    &c[i].when))) ||
            (v[3] && (rc = zf__get_str(L, v[3], "reason", &c[i].reason))) ||
            (v[4] && (rc = zf__get_str(L, v[4], "note", &note))))
            return rc;
        c[i].flag = ZF_CONS_CRIMINAL_REFERRAL;
        if (v[0] && (rc = zf__get_enum(L, v[0], "flag", zf__cons_names,
                                   ZF_CONS_COUNT_, &c[i].flag)))
            return rc;
        if (!v[0] && !item_level)
            return zf__need(L, n->items[i], NULL, "flag", "consequence");
        c[i].file = L->cur->src;
        c[i].line = n->items[i]->line;
    }
    *out = c;
    *count = n->n;
    return ZF_OK;
}

zf_status
zf__get_triggers(struct loader *L, const struct zf__ynode *n, uint32_t *out)
{
    static const char *const names[] = {"hearing", "mitigated",
                                        "major_hazard", "closure_request",
                                        "maximum"};
    size_t i;
    int k;
    zf_status rc = zf__get_seq(L, n, "procedure triggers");

    if (rc)
        return rc;
    *out = 0;
    for (i = 0; i < n->n; i++) {
        if ((rc = zf__get_enum(L, n->items[i], "trigger", names, 5, &k)))
            return rc;
        *out |= 1u << k;
    }
    return ZF_OK;
}

static zf_status
get_discretion(struct loader *L, const struct zf__ynode *n,
               struct zf__item *it)
{
    static const char *const keys[] = {"when", "tier", "reason", NULL};
    struct zf__disc_row *rows;
    size_t i;
    zf_status rc = zf__get_seq(L, n, "discretion");

    if (rc)
        return rc;
    if (!n->n)
        return ZF_OK;
    rows = ZF_ARENA_NEWN(L->arena, struct zf__disc_row, n->n);
    if (!rows)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[4];
        int t;

        if ((rc = zf__fields(L, n->items[i], "discretion row", keys, v)) ||
            (rc = zf__need(L, n->items[i], v[1], "tier", "discretion row")) ||
            (rc = zf__get_enum(L, v[1], "tier", zf__tier_names, 3, &t)))
            return rc;
        rows[i].tier = (enum zf__tier)t;
        rows[i].line = n->items[i]->line;
        if (v[0] && (rc = zf__get_expr(L, v[0], it, ZF_TYPE_BOOL,
                                   &rows[i].when)))
            return rc;
        if (!v[0] && i + 1 < n->n)
            return zf__err_at(L, n->items[i], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "a row without 'when' always matches; it must be "
                          "the last row");
        if (v[2] && (rc = zf__get_str(L, v[2], "reason", &rows[i].reason)))
            return rc;
    }
    it->rows = rows;
    it->n_rows = n->n;
    return ZF_OK;
}

/* accident_grade: rows { when, grade, reason } deciding the accident grade
 * from the item's facts when the case does not give it (the thresholds are
 * data: 生产安全事故报告和调查处理条例第三条). */
static zf_status
get_grade_rows(struct loader *L, const struct zf__ynode *n,
               struct zf__item *it)
{
    static const char *const keys[] = {"when", "grade", "reason", NULL};
    struct zf__grade_row *rows;
    size_t i;
    zf_status rc = zf__get_seq(L, n, "accident_grade");

    if (rc)
        return rc;
    if (!n->n)
        return ZF_OK;
    rows = ZF_ARENA_NEWN(L->arena, struct zf__grade_row, n->n);
    if (!rows)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[4];
        int g;

        if ((rc = zf__fields(L, n->items[i], "accident_grade row", keys, v)) ||
            (rc = zf__need(L, n->items[i], v[1], "grade",
                       "accident_grade row")) ||
            (rc = zf__get_enum(L, v[1], "grade", zf__accident_names,
                           ZF_ACC_COUNT_, &g)))
            return rc;
        if (g <= ZF_ACC_NONE)
            return zf__err_at(L, v[1], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "an accident_grade row names a grade (general, "
                          "larger, major, especially_major)");
        rows[i].grade = g;
        rows[i].line = n->items[i]->line;
        if (v[0] && (rc = zf__get_expr(L, v[0], it, ZF_TYPE_BOOL,
                                   &rows[i].when)))
            return rc;
        if (!v[0] && i + 1 < n->n)
            return zf__err_at(L, n->items[i], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "a row without 'when' always matches; it must be "
                          "the last row");
        if (v[2] && (rc = zf__get_str(L, v[2], "reason", &rows[i].reason)))
            return rc;
    }
    it->grade_rows = rows;
    it->n_grade_rows = n->n;
    return ZF_OK;
}

const struct zf__provision *
zf__find_provision(struct loader *L, const char *key)
{
    size_t i;

    for (i = 0; i < L->provisions.n; i++) {
        const struct zf__provision *p = L->provisions.v[i];
        if (strcmp(p->id, key) == 0)
            return p;
    }
    return NULL;
}

static zf_status
load_item(struct loader *L, const struct zf__domain *dom,
          const struct zf__ynode *n, struct zf__item **out)
{
    static const char *const keys[] = {
        "id", "title", "conduct", "violates", "penalty", "major_hazard",
        "must_check", "tags", "priority", "patterns", "exclude", "facts",
        "discretion", "default_tier", "verified", "note", "referrals",
        "accident_grade", "old_penalty", NULL};
    enum { ID, TITLE, CONDUCT, VIOLATES, PENALTY, MH, MUST, TAGS, PRIO, PATS,
           EXCL, FACTS, DISC, DEFT, VERIF, NOTE, REFS, GRADE, OLDPEN };
    const struct zf__ynode *v[20];
    struct zf__item *it;
    struct parsed_ref pr;
    struct zf__ref pref;
    int64_t prio = 0;
    int t;
    zf_status rc = zf__fields(L, n, "item", keys, v);

    if (rc || (rc = zf__need(L, n, v[ID], "id", "item")) ||
        (rc = zf__need(L, n, v[TITLE], "title", "item")) ||
        (rc = zf__need(L, n, v[CONDUCT], "conduct", "item")) ||
        (rc = zf__need(L, n, v[VIOLATES], "violates", "item")) ||
        (rc = zf__need(L, n, v[PENALTY], "penalty", "item")))
        return rc;
    it = ZF_ARENA_NEW(L->arena, struct zf__item);
    if (!it)
        return zf__nomem(L);
    it->domain = dom;
    it->file = L->cur->src;
    it->line = n->line;
    it->column = n->column;
    it->default_tier = ZF_TIER_NORMAL;
    it->index = L->items.n;
    if ((rc = zf__get_id(L, v[ID], "item id", &it->id)) ||
        (rc = zf__get_str(L, v[TITLE], "title", &it->title)) ||
        (rc = zf__get_str(L, v[CONDUCT], "conduct", &it->conduct)) ||
        (rc = zf__get_ref_list(L, v[VIOLATES], "violates", &it->violates,
                           &it->n_violates)) ||
        (rc = zf__get_ref(L, v[PENALTY], "penalty", &pref, &pr)))
        return rc;
    it->provision = zf__find_provision(L, pr.key);
    if (!it->provision && pr.para) {
        /* aqsc:103.2 may be written for a provision on the whole article */
        char key[96];
        snprintf(key, sizeof(key), "%s:%u", pr.law, pr.article);
        it->provision = zf__find_provision(L, key);
    }
    if (!it->provision)
        return zf__err_at(L, v[PENALTY], ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                      "penalty '%s' names no provision (no '%s' in law '%s')",
                      pref.ref, pr.key, pr.law);
    it->clause = (int)pr.item;
    if (pr.item && it->provision->clauses &&
        (int)pr.item > it->provision->clauses)
        return zf__err_at(L, v[PENALTY], ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                      "penalty '%s': provision %s has only %d clauses (项)",
                      pref.ref, it->provision->id, it->provision->clauses);
    it->basis = pref.cite;
    if (v[OLDPEN]) {
        /* the earlier texts did not cover this conduct (mapped by conduct,
         * not by 项 number): an act before the current text has no basis */
        if (!zf__plain_is(v[OLDPEN], "none"))
            return zf__err_at(L, v[OLDPEN], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "old_penalty supports only 'none' (the earlier "
                          "texts did not cover the conduct)");
        it->old_none = true;
    }
    if (v[MH] && (rc = zf__get_ref_list(L, v[MH], "major_hazard", &it->hazards,
                                    &it->n_hazards)))
        return rc;
    if ((v[MUST] && (rc = zf__get_bool(L, v[MUST], "must_check",
                                   &it->must_check))) ||
        (v[TAGS] && (rc = zf__get_str_list(L, v[TAGS], "tags", &it->tags,
                                       &it->n_tags))) ||
        (v[PRIO] && (rc = zf__get_int(L, v[PRIO], "priority", -1000, 1000,
                                  &prio))) ||
        (v[PATS] && (rc = zf__get_patterns(L, v[PATS], "patterns",
                                       &it->patterns, &it->n_patterns))) ||
        (v[EXCL] && (rc = zf__get_patterns(L, v[EXCL], "exclude", &it->excludes,
                                       &it->n_excludes))) ||
        (v[FACTS] && (rc = get_facts(L, v[FACTS], it))) ||
        (v[DISC] && (rc = get_discretion(L, v[DISC], it))) ||
        (v[GRADE] && (rc = get_grade_rows(L, v[GRADE], it))) ||
        (v[VERIF] && (rc = zf__get_str(L, v[VERIF], "verified",
                                   &it->verified))) ||
        (v[NOTE] && (rc = zf__get_str(L, v[NOTE], "note", &it->note))) ||
        (v[REFS] && (rc = zf__get_consequences(L, v[REFS], it, true,
                                           &it->referrals,
                                           &it->n_referrals))))
        return rc;
    it->priority = (int)prio;
    {
        uint32_t tmp[512];
        size_t nb = zf__bigrams(it->title, strlen(it->title), tmp, 256);
        uint32_t *bg;
        nb += zf__bigrams(it->conduct, strlen(it->conduct), tmp + nb, 256);
        /* merge the two sorted runs by re-sorting (small) */
        nb = zf__bigrams_merge(tmp, nb);
        bg = ZF_ARENA_NEWN(L->arena, uint32_t, nb ? nb : 1);
        if (!bg)
            return zf__nomem(L);
        memcpy(bg, tmp, nb * sizeof(*bg));
        it->bigrams = bg;
        it->n_bigrams = nb;
    }
    if (v[DEFT]) {
        if ((rc = zf__get_enum(L, v[DEFT], "default_tier", zf__tier_names, 3,
                           &t)))
            return rc;
        it->default_tier = (enum zf__tier)t;
    }
    *out = it;
    return zf__vec_push(L, &L->items, it);
}

zf_status
zf__load_domain(struct loader *L, const struct zf__ynode *n)
{
    static const char *const keys[] = {"id", "name", "aliases", "common",
                                       "items", "note", NULL};
    const struct zf__ynode *v[7];
    struct zf__domain *d;
    const struct zf__item **items = NULL;
    const char *note;
    size_t i;
    zf_status rc = zf__fields(L, n, "domain", keys, v);

    if (rc || (rc = zf__need(L, n, v[0], "id", "domain")) ||
        (rc = zf__need(L, n, v[1], "name", "domain")) ||
        (rc = zf__need(L, n, v[4], "items", "domain")))
        return rc;
    d = ZF_ARENA_NEW(L->arena, struct zf__domain);
    if (!d)
        return zf__nomem(L);
    d->file = L->cur->src;
    d->line = n->line;
    d->index = L->domains.n;
    if ((rc = zf__get_id(L, v[0], "domain id", &d->id)) ||
        (rc = zf__get_str(L, v[1], "name", &d->name)) ||
        (v[2] && (rc = zf__get_str_list(L, v[2], "aliases", &d->aliases,
                                    &d->n_aliases))) ||
        (v[3] && (rc = zf__get_bool(L, v[3], "common", &d->common))) ||
        (v[5] && (rc = zf__get_str(L, v[5], "note", &note))) ||
        (rc = zf__get_seq(L, v[4], "items")))
        return rc;
    for (i = 0; i < L->domains.n; i++) {
        const struct zf__domain *o = L->domains.v[i];
        size_t a;
        if (strcmp(o->id, d->id) == 0 || strcmp(o->name, d->name) == 0)
            return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                          "domain '%s' (%s) is defined twice", d->id,
                          d->name);
        for (a = 0; a < d->n_aliases; a++) {
            size_t b;
            bool clash = strcmp(o->id, d->aliases[a]) == 0 ||
                         strcmp(o->name, d->aliases[a]) == 0;
            for (b = 0; !clash && b < o->n_aliases; b++)
                clash = strcmp(o->aliases[b], d->aliases[a]) == 0;
            if (clash)
                return zf__err_at(L, v[2], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "alias '%s' names another domain",
                              d->aliases[a]);
        }
        for (a = 0; a < o->n_aliases; a++)
            if (strcmp(o->aliases[a], d->id) == 0 ||
                strcmp(o->aliases[a], d->name) == 0)
                return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "domain '%s' (%s) is another domain's alias",
                              d->id, d->name);
    }
    if (v[4]->n) {
        items = ZF_ARENA_NEWN(L->arena, const struct zf__item *, v[4]->n);
        if (!items)
            return zf__nomem(L);
    }
    if ((size_t)zf__limit(L->ctx, ZF_LIMIT_RULES) < L->items.n + v[4]->n)
        return zf__err_at(L, v[4], ZF_ELIMIT, ZF_DIAG_LIMIT_COUNT,
                      "more than %ld items in the rule set",
                      zf__limit(L->ctx, ZF_LIMIT_RULES));
    for (i = 0; i < v[4]->n; i++) {
        struct zf__item *it = NULL;
        if ((rc = load_item(L, d, v[4]->items[i], &it))) {
            /* name the item the error is in, when it has an id */
            const struct zf__ynode *in = v[4]->items[i];
            size_t k;
            for (k = 0; in->kind == ZF_Y_MAP && k < in->n; k++)
                if (strcmp(in->pairs[k].key->str, "id") == 0 &&
                    in->pairs[k].value->kind == ZF_Y_SCALAR)
                    zf__error_rule(L->err, in->pairs[k].value->str);
            return rc;
        }
        items[i] = it;
    }
    d->items = items;
    d->n_items = v[4]->n;
    return zf__vec_push(L, &L->domains, d);
}
