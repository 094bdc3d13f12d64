/* SPDX-License-Identifier: MIT */
/*
 * Thread-safety tests (STYLE.md 4.5 and 4.6), meant to run under TSan
 * (build-tsan) and ASan as well as plainly:
 *
 *   shared    T threads, each with its own evaluator, evaluate a mixed
 *             corpus against one shared rule set; every result (decision
 *             JSON or error) equals the single-threaded golden byte for byte.
 *   refcount  16 threads × 100,000 ref/unref pairs on one rule set; it is
 *             freed exactly once, after the last unref.
 *   reload    T readers acquire → evaluate → release continuously while a
 *             writer cycles reloads of an invalid file (ZF_ESYNTAX at its
 *             exact line:column), an over-limit file, rule set B and rule
 *             set A. Readers never see an error; each output is the golden
 *             output of the digest reported with it; generations never
 *             decrease within a reader; nothing leaks.
 *   inplace   a writer rewrites a rule file in place (truncate + write in
 *             pieces) while another thread reloads it: every reload is an
 *             error or one of the two complete rule sets, never a mix.
 *
 * Environment: ZF_THREADS (default 8), ZF_THREAD_ITERS (evaluations per
 * thread, default 2000), ZF_REF_ITERS (default 100000), ZF_RELOAD_CYCLES
 * (writer iterations, default 300), ZF_SOURCE_ROOT (the source tree).
 * Prints "N passed, N failed" and exits non-zero on any failure.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ruleset-private.h"
#include "test-common.h"
#include "zhifa.h"

/* ------------------------------------------------------------------ */
/* checks */

static atomic_long n_fail;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            if (atomic_fetch_add(&n_fail, 1) < 20) {                       \
                fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__,     \
                        __LINE__, #cond);                                  \
                fprintf(stderr, __VA_ARGS__);                              \
                fputc('\n', stderr);                                       \
            }                                                              \
        }                                                                  \
    } while (0)

#define REQUIRE(cond, ...)                                                 \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: fatal: %s: ", __FILE__, __LINE__,      \
                    #cond);                                                \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

static long
env_long(const char *name, long def)
{
    const char *s = getenv(name);
    long v = s ? atol(s) : def;

    return v > 0 ? v : def;
}

/* ------------------------------------------------------------------ */
/* a thread-safe counting allocator */

static struct zt_alloc counter;  /* tests/common: thread-safe counts */

static zf_context *ctx;

/* ------------------------------------------------------------------ */
/* files */

/* A corpus of case texts. */
struct corpus {
    char **text;
    size_t *len;
    size_t n, cap;
};

static void
corpus_add(struct corpus *c, const char *path)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->text = realloc(c->text, c->cap * sizeof(*c->text));
        c->len = realloc(c->len, c->cap * sizeof(*c->len));
        REQUIRE(c->text && c->len, "oom");
    }
    c->text[c->n] = zt_slurp(path, &c->len[c->n]);
    c->n++;
}

/* Every *.json in dir (and dir/ * /input.json when `nested`), sorted. */
static void
corpus_dir(struct corpus *c, const char *dir, bool nested)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[4096];
    size_t n = 0, i;

    if (!d)
        return;   /* optional corpus */
    while ((e = readdir(d)) && n < 4096) {
        char path[2048];
        size_t l = strlen(e->d_name);
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        if (nested) {
            snprintf(path, sizeof(path), "%s/%s/input.json", dir, e->d_name);
            if (stat(path, &st) != 0)
                continue;
        } else {
            if (l < 5 || strcmp(e->d_name + l - 5, ".json") != 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        }
        names[n++] = strdup(path);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), zt_cmp_str);
    for (i = 0; i < n; i++) {
        corpus_add(c, names[i]);
        free(names[i]);
    }
}

/* ------------------------------------------------------------------ */
/* evaluation to a comparable string */

/* "generation":N → "generation":0, in place */
/* The decision JSON and text, or the error; malloc'ed. `gen_out` gets the
 * generation printed in the JSON (-1: none). */
