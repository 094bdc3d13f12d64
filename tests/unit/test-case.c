/* SPDX-License-Identifier: MIT */
/*
 * Case parser (zf_case_parse): strictness at every level, with the JSON
 * path and the exact message of each error. A table of inputs runs with
 * tcase_add_loop_test; limits are tested at N and N+1.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zhifa/zhifa.h"

struct ccase {
    const char *json;
    zf_status code;
    int diag;
    const char *path;
    const char *message;
    unsigned line, column;   /* 0: not checked (no position) */
};

#define OK(j) {j, ZF_OK, 0, "", "", 0, 0}
#define BAD(j, c, d, p, m) {j, c, d, p, m, 0, 0}
#define BADAT(j, c, d, p, m, l, col) {j, c, d, p, m, l, col}
#define IN ZF_EINPUT
/* a literal and its length (it may contain NUL) */
#define LIT(s) (s), (sizeof(s) - 1)

/* A person list used by several rows. */
#define PA "\"persons\":[{\"id\":\"a\",\"role\":\"principal\"}]"

static const struct ccase cases[] = {
    /* ---- accepted ---- */
    OK("{\"violations\":[]}"),
    OK("{\"case_id\":\"c\",\"violation_date\":\"2024-02-29\","
       "\"inspection_date\":\"2000-02-29\",\"decision_date\":\"2024-12-31\","
       "\"enterprise\":{\"name\":\"某公司\",\"domains\":[\"机械\",\"general\"],"
       "\"high_risk\":true,\"penalties_180d\":0,\"penalties_365d\":2},"
       "\"persons\":[{\"id\":\"p1\",\"role\":\"principal\",\"name\":\"张某\","
       "\"annual_income\":240000},{\"id\":\"p2\",\"role\":\"investor\"}],"
       "\"violations\":[{\"item\":\"GEN-004\",\"text\":\"未培训\","
       "\"facts\":{\"n\":5,\"b\":true,\"s\":\"x\",\"z\":null,\"d\":1.5},"
       "\"corrected\":true,\"overdue\":false,\"harm\":\"minor\","
       "\"first_offence\":true,\"accident\":null,\"persons\":[\"p1\",\"p2\"],"
       "\"act\":\"a1\",\"illegal_income\":0,"
       "\"factors\":{\"remedied_harm\":false,\"coerced\":false,"
       "\"confessed\":true,\"meritorious\":false,\"obstructed\":false,"
       "\"repeat_12m\":1}}]}"),
    /* null means "not stated" for optional fields */
    OK("{\"case_id\":null,\"violation_date\":null,\"enterprise\":null,"
       "\"persons\":null,\"violations\":[{\"text\":\"x\",\"item\":null,"
       "\"facts\":null,\"factors\":null,\"persons\":null,\"harm\":null,"
       "\"illegal_income\":null,\"act\":null}]}"),
    OK("{\"case_id\":42,\"violations\":[]}"),
    OK(" \n\t{\"violations\":[]}\r\n "),
    /* money: integral, 0 .. 2^53 */
    OK("{" PA ",\"violations\":[]}"),
    OK("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\","
       "\"annual_income\":9007199254740992}],\"violations\":[]}"),
    OK("{\"violations\":[{\"item\":\"X\",\"illegal_income\":100.0}]}"),
    OK("{\"violations\":[{\"item\":\"X\",\"illegal_income\":1e5}]}"),

    /* ---- syntax and encoding (pre-scan: with a position) ---- */
    BADAT("", ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, "", "empty input", 1, 1),
    BADAT("   ", ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, "", "empty input", 1, 4),
    BADAT("{\"violations\":[],}", ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, "",
          "trailing comma", 1, 18),
    BADAT("{\"violations\":[]", ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, "",
          "unexpected end of input", 1, 17),
    BADAT("{\"violations\":[]} x", ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, "",
          "trailing characters after the value", 1, 19),
    BADAT("\xef\xbb\xbf{\"violations\":[]}", ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX,
          "", "byte order mark is not allowed", 1, 1),
    BADAT("{\"violations\":[],\n \"violations\":[]}", IN,
          ZF_DIAG_CASE_DUP_KEY, "violations",
          "violations: duplicate key 'violations'", 2, 2),
    BADAT("{\"violations\":[{\"item\":\"X\",\"item\":\"Y\"}]}", IN,
          ZF_DIAG_CASE_DUP_KEY, "violations[0].item",
          "violations[0].item: duplicate key 'item'", 1, 28),
    BADAT("{\"violations\":[{\"item\":\"X\",\"\\u0069tem\":\"Y\"}]}", IN,
          ZF_DIAG_CASE_DUP_KEY, "violations[0].item",
          "violations[0].item: duplicate key 'item'", 1, 28),
    BADAT("{\"case_id\":\"\xff\",\"violations\":[]}", IN,
          ZF_DIAG_CASE_BAD_UTF8, "case_id", "case_id: invalid UTF-8", 1, 13),
    BADAT("{\"case_id\":\"\xc0\xaf\",\"violations\":[]}", IN,
          ZF_DIAG_CASE_BAD_UTF8, "case_id", "case_id: invalid UTF-8", 1, 13),
    BADAT("{\"case_id\":\"a\\u0000b\",\"violations\":[]}", IN,
          ZF_DIAG_CASE_BAD_UTF8, "case_id",
          "case_id: \\u0000 is not allowed", 1, 14),
    BADAT("{\"violations\":[{\"text\":\"\\ud800\"}]}", IN,
          ZF_DIAG_CASE_BAD_UTF8, "violations[0].text",
          "violations[0].text: lone surrogate \\uD800 is not allowed", 1, 25),
    BADAT("{\"violations\":[{\"text\":\"a\tb\"}]}", ZF_ESYNTAX,
          ZF_DIAG_JSON_SYNTAX, "violations[0].text",
          "violations[0].text: unescaped control character U+0009 in "
          "string", 1, 26),

    /* ---- shape ---- */
    BAD("[]", IN, ZF_DIAG_CASE_WRONG_TYPE, "", "(root): expected an object"),
    BAD("null", IN, ZF_DIAG_CASE_WRONG_TYPE, "",
        "(root): expected an object"),
    BAD("\"case\"", IN, ZF_DIAG_CASE_WRONG_TYPE, "",
        "(root): expected an object"),
    BAD("{}", IN, ZF_DIAG_CASE_MISSING, "",
        "(root): a case needs a 'violations' list"),
    BAD("{\"violations\":{}}", IN, ZF_DIAG_CASE_WRONG_TYPE, "violations",
        "violations: expected a list"),
    BAD("{\"violations\":null}", IN, ZF_DIAG_CASE_WRONG_TYPE, "violations",
        "violations: expected a list"),
    BAD("{\"violations\":[1]}", IN, ZF_DIAG_CASE_WRONG_TYPE, "violations[0]",
        "violations[0]: expected an object"),
    BAD("{\"violations\":[{}]}", IN, ZF_DIAG_CASE_MISSING, "violations[0]",
        "violations[0]: a violation needs an 'item' or a 'text'"),
    BAD("{\"violations\":[{\"text\":\"x\"},{\"facts\":{\"n\":1}}]}", IN,
        ZF_DIAG_CASE_MISSING, "violations[1]",
        "violations[1]: a violation needs an 'item' or a 'text'"),

    /* ---- unknown keys at every level, with the path ---- */
    BAD("{\"violations\":[],\"foo\":1}", IN, ZF_DIAG_CASE_UNKNOWN_KEY, "foo",
        "foo: unknown key 'foo'"),
    BAD("{\"violations\":[],\"Case_id\":\"x\"}", IN, ZF_DIAG_CASE_UNKNOWN_KEY,
        "Case_id", "Case_id: unknown key 'Case_id'"),
    BAD("{\"enterprise\":{\"nam\":\"x\"},\"violations\":[]}", IN,
        ZF_DIAG_CASE_UNKNOWN_KEY, "enterprise.nam",
        "enterprise.nam: unknown key 'nam'"),
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\"},"
        "{\"id\":\"b\",\"role\":\"principal\",\"salary\":1}],"
        "\"violations\":[]}", IN, ZF_DIAG_CASE_UNKNOWN_KEY,
        "persons[1].salary", "persons[1].salary: unknown key 'salary'"),
    BAD("{\"violations\":[{\"text\":\"x\"},{\"item\":\"X\",\"overdu\":true}]}",
        IN, ZF_DIAG_CASE_UNKNOWN_KEY, "violations[1].overdu",
        "violations[1].overdu: unknown key 'overdu'"),
    BAD("{\"violations\":[{\"item\":\"X\",\"factors\":{\"coerce\":true}}]}",
        IN, ZF_DIAG_CASE_UNKNOWN_KEY, "violations[0].factors.coerce",
        "violations[0].factors.coerce: unknown key 'coerce'"),
    BAD("{\"violations\":[{\"item\":\"X\",\"未知\":1}]}", IN,
        ZF_DIAG_CASE_UNKNOWN_KEY, "violations[0][\"未知\"]",
        "violations[0][\"未知\"]: unknown key '未知'"),

    /* ---- wrong types ---- */
    BAD("{\"case_id\":true,\"violations\":[]}", IN, ZF_DIAG_CASE_WRONG_TYPE,
        "case_id", "case_id: expected a string"),
    BAD("{\"case_id\":1.5,\"violations\":[]}", IN, ZF_DIAG_CASE_WRONG_TYPE,
        "case_id", "case_id: expected a string or an integer"),
    BAD("{\"case_id\":1e20,\"violations\":[]}", IN, ZF_DIAG_CASE_WRONG_TYPE,
        "case_id", "case_id: expected a string or an integer"),
    BAD("{\"violation_date\":20240301,\"violations\":[]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "violation_date",
        "violation_date: expected a string"),
    BAD("{\"enterprise\":[],\"violations\":[]}", IN, ZF_DIAG_CASE_WRONG_TYPE,
        "enterprise", "enterprise: expected an object"),
    BAD("{\"enterprise\":{\"domains\":\"machinery\"},\"violations\":[]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "enterprise.domains",
        "enterprise.domains: expected a list of domain ids or names"),
    BAD("{\"enterprise\":{\"domains\":[\"a\",1]},\"violations\":[]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "enterprise.domains[1]",
        "enterprise.domains[1]: expected a string"),
    BAD("{\"enterprise\":{\"high_risk\":1},\"violations\":[]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "enterprise.high_risk",
        "enterprise.high_risk: expected true or false"),
    BAD("{\"enterprise\":{\"penalties_180d\":-1},\"violations\":[]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "enterprise.penalties_180d",
        "enterprise.penalties_180d: expected a non-negative integer"),
    BAD("{\"enterprise\":{\"penalties_365d\":1.5},\"violations\":[]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "enterprise.penalties_365d",
        "enterprise.penalties_365d: expected a non-negative integer"),
    BAD("{\"persons\":{},\"violations\":[]}", IN, ZF_DIAG_CASE_WRONG_TYPE,
        "persons", "persons: expected a list"),
    BAD("{\"persons\":[\"a\"],\"violations\":[]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "persons[0]",
        "persons[0]: expected an object"),
    BAD("{\"persons\":[{\"id\":7,\"role\":\"principal\"}],\"violations\":[]}",
        IN, ZF_DIAG_CASE_WRONG_TYPE, "persons[0].id",
        "persons[0].id: expected a string"),
    BAD("{\"violations\":[{\"item\":1}]}", IN, ZF_DIAG_CASE_WRONG_TYPE,
        "violations[0].item", "violations[0].item: expected a string"),
    BAD("{\"violations\":[{\"item\":\"X\",\"overdue\":\"yes\"}]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "violations[0].overdue",
        "violations[0].overdue: expected true or false"),
    BAD("{\"violations\":[{\"item\":\"X\",\"corrected\":0}]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "violations[0].corrected",
        "violations[0].corrected: expected true or false"),
    BAD("{\"violations\":[{\"item\":\"X\",\"facts\":[]}]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "violations[0].facts",
        "violations[0].facts: expected an object of facts"),
    BAD("{\"violations\":[{\"item\":\"X\",\"facts\":{\"a\":{\"b\":1}}}]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "violations[0].facts.a",
        "violations[0].facts.a: a fact must be a number, string, boolean or "
        "null"),
    BAD("{\"violations\":[{\"item\":\"X\",\"factors\":[]}]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "violations[0].factors",
        "violations[0].factors: expected an object"),
    BAD("{\"violations\":[{\"item\":\"X\",\"factors\":{\"repeat_12m\":-2}}]}",
        IN, ZF_DIAG_CASE_WRONG_TYPE, "violations[0].factors.repeat_12m",
        "violations[0].factors.repeat_12m: expected a non-negative integer"),
    BAD("{\"violations\":[{\"item\":\"X\",\"persons\":\"a\"}]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "violations[0].persons",
        "violations[0].persons: expected a list of person ids"),
    BAD("{" PA ",\"violations\":[{\"item\":\"X\",\"persons\":[1]}]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "violations[0].persons[0]",
        "violations[0].persons[0]: expected a person id or {\"id\", \"as\"}"),

    /* ---- values ---- */
    BAD("{\"violations\":[{\"item\":\"X\",\"harm\":\"severe\"}]}", IN,
        ZF_DIAG_CASE_BAD_VALUE, "violations[0].harm",
        "violations[0].harm: 'severe' is not one of: none, minor, serious"),
    BAD("{\"violations\":[{\"item\":\"X\",\"accident\":\"big\"}]}", IN,
        ZF_DIAG_CASE_BAD_VALUE, "violations[0].accident",
        "violations[0].accident: 'big' is not one of: none, general, larger, "
        "major, especially_major"),
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"boss\"}],\"violations\":[]}",
        IN, ZF_DIAG_CASE_BAD_VALUE, "persons[0].role",
        "persons[0].role: 'boss' is not one of: principal, other_leader, "
        "safety_manager, direct_supervisor, direct_staff, investor"),

    /* ---- dates ---- */
    BAD("{\"violation_date\":\"2023-02-29\",\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_DATE, "violation_date",
        "violation_date: '2023-02-29' is not a valid date YYYY-MM-DD"),
    BAD("{\"inspection_date\":\"2024-13-01\",\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_DATE, "inspection_date",
        "inspection_date: '2024-13-01' is not a valid date YYYY-MM-DD"),
    BAD("{\"decision_date\":\"1900-02-29\",\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_DATE, "decision_date",
        "decision_date: '1900-02-29' is not a valid date YYYY-MM-DD"),
    BAD("{\"decision_date\":\"2024-04-31\",\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_DATE, "decision_date",
        "decision_date: '2024-04-31' is not a valid date YYYY-MM-DD"),
    BAD("{\"decision_date\":\"2024-00-10\",\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_DATE, "decision_date",
        "decision_date: '2024-00-10' is not a valid date YYYY-MM-DD"),
    BAD("{\"decision_date\":\"2024-3-1\",\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_DATE, "decision_date",
        "decision_date: '2024-3-1' is not a valid date YYYY-MM-DD"),
    BAD("{\"decision_date\":\"2024-03-01T00:00\",\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_DATE, "decision_date",
        "decision_date: '2024-03-01T00:00' is not a valid date YYYY-MM-DD"),
    BAD("{\"decision_date\":\"\",\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_DATE, "decision_date",
        "decision_date: '' is not a valid date YYYY-MM-DD"),

    /* ---- money ---- */
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\","
        "\"annual_income\":1.5}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_MONEY, "persons[0].annual_income",
        "persons[0].annual_income: an amount must be a whole number of yuan "
        "between 0 and 2^53"),
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\","
        "\"annual_income\":-1}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_MONEY, "persons[0].annual_income",
        "persons[0].annual_income: an amount must be a whole number of yuan "
        "between 0 and 2^53"),
    /* beyond 2^53 the pre-scan rejects the integer before cJSON rounds it
     * (9007199254740993 would otherwise become ...992) */
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\","
        "\"annual_income\":9007199254740994}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_MONEY, "persons[0].annual_income",
        "persons[0].annual_income: number 9007199254740994 is beyond ±2^53 "
        "and cannot be held exactly"),
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\","
        "\"annual_income\":9007199254740993}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_MONEY, "persons[0].annual_income",
        "persons[0].annual_income: number 9007199254740993 is beyond ±2^53 "
        "and cannot be held exactly"),
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\","
        "\"annual_income\":1e300}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_MONEY, "persons[0].annual_income",
        "persons[0].annual_income: an amount must be a whole number of yuan "
        "between 0 and 2^53"),
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\","
        "\"annual_income\":\"240000\"}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_WRONG_TYPE, "persons[0].annual_income",
        "persons[0].annual_income: expected an amount in whole yuan"),
    BAD("{\"violations\":[{\"item\":\"X\",\"illegal_income\":0.01}]}", IN,
        ZF_DIAG_CASE_BAD_MONEY, "violations[0].illegal_income",
        "violations[0].illegal_income: an amount must be a whole number of "
        "yuan between 0 and 2^53"),

    /* ---- persons ---- */
    BAD("{\"violations\":[{\"item\":\"X\",\"persons\":[\"p9\"]}]}", IN,
        ZF_DIAG_CASE_UNKNOWN_PERSON, "violations[0].persons[0]",
        "violations[0].persons[0]: 'p9' is not the id of a person in "
        "'persons'"),
    BAD("{" PA ",\"violations\":[{\"text\":\"x\"},{\"item\":\"X\","
        "\"persons\":[\"a\",\"b\"]}]}", IN, ZF_DIAG_CASE_UNKNOWN_PERSON,
        "violations[1].persons[1]",
        "violations[1].persons[1]: 'b' is not the id of a person in "
        "'persons'"),
    BAD("{\"persons\":[{\"id\":\"a\",\"role\":\"principal\"},"
        "{\"id\":\"a\",\"role\":\"direct_staff\"}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_BAD_VALUE, "persons[1]",
        "persons[1]: person id 'a' is used twice"),
    BAD("{" PA ",\"violations\":[{\"item\":\"X\",\"persons\":[\"a\",\"a\"]}]}",
        IN, ZF_DIAG_CASE_BAD_VALUE, "violations[0].persons[1]",
        "violations[0].persons[1]: person 'a' is listed twice"),
    BAD("{\"persons\":[{\"role\":\"principal\"}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_MISSING, "persons[0]", "persons[0]: a person needs an 'id'"),
    BAD("{\"persons\":[{\"id\":\"a\"}],\"violations\":[]}", IN,
        ZF_DIAG_CASE_MISSING, "persons[0]",
        "persons[0]: a person needs a 'role'"),
};

