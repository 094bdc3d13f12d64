/* SPDX-License-Identifier: MIT */
/*
 * Rule-set loader tests.
 *
 * Golden files (jansson's test/suites/invalid): every
 * tests/data/rules/invalid/NAME.yaml is a self-contained rule set with one
 * defect, and NAME.expected holds the exact "line:col: [ZF-nnn] message"
 * the loader reports. tests/data/rules/valid/NAME.yaml must compile, and
 * NAME.expected holds "id version domains items". The directories are read
 * at run time (ZF_TEST_DATA) before the suite is built, so adding a file
 * adds a loop iteration. ZF_REGENERATE=1 rewrites the .expected files
 * (review the diff before committing).
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-common.h"
#include "zhifa/zhifa.h"

#define MAX_GOLDEN 512

static char *invalid_names[MAX_GOLDEN];
static size_t n_invalid;
static char *valid_names[MAX_GOLDEN];
static size_t n_valid;

/* ------------------------------------------------------------------ */
/* helpers */

/* Strip one trailing newline (the .expected files end with one). */
static void
chomp(char *s)
{
    size_t n = strlen(s);

    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* Collect the NAME of every NAME.yaml in `sub`, sorted. */
static void
scan(const char *sub, char **names, size_t *n)
{
    char path[4096];
    DIR *d;
    struct dirent *e;

    snprintf(path, sizeof(path), "%s/%s", zt_data_dir(), sub);
    d = opendir(path);
    if (!d) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        return;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0 &&
            *n < MAX_GOLDEN) {
            names[*n] = strdup(e->d_name);
            names[*n][len - 5] = '\0';
            (*n)++;
        }
    }
    closedir(d);
    qsort(names, *n, sizeof(*names), zt_cmp_str);
}

static zf_context *
new_ctx(void)
{
    zf_context *ctx = NULL;

    ck_assert_int_eq(zf_context_new(&ctx), ZF_OK);
    return ctx;
}

static void
format_error(char *out, size_t size, const zf_error *err)
{
    snprintf(out, size, "%u:%u: [ZF-%03d] %s", err->line, err->column,
             err->diag, err->message);
}

/* Write `text` into dir/name (creating dir). */
static void
put(const char *dir, const char *name, const char *text)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    zt_write_file(path, text, strlen(text));
}

static char *
make_tmpdir(void)
{
    char tmpl[] = "/tmp/zf-test-loader-XXXXXX";
    char *d = mkdtemp(tmpl);

    ck_assert_ptr_nonnull(d);
    return strdup(d);
}

