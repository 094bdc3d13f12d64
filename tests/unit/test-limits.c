/* SPDX-License-Identifier: MIT */
/*
 * Input limits (STYLE.md 4.1, docs/limits.md): every limit set through
 * zf_context_set_limit() is tested at the boundary, N accepted and N+1
 * rejected (the SQLite boundary-value practice), with the error code, the
 * [ZF-nnn] diag and the position. Then the inputs a strict subset rejects
 * whatever the limits: YAML anchors/aliases (billion laughs), tags,
 * duplicate keys, several documents, invalid UTF-8 and NUL, and in cases
 * \u0000, duplicate keys, non-integral and huge amounts of money. A regex
 * that hits the match limit makes the evaluation ZF_EINDETERMINATE naming
 * the item, never a silent no-match.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ruleset-private.h"
#include "test-common.h"
#include "zhifa.h"

static zf_context *ctx;

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
/* helpers */

/* A growable string (test side, plain malloc). */
struct sb {
    char *s;
    size_t n, cap;
};

static void
sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void
sb_puts(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void
sb_rep(struct sb *b, const char *s, size_t times)
{
    while (times--)
        sb_puts(b, s);
}

/*
 * A small valid single-file rule set; the placeholders are filled in:
 *   @NOTE@     the ruleset's note (a double-quoted scalar's content)
 *   @ORDERS@   the first stage's orders (flow sequence content)
 *   @PATTERN@  the item's pattern (single-quoted scalar content)
 *   @WHEN@     the first discretion row's condition (double-quoted)
 */
static const char tmpl[] =
    "ruleset:\n"
    "  id: t-limits\n"
    "  version: \"1\"\n"
    "  note: \"@NOTE@\"\n"
    "laws:\n"
    "  - id: aqsc\n"
    "    title: 中华人民共和国安全生产法\n"
    "    provisions:\n"
    "      - article: 97\n"
    "        stages:\n"
    "          - stage: first\n"
    "            orders: [@ORDERS@]\n"
    "            unit: { fine: { upto: 100000 } }\n"
    "domains:\n"
    "  - id: general\n"
    "    name: 通用\n"
    "    common: true\n"
    "    items:\n"
    "      - id: L-1\n"
    "        title: 培训\n"
    "        conduct: 未培训\n"
    "        violates: [aqsc:28.1]\n"
    "        penalty: aqsc:97\n"
    "        patterns: ['@PATTERN@']\n"
    "        facts:\n"
    "          n: { type: int }\n"
    "          s: { type: string }\n"
    "        discretion:\n"
    "          - when: \"@WHEN@\"\n"
    "            tier: heavier\n"
    "          - tier: normal\n"
    "profiles:\n"
    "  - id: default\n"
    "    title: 三档\n"
    "    tiers:\n"
    "      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
    "      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n";

/* Lines of the placeholders in tmpl. */
enum { NOTE_LINE = 4, ORDERS_LINE = 12, PATTERN_LINE = 24, WHEN_LINE = 29 };

/* The template with placeholders replaced (NULL: a default). */
static char *
rules(const char *note, const char *orders, const char *pattern,
      const char *when)
{
    struct sb b = {NULL, 0, 0};
    const char *p = tmpl, *q;

    while ((q = strchr(p, '@'))) {
        const char *e = strchr(q + 1, '@');
        size_t k = (size_t)(e - q - 1);
        const char *v;
        sb_add(&b, p, (size_t)(q - p));
        if (k == 4 && memcmp(q + 1, "NOTE", 4) == 0)
            v = note ? note : "";
        else if (k == 6 && memcmp(q + 1, "ORDERS", 6) == 0)
            v = orders ? orders : "责令限期改正";
        else if (k == 7 && memcmp(q + 1, "PATTERN", 7) == 0)
            v = pattern ? pattern : "未.{0,6}培训";
        else
            v = when ? when : "n > 3";
        sb_puts(&b, v);
        p = e + 1;
    }
    sb_puts(&b, p);
    return b.s;
}

/* `text` (freed) with the first `from` replaced by `to`. */
static char *
replace_once(char *text, const char *from, const char *to)
{
    char *p = strstr(text, from), *out;
    size_t a, fl = strlen(from), tl = strlen(to);

    ck_assert_ptr_nonnull(p);
    a = (size_t)(p - text);
    out = malloc(strlen(text) - fl + tl + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, text, a);
    memcpy(out + a, to, tl);
    strcpy(out + a + tl, p + fl);
    free(text);
    return out;
}

static zf_status
compile(const char *text, zf_error *err)
{
    zf_ruleset *rs = NULL;
    zf_error e = ZF_ERROR_INIT;
    zf_status rc;

    if (!err)
        err = &e;
    *err = (zf_error)ZF_ERROR_INIT;
    rc = zf_ruleset_compile(&rs, ctx, text, strlen(text), "limits.yaml",
                            err);
    zf_ruleset_unref(rs);
    return rc;
}

/* Compile and expect an error at line:col (col 0: any). */
static void
expect_error(const char *text, zf_status code, int diag, unsigned line,
             unsigned col)
{
    zf_error err;
    zf_status rc = compile(text, &err);

    ck_assert_msg(rc == code && err.diag == diag,
                  "expected %d [ZF-%03d], got %d [ZF-%03d] %s:%u:%u: %s",
                  code, diag, rc, err.diag, err.source, err.line, err.column,
                  err.message);
    ck_assert_int_eq(err.code, code);
    ck_assert_str_eq(err.source, "limits.yaml");
    if (line)
        ck_assert_uint_eq(err.line, line);
    if (col)
        ck_assert_uint_eq(err.column, col);
}

static void
expect_ok(const char *text)
{
    zf_error err;
    zf_status rc = compile(text, &err);

    ck_assert_msg(rc == ZF_OK, "expected success, got %d [ZF-%03d] "
                  "%s:%u:%u: %s", rc, err.diag, err.source, err.line,
                  err.column, err.message);
}

static zf_status
parse_case(const char *json, size_t len, zf_error *err)
{
    zf_case *cs = NULL;
    zf_status rc;

    *err = (zf_error)ZF_ERROR_INIT;
    rc = zf_case_parse(&cs, ctx, json, len, err);
    zf_case_free(cs);
    return rc;
}

static void
expect_case_error(const char *json, size_t len, zf_status code, int diag,
                  const char *path)
{
    zf_error err;
    zf_status rc = parse_case(json, len, &err);

    ck_assert_msg(rc == code && err.diag == diag,
                  "expected %d [ZF-%03d], got %d [ZF-%03d] %s: %s", code,
                  diag, rc, err.diag, err.path, err.message);
    if (path)
        ck_assert_str_eq(err.path, path);
}

#define set_limit(id, v) zf_context_set_limit(ctx, (id), (v))

/* ------------------------------------------------------------------ */
/* the limit API */

START_TEST(test_set_limit_api)
{
    ck_assert_int_eq(set_limit(ZF_LIMIT_YAML_DEPTH, -1), 32);
    ck_assert_int_eq(set_limit(ZF_LIMIT_YAML_DEPTH, 10), 32);
    ck_assert_int_eq(set_limit(ZF_LIMIT_YAML_DEPTH, 0), 10);
    ck_assert_int_eq(set_limit(ZF_LIMIT_YAML_DEPTH, -5), 1); /* clamped */
    ck_assert_int_eq(set_limit((zf_limit)ZF_LIMIT_COUNT_, 1), -1);
    ck_assert_int_eq(set_limit((zf_limit)-1, 1), -1);
    ck_assert_int_eq(zf_context_set_limit(NULL, ZF_LIMIT_MATCH, 1), -1);
    /* the documented defaults */
    ck_assert_int_eq(set_limit(ZF_LIMIT_FILE_SIZE, -1), 4L * 1024 * 1024);
    ck_assert_int_eq(set_limit(ZF_LIMIT_SCALAR_LENGTH, -1), 65536);
    ck_assert_int_eq(set_limit(ZF_LIMIT_RULES, -1), 10000);
    ck_assert_int_eq(set_limit(ZF_LIMIT_LIST_ITEMS, -1), 10000);
    ck_assert_int_eq(set_limit(ZF_LIMIT_EXPR_DEPTH, -1), 64);
    ck_assert_int_eq(set_limit(ZF_LIMIT_PATTERN_LENGTH, -1), 1000);
    ck_assert_int_eq(set_limit(ZF_LIMIT_REGEX_NEST, -1), 32);
    ck_assert_int_eq(set_limit(ZF_LIMIT_REGEX_SIZE, -1), 65536);
    ck_assert_int_eq(set_limit(ZF_LIMIT_MATCH, -1), 100000);
    ck_assert_int_eq(set_limit(ZF_LIMIT_MATCH_DEPTH, -1), 10000);
    ck_assert_int_eq(set_limit(ZF_LIMIT_MATCH_HEAP, -1), 8192);
    ck_assert_int_eq(set_limit(ZF_LIMIT_SUBJECT_LENGTH, -1), 65536);
    ck_assert_int_eq(set_limit(ZF_LIMIT_JSON_SIZE, -1), 1024L * 1024);
    ck_assert_int_eq(set_limit(ZF_LIMIT_JSON_DEPTH, -1), 32);
    ck_assert_int_eq(set_limit(ZF_LIMIT_VIOLATIONS, -1), 1000);
    ck_assert_int_eq(set_limit(ZF_LIMIT_FILES, -1), 1000);
}
END_TEST

/* ------------------------------------------------------------------ */
/* rule files */

START_TEST(test_file_size)
{
    char *text = rules(NULL, NULL, NULL, NULL);
    long len = (long)strlen(text);
    char path[] = "/tmp/zf-limits-XXXXXX";
    int fd = mkstemp(path);
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;

    set_limit(ZF_LIMIT_FILE_SIZE, len);
    expect_ok(text);
    set_limit(ZF_LIMIT_FILE_SIZE, len - 1);
    expect_error(text, ZF_ELIMIT, ZF_DIAG_LIMIT_FILE_SIZE, 0, 0);

    /* the same through a file (fstat, then the read loop) */
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, (size_t)len), len);
    close(fd);
    set_limit(ZF_LIMIT_FILE_SIZE, len);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, path, &err), ZF_OK);
    zf_ruleset_unref(rs);
    rs = NULL;
    set_limit(ZF_LIMIT_FILE_SIZE, len - 1);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, path, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_FILE_SIZE);
    ck_assert_ptr_null(rs);
    unlink(path);
    free(text);
}
END_TEST

