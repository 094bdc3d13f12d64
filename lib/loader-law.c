/* SPDX-License-Identifier: MIT */
/*
 * Laws and their provisions: fines, limbs, orders, stages.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

/* ------------------------------------------------------------------ */
/* fines, stages, provisions, laws */

zf_status
zf__get_pair(struct loader *L, const struct zf__ynode *n, const char *what,
         int64_t lo, int64_t hi, int32_t *a, int32_t *b)
{
    int64_t x, y;
    zf_status rc;

    if (n->kind == ZF_Y_SCALAR) {
        rc = zf__get_int(L, n, what, lo, hi, &x);
        if (rc)
            return rc;
        *a = *b = (int32_t)x;
        return ZF_OK;
    }
    if (n->kind != ZF_Y_SEQ || n->n != 2)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a number or a list [low, high]", what);
    if ((rc = zf__get_int(L, n->items[0], what, lo, hi, &x)) ||
        (rc = zf__get_int(L, n->items[1], what, lo, hi, &y)))
        return rc;
    if (x > y)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_RANGE,
                      "%s: low %lld is above high %lld", what, (long long)x,
                      (long long)y);
    *a = (int32_t)x;
    *b = (int32_t)y;
    return ZF_OK;
}

static zf_status get_fine(struct loader *L, const struct zf__ynode *n,
                          const struct zf__fine **out, int nested);

/* `nested`: 0 a limb's fine, 1 the 'otherwise' of a multiple, 2 one grade
 * of a by_accident (which may carry its own 'aggravated', e.g. the 2014
 * 第一百零九条 raises only 特别重大事故 when 情节特别严重). */