static void
rm_rf(const char *dir)
{
    char cmd[4200];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* A small valid rule set split over files, used by the directory tests. */
static const char manifest_yaml[] =
    "ruleset:\n"
    "  id: t-dir\n"
    "  version: \"3\"\n"
    "  profile: p\n"
    "include:\n"
    "  - domains/d.yaml\n"
    "  - laws/l.yaml\n"
    "  - p.yaml\n";
static const char laws_yaml[] =
    "laws:\n"
    "  - id: aqsc\n"
    "    title: 中华人民共和国安全生产法\n"
    "    provisions:\n"
    "      - article: 97\n"
    "        clauses: 7\n"
    "        stages:\n"
    "          - stage: first\n"
    "            unit: { fine: { upto: 100000 } }\n";
static const char domains_yaml[] =
    "# items may refer forward to laws in a later include\n"
    "domains:\n"
    "  - id: general\n"
    "    name: 通用\n"
    "    common: true\n"
    "    items:\n"
    "      - { id: A-1, title: 甲, conduct: 甲, violates: [aqsc:97],"
    " penalty: aqsc:97(1) }\n"
    "      - { id: A-2, title: 乙, conduct: 乙, violates: [aqsc:97],"
    " penalty: aqsc:97(2) }\n"
    "  - id: machinery\n"
    "    name: 机械\n"
    "    items:\n"
    "      - { id: M-1, title: 丙, conduct: 丙, violates: [aqsc:97],"
    " penalty: aqsc:97(7) }\n";
static const char profile_yaml[] =
    "profiles:\n"
    "  - id: p\n"
    "    title: 档\n"
    "    tiers:\n"
    "      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
    "      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n";

static char *
make_ruleset_dir(void)
{
    char *dir = make_tmpdir(), sub[4200];

    snprintf(sub, sizeof(sub), "%s/laws", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    snprintf(sub, sizeof(sub), "%s/domains", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    put(dir, "zhifa.yaml", manifest_yaml);
    put(dir, "laws/l.yaml", laws_yaml);
    put(dir, "domains/d.yaml", domains_yaml);
    put(dir, "p.yaml", profile_yaml);
    return dir;
}

static const char *
minimal_path(char *buf, size_t size)
{
    snprintf(buf, size, "%s/rules/valid/minimal.yaml", zt_data_dir());
    return buf;
}

/* ------------------------------------------------------------------ */
/* golden files */

START_TEST(test_invalid_golden)
{
    const char *name = invalid_names[_i];
    char path[4096], exp_path[4096], got[1024], got_load[1024];
    char srcname[300];
    char *buf, *expected;
    size_t len;
    zf_context *ctx = new_ctx();
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT, err2 = ZF_ERROR_INIT;
    zf_status rc;

    snprintf(path, sizeof(path), "%s/rules/invalid/%s.yaml", zt_data_dir(),
             name);
    snprintf(exp_path, sizeof(exp_path), "%s/rules/invalid/%s.expected",
             zt_data_dir(), name);
    snprintf(srcname, sizeof(srcname), "%s.yaml", name);
    buf = zt_read_file(path, &len);
    ck_assert_msg(buf != NULL, "cannot read %s", path);

    rc = zf_ruleset_compile(&rs, ctx, buf, len, srcname, &err);
    ck_assert_msg(rc < 0, "%s: compiled, but it has a defect", name);
    ck_assert_ptr_null(rs);
    ck_assert_int_eq(err.code, rc);
    ck_assert_str_eq(err.source, srcname);
    ck_assert_msg(err.line >= 1 && err.column >= 1,
                  "%s: no position (%u:%u)", name, err.line, err.column);
    format_error(got, sizeof(got), &err);

    if (zt_regenerate()) {
        char line[1100];
        snprintf(line, sizeof(line), "%s\n", got);
        zt_write_file(exp_path, line, strlen(line));
    }
    expected = zt_read_file(exp_path, NULL);
    ck_assert_msg(expected != NULL, "%s: no %s", name, exp_path);
    chomp(expected);
    ck_assert_msg(strcmp(got, expected) == 0,
                  "%s:\n  expected: %s\n  got:      %s", name, expected, got);

    /* the same error through zf_ruleset_load (what `zhifa check` does),
     * except where a file on disk changes the meaning: an include is
     * resolved relative to the file */
    if (strncmp(name, "include", 7) != 0) {
        char suffix[320];
        size_t sl, gl;

        rc = zf_ruleset_load(&rs, ctx, path, &err2);
        ck_assert_int_lt(rc, 0);
        ck_assert_ptr_null(rs);
        format_error(got_load, sizeof(got_load), &err2);
        ck_assert_msg(strcmp(got_load, expected) == 0,
                      "%s (load):\n  expected: %s\n  got:      %s", name,
                      expected, got_load);
        /* the source is prefixed with the root directory's name */
        snprintf(suffix, sizeof(suffix), "invalid/%s.yaml", name);
        sl = strlen(suffix);
        gl = strlen(err2.source);
        ck_assert_msg(gl >= sl && strcmp(err2.source + gl - sl, suffix) == 0,
                      "source '%s'", err2.source);
    }

    /* deterministic: the same error again */
    {
        zf_error err3 = ZF_ERROR_INIT;
        char again[1024];
        ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, buf, len, srcname,
                                            &err3), err.code);
        format_error(again, sizeof(again), &err3);
        ck_assert_str_eq(again, got);
    }
    /* err is optional */
    ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, buf, len, srcname, NULL),
                     err.code);
    free(expected);
    free(buf);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_valid_golden)
{
    const char *name = valid_names[_i];
    char path[4096], exp_path[4096], got[512];
    char *buf, *expected;
    size_t len;
    zf_context *ctx = new_ctx();
    zf_ruleset *rs = NULL, *rs2 = NULL;
    zf_error err = ZF_ERROR_INIT;
    zf_status rc;

    snprintf(path, sizeof(path), "%s/rules/valid/%s.yaml", zt_data_dir(), name);
    snprintf(exp_path, sizeof(exp_path), "%s/rules/valid/%s.expected",
             zt_data_dir(), name);
    buf = zt_read_file(path, &len);
    ck_assert_ptr_nonnull(buf);
    rc = zf_ruleset_compile(&rs, ctx, buf, len, "valid.yaml", &err);
    ck_assert_msg(rc == ZF_OK, "%s: %u:%u: [ZF-%03d] %s", name, err.line,
                  err.column, err.diag, err.message);
    snprintf(got, sizeof(got), "%s %s %zu %zu", zf_ruleset_id(rs),
             zf_ruleset_version(rs), zf_ruleset_domain_count(rs),
             zf_ruleset_item_count(rs));
    if (zt_regenerate()) {
        char line[600];
        snprintf(line, sizeof(line), "%s\n", got);
        zt_write_file(exp_path, line, strlen(line));
    }
    expected = zt_read_file(exp_path, NULL);
    ck_assert_msg(expected != NULL, "%s: no %s", name, exp_path);
    chomp(expected);
    ck_assert_str_eq(got, expected);
    ck_assert_uint_eq(zf_ruleset_generation(rs), 0);

    /* loading the file gives the same rule set: same counts; the digest
     * differs only by the file name it covers */
    rc = zf_ruleset_load(&rs2, ctx, path, &err);
    ck_assert_int_eq(rc, ZF_OK);
    ck_assert_str_eq(zf_ruleset_id(rs2), zf_ruleset_id(rs));
    ck_assert_uint_eq(zf_ruleset_item_count(rs2), zf_ruleset_item_count(rs));
    zf_ruleset_unref(rs2);
    zf_ruleset_unref(rs);
    free(expected);
    free(buf);
    zf_context_free(ctx);
}
END_TEST

