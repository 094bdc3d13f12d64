/* SPDX-License-Identifier: MIT */
/*
 * Malloc-failure injection (STYLE.md 4.3: the SQLite loop, jansson's chaos
 * and libgit2's failalloc). A counting allocator is installed on the
 * context (it also serves PCRE2, through the general contexts the library
 * creates) and, since a test owns its process, as cJSON's hooks. For each
 * operation and n = 1, 2, ... the n-th allocation fails (transient mode) or
 * the n-th and every later one fails (persistent mode), until the operation
 * completes without reaching n. At every n:
 *   - the status is ZF_ENOMEM with `err` filled, or the operation's normal
 *     result when the failure hit an optional path (the PCRE2 JIT), and then
 *     its output is the golden output;
 *   - live allocations are back to the baseline once results are freed;
 *   - the context still works, and a rule set loaded before still renders
 *     its golden decision.
 * A byte budget (libgit2's cl_alloc_limit) is run too.
 *
 * libyaml allocates with the process malloc and has no hooks. Built with
 * -DZF_OOM_INTERPOSE (test-oom-malloc, only without sanitizers), this file
 * also defines malloc/calloc/realloc/free, forwarding to glibc's
 * __libc_malloc and friends, so libyaml's and cJSON's allocations (and
 * glibc's own, e.g. qsort's buffer) count and fail too; leaks are then
 * still counted for the context's allocations.
 *
 * The bundled rule set makes thousands of allocations and each run costs
 * in proportion to n, so there every n up to 64 and then about 300 evenly
 * spaced n per mode are tested; ZF_OOM_STRIDE=k tests every k-th n instead
 * (1: all of them, a few minutes).
 */
#include "config.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-common.h"
#include "zhifa.h"

#define N_CAP 100000L

/* ------------------------------------------------------------------ */
/* the counting allocator */

struct hdr {
    size_t size;
    size_t pad;   /* keeps the payload 16-byte aligned */
};

static struct {
    long calls;          /* malloc/realloc calls since arming */
    long fail_at;        /* 0: never fail by count */
    bool persistent;
    bool armed;
    long failed;         /* failures injected */
    long live;           /* live blocks */
    size_t live_bytes;
    size_t budget;       /* byte budget; SIZE_MAX: none */
} fa = {0, 0, false, false, 0, 0, 0, (size_t)-1};

static bool should_fail(size_t grow);

#ifdef ZF_OOM_INTERPOSE
/* The process allocator. `bypass` marks allocations of the test itself and
 * of the context allocator (counted there), which must not count twice. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
static volatile int bypass;

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

void *
malloc(size_t size)
{
    if (!bypass && should_fail(size))
        return NULL;
    return __libc_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
    if (!bypass && should_fail(n * size))
        return NULL;
    return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t size)
{
    if (!bypass && should_fail(size))
        return NULL;
    return __libc_realloc(p, size);
}

void
free(void *p)
{
    __libc_free(p);
}

#define BYPASS(stmt) \
    do {             \
        bypass++;    \
        stmt;        \
        bypass--;    \
    } while (0)
#else
#define BYPASS(stmt) \
    do {             \
        stmt;        \
    } while (0)
#endif

/* malloc for the test's own buffers, never failed */
static void *
test_malloc(size_t size)
{
    void *p;

    BYPASS(p = malloc(size));
    if (!p)
        abort();   /* no ck_assert here: Check allocates */
    return p;
}

static bool
should_fail(size_t grow)
{
    if (!fa.armed)
        return false;
    fa.calls++;
    if (fa.budget != (size_t)-1 && fa.live_bytes + grow > fa.budget) {
        fa.failed++;
        return true;
    }
    if (fa.fail_at && (fa.calls == fa.fail_at ||
                       (fa.persistent && fa.calls > fa.fail_at))) {
        fa.failed++;
        return true;
    }
    return false;
}

static void *
fa_malloc(size_t size, void *ud)
{
    struct hdr *h;

    (void)ud;
    if (should_fail(size))
        return NULL;
    BYPASS(h = malloc(sizeof(*h) + size));
    if (!h)
        return NULL;
    h->size = size;
    fa.live++;
    fa.live_bytes += size;
    return h + 1;
}

