/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the C test programs (tests/unit, tests/threads): where
 * the test data is, whole-file read and write, golden comparison, and a
 * counting (optionally failing) allocator for zf_context. They use no
 * Check macro, so test-threads (plain C) can use them too; on an
 * unexpected I/O failure they print the reason and abort(), which Check
 * reports as an error of the running test.
 *
 * Paths: $ZF_TEST_DATA and $ZF_SOURCE_ROOT (set by meson test) win; without
 * them the source tree's absolute path, compiled in, is used, so a test
 * binary runs from any directory (docs/testing.md).
 */
#ifndef ZF_TEST_COMMON_H
#define ZF_TEST_COMMON_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "zhifa/zhifa.h"

/* Print "file:line: fatal: ..." and abort(). */
#define ZT_FATAL(...) zt_fatal(__FILE__, __LINE__, __VA_ARGS__)
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 3, 4)))
#endif
void zt_fatal(const char *file, int line, const char *fmt, ...);

/* ---- where things are ---- */

/* The test data directory (tests/data): $ZF_TEST_DATA, else the source
 * tree's. Borrowed, static. */
const char *zt_data_dir(void);
/* "<source root>/<sub>" in one of 16 rotating static buffers (so a few
 * may be used in one expression). Root: $ZF_SOURCE_ROOT, else the source
 * tree's. */
const char *zt_source_path(const char *sub);
/* True when ZF_REGENERATE=1: golden runners rewrite their expected files. */
bool zt_regenerate(void);

/* ---- files ---- */

/* The whole file, NUL-terminated, malloc'ed (caller frees); `len` (may be
 * NULL) gets its size. NULL if the file cannot be opened; aborts on a read
 * error. */
char *zt_read_file(const char *path, size_t *len);
/* As zt_read_file, but a file that cannot be opened is fatal too. */
char *zt_slurp(const char *path, size_t *len);
/* Write `len` bytes to `path` (created or truncated); fatal on failure. */
void zt_write_file(const char *path, const char *data, size_t len);
bool zt_exists(const char *path);
/* qsort comparator for an array of `char *`. */
int zt_cmp_str(const void *a, const void *b);

/* ---- golden comparison ---- */

/* True if `want` and `got` are equal. Otherwise fills `msg` (never
 * allocates) with the first differing byte offset and about 240 bytes of
 * each from a little before it (starting on a UTF-8 boundary): outputs are
 * long and Check truncates messages, so never print them whole. */
bool zt_same(const char *want, const char *got, char *msg, size_t size);
/* Rewrite `"generation":N` to `"generation":0` in place: rule sets
 * installed by an engine carry a generation, golden output has none. */
void zt_strip_generation(char *s);

/* ---- a counting allocator for zf_context_new_with_allocator ----
 * Thread-safe counters (evaluators on several threads share a context).
 * Every malloc and realloc call counts; call number `fail_at` (1-based;
 * 0: never) fails, and with `persistent` every later one too. */
struct zt_alloc {
    atomic_long live;    /* blocks allocated and not yet freed */
    atomic_long calls;   /* malloc and realloc calls */
    long fail_at;
    bool persistent;
};

/* Zero the counters and disarm failures. */
void zt_alloc_reset(struct zt_alloc *a);
/* An allocator table that counts into `a` (its user_data). */
zf_allocator zt_alloc_table(struct zt_alloc *a);

#endif