/* Guard: the golden directories were found and are populated. */
START_TEST(test_golden_present)
{
    ck_assert_uint_ge(n_invalid, 40);
    ck_assert_uint_ge(n_valid, 3);
}
END_TEST

/* ------------------------------------------------------------------ */
/* digest */

static char *
compile_digest(zf_context *ctx, const char *buf, size_t len,
               const char *name)
{
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *d;

    ck_assert_msg(zf_ruleset_compile(&rs, ctx, buf, len, name, &err) == ZF_OK,
                  "%u:%u: %s", err.line, err.column, err.message);
    d = strdup(zf_ruleset_digest(rs));
    zf_ruleset_unref(rs);
    return d;
}

START_TEST(test_digest)
{
    zf_context *ctx = new_ctx();
    char path[4096];
    size_t len, i;
    char *buf = zt_read_file(minimal_path(path, sizeof(path)), &len);
    char *d1, *d2, *d3, *d4, *pos;

    ck_assert_ptr_nonnull(buf);
    d1 = compile_digest(ctx, buf, len, "a.yaml");
    d2 = compile_digest(ctx, buf, len, "a.yaml");
    /* format: sha256:<64 lowercase hex> */
    ck_assert_uint_eq(strlen(d1), 7 + 64);
    ck_assert_int_eq(strncmp(d1, "sha256:", 7), 0);
    for (i = 7; i < 71; i++)
        ck_assert(strchr("0123456789abcdef", d1[i]) != NULL);
    /* stable */
    ck_assert_str_eq(d1, d2);
    /* a one-byte edit that does not change the meaning (a comment) still
     * changes the digest: it covers the source bytes */
    pos = strchr(buf, '#');
    ck_assert_ptr_nonnull(pos);
    pos[2] ^= 0x01;
    d3 = compile_digest(ctx, buf, len, "a.yaml");
    ck_assert_str_ne(d1, d3);
    pos[2] ^= 0x01;
    /* ... and so does a one-byte edit of an amount */
    pos = strstr(buf, "upto: 100000");
    ck_assert_ptr_nonnull(pos);
    pos[6] = '2';
    d4 = compile_digest(ctx, buf, len, "a.yaml");
    ck_assert_str_ne(d1, d4);
    ck_assert_str_ne(d3, d4);
    pos[6] = '1';
    free(d2);
    /* the file name is part of what is hashed */
    d2 = compile_digest(ctx, buf, len, "b.yaml");
    ck_assert_str_ne(d1, d2);
    free(d1);
    free(d2);
    free(d3);
    free(d4);
    free(buf);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_digest_directory)
{
    zf_context *ctx = new_ctx();
    char *dir = make_ruleset_dir();
    zf_ruleset *a = NULL, *b = NULL, *c = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *da;

    ck_assert_int_eq(zf_ruleset_load(&a, ctx, dir, &err), ZF_OK);
    ck_assert_int_eq(zf_ruleset_load(&b, ctx, dir, &err), ZF_OK);
    da = strdup(zf_ruleset_digest(a));
    ck_assert_str_eq(da, zf_ruleset_digest(b));
    /* one byte of an included file */
    put(dir, "p.yaml", "profiles:\n"
        "  - id: p\n"
        "    title: 挡\n"
        "    tiers:\n"
        "      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n"
        "      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }\n");
    ck_assert_int_eq(zf_ruleset_load(&c, ctx, dir, &err), ZF_OK);
    ck_assert_str_ne(da, zf_ruleset_digest(c));
    /* a and b are unaffected (immutable) */
    ck_assert_str_eq(da, zf_ruleset_digest(a));
    free(da);
    zf_ruleset_unref(a);
    zf_ruleset_unref(b);
    zf_ruleset_unref(c);
    rm_rf(dir);
    free(dir);
    zf_context_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* loading from disk */

START_TEST(test_load_directory)
{
    zf_context *ctx = new_ctx();
    char *dir = make_ruleset_dir(), slash[4200];
    zf_ruleset *rs = NULL, *rs2 = NULL;
    zf_error err = ZF_ERROR_INIT;

    ck_assert_msg(zf_ruleset_load(&rs, ctx, dir, &err) == ZF_OK,
                  "%s:%u:%u: %s", err.source, err.line, err.column,
                  err.message);
    ck_assert_str_eq(zf_ruleset_id(rs), "t-dir");
    ck_assert_str_eq(zf_ruleset_version(rs), "3");
    ck_assert_uint_eq(zf_ruleset_domain_count(rs), 2);
    ck_assert_uint_eq(zf_ruleset_item_count(rs), 3);
    ck_assert_uint_eq(zf_ruleset_generation(rs), 0);
    /* a trailing slash is the same directory */
    snprintf(slash, sizeof(slash), "%s/", dir);
    ck_assert_int_eq(zf_ruleset_load(&rs2, ctx, slash, &err), ZF_OK);
    ck_assert_str_eq(zf_ruleset_digest(rs), zf_ruleset_digest(rs2));
    zf_ruleset_unref(rs2);
    /* the manifest named as a file is the same rule set too */
    snprintf(slash, sizeof(slash), "%s/zhifa.yaml", dir);
    ck_assert_int_eq(zf_ruleset_load(&rs2, ctx, slash, &err), ZF_OK);
    ck_assert_str_eq(zf_ruleset_digest(rs), zf_ruleset_digest(rs2));
    zf_ruleset_unref(rs2);
    zf_ruleset_unref(rs);
    rm_rf(dir);
    free(dir);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_load_file)
{
    zf_context *ctx = new_ctx();
    char path[4096];
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;

    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, minimal_path(path,
                                                            sizeof(path)),
                                     &err), ZF_OK);
    ck_assert_str_eq(zf_ruleset_id(rs), "t-base");
    ck_assert_str_eq(zf_ruleset_version(rs), "1");
    ck_assert_uint_eq(zf_ruleset_domain_count(rs), 1);
    ck_assert_uint_eq(zf_ruleset_item_count(rs), 1);
    zf_ruleset_unref(rs);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_load_bundled)
{
    zf_context *ctx = new_ctx();
    char path[4096];
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;

    snprintf(path, sizeof(path), "%s", zt_source_path("rules"));
    ck_assert_msg(zf_ruleset_load(&rs, ctx, path, &err) == ZF_OK,
                  "%s:%u:%u: [ZF-%03d] %s", err.source, err.line, err.column,
                  err.diag, err.message);
    ck_assert_str_eq(zf_ruleset_id(rs), "cn-national");
    ck_assert_uint_ge(zf_ruleset_domain_count(rs), 16);
    ck_assert_uint_ge(zf_ruleset_item_count(rs), 30);
    zf_ruleset_unref(rs);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_load_errors)
{
    zf_context *ctx = new_ctx();
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *dir = make_tmpdir();

    /* nonexistent path */
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, "/nonexistent/zf/rules.yaml",
                                     &err), ZF_EIO);
    ck_assert_int_eq(err.diag, ZF_DIAG_IO);
    ck_assert_ptr_null(rs);
    ck_assert_ptr_nonnull(strstr(err.message, "No such file"));
    /* a directory without zhifa.yaml */
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_EIO);
    ck_assert_ptr_nonnull(strstr(err.message, "zhifa.yaml"));
    /* invalid arguments */
    ck_assert_int_eq(zf_ruleset_load(NULL, ctx, dir, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_ruleset_load(&rs, NULL, dir, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, "", &err), ZF_EINVAL);
    ck_assert_int_eq(zf_ruleset_compile(NULL, ctx, "x", 1, "x", &err),
                     ZF_EINVAL);
    ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, NULL, 1, "x", &err),
                     ZF_EINVAL);
    ck_assert_int_eq(err.diag, ZF_DIAG_INVAL);
    /* a NULL buffer of length 0 is an empty file */
    ck_assert_int_eq(zf_ruleset_compile(&rs, ctx, NULL, 0, "x", &err),
                     ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_EMPTY);
    ck_assert_ptr_null(rs);
    rm_rf(dir);
    free(dir);
    zf_context_free(ctx);
}
END_TEST

