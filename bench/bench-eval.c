/* SPDX-License-Identifier: MIT */
/*
 * Evaluation throughput through the C API: parse each case once, then
 * evaluate it repeatedly (full pipeline with trace, decision allocated and
 * freed each time). Optionally render to JSON as well. Prints evaluations
 * per second per core; numbers, not assertions.
 *
 *   bench-eval RULES_DIR CASE.json [CASE.json ...] [-n N] [--render]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zhifa/zhifa.h"

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int
main(int argc, char **argv)
{
    zf_context *ctx;
    zf_ruleset *rs;
    zf_evaluator *ev;
    zf_error err = ZF_ERROR_INIT;
    long iters = 200000;
    int i, render = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: %s RULES CASE.json... [-n N] [--render]\n",
                argv[0]);
        return 2;
    }
    zf_context_new(&ctx);
    if (zf_ruleset_load(&rs, ctx, argv[1], &err)) {
        fprintf(stderr, "%s:%u:%u: %s\n", err.source, err.line, err.column,
                err.message);
        return 1;
    }
    zf_evaluator_new(&ev, ctx);
    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            iters = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--render") == 0)
            render = 1;
    printf("%-34s %10s %12s %10s\n", "case", "evals", "evals/s", "ns/eval");
    for (i = 2; i < argc; i++) {
        zf_case *cs;
        char *buf;
        size_t len;
        long k;
        double t0, t;
        int64_t sink = 0;

        if (argv[i][0] == '-') {
            if (strcmp(argv[i], "-n") == 0)
                i++;
            continue;
        }
        buf = slurp(argv[i], &len);
        if (!buf || zf_case_parse(&cs, ctx, buf, len, &err)) {
            fprintf(stderr, "%s: %s\n", argv[i], err.message);
            return 1;
        }
        free(buf);
        t0 = now();
        for (k = 0; k < iters; k++) {
            zf_decision *dec;
            if (zf_evaluate(&dec, ev, rs, cs, &err)) {
                fprintf(stderr, "%s: %s\n", argv[i], err.message);
                return 1;
            }
            sink += zf_decision_total_unit_fine(dec);
            if (render) {
                char *s;
                size_t n;
                zf_decision_render(&s, &n, dec, ZF_RENDER_JSON, NULL);
                sink += (int64_t)n;
                zf_free(ctx, s);
            }
            zf_decision_free(dec);
        }
        t = now() - t0;
        printf("%-34s %10ld %12.0f %10.1f%s\n",
               strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i],
               iters, (double)iters / t, t / (double)iters * 1e9,
               sink == 42 ? " " : "");
        zf_case_free(cs);
    }
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
    zf_context_free(ctx);
    return 0;
}