START_TEST(test_yaml_depth)
{
    /* the template nests 5 deep (root, laws, law, provisions, provision,
     * stages, stage, unit, fine: 9); a note of k nested lists adds to the
     * root's 1 + 1 (ruleset) */
    struct sb note = {NULL, 0, 0};
    char *text = rules(NULL, NULL, NULL, NULL);
    char *deep;

    set_limit(ZF_LIMIT_YAML_DEPTH, 9);
    expect_ok(text);
    set_limit(ZF_LIMIT_YAML_DEPTH, 8);
    /* the 9th level is `fine: { upto: ... }` on line 13 */
    expect_error(text, ZF_ELIMIT, ZF_DIAG_LIMIT_DEPTH, 13, 27);
    free(text);

    /* 40 nested flow lists in a document of their own */
    sb_rep(&note, "[", 40);
    sb_rep(&note, "]", 40);
    set_limit(ZF_LIMIT_YAML_DEPTH, 40);
    /* depth is fine: the shape is wrong */
    expect_error(note.s, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE, 0, 0);
    set_limit(ZF_LIMIT_YAML_DEPTH, 39);
    expect_error(note.s, ZF_ELIMIT, ZF_DIAG_LIMIT_DEPTH, 1, 40);
    /* the default (32) stops 200,000 levels quickly */
    set_limit(ZF_LIMIT_YAML_DEPTH, 32);
    free(note.s);
    note.s = NULL;
    note.n = note.cap = 0;
    sb_rep(&note, "[", 200000);
    deep = note.s;
    expect_error(deep, ZF_ELIMIT, ZF_DIAG_LIMIT_DEPTH, 1, 33);
    free(deep);
}
END_TEST