/* Load `manifest` (with the rest of the directory set up) and return the
 * error. */
static zf_status
load_with_manifest(zf_context *ctx, const char *dir, const char *manifest,
                   zf_error *err)
{
    zf_ruleset *rs = NULL;
    zf_status rc;

    put(dir, "zhifa.yaml", manifest);
    memset(err, 0, sizeof(*err));
    rc = zf_ruleset_load(&rs, ctx, dir, err);
    if (rc == ZF_OK)
        zf_ruleset_unref(rs);
    else
        ck_assert_ptr_null(rs);
    return rc;
}

static void
expect_source_suffix(const zf_error *err, const char *suffix)
{
    size_t sl = strlen(suffix), gl = strlen(err->source);

    ck_assert_msg(gl >= sl && strcmp(err->source + gl - sl, suffix) == 0,
                  "source '%s' does not end with '%s'", err->source, suffix);
}

START_TEST(test_include_rules)
{
    zf_context *ctx = new_ctx();
    char *dir = make_ruleset_dir(), outside[4200];
    zf_error err;

    /* escaping the directory */
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include:\n"
        "  - laws/l.yaml\n"
        "  - ../x.yaml\n", &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_uint_eq(err.line, 4);
    ck_assert_uint_eq(err.column, 5);
    expect_source_suffix(&err, "/zhifa.yaml");
    ck_assert_str_eq(err.message,
                     "include '../x.yaml' must be a relative path inside the "
                     "rule set (no '..', no absolute path)");
    /* .. in the middle, an absolute path, ./ and an empty component */
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [laws/../../x.yaml]\n", &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [/etc/passwd]\n", &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [./p.yaml]\n", &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [laws//l.yaml]\n", &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    /* a file outside the directory really exists: still rejected */
    snprintf(outside, sizeof(outside), "%s/../zf-outside.yaml", dir);
    zt_write_file(outside, profile_yaml, strlen(profile_yaml));
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [../zf-outside.yaml]\n", &err), ZF_ESCHEMA);
    unlink(outside);

    /* a missing include: ZF_EIO pointing at the include's line */
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include:\n"
        "  - laws/l.yaml\n"
        "  - p.yaml\n"
        "  - domains/missing.yaml\n", &err), ZF_EIO);
    ck_assert_int_eq(err.diag, ZF_DIAG_IO);
    ck_assert_uint_eq(err.line, 5);
    ck_assert_uint_eq(err.column, 5);
    expect_source_suffix(&err, "/zhifa.yaml");
    ck_assert_str_eq(err.message, "cannot read 'domains/missing.yaml': "
                                  "No such file or directory");
    /* an include naming a directory */
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [laws]\n", &err), ZF_EIO);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.column, 11);
    /* the same file twice */
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [p.yaml, laws/l.yaml, p.yaml]\n", &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_str_eq(err.message, "'p.yaml' is included twice");
    ck_assert_uint_eq(err.column, 32);
    /* include is a list */
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: p.yaml\n", &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_WRONG_TYPE);
    /* an included file may not have 'ruleset' or 'include' */
    put(dir, "nested.yaml", "include: [p.yaml]\n");
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [nested.yaml]\n", &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    expect_source_suffix(&err, "/nested.yaml");
    ck_assert_uint_eq(err.line, 1);
    ck_assert_uint_eq(err.column, 10);
    /* an error inside an included file names that file */
    put(dir, "bad.yaml", "profiles:\n  - id: q\n    titel: x\n");
    ck_assert_int_eq(load_with_manifest(ctx, dir,
        "ruleset: { id: t, version: \"1\" }\n"
        "include: [laws/l.yaml, bad.yaml]\n", &err), ZF_ESCHEMA);
    expect_source_suffix(&err, "/bad.yaml");
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.column, 5);
    ck_assert_str_eq(err.message,
                     "unknown key 'titel' in profile (did you mean 'title'?)");
    /* and the good manifest still loads */
    ck_assert_int_eq(load_with_manifest(ctx, dir, manifest_yaml, &err),
                     ZF_OK);
    rm_rf(dir);
    free(dir);
    zf_context_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* limits at N and N+1 */

