/* SPDX-License-Identifier: MIT */
/*
 * The decision pipeline (ARCHITECTURE.md §3): match → facts → stage →
 * 重大事故隐患 → tier → amounts (unit, persons) → case totals. Each step
 * appends structured trace entries; their Chinese text is produced only
 * when a decision is rendered, so evaluation does no formatting. One arena
 * per decision; the only allocations are its chunks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

const char *const zf__outcome_names[8] = {
    "penalty", "exempt", "exemption_available", "time_barred", "unmatched",
    "ambiguous", "no_legal_basis", "order_only"};

struct zf_evaluator {
    const zf_context *ctx;
    char profile[64];          /* "" = the rule set's default */
    struct zf__matcher *m;     /* PCRE2 state, owned by match.c */
};

ZF_API zf_status
zf_evaluator_new(zf_evaluator **out, zf_context *ctx)
{
    zf_evaluator *ev;

    if (!out || !ctx)
        return ZF_EINVAL;
    ev = zf__calloc(ctx, 1, sizeof(*ev));
    if (!ev)
        return ZF_ENOMEM;
    ev->ctx = ctx;
    if (zf__matcher_new(&ev->m, ctx)) {
        zf__free(ctx, ev);
        return ZF_ENOMEM;
    }
    *out = ev;
    return ZF_OK;
}

ZF_API zf_status
zf_evaluator_set_profile(zf_evaluator *ev, const char *profile_id)
{
    if (!ev || (profile_id && strlen(profile_id) >= sizeof(ev->profile)))
        return ZF_EINVAL;
    strcpy(ev->profile, profile_id ? profile_id : "");
    return ZF_OK;
}

ZF_API void
zf_evaluator_free(zf_evaluator *ev)
{
    if (!ev)
        return;
    zf__matcher_free(ev->m);
    zf__free(ev->ctx, ev);
}

/* Evaluation state for one decision. */
struct estate {
    zf_evaluator *ev;
    const zf_ruleset *rs;
    const zf_case *cs;
    zf_decision *dec;
    zf_error *err;
    const bool *domain_ok;     /* NULL: every domain */
    struct zf__dviolation *dv;
    const struct zf__profile *pr;
    const struct zf__expr_ctx *xc; /* the current violation's facts */
    int32_t additive_pct;      /* -1: not the additive method */
    bool warned_dates, warned_version;
    /* 从旧兼从轻 per party: the texts compared for this violation (0 the
     * earlier, 1 the current); the unit's choice is dv->provision/stage,
     * each person's is made in person_fines() */
    struct {
        bool on, forced_old;
        const struct zf__pstage *st[2];
        const struct zf__provision *prov[2];
        const char *basis[2];
    } ver;
    size_t trace_cap;
    /* the current violation is segment seg_no of seg_of of its text */
    size_t seg_no, seg_of;
    long seg_start, seg_end;
    struct zf__vlist {
        const char **v;
        size_t n, cap;
    } warnings;
};

static zf_status additive(struct estate *E, const struct zf__expr_ctx *xc);

static struct zf__trace *
trace(struct estate *E, uint8_t step, uint8_t kind, const char *rule,
      const struct zf__source *file, unsigned line, const char *cite)
{
    struct zf__dviolation *dv = E->dv;
    struct zf__trace *t;

    if (dv->n_trace == E->trace_cap) {
        /* rare: grow by copying into a bigger arena block */
        size_t cap = E->trace_cap * 2;
        struct zf__trace *nt = ZF_ARENA_NEWN(&E->dec->arena, struct zf__trace,
                                             cap);
        if (!nt)
            return NULL;
        memcpy(nt, dv->trace, dv->n_trace * sizeof(*nt));
        dv->trace = nt;
        E->trace_cap = cap;
    }
    t = &dv->trace[dv->n_trace++];
    memset(t, 0, sizeof(*t));
    t->step = step;
    t->kind = kind;
    t->rule = rule;
    t->file = file;
    t->line = line;
    t->cite = cite;
    return t;
}

static zf_status
warn(struct estate *E, const char *msg)
{
    struct zf__vlist *w = &E->warnings;

    if (!msg)
        return zf__error_nomem(E->err);
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        const char **nv = ZF_ARENA_NEWN(&E->dec->arena, const char *, cap);
        if (!nv)
            return zf__error_nomem(E->err);
        if (w->n)
            memcpy(nv, w->v, w->n * sizeof(*nv));
        w->v = nv;
        w->cap = cap;
    }
    w->v[w->n++] = msg;
    return ZF_OK;
}

static zf_status input_error(struct estate *E, size_t vi, const char *sub,
                             int diag, const char *fmt, ...) ZF_PRINTF(5, 6);

/* An error in violation `vi` of the case, at JSON path violations[vi].sub */
static zf_status
input_error(struct estate *E, size_t vi, const char *sub, int diag,
            const char *fmt, ...)
{
    char path[128], msg[400];
    va_list ap;
    int pn;

    if (sub)
        pn = snprintf(path, sizeof(path), "violations[%zu].%s", vi, sub);
    else
        pn = snprintf(path, sizeof(path), "violations[%zu]", vi);
    if (pn < 0 || (size_t)pn >= sizeof(path))
        memcpy(path + sizeof(path) - 4, "...", 4);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    zf__error_set(E->err, ZF_EINPUT, diag, "%s: %s", path, msg);
    zf__error_path(E->err, path);
    return ZF_EINPUT;
}

/* ------------------------------------------------------------------ */
/* matching (match.c) */

static struct zf__trace *
match_trace(void *ud, uint8_t step, uint8_t kind, const char *rule,
            const struct zf__source *file, unsigned line, const char *cite)
{
    return trace(ud, step, kind, rule, file, line, cite);
}

static zf_status
match_warn(void *ud, const char *msg)
{
    return warn(ud, msg);
}

static zf_status
match_text(struct estate *E, const struct zf__cviolation *v, size_t vi)
{
    struct zf__match_io io = {
        E->ev->m, E->rs, E->domain_ok, E->pr, E->dv, &E->dec->arena, E->err,
        match_trace, match_warn, E};

    E->dv->span_start = E->dv->span_end = -1;
    if (E->seg_of) {
        struct zf__trace *t = trace(E, ZF_STEP_MATCH, ZF_T_MATCH_SEGMENT, "",
                                    NULL, 0, "");
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = (int64_t)E->seg_no;
        t->a[1] = (int64_t)E->seg_of;
        t->a[2] = E->dv->span_start = E->seg_start;
        t->a[3] = E->dv->span_end = E->seg_end;
        t->s[0] = zf__arena_strndup(&E->dec->arena, v->text, v->text_len);
        if (!t->s[0])
            return zf__error_nomem(E->err);
    }
    return zf__match_text(&io, v->text, v->text_len, vi);
}

static zf_status eval_violation(struct estate *E,
                                const struct zf__cviolation *v, size_t vi);

/* Several findings in one paragraph become several violations, each
 * matched and penalised on its own and added up (分别裁量、合并处罚). Only
 * a text without item, act or facts is split: an act or facts given for
 * the whole text bind it as one. */
static zf_status
evaluate_violations(struct estate *E)
{
    const zf_case *cs = E->cs;
    zf_decision *dec = E->dec;
    struct zf__span sp[ZF__MAX_SEGMENTS];
    size_t i, k, n, total = 0, *nseg;
    zf_status rc;

    nseg = ZF_ARENA_NEWN(&dec->arena, size_t, cs->n_violations + 1);
    if (!nseg)
        return zf__error_nomem(E->err);
    for (i = 0; i < cs->n_violations; i++) {
        const struct zf__cviolation *v = &cs->violations[i];
        struct zf__match_io io = {
            E->ev->m, E->rs, E->domain_ok, E->pr, NULL, &dec->arena, E->err,
            match_trace, match_warn, E};
        n = 0;
        if (!v->item && v->text && !v->act && !v->n_facts)
            n = zf__match_segments(&io, v->text, v->text_len, i, sp,
                                   ZF__MAX_SEGMENTS);
        nseg[i] = n;
        total += n ? n : 1;
    }
    dec->violations = ZF_ARENA_NEWN(&dec->arena, struct zf__dviolation,
                                    total ? total : 1);
    if (!dec->violations)
        return zf__error_nomem(E->err);
    for (i = 0; i < cs->n_violations; i++) {
        const struct zf__cviolation *v = &cs->violations[i];
        if (!nseg[i]) {
            E->seg_of = 0;
            E->dv = &dec->violations[dec->n_violations];
            E->dv->span_start = E->dv->span_end = -1;
            if ((rc = eval_violation(E, v, i)))
                return rc;
            dec->n_violations++;
            continue;
        }
        {
            struct zf__match_io io = {
                E->ev->m, E->rs, E->domain_ok, E->pr, NULL, &dec->arena,
                E->err, match_trace, match_warn, E};
            n = zf__match_segments(&io, v->text, v->text_len, i, sp,
                                   ZF__MAX_SEGMENTS);
        }
        for (k = 0; k < n; k++) {
            struct zf__cviolation *cv = ZF_ARENA_NEW(&dec->arena,
                                                     struct zf__cviolation);
            if (!cv)
                return zf__error_nomem(E->err);
            *cv = *v;
            cv->text = v->text + sp[k].start;
            cv->text_len = sp[k].end - sp[k].start;
            E->seg_no = k + 1;
            E->seg_of = n;
            E->seg_start = (long)zf__utf8_count(v->text, sp[k].start);
            E->seg_end = (long)zf__utf8_count(v->text, sp[k].end);
            E->dv = &dec->violations[dec->n_violations];
            if ((rc = eval_violation(E, cv, i)))
                return rc;
            dec->n_violations++;
        }
    }
    E->seg_of = 0;
    return ZF_OK;
}

static const struct zf__item *
closest_item(const zf_ruleset *rs, const char *id)
{
    const struct zf__item *best = NULL;
    unsigned bd = 4, d;
    size_t i;

    for (i = 0; i < rs->n_items; i++) {
        d = zf__edit_distance(id, rs->items[i]->id, 4);
        if (d < bd) {
            bd = d;
            best = rs->items[i];
        }
    }
    return best;
}

/* ------------------------------------------------------------------ */
/* facts */

