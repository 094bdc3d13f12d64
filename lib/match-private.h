/* SPDX-License-Identifier: MIT */
/*
 * Matching: free-text findings → checklist items (ARCHITECTURE.md §3 step 2).
 * This module owns the PCRE2 match state of an evaluator and every regex run
 * made to recognise a finding; the decision pipeline (eval.c) calls it once
 * per violation with a `text` and no `item`, and it fills the violation's
 * candidates, decided item, outcome and match trace entries.
 */
#ifndef ZF_MATCH_PRIVATE_H
#define ZF_MATCH_PRIVATE_H

#include "eval-private.h"

/* Per-evaluator PCRE2 state (match context with the context's limits,
 * match data, JIT stack). Not thread-safe: one per evaluator. */
struct zf__matcher;

zf_status zf__matcher_new(struct zf__matcher **out, const zf_context *ctx);
void zf__matcher_free(struct zf__matcher *m);
/* For the expression VM's `matches` operator (pcre2_match_data_8 *, and
 * pcre2_match_context_8 *). */
void *zf__matcher_data(struct zf__matcher *m);
void *zf__matcher_context(struct zf__matcher *m);

/* What the pipeline lends the matcher for one violation. */
struct zf__match_io {
    struct zf__matcher *m;
    const zf_ruleset *rs;
    const bool *domain_ok;     /* NULL: every domain */
    const struct zf__profile *pr;  /* the decision rule (match_*) */
    struct zf__dviolation *dv;
    struct zf__arena *arena;   /* the decision's */
    zf_error *err;
    /* append a trace entry to dv (NULL: out of memory) */
    struct zf__trace *(*trace)(void *ud, uint8_t step, uint8_t kind,
                               const char *rule,
                               const struct zf__source *file, unsigned line,
                               const char *cite);
    /* add a case warning (msg NULL: out of memory) */
    zf_status (*warn)(void *ud, const char *msg);
    void *ud;
};

/*
 * Match violation `vi`'s text. Sets dv->matched_by (1 text, 2 none),
 * dv->cand/n_cand, and either dv->item (decided) or dv->outcome
 * (ZF_OUT_UNMATCHED, ZF_OUT_AMBIGUOUS). Returns ZF_OK, ZF_ENOMEM, or
 * ZF_EINDETERMINATE when a pattern hit the regex limits.
 */
zf_status zf__match_text(const struct zf__match_io *io, const char *text,
                         size_t len, size_t vi);

/* A byte range of a violation's text. */
struct zf__span {
    size_t start, end;
};

#define ZF__MAX_SEGMENTS 16

/*
 * Several findings in one paragraph: a numbered list (1、2、 / 1. 2. /
 * （1）（2） / 一、二、, numbered in sequence from 1; the text before the first
 * number is context and left out), else parts separated by ；/; of which at
 * least two are recognised on their own. Returns the number of segments
 * written to out (≥ 2), or 0 when the text is one finding.
 */
size_t zf__match_segments(const struct zf__match_io *io, const char *text,
                          size_t len, size_t vi, struct zf__span *out,
                          size_t cap);

#endif
