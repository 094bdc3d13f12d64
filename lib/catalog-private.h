/* SPDX-License-Identifier: MIT */
/*
 * Pieces of catalogue output shared by `zhifa list`/`show` (list.c) and the
 * plan and combined checklist (checklist.c), so an item is described the
 * same way everywhere.
 */
#ifndef ZF_CATALOG_PRIVATE_H
#define ZF_CATALOG_PRIVATE_H

#include "json-out-private.h"
#include "ruleset-private.h"

/* A JSON array of the references' rendered citations. */
void zf__json_cites(struct zf__buf *b, const struct zf__ref *r, size_t n);
/* A JSON array of strings. */
void zf__json_strs(struct zf__buf *b, const char *const *s, size_t n);
/* The CONTRACT.md `list --json` object of one item, without the closing
 * brace, so that callers can add members. */
void zf__json_item_open(struct zf__buf *b, const struct zf__item *it);
/* Text for a Markdown table cell: '|' escaped, line breaks folded. */
void zf__md_cell(struct zf__buf *b, const char *s);

#endif
