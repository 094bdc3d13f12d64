/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the libFuzzer targets and their standalone replay
 * driver. A target is one C file defining LLVMFuzzerTestOneInput(); it
 * aborts (FUZZ_CHECK) on any broken invariant, so a finding is a crash.
 */
#ifndef ZF_FUZZ_COMMON_H
#define ZF_FUZZ_COMMON_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zhifa.h"

#define FUZZ_CHECK(cond)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            abort();                                                       \
        }                                                                  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The process-wide context (default limits), created on first use. */
static inline zf_context *
fuzz_ctx(void)
{
    static zf_context *ctx;

    if (!ctx)
        FUZZ_CHECK(zf_context_new(&ctx) == ZF_OK);
    return ctx;
}

/* `buf` is exactly one JSON value, and nothing else. */
static inline int
fuzz_valid_json(const char *buf, size_t len)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    int ok = j != NULL;

    if (ok) {
        while (end < buf + len &&
               (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r'))
            end++;
        ok = end == buf + len;
    }
    cJSON_Delete(j);
    return ok;
}

/* A failure fills `err` consistently: same code, a diag, a message. */
static inline void
fuzz_check_error(zf_status rc, const zf_error *err)
{
    FUZZ_CHECK(rc < 0 && rc >= ZF_EINTERNAL);
    FUZZ_CHECK(rc != ZF_EINTERNAL);
    FUZZ_CHECK(err->code == rc);
    FUZZ_CHECK(err->diag != 0);
    FUZZ_CHECK(err->message[0] != '\0');
    FUZZ_CHECK(memchr(err->message, '\0', sizeof(err->message)) != NULL);
    FUZZ_CHECK(memchr(err->source, '\0', sizeof(err->source)) != NULL);
    FUZZ_CHECK(memchr(err->path, '\0', sizeof(err->path)) != NULL);
    FUZZ_CHECK(memchr(err->rule_id, '\0', sizeof(err->rule_id)) != NULL);
}

/*
 * Evaluate `cs` against `rs` and render it in every format; check the JSON
 * is valid and that a second evaluation renders byte-identically. Returns
 * the status of the first evaluation.
 */
static inline zf_status
fuzz_eval_render(zf_evaluator *ev, const zf_ruleset *rs, const zf_case *cs)
{
    zf_context *ctx = fuzz_ctx();
    zf_decision *dec = NULL, *dec2 = NULL;
    zf_error err = ZF_ERROR_INIT, err2 = ZF_ERROR_INIT;
    char *out[3] = {NULL, NULL, NULL}, *again = NULL;
    size_t len[3] = {0, 0, 0}, again_len = 0, i, n;
    zf_status rc, rc2;
    int f;

    rc = zf_evaluate(&dec, ev, rs, cs, &err);
    rc2 = zf_evaluate(&dec2, ev, rs, cs, &err2);
    FUZZ_CHECK(rc == rc2);
    if (rc != ZF_OK) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc != ZF_ENOMEM);
        FUZZ_CHECK(strcmp(err.message, err2.message) == 0);
        /* fail closed: an indeterminate result names the rule */
        if (rc == ZF_EINDETERMINATE)
            FUZZ_CHECK(err.rule_id[0] != '\0');
        FUZZ_CHECK(dec == NULL && dec2 == NULL);
        return rc;
    }
    for (f = 0; f < 3; f++) {
        zf_error rerr = ZF_ERROR_INIT;
        FUZZ_CHECK(zf_decision_render(&out[f], &len[f], dec, f, &rerr) ==
                   ZF_OK);
        FUZZ_CHECK(out[f][len[f]] == '\0' && strlen(out[f]) == len[f]);
    }
    FUZZ_CHECK(fuzz_valid_json(out[ZF_RENDER_JSON], len[ZF_RENDER_JSON]));
    FUZZ_CHECK(fuzz_valid_json(out[ZF_RENDER_JSON_PRETTY],
                               len[ZF_RENDER_JSON_PRETTY]));
    FUZZ_CHECK(zf_decision_render(&again, &again_len, dec2, ZF_RENDER_JSON,
                                  NULL) == ZF_OK);
    FUZZ_CHECK(again_len == len[0] && memcmp(again, out[0], len[0]) == 0);
    /* the accessors agree with the case and stay in range */
    n = zf_decision_violation_count(dec);
    /* a paragraph of numbered findings becomes several violations
     * (match.c), never fewer than the case has */
    FUZZ_CHECK(n >= zf_case_violation_count(cs));
    for (i = 0; i <= n; i++) {
        int64_t r = 0, bmin = 0, bmax = 0, smin = 0, smax = 0;
        const char *o = zf_decision_outcome(dec, i);
        FUZZ_CHECK((o != NULL) == (i < n));
        (void)zf_decision_item(dec, i);
        (void)zf_decision_tier(dec, i);
        if (zf_decision_unit_fine(dec, i, &r, &bmin, &bmax, &smin, &smax) ==
            ZF_OK) {
            FUZZ_CHECK(smin <= smax);
            FUZZ_CHECK(bmin <= bmax);
        }
    }
    (void)zf_decision_warning_count(dec);
    for (f = 0; f < 3; f++)
        zf_free(ctx, out[f]);
    zf_free(ctx, again);
    zf_decision_free(dec);
    zf_decision_free(dec2);
    return ZF_OK;
}

#endif
