/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <check.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "expr-private.h"
#include "test-common.h"

/* ---- fixture: a schema, fact values and regex plumbing ---- */

enum {
    S_UNTRAINED = 0,
    S_OVERDUE = 1,
    S_FINE = 2,
    S_NAME = 3,
    S_HARM = 4,
    S_TAGS = 5,
    S_INSPECTED = 6,
    S_DEADLINE = 7,
    S_LEVELS = 8,
    S_CODES = 9,
    S_INCOME = 10,
    S_KIND = 11,
    S_FLAG = 12,
    S_WORKERS = 13,
    S_DAYS = 14,
    S_FIRST = 20,
    S_PEN365 = 21,
    S_ACCIDENT = 22,
    N_SLOTS = 32
};

static const char *const harm_values[] = {"none", "minor", "serious"};
static const char *const kind_values[] = {"a", "b"};
static const char *const accident_values[] = {"none", "general", "larger"};

static const struct zf__fact facts[] = {
    {"untrained", "未经培训人数", ZF_TYPE_INT, ZF_TYPE_NONE, NULL, 0,
     S_UNTRAINED},
    {"overdue", NULL, ZF_TYPE_BOOL, ZF_TYPE_NONE, NULL, 0, S_OVERDUE},
    {"fine", NULL, ZF_TYPE_MONEY, ZF_TYPE_NONE, NULL, 0, S_FINE},
    {"name", NULL, ZF_TYPE_STRING, ZF_TYPE_NONE, NULL, 0, S_NAME},
    {"harm", NULL, ZF_TYPE_ENUM, ZF_TYPE_NONE, harm_values, 3, S_HARM},
    {"tags", NULL, ZF_TYPE_LIST, ZF_TYPE_STRING, NULL, 0, S_TAGS},
    {"inspected", NULL, ZF_TYPE_DATE, ZF_TYPE_NONE, NULL, 0, S_INSPECTED},
    {"deadline", NULL, ZF_TYPE_DATE, ZF_TYPE_NONE, NULL, 0, S_DEADLINE},
    {"levels", NULL, ZF_TYPE_LIST, ZF_TYPE_ENUM, harm_values, 3, S_LEVELS},
    {"codes", NULL, ZF_TYPE_LIST, ZF_TYPE_INT, NULL, 0, S_CODES},
    {"income", NULL, ZF_TYPE_MONEY, ZF_TYPE_NONE, NULL, 0, S_INCOME},
    {"kind", NULL, ZF_TYPE_ENUM, ZF_TYPE_NONE, kind_values, 2, S_KIND},
    {"flag", NULL, ZF_TYPE_BOOL, ZF_TYPE_NONE, NULL, 0, S_FLAG},
    {"workers", NULL, ZF_TYPE_INT, ZF_TYPE_NONE, NULL, 0, S_WORKERS},
    {"days", NULL, ZF_TYPE_INT, ZF_TYPE_NONE, NULL, 0, S_DAYS},
};

static const struct zf__fact builtins[] = {
    {"first_offence", NULL, ZF_TYPE_BOOL, ZF_TYPE_NONE, NULL, 0, S_FIRST},
    {"penalties_365d", NULL, ZF_TYPE_INT, ZF_TYPE_NONE, NULL, 0, S_PEN365},
    {"accident", NULL, ZF_TYPE_ENUM, ZF_TYPE_NONE, accident_values, 3,
     S_ACCIDENT},
};

static const struct zf__schema schema = {facts, ZF_ARRAY_SIZE(facts),
                                         builtins, ZF_ARRAY_SIZE(builtins)};

#define COMPANY "某某公司 ltd"

struct regexes {
    pcre2_code *code[64];
    size_t n;
};

static zf_context *ctx;
static struct zf__arena arena;
static struct zf__expr_env env;
static struct regexes regexes;
static struct zf__value slots[N_SLOTS];
static uint8_t present[N_SLOTS];
static struct zf__value tag_values[2];
static struct zf__value level_values[2];
static struct zf__value code_values[3];
static struct zf__expr_ctx ectx;

static void *
compile_regex(void *ud, const char *pattern, size_t len, size_t *err_offset,
              char *msg, size_t msg_size)
{
    struct regexes *r = ud;
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re;

    re = pcre2_compile((PCRE2_SPTR)pattern, len, PCRE2_UTF, &errcode,
                       &erroff, NULL);
    if (!re) {
        *err_offset = erroff;
        pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg, msg_size);
        return NULL;
    }
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* optional */
    ck_assert_uint_lt(r->n, ZF_ARRAY_SIZE(r->code));
    r->code[r->n++] = re;
    return re;
}

static void
set_str(unsigned slot, const char *s)
{
    slots[slot].u.str.s = s;
    slots[slot].u.str.len = (uint32_t)strlen(s);
}

static void
setup(void)
{
    int32_t d;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    zf__arena_init(&arena, ctx, 4096);
    memset(&env, 0, sizeof(env));
    env.ctx = ctx;
    env.arena = &arena;
    env.schema = &schema;
    env.max_depth = 64;
    env.compile_regex = compile_regex;
    env.regex_ud = &regexes;
    memset(&regexes, 0, sizeof(regexes));

    memset(slots, 0, sizeof(slots));
    memset(present, 1, sizeof(present));
    slots[S_UNTRAINED].u.i = 2;
    slots[S_OVERDUE].u.i = 1;
    slots[S_FINE].u.i = 5000;
    set_str(S_NAME, COMPANY);
    slots[S_HARM].u.i = 2; /* serious */
    tag_values[0].u.str.s = "动火";
    tag_values[0].u.str.len = (uint32_t)strlen("动火");
    tag_values[1].u.str.s = "高处";
    tag_values[1].u.str.len = (uint32_t)strlen("高处");
    slots[S_TAGS].u.list.v = tag_values;
    slots[S_TAGS].u.list.n = 2;
    ck_assert(zf__parse_date("2024-03-01", 10, &d));
    slots[S_INSPECTED].u.i = d;
    ck_assert(zf__parse_date("2024-02-20", 10, &d));
    slots[S_DEADLINE].u.i = d;
    level_values[0].u.i = 1; /* minor */
    level_values[1].u.i = 2; /* serious */
    slots[S_LEVELS].u.list.v = level_values;
    slots[S_LEVELS].u.list.n = 2;
    code_values[0].u.i = 3;
    code_values[1].u.i = 5;
    code_values[2].u.i = 7;
    slots[S_CODES].u.list.v = code_values;
    slots[S_CODES].u.list.n = 3;
    slots[S_INCOME].u.i = 120000;
    slots[S_KIND].u.i = 0;
    slots[S_FLAG].u.i = 0;
    slots[S_WORKERS].u.i = 12;
    slots[S_DAYS].u.i = 10;
    slots[S_FIRST].u.i = 1;
    slots[S_PEN365].u.i = 0;
    slots[S_ACCIDENT].u.i = 0;

    memset(&ectx, 0, sizeof(ectx));
    ectx.slots = slots;
    ectx.present = present;
    ectx.match_data = pcre2_match_data_create(4, NULL);
    ck_assert_ptr_nonnull(ectx.match_data);
    ectx.match_context = NULL;
}

