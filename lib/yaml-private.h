/* SPDX-License-Identifier: MIT */
/*
 * A YAML node tree with source positions, built from libyaml events under a
 * strict subset: one document, no anchors/aliases, no explicit tags, no
 * duplicate keys, bounded depth, scalar length and sequence length.
 */
#ifndef ZF_YAML_PRIVATE_H
#define ZF_YAML_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "util-private.h"

enum zf__ykind { ZF_Y_SCALAR, ZF_Y_SEQ, ZF_Y_MAP };

struct zf__ynode;

struct zf__ypair {
    const struct zf__ynode *key;   /* always a scalar */
    const struct zf__ynode *value;
};

struct zf__ynode {
    enum zf__ykind kind;
    unsigned line;      /* 1-based */
    unsigned column;    /* 1-based, code points */
    bool plain;         /* scalar written without quotes or block style */
    const char *str;    /* scalar value, NUL-terminated (arena) */
    const char *raw;    /* scalar: its source text (valid during load only) */
    size_t len;         /* scalar byte length */
    const struct zf__ynode *const *items; /* sequence */
    const struct zf__ypair *pairs;        /* mapping */
    size_t n;           /* number of items or pairs */
};

/*
 * Parse buf[0..len) into a tree allocated from `arena`; scalar strings go
 * to `str_arena` (they outlive the tree in the compiled rule set). `source` is used in
 * errors only. Returns ZF_OK with *root set (NULL for an empty document is
 * reported as an error: ZF_DIAG_EMPTY), or an error with line/column.
 */
zf_status zf__yaml_parse(const struct zf__ynode **root,
                         const zf_context *ctx, struct zf__arena *arena,
                         struct zf__arena *str_arena,
                         const char *buf, size_t len, const char *source,
                         zf_error *err);

#endif
