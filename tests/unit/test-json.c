/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-private.h"
#include "util-private.h"
#include "test-common.h"

/* ---- table of inputs ---- */

struct jcase {
    const char *text;
    size_t len;
    unsigned depth;
    zf_status code;
    int diag;
    size_t offset;
    unsigned line, column;
    const char *path;
    const char *message;
};

#define OKD(s, d) {s, sizeof(s) - 1, d, ZF_OK, 0, 0, 0, 0, "", ""}
#define OK(s) OKD(s, 32)
#define SYN(s, off, l, c, p, m) \
    {s, sizeof(s) - 1, 32, ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, off, l, c, p, m}
#define UTF(s, off, l, c, p, m) \
    {s, sizeof(s) - 1, 32, ZF_EINPUT, ZF_DIAG_CASE_BAD_UTF8, off, l, c, p, m}
#define DUP(s, off, l, c, p, m) \
    {s, sizeof(s) - 1, 32, ZF_EINPUT, ZF_DIAG_CASE_DUP_KEY, off, l, c, p, m}
#define LIM(s, d, off, l, c, p, m) \
    {s, sizeof(s) - 1, d, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON, off, l, c, p, m}

static const struct jcase cases[] = {
    /* valid */
    OK("0"),
    OK("-0"),
    OK("-0.0e+10"),
    OK("1E5"),
    OK("1.5e-3"),
    OK("123456789012345678901234567890.0"),
    OK("9007199254740992"),
    OK("-9007199254740992"),
    OK("1e999"),
    OK("\"x\""),
    OK("true"),
    OK("false"),
    OK("null"),
    OK("[]"),
    OK("{}"),
    OK(" \t\r\n[ 1 , 2 ] \n"),
    OK("{\"a\":{\"b\":[1,{\"c\":null}]}}"),
    OK("\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\\"\\\\\""),
    OK("\"\\uDBFF\\uDFFF\""),
    OK("\"未按规定培训\""),
    OK("\"\x7F\""),
    OK("\"\xF4\x8F\xBF\xBF\xEF\xBF\xBF\""),
    OK("{\"a\":1,\"b\":1}"),
    OK("[{\"a\":1},{\"a\":2}]"),
    OK("{\"a\":{\"a\":{\"a\":1}}}"),
    OK("{\"\":1,\" \":2}"),
    OK("{\"\\u0061x\":1,\"ab\":2}"),
    OK("{\"ab\":1,\"a\":2,\"abc\":3,\"a\\u0063\":4}"),
    OK("{\"a\":[],\"b\":{},\"c\":[{}]}"),
    OK("[1,[2,[3,[4]]]]"),
    OKD("[[[1]]]", 3),
    OKD("1", 0),

    /* grammar */
    SYN("", 0, 1, 1, "", "empty input"),
    SYN("   ", 3, 1, 4, "", "empty input"),
    SYN(" \n\t\r", 4, 2, 3, "", "empty input"),
    SYN("[1,]", 3, 1, 4, "[1]", "trailing comma"),
    SYN("{\"a\":1,}", 7, 1, 8, "", "trailing comma"),
    SYN("{\"a\":1 \"b\":2}", 7, 1, 8, "", "expected ',' or '}'"),
    SYN("[1 2]", 3, 1, 4, "", "expected ',' or ']'"),
    SYN("01", 0, 1, 1, "", "invalid number: leading zero"),
    SYN("-", 1, 1, 2, "", "invalid number: expected a digit"),
    SYN("1.", 2, 1, 3, "", "invalid number: expected a digit"),
    SYN("1.e5", 2, 1, 3, "", "invalid number: expected a digit"),
    SYN("1e+", 3, 1, 4, "", "invalid number: expected a digit"),
    SYN("+1", 0, 1, 1, "", "expected a value"),
    SYN(".5", 0, 1, 1, "", "expected a value"),
    SYN("NaN", 0, 1, 1, "", "expected a value"),
    SYN("[Infinity]", 1, 1, 2, "[0]", "expected a value"),
    SYN("-Infinity", 1, 1, 2, "", "invalid number: expected a digit"),
    SYN("[-01]", 2, 1, 3, "[0]", "invalid number: leading zero"),
    SYN("[-]", 2, 1, 3, "[0]", "invalid number: expected a digit"),
    SYN("0x10", 1, 1, 2, "", "trailing characters after the value"),
    SYN("tru", 3, 1, 4, "", "unexpected end of input"),
    SYN("trux", 0, 1, 1, "", "invalid literal"),
    SYN("[nul]", 1, 1, 2, "[0]", "invalid literal"),
    SYN("[1] x", 4, 1, 5, "", "trailing characters after the value"),
    SYN("1 2", 2, 1, 3, "", "trailing characters after the value"),
    SYN("[1]]", 3, 1, 4, "", "trailing characters after the value"),
    SYN("{\"a\":1}}", 7, 1, 8, "", "trailing characters after the value"),
    SYN("// c\n1", 0, 1, 1, "", "expected a value"),
    SYN("/* */ 1", 0, 1, 1, "", "expected a value"),
    SYN("'a'", 0, 1, 1, "", "expected a value"),
    SYN("{a:1}", 1, 1, 2, "", "expected a string key or '}'"),
    SYN("{,}", 1, 1, 2, "", "expected a string key or '}'"),
    SYN("[{]", 2, 1, 3, "[0]", "expected a string key or '}'"),
    SYN("{\"a\":1,2:3}", 7, 1, 8, "", "expected a string key"),
    SYN("{\"a\" 1}", 5, 1, 6, "a", "expected ':'"),
    SYN("{\"a\"}", 4, 1, 5, "a", "expected ':'"),
    SYN("{\"a\":1:2}", 6, 1, 7, "", "expected ',' or '}'"),
    SYN("[\"a\"\"b\"]", 4, 1, 5, "", "expected ',' or ']'"),
    SYN("[1,,2]", 3, 1, 4, "[1]", "expected a value"),
    SYN("{\"a\":[}", 6, 1, 7, "a[0]", "expected a value"),
    SYN("[", 1, 1, 2, "[0]", "unexpected end of input"),
    SYN("{", 1, 1, 2, "", "unexpected end of input"),
    SYN("{\"a\":", 5, 1, 6, "a", "unexpected end of input"),
    SYN("{\"a\":1", 6, 1, 7, "", "unexpected end of input"),
    SYN("[1,\r\n x]", 6, 2, 2, "[1]", "expected a value"),
    SYN("[\"未按规定\", x]", 17, 1, 10, "[1]", "expected a value"),
    SYN("{\"v\":[{\"f\":{\"n\":tru}}]}", 16, 1, 17, "v[0].f.n",
        "invalid literal"),
    SYN("{\"x.y\":[1,]}", 10, 1, 11, "[\"x.y\"][1]", "trailing comma"),
    SYN("{\"2a\":x}", 6, 1, 7, "[\"2a\"]", "expected a value"),
    SYN("{\"_a1\":x}", 7, 1, 8, "_a1", "expected a value"),
    SYN("\xEF\xBB\xBF{}", 0, 1, 1, "", "byte order mark is not allowed"),
    SYN("[中]", 1, 1, 2, "[0]", "expected a value"),
    SYN("\xC2\xA0" "1", 0, 1, 1, "", "expected a value"),
    SYN("\f1", 0, 1, 1, "", "expected a value"),
    SYN("\v1", 0, 1, 1, "", "expected a value"),

    /* strings */
    SYN("\"abc", 4, 1, 5, "", "unterminated string"),
    SYN("\"\\", 2, 1, 3, "", "unterminated string"),
    SYN("\"a\\qb\"", 2, 1, 3, "", "invalid escape '\\q'"),
    SYN("\"\\x41\"", 1, 1, 2, "", "invalid escape '\\x'"),
    SYN("\"\\\xE4\xB8\xAD\"", 1, 1, 2, "", "invalid escape"),
    SYN("\"\\u12G4\"", 1, 1, 2, "", "invalid \\u escape"),
    SYN("\"\\u00", 5, 1, 6, "", "unterminated string"),
    SYN("\"\\u0x", 1, 1, 2, "", "invalid \\u escape"),
    SYN("\"a\x01\"", 2, 1, 3, "",
        "unescaped control character U+0001 in string"),
    SYN("\"a\0b\"", 2, 1, 3, "",
        "unescaped control character U+0000 in string"),
    SYN("\"a\nb\"", 2, 1, 3, "",
        "unescaped control character U+000A in string"),
    SYN("\"\\uD800", 7, 1, 8, "", "unterminated string"),
    SYN("\"\\uD800\\", 8, 1, 9, "", "unterminated string"),
    SYN("\"\\uD800\\u12", 11, 1, 12, "", "unterminated string"),
    SYN("\"\\uD800\\uZZZZ\"", 7, 1, 8, "", "invalid \\u escape"),
    UTF("\"\\u0000\"", 1, 1, 2, "", "\\u0000 is not allowed"),
    UTF("{\"a\\u0000\":1}", 3, 1, 4, "", "\\u0000 is not allowed"),
    UTF("{\"a\":[\"x\",\"\\uD800\"]}", 11, 1, 12, "a[1]",
        "lone surrogate \\uD800 is not allowed"),
    UTF("\"\\uDC00\"", 1, 1, 2, "", "lone surrogate \\uDC00 is not allowed"),
    UTF("\"\\udfff\"", 1, 1, 2, "", "lone surrogate \\uDFFF is not allowed"),
    UTF("\"\\uD800\\u0041\"", 1, 1, 2, "",
        "lone surrogate \\uD800 is not allowed"),
    UTF("\"\\uD800\\n\"", 1, 1, 2, "", "lone surrogate \\uD800 is not allowed"),
    UTF("\"\\uD800x\"", 1, 1, 2, "", "lone surrogate \\uD800 is not allowed"),
    UTF("\"\\uD800\"", 1, 1, 2, "", "lone surrogate \\uD800 is not allowed"),
    UTF("\"\\uD800\\uDBFF\"", 1, 1, 2, "",
        "lone surrogate \\uD800 is not allowed"),

    /* UTF-8 */
    UTF("\"\xC0\x80\"", 1, 1, 2, "", "invalid UTF-8"),          /* overlong NUL */
    UTF("\"\xC1\xBF\"", 1, 1, 2, "", "invalid UTF-8"),          /* overlong */
    UTF("\"\xE0\x80\xAF\"", 1, 1, 2, "", "invalid UTF-8"),      /* overlong '/' */
    UTF("\"\xF0\x82\x82\xAC\"", 1, 1, 2, "", "invalid UTF-8"),  /* overlong € */
    UTF("\"\xED\xA0\x80\"", 1, 1, 2, "", "invalid UTF-8"),      /* surrogate */
    UTF("\"\xF4\x90\x80\x80\"", 1, 1, 2, "", "invalid UTF-8"),  /* > U+10FFFF */
    UTF("\"\xF8\x88\x80\x80\x80\"", 1, 1, 2, "", "invalid UTF-8"),
    UTF("\"ab\xFF\"", 3, 1, 4, "", "invalid UTF-8"),
    UTF("\"\x80\"", 1, 1, 2, "", "invalid UTF-8"),
    UTF("\"\xE6\x9C\"", 1, 1, 2, "", "invalid UTF-8"),
    /* truncated at the very end of the buffer */
    UTF("\"\xE6\x9C", 1, 1, 2, "", "invalid UTF-8"),
    UTF("[\"未\xE6", 5, 1, 4, "[0]", "invalid UTF-8"),
    UTF("\"\xF0\x9F\x98", 1, 1, 2, "", "invalid UTF-8"),
    UTF("{\"k\":\"\xC3", 6, 1, 7, "k", "invalid UTF-8"),
    /* outside strings */
    UTF("[\xFF]", 1, 1, 2, "[0]", "invalid UTF-8"),
    UTF("[1]\xFF", 3, 1, 4, "", "invalid UTF-8"),
    UTF("{\"a\":1\xE6}", 6, 1, 7, "", "invalid UTF-8"),

    /* duplicate keys */
    DUP("{\"item\":1,\"item\":2}", 10, 1, 11, "item", "duplicate key 'item'"),
    DUP("{\"a\":1,\"\\u0061\":2}", 7, 1, 8, "a", "duplicate key 'a'"),
    DUP("{\"violations\":[{},{},{\"facts\":{\"untrained\":true,\"x\":1,"
        "\"untrained\":false}}]}",
        54, 1, 55, "violations[2].facts.untrained",
        "duplicate key 'untrained'"),
    DUP("{\"a b\":1,\"a b\":2}", 9, 1, 10, "[\"a b\"]", "duplicate key 'a b'"),
    DUP("{\"facts\":{\"未培训\":1,\"未培训\":2}}", 24, 1, 19,
        "facts[\"未培训\"]", "duplicate key '未培训'"),
    DUP("{\"\\uD83D\\uDE00\":1,\"😀\":2}", 18, 1, 19, "[\"😀\"]",
        "duplicate key '😀'"),
    DUP("{\n  \"a\": 1,\n  \"a\": 2\n}", 14, 3, 3, "a", "duplicate key 'a'"),
    DUP("{\"\":1,\"\":2}", 6, 1, 7, "[\"\"]", "duplicate key ''"),
    DUP("{\"/\":1,\"\\/\":2}", 7, 1, 8, "[\"/\"]", "duplicate key '/'"),
    DUP("{\"ab\":1,\"a\":2,\"abc\":3,\"a\\u0062\":4}", 22, 1, 23, "ab",
        "duplicate key 'ab'"),
    DUP("{\"a\\nb\":1,\"a\\nb\":2}", 10, 1, 11, "[\"a\\nb\"]",
        "duplicate key 'a\\nb'"),
    DUP("[{\"a\":[{\"k\":1}],\"b\":{\"k\":1,\"k\":2}}]", 27, 1, 28, "[0].b.k",
        "duplicate key 'k'"),
    DUP("{\"a\":{\"x\":1},\"a\":2}", 13, 1, 14, "a", "duplicate key 'a'"),

    /* depth */
    LIM("[[[1]]]", 2, 2, 1, 3, "[0][0]", "nesting deeper than 2"),
    LIM("{\"a\":{\"b\":{}}}", 2, 10, 1, 11, "a.b", "nesting deeper than 2"),
    LIM("[]", 0, 0, 1, 1, "", "nesting deeper than 0"),
};