static zf_status
compile_buf(zf_context *ctx, const char *buf, size_t len, zf_error *err)
{
    zf_ruleset *rs = NULL;
    zf_status rc;

    memset(err, 0, sizeof(*err));
    rc = zf_ruleset_compile(&rs, ctx, buf, len, "limit.yaml", err);
    if (rc == ZF_OK)
        zf_ruleset_unref(rs);
    else
        ck_assert_ptr_null(rs);
    return rc;
}

/*
 * Rule files are opened beneath the rule directory only, as regular files:
 * a FIFO must not hang the load, a symbolic link (to a file outside, or a
 * directory on the way) must be refused before anything is read, and the
 * message must not quote the refused file. A reload that meets one keeps
 * the rule set that was working.
 */
START_TEST(test_unsafe_files)
{
    zf_context *ctx = new_ctx();
    char *dir = make_ruleset_dir(), *outside = make_tmpdir();
    char path[4200], target[4200];
    zf_ruleset *rs = NULL;
    zf_engine *eng = NULL;
    zf_error err;

    /* a secret outside the rule directory, shaped to be echoed by an
     * "unknown key" message if it were ever parsed */
    put(outside, "secret.yaml", "root-secret-line: x\n");

    /* an include that is a symlink to a file outside */
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    ck_assert_int_eq(unlink(path), 0);
    snprintf(target, sizeof(target), "%s/secret.yaml", outside);
    ck_assert_int_eq(symlink(target, path), 0);
    err = (zf_error)ZF_ERROR_INIT;
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_EIO);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_msg(strstr(err.message, "symbolic link") != NULL, "%s",
                  err.message);
    ck_assert_ptr_null(strstr(err.message, "root-secret"));
    /* a symlink inside the root is refused the same way (one rule) */
    ck_assert_int_eq(unlink(path), 0);
    put(dir, "p-real.yaml", profile_yaml);
    ck_assert_int_eq(symlink("p-real.yaml", path), 0);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_EIO);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_int_eq(unlink(path), 0);
    put(dir, "p.yaml", profile_yaml);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_OK);
    zf_ruleset_unref(rs);
    rs = NULL;

    /* a directory on the way that is a symlink to one outside */
    snprintf(path, sizeof(path), "%s/laws", outside);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    put(outside, "laws/l.yaml", laws_yaml);
    snprintf(path, sizeof(path), "%s/laws", dir);
    rm_rf(path);
    snprintf(target, sizeof(target), "%s/laws", outside);
    ck_assert_int_eq(symlink(target, path), 0);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_EIO);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_msg(strstr(err.message, "laws/l.yaml") != NULL, "%s",
                  err.message);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    put(dir, "laws/l.yaml", laws_yaml);

    /* a FIFO as an include, then as the manifest: refused at once, no
     * hang (nobody ever writes to them) */
    ck_assert_int_eq(zf_engine_new(&eng, ctx, dir, &err), ZF_OK);
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_EIO);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_msg(strstr(err.message, "not a regular file") != NULL, "%s",
                  err.message);
    ck_assert_int_eq(zf_engine_reload(eng, NULL, &err), ZF_EIO);
    rs = zf_engine_acquire(eng);      /* the good set still serves */
    ck_assert_ptr_nonnull(rs);
    ck_assert_str_eq(zf_ruleset_id(rs), "t-dir");
    zf_ruleset_unref(rs);
    rs = NULL;
    snprintf(path, sizeof(path), "%s/zhifa.yaml", dir);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_EIO);
    ck_assert_int_eq(err.diag, ZF_DIAG_INCLUDE);
    ck_assert_int_eq(zf_engine_reload(eng, NULL, &err), ZF_EIO);
    zf_engine_free(eng);

    rm_rf(dir);
    rm_rf(outside);
    free(dir);
    free(outside);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_limit_depth)
{
    zf_context *ctx = new_ctx();
    char path[4096], *buf, *deep;
    size_t len, i;
    zf_error err;

    /* minimal.yaml nests collections 9 deep: root map, laws, law,
     * provisions, provision, stages, stage, unit, fine */
    buf = zt_read_file(minimal_path(path, sizeof(path)), &len);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_YAML_DEPTH, 9), 32);
    ck_assert_int_eq(compile_buf(ctx, buf, len, &err), ZF_OK);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_YAML_DEPTH, 8), 9);
    ck_assert_int_eq(compile_buf(ctx, buf, len, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_DEPTH);
    /* the first collection at depth 9: `{ upto: 100000 }` on line 14 */
    ck_assert_uint_eq(err.line, 14);
    ck_assert_uint_eq(err.column, 27);
    free(buf);

    /* the default, 32: "ruleset:" is depth 1, each '[' one more */
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_YAML_DEPTH, 32), 8);
    deep = malloc(200);
    strcpy(deep, "ruleset: ");
    for (i = 0; i < 31; i++)
        strcat(deep, "[");
    for (i = 0; i < 31; i++)
        strcat(deep, "]");
    strcat(deep, "\n");
    /* 32 deep: past the YAML layer, rejected by the schema */
    ck_assert_int_eq(compile_buf(ctx, deep, strlen(deep), &err), ZF_ESCHEMA);
    ck_assert_int_eq(err.diag, ZF_DIAG_WRONG_TYPE);
    strcpy(deep, "ruleset: ");
    for (i = 0; i < 32; i++)
        strcat(deep, "[");
    for (i = 0; i < 32; i++)
        strcat(deep, "]");
    strcat(deep, "\n");
    ck_assert_int_eq(compile_buf(ctx, deep, strlen(deep), &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_DEPTH);
    ck_assert_uint_eq(err.line, 1);
    ck_assert_uint_eq(err.column, 10 + 31);
    free(deep);

    /* 100000 levels (libyaml alone accepts them): a limit error, fast */
    deep = malloc(200016);
    memset(deep, '[', 100000);
    memset(deep + 100000, ']', 100000);
    ck_assert_int_eq(compile_buf(ctx, deep, 200000, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_DEPTH);
    free(deep);
    zf_context_free(ctx);
}
END_TEST

/* minimal.yaml with the item's conduct replaced by `n` bytes of 'a'. */
static char *
with_conduct(size_t n, size_t *len)
{
    char path[4096], *base, *out, *p;
    size_t blen;
    const char *key = "conduct: 未培训";

    base = zt_read_file(minimal_path(path, sizeof(path)), &blen);
    p = strstr(base, key);
    ck_assert_ptr_nonnull(p);
    out = malloc(blen + n + 16);
    memcpy(out, base, (size_t)(p - base));
    *len = (size_t)(p - base);
    memcpy(out + *len, "conduct: ", 9);
    *len += 9;
    memset(out + *len, 'a', n);
    *len += n;
    p += strlen(key);
    memcpy(out + *len, p, blen - (size_t)(p - base));
    *len += blen - (size_t)(p - base);
    out[*len] = '\0';
    free(base);
    return out;
}

START_TEST(test_limit_scalar)
{
    zf_context *ctx = new_ctx();
    size_t len;
    char *buf;
    zf_error err;

    /* the default, 64 KiB */
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_SCALAR_LENGTH, -1),
                     65536);
    buf = with_conduct(65536, &len);
    ck_assert_int_eq(compile_buf(ctx, buf, len, &err), ZF_OK);
    free(buf);
    buf = with_conduct(65537, &len);
    ck_assert_int_eq(compile_buf(ctx, buf, len, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_SCALAR);
    ck_assert_uint_eq(err.line, 22);
    ck_assert_uint_eq(err.column, 18);
    free(buf);
    /* a configured limit */
    zf_context_set_limit(ctx, ZF_LIMIT_SCALAR_LENGTH, 100);
    buf = with_conduct(100, &len);
    ck_assert_int_eq(compile_buf(ctx, buf, len, &err), ZF_OK);
    free(buf);
    buf = with_conduct(101, &len);
    ck_assert_int_eq(compile_buf(ctx, buf, len, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_SCALAR);
    free(buf);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_limit_file_size)
{
    zf_context *ctx = new_ctx();
    char path[4096], *buf;
    size_t len;
    zf_ruleset *rs = NULL;
    zf_error err;

    buf = zt_read_file(minimal_path(path, sizeof(path)), &len);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_FILE_SIZE,
                                          (long)len), 4L * 1024 * 1024);
    /* buffer: at N ok, at N+1 a limit error */
    ck_assert_int_eq(compile_buf(ctx, buf, len, &err), ZF_OK);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_FILE_SIZE,
                                          (long)len - 1), (long)len);
    ck_assert_int_eq(compile_buf(ctx, buf, len, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_FILE_SIZE);
    /* file: the same boundary, checked before parsing */
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, path, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_FILE_SIZE);
    ck_assert_ptr_null(rs);
    expect_source_suffix(&err, "valid/minimal.yaml");
    zf_context_set_limit(ctx, ZF_LIMIT_FILE_SIZE, (long)len);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, path, &err), ZF_OK);
    zf_ruleset_unref(rs);
    free(buf);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_limit_pattern)
{
    zf_context *ctx = new_ctx();
    size_t len, n;
    char path[4096], *base, *buf, *p;
    zf_error err;
    const char *key = "'未.{0,6}培训'";

    base = zt_read_file(minimal_path(path, sizeof(path)), &len);
    p = strstr(base, key);
    ck_assert_ptr_nonnull(p);
    for (n = 1000; n <= 1001; n++) {
        size_t off = (size_t)(p - base), k = strlen(key), o = 0;
        buf = malloc(len + n + 8);
        memcpy(buf, base, off);
        o = off;
        buf[o++] = '\'';
        memset(buf + o, 'a', n);
        o += n;
        buf[o++] = '\'';
        memcpy(buf + o, p + k, len - off - k);
        o += len - off - k;
        if (n == 1000) {
            ck_assert_int_eq(compile_buf(ctx, buf, o, &err), ZF_OK);
        } else {
            ck_assert_int_eq(compile_buf(ctx, buf, o, &err), ZF_ELIMIT);
            ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_PATTERN);
        }
        free(buf);
    }
    free(base);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_limit_items)
{
    zf_context *ctx = new_ctx();
    char *dir = make_ruleset_dir();
    zf_ruleset *rs = NULL;
    zf_error err = ZF_ERROR_INIT;

    /* 3 items */
    zf_context_set_limit(ctx, ZF_LIMIT_RULES, 3);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_OK);
    zf_ruleset_unref(rs);
    rs = NULL;
    zf_context_set_limit(ctx, ZF_LIMIT_RULES, 2);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_COUNT);
    expect_source_suffix(&err, "domains/d.yaml");
    zf_context_set_limit(ctx, ZF_LIMIT_RULES, 10000);
    /* 4 files */
    zf_context_set_limit(ctx, ZF_LIMIT_FILES, 4);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_OK);
    zf_ruleset_unref(rs);
    rs = NULL;
    zf_context_set_limit(ctx, ZF_LIMIT_FILES, 3);
    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, dir, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.diag, ZF_DIAG_LIMIT_COUNT);
    ck_assert_ptr_null(rs);
    rm_rf(dir);
    free(dir);
    zf_context_free(ctx);
}
END_TEST

