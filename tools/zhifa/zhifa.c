/* SPDX-License-Identifier: MIT */
/*
 * zhifa — command-line front end. A thin client of the public API only
 * (include/zhifa/zhifa.h), so it also proves that API is sufficient.
 *
 * Exit codes (CONTRACT.md): 0 success; 1 the input or the rules are
 * invalid, or a test failed; 2 usage error; 3 internal or resource error.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus.h"
#include "linereader.h"
#include "ruletest.h"
#include "zhifa/zhifa.h"

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

static const char *prog = "zhifa";

struct opts {
    const char *rules;
    const char *output;
    const char *junit;
    const char *profile;
    const char *floor;
    const char *domains;        /* checklist --domains, comma-separated */
    bool json, text, markdown, compact, plan;
    int nargs;
    char **args;
};

/* ------------------------------------------------------------------ */
/* help */

static const char usage_main[] =
    "Usage: zhifa COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Rule engine for work-safety (安全生产) enforcement decisions.\n"
    "\n"
    "Commands:\n"
    "  check   validate the rule set\n"
    "  list    list domains and checklist items\n"
    "  show    show one item: conduct, articles, stages, tiers\n"
    "  checklist  an enterprise's combined checklist (综合清单)\n"
    "  eval    evaluate one case and print the decision\n"
    "  batch   evaluate JSON Lines of cases\n"
    "  test    run rule tests (YAML)\n"
    "  corpus  measure recognition on real published decisions\n"
    "  help    show help for a command\n"
    "\n"
    "Options for every command:\n"
    "  --rules DIR   rule set (directory with zhifa.yaml, or a YAML file);\n"
    "                default: $ZHIFA_RULES, then the bundled rules\n"
    "  -h, --help    show help\n"
    "  --version     print the version\n"
    "\n"
    "Exit status: 0 success; 1 invalid input or rules; 2 usage error;\n"
    "3 internal or resource error.\n";

static const struct {
    const char *name;
    const char *help;
} cmd_help[] = {
    {"check",
     "Usage: zhifa check [--rules DIR]\n\n"
     "Load and compile the rule set. Prints a summary and exits 0, or prints\n"
     "FILE:LINE:COL: error: [ZF-nnn] MESSAGE on stderr and exits 1.\n"},
    {"list",
     "Usage: zhifa list [--rules DIR] [--plan] [--json | --markdown]\n\n"
     "List domains and checklist items. --json gives the CONTRACT.md shape;\n"
     "--markdown the table of docs/checklist.md. --plan lists the enforcement\n"
     "plan instead: its domains and key items (重点执法事项) and how they were\n"
     "chosen.\n"},
    {"checklist",
     "Usage: zhifa checklist [--rules DIR] [--json | --markdown]\n"
     "                       (--domains LIST | CASE.json | -)\n\n"
     "Print an enterprise's combined checklist (综合清单): the 通用 key and\n"
     "必查 items, then the key items of each of its domains, duplicates\n"
     "merged, each with its 违反条款, 处罚条款, 重大事故隐患 criterion and tags.\n"
     "The domains come from --domains (ids or Chinese names, separated by\n"
     "commas, e.g. --domains 机械,粉尘涉爆) or from a case file's\n"
     "enterprise.domains. --markdown gives tables for printing.\n"},
    {"show",
     "Usage: zhifa show [--rules DIR] [--json] ITEM_ID\n\n"
     "Show one item: conduct, the articles it breaches and the one that\n"
     "penalises it, the provision's stages and ranges, facts, discretion\n"
     "table and recognition patterns.\n"},
    {"eval",
     "Usage: zhifa eval [--rules DIR] [--profile ID] [--json | --text] "
     "[--compact] [CASE.json | -]\n\n"
     "Evaluate one case (CONTRACT.md case JSON; '-' or no file reads stdin)\n"
     "and print the decision: indented JSON by default, one line with\n"
     "--compact, or the Chinese 裁量说明 with --text. --profile chooses a\n"
     "discretion profile (裁量基准) other than the rule set's default.\n"},
    {"batch",
     "Usage: zhifa batch [--rules DIR] [--profile ID] [IN.jsonl | -] "
     "[-o OUT.jsonl]\n\n"
     "Evaluate one case per line (blank lines are skipped) and write one\n"
     "decision per line, in input order. A bad line produces\n"
     "{\"line\": N, \"case_id\": ..., \"error\": {...}} and processing goes\n"
     "on; the exit status is 1 if any line failed.\n"},
    {"test",
     "Usage: zhifa test [--rules DIR] [--junit FILE] [TEST.yaml | DIR ...]\n\n"
     "Run rule tests (docs/rule-tests.md); with no files, every *.yaml under\n"
     "the rule set's tests/ directory. Prints each failure with expected and\n"
     "actual values, the items and tiers no test reached, and ends with\n"
     "'N passed, N failed'. Exit status 1 if any test failed.\n"},
    {"corpus",
     "Usage: zhifa corpus [--rules DIR] [--profile ID] [--json] "
     "[--floor FLOOR.json] CORPUS.jsonl\n\n"
     "Evaluate every violation of a corpus of real published decisions\n"
     "(docs/corpus.md): the facts as free text, the record's domains,\n"
     "accident grade and fined persons. Prints per split (dev, heldout,\n"
     "all): penalty article top-1 (条, and 条+项 where the record has one),\n"
     "the right article among the top-3 candidates, the real unit fine\n"
     "inside the engine's statutory range, persons' fines inside the\n"
     "persons' range, the median |recommended - actual| / statutory range;\n"
     "then the misses of the dev split (never of heldout) and the penalty\n"
     "articles no item cites. --json for machines. With --floor, exit 1 if\n"
     "a rate is below the floor's value (or the median distance above it).\n"},
    {"help", "Usage: zhifa help [COMMAND]\n"},
};