static void
check_case(const struct ccase *c, size_t len)
{
    zf_context *ctx = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    zf_status rc;
    char *buf;

    /* an exact-size copy without a terminator: the parser must not read
     * past len (valgrind / ASan would see it) */
    buf = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, c->json, len);
    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    rc = zf_case_parse(&cs, ctx, buf, len, &err);
    ck_assert_msg(rc == c->code, "%s\n  status %d, expected %d (%s)", c->json,
                  rc, c->code, err.message);
    if (rc == ZF_OK) {
        ck_assert_ptr_nonnull(cs);
        ck_assert_ptr_nonnull(zf_case_id(cs));
    } else {
        ck_assert_ptr_null(cs);
        ck_assert_int_eq(err.code, rc);
        ck_assert_msg(err.diag == c->diag, "%s\n  diag %d, expected %d",
                      c->json, err.diag, c->diag);
        ck_assert_str_eq(err.path, c->path);
        ck_assert_str_eq(err.message, c->message);
        if (c->line) {
            ck_assert_uint_eq(err.line, c->line);
            ck_assert_uint_eq(err.column, c->column);
        }
        /* the error struct is optional */
        ck_assert_int_eq(zf_case_parse(&cs, ctx, buf, len, NULL), rc);
        ck_assert_ptr_null(cs);
    }
    zf_case_free(cs);
    zf_context_free(ctx);
    free(buf);
}