static const char *
show(const struct jcase *c)
{
    static char out[200];
    size_t i, n = 0;

    for (i = 0; i < c->len && n + 5 < sizeof(out); i++) {
        unsigned char ch = (unsigned char)c->text[i];

        if (ch >= 0x20 && ch < 0x7F)
            out[n++] = (char)ch;
        else
            n += (size_t)snprintf(out + n, sizeof(out) - n, "\\x%02X", ch);
    }
    out[n] = '\0';
    return out;
}

START_TEST(test_table)
{
    const struct jcase *c = &cases[_i];
    struct zf__json_scan_error e;
    zf_context *ctx;
    char *buf;
    zf_status rc;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    /* exact-size copy: reading past len would show under valgrind */
    buf = malloc(c->len ? c->len : 1);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, c->text, c->len);
    memset(&e, 0x55, sizeof(e));
    rc = zf__json_prescan(ctx, buf, c->len, c->depth, &e);
    ck_assert_msg(rc == c->code, "case %d `%s`: got %d (%s at %zu, path '%s')",
                  _i, show(c), rc, e.message, e.offset, e.path);
    ck_assert_int_eq(e.code, c->code);
    ck_assert_int_eq(e.diag, c->diag);
    ck_assert_msg(e.offset == c->offset && e.line == c->line &&
                      e.column == c->column,
                  "case %d `%s`: at %zu (%u:%u), want %zu (%u:%u)", _i,
                  show(c), e.offset, e.line, e.column, c->offset, c->line,
                  c->column);
    ck_assert_str_eq(e.path, c->path);
    ck_assert_str_eq(e.message, c->message);

    /* same result without an error struct */
    ck_assert_int_eq(zf__json_prescan(ctx, buf, c->len, c->depth, NULL),
                     c->code);
    free(buf);
    zf_context_free(ctx);
}
END_TEST