static void
teardown(void)
{
    size_t i;

    for (i = 0; i < regexes.n; i++)
        pcre2_code_free(regexes.code[i]);
    pcre2_match_data_free(ectx.match_data);
    pcre2_match_context_free(ectx.match_context);
    zf__arena_destroy(&arena);
    zf_context_free(ctx);
}

/* ---- helpers ---- */

static const struct zf__expr *
compile_ok(const char *src, enum zf__type want)
{
    const struct zf__expr *e = NULL;
    struct zf__expr_diag d;
    zf_status rc = zf__expr_compile(&e, &env, src, strlen(src), want, &d);

    ck_assert_msg(rc == ZF_OK, "compile '%s': %d %s @%zu", src, rc,
                  d.message, d.offset);
    ck_assert_ptr_nonnull(e);
    return e;
}

static void
compile_err(const char *src, enum zf__type want, zf_status code, int diag,
            size_t offset, const char *message)
{
    const struct zf__expr *e = NULL;
    struct zf__expr_diag d;
    zf_status rc = zf__expr_compile(&e, &env, src, strlen(src), want, &d);

    ck_assert_msg(rc == code, "'%s': rc %d, want %d (%s)", src, rc, code,
                  d.message);
    ck_assert_ptr_null(e);
    ck_assert_int_eq(d.code, code);
    ck_assert_int_eq(d.diag, diag);
    ck_assert_msg(d.offset == offset, "'%s': offset %zu, want %zu (%s)", src,
                  d.offset, offset, d.message);
    if (message)
        ck_assert_str_eq(d.message, message);
}

/* Compile (any type) and evaluate; returns the eval status. */
static int
eval_src(const char *src, struct zf__value *out, uint16_t *ms)
{
    const struct zf__expr *e = compile_ok(src, ZF_TYPE_NONE);

    *ms = UINT16_MAX;
    memset(out, 0, sizeof(*out));
    return zf__expr_eval(e, &ectx, out, ms);
}

static int64_t
eval_int(const char *src)
{
    struct zf__value v;
    uint16_t ms;
    int rc = eval_src(src, &v, &ms);

    ck_assert_msg(rc == ZF_OK, "eval '%s' -> %d", src, rc);
    return v.u.i;
}

static void
eval_status(const char *src, int status)
{
    struct zf__value v;
    uint16_t ms;
    int rc = eval_src(src, &v, &ms);

    ck_assert_msg(rc == status, "eval '%s' -> %d, want %d", src, rc, status);
}

static void
eval_missing(const char *src, uint16_t slot)
{
    struct zf__value v;
    uint16_t ms;
    int rc = eval_src(src, &v, &ms);

    ck_assert_msg(rc == ZF__EMISSING, "eval '%s' -> %d, want missing", src,
                  rc);
    ck_assert_msg(ms == slot, "eval '%s': missing slot %u, want %u", src,
                  (unsigned)ms, (unsigned)slot);
}

#define SYN(src, off, msg) \
    compile_err(src, ZF_TYPE_NONE, ZF_ESYNTAX, ZF_DIAG_EXPR_SYNTAX, off, msg)
#define TYPE(src, off, msg) \
    compile_err(src, ZF_TYPE_NONE, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, off, msg)
#define NAME(src, off, msg) \
    compile_err(src, ZF_TYPE_NONE, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_NAME, off, msg)

/* ---- parse errors ---- */

START_TEST(test_syntax_errors)
{
    SYN("", 0, "empty expression");
    SYN(" \t\n ", 0, "empty expression");
    SYN("(untrained", 10, "expected ')'");
    SYN("untrained <=", 12, "unexpected end of expression");
    SYN("untrained <= )", 13, "unexpected ')'");
    SYN("name == \"abc", 8, "unterminated string");
    SYN("name == \"ab\\", 8, "unterminated string");
    SYN("name == \"a\\qb\"", 10,
        "invalid escape '\\q' (use \\\" \\\\ \\n \\t)");
    SYN("untrained = 3", 10, "unexpected '=' (did you mean '=='?)");
    SYN("!overdue", 0, "unexpected '!' (use 'not' or '!=')");
    SYN("untrained <= 3 overdue", 15, "unexpected 'overdue'");
    SYN("99999999999999999999 > 1", 0, "integer literal too large");
    SYN("9223372036854775808", 0, "integer literal too large");
    SYN("fine > 1.5", 7, "only whole numbers are allowed");
    SYN("3abc", 0, "invalid number '3abc'");
    SYN("untrained @ 3", 10, "unexpected character '@'");
    SYN("名字 == 1", 0, "unexpected character '名'");
    SYN("1 < 2 < 3", 6, "comparisons cannot be chained; use 'and'");
    SYN("harm in", 7, "expected a list or a list fact after 'in'");
    SYN("harm in [\"minor\",]", 17, "list elements must be literals");
    SYN("harm in [\"minor\" \"serious\"]", 17, "expected ',' or ']'");
    SYN("untrained in [1, workers]", 17, "list elements must be literals");
    SYN("untrained in [1, 2", 18, "expected ',' or ']'");
    SYN("min(1, 2", 8, "expected ',' or ')'");
    SYN("abs(", 4, "unexpected end of expression");
    SYN("(1))", 3, "unbalanced ')'");
    SYN("name matches untrained", 13,
        "expected a string pattern after 'matches'");
    SYN("overdue and", 11, "unexpected end of expression");
    SYN("not", 3, "unexpected end of expression");
    SYN("overdue not flag", 8, "unexpected 'not'");
    SYN("- - -", 5, "unexpected end of expression");
}
END_TEST