START_TEST(test_table)
{
    check_case(&cases[_i], strlen(cases[_i].json));
}
END_TEST

START_TEST(test_accessors)
{
    static const char j[] =
        "{\"case_id\":\"2024-031\",\"violations\":[{\"item\":\"A\"},"
        "{\"text\":\"未培训\"},{\"item\":\"B\",\"text\":\"y\"}]}";
    static const char k[] = "{\"violations\":[]}";
    zf_context *ctx = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, j, strlen(j), &err), ZF_OK);
    ck_assert_str_eq(zf_case_id(cs), "2024-031");
    ck_assert_uint_eq(zf_case_violation_count(cs), 3);
    zf_case_free(cs);
    cs = NULL;
    /* no case_id: "" */
    ck_assert_int_eq(zf_case_parse(&cs, ctx, k, strlen(k), &err), ZF_OK);
    ck_assert_str_eq(zf_case_id(cs), "");
    ck_assert_uint_eq(zf_case_violation_count(cs), 0);
    zf_case_free(cs);
    cs = NULL;
    /* a numeric case_id is its decimal text */
    ck_assert_int_eq(zf_case_parse(&cs, ctx, LIT("{\"case_id\":-7,"
                                                 "\"violations\":[]}"),
                                   &err), ZF_OK);
    ck_assert_str_eq(zf_case_id(cs), "-7");
    zf_case_free(cs);
    cs = NULL;
    /* NULL */
    ck_assert_ptr_null(zf_case_id(NULL));
    ck_assert_uint_eq(zf_case_violation_count(NULL), 0);
    zf_case_free(NULL);
    /* invalid arguments */
    ck_assert_int_eq(zf_case_parse(NULL, ctx, k, strlen(k), &err), ZF_EINVAL);
    ck_assert_int_eq(err.diag, ZF_DIAG_INVAL);
    ck_assert_int_eq(zf_case_parse(&cs, NULL, k, strlen(k), &err), ZF_EINVAL);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, NULL, 5, &err), ZF_EINVAL);
    /* NULL with length 0 is empty input */
    ck_assert_int_eq(zf_case_parse(&cs, ctx, NULL, 0, &err), ZF_ESYNTAX);
    ck_assert_ptr_null(cs);
    /* the length is what counts, not a terminator */
    ck_assert_int_eq(zf_case_parse(&cs, ctx, "{\"violations\":[]}garbage", 17,
                                   &err), ZF_OK);
    zf_case_free(cs);
    cs = NULL;
    /* an embedded NUL byte is not JSON */
    ck_assert_int_eq(zf_case_parse(&cs, ctx, LIT("{\"violations\":[]}\0"),
                                   &err), ZF_ESYNTAX);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, LIT("{\"case_id\":\"a\0b\","
                                                 "\"violations\":[]}"),
                                   &err), ZF_ESYNTAX);
    ck_assert_int_eq(err.diag, ZF_DIAG_JSON_SYNTAX);
    zf_context_free(ctx);
}
END_TEST

