/* SPDX-License-Identifier: MIT */
/*
 * fuzz-eval: case JSON → zf_case_parse → zf_evaluate → render. The first
 * byte picks one of the fixed good rule sets: the bundled rules, the test
 * rule sets A and B (tests/data/rules/oom/), and a set whose pattern
 * backtracks catastrophically (the regex match limit must yield
 * ZF_EINDETERMINATE naming the item, never a silent no-match). Every JSON
 * rendering must be valid JSON, and evaluating again must render
 * byte-identically.
 */
#include "config.h"

#include "fuzz-common.h"

#ifndef ZF_FUZZ_DATA
#error "ZF_FUZZ_DATA must name tests/data/rules/oom"
#endif

static const char redos[] =
    "ruleset: { id: fz-redos, version: \"1\" }\n"
    "laws:\n"
    "  - id: aqsc\n"
    "    title: 中华人民共和国安全生产法\n"
    "    provisions:\n"
    "      - article: 97\n"
    "        stages:\n"
    "          - stage: first\n"
    "            unit: { fine: { upto: 100000 } }\n"
    "domains:\n"
    "  - id: general\n"
    "    name: 通用\n"
    "    common: true\n"
    "    items:\n"
    "      - id: R-1\n"
    "        title: 回溯\n"
    "        conduct: 回溯\n"
    "        violates: [aqsc:28.1]\n"
    "        penalty: aqsc:97\n"
    "        patterns: ['(a+)+$', '未培训']\n"
    "        facts:\n"
    "          s: { type: string }\n"
    "        discretion:\n"
    "          - { when: s matches \"(x+x+)+y\", tier: heavier }\n"
    "          - { tier: normal }\n"
    "profiles:\n"
    "  - id: default\n"
    "    title: 三档\n"
    "    tiers:\n"
    "      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
    "      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n";

#define N_SETS 4
static zf_ruleset *sets[N_SETS];
static zf_evaluator *ev;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    zf_context *ctx = fuzz_ctx();
    zf_error err = ZF_ERROR_INIT;

    (void)argc;
    (void)argv;
    if (zf_ruleset_load(&sets[0], ctx, ZF_SOURCE_RULES, &err) != ZF_OK ||
        zf_ruleset_load(&sets[1], ctx, ZF_FUZZ_DATA "/a.yaml", &err) != ZF_OK ||
        zf_ruleset_load(&sets[2], ctx, ZF_FUZZ_DATA "/b.yaml", &err) != ZF_OK ||
        zf_ruleset_compile(&sets[3], ctx, redos, sizeof(redos) - 1,
                           "redos.yaml", &err) != ZF_OK) {
        fprintf(stderr, "fuzz-eval: %s:%u:%u: %s\n", err.source, err.line,
                err.column, err.message);
        abort();
    }
    FUZZ_CHECK(zf_evaluator_new(&ev, ctx) == ZF_OK);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zf_context *ctx = fuzz_ctx();
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    zf_status rc;
    const zf_ruleset *rs;

    if (!ev)
        LLVMFuzzerInitialize(NULL, NULL);
    if (size < 1)
        return 0;
    rs = sets[data[0] % N_SETS];
    rc = zf_case_parse(&cs, ctx, (const char *)data + 1, size - 1, &err);
    if (rc != ZF_OK) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc == ZF_ESYNTAX || rc == ZF_EINPUT || rc == ZF_ELIMIT);
        FUZZ_CHECK(cs == NULL);
        FUZZ_CHECK(err.offset == (size_t)-1 || err.offset <= size - 1);
        return 0;
    }
    FUZZ_CHECK(zf_case_id(cs) != NULL);
    rc = fuzz_eval_render(ev, rs, cs);
    FUZZ_CHECK(rc == ZF_OK || rc == ZF_EINPUT || rc == ZF_EINDETERMINATE);
    zf_case_free(cs);
    return 0;
}
