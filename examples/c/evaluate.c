/* SPDX-License-Identifier: MIT */
/*
 * The smallest complete use of libzhifa: load the rules, evaluate one case
 * file, print the Chinese explanation and the recommended total.
 *
 *   cc evaluate.c $(pkg-config --cflags --libs zhifa) -o evaluate
 *   ./evaluate /usr/share/zhifa/rules case.json
 */
#include <stdio.h>
#include <stdlib.h>

#include <zhifa/zhifa.h>

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (!f)
        return NULL;
    do {
        if (n == cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 4096);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    fclose(f);
    *len = n;
    return buf;
}

int
main(int argc, char **argv)
{
    zf_context *ctx = NULL;
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *text = NULL, *out = NULL;
    size_t len = 0, out_len = 0;
    int status = 1;

    if (argc != 3) {
        fprintf(stderr, "usage: %s RULES_DIR CASE.json\n", argv[0]);
        return 2;
    }
    if (zf_context_new(&ctx) != ZF_OK)
        goto out;
    if (zf_ruleset_load(&rs, ctx, argv[1], &err) != ZF_OK) {
        fprintf(stderr, "%s:%u:%u: error: [ZF-%03d] %s\n", err.source,
                err.line, err.column, err.diag, err.message);
        goto out;
    }
    text = slurp(argv[2], &len);
    if (!text) {
        perror(argv[2]);
        goto out;
    }
    if (zf_case_parse(&cs, ctx, text, len, &err) != ZF_OK ||
        zf_evaluator_new(&ev, ctx) != ZF_OK ||
        zf_evaluate(&dec, ev, rs, cs, &err) != ZF_OK) {
        fprintf(stderr, "%s: error: [ZF-%03d] %s\n", argv[2], err.diag,
                err.message);
        goto out;
    }
    if (zf_decision_render(&out, &out_len, dec, ZF_RENDER_TEXT, &err) ==
        ZF_OK)
        fwrite(out, 1, out_len, stdout);
    printf("\n建议罚款合计：单位 %lld 元，责任人员 %lld 元\n",
           (long long)zf_decision_total_unit_fine(dec),
           (long long)zf_decision_total_person_fines(dec));
    status = 0;
out:
    zf_free(ctx, out);
    zf_decision_free(dec);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
    zf_context_free(ctx);
    free(text);
    return status;
}
