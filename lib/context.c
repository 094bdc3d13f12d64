/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <limits.h>
#include <stdlib.h>

#include "json-private.h"
#include "util-private.h"

static const long default_limits[ZF_LIMIT_COUNT_] = {
    [ZF_LIMIT_FILE_SIZE] = 4L * 1024 * 1024,
    [ZF_LIMIT_YAML_DEPTH] = 32,
    [ZF_LIMIT_SCALAR_LENGTH] = 65536,
    [ZF_LIMIT_RULES] = 10000,
    [ZF_LIMIT_LIST_ITEMS] = 10000,
    [ZF_LIMIT_EXPR_DEPTH] = 64,
    [ZF_LIMIT_PATTERN_LENGTH] = 1000,
    [ZF_LIMIT_REGEX_NEST] = 32,
    [ZF_LIMIT_REGEX_SIZE] = 65536,
    [ZF_LIMIT_MATCH] = 100000,
    [ZF_LIMIT_MATCH_DEPTH] = 10000,
    [ZF_LIMIT_MATCH_HEAP] = 8192,
    [ZF_LIMIT_SUBJECT_LENGTH] = 65536,
    [ZF_LIMIT_JSON_SIZE] = 1024L * 1024,
    [ZF_LIMIT_JSON_DEPTH] = 32,
    [ZF_LIMIT_VIOLATIONS] = 1000,
    [ZF_LIMIT_FILES] = 1000,
};

static void *
std_malloc(size_t size, void *ud)
{
    (void)ud;
    return malloc(size);
}

static void *
std_realloc(void *p, size_t size, void *ud)
{
    (void)ud;
    return realloc(p, size);
}

static void
std_free(void *p, void *ud)
{
    (void)ud;
    free(p);
}

ZF_API zf_status
zf_context_new_with_allocator(zf_context **out, const zf_allocator *alloc)
{
    zf_context *ctx;
    size_t i;

    if (!out || !alloc || alloc->version != ZF_ALLOCATOR_VERSION ||
        !alloc->malloc_fn || !alloc->realloc_fn || !alloc->free_fn)
        return ZF_EINVAL;
    ctx = alloc->malloc_fn(sizeof(*ctx), alloc->user_data);
    if (!ctx)
        return ZF_ENOMEM;
    ctx->alloc = *alloc;
    for (i = 0; i < ZF_LIMIT_COUNT_; i++)
        ctx->limits[i] = default_limits[i];
    ctx->log_fn = NULL;
    ctx->log_level = ZF_LOG_ERROR;
    ctx->log_user_data = NULL;
    *out = ctx;
    return ZF_OK;
}

ZF_API zf_status
zf_context_new(zf_context **out)
{
    zf_allocator a = {ZF_ALLOCATOR_VERSION, std_malloc, std_realloc,
                      std_free, NULL};

    return zf_context_new_with_allocator(out, &a);
}

ZF_API void
zf_context_free(zf_context *ctx)
{
    if (ctx)
        ctx->alloc.free_fn(ctx, ctx->alloc.user_data);
}

ZF_API long
zf_context_set_limit(zf_context *ctx, zf_limit id, long value)
{
    long old;

    if (!ctx || (int)id < 0 || id >= ZF_LIMIT_COUNT_)
        return -1;
    old = ctx->limits[id];
    if (value >= 0) {
        if (value < 1)
            value = 1;
        /* cases are parsed by cJSON, which refuses more than its own cap:
         * a higher limit would turn deep input into a false ZF_ENOMEM */
        if (id == ZF_LIMIT_JSON_DEPTH && value > ZF__CJSON_NESTING_LIMIT)
            value = ZF__CJSON_NESTING_LIMIT;
        ctx->limits[id] = value;
    }
    return old;
}

ZF_API void
zf_context_set_log(zf_context *ctx, zf_log_fn fn, zf_log_level max_level,
                   void *user_data)
{
    if (!ctx)
        return;
    ctx->log_fn = fn;
    ctx->log_level = max_level;
    ctx->log_user_data = user_data;
}

ZF_API void
zf_free(zf_context *ctx, void *ptr)
{
    if (ctx && ptr)
        zf__free(ctx, ptr);
}

ZF_API const char *
zf_strerror(zf_status status)
{
    switch (status) {
    case ZF_OK: return "success";
    case ZF_ESYNTAX: return "syntax error";
    case ZF_ESCHEMA: return "invalid rule data";
    case ZF_ELIMIT: return "limit exceeded";
    case ZF_EREGEX: return "invalid regular expression";
    case ZF_EINPUT: return "invalid case";
    case ZF_EINDETERMINATE: return "indeterminate result (regex limit)";
    case ZF_ENOMEM: return "out of memory";
    case ZF_EIO: return "input/output error";
    case ZF_EINVAL: return "invalid argument";
    case ZF_EINTERNAL: return "internal error";
    default: return "unknown status";
    }
}

ZF_API const char *
zf_version(void)
{
    return ZF_VERSION_STRING;
}
