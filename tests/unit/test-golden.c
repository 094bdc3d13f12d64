/* SPDX-License-Identifier: MIT */
/*
 * Golden decisions: every directory tests/data/eval/NAME holds input.json,
 * expected.json and optionally rules.yaml (default: the bundled rules/).
 * The case is parsed and evaluated with the C API and rendered with
 * ZF_RENDER_JSON; the rendering must equal expected.json byte for byte
 * once the whitespace between tokens of expected.json is removed (the
 * files are stored indented so that people can review them; that they are
 * exactly the engine's ZF_RENDER_JSON_PRETTY output is checked too). A case
 * that the engine rejects has an expected.json of the form
 * {"error": {"stage", "code", "diag", "path", "message"}}.
 *
 * ZF_REGENERATE=1 rewrites expected.json from the engine. Every figure in
 * them was checked by hand against the statute: see tests/data/eval/NOTES.md
 * before regenerating, and review the diff line by line.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-common.h"
#include "zhifa/zhifa.h"

#define MAX_CASES 256

static char *case_names[MAX_CASES];
static size_t n_cases;

/* ------------------------------------------------------------------ */
/* helpers */

static void
scan_cases(void)
{
    char path[4096], probe[8192];
    DIR *d;
    struct dirent *e;

    snprintf(path, sizeof(path), "%s/eval", zt_data_dir());
    d = opendir(path);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && n_cases < MAX_CASES) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(probe, sizeof(probe), "%s/%s/input.json", path, e->d_name);
        if (zt_exists(probe))
            case_names[n_cases++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(case_names, n_cases, sizeof(*case_names), zt_cmp_str);
}

/* Remove the whitespace outside strings (our own JSON: strings are
 * escaped, so '"' inside a string is always preceded by '\'). */
