/* SPDX-License-Identifier: MIT */
/*
 * Regex pre-filter: from a pattern's source, find a small set of literal
 * strings at least one of which every match must contain. Before running a
 * pattern on a finding, the evaluator checks a 64-bit code-point mask and
 * then memmem for each literal; only if one is present does PCRE2 run.
 * The analysis is conservative: anything it does not understand yields "no
 * literals", which only means the pattern always runs.
 */
#ifndef ZF_PREFILTER_PRIVATE_H
#define ZF_PREFILTER_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZF__PF_MAX 8

struct zf__pf_lit {
    const char *s;
    uint32_t len;
    uint64_t mask;   /* zf__cp_mask of s */
};

/*
 * Analyse pattern[0..len). On success returns n (1..ZF__PF_MAX) and fills
 * off[i], lens[i] (byte ranges of the literals inside the pattern source);
 * returns 0 when no useful literal set exists.
 */
size_t zf__pf_analyze(const char *pattern, size_t len,
                      size_t off[ZF__PF_MAX], size_t lens[ZF__PF_MAX]);

/* Hash bits of the code points of s (64-bit Bloom-style mask). */
uint64_t zf__cp_mask(const char *s, size_t n);

/* True if any literal may occur in text (always true for n_lits == 0). */
bool zf__pf_may_match(const struct zf__pf_lit *lits, size_t n_lits,
                      const char *text, size_t len, uint64_t text_mask);

#endif