START_TEST(test_scalar_length)
{
    struct sb note = {NULL, 0, 0};
    char *text;

    sb_rep(&note, "x", 5000);
    text = rules(note.s, NULL, NULL, NULL);
    set_limit(ZF_LIMIT_SCALAR_LENGTH, 5000);
    expect_ok(text);
    set_limit(ZF_LIMIT_SCALAR_LENGTH, 4999);
    expect_error(text, ZF_ELIMIT, ZF_DIAG_LIMIT_SCALAR, NOTE_LINE, 9);
    free(text);
    free(note.s);
}
END_TEST

START_TEST(test_list_items)
{
    /* a sequence of 50 orders; the largest mapping has fewer entries */
    struct sb orders = {NULL, 0, 0};
    char *text;
    int i;

    for (i = 0; i < 50; i++)
        sb_puts(&orders, i ? ", 责令改正" : "责令改正");
    text = rules(NULL, orders.s, NULL, NULL);
    set_limit(ZF_LIMIT_LIST_ITEMS, 50);
    expect_ok(text);
    set_limit(ZF_LIMIT_LIST_ITEMS, 49);
    expect_error(text, ZF_ELIMIT, ZF_DIAG_LIMIT_COUNT, ORDERS_LINE, 0);
    free(text);
    free(orders.s);
}
END_TEST

START_TEST(test_map_entries)
{
    /* a mapping of 12 pairs (the item L-1 has 9 keys) */
    static const char doc[] =
        "{a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, "
        "k: 11, l: 12}";

    set_limit(ZF_LIMIT_LIST_ITEMS, 12);
    expect_error(doc, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_KEY, 1, 2);
    set_limit(ZF_LIMIT_LIST_ITEMS, 11);
    expect_error(doc, ZF_ELIMIT, ZF_DIAG_LIMIT_COUNT, 1, 0);
}
END_TEST

START_TEST(test_rules_and_files)
{
    char dir[1024];
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    long items, files;

    snprintf(dir, sizeof(dir), "%s", zt_source_path("rules"));
    ck_assert_msg(zf_ruleset_load(&rs, ctx, dir, &err) == ZF_OK, "%s",
                  err.message);
    items = (long)zf_ruleset_item_count(rs);
    files = (long)rs->n_files;
    zf_ruleset_unref(rs);
    rs = NULL;

    set_limit(ZF_LIMIT_RULES, items);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_OK);
    zf_ruleset_unref(rs);
    rs = NULL;
    set_limit(ZF_LIMIT_RULES, items - 1);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_COUNT);
    ck_assert_uint_gt(err.line, 0);
    set_limit(ZF_LIMIT_RULES, 10000);

    set_limit(ZF_LIMIT_FILES, files);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_OK);
    zf_ruleset_unref(rs);
    rs = NULL;
    set_limit(ZF_LIMIT_FILES, files - 1);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_COUNT);
    ck_assert_ptr_null(rs);
}
END_TEST

/* The smallest EXPR_DEPTH limit that compiles `when`. */
static long
min_expr_depth(const char *when)
{
    char *text = rules(NULL, NULL, NULL, when);
    long d;

    for (d = 1; d < 200; d++) {
        set_limit(ZF_LIMIT_EXPR_DEPTH, d);
        if (compile(text, NULL) == ZF_OK)
            break;
    }
    free(text);
    return d;
}