/* ---- big inputs ---- */

/* A growable test string. */
struct str {
    char *p;
    size_t len, cap;
};

static void
str_add(struct str *s, const char *t, size_t n)
{
    if (s->len + n > s->cap) {
        s->cap = (s->len + n) * 2 + 64;
        s->p = realloc(s->p, s->cap);
        ck_assert_ptr_nonnull(s->p);
    }
    memcpy(s->p + s->len, t, n);
    s->len += n;
}

static void
str_puts(struct str *s, const char *t)
{
    str_add(s, t, strlen(t));
}

static void
str_key(struct str *s, const char *prefix, long i, const char *value)
{
    char tmp[64];

    snprintf(tmp, sizeof(tmp), "\"%s%ld\":%s", prefix, i, value);
    str_puts(s, tmp);
}

static zf_status
scan(const struct str *s, unsigned depth, struct zf__json_scan_error *e)
{
    zf_context *ctx;
    zf_status rc;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    rc = zf__json_prescan(ctx, s->p, s->len, depth, e);
    zf_context_free(ctx);
    return rc;
}

START_TEST(test_100k_keys)
{
    struct str s = {NULL, 0, 0};
    struct zf__json_scan_error e;
    size_t body, at;
    long i;

    str_puts(&s, "{");
    for (i = 0; i < 100000; i++) {
        if (i)
            str_puts(&s, ",");
        str_key(&s, "k", i, "0");
    }
    body = s.len;
    str_puts(&s, "}");
    ck_assert_int_eq(scan(&s, 32, &e), ZF_OK);

    /* a duplicate of the first key at the end */
    s.len = body;
    str_puts(&s, ",");
    at = s.len;
    str_puts(&s, "\"k0\":1}");
    ck_assert_int_eq(scan(&s, 32, &e), ZF_EINPUT);
    ck_assert_int_eq(e.diag, ZF_DIAG_CASE_DUP_KEY);
    ck_assert_uint_eq(e.offset, at);
    ck_assert_str_eq(e.path, "k0");
    ck_assert_str_eq(e.message, "duplicate key 'k0'");

    /* an escaped duplicate from the middle */
    s.len = body;
    str_puts(&s, ",");
    at = s.len;
    str_puts(&s, "\"\\u006b77777\":1}");
    ck_assert_int_eq(scan(&s, 32, &e), ZF_EINPUT);
    ck_assert_uint_eq(e.offset, at);
    ck_assert_uint_eq(e.line, 1);
    ck_assert_uint_eq(e.column, at + 1);
    ck_assert_str_eq(e.path, "k77777");
    free(s.p);
}
END_TEST

