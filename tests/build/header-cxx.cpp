// SPDX-License-Identifier: MIT
// The public header must be usable from C++.
#include "zhifa/zhifa.h"

int
main()
{
    zf_context *ctx = nullptr;
    if (zf_context_new(&ctx) != ZF_OK)
        return 1;
    zf_context_free(ctx);
    return 0;
}
