/* SPDX-License-Identifier: MIT */
/*
 * fuzz-expr: the expression compiler and VM. The input (valid UTF-8) is
 * placed, as a double-quoted YAML scalar, into the `when:` of a discretion
 * row of a single-file rule set whose item declares one fact of each type.
 * A rule set that compiles is evaluated against fixed cases that give the
 * facts ordinary, extreme and missing values.
 */
#include "config.h"

#include "fuzz-common.h"
#include "util-private.h"

static const char head[] =
    "ruleset: { id: fx, version: \"1\" }\n"
    "laws:\n"
    "  - id: aqsc\n"
    "    title: 中华人民共和国安全生产法\n"
    "    provisions:\n"
    "      - article: 97\n"
    "        clauses: 7\n"
    "        stages:\n"
    "          - stage: first\n"
    "            unit: { fine: { upto: 100000 } }\n"
    "domains:\n"
    "  - id: general\n"
    "    name: 通用\n"
    "    common: true\n"
    "    items:\n"
    "      - id: X-1\n"
    "        title: 培训\n"
    "        conduct: 未培训\n"
    "        violates: [aqsc:28.1]\n"
    "        penalty: aqsc:97(3)\n"
    "        patterns: ['未.{0,6}培训']\n"
    "        facts:\n"
    "          n: { type: int, min: -1000000, max: 1000000 }\n"
    "          m: { type: money }\n"
    "          s: { type: string }\n"
    "          d: { type: date }\n"
    "          e: { type: enum, values: [a, b, c] }\n"
    "          b: { type: bool }\n"
    "        discretion:\n"
    "          - when: \"";
static const char tail[] =
    "\"\n"
    "            tier: heavier\n"
    "          - tier: normal\n"
    "profiles:\n"
    "  - id: default\n"
    "    title: 三档\n"
    "    tiers:\n"
    "      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
    "      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n";

static const char *const cases[] = {
    "{\"violations\":[{\"item\":\"X-1\"}]}",
    "{\"violations\":[{\"item\":\"X-1\",\"facts\":{\"n\":3,\"m\":150000,"
    "\"s\":\"某某未培训\",\"d\":\"2024-02-29\",\"e\":\"b\",\"b\":true}}]}",
    "{\"violations\":[{\"item\":\"X-1\",\"facts\":{\"n\":-1000000,"
    "\"m\":9007199254740992,\"s\":\"\",\"d\":\"1900-01-01\",\"e\":\"c\","
    "\"b\":false},\"overdue\":true,\"harm\":\"serious\","
    "\"accident\":\"major\",\"illegal_income\":9007199254740992}]}",
    "{\"enterprise\":{\"high_risk\":true,\"penalties_180d\":3},"
    "\"violations\":[{\"text\":\"未按规定培训\",\"facts\":{\"n\":0,"
    "\"m\":-9007199254740992,\"s\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\","
    "\"d\":\"9999-12-31\",\"e\":\"a\"}}]}",
};

/* the line of `- when:` in head */
#define WHEN_LINE 30

static zf_evaluator *ev;
static zf_case *parsed[sizeof(cases) / sizeof(cases[0])];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    size_t i;

    (void)argc;
    (void)argv;
    FUZZ_CHECK(zf_evaluator_new(&ev, fuzz_ctx()) == ZF_OK);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        FUZZ_CHECK(zf_case_parse(&parsed[i], fuzz_ctx(), cases[i],
                                 strlen(cases[i]), NULL) == ZF_OK);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zf_context *ctx = fuzz_ctx();
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    size_t i, bad, n = 0;
    char *buf;
    zf_status rc;

    if (!ev)
        LLVMFuzzerInitialize(NULL, NULL);
    if (size > 4096 || !zf__utf8_valid((const char *)data, size, &bad))
        return 0;
    buf = malloc(sizeof(head) + 6 * size + sizeof(tail));
    FUZZ_CHECK(buf != NULL);
    memcpy(buf, head, sizeof(head) - 1);
    n = sizeof(head) - 1;
    /* escape what YAML does not allow raw in a double-quoted scalar (C0
     * and C1 controls, DEL, U+FFFE/FFFF) and its line breaks (NEL, LS, PS),
     * so the expression stays on one line */
    for (i = 0; i < size;) {
        uint32_t cp;
        size_t k = zf__utf8_decode((const char *)data + i, size - i, &cp);
        FUZZ_CHECK(k > 0);
        if (cp == '"' || cp == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)cp;
        } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
                   cp == 0x2028 || cp == 0x2029 || cp == 0xfffe ||
                   cp == 0xffff) {
            n += (size_t)sprintf(buf + n, "\\u%04x", (unsigned)cp);
        } else {
            memcpy(buf + n, data + i, k);
            n += k;
        }
        i += k;
    }
    memcpy(buf + n, tail, sizeof(tail) - 1);
    n += sizeof(tail) - 1;

    rc = zf_ruleset_compile(&rs, ctx, buf, n, "fuzz.yaml", &err);
    free(buf);
    if (rc != ZF_OK) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc == ZF_ESYNTAX || rc == ZF_ESCHEMA || rc == ZF_EREGEX ||
                   rc == ZF_ELIMIT);
        /* the error is on the expression's line (WHEN_LINE) */
        if (err.line != WHEN_LINE)
            fprintf(stderr, "%s:%u:%u: %s\n", err.source, err.line, err.column, err.message);
        FUZZ_CHECK(err.line == WHEN_LINE);
        return 0;
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rc = fuzz_eval_render(ev, rs, parsed[i]);
        FUZZ_CHECK(rc == ZF_OK || rc == ZF_EINPUT || rc == ZF_EINDETERMINATE);
    }
    zf_ruleset_unref(rs);
    return 0;
}