START_TEST(test_expr_depth)
{
    struct sb w = {NULL, 0, 0};
    char *text;
    long d10, d11;
    zf_error err;

    /* 10 nested parentheses need exactly one level more than 9 */
    sb_rep(&w, "(", 10);
    sb_puts(&w, "n > 3");
    sb_rep(&w, ")", 10);
    d10 = min_expr_depth(w.s);
    free(w.s);
    w.s = NULL;
    w.n = w.cap = 0;
    sb_rep(&w, "(", 11);
    sb_puts(&w, "n > 3");
    sb_rep(&w, ")", 11);
    d11 = min_expr_depth(w.s);
    ck_assert_int_lt(d10, 200);
    ck_assert_int_eq(d11, d10 + 1);

    text = rules(NULL, NULL, NULL, w.s);
    set_limit(ZF_LIMIT_EXPR_DEPTH, d11);
    expect_ok(text);
    set_limit(ZF_LIMIT_EXPR_DEPTH, d11 - 1);
    ck_assert_int_eq(compile(text, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_EXPR);
    ck_assert_uint_eq(err.line, WHEN_LINE);
    /* the column points into the expression */
    ck_assert_uint_gt(err.column, 18);
    ck_assert_uint_le(err.column, 18 + 11 + 5 + 11);
    free(text);

    /* the default stops 10,000 parentheses */
    set_limit(ZF_LIMIT_EXPR_DEPTH, 64);
    free(w.s);
    w.s = NULL;
    w.n = w.cap = 0;
    sb_rep(&w, "(", 10000);
    sb_puts(&w, "n > 3");
    sb_rep(&w, ")", 10000);
    text = rules(NULL, NULL, NULL, w.s);
    ck_assert_int_eq(compile(text, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_EXPR);
    free(text);
    free(w.s);

    /* so are long chains of unary minus and `not` */
    w.s = NULL;
    w.n = w.cap = 0;
    sb_rep(&w, "not ", 5000);
    sb_puts(&w, "n > 3");
    text = rules(NULL, NULL, NULL, w.s);
    ck_assert_int_eq(compile(text, &err), ZF_ELIMIT);
    free(text);
    free(w.s);
    w.s = NULL;
    w.n = w.cap = 0;
    sb_rep(&w, "-", 5000);
    sb_puts(&w, "n > 3");
    text = rules(NULL, NULL, NULL, w.s);
    ck_assert_int_eq(compile(text, &err), ZF_ELIMIT);
    free(text);
    free(w.s);
}
END_TEST

START_TEST(test_pattern_length)
{
    struct sb pat = {NULL, 0, 0};
    struct sb when = {NULL, 0, 0};
    char *text;
    zf_error err;

    sb_rep(&pat, "a", 300);
    text = rules(NULL, NULL, pat.s, NULL);
    set_limit(ZF_LIMIT_PATTERN_LENGTH, 300);
    expect_ok(text);
    set_limit(ZF_LIMIT_PATTERN_LENGTH, 299);
    expect_error(text, ZF_ELIMIT, ZF_DIAG_LIMIT_PATTERN, PATTERN_LINE, 0);
    free(text);

    /* a `matches` pattern in a condition is held to the same limit */
    sb_puts(&when, "s matches \\\"");
    sb_puts(&when, pat.s);
    sb_puts(&when, "\\\"");
    text = rules(NULL, NULL, NULL, when.s);
    set_limit(ZF_LIMIT_PATTERN_LENGTH, 300);
    expect_ok(text);
    set_limit(ZF_LIMIT_PATTERN_LENGTH, 299);
    ck_assert_int_ne(compile(text, &err), ZF_OK);
    ck_assert_msg(err.code == ZF_ELIMIT || err.code == ZF_EREGEX,
                  "%d %s", err.code, err.message);
    ck_assert_uint_eq(err.line, WHEN_LINE);
    ck_assert_ptr_nonnull(strstr(err.message, "299"));
    free(text);
    free(when.s);
    free(pat.s);
}
END_TEST

START_TEST(test_regex_nesting)
{
    struct sb pat = {NULL, 0, 0};
    char *text;
    zf_error err;

    sb_rep(&pat, "(", 20);
    sb_puts(&pat, "培训");
    sb_rep(&pat, ")", 20);
    text = rules(NULL, NULL, pat.s, NULL);
    set_limit(ZF_LIMIT_REGEX_NEST, 20);
    expect_ok(text);
    set_limit(ZF_LIMIT_REGEX_NEST, 19);
    ck_assert_int_eq(compile(text, &err), ZF_EREGEX);
    ck_assert_int_eq(err.diag, ZF_DIAG_REGEX);
    ck_assert_uint_eq(err.line, PATTERN_LINE);
    /* PCRE2's offset (at the 20th parenthesis) maps to a column inside
     * the pattern, which starts at column 21 */
    ck_assert_uint_ge(err.column, 21);
    ck_assert_uint_le(err.column, 21 + 20);
    free(text);
    free(pat.s);
}
END_TEST

START_TEST(test_regex_size)
{
    /* find the compiled size by bisection: accepted at S, not at S - 1 */
    char *text = rules(NULL, NULL, "(培训|教育){1,20}[a-z]{3,40}", NULL);
    long lo = 1, hi = 65536, s;
    zf_error err;

    set_limit(ZF_LIMIT_REGEX_SIZE, hi);
    expect_ok(text);
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        set_limit(ZF_LIMIT_REGEX_SIZE, mid);
        if (compile(text, NULL) == ZF_OK)
            hi = mid;
        else
            lo = mid + 1;
    }
    s = lo;
    ck_assert_int_gt(s, 100);
    set_limit(ZF_LIMIT_REGEX_SIZE, s);
    expect_ok(text);
    set_limit(ZF_LIMIT_REGEX_SIZE, s - 1);
    ck_assert_int_eq(compile(text, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_PATTERN);
    ck_assert_uint_eq(err.line, PATTERN_LINE);
    free(text);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the regex match limit: fail closed */

static const char redos_rules[] =
    "ruleset: { id: t-redos, version: \"1\" }\n"
    "laws:\n"
    "  - id: aqsc\n"
    "    title: 中华人民共和国安全生产法\n"
    "    provisions:\n"
    "      - article: 97\n"
    "        stages:\n"
    "          - stage: first\n"
    "            unit: { fine: { upto: 100000 } }\n"
    "domains:\n"
    "  - id: general\n"
    "    name: 通用\n"
    "    common: true\n"
    "    items:\n"
    "      - id: A-1\n"
    "        title: 培训\n"
    "        conduct: 未培训\n"
    "        violates: [aqsc:28.1]\n"
    "        penalty: aqsc:97\n"
    "        patterns: ['未培训']\n"
    "      - id: R-1\n"
    "        title: 回溯\n"
    "        conduct: 回溯\n"
    "        violates: [aqsc:28.1]\n"
    "        penalty: aqsc:97\n"
    "        patterns: ['(a+)+$']\n"
    "        facts:\n"
    "          s: { type: string }\n"
    "        discretion:\n"
    "          - { when: s matches \"^(x+x+)+$\", tier: heavier }\n"
    "          - { tier: normal }\n"
    "profiles:\n"
    "  - id: default\n"
    "    title: 三档\n"
    "    tiers:\n"
    "      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
    "      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n";

/* Evaluate a one-violation case with a fresh evaluator (the match limits
 * are taken from the context when the evaluator is created). */
static zf_status
eval_case(const zf_ruleset *rs, const char *json, zf_error *err,
          char **item)
{
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_status rc;

    *err = (zf_error)ZF_ERROR_INIT;
    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, json, strlen(json), err), ZF_OK);
    rc = zf_evaluate(&dec, ev, rs, cs, err);
    if (item) {
        const char *it = rc == ZF_OK ? zf_decision_item(dec, 0) : NULL;
        *item = it ? strdup(it) : NULL;
    }
    zf_decision_free(dec);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    return rc;
}

START_TEST(test_match_limit)
{
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *item = NULL;
    long lo = 1, hi = 100000, m;
    static const char catastrophic[] =
        "{\"violations\":[{\"text\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}]}";
    static const char short_one[] =
        "{\"violations\":[{\"text\":\"aaaaaaaa!\"}]}";

    ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, redos_rules,
                                        sizeof(redos_rules) - 1, "redos.yaml",
                                        &err), ZF_OK);
    /* 30 × 'a' + '!' against (a+)+$ with the default limit: indeterminate,
     * naming the item, never "no match" */
    ck_assert_int_eq(eval_case(rs, catastrophic, &err, NULL),
                     ZF_EINDETERMINATE);
    ck_assert_int_eq(err.code, ZF_EINDETERMINATE);
    ck_assert_int_eq(err.diag, ZF_DIAG_REGEX_LIMIT);
    ck_assert_str_eq(err.rule_id, "R-1");
    ck_assert_ptr_nonnull(strstr(err.message, "R-1"));
    ck_assert_ptr_nonnull(strstr(err.message, "violations[0]"));

    /* an ordinary finding still matches its item */
    ck_assert_int_eq(eval_case(rs, "{\"violations\":[{\"text\":\"未培训\"}]}",
                               &err, &item), ZF_OK);
    ck_assert_str_eq(item, "A-1");
    free(item);

    /* the boundary: the smallest limit under which 8 × 'a' + '!' is
     * decided (no match) is M; M - 1 is indeterminate */
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        set_limit(ZF_LIMIT_MATCH, mid);
        if (eval_case(rs, short_one, &err, NULL) == ZF_OK)
            hi = mid;
        else
            lo = mid + 1;
    }
    m = lo;
    ck_assert_int_gt(m, 8);
    set_limit(ZF_LIMIT_MATCH, m);
    ck_assert_int_eq(eval_case(rs, short_one, &err, &item), ZF_OK);
    ck_assert_ptr_null(item);     /* unmatched, decided */
    set_limit(ZF_LIMIT_MATCH, m - 1);
    ck_assert_int_eq(eval_case(rs, short_one, &err, NULL),
                     ZF_EINDETERMINATE);
    ck_assert_str_eq(err.rule_id, "R-1");

    /* a `matches` condition that backtracks is indeterminate as well */
    set_limit(ZF_LIMIT_MATCH, 100000);
    ck_assert_int_eq(
        eval_case(rs,
                  "{\"violations\":[{\"item\":\"R-1\",\"facts\":{\"s\":"
                  "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx!\"}}]}",
                  &err, NULL),
        ZF_EINDETERMINATE);
    ck_assert_str_eq(err.rule_id, "R-1");
    zf_ruleset_unref(rs);
}
END_TEST