START_TEST(test_nested_tables)
{
    /* A parent's table must survive a big child table growing above it. */
    struct str s = {NULL, 0, 0};
    struct zf__json_scan_error e;
    size_t child_end, at;
    long i;

    str_puts(&s, "{\"list\":[");
    for (i = 0; i < 500; i++) {
        if (i)
            str_puts(&s, ",");
        str_puts(&s, "{\"id\":1,\"x\":{\"id\":2}}");
    }
    str_puts(&s, "],");
    for (i = 0; i < 500; i++)
        str_key(&s, "p", i, "1,");
    str_puts(&s, "\"child\":{");
    for (i = 0; i < 1000; i++) {
        if (i)
            str_puts(&s, ",");
        str_key(&s, "c", i, "[]");
    }
    child_end = s.len;
    str_puts(&s, "}");
    for (i = 500; i < 1000; i++) {
        str_puts(&s, ",");
        str_key(&s, "p", i, "{\"c1\":1}");
    }
    {
        size_t tail = s.len;

        str_puts(&s, "}");
        ck_assert_int_eq(scan(&s, 32, &e), ZF_OK);

        s.len = tail;
        str_puts(&s, ",");
        at = s.len;
        str_puts(&s, "\"p250\":0}");
        ck_assert_int_eq(scan(&s, 32, &e), ZF_EINPUT);
        ck_assert_uint_eq(e.offset, at);
        ck_assert_str_eq(e.path, "p250");
    }

    /* and a duplicate inside the child */
    s.len = child_end;
    str_puts(&s, ",");
    at = s.len;
    str_puts(&s, "\"c999\":0}}");
    ck_assert_int_eq(scan(&s, 32, &e), ZF_EINPUT);
    ck_assert_uint_eq(e.offset, at);
    ck_assert_str_eq(e.path, "child.c999");
    free(s.p);
}
END_TEST

