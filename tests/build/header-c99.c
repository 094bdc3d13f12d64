/* SPDX-License-Identifier: MIT */
/* The public header must compile alone as strict C99. */
#include "zhifa/zhifa.h"

int
main(void)
{
    zf_error err = ZF_ERROR_INIT;
    (void)err;
    return ZF_VERSION_CHECK(0, 1, 0) ? 0 : 1;
}
