/* SPDX-License-Identifier: MIT */
/*
 * Matching of free-text findings to checklist items. Owns the evaluator's
 * PCRE2 match state; see match-private.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

struct zf__matcher {
    const zf_context *ctx;
    pcre2_general_context *gctx;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    pcre2_jit_stack *jit;
};

static void *
m_malloc(size_t size, void *ud)
{
    return zf__malloc(ud, size);
}

static void
m_free(void *p, void *ud)
{
    zf__free(ud, p);
}

zf_status
zf__matcher_new(struct zf__matcher **out, const zf_context *ctx)
{
    struct zf__matcher *m = zf__calloc(ctx, 1, sizeof(*m));

    if (!m)
        return ZF_ENOMEM;
    m->ctx = ctx;
    m->gctx = pcre2_general_context_create(m_malloc, m_free, (void *)ctx);
    if (!m->gctx)
        goto oom;
    m->mctx = pcre2_match_context_create(m->gctx);
    m->md = pcre2_match_data_create(1, m->gctx);
    if (!m->mctx || !m->md)
        goto oom;
    pcre2_set_match_limit(m->mctx, (uint32_t)zf__limit(ctx, ZF_LIMIT_MATCH));
    pcre2_set_depth_limit(m->mctx,
                          (uint32_t)zf__limit(ctx, ZF_LIMIT_MATCH_DEPTH));
    pcre2_set_heap_limit(m->mctx,
                         (uint32_t)zf__limit(ctx, ZF_LIMIT_MATCH_HEAP));
    m->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, m->gctx);
    if (m->jit)
        pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
    *out = m;
    return ZF_OK;
oom:
    zf__matcher_free(m);
    return ZF_ENOMEM;
}

void
zf__matcher_free(struct zf__matcher *m)
{
    if (!m)
        return;
    if (m->jit)
        pcre2_jit_stack_free(m->jit);
    if (m->md)
        pcre2_match_data_free(m->md);
    if (m->mctx)
        pcre2_match_context_free(m->mctx);
    if (m->gctx)
        pcre2_general_context_free(m->gctx);
    zf__free(m->ctx, m);
}

void *
zf__matcher_data(struct zf__matcher *m)
{
    return m->md;
}

void *
zf__matcher_context(struct zf__matcher *m)
{
    return m->mctx;
}

static int
pattern_match(struct zf__matcher *M, const struct zf__pattern *p, const char *s,
              size_t n, uint64_t mask, int64_t *score)
{
    int rc;
    PCRE2_SIZE *ov;

    if (!zf__pf_may_match(p->lits, p->n_lits, s, n, mask))
        return 0;
    rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK,
                     M->md, M->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return -1;
    ov = pcre2_get_ovector_pointer(M->md);
    *score = 1 + (int64_t)zf__utf8_count(s + ov[0], ov[1] - ov[0]);
    return 1;
}

static bool
cand_better(const struct zf__candidate *a, const struct zf__candidate *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->item->priority != b->item->priority)
        return a->item->priority > b->item->priority;
    return a->item->index < b->item->index;
}

static void
cand_insert(struct zf__dviolation *dv, const struct zf__item *it,
            int64_t score)
{
    struct zf__candidate c = {it, score};
    size_t i;

    if (dv->n_cand == ZF__MAX_CANDIDATES &&
        !cand_better(&c, &dv->cand[ZF__MAX_CANDIDATES - 1]))
        return;
    i = dv->n_cand < ZF__MAX_CANDIDATES ? dv->n_cand++
                                        : ZF__MAX_CANDIDATES - 1;
    while (i > 0 && cand_better(&c, &dv->cand[i - 1])) {
        dv->cand[i] = dv->cand[i - 1];
        i--;
    }
    dv->cand[i] = c;
}

static bool
in_scope(const struct zf__match_io *E, const struct zf__domain *d)
{
    return !E->domain_ok || d->common || E->domain_ok[d->index];
}

/* Near misses of an unmatched finding: items ranked by the number of
 * character bigrams their title and conduct share with the text (both
 * sides pre-sorted, so each item costs one merge). */