/* ------------------------------------------------------------------ */
/* cases */

START_TEST(test_json_size)
{
    static const char json[] = "{\"violations\":[{\"text\":\"未培训\"}]}";
    zf_error err;

    set_limit(ZF_LIMIT_JSON_SIZE, (long)sizeof(json) - 1);
    ck_assert_int_eq(parse_case(json, sizeof(json) - 1, &err), ZF_OK);
    set_limit(ZF_LIMIT_JSON_SIZE, (long)sizeof(json) - 2);
    expect_case_error(json, sizeof(json) - 1, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON,
                      NULL);
}
END_TEST

START_TEST(test_json_depth)
{
    /* depth 4: root, violations, violation, facts */
    static const char json[] =
        "{\"violations\":[{\"text\":\"x\",\"facts\":{\"s\":\"a\"}}]}";
    struct sb deep = {NULL, 0, 0};
    zf_error err;

    deep.s = strdup("");
    set_limit(ZF_LIMIT_JSON_DEPTH, 4);
    ck_assert_int_eq(parse_case(json, sizeof(json) - 1, &err), ZF_OK);
    set_limit(ZF_LIMIT_JSON_DEPTH, 3);
    expect_case_error(json, sizeof(json) - 1, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON,
                      NULL);
    ck_assert_int_eq(parse_case(json, sizeof(json) - 1, &err), ZF_ELIMIT);
    ck_assert_uint_eq(err.line, 1);
    ck_assert_uint_eq(err.column, 36);   /* the facts object */

    /* Regression: a limit above cJSON's own cap (1000) made deep input a
     * false ZF_ENOMEM; the limit is clamped to 1000, which cJSON takes */
    free(deep.s);
    deep.s = NULL;
    deep.n = deep.cap = 0;
    ck_assert_int_eq(set_limit(ZF_LIMIT_JSON_DEPTH, 5000), 3);
    ck_assert_int_eq(set_limit(ZF_LIMIT_JSON_DEPTH, -1), 1000);
    sb_puts(&deep, "{\"violations\":[{\"text\":\"x\",\"facts\":{\"s\":");
    sb_rep(&deep, "[", 996);
    sb_rep(&deep, "]", 996);
    sb_puts(&deep, "}}]}");
    /* 1000 levels: parsed (and the fact is rejected as a list: EINPUT) */
    ck_assert_int_eq(parse_case(deep.s, deep.n, &err), ZF_EINPUT);
    free(deep.s);
    deep.s = NULL;
    deep.n = deep.cap = 0;
    sb_puts(&deep, "{\"violations\":[{\"text\":\"x\",\"facts\":{\"s\":");
    sb_rep(&deep, "[", 997);
    sb_rep(&deep, "]", 997);
    sb_puts(&deep, "}}]}");
    expect_case_error(deep.s, deep.n, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON, NULL);
    free(deep.s);
    deep.s = NULL;
    deep.n = deep.cap = 0;

    /* 100,000 brackets: stopped at the default (32), below cJSON's 1000 */
    set_limit(ZF_LIMIT_JSON_DEPTH, 32);
    sb_rep(&deep, "[", 100000);
    expect_case_error(deep.s, deep.n, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON, NULL);
    free(deep.s);
}
END_TEST