static void *
fa_realloc(void *p, size_t size, void *ud)
{
    struct hdr *h, *nh;

    if (!p)
        return fa_malloc(size, ud);
    h = (struct hdr *)p - 1;
    if (should_fail(size > h->size ? size - h->size : 0))
        return NULL;
    BYPASS(nh = realloc(h, sizeof(*h) + size));
    if (!nh)
        return NULL;
    fa.live_bytes = fa.live_bytes - nh->size + size;
    nh->size = size;
    return nh + 1;
}

static void
fa_free(void *p, void *ud)
{
    struct hdr *h;

    (void)ud;
    if (!p)
        return;
    h = (struct hdr *)p - 1;
    fa.live--;
    fa.live_bytes -= h->size;
    BYPASS(free(h));
}

static void *
cj_malloc(size_t size)
{
    return fa_malloc(size, NULL);
}

static void
cj_free(void *p)
{
    fa_free(p, NULL);
}

static void
arm(long n, bool persistent)
{
    fa.calls = 0;
    fa.failed = 0;
    fa.fail_at = n;
    fa.persistent = persistent;
    fa.budget = (size_t)-1;
    fa.armed = true;
}

static void
arm_budget(size_t bytes)
{
    arm(0, false);
    fa.budget = bytes;
}

static void
disarm(void)
{
    fa.armed = false;
    fa.fail_at = 0;
    fa.budget = (size_t)-1;
}

/* Outputs are long: report where they differ, not both whole. */
#define assert_same(what, n, got, want)                                      \
    do {                                                                     \
        const char *g_ = (got), *w_ = (want);                                \
        size_t i_ = 0;                                                       \
        while (g_[i_] && g_[i_] == w_[i_])                                   \
            i_++;                                                            \
        ck_assert_msg(g_[i_] == w_[i_],                                      \
                      "%s, n=%ld: output differs at byte %zu: '%.80s' vs "   \
                      "'%.80s'", (what), (long)(n), i_, g_ + i_, w_ + i_);   \
    } while (0)

/* ------------------------------------------------------------------ */
/* fixtures */

static zf_context *ctx;
static zf_ruleset *keep;       /* loaded before, must keep working */
static char *keep_golden;      /* its decision on case c1 */
static char *case_text;        /* tests/data/rules/oom/cases/c1.json */
static size_t case_len;

/* Rewrite `"generation":N` to `"generation":0`: rule sets installed by an
 * engine carry a generation, the golden output was made without one. */
/* Evaluate and render `text` on `rs` (no injection); caller frees. */
static char *
decide(const zf_ruleset *rs, const char *text, size_t len)
{
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *out = NULL, *copy;
    size_t out_len = 0;

    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, text, len, &err), ZF_OK);
    ck_assert_msg(zf_evaluate(&dec, ev, rs, cs, &err) == ZF_OK, "%s",
                  err.message);
    ck_assert_int_eq(zf_decision_render(&out, &out_len, dec, ZF_RENDER_JSON,
                                        &err), ZF_OK);
    copy = strdup(out);
    zt_strip_generation(copy);
    zf_free(ctx, out);
    zf_decision_free(dec);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    return copy;
}

static void
setup(void)
{
    zf_allocator a = {ZF_ALLOCATOR_VERSION, fa_malloc, fa_realloc, fa_free,
                      NULL};
    cJSON_Hooks hooks = {cj_malloc, cj_free};
    zf_error err = ZF_ERROR_INIT;

    disarm();
#ifndef ZF_OOM_INTERPOSE
    cJSON_InitHooks(&hooks);
#else
    (void)hooks;
#endif
    ck_assert_int_eq(zf_context_new_with_allocator(&ctx, &a), ZF_OK);
    ck_assert_msg(zf_ruleset_load(&keep, ctx,
                                  zt_source_path("tests/data/rules/oom/a.yaml"),
                                  &err) == ZF_OK, "%s", err.message);
    case_text = zt_slurp(zt_source_path("tests/data/rules/oom/cases/c1.json"),
                      &case_len);
    keep_golden = decide(keep, case_text, case_len);
}