static char *
evaluate(zf_evaluator *ev, const zf_ruleset *rs, const char *text,
         size_t len, long *gen_out, zf_status *rc_out)
{
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *json = NULL, *txt = NULL, *out;
    size_t jl = 0, tl = 0;
    zf_status rc;

    if (gen_out)
        *gen_out = -1;
    if ((rc = zf_case_parse(&cs, ctx, text, len, &err)) ||
        (rc = zf_evaluate(&dec, ev, rs, cs, &err)) ||
        (rc = zf_decision_render(&json, &jl, dec, ZF_RENDER_JSON, &err)) ||
        (rc = zf_decision_render(&txt, &tl, dec, ZF_RENDER_TEXT, &err))) {
        size_t n = strlen(err.message) + strlen(err.path) + 64;
        out = malloc(n);
        snprintf(out, n, "error %d [ZF-%03d] %s: %s", rc, err.diag, err.path,
                 err.message);
    } else {
        const char *g = strstr(json, "\"generation\":");
        if (g && gen_out)
            *gen_out = atol(g + strlen("\"generation\":"));
        out = malloc(jl + tl + 2);
        memcpy(out, json, jl);
        out[jl] = '\n';
        memcpy(out + jl + 1, txt, tl + 1);
        zt_strip_generation(out);
    }
    if (rc_out)
        *rc_out = rc;
    zf_free(ctx, json);
    zf_free(ctx, txt);
    zf_decision_free(dec);
    zf_case_free(cs);
    return out;
}

/* ------------------------------------------------------------------ */
/* 1. one shared rule set */

struct shared {
    const zf_ruleset *rs;
    const struct corpus *c;
    char *const *golden;
    long iters;
    int id;
};

static void *
shared_worker(void *arg)
{
    struct shared *s = arg;
    zf_evaluator *ev = NULL;
    long i;

    REQUIRE(zf_evaluator_new(&ev, ctx) == ZF_OK, "evaluator");
    for (i = 0; i < s->iters; i++) {
        size_t k = ((size_t)i * 7 + (size_t)s->id * 13) % s->c->n;
        char *out = evaluate(ev, s->rs, s->c->text[k], s->c->len[k], NULL,
                             NULL);
        CHECK(strcmp(out, s->golden[k]) == 0,
              "thread %d, case %zu: differs from the single-thread output",
              s->id, k);
        free(out);
    }
    zf_evaluator_free(ev);
    return NULL;
}