static zf_status
bind_facts(struct estate *E, const struct zf__cviolation *v, size_t vi,
           const struct zf__item *it, struct zf__value *slots,
           uint8_t *present)
{
    const zf_case *cs = E->cs;
    size_t i, k;

    memset(present, 0, ZF__N_BUILTINS + it->n_facts);
#define TRI(slot, x)                  \
    if ((x) >= 0) {                   \
        slots[slot].u.i = (x);        \
        present[slot] = 1;            \
    }
    TRI(ZF__B_OVERDUE, v->overdue);
    TRI(ZF__B_REFUSED, v->refused);
    TRI(ZF__B_SERIOUS, v->serious);
    TRI(ZF__B_UNSAFE_AFTER_SUSPENSION, v->unsafe_after_suspension);
    TRI(ZF__B_LACKS_CONDITIONS, v->lacks_conditions);
    TRI(ZF__B_REFUSED_SUSPENSION, v->refused_suspension);
    TRI(ZF__B_CORRECTED, v->corrected);
    TRI(ZF__B_FIRST_OFFENCE, v->first_offence);
    TRI(ZF__B_HARM, v->harm);
    TRI(ZF__B_ACCIDENT, v->accident);
    TRI(ZF__B_REPEAT_12M, v->repeat_12m);
    TRI(ZF__B_REMEDIED_HARM, v->remedied_harm);
    TRI(ZF__B_COERCED, v->coerced);
    TRI(ZF__B_CONFESSED, v->confessed);
    TRI(ZF__B_MERITORIOUS, v->meritorious);
    TRI(ZF__B_OBSTRUCTED, v->obstructed);
    TRI(ZF__B_NO_FAULT, v->no_fault);
    TRI(ZF__B_PUBLIC_DANGER, v->public_danger);
    TRI(ZF__B_ESPECIALLY_SERIOUS, v->especially_serious);
    TRI(ZF__B_HIGH_RISK, cs->high_risk);
    TRI(ZF__B_PENALTIES_180D, cs->penalties_180d);
    TRI(ZF__B_PENALTIES_365D, cs->penalties_365d);
#undef TRI
    if (v->has_illegal_income) {
        slots[ZF__B_ILLEGAL_INCOME].u.i = v->illegal_income;
        present[ZF__B_ILLEGAL_INCOME] = 1;
    }
    slots[ZF__B_PERSONS_COUNT].u.i = (int64_t)v->n_persons;
    present[ZF__B_PERSONS_COUNT] = 1;
    {
        /* the item's own provision (the law the conduct breaches), not an
         * earlier text chosen under 从旧兼从轻 */
        const struct zf__provision *pv = it->provision;
        size_t s;
        slots[ZF__B_PENALTY_LAW].u.str.s = pv->law->id;
        slots[ZF__B_PENALTY_LAW].u.str.len = (uint32_t)strlen(pv->law->id);
        present[ZF__B_PENALTY_LAW] = 1;
        slots[ZF__B_FINED_FIRST].u.i = 0;
        for (s = 0; s < pv->n_stages; s++)
            if (pv->stages[s].stage == ZF_STAGE_FIRST &&
                pv->stages[s].unit.fine)
                slots[ZF__B_FINED_FIRST].u.i = 1;
        present[ZF__B_FINED_FIRST] = 1;
    }

    for (i = 0; i < v->n_facts; i++) {
        const struct zf__cfact *cf = &v->facts[i];
        const struct zf__fact *f = NULL;
        const struct zf__fact_bounds *b = NULL;
        struct zf__value *val;
        char sub[96];

        for (k = 0; k < it->n_facts; k++)
            if (strcmp(it->facts[k].name, cf->name) == 0) {
                f = &it->facts[k];
                b = &it->bounds[k];
                break;
            }
        /* the JSON path is formatted only on the (rare) error path */
#define SUB (snprintf(sub, sizeof(sub), "facts.%s", cf->name), sub)
        if (!f) {
            const char *best = NULL;
            unsigned bd = 3, d;
            char hint[96] = "";
            for (k = 0; k < it->n_facts; k++) {
                d = zf__edit_distance(cf->name, it->facts[k].name, 3);
                if (d < bd) {
                    bd = d;
                    best = it->facts[k].name;
                }
            }
            if (best)
                snprintf(hint, sizeof(hint), " (did you mean '%s'?)", best);
            return input_error(E, vi, SUB, ZF_DIAG_CASE_UNKNOWN_FACT,
                               "item %s declares no fact '%s'%s", it->id,
                               cf->name, hint);
        }
        if (cf->kind == ZF_CF_NULL)
            continue;
        val = &slots[f->slot];
        switch (f->type) {
        case ZF_TYPE_BOOL:
            if (cf->kind != ZF_CF_BOOL)
                goto wrong;
            val->u.i = cf->i;
            break;
        case ZF_TYPE_INT:
        case ZF_TYPE_MONEY:
            if (cf->kind == ZF_CF_NUMBER && f->type == ZF_TYPE_MONEY)
                return input_error(E, vi, SUB, ZF_DIAG_CASE_BAD_MONEY,
                                   "%s must be a whole number of yuan%s",
                                   f->name, "");
            if (cf->kind != ZF_CF_INT)
                goto wrong;
            if ((b->has_min && cf->i < b->min) ||
                (b->has_max && cf->i > b->max))
                return input_error(E, vi, SUB, ZF_DIAG_CASE_BAD_VALUE,
                                   "%s is outside the range the item "
                                   "allows%s", f->name, "");
            val->u.i = cf->i;
            break;
        case ZF_TYPE_STRING:
            if (cf->kind != ZF_CF_STRING)
                goto wrong;
            val->u.str.s = cf->s;
            val->u.str.len = (uint32_t)cf->len;
            break;
        case ZF_TYPE_DATE: {
            int32_t days;
            if (cf->kind != ZF_CF_STRING ||
                !zf__parse_date(cf->s, cf->len, &days))
                return input_error(E, vi, SUB, ZF_DIAG_CASE_BAD_DATE,
                                   "%s must be a date YYYY-MM-DD%s", f->name,
                                   "");
            val->u.i = days;
            break;
        }
        case ZF_TYPE_ENUM:
            if (cf->kind != ZF_CF_STRING)
                goto wrong;
            for (k = 0; k < f->n_enum_values; k++)
                if (strcmp(cf->s, f->enum_values[k]) == 0)
                    break;
            if (k == f->n_enum_values)
                return input_error(E, vi, SUB, ZF_DIAG_CASE_BAD_VALUE,
                                   "'%s' is not a value of %s", cf->s,
                                   f->name);
            val->u.i = (int64_t)k;
            break;
        default:
            goto wrong;
        }
        present[f->slot] = 1;
        continue;
wrong:
        return input_error(E, vi, SUB, ZF_DIAG_CASE_WRONG_TYPE,
                           "%s must be of type %s", f->name,
                           zf__type_name(f->type));
    }
    return ZF_OK;
}
#undef SUB

/* ------------------------------------------------------------------ */
/* amounts */

/* floor (or ceil) of x * p / 100 for 0 <= x <= 2^62, 0 <= p <= 1000,
 * without overflow */
static int64_t
pct(int64_t x, int64_t p, bool ceil)
{
    return (x / 100) * p + ((x % 100) * p + (ceil ? 99 : 0)) / 100;
}

/* Resolve a fine shape to a statutory [min, max]. `kind` gets the band
 * family (0: has a minimum, 1: "X元以下"). Returns 0 ok, 1 the fine cannot
 * be computed (missing accident grade / income), -1 overflow. */
static int
statutory(const struct zf__fine *f, const struct zf__cviolation *v,
          const struct zf__cperson *p, int64_t *smin, int64_t *smax,
          int *kind, int *why)
{
    int64_t a, b;

    switch (f->shape) {
    case ZF_FINE_UPTO:
        *smin = 0;
        *smax = f->upto;
        *kind = 1;
        return 0;
    case ZF_FINE_RANGE:
    case ZF_FINE_FIXED:
        *smin = f->from;
        *smax = f->upto;
        *kind = 0;
        return 0;
    case ZF_FINE_MULTIPLE:
        if (v->has_illegal_income && v->illegal_income > 0 &&
            v->illegal_income >= f->threshold) {
            if (__builtin_mul_overflow(v->illegal_income, (int64_t)f->lo,
                                       &a) ||
                __builtin_mul_overflow(v->illegal_income, (int64_t)f->hi,
                                       &b) ||
                b > ((int64_t)1 << 62))
                return -1;
            *smin = a;
            *smax = b;
            *kind = 0;
            return 0;
        }
        if (f->otherwise)
            return statutory(f->otherwise, v, p, smin, smax, kind, why);
        *why = ZF_FLAG_INCOME_MISSING;
        return 1;
    case ZF_FINE_PERCENT:
        if (!p || !p->has_income) {
            *why = ZF_FLAG_INCOME_MISSING;
            return 1;
        }
        if (f->lo == f->hi) {
            /* a fixed share: to the nearest yuan */
            *smin = *smax = (p->annual_income / 100) * f->lo +
                            ((p->annual_income % 100) * f->lo + 50) / 100;
        } else {
            /* never below the legal floor, never above the ceiling */
            *smin = pct(p->annual_income, f->lo, true);
            *smax = pct(p->annual_income, f->hi, false);
        }
        *kind = 0;
        return 0;
    case ZF_FINE_BY_ACCIDENT:
        if (v->accident <= 0 || !f->by_accident[v->accident]) {
            *why = ZF_FLAG_ACCIDENT_MISSING;
            return 1;
        }
        {
            const struct zf__fine *g = f->by_accident[v->accident];
            int r = statutory(g, v, p, smin, smax, kind, why);
            /* 情节特别严重、影响特别恶劣: the grade's amounts times
             * aggr_lo..aggr_hi (安全生产法第一百一十四条第二款); a grade may
             * carry its own (2014年第一百零九条: 特别重大事故 only) */
            const struct zf__fine *ag = g->aggr_hi ? g : f;
            if (r == 0 && ag->aggr_hi && v->especially_serious == 1) {
                if (__builtin_mul_overflow(*smin, (int64_t)ag->aggr_lo,
                                           smin) ||
                    __builtin_mul_overflow(*smax, (int64_t)ag->aggr_hi,
                                           smax) ||
                    *smax > ((int64_t)1 << 62))
                    return -1;
                *kind = 0;
            }
            return r;
        }
    default:
        return 1;
    }
}

static int64_t
round_to(int64_t x, int64_t to, int dir)
{
    int64_t r;

    if (to <= 1)
        return x;
    r = x % to;
    if (dir < 0)
        return x - r;
    if (dir > 0)
        return r ? x - r + to : x;
    return r * 2 >= to ? x - r + to : x - r;
}

static int64_t
recommend(const struct zf__profile *pr, int64_t lo, int64_t hi)
{
    int64_t mid, r;

    switch (pr->recommend) {
    case 1: mid = lo; break;
    case 2: mid = hi; break;
    default: mid = lo + (hi - lo) / 2; break;
    }
    r = round_to(mid, pr->round_to, 0);
    if (r < lo || r > hi) {
        r = round_to(mid, pr->round_to, r < lo ? 1 : -1);
        if (r < lo || r > hi)
            r = mid;
    }
    return r;
}

/* The band and recommendation for a tier inside (or, for 减轻, below) the
 * statutory range. `kind`: 0 the law sets a minimum, 1 "X元以下". */
static void
band(const struct zf__profile *pr, enum zf__tier tier, int kind,
     int32_t additive_pct, struct zf__money *m)
{
    int64_t span = m->smax - m->smin;
    int32_t lo, hi;

    if (tier == ZF_TIER_MAXIMUM) {
        m->min = m->max = m->rec = m->smax;
        return;
    }
    if (tier == ZF_TIER_MITIGATED && m->smin > 0) {
        /* below the statutory minimum: a share of the minimum */
        m->min = pct(m->smin, pr->mitigated[0], false);
        m->max = pct(m->smin, pr->mitigated[1], true);
        if (m->max >= m->smin)
            m->max = m->smin - 1;
        if (m->min > m->max)
            m->min = m->max;
        m->rec = recommend(pr, m->min, m->max);
        return;
    }
    if (additive_pct >= 0) {
        /* 百分比模式: the summed percent of the statutory maximum, kept in
         * the statutory range */
        int64_t a = pct(m->smax, additive_pct, false);
        if (a < m->smin)
            a = m->smin;
        if (a > m->smax)
            a = m->smax;
        m->min = m->max = m->rec = a;
        return;
    }
    if (tier > ZF_TIER_HEAVIER)
        tier = ZF_TIER_LIGHTER;  /* 减轻 without a minimum: 从轻 */
    lo = pr->bands[kind][tier][0];
    hi = pr->bands[kind][tier][1];
    m->min = m->smin + pct(span, lo, false);
    m->max = m->smin + pct(span, hi, true);
    if (m->max > m->smax)
        m->max = m->smax;
    m->rec = recommend(pr, m->min, m->max);
    /* "处……以下的罚款" is still a fine: never recommend nothing */
    if (m->rec == 0 && m->max > 0)
        m->rec = pr->round_to <= m->max ? pr->round_to : m->max;
}

