/* SPDX-License-Identifier: MIT */
/* Shared test helpers: see test-common.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test-common.h"

#ifndef ZT_SOURCE_ROOT
#define ZT_SOURCE_ROOT "."
#endif

void
zt_fatal(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%d: fatal: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

const char *
zt_data_dir(void)
{
    const char *d = getenv("ZF_TEST_DATA");
    return d && *d ? d : ZT_SOURCE_ROOT "/tests/data";
}

const char *
zt_source_path(const char *sub)
{
    static char buf[16][4096];
    static int k;
    const char *root = getenv("ZF_SOURCE_ROOT");

    k = (k + 1) % 16;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s",
             root && *root ? root : ZT_SOURCE_ROOT, sub);
    return buf[k];
}

bool
zt_regenerate(void)
{
    const char *r = getenv("ZF_REGENERATE");
    return r && strcmp(r, "1") == 0;
}

char *
zt_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0)
        ZT_FATAL("cannot seek %s", path);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        ZT_FATAL("cannot read %s", path);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

char *
zt_slurp(const char *path, size_t *len)
{
    char *buf = zt_read_file(path, len);

    if (!buf)
        ZT_FATAL("cannot open %s", path);
    return buf;
}

void
zt_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f)
        ZT_FATAL("cannot write %s", path);
    if (fwrite(data, 1, len, f) != len)
        ZT_FATAL("cannot write %s", path);
    if (fclose(f) != 0)
        ZT_FATAL("cannot close %s", path);
}

bool
zt_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int
zt_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
zt_same(const char *want, const char *got, char *msg, size_t size)
{
    size_t i = 0, from;

    while (want[i] && want[i] == got[i])
        i++;
    if (!want[i] && !got[i])
        return true;
    from = i > 120 ? i - 120 : 0;
    /* start on a UTF-8 boundary */
    while (from > 0 && ((unsigned char)want[from] & 0xC0) == 0x80)
        from--;
    snprintf(msg, size, "differs at byte %zu\n  expected: ...%.240s\n"
             "  got:      ...%.240s", i, want + from, got + from);
    return false;
}

void
zt_strip_generation(char *s)
{
    char *p = strstr(s, "\"generation\":");
    char *q;

    if (!p)
        return;
    p += strlen("\"generation\":");
    q = p;
    while (*q >= '0' && *q <= '9')
        q++;
    *p = '0';
    memmove(p + 1, q, strlen(q) + 1);
}

static bool
alloc_fails(struct zt_alloc *a)
{
    long n = atomic_fetch_add(&a->calls, 1) + 1;

    return a->fail_at && (n == a->fail_at || (a->persistent && n > a->fail_at));
}

static void *
zt_malloc(size_t size, void *ud)
{
    struct zt_alloc *a = ud;
    void *p;

    if (alloc_fails(a))
        return NULL;
    p = malloc(size);
    if (p)
        atomic_fetch_add(&a->live, 1);
    return p;
}

static void *
zt_realloc(void *old, size_t size, void *ud)
{
    struct zt_alloc *a = ud;
    void *p;

    if (alloc_fails(a))
        return NULL;
    p = realloc(old, size);
    if (p && !old)
        atomic_fetch_add(&a->live, 1);
    return p;
}

static void
zt_free(void *p, void *ud)
{
    struct zt_alloc *a = ud;

    if (p)
        atomic_fetch_sub(&a->live, 1);
    free(p);
}

void
zt_alloc_reset(struct zt_alloc *a)
{
    atomic_store(&a->live, 0);
    atomic_store(&a->calls, 0);
    a->fail_at = 0;
    a->persistent = false;
}

zf_allocator
zt_alloc_table(struct zt_alloc *a)
{
    zf_allocator t = {ZF_ALLOCATOR_VERSION, zt_malloc, zt_realloc, zt_free, a};
    return t;
}