START_TEST(test_set_limit)
{
    zf_context *ctx = new_ctx();

    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_YAML_DEPTH, -1), 32);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_YAML_DEPTH, 5), 32);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_YAML_DEPTH, -1), 5);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_PATTERN_LENGTH, -1),
                     1000);
    ck_assert_int_eq(zf_context_set_limit(ctx, ZF_LIMIT_COUNT_, 1), -1);
    ck_assert_int_eq(zf_context_set_limit(ctx, (zf_limit)-1, 1), -1);
    zf_context_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* reference counting and accessors */

static const char case_json[] =
    "{\"case_id\":\"r\",\"violations\":[{\"item\":\"T-001\","
    "\"facts\":{\"untrained\":2}}]}";

START_TEST(test_ref_unref)
{
    zf_context *ctx = new_ctx();
    char path[4096], *json = NULL;
    size_t jlen = 0;
    zf_ruleset *rs = NULL;
    zf_evaluator *ev = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_error err = ZF_ERROR_INIT;

    ck_assert_int_eq(zf_ruleset_load(&rs, ctx, minimal_path(path,
                                                            sizeof(path)),
                                     &err), ZF_OK);
    ck_assert_ptr_eq(zf_ruleset_ref(rs), rs);
    ck_assert_ptr_eq(zf_ruleset_ref(rs), rs);
    zf_ruleset_unref(rs);
    zf_ruleset_unref(rs);
    /* still alive with one reference */
    ck_assert_str_eq(zf_ruleset_id(rs), "t-base");
    /* NULL is accepted everywhere */
    ck_assert_ptr_null(zf_ruleset_ref(NULL));
    zf_ruleset_unref(NULL);
    ck_assert_ptr_null(zf_ruleset_id(NULL));
    ck_assert_ptr_null(zf_ruleset_version(NULL));
    ck_assert_ptr_null(zf_ruleset_digest(NULL));
    ck_assert_uint_eq(zf_ruleset_item_count(NULL), 0);
    ck_assert_uint_eq(zf_ruleset_domain_count(NULL), 0);
    ck_assert_uint_eq(zf_ruleset_generation(NULL), 0);

    /* a decision holds its own reference: it outlives the caller's */
    ck_assert_int_eq(zf_evaluator_new(&ev, ctx), ZF_OK);
    ck_assert_int_eq(zf_case_parse(&cs, ctx, case_json, strlen(case_json),
                                   &err), ZF_OK);
    ck_assert_int_eq(zf_evaluate(&dec, ev, rs, cs, &err), ZF_OK);
    zf_ruleset_unref(rs);
    ck_assert_int_eq(zf_decision_render(&json, &jlen, dec, ZF_RENDER_JSON,
                                        &err), ZF_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"id\":\"t-base\""));
    ck_assert_ptr_nonnull(strstr(json, "\"item\":\"T-001\""));
    zf_free(ctx, json);
    zf_decision_free(dec);   /* frees the rule set (valgrind checks) */
    zf_case_free(cs);
    zf_evaluator_free(ev);
    zf_context_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *
