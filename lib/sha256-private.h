/* SPDX-License-Identifier: MIT */
/*
 * A small self-contained SHA-256 (FIPS 180-4), used to fingerprint rule
 * files and cases. Streaming: init, any number of updates, final.
 * No allocation, no global state; a struct zf__sha256 may live anywhere.
 */
#ifndef ZF_SHA256_PRIVATE_H
#define ZF_SHA256_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#define ZF_SHA256_DIGEST_SIZE 32
#define ZF_SHA256_HEX_SIZE 65   /* 64 hex digits and a NUL */

struct zf__sha256 {
    uint32_t h[8];              /* chaining state */
    uint64_t total;             /* bytes hashed so far */
    unsigned char block[64];    /* pending partial block */
    size_t fill;                /* bytes in `block` (0..63) */
};

void zf__sha256_init(struct zf__sha256 *c);
/* `data` may be NULL when `len` is 0. */
void zf__sha256_update(struct zf__sha256 *c, const void *data, size_t len);
/* Write the digest; `c` must be re-initialised before further use. */
void zf__sha256_final(struct zf__sha256 *c, unsigned char out[32]);
/* Lower-case hex of a digest, NUL-terminated. */
void zf__sha256_hex(const unsigned char in[32], char out[65]);

#endif