static const char *
find_help(const char *cmd)
{
    size_t i;

    for (i = 0; i < sizeof(cmd_help) / sizeof(cmd_help[0]); i++)
        if (strcmp(cmd_help[i].name, cmd) == 0)
            return cmd_help[i].help;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* output with error checking */

static bool out_failed;

static void
out_write(FILE *f, const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, f) != n)
        out_failed = true;
}

static int
finish_output(FILE *f, const char *name)
{
    if (fflush(f) != 0 || ferror(f) || out_failed) {
        fprintf(stderr, "%s: error: cannot write %s: %s\n", prog, name,
                strerror(errno ? errno : EIO));
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* errors */

static int
exit_for(zf_status rc)
{
    switch (rc) {
    case ZF_OK:
        return EXIT_OK;
    case ZF_ENOMEM:
    case ZF_EINTERNAL:
        return EXIT_INTERNAL;
    case ZF_EINVAL:
        return EXIT_USAGE;
    default:
        return EXIT_INVALID;
    }
}

static void
print_error(const char *fallback_source, const zf_error *err)
{
    const char *src = err->source[0] ? err->source : fallback_source;

    if (err->line)
        fprintf(stderr, "%s:%u:%u: error: [ZF-%03d] %s\n", src, err->line,
                err->column, err->diag, err->message);
    else
        fprintf(stderr, "%s: error: [ZF-%03d] %s\n", src, err->diag,
                err->message);
}

/* ------------------------------------------------------------------ */
/* rules */

static bool
is_dir_or_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static const char *
bundled_rules(void)
{
    static char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    if (n > 0) {
        exe[n] = '\0';
        /* running from the build tree: use the source tree's rules */
        if (strncmp(exe, ZF_BUILD_ROOT "/", strlen(ZF_BUILD_ROOT) + 1) == 0 &&
            is_dir_or_file(ZF_SOURCE_RULES))
            return ZF_SOURCE_RULES;
    }
    if (is_dir_or_file(ZF_DATADIR "/rules"))
        return ZF_DATADIR "/rules";
    return ZF_SOURCE_RULES;
}

static const char *
rules_path(const struct opts *o)
{
    const char *env;

    if (o->rules)
        return o->rules;
    env = getenv("ZHIFA_RULES");
    if (env && *env)
        return env;
    return bundled_rules();
}

static int
load_rules(zf_context *ctx, const struct opts *o, zf_ruleset **rs)
{
    zf_error err = ZF_ERROR_INIT;
    const char *path = rules_path(o);
    zf_status rc = zf_ruleset_load(rs, ctx, path, &err);

    if (rc) {
        print_error(path, &err);
        return exit_for(rc);
    }
    return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* input */

static int
read_all(FILE *f, const char *name, char **out, size_t *len)
{
    size_t cap = 65536, n = 0, r;
    char *buf = malloc(cap), *nb;

    if (!buf)
        goto oom;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            if (cap > (size_t)64 << 20) {
                fprintf(stderr, "%s: error: %s is larger than 64 MiB\n",
                        prog, name);
                free(buf);
                return EXIT_INVALID;
            }
            nb = realloc(buf, cap * 2);
            if (!nb)
                goto oom;
            buf = nb;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "%s: error: cannot read %s: %s\n", prog, name,
                strerror(errno));
        free(buf);
        return EXIT_INVALID;
    }
    *out = buf;
    *len = n;
    return EXIT_OK;
oom:
    free(buf);
    fprintf(stderr, "%s: error: out of memory\n", prog);
    return EXIT_INTERNAL;
}

static FILE *
open_input(const char *path, const char **name)
{
    FILE *f;
    struct stat st;

    if (!path || strcmp(path, "-") == 0) {
        *name = "<stdin>";
        return stdin;
    }
    *name = path;
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: error: cannot open %s: %s\n", prog, path,
                strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: error: %s is a directory\n", prog, path);
        fclose(f);
        return NULL;
    }
    return f;
}