loader_suite(void)
{
    Suite *s = suite_create("loader");
    TCase *tc;

    tc = tcase_create("golden");
    tcase_add_test(tc, test_golden_present);
    tcase_add_loop_test(tc, test_invalid_golden, 0, (int)n_invalid);
    tcase_add_loop_test(tc, test_valid_golden, 0, (int)n_valid);
    suite_add_tcase(s, tc);

    tc = tcase_create("digest");
    tcase_add_test(tc, test_digest);
    tcase_add_test(tc, test_digest_directory);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_test(tc, test_load_directory);
    tcase_add_test(tc, test_load_file);
    tcase_add_test(tc, test_load_bundled);
    tcase_add_test(tc, test_load_errors);
    tcase_add_test(tc, test_include_rules);
    tcase_add_test(tc, test_unsafe_files);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_set_limit);
    tcase_add_test(tc, test_limit_depth);
    tcase_add_test(tc, test_limit_scalar);
    tcase_add_test(tc, test_limit_file_size);
    tcase_add_test(tc, test_limit_pattern);
    tcase_add_test(tc, test_limit_items);
    suite_add_tcase(s, tc);

    tc = tcase_create("refcount");
    tcase_add_test(tc, test_ref_unref);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr;
    int failed;
    size_t i;

    scan("rules/invalid", invalid_names, &n_invalid);
    scan("rules/valid", valid_names, &n_valid);
    sr = srunner_create(loader_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (i = 0; i < n_invalid; i++)
        free(invalid_names[i]);
    for (i = 0; i < n_valid; i++)
        free(valid_names[i]);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
