/* SPDX-License-Identifier: MIT */
/*
 * A strict JSON pre-scanner for untrusted case text, run before cJSON
 * parses it. cJSON silently accepts duplicate keys, "\u0000", lone
 * surrogates and invalid UTF-8; this scanner rejects all of them and
 * reports where, so that cJSON only ever sees text with one meaning.
 *
 * What is accepted: exactly one RFC 8259 value surrounded by optional
 * whitespace (space, tab, LF, CR). Numbers follow the RFC grammar (no
 * leading zeros, no '+', no NaN/Infinity, no hex); no comments, no
 * trailing commas, no byte order mark. Strings are valid UTF-8 (no
 * overlongs, no encoded surrogates, nothing above U+10FFFF), contain no
 * raw control characters (U+0000..U+001F), use only the RFC escapes;
 * `\uXXXX` escapes may not encode U+0000 and surrogates must come as a
 * well-formed high+low pair. No object repeats a key; keys are compared
 * after unescaping ("a" and "\u0061" are the same key).
 *
 * Errors and their codes:
 *   ZF_ESYNTAX / ZF_DIAG_JSON_SYNTAX     grammar (includes raw control
 *                                        characters and bad escapes)
 *   ZF_EINPUT  / ZF_DIAG_CASE_BAD_UTF8   invalid UTF-8 anywhere in the
 *                                        text, "\u0000", lone surrogates
 *   ZF_EINPUT  / ZF_DIAG_CASE_DUP_KEY    an object repeats a key
 *   ZF_ELIMIT  / ZF_DIAG_LIMIT_JSON      nesting deeper than max_depth
 *   ZF_ENOMEM  / ZF_DIAG_NOMEM           allocation failed
 *   ZF_EINVAL  / ZF_DIAG_INVAL           ctx NULL, or buf NULL with len > 0
 * The first problem in text order is reported.
 *
 * Cost: O(len) time. Memory: a frame per open container (bounded by
 * max_depth) and, for the objects currently open, hash tables of their keys
 * (16 bytes per key slot), all from the context allocator and all freed
 * before returning. Never recursive; never reads buf[len] or beyond; buf
 * need not be NUL-terminated. The key hash is SipHash-1-3 keyed per call
 * from address-space layout, so colliding keys cannot be precomputed
 * without knowing the process's addresses.
 *
 * Not checked here: the size limit (ZF_LIMIT_JSON_SIZE, the caller's job),
 * number ranges (1e999 is grammatical; see zf__json_integral_money()).
 *
 * ---- Paths ----
 * Error paths name the value being parsed when the problem was found,
 * without a leading '$': "" is the root, an object member is `.key` (the
 * dot omitted at the start) and an array element is `[n]` (0-based), e.g.
 * `violations[2].facts.untrained`. A key that is not an ASCII identifier
 * ([A-Za-z_][A-Za-z0-9_]*) is written `["key"]` with `"`, `\` and control
 * characters escaped as in JSON, e.g. `facts["未培训"]`, `a["x.y"][0]`.
 * For a duplicate key the path is the object's path plus the key. A path
 * that does not fit its buffer is cut on a character boundary and ends in
 * "..." (never otherwise produced, since keys with dots are bracketed);
 * appending to a path that ends in "..." does nothing.
 *
 * Line and column are 1-based; lines end at LF; the column counts Unicode
 * code points (UTF-8 lead bytes) from the start of the line.
 */
#ifndef ZF_JSON_PRIVATE_H
#define ZF_JSON_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zhifa/zhifa.h"

/* cJSON's own nesting cap (CJSON_NESTING_LIMIT in the cJSON we build
 * with; case.c checks they agree). ZF_LIMIT_JSON_DEPTH may not exceed it:
 * cJSON would refuse deeper input, which we would then report as a false
 * ZF_ENOMEM. Only case parsing includes cJSON. */
#define ZF__CJSON_NESTING_LIMIT 1000

struct zf__json_scan_error {
    zf_status code;      /* ZF_ESYNTAX, ZF_EINPUT, ZF_ELIMIT, ZF_ENOMEM */
    int diag;            /* ZF_DIAG_JSON_SYNTAX, ZF_DIAG_CASE_DUP_KEY,
                            ZF_DIAG_CASE_BAD_UTF8, ZF_DIAG_LIMIT_JSON */
    size_t offset;       /* byte offset of the problem */
    unsigned line, column; /* 1-based; column counts Unicode code points */
    char path[128];      /* JSON path of the problem; "" for the root */
    char message[256];   /* e.g. "duplicate key 'item'", "invalid UTF-8",
                            "\\u0000 is not allowed", "expected ',' or '}'",
                            "nesting deeper than 32" */
};

/*
 * Check that [buf, buf+len) is one strict JSON value (see above) nested at
 * most `max_depth` containers deep (0 allows only a scalar; the root
 * container is depth 1).
 * `e` may be NULL; otherwise it is cleared, and filled on failure.
 * Returns ZF_OK, ZF_ESYNTAX, ZF_EINPUT, ZF_ELIMIT, ZF_ENOMEM or ZF_EINVAL.
 */
zf_status zf__json_prescan(const zf_context *ctx, const char *buf, size_t len,
                           unsigned max_depth,
                           struct zf__json_scan_error *e);

/* 1-based line and column (in code points) of `offset` (clamped to len).
 * Either out-pointer may be NULL. */
void zf__json_offset_to_linecol(const char *buf, size_t len, size_t offset,
                                unsigned *line, unsigned *column);

/*
 * Append a path segment to the NUL-terminated `path` (buffer of `size`
 * bytes), in the syntax described above: a key (`klen` bytes of UTF-8,
 * e.g. a cJSON string; invalid bytes are shown as U+FFFD) or an array
 * index. Never writes past `size`. Returns false when the path is (now or
 * already) truncated.
 */
bool zf__json_path_key(char *path, size_t size, const char *key, size_t klen);
bool zf__json_path_index(char *path, size_t size, size_t index);

/*
 * Accept a JSON number as an amount of money: true and *out set when `v`
 * is finite, integral and |v| <= 2^53; false otherwise (NaN, infinities,
 * fractions, too large). -0.0 gives 0.
 */
bool zf__json_integral_money(double v, int64_t *out);

#endif