/* ------------------------------------------------------------------ */
/* commands */

static int
cmd_check(zf_context *ctx, const struct opts *o)
{
    zf_ruleset *rs = NULL;
    int ex = load_rules(ctx, o, &rs);

    if (ex)
        return ex;
    printf("%s: OK — rule set %s %s, %zu domains, %zu items, %s\n",
           rules_path(o), zf_ruleset_id(rs), zf_ruleset_version(rs),
           zf_ruleset_domain_count(rs), zf_ruleset_item_count(rs),
           zf_ruleset_digest(rs));
    zf_ruleset_unref(rs);
    return finish_output(stdout, "stdout");
}

static int
cmd_list(zf_context *ctx, const struct opts *o)
{
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *s = NULL;
    size_t n = 0;
    int ex = load_rules(ctx, o, &rs);

    zf_status rc;
    int fmt = o->json ? ZF_LIST_JSON
              : o->markdown ? ZF_LIST_MARKDOWN : ZF_LIST_TEXT;

    if (ex)
        return ex;
    rc = o->plan ? zf_ruleset_plan(&s, &n, rs, fmt, &err)
                 : zf_ruleset_list(&s, &n, rs, fmt, &err);
    if (rc != ZF_OK) {
        fprintf(stderr, "%s: error: [ZF-%03d] %s\n", prog, err.diag,
                err.message);
        zf_ruleset_unref(rs);
        return exit_for(rc);
    }
    out_write(stdout, s, n);
    zf_free(ctx, s);
    zf_ruleset_unref(rs);
    return finish_output(stdout, "stdout");
}

static int
cmd_show(zf_context *ctx, const struct opts *o)
{
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *s = NULL;
    size_t n = 0;
    zf_status rc;
    int ex;

    if (o->nargs != 1) {
        fprintf(stderr, "%s: show needs one ITEM_ID\n%s", prog,
                find_help("show"));
        return EXIT_USAGE;
    }
    if ((ex = load_rules(ctx, o, &rs)))
        return ex;
    rc = zf_ruleset_show(&s, &n, rs, o->args[0],
                         o->json ? ZF_LIST_JSON : ZF_LIST_TEXT, &err);
    zf_ruleset_unref(rs);
    if (rc) {
        fprintf(stderr, "%s: error: [ZF-%03d] %s\n", prog, err.diag,
                err.message);
        return exit_for(rc);
    }
    out_write(stdout, s, n);
    zf_free(ctx, s);
    return finish_output(stdout, "stdout");
}

