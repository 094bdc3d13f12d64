/* SPDX-License-Identifier: MIT */
/*
 * fuzz-case: arbitrary bytes → zf_case_parse. A parse either succeeds, with
 * accessors that stay inside the case, or fails with a status, a stable
 * diagnostic code and a NUL-terminated message without raw control
 * characters — never a crash, a leak or a hang.
 */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    (void)fuzz_ctx();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    zf_status rc;
    size_t i, n;

    rc = zf_case_parse(&cs, fuzz_ctx(), (const char *)data, size, &err);
    if (rc == ZF_OK) {
        FUZZ_CHECK(cs != NULL);
        FUZZ_CHECK(zf_case_id(cs) != NULL);
        n = zf_case_domain_count(cs);
        for (i = 0; i < n; i++)
            FUZZ_CHECK(zf_case_domain(cs, i) != NULL);
        FUZZ_CHECK(zf_case_domain(cs, n) == NULL);
        (void)zf_case_violation_count(cs);
        zf_case_free(cs);
        return 0;
    }
    FUZZ_CHECK(cs == NULL);
    FUZZ_CHECK(rc < 0);
    FUZZ_CHECK(err.diag >= 100 && err.diag < 1000);
    FUZZ_CHECK(memchr(err.message, '\0', sizeof(err.message)) != NULL);
    for (i = 0; err.message[i]; i++)
        FUZZ_CHECK((unsigned char)err.message[i] >= 0x20 &&
                   err.message[i] != 0x7f);
    return 0;
}