START_TEST(test_source_not_terminated)
{
    /* `len` bounds the source: nothing past it is read */
    const char buf[] = "untrained <= 3XXXX";
    const char str[] = "name == \"ab\"";
    const struct zf__expr *e = NULL;
    struct zf__expr_diag d;
    struct zf__value v;
    uint16_t ms;
    char *copy = malloc(14);

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, buf, 14); /* no NUL: valgrind catches any over-read */
    ck_assert_int_eq(zf__expr_compile(&e, &env, copy, 14, ZF_TYPE_BOOL, &d),
                     ZF_OK);
    ck_assert_str_eq(zf__expr_source(e), "untrained <= 3");
    ck_assert_int_eq(zf__expr_eval(e, &ectx, &v, &ms), ZF_OK);
    ck_assert_int_eq(v.u.i, 1);
    free(copy);

    e = NULL;
    ck_assert_int_eq(zf__expr_compile(&e, &env, str, strlen(str) - 1,
                                      ZF_TYPE_BOOL, &d),
                     ZF_ESYNTAX);
    ck_assert_str_eq(d.message, "unterminated string");
    ck_assert_uint_eq(d.offset, 8);
    ck_assert_ptr_null(e);

    /* NULL diag is allowed */
    ck_assert_int_eq(zf__expr_compile(&e, &env, "(", 1, ZF_TYPE_NONE, NULL),
                     ZF_ESYNTAX);
}
END_TEST

/* ---- names ---- */

START_TEST(test_unknown_names)
{
    NAME("untrainde <= 3", 0,
         "unknown fact 'untrainde' (did you mean 'untrained'?)");
    NAME("overdue and frist_offence", 12,
         "unknown fact 'frist_offence' (did you mean 'first_offence'?)");
    NAME("penalties_356d > 0", 0,
         "unknown fact 'penalties_356d' (did you mean 'penalties_365d'?)");
    /* distance 3 <= 9/3 */
    NAME("untrxxxed > 0", 0,
         "unknown fact 'untrxxxed' (did you mean 'untrained'?)");
    /* distance 4 > max(2, 3/3): no suggestion */
    NAME("wrk > 1", 0, "unknown fact 'wrk'");
    NAME("zzzzzz > 1", 0, "unknown fact 'zzzzzz'");
    NAME("flag and Overdue", 9,
         "unknown fact 'Overdue' (did you mean 'overdue'?)");
    NAME("\"x\" in tgas", 7, "unknown fact 'tgas' (did you mean 'tags'?)");
    NAME("maxx(1, 2) > 0", 0,
         "unknown function 'maxx' (did you mean 'max'?)");
    NAME("foo(1)", 0, "unknown function 'foo'");
    NAME("min > 1", 0, "'min' is a function; call it as min(...)");
    /* keywords are not names */
    SYN("true and", 8, "unexpected end of expression");
    ck_assert_int_eq(eval_int("first_offence and penalties_365d == 0"), 1);
}
END_TEST

/* ---- types ---- */

START_TEST(test_types)
{
    const struct zf__expr *e;

    compile_err("untrained", ZF_TYPE_BOOL, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, 0,
                "condition must be bool, got int");
    compile_err("  fine * 2", ZF_TYPE_BOOL, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, 2,
                "condition must be bool, got money");
    compile_err("name", ZF_TYPE_MONEY, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, 0,
                "expression must be money, got string");
    compile_err("fine", ZF_TYPE_INT, ZF_ESCHEMA, ZF_DIAG_EXPR_TYPE, 0,
                "expression must be int, got money");
    TYPE("fine == name", 5, "cannot compare money with string");
    TYPE("fine * fine > 1", 5,
         "operator '*' cannot be applied to money and money");
    TYPE("untrained / fine", 10,
         "operator '/' cannot be applied to int and money");
    TYPE("fine % fine", 5, "operator '%' cannot be applied to money and money");
    TYPE("name + 1", 5, "operator '+' cannot be applied to string and int");
    TYPE("overdue + 1", 8, "operator '+' cannot be applied to bool and int");
    TYPE("name < \"b\"", 5, "operator '<' cannot be applied to string");
    TYPE("overdue >= flag", 8, "operator '>=' cannot be applied to bool");
    TYPE("untrained and overdue", 0, "operand of 'and' must be bool, got int");
    TYPE("overdue or name", 11, "operand of 'or' must be bool, got string");
    TYPE("not fine", 4, "operand of 'not' must be bool, got money");
    TYPE("-name", 0, "operand of unary '-' must be int or money, got string");
    TYPE("untrained matches \"x\"", 10,
         "'matches' needs a string on the left, got int");
    TYPE("inspected - deadline", 10,
         "operator '-' cannot be applied to date and date "
         "(use days_between)");
    TYPE("inspected < \"2024-01-01\"", 10,
         "cannot compare date with string (write date(\"YYYY-MM-DD\"))");
    TYPE("inspected < 3", 10, "cannot compare date with int");
    TYPE("harm == kind", 5,
         "cannot compare enum 'harm' with enum 'kind' (different values)");
    TYPE("harm == accident", 5,
         "cannot compare enum 'harm' with enum 'accident' "
         "(different values)");
    TYPE("harm < \"serious\"", 5, "operator '<' cannot be applied to enum");
    TYPE("harm == name", 5, "cannot compare enum with string");
    TYPE("untrained in tags", 10, "cannot look for int in a list of string");
    TYPE("inspected in [1]", 10, "cannot look for date in a list of int");
    TYPE("name in [1, 2]", 5, "cannot look for string in a list of int");
    TYPE("untrained in fine", 13, "right side of 'in' must be a list, got money");
    TYPE("len([1, \"a\"]) > 0", 8,
         "list elements must all have the same type, got int and string");
    TYPE("tags == tags", 5, "cannot compare list with list");

    /* result types */
    e = compile_ok("fine * 2", ZF_TYPE_NONE);
    ck_assert_int_eq(zf__expr_type(e), ZF_TYPE_MONEY);
    ck_assert_int_eq(zf__expr_type(compile_ok("2 * fine", ZF_TYPE_MONEY)),
                     ZF_TYPE_MONEY);
    ck_assert_int_eq(zf__expr_type(compile_ok("fine / 3", ZF_TYPE_NONE)),
                     ZF_TYPE_MONEY);
    ck_assert_int_eq(zf__expr_type(compile_ok("fine - 1", ZF_TYPE_NONE)),
                     ZF_TYPE_MONEY);
    ck_assert_int_eq(zf__expr_type(compile_ok("fine + income", ZF_TYPE_NONE)),
                     ZF_TYPE_MONEY);
    ck_assert_int_eq(
        zf__expr_type(compile_ok("untrained + 1", ZF_TYPE_NONE)),
        ZF_TYPE_INT);
    /* an int where money is wanted converts */
    ck_assert_int_eq(
        zf__expr_type(compile_ok("untrained * 100", ZF_TYPE_MONEY)),
        ZF_TYPE_MONEY);
    ck_assert_int_eq(zf__expr_type(compile_ok("inspected + 30", ZF_TYPE_DATE)),
                     ZF_TYPE_DATE);
    ck_assert_int_eq(zf__expr_type(compile_ok(
                         "days_between(deadline, inspected)", ZF_TYPE_INT)),
                     ZF_TYPE_INT);
    ck_assert_int_eq(
        zf__expr_type(compile_ok("max(untrained, fine)", ZF_TYPE_NONE)),
        ZF_TYPE_MONEY);
    ck_assert_int_eq(zf__expr_type(compile_ok("harm", ZF_TYPE_NONE)),
                     ZF_TYPE_ENUM);
    ck_assert_int_eq(zf__expr_type(compile_ok("tags", ZF_TYPE_NONE)),
                     ZF_TYPE_LIST);
    ck_assert_int_eq(zf__expr_type(compile_ok("name", ZF_TYPE_STRING)),
                     ZF_TYPE_STRING);
    ck_assert_int_eq(zf__expr_type(compile_ok("overdue", ZF_TYPE_BOOL)),
                     ZF_TYPE_BOOL);
    /* int/money comparisons are fine */
    ck_assert_int_eq(eval_int("untrained < fine"), 1);
    ck_assert_int_eq(eval_int("fine > 4999"), 1);

    ck_assert_str_eq(zf__type_name(ZF_TYPE_BOOL), "bool");
    ck_assert_str_eq(zf__type_name(ZF_TYPE_INT), "int");
    ck_assert_str_eq(zf__type_name(ZF_TYPE_MONEY), "money");
    ck_assert_str_eq(zf__type_name(ZF_TYPE_STRING), "string");
    ck_assert_str_eq(zf__type_name(ZF_TYPE_DATE), "date");
    ck_assert_str_eq(zf__type_name(ZF_TYPE_ENUM), "enum");
    ck_assert_str_eq(zf__type_name(ZF_TYPE_LIST), "list");
}
END_TEST