/* Split "a,b，c" (ASCII or full-width commas) into domain names, in place. */
static size_t
split_domains(char *s, const char **out, size_t cap)
{
    size_t n = 0;
    char *p = s, *start = s;

    for (;;) {
        bool ascii = *p == ',';
        bool wide = strncmp(p, "，", strlen("，")) == 0;
        bool end = *p == '\0';
        if (ascii || wide || end) {
            size_t skip = wide ? strlen("，") : 1;
            *p = '\0';
            if (*start && n < cap)
                out[n++] = start;
            if (end)
                break;
            p += skip;
            start = p;
            continue;
        }
        p++;
    }
    return n;
}

static int
cmd_checklist(zf_context *ctx, const struct opts *o)
{
    zf_ruleset *rs = NULL;
    zf_case *cs = NULL;
    zf_error err = ZF_ERROR_INIT;
    const char *names[64];
    const char *name = NULL;
    char *buf = NULL, *doms = NULL, *s = NULL;
    size_t n_names = 0, len = 0, n = 0, i;
    zf_status rc;
    int ex;

    if ((o->domains != NULL) == (o->nargs == 1) || o->nargs > 1) {
        fprintf(stderr, "%s: checklist needs --domains LIST or one CASE "
                "file\n%s", prog, find_help("checklist"));
        return EXIT_USAGE;
    }
    if ((ex = load_rules(ctx, o, &rs)))
        return ex;
    if (o->domains) {
        doms = strdup(o->domains);
        if (!doms) {
            ex = EXIT_INTERNAL;
            goto out;
        }
        n_names = split_domains(doms, names, 64);
    } else {
        FILE *in = open_input(o->args[0], &name);
        if (!in) {
            ex = EXIT_INVALID;
            goto out;
        }
        ex = read_all(in, name, &buf, &len);
        if (in != stdin)
            fclose(in);
        if (ex)
            goto out;
        if ((rc = zf_case_parse(&cs, ctx, buf, len, &err))) {
            print_error(name, &err);
            ex = exit_for(rc);
            goto out;
        }
        for (i = 0; i < zf_case_domain_count(cs) && i < 64; i++)
            names[n_names++] = zf_case_domain(cs, i);
    }
    rc = zf_ruleset_checklist(&s, &n, rs, names, n_names,
                              o->json ? ZF_LIST_JSON
                              : o->markdown ? ZF_LIST_MARKDOWN
                                            : ZF_LIST_TEXT,
                              &err);
    if (rc) {
        fprintf(stderr, "%s: error: [ZF-%03d] %s\n", prog, err.diag,
                err.message);
        ex = exit_for(rc);
        goto out;
    }
    out_write(stdout, s, n);
    ex = finish_output(stdout, "stdout");
out:
    zf_free(ctx, s);
    zf_case_free(cs);
    free(buf);
    free(doms);
    zf_ruleset_unref(rs);
    return ex;
}

static int
cmd_eval(zf_context *ctx, const struct opts *o)
{
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_error err = ZF_ERROR_INIT;
    const char *name = NULL;
    char *buf = NULL, *s = NULL;
    size_t len = 0, n = 0;
    FILE *in;
    zf_status rc;
    int ex, fmt;

    if (o->nargs > 1) {
        fprintf(stderr, "%s: eval takes at most one CASE file\n%s", prog,
                find_help("eval"));
        return EXIT_USAGE;
    }
    if ((ex = load_rules(ctx, o, &rs)))
        return ex;
    in = open_input(o->nargs ? o->args[0] : NULL, &name);
    if (!in) {
        ex = EXIT_INVALID;
        goto out;
    }
    ex = read_all(in, name, &buf, &len);
    if (in != stdin)
        fclose(in);
    if (ex)
        goto out;
    rc = zf_case_parse(&cs, ctx, buf, len, &err);
    if (rc == ZF_OK) {
        if (zf_evaluator_new(&ev, ctx) != ZF_OK) {
            rc = ZF_ENOMEM;
            snprintf(err.message, sizeof(err.message), "out of memory");
        } else if (o->profile &&
                   zf_evaluator_set_profile(ev, o->profile) != ZF_OK) {
            fprintf(stderr, "%s: invalid profile id '%s'\n", prog,
                    o->profile);
            ex = EXIT_USAGE;
            goto out;
        } else {
            rc = zf_evaluate(&dec, ev, rs, cs, &err);
        }
    }
    if (rc) {
        print_error(name, &err);
        ex = exit_for(rc);
        goto out;
    }
    fmt = o->text ? ZF_RENDER_TEXT
                  : o->compact ? ZF_RENDER_JSON : ZF_RENDER_JSON_PRETTY;
    if (zf_decision_render(&s, &n, dec, fmt, &err) != ZF_OK) {
        print_error(prog, &err);
        ex = EXIT_INTERNAL;
        goto out;
    }
    out_write(stdout, s, n);
    if (fmt == ZF_RENDER_JSON)
        out_write(stdout, "\n", 1);
    ex = finish_output(stdout, "stdout");
out:
    zf_free(ctx, s);
    zf_decision_free(dec);
    zf_case_free(cs);
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
    free(buf);
    return ex;
}