static void
near_misses(const struct zf__match_io *E, const char *text, size_t len)
{
    uint32_t tb[256];
    size_t ntb = zf__bigrams(text, len, tb, 256), d, j;
    const zf_ruleset *rs = E->rs;

    if (!ntb)
        return;
    for (d = 0; d < rs->n_domains; d++) {
        const struct zf__domain *dom = rs->domains[d];
        if (!in_scope(E, dom))
            continue;
        for (j = 0; j < dom->n_items; j++) {
            const struct zf__item *it = dom->items[j];
            size_t a = 0, b = 0;
            int64_t s = 0;
            while (a < ntb && b < it->n_bigrams) {
                if (tb[a] < it->bigrams[b])
                    a++;
                else if (tb[a] > it->bigrams[b])
                    b++;
                else {
                    s++;
                    a++;
                    b++;
                }
            }
            if (s > 0)
                cand_insert(E->dv, it, s);
        }
    }
    if (E->dv->n_cand > 3)
        E->dv->n_cand = 3;
}

zf_status
zf__match_text(const struct zf__match_io *E, const char *text, size_t len,
               size_t vi)
{
    const zf_ruleset *rs = E->rs;
    struct zf__dviolation *dv = E->dv;
    uint64_t mask = zf__cp_mask(text, len);
    size_t d, j, p;
    struct zf__trace *t;

    for (d = 0; d < rs->n_domains; d++) {
        const struct zf__domain *dom = rs->domains[d];
        if (!in_scope(E, dom))
            continue;
        for (j = 0; j < dom->n_items; j++) {
            const struct zf__item *it = dom->items[j];
            int64_t best = 0, score = 0;
            const struct zf__pattern *bp = NULL;
            int rc;

            for (p = 0; p < it->n_patterns; p++) {
                rc = pattern_match(E->m, &it->patterns[p], text, len,
                                   mask, &score);
                if (rc < 0)
                    goto indeterminate;
                if (rc > 0 && score > best) {
                    best = score;
                    bp = &it->patterns[p];
                }
            }
            if (!bp)
                continue;
            for (p = 0; p < it->n_excludes; p++) {
                rc = pattern_match(E->m, &it->excludes[p], text, len,
                                   mask, &score);
                if (rc < 0)
                    goto indeterminate;
                if (rc > 0)
                    break;
            }
            if (p < it->n_excludes)
                continue;
            cand_insert(dv, it, best);
            continue;
indeterminate:
            zf__error_set(E->err, ZF_EINDETERMINATE, ZF_DIAG_REGEX_LIMIT,
                          "violations[%zu]: a pattern of item %s hit the "
                          "regex match limit; the result is indeterminate",
                          vi, it->id);
            zf__error_rule(E->err, it->id);
            if (E->err)
                snprintf(E->err->path, sizeof(E->err->path),
                         "violations[%zu].text", vi);
            return ZF_EINDETERMINATE;
        }
    }
    if (!dv->n_cand) {
        dv->matched_by = 2;
        dv->outcome = ZF_OUT_UNMATCHED;
        t = E->trace(E->ud, ZF_STEP_MATCH, ZF_T_MATCH_NONE, "", NULL, 0, "");
        if (!t)
            return zf__error_nomem(E->err);
        near_misses(E, text, len);
        return ZF_OK;
    }
    dv->matched_by = 1;
    if (dv->n_cand > 1 && dv->cand[0].score == dv->cand[1].score &&
        dv->cand[0].item->priority == dv->cand[1].item->priority) {
        dv->outcome = ZF_OUT_AMBIGUOUS;
        t = E->trace(E->ud, ZF_STEP_MATCH, ZF_T_MATCH_AMBIGUOUS, "", NULL, 0, "");
        if (!t)
            return zf__error_nomem(E->err);
        t->a[0] = dv->cand[0].score;
        return ZF_OK;
    }
    dv->item = dv->cand[0].item;
    t = E->trace(E->ud, ZF_STEP_MATCH, ZF_T_MATCH_PATTERN, dv->item->id,
              dv->item->file, dv->item->line, "");
    if (!t)
        return zf__error_nomem(E->err);
    t->a[0] = dv->cand[0].score;
    /* name the pattern that matched best (re-run only the winner's) */
    {
        const struct zf__item *it = dv->item;
        int64_t s = 0, best = -1;
        for (p = 0; p < it->n_patterns; p++)
            if (pattern_match(E->m, &it->patterns[p], text, len,
                              mask, &s) > 0 && s > best) {
                best = s;
                t->s[0] = it->patterns[p].src;
                t->line = it->patterns[p].line;
            }
    }
    return ZF_OK;
}

