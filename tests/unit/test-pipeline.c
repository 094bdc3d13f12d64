/* SPDX-License-Identifier: MIT */
/*
 * The discretion pipeline, step by step (docs/discretion.md, issue
 * "pipeline" point 12): one TCase per step, each on a small self-contained
 * single-file rule set in tests/data/pipeline/ (never the shipped rules),
 * evaluated with the C API and checked through the rendered decision JSON
 * (parsed with cJSON) and the accessors. Every figure below is computed by
 * hand in the comment next to it; the rule files' headers give the
 * statutory ranges they use.
 *
 * Cases are written with single quotes for readability ('item':'T-1') and
 * turned into JSON by replacing every ' with " (no case here contains an
 * apostrophe).
 *
 * The last TCase checks the loader's errors for the profile and law-version
 * keys: tests/data/pipeline/loader/NAME.yaml starts with "# diag: NNN" and
 * marks the line the error must name with "# ERROR".
 */
#include "config.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-common.h"
#include "zhifa.h"

static zf_context *ctx;
static unsigned long n_checks;   /* meaningful with CK_FORK=no */

static void
setup(void)
{
    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
}

static void
teardown(void)
{
    zf_context_free(ctx);
    ctx = NULL;
}

/* ------------------------------------------------------------------ */
/* helpers: files and rule sets */

/* Compile tests/data/pipeline/NAME with zf_ruleset_compile. */
static zf_ruleset *
rules(const char *name)
{
    char path[4096], src[256];
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    size_t len;
    char *buf;
    zf_status rc;

    snprintf(path, sizeof(path), "%s/pipeline/%s", zt_data_dir(), name);
    snprintf(src, sizeof(src), "pipeline/%s", name);
    buf = zt_slurp(path, &len);
    rc = zf_ruleset_compile(&rs, ctx, buf, len, src, &err);
    free(buf);
    ck_assert_msg(rc == ZF_OK, "%s:%u:%u: [ZF-%03d] %s", err.source,
                  err.line, err.column, err.diag, err.message);
    return rs;
}

/* ------------------------------------------------------------------ */
/* helpers: evaluation */

struct run {
    zf_decision *dec;
    cJSON *doc;
};

static char *
dequote(const char *relaxed)
{
    char *s = strdup(relaxed), *p;

    ck_assert_ptr_nonnull(s);
    for (p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

/* Evaluate a case (relaxed quotes) under `profile` (NULL: the default)
 * and parse the rendered decision. */
static void
eval_case(struct run *r, const zf_ruleset *rs, const char *profile,
          const char *relaxed)
{
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *json = dequote(relaxed), *out = NULL;
    size_t len = 0;
    zf_status rc;

    memset(r, 0, sizeof(*r));
    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);
    if (profile)
        ck_assert_int_eq(zf_evaluator_set_profile(ev, profile), ZF_OK);
    rc = zf_case_parse(&cs, ctx, json, strlen(json), &err);
    ck_assert_msg(rc == ZF_OK, "case: %s: [ZF-%03d] %s\n  %s", err.path,
                  err.diag, err.message, json);
    rc = zf_evaluate(&r->dec, ev, rs, cs, &err);
    ck_assert_msg(rc == ZF_OK, "evaluate: %s: [ZF-%03d] %s\n  %s", err.path,
                  err.diag, err.message, json);
    ck_assert_int_eq(zf_decision_render(&out, &len, r->dec, ZF_RENDER_JSON,
                                        &err), ZF_OK);
    r->doc = cJSON_ParseWithLength(out, len);
    ck_assert_msg(r->doc != NULL, "the decision is not JSON");
    ck_assert_uint_eq(zf_decision_violation_count(r->dec),
                      zf_case_violation_count(cs));
    zf_free(ctx, out);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    free(json);
}

/* Evaluate a case that must fail; returns the status, fills `err`. */
static zf_status
eval_fail(const zf_ruleset *rs, const char *profile, const char *relaxed,
          zf_error *err)
{
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    char *json = dequote(relaxed);
    zf_status rc;

    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);
    if (profile)
        ck_assert_int_eq(zf_evaluator_set_profile(ev, profile), ZF_OK);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, json, strlen(json), err),
                     ZF_OK);
    rc = zf_evaluate(&dec, ev, rs, cs, err);
    ck_assert_ptr_null(dec);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    free(json);
    return rc;
}

static void
done(struct run *r)
{
    cJSON_Delete(r->doc);
    zf_decision_free(r->dec);
    memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------------ */
/* helpers: JSON paths ("violations[0].unit.fine.min") and expectations */

static const cJSON *
at(const cJSON *node, const char *path)
{
    char key[64];
    const char *p = path;
    size_t n;

    while (node && *p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            ck_assert_msg(*end == ']', "bad path %s", path);
            node = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)i)
                                       : NULL;
            p = end + 1;
            continue;
        }
        n = strcspn(p, ".[");
        ck_assert_msg(n < sizeof(key), "bad path %s", path);
        memcpy(key, p, n);
        key[n] = '\0';
        node = cJSON_IsObject(node)
                   ? cJSON_GetObjectItemCaseSensitive(node, key)
                   : NULL;
        p += n;
    }
    return node;
}

static const cJSON *
vat(const struct run *r, int line, const char *fmt, va_list ap)
{
    char path[256];
    const cJSON *n;

    vsnprintf(path, sizeof(path), fmt, ap);
    n = at(r->doc, path);
    ck_assert_msg(n != NULL, "line %d: no %s in the decision", line, path);
    n_checks++;
    return n;
}

static void
expect_int(const struct run *r, int line, long long want, const char *fmt,
           ...)
{
    va_list ap;
    const cJSON *n;

    va_start(ap, fmt);
    n = vat(r, line, fmt, ap);
    va_end(ap);
    ck_assert_msg(cJSON_IsNumber(n) && n->valuedouble == (double)want,
                  "line %d: %s is %s, want %lld", line, fmt,
                  cJSON_IsNumber(n) ? "another number" : "not a number",
                  want);
}

static void
expect_str(const struct run *r, int line, const char *want, const char *fmt,
           ...)
{
    va_list ap;
    const cJSON *n;

    va_start(ap, fmt);
    n = vat(r, line, fmt, ap);
    va_end(ap);
    if (!want) {
        ck_assert_msg(cJSON_IsNull(n), "line %d: %s is not null", line, fmt);
        return;
    }
    ck_assert_msg(cJSON_IsString(n), "line %d: %s is not a string", line,
                  fmt);
    ck_assert_msg(strcmp(n->valuestring, want) == 0,
                  "line %d: %s is \"%s\", want \"%s\"", line, fmt,
                  n->valuestring, want);
}

static void
expect_bool(const struct run *r, int line, bool want, const char *fmt, ...)
{
    va_list ap;
    const cJSON *n;

    va_start(ap, fmt);
    n = vat(r, line, fmt, ap);
    va_end(ap);
    ck_assert_msg(cJSON_IsBool(n) && (bool)cJSON_IsTrue(n) == want,
                  "line %d: %s is not %s", line, fmt,
                  want ? "true" : "false");
}

static void
expect_null(const struct run *r, int line, const char *fmt, ...)
{
    va_list ap;
    const cJSON *n;

    va_start(ap, fmt);
    n = vat(r, line, fmt, ap);
    va_end(ap);
    ck_assert_msg(cJSON_IsNull(n), "line %d: %s is not null", line, fmt);
}

/* An array of strings, joined with '|' ("" for an empty array). */
static void
expect_strs(const struct run *r, int line, const char *want, const char *fmt,
            ...)
{
    char got[2048] = "";
    const cJSON *n, *e;
    va_list ap;

    va_start(ap, fmt);
    n = vat(r, line, fmt, ap);
    va_end(ap);
    ck_assert_msg(cJSON_IsArray(n), "line %d: %s is not an array", line, fmt);
    cJSON_ArrayForEach(e, n) {
        ck_assert_msg(cJSON_IsString(e), "line %d: %s holds a non-string",
                      line, fmt);
        if (got[0])
            strncat(got, "|", sizeof(got) - strlen(got) - 1);
        strncat(got, e->valuestring, sizeof(got) - strlen(got) - 1);
    }
    ck_assert_msg(strcmp(got, want) == 0, "line %d: %s is [%s], want [%s]",
                  line, fmt, got, want);
}

static void
expect_len(const struct run *r, int line, int want, const char *fmt, ...)
{
    va_list ap;
    const cJSON *n;

    va_start(ap, fmt);
    n = vat(r, line, fmt, ap);
    va_end(ap);
    ck_assert_msg(cJSON_IsArray(n) && cJSON_GetArraySize(n) == want,
                  "line %d: %s has %d entries, want %d", line, fmt,
                  cJSON_IsArray(n) ? cJSON_GetArraySize(n) : -1, want);
}

/* A money object {min, max, recommended, statutory: {min, max}}. */
static void
expect_money(const struct run *r, int line, long long min, long long max,
             long long rec, long long smin, long long smax, const char *path)
{
    char p[256];

    snprintf(p, sizeof(p), "%s.min", path);
    expect_int(r, line, min, "%s", p);
    snprintf(p, sizeof(p), "%s.max", path);
    expect_int(r, line, max, "%s", p);
    snprintf(p, sizeof(p), "%s.recommended", path);
    expect_int(r, line, rec, "%s", p);
    snprintf(p, sizeof(p), "%s.statutory.min", path);
    expect_int(r, line, smin, "%s", p);
    snprintf(p, sizeof(p), "%s.statutory.max", path);
    expect_int(r, line, smax, "%s", p);
}

/* Violation vi's unit fine, through the JSON and the accessor. */
static void
expect_unit(const struct run *r, int line, size_t vi, long long min,
            long long max, long long rec, long long smin, long long smax)
{
    char p[64];
    int64_t a[5];

    snprintf(p, sizeof(p), "violations[%zu].unit.fine", vi);
    expect_money(r, line, min, max, rec, smin, smax, p);
    ck_assert_int_eq(zf_decision_unit_fine(r->dec, vi, &a[0], &a[1], &a[2],
                                           &a[3], &a[4]), ZF_OK);
    ck_assert_msg(a[0] == rec && a[1] == min && a[2] == max &&
                  a[3] == smin && a[4] == smax,
                  "line %d: accessor gives %lld %lld..%lld (%lld..%lld)",
                  line, (long long)a[0], (long long)a[1], (long long)a[2],
                  (long long)a[3], (long long)a[4]);
    n_checks++;
}

/* No unit fine at all: "unit": null (exempt, barred, no legal basis). */
static void
expect_no_unit(const struct run *r, int line, size_t vi)
{
    int64_t rec = -1;

    expect_null(r, line, "violations[%zu].unit", vi);
    ck_assert_msg(zf_decision_unit_fine(r->dec, vi, &rec, NULL, NULL, NULL,
                                        NULL) == ZF_EINVAL,
                  "line %d: the accessor reports a unit fine", line);
    n_checks++;
}

static void
expect_outcome(const struct run *r, int line, size_t vi, const char *want)
{
    const char *got = zf_decision_outcome(r->dec, vi);

    ck_assert_msg(got && strcmp(got, want) == 0,
                  "line %d: violation %zu outcome %s, want %s", line, vi,
                  got ? got : "(null)", want);
    expect_str(r, line, want, "violations[%zu].outcome", vi);
}

static void
expect_tier(const struct run *r, int line, size_t vi, const char *want)
{
    const char *got = zf_decision_tier(r->dec, vi);

    ck_assert_msg(got && strcmp(got, want) == 0,
                  "line %d: violation %zu tier %s, want %s", line, vi,
                  got ? got : "(null)", want);
    expect_str(r, line, want, "violations[%zu].tier", vi);
}

static void
expect_totals(const struct run *r, int line, long long unit,
              long long persons)
{
    ck_assert_msg(zf_decision_total_unit_fine(r->dec) == unit &&
                  zf_decision_total_person_fines(r->dec) == persons,
                  "line %d: totals %lld / %lld, want %lld / %lld", line,
                  (long long)zf_decision_total_unit_fine(r->dec),
                  (long long)zf_decision_total_person_fines(r->dec), unit,
                  persons);
    expect_int(r, line, unit, "total.unit_fine");
    expect_int(r, line, persons, "total.person_fines");
}

/* procedure: "shlc" = summary, hearing, legal_review, collective, each
 * given as 1 or 0, e.g. "0110". */
static void
expect_procedure(const struct run *r, int line, const char *shlc)
{
    expect_bool(r, line, shlc[0] == '1', "procedure.summary");
    expect_bool(r, line, shlc[1] == '1', "procedure.hearing");
    expect_bool(r, line, shlc[2] == '1', "procedure.legal_review");
    expect_bool(r, line, shlc[3] == '1', "procedure.collective_discussion");
}

