/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sha256-private.h"

static void
digest_hex(const void *data, size_t len, char hex[65])
{
    struct zf__sha256 c;
    unsigned char d[32];

    zf__sha256_init(&c);
    zf__sha256_update(&c, data, len);
    zf__sha256_final(&c, d);
    zf__sha256_hex(d, hex);
}

/* FIPS 180-4 / NIST CAVP example messages. */
static const struct {
    const char *msg;
    const char *hex;
} nist[] = {
    {"",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
     "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

START_TEST(test_nist)
{
    char hex[65];

    digest_hex(nist[_i].msg, strlen(nist[_i].msg), hex);
    ck_assert_str_eq(hex, nist[_i].hex);
}
END_TEST

/* Padding boundaries: n bytes of 'x' (expected values from sha256sum). */
static const struct {
    size_t n;
    const char *hex;
} boundary[] = {
    {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
    {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
    {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
    {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
    {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
    {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
    {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
};

START_TEST(test_boundaries)
{
    char buf[128], hex[65];
    struct zf__sha256 c;
    unsigned char d[32];
    size_t i;

    memset(buf, 'x', sizeof(buf));
    digest_hex(buf, boundary[_i].n, hex);
    ck_assert_str_eq(hex, boundary[_i].hex);

    /* byte by byte gives the same digest */
    zf__sha256_init(&c);
    for (i = 0; i < boundary[_i].n; i++)
        zf__sha256_update(&c, buf + i, 1);
    zf__sha256_final(&c, d);
    zf__sha256_hex(d, hex);
    ck_assert_str_eq(hex, boundary[_i].hex);
}
END_TEST

START_TEST(test_million_a)
{
    /* One million 'a', fed in uneven pieces that straddle block edges. */
    static const size_t pieces[] = {1, 63, 64, 65, 0, 127, 3, 1000, 7, 4096};
    char *a = malloc(5000);
    struct zf__sha256 c;
    unsigned char d[32];
    char hex[65];
    size_t left = 1000000, k = 0;

    ck_assert_ptr_nonnull(a);
    memset(a, 'a', 5000);
    zf__sha256_init(&c);
    while (left) {
        size_t n = pieces[k++ % (sizeof(pieces) / sizeof(pieces[0]))];
        if (n > left)
            n = left;
        zf__sha256_update(&c, a, n);
        left -= n;
    }
    zf__sha256_final(&c, d);
    zf__sha256_hex(d, hex);
    ck_assert_str_eq(
        hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}
END_TEST

START_TEST(test_binary_and_null)
{
    char hex[65];
    struct zf__sha256 c;
    unsigned char d[32];

    digest_hex("\x00\xff\x80", 3, hex);
    ck_assert_str_eq(
        hex, "f742b965f156c10374bc23aea96e3a8aff8facd6fc079defeaa30219ad86f211");

    /* empty updates, including a NULL pointer, change nothing */
    zf__sha256_init(&c);
    zf__sha256_update(&c, NULL, 0);
    zf__sha256_update(&c, "ab", 2);
    zf__sha256_update(&c, "", 0);
    zf__sha256_update(&c, "c", 1);
    zf__sha256_final(&c, d);
    zf__sha256_hex(d, hex);
    ck_assert_str_eq(hex, nist[1].hex);
}
END_TEST

static Suite *
sha256_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("vectors");

    tcase_add_loop_test(tc, test_nist, 0, (int)(sizeof(nist) / sizeof(nist[0])));
    tcase_add_loop_test(tc, test_boundaries, 0,
                        (int)(sizeof(boundary) / sizeof(boundary[0])));
    tcase_add_test(tc, test_million_a);
    tcase_add_test(tc, test_binary_and_null);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(sha256_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