START_TEST(test_violations)
{
    struct sb j = {NULL, 0, 0};
    zf_error err;
    int i;

    sb_puts(&j, "{\"violations\":[");
    for (i = 0; i < 20; i++)
        sb_puts(&j, i ? ",{\"text\":\"未培训\"}" : "{\"text\":\"未培训\"}");
    sb_puts(&j, "]}");
    set_limit(ZF_LIMIT_VIOLATIONS, 20);
    ck_assert_int_eq(parse_case(j.s, j.n, &err), ZF_OK);
    set_limit(ZF_LIMIT_VIOLATIONS, 19);
    expect_case_error(j.s, j.n, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON,
                      "violations");
    free(j.s);
}
END_TEST

START_TEST(test_subject_length)
{
    struct sb j = {NULL, 0, 0};
    zf_error err;

    sb_puts(&j, "{\"violations\":[{\"text\":\"未培训");   /* 9 bytes */
    sb_rep(&j, "x", 91);
    sb_puts(&j, "\"}]}");
    set_limit(ZF_LIMIT_SUBJECT_LENGTH, 100);
    ck_assert_int_eq(parse_case(j.s, j.n, &err), ZF_OK);
    set_limit(ZF_LIMIT_SUBJECT_LENGTH, 99);
    expect_case_error(j.s, j.n, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON,
                      "violations[0].text");
    free(j.s);
}
END_TEST

START_TEST(test_case_content)
{
    /* \u0000, invalid UTF-8, a lone surrogate, duplicate keys */
    static const char nul[] = "{\"violations\":[{\"text\":\"a\\u0000b\"}]}";
    static const char bad[] = "{\"violations\":[{\"text\":\"a\xC3\x28\"}]}";
    static const char sur[] = "{\"violations\":[{\"text\":\"\\ud800\"}]}";
    static const char dup[] =
        "{\"violations\":[{\"text\":\"a\",\"text\":\"b\"}]}";
    static const char raw_nul[] = "{\"violations\":[{\"text\":\"a\0b\"}]}";

    expect_case_error(nul, sizeof(nul) - 1, ZF_EINPUT,
                      ZF_DIAG_CASE_BAD_UTF8, "violations[0].text");
    expect_case_error(bad, sizeof(bad) - 1, ZF_EINPUT,
                      ZF_DIAG_CASE_BAD_UTF8, NULL);
    expect_case_error(sur, sizeof(sur) - 1, ZF_EINPUT,
                      ZF_DIAG_CASE_BAD_UTF8, NULL);
    expect_case_error(dup, sizeof(dup) - 1, ZF_EINPUT, ZF_DIAG_CASE_DUP_KEY,
                      "violations[0].text");
    ck_assert_int_ne(parse_case(raw_nul, sizeof(raw_nul) - 1,
                                &(zf_error)ZF_ERROR_INIT), ZF_OK);
}
END_TEST

START_TEST(test_money)
{
    /* JSON numbers are doubles: 9007199254740993 (2^53 + 1) reads as
     * 2^53 and is accepted as 2^53 (docs/limits.md); 2^53 + 2 is out */
    static const char *const bad[] = {
        "1.5", "-1", "9007199254740994", "1e300", "-0.5",
        "99999999999999999999999", "1e16",
    };
    static const char *const good[] = {"0", "9007199254740992", "100",
                                       "1e3", "2.0"};
    char json[256];
    zf_error err;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(json, sizeof(json),
                 "{\"violations\":[{\"text\":\"a\",\"illegal_income\":%s}]}",
                 bad[i]);
        ck_assert_msg(parse_case(json, strlen(json), &err) == ZF_EINPUT,
                      "%s accepted", bad[i]);
        ck_assert_int_eq(err.diag, ZF_DIAG_CASE_BAD_MONEY);
        ck_assert_str_eq(err.path, "violations[0].illegal_income");
        snprintf(json, sizeof(json),
                 "{\"persons\":[{\"id\":\"p\",\"role\":\"principal\","
                 "\"annual_income\":%s}],\"violations\":[]}", bad[i]);
        ck_assert_msg(parse_case(json, strlen(json), &err) == ZF_EINPUT,
                      "annual_income %s accepted", bad[i]);
        ck_assert_int_eq(err.diag, ZF_DIAG_CASE_BAD_MONEY);
    }
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(json, sizeof(json),
                 "{\"violations\":[{\"text\":\"a\",\"illegal_income\":%s}]}",
                 good[i]);
        ck_assert_msg(parse_case(json, strlen(json), &err) == ZF_OK,
                      "%s: %s", good[i], err.message);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* YAML: the strict subset */