/* ---- limits at N and N+1 ---- */

static char *
nested(unsigned depth)
{
    /* {"violations":[], "enterprise": ... } cannot nest; use facts values:
     * an unknown deep value is caught by the pre-scan before the schema. */
    size_t i, n = 0;
    char *s = malloc(64 + 2 * depth);

    ck_assert_ptr_nonnull(s);
    n += (size_t)sprintf(s, "{\"violations\":");
    for (i = 1; i < depth; i++)
        s[n++] = '[';
    for (i = 1; i < depth; i++)
        s[n++] = ']';
    s[n++] = '}';
    s[n] = '\0';
    return s;
}

START_TEST(test_limit_depth)
{
    zf_context *ctx = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *s;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_JSON_DEPTH, -1), 32);
    /* 32 deep: accepted by the pre-scan; [[...]] is then a bad violation */
    s = nested(32);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, s, strlen(s), &err), ZF_EINPUT);
    ck_assert_int_eq(err.diag, ZF_DIAG_CASE_WRONG_TYPE);
    ck_assert_str_eq(err.path, "violations[0]");
    free(s);
    /* 33 deep: a limit error at the bracket that opens level 33 */
    s = nested(33);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, s, strlen(s), &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_JSON);
    ck_assert_uint_eq(err.line, 1);
    ck_assert_uint_eq(err.column, 15 + 31);
    ck_assert_ptr_null(cs);
    free(s);
    /* a configured limit */
    zf_context_set_limit(ctx, ZF_LIMIT_JSON_DEPTH, 2);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, "{\"violations\":[]}", 17, &err),
                     ZF_OK);
    zf_case_free(cs);
    cs = NULL;
    ck_assert_int_eq(zf_case_parse(&cs, ctx, "{\"violations\":[{\"item\":"
                                   "\"X\"}]}", 29, &err), ZF_ELIMIT);
    ck_assert_str_eq(err.message, "violations[0]: nesting deeper than 2");
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_limit_size)
{
    static const char j[] = "{\"violations\":[]}";
    zf_context *ctx = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_JSON_SIZE, 17),
                     1024 * 1024);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, j, 17, &err), ZF_OK);
    zf_case_free(cs);
    cs = NULL;
    zf_context_set_limit(ctx, ZF_LIMIT_JSON_SIZE, 16);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, j, 17, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_JSON);
    ck_assert_str_eq(err.message, "case JSON larger than 16 bytes");
    ck_assert_ptr_null(cs);
    zf_context_free(ctx);
}
END_TEST

