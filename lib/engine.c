/* SPDX-License-Identifier: MIT */
/*
 * Hot reload: the engine holds the current rule set; reload compiles the
 * new one outside any lock and swaps the pointer under a small mutex only
 * when it compiled cleanly, so a bad edit never takes good rules down.
 * Readers take a reference under the same mutex and evaluate unlocked; the
 * old set is freed when its last reader drops it.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "ruleset-private.h"

struct zf_engine {
    zf_context *ctx;
    pthread_mutex_t lock;
    zf_ruleset *current;
    uint64_t generation;
    char *path;
};

ZF_API zf_status
zf_engine_new(zf_engine **out, zf_context *ctx, const char *path,
              zf_error *err)
{
    zf_engine *eng;
    zf_status rc;

    if (!out || !ctx || !path)
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    eng = zf__calloc(ctx, 1, sizeof(*eng));
    if (!eng)
        return zf__error_nomem(err);
    eng->ctx = ctx;
    eng->path = zf__strndup(ctx, path, strlen(path));
    if (!eng->path || pthread_mutex_init(&eng->lock, NULL) != 0) {
        zf__free(ctx, eng->path);
        zf__free(ctx, eng);
        return zf__error_nomem(err);
    }
    rc = zf_ruleset_load(&eng->current, ctx, path, err);
    if (rc) {
        pthread_mutex_destroy(&eng->lock);
        zf__free(ctx, eng->path);
        zf__free(ctx, eng);
        return rc;
    }
    eng->current->generation = eng->generation = 1;
    *out = eng;
    return ZF_OK;
}

ZF_API void
zf_engine_free(zf_engine *eng)
{
    if (!eng)
        return;
    zf_ruleset_unref(eng->current);
    pthread_mutex_destroy(&eng->lock);
    zf__free(eng->ctx, eng->path);
    zf__free(eng->ctx, eng);
}

ZF_API zf_status
zf_engine_reload(zf_engine *eng, const char *path, zf_error *err)
{
    zf_ruleset *rs = NULL, *old;
    zf_status rc;

    if (!eng)
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    rc = zf_ruleset_load(&rs, eng->ctx, path ? path : eng->path, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&eng->lock);
    old = eng->current;
    /* the new set is not yet visible to any other thread: writing its
     * generation here happens-before every reader's acquire */
    rs->generation = ++eng->generation;
    eng->current = rs;
    pthread_mutex_unlock(&eng->lock);
    zf_ruleset_unref(old);
    return ZF_OK;
}

ZF_API zf_ruleset *
zf_engine_acquire(zf_engine *eng)
{
    zf_ruleset *rs;

    if (!eng)
        return NULL;
    pthread_mutex_lock(&eng->lock);
    rs = zf_ruleset_ref(eng->current);
    pthread_mutex_unlock(&eng->lock);
    return rs;
}
