/* SPDX-License-Identifier: MIT */
/*
 * fuzz-ruleset: bytes → zf_ruleset_compile with the default limits.
 * On success the catalogue is listed (JSON must be valid) and the first
 * item shown; on failure `err` must be consistent and its line and column
 * must lie within the input.
 */
#include "config.h"

#include "fuzz-common.h"
#include "ruleset-private.h"

/* Upper bounds of the line and column libyaml may report: every kind of
 * YAML line break counts (CR, LF, NEL, LS, PS). */
static void
extent(const uint8_t *s, size_t n, size_t *lines, size_t *cols)
{
    size_t i = 0, col = 0;

    *lines = 1;
    *cols = 0;
    while (i < n) {
        size_t br = 0;
        if (s[i] == '\n' || s[i] == '\r')
            br = 1;
        else if (i + 1 < n && s[i] == 0xC2 && s[i + 1] == 0x85)
            br = 2;
        else if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 &&
                 (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
            br = 3;
        if (br) {
            (*lines)++;
            col = 0;
            i += br;
            continue;
        }
        if ((s[i] & 0xC0) != 0x80)
            col++;
        if (col > *cols)
            *cols = col;
        i++;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zf_context *ctx = fuzz_ctx();
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    zf_status rc;

    rc = zf_ruleset_compile(&rs, ctx, (const char *)data, size, "fuzz.yaml",
                            &err);
    if (rc != ZF_OK) {
        size_t lines, cols;
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc != ZF_ENOMEM && rc != ZF_EIO && rc != ZF_EINVAL);
        FUZZ_CHECK(rs == NULL);
        FUZZ_CHECK(strncmp(err.source, "fuzz.yaml", 9) == 0 ||
                   err.source[0] == '\0');
        extent(data, size, &lines, &cols);
        FUZZ_CHECK(err.line <= lines);
        FUZZ_CHECK(err.column <= cols + 1);
        FUZZ_CHECK(err.offset == (size_t)-1 || err.offset <= size);
        return 0;
    }
    {
        char *out = NULL;
        size_t len = 0;
        FUZZ_CHECK(zf_ruleset_list(&out, &len, rs, ZF_LIST_JSON, NULL) ==
                   ZF_OK);
        FUZZ_CHECK(fuzz_valid_json(out, len));
        zf_free(ctx, out);
        FUZZ_CHECK(zf_ruleset_list(&out, &len, rs, ZF_LIST_TEXT, NULL) ==
                   ZF_OK);
        zf_free(ctx, out);
        FUZZ_CHECK(zf_ruleset_list(&out, &len, rs, ZF_LIST_MARKDOWN, NULL) ==
                   ZF_OK);
        zf_free(ctx, out);
        if (rs->n_items) {
            FUZZ_CHECK(zf_ruleset_show(&out, &len, rs, rs->items[0]->id,
                                       ZF_LIST_JSON, NULL) == ZF_OK);
            FUZZ_CHECK(fuzz_valid_json(out, len));
            zf_free(ctx, out);
            FUZZ_CHECK(zf_ruleset_show(&out, &len, rs, rs->items[0]->id,
                                       ZF_LIST_TEXT, NULL) == ZF_OK);
            zf_free(ctx, out);
        }
    }
    FUZZ_CHECK(strncmp(zf_ruleset_digest(rs), "sha256:", 7) == 0);
    zf_ruleset_unref(rs);
    return 0;
}