static zf_status
get_fine(struct loader *L, const struct zf__ynode *n,
         const struct zf__fine **out, int nested)
{
    static const char *const keys[] = {
        "upto", "from", "fixed", "multiple", "of", "threshold", "otherwise",
        "percent", "by_accident", "aggravated", "discretionary", NULL};
    enum { UPTO, FROM, FIXED, MULT, OF, THRESH, OTHER, PCT, BYACC, AGGR,
           DISC };
    const struct zf__ynode *v[12];
    struct zf__fine *f;
    const char *of;
    size_t i;
    int shapes = 0;
    zf_status rc = zf__fields(L, n, "fine", keys, v);

    if (rc)
        return rc;
    f = ZF_ARENA_NEW(L->arena, struct zf__fine);
    if (!f)
        return zf__nomem(L);
    f->line = n->line;
    if (v[DISC] && (rc = zf__get_bool(L, v[DISC], "discretionary",
                                  &f->discretionary)))
        return rc;
    shapes = (v[UPTO] && !v[FROM]) + (v[FROM] != NULL) + (v[FIXED] != NULL) +
             (v[MULT] != NULL) + (v[PCT] != NULL) + (v[BYACC] != NULL);
    if (shapes != 1)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "a fine needs exactly one of upto, from+upto, fixed, "
                      "multiple, percent, by_accident");
    if (v[FROM] && !v[UPTO])
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "fine with 'from' needs 'upto'");
    if ((v[OF] && !v[MULT] && !v[PCT]) || (v[THRESH] && !v[MULT]) ||
        (v[OTHER] && !v[MULT]) ||
        (v[AGGR] && !v[BYACC] && !(nested == 2 && (v[FROM] || v[FIXED]))))
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "'of', 'threshold', 'otherwise' go with 'multiple' or "
                      "'percent'; 'aggravated' with 'by_accident' or a "
                      "range of one of its grades");
    if (v[AGGR] && !v[BYACC] &&
        (rc = zf__get_pair(L, v[AGGR], "aggravated", 1, 100, &f->aggr_lo,
                       &f->aggr_hi)))
        return rc;
    if (v[UPTO] && !v[FROM]) {
        f->shape = ZF_FINE_UPTO;
        return (rc = zf__get_int(L, v[UPTO], "upto", 1, MONEY_MAX, &f->upto))
                   ? rc : (*out = f, ZF_OK);
    }
    if (v[FROM]) {
        f->shape = ZF_FINE_RANGE;
        if ((rc = zf__get_int(L, v[FROM], "from", 0, MONEY_MAX, &f->from)) ||
            (rc = zf__get_int(L, v[UPTO], "upto", 0, MONEY_MAX, &f->upto)))
            return rc;
        if (f->from > f->upto)
            return zf__err_at(L, v[FROM], ZF_ESCHEMA, ZF_DIAG_BAD_RANGE,
                          "fine range from %lld is above upto %lld",
                          (long long)f->from, (long long)f->upto);
        *out = f;
        return ZF_OK;
    }
    if (v[FIXED]) {
        f->shape = ZF_FINE_FIXED;
        if ((rc = zf__get_int(L, v[FIXED], "fixed", 0, MONEY_MAX, &f->from)))
            return rc;
        f->upto = f->from;
        *out = f;
        return ZF_OK;
    }
    if (v[MULT]) {
        f->shape = ZF_FINE_MULTIPLE;
        if ((rc = zf__get_pair(L, v[MULT], "multiple", 1, 100, &f->lo, &f->hi)))
            return rc;
        if ((rc = zf__need(L, n, v[OF], "of", "fine with 'multiple'")) ||
            (rc = zf__get_str(L, v[OF], "of", &of)))
            return rc;
        if (strcmp(of, "illegal_income") != 0)
            return zf__err_at(L, v[OF], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "'multiple' is of 'illegal_income', not '%s'", of);
        if (v[THRESH] && (rc = zf__get_int(L, v[THRESH], "threshold", 0,
                                       MONEY_MAX, &f->threshold)))
            return rc;
        if (v[OTHER]) {
            if (nested)
                return zf__err_at(L, v[OTHER], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                              "'otherwise' cannot nest");
            if ((rc = get_fine(L, v[OTHER], &f->otherwise, 1)))
                return rc;
        }
        *out = f;
        return ZF_OK;
    }
    if (v[PCT]) {
        f->shape = ZF_FINE_PERCENT;
        if ((rc = zf__get_pair(L, v[PCT], "percent", 1, 1000, &f->lo, &f->hi)))
            return rc;
        if ((rc = zf__need(L, n, v[OF], "of", "fine with 'percent'")) ||
            (rc = zf__get_str(L, v[OF], "of", &of)))
            return rc;
        if (strcmp(of, "annual_income") != 0)
            return zf__err_at(L, v[OF], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "'percent' is of 'annual_income', not '%s'", of);
        *out = f;
        return ZF_OK;
    }
    /* by_accident */
    f->shape = ZF_FINE_BY_ACCIDENT;
    if (nested)
        return zf__err_at(L, v[BYACC], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "'by_accident' cannot nest");
    if (v[BYACC]->kind != ZF_Y_MAP)
        return zf__err_at(L, v[BYACC], ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "by_accident must map accident grades to fines");
    for (i = 0; i < v[BYACC]->n; i++) {
        const struct zf__ypair *p = &v[BYACC]->pairs[i];
        int g = zf__index_of(p->key->str, zf__accident_names, ZF_ACC_COUNT_);
        if (g <= 0)
            return zf__err_at(L, p->key, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_KEY,
                          "unknown accident grade '%s' (general, larger, "
                          "major, especially_major)", p->key->str);
        if ((rc = get_fine(L, p->value, &f->by_accident[g], 2)))
            return rc;
    }
    if (v[AGGR] && (rc = zf__get_pair(L, v[AGGR], "aggravated", 1, 100,
                                  &f->aggr_lo, &f->aggr_hi)))
        return rc;
    *out = f;
    return ZF_OK;
}

static zf_status
get_limb(struct loader *L, const struct zf__ynode *n, bool persons,
         struct zf__limb *limb)
{
    static const char *const ukeys[] = {"fine", NULL};
    static const char *const pkeys[] = {"fine", "roles", NULL};
    const struct zf__ynode *v[3];
    zf_status rc = zf__fields(L, n, persons ? "persons" : "unit",
                          persons ? pkeys : ukeys, v);
    size_t i;

    if (rc)
        return rc;
    limb->line = n->line;
    if (v[0] && (rc = get_fine(L, v[0], &limb->fine, 0)))
        return rc;
    if (!persons)
        return ZF_OK;
    if (!v[1]) {
        limb->roles = (1u << ZF_ROLE_DIRECT_SUPERVISOR) |
                      (1u << ZF_ROLE_DIRECT_STAFF);
        return ZF_OK;
    }
    if ((rc = zf__get_seq(L, v[1], "roles")))
        return rc;
    for (i = 0; i < v[1]->n; i++) {
        int r;
        if ((rc = zf__get_enum(L, v[1]->items[i], "role", zf__role_names,
                           ZF_ROLE_COUNT_, &r)))
            return rc;
        limb->roles |= 1u << r;
    }
    return ZF_OK;
}


