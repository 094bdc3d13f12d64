/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "prefilter-private.h"
#include "util-private.h"

/* literals shorter than this (bytes) are not selective enough to help */
#define MIN_LIT 3

struct litset {
    size_t n;
    size_t off[ZF__PF_MAX], len[ZF__PF_MAX];
    size_t minlen;
    bool ok;
};

static uint64_t
cp_bit(uint32_t cp)
{
    return (uint64_t)1 << ((cp * 2654435761u) >> 26);
}

uint64_t
zf__cp_mask(const char *s, size_t n)
{
    uint64_t m = 0;
    size_t i = 0, k;
    uint32_t cp;

    while (i < n) {
        k = zf__utf8_decode(s + i, n - i, &cp);
        if (!k) {
            i++;
            continue;
        }
        m |= cp_bit(cp);
        i += k;
    }
    return m;
}

bool
zf__pf_may_match(const struct zf__pf_lit *lits, size_t n_lits,
                 const char *text, size_t len, uint64_t text_mask)
{
    size_t i;

    if (!n_lits)
        return true;
    for (i = 0; i < n_lits; i++)
        if ((lits[i].mask & ~text_mask) == 0 &&
            zf__memmem(text, len, lits[i].s, lits[i].len))
            return true;
    return false;
}

static size_t
skip_class(const char *p, size_t i, size_t n)
{
    /* p[i] == '[' */
    i++;
    if (i < n && p[i] == '^')
        i++;
    if (i < n && p[i] == ']')
        i++;
    while (i < n && p[i] != ']') {
        if (p[i] == '\\')
            i += 2;
        else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
            size_t j = i + 2;
            while (j + 1 < n && !(p[j] == ':' && p[j + 1] == ']'))
                j++;
            i = j + 2;
        } else
            i++;
    }
    return i < n ? i + 1 : n;
}

static size_t
skip_escape(const char *p, size_t i, size_t n)
{
    /* p[i] == '\\' */
    char c;

    i++;
    if (i >= n)
        return n;
    c = p[i++];
    if (c >= '0' && c <= '9') {
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
    } else if (strchr("xopPNgku", c)) {
        if (i < n && (p[i] == '{' || p[i] == '<' || p[i] == '\'')) {
            char close = p[i] == '{' ? '}' : p[i] == '<' ? '>' : '\'';
            while (i < n && p[i] != close)
                i++;
            i++;
        } else if (c == 'x') {
            size_t k;
            for (k = 0; k < 2 && i < n &&
                        strchr("0123456789abcdefABCDEF", p[i]); k++)
                i++;
        }
    } else if (c == 'c') {
        i++;
    }
    return i > n ? n : i;
}

/* {n}, {n,}, {n,m}: sets *end and *min_zero (lower bound is 0) */
static bool
quant_brace(const char *p, size_t i, size_t n, size_t *end, bool *min_zero)
{
    size_t j = i + 1, lo = 0;
    bool digits = false;

    while (j < n && p[j] >= '0' && p[j] <= '9') {
        lo = lo * 10 + (size_t)(p[j] - '0');
        j++;
        digits = true;
    }
    if (!digits)
        return false;
    if (j < n && p[j] == ',') {
        j++;
        while (j < n && p[j] >= '0' && p[j] <= '9')
            j++;
    }
    if (j >= n || p[j] != '}')
        return false;
    *end = j + 1;
    *min_zero = lo == 0;
    return true;
}

/* After an atom ending at i: is there a quantifier, and may it repeat zero
 * times? Returns the index after the quantifier (and its lazy/possessive
 * suffix). */
static size_t
quantifier(const char *p, size_t i, size_t n, bool *has, bool *zero)
{
    size_t end;
    bool mz;

    *has = false;
    *zero = false;
    if (i >= n)
        return i;
    if (p[i] == '?' || p[i] == '*' || p[i] == '+') {
        *has = true;
        *zero = p[i] != '+';
        i++;
    } else if (p[i] == '{' && quant_brace(p, i, n, &end, &mz)) {
        *has = true;
        *zero = mz;
        i = end;
    } else {
        return i;
    }
    if (i < n && (p[i] == '?' || p[i] == '+'))
        i++;
    return i;
}

static size_t
match_paren(const char *p, size_t i, size_t n)
{
    /* p[i] == '('; returns index of the matching ')' or n */
    int depth = 0;

    while (i < n) {
        if (p[i] == '\\') {
            i = skip_escape(p, i, n);
            continue;
        }
        if (p[i] == '[') {
            i = skip_class(p, i, n);
            continue;
        }
        if (p[i] == '(')
            depth++;
        else if (p[i] == ')' && --depth == 0)
            return i;
        i++;
    }
    return n;
}

static bool
better(const struct litset *a, const struct litset *b)
{
    if (!a->ok)
        return false;
    if (!b->ok)
        return true;
    if (a->minlen != b->minlen)
        return a->minlen > b->minlen;
    return a->n < b->n;
}

static void req_alt(const char *p, size_t start, size_t end, int depth,
                    struct litset *out);

/* A sequence without top-level '|'. */
static void
req_seq(const char *p, size_t start, size_t end, int depth,
        struct litset *best)
{
    size_t i = start, run = 0, run_len = 0, q;
    bool has, zero;