START_TEST(test_megabyte_of_brackets)
{
    const size_t n = (size_t)1 << 20;
    struct str s = {NULL, 0, 0};
    struct zf__json_scan_error e;
    char want[128] = "";
    int i;

    s.p = malloc(n);
    ck_assert_ptr_nonnull(s.p);
    memset(s.p, '[', n);
    s.len = s.cap = n;

    ck_assert_int_eq(scan(&s, 32, &e), ZF_ELIMIT);
    ck_assert_int_eq(e.diag, ZF_DIAG_LIMIT_JSON);
    ck_assert_uint_eq(e.offset, 32);
    ck_assert_uint_eq(e.column, 33);
    for (i = 0; i < 32; i++)
        strcat(want, "[0]");
    ck_assert_str_eq(e.path, want);
    ck_assert_str_eq(e.message, "nesting deeper than 32");

    /* no depth limit: iterative, so it just runs out of input */
    ck_assert_int_eq(scan(&s, UINT_MAX, &e), ZF_ESYNTAX);
    ck_assert_uint_eq(e.offset, n);
    ck_assert_str_eq(e.message, "unexpected end of input");
    ck_assert_uint_lt(strlen(e.path), sizeof(e.path));
    ck_assert_str_eq(e.path + strlen(e.path) - 3, "...");
    free(s.p);
}
END_TEST