static zf_status
unit_fine(struct estate *E, const struct zf__cviolation *v,
          const struct zf__provision *prov, const struct zf__pstage *st)
{
    struct zf__dviolation *dv = E->dv;
    const struct zf__fine *f = st->unit.fine;
    const struct zf__profile *pr = E->pr;
    struct zf__trace *t;
    int kind = 0, why = 0, rc;

    if (!f) {
        t = trace(E, ZF_STEP_FINE, ZF_T_FINE_NONE, prov->id, prov->file,
                  st->line, dv->basis);
        return t ? ZF_OK : zf__error_nomem(E->err);
    }
    rc = statutory(f, v, NULL, &dv->unit.smin, &dv->unit.smax, &kind, &why);
    if (rc < 0)
        return zf__error_set(E->err, ZF_EINPUT, ZF_DIAG_OVERFLOW,
                             "violations[%zu]: the fine overflows",
                             dv->index);
    if (rc > 0) {
        dv->flags |= (uint32_t)why;
        t = trace(E, ZF_STEP_FINE,
                  why == ZF_FLAG_ACCIDENT_MISSING ? ZF_T_ACCIDENT_MISSING
                                                  : ZF_T_FINE_NO_INCOME,
                  prov->id, prov->file, f->line, dv->basis);
        return t ? ZF_OK : zf__error_nomem(E->err);
    }
    dv->unit.present = true;
    if (f->shape == ZF_FINE_MULTIPLE && !v->has_illegal_income &&
        (rc = warn(E, zf__arena_printf(
                          &E->dec->arena,
                          "violations[%zu]: 未提供违法所得（illegal_income），"
                          "按没有违法所得确定罚款幅度", dv->index))))
        return rc;
    if (f->shape == ZF_FINE_BY_ACCIDENT && v->accident > 0 &&
        prov->clauses >= v->accident) {
        /* the 项 follows the accident grade (e.g. 第一百一十四条第（二）项
         * for a 较大事故) */
        struct zf__buf b;
        char *s;
        zf__buf_init(&b, E->ev->ctx);
        zf__buf_printf(&b, "%s第（", prov->cite);
        zf__zh_number(&b, (unsigned)v->accident);
        zf__buf_puts(&b, "）项");
        if (dv->old_law && dv->old_law->version)
            zf__buf_printf(&b, "（%s）", dv->old_law->version);
        s = zf__buf_steal(&b, NULL);
        dv->basis = s ? zf__arena_strdup(&E->dec->arena, s) : NULL;
        zf__free(E->ev->ctx, s);
        if (!dv->basis)
            return zf__error_nomem(E->err);
    }
    if (dv->tier == ZF_TIER_MITIGATED && dv->unit.smin == 0) {
        /* nothing below a minimum of 0: the most 减轻 can be is 从轻 */
        dv->tier = ZF_TIER_LIGHTER;
        dv->flags &= ~(uint32_t)ZF_FLAG_REVIEW_REQUIRED;
        t = trace(E, ZF_STEP_FINE, ZF_T_MITIGATION_NA, prov->id, prov->file,
                  f->line, dv->basis);
        if (!t)
            return zf__error_nomem(E->err);
        /* under the additive method 从轻 is its percentages, not a band */
        if ((rc = additive(E, E->xc)))
            return rc;
    }
    band(pr, dv->tier, kind, E->additive_pct, &dv->unit);
    t = trace(E, ZF_STEP_FINE, ZF_T_FINE, prov->id, prov->file, f->line,
              dv->basis);
    if (!t)
        return zf__error_nomem(E->err);
    t->a[0] = dv->unit.smin;
    t->a[1] = dv->unit.smax;
    t->a[2] = dv->unit.min;
    t->a[3] = dv->unit.max;
    t->a[4] = dv->tier;
    t->s[0] = E->additive_pct >= 0 ? "additive" : NULL;
    t = trace(E, ZF_STEP_FINE, ZF_T_FINE_RECOMMEND, pr->id, pr->file,
              pr->line, "");
    if (!t)
        return zf__error_nomem(E->err);
    t->a[0] = dv->unit.rec;
    t->a[1] = pr->round_to;
    t->a[2] = E->additive_pct >= 0 ? 3 : pr->recommend;
    t->s[0] = pr->title;
    return ZF_OK;
}

/* Can a listed person be fined under a persons' limb? A limb naming 直接
 * 负责的主管人员 or 其他直接责任人员 reaches whoever bears that liability for
 * this violation, whatever the position (a 主要负责人 fined as the 直接负责的
 * 主管人员 under 安全生产法第九十七条); a limb naming a position (主要负责人
 * under 第九十四条、第九十五条) reaches only that position. */
static bool
person_fits(uint32_t roles, const struct zf__cperson *p, int liability)
{
    const uint32_t liab = (1u << ZF_ROLE_DIRECT_SUPERVISOR) |
                          (1u << ZF_ROLE_DIRECT_STAFF);

    if ((roles & ~liab) & (1u << p->role))
        return true;
    return liability >= 0 && (roles & liab & (1u << liability));
}

static int
liability_of(const struct zf__cviolation *v, size_t i)
{
    return v->liability ? v->liability[i] : ZF_ROLE_DIRECT_SUPERVISOR;
}

/* A person's statutory range under a limb, for comparing texts: [0, 0]
 * where the limb does not reach the person or fines nobody. */
static bool
person_range(const struct zf__limb *limb, const struct zf__cviolation *v,
             size_t i, int64_t *lo, int64_t *hi)
{
    int kind, why;

    *lo = *hi = 0;
    if (!limb->fine ||
        !person_fits(limb->roles, v->persons[i], liability_of(v, i)))
        return false;
    if (statutory(limb->fine, v, v->persons[i], lo, hi, &kind, &why) != 0)
        *lo = *hi = 0;
    else if (limb->fine->discretionary)
        *lo = 0;
    return true;
}