/* ---- arithmetic ---- */

START_TEST(test_arithmetic)
{
    ck_assert_int_eq(eval_int("workers * days"), 120);
    ck_assert_int_eq(eval_int("fine + untrained"), 5002);
    ck_assert_int_eq(eval_int("-untrained + 1"), -1);
    ck_assert_int_eq(eval_int("1 - 2 - 3"), -4);
    ck_assert_int_eq(eval_int("2 + 3 * 4"), 14);
    ck_assert_int_eq(eval_int("(2 + 3) * 4"), 20);
    ck_assert_int_eq(eval_int("7 / 2"), 3);
    ck_assert_int_eq(eval_int("-7 / 2"), -3);
    ck_assert_int_eq(eval_int("-7 % 3"), -1);
    ck_assert_int_eq(eval_int("fine % 3000"), 2000);
    ck_assert_int_eq(eval_int("- -5"), 5);
    ck_assert_int_eq(eval_int("-(workers)"), -12);
    ck_assert_int_eq(eval_int("9223372036854775807"), INT64_MAX);
    ck_assert_int_eq(eval_int("-9223372036854775807 - 1"), INT64_MIN);

    /* overflow and division by zero: ZF_EINPUT, never UB */
    eval_status("9223372036854775807 + 1", ZF_EINPUT);
    eval_status("-9223372036854775807 - 2", ZF_EINPUT);
    eval_status("9223372036854775807 * 2", ZF_EINPUT);
    eval_status("-(-9223372036854775807 - 1)", ZF_EINPUT);
    eval_status("(-9223372036854775807 - 1) / -1", ZF_EINPUT);
    ck_assert_int_eq(eval_int("(-9223372036854775807 - 1) % -1"), 0);
    eval_status("untrained / 0", ZF_EINPUT);
    eval_status("untrained % (untrained - 2)", ZF_EINPUT);
    eval_status("fine / (workers - 12) > 1", ZF_EINPUT);
    slots[S_FINE].u.i = INT64_MAX;
    eval_status("fine + 1", ZF_EINPUT);
    eval_status("fine * workers > 0", ZF_EINPUT);
    /* short-circuit skips the failing part */
    ck_assert_int_eq(eval_int("flag and fine + 1 > 0"), 0);
    ck_assert_int_eq(eval_int("overdue or untrained / 0 > 0"), 1);
}
END_TEST

/* ---- comparisons ---- */

START_TEST(test_comparisons)
{
    ck_assert_int_eq(eval_int("untrained <= 3"), 1);
    ck_assert_int_eq(eval_int("untrained < 2"), 0);
    ck_assert_int_eq(eval_int("untrained > 1"), 1);
    ck_assert_int_eq(eval_int("untrained >= 3"), 0);
    ck_assert_int_eq(eval_int("untrained == 2"), 1);
    ck_assert_int_eq(eval_int("untrained != 2"), 0);
    ck_assert_int_eq(eval_int("3 >= untrained"), 1);
    ck_assert_int_eq(eval_int("untrained == workers - 10"), 1);
    ck_assert_int_eq(eval_int("untrained < workers"), 1);
    ck_assert_int_eq(eval_int("untrained > -1"), 1);
    ck_assert_int_eq(eval_int("fine >= 5000"), 1);
    ck_assert_int_eq(eval_int("name == \"" COMPANY "\""), 1);
    ck_assert_int_eq(eval_int("name != \"x\""), 1);
    ck_assert_int_eq(eval_int("name == \"某某公司\""), 0);
    ck_assert_int_eq(eval_int("\"a\\\"b\" == \"a\\\"b\""), 1);
    ck_assert_int_eq(eval_int("\"\" == \"\""), 1);
    ck_assert_int_eq(eval_int("overdue == true"), 1);
    ck_assert_int_eq(eval_int("first_offence != false"), 1);
    ck_assert_int_eq(eval_int("overdue == flag"), 0);
    ck_assert_int_eq(eval_int("inspected > deadline"), 1);
    ck_assert_int_eq(eval_int("deadline == date(\"2024-02-20\")"), 1);
    ck_assert_int_eq(eval_int("date(\"2024-02-20\") < inspected"), 1);
    ck_assert_int_eq(eval_int("inspected - 10 == deadline"), 1);
    ck_assert_int_eq(eval_int("(untrained > 1) == (workers > 1)"), 1);
}
END_TEST