START_TEST(test_deep_objects)
{
    const long n = 50000;
    struct str s = {NULL, 0, 0};
    struct zf__json_scan_error e;
    long i;

    for (i = 0; i < n; i++)
        str_puts(&s, "{\"a\":");
    str_puts(&s, "1");
    for (i = 0; i < n; i++)
        str_puts(&s, "}");
    ck_assert_int_eq(scan(&s, UINT_MAX, &e), ZF_OK);
    ck_assert_int_eq(scan(&s, (unsigned)n, &e), ZF_OK);
    ck_assert_int_eq(scan(&s, (unsigned)n - 1, &e), ZF_ELIMIT);
    ck_assert_uint_eq(e.offset, (size_t)(n - 1) * 5);
    s.len -= 1;
    ck_assert_int_eq(scan(&s, UINT_MAX, &e), ZF_ESYNTAX);
    ck_assert_str_eq(e.message, "unexpected end of input");
    free(s.p);
}
END_TEST

/* ---- out of memory ---- */

static void
oom_loop(const char *text, zf_status final, long min_attempts)
{
    struct zt_alloc c;   /* tests/common: counts and fails the n-th call */
    zf_allocator a = zt_alloc_table(&c);
    struct zf__json_scan_error e;
    zf_context *ctx;
    zf_status rc = ZF_ENOMEM;
    long n;

    for (n = 1; n < 100000 && rc == ZF_ENOMEM; n++) {
        zt_alloc_reset(&c);
        ck_assert_int_eq(zf_context_new_with_allocator(&ctx, &a), ZF_OK);
        ck_assert_int_eq(c.live, 1);
        atomic_store(&c.calls, 0);
        c.fail_at = n;
        rc = zf__json_prescan(ctx, text, strlen(text), 32, &e);
        ck_assert_msg(rc == ZF_ENOMEM || rc == final, "n=%ld: got %d", n, rc);
        ck_assert_int_eq(e.code, rc);
        if (rc == ZF_ENOMEM) {
            ck_assert_int_eq(e.diag, ZF_DIAG_NOMEM);
            ck_assert_str_eq(e.message, "out of memory");
        }
        ck_assert_int_eq(c.live, 1);
        zf_context_free(ctx);
        ck_assert_int_eq(c.live, 0);
    }
    ck_assert_int_eq(rc, final);
    ck_assert_int_ge(n, min_attempts);
}

START_TEST(test_oom)
{
    struct str s = {NULL, 0, 0};
    long i;

    /* 20 levels (frame stack grows), then objects whose tables grow */
    for (i = 0; i < 20; i++)
        str_puts(&s, "[");
    str_puts(&s, "{");
    for (i = 0; i < 40; i++) {
        str_key(&s, "k", i, "{");
        str_key(&s, "n", i, "1}");
        str_puts(&s, ",");
    }
    str_puts(&s, "\"last\":[{\"x\":{}}]}");
    for (i = 0; i < 20; i++)
        str_puts(&s, "]");
    str_add(&s, "", 1);

    oom_loop(s.p, ZF_OK, 4);

    /* the same with a duplicate key at the end */
    s.len -= 1 + 20 + 1;
    str_puts(&s, ",\"k7\":0}");
    for (i = 0; i < 20; i++)
        str_puts(&s, "]");
    str_add(&s, "", 1);
    oom_loop(s.p, ZF_EINPUT, 4);
    free(s.p);
}
END_TEST

