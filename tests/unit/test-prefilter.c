/* SPDX-License-Identifier: MIT */
/*
 * The pre-filter must be sound: whenever PCRE2 matches a subject, the
 * pre-filter must say "may match". A wrong literal would turn into a silent
 * no-match, so besides hand-written cases this runs a randomized
 * differential test over generated patterns and subjects.
 */
#include "config.h"

#include <check.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter-private.h"
#include "util-private.h"

static size_t
lits_of(const char *pat, char out[][64])
{
    size_t off[ZF__PF_MAX], len[ZF__PF_MAX], n, i;

    n = zf__pf_analyze(pat, strlen(pat), off, len);
    for (i = 0; i < n; i++) {
        memcpy(out[i], pat + off[i], len[i]);
        out[i][len[i]] = '\0';
    }
    return n;
}

static const struct {
    const char *pattern;
    const char *lits;  /* expected literals joined by '|', "" for none */
} analyze_cases[] = {
    {"动火作业未审批", "动火作业未审批"},
    {"未(按照?规定)?(对|组织)?.{0,12}(教育|培训)", "教育|培训"},
    /* equal shortest length: the set with fewer literals wins */
    {"(电焊工|焊工|电工)[^，]{0,10}(未持证|无证)", "未持证|无证"},
    {"安全出口?被堵塞", "安全出"},
    {"安全出口+被堵", "安全出"},
    {"(安全出口|疏散通道)?被堵塞了", "被堵塞了"},
    {"a|b", ""},
    {"安全|b", ""},
    {"动火|有限空间", "动火|有限空间"},
    {"(?:动火|用火)作业", "作业"},
    {"(?=动火)动火作业", "动火作业"},
    {"\\x{52a8}火作业", "火作业"},
    {"\\d+名工人未培训", "名工人未培训"},
    {"[动用]火作业", "火作业"},
    {"(?x) 动 火", ""},
    {"\\Q动火\\E作业", ""},
    {"动火{2}作业", "作业"},
    {"动火{0,2}作业", "作业"},
    {"(动火){1,3}", "动火"},
    {"(动火)*作业", "作业"},
    {"abc", ""},
    {"未(a|b)", "未"},
    {"a(b|c)", ""},
    {"(动火|(有限|受限)空间)作业票", "作业票"},
    {"((有限|受限)空间|动火)", "空间|动火"},
};

START_TEST(test_analyze)
{
    char lits[ZF__PF_MAX][64], joined[512];
    size_t n = lits_of(analyze_cases[_i].pattern, lits), i;

    joined[0] = '\0';
    for (i = 0; i < n; i++) {
        if (i)
            strcat(joined, "|");
        strcat(joined, lits[i]);
    }
    ck_assert_msg(strcmp(joined, analyze_cases[_i].lits) == 0,
                  "pattern %s: got '%s', want '%s'",
                  analyze_cases[_i].pattern, joined, analyze_cases[_i].lits);
}
END_TEST

START_TEST(test_may_match)
{
    struct zf__pf_lit l[2] = {{"动火", 6, 0}, {"受限空间", 12, 0}};
    const char *t1 = "车间动火未审批", *t2 = "进入受限空间", *t3 = "无关";

    l[0].mask = zf__cp_mask(l[0].s, l[0].len);
    l[1].mask = zf__cp_mask(l[1].s, l[1].len);
    ck_assert(zf__pf_may_match(l, 2, t1, strlen(t1),
                               zf__cp_mask(t1, strlen(t1))));
    ck_assert(zf__pf_may_match(l, 2, t2, strlen(t2),
                               zf__cp_mask(t2, strlen(t2))));
    ck_assert(!zf__pf_may_match(l, 2, t3, strlen(t3),
                                zf__cp_mask(t3, strlen(t3))));
    ck_assert(zf__pf_may_match(l, 0, t3, strlen(t3), 0));
}
END_TEST

/* ---- randomized differential test ---- */

static const char *const atoms[] = {
    "动", "火", "作", "业", "未", "审", "批", "证", "a", "1", ".",
    "[动火]", "\\d", "\\x{52a8}", "(?:动火)", "(?=作)", "(?!未)", "\\s", "，"};