static char *
violations_json(size_t n, size_t text_len)
{
    size_t i, o = 0;
    char *s = malloc(32 + n * (14 + text_len));

    ck_assert_ptr_nonnull(s);
    o += (size_t)sprintf(s, "{\"violations\":[");
    for (i = 0; i < n; i++) {
        o += (size_t)sprintf(s + o, "%s{\"text\":\"", i ? "," : "");
        memset(s + o, 'a', text_len);
        o += text_len;
        o += (size_t)sprintf(s + o, "\"}");
    }
    o += (size_t)sprintf(s + o, "]}");
    return s;
}

START_TEST(test_limit_violations)
{
    zf_context *ctx = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *s;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    /* the default, 1000 */
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_VIOLATIONS, -1), 1000);
    s = violations_json(1000, 1);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, s, strlen(s), &err), ZF_OK);
    ck_assert_uint_eq(zf_case_violation_count(cs), 1000);
    zf_case_free(cs);
    cs = NULL;
    free(s);
    s = violations_json(1001, 1);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, s, strlen(s), &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_JSON);
    ck_assert_str_eq(err.path, "violations");
    ck_assert_str_eq(err.message, "violations: more than 1000 violations");
    free(s);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_limit_text)
{
    zf_context *ctx = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *s;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    /* the default subject length, 64 KiB */
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_SUBJECT_LENGTH, -1),
                     65536);
    s = violations_json(1, 65536);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, s, strlen(s), &err), ZF_OK);
    zf_case_free(cs);
    cs = NULL;
    free(s);
    s = violations_json(1, 65537);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, s, strlen(s), &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_JSON);
    ck_assert_str_eq(err.path, "violations[0].text");
    ck_assert_str_eq(err.message,
                     "violations[0].text: text longer than 65536 bytes");
    free(s);
    zf_context_free(ctx);
}
END_TEST