/* ---- helpers ---- */

START_TEST(test_paths)
{
    char p[128] = "";
    char small[16] = "";
    char tiny[10] = "";
    char seven[8] = "abcdefg";
    char one[1] = "";
    char four[4] = "";

    ck_assert(zf__json_path_key(p, sizeof(p), "violations", 10));
    ck_assert(zf__json_path_index(p, sizeof(p), 2));
    ck_assert(zf__json_path_key(p, sizeof(p), "facts", 5));
    ck_assert(zf__json_path_key(p, sizeof(p), "untrained", 9));
    ck_assert_str_eq(p, "violations[2].facts.untrained");
    p[0] = '\0';
    ck_assert(zf__json_path_key(p, sizeof(p), "a b", 3));
    ck_assert(zf__json_path_key(p, sizeof(p), "q\"\\", 3));
    ck_assert(zf__json_path_key(p, sizeof(p), "\n\x01", 2));
    ck_assert(zf__json_path_key(p, sizeof(p), "\xFF", 1));
    ck_assert(zf__json_path_key(p, sizeof(p), "", 0));
    ck_assert(zf__json_path_key(p, sizeof(p), "x.y", 3));
    ck_assert(zf__json_path_key(p, sizeof(p), "_ok9", 4));
    ck_assert(zf__json_path_key(p, sizeof(p), "9no", 3));
    ck_assert_str_eq(p, "[\"a b\"][\"q\\\"\\\\\"][\"\\n\\u0001\"][\"\xEF\xBF\xBD\"]"
                        "[\"\"][\"x.y\"]._ok9[\"9no\"]");

    /* truncation: cut on a unit, "..." appended, then sticky */
    ck_assert(zf__json_path_key(small, sizeof(small), "abcdefghij", 10));
    ck_assert(!zf__json_path_key(small, sizeof(small), "klmnop", 6));
    ck_assert_str_eq(small, "abcdefghij.k...");
    ck_assert(!zf__json_path_index(small, sizeof(small), 1));
    ck_assert_str_eq(small, "abcdefghij.k...");

    ck_assert(!zf__json_path_key(tiny, sizeof(tiny), "未培训未培训", 18));
    ck_assert_str_eq(tiny, "[\"未...");

    ck_assert(!zf__json_path_key(seven, sizeof(seven), "x", 1));
    ck_assert_str_eq(seven, "abcd...");

    ck_assert(zf__json_path_key(four, sizeof(four), "abc", 3));
    ck_assert_str_eq(four, "abc");
    ck_assert(!zf__json_path_index(one, sizeof(one), 0));
    ck_assert_str_eq(one, "");
    ck_assert(!zf__json_path_key(NULL, 10, "a", 1));
    ck_assert(!zf__json_path_key(p, 0, "a", 1));
}
END_TEST

START_TEST(test_long_dup_key)
{
    struct str s = {NULL, 0, 0};
    struct zf__json_scan_error e;
    char key[400];
    size_t n;

    memset(key, 'k', 300);
    memcpy(key + 300, "\xE5\x9F\xB9", 3);  /* 培 */
    key[303] = '\0';
    str_puts(&s, "{\"a\":{\"");
    str_puts(&s, key);
    str_puts(&s, "\":1,\"");
    str_puts(&s, key);
    str_puts(&s, "\":2}}");
    ck_assert_int_eq(scan(&s, 32, &e), ZF_EINPUT);
    n = strlen(e.path);
    ck_assert_uint_lt(n, sizeof(e.path));
    ck_assert(zf__utf8_valid(e.path, n, NULL));
    ck_assert_str_eq(e.path + n - 3, "...");
    ck_assert_int_eq(strncmp(e.path, "a[\"kkk", 6), 0);
    n = strlen(e.message);
    ck_assert(zf__utf8_valid(e.message, n, NULL));
    ck_assert_int_eq(strncmp(e.message, "duplicate key 'kkk", 18), 0);
    ck_assert_str_eq(e.message + n - 4, "...'");
    free(s.p);
}
END_TEST