START_TEST(test_billion_laughs)
{
    static const char lol[] =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    char *text;

    expect_error(lol, ZF_ESCHEMA, ZF_DIAG_ALIAS, 1, 4);
    expect_error("a: [x]\nb: *a\n", ZF_ESCHEMA, ZF_DIAG_ALIAS, 2, 4);
    expect_error("&a [*a]\n", ZF_ESCHEMA, ZF_DIAG_ALIAS, 1, 1);
    expect_error("a: &x b\n", ZF_ESCHEMA, ZF_DIAG_ALIAS, 1, 4);
    /* inside an otherwise valid rule set */
    text = rules("&n x", NULL, NULL, NULL);
    expect_ok(text);   /* quoted: just text */
    free(text);
}
END_TEST

START_TEST(test_tags_docs_dups)
{
    char *text;

    expect_error("a: !!str b\n", ZF_ESCHEMA, ZF_DIAG_TAG, 1, 4);
    expect_error("a: !custom [1]\n", ZF_ESCHEMA, ZF_DIAG_TAG, 1, 4);
    expect_error("--- !!map\na: b\n", ZF_ESCHEMA, ZF_DIAG_TAG, 1, 5);
    expect_error("a: b\n---\nc: d\n", ZF_ESYNTAX, ZF_DIAG_MULTI_DOC, 2, 1);
    expect_error("a: b\nc: d\na: e\n", ZF_ESCHEMA, ZF_DIAG_DUPLICATE_KEY, 3,
                 1);
    expect_error("{a: 1, \"a\": 2}", ZF_ESCHEMA, ZF_DIAG_DUPLICATE_KEY, 1, 8);
    expect_error("? [a]\n: b\n", ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE, 1, 3);
    expect_error("", ZF_ESCHEMA, ZF_DIAG_EMPTY, 1, 1);
    expect_error("# only a comment\n", ZF_ESCHEMA, ZF_DIAG_EMPTY, 1, 1);
    text = rules(NULL, NULL, NULL, NULL);
    expect_ok(text);
    free(text);
}
END_TEST

START_TEST(test_utf8_and_nul)
{
    static const char bad[] = "ruleset:\n  id: t\n  note: \"ab\xC3\x28\"\n";
    static const char overlong[] = "a: \xC0\xAF\n";
    static const char nul[] = "a: b\n  c\0d\n";
    static const char esc_nul[] = "a: \"b\\0c\"\n";
    static const char surrogate[] = "a: \"\\ud800\"\n";

    expect_error(bad, ZF_ESYNTAX, ZF_DIAG_BAD_UTF8, 3, 12);
    expect_error(overlong, ZF_ESYNTAX, ZF_DIAG_BAD_UTF8, 1, 4);
    {
        zf_ruleset *rs = NULL;
        zf_error err = ZF_ERROR_INIT;
        ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, nul, sizeof(nul) - 1,
                                            "limits.yaml", &err),
                         ZF_ESYNTAX);
        ck_assert_int_eq(err.diag, ZF_DIAG_BAD_UTF8);
        ck_assert_uint_eq(err.line, 2);
        ck_assert_uint_eq(err.column, 4);
        ck_assert_uint_eq(err.offset, 8);
    }
    /* an escaped NUL becomes a NUL in the value: rejected in the scalar */
    expect_error(esc_nul, ZF_ESYNTAX, ZF_DIAG_BAD_UTF8, 1, 4);
    {
        zf_error err;
        ck_assert_int_ne(compile(surrogate, &err), ZF_OK);
        ck_assert_uint_eq(err.line, 1);
    }
}
END_TEST