/* A penalty or a measure by another body must say so: a plain string is a
 * 责令改正-type order. The wording check below only forces a declaration;
 * it never classifies. */
static bool
reads_like_penalty(const char *s)
{
    static const char *const words[] = {"停产", "停业", "关闭", "吊销",
                                        "没收", "处分", "撤职", "暂扣",
                                        "撤销", "警告", NULL};
    size_t i;

    for (i = 0; words[i]; i++)
        if (strstr(s, words[i]))
            return true;
    return false;
}

/* orders: [责令限期改正, { text: 责令停产整顿, kind: suspension },
 *          { text: 情节严重的，责令停产停业整顿, kind: suspension,
 *            when: serious }] */
static zf_status
get_orders(struct loader *L, const struct zf__ynode *n, struct zf__pstage *st)
{
    static const char *const keys[] = {"text", "kind", "when", NULL};
    const char **texts;
    struct zf__order *info;
    size_t i;
    zf_status rc = zf__get_seq(L, n, "orders");

    if (rc)
        return rc;
    texts = ZF_ARENA_NEWN(L->arena, const char *, n->n ? n->n : 1);
    info = ZF_ARENA_NEWN(L->arena, struct zf__order, n->n ? n->n : 1);
    if (!texts || !info)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *e = n->items[i], *v[3];
        int kind = ZF_ORDER_CORRECTION;

        info[i].line = e->line;
        if (e->kind != ZF_Y_MAP) {
            if ((rc = zf__get_str(L, e, "order", &texts[i])))
                return rc;
            if (reads_like_penalty(texts[i]))
                return zf__err_at(L, e, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                              "order '%s' reads like a penalty or another "
                              "body's measure: write it as { text, kind } "
                              "(kinds: correction, suspension, closure, "
                              "revocation, confiscation, sanction, "
                              "other_authority, other_penalty)", texts[i]);
            continue;
        }
        if ((rc = zf__fields(L, e, "order", keys, v)) ||
            (rc = zf__need(L, e, v[0], "text", "order")) ||
            (rc = zf__need(L, e, v[1], "kind", "order")) ||
            (rc = zf__get_str(L, v[0], "text", &texts[i])) ||
            (rc = zf__get_enum(L, v[1], "kind", zf__order_kind_names,
                           ZF_ORDER_KIND_COUNT_, &kind)) ||
            (v[2] && (rc = zf__get_expr(L, v[2], NULL, ZF_TYPE_BOOL,
                                    &info[i].when))))
            return rc;
        info[i].kind = (uint8_t)kind;
        if (!info[i].when &&
            (kind == ZF_ORDER_SUSPENSION || kind == ZF_ORDER_CLOSURE ||
             kind == ZF_ORDER_REVOCATION))
            st->hearing_order = true;
    }
    st->orders = texts;
    st->order_info = info;
    st->n_orders = n->n;
    return ZF_OK;
}

static zf_status
get_stages(struct loader *L, const struct zf__ynode *n,
           struct zf__provision *p)
{
    static const char *const keys[] = {"stage", "orders", "unit", "persons",
                                       "note", NULL};
    struct zf__pstage *st;
    bool seen[ZF_STAGE_COUNT_] = {false, false, false, false};
    size_t i;
    zf_status rc = zf__get_seq(L, n, "stages");

    if (rc)
        return rc;
    if (!n->n)
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "a provision needs at least the 'first' stage");
    st = ZF_ARENA_NEWN(L->arena, struct zf__pstage, n->n);
    if (!st)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[6];
        int s;

        if ((rc = zf__fields(L, n->items[i], "stage", keys, v)) ||
            (rc = zf__need(L, n->items[i], v[0], "stage", "stage")) ||
            (rc = zf__get_enum(L, v[0], "stage", zf__stage_names,
                           ZF_STAGE_COUNT_, &s)))
            return rc;
        if (seen[s])
            return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                          "stage '%s' appears twice", zf__stage_names[s]);
        seen[s] = true;
        st[i].stage = (enum zf__stage)s;
        st[i].line = n->items[i]->line;
        if (v[1] && (rc = get_orders(L, v[1], &st[i])))
            return rc;
        if (v[2] && (rc = get_limb(L, v[2], false, &st[i].unit)))
            return rc;
        if (v[3] && (rc = get_limb(L, v[3], true, &st[i].persons)))
            return rc;
        if (v[4] && (rc = zf__get_str(L, v[4], "note", &st[i].note)))
            return rc;
    }
    if (!seen[ZF_STAGE_FIRST])
        return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "a provision needs a 'first' stage");
    p->stages = st;
    p->n_stages = n->n;
    return ZF_OK;
}

