/* SPDX-License-Identifier: MIT */
/*
 * One growable-array helper (after libxkbcommon's darray.h), for arrays
 * kept as a pointer, a count and a capacity in the owner's struct:
 *
 *     if (!ZF_ARRAY_RESERVE(ctx, p->code, p->n_code, p->cap_code, 32))
 *         return nomem(p);
 *     p->code[p->n_code++] = op;
 *
 * Growth: the first allocation holds `min` elements, then the capacity
 * doubles, through the context allocator (so OOM injection reaches it).
 * On failure (out of memory, or a size that would overflow) nothing
 * changes: the array, its elements and the capacity stay as they were,
 * and the caller reports ZF_ENOMEM its own way.
 */
#ifndef ZF_ARRAY_PRIVATE_H
#define ZF_ARRAY_PRIVATE_H

#include <string.h>

#include "util-private.h"

/* Make room for one more element: when n == *cap, grow the array whose
 * address is `arrayp` (a `T **`, read and written with memcpy so any
 * element type can pass through `void *`). Returns false on failure. */
static inline bool
zf__array_reserve(const zf_context *ctx, void *arrayp, size_t n,
                  size_t *cap, size_t elem_size, size_t min)
{
    void *v, *nv;
    size_t ncap, bytes;

    if (n < *cap)
        return true;
    if (*cap == 0)
        ncap = min;
    else if (zf__mul_overflow(*cap, 2, &ncap))
        return false;
    if (zf__mul_overflow(ncap, elem_size, &bytes))
        return false;
    memcpy(&v, arrayp, sizeof(v));
    nv = zf__realloc(ctx, v, bytes);
    if (!nv)
        return false;
    memcpy(arrayp, &nv, sizeof(nv));
    *cap = ncap;
    return true;
}

/* `v`, `n` and `cap` are lvalues: the array pointer, its count and its
 * capacity (a size_t). */
#define ZF_ARRAY_RESERVE(ctx, v, n, cap, min) \
    zf__array_reserve((ctx), &(v), (n), &(cap), sizeof(*(v)), (min))

#endif