static void
teardown(void)
{
    disarm();
    zf_ruleset_unref(keep);
    keep = NULL;
    free(keep_golden);
    free(case_text);
    zf_context_free(ctx);
    ctx = NULL;
    ck_assert_int_eq(fa.live, 0);
    cJSON_InitHooks(NULL);
}

/* ------------------------------------------------------------------ */
/* the loop */

/* One operation: runs with injection armed, returns its status and, on
 * success, a malloc'ed copy of its observable output (*out). Everything it
 * allocates through the context must be freed before it returns. */
typedef zf_status (*op_fn)(void *arg, zf_error *err, char **out);

static void
check_after(long live_before, const char *what, long n, bool persistent)
{
    char *again;

    disarm();
    ck_assert_msg(fa.live == live_before,
                  "%s, n=%ld %s: leak: %ld live allocations, baseline %ld",
                  what, n, persistent ? "persistent" : "transient", fa.live,
                  live_before);
    /* the context and a rule set loaded before still work */
    again = decide(keep, case_text, case_len);
    assert_same(what, n, again, keep_golden);
    free(again);
}

/*
 * The SQLite loop. The operation is run once without injection for its
 * golden status and output, then for n = 1, 2, ... (every n below 64, then
 * every `stride`-th; 0: automatic) in both modes. Returns the number of
 * allocations the clean run made.
 */
static long
oom_loop(const char *what, op_fn op, void *arg, long stride)
{
    zf_error err = ZF_ERROR_INIT;
    char *golden = NULL, *out;
    zf_status golden_rc, rc;
    long live0 = fa.live, total, n;
    int mode;

    arm(0, false);
    golden_rc = op(arg, &err, &golden);
    disarm();
    total = fa.calls;
    check_after(live0, what, 0, false);
    ck_assert_msg(total > 0 && total < N_CAP, "%s: %ld allocations", what,
                  total);
    if (getenv("ZF_OOM_VERBOSE"))
        fprintf(stderr, "%s: %ld allocations, status %d\n", what, total,
                golden_rc);

    if (stride == 0)   /* auto: about 300 points per mode */
        stride = total / 300 > 1 ? total / 300 : 1;
    for (mode = 0; mode < 2; mode++) {
        bool persistent = mode == 1;
        bool done = false;
        for (n = 1; n <= N_CAP && !done; n += (n < 64 ? 1 : stride)) {
            zf_error e = ZF_ERROR_INIT;
            out = NULL;
            arm(n, persistent);
            rc = op(arg, &e, &out);
            disarm();                /* Check allocates in its asserts */
            done = fa.calls < n;     /* completed without reaching n */
            if (fa.failed == 0) {
                ck_assert_msg(rc == golden_rc,
                              "%s, n=%ld: no failure injected, status %d "
                              "(%.100s:%u:%u: %.200s), expected %d", what, n, rc,
                              e.source, e.line, e.column, e.message,
                              golden_rc);
            } else if (rc == ZF_ENOMEM) {
                ck_assert_int_eq(e.code, ZF_ENOMEM);
                ck_assert_int_eq(e.diag, ZF_DIAG_NOMEM);
                ck_assert_msg(e.message[0] != '\0', "%s n=%ld: empty err",
                              what, n);
                ck_assert_ptr_null(out);
            } else {
                /* the failure hit an optional path: the normal result */
                ck_assert_msg(rc == golden_rc,
                              "%s, n=%ld %s: status %d (%s: %.200s), expected "
                              "ZF_ENOMEM or %d", what, n,
                              persistent ? "persistent" : "transient", rc,
                              zf_strerror(rc), e.message, golden_rc);
                if (golden)
                    assert_same(what, n, out, golden);
                else
                    ck_assert_str_eq(e.message, err.message);
            }
            free(out);
            check_after(live0, what, n, persistent);
        }
        ck_assert_msg(done, "%s: the loop did not terminate by n=%ld", what,
                      N_CAP);
    }
    free(golden);
    return total;
}