static const char *const quants[] = {"", "", "", "?", "*", "+", "{0,2}",
                                     "{1,2}", "{2}", "??", "+?"};
static const char *const subj_chars[] = {"动", "火", "作", "业", "未", "审",
                                         "批", "证", "a", "1", " ", "，"};

static unsigned long long rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void
gen_pattern(char *out, size_t cap, int depth)
{
    int i, n = 1 + (int)rnd(5);

    for (i = 0; i < n; i++) {
        int kind = (int)rnd(10);
        if (kind < 2 && depth < 3) {
            char a[256] = "", b[256] = "";
            gen_pattern(a, sizeof(a), depth + 1);
            gen_pattern(b, sizeof(b), depth + 1);
            snprintf(out + strlen(out), cap - strlen(out), "(%s|%s)%s", a, b,
                     quants[rnd(ZF_ARRAY_SIZE(quants))]);
        } else {
            snprintf(out + strlen(out), cap - strlen(out), "%s%s",
                     atoms[rnd(ZF_ARRAY_SIZE(atoms))],
                     quants[rnd(ZF_ARRAY_SIZE(quants))]);
        }
        if (strlen(out) > cap - 64)
            break;
    }
    if (depth == 0 && rnd(8) == 0)
        snprintf(out + strlen(out), cap - strlen(out), "|%s",
                 atoms[rnd(ZF_ARRAY_SIZE(atoms))]);
}

START_TEST(test_soundness_random)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    size_t checked = 0, filtered = 0;
    int iter;

    for (iter = 0; iter < 20000; iter++) {
        char pat[1024] = "";
        size_t off[ZF__PF_MAX], len[ZF__PF_MAX], n, i;
        struct zf__pf_lit lits[ZF__PF_MAX];
        pcre2_code *re;
        int ec, s;
        PCRE2_SIZE eo;

        gen_pattern(pat, sizeof(pat), 0);
        re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                           PCRE2_UTF | PCRE2_CASELESS, &ec, &eo, NULL);
        if (!re)
            continue;
        n = zf__pf_analyze(pat, strlen(pat), off, len);
        for (i = 0; i < n; i++) {
            lits[i].s = pat + off[i];
            lits[i].len = (uint32_t)len[i];
            lits[i].mask = zf__cp_mask(lits[i].s, lits[i].len);
        }
        for (s = 0; s < 20; s++) {
            char subj[256] = "";
            int k, m = (int)rnd(12);
            bool matched, may;
            for (k = 0; k < m; k++)
                strcat(subj, subj_chars[rnd(ZF_ARRAY_SIZE(subj_chars))]);
            matched = pcre2_match(re, (PCRE2_SPTR)subj, strlen(subj), 0, 0,
                                  md, NULL) >= 0;
            may = zf__pf_may_match(lits, n, subj, strlen(subj),
                                   zf__cp_mask(subj, strlen(subj)));
            checked++;
            if (!may)
                filtered++;
            ck_assert_msg(!matched || may,
                          "unsound: pattern '%s' matches '%s' but the "
                          "pre-filter rejects it", pat, subj);
        }
        pcre2_code_free(re);
    }
    pcre2_match_data_free(md);
    /* the filter must also do something */
    ck_assert_uint_gt(filtered, checked / 20);
}
END_TEST

static Suite *
prefilter_suite(void)
{
    Suite *s = suite_create("prefilter");
    TCase *tc = tcase_create("analyze");

    tcase_add_loop_test(tc, test_analyze, 0, ZF_ARRAY_SIZE(analyze_cases));
    tcase_add_test(tc, test_may_match);
    suite_add_tcase(s, tc);
    tc = tcase_create("soundness");
    tcase_set_timeout(tc, 900);  /* wall clock: busy or sanitized machines */
    /* 400,000 regex matches: skipped under valgrind (CK_EXCLUDE_TAGS) */
    tcase_set_tags(tc, "slow");
    tcase_add_test(tc, test_soundness_random);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(prefilter_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