/* ---- enums ---- */

START_TEST(test_enums)
{
    ck_assert_int_eq(eval_int("harm == \"serious\""), 1);
    ck_assert_int_eq(eval_int("\"serious\" == harm"), 1);
    ck_assert_int_eq(eval_int("harm != \"minor\""), 1);
    ck_assert_int_eq(eval_int("harm == \"none\""), 0);
    ck_assert_int_eq(eval_int("accident == \"none\""), 1);
    ck_assert_int_eq(eval_int("kind == \"a\" and harm == \"serious\""), 1);
    ck_assert_int_eq(eval_int("harm == harm"), 1);
    ck_assert_int_eq(eval_int("harm"), 2);
    TYPE("harm == \"seriuos\"", 8,
         "\"seriuos\" is not a value of 'harm' "
         "(allowed: \"none\", \"minor\", \"serious\")");
    TYPE("\"grave\" == harm", 0,
         "\"grave\" is not a value of 'harm' "
         "(allowed: \"none\", \"minor\", \"serious\")");
    ck_assert_int_eq(eval_int("harm in [\"minor\", \"serious\"]"), 1);
    ck_assert_int_eq(eval_int("harm not in [\"minor\", \"serious\"]"), 0);
    ck_assert_int_eq(eval_int("harm in [\"none\"]"), 0);
    TYPE("harm in [\"minor\", \"grav\"]", 18,
         "\"grav\" is not a value of 'harm' "
         "(allowed: \"none\", \"minor\", \"serious\")");
    TYPE("harm in [1, 2]", 5, "cannot look for enum in a list of int");
    ck_assert_int_eq(eval_int("\"minor\" in levels"), 1);
    ck_assert_int_eq(eval_int("\"none\" in levels"), 0);
    ck_assert_int_eq(eval_int("harm in levels"), 1);
    TYPE("\"bogus\" in levels", 0,
         "\"bogus\" is not a value of 'levels' "
         "(allowed: \"none\", \"minor\", \"serious\")");
    TYPE("kind in levels", 5, "cannot look for enum in a list of enum");
}
END_TEST

/* ---- in / not in ---- */

START_TEST(test_in)
{
    ck_assert_int_eq(eval_int("untrained in [1, 2, 3]"), 1);
    ck_assert_int_eq(eval_int("untrained not in [1, 2, 3]"), 0);
    ck_assert_int_eq(eval_int("workers in [1, 2, 3]"), 0);
    ck_assert_int_eq(eval_int("workers not in [1, 2, 3]"), 1);
    ck_assert_int_eq(eval_int("fine in [5000, 6000]"), 1);
    ck_assert_int_eq(eval_int("-1 in [-1, 0]"), 1);
    ck_assert_int_eq(eval_int("name in [\"a\", \"" COMPANY "\"]"), 1);
    ck_assert_int_eq(eval_int("name not in [\"a\", \"b\"]"), 1);
    ck_assert_int_eq(eval_int("\"动火\" in tags"), 1);
    ck_assert_int_eq(eval_int("\"动\" in tags"), 0);
    ck_assert_int_eq(eval_int("\"x\" not in tags"), 1);
    ck_assert_int_eq(eval_int("5 in codes"), 1);
    ck_assert_int_eq(eval_int("untrained in codes"), 0);
    ck_assert_int_eq(eval_int("untrained + 1 in codes"), 1);
    ck_assert_int_eq(eval_int("fine not in codes"), 1);
    ck_assert_int_eq(eval_int("overdue in [true]"), 1);
    ck_assert_int_eq(eval_int("flag in [true, true]"), 0);
    ck_assert_int_eq(eval_int("not untrained in [2] or flag"), 0);
    ck_assert_int_eq(eval_int("len([\"a\", \"b\", \"c\"])"), 3);
}
END_TEST

/* ---- matches ---- */

START_TEST(test_matches)
{
    const struct zf__expr *e;
    struct zf__expr_diag d;
    struct zf__value v;
    uint16_t ms;
    char subject[40];

    ck_assert_int_eq(eval_int("name matches \"^某\""), 1);
    ck_assert_int_eq(eval_int("name matches \"ltd$\""), 1);
    ck_assert_int_eq(eval_int("name matches \"^x\""), 0);
    ck_assert_int_eq(eval_int("name matches \"^.{4} \""), 1); /* UTF mode */
    ck_assert_int_eq(eval_int("name matches \"\\\\s\""), 1);  /* \s */
    ck_assert_int_eq(eval_int("not (name matches \"x\")"), 1);
    ck_assert_int_eq(eval_int("\"a\\tb\" matches \"a\\tb\""), 1);

    /* bad pattern: offset into the source, inside the literal */
    compile_err("name matches \"a(\"", ZF_TYPE_BOOL, ZF_EREGEX, ZF_DIAG_REGEX,
                16, NULL);
    e = NULL;
    ck_assert_int_eq(zf__expr_compile(&e, &env, "name matches \"(\"", 16,
                                      ZF_TYPE_BOOL, &d),
                     ZF_EREGEX);
    ck_assert(strncmp(d.message, "invalid regex: ", 15) == 0);

    env.compile_regex = NULL;
    compile_err("name matches \"x\"", ZF_TYPE_BOOL, ZF_EREGEX, ZF_DIAG_REGEX,
                13, "regex not available");
    env.compile_regex = compile_regex;

    /* catastrophic backtracking with a low match limit: indeterminate,
     * never "false" */
    memset(subject, 'a', 30);
    subject[30] = '!';
    subject[31] = '\0';
    set_str(S_NAME, subject);
    ectx.match_context = pcre2_match_context_create(NULL);
    ck_assert_ptr_nonnull(ectx.match_context);
    pcre2_set_match_limit(ectx.match_context, 1000);
    e = compile_ok("name matches \"(a+)+$\"", ZF_TYPE_BOOL);
    ck_assert_int_eq(zf__expr_eval(e, &ectx, &v, &ms), ZF_EINDETERMINATE);
    /* ... also under a Kleene operator */
    e = compile_ok("overdue or name matches \"(a+)+$\"", ZF_TYPE_BOOL);
    ck_assert_int_eq(zf__expr_eval(e, &ectx, &v, &ms), ZF_OK);
    ck_assert_int_eq(v.u.i, 1);
    e = compile_ok("flag or name matches \"(a+)+$\"", ZF_TYPE_BOOL);
    ck_assert_int_eq(zf__expr_eval(e, &ectx, &v, &ms), ZF_EINDETERMINATE);
    /* a plain pattern still works under the limit */
    e = compile_ok("name matches \"a!$\"", ZF_TYPE_BOOL);
    ck_assert_int_eq(zf__expr_eval(e, &ectx, &v, &ms), ZF_OK);
    ck_assert_int_eq(v.u.i, 1);
}
END_TEST