/* The byte budget: 0 bytes, then more, until the operation succeeds. */
static void
budget_loop(const char *what, op_fn op, void *arg)
{
    zf_error err = ZF_ERROR_INIT;
    char *golden = NULL, *out;
    zf_status golden_rc, rc;
    long live0 = fa.live;
    size_t b = 0;
    int steps = 0;

    golden_rc = op(arg, &err, &golden);
    check_after(live0, what, 0, false);
    for (;;) {
        zf_error e = ZF_ERROR_INIT;
        out = NULL;
        arm_budget(b);
        rc = op(arg, &e, &out);
        disarm();
        if (fa.failed == 0) {
            ck_assert_int_eq(rc, golden_rc);
            free(out);
            check_after(live0, what, (long)b, false);
            break;
        }
        ck_assert_msg(rc == ZF_ENOMEM || rc == golden_rc,
                      "%s, budget %zu: status %d", what, b, rc);
        if (rc == ZF_ENOMEM)
            ck_assert_int_eq(e.diag, ZF_DIAG_NOMEM);
        else if (golden)
            assert_same(what, (long)b, out, golden);
        free(out);
        check_after(live0, what, (long)b, false);
        b = b < 64 ? b + 1 : b + b / 8;
        ck_assert_int_lt(++steps, 10000);
    }
    free(golden);
}

/* ------------------------------------------------------------------ */
/* operations */

static char *
render_list(const zf_ruleset *rs)
{
    char *out = NULL, *copy;
    size_t len = 0;

    /* disarmed by the caller's caller only for the golden run; under
     * injection this may fail, which the caller reports as ENOMEM */
    if (zf_ruleset_list(&out, &len, rs, ZF_LIST_JSON, NULL) != ZF_OK)
        return NULL;
    copy = test_malloc(len + 1 + 72);
    memcpy(copy, out, len + 1);
    strcat(copy, zf_ruleset_digest(rs));
    zf_free(ctx, out);
    return copy;
}

/* load a path (file or directory); output: the catalogue and digest */
static zf_status
op_load(void *arg, zf_error *err, char **out)
{
    zf_ruleset *rs = NULL;
    zf_status rc = zf_ruleset_load(&rs, ctx, arg, err);

    if (rc == ZF_OK) {
        *out = render_list(rs);
        if (!*out)
            rc = ZF_ENOMEM;
        if (rc == ZF_ENOMEM) {
            err->code = ZF_ENOMEM;
            err->diag = ZF_DIAG_NOMEM;
            strcpy(err->message, "out of memory (list)");
        }
    }
    zf_ruleset_unref(rs);
    return rc;
}

/* compile from a buffer; output: the catalogue and digest */
static zf_status
op_compile(void *arg, zf_error *err, char **out)
{
    const char *text = arg;
    zf_ruleset *rs = NULL;
    zf_status rc = zf_ruleset_compile(&rs, ctx, text, strlen(text),
                                      "oom.yaml", err);

    if (rc == ZF_OK) {
        *out = render_list(rs);
        if (!*out) {
            rc = ZF_ENOMEM;
            err->code = ZF_ENOMEM;
            err->diag = ZF_DIAG_NOMEM;
            strcpy(err->message, "out of memory (list)");
        }
    }
    zf_ruleset_unref(rs);
    return rc;
}

/* evaluator + parse + evaluate + render (JSON and text) on `keep` */
static zf_status
op_evaluate(void *arg, zf_error *err, char **out)
{
    const char *text = arg;
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    char *json = NULL, *txt = NULL;
    size_t jl = 0, tl = 0;
    zf_status rc;

    rc = zf_evaluator_new(&ev, ctx);
    if (rc) {
        /* zf_evaluator_new has no err parameter */
        err->code = rc;
        err->diag = ZF_DIAG_NOMEM;
        strcpy(err->message, "out of memory (evaluator)");
        return rc;
    }
    if ((rc = zf_case_parse(&cs, ctx, text, strlen(text), err)) ||
        (rc = zf_evaluate(&dec, ev, keep, cs, err)) ||
        (rc = zf_decision_render(&json, &jl, dec, ZF_RENDER_JSON, err)) ||
        (rc = zf_decision_render(&txt, &tl, dec, ZF_RENDER_TEXT, err)))
        goto out;
    *out = test_malloc(jl + tl + 2);
    memcpy(*out, json, jl);
    (*out)[jl] = '\n';
    memcpy(*out + jl + 1, txt, tl + 1);
out:
    zf_free(ctx, json);
    zf_free(ctx, txt);
    zf_decision_free(dec);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    return rc;
}