static zf_status
load_provision(struct loader *L, const struct zf__law *law,
               const struct zf__ynode *n)
{
    static const char *const keys[] = {"article", "clauses", "summary",
                                       "stages", "verified", "note",
                                       "maps_to", "clause_map", NULL};
    const struct zf__ynode *v[9];
    struct zf__provision *p;
    struct parsed_ref pr;
    char ref[96];
    int64_t clauses = 0;
    zf_status rc = zf__fields(L, n, "provision", keys, v);

    if (rc || (rc = zf__need(L, n, v[0], "article", "provision")) ||
        (rc = zf__need(L, n, v[3], "stages", "provision")))
        return rc;
    if (v[0]->kind != ZF_Y_SCALAR)
        return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "article must be a number like 97 or \"103.2\"");
    snprintf(ref, sizeof(ref), "%s:%s", law->id, v[0]->str);
    if (!zf__parse_ref(ref, &pr) || pr.item || !pr.article)
        return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_BAD_REF,
                      "article '%s' is not like 97, 103.2 or 134-1",
                      v[0]->str);
    p = ZF_ARENA_NEW(L->arena, struct zf__provision);
    if (!p)
        return zf__nomem(L);
    p->law = law;
    p->file = L->cur->src;
    p->line = n->line;
    p->column = n->column;
    p->id = zf__arena_strdup(L->arena, pr.key);
    p->cite = zf__render_cite(L, law, &pr, false);
    if (!p->id || !p->cite)
        return zf__nomem(L);
    if (v[1] && (rc = zf__get_int(L, v[1], "clauses", 1, 99, &clauses)))
        return rc;
    p->clauses = (int)clauses;
    if ((v[2] && (rc = zf__get_str(L, v[2], "summary", &p->summary))) ||
        (v[4] && (rc = zf__get_str(L, v[4], "verified", &p->verified))) ||
        (v[5] && (rc = zf__get_str(L, v[5], "note", &p->note))))
        return rc;
    if ((rc = get_stages(L, v[3], p)))
        return rc;
    if (v[6]) {
        if ((rc = zf__get_str(L, v[6], "maps_to", &p->maps_to_ref)))
            return rc;
        p->maps_to_line = v[6]->line;
        p->maps_to_column = v[6]->column;
    }
    if (v[7]) {
        uint16_t *cn, *co;
        size_t i;
        if (!v[6])
            return zf__err_at(L, v[7], ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                          "'clause_map' needs 'maps_to'");
        if (v[7]->kind != ZF_Y_MAP)
            return zf__err_at(L, v[7], ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                          "clause_map maps the new law's 项 to this one's, "
                          "e.g. { 5: 4 }");
        cn = ZF_ARENA_NEWN(L->arena, uint16_t, v[7]->n + 1);
        co = ZF_ARENA_NEWN(L->arena, uint16_t, v[7]->n + 1);
        if (!cn || !co)
            return zf__nomem(L);
        for (i = 0; i < v[7]->n; i++) {
            int64_t a, b;
            if ((rc = zf__get_int(L, v[7]->pairs[i].key, "clause", 1, 99, &a)) ||
                (rc = zf__get_int(L, v[7]->pairs[i].value, "clause", 1, 99, &b)))
                return rc;
            cn[i] = (uint16_t)a;
            co[i] = (uint16_t)b;
        }
        p->clause_new = cn;
        p->clause_old = co;
        p->n_clause_map = v[7]->n;
    }
    return zf__vec_push(L, &L->provisions, p);
}

static zf_status
get_renumbered(struct loader *L, const struct zf__ynode *n,
               struct zf__law *law)
{
    static const char *const keys[] = {"from", "to", "shift", NULL};
    struct zf__renumber *r;
    size_t i;
    zf_status rc = zf__get_seq(L, n, "renumbered");