START_TEST(test_rule_money)
{
    char *text = rules(NULL, NULL, NULL, NULL);
    char *p = strstr(text, "upto: 100000");
    char *t2;
    zf_error err;
    size_t off = (size_t)(p - text);

    ck_assert_ptr_nonnull(p);
    t2 = malloc(strlen(text) + 64);
    /* non-integral */
    memcpy(t2, text, off);
    strcpy(t2 + off, "upto: 1000.5");
    strcat(t2, p + strlen("upto: 100000"));
    ck_assert_int_eq(compile(t2, &err), ZF_ESCHEMA);
    ck_assert_uint_eq(err.line, 13);
    /* beyond 2^53 and beyond int64 */
    strcpy(t2 + off, "upto: 9007199254740993");
    strcat(t2, p + strlen("upto: 100000"));
    ck_assert_int_eq(compile(t2, &err), ZF_ESCHEMA);
    ck_assert_uint_eq(err.line, 13);
    strcpy(t2 + off, "upto: 99999999999999999999999");
    strcat(t2, p + strlen("upto: 100000"));
    ck_assert_int_eq(compile(t2, &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_BAD_VALUE);
    ck_assert_uint_eq(err.line, 13);
    free(t2);
    free(text);
}
END_TEST

/* Regression (fuzz-ruleset, tests/fuzz/regress/ruleset/eof-*): an error
 * at the end of an input without a final line break was reported on a
 * line past the last; and err.offset was libyaml's character index, not
 * a byte offset. */
START_TEST(test_error_positions)
{
    static const char eof[] = "a: {b: c";
    static const char eof_mb[] = "\xC3\xA9: [b";        /* é: [b */
    static const char alias[] = "\xE5\x90\x8D: x\nb: *a\n"; /* 名: x */
    zf_error err;

    expect_error(eof, ZF_ESYNTAX, ZF_DIAG_YAML_SYNTAX, 1, 9);
    compile(eof, &err);
    ck_assert_uint_eq(err.offset, 8);
    expect_error(eof_mb, ZF_ESYNTAX, ZF_DIAG_YAML_SYNTAX, 1, 6);
    compile(eof_mb, &err);
    ck_assert_uint_eq(err.offset, 6);
    expect_error("a: {b: c\n", ZF_ESYNTAX, ZF_DIAG_YAML_SYNTAX, 2, 1);
    expect_error(alias, ZF_ESCHEMA, ZF_DIAG_ALIAS, 2, 4);
    compile(alias, &err);
    ck_assert_uint_eq(err.offset, 10);
    /* a BOM is not a character */
    expect_error("\xEF\xBB\xBF" "a: [b", ZF_ESYNTAX, ZF_DIAG_YAML_SYNTAX, 1,
                 6);
    /* Regression (regress/ruleset/empty-document-at-eof.yaml): an empty
     * node at the end of an input without a final line break */
    expect_error("---", ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE, 1, 4);
    expect_error("---\n", ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE, 2, 1);
    /* Regression (regress/ruleset/utf8-error-cr-lines.yaml): invalid UTF-8
     * is positioned counting every line break libyaml counts */
    expect_error("# x\rruleset:\r  id: t\r  note: \"\x83\"\r", ZF_ESYNTAX,
                 ZF_DIAG_BAD_UTF8, 4, 10);
    expect_error("a: b\r\nc: \xC0\xAF\n", ZF_ESYNTAX, ZF_DIAG_BAD_UTF8, 2, 4);
    expect_error("a: b\xC2\x85" "c: \xFF", ZF_ESYNTAX, ZF_DIAG_BAD_UTF8, 2, 4);
}
END_TEST

/* Regression (regress/ruleset/column-multiline-scalar.yaml): an error on a
 * later line of a multi-line pattern was given a column past the end of the
 * scalar's first line; it now points at the scalar. */
START_TEST(test_multiline_pattern_column)
{
    char *text = rules(NULL, NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                       "\n          [z-a]", NULL);

    /* `        patterns: ['` puts the scalar at column 20 */
    expect_error(text, ZF_EREGEX, ZF_DIAG_REGEX, PATTERN_LINE, 20);
    free(text);
    /* the same with CR line breaks inside the scalar
     * (regress/ruleset/column-multiline-scalar-cr.yaml) */
    text = rules(NULL, NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "\r\r          [z-a]", NULL);
    expect_error(text, ZF_EREGEX, ZF_DIAG_REGEX, PATTERN_LINE, 20);
    free(text);
    /* a plain multi-line condition, and a block scalar
     * (regress/ruleset/column-multiline-plain-scalar.yaml) */
    text = replace_once(rules(NULL, NULL, NULL, "n > 3"), "when: \"n > 3\"",
                        "when: n >\n              nope");
    expect_error(text, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_NAME, WHEN_LINE, 19);
    free(text);
    text = replace_once(rules(NULL, NULL, NULL, "n > 3"), "when: \"n > 3\"",
                        "when: |\n              nope > 3");
    expect_error(text, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_NAME, WHEN_LINE, 19);
    free(text);
    /* on its first line the column is exact */
    text = rules(NULL, NULL, "ab[z-a]", NULL);
    expect_error(text, ZF_EREGEX, ZF_DIAG_REGEX, PATTERN_LINE, 0);
    free(text);
}
END_TEST

/* Regression (regress/ruleset/qsort-null.yaml, UBSan): a rule set without
 * provisions or items sorted NULL arrays. */
START_TEST(test_no_provisions_no_items)
{
    static const char text[] =
        "ruleset: { id: t, version: \"1\" }\n"
        "laws:\n"
        "  - id: aqsc\n"
        "    title: 法\n"
        "    provisions: []\n"
        "profiles:\n"
        "  - id: default\n"
        "    title: 三档\n"
        "    tiers:\n"
        "      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
        "      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n";

    expect_ok(text);
}
END_TEST

static Suite *
limits_suite(void)
{
    Suite *s = suite_create("limits");
    TCase *api = tcase_create("api");
    TCase *rf = tcase_create("rule-files");
    TCase *re = tcase_create("regex");
    TCase *cs = tcase_create("cases");
    TCase *y = tcase_create("yaml-subset");

    tcase_add_checked_fixture(api, setup, teardown);
    tcase_add_test(api, test_set_limit_api);
    suite_add_tcase(s, api);

    tcase_add_checked_fixture(rf, setup, teardown);
    tcase_set_timeout(rf, 120);
    tcase_add_test(rf, test_file_size);
    tcase_add_test(rf, test_yaml_depth);
    tcase_add_test(rf, test_scalar_length);
    tcase_add_test(rf, test_list_items);
    tcase_add_test(rf, test_map_entries);
    tcase_add_test(rf, test_rules_and_files);
    tcase_add_test(rf, test_expr_depth);
    tcase_add_test(rf, test_rule_money);
    suite_add_tcase(s, rf);

    tcase_add_checked_fixture(re, setup, teardown);
    tcase_set_timeout(re, 120);
    tcase_add_test(re, test_pattern_length);
    tcase_add_test(re, test_regex_nesting);
    tcase_add_test(re, test_regex_size);
    tcase_add_test(re, test_match_limit);
    suite_add_tcase(s, re);

    tcase_add_checked_fixture(cs, setup, teardown);
    tcase_add_test(cs, test_json_size);
    tcase_add_test(cs, test_json_depth);
    tcase_add_test(cs, test_violations);
    tcase_add_test(cs, test_subject_length);
    tcase_add_test(cs, test_case_content);
    tcase_add_test(cs, test_money);
    suite_add_tcase(s, cs);

    tcase_add_checked_fixture(y, setup, teardown);
    tcase_add_test(y, test_billion_laughs);
    tcase_add_test(y, test_tags_docs_dups);
    tcase_add_test(y, test_utf8_and_nul);
    tcase_add_test(y, test_error_positions);
    tcase_add_test(y, test_multiline_pattern_column);
    tcase_add_test(y, test_no_provisions_no_items);
    suite_add_tcase(s, y);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(limits_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