struct reload_arg {
    zf_engine *eng;
    const char *a, *b;
    char *golden_a;           /* decision of the engine's set A on c1 */
};

/* reload A → B; on failure A must still serve, on success go back to A */
static zf_status
op_reload(void *arg, zf_error *err, char **out)
{
    struct reload_arg *r = arg;
    zf_ruleset *rs;
    zf_status rc = zf_engine_reload(r->eng, r->b, err);
    bool armed = fa.armed;
    long fail_at = fa.fail_at, calls = fa.calls, failed = fa.failed;
    bool persistent = fa.persistent;
    size_t budget = fa.budget;
    char *got;

    /* observe the engine without injection, then restore the counters */
    disarm();
    rs = zf_engine_acquire(r->eng);
    ck_assert_ptr_nonnull(rs);
    if (rc == ZF_OK) {
        ck_assert_str_eq(zf_ruleset_version(rs), "B");
        *out = strdup(zf_ruleset_digest(rs));
        zf_ruleset_unref(rs);
        ck_assert_int_eq(zf_engine_reload(r->eng, r->a, NULL), ZF_OK);
    } else {
        ck_assert_str_eq(zf_ruleset_version(rs), "A");
        got = decide(rs, case_text, case_len);
        ck_assert_str_eq(zf_ruleset_digest(rs), zf_ruleset_digest(keep));
        assert_same("reload", 0, got, r->golden_a);
        assert_same("reload", 0, got, keep_golden);
        free(got);
        zf_ruleset_unref(rs);
    }
    fa.armed = armed;
    fa.fail_at = fail_at;
    fa.calls = calls;
    fa.failed = failed;
    fa.persistent = persistent;
    fa.budget = budget;
    return rc;
}

static const char *
bundled(void)
{
    return zt_source_path("rules");
}

/* ZF_OOM_STRIDE: test every k-th n of the bundled rule set (1: all);
 * default: about 300 points per mode. */
static long
stride_env(void)
{
    const char *s = getenv("ZF_OOM_STRIDE");
    long k = s ? atol(s) : 0;

    return k > 0 ? k : 0;
}

/* ------------------------------------------------------------------ */
/* tests */

START_TEST(test_load_single_file)
{
    long n = oom_loop("load a.yaml", op_load,
                      (char *)zt_source_path("tests/data/rules/oom/a.yaml"), 1);
    ck_assert_int_gt(n, 10);
}
END_TEST

START_TEST(test_compile_buffer)
{
    size_t len;
    char *text = zt_slurp(zt_source_path("tests/data/rules/oom/b.yaml"), &len);

    oom_loop("compile b.yaml", op_compile, text, 1);
    budget_loop("compile b.yaml (bytes)", op_compile, text);
    free(text);
}
END_TEST

START_TEST(test_load_bundled)
{
    oom_loop("load rules/", op_load, (void *)bundled(), stride_env());
}
END_TEST

START_TEST(test_compile_invalid)
{
    /* a syntax error late in the file, a dangling reference, a bad regex
     * and an unknown fact: each after many allocations */
    static const char *const files[] = {
        "tests/data/rules/oom/invalid.yaml",
        "tests/data/rules/oom/invalid-schema.yaml",
    };
    size_t i;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        zf_error err = ZF_ERROR_INIT;
        zf_ruleset *rs = NULL;
        zf_status rc = zf_ruleset_load(&rs, ctx, zt_source_path(files[i]), &err);
        ck_assert_msg(rc != ZF_OK && rc != ZF_ENOMEM, "%s: %d", files[i],
                      rc);
        oom_loop(files[i], op_load, (char *)zt_source_path(files[i]), 1);
    }
}
END_TEST

START_TEST(test_evaluate)
{
    static const char *const cases[] = {
        "tests/data/rules/oom/cases/c1.json",
        "tests/data/rules/oom/cases/c2.json",
        "tests/data/rules/oom/cases/c3.json",
    };
    size_t i, len;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = zt_slurp(zt_source_path(cases[i]), &len);
        oom_loop(cases[i], op_evaluate, text, 1);
        if (i == 0)
            budget_loop("evaluate c1 (bytes)", op_evaluate, text);
        free(text);
    }
}
END_TEST

