/* SPDX-License-Identifier: MIT */
/*
 * JSON output, in one place: the pieces that render.c (decisions),
 * list.c and checklist.c (catalogue) share. Output goes to a struct
 * zf__buf; integers are exact int64 (zf__buf_int), strings are escaped by
 * zf__buf_json_str (util.c), keys are written in a fixed order by the
 * callers. (Reading JSON is json.c's pre-scan plus cJSON, in case.c.)
 *
 * Still to do (issue [structure] 3): a structured writer (begin/end
 * object, key, value) that indents as it writes, so that the indented form
 * no longer re-lexes the compact one (zf__json_indent below), and render.c
 * and list.c emit through it instead of literal fragments.
 */
#ifndef ZF_JSON_OUT_PRIVATE_H
#define ZF_JSON_OUT_PRIVATE_H

#include <stddef.h>

#include "util-private.h"

/* A JSON string, or null for NULL. */
void zf__json_str_or_null(struct zf__buf *b, const char *s);

/* Append the indented form of [s, s+n), compact JSON that this library
 * wrote (every '"' inside a string is escaped, so structure characters
 * outside strings are unambiguous): two spaces per level, "key": value,
 * empty containers kept as {} and [], a final newline. This is the
 * ZF_RENDER_JSON_PRETTY layout, which the golden files
 * (tests/data/eval/<name>/expected.json) are stored in. */
void zf__json_indent(struct zf__buf *out, const char *s, size_t n);

#endif