    if (rc || !n->n)
        return rc;
    r = ZF_ARENA_NEWN(L->arena, struct zf__renumber, n->n);
    if (!r)
        return zf__nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[4];
        int64_t from, to, shift;
        if ((rc = zf__fields(L, n->items[i], "renumbered range", keys, v)) ||
            (rc = zf__need(L, n->items[i], v[0], "from", "renumbered range")) ||
            (rc = zf__need(L, n->items[i], v[1], "to", "renumbered range")) ||
            (rc = zf__need(L, n->items[i], v[2], "shift", "renumbered range")) ||
            (rc = zf__get_int(L, v[0], "from", 1, 9999, &from)) ||
            (rc = zf__get_int(L, v[1], "to", 1, 9999, &to)) ||
            (rc = zf__get_int(L, v[2], "shift", -999, 999, &shift)))
            return rc;
        if (from > to || from + shift < 1)
            return zf__err_at(L, n->items[i], ZF_ESCHEMA, ZF_DIAG_BAD_RANGE,
                          "renumbered range %lld..%lld (shift %lld) is "
                          "invalid", (long long)from, (long long)to,
                          (long long)shift);
        r[i].from = (uint16_t)from;
        r[i].to = (uint16_t)to;
        r[i].shift = (int16_t)shift;
    }
    law->renumbered = r;
    law->n_renumbered = n->n;
    return ZF_OK;
}

/* Laws are registered in a first pass so that provisions (second pass)
 * can be checked for duplicates and references resolved in any order. */
zf_status
zf__load_law_header(struct loader *L, const struct zf__ynode *n)
{
    static const char *const keys[] = {"id", "title", "kind", "version",
                                       "effective", "source", "verified",
                                       "provisions", "note", "applies_to",
                                       "superseded_by", "renumbered",
                                       "replaced_on", NULL};
    static const char *const kinds[] = {"law", "regulation", "rule",
                                        "standard"};
    const struct zf__ynode *v[14];
    struct zf__law *law;
    const char *note;
    int kind;
    zf_status rc = zf__fields(L, n, "law", keys, v);

    if (rc || (rc = zf__need(L, n, v[0], "id", "law")) ||
        (rc = zf__need(L, n, v[1], "title", "law")) ||
        (rc = zf__need(L, n, v[7], "provisions", "law")))
        return rc;
    law = ZF_ARENA_NEW(L->arena, struct zf__law);
    if (!law)
        return zf__nomem(L);
    law->file = L->cur->src;
    law->line = n->line;
    law->effective = INT32_MIN;
    law->replaced_on = INT32_MIN;
    law->kind = "law";
    if ((rc = zf__get_id(L, v[0], "law id", &law->id)) ||
        (rc = zf__get_str(L, v[1], "title", &law->title)))
        return rc;
    if (strchr(law->id, ':') || strchr(law->id, '.'))
        return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "law id '%s' may not contain ':' or '.'", law->id);
    if (v[2]) {
        if ((rc = zf__get_enum(L, v[2], "kind", kinds, 4, &kind)))
            return rc;
        law->kind = kinds[kind];
    }
    if ((v[3] && (rc = zf__get_str(L, v[3], "version", &law->version))) ||
        (v[4] && (rc = zf__get_date(L, v[4], "effective", &law->effective))) ||
        (v[5] && (rc = zf__get_str(L, v[5], "source", &law->source))) ||
        (v[6] && (rc = zf__get_str(L, v[6], "verified", &law->verified))) ||
        (v[8] && (rc = zf__get_str(L, v[8], "note", &note))) ||
        (v[9] && (rc = zf__get_str_list(L, v[9], "applies_to", &law->applies_to,
                                    &law->n_applies_to))))
        return rc;
    if (v[9]) {
        law->applies_line = v[9]->line;
        law->applies_column = v[9]->column;
        law->applies_node = v[9];
    }
    if ((v[10] && (rc = zf__get_id(L, v[10], "superseded_by",
                               &law->superseded_by_id))) ||
        (v[11] && (rc = get_renumbered(L, v[11], law))) ||
        (v[12] && (rc = zf__get_date(L, v[12], "replaced_on",
                                 &law->replaced_on))))
        return rc;
    if ((rc = zf__get_seq(L, v[7], "provisions")))
        return rc;
    if (zf__find_law(L, law->id))
        return zf__err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                      "law id '%s' is defined twice", law->id);
    return zf__vec_push(L, &L->laws, law);
}

zf_status
zf__load_law_provisions(struct loader *L, const struct zf__ynode *n,
                    const struct zf__law *law)
{
    const struct zf__ynode *prov = NULL;
    size_t i;
    zf_status rc;

    for (i = 0; i < n->n; i++)
        if (strcmp(n->pairs[i].key->str, "provisions") == 0)
            prov = n->pairs[i].value;
    for (i = 0; prov && i < prov->n; i++)
        if ((rc = load_provision(L, law, prov->items[i])))
            return rc;
    return ZF_OK;
}
