/* SPDX-License-Identifier: MIT */
#ifndef ZHIFA_CORPUS_H
#define ZHIFA_CORPUS_H

#include <stdbool.h>

#include "zhifa/zhifa.h"

/* zhifa corpus: evaluate a real-decision corpus (docs/corpus.md) and print
 * the figures per split; with `floor`, exit 1 if a figure is below it. */
int zhifa_run_corpus(zf_context *ctx, zf_ruleset *rs, const char *profile,
                     const char *path, bool json, const char *floor);

#endif