/* The first trace entry of violation vi with this step whose detail
 * contains `text` (any, if NULL). */
static const cJSON *
find_trace(const struct run *r, size_t vi, const char *step,
           const char *text)
{
    char p[64];
    const cJSON *tr, *e;

    snprintf(p, sizeof(p), "violations[%zu].trace", vi);
    tr = at(r->doc, p);
    cJSON_ArrayForEach(e, tr) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "step");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "detail");
        if (cJSON_IsString(s) && strcmp(s->valuestring, step) == 0 &&
            cJSON_IsString(d) && (!text || strstr(d->valuestring, text)))
            return e;
    }
    return NULL;
}

static void
dump_trace(const struct run *r, size_t vi, char *out, size_t size)
{
    char p[64];
    const cJSON *e;

    snprintf(p, sizeof(p), "violations[%zu].trace", vi);
    out[0] = '\0';
    cJSON_ArrayForEach(e, at(r->doc, p)) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "step");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "detail");
        snprintf(out + strlen(out), size - strlen(out), "\n    %s: %s",
                 s ? s->valuestring : "?", d ? d->valuestring : "?");
    }
}

/* A trace entry of `step` mentioning `text`, citing `cite` (unless NULL). */
static void
expect_trace(const struct run *r, int line, size_t vi, const char *step,
             const char *text, const char *cite)
{
    const cJSON *e = find_trace(r, vi, step, text);
    char all[4096];

    if (!e)
        dump_trace(r, vi, all, sizeof(all));
    ck_assert_msg(e != NULL, "line %d: violation %zu has no '%s' step "
                  "saying '%s'; trace:%s", line, vi, step, text, all);
    if (cite) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "cite");
        ck_assert_msg(cJSON_IsString(c) && strcmp(c->valuestring, cite) == 0,
                      "line %d: the '%s' step cites '%s', want '%s'", line,
                      step, cJSON_IsString(c) ? c->valuestring : "?", cite);
    }
    n_checks++;
}

static void
expect_no_trace(const struct run *r, int line, size_t vi, const char *step,
                const char *text)
{
    const cJSON *e = find_trace(r, vi, step, text);

    ck_assert_msg(e == NULL, "line %d: violation %zu has a '%s' step '%s'",
                  line, vi, step,
                  e ? cJSON_GetObjectItemCaseSensitive(e, "detail")
                          ->valuestring
                    : "");
    n_checks++;
}

#define INT(r, want, ...) expect_int(r, __LINE__, want, __VA_ARGS__)
#define STR(r, want, ...) expect_str(r, __LINE__, want, __VA_ARGS__)
#define BOOL(r, want, ...) expect_bool(r, __LINE__, want, __VA_ARGS__)
#define ISNULL(r, ...) expect_null(r, __LINE__, __VA_ARGS__)
#define STRS(r, want, ...) expect_strs(r, __LINE__, want, __VA_ARGS__)
#define LEN(r, want, ...) expect_len(r, __LINE__, want, __VA_ARGS__)
#define FLAGS(r, vi, want) \
    expect_strs(r, __LINE__, want, "violations[%d].flags", (int)(vi))
#define MONEY(r, path, min, max, rec, smin, smax) \
    expect_money(r, __LINE__, min, max, rec, smin, smax, path)
#define UNIT(r, vi, min, max, rec, smin, smax) \
    expect_unit(r, __LINE__, vi, min, max, rec, smin, smax)
#define NO_UNIT(r, vi) expect_no_unit(r, __LINE__, vi)
#define OUTCOME(r, vi, want) expect_outcome(r, __LINE__, vi, want)
#define TIER(r, vi, want) expect_tier(r, __LINE__, vi, want)
#define TOTALS(r, unit, persons) expect_totals(r, __LINE__, unit, persons)
#define PROCEDURE(r, shlc) expect_procedure(r, __LINE__, shlc)
#define TRACE(r, vi, step, text) \
    expect_trace(r, __LINE__, vi, step, text, NULL)
#define TRACE_CITE(r, vi, step, text, cite) \
    expect_trace(r, __LINE__, vi, step, text, cite)
#define NO_TRACE(r, vi, step, text) \
    expect_no_trace(r, __LINE__, vi, step, text)
#define WARNINGS(r, n)                                                     \
    do {                                                                   \
        ck_assert_uint_eq(zf_decision_warning_count((r)->dec), (n));       \
        LEN(r, (int)(n), "warnings");                                      \
    } while (0)

/* Evaluate and keep the result in `R` (declared by the test). */
#define EVAL(rs, profile, json) eval_case(&R, rs, profile, json)

/* ------------------------------------------------------------------ */
/* 时效 (行政处罚法第三十六条) */

#define XZCF36 "《中华人民共和国行政处罚法》第三十六条第一款"

/* One T-1 violation with the given dates and extra violation keys. */
static void
lim_case(struct run *r, const zf_ruleset *rs, const char *profile,
         const char *vdate, const char *idate, const char *extra)
{
    char json[512];

    snprintf(json, sizeof(json),
             "{'violation_date':'%s','inspection_date':'%s',"
             "'violations':[{'item':'T-1'%s%s}]}",
             vdate, idate, *extra ? "," : "", extra);
    eval_case(r, rs, profile, json);
}