static void
json_error_line(FILE *out, size_t line, const char *text, size_t len,
                const zf_error *err)
{
    cJSON *o = cJSON_CreateObject(), *e, *c;
    const cJSON *id = NULL;
    char *s;

    /* best effort: the case_id of a line that parses as JSON at all */
    c = cJSON_ParseWithLength(text, len);
    if (c)
        id = cJSON_GetObjectItemCaseSensitive(c, "case_id");
    cJSON_AddNumberToObject(o, "line", (double)line);
    if (id && cJSON_IsString(id))
        cJSON_AddStringToObject(o, "case_id", id->valuestring);
    else
        cJSON_AddNullToObject(o, "case_id");
    e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(e, "code", zf_strerror(err->code));
    cJSON_AddNumberToObject(e, "diag", err->diag);
    cJSON_AddStringToObject(e, "message", err->message);
    cJSON_AddStringToObject(e, "path", err->path);
    if (err->line) {
        cJSON_AddNumberToObject(e, "line", err->line);
        cJSON_AddNumberToObject(e, "column", err->column);
    }
    s = cJSON_PrintUnformatted(o);
    if (s) {
        out_write(out, s, strlen(s));
        out_write(out, "\n", 1);
        free(s);
    } else {
        out_failed = true;
    }
    cJSON_Delete(o);
    cJSON_Delete(c);
}

