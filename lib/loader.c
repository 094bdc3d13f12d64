/* SPDX-License-Identifier: MIT */
/*
 * Rule-set loader: files → YAML trees (yaml.c) → validated, compiled,
 * immutable zf_ruleset. Every error carries file:line:col and a [ZF-nnn]
 * code. All sections of all files are parsed first and then compiled in a
 * fixed order (laws, profiles, domains and items), so include order does
 * not matter and references may point forward.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader-private.h"

static void
loader_cleanup(struct loader *L)
{
    zf__free(L->ctx, L->laws.v);
    zf__free(L->ctx, L->provisions.v);
    zf__free(L->ctx, L->items.v);
    zf__free(L->ctx, L->domains.v);
    zf__free(L->ctx, L->profiles.v);
    zf__free(L->ctx, L->files);
    if (L->cctx)
        pcre2_compile_context_free(L->cctx);
    zf__arena_destroy(&L->tmp);
}

/*
 * Shared driver. `first_buf` is the manifest (or single-file) content;
 * `rel` its name relative to `root_dir`.
 */
static zf_status
load(zf_ruleset **out, zf_context *ctx, const char *root_dir,
     const char *root_name, const char *rel, const char *buf, size_t len,
     zf_error *err)
{
    struct loader L;
    zf_ruleset *rs;
    pcre2_general_context *gctx = NULL;
    unsigned char digest[32];
    char hex[65];
    zf_status rc;

    rs = zf__calloc(ctx, 1, sizeof(*rs));
    if (!rs)
        return zf__error_nomem(err);
    atomic_init(&rs->refcount, 1);
    rs->ctx = ctx;
    zf__arena_init(&rs->arena, ctx, 64 * 1024);

    memset(&L, 0, sizeof(L));
    L.ctx = ctx;
    L.rs = rs;
    L.arena = &rs->arena;
    L.err = err;
    L.root_dir = root_dir;
    L.root_name = root_name;
    zf__arena_init(&L.tmp, ctx, 64 * 1024);
    zf__sha256_init(&L.sha);

    gctx = pcre2_general_context_create(zf__pcre_malloc, zf__pcre_free, (void *)ctx);
    if (gctx)
        L.cctx = pcre2_compile_context_create(gctx);
    if (!gctx || !L.cctx) {
        rc = zf__error_nomem(err);
        goto out;
    }
    pcre2_set_max_pattern_length(L.cctx,
        (PCRE2_SIZE)zf__limit(ctx, ZF_LIMIT_PATTERN_LENGTH));
    pcre2_set_parens_nest_limit(L.cctx,
        (uint32_t)zf__limit(ctx, ZF_LIMIT_REGEX_NEST));

    rc = zf__add_file(&L, rel, buf, len);
    if (rc == ZF_OK)
        rc = zf__compile_all(&L);
    if (rc == ZF_OK) {
        rs->regexes = (pcre2_code **)L.regexes.v;
        rs->n_regexes = L.regexes.n;
        L.regexes.v = NULL;
        zf__sha256_final(&L.sha, digest);
        zf__sha256_hex(digest, hex);
        snprintf(rs->digest, sizeof(rs->digest), "sha256:%s", hex);
        if (!rs->title)
            rs->title = "";
        if (!rs->jurisdiction)
            rs->jurisdiction = "";
    }
out:
    if (rc != ZF_OK) {
        size_t i;
        for (i = 0; i < L.regexes.n; i++)
            pcre2_code_free((pcre2_code *)L.regexes.v[i]);
        zf__free(ctx, L.regexes.v);
        L.regexes.v = NULL;
        if (err && err->code == 0)
            err->code = rc;
    }
    loader_cleanup(&L);
    if (gctx)
        pcre2_general_context_free(gctx);
    if (rc != ZF_OK) {
        zf__ruleset_destroy(rs);
        return rc;
    }
    *out = rs;
    return ZF_OK;
}

ZF_API zf_status
zf_ruleset_compile(zf_ruleset **out, zf_context *ctx, const char *buf,
                   size_t len, const char *source_name, zf_error *err)
{
    if (!out || !ctx || (!buf && len))
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    return load(out, ctx, NULL, NULL, source_name ? source_name : "<buffer>",
                buf ? buf : "", len, err);
}

static const char *
last_slash(const char *s, size_t n)
{
    while (n > 0)
        if (s[--n] == '/')
            return s + n;
    return NULL;
}

ZF_API zf_status
zf_ruleset_load(zf_ruleset **out, zf_context *ctx, const char *path,
                zf_error *err)
{
    struct stat st;
    char *dir = NULL, *buf = NULL;
    const char *base, *rel, *root_name;
    size_t len = 0, plen;
    zf_status rc;
    struct loader L;

    if (!out || !ctx || !path || !*path)
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/')
        plen--;
    memset(&L, 0, sizeof(L));
    L.ctx = ctx;
    L.err = err;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        dir = zf__strndup(ctx, path, plen);
        rel = "zhifa.yaml";
    } else {
        const char *slash = last_slash(path, plen);
        dir = slash ? zf__strndup(ctx, path, slash == path ? 1 : (size_t)(slash - path))
                    : zf__strndup(ctx, ".", 1);
        rel = slash ? slash + 1 : path;
    }
    if (!dir)
        return zf__error_nomem(err);
    /* display prefix: the root directory's own name */
    base = strrchr(dir, '/');
    root_name = base ? base + 1 : dir;
    if (!*root_name || strcmp(root_name, ".") == 0)
        root_name = NULL;
    {
        char display[512];
        if (root_name)
            snprintf(display, sizeof(display), "%s/%s", root_name, rel);
        else
            snprintf(display, sizeof(display), "%s", rel);
        rc = zf__read_file(&L, dir, rel, display, &buf, &len);
    }
    if (rc == ZF_OK)
        rc = load(out, ctx, dir, root_name, rel, buf, len, err);
    zf__free(ctx, buf);
    zf__free(ctx, dir);
    return rc;
}