static zf_status
person_fines(struct estate *E, const struct zf__cviolation *v,
             const struct zf__provision *prov, const struct zf__pstage *st)
{
    struct zf__dviolation *dv = E->dv;
    const struct zf__limb *limb = &st->persons;
    const struct zf__profile *pr = E->pr;
    struct zf__trace *t;
    size_t i, n = 0, reach = 0;
    int8_t *sel;

    if (E->ver.on) {
        if (!E->ver.st[0]->persons.fine && !E->ver.st[1]->persons.fine)
            return ZF_OK;
        if (!limb->fine)
            limb = E->ver.st[0]->persons.fine ? &E->ver.st[0]->persons
                                              : &E->ver.st[1]->persons;
    } else if (!limb->fine) {
        return ZF_OK;
    }
    /* per person: 2 the unit's text, 0/1 the earlier/current text chosen
     * for that person (行政处罚法第三十七条, each party on its own), -1 not
     * reached, -2 reached only by the heavier text: no fine */
    sel = ZF_ARENA_NEWN(&E->dec->arena, int8_t,
                        v->n_persons ? v->n_persons : 1);
    if (!sel)
        return zf__error_nomem(E->err);
    for (i = 0; i < v->n_persons; i++) {
        if (E->ver.on) {
            int64_t lo[2], hi[2];
            bool ok[2];
            int c;
            ok[0] = person_range(&E->ver.st[0]->persons, v, i, &lo[0], &hi[0]);
            ok[1] = person_range(&E->ver.st[1]->persons, v, i, &lo[1], &hi[1]);
            if (ok[0] || ok[1]) {
                c = E->ver.forced_old ? 0
                    : (hi[1] < hi[0] || (hi[1] == hi[0] && lo[1] < lo[0]))
                        ? 1
                        : 0;
                t = trace(E, ZF_STEP_PERSONS, ZF_T_LAW_VERSION_PERSON,
                          E->ver.prov[c]->id, E->ver.prov[c]->file,
                          E->ver.st[c]->line, E->ver.basis[c]);
                if (!t)
                    return zf__error_nomem(E->err);
                t->s[0] = zf__arena_strdup(&E->dec->arena,
                                           v->persons[i]->id);
                if (!t->s[0])
                    return zf__error_nomem(E->err);
                t->s[1] = E->ver.basis[c];
                t->a[0] = lo[0];
                t->a[1] = hi[0];
                t->a[2] = lo[1];
                t->a[3] = hi[1];
                t->a[4] = E->ver.forced_old ? 2 : c == 0 ? 1 : 0;
                sel[i] = (int8_t)(ok[c] ? c : -2);
                reach++;
                if (ok[c])
                    n++;
                continue;
            }
            sel[i] = -1;
        } else if (person_fits(limb->roles, v->persons[i],
                               liability_of(v, i))) {
            sel[i] = 2;
            n++;
            reach++;
            continue;
        } else {
            sel[i] = -1;
        }
        /* listed but not reached by this limb: say who and why */
        t = trace(E, ZF_STEP_PERSONS, ZF_T_PERSON_EXCLUDED, prov->id,
                  prov->file, limb->line, dv->basis);
        if (!t)
            return zf__error_nomem(E->err);
        t->s[0] = zf__arena_strdup(&E->dec->arena, v->persons[i]->id);
        if (!t->s[0])
            return zf__error_nomem(E->err);
        t->s[1] = zf__role_zh[v->persons[i]->role];
        t->a[0] = limb->roles;
        t->a[1] = liability_of(v, i);
    }
    if (!reach) {
        dv->flags |= ZF_FLAG_PERSONS_REQUIRED;
        t = trace(E, ZF_STEP_PERSONS, ZF_T_PERSONS_REQUIRED, prov->id,
                  prov->file, limb->line, dv->basis);
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = limb->roles;
        t->a[1] = (int64_t)v->n_persons;
        return ZF_OK;
    }
    if (!n)
        return ZF_OK;
    dv->persons = ZF_ARENA_NEWN(&E->dec->arena, struct zf__dperson, n);
    if (!dv->persons)
        return zf__error_nomem(E->err);
    for (i = 0; i < v->n_persons; i++) {
        const struct zf__cperson *p = v->persons[i];
        struct zf__dperson *dp;
        const char *basis = dv->basis;
        int kind = 0, why = 0, rc;

        if (sel[i] < 0)
            continue;
        if (sel[i] < 2) {
            prov = E->ver.prov[sel[i]];
            limb = &E->ver.st[sel[i]]->persons;
            basis = E->ver.basis[sel[i]];
        }
        dp = &dv->persons[dv->n_persons++];
        /* the decision must not borrow from the case */
        dp->id = zf__arena_strdup(&E->dec->arena, p->id);
        if (!dp->id)
            return zf__error_nomem(E->err);
        dp->role = p->role;
        /* the liability matters only where the limb names it */
        dp->liability = (limb->roles & (1u << p->role)) &&
                                p->role != ZF_ROLE_DIRECT_SUPERVISOR &&
                                p->role != ZF_ROLE_DIRECT_STAFF
                            ? -1
                            : liability_of(v, i);
        dp->basis = basis;
        rc = statutory(limb->fine, v, p, &dp->fine.smin, &dp->fine.smax,
                       &kind, &why);
        if (rc < 0)
            return zf__error_set(E->err, ZF_EINPUT, ZF_DIAG_OVERFLOW,
                                 "violations[%zu]: a fine overflows",
                                 dv->index);
        if (rc > 0 && why == ZF_FLAG_INCOME_MISSING) {
            /* 按上一年年收入计算的罚款 without the income: the case is
             * incomplete (第九十五条、第九十六条、第一百一十条) */
            char path[64];
            snprintf(path, sizeof(path), "persons[%zu].annual_income",
                     (size_t)(p - E->cs->persons));
            zf__error_set(E->err, ZF_EINPUT, ZF_DIAG_NO_INCOME,
                          "%s: item %s fines person '%s' a share of the "
                          "previous year's income (%s), but annual_income is "
                          "not given", path, dv->item->id, p->id,
                          basis);
            zf__error_path(E->err, path);
            return ZF_EINPUT;
        }
        if (rc > 0) {
            dv->flags |= (uint32_t)why;
            t = trace(E, ZF_STEP_PERSONS, ZF_T_ACCIDENT_MISSING, prov->id,
                      prov->file, limb->fine->line, basis);
            if (!t)
                return zf__error_nomem(E->err);
            t->s[0] = dp->id;
            continue;
        }
        dp->fine.present = true;
        band(pr, dv->tier, kind, E->additive_pct, &dp->fine);
        t = trace(E, ZF_STEP_PERSONS, ZF_T_PERSON_FINE, prov->id, prov->file,
                  limb->fine->line, basis);
        if (!t)
            return zf__error_nomem(E->err);
        t->s[0] = dp->id;
        t->s[1] = zf__role_zh[p->role];
        t->a[5] = dp->liability;
        t->a[0] = dp->fine.smin;
        t->a[1] = dp->fine.smax;
        t->a[2] = dp->fine.min;
        t->a[3] = dp->fine.max;
        t->a[4] = dp->fine.rec;
    }
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* the discretion steps (data from the profile) */

static bool
in_list(const struct zf__itemlist *l, const struct zf__item *it)
{
    /* resolved at load time into one flag per item */
    return l->member && l->member[it->index];
}

/* Evaluate a profile condition over built-in facts: 1 true, 0 false or a
 * needed fact missing, <0 an error status. */
static int
cond(struct estate *E, const struct zf__expr *e, const struct zf__expr_ctx *xc)
{
    struct zf__value val;
    uint16_t miss;
    int r;

    if (!e)
        return 1;
    r = zf__expr_eval(e, xc, &val, &miss);
    if (r == ZF__EMISSING)
        return 0;
    if (r == ZF_EINDETERMINATE) {
        zf__error_set(E->err, ZF_EINDETERMINATE, ZF_DIAG_REGEX_LIMIT,
                      "violations[%zu]: a profile condition hit the regex "
                      "match limit", E->dv->index);
        return ZF_EINDETERMINATE;
    }
    if (r != ZF_OK)
        return zf__error_set(E->err, ZF_EINPUT, ZF_DIAG_OVERFLOW,
                             "violations[%zu]: a profile condition overflows",
                             E->dv->index);
    return val.u.i != 0;
}

/* The same calendar day `years` later; 29 February in a common year
 * becomes 28 February (the period ends on the last day of the month:
 * 民法典第二百零二条). */
static int32_t
add_years(int32_t days, int years)
{
    static const unsigned char mdays[] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    int32_t y;
    unsigned m, d, dim;

    zf__civil_from_days(days, &y, &m, &d);
    y += years;
    dim = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        dim = 29;
    if (d > dim)
        d = dim;
    return zf__days_from_civil(y, m, d);
}

/* 行政处罚法第三十六条: not found within the period → no penalty. The
 * period runs from the act (its end, if continuing: violation_date) to
 * discovery (inspection_date). */
static zf_status
limitation(struct estate *E, const struct zf__cviolation *v, size_t vi,
           const struct zf__expr_ctx *xc)
{
    const struct zf__profile *pr = E->pr;
    const zf_case *cs = E->cs;
    struct zf__dviolation *dv = E->dv;
    struct zf__trace *t;
    int32_t short_end, long_end;
    int ext;

    (void)v;
    if (!pr->lim_years)
        return ZF_OK;
    if (cs->violation_date == INT32_MIN || cs->inspection_date == INT32_MIN) {
        t = trace(E, ZF_STEP_LIMITATION, ZF_T_TIME_NO_DATES, pr->id, pr->file,
                  pr->line, pr->lim_cite);
        if (!t)
            return zf__error_nomem(E->err);
        if (!E->warned_dates) {
            E->warned_dates = true;
            return warn(E, zf__arena_strdup(&E->dec->arena,
                                            "未提供 violation_date 或 "
                                            "inspection_date，未核对追责时效"));
        }
        return ZF_OK;
    }
    short_end = add_years(cs->violation_date, pr->lim_years);
    long_end = pr->lim_ext_years
                   ? add_years(cs->violation_date, pr->lim_ext_years)
                   : short_end;
    ext = pr->lim_ext_when ? cond(E, pr->lim_ext_when, xc) : 0;
    if (ext < 0)
        return ext;
    if (!ext && pr->lim_ext_when && cs->inspection_date > short_end &&
        cs->inspection_date <= long_end) {
        /* whether the longer period applies depends on facts the case does
         * not give (e.g. harm): do not bar, say so */
        uint16_t miss;
        struct zf__value val;
        if (zf__expr_eval(pr->lim_ext_when, xc, &val, &miss) ==
            ZF__EMISSING) {
            t = trace(E, ZF_STEP_LIMITATION, ZF_T_TIME_UNSURE, pr->id,
                      pr->file, pr->line, pr->lim_cite);
            if (!t)
                return zf__error_nomem(E->err);
            t->a[0] = pr->lim_years;
            t->a[1] = pr->lim_ext_years;
            return warn(E, zf__arena_printf(
                               &E->dec->arena,
                               "violations[%zu]: 违法行为发生已超过%d年，"
                               "是否适用%d年时效取决于未提供的事实（如危害后果），"
                               "请人工核对", vi, pr->lim_years,
                               pr->lim_ext_years));
        }
    }
    if (cs->inspection_date > (ext ? long_end : short_end)) {
        dv->outcome = ZF_OUT_TIME_BARRED;
        t = trace(E, ZF_STEP_LIMITATION, ZF_T_TIME_BARRED, pr->id, pr->file,
                  pr->line, pr->lim_cite);
    } else {
        t = trace(E, ZF_STEP_LIMITATION, ZF_T_TIME_OK, pr->id, pr->file,
                  pr->line, pr->lim_cite);
    }
    if (!t)
        return zf__error_nomem(E->err);
    t->a[0] = ext ? pr->lim_ext_years : pr->lim_years;
    t->a[1] = ext ? long_end : short_end;
    t->a[2] = cs->inspection_date;
    return ZF_OK;
}

/* 行政处罚法第三十三条: mandatory 不予处罚 (无主观过错; 轻微并及时改正、没有
 * 造成危害后果) and the discretionary 首违不罚 — never for 重大事故隐患, 顶格
 * items, or where an accident followed. */
static zf_status
exemptions(struct estate *E, const struct zf__cviolation *v,
           const struct zf__item *it, bool is_max)
{
    const struct zf__profile *pr = E->pr;
    struct zf__dviolation *dv = E->dv;
    struct zf__trace *t;
    int blocked = (dv->flags & ZF_FLAG_MAJOR_HAZARD) ? 1
                  : is_max                          ? 2
                  : v->accident > ZF_ACC_NONE       ? 3
                                                    : 0;
    bool minor, first;

    if (v->no_fault == 1 && in_list(&pr->no_fault, it)) {
        dv->outcome = ZF_OUT_EXEMPT;
        t = trace(E, ZF_STEP_EXEMPTION, ZF_T_EXEMPT_NO_FAULT, pr->id,
                  pr->file, pr->no_fault.line, pr->no_fault.cite);
        return t ? ZF_OK : zf__error_nomem(E->err);
    }
    minor = in_list(&pr->minor_exempt, it) && v->corrected == 1 &&
            v->harm == ZF_HARM_NONE;
    first = in_list(&pr->first_offence, it) && v->first_offence == 1 &&
            v->corrected == 1 &&
            (v->harm == ZF_HARM_NONE || v->harm == ZF_HARM_MINOR);
    if ((minor || first) && blocked) {
        t = trace(E, ZF_STEP_EXEMPTION, ZF_T_EXEMPTION_BLOCKED, pr->id,
                  pr->file, minor ? pr->minor_exempt.line
                                  : pr->first_offence.line,
                  minor ? pr->minor_exempt.cite : pr->first_offence.cite);
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = blocked;
        return ZF_OK;
    }
    if (minor) {
        dv->outcome = ZF_OUT_EXEMPT;
        t = trace(E, ZF_STEP_EXEMPTION, ZF_T_EXEMPT_MINOR, pr->id, pr->file,
                  pr->minor_exempt.line, pr->minor_exempt.cite);
        return t ? ZF_OK : zf__error_nomem(E->err);
    }
    if (first) {
        dv->outcome = ZF_OUT_EXEMPTION_AVAILABLE;
        t = trace(E, ZF_STEP_EXEMPTION, ZF_T_FIRST_OFFENCE, pr->id, pr->file,
                  pr->first_offence.line, pr->first_offence.cite);
        return t ? ZF_OK : zf__error_nomem(E->err);
    }
    return ZF_OK;
}

/* 顶格 items take the maximum; otherwise each applicable general factor
 * moves the tier one step, and enough lighter factors with no heavier one
 * allow 减轻. A mandatory lighter factor (行政处罚法第三十二条: 应当从轻或者
 * 减轻) is applied after the others, so a discretionary 从重 factor never
 * cancels it, and it displaces a local plan's 顶格: a plan cannot set aside
 * a statute. */
static zf_status
adjust_tier(struct estate *E, const struct zf__item *it, bool is_max,
            const struct zf__expr_ctx *xc)
{
    const struct zf__profile *pr = E->pr;
    struct zf__dviolation *dv = E->dv;
    struct zf__dfactor *fs = NULL;
    struct zf__trace *t;
    int lighter = 0, heavier = 0, mandatory = 0, r;
    enum zf__tier base = dv->tier;
    const struct zf__factor *first_mandatory = NULL;
    size_t i;

    if (pr->n_factors) {
        fs = ZF_ARENA_NEWN(&E->dec->arena, struct zf__dfactor,
                           pr->n_factors);
        if (!fs)
            return zf__error_nomem(E->err);
    }
    for (i = 0; i < pr->n_factors; i++) {
        const struct zf__factor *f = &pr->factors[i];
        r = cond(E, f->when, xc);
        if (r < 0)
            return r;
        if (!r)
            continue;
        if (f->mandatory) {
            mandatory++;
            if (!first_mandatory)
                first_mandatory = f;
        }
        /* under 顶格 only the statute's mandatory factors count */
        if (is_max && !f->mandatory)
            continue;
        fs[dv->n_factors++].factor = f;
        if (f->effect)
            heavier++;
        else
            lighter++;
        t = trace(E, ZF_STEP_FACTORS, ZF_T_FACTOR, f->id, pr->file, f->line,
                  f->cite);
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = f->effect;
        t->s[0] = f->label;
    }
    dv->factors = fs;
    if (is_max && !mandatory) {
        dv->tier = ZF_TIER_MAXIMUM;
        dv->flags |= ZF_FLAG_MAXIMUM_REQUIRED;
        t = trace(E, ZF_STEP_TIER, ZF_T_MAXIMUM, pr->id, pr->file,
                  pr->maximum.line, pr->maximum.cite);
        if (!t)
            return zf__error_nomem(E->err);
        t->s[0] = pr->maximum.note;
        return ZF_OK;
    }
    if (is_max) {
        /* the plan's 顶格 gives way to 第三十二条: start from the maximum
         * and step down once per mandatory factor */
        t = trace(E, ZF_STEP_TIER, ZF_T_MAXIMUM_DISPLACED, pr->id, pr->file,
                  pr->maximum.line,
                  first_mandatory->cite ? first_mandatory->cite
                                        : pr->mitigate_cite);
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = mandatory;
        t->s[0] = pr->maximum.note;
        base = ZF_TIER_MAXIMUM;
    }
    if (pr->mitigate_at && lighter >= pr->mitigate_at && !heavier) {
        dv->tier = ZF_TIER_MITIGATED;
        dv->flags |= ZF_FLAG_REVIEW_REQUIRED;
        t = trace(E, ZF_STEP_FACTORS, ZF_T_MITIGATED, pr->id, pr->file,
                  pr->line, pr->mitigate_cite);
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = lighter;
        return ZF_OK;
    }
    /* discretionary factors first (net, clamped to 从轻..从重), then each
     * mandatory one a step down from there */
    r = (int)base;
    if (!is_max) {
        r += heavier - (lighter - mandatory);
        if (r < ZF_TIER_LIGHTER)
            r = ZF_TIER_LIGHTER;
        if (r > ZF_TIER_HEAVIER)
            r = ZF_TIER_HEAVIER;
    }
    r -= mandatory;
    if (r < ZF_TIER_LIGHTER)
        r = ZF_TIER_LIGHTER;
    if (r == (int)base && heavier == lighter)
        return ZF_OK;
    dv->tier = (enum zf__tier)r;
    t = trace(E, ZF_STEP_FACTORS, ZF_T_TIER_ADJUST, it->id, pr->file,
              pr->line, mandatory ? pr->mitigate_cite : "");
    if (!t)
        return zf__error_nomem(E->err);
    t->a[0] = base;
    t->a[1] = dv->tier;
    t->a[2] = lighter;
    t->a[3] = heavier;
    t->a[4] = mandatory;
    return ZF_OK;
}

/* 百分比模式 (e.g. 上海): each element contributes the percent of its first
 * matching level; the sum (≤ 100) times the statutory maximum is the fine. */
static zf_status
additive(struct estate *E, const struct zf__expr_ctx *xc)
{
    const struct zf__profile *pr = E->pr;
    struct zf__dviolation *dv = E->dv;
    struct zf__trace *t;
    int32_t total = 0;
    size_t i, j;
    int r;

    E->additive_pct = -1;
    /* 减轻 keeps its own band below the minimum; where the law sets no
     * minimum, unit_fine() falls back to 从轻 and calls this again */
    if (pr->method != 1 || dv->tier == ZF_TIER_MAXIMUM ||
        dv->tier == ZF_TIER_MITIGATED)
        return ZF_OK;
    for (i = 0; i < pr->n_elements; i++) {
        const struct zf__element *el = &pr->elements[i];
        for (j = 0; j < el->n_levels; j++) {
            r = cond(E, el->levels[j].when, xc);
            if (r < 0)
                return r;
            if (r)
                break;
        }
        if (j == el->n_levels)
            continue;
        total += el->levels[j].percent;
        t = trace(E, ZF_STEP_FACTORS, ZF_T_ELEMENT, el->id, pr->file,
                  el->levels[j].line, "");
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = el->levels[j].percent;
        t->s[0] = el->label;
        t->s[1] = el->levels[j].label;
    }
    if (total > 100)
        total = 100;
    E->additive_pct = total;
    t = trace(E, ZF_STEP_FACTORS, ZF_T_ADDITIVE, pr->id, pr->file, pr->line,
              "");
    if (!t)
        return zf__error_nomem(E->err);
    t->a[0] = total;
    return ZF_OK;
}

static zf_status
apply_consequence(struct estate *E, const struct zf__consequence *c,
                  const char *rule, const struct zf__expr_ctx *xc)
{
    struct zf__dviolation *dv = E->dv;
    struct zf__trace *t;
    int r = cond(E, c->when, xc);

    if (r <= 0)
        return r;
    dv->flags |= 1u << (ZF_FLAG_CONS_SHIFT + c->flag);
    t = trace(E, ZF_STEP_CONSEQUENCE, ZF_T_CONSEQUENCE, rule, c->file,
              c->line, c->cite);
    if (!t)
        return zf__error_nomem(E->err);
    t->a[0] = c->flag;
    t->s[0] = c->reason;
    return ZF_OK;
}

/* `criminal_only`: the violation is not penalised (exempt, time-barred)
 * but a criminal referral may still be due. */
static zf_status
consequences(struct estate *E, const struct zf__item *it,
             const struct zf__expr_ctx *xc, bool criminal_only)
{
    const struct zf__profile *pr = E->pr;
    size_t i;
    zf_status rc;

    for (i = 0; i < it->n_referrals; i++)
        if ((!criminal_only ||
             it->referrals[i].flag == ZF_CONS_CRIMINAL_REFERRAL) &&
            (rc = apply_consequence(E, &it->referrals[i], it->id, xc)))
            return rc;
    for (i = 0; i < pr->n_consequences; i++)
        if ((!criminal_only ||
             pr->consequences[i].flag == ZF_CONS_CRIMINAL_REFERRAL) &&
            (rc = apply_consequence(E, &pr->consequences[i], pr->id, xc)))
            return rc;
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* the law in force (行政处罚法第三十七条: 从旧兼从轻) */

static const struct zf__pstage *
same_stage(const struct zf__provision *p, enum zf__stage kind)
{
    size_t i;

    for (i = 0; i < p->n_stages; i++)
        if (p->stages[i].stage == kind)
            return &p->stages[i];
    for (i = 0; i < p->n_stages; i++)
        if (p->stages[i].stage == ZF_STAGE_FIRST)
            return &p->stages[i];
    return &p->stages[0];
}

static void
limb_range(const struct zf__fine *f, const struct zf__cviolation *v,
           int64_t *lo, int64_t *hi)
{
    int kind, why;
    int64_t a = 0, b = 0;

    if (f && statutory(f, v, NULL, &a, &b, &kind, &why) == 0) {
        if (f->discretionary)
            a = 0;
        *lo += a;
        *hi += b;
    }
}

/* The severity of a stage for the unit, for comparing law versions: the
 * unit's range only — each person is compared on their own (行政处罚法
 * 第三十七条 applies to each party); "可以处" (discretionary) counts as a
 * minimum of 0; no fine counts as [0, 0]. */
static void
stage_range(const struct zf__pstage *st, const struct zf__cviolation *v,
            int64_t *lo, int64_t *hi)
{
    *lo = *hi = 0;
    limb_range(st->unit.fine, v, lo, hi);
}

static zf_status
law_version(struct estate *E, const struct zf__cviolation *v,
            const struct zf__item *it)
{
    struct zf__dviolation *dv = E->dv;
    const struct zf__provision *prov = it->provision, *old;
    const struct zf__pstage *ost, *nst = dv->stage;
    int32_t vd = E->cs->violation_date, dd;
    int64_t olo, ohi, nlo, nhi;
    unsigned clause = (unsigned)it->clause;
    struct zf__trace *t;
    struct zf__buf b;
    char *s;
    const struct zf__provision *last = NULL;
    bool clause_gone = false;
    zf_status rc;
    size_t i;
    int applied;

    if (vd == INT32_MIN && prov->predecessor) {
        /* cannot tell which text was in force: say so, once */
        if (!E->warned_version) {
            E->warned_version = true;
            return warn(E, zf__arena_strdup(
                               &E->dec->arena,
                               "未提供 violation_date，未进行新旧法比较"
                               "（从旧兼从轻），按现行规定处罚"));
        }
        return ZF_OK;
    }
    if (vd == INT32_MIN || prov->law->effective == INT32_MIN ||
        vd >= prov->law->effective)
        return ZF_OK;
    dd = E->cs->decision_date != INT32_MIN ? E->cs->decision_date
                                           : E->cs->inspection_date;
    if (it->old_none) {
        /* the item says the earlier text did not cover this conduct,
         * whatever its 项 numbering: no basis (法不溯及既往) */
        char *d = zf__arena_alloc(&E->dec->arena, 11, 1);
        if (!d)
            return zf__error_nomem(E->err);
        zf__format_date(prov->law->effective, d);
        dv->outcome = ZF_OUT_NO_BASIS;
        t = trace(E, ZF_STEP_STAGE, ZF_T_LAW_OLD_NOT_COVERED, it->id,
                  it->file, it->line, it->basis);
        if (!t)
            return zf__error_nomem(E->err);
        t->s[0] = d;
        return ZF_OK;
    }
    /* walk back to the text in force on the violation date, mapping the
     * 项 through each text's clause_map (its successor's 项 → its own) */
    for (old = prov->predecessor; old; old = old->predecessor) {
        if (clause && old->n_clause_map) {
            for (i = 0; i < old->n_clause_map; i++)
                if (old->clause_new[i] == clause)
                    break;
            clause = i < old->n_clause_map ? old->clause_old[i] : 0;
            if (!clause) {
                clause_gone = true;
                old = NULL;  /* the 项 did not exist in that text */
                break;
            }
        }
        last = old;
        if (old->law->effective == INT32_MIN || old->law->effective <= vd)
            break;
    }
    if (!old && !clause_gone && last) {
        /* the act predates every text the rule set has: a gap in the
         * data, not proof that there was no law; use the oldest text */
        old = last;
        rc = warn(E, zf__arena_printf(
                         &E->dec->arena,
                         "violations[%zu]: 规则集未收录违法行为发生时施行的"
                         "文本，按所收录的最早文本（%s）比较，请人工核对",
                         dv->index, old->law->version ? old->law->version
                                                      : old->law->id));
        if (rc)
            return rc;
    }
    if (!old) {
        /* 法不溯及既往: the conduct was not punishable under this item's
         * provision when it happened */
        char *d = zf__arena_alloc(&E->dec->arena, 11, 1);
        if (!d)
            return zf__error_nomem(E->err);
        zf__format_date(prov->law->effective, d);
        dv->outcome = ZF_OUT_NO_BASIS;
        t = trace(E, ZF_STEP_STAGE, ZF_T_LAW_NO_BASIS, prov->id, prov->file,
                  prov->line, it->basis);
        if (!t)
            return zf__error_nomem(E->err);
        t->s[0] = d;
        return ZF_OK;
    }
    ost = same_stage(old, nst->stage);
    stage_range(ost, v, &olo, &ohi);
    stage_range(nst, v, &nlo, &nhi);
    if (dd != INT32_MIN && dd < prov->law->effective)
        applied = 2;          /* the new text was not yet in force */
    else if (nhi < ohi || (nhi == ohi && nlo < olo))
        applied = 0;          /* the new text is lighter */
    else
        applied = 1;          /* 从旧 */
    zf__buf_init(&b, E->ev->ctx);
    {
        /* the earlier text's article and 项 */
        struct parsed_old {
            unsigned article, sub, para;
        } po = {0, 0, 0};
        const char *k = strchr(old->id, ':');
        if (k) {
            po.article = (unsigned)strtoul(k + 1, (char **)&k, 10);
            if (*k == '-')
                po.sub = (unsigned)strtoul(k + 1, (char **)&k, 10);
            if (*k == '.')
                po.para = (unsigned)strtoul(k + 1, (char **)&k, 10);
        }
        zf__cite(&b, old->law->title, po.article, po.sub, po.para,
                 it->clause ? clause : 0);
        if (old->law->version)
            zf__buf_printf(&b, "（%s）", old->law->version);
    }
    s = zf__buf_steal(&b, NULL);
    t = trace(E, ZF_STEP_STAGE, ZF_T_LAW_VERSION, old->id, old->file,
              ost->line, old->cite);
    if (!s || !t) {
        zf__free(E->ev->ctx, s);
        return zf__error_nomem(E->err);
    }
    t->s[0] = zf__arena_strdup(&E->dec->arena, s);
    zf__free(E->ev->ctx, s);
    if (!t->s[0])
        return zf__error_nomem(E->err);
    t->s[1] = it->basis;
    t->a[0] = olo;
    t->a[1] = ohi;
    t->a[2] = nlo;
    t->a[3] = nhi;
    t->a[4] = applied;
    E->ver.on = true;
    E->ver.forced_old = applied == 2;
    E->ver.st[0] = ost;
    E->ver.prov[0] = old;
    E->ver.basis[0] = t->s[0];
    E->ver.st[1] = nst;
    E->ver.prov[1] = prov;
    E->ver.basis[1] = it->basis;
    if (applied) {
        dv->provision = old;
        dv->stage = ost;
        dv->basis = t->s[0];
        dv->old_law = old->law;
    }
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* the stage's orders: declared kinds (loader), conditions from the case */

static zf_status
apply_orders(struct estate *E, const struct zf__provision *prov,
             const struct zf__pstage *st)
{
    struct zf__dviolation *dv = E->dv;
    uint8_t *state;
    size_t k;

    if (!st->n_orders || !st->order_info)
        return ZF_OK;
    state = ZF_ARENA_NEWN(&E->dec->arena, uint8_t, st->n_orders);
    if (!state)
        return zf__error_nomem(E->err);
    for (k = 0; k < st->n_orders; k++) {
        const struct zf__order *o = &st->order_info[k];
        struct zf__trace *t;
        int r = 1;

        if (o->kind == ZF_ORDER_SANCTION) {
            /* 处分 is given by the appointing body under the law on public
             * servants / the unit's rules, not by this decision */
            state[k] = 2;
            t = trace(E, ZF_STEP_STAGE, ZF_T_ORDER_SANCTION, prov->id,
                      prov->file, o->line, dv->basis);
            if (!t)
                return zf__error_nomem(E->err);
            t->s[0] = st->orders[k];
            continue;
        }
        if (o->when) {
            /* 行政处罚法第六十三条: the duty follows a measure 拟作出, so a
             * conditional one counts only when the case finds its
             * condition; otherwise it is named as possible */
            r = cond(E, o->when, E->xc);
            if (r < 0)
                return r;
            t = trace(E, ZF_STEP_STAGE,
                      r ? ZF_T_ORDER_APPLIES : ZF_T_ORDER_POSSIBLE, prov->id,
                      prov->file, o->line, dv->basis);
            if (!t)
                return zf__error_nomem(E->err);
            t->s[0] = st->orders[k];
            t->s[1] = zf__expr_source(o->when);
            t->a[0] = o->kind;
        }
        state[k] = r ? 0 : 1;
        if (!r)
            continue;
        switch (o->kind) {
        case ZF_ORDER_SUSPENSION:
        case ZF_ORDER_CLOSURE:
        case ZF_ORDER_REVOCATION:
            dv->order_hearing = true;
            dv->order_penalty = true;
            break;
        case ZF_ORDER_CONFISCATION:
        case ZF_ORDER_OTHER_PENALTY:
            dv->order_penalty = true;
            break;
        default:
            break;
        }
    }
    dv->order_state = state;
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* one violation */

/* The grade of the accident from the item's `accident_grade` rows over its
 * facts (生产安全事故报告和调查处理条例第三条, "以上" including the number,
 * "以下" not; the thresholds are data). The first row that holds gives the
 * grade; a row that needs a fact not given is skipped with a warning, so the
 * grade is the highest one the stated facts establish. A grade the case
 * gives wins; a different grade from the facts is warned about. `*out`
 * becomes v with the grade to apply. */
static zf_status
accident_grade(struct estate *E, const struct zf__cviolation *v, size_t vi,
               const struct zf__item *it, struct zf__value *slots,
               uint8_t *present, struct zf__cviolation *out)
{
    struct zf__expr_ctx xc;
    const struct zf__fact *missing = NULL;
    struct zf__trace *t;
    size_t i;
    int grade = -1;
    zf_status rc;

    /* a fact missing matters only when the case does not give the grade */
    *out = *v;
    xc.slots = slots;
    xc.present = present;
    xc.match_data = zf__matcher_data(E->ev->m);
    xc.match_context = zf__matcher_context(E->ev->m);
    for (i = 0; i < it->n_grade_rows && grade < 0; i++) {
        const struct zf__grade_row *row = &it->grade_rows[i];
        struct zf__value val;
        uint16_t miss = 0;
        int r = ZF_OK;

        val.u.i = 1;
        if (row->when)
            r = zf__expr_eval(row->when, &xc, &val, &miss);
        if (r == ZF__EMISSING) {
            if (!missing)
                missing = miss >= ZF__N_BUILTINS
                              ? &it->facts[miss - ZF__N_BUILTINS]
                              : &zf__builtins[miss];
            continue;
        }
        if (r == ZF_EINDETERMINATE) {
            zf__error_set(E->err, ZF_EINDETERMINATE, ZF_DIAG_REGEX_LIMIT,
                          "violations[%zu]: a condition of item %s hit the "
                          "regex match limit", vi, it->id);
            zf__error_rule(E->err, it->id);
            return ZF_EINDETERMINATE;
        }
        if (r != ZF_OK)
            return input_error(E, vi, "facts", ZF_DIAG_OVERFLOW,
                               "a condition of item %s overflows or divides "
                               "by zero", it->id);
        if (!val.u.i)
            continue;
        grade = row->grade;
        t = trace(E, ZF_STEP_FACTS, ZF_T_ACCIDENT_GRADE, it->id, it->file,
                  row->line, "");
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = grade;
        t->a[1] = (int64_t)i + 1;
        t->a[2] = v->accident > ZF_ACC_NONE ? v->accident : 0;
        t->s[0] = row->when ? zf__expr_source(row->when) : NULL;
        t->s[1] = row->reason;
    }
    if (missing && v->accident < 0 &&
        (rc = warn(E, zf__arena_printf(
                          &E->dec->arena,
                          grade < 0
                              ? "violations[%zu]: 未提供事实 %s（%s），"
                                "无法依事实认定事故等级"
                              : "violations[%zu]: 未提供事实 %s（%s），"
                                "事故等级按已给出的事实认定；"
                                "如其达到更高等级的标准，应按更高等级处罚",
                          vi, missing->name,
                          missing->label ? missing->label : missing->name))))
        return rc;
    if (grade < 0)
        return ZF_OK;
    if (v->accident > ZF_ACC_NONE) {
        /* the case's grade (from the accident investigation) applies */
        if (grade != v->accident &&
            (rc = warn(E, zf__arena_printf(
                              &E->dec->arena,
                              "violations[%zu]: 案件给出的事故等级“%s”与事实"
                              "推算的等级“%s”不一致，按案件给出的等级处理，"
                              "请核对", vi, zf__accident_zh[v->accident],
                              zf__accident_zh[grade]))))
            return rc;
        return ZF_OK;
    }
    if (v->accident == ZF_ACC_NONE)
        return ZF_OK;  /* the case says no accident: it is not overridden */
    out->accident = (int8_t)grade;
    slots[ZF__B_ACCIDENT].u.i = grade;
    present[ZF__B_ACCIDENT] = 1;
    return ZF_OK;
}

static zf_status
eval_violation(struct estate *E, const struct zf__cviolation *v, size_t vi)
{
    struct zf__dviolation *dv = E->dv;
    struct zf__value slots[ZF__MAX_SLOTS];
    uint8_t present[ZF__MAX_SLOTS];
    struct zf__expr_ctx xc;
    const struct zf__item *it;
    const struct zf__provision *prov;
    const struct zf__pstage *st = NULL;
    struct zf__cviolation vg;  /* v with the grade decided from facts */
    struct zf__trace *t;
    bool is_max;
    size_t i;
    zf_status rc;

    dv->index = vi;
    dv->merged_into = -1;
    E->ver.on = false;
    dv->act = v->act ? zf__arena_strdup(&E->dec->arena, v->act) : NULL;
    if (v->act && !dv->act)
        return zf__error_nomem(E->err);
    dv->tier = ZF_TIER_NORMAL;
    E->trace_cap = 16 + 2 * v->n_persons;
    dv->trace = ZF_ARENA_NEWN(&E->dec->arena, struct zf__trace, E->trace_cap);
    if (!dv->trace)
        return zf__error_nomem(E->err);

    /* 1. match */
    if (v->item) {
        it = zf__ruleset_find_item(E->rs, v->item);
        if (!it) {
            const struct zf__item *c = closest_item(E->rs, v->item);
            char hint[96] = "";
            if (c)
                snprintf(hint, sizeof(hint), " (did you mean '%s'?)", c->id);
            return input_error(E, vi, "item", ZF_DIAG_CASE_UNKNOWN_ITEM,
                               "no checklist item '%s'%s", v->item, hint);
        }
        dv->item = it;
        dv->matched_by = 0;
        t = trace(E, ZF_STEP_MATCH, ZF_T_MATCH_ID, it->id, it->file, it->line,
                  "");
        if (!t)
            return zf__error_nomem(E->err);
        if (E->domain_ok && !it->domain->common &&
            !E->domain_ok[it->domain->index] &&
            (rc = warn(E, zf__arena_printf(
                              &E->dec->arena,
                              "violations[%zu]: 事项 %s 属于“%s”领域，"
                              "不在企业所属领域之内，请核对", vi, it->id,
                              it->domain->name))))
            return rc;
    } else {
        if ((rc = match_text(E, v, vi)))
            return rc;
        if (!dv->item)
            return ZF_OK;  /* unmatched or ambiguous: a result */
        it = dv->item;
    }
    dv->outcome = ZF_OUT_PENALTY;
    prov = it->provision;

    /* 2. facts */
    if ((rc = bind_facts(E, v, vi, it, slots, present)))
        return rc;

    /* 2b. the accident grade from the facts, when the case gives none */
    if (it->n_grade_rows) {
        if ((rc = accident_grade(E, v, vi, it, slots, present, &vg)))
            return rc;
        v = &vg;
    }

    /* 3. stage */
    /* the loader guarantees a 'first' stage */
    st = &prov->stages[0];
    for (i = 0; i < prov->n_stages; i++)
        if (prov->stages[i].stage == ZF_STAGE_FIRST)
            st = &prov->stages[i];
    for (i = 0; v->accident > ZF_ACC_NONE && i < prov->n_stages; i++)
        if (prov->stages[i].stage == ZF_STAGE_ACCIDENT)
            break;
    if (v->accident > ZF_ACC_NONE && i < prov->n_stages) {
        /* the provision has its own limb for conduct that led to an
         * accident (e.g. 第九十三条、第九十六条) */
        st = &prov->stages[i];
        t = trace(E, ZF_STEP_STAGE, ZF_T_STAGE_ACCIDENT, prov->id,
                  prov->file, st->line, prov->cite);
        if (t)
            t->a[1] = v->accident;
    } else if (v->overdue == 1 || v->refused == 1) {
        /* 逾期未改正 and 拒不改正/拒不执行 are different elements (安全生产
         * 法第九十七条 vs 第一百零二条、第一百零八条): `overdue` binds only
         * an overdue stage; `refused` binds a refused stage, or, where the
         * provision escalates on 逾期未改正 only, that stage (a party that
         * refused to correct has not corrected within the period either) */
        const struct zf__pstage *ov = NULL, *rf = NULL;
        int why = 0;
        for (i = 0; i < prov->n_stages; i++) {
            if (prov->stages[i].stage == ZF_STAGE_OVERDUE)
                ov = &prov->stages[i];
            if (prov->stages[i].stage == ZF_STAGE_REFUSED)
                rf = &prov->stages[i];
        }
        if (v->refused == 1 && rf) {
            st = rf;
            why = 1;
        } else if (ov) {
            st = ov;
            why = v->overdue == 1 ? 0 : 2;
        }
        if (st->stage != ZF_STAGE_FIRST) {
            t = trace(E, ZF_STEP_STAGE, ZF_T_STAGE_ESCALATED, prov->id,
                      prov->file, st->line, prov->cite);
            if (t)
                t->a[1] = why;
        } else {
            t = trace(E, ZF_STEP_STAGE,
                      rf ? ZF_T_STAGE_NEEDS_REFUSAL : ZF_T_STAGE_NO_ESCALATION,
                      prov->id, prov->file, st->line, prov->cite);
        }
    } else {
        t = trace(E, ZF_STEP_STAGE, ZF_T_STAGE_FIRST, prov->id, prov->file,
                  st->line, prov->cite);
    }
    if (!t)
        return zf__error_nomem(E->err);
    t->a[0] = st->stage;
    dv->stage = st;
    dv->provision = prov;
    dv->basis = it->basis;

    /* 3b. the law in force: 从旧兼从轻 */
    if ((rc = law_version(E, v, it)))
        return rc;
    if (dv->outcome == ZF_OUT_NO_BASIS)
        return ZF_OK;
    prov = dv->provision;
    st = dv->stage;
    if (prov->law->replaced_on != INT32_MIN &&
        E->cs->violation_date != INT32_MIN &&
        E->cs->violation_date >= prov->law->replaced_on) {
        /* a newer text applies that the rule set does not hold (e.g.
         * 安全生产违法行为行政处罚办法, 应急管理部令第18号): say so */
        char d[11];
        zf__format_date(prov->law->replaced_on, d);
        if ((rc = warn(E, zf__arena_printf(
                              &E->dec->arena,
                              "violations[%zu]: 违法行为发生在%s以后，"
                              "《%s》（%s）已由新的文本取代，规则集中没有新"
                              "文本，本处按该文本给出，须以新文本核对条文和"
                              "幅度", vi, d, prov->law->title,
                              prov->law->version ? prov->law->version
                                                 : ""))))
            return rc;
    }

    /* 4. 重大事故隐患 */
    for (i = 0; i < it->n_hazards; i++) {
        const struct zf__law *std = it->hazards[i].law;
        size_t k;
        bool applies = !std->n_applies_to || !E->domain_ok;

        /* a standard applies only to the enterprises of its domains
         * (e.g. 工贸 standard: not to a chemical plant) */
        for (k = 0; !applies && k < std->n_applies_to; k++)
            applies = E->domain_ok[std->applies_idx[k]];
        /* a 判定标准 judges conduct from its effective date (立法法第一百
         * 零四条: not retroactive); an earlier act is not flagged under it
         * — the standard in force then, if the rule set has it, is
         * another criterion of the item — and the case is warned */
        if (applies && std->effective != INT32_MIN &&
            E->cs->violation_date != INT32_MIN &&
            E->cs->violation_date < std->effective) {
            char *d = zf__arena_alloc(&E->dec->arena, 11, 1);
            if (!d)
                return zf__error_nomem(E->err);
            zf__format_date(std->effective, d);
            t = trace(E, ZF_STEP_MAJOR_HAZARD, ZF_T_MAJOR_HAZARD_NOT_YET,
                      it->id, it->file, it->line, it->hazards[i].cite);
            if (!t)
                return zf__error_nomem(E->err);
            t->s[0] = d;
            rc = warn(E, zf__arena_printf(
                             &E->dec->arena,
                             "violations[%zu]: 违法行为发生在%s施行（%s）之前，"
                             "未按该标准认定重大事故隐患；应按行为时施行的判定"
                             "标准人工核对", vi, it->hazards[i].cite, d));
            if (rc)
                return rc;
            continue;
        }
        if (applies)
            dv->flags |= ZF_FLAG_MAJOR_HAZARD;
        t = trace(E, ZF_STEP_MAJOR_HAZARD,
                  applies ? ZF_T_MAJOR_HAZARD : ZF_T_MAJOR_HAZARD_NA, it->id,
                  it->file, it->line, it->hazards[i].cite);
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = !E->domain_ok && std->n_applies_to;
    }

    slots[ZF__B_MAJOR_HAZARD].u.i = (dv->flags & ZF_FLAG_MAJOR_HAZARD) != 0;
    present[ZF__B_MAJOR_HAZARD] = 1;
    xc.slots = slots;
    xc.present = present;
    xc.match_data = zf__matcher_data(E->ev->m);
    xc.match_context = zf__matcher_context(E->ev->m);
    E->xc = &xc;
    is_max = in_list(&E->pr->maximum, it);
    if ((rc = apply_orders(E, prov, st)))
        return rc;

    /* 5. 时效 */
    if ((rc = limitation(E, v, vi, &xc)))
        return rc;
    if (dv->outcome == ZF_OUT_TIME_BARRED)
        return consequences(E, it, &xc, true);

    /* 6. exemptions */
    if ((rc = exemptions(E, v, it, is_max)))
        return rc;
    if (dv->outcome == ZF_OUT_EXEMPT)
        return consequences(E, it, &xc, true);

    /* 7. tier: the item's table, then 顶格 or the general factors */
    dv->tier = it->default_tier;
    for (i = 0; i < it->n_rows; i++) {
        const struct zf__disc_row *row = &it->rows[i];
        struct zf__value val;
        uint16_t miss = 0;
        int r = ZF_OK;

        val.u.i = 1;
        if (row->when)
            r = zf__expr_eval(row->when, &xc, &val, &miss);
        if (r == ZF__EMISSING) {
            const struct zf__fact *f =
                miss >= ZF__N_BUILTINS ? &it->facts[miss - ZF__N_BUILTINS]
                                       : &zf__builtins[miss];
            t = trace(E, ZF_STEP_TIER, ZF_T_TIER_MISSING, it->id, it->file,
                      row->line, "");
            if (!t)
                return zf__error_nomem(E->err);
            t->a[0] = dv->tier;
            t->s[0] = f->name;
            t->s[1] = f->label ? f->label : f->name;
            rc = warn(E, zf__arena_printf(
                             &E->dec->arena,
                             "violations[%zu]: 未提供事实 %s（%s），"
                             "裁量档次取默认“%s”", vi, f->name,
                             f->label ? f->label : f->name,
                             zf__tier_zh[dv->tier]));
            if (rc)
                return rc;
            break;
        }
        if (r == ZF_EINDETERMINATE) {
            zf__error_set(E->err, ZF_EINDETERMINATE, ZF_DIAG_REGEX_LIMIT,
                          "violations[%zu]: a condition of item %s hit the "
                          "regex match limit", vi, it->id);
            zf__error_rule(E->err, it->id);
            return ZF_EINDETERMINATE;
        }
        if (r != ZF_OK)
            return input_error(E, vi, "facts", ZF_DIAG_OVERFLOW,
                               "a condition of item %s overflows or divides "
                               "by zero", it->id);
        if (val.u.i) {
            dv->tier = row->tier;
            t = trace(E, ZF_STEP_TIER, ZF_T_TIER_ROW, it->id, it->file,
                      row->line, "");
            if (!t)
                return zf__error_nomem(E->err);
            t->a[0] = row->tier;
            t->a[1] = (int64_t)i + 1;
            t->s[0] = row->when ? zf__expr_source(row->when) : NULL;
            t->s[1] = row->reason;
            break;
        }
    }
    if (!it->n_rows) {
        t = trace(E, ZF_STEP_TIER, ZF_T_TIER_DEFAULT, it->id, it->file,
                  it->line, "");
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = dv->tier;
    }
    if ((rc = adjust_tier(E, it, is_max, &xc)))
        return rc;
    if ((rc = additive(E, &xc)))
        return rc;

    /* 8. amounts */
    if ((rc = unit_fine(E, v, prov, st)) ||
        (rc = person_fines(E, v, prov, st)))
        return rc;
    if (!st->unit.fine && !st->persons.fine && !dv->order_penalty &&
        dv->outcome == ZF_OUT_PENALTY) {
        /* only an order to correct: 责令改正 is not itself an
         * administrative penalty (行政处罚法第九条、第二十八条) */
        dv->outcome = ZF_OUT_ORDER_ONLY;
        return ZF_OK;
    }

    /* 9. consequences of this violation (referrals, publicity, ...) */
    return consequences(E, it, &xc, false);
}

/* ------------------------------------------------------------------ */
/* the case as a whole */

static bool
penalised(const struct zf__dviolation *dv)
{
    return dv->item && (dv->outcome == ZF_OUT_PENALTY ||
                        dv->outcome == ZF_OUT_EXEMPTION_AVAILABLE);
}

/* Is a's fine "higher" than b's (行政处罚法第二十九条: 按照罚款数额高的规定
 * 处罚)? Compared on the statutory maximum, then minimum, then the
 * recommendation; ties keep the earlier violation. */
static bool
higher_norm(const struct zf__dviolation *a, const struct zf__dviolation *b)
{
    if (a->unit.smax != b->unit.smax)
        return a->unit.smax > b->unit.smax;
    if (a->unit.smin != b->unit.smin)
        return a->unit.smin > b->unit.smin;
    return a->unit.rec > b->unit.rec;
}

/* Does a person's fine on violation dv count towards the decision (not
 * absorbed under 第二十九条 by a kept norm that already fines them)? */
static bool
person_counts(const zf_decision *dec, const struct zf__dviolation *dv,
              const struct zf__dperson *dp)
{
    const struct zf__dviolation *kept;
    size_t q;

    if (!dp->fine.present)
        return false;
    if (dv->merged_into < 0)
        return true;
    kept = &dec->violations[dv->merged_into];
    for (q = 0; q < kept->n_persons; q++)
        if (kept->persons[q].fine.present &&
            strcmp(kept->persons[q].id, dp->id) == 0)
            return false;
    return true;
}

/* The largest total of one person's fines over the decision. */
static zf_status
person_max_total(struct estate *E, int64_t *out)
{
    const zf_decision *dec = E->dec;
    size_t i, p, j, q;
    int64_t best = 0;

    for (i = 0; i < dec->n_violations; i++) {
        const struct zf__dviolation *dv = &dec->violations[i];
        if (!penalised(dv))
            continue;
        for (p = 0; p < dv->n_persons; p++) {
            const struct zf__dperson *dp = &dv->persons[p];
            int64_t sum = 0;
            bool seen = false;
            if (!person_counts(dec, dv, dp))
                continue;
            /* count each person once: at their first counted fine */
            for (j = 0; j < i && !seen; j++) {
                const struct zf__dviolation *dj = &dec->violations[j];
                if (!penalised(dj))
                    continue;
                for (q = 0; q < dj->n_persons; q++)
                    if (strcmp(dj->persons[q].id, dp->id) == 0 &&
                        person_counts(dec, dj, &dj->persons[q]))
                        seen = true;
            }
            for (q = 0; q < p && !seen; q++)
                if (strcmp(dv->persons[q].id, dp->id) == 0)
                    seen = true;
            if (seen)
                continue;
            for (j = i; j < dec->n_violations; j++) {
                const struct zf__dviolation *dj = &dec->violations[j];
                if (!penalised(dj))
                    continue;
                for (q = 0; q < dj->n_persons; q++)
                    if (strcmp(dj->persons[q].id, dp->id) == 0 &&
                        person_counts(dec, dj, &dj->persons[q]) &&
                        __builtin_add_overflow(sum, dj->persons[q].fine.rec,
                                               &sum))
                        return zf__error_set(E->err, ZF_EINPUT,
                                             ZF_DIAG_OVERFLOW,
                                             "a person's fines overflow");
            }
            if (sum > best)
                best = sum;
        }
    }
    *out = best;
    return ZF_OK;
}

static zf_status
finish_case(struct estate *E)
{
    zf_decision *dec = E->dec;
    const struct zf__profile *pr = E->pr;
    struct zf__referral *refs = NULL;
    size_t i, j, p, n_refs = 0;
    int64_t max_person = 0;
    uint32_t trig = 0;
    bool any = false;
    zf_status rc;

    /* one act breaching several norms: one fine, the higher norm */
    for (i = 0; i < dec->n_violations; i++) {
        struct zf__dviolation *a = &dec->violations[i];
        struct zf__dviolation *keep = a;
        size_t n = 1;

        if (!a->act || !penalised(a) || a->merged_into >= 0)
            continue;
        for (j = i + 1; j < dec->n_violations; j++) {
            struct zf__dviolation *b = &dec->violations[j];
            if (b->act && penalised(b) && strcmp(a->act, b->act) == 0) {
                n++;
                if (higher_norm(b, keep))
                    keep = b;
            }
        }
        if (n == 1)
            continue;
        for (j = i; j < dec->n_violations; j++) {
            struct zf__dviolation *b = &dec->violations[j];
            struct zf__trace *t;
            if (!b->act || !penalised(b) || strcmp(a->act, b->act) != 0)
                continue;
            E->dv = b;
            E->trace_cap = b->n_trace;  /* force the copy-on-grow path */
            if (b == keep) {
                t = trace(E, ZF_STEP_CASE, ZF_T_MERGE_KEPT, b->item->id,
                          pr->file, pr->line, pr->merge_cite);
                if (t)
                    t->a[0] = (int64_t)n;
            } else {
                b->merged_into = (long)keep->index;
                b->flags |= ZF_FLAG_MERGED;
                t = trace(E, ZF_STEP_CASE, ZF_T_MERGED, b->item->id,
                          pr->file, pr->line, pr->merge_cite);
                if (t)
                    t->a[0] = (int64_t)keep->index;
            }
            if (!t)
                return zf__error_nomem(E->err);
            t->s[0] = b->act;
        }
    }

    /* several acts: decided separately and added up */
    for (i = 0; i < dec->n_violations; i++) {
        const struct zf__dviolation *dv = &dec->violations[i];

        if (!penalised(dv))
            continue;
        any = true;
        if (dv->unit.present && dv->merged_into < 0)
            dec->total_unit += dv->unit.rec;
        for (p = 0; p < dv->n_persons; p++) {
            const struct zf__dperson *dp = &dv->persons[p];
            /* 第二十九条 bars a second fine on the same party for the
             * same act: a person already fined under the kept norm is
             * not fined again; one it does not reach still is */
            if (!person_counts(dec, dv, dp))
                continue;
            dec->total_persons += dp->fine.rec;
        }
        if (dv->order_hearing)
            trig |= ZF_TRIG_HEARING;
        if (dv->tier == ZF_TIER_MITIGATED)
            trig |= ZF_TRIG_MITIGATED;
        if (dv->tier == ZF_TIER_MAXIMUM)
            trig |= ZF_TRIG_MAXIMUM;
        if (dv->flags & ZF_FLAG_MAJOR_HAZARD)
            trig |= ZF_TRIG_MAJOR_HAZARD;
        if (dv->flags & (1u << (ZF_FLAG_CONS_SHIFT + ZF_CONS_CLOSURE_REQUEST)))
            trig |= ZF_TRIG_CLOSURE;
    }
    /* referrals: from every violation, whatever happened to its fine
     * (merged, exempt, time-barred: 刑事追诉时效 is longer) */
    for (i = 0; i < dec->n_violations; i++) {
        const struct zf__dviolation *dv = &dec->violations[i];
        for (j = 0; j < dv->n_trace; j++) {
            const struct zf__trace *t = &dv->trace[j];
            if (t->kind == ZF_T_CONSEQUENCE &&
                (t->a[0] == ZF_CONS_CRIMINAL_REFERRAL ||
                 t->a[0] == ZF_CONS_CLOSURE_REQUEST))
                n_refs++;
        }
    }
    /* 听证 (行政处罚法第六十三条) and 简易程序 (第五十一条) judge each party
     * on its total in this decision: the unit on the unit's total, each
     * person on the sum of that person's fines (not one violation's) */
    if ((rc = person_max_total(E, &max_person)))
        return rc;
    if (dec->total_unit >= pr->hearing_unit ||
        max_person >= pr->hearing_person)
        trig |= ZF_TRIG_HEARING;
    dec->hearing = (trig & ZF_TRIG_HEARING) != 0;
    dec->legal_review = (trig & pr->legal_review_when) != 0;
    dec->collective = (trig & pr->collective_when) != 0;
    /* a case that needs 法制审核 or 集体讨论 is not decided on the spot */
    dec->summary = any && !dec->hearing && !dec->legal_review &&
                   !dec->collective && dec->total_unit <= pr->summary_unit &&
                   max_person <= pr->summary_person;

    if (n_refs) {
        refs = ZF_ARENA_NEWN(&dec->arena, struct zf__referral, n_refs);
        if (!refs)
            return zf__error_nomem(E->err);
        n_refs = 0;
        for (i = 0; i < dec->n_violations; i++) {
            const struct zf__dviolation *dv = &dec->violations[i];
            for (j = 0; j < dv->n_trace; j++) {
                const struct zf__trace *t = &dv->trace[j];
                if (t->kind != ZF_T_CONSEQUENCE ||
                    (t->a[0] != ZF_CONS_CRIMINAL_REFERRAL &&
                     t->a[0] != ZF_CONS_CLOSURE_REQUEST))
                    continue;
                refs[n_refs].flag = (int)t->a[0];
                refs[n_refs].violation = i;
                refs[n_refs].cite = t->cite;
                refs[n_refs].reason = t->s[0];
                n_refs++;
            }
        }
    }
    dec->referrals = refs;
    dec->n_referrals = n_refs;
    return ZF_OK;
}

ZF_API zf_status
zf_evaluate(zf_decision **out, zf_evaluator *ev, const zf_ruleset *rs,
            const zf_case *cs, zf_error *err)
{
    struct estate E;
    zf_decision *dec;
    bool *ok = NULL;
    size_t i;
    zf_status rc = ZF_OK;

    if (!out || !ev || !rs || !cs)
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    dec = zf__calloc(ev->ctx, 1, sizeof(*dec));
    if (!dec)
        return zf__error_nomem(err);
    dec->ctx = ev->ctx;
    zf__arena_init(&dec->arena, ev->ctx, 8192);
    dec->rs = zf_ruleset_ref((zf_ruleset *)rs);
    memset(&E, 0, sizeof(E));
    E.ev = ev;
    E.rs = rs;
    E.cs = cs;
    E.dec = dec;
    E.err = err;
    E.pr = rs->profile;
    E.additive_pct = -1;
    if (ev->profile[0]) {
        E.pr = NULL;
        for (i = 0; i < rs->n_profiles; i++)
            if (strcmp(rs->profiles[i]->id, ev->profile) == 0)
                E.pr = rs->profiles[i];
        if (!E.pr) {
            rc = zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                               "the rule set has no discretion profile '%s'",
                               ev->profile);
            goto fail;
        }
    }
    dec->profile = E.pr;

    dec->case_id = zf__arena_strdup(&dec->arena, cs->case_id);
    if (!dec->case_id)
        goto oom;
    if (cs->n_domains) {
        ok = ZF_ARENA_NEWN(&dec->arena, bool, rs->n_domains + 1);
        if (!ok)
            goto oom;
        for (i = 0; i < cs->n_domains; i++) {
            const struct zf__domain *d =
                zf__ruleset_find_domain(rs, cs->domains[i]);
            if (!d) {
                char path[64];
                snprintf(path, sizeof(path), "enterprise.domains[%zu]", i);
                rc = zf__error_set(err, ZF_EINPUT,
                                   ZF_DIAG_CASE_UNKNOWN_DOMAIN,
                                   "%s: '%s' is not a domain of this rule "
                                   "set", path, cs->domains[i]);
                zf__error_path(err, path);
                goto fail;
            }
            ok[d->index] = true;
        }
        E.domain_ok = ok;
    }
    if ((rc = evaluate_violations(&E)))
        goto fail;
    if ((rc = finish_case(&E)))
        goto fail;
    dec->warnings = E.warnings.v;
    dec->n_warnings = E.warnings.n;
    *out = dec;
    return ZF_OK;
oom:
    rc = zf__error_nomem(err);
fail:
    zf_decision_free(dec);
    return rc;
}

ZF_API void
zf_decision_free(zf_decision *dec)
{
    if (!dec)
        return;
    zf_ruleset_unref(dec->rs);
    zf__arena_destroy(&dec->arena);
    zf__free(dec->ctx, dec);
}

ZF_API size_t
zf_decision_violation_count(const zf_decision *dec)
{
    return dec ? dec->n_violations : 0;
}

ZF_API int64_t
zf_decision_total_unit_fine(const zf_decision *dec)
{
    return dec ? dec->total_unit : 0;
}

ZF_API int64_t
zf_decision_total_person_fines(const zf_decision *dec)
{
    return dec ? dec->total_persons : 0;
}

ZF_API const char *
zf_decision_item(const zf_decision *dec, size_t i)
{
    if (!dec || i >= dec->n_violations || !dec->violations[i].item)
        return NULL;
    return dec->violations[i].item->id;
}

ZF_API const char *
zf_decision_outcome(const zf_decision *dec, size_t i)
{
    if (!dec || i >= dec->n_violations)
        return NULL;
    return zf__outcome_names[dec->violations[i].outcome];
}

ZF_API const char *
zf_decision_tier(const zf_decision *dec, size_t i)
{
    if (!dec || i >= dec->n_violations || !dec->violations[i].item)
        return NULL;
    return zf__tier_names[dec->violations[i].tier];
}

ZF_API zf_status
zf_decision_unit_fine(const zf_decision *dec, size_t i, int64_t *recommended,
                      int64_t *band_min, int64_t *band_max,
                      int64_t *statutory_min, int64_t *statutory_max)
{
    const struct zf__money *m;

    if (!dec || i >= dec->n_violations ||
        !dec->violations[i].unit.present)
        return ZF_EINVAL;
    m = &dec->violations[i].unit;
    if (recommended)
        *recommended = m->rec;
    if (band_min)
        *band_min = m->min;
    if (band_max)
        *band_max = m->max;
    if (statutory_min)
        *statutory_min = m->smin;
    if (statutory_max)
        *statutory_max = m->smax;
    return ZF_OK;
}

ZF_API size_t
zf_decision_warning_count(const zf_decision *dec)
{
    return dec ? dec->n_warnings : 0;
}