static int
cmd_batch(zf_context *ctx, const struct opts *o)
{
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    const char *name = NULL;
    FILE *in = NULL, *out = stdout;
    struct line_reader lr = {0};
    struct stat in_st, out_st;
    size_t lineno = 0, failed = 0, done = 0;
    int ex, got;

    if (o->nargs > 1) {
        fprintf(stderr, "%s: batch takes at most one input file\n%s", prog,
                find_help("batch"));
        return EXIT_USAGE;
    }
    if ((ex = load_rules(ctx, o, &rs)))
        return ex;
    if (zf_evaluator_new(&ev, ctx) != ZF_OK) {
        fprintf(stderr, "%s: error: out of memory\n", prog);
        ex = EXIT_INTERNAL;
        goto out;
    }
    if (o->profile && zf_evaluator_set_profile(ev, o->profile) != ZF_OK) {
        fprintf(stderr, "%s: invalid profile id '%s'\n", prog, o->profile);
        ex = EXIT_USAGE;
        goto out;
    }
    in = open_input(o->nargs ? o->args[0] : NULL, &name);
    if (!in) {
        ex = EXIT_INVALID;
        goto out;
    }
    /* `-o` naming the input would truncate it before it is read */
    if (o->output && strcmp(o->output, "-") != 0 &&
        fstat(fileno(in), &in_st) == 0 && stat(o->output, &out_st) == 0 &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino &&
        S_ISREG(in_st.st_mode)) {
        fprintf(stderr, "%s: error: the output %s is the input file\n", prog,
                o->output);
        ex = EXIT_USAGE;
        goto out;
    }
    /* a line is a case: longer than the case size limit is refused unread */
    if (!line_reader_init(&lr, in,
                          (size_t)zf_context_set_limit(ctx,
                                                       ZF_LIMIT_JSON_SIZE,
                                                       -1))) {
        fprintf(stderr, "%s: error: out of memory\n", prog);
        ex = EXIT_INTERNAL;
        goto out;
    }
    if (o->output && strcmp(o->output, "-") != 0) {
        out = fopen(o->output, "wb");
        if (!out) {
            fprintf(stderr, "%s: error: cannot create %s: %s\n", prog,
                    o->output, strerror(errno));
            out = stdout;
            ex = EXIT_INVALID;
            goto out;
        }
    }
    while ((got = line_reader_next(&lr)) > 0) {
        zf_error err = ZF_ERROR_INIT;
        zf_case *cs = NULL;
        zf_decision *dec = NULL;
        char *s = NULL, *line = lr.line;
        size_t n = 0, k, len = lr.len;
        zf_status rc;

        lineno++;
        if (lr.too_long) {
            snprintf(err.message, sizeof(err.message),
                     "line longer than the case size limit (%zu bytes); "
                     "skipped unread", lr.max);
            err.code = ZF_ELIMIT;
            err.diag = ZF_DIAG_LIMIT_JSON;
            fprintf(stderr, "%s:%zu: error: [ZF-%03d] %s\n", name, lineno,
                    err.diag, err.message);
            json_error_line(out, lineno, "", 0, &err);
            failed++;
            if (out_failed)
                break;
            continue;
        }
        while (len > 0 && line[len - 1] == '\r')
            len--;
        for (k = 0; k < len; k++)
            if (line[k] != ' ' && line[k] != '\t')
                break;
        if (k == len)
            continue;
        rc = zf_case_parse(&cs, ctx, line, len, &err);
        if (rc == ZF_OK)
            rc = zf_evaluate(&dec, ev, rs, cs, &err);
        if (rc == ZF_OK)
            rc = zf_decision_render(&s, &n, dec, ZF_RENDER_JSON, &err);
        if (rc == ZF_OK) {
            out_write(out, s, n);
            out_write(out, "\n", 1);
            done++;
        } else if (rc == ZF_ENOMEM || rc == ZF_EINTERNAL) {
            fprintf(stderr, "%s:%zu: error: [ZF-%03d] %s\n", name, lineno,
                    err.diag, err.message);
            zf_free(ctx, s);
            zf_decision_free(dec);
            zf_case_free(cs);
            ex = EXIT_INTERNAL;
            goto out;
        } else {
            fprintf(stderr, "%s:%zu: error: [ZF-%03d] %s\n", name, lineno,
                    err.diag, err.message);
            json_error_line(out, lineno, line, len, &err);
            failed++;
        }
        zf_free(ctx, s);
        zf_decision_free(dec);
        zf_case_free(cs);
        if (out_failed)
            break;
    }
    if (got < 0) {
        fprintf(stderr, "%s: error: cannot read %s: %s\n", prog, name,
                strerror(errno));
        ex = EXIT_INVALID;
        goto out;
    }
    ex = finish_output(out, o->output ? o->output : "stdout");
    if (!ex && failed) {
        fprintf(stderr, "%s: %zu of %zu cases failed\n", prog, failed,
                failed + done);
        ex = EXIT_INVALID;
    }
out:
    line_reader_free(&lr);
    if (in && in != stdin)
        fclose(in);
    if (out != stdout && fclose(out) != 0 && !ex) {
        fprintf(stderr, "%s: error: cannot write %s\n", prog, o->output);
        ex = EXIT_INTERNAL;
    }
    zf_evaluator_free(ev);
    zf_ruleset_unref(rs);
    return ex;
}

static int
cmd_test(zf_context *ctx, const struct opts *o)
{
    zf_ruleset *rs = NULL;
    const char *path = rules_path(o);
    char *dir;
    struct stat st;
    int ex;

    if ((ex = load_rules(ctx, o, &rs)))
        return ex;
    dir = strdup(path);
    if (!dir) {
        zf_ruleset_unref(rs);
        return EXIT_INTERNAL;
    }
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            strcpy(dir, ".");
    }
    ex = zhifa_run_tests(ctx, rs, dir, o->nargs, o->args, o->junit);
    free(dir);
    zf_ruleset_unref(rs);
    if (finish_output(stdout, "stdout"))
        return EXIT_INTERNAL;
    return ex;
}

