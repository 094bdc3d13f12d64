/* SPDX-License-Identifier: MIT */
/*
 * Regular expressions in rules: PCRE2 compile with limits, error columns
 * mapped back to the YAML scalar.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-private.h"

/* ------------------------------------------------------------------ */
/* regular expressions */

void *
zf__pcre_malloc(size_t size, void *ud)
{
    return zf__malloc(ud, size);
}

void
zf__pcre_free(void *p, void *ud)
{
    zf__free(ud, p);
}

pcre2_code *
zf__compile_regex(struct loader *L, const char *pat, size_t len, uint32_t opts,
              size_t *err_off, char *msg, size_t msg_size, zf_status *code)
{
    pcre2_code *re;
    int ecode;
    PCRE2_SIZE eoff;
    size_t size;

    *code = ZF_EREGEX;
    if (len > (size_t)zf__limit(L->ctx, ZF_LIMIT_PATTERN_LENGTH)) {
        *err_off = 0;
        *code = ZF_ELIMIT;
        snprintf(msg, msg_size, "pattern longer than %ld bytes",
                 zf__limit(L->ctx, ZF_LIMIT_PATTERN_LENGTH));
        return NULL;
    }
    re = pcre2_compile((PCRE2_SPTR)pat, len,
                       opts | PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C |
                           PCRE2_NO_UTF_CHECK,
                       &ecode, &eoff, L->cctx);
    if (!re) {
        PCRE2_UCHAR buf[200];
        if (ecode == PCRE2_ERROR_HEAP_FAILED) {
            *code = ZF_ENOMEM;
            snprintf(msg, msg_size, "out of memory");
        } else {
            pcre2_get_error_message(ecode, buf, sizeof(buf));
            snprintf(msg, msg_size, "%s", (const char *)buf);
        }
        *err_off = eoff;
        return NULL;
    }
    pcre2_pattern_info(re, PCRE2_INFO_SIZE, &size);
    if (size > (size_t)zf__limit(L->ctx, ZF_LIMIT_REGEX_SIZE)) {
        pcre2_code_free(re);
        *err_off = 0;
        *code = ZF_ELIMIT;
        snprintf(msg, msg_size, "compiled pattern is %zu bytes, over the "
                 "limit of %ld", size, zf__limit(L->ctx, ZF_LIMIT_REGEX_SIZE));
        return NULL;
    }
    if (zf__vec_push(L, &L->regexes, re)) {
        pcre2_code_free(re);
        *code = ZF_ENOMEM;
        snprintf(msg, msg_size, "out of memory");
        return NULL;
    }
    /* JIT may be unavailable (hardened kernels): the interpreter is the
     * fallback, with the same limits. */
    if (pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) < 0)
        zf__log(L->ctx, ZF_LOG_INFO, "PCRE2 JIT unavailable; interpreting");
    return re;
}

void *
zf__expr_regex_cb(void *ud, const char *pattern, size_t len, size_t *err_offset,
              char *msg, size_t msg_size)
{
    zf_status code;

    return zf__compile_regex(ud, pattern, len, 0, err_offset, msg, msg_size,
                         &code);
}

/* Column of byte `off` of a scalar's value, in the source. Plain and
 * quoted scalars are walked in the source text so escapes ('' in single
 * quotes, \x in double quotes) count as what they are. When the offset
 * lies on a later line of a multi-line scalar, or in a block scalar (whose
 * text starts on the next line), the scalar's own column is given: a
 * column is never past the end of the line. */
unsigned
zf__scalar_column(const struct zf__ynode *n, size_t off)
{
    const char *r = n->raw;
    size_t consumed = 0;
    unsigned col;
    char q;

    if (off > n->len)
        off = n->len;
    if (!r)
        return n->column;
    q = n->plain ? 0 : r[0];
    if (!n->plain && q != '\'' && q != '"')
        return n->column;
    col = n->column;
    if (q) {
        r++;
        col++;
    }
    /* stop at the end of the line: CR and LF, and NEL, LS, PS (the YAML
     * line breaks libyaml counts) */
    while (consumed < off && *r && *r != '\n' && *r != '\r' &&
           !((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0x85) &&
           !((unsigned char)r[0] == 0xE2 && (unsigned char)r[1] == 0x80 &&
             ((unsigned char)r[2] == 0xA8 || (unsigned char)r[2] == 0xA9))) {
        size_t k = 1;
        if (q == '\'' && r[0] == '\'' && r[1] == '\'') {
            r += 2;          /* '' is one quote */
            col += 2;
            consumed += 1;
            continue;
        }
        if (q == '"' && r[0] == '\\' && r[1]) {
            r += 2;          /* a simple escape: one character */
            col += 2;
            consumed += 1;
            continue;
        }
        if ((unsigned char)*r >= 0x80) {
            uint32_t cp;
            k = zf__utf8_decode(r, 4, &cp);
            if (!k)
                k = 1;
        }
        r += k;
        col += 1;
        consumed += k;
    }
    if (consumed < off)  /* left the line */
        return n->column;
    return col;
}

static zf_status
get_pattern(struct loader *L, const struct zf__ynode *n,
            struct zf__pattern *pat)
{
    char msg[256];
    size_t off, lo[ZF__PF_MAX], ll[ZF__PF_MAX], nl, k;
    zf_status code;
    const char *s;
    zf_status rc = zf__get_str(L, n, "pattern", &s);

    if (rc)
        return rc;
    pat->code = zf__compile_regex(L, s, n->len, PCRE2_CASELESS, &off, msg,
                              sizeof(msg), &code);
    if (!pat->code) {
        if (code == ZF_ENOMEM)
            return zf__nomem(L);
        rc = zf__err_at(L, n, code,
                    code == ZF_ELIMIT ? ZF_DIAG_LIMIT_PATTERN : ZF_DIAG_REGEX,
                    "bad pattern: %s", msg);
        if (L->err)
            L->err->column = zf__scalar_column(n, off);
        return rc;
    }
    pat->src = s;
    pat->line = n->line;
    pat->column = n->column;
    nl = zf__pf_analyze(s, n->len, lo, ll);
    if (nl) {
        struct zf__pf_lit *lits = ZF_ARENA_NEWN(L->arena, struct zf__pf_lit,
                                                nl);
        if (!lits)
            return zf__nomem(L);
        for (k = 0; k < nl; k++) {
            lits[k].s = s + lo[k];   /* the pattern text lives in the arena */
            lits[k].len = (uint32_t)ll[k];
            lits[k].mask = zf__cp_mask(s + lo[k], ll[k]);
        }
        pat->lits = lits;
        pat->n_lits = nl;
    }
    return ZF_OK;
}

static zf_status
pattern_elem(struct loader *L, const struct zf__ynode *n, const char *what,
             void *elem)
{
    (void)what;
    return get_pattern(L, n, elem);
}

zf_status
zf__get_patterns(struct loader *L, const struct zf__ynode *n, const char *what,
             const struct zf__pattern **out, size_t *count)
{
    void *v = NULL;
    zf_status rc = zf__get_list(L, n, what, sizeof(struct zf__pattern),
                            _Alignof(struct zf__pattern), pattern_elem, &v,
                            count);

    *out = v;
    return rc;
}
