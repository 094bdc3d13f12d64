/* SPDX-License-Identifier: MIT */
/*
 * Internal utilities shared by every module: the context, the allocation
 * layer, bump arenas, error filling, a growable string buffer and small
 * overflow-checked arithmetic helpers.
 */
#ifndef ZF_UTIL_PRIVATE_H
#define ZF_UTIL_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zhifa/zhifa.h"

#define ZF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* SQLite-style markers for defensive branches that should never run. */
#define ALWAYS(x) (x)
#define NEVER(x) (x)

#if defined(__GNUC__)
#define ZF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ZF_LIKELY(x) __builtin_expect(!!(x), 1)
#define ZF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define ZF_PRINTF(a, b)
#define ZF_LIKELY(x) (x)
#define ZF_UNLIKELY(x) (x)
#endif

struct zf_context {
    zf_allocator alloc;
    long limits[ZF_LIMIT_COUNT_];
    zf_log_fn log_fn;
    zf_log_level log_level;
    void *log_user_data;
};

/* ---- allocation layer: every allocation in the library goes here ---- */
void *zf__malloc(const zf_context *ctx, size_t size);
void *zf__calloc(const zf_context *ctx, size_t n, size_t size);
void *zf__realloc(const zf_context *ctx, void *ptr, size_t size);
void zf__free(const zf_context *ctx, void *ptr);
char *zf__strndup(const zf_context *ctx, const char *s, size_t n);

void zf__log(const zf_context *ctx, zf_log_level level, const char *fmt, ...)
    ZF_PRINTF(3, 4);

static inline long
zf__limit(const zf_context *ctx, zf_limit id)
{
    return ctx->limits[id];
}

/* ---- overflow-checked size arithmetic ---- */
static inline bool
zf__add_overflow(size_t a, size_t b, size_t *out)
{
    return __builtin_add_overflow(a, b, out);
}

static inline bool
zf__mul_overflow(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

/* ---- bump arena ----
 * Chunks come from the context allocator. Allocation never moves earlier
 * data. zf__arena_reset keeps the first chunk for reuse. */
struct zf__arena_chunk;

struct zf__arena {
    const zf_context *ctx;
    struct zf__arena_chunk *head;
    size_t chunk_size;   /* default size of new chunks */
    size_t total;        /* bytes obtained from the allocator */
};

void zf__arena_init(struct zf__arena *a, const zf_context *ctx,
                    size_t chunk_size);
/* Returns NULL on OOM or overflow; `align` must be a power of two. */
void *zf__arena_alloc(struct zf__arena *a, size_t size, size_t align);
void *zf__arena_calloc(struct zf__arena *a, size_t n, size_t size,
                       size_t align);
char *zf__arena_strndup(struct zf__arena *a, const char *s, size_t n);
char *zf__arena_strdup(struct zf__arena *a, const char *s);
char *zf__arena_printf(struct zf__arena *a, const char *fmt, ...)
    ZF_PRINTF(2, 3);
void zf__arena_reset(struct zf__arena *a);
void zf__arena_destroy(struct zf__arena *a);

#define ZF_ARENA_NEW(a, type) \
    ((type *)zf__arena_calloc((a), 1, sizeof(type), _Alignof(type)))
#define ZF_ARENA_NEWN(a, type, n) \
    ((type *)zf__arena_calloc((a), (n), sizeof(type), _Alignof(type)))

/* ---- errors ----
 * zf__error_set fills `err` (may be NULL) and returns `code`.
 * The message is truncated on a UTF-8 boundary. */
zf_status zf__error_set(zf_error *err, zf_status code, int diag,
                        const char *fmt, ...) ZF_PRINTF(4, 5);
zf_status zf__error_setv(zf_error *err, zf_status code, int diag,
                         const char *fmt, va_list ap) ZF_PRINTF(4, 0);
void zf__error_at(zf_error *err, const char *source, unsigned line,
                  unsigned column);
void zf__error_path(zf_error *err, const char *path);
void zf__error_rule(zf_error *err, const char *rule_id);
zf_status zf__error_nomem(zf_error *err);
/* Copy at most dst_size-1 bytes, cutting on a UTF-8 boundary. */
void zf__strlcpy_utf8(char *dst, size_t dst_size, const char *src);

/* ---- growable string buffer (context allocator) ----
 * On OOM `failed` becomes true and later appends are no-ops. */
struct zf__buf {
    const zf_context *ctx;
    char *data;
    size_t len;
    size_t cap;
    bool failed;
};

void zf__buf_init(struct zf__buf *b, const zf_context *ctx);
void zf__buf_append(struct zf__buf *b, const char *s, size_t n);
void zf__buf_puts(struct zf__buf *b, const char *s);
void zf__buf_putc(struct zf__buf *b, char c);
void zf__buf_printf(struct zf__buf *b, const char *fmt, ...) ZF_PRINTF(2, 3);
void zf__buf_int(struct zf__buf *b, int64_t v);
/* Append `s` as a JSON string literal (quotes and escapes). */
void zf__buf_json_str(struct zf__buf *b, const char *s, size_t n);
/* Hand over the NUL-terminated data (caller frees with zf__free); NULL if
 * the buffer failed. */
char *zf__buf_steal(struct zf__buf *b, size_t *len);
void zf__buf_free(struct zf__buf *b);

/* ---- UTF-8 ---- */
/* True if [s, s+n) is valid UTF-8 without NUL; *bad_offset gets the first
 * bad byte otherwise. */
bool zf__utf8_valid(const char *s, size_t n, size_t *bad_offset);
/* Number of code points in [s, s+n) (assumes valid UTF-8). */
size_t zf__utf8_count(const char *s, size_t n);
/* Decode one code point at s (n bytes available); returns bytes consumed
 * (>=1) and stores the code point, or 0 on malformed input. */
size_t zf__utf8_decode(const char *s, size_t n, uint32_t *cp);

/* ---- legal citations ---- */
/* Chinese numeral for 1..999 ("一百零三"); other values in digits. */
void zf__zh_number(struct zf__buf *b, unsigned n);
/* 《title》第N条[之M][第P款][第（I）项]; article 0 omits the 条 part. */
void zf__cite(struct zf__buf *b, const char *title, unsigned article,
              unsigned sub, unsigned para, unsigned item);

/* ---- misc ---- */
/* memmem without _GNU_SOURCE */
const void *zf__memmem(const void *hay, size_t hn, const void *needle,
                       size_t nn);

/* Levenshtein distance in code points, capped at `cap`. */
unsigned zf__edit_distance(const char *a, const char *b, unsigned cap);

/* Days since 1970-01-01 for a valid proleptic Gregorian date; false if the
 * date is not valid. Parses exactly "YYYY-MM-DD". */
bool zf__parse_date(const char *s, size_t n, int32_t *days);
void zf__format_date(int32_t days, char out[11]);
int32_t zf__days_from_civil(int32_t y, unsigned m, unsigned d);
void zf__civil_from_days(int32_t days, int32_t *y, unsigned *m, unsigned *d);

#endif