START_TEST(test_evaluate_invalid_case)
{
    /* errors found after allocations: an unknown fact, an unknown item */
    static const char *const texts[] = {
        "{\"violations\":[{\"text\":\"没有培训记录\"},"
        "{\"item\":\"A-001\",\"facts\":{\"nope\":1}}]}",
        "{\"violations\":[{\"text\":\"没有培训记录\"},{\"item\":\"Z-9\"}]}",
        "{\"persons\":[{\"id\":\"p\",\"role\":\"principal\"}],"
        "\"violations\":[{\"text\":\"x\",\"persons\":[\"q\"]}]}",
    };
    size_t i;

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        oom_loop(texts[i], op_evaluate, (void *)texts[i], 1);
}
END_TEST

START_TEST(test_reload)
{
    struct reload_arg r;
    zf_error err = ZF_ERROR_INIT;
    zf_ruleset *rs;
    long live0;

    r.a = zt_source_path("tests/data/rules/oom/a.yaml");
    r.b = zt_source_path("tests/data/rules/oom/b.yaml");
    ck_assert_int_eq(zf_engine_new(&r.eng, ctx, r.a, &err), ZF_OK);
    rs = zf_engine_acquire(r.eng);
    r.golden_a = decide(rs, case_text, case_len);
    zf_ruleset_unref(rs);
    live0 = fa.live;
    oom_loop("reload", op_reload, &r, 1);
    ck_assert_int_eq(fa.live, live0);
    free(r.golden_a);
    zf_engine_free(r.eng);
}
END_TEST

START_TEST(test_engine_new)
{
    /* zf_engine_new itself: nothing leaks when it fails */
    long n, live0 = fa.live;
    bool done = false;

    for (n = 1; n < N_CAP && !done; n++) {
        zf_engine *eng = NULL;
        zf_error err = ZF_ERROR_INIT;
        zf_status rc;

        arm(n, true);
        rc = zf_engine_new(&eng, ctx, zt_source_path("tests/data/rules/oom/a.yaml"),
                           &err);
        done = fa.calls < n;
        disarm();
        if (rc == ZF_OK) {
            zf_ruleset *rs = zf_engine_acquire(eng);
            char *got = decide(rs, case_text, case_len);
            assert_same("engine_new", n, got, keep_golden);
            free(got);
            zf_ruleset_unref(rs);
            zf_engine_free(eng);
        } else {
            ck_assert_int_eq(rc, ZF_ENOMEM);
            ck_assert_int_eq(err.diag, ZF_DIAG_NOMEM);
        }
        ck_assert_int_eq(fa.live, live0);
    }
    ck_assert(done);
}
END_TEST

START_TEST(test_context_new)
{
    zf_allocator a = {ZF_ALLOCATOR_VERSION, fa_malloc, fa_realloc, fa_free,
                      NULL};
    zf_context *c = NULL;

    arm(1, false);
    ck_assert_int_eq(zf_context_new_with_allocator(&c, &a), ZF_ENOMEM);
    disarm();
    ck_assert_ptr_null(c);
    a.version = 99;
    ck_assert_int_eq(zf_context_new_with_allocator(&c, &a), ZF_EINVAL);
}
END_TEST

static Suite *
oom_suite(void)
{
    Suite *s = suite_create("oom");
    TCase *tc = tcase_create("oom");
    TCase *big = tcase_create("bundled");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_context_new);
    tcase_add_test(tc, test_load_single_file);
    tcase_add_test(tc, test_compile_buffer);
    tcase_add_test(tc, test_compile_invalid);
    tcase_add_test(tc, test_evaluate);
    tcase_add_test(tc, test_evaluate_invalid_case);
    tcase_add_test(tc, test_reload);
    tcase_add_test(tc, test_engine_new);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(big, setup, teardown);
    tcase_set_timeout(big, 1200);
    tcase_set_tags(big, "slow");
    tcase_add_test(big, test_load_bundled);
    suite_add_tcase(s, big);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(oom_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