START_TEST(test_lim_exactly_two_years)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;

    /* the same calendar day two years later is still in time */
    lim_case(&R, rs, NULL, "2022-03-01", "2024-03-01",
             "'harm':'none','accident':null");
    OUTCOME(&R, 0, "penalty");
    TIER(&R, 0, "normal");
    UNIT(&R, 0, 30000, 70000, 50000, 0, 100000);
    TRACE_CITE(&R, 0, "limitation",
               "违法行为发生（终了）后2年的追责期限至 2024-03-01，"
               "2024-03-01 发现，未超过时效", XZCF36);
    WARNINGS(&R, 0);
    TOTALS(&R, 50000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_lim_two_years_one_day)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;

    lim_case(&R, rs, NULL, "2022-03-01", "2024-03-02",
             "'harm':'none','accident':null");
    OUTCOME(&R, 0, "time_barred");
    NO_UNIT(&R, 0);
    LEN(&R, 0, "violations[0].persons");
    FLAGS(&R, 0, "");
    TRACE_CITE(&R, 0, "limitation",
               "2年的追责期限至 2024-03-01，2024-03-02 才发现，已超过时效",
               XZCF36);
    /* nothing after the bar: no tier, no fine */
    NO_TRACE(&R, 0, "tier", NULL);
    NO_TRACE(&R, 0, "fine", NULL);
    TOTALS(&R, 0, 0);
    PROCEDURE(&R, "0000");
    WARNINGS(&R, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_lim_extended_by_harm)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;

    /* harm resulted: five years, the same calendar day still in time */
    lim_case(&R, rs, NULL, "2022-03-01", "2027-03-01",
             "'harm':'minor','accident':null");
    OUTCOME(&R, 0, "penalty");
    TRACE(&R, 0, "limitation", "5年的追责期限至 2027-03-01，2027-03-01 发现");
    done(&R);
    lim_case(&R, rs, NULL, "2022-03-01", "2027-03-02",
             "'harm':'serious','accident':null");
    OUTCOME(&R, 0, "time_barred");
    TRACE(&R, 0, "limitation", "5年的追责期限至 2027-03-01，2027-03-02 才发现");
    done(&R);
    /* two years and a day with harm: in time */
    lim_case(&R, rs, NULL, "2022-03-01", "2024-03-02",
             "'harm':'minor','accident':null");
    OUTCOME(&R, 0, "penalty");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_lim_extended_by_accident)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;

    /* an accident, harm stated as none: extended_when still holds */
    lim_case(&R, rs, NULL, "2022-03-01", "2027-03-01",
             "'harm':'none','accident':'general'");
    OUTCOME(&R, 0, "penalty");
    TRACE(&R, 0, "limitation", "5年的追责期限至 2027-03-01");
    done(&R);
    lim_case(&R, rs, NULL, "2022-03-01", "2027-03-02",
             "'harm':'none','accident':'general'");
    OUTCOME(&R, 0, "time_barred");
    done(&R);
    /* harm unknown, but the accident alone decides: no doubt, no warning */
    lim_case(&R, rs, NULL, "2022-03-01", "2024-03-02", "'accident':'major'");
    OUTCOME(&R, 0, "penalty");
    TRACE(&R, 0, "limitation", "5年的追责期限至 2027-03-01");
    WARNINGS(&R, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_lim_unknown_harm)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;

    /* past two years, within five, harm not stated: not barred, warned */
    lim_case(&R, rs, NULL, "2022-03-01", "2024-03-02", "");
    OUTCOME(&R, 0, "penalty");
    UNIT(&R, 0, 30000, 70000, 50000, 0, 100000);
    TRACE_CITE(&R, 0, "limitation",
               "已超过2年，但是否适用5年时效取决于未提供的事实，未认定超过时效",
               XZCF36);
    WARNINGS(&R, 1);
    STR(&R, "violations[0]: 违法行为发生已超过2年，是否适用5年时效取决于"
            "未提供的事实（如危害后果），请人工核对", "warnings[0]");
    done(&R);
    /* no accident stated as null does not settle it either */
    lim_case(&R, rs, NULL, "2022-03-01", "2024-03-02", "'accident':null");
    OUTCOME(&R, 0, "penalty");
    WARNINGS(&R, 1);
    done(&R);
    /* within two years the unknown does not matter */
    lim_case(&R, rs, NULL, "2022-03-01", "2024-03-01", "");
    OUTCOME(&R, 0, "penalty");
    TRACE(&R, 0, "limitation", "未超过时效");
    WARNINGS(&R, 0);
    done(&R);
    /* past five years nothing the case could add keeps it in time */
    lim_case(&R, rs, NULL, "2022-03-01", "2027-03-02", "");
    OUTCOME(&R, 0, "time_barred");
    WARNINGS(&R, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_lim_feb29)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;

    /* 29 February + 2 years → 28 February (a common year) */
    lim_case(&R, rs, NULL, "2020-02-29", "2022-02-28",
             "'harm':'none','accident':null");
    OUTCOME(&R, 0, "penalty");
    TRACE(&R, 0, "limitation", "2年的追责期限至 2022-02-28，2022-02-28 发现");
    done(&R);
    lim_case(&R, rs, NULL, "2020-02-29", "2022-03-01",
             "'harm':'none','accident':null");
    OUTCOME(&R, 0, "time_barred");
    TRACE(&R, 0, "limitation", "追责期限至 2022-02-28，2022-03-01 才发现");
    done(&R);
    /* + 5 years → 28 February 2025 */
    lim_case(&R, rs, NULL, "2020-02-29", "2025-02-28",
             "'harm':'minor','accident':null");
    OUTCOME(&R, 0, "penalty");
    done(&R);
    lim_case(&R, rs, NULL, "2020-02-29", "2025-03-01",
             "'harm':'minor','accident':null");
    OUTCOME(&R, 0, "time_barred");
    done(&R);
    /* 28 February of a leap year + 2 years: 28 February, not the 29th */
    lim_case(&R, rs, NULL, "2022-02-28", "2024-02-29",
             "'harm':'none','accident':null");
    OUTCOME(&R, 0, "time_barred");
    TRACE(&R, 0, "limitation", "追责期限至 2024-02-28");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_lim_missing_dates)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;
    static const char *const cases[] = {
        /* no dates at all, two violations: one warning for the case */
        "{'violations':[{'item':'T-1','harm':'none'},{'item':'T-1'}]}",
        /* only the violation date */
        "{'violation_date':'2000-01-01',"
        "'violations':[{'item':'T-1','harm':'none'},{'item':'T-1'}]}",
        /* only the inspection date */
        "{'inspection_date':'2024-01-01',"
        "'violations':[{'item':'T-1','harm':'none'},{'item':'T-1'}]}",
    };
    size_t k;

    for (k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        EVAL(rs, NULL, cases[k]);
        OUTCOME(&R, 0, "penalty");
        OUTCOME(&R, 1, "penalty");
        TRACE_CITE(&R, 0, "limitation",
                   "案件未给出违法行为日期或发现日期，未核对时效", XZCF36);
        TRACE(&R, 1, "limitation", "未核对时效");
        WARNINGS(&R, 1);
        STR(&R, "未提供 violation_date 或 inspection_date，未核对追责时效",
            "warnings[0]");
        TOTALS(&R, 100000, 0);
        done(&R);
    }
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_lim_profile_without_limitation)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;

    /* 24 years later, harm none: a profile without `limitation` never
     * bars and never traces or warns */
    lim_case(&R, rs, "nolim", "2000-01-01", "2024-01-01",
             "'harm':'none','accident':null");
    OUTCOME(&R, 0, "penalty");
    NO_TRACE(&R, 0, "limitation", NULL);
    WARNINGS(&R, 0);
    STR(&R, "nolim", "ruleset.profile");
    done(&R);
    EVAL(rs, "nolim", "{'violations':[{'item':'T-1'}]}");
    OUTCOME(&R, 0, "penalty");
    WARNINGS(&R, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_lim_without_extension)
{
    zf_ruleset *rs = rules("limitation.yaml");
    struct run R;

    /* `years` alone: harm does not extend it, an unknown harm is no doubt */
    lim_case(&R, rs, "short", "2022-03-01", "2024-03-02",
             "'harm':'serious','accident':'general'");
    OUTCOME(&R, 0, "time_barred");
    done(&R);
    lim_case(&R, rs, "short", "2022-03-01", "2024-03-02", "");
    OUTCOME(&R, 0, "time_barred");
    WARNINGS(&R, 0);
    done(&R);
    lim_case(&R, rs, "short", "2022-03-01", "2024-03-01", "");
    OUTCOME(&R, 0, "penalty");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* exemptions (行政处罚法第三十三条) */

#define XZCF33_1 "《中华人民共和国行政处罚法》第三十三条第一款"
#define XZCF33_2 "《中华人民共和国行政处罚法》第三十三条第二款"

START_TEST(test_ex_no_fault)
{
    zf_ruleset *rs = rules("exemptions.yaml");
    struct run R;

    EVAL(rs, NULL, "{'violations':[{'item':'E-1','factors':{'no_fault':true}}"
                   ",{'item':'E-1','factors':{'no_fault':false}}]}");
    OUTCOME(&R, 0, "exempt");
    NO_UNIT(&R, 0);
    TRACE_CITE(&R, 0, "exemption", "没有主观过错，不予行政处罚", XZCF33_2);
    NO_TRACE(&R, 0, "fine", NULL);
    OUTCOME(&R, 1, "penalty");
    UNIT(&R, 1, 30000, 70000, 50000, 0, 100000);
    NO_TRACE(&R, 1, "exemption", NULL);
    TOTALS(&R, 50000, 0);
    done(&R);
    /* 无主观过错 is not subject to the 重大事故隐患 / 顶格 / accident
     * exclusions (those are for 第三十三条第一款) */
    EVAL(rs, NULL,
         "{'violations':[{'item':'E-3','factors':{'no_fault':true}},"
         "{'item':'E-4','factors':{'no_fault':true}},"
         "{'item':'E-6','accident':'general','factors':{'no_fault':true}}]}");
    OUTCOME(&R, 0, "exempt");
    OUTCOME(&R, 1, "exempt");
    OUTCOME(&R, 2, "exempt");
    TOTALS(&R, 0, 0);
    PROCEDURE(&R, "0000");
    done(&R);
    /* a profile without the list, or whose list leaves the item out */
    EVAL(rs, "none", "{'violations':[{'item':'E-1','factors':"
                     "{'no_fault':true}}]}");
    OUTCOME(&R, 0, "penalty");
    done(&R);
    EVAL(rs, "tags", "{'violations':[{'item':'E-2','factors':"
                     "{'no_fault':true}},{'item':'E-1','factors':"
                     "{'no_fault':true}}]}");
    OUTCOME(&R, 0, "penalty");
    OUTCOME(&R, 1, "exempt");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_ex_minor)
{
    zf_ruleset *rs = rules("exemptions.yaml");
    struct run R;

    EVAL(rs, NULL,
         "{'violations':["
         "{'item':'E-2','corrected':true,'harm':'none'},"   /* exempt */
         "{'item':'E-2','corrected':false,'harm':'none'},"  /* not corrected */
         "{'item':'E-2','corrected':true,'harm':'minor'},"  /* harm */
         "{'item':'E-2','corrected':true},"                 /* harm unknown */
         "{'item':'E-2','harm':'none'},"                    /* corrected ? */
         "{'item':'E-1','corrected':true,'harm':'none'}]}");/* not listed */
    OUTCOME(&R, 0, "exempt");
    NO_UNIT(&R, 0);
    TRACE_CITE(&R, 0, "exemption", "违法行为轻微并及时改正，没有造成危害后果",
               XZCF33_1);
    OUTCOME(&R, 1, "penalty");
    OUTCOME(&R, 2, "penalty");
    OUTCOME(&R, 3, "penalty");
    OUTCOME(&R, 4, "penalty");
    OUTCOME(&R, 5, "penalty");
    NO_TRACE(&R, 1, "exemption", NULL);
    /* five fines of 50000 */
    TOTALS(&R, 250000, 0);
    done(&R);
    /* both 轻微 and 首违 conditions: the mandatory 不予处罚 wins */
    EVAL(rs, NULL, "{'violations':[{'item':'E-2','corrected':true,"
                   "'harm':'none','first_offence':true}]}");
    OUTCOME(&R, 0, "exempt");
    NO_TRACE(&R, 0, "exemption", "首违不罚");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_ex_first_offence)
{
    zf_ruleset *rs = rules("exemptions.yaml");
    struct run R;

    EVAL(rs, NULL,
         "{'violations':[{'item':'E-1','first_offence':true,"
         "'corrected':true,'harm':'minor'}]}");
    OUTCOME(&R, 0, "exemption_available");
    TIER(&R, 0, "normal");
    /* the fine is still computed, and counted */
    UNIT(&R, 0, 30000, 70000, 50000, 0, 100000);
    TRACE_CITE(&R, 0, "exemption", "首违不罚，由执法人员裁量", XZCF33_1);
    TOTALS(&R, 50000, 0);
    /* 50000 reaches the hearing threshold: it counts for the procedure */
    PROCEDURE(&R, "0110");
    done(&R);
    EVAL(rs, NULL,
         "{'violations':["
         "{'item':'E-2','first_offence':true,'corrected':true,'harm':'none'"
         ",'accident':null},"
         "{'item':'E-1','first_offence':true,'corrected':true,"
         "'harm':'serious'},"
         "{'item':'E-1','first_offence':true,'corrected':false,"
         "'harm':'none'},"
         "{'item':'E-1','first_offence':false,'corrected':true,"
         "'harm':'none'},"
         "{'item':'E-1','first_offence':true,'harm':'none'}]}");
    /* E-2 is on the minor list: exempt outright */
    OUTCOME(&R, 0, "exempt");
    OUTCOME(&R, 1, "penalty");
    OUTCOME(&R, 2, "penalty");
    OUTCOME(&R, 3, "penalty");
    OUTCOME(&R, 4, "penalty");
    TOTALS(&R, 200000, 0);
    done(&R);
    /* "*" covers an item on no other list */
    EVAL(rs, NULL, "{'violations':[{'item':'E-5','first_offence':true,"
                   "'corrected':true,'harm':'none'}]}");
    OUTCOME(&R, 0, "exemption_available");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_ex_blocked)
{
    zf_ruleset *rs = rules("exemptions.yaml");
    struct run R;

    EVAL(rs, NULL,
         "{'violations':["
         /* 重大事故隐患 (no domains: the standard's scope is not checked) */
         "{'item':'E-4','first_offence':true,'corrected':true,'harm':'none'},"
         /* 顶格 by id */
         "{'item':'E-6','first_offence':true,'corrected':true,'harm':'none'},"
         /* 顶格 by tag */
         "{'item':'E-3','first_offence':true,'corrected':true,'harm':'none'},"
         /* an accident followed */
         "{'item':'E-1','first_offence':true,'corrected':true,'harm':'minor',"
         "'accident':'general'},"
         /* 轻微 blocked by the accident too */
         "{'item':'E-2','corrected':true,'harm':'none',"
         "'accident':'general'}]}");
    OUTCOME(&R, 0, "penalty");
    BOOL(&R, true, "violations[0].major_hazard");
    TRACE_CITE(&R, 0, "exemption",
               "虽符合免罚条件，但属于重大事故隐患，不适用不予处罚", XZCF33_1);
    UNIT(&R, 0, 30000, 70000, 50000, 0, 100000);
    OUTCOME(&R, 1, "penalty");
    TIER(&R, 1, "maximum");
    TRACE(&R, 1, "exemption", "属于顶格处罚事项");
    UNIT(&R, 1, 100000, 100000, 100000, 0, 100000);
    OUTCOME(&R, 2, "penalty");
    TIER(&R, 2, "maximum");
    TRACE(&R, 2, "exemption", "属于顶格处罚事项");
    OUTCOME(&R, 3, "penalty");
    TRACE(&R, 3, "exemption", "已导致生产安全事故");
    OUTCOME(&R, 4, "penalty");
    TRACE_CITE(&R, 4, "exemption", "已导致生产安全事故", XZCF33_1);
    TOTALS(&R, 50000 + 100000 + 100000 + 50000 + 50000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_ex_lists_by_tag)
{
    zf_ruleset *rs = rules("exemptions.yaml");
    struct run R;

    EVAL(rs, "tags",
         "{'violations':["
         "{'item':'E-5','corrected':true,'harm':'none'},"    /* tag 轻微 */
         "{'item':'E-2','corrected':true,'harm':'none'},"    /* no tag */
         "{'item':'E-1','first_offence':true,'corrected':true,'harm':'minor'},"
         "{'item':'E-5','first_offence':true,'corrected':true,'harm':'minor'},"
         "{'item':'E-6','first_offence':true,'corrected':true,'harm':'none'}"
         "]}");
    OUTCOME(&R, 0, "exempt");
    OUTCOME(&R, 1, "penalty");
    NO_TRACE(&R, 1, "exemption", NULL);
    OUTCOME(&R, 2, "exemption_available");   /* by id */
    OUTCOME(&R, 3, "exemption_available");   /* by tag (harm minor: not 轻微) */
    OUTCOME(&R, 4, "penalty");               /* on no list, not 顶格 here */
    TIER(&R, 4, "normal");
    NO_TRACE(&R, 4, "exemption", NULL);
    TOTALS(&R, 4 * 50000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 顶格 */

START_TEST(test_max_first_stage)
{
    zf_ruleset *rs = rules("maximum.yaml");
    struct run R;

    /* tagged 有限空间; its table says lighter, a lighter and a heavier
     * factor apply, and the profile would mitigate with one lighter: none
     * of it moves the statutory maximum */
    EVAL(rs, NULL, "{'violations':[{'item':'M-1','factors':"
                   "{'remedied_harm':true,'obstructed':true}}]}");
    OUTCOME(&R, 0, "penalty");
    TIER(&R, 0, "maximum");
    UNIT(&R, 0, 100000, 100000, 100000, 0, 100000);
    FLAGS(&R, 0, "maximum_required");
    LEN(&R, 0, "violations[0].factors");
    TRACE(&R, 0, "tier", "裁量表第1行（其余情形），档次“从轻”");
    TRACE(&R, 0, "tier", "该事项列入顶格处罚清单，按本阶段法定最高额处罚，"
                         "不适用从轻（精准执法）");
    NO_TRACE(&R, 0, "factors", NULL);
    /* the profile sends 顶格 to 法制审核, not to 集体讨论 */
    PROCEDURE(&R, "0110");
    done(&R);
    /* 顶格 by id */
    EVAL(rs, NULL, "{'violations':[{'item':'M-2'},{'item':'M-3'}]}");
    TIER(&R, 0, "maximum");
    UNIT(&R, 0, 100000, 100000, 100000, 0, 100000);
    TIER(&R, 1, "normal");
    UNIT(&R, 1, 30000, 70000, 50000, 0, 100000);
    FLAGS(&R, 1, "");
    TOTALS(&R, 150000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_max_overdue_persons)
{
    zf_ruleset *rs = rules("maximum.yaml");
    struct run R;

    /* 逾期未改正: 200000 for the unit, 50000 for each responsible person;
     * a listed principal is by default the 直接负责的主管人员 (issue 9 point 1) */
    EVAL(rs, NULL,
         "{'persons':[{'id':'p1','role':'direct_supervisor'},"
         "{'id':'p2','role':'direct_staff'},{'id':'p3','role':'principal'}],"
         "'violations':[{'item':'M-1','overdue':true,"
         "'persons':['p1','p2','p3'],'factors':{'remedied_harm':true}}]}");
    TIER(&R, 0, "maximum");
    STR(&R, "overdue", "violations[0].stage");
    UNIT(&R, 0, 200000, 200000, 200000, 100000, 200000);
    STRS(&R, "责令停产停业整顿", "violations[0].unit.orders");
    LEN(&R, 3, "violations[0].persons");
    STR(&R, "p1", "violations[0].persons[0].id");
    MONEY(&R, "violations[0].persons[0].fine", 50000, 50000, 50000, 20000,
          50000);
    STR(&R, "p2", "violations[0].persons[1].id");
    MONEY(&R, "violations[0].persons[1].fine", 50000, 50000, 50000, 20000,
          50000);
    STR(&R, "p3", "violations[0].persons[2].id");
    STR(&R, "direct_supervisor", "violations[0].persons[2].as");
    TOTALS(&R, 200000, 150000);
    done(&R);
    /* the same without 顶格: one lighter factor mitigates (band 50-90 % of
     * the minimum): unit 50000..90000 → 70000; p1 10000..18000 → 14000 */
    EVAL(rs, NULL,
         "{'persons':[{'id':'p1','role':'direct_supervisor'}],"
         "'violations':[{'item':'M-3','overdue':true,'persons':['p1'],"
         "'factors':{'remedied_harm':true}}]}");
    TIER(&R, 0, "mitigated");
    UNIT(&R, 0, 50000, 90000, 70000, 100000, 200000);
    MONEY(&R, "violations[0].persons[0].fine", 10000, 18000, 14000, 20000,
          50000);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* general factors and 减轻 */

#define F1(extra) "{'violations':[{'item':'F-1'," extra "}]}"

START_TEST(test_fac_one_lighter)
{
    zf_ruleset *rs = rules("factors.yaml");
    struct run R;

    EVAL(rs, NULL, F1("'facts':{'n':5},'factors':{'remedied_harm':true}"));
    TIER(&R, 0, "lighter");
    UNIT(&R, 0, 0, 30000, 15000, 0, 100000);
    LEN(&R, 1, "violations[0].factors");
    STR(&R, "remedied_harm", "violations[0].factors[0].id");
    STR(&R, "lighter", "violations[0].factors[0].effect");
    STR(&R, "主动消除或者减轻违法行为危害后果",
        "violations[0].factors[0].label");
    STR(&R, "《中华人民共和国行政处罚法》第三十二条第（一）项",
        "violations[0].factors[0].cite");
    TRACE(&R, 0, "factors", "从轻情节：主动消除或者减轻违法行为危害后果");
    TRACE(&R, 0, "factors", "从轻情节1个、从重情节0个，相抵后档次由“一般”"
                            "调整为“从轻”");
    FLAGS(&R, 0, "");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_fac_lighter_and_heavier)
{
    zf_ruleset *rs = rules("factors.yaml");
    struct run R;

    EVAL(rs, NULL, F1("'facts':{'n':5},'factors':{'remedied_harm':true,"
                      "'repeat_12m':2}"));
    TIER(&R, 0, "normal");
    UNIT(&R, 0, 30000, 70000, 50000, 0, 100000);
    /* both listed, in the profile's order; they cancel out */
    LEN(&R, 2, "violations[0].factors");
    STR(&R, "remedied_harm", "violations[0].factors[0].id");
    STR(&R, "repeat", "violations[0].factors[1].id");
    STR(&R, "heavier", "violations[0].factors[1].effect");
    STR(&R, "", "violations[0].factors[1].cite");
    NO_TRACE(&R, 0, "factors", "相抵后");
    done(&R);
    /* one penalty in the past year is not 两次以上 */
    EVAL(rs, NULL, F1("'facts':{'n':5},'factors':{'repeat_12m':1}"));
    TIER(&R, 0, "normal");
    LEN(&R, 0, "violations[0].factors");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_fac_clamped)
{
    zf_ruleset *rs = rules("factors.yaml");
    struct run R;

    /* two heavier from normal: +2 clamped at heavier */
    EVAL(rs, NULL, F1("'facts':{'n':5},'factors':{'repeat_12m':2,"
                      "'obstructed':true}"));
    TIER(&R, 0, "heavier");
    UNIT(&R, 0, 70000, 100000, 85000, 0, 100000);
    TRACE(&R, 0, "factors", "从轻情节0个、从重情节2个，相抵后档次由“一般”"
                            "调整为“从重”");
    done(&R);
    /* heavier from a heavier base (n >= 10): stays heavier */
    EVAL(rs, NULL, F1("'facts':{'n':10},'factors':{'obstructed':true}"));
    TIER(&R, 0, "heavier");
    UNIT(&R, 0, 70000, 100000, 85000, 0, 100000);
    done(&R);
    /* lighter from a lighter base (n <= 2): stays lighter */
    EVAL(rs, NULL, F1("'facts':{'n':2},'factors':{'confessed':true}"));
    TIER(&R, 0, "lighter");
    UNIT(&R, 0, 0, 30000, 15000, 0, 100000);
    TRACE(&R, 0, "tier", "条件 n <= 2 成立，档次“从轻”");
    TRACE(&R, 0, "factors", "由“从轻”调整为“从轻”");
    done(&R);
    /* two lighter from heavier: two steps down */
    EVAL(rs, NULL, F1("'facts':{'n':12},'factors':{'confessed':true,"
                      "'coerced':true}"));
    TIER(&R, 0, "lighter");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_fac_mitigation_threshold)
{
    zf_ruleset *rs = rules("factors.yaml");
    struct run R;

    /* three lighter (the threshold), none heavier, overdue (100000 ..
     * 200000): 减轻 at 50-90 % of the minimum → 50000..90000, 70000; the
     * person (20000..50000) → 10000..18000, 14000 */
    EVAL(rs, NULL,
         "{'persons':[{'id':'p1','role':'direct_staff'}],"
         "'violations':[{'item':'F-1','facts':{'n':5},'overdue':true,"
         "'persons':['p1'],'factors':{'remedied_harm':true,"
         "'confessed':true,'coerced':true}}]}");
    TIER(&R, 0, "mitigated");
    UNIT(&R, 0, 50000, 90000, 70000, 100000, 200000);
    MONEY(&R, "violations[0].persons[0].fine", 10000, 18000, 14000, 20000,
          50000);
    FLAGS(&R, 0, "review_required");
    LEN(&R, 3, "violations[0].factors");
    TRACE_CITE(&R, 0, "factors",
               "有3个从轻或者减轻情节且无从重情节，减轻处罚",
               "《中华人民共和国行政处罚法》第三十二条");
    TOTALS(&R, 70000, 14000);
    /* 法制审核 and 集体讨论 (the default triggers: mitigated) */
    PROCEDURE(&R, "0111");
    done(&R);
    /* one below the threshold: two lighter, normal − 2 → lighter, inside
     * the range: 100000..130000, 115000 */
    EVAL(rs, NULL, F1("'facts':{'n':5},'overdue':true,'factors':"
                      "{'remedied_harm':true,'confessed':true}"));
    TIER(&R, 0, "lighter");
    UNIT(&R, 0, 100000, 130000, 115000, 100000, 200000);
    FLAGS(&R, 0, "persons_required");
    PROCEDURE(&R, "0110");
    done(&R);
    /* the threshold but a heavier factor too: no 减轻, net −2 */
    EVAL(rs, NULL, F1("'facts':{'n':5},'overdue':true,'factors':"
                      "{'remedied_harm':true,'confessed':true,"
                      "'coerced':true,'obstructed':true}"));
    TIER(&R, 0, "lighter");
    UNIT(&R, 0, 100000, 130000, 115000, 100000, 200000);
    NO_TRACE(&R, 0, "factors", "减轻处罚");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_fac_mitigation_upto)
{
    zf_ruleset *rs = rules("factors.yaml");
    struct run R;

    /* "十万元以下": nothing below a minimum of 0 — 从轻, no review flag */
    EVAL(rs, NULL, F1("'facts':{'n':5},'factors':{'remedied_harm':true,"
                      "'confessed':true,'coerced':true}"));
    TIER(&R, 0, "lighter");
    UNIT(&R, 0, 0, 30000, 15000, 0, 100000);
    FLAGS(&R, 0, "");
    TRACE(&R, 0, "factors", "减轻处罚");
    TRACE(&R, 0, "fine", "法定罚款无下限，减轻处罚按从轻档确定");
    PROCEDURE(&R, "0000");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_fac_mitigated_strictly_below)
{
    zf_ruleset *rs = rules("factors.yaml");
    struct run R;

    /* F-2, 50..500 yuan, band 50-99 %: 25 .. ⌈49.5⌉ = 50 would reach the
     * minimum; kept strictly below it: 25..49, midpoint 37 */
    EVAL(rs, "mit99", "{'violations':[{'item':'F-2','factors':"
                      "{'remedied_harm':true}}]}");
    TIER(&R, 0, "mitigated");
    UNIT(&R, 0, 25, 49, 37, 50, 500);
    FLAGS(&R, 0, "review_required");
    done(&R);
    /* 100000..200000: 50000..99000, midpoint 74500 (round_to 1) */
    EVAL(rs, "mit99", F1("'facts':{'n':5},'overdue':true,"
                         "'factors':{'remedied_harm':true}"));
    TIER(&R, 0, "mitigated");
    UNIT(&R, 0, 50000, 99000, 74500, 100000, 200000);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* band arithmetic */

#define B(item, level) "{'item':'" item "','facts':{'level':'" level "'}}"

START_TEST(test_band_odd_span)
{
    zf_ruleset *rs = rules("band.yaml");
    struct run R;

    /* B-1, 1000..2001 (span 1001), bands 0-33 / 33-67 / 67-100, round_to
     * 1000, midpoint:
     *   lighter 1000 + 0 .. 1000 + ⌈330.33⌉ = 1000..1331; mid 1165 → 1000
     *   normal  1000 + ⌊330.33⌋ .. 1000 + ⌈670.67⌉ = 1330..1671; mid 1500
     *           (odd width 341: ⌊170.5⌋); 2000 and 1000 are both outside
     *           the band, so the unrounded midpoint stays
     *   heavier 1000 + ⌊670.67⌋ .. 2001 = 1670..2001; mid 1835 → 2000 */
    EVAL(rs, NULL, "{'violations':[" B("B-1", "l") "," B("B-1", "n") ","
                   B("B-1", "h") "]}");
    UNIT(&R, 0, 1000, 1331, 1000, 1000, 2001);
    UNIT(&R, 1, 1330, 1671, 1500, 1000, 2001);
    UNIT(&R, 2, 1670, 2001, 2000, 1000, 2001);
    TRACE(&R, 1, "fine", "单位罚款法定幅度 1000元至2001元；“一般”档幅度 "
                         "1330元至1671元");
    TRACE(&R, 1, "fine", "取本档中间值，取整到 1000 元，建议 1500元");
    TOTALS(&R, 4500, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_band_tables_and_fixed)
{
    zf_ruleset *rs = rules("band.yaml");
    struct run R;

    /* B-2 (十万元以下) uses the `upto` table 0-20 / 20-60 / 60-100;
     * B-3 (一万至二万) the `range` table; B-4 a fixed 5500: rounding to
     * 6000 or 5000 would leave the one-point band */
    EVAL(rs, NULL, "{'violations':[" B("B-2", "l") "," B("B-2", "n") ","
                   B("B-2", "h") "," B("B-3", "n") "," B("B-4", "h") "]}");
    UNIT(&R, 0, 0, 20000, 10000, 0, 100000);
    UNIT(&R, 1, 20000, 60000, 40000, 0, 100000);
    UNIT(&R, 2, 60000, 100000, 80000, 0, 100000);
    UNIT(&R, 3, 13300, 16700, 15000, 10000, 20000);
    UNIT(&R, 4, 5500, 5500, 5500, 5500, 5500);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_band_recommend_low_high)
{
    zf_ruleset *rs = rules("band.yaml");
    struct run R;

    /* low: B-3 lighter 4-30 % → 10400..13000; 10400 rounds to 10000,
     * below the band, so up: 11000. B-1 lighter 1040..1301: 1000 and 2000
     * both outside → 1040. B-3 normal 13000..17000 → 13000 */
    EVAL(rs, "low", "{'violations':[" B("B-3", "l") "," B("B-1", "l") ","
                    B("B-3", "n") "]}");
    UNIT(&R, 0, 10400, 13000, 11000, 10000, 20000);
    UNIT(&R, 1, 1040, 1301, 1040, 1000, 2001);
    UNIT(&R, 2, 13000, 17000, 13000, 10000, 20000);
    TRACE(&R, 0, "fine", "取本档下限，取整到 1000 元，建议 11000元");
    done(&R);
    /* high: B-3 heavier 70-96 % → 17000..19600; 19600 rounds to 20000,
     * above the band, so down: 19000. B-3 normal → 17000 */
    EVAL(rs, "high", "{'violations':[" B("B-3", "h") "," B("B-3", "n") "]}");
    UNIT(&R, 0, 17000, 19600, 19000, 10000, 20000);
    UNIT(&R, 1, 13000, 17000, 17000, 10000, 20000);
    TRACE(&R, 0, "fine", "取本档上限，取整到 1000 元，建议 19000元");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 百分比模式 (method: additive) */

START_TEST(test_add_sum)
{
    zf_ruleset *rs = rules("additive.yaml");
    struct run R;

    /* overdue (100000..200000): 30 (repeat) + 30 (harm minor) = 60 % of
     * 200000 = 120000; the person (20000..50000): 60 % of 50000 = 30000 */
    EVAL(rs, NULL,
         "{'persons':[{'id':'p1','role':'direct_staff'}],"
         "'violations':[{'item':'A-1','overdue':true,'persons':['p1'],"
         "'harm':'minor','factors':{'repeat_12m':2}}]}");
    UNIT(&R, 0, 120000, 120000, 120000, 100000, 200000);
    MONEY(&R, "violations[0].persons[0].fine", 30000, 30000, 30000, 20000,
          50000);
    TOTALS(&R, 120000, 30000);
    TRACE(&R, 0, "factors", "裁量要素“违法次数”：一年内再次违法，计 30%");
    TRACE(&R, 0, "factors", "裁量要素“危害后果”：轻微，计 30%");
    NO_TRACE(&R, 0, "factors", "配合程度");
    TRACE(&R, 0, "factors", "各裁量要素百分值合计 60%，乘以法定最高罚款数额");
    TRACE(&R, 0, "fine", "单位罚款法定幅度 100000元至200000元；按百分比模式"
                         "计算为 120000元");
    TRACE(&R, 0, "fine", "的百分比模式，建议 120000元");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_add_clamps)
{
    zf_ruleset *rs = rules("additive.yaml");
    struct run R;

    /* 20 + 10 = 30 % of 200000 = 60000, below the minimum: 100000; the
     * person 30 % of 50000 = 15000, below 20000: 20000 */
    EVAL(rs, NULL,
         "{'persons':[{'id':'p1','role':'direct_staff'}],"
         "'violations':[{'item':'A-1','overdue':true,'persons':['p1'],"
         "'harm':'none','factors':{'repeat_12m':0}}]}");
    UNIT(&R, 0, 100000, 100000, 100000, 100000, 200000);
    MONEY(&R, "violations[0].persons[0].fine", 20000, 20000, 20000, 20000,
          50000);
    TRACE(&R, 0, "factors", "合计 30%");
    done(&R);
    /* 30 + 50 + 40 = 120 → 100 %: the maximum, 200000 */
    EVAL(rs, NULL, "{'violations':[{'item':'A-1','overdue':true,"
                   "'harm':'serious','factors':{'repeat_12m':3,"
                   "'obstructed':true}}]}");
    UNIT(&R, 0, 200000, 200000, 200000, 100000, 200000);
    TRACE(&R, 0, "factors", "裁量要素“配合程度”：拒绝阻碍，计 40%");
    TRACE(&R, 0, "factors", "各裁量要素百分值合计 100%");
    done(&R);
    /* "十万元以下": 30 % of 100000 */
    EVAL(rs, NULL, "{'violations':[{'item':'A-1','harm':'none',"
                   "'factors':{'repeat_12m':0}}]}");
    UNIT(&R, 0, 30000, 30000, 30000, 0, 100000);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_add_first_level_wins)
{
    zf_ruleset *rs = rules("additive.yaml");
    struct run R;

    /* repeat_12m 1 satisfies both levels (>= 1 and >= 0): 30, not 50;
     * + 30 (minor) = 60 % of 100000 */
    EVAL(rs, NULL, "{'violations':[{'item':'A-1','harm':'minor',"
                   "'factors':{'repeat_12m':1}}]}");
    UNIT(&R, 0, 60000, 60000, 60000, 0, 100000);
    TRACE(&R, 0, "factors", "一年内再次违法，计 30%");
    NO_TRACE(&R, 0, "factors", "首次违法");
    done(&R);
    /* no facts: the repeat element has no level that can be decided and
     * adds nothing; harm falls to its unconditional level (10 %) */
    EVAL(rs, NULL, "{'violations':[{'item':'A-1'}]}");
    UNIT(&R, 0, 10000, 10000, 10000, 0, 100000);
    NO_TRACE(&R, 0, "factors", "违法次数");
    TRACE(&R, 0, "factors", "裁量要素“危害后果”：无，计 10%");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_add_maximum_and_mitigated)
{
    zf_ruleset *rs = rules("additive.yaml");
    struct run R;

    /* 顶格 beats the percentages */
    EVAL(rs, NULL, "{'violations':[{'item':'A-2','harm':'none',"
                   "'factors':{'repeat_12m':0}}]}");
    TIER(&R, 0, "maximum");
    UNIT(&R, 0, 100000, 100000, 100000, 0, 100000);
    NO_TRACE(&R, 0, "factors", "合计");
    done(&R);
    /* 减轻 below a minimum: the mitigated band, not the percentages */
    EVAL(rs, NULL, "{'violations':[{'item':'A-1','overdue':true,"
                   "'harm':'serious','factors':{'remedied_harm':true,"
                   "'confessed':true,'repeat_12m':0}}]}");
    TIER(&R, 0, "mitigated");
    UNIT(&R, 0, 50000, 90000, 70000, 100000, 200000);
    NO_TRACE(&R, 0, "factors", "合计");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 同一违法行为 (行政处罚法第二十九条) and 合并处罚 */

#define XZCF29 "《中华人民共和国行政处罚法》第二十九条"
#define S(item, level, act) \
    "{'item':'" item "','facts':{'level':'" level "'},'act':'" act "'}"

START_TEST(test_same_two)
{
    zf_ruleset *rs = rules("same-act.yaml");
    struct run R;

    /* S-3 (max 50000) and S-1 (max 100000): S-1's norm is kept */
    EVAL(rs, NULL, "{'violations':[" S("S-3", "n", "a") ","
                   S("S-1", "n", "a") "]}");
    INT(&R, 1, "violations[0].merged_into");
    FLAGS(&R, 0, "merged");
    STR(&R, "a", "violations[0].act");
    ISNULL(&R, "violations[1].merged_into");
    FLAGS(&R, 1, "");
    UNIT(&R, 0, 15000, 35000, 25000, 0, 50000);   /* computed, not counted */
    UNIT(&R, 1, 30000, 70000, 50000, 0, 100000);
    TRACE_CITE(&R, 0, "case", "与违法行为 1 属同一违法行为（act a）", XZCF29);
    TRACE_CITE(&R, 1, "case", "同一违法行为（act a）涉及2项规定，本项罚款数额"
                              "最高", XZCF29);
    TOTALS(&R, 50000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_same_ties)
{
    zf_ruleset *rs = rules("same-act.yaml");
    struct run R;

    /* same maximum (100000): the higher minimum (S-2, 20000) */
    EVAL(rs, NULL, "{'violations':[" S("S-1", "n", "a") ","
                   S("S-2", "n", "a") "]}");
    INT(&R, 1, "violations[0].merged_into");
    ISNULL(&R, "violations[1].merged_into");
    /* S-2 normal: 20000 + 24000 .. 20000 + 56000 → 60000 */
    TOTALS(&R, 60000, 0);
    done(&R);
    /* the same norm twice, the same tier: the earlier */
    EVAL(rs, NULL, "{'violations':[" S("S-1", "n", "a") ","
                   S("S-4", "n", "a") "]}");
    ISNULL(&R, "violations[0].merged_into");
    INT(&R, 0, "violations[1].merged_into");
    TOTALS(&R, 50000, 0);
    done(&R);
    /* the same range, different tiers: the higher recommendation */
    EVAL(rs, NULL, "{'violations':[" S("S-1", "l", "a") ","
                   S("S-4", "n", "a") "]}");
    INT(&R, 1, "violations[0].merged_into");
    ISNULL(&R, "violations[1].merged_into");
    TOTALS(&R, 50000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_same_three)
{
    zf_ruleset *rs = rules("same-act.yaml");
    struct run R;

    EVAL(rs, NULL, "{'violations':[" S("S-3", "h", "a") ","
                   S("S-1", "n", "a") "," S("S-2", "n", "a") "]}");
    INT(&R, 2, "violations[0].merged_into");
    INT(&R, 2, "violations[1].merged_into");
    ISNULL(&R, "violations[2].merged_into");
    FLAGS(&R, 0, "merged");
    FLAGS(&R, 1, "merged");
    TRACE(&R, 2, "case", "同一违法行为（act a）涉及3项规定");
    TRACE(&R, 0, "case", "与违法行为 2 属同一违法行为");
    TOTALS(&R, 60000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_same_different_acts)
{
    zf_ruleset *rs = rules("same-act.yaml");
    struct run R;

    /* different acts (and no act): decided separately and added up */
    EVAL(rs, NULL, "{'violations':[" S("S-3", "n", "a") ","
                   S("S-1", "n", "b") ",{'item':'S-2','facts':"
                   "{'level':'n'}}]}");
    ISNULL(&R, "violations[0].merged_into");
    ISNULL(&R, "violations[1].merged_into");
    ISNULL(&R, "violations[2].merged_into");
    ISNULL(&R, "violations[2].act");
    NO_TRACE(&R, 0, "case", NULL);
    TOTALS(&R, 25000 + 50000 + 60000, 0);
    done(&R);
    /* two acts of two violations each: 15000 (S-1 lighter beats S-3 on the
     * maximum) + 60000 (S-2 beats S-1 on the minimum) */
    EVAL(rs, NULL, "{'violations':[" S("S-3", "h", "a") ","
                   S("S-1", "n", "b") "," S("S-1", "l", "a") ","
                   S("S-2", "n", "b") "]}");
    INT(&R, 2, "violations[0].merged_into");
    INT(&R, 3, "violations[1].merged_into");
    TOTALS(&R, 15000 + 60000, 0);
    done(&R);
    /* one of the act is exempt: nothing to merge with */
    EVAL(rs, NULL, "{'violations':[{'item':'S-1','facts':{'level':'n'},"
                   "'act':'a','factors':{'no_fault':true}},"
                   S("S-3", "n", "a") "]}");
    OUTCOME(&R, 0, "exempt");
    ISNULL(&R, "violations[1].merged_into");
    FLAGS(&R, 1, "");
    TOTALS(&R, 25000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_same_merged_persons)
{
    zf_ruleset *rs = rules("same-act.yaml");
    struct run R;

    /* S-5 overdue fines the person (10000..20000 → 15000) but its norm's
     * maximum (30000) is lower than S-1's: S-5 is merged. 第二十九条 bars a
     * second fine on the same party: the unit is fined once (S-1); the
     * person, whom S-1 does not fine, is still fined under S-5. */
    EVAL(rs, NULL,
         "{'persons':[{'id':'p1','role':'direct_staff'}],"
         "'violations':[{'item':'S-5','facts':{'level':'n'},'act':'a',"
         "'overdue':true,'persons':['p1']}," S("S-1", "n", "a") "]}");
    INT(&R, 1, "violations[0].merged_into");
    MONEY(&R, "violations[0].persons[0].fine", 13000, 17000, 15000, 10000,
          20000);
    TOTALS(&R, 50000, 15000);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* consequences */

#define AQSC113_1 "《中华人民共和国安全生产法》第一百一十三条第（一）项"
#define XF134_1_2 "《中华人民共和国刑法》第一百三十四条之一第（二）项"
#define XF134_1 "《中华人民共和国刑法》第一百三十四条第一款"

START_TEST(test_cons_profile_flags)
{
    zf_ruleset *rs = rules("consequences.yaml");
    struct run R;

    EVAL(rs, NULL, "{'violations':[{'item':'C-1'},"
                   "{'item':'C-1','overdue':true}]}");
    FLAGS(&R, 0, "publicity");
    TRACE_CITE(&R, 0, "consequence", "七个工作日内公示",
               "《中华人民共和国安全生产法》第七十八条第二款");
    /* a consequence without a reason is explained by its flag */
    FLAGS(&R, 1, "daily_penalty_possible|publicity");
    TRACE_CITE(&R, 1, "consequence", "拒不改正的，可以按日连续处罚",
               "《中华人民共和国安全生产法》第一百一十二条");
    LEN(&R, 0, "referrals");
    done(&R);
    /* no consequences for an exempt violation; an exemption_available
     * one is still a penalty the officer may impose */
    EVAL(rs, NULL, "{'violations':[{'item':'C-1','overdue':true,"
                   "'factors':{'no_fault':true}},{'item':'C-1',"
                   "'first_offence':true,'corrected':true,'harm':'none'}]}");
    OUTCOME(&R, 0, "exempt");
    FLAGS(&R, 0, "");
    NO_TRACE(&R, 0, "consequence", NULL);
    OUTCOME(&R, 1, "exemption_available");
    FLAGS(&R, 1, "publicity");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_cons_closure_boundary)
{
    zf_ruleset *rs = rules("consequences.yaml");
    struct run R;
    static const struct {
        const char *enterprise;
        bool closure;
    } cases[] = {
        {"'penalties_180d':1,'penalties_365d':2", false},
        {"'penalties_180d':2,'penalties_365d':2", true},
        {"'penalties_180d':0,'penalties_365d':3", true},
        {"'penalties_180d':1", false},
        {"'penalties_365d':3", true},    /* 180d unknown: the 365d decides */
        {"'penalties_365d':2", false},
    };
    char json[256];
    size_t k;

    for (k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        snprintf(json, sizeof(json), "{'enterprise':{%s},'violations':"
                 "[{'item':'C-3'}]}", cases[k].enterprise);
        EVAL(rs, NULL, json);
        BOOL(&R, true, "violations[0].major_hazard");
        if (cases[k].closure) {
            FLAGS(&R, 0, "major_hazard|closure_request|publicity");
            LEN(&R, 1, "referrals");
            STR(&R, "closure_request", "referrals[0].type");
            INT(&R, 0, "referrals[0].violation");
            STR(&R, AQSC113_1, "referrals[0].cite");
            STR(&R, "提请关闭", "referrals[0].reason");
            PROCEDURE(&R, "0111");  /* collective: [closure_request] */
        } else {
            FLAGS(&R, 0, "major_hazard|publicity");
            LEN(&R, 0, "referrals");
            PROCEDURE(&R, "0110");
            BOOL(&R, false, "procedure.collective_discussion");
        }
        done(&R);
    }
    /* the same counts without a 重大事故隐患: nothing */
    EVAL(rs, NULL, "{'enterprise':{'penalties_180d':5,'penalties_365d':9},"
                   "'violations':[{'item':'C-1'}]}");
    FLAGS(&R, 0, "publicity");
    LEN(&R, 0, "referrals");
    done(&R);
    /* overdue 重大事故隐患: credit punishment and the daily-penalty notice;
     * flags in their fixed order */
    EVAL(rs, NULL, "{'enterprise':{'penalties_180d':2},'violations':"
                   "[{'item':'C-3','overdue':true,'accident':'general'}]}");
    FLAGS(&R, 0, "major_hazard|criminal_referral|closure_request|"
                 "daily_penalty_possible|publicity|credit_punishment");
    LEN(&R, 2, "referrals");
    /* listed in the order of the profile's consequences */
    STR(&R, "closure_request", "referrals[0].type");
    STR(&R, "criminal_referral", "referrals[1].type");
    STR(&R, XF134_1, "referrals[1].cite");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_cons_item_referrals)
{
    zf_ruleset *rs = rules("consequences.yaml");
    struct run R;

    EVAL(rs, NULL, "{'violations':[{'item':'C-2','facts':{'n':5}},"
                   "{'item':'C-2','facts':{'n':6}},"
                   "{'item':'C-2','facts':{'n':9},'accident':'general'}]}");
    FLAGS(&R, 0, "publicity");
    FLAGS(&R, 1, "criminal_referral|publicity");
    TRACE_CITE(&R, 1, "consequence", "可能涉嫌危险作业罪", XF134_1_2);
    /* an item flag other than a referral is not listed in `referrals` */
    FLAGS(&R, 2, "criminal_referral|publicity|credit_punishment");
    /* the item's referrals first, then the profile's, violation by
     * violation */
    LEN(&R, 3, "referrals");
    STR(&R, "criminal_referral", "referrals[0].type");
    INT(&R, 1, "referrals[0].violation");
    STR(&R, XF134_1_2, "referrals[0].cite");
    STR(&R, "可能涉嫌危险作业罪", "referrals[0].reason");
    INT(&R, 2, "referrals[1].violation");
    STR(&R, XF134_1_2, "referrals[1].cite");
    INT(&R, 2, "referrals[2].violation");
    STR(&R, XF134_1, "referrals[2].cite");
    STR(&R, "重大责任事故罪核查", "referrals[2].reason");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* procedure */

START_TEST(test_proc_summary)
{
    zf_ruleset *rs = rules("procedure.yaml");
    struct run R;
    static const struct {
        const char *violations;
        long long unit, persons;
        const char *shlc;
    } cases[] = {
        {"{'item':'P-1'}", 3000, 0, "1000"},                /* = 3000 */
        {"{'item':'P-2'}", 3001, 0, "0000"},                /* 3001 */
        {"{'item':'P-3'},{'item':'P-3'}", 3000, 0, "1000"}, /* summed */
        {"{'item':'P-3'},{'item':'P-1'}", 4500, 0, "0000"},
        {"{'item':'P-7','persons':['boss']}", 1000, 200, "1000"},
        {"{'item':'P-8','persons':['boss']}", 1000, 201, "0000"},
        {"{'item':'P-13'}", 1000, 0, "1000"},               /* 限期改正 */
        /* 处分 is not an administrative penalty (issue 9 point 11) */
        {"{'item':'P-17'}", 1000, 0, "1000"},
        /* 情节严重的，责令停产停业整顿 not found: possible only (point 5) */
        {"{'item':'P-18'}", 1000, 0, "1000"},
        /* 简易程序 per person on the person's total (第五十一条, point 8):
         * 200 + 200 on the same person is above 200 */
        {"{'item':'P-7','persons':['boss']},"
         "{'item':'P-7','persons':['boss']}", 2000, 400, "0000"},
        /* no penalty at all: no procedure */
        {"{'item':'P-1','factors':{'no_fault':true}}", 0, 0, "0000"},
    };
    char json[512];
    size_t k;

    for (k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        snprintf(json, sizeof(json), "{'persons':[{'id':'boss','role':"
                 "'principal'}],'violations':[%s]}", cases[k].violations);
        EVAL(rs, NULL, json);
        TOTALS(&R, cases[k].unit, cases[k].persons);
        PROCEDURE(&R, cases[k].shlc);
        done(&R);
    }
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_proc_hearing)
{
    zf_ruleset *rs = rules("procedure.yaml");
    struct run R;
    static const struct {
        const char *violations;
        long long unit, persons;
        const char *shlc;
    } cases[] = {
        {"{'item':'P-4'}", 50000, 0, "0110"},               /* = 50000 */
        {"{'item':'P-5'}", 49999, 0, "0000"},
        {"{'item':'P-6'},{'item':'P-6'}", 50000, 0, "0110"},/* summed */
        {"{'item':'P-9','persons':['boss']}", 0, 20000, "0110"},
        {"{'item':'P-10','persons':['boss']}", 0, 19999, "0000"},
        {"{'item':'P-11'}", 1000, 0, "0110"},               /* 停产停业 */
        {"{'item':'P-12'}", 1000, 0, "0110"},               /* 吊销 */
        /* 情节严重 found: the suspension is intended (point 5) */
        {"{'item':'P-18','factors':{'serious':true}}", 1000, 0, "0110"},
        /* 责令停产整顿 with no fine is a penalty with a hearing (point 4) */
        {"{'item':'P-19'}", 0, 0, "0110"},
        /* a person's fines summed over the decision (第六十三条, point 8):
         * 19999 twice on the same person */
        {"{'item':'P-10','persons':['boss']},"
         "{'item':'P-10','persons':['boss']}", 0, 39998, "0110"},
        /* 首违不罚 available: still a penalty the officer may impose */
        {"{'item':'P-4','first_offence':true,'corrected':true,"
         "'harm':'none'}", 50000, 0, "0110"},
        /* one act: only the kept violation's fine counts (49999) */
        {"{'item':'P-5','act':'a'},{'item':'P-6','act':'a'}", 49999, 0,
         "0000"},
    };
    char json[512];
    size_t k;

    for (k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        snprintf(json, sizeof(json), "{'persons':[{'id':'boss','role':"
                 "'principal'}],'violations':[%s]}", cases[k].violations);
        EVAL(rs, NULL, json);
        TOTALS(&R, cases[k].unit, cases[k].persons);
        PROCEDURE(&R, cases[k].shlc);
        done(&R);
    }
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_proc_orders)
{
    zf_ruleset *rs = rules("procedure.yaml");
    struct run R;

    /* 处分 stays out of the decision's orders, traced (point 11) */
    EVAL(rs, NULL, "{'violations':[{'item':'P-17'}]}");
    STRS(&R, "责令改正", "violations[0].unit.orders");
    LEN(&R, 0, "violations[0].unit.possible_orders");
    TRACE(&R, 0, "stage", "是处分，不是行政处罚");
    done(&R);
    /* a conditional measure: possible until the case finds 情节严重 */
    EVAL(rs, NULL, "{'violations':[{'item':'P-18'}]}");
    STRS(&R, "责令改正", "violations[0].unit.orders");
    STRS(&R, "情节严重的，责令停产停业整顿",
         "violations[0].unit.possible_orders");
    done(&R);
    EVAL(rs, NULL, "{'violations':[{'item':'P-18','factors':"
                   "{'serious':true}}]}");
    LEN(&R, 2, "violations[0].unit.orders");
    LEN(&R, 0, "violations[0].unit.possible_orders");
    done(&R);
    /* 责令停产整顿 alone is a penalty, not 责令改正 only (point 4) */
    EVAL(rs, NULL, "{'violations':[{'item':'P-19'}]}");
    OUTCOME(&R, 0, "penalty");
    STRS(&R, "责令停产整顿", "violations[0].unit.orders");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_proc_triggers)
{
    zf_ruleset *rs = rules("procedure.yaml");
    struct run R;

    /* 减轻 (50000 → 25000..45000, 35000): legal review and collective
     * discussion under `proc` and under the defaults */
    EVAL(rs, NULL, "{'violations':[{'item':'P-16','factors':"
                   "{'remedied_harm':true,'confessed':true}}]}");
    TIER(&R, 0, "mitigated");
    UNIT(&R, 0, 25000, 45000, 35000, 50000, 50000);
    PROCEDURE(&R, "0011");
    done(&R);
    EVAL(rs, "dflt", "{'violations':[{'item':'P-16','factors':"
                     "{'remedied_harm':true,'confessed':true}}]}");
    PROCEDURE(&R, "0011");
    done(&R);
    /* 重大事故隐患: collective under `proc` (and a 提请关闭 with two
     * penalties in 180 days), not under the defaults */
    /* a case for 集体讨论 is not decided by 简易程序 */
    EVAL(rs, NULL, "{'violations':[{'item':'P-14'}]}");
    PROCEDURE(&R, "0001");
    done(&R);
    EVAL(rs, NULL, "{'enterprise':{'penalties_180d':2},"
                   "'violations':[{'item':'P-14'}]}");
    FLAGS(&R, 0, "major_hazard|closure_request");
    LEN(&R, 1, "referrals");
    PROCEDURE(&R, "0001");
    done(&R);
    EVAL(rs, "dflt", "{'violations':[{'item':'P-14'}]}");
    PROCEDURE(&R, "1000");
    done(&R);
    /* defaults: a hearing sends the case to 法制审核 */
    EVAL(rs, "dflt", "{'violations':[{'item':'P-4'}]}");
    PROCEDURE(&R, "0110");
    done(&R);
    /* `trig`: 顶格 → 法制审核, 重大事故隐患 → 集体讨论, a hearing alone
     * → neither */
    EVAL(rs, "trig", "{'violations':[{'item':'P-15'}]}");
    TIER(&R, 0, "maximum");
    PROCEDURE(&R, "0010");
    done(&R);
    EVAL(rs, "trig", "{'violations':[{'item':'P-14'}]}");
    PROCEDURE(&R, "0001");
    done(&R);
    EVAL(rs, "trig", "{'violations':[{'item':'P-4'}]}");
    PROCEDURE(&R, "0100");
    done(&R);
    /* a mitigated fine within the summary limit: 3000 → 1500..2700, 2100.
     * NOTE: legally questionable — 简易程序 together with 法制审核 and
     * 集体讨论 (see the report) */
    EVAL(rs, NULL, "{'violations':[{'item':'P-1','factors':"
                   "{'remedied_harm':true,'confessed':true}}]}");
    UNIT(&R, 0, 1500, 2700, 2100, 3000, 3000);
    PROCEDURE(&R, "0011");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* law versions (行政处罚法第三十七条: 从旧兼从轻) */

#define AQSC "《中华人民共和国安全生产法》"
#define V2014 "（2014年修正）"
#define BEFORE "'violation_date':'2021-05-10','inspection_date':'2021-11-02'"

START_TEST(test_law_old_applies)
{
    zf_ruleset *rs = rules("law-versions.yaml");
    struct run R;

    /* L-1: 可以处五万元以下 (old) is not heavier than 十万元以下 (new) */
    EVAL(rs, NULL, "{" BEFORE ",'violations':[{'item':'L-1'},"
                   "{'item':'L-3'},{'item':'L-11'}]}");
    OUTCOME(&R, 0, "penalty");
    STR(&R, AQSC "第九十四条第（四）项" V2014, "violations[0].basis");
    STR(&R, "aqsc2014:94", "violations[0].provision");
    UNIT(&R, 0, 15000, 35000, 25000, 0, 50000);
    TRACE(&R, 0, "stage", "违法行为发生时施行的是" AQSC "第九十四条第（四）项"
                          V2014 "（单位罚款 0元至50000元），"
                          "现行为" AQSC "第九十七条第（五）项（单位罚款 0元至"
                          "100000元）；依行政处罚法第三十七条从旧兼从轻，"
                          "新法不轻于旧法，适用旧法");
    /* duty articles renumbered (20..89: −3); 90 is outside the range */
    STRS(&R, AQSC "第二十五条第一款" V2014 "|" AQSC "第十七条" V2014 "|"
             AQSC "第八十六条" V2014 "|" AQSC "第九十条",
         "violations[0].violates");
    /* clause_map: 1 → 1; a provision cited without 项 */
    STR(&R, AQSC "第九十四条第（一）项" V2014, "violations[1].basis");
    STRS(&R, AQSC "第十八条" V2014, "violations[1].violates");
    STR(&R, AQSC "第九十四条" V2014, "violations[2].basis");
    TOTALS(&R, 75000, 0);
    done(&R);
    /* L-7 the same range; L-9: each party on its own (issue 9 point 2):
     * the unit's new 0..40000 is lighter than the old 0..70000, so the
     * unit is fined under the new text; the person the new text adds
     * (10000..30000) is not fined, the old text fining them nothing */
    EVAL(rs, NULL, "{" BEFORE ",'persons':[{'id':'d','role':"
                   "'direct_supervisor'}],'violations':[{'item':'L-7'},"
                   "{'item':'L-9','persons':['d']}]}");
    STR(&R, "aqsc2014:99", "violations[0].provision");
    UNIT(&R, 0, 22000, 38000, 30000, 10000, 50000);
    STR(&R, "aqsc:104", "violations[1].provision");
    UNIT(&R, 1, 12000, 28000, 20000, 0, 40000);
    TRACE(&R, 1, "stage", "单位罚款 0元至70000元），现行为" AQSC "第一百零四条"
                          "（单位罚款 0元至40000元）");
    LEN(&R, 0, "violations[1].persons");
    TRACE(&R, 1, "persons", "d：旧法罚款 0元至0元，新法 10000元至30000元");
    TOTALS(&R, 50000, 0);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_law_old_not_covered)
{
    zf_ruleset *rs = rules("law-versions.yaml");
    struct run R;

    /* old_penalty: none — mapped by conduct, not by 项 number (issue 9
     * "Old-law 项 mapping"): the 项 has an earlier counterpart, the
     * conduct has none */
    EVAL(rs, NULL, "{" BEFORE ",'violations':[{'item':'L-12'},"
                   "{'item':'L-3'}]}");
    OUTCOME(&R, 0, "no_legal_basis");
    TRACE(&R, 0, "stage", "此前施行的文本未规定该事项所列行为");
    OUTCOME(&R, 1, "penalty");
    done(&R);
    /* on or after the current text's date: an ordinary penalty */
    EVAL(rs, NULL, "{'violation_date':'2021-09-01','inspection_date':"
                   "'2021-11-02','violations':[{'item':'L-12'}]}");
    OUTCOME(&R, 0, "penalty");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_law_new_lighter)
{
    zf_ruleset *rs = rules("law-versions.yaml");
    struct run R;

    EVAL(rs, NULL, "{" BEFORE ",'violations':[{'item':'L-4'},"
                   "{'item':'L-5'},{'item':'L-6'},{'item':'L-8'}]}");
    /* lower maximum */
    STR(&R, "aqsc:99", "violations[0].provision");
    STR(&R, AQSC "第九十九条", "violations[0].basis");
    STRS(&R, AQSC "第二十八条第一款", "violations[0].violates");
    UNIT(&R, 0, 15000, 35000, 25000, 0, 50000);
    TRACE(&R, 0, "stage", "罚款 20000元至100000元），现行为" AQSC
                          "第九十九条（单位罚款 0元至50000元）；依行政处罚法第三十七条"
                          "从旧兼从轻，新法较轻，适用新法");
    /* the same maximum, a lower minimum */
    STR(&R, "aqsc:100", "violations[1].provision");
    /* 可以处 counts as a minimum of 0 (the band keeps the 10000) */
    STR(&R, "aqsc:101", "violations[2].provision");
    TRACE(&R, 2, "stage", "现行为" AQSC "第一百零一条（单位罚款 0元至50000元）");
    UNIT(&R, 2, 22000, 38000, 30000, 10000, 50000);
    /* each party on its own: the unit's old 0..50000 is lighter than the
     * new 0..60000 (old text); the old person's limb 10000..20000 is
     * heavier than none (the new text fines no person) */
    STR(&R, "aqsc2014:100", "violations[3].provision");
    TRACE(&R, 3, "stage", "单位罚款 0元至50000元），现行为" AQSC "第一百零三条"
                          "（单位罚款 0元至60000元）");
    done(&R);
    EVAL(rs, NULL, "{" BEFORE ",'persons':[{'id':'d','role':"
                   "'direct_supervisor'}],'violations':[{'item':'L-8',"
                   "'persons':['d']}]}");
    STR(&R, "aqsc2014:100", "violations[0].provision");
    LEN(&R, 0, "violations[0].persons");
    TRACE(&R, 0, "persons", "d：旧法罚款 10000元至20000元，新法 0元至0元");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_law_dates)
{
    zf_ruleset *rs = rules("law-versions.yaml");
    struct run R;

    /* the day before the new text: the old one; the day itself: only the
     * new one, no comparison */
    EVAL(rs, NULL, "{'violation_date':'2021-08-31','inspection_date':"
                   "'2021-11-02','violations':[{'item':'L-1'}]}");
    STR(&R, "aqsc2014:94", "violations[0].provision");
    done(&R);
    EVAL(rs, NULL, "{'violation_date':'2021-09-01','inspection_date':"
                   "'2021-11-02','violations':[{'item':'L-1'},"
                   "{'item':'L-10'}]}");
    STR(&R, "aqsc:97", "violations[0].provision");
    STR(&R, AQSC "第九十七条第（五）项", "violations[0].basis");
    STRS(&R, AQSC "第二十八条第一款|" AQSC "第二十条|" AQSC "第八十九条|"
             AQSC "第九十条", "violations[0].violates");
    NO_TRACE(&R, 0, "stage", "违法行为发生时施行的是");
    OUTCOME(&R, 1, "penalty");
    done(&R);
    /* decided before the new text took effect: the old one even though
     * the new one is lighter (L-4) */
    EVAL(rs, NULL, "{'violation_date':'2021-05-10','inspection_date':"
                   "'2021-08-01','decision_date':'2021-08-20',"
                   "'violations':[{'item':'L-4'}]}");
    STR(&R, "aqsc2014:96", "violations[0].provision");
    UNIT(&R, 0, 44000, 76000, 60000, 20000, 100000);
    TRACE(&R, 0, "stage", "作出决定时新法尚未施行，适用旧法");
    done(&R);
    /* no decision date: the inspection date stands for it */
    EVAL(rs, NULL, "{'violation_date':'2021-05-10','inspection_date':"
                   "'2021-08-31','violations':[{'item':'L-4'}]}");
    STR(&R, "aqsc2014:96", "violations[0].provision");
    done(&R);
    EVAL(rs, NULL, "{'violation_date':'2021-05-10','inspection_date':"
                   "'2021-09-01','violations':[{'item':'L-4'}]}");
    STR(&R, "aqsc:99", "violations[0].provision");
    done(&R);
    EVAL(rs, NULL, "{'violation_date':'2021-05-10','inspection_date':"
                   "'2021-08-01','decision_date':'2021-09-01',"
                   "'violations':[{'item':'L-4'}]}");
    STR(&R, "aqsc:99", "violations[0].provision");
    done(&R);
    /* before the earlier text took effect: the rule set has no text for
     * that date — a gap in the data, not the absence of law: the oldest
     * text is used, with a warning */
    EVAL(rs, NULL, "{'violation_date':'2014-11-30','inspection_date':"
                   "'2021-11-02','violations':[{'item':'L-1'}]}");
    OUTCOME(&R, 0, "penalty");
    WARNINGS(&R, 1);
    done(&R);
    EVAL(rs, NULL, "{'violation_date':'2014-12-01','inspection_date':"
                   "'2021-11-02','violations':[{'item':'L-1'}]}");
    STR(&R, "aqsc2014:94", "violations[0].provision");
    done(&R);
    /* overdue: the earlier text has no escalated stage; its first stage
     * (0..50000) is compared with the current overdue stage */
    EVAL(rs, NULL, "{" BEFORE ",'violations':[{'item':'L-1',"
                   "'overdue':true}]}");
    STR(&R, "aqsc2014:94", "violations[0].provision");
    STR(&R, "first", "violations[0].stage");
    STRS(&R, "责令限期改正", "violations[0].unit.orders");
    TRACE(&R, 0, "stage", "罚款 0元至50000元），现行为" AQSC "第九十七条第"
                          "（五）项（单位罚款 100000元至200000元）");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

START_TEST(test_law_no_basis)
{
    zf_ruleset *rs = rules("law-versions.yaml");
    struct run R;

    /* L-2: 97(4) has no 项 in the earlier text; L-10: 110 is new */
    EVAL(rs, NULL, "{" BEFORE ",'violations':[{'item':'L-2'},"
                   "{'item':'L-10'},{'item':'L-1'}]}");
    OUTCOME(&R, 0, "no_legal_basis");
    NO_UNIT(&R, 0);
    LEN(&R, 0, "violations[0].persons");
    TRACE(&R, 0, "stage", AQSC "第九十七条第（四）项自 2021-09-01 起施行，"
                          "违法行为发生时没有对应的罚则，不能依该条处罚"
                          "（法不溯及既往）");
    NO_TRACE(&R, 0, "tier", NULL);
    NO_TRACE(&R, 0, "fine", NULL);
    FLAGS(&R, 0, "");
    OUTCOME(&R, 1, "no_legal_basis");
    NO_UNIT(&R, 1);
    TRACE(&R, 1, "stage", AQSC "第一百一十条自 2021-09-01 起施行");
    OUTCOME(&R, 2, "penalty");
    TOTALS(&R, 25000, 0);
    done(&R);
    EVAL(rs, NULL, "{" BEFORE ",'violations':[{'item':'L-10'}]}");
    TOTALS(&R, 0, 0);
    PROCEDURE(&R, "0000");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* Three texts (v1 → v2 → v3). Regressions: across two steps the 项 was
 * looked up in the oldest text's clause_map with the current number
 * instead of being mapped text by text (X-1, 97(5), was cited as v1 82(4)
 * instead of 82(3), and X-3, 97(4) new in 2021, was punished under v1
 * 82(3) instead of no_legal_basis); and duty articles were renumbered only
 * when the text applied directly preceded the cited one. */
START_TEST(test_law_chain)
{
    zf_ruleset *rs = rules("law-chain.yaml");
    struct run R;

    /* 2010: v1 applies; 97(5) → 94(4) → 82(3) */
    EVAL(rs, NULL, "{'violation_date':'2010-01-01','inspection_date':"
                   "'2022-01-01','violations':[{'item':'X-1'},"
                   "{'item':'X-2'},{'item':'X-3'}]}");
    OUTCOME(&R, 0, "penalty");
    STR(&R, "v1:82", "violations[0].provision");
    STR(&R, "《示例安全法》第八十二条第（三）项（2002年）",
        "violations[0].basis");
    UNIT(&R, 0, 6000, 14000, 10000, 0, 20000);
    STRS(&R, "《示例安全法》第二十三条第一款（2002年）|《示例安全法》第九十五条",
         "violations[0].violates");
    OUTCOME(&R, 1, "no_legal_basis");   /* 97(3) = v2 94(3), new in 2014 */
    OUTCOME(&R, 2, "no_legal_basis");   /* 97(4), new in 2021 */
    NO_UNIT(&R, 2);
    TOTALS(&R, 10000, 0);
    done(&R);
    /* 28 → 25 (v2) → 23 (v1); 15 → 15 → 13 (moved by v1 only) */
    EVAL(rs, NULL, "{'violation_date':'2010-01-01','inspection_date':"
                   "'2022-01-01','violations':[{'item':'X-4'},"
                   "{'item':'X-2'}]}");
    OUTCOME(&R, 0, "penalty");
    STR(&R, "v1:82", "violations[0].provision");
    STR(&R, "《示例安全法》第八十二条（2002年）", "violations[0].basis");
    UNIT(&R, 0, 6000, 14000, 10000, 0, 20000);
    STRS(&R, "《示例安全法》第二十三条第一款（2002年）|"
             "《示例安全法》第十三条（2002年）", "violations[0].violates");
    TRACE(&R, 0, "stage", "违法行为发生时施行的是《示例安全法》第八十二条"
                          "（2002年）（单位罚款 0元至20000元）");
    OUTCOME(&R, 1, "no_legal_basis");   /* 97(3) = v2 94(3), new in 2014 */
    done(&R);
    /* 2016: v2 applies, one step */
    EVAL(rs, NULL, "{'violation_date':'2016-01-01','inspection_date':"
                   "'2022-01-01','violations':[{'item':'X-1'},"
                   "{'item':'X-2'},{'item':'X-3'},{'item':'X-4'}]}");
    STR(&R, "v2:94", "violations[0].provision");
    STR(&R, "《示例安全法》第九十四条第（四）项（2014年修正）",
        "violations[0].basis");
    UNIT(&R, 0, 15000, 35000, 25000, 0, 50000);
    STRS(&R, "《示例安全法》第二十五条第一款（2014年修正）|《示例安全法》"
             "第九十五条", "violations[0].violates");
    STR(&R, "《示例安全法》第九十四条第（三）项（2014年修正）",
        "violations[1].basis");
    OUTCOME(&R, 2, "no_legal_basis");
    STRS(&R, "《示例安全法》第二十五条第一款（2014年修正）|《示例安全法》"
             "第十五条", "violations[3].violates");
    done(&R);
    /* before the oldest text: the oldest text, with a warning */
    EVAL(rs, NULL, "{'violation_date':'2000-01-01','inspection_date':"
                   "'2022-01-01','violations':[{'item':'X-4'}]}");
    OUTCOME(&R, 0, "penalty");
    WARNINGS(&R, 1);
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* income-based fines on persons */

START_TEST(test_income_missing)
{
    zf_ruleset *rs = rules("income.yaml");
    zf_error err = ZF_ERROR_INIT;
    struct run R;

    /* persons[1] is named by the second violation and has no income */
    ck_assert_int_eq(
        eval_fail(rs, NULL,
                  "{'persons':[{'id':'a','role':'principal',"
                  "'annual_income':100000},{'id':'b','role':'principal'}],"
                  "'violations':[{'item':'I-1','persons':['a']},"
                  "{'item':'I-1','persons':['b']}]}", &err),
        ZF_EINPUT);
    ck_assert_int_eq(err.code, ZF_EINPUT);
    ck_assert_int_eq(err.diag, ZF_DIAG_NO_INCOME);
    ck_assert_str_eq(err.path, "persons[1].annual_income");
    ck_assert_ptr_nonnull(strstr(err.message, "annual_income"));
    ck_assert_ptr_nonnull(strstr(err.message, "'b'"));
    /* the fixed share too */
    ck_assert_int_eq(
        eval_fail(rs, NULL,
                  "{'persons':[{'id':'b','role':'principal'}],"
                  "'violations':[{'item':'I-2','persons':['b']}]}", &err),
        ZF_EINPUT);
    ck_assert_str_eq(err.path, "persons[0].annual_income");
    n_checks += 8;

    /* with the income: 20-50 % of 100000 = 20000..50000, normal
     * 29000..41000 → 35000; 40 % of 123456 = 49382 (rounding to 100
     * would leave the one-point band) */
    EVAL(rs, NULL, "{'persons':[{'id':'a','role':'principal',"
                   "'annual_income':100000},{'id':'c','role':'principal',"
                   "'annual_income':123456}],'violations':[{'item':'I-1',"
                   "'persons':['a']},{'item':'I-2','persons':['c']}]}");
    MONEY(&R, "violations[0].persons[0].fine", 29000, 41000, 35000, 20000,
          50000);
    MONEY(&R, "violations[1].persons[0].fine", 49382, 49382, 49382, 49382,
          49382);
    TOTALS(&R, 50000, 35000 + 49382);
    done(&R);
    /* a person without income whose role the stage does not fine, and a
     * barred violation, need no income */
    EVAL(rs, NULL, "{'persons':[{'id':'s','role':'direct_staff'},"
                   "{'id':'b','role':'principal'}],'violations':["
                   "{'item':'I-1','persons':['s']}]}");
    LEN(&R, 0, "violations[0].persons");
    FLAGS(&R, 0, "persons_required");
    TOTALS(&R, 50000, 0);
    done(&R);
    EVAL(rs, NULL, "{'violation_date':'2020-01-01','inspection_date':"
                   "'2024-01-01','persons':[{'id':'b','role':'principal'}],"
                   "'violations':[{'item':'I-1','persons':['b']}]}");
    OUTCOME(&R, 0, "time_barred");
    done(&R);
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* loader errors for the profile and law-version keys */

static const char *const loader_cases[] = {
    "additive-without-elements",
    "clause-map-without-maps-to",
    "consequence-flag",
    "consequence-no-flag",
    "factor-effect",
    "factor-unknown-name",
    "level-percent-range",
    "level-without-when",
    "limitation-extended-alone",
    "maps-to-clause",
    "maps-to-taken",
    "maps-to-unknown-provision",
    "maps-to-without-superseded-by",
    "maps-to-wrong-law",
    "mitigation-band",
    "profile-unknown-item-maximum",
    "profile-unknown-item-minor",
    "referral-flag",
    "renumbered-range",
    "same-act-unknown-law",
    "superseded-by-self",
    "superseded-by-unknown",
};

START_TEST(test_loader_error)
{
    const char *name = loader_cases[_i];
    char path[4096], src[256];
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    unsigned want_line = 0, line = 1;
    int want_diag = 0;
    size_t len;
    char *buf, *p;
    zf_status rc;

    snprintf(path, sizeof(path), "%s/pipeline/loader/%s.yaml", zt_data_dir(),
             name);
    snprintf(src, sizeof(src), "%s.yaml", name);
    buf = zt_slurp(path, &len);
    ck_assert_msg(sscanf(buf, "# diag: %d", &want_diag) == 1,
                  "%s: no '# diag: NNN' header", name);
    for (p = buf; *p; p++) {
        if (*p == '\n')
            line++;
        else if (strncmp(p, "# ERROR", 7) == 0) {
            ck_assert_msg(want_line == 0, "%s: two '# ERROR' marks", name);
            want_line = line;
        }
    }
    ck_assert_msg(want_line > 0, "%s: no '# ERROR' mark", name);
    rc = zf_ruleset_compile(&rs, ctx, buf, len, src, &err);
    free(buf);
    ck_assert_ptr_null(rs);
    ck_assert_msg(rc == ZF_ESCHEMA && err.code == ZF_ESCHEMA,
                  "%s: status %d, want ZF_ESCHEMA (%s)", name, rc,
                  err.message);
    ck_assert_msg(err.diag == want_diag && err.line == want_line,
                  "%s: [ZF-%03d] at line %u, want [ZF-%03d] at line %u: %s",
                  name, err.diag, err.line, want_diag, want_line,
                  err.message);
    ck_assert_str_eq(err.source, src);
    ck_assert_uint_gt(err.column, 0);
    ck_assert_uint_gt(strlen(err.message), 0);
    n_checks += 6;
}
END_TEST

/* The files really are a valid rule set but for the marked line: the
 * shipped-in-this-directory rule sets all load. */
START_TEST(test_loader_valid_sets)
{
    static const char *const names[] = {
        "limitation.yaml", "exemptions.yaml", "maximum.yaml",
        "factors.yaml", "band.yaml", "additive.yaml", "same-act.yaml",
        "consequences.yaml", "procedure.yaml", "law-versions.yaml",
        "law-chain.yaml", "income.yaml"};
    size_t k;

    for (k = 0; k < sizeof(names) / sizeof(*names); k++) {
        zf_ruleset *rs = rules(names[k]);
        ck_assert_uint_gt(zf_ruleset_item_count(rs), 0);
        zf_ruleset_unref(rs);
        n_checks++;
    }
}
END_TEST

/* ------------------------------------------------------------------ */

static TCase *
tc(Suite *s, const char *name)
{
    TCase *t = tcase_create(name);

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    suite_add_tcase(s, t);
    return t;
}

static Suite *
pipeline_suite(void)
{
    Suite *s = suite_create("pipeline");
    TCase *t;

    t = tc(s, "limitation");
    tcase_add_test(t, test_lim_exactly_two_years);
    tcase_add_test(t, test_lim_two_years_one_day);
    tcase_add_test(t, test_lim_extended_by_harm);
    tcase_add_test(t, test_lim_extended_by_accident);
    tcase_add_test(t, test_lim_unknown_harm);
    tcase_add_test(t, test_lim_feb29);
    tcase_add_test(t, test_lim_missing_dates);
    tcase_add_test(t, test_lim_profile_without_limitation);
    tcase_add_test(t, test_lim_without_extension);

    t = tc(s, "exemptions");
    tcase_add_test(t, test_ex_no_fault);
    tcase_add_test(t, test_ex_minor);
    tcase_add_test(t, test_ex_first_offence);
    tcase_add_test(t, test_ex_blocked);
    tcase_add_test(t, test_ex_lists_by_tag);

    t = tc(s, "maximum");
    tcase_add_test(t, test_max_first_stage);
    tcase_add_test(t, test_max_overdue_persons);

    t = tc(s, "factors");
    tcase_add_test(t, test_fac_one_lighter);
    tcase_add_test(t, test_fac_lighter_and_heavier);
    tcase_add_test(t, test_fac_clamped);
    tcase_add_test(t, test_fac_mitigation_threshold);
    tcase_add_test(t, test_fac_mitigation_upto);
    tcase_add_test(t, test_fac_mitigated_strictly_below);

    t = tc(s, "band");
    tcase_add_test(t, test_band_odd_span);
    tcase_add_test(t, test_band_tables_and_fixed);
    tcase_add_test(t, test_band_recommend_low_high);

    t = tc(s, "additive");
    tcase_add_test(t, test_add_sum);
    tcase_add_test(t, test_add_clamps);
    tcase_add_test(t, test_add_first_level_wins);
    tcase_add_test(t, test_add_maximum_and_mitigated);

    t = tc(s, "same_act");
    tcase_add_test(t, test_same_two);
    tcase_add_test(t, test_same_ties);
    tcase_add_test(t, test_same_three);
    tcase_add_test(t, test_same_different_acts);
    tcase_add_test(t, test_same_merged_persons);

    t = tc(s, "consequences");
    tcase_add_test(t, test_cons_profile_flags);
    tcase_add_test(t, test_cons_closure_boundary);
    tcase_add_test(t, test_cons_item_referrals);

    t = tc(s, "procedure");
    tcase_add_test(t, test_proc_summary);
    tcase_add_test(t, test_proc_hearing);
    tcase_add_test(t, test_proc_triggers);

    t = tc(s, "law_version");
    tcase_add_test(t, test_law_old_applies);
    tcase_add_test(t, test_law_new_lighter);
    tcase_add_test(t, test_proc_orders);
    tcase_add_test(t, test_law_old_not_covered);
    tcase_add_test(t, test_law_dates);
    tcase_add_test(t, test_law_no_basis);
    tcase_add_test(t, test_law_chain);

    t = tc(s, "income");
    tcase_add_test(t, test_income_missing);

    t = tc(s, "loader");
    tcase_add_loop_test(t, test_loader_error, 0,
                        (int)(sizeof(loader_cases) / sizeof(*loader_cases)));
    tcase_add_test(t, test_loader_valid_sets);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(pipeline_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (n_checks)
        printf("pipeline: %lu checks\n", n_checks);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
