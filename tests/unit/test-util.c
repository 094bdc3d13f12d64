/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util-private.h"

START_TEST(test_dates)
{
    int32_t d;
    char out[11];

    ck_assert(zf__parse_date("1970-01-01", 10, &d));
    ck_assert_int_eq(d, 0);
    ck_assert(zf__parse_date("2024-02-29", 10, &d));
    zf__format_date(d, out);
    ck_assert_str_eq(out, "2024-02-29");
    ck_assert(!zf__parse_date("2023-02-29", 10, &d));
    ck_assert(!zf__parse_date("2023-13-01", 10, &d));
    ck_assert(!zf__parse_date("2023-1-01", 9, &d));
    ck_assert(!zf__parse_date("2023/01/01", 10, &d));
    ck_assert(zf__parse_date("2021-09-01", 10, &d));
    {
        int32_t e;
        ck_assert(zf__parse_date("2023-09-01", 10, &e));
        ck_assert_int_eq(e - d, 730);
    }
}
END_TEST

START_TEST(test_utf8)
{
    size_t bad = 0;
    const char ok[] = "未按规定培训";

    ck_assert(zf__utf8_valid(ok, strlen(ok), &bad));
    ck_assert_uint_eq(zf__utf8_count(ok, strlen(ok)), 6);
    ck_assert(!zf__utf8_valid("ab\xC0\x80", 4, &bad));
    ck_assert_uint_eq(bad, 2);
    ck_assert(!zf__utf8_valid("a\0b", 3, &bad));
    ck_assert_uint_eq(bad, 1);
    ck_assert(!zf__utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
}
END_TEST

START_TEST(test_edit_distance)
{
    ck_assert_uint_eq(zf__edit_distance("untrained", "untrainde", 10), 2);
    ck_assert_uint_eq(zf__edit_distance("abc", "abc", 10), 0);
    ck_assert_uint_eq(zf__edit_distance("培训", "教育", 10), 2);
    ck_assert_uint_eq(zf__edit_distance("aaaaaaaa", "bbbbbbbb", 3), 3);
}
END_TEST

START_TEST(test_arena_and_buf)
{
    zf_context *ctx;
    struct zf__arena a;
    struct zf__buf b;
    char *s;
    size_t len, i;
    void *big;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    zf__arena_init(&a, ctx, 256);
    for (i = 0; i < 1000; i++) {
        int64_t *p = zf__arena_alloc(&a, sizeof(*p), _Alignof(int64_t));
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % _Alignof(int64_t), 0);
        *p = (int64_t)i;
    }
    big = zf__arena_alloc(&a, 100000, 16);
    ck_assert_ptr_nonnull(big);
    ck_assert_ptr_null(zf__arena_alloc(&a, SIZE_MAX - 8, 16));
    s = zf__arena_printf(&a, "%s-%d", "GEN", 3);
    ck_assert_str_eq(s, "GEN-3");
    zf__arena_reset(&a);
    zf__arena_destroy(&a);

    zf__buf_init(&b, ctx);
    zf__buf_puts(&b, "x");
    zf__buf_int(&b, -9223372036854775807LL - 1);
    zf__buf_json_str(&b, "a\"\n\x01", 4);
    s = zf__buf_steal(&b, &len);
    ck_assert_str_eq(s, "x-9223372036854775808\"a\\\"\\n\\u0001\"");
    ck_assert_uint_eq(len, strlen(s));
    zf__free(ctx, s);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_error_truncation)
{
    zf_error err = ZF_ERROR_INIT;
    char longmsg[2000];
    size_t i;

    for (i = 0; i + 3 < sizeof(longmsg); i += 3)
        memcpy(longmsg + i, "罚", 3);
    longmsg[i] = '\0';
    ck_assert_int_eq(zf__error_set(&err, ZF_EINPUT, 204, "%s", longmsg),
                     ZF_EINPUT);
    ck_assert(zf__utf8_valid(err.message, strlen(err.message), NULL));
    ck_assert_uint_eq(strlen(err.message) % 3, 0);
    ck_assert_int_eq(err.diag, 204);
    ck_assert_int_eq(zf__error_set(NULL, ZF_EIO, 901, "x"), ZF_EIO);
}
END_TEST

START_TEST(test_limits)
{
    zf_context *ctx;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_YAML_DEPTH, 5), 32);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_YAML_DEPTH, -1), 5);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_COUNT_, 5), -1);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_MATCH, 0), 100000);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_MATCH, -1), 1);
    zf_context_free(ctx);
    ck_assert_str_eq(zf_strerror(ZF_ENOMEM), "out of memory");
    ck_assert_str_eq(zf_version(), ZF_VERSION_STRING);
}
END_TEST

static Suite *
util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("basics");

    tcase_add_test(tc, test_dates);
    tcase_add_test(tc, test_utf8);
    tcase_add_test(tc, test_edit_distance);
    tcase_add_test(tc, test_arena_and_buf);
    tcase_add_test(tc, test_error_truncation);
    tcase_add_test(tc, test_limits);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(util_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