static int
cmd_corpus(zf_context *ctx, const struct opts *o)
{
    zf_ruleset *rs = NULL;
    int ex;

    if (o->nargs != 1) {
        fprintf(stderr, "%s: corpus takes one CORPUS.jsonl file\n%s", prog,
                find_help("corpus"));
        return EXIT_USAGE;
    }
    if ((ex = load_rules(ctx, o, &rs)))
        return ex;
    ex = zhifa_run_corpus(ctx, rs, o->profile, o->args[0], o->json,
                          o->floor);
    zf_ruleset_unref(rs);
    if (finish_output(stdout, "stdout"))
        return EXIT_INTERNAL;
    return ex;
}

/* ------------------------------------------------------------------ */
/* arguments */

/* The options that take a value: `--name VALUE` or `--name=VALUE`, and
 * `-o VALUE` for --output. If argv[*i] is one, store the value (advancing
 * *i past a separate one) and return 1; -1 when the value is missing; 0
 * when argv[*i] is not a value option. */
static int
value_option(struct opts *o, int argc, char **argv, int *i)
{
    const struct {
        const char *name, *alias;
        const char **slot;
    } opt[] = {
        {"--rules", NULL, &o->rules},
        {"--profile", NULL, &o->profile},
        {"--floor", NULL, &o->floor},
        {"--junit", NULL, &o->junit},
        {"--domains", NULL, &o->domains},
        {"--output", "-o", &o->output},
    };
    const char *a = argv[*i];
    size_t k, n;

    for (k = 0; k < sizeof(opt) / sizeof(opt[0]); k++) {
        n = strlen(opt[k].name);
        if (strncmp(a, opt[k].name, n) == 0 && a[n] == '=') {
            *opt[k].slot = a + n + 1;
            return 1;
        }
        if (strcmp(a, opt[k].name) == 0 ||
            (opt[k].alias && strcmp(a, opt[k].alias) == 0)) {
            if (*i + 1 >= argc)
                return -1;
            *opt[k].slot = argv[++*i];
            return 1;
        }
    }
    return 0;
}