static void
test_shared(void)
{
    struct corpus c = {NULL, NULL, 0, 0};
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    zf_evaluator *ev = NULL;
    long threads = env_long("ZF_THREADS", 8);
    long iters = env_long("ZF_THREAD_ITERS", 2000);
    pthread_t *tid = calloc((size_t)threads, sizeof(*tid));
    struct shared *args = calloc((size_t)threads, sizeof(*args));
    char **golden;
    size_t i, errors = 0;
    long t, live0 = atomic_load(&counter.live);

    corpus_dir(&c, zt_source_path("examples/cases"), false);
    corpus_dir(&c, zt_source_path("tests/data/eval"), true);
    corpus_dir(&c, zt_source_path("tests/data/cases"), false);
    corpus_dir(&c, zt_source_path("tests/data/rules/oom/cases"), false);
    REQUIRE(c.n >= 4, "corpus of %zu cases", c.n);
    REQUIRE(zf_ruleset_load(&rs, ctx, zt_source_path("rules"), &err) == ZF_OK,
            "%s:%u:%u: %s", err.source, err.line, err.column, err.message);
    REQUIRE(zf_evaluator_new(&ev, ctx) == ZF_OK, "evaluator");
    golden = calloc(c.n, sizeof(*golden));
    for (i = 0; i < c.n; i++) {
        golden[i] = evaluate(ev, rs, c.text[i], c.len[i], NULL, NULL);
        errors += strncmp(golden[i], "error", 5) == 0;
    }
    zf_evaluator_free(ev);
    for (t = 0; t < threads; t++) {
        args[t].rs = rs;
        args[t].c = &c;
        args[t].golden = golden;
        args[t].iters = iters;
        args[t].id = (int)t;
        REQUIRE(pthread_create(&tid[t], NULL, shared_worker, &args[t]) == 0,
                "pthread_create");
    }
    for (t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    printf("shared: %ld threads × %ld evaluations over %zu cases (%zu "
           "errors among them)\n", threads, iters, c.n, errors);
    zf_ruleset_unref(rs);
    CHECK(atomic_load(&counter.live) == live0, "leak: %ld live blocks",
          atomic_load(&counter.live) - live0);
    for (i = 0; i < c.n; i++) {
        free(golden[i]);
        free(c.text[i]);
    }
    free(golden);
    free(c.text);
    free(c.len);
    free(tid);
    free(args);
}

/* ------------------------------------------------------------------ */
/* 2. reference counts */

struct refarg {
    zf_ruleset *rs;
    long iters;
};

static void *
ref_worker(void *arg)
{
    struct refarg *r = arg;
    long i;

    for (i = 0; i < r->iters; i++) {
        zf_ruleset *x = zf_ruleset_ref(r->rs);
        CHECK(x == r->rs, "ref returned another pointer");
        /* read through the reference, as an evaluator would */
        CHECK(zf_ruleset_item_count(x) > 0, "no items");
        zf_ruleset_unref(x);
    }
    return NULL;
}

static void
test_refcount(void)
{
    enum { T = 16 };
    pthread_t tid[T];
    struct refarg arg;
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    long live0 = atomic_load(&counter.live), live1;
    int t;

    REQUIRE(zf_ruleset_load(&rs, ctx, zt_source_path("tests/data/rules/oom/a.yaml"),
                            &err) == ZF_OK, "%s", err.message);
    live1 = atomic_load(&counter.live);
    arg.rs = rs;
    arg.iters = env_long("ZF_REF_ITERS", 100000);
    for (t = 0; t < T; t++)
        REQUIRE(pthread_create(&tid[t], NULL, ref_worker, &arg) == 0,
                "pthread_create");
    for (t = 0; t < T; t++)
        pthread_join(tid[t], NULL);
    CHECK(atomic_load(&rs->refcount) == 1, "refcount %ld",
          (long)atomic_load(&rs->refcount));
    /* not freed while referenced */
    CHECK(atomic_load(&counter.live) == live1, "blocks freed early");
    zf_ruleset_unref(rs);
    /* freed exactly once: back to the baseline (a second free would be
     * caught by ASan and would drive the count below it) */
    CHECK(atomic_load(&counter.live) == live0, "after the last unref: %ld",
          atomic_load(&counter.live) - live0);
    printf("refcount: %d threads × %ld ref/unref pairs\n", T, arg.iters);
}

/* ------------------------------------------------------------------ */
/* 3. hot reload */

struct golden_set {
    char digest[72];
    char version[8];
    char **out;            /* per case */
};

struct reload_state {
    zf_engine *eng;
    const struct corpus *c;
    struct golden_set g[2];
    atomic_bool done;
    atomic_long evaluations;
};

static void *
reader(void *arg)
{
    struct reload_state *S = arg;
    zf_evaluator *ev = NULL;
    uint64_t last = 0;
    size_t k = 0;

    REQUIRE(zf_evaluator_new(&ev, ctx) == ZF_OK, "evaluator");
    while (!atomic_load(&S->done)) {
        zf_ruleset *rs = zf_engine_acquire(S->eng);
        uint64_t gen = zf_ruleset_generation(rs);
        const char *digest = zf_ruleset_digest(rs);
        const struct golden_set *g = NULL;
        long printed;
        zf_status rc;
        char *out;
        int j;

        k = (k + 1) % S->c->n;
        CHECK(gen >= last, "generation went back from %llu to %llu",
              (unsigned long long)last, (unsigned long long)gen);
        last = gen;
        for (j = 0; j < 2; j++)
            if (strcmp(digest, S->g[j].digest) == 0)
                g = &S->g[j];
        CHECK(g != NULL, "unknown digest %s", digest);
        out = evaluate(ev, rs, S->c->text[k], S->c->len[k], &printed, &rc);
        CHECK(rc == ZF_OK, "reader saw an error: %.200s", out);
        CHECK(printed == (long)gen, "output says generation %ld, set %llu",
              printed, (unsigned long long)gen);
        if (g)
            CHECK(strcmp(out, g->out[k]) == 0,
                  "output for digest %s (version %s) differs from golden",
                  digest, g->version);
        free(out);
        zf_ruleset_unref(rs);
        atomic_fetch_add_explicit(&S->evaluations, 1, memory_order_relaxed);
    }
    zf_evaluator_free(ev);
    return NULL;
}

static void
golden_for(struct golden_set *g, const char *path, const struct corpus *c)
{
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    zf_error err = ZF_ERROR_INIT;
    size_t i;

    REQUIRE(zf_ruleset_load(&rs, ctx, path, &err) == ZF_OK, "%s: %s", path,
            err.message);
    REQUIRE(zf_evaluator_new(&ev, ctx) == ZF_OK, "evaluator");
    snprintf(g->digest, sizeof(g->digest), "%s", zf_ruleset_digest(rs));
    snprintf(g->version, sizeof(g->version), "%s", zf_ruleset_version(rs));
    g->out = calloc(c->n, sizeof(*g->out));
    for (i = 0; i < c->n; i++) {
        zf_status rc;
        g->out[i] = evaluate(ev, rs, c->text[i], c->len[i], NULL, &rc);
        REQUIRE(rc == ZF_OK, "golden %s: %s", path, g->out[i]);
    }
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
}

static void
golden_free(struct golden_set *g, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(g->out[i]);
    free(g->out);
}

static char tmpdir[64];

static void
test_reload(void)
{
    struct reload_state S;
    struct corpus c = {NULL, NULL, 0, 0};
    long readers = env_long("ZF_THREADS", 8);
    long cycles = env_long("ZF_RELOAD_CYCLES", 300);
    pthread_t *tid = calloc((size_t)readers, sizeof(*tid));
    const char *a = zt_source_path("tests/data/rules/oom/a.yaml");
    const char *b = zt_source_path("tests/data/rules/oom/b.yaml");
    const char *bad = zt_source_path("tests/data/rules/oom/invalid.yaml");
    char deep[128];
    zf_error err = ZF_ERROR_INIT;
    uint64_t last_gen;
    long live0 = atomic_load(&counter.live), live_one, i, t;
    size_t k;

    /* a file over the YAML depth limit (32) */
    {
        char text[256];
        size_t n = 0;
        n += (size_t)snprintf(text, sizeof(text), "ruleset: ");
        for (k = 0; k < 40; k++)
            text[n++] = '[';
        for (k = 0; k < 40; k++)
            text[n++] = ']';
        text[n++] = '\n';
        snprintf(deep, sizeof(deep), "%s/deep.yaml", tmpdir);
        zt_write_file(deep, text, n);
    }
    corpus_dir(&c, zt_source_path("tests/data/rules/oom/cases"), false);
    REQUIRE(c.n >= 3, "oom cases");
    memset(&S, 0, sizeof(S));
    S.c = &c;
    golden_for(&S.g[0], a, &c);
    golden_for(&S.g[1], b, &c);
    REQUIRE(strcmp(S.g[0].digest, S.g[1].digest) != 0, "A and B differ");
    atomic_init(&S.done, false);
    atomic_init(&S.evaluations, 0);

    REQUIRE(zf_engine_new(&S.eng, ctx, a, &err) == ZF_OK, "%s", err.message);
    live_one = atomic_load(&counter.live);
    for (t = 0; t < readers; t++)
        REQUIRE(pthread_create(&tid[t], NULL, reader, &S) == 0, "create");

    last_gen = 1;
    for (i = 0; i < cycles; i++) {
        zf_ruleset *cur;
        zf_status rc;

        rc = zf_engine_reload(S.eng, bad, &err);
        CHECK(rc == ZF_ESYNTAX && err.line == 7 && err.column == 10,
              "invalid: %d at %u:%u", rc, err.line, err.column);
        CHECK(err.diag == ZF_DIAG_YAML_SYNTAX, "diag %d", err.diag);
        rc = zf_engine_reload(S.eng, deep, &err);
        CHECK(rc == ZF_ELIMIT && err.diag == ZF_DIAG_LIMIT_DEPTH,
              "deep: %d [ZF-%03d]", rc, err.diag);
        /* failures leave the current set and its generation in service */
        cur = zf_engine_acquire(S.eng);
        CHECK(zf_ruleset_generation(cur) == last_gen, "generation moved");
        CHECK(strcmp(zf_ruleset_digest(cur), S.g[0].digest) == 0,
              "not A after failed reloads");
        zf_ruleset_unref(cur);
        rc = zf_engine_reload(S.eng, b, &err);
        CHECK(rc == ZF_OK, "B: %s", err.message);
        rc = zf_engine_reload(S.eng, a, &err);
        CHECK(rc == ZF_OK, "A: %s", err.message);
        /* the engine's own path is A */
        if (i % 50 == 0) {
            rc = zf_engine_reload(S.eng, NULL, &err);
            CHECK(rc == ZF_OK, "A again: %s", err.message);
            last_gen++;
        }
        last_gen += 2;
        if (i % 16 == 0)
            sched_yield();
    }
    atomic_store(&S.done, true);
    for (t = 0; t < readers; t++)
        pthread_join(tid[t], NULL);
    {
        zf_ruleset *cur = zf_engine_acquire(S.eng);
        CHECK(zf_ruleset_generation(cur) == last_gen, "final generation "
              "%llu, expected %llu",
              (unsigned long long)zf_ruleset_generation(cur),
              (unsigned long long)last_gen);
        zf_ruleset_unref(cur);
    }
    /* after joining: the baseline plus one rule set (A, as at the start) */
    CHECK(atomic_load(&counter.live) == live_one,
          "live blocks %ld, expected %ld", atomic_load(&counter.live),
          live_one);
    printf("reload: %ld readers, %ld writer cycles (%ld reloads), %ld "
           "evaluations\n", readers, cycles, cycles * 4 + cycles / 50 + 1,
           atomic_load(&S.evaluations));
    zf_engine_free(S.eng);
    CHECK(atomic_load(&counter.live) == live0, "leak after engine_free");
    golden_free(&S.g[0], c.n);
    golden_free(&S.g[1], c.n);
    for (k = 0; k < c.n; k++)
        free(c.text[k]);
    free(c.text);
    free(c.len);
    free(tid);
    unlink(deep);
}

/* ------------------------------------------------------------------ */
/* 4. a file rewritten in place during reloads */

/* The rule file with its `ruleset:` section moved to the end and no final
 * line break: every proper prefix of it is invalid (the manifest section,
 * or its version, is missing or unterminated). */
static char *
prefix_proof(const char *path, size_t *len)
{
    char *text = zt_slurp(path, NULL);
    char *head = strstr(text, "ruleset:\n");
    char *laws = strstr(text, "\nlaws:\n");
    char *id, *ver, *out;
    size_t n;

    REQUIRE(head && laws && head < laws, "layout of %s", path);
    id = strstr(head, "  id: ");
    ver = strstr(head, "  version: ");
    REQUIRE(id && ver && ver < laws, "layout of %s", path);
    out = malloc(strlen(text) + 64);
    n = 0;
    memcpy(out, laws + 1, strlen(laws + 1));
    n = strlen(laws + 1);
    n += (size_t)sprintf(out + n, "ruleset:\n");
    memcpy(out + n, id, (size_t)(strchr(id, '\n') - id + 1));
    n += (size_t)(strchr(id, '\n') - id + 1);
    memcpy(out + n, ver, (size_t)(strchr(ver, '\n') - ver));
    n += (size_t)(strchr(ver, '\n') - ver);
    out[n] = '\0';
    free(text);
    *len = n;
    return out;
}

struct inplace {
    const char *path;
    const char *text[2];
    size_t len[2];
    atomic_bool done;
};

static void *
rewriter(void *arg)
{
    struct inplace *P = arg;
    long i, cycles = env_long("ZF_RELOAD_CYCLES", 300);

    for (i = 0; i < cycles * 2; i++) {
        int w = (int)(i % 2);
        int fd = open(P->path, O_WRONLY | O_TRUNC);
        size_t half = P->len[w] / 2;
        REQUIRE(fd >= 0, "open %s: %s", P->path, strerror(errno));
        REQUIRE(write(fd, P->text[w], half) == (ssize_t)half, "write");
        sched_yield();
        REQUIRE(write(fd, P->text[w] + half, P->len[w] - half) ==
                    (ssize_t)(P->len[w] - half), "write");
        close(fd);
        sched_yield();
    }
    atomic_store(&P->done, true);
    return NULL;
}

static void
test_inplace(void)
{
    struct inplace P;
    char path[128];
    char digest[2][72];
    zf_engine *eng = NULL;
    zf_error err = ZF_ERROR_INIT;
    pthread_t tid;
    long ok = 0, failed = 0, live0 = atomic_load(&counter.live);
    int w;

    snprintf(path, sizeof(path), "%s/inplace.yaml", tmpdir);
    P.path = path;
    P.text[0] = prefix_proof(zt_source_path("tests/data/rules/oom/a.yaml"), &P.len[0]);
    P.text[1] = prefix_proof(zt_source_path("tests/data/rules/oom/b.yaml"), &P.len[1]);
    for (w = 0; w < 2; w++) {
        zf_ruleset *rs = NULL;
        size_t cut;
        zt_write_file(path, P.text[w], P.len[w]);
        REQUIRE(zf_ruleset_load(&rs, ctx, path, &err) == ZF_OK, "%s",
                err.message);
        snprintf(digest[w], sizeof(digest[w]), "%s", zf_ruleset_digest(rs));
        zf_ruleset_unref(rs);
        /* the premise: no proper prefix compiles */
        for (cut = 0; cut < P.len[w]; cut += 1 + cut / 64) {
            rs = NULL;
            CHECK(zf_ruleset_compile(&rs, ctx, P.text[w], cut, "p.yaml",
                                     NULL) != ZF_OK,
                  "prefix of %zu bytes compiles", cut);
            zf_ruleset_unref(rs);
        }
    }
    REQUIRE(zf_engine_new(&eng, ctx, path, &err) == ZF_OK, "%s",
            err.message);
    atomic_init(&P.done, false);
    REQUIRE(pthread_create(&tid, NULL, rewriter, &P) == 0, "create");
    while (!atomic_load(&P.done)) {
        zf_status rc = zf_engine_reload(eng, NULL, &err);
        if (rc == ZF_OK) {
            zf_ruleset *rs = zf_engine_acquire(eng);
            const char *d = zf_ruleset_digest(rs);
            CHECK(strcmp(d, digest[0]) == 0 || strcmp(d, digest[1]) == 0,
                  "a reload mixed two versions: %s", d);
            zf_ruleset_unref(rs);
            ok++;
        } else {
            CHECK(rc == ZF_ESYNTAX || rc == ZF_ESCHEMA || rc == ZF_EIO,
                  "reload: %d %s", rc, err.message);
            failed++;
        }
    }
    pthread_join(tid, NULL);
    zf_engine_free(eng);
    CHECK(atomic_load(&counter.live) == live0, "leak");
    printf("inplace: %ld reloads gave a complete set, %ld failed cleanly\n",
           ok, failed);
    free((char *)P.text[0]);
    free((char *)P.text[1]);
    unlink(path);
}

int
main(void)
{
    zf_allocator a = zt_alloc_table(&counter);
    struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"shared", test_shared},
        {"refcount", test_refcount},
        {"reload", test_reload},
        {"inplace", test_inplace},
    };
    size_t i;
    long passed = 0, failed = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/zf-threads-XXXXXX");
    REQUIRE(mkdtemp(tmpdir) != NULL, "mkdtemp");
    REQUIRE(zf_context_new_with_allocator(&ctx, &a) == ZF_OK, "context");
    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        long before = atomic_load(&n_fail);
        tests[i].fn();
        if (atomic_load(&n_fail) == before) {
            passed++;
            printf("ok %zu - %s\n", i + 1, tests[i].name);
        } else {
            failed++;
            printf("not ok %zu - %s\n", i + 1, tests[i].name);
        }
    }
    zf_context_free(ctx);
    CHECK(atomic_load(&counter.live) == 0, "context leak");
    rmdir(tmpdir);
    printf("%ld passed, %ld failed\n", passed, failed);
    return failed || atomic_load(&n_fail) ? 1 : 0;
}