/* Regression: a non-integral numeric case_id was rounded ("1.5" → "2",
 * "-0.4" → "-0") instead of being rejected. */
START_TEST(test_case_id_number)
{
    static const char *const bad[] = {"1.5", "-0.4", "1e20", "0.5"};
    zf_context *ctx = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char j[64];
    size_t i;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(j, sizeof(j), "{\"case_id\":%s,\"violations\":[]}", bad[i]);
        ck_assert_int_eq(zf_case_parse(&cs, ctx, j, strlen(j), &err),
                         ZF_EINPUT);
        ck_assert_str_eq(err.path, "case_id");
        ck_assert_ptr_null(cs);
    }
    snprintf(j, sizeof(j), "{\"case_id\":-0.0,\"violations\":[]}");
    ck_assert_int_eq(zf_case_parse(&cs, ctx, j, strlen(j), &err), ZF_OK);
    ck_assert_str_eq(zf_case_id(cs), "0");
    zf_case_free(cs);
    zf_context_free(ctx);
}
END_TEST

static Suite *
case_suite(void)
{
    Suite *s = suite_create("case");
    TCase *tc;

    tc = tcase_create("table");
    tcase_add_loop_test(tc, test_table, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    suite_add_tcase(s, tc);

    tc = tcase_create("api");
    tcase_add_test(tc, test_accessors);
    tcase_add_test(tc, test_case_id_number);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_limit_depth);
    tcase_add_test(tc, test_limit_size);
    tcase_add_test(tc, test_limit_violations);
    tcase_add_test(tc, test_limit_text);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(case_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