    best->ok = false;
    best->n = 0;
    best->minlen = 0;
    while (i < end) {
        char c = p[i];
        size_t clen = 1;
        uint32_t cp;

        if (c == '(') {
            size_t close = match_paren(p, i, end), in = i + 1;
            bool usable = true;
            struct litset inner;

            if (close >= end) {
                best->ok = false;
                return;
            }
            if (in < close && p[in] == '?') {
                in++;
                if (in < close && p[in] == ':')
                    in++;
                else if (in < close && (p[in] == '=' || p[in] == '!' ||
                                        p[in] == '#'))
                    usable = false;
                else if (in < close && p[in] == '<' && in + 1 < close &&
                         (p[in + 1] == '=' || p[in + 1] == '!'))
                    usable = false;
                else if (in < close && (p[in] == '<' || p[in] == '\'' ||
                                        p[in] == 'P')) {
                    char cl = p[in] == '\'' ? '\'' : '>';
                    while (in < close && p[in] != cl)
                        in++;
                    in++;
                } else
                    usable = false;  /* option settings etc. */
            }
            q = quantifier(p, close + 1, end, &has, &zero);
            if (usable && !zero && depth < 8) {
                req_alt(p, in, close, depth + 1, &inner);
                if (better(&inner, best))
                    *best = inner;
            }
            i = q;
            run_len = 0;
            continue;
        }
        if (c == '[' || c == '\\' || c == '.' || c == '^' || c == '$') {
            if (c == '[')
                i = skip_class(p, i, end);
            else if (c == '\\')
                i = skip_escape(p, i, end);
            else
                i++;
            i = quantifier(p, i, end, &has, &zero);
            run_len = 0;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' ||
            c == '#' || c == '{' || c == '}' || c == ')' || c == ']' ||
            c == '?' || c == '*' || c == '+' || c == '|') {
            /* letters: the match is caseless; others: structure */
            i++;
            i = quantifier(p, i, end, &has, &zero);
            run_len = 0;
            continue;
        }
        if ((unsigned char)c >= 0x80) {
            clen = zf__utf8_decode(p + i, end - i, &cp);
            if (!clen) {
                best->ok = false;
                return;
            }
        }
        q = quantifier(p, i + clen, end, &has, &zero);
        if (has) {
            /* the character is optional or repeated: end the run here */
            i = q;
            run_len = 0;
            continue;
        }
        if (run_len == 0)
            run = i;
        run_len += clen;
        i += clen;
        if (run_len >= MIN_LIT) {
            struct litset cand;
            cand.ok = true;
            cand.n = 1;
            cand.off[0] = run;
            cand.len[0] = run_len;
            cand.minlen = run_len;
            if (better(&cand, best))
                *best = cand;
        }
    }
}

static void
req_alt(const char *p, size_t start, size_t end, int depth,
        struct litset *out)
{
    size_t i = start, alt = start, k;
    struct litset part;

    out->ok = true;
    out->n = 0;
    out->minlen = SIZE_MAX;
    for (;;) {
        bool last = false;
        /* find the next top-level '|' */
        while (i < end) {
            if (p[i] == '\\') {
                i = skip_escape(p, i, end);
                continue;
            }
            if (p[i] == '[') {
                i = skip_class(p, i, end);
                continue;
            }
            if (p[i] == '(') {
                i = match_paren(p, i, end) + 1;
                continue;
            }
            if (p[i] == '|')
                break;
            i++;
        }
        if (i >= end) {
            i = end;
            last = true;
        }
        req_seq(p, alt, i, depth, &part);
        if (!part.ok || out->n + part.n > ZF__PF_MAX) {
            out->ok = false;
            return;
        }
        for (k = 0; k < part.n; k++) {
            out->off[out->n] = part.off[k];
            out->len[out->n] = part.len[k];
            out->n++;
        }
        if (part.minlen < out->minlen)
            out->minlen = part.minlen;
        if (last)
            break;
        alt = ++i;
    }
}

size_t
zf__pf_analyze(const char *p, size_t len, size_t off[ZF__PF_MAX],
               size_t lens[ZF__PF_MAX])
{
    struct litset s;
    size_t i;

    /* constructs that change how the rest parses: give up */
    for (i = 0; i + 1 < len; i++) {
        if (p[i] == '\\') {
            if (p[i + 1] == 'Q' || p[i + 1] == 'E')
                return 0;
            i++;
            continue;
        }
        if (p[i] == '(' && (p[i + 1] == '*' ||
                            (p[i + 1] == '?' && i + 2 < len &&
                             (p[i + 2] == 'x' || p[i + 2] == '-' ||
                              p[i + 2] == '^' || p[i + 2] == '|' ||
                              p[i + 2] == 'R' || p[i + 2] == '(' ||
                              (p[i + 2] >= '0' && p[i + 2] <= '9') ||
                              p[i + 2] == '&' || p[i + 2] == '+'))))
            return 0;
    }
    req_alt(p, 0, len, 0, &s);
    if (!s.ok || !s.n || s.minlen < MIN_LIT)
        return 0;
    for (i = 0; i < s.n; i++) {
        off[i] = s.off[i];
        lens[i] = s.len[i];
    }
    return s.n;
}
