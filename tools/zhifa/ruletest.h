/* SPDX-License-Identifier: MIT */
#ifndef ZHIFA_RULETEST_H
#define ZHIFA_RULETEST_H

#include "zhifa/zhifa.h"

/* Run rule tests (docs/rule-tests.md); returns the CLI exit status. With no
 * args, runs <rules_dir>/tests. */
int zhifa_run_tests(zf_context *ctx, zf_ruleset *rs, const char *rules_dir,
                    int nargs, char **args, const char *junit_path);

#endif