static char *
minify(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    bool in_str = false;

    ck_assert_ptr_nonnull(out);
    for (; *s; s++) {
        if (in_str) {
            *o++ = *s;
            if (*s == '\\' && s[1])
                *o++ = *++s;
            else if (*s == '"')
                in_str = false;
        } else if (*s == '"') {
            in_str = true;
            *o++ = *s;
        } else if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* Append `s` as a JSON string. */
static void
json_str(char *out, size_t size, const char *s)
{
    size_t n = strlen(out);

    if (n + 1 < size)
        out[n++] = '"';
    for (; *s && n + 8 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", c);
        } else {
            out[n++] = (char)c;
        }
    }
    if (n + 1 < size)
        out[n++] = '"';
    out[n] = '\0';
}

/* Fail with the first difference between two documents. */
static void
assert_same(const char *name, const char *what, const char *exp,
            const char *got)
{
    char msg[1024];

    if (!zt_same(exp, got, msg, sizeof(msg)))
        ck_abort_msg("%s: %s %s", name, what, msg);
}

/* The error document, indented like the engine's pretty JSON. */
static void
error_json(char *out, size_t size, const char *stage, zf_status rc,
           const zf_error *err)
{
    char tmp[64];

    snprintf(out, size, "{\n  \"error\": {\n    \"stage\": ");
    json_str(out, size, stage);
    snprintf(tmp, sizeof(tmp), ",\n    \"code\": %d,\n    \"diag\": %d,\n",
             rc, err->diag);
    strncat(out, tmp, size - strlen(out) - 1);
    strncat(out, "    \"path\": ", size - strlen(out) - 1);
    json_str(out, size, err->path);
    strncat(out, ",\n    \"message\": ", size - strlen(out) - 1);
    json_str(out, size, err->message);
    strncat(out, "\n  }\n}\n", size - strlen(out) - 1);
}

/* ------------------------------------------------------------------ */

START_TEST(test_golden_decision)
{
    const char *name = case_names[_i];
    char dir[4096], path[8192], rules[8192], errdoc[4096];
    char *input, *expected, *exp_min, *json = NULL, *pretty = NULL;
    char *json2 = NULL, *text = NULL, *got_pretty;
    size_t in_len, jlen = 0, plen = 0, j2len = 0, tlen = 0;
    zf_context *ctx = NULL;
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL, *dec2 = NULL;
    zf_error err = ZF_ERROR_INIT;
    zf_status rc;
    const char *stage = NULL;

    snprintf(dir, sizeof(dir), "%s/eval/%s", zt_data_dir(), name);
    snprintf(rules, sizeof(rules), "%s/rules.yaml", dir);
    if (!zt_exists(rules))
        snprintf(rules, sizeof(rules), "%s", zt_source_path("rules"));
    snprintf(path, sizeof(path), "%s/input.json", dir);
    input = zt_read_file(path, &in_len);
    ck_assert_ptr_nonnull(input);

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    rc = zf_ruleset_load(&rs, ctx, rules, &err);
    ck_assert_msg(rc == ZF_OK, "%s: rules: %s:%u:%u: [ZF-%03d] %s", name,
                  err.source, err.line, err.column, err.diag, err.message);
    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);

    rc = zf_case_parse(&cs, ctx, input, in_len, &err);
    if (rc != ZF_OK) {
        stage = "parse";
    } else {
        rc = zf_evaluate(&dec, ev, rs, cs, &err);
        if (rc != ZF_OK)
            stage = "evaluate";
    }
    if (stage) {
        ck_assert_int_eq(err.code, rc);
        ck_assert_ptr_null(dec);
        error_json(errdoc, sizeof(errdoc), stage, rc, &err);
        got_pretty = errdoc;
    } else {
        ck_assert_int_eq(zf_decision_render(&json, &jlen, dec,
                                            ZF_RENDER_JSON, &err), ZF_OK);
        ck_assert_uint_eq(strlen(json), jlen);
        ck_assert_int_eq(zf_decision_render(&pretty, &plen, dec,
                                            ZF_RENDER_JSON_PRETTY, &err),
                         ZF_OK);
        got_pretty = pretty;
        /* deterministic: the same evaluator again gives the same bytes */
        ck_assert_int_eq(zf_evaluate(&dec2, ev, rs, cs, &err), ZF_OK);
        ck_assert_int_eq(zf_decision_render(&json2, &j2len, dec2,
                                            ZF_RENDER_JSON, &err), ZF_OK);
        ck_assert_str_eq(json, json2);
        /* the text rendering works on every decision */
        ck_assert_int_eq(zf_decision_render(&text, &tlen, dec,
                                            ZF_RENDER_TEXT, &err), ZF_OK);
        ck_assert_ptr_nonnull(strstr(text, "行政处罚裁量说明"));
        /* a text with several findings becomes several violations */
        ck_assert_uint_ge(zf_decision_violation_count(dec),
                          zf_case_violation_count(cs));
    }

    snprintf(path, sizeof(path), "%s/expected.json", dir);
    if (zt_regenerate())
        zt_write_file(path, got_pretty, strlen(got_pretty));
    expected = zt_read_file(path, NULL);
    ck_assert_msg(expected != NULL, "%s: no expected.json", name);
    exp_min = minify(expected);
    if (stage) {
        char *got_min = minify(errdoc);
        assert_same(name, "the error", exp_min, got_min);
        free(got_min);
    } else {
        /* the contract: ZF_RENDER_JSON, byte for byte */
        assert_same(name, "the decision", exp_min, json);
        /* and the pretty form is the same document, indented */
        assert_same(name, "the indented decision", expected, pretty);
    }

    free(exp_min);
    free(expected);
    zf_free(ctx, json);
    zf_free(ctx, json2);
    zf_free(ctx, pretty);
    zf_free(ctx, text);
    zf_decision_free(dec);
    zf_decision_free(dec2);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
    zf_context_free(ctx);
    free(input);
}
END_TEST

START_TEST(test_cases_present)
{
    ck_assert_uint_ge(n_cases, 20);
}
END_TEST

/* ------------------------------------------------------------------ */
/* API details not visible in the JSON */

static const char rules_yaml[] =
    "ruleset: { id: t-api, version: \"1\" }\n"
    "laws:\n"
    "  - id: aqsc\n"
    "    title: 中华人民共和国安全生产法\n"
    "    provisions:\n"
    "      - article: 97\n"
    "        stages:\n"
    "          - stage: first\n"
    "            unit: { fine: { upto: 100000 } }\n"
    "          - stage: overdue\n"
    "            unit: { fine: { from: 100000, upto: 200000 } }\n"
    "            persons: { fine: { from: 20000, upto: 50000 } }\n"
    "domains:\n"
    "  - id: general\n"
    "    name: 通用\n"
    "    common: true\n"
    "    items:\n"
    "      - id: A-1\n"
    "        title: 培训\n"
    "        conduct: 未培训\n"
    "        violates: [aqsc:28]\n"
    "        penalty: aqsc:97\n"
    "        patterns: ['未.{0,6}培训']\n"
    "        facts: { n: { type: int, min: 0 } }\n"
    "        discretion:\n"
    "          - { when: n <= 3, tier: lighter }\n"
    "          - { tier: heavier }\n"
    "profiles:\n"
    "  - id: p\n"
    "    title: 档\n"
    "    tiers:\n"
    "      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
    "      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
    "    round_to: 100\n";