/* ---- functions ---- */

START_TEST(test_functions)
{
    ck_assert_int_eq(eval_int("min(untrained, workers)"), 2);
    ck_assert_int_eq(eval_int("max(untrained, fine)"), 5000);
    ck_assert_int_eq(eval_int("min(deadline, inspected) == deadline"), 1);
    ck_assert_int_eq(eval_int("abs(untrained - workers)"), 10);
    ck_assert_int_eq(eval_int("abs(7)"), 7);
    ck_assert_int_eq(eval_int("round(1250, 100)"), 1300);
    ck_assert_int_eq(eval_int("round(1249, 100)"), 1200);
    ck_assert_int_eq(eval_int("round(-1250, 100)"), -1300);
    ck_assert_int_eq(eval_int("round(-1249, 100)"), -1200);
    ck_assert_int_eq(eval_int("round(fine, 3000)"), 6000);
    ck_assert_int_eq(eval_int("round(5, 1)"), 5);
    eval_status("round(fine, 0)", ZF_EINPUT);
    eval_status("round(fine, -5)", ZF_EINPUT);
    eval_status("round(9223372036854775807, 10)", ZF_EINPUT);
    eval_status("abs(-9223372036854775807 - 1)", ZF_EINPUT);
    ck_assert_int_eq(eval_int("days_between(deadline, inspected)"), 10);
    ck_assert_int_eq(eval_int("days_between(inspected, deadline)"), -10);
    ck_assert_int_eq(
        eval_int("days_between(date(\"2021-09-01\"), date(\"2023-09-01\"))"),
        730);
    ck_assert_int_eq(eval_int("len(tags)"), 2);
    ck_assert_int_eq(eval_int("len(name)"), 8); /* code points */
    ck_assert_int_eq(eval_int("len(\"\")"), 0);
    ck_assert_int_eq(eval_int("len(codes) + len([1, 2, 3])"), 6);

    TYPE("min(1)", 0, "min() takes 2 arguments, got 1");
    TYPE("max()", 0, "max() takes 2 arguments, got 0");
    TYPE("abs(1, 2)", 0, "abs() takes 1 argument, got 2");
    TYPE("1 + round(1, 2, 3)", 4, "round() takes 2 arguments, got 3");
    TYPE("len(untrained)", 0, "len() needs a list or a string, got int");
    TYPE("days_between(1, deadline)", 0,
         "days_between() needs two dates, got int and date");
    TYPE("min(name, 1)", 0,
         "min() needs two int/money or two date arguments, got string and "
         "int");
    TYPE("abs(overdue)", 0, "abs() needs an int or money argument, got bool");
    TYPE("round(1, name)", 0,
         "round() needs int or money arguments, got int and string");
    TYPE("date(\"2023-02-29\") < deadline", 5,
         "invalid date \"2023-02-29\" (expected YYYY-MM-DD)");
    TYPE("date(\"2023-2-1\") < deadline", 5,
         "invalid date \"2023-2-1\" (expected YYYY-MM-DD)");
    TYPE("date(name) < deadline", 5,
         "date() needs a string literal \"YYYY-MM-DD\"");
}
END_TEST

/* ---- missing facts: Kleene logic ---- */

START_TEST(test_missing)
{
    const struct zf__expr *e;
    const uint16_t *sl;
    size_t n;

    present[S_OVERDUE] = 0;
    present[S_UNTRAINED] = 0;

    eval_missing("overdue", S_OVERDUE);
    eval_missing("not overdue", S_OVERDUE);
    ck_assert_int_eq(eval_int("overdue and false"), 0);
    ck_assert_int_eq(eval_int("false and overdue"), 0);
    eval_missing("overdue and true", S_OVERDUE);
    eval_missing("true and overdue", S_OVERDUE);
    ck_assert_int_eq(eval_int("overdue or true"), 1);
    ck_assert_int_eq(eval_int("true or overdue"), 1);
    eval_missing("overdue or false", S_OVERDUE);
    eval_missing("not not overdue", S_OVERDUE);
    /* a comparison with a missing operand is missing */
    eval_missing("untrained <= 3", S_UNTRAINED);
    ck_assert_int_eq(eval_int("untrained <= 3 and flag"), 0);
    ck_assert_int_eq(eval_int("flag and untrained <= 3"), 0);
    eval_missing("untrained <= 3 and not flag", S_UNTRAINED);
    ck_assert_int_eq(eval_int("untrained <= 3 or workers > 10"), 1);
    eval_missing("untrained <= 3 or workers > 100", S_UNTRAINED);
    /* everything else propagates */
    eval_missing("untrained + 1", S_UNTRAINED);
    eval_missing("untrained in codes", S_UNTRAINED);
    eval_missing("max(workers, untrained)", S_UNTRAINED);
    eval_missing("(overdue and true) == true", S_OVERDUE);
    ck_assert_int_eq(eval_int("(overdue or true) == true"), 1);
    ck_assert_int_eq(eval_int("(overdue and false) == false"), 1);
    /* stack is reset correctly when missing interrupts a deep operand */
    ck_assert_int_eq(eval_int("workers + (days * (untrained + 1)) > 0 or true"),
                     1);
    ck_assert_int_eq(
        eval_int("1 + max(workers, days * (2 - untrained)) > 0 and false"), 0);
    eval_missing("max(workers, untrained) > 0 or overdue", S_UNTRAINED);
    eval_missing("not (untrained > 1) or workers > 100", S_UNTRAINED);
    ck_assert_int_eq(
        eval_int("(untrained > 1 or true) and not (untrained > 1 and false)"),
        1);
    /* both missing: one of them decides */
    eval_missing("overdue and untrained > 1", S_OVERDUE);
    eval_missing("flag or overdue or untrained > 1", S_OVERDUE);
    present[S_TAGS] = 0;
    ck_assert_int_eq(eval_int("\"x\" in tags or true"), 1);
    eval_missing("\"x\" not in tags", S_TAGS);
    eval_missing("len(tags) > 0 and overdue", S_TAGS);

    /* the slots read */
    e = compile_ok("untrained <= 3 and overdue or untrained > workers",
                   ZF_TYPE_BOOL);
    n = zf__expr_slots(e, &sl);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(sl[0], S_UNTRAINED);
    ck_assert_uint_eq(sl[1], S_OVERDUE);
    ck_assert_uint_eq(sl[2], S_WORKERS);
    e = compile_ok("1 + 2", ZF_TYPE_INT);
    ck_assert_uint_eq(zf__expr_slots(e, &sl), 0);
    e = compile_ok("accident == \"none\" or \"x\" in tags", ZF_TYPE_BOOL);
    n = zf__expr_slots(e, &sl);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(sl[0], S_TAGS);
    ck_assert_uint_eq(sl[1], S_ACCIDENT);
    ck_assert_str_eq(zf__expr_source(e),
                     "accident == \"none\" or \"x\" in tags");
}
END_TEST