START_TEST(test_linecol)
{
    const char *t = "ab\n未c\n\nx";
    unsigned l = 0, c = 0;

    zf__json_offset_to_linecol(t, strlen(t), 0, &l, &c);
    ck_assert(l == 1 && c == 1);
    zf__json_offset_to_linecol(t, strlen(t), 2, &l, &c);
    ck_assert(l == 1 && c == 3);
    zf__json_offset_to_linecol(t, strlen(t), 6, &l, &c);  /* 'c' */
    ck_assert(l == 2 && c == 2);
    zf__json_offset_to_linecol(t, strlen(t), 8, &l, &c);  /* empty line */
    ck_assert(l == 3 && c == 1);
    zf__json_offset_to_linecol(t, strlen(t), 1000, &l, &c);  /* clamped */
    ck_assert(l == 4 && c == 2);
    zf__json_offset_to_linecol(t, strlen(t), 3, NULL, &c);
    ck_assert_uint_eq(c, 1);
    zf__json_offset_to_linecol(t, strlen(t), 3, &l, NULL);
    ck_assert_uint_eq(l, 2);
}
END_TEST

START_TEST(test_money)
{
    int64_t v = 42;

    ck_assert(zf__json_integral_money(0.0, &v) && v == 0);
    ck_assert(zf__json_integral_money(-0.0, &v) && v == 0);
    ck_assert(zf__json_integral_money(50000.0, &v) && v == 50000);
    ck_assert(zf__json_integral_money(-3.0, &v) && v == -3);
    ck_assert(zf__json_integral_money(9007199254740992.0, &v));
    ck_assert(v == INT64_C(9007199254740992));
    ck_assert(zf__json_integral_money(-9007199254740992.0, &v));
    ck_assert(v == -INT64_C(9007199254740992));
    v = 7;
    ck_assert(!zf__json_integral_money(9007199254740994.0, &v));
    ck_assert(!zf__json_integral_money(-9007199254740994.0, &v));
    ck_assert(!zf__json_integral_money(1.5, &v));
    ck_assert(!zf__json_integral_money(-0.5, &v));
    ck_assert(!zf__json_integral_money(1e300, &v));
    ck_assert(!zf__json_integral_money(NAN, &v));
    ck_assert(!zf__json_integral_money(INFINITY, &v));
    ck_assert(!zf__json_integral_money(-INFINITY, &v));
    ck_assert(v == 7);  /* untouched on failure */
}
END_TEST

START_TEST(test_arguments)
{
    struct zf__json_scan_error e;
    zf_context *ctx;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    ck_assert_int_eq(zf__json_prescan(NULL, "1", 1, 32, &e), ZF_EINVAL);
    ck_assert_int_eq(e.diag, ZF_DIAG_INVAL);
    ck_assert_int_eq(zf__json_prescan(ctx, NULL, 1, 32, &e), ZF_EINVAL);
    ck_assert_int_eq(zf__json_prescan(ctx, NULL, 0, 32, &e), ZF_ESYNTAX);
    ck_assert_str_eq(e.message, "empty input");
    /* only `len` bytes count: the rest of this string is never read */
    ck_assert_int_eq(zf__json_prescan(ctx, "[1]garbage", 3, 32, &e), ZF_OK);
    ck_assert_int_eq(e.code, ZF_OK);
    ck_assert_str_eq(e.path, "");
    ck_assert_str_eq(e.message, "");
    zf_context_free(ctx);
}
END_TEST

static Suite *
json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("prescan");
    TCase *big = tcase_create("big");
    TCase *misc = tcase_create("helpers");

    tcase_add_loop_test(tc, test_table, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    suite_add_tcase(s, tc);

    tcase_set_timeout(big, 120);
    tcase_add_test(big, test_100k_keys);
    tcase_add_test(big, test_nested_tables);
    tcase_add_test(big, test_megabyte_of_brackets);
    tcase_add_test(big, test_deep_objects);
    tcase_add_test(big, test_oom);
    tcase_add_test(big, test_long_dup_key);
    suite_add_tcase(s, big);

    tcase_add_test(misc, test_paths);
    tcase_add_test(misc, test_linecol);
    tcase_add_test(misc, test_money);
    tcase_add_test(misc, test_arguments);
    suite_add_tcase(s, misc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(json_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