/* zhifa.h promises that a decision outlives its inputs: it holds a
 * reference on the rule set and copies what it needs from the case, so
 * freeing the case, the evaluator and the caller's rule-set reference (and
 * scribbling over the JSON text) changes nothing in its rendering. Under
 * ASan or valgrind a dangling pointer would also be reported. */
START_TEST(test_decision_outlives_inputs)
{
    static const char input[] =
        "{\"case_id\":\"own\",\"persons\":[{\"id\":\"张某\",\"role\":"
        "\"direct_staff\"}],\"violations\":["
        "{\"item\":\"A-1\",\"act\":\"a1\",\"facts\":{\"n\":2}},"
        "{\"text\":\"1、未对从业人员进行安全培训；2、食堂菜价偏高\","
        "\"overdue\":true,\"persons\":[\"张某\"]}]}";
    const int formats[] = {ZF_RENDER_JSON, ZF_RENDER_TEXT};
    char *before[2], *after[2], *copy;
    size_t len, k;
    zf_context *ctx = NULL;
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_error err = ZF_ERROR_INIT;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, rules_yaml,
                                        strlen(rules_yaml), "api.yaml",
                                        &err), ZF_OK);
    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);
    copy = strdup(input);
    ck_assert_ptr_nonnull(copy);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, copy, strlen(copy), &err),
                     ZF_OK);
    ck_assert_int_eq(zf_evaluate(&dec, ev, rs, cs, &err), ZF_OK);
    for (k = 0; k < 2; k++)
        ck_assert_int_eq(zf_decision_render(&before[k], &len, dec,
                                            formats[k], &err), ZF_OK);

    memset(copy, 'X', strlen(copy));
    free(copy);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
    for (k = 0; k < 2; k++) {
        ck_assert_int_eq(zf_decision_render(&after[k], &len, dec,
                                            formats[k], &err), ZF_OK);
        ck_assert_str_eq(after[k], before[k]);
        zf_free(ctx, before[k]);
        zf_free(ctx, after[k]);
    }
    ck_assert_str_eq(zf_decision_item(dec, 0), "A-1");
    zf_decision_free(dec);   /* drops the last reference on the rule set */
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_accessors)
{
    static const char input[] =
        "{\"case_id\":\"acc\",\"persons\":[{\"id\":\"p\",\"role\":"
        "\"direct_staff\"}],\"violations\":["
        "{\"item\":\"A-1\",\"facts\":{\"n\":2}},"
        "{\"item\":\"A-1\",\"overdue\":true,\"persons\":[\"p\"]},"
        "{\"text\":\"食堂菜价偏高\"}]}";
    zf_context *ctx = NULL;
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_error err = ZF_ERROR_INIT;
    int64_t rec, bmin, bmax, smin, smax;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, rules_yaml,
                                        strlen(rules_yaml), "api.yaml",
                                        &err), ZF_OK);
    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, input, strlen(input), &err),
                     ZF_OK);
    ck_assert_str_eq(zf_case_id(cs), "acc");
    ck_assert_uint_eq(zf_case_violation_count(cs), 3);
    ck_assert_int_eq(zf_evaluate(&dec, ev, rs, cs, &err), ZF_OK);
    ck_assert_uint_eq(zf_decision_violation_count(dec), 3);

    /* 0: upto 100000, lighter [0, 30%]: 0..30000, midpoint 15000 */
    ck_assert_str_eq(zf_decision_item(dec, 0), "A-1");
    ck_assert_str_eq(zf_decision_outcome(dec, 0), "penalty");
    ck_assert_str_eq(zf_decision_tier(dec, 0), "lighter");
    ck_assert_int_eq(zf_decision_unit_fine(dec, 0, &rec, &bmin, &bmax, &smin,
                                           &smax), ZF_OK);
    ck_assert_int_eq(rec, 15000);
    ck_assert_int_eq(bmin, 0);
    ck_assert_int_eq(bmax, 30000);
    ck_assert_int_eq(smin, 0);
    ck_assert_int_eq(smax, 100000);
    /* 1: overdue, n missing: default tier normal; 100000..200000 →
     * 130000..170000, midpoint 150000; person 20000..50000 → 29000..41000,
     * midpoint 35000 */
    ck_assert_str_eq(zf_decision_tier(dec, 1), "normal");
    ck_assert_int_eq(zf_decision_unit_fine(dec, 1, &rec, NULL, NULL, NULL,
                                           NULL), ZF_OK);
    ck_assert_int_eq(rec, 150000);
    /* 2: unmatched: no item, no tier, no fine */
    ck_assert_ptr_null(zf_decision_item(dec, 2));
    ck_assert_str_eq(zf_decision_outcome(dec, 2), "unmatched");
    ck_assert_ptr_null(zf_decision_tier(dec, 2));
    ck_assert_int_eq(zf_decision_unit_fine(dec, 2, &rec, NULL, NULL, NULL,
                                           NULL), ZF_EINVAL);
    /* out of range */
    ck_assert_ptr_null(zf_decision_item(dec, 3));
    ck_assert_ptr_null(zf_decision_outcome(dec, 3));
    ck_assert_ptr_null(zf_decision_tier(dec, 3));
    ck_assert_int_eq(zf_decision_unit_fine(dec, 3, NULL, NULL, NULL, NULL,
                                           NULL), ZF_EINVAL);
    /* totals */
    ck_assert_int_eq(zf_decision_total_unit_fine(dec), 165000);
    ck_assert_int_eq(zf_decision_total_person_fines(dec), 35000);
    ck_assert_uint_eq(zf_decision_warning_count(dec), 1);
    /* NULL */
    ck_assert_uint_eq(zf_decision_violation_count(NULL), 0);
    ck_assert_int_eq(zf_decision_total_unit_fine(NULL), 0);
    ck_assert_int_eq(zf_decision_total_person_fines(NULL), 0);
    ck_assert_uint_eq(zf_decision_warning_count(NULL), 0);
    ck_assert_ptr_null(zf_decision_item(NULL, 0));
    zf_decision_free(NULL);
    zf_evaluator_free(NULL);
    ck_assert_int_eq(zf_evaluate(NULL, ev, rs, cs, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_evaluate(&dec, NULL, rs, cs, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_evaluator_new(NULL, ctx), ZF_EINVAL);
    {
        char *s = NULL;
        size_t n = 0;
        ck_assert_int_eq(zf_decision_render(&s, &n, dec, 99, &err),
                         ZF_EINVAL);
        ck_assert_int_eq(zf_decision_render(NULL, &n, dec, ZF_RENDER_JSON,
                                            &err), ZF_EINVAL);
    }

    zf_decision_free(dec);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
    zf_context_free(ctx);
}
END_TEST

/* One evaluator, many rule sets and cases: no state leaks between them. */
START_TEST(test_evaluator_reuse)
{
    static const char a[] =
        "{\"violations\":[{\"item\":\"A-1\",\"facts\":{\"n\":9}}]}";
    static const char b[] =
        "{\"violations\":[{\"text\":\"未组织培训\",\"facts\":{\"n\":1}}]}";
    zf_context *ctx = NULL;
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    zf_case *ca = NULL, *cb = NULL;
    zf_decision *d = NULL;
    zf_error err = ZF_ERROR_INIT;
    int64_t rec;
    int k;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, rules_yaml,
                                        strlen(rules_yaml), "api.yaml",
                                        &err), ZF_OK);
    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);
    ck_assert_int_eq(zf_case_parse(&ca, ctx, a, strlen(a), &err), ZF_OK);
    ck_assert_int_eq(zf_case_parse(&cb, ctx, b, strlen(b), &err), ZF_OK);
    for (k = 0; k < 50; k++) {
        ck_assert_int_eq(zf_evaluate(&d, ev, rs, k % 2 ? cb : ca, &err),
                         ZF_OK);
        ck_assert_int_eq(zf_decision_unit_fine(d, 0, &rec, NULL, NULL, NULL,
                                               NULL), ZF_OK);
        /* heavier: 70000..100000 → 85000; lighter: 0..30000 → 15000 */
        ck_assert_int_eq(rec, k % 2 ? 15000 : 85000);
        zf_decision_free(d);
        d = NULL;
    }
    zf_case_free(ca);
    zf_case_free(cb);
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
    zf_context_free(ctx);
}
END_TEST

static Suite *
golden_suite(void)
{
    Suite *s = suite_create("golden");
    TCase *tc;

    tc = tcase_create("golden");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_cases_present);
    tcase_add_loop_test(tc, test_golden_decision, 0, (int)n_cases);
    suite_add_tcase(s, tc);

    tc = tcase_create("api");
    tcase_add_test(tc, test_accessors);
    tcase_add_test(tc, test_decision_outlives_inputs);
    tcase_add_test(tc, test_evaluator_reuse);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr;
    int failed;
    size_t i;

    scan_cases();
    sr = srunner_create(golden_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (i = 0; i < n_cases; i++)
        free(case_names[i]);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