/* ---- limits ---- */

static char *
nested(const char *open, const char *core, const char *close, unsigned n)
{
    size_t lo = strlen(open), lc = strlen(close), lk = strlen(core);
    char *s = malloc(n * (lo + lc) + lk + 1), *q = s;
    unsigned i;

    ck_assert_ptr_nonnull(s);
    for (i = 0; i < n; i++, q += lo)
        memcpy(q, open, lo);
    memcpy(q, core, lk);
    q += lk;
    for (i = 0; i < n; i++, q += lc)
        memcpy(q, close, lc);
    *q = '\0';
    return s;
}

/* n levels compile, n + 1 fail at the opening token of level n + 1,
 * `at` bytes into `open` */
static void
depth_case(const char *open, const char *core, const char *close, unsigned n,
           size_t at, int64_t value)
{
    char *ok = nested(open, core, close, n);
    char *bad = nested(open, core, close, n + 1);

    ck_assert_int_eq(eval_int(ok), value);
    compile_err(bad, ZF_TYPE_NONE, ZF_ELIMIT, ZF_DIAG_LIMIT_EXPR,
                n * strlen(open) + at, NULL);
    free(ok);
    free(bad);
}

START_TEST(test_depth_limit)
{
    env.max_depth = 10;
    depth_case("(", "1", ")", 10, 0, 1);
    depth_case("abs(", "3", ")", 10, 3, 3);
    depth_case("abs(-", "3", ")", 5, 3, 3);
    depth_case("-", "4", "", 10, 0, 4);
    depth_case("not ", "overdue", "", 10, 0, 1);
    depth_case("(1 + ", "1", ")", 10, 0, 11);
    env.max_depth = 64;
    depth_case("(", "untrained", ")", 64, 0, 2);
    {
        struct zf__expr_diag d;
        const struct zf__expr *e = NULL;
        char *s = nested("(", "1", ")", 64 + 1);

        ck_assert_int_eq(
            zf__expr_compile(&e, &env, s, strlen(s), ZF_TYPE_NONE, &d),
            ZF_ELIMIT);
        ck_assert_str_eq(d.message, "expression nested too deeply (limit 64)");
        free(s);
    }
}
END_TEST

START_TEST(test_hostile_input)
{
    const size_t n = 100000;
    const struct zf__expr *e = NULL;
    struct zf__expr_diag d;
    char *s = malloc(4 * n + 1);
    size_t i;

    ck_assert_ptr_nonnull(s);
    /* 100000 '(' stop at the configured depth */
    memset(s, '(', n);
    ck_assert_int_eq(zf__expr_compile(&e, &env, s, n, ZF_TYPE_BOOL, &d),
                     ZF_ELIMIT);
    ck_assert_int_eq(d.diag, ZF_DIAG_LIMIT_EXPR);
    ck_assert_uint_eq(d.offset, 64);
    ck_assert_str_eq(d.message, "expression nested too deeply (limit 64)");
    /* even with an absurd configured limit the C stack is safe: a hard
     * cap of 128 applies */
    env.max_depth = 1000000;
    ck_assert_int_eq(zf__expr_compile(&e, &env, s, n, ZF_TYPE_BOOL, &d),
                     ZF_ELIMIT);
    ck_assert_uint_eq(d.offset, 128);
    s[n] = '1';
    memset(s + n + 1, ')', n);
    ck_assert_int_eq(
        zf__expr_compile(&e, &env, s, 2 * n + 1, ZF_TYPE_NONE, &d),
        ZF_ELIMIT);
    ck_assert_ptr_null(e);
    free(s);

    /* right-nested arithmetic needing more than the fixed stack */
    s = nested("1 + (", "1", ")", 128);
    ck_assert_int_eq(zf__expr_compile(&e, &env, s, strlen(s), ZF_TYPE_NONE,
                                      &d),
                     ZF_ELIMIT);
    ck_assert_int_eq(d.diag, ZF_DIAG_LIMIT_EXPR);
    ck_assert_str_eq(d.message, "expression needs more than 128 stack "
                                "entries");
    free(s);
    s = nested("1 + (", "1", ")", 127); /* exactly fits */
    ck_assert_int_eq(eval_int(s), 128);
    free(s);

    /* long flat chains need no recursion */
    s = malloc(4 * n + 1);
    ck_assert_ptr_nonnull(s);
    for (i = 0; i < n; i++)
        memcpy(s + 4 * i, "1 + ", 4);
    s[4 * n - 3] = '\0'; /* "1 + 1 + ... + 1" */
    ck_assert_int_eq(eval_int(s), (int64_t)n);
    for (i = 0; i < n / 4; i++)
        memcpy(s + 16 * i, "flag or flag or ", 16);
    memcpy(s + 16 * (n / 4) - 8, "overdue", 8); /* ... or overdue */
    ck_assert_int_eq(eval_int(s), 1);
    free(s);
}
END_TEST

/* ---- out of memory at every allocation ---- */