static int
parse_opts(const char *cmd, int argc, char **argv, struct opts *o)
{
    int i;

    memset(o, 0, sizeof(*o));
    o->args = calloc((size_t)argc + 1, sizeof(char *));
    if (!o->args)
        return EXIT_INTERNAL;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                o->args[o->nargs++] = argv[i];
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            o->args[o->nargs++] = argv[i];
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(find_help(cmd), stdout);
            return -1;
        }
        switch (value_option(o, argc, argv, &i)) {
        case 1:
            continue;
        case -1:
            fprintf(stderr, "%s: option %s needs a value\n", prog, a);
            return EXIT_USAGE;
        default:
            break;
        }
        if (strcmp(a, "--json") == 0)
            o->json = true;
        else if (strcmp(a, "--text") == 0)
            o->text = true;
        else if (strcmp(a, "--markdown") == 0)
            o->markdown = true;
        else if (strcmp(a, "--compact") == 0)
            o->compact = true;
        else if (strcmp(a, "--plan") == 0)
            o->plan = true;
        else {
            fprintf(stderr, "%s %s: unknown option '%s'\n%s", prog, cmd, a,
                    find_help(cmd));
            return EXIT_USAGE;
        }
    }
    /* options only meaningful for some commands */
    if ((o->json && o->text) || (o->json && o->markdown) ||
        (o->text && strcmp(cmd, "eval") != 0) ||
        (o->markdown && strcmp(cmd, "list") != 0 &&
         strcmp(cmd, "checklist") != 0) ||
        (o->plan && strcmp(cmd, "list") != 0) ||
        (o->domains && strcmp(cmd, "checklist") != 0) ||
        (o->compact && strcmp(cmd, "eval") != 0) ||
        (o->output && strcmp(cmd, "batch") != 0) ||
        (o->junit && strcmp(cmd, "test") != 0) ||
        (o->floor && strcmp(cmd, "corpus") != 0) ||
        (o->profile && strcmp(cmd, "eval") != 0 &&
         strcmp(cmd, "batch") != 0 && strcmp(cmd, "corpus") != 0) ||
        (o->json && strcmp(cmd, "list") != 0 && strcmp(cmd, "show") != 0 &&
         strcmp(cmd, "eval") != 0 && strcmp(cmd, "checklist") != 0 &&
         strcmp(cmd, "corpus") != 0)) {
        fprintf(stderr, "%s %s: conflicting or inapplicable options\n%s",
                prog, cmd, find_help(cmd));
        return EXIT_USAGE;
    }
    if (o->nargs && (strcmp(cmd, "check") == 0 || strcmp(cmd, "list") == 0)) {
        fprintf(stderr, "%s %s: unexpected argument '%s'\n%s", prog, cmd,
                o->args[0], find_help(cmd));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/*
 * `zhifa --version`: the library's version, then the rule set the CLI would
 * use ($ZHIFA_RULES or the bundled one) with its version and digest, so a
 * report names both the engine and the exact rules.
 */
static int
print_version(void)
{
    struct opts none;
    zf_context *ctx = NULL;
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    const char *path;

    memset(&none, 0, sizeof(none));
    path = rules_path(&none);
    printf("zhifa %s\n", zf_version());
    if (zf_context_new(&ctx) == ZF_OK &&
        zf_ruleset_load(&rs, ctx, path, &err) == ZF_OK)
        printf("rules: %s %s %s (%s)\n", zf_ruleset_id(rs),
               zf_ruleset_version(rs), zf_ruleset_digest(rs), path);
    else
        printf("rules: not loaded from %s ([ZF-%03d] %s)\n", path,
               err.diag, err.message);
    zf_ruleset_unref(rs);
    zf_context_free(ctx);
    return finish_output(stdout, "stdout");
}

int
main(int argc, char **argv)
{
    const char *cmd;
    zf_context *ctx = NULL;
    struct opts o;
    int ex;

    /* a closed pipe must be a write error we report, not a silent death */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0)
        return print_version();
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(usage_main, stdout);
        return finish_output(stdout, "stdout");
    }
    if (strcmp(cmd, "help") == 0) {
        const char *h = argc > 2 ? find_help(argv[2]) : usage_main;
        if (!h) {
            fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[2]);
            return EXIT_USAGE;
        }
        fputs(h, stdout);
        return finish_output(stdout, "stdout");
    }
    if (!find_help(cmd)) {
        fprintf(stderr, "%s: unknown command '%s'\n\n%s", prog, cmd,
                usage_main);
        return EXIT_USAGE;
    }
    ex = parse_opts(cmd, argc - 2, argv + 2, &o);
    if (ex) {
        free(o.args);
        return ex < 0 ? finish_output(stdout, "stdout") : ex;
    }
    if (zf_context_new(&ctx) != ZF_OK) {
        fprintf(stderr, "%s: error: out of memory\n", prog);
        free(o.args);
        return EXIT_INTERNAL;
    }
    if (strcmp(cmd, "check") == 0)
        ex = cmd_check(ctx, &o);
    else if (strcmp(cmd, "list") == 0)
        ex = cmd_list(ctx, &o);
    else if (strcmp(cmd, "show") == 0)
        ex = cmd_show(ctx, &o);
    else if (strcmp(cmd, "checklist") == 0)
        ex = cmd_checklist(ctx, &o);
    else if (strcmp(cmd, "eval") == 0)
        ex = cmd_eval(ctx, &o);
    else if (strcmp(cmd, "batch") == 0)
        ex = cmd_batch(ctx, &o);
    else if (strcmp(cmd, "test") == 0)
        ex = cmd_test(ctx, &o);
    else if (strcmp(cmd, "corpus") == 0)
        ex = cmd_corpus(ctx, &o);
    else
        ex = EXIT_USAGE;
    zf_context_free(ctx);
    free(o.args);
    return ex;
}