START_TEST(test_out_of_memory)
{
    /* tests/common: after `budget` calls every call fails */
    struct zt_alloc f;
    zf_allocator alloc = zt_alloc_table(&f);
    const char *src = "harm in [\"minor\", \"serious\"] and len(tags) > 1 "
                      "or name matches \"^某\" and untrained <= 3";
    zf_context *fctx;
    long budget;
    bool ok = false;

    for (budget = 0; budget < 200 && !ok; budget++) {
        struct zf__arena fa;
        struct zf__expr_env fenv = env;
        struct zf__expr_diag d;
        const struct zf__expr *e = NULL;
        zf_status rc;

        zt_alloc_reset(&f);
        ck_assert_int_eq(zf_context_new_with_allocator(&fctx, &alloc), ZF_OK);
        zf__arena_init(&fa, fctx, 64);
        fenv.ctx = fctx;
        fenv.arena = &fa;
        atomic_store(&f.calls, 0);
        f.fail_at = budget + 1;
        f.persistent = true;
        rc = zf__expr_compile(&e, &fenv, src, strlen(src), ZF_TYPE_BOOL, &d);
        if (rc == ZF_OK) {
            struct zf__value v;
            uint16_t ms;

            ck_assert_int_eq(zf__expr_eval(e, &ectx, &v, &ms), ZF_OK);
            ck_assert_int_eq(v.u.i, 1);
            ok = true;
        } else {
            ck_assert_int_eq(rc, ZF_ENOMEM);
            ck_assert_int_eq(d.diag, ZF_DIAG_NOMEM);
        }
        zf__arena_destroy(&fa);
        zf_context_free(fctx);
    }
    ck_assert(ok);
    ck_assert_int_gt(budget, 1);
}
END_TEST

/* ---- table ---- */

#define ROW_TYPE_ERROR 1000 /* the row must fail to compile */

static const struct {
    const char *src;
    int status;
    int64_t value;
} table[] = {
    {"untrained <= 3 and overdue", ZF_OK, 1},
    {"untrained <= 3 and not overdue", ZF_OK, 0},
    {"untrained > 9 or overdue and harm == \"serious\"", ZF_OK, 1},
    {"(untrained > 9 or overdue) and harm == \"minor\"", ZF_OK, 0},
    {"not (untrained > 9)", ZF_OK, 1},
    {"workers * days > 100", ZF_OK, 1},
    {"workers * days", ZF_OK, 120},
    {"fine * 3 / 2", ZF_OK, 7500},
    {"fine - income", ZF_OK, -115000},
    {"income / workers", ZF_OK, 10000},
    {"income % 7", ZF_OK, 120000 % 7},
    {"1 + 2 * 3 - 4 / 2", ZF_OK, 5},
    {"-(1 + 2) * 3", ZF_OK, -9},
    {"10 - 3 - 2", ZF_OK, 5},
    {"100 / 10 / 5", ZF_OK, 2},
    {"min(fine, income) + max(1, 2)", ZF_OK, 5002},
    {"round(income / 7, 100)", ZF_OK, 17100},
    {"round(1550, 100)", ZF_OK, 1600},
    {"round(-50, 100)", ZF_OK, -100},
    {"abs(-5) + abs(5)", ZF_OK, 10},
    {"days_between(deadline, inspected) > 7", ZF_OK, 1},
    {"inspected - deadline", ROW_TYPE_ERROR, 0},
    {"len(name) == 8", ZF_OK, 1},
    {"len(\"执法\")", ZF_OK, 2},
    {"harm in [\"serious\"] and kind == \"a\"", ZF_OK, 1},
    {"\"高处\" in tags and not (\"有限空间\" in tags)", ZF_OK, 1},
    {"7 in codes or 8 in codes", ZF_OK, 1},
    {"untrained not in codes", ZF_OK, 1},
    {"name matches \"公司\"", ZF_OK, 1},
    {"name matches \"^公司\"", ZF_OK, 0},
    {"true", ZF_OK, 1},
    {"false or false", ZF_OK, 0},
    {"true and true and true and false", ZF_OK, 0},
    {"false or false or false or true", ZF_OK, 1},
    {"not not true", ZF_OK, 1},
    {"flag == false", ZF_OK, 1},
    {"first_offence and penalties_365d == 0", ZF_OK, 1},
    {"accident != \"larger\"", ZF_OK, 1},
    {"date(\"1970-01-02\")", ZF_OK, 1},
    {"inspected + 1 > inspected", ZF_OK, 1},
    {"untrained / (workers - 12)", ZF_EINPUT, 0},
    {"9223372036854775807 + untrained", ZF_EINPUT, 0},
    {"fine * 0 == 0", ZF_OK, 1},
};

START_TEST(test_table)
{
    struct zf__value v;
    uint16_t ms;
    int rc;

    if (table[_i].status == ROW_TYPE_ERROR) {
        /* rows that must not compile */
        compile_err(table[_i].src, ZF_TYPE_NONE, ZF_ESCHEMA,
                    ZF_DIAG_EXPR_TYPE, 10, NULL);
        return;
    }
    rc = eval_src(table[_i].src, &v, &ms);
    ck_assert_msg(rc == table[_i].status, "'%s' -> %d, want %d",
                  table[_i].src, rc, table[_i].status);
    if (rc == ZF_OK)
        ck_assert_msg(v.u.i == table[_i].value, "'%s' = %lld, want %lld",
                      table[_i].src, (long long)v.u.i,
                      (long long)table[_i].value);
}
END_TEST

static Suite *
expr_suite(void)
{
    Suite *s = suite_create("expr");
    struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"syntax", test_syntax_errors},
        {"source", test_source_not_terminated},
        {"names", test_unknown_names},
        {"types", test_types},
        {"arithmetic", test_arithmetic},
        {"comparisons", test_comparisons},
        {"enums", test_enums},
        {"in", test_in},
        {"matches", test_matches},
        {"functions", test_functions},
        {"missing", test_missing},
        {"depth", test_depth_limit},
        {"hostile", test_hostile_input},
        {"oom", test_out_of_memory},
    };
    TCase *tc;
    size_t i;

    for (i = 0; i < ZF_ARRAY_SIZE(cases); i++) {
        tc = tcase_create(cases[i].name);
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    tc = tcase_create("table");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_table, 0, (int)ZF_ARRAY_SIZE(table));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(expr_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
