/* SPDX-License-Identifier: MIT */
/*
 * Rule files: reading beneath the rule directory without following links,
 * the manifest and its includes.
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

static const char *const sec_keys[] = {"ruleset", "include", "laws",
                                       "domains", "profiles", "plan", NULL};

/* ------------------------------------------------------------------ */
/* files */

/*
 * Open root/rel for reading without leaving the rule directory: every
 * component of `rel` is opened relative to the one before it with
 * O_NOFOLLOW, so no symbolic link below the root is followed (the root
 * itself, named by the caller, may be one). `rel` never holds "." or ".."
 * (safe_rel), so nothing else could lead outside. O_NONBLOCK keeps open()
 * from waiting on a FIFO; the caller then requires a regular file.
 *
 * Returns the descriptor, or -1 with errno set; ELOOP (or ENOTDIR for a
 * directory component) means a symbolic link was met.
 */
static int
open_beneath(const char *root, const char *rel)
{
    int dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *p = rel;

    if (dfd < 0)
        return -1;
    for (;;) {
        const char *slash = strchr(p, '/');
        char comp[NAME_MAX + 1];
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        int fd, e;

        if (n == 0 || n > NAME_MAX) {
            close(dfd);
            errno = n ? ENAMETOOLONG : ENOENT;
            return -1;
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        fd = openat(dfd, comp,
                    slash ? O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
                          : O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
                                O_CLOEXEC);
        e = errno;
        close(dfd);
        if (fd < 0) {
            errno = e;
            return -1;
        }
        if (!slash)
            return fd;
        dfd = fd;
        p = slash + 1;
    }
}

/* Is root/rel, or a directory on the way to it, a symbolic link? */
static bool
is_link_beneath(const char *root, const char *rel)
{
    char path[PATH_MAX];
    struct stat st;
    size_t i, n = strlen(rel);

    for (i = 0; i <= n; i++) {
        if (rel[i] != '/' && rel[i] != '\0')
            continue;
        if ((size_t)snprintf(path, sizeof(path), "%s/%.*s", root, (int)i,
                             rel) >= sizeof(path))
            return false;
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
            return true;
    }
    return false;
}

/*
 * Read root/rel (display: its name in messages). Only a regular file
 * beneath the rule directory is read; anything else (a symbolic link, a
 * FIFO, a device, a directory) is refused with ZF-118 before a byte of it
 * is read, so its content can never appear in a message.
 */
zf_status
zf__read_file(struct loader *L, const char *root, const char *rel,
          const char *display, char **out, size_t *out_len)
{
    struct stat st;
    char *buf = NULL;
    size_t got = 0, size;
    long limit = zf__limit(L->ctx, ZF_LIMIT_FILE_SIZE);
    int fd;

    fd = open_beneath(root, rel);
    if (fd < 0) {
        if ((errno == ELOOP || errno == ENOTDIR) &&
            is_link_beneath(root, rel)) {
            zf__error_set(L->err, ZF_EIO, ZF_DIAG_INCLUDE,
                          "refusing '%s': it is or passes through a "
                          "symbolic link; rule files are read only as "
                          "regular files inside the rule directory",
                          display);
            zf__error_at(L->err, display, 0, 0);
            return ZF_EIO;
        }
        goto io;
    }
    if (fstat(fd, &st) < 0)
        goto io;
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        goto io;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        zf__error_set(L->err, ZF_EIO, ZF_DIAG_INCLUDE,
                      "refusing '%s': not a regular file (a FIFO, socket "
                      "or device)", display);
        zf__error_at(L->err, display, 0, 0);
        return ZF_EIO;
    }
    /* a regular file: reads never block, but be explicit */
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (st.st_size > limit) {
        close(fd);
        zf__error_set(L->err, ZF_ELIMIT, ZF_DIAG_LIMIT_FILE_SIZE,
                      "file larger than the limit (%lld > %ld bytes)",
                      (long long)st.st_size, limit);
        zf__error_at(L->err, display, 0, 0);
        return ZF_ELIMIT;
    }
    /* read to EOF even if the file grows; never past limit + 1 */
    size = (size_t)st.st_size + 1;
    buf = zf__malloc(L->ctx, size + 1);
    if (!buf) {
        close(fd);
        return zf__nomem(L);
    }
    for (;;) {
        ssize_t r;
        if (got == size) {
            char *nb;
            if (size > (size_t)limit)
                break;
            size = size * 2 > (size_t)limit + 1 ? (size_t)limit + 1
                                                : size * 2;
            nb = zf__realloc(L->ctx, buf, size + 1);
            if (!nb) {
                zf__free(L->ctx, buf);
                close(fd);
                return zf__nomem(L);
            }
            buf = nb;
        }
        r = read(fd, buf + got, size - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            goto io;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    fd = -1;
    if (got > (size_t)limit) {
        zf__free(L->ctx, buf);
        zf__error_set(L->err, ZF_ELIMIT, ZF_DIAG_LIMIT_FILE_SIZE,
                      "file larger than the limit (%ld bytes)", limit);
        zf__error_at(L->err, display, 0, 0);
        return ZF_ELIMIT;
    }
    buf[got] = '\0';
    *out = buf;
    *out_len = got;
    return ZF_OK;
io:
    {
        int e = errno;
        char tmp[128];
        if (fd >= 0)
            close(fd);
        zf__free(L->ctx, buf);
        /* strerror_r (XSI) is thread-safe, unlike strerror */
        if (strerror_r(e, tmp, sizeof(tmp)) != 0)
            snprintf(tmp, sizeof(tmp), "error %d", e);
        zf__error_set(L->err, ZF_EIO, ZF_DIAG_IO, "cannot read '%s': %s",
                      display, tmp);
        zf__error_at(L->err, display, 0, 0);
        return ZF_EIO;
    }
}

zf_status
zf__add_file(struct loader *L, const char *rel, const char *buf, size_t len)
{
    struct file *f;
    struct zf__source *src;
    const char *name;
    zf_status rc;
    size_t k;
    const struct zf__ynode *root;
    unsigned char lenbuf[8];

    if (L->n_files >= (size_t)zf__limit(L->ctx, ZF_LIMIT_FILES)) {
        zf__error_set(L->err, ZF_ELIMIT, ZF_DIAG_LIMIT_COUNT,
                      "more than %ld files in the rule set",
                      zf__limit(L->ctx, ZF_LIMIT_FILES));
        return ZF_ELIMIT;
    }
    if (L->n_files == L->cap_files) {
        size_t cap = L->cap_files ? L->cap_files * 2 : 16;
        struct file *nf = zf__realloc(L->ctx, L->files, cap * sizeof(*nf));
        if (!nf)
            return zf__nomem(L);
        L->files = nf;
        L->cap_files = cap;
    }
    src = ZF_ARENA_NEW(L->arena, struct zf__source);
    if (!src)
        return zf__nomem(L);
    name = L->root_name ? zf__arena_printf(L->arena, "%s/%s", L->root_name,
                                           rel)
                        : zf__arena_strdup(L->arena, rel);
    if (!name)
        return zf__nomem(L);
    src->name = name;
    f = &L->files[L->n_files];
    memset(f, 0, sizeof(*f));
    f->src = src;
    f->rel = zf__arena_strdup(L->arena, rel);
    if (!f->rel)
        return zf__nomem(L);
    L->n_files++;
    L->cur = f;

    /* digest: relative name, NUL, 8-byte length, content */
    zf__sha256_update(&L->sha, rel, strlen(rel) + 1);
    for (k = 0; k < 8; k++)
        lenbuf[k] = (unsigned char)((uint64_t)len >> (8 * k));
    zf__sha256_update(&L->sha, lenbuf, 8);
    zf__sha256_update(&L->sha, buf, len);

    /* keep the text while the tree lives: error columns inside quoted
     * scalars are found in it */
    {
        char *copy = zf__arena_strndup(&L->tmp, buf, len);
        if (!copy)
            return zf__nomem(L);
        buf = copy;
    }
    rc = zf__yaml_parse(&root, L->ctx, &L->tmp, L->arena, buf, len, name,
                        L->err);
    if (rc)
        return rc;
    f->root = root;
    if ((rc = zf__fields(L, root, "a rule file", sec_keys,
                     (const struct zf__ynode **)f->sec)))
        return rc;
    return ZF_OK;
}

static bool
safe_rel(const char *rel)
{
    const char *p = rel;

    if (!*rel || rel[0] == '/' || strchr(rel, '\\'))
        return false;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.') ||
            (n == 1 && p[0] == '.'))
            return false;
        if (!e)
            break;
        p = e + 1;
    }
    return true;
}

zf_status
zf__load_includes(struct loader *L, const struct file *manifest)
{
    const struct zf__ynode *inc = manifest->sec[SEC_INCLUDE];
    size_t i, j;
    zf_status rc;

    if (!inc)
        return ZF_OK;
    if ((rc = zf__get_seq(L, inc, "include")))
        return rc;
    if (!L->root_dir)
        return zf__err_at(L, inc, ZF_ESCHEMA, ZF_DIAG_INCLUDE,
                      "'include' is not available for a rule set compiled "
                      "from a buffer");
    for (i = 0; i < inc->n; i++) {
        const struct zf__ynode *n = inc->items[i];
        const char *rel;
        char *buf = NULL;
        size_t len = 0;

        L->cur = &L->files[0];
        if ((rc = zf__get_str(L, n, "include", &rel)))
            return rc;
        if (!safe_rel(rel))
            return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_INCLUDE,
                          "include '%s' must be a relative path inside the "
                          "rule set (no '..', no absolute path)", rel);
        for (j = 0; j < L->n_files; j++)
            if (strcmp(L->files[j].rel, rel) == 0)
                return zf__err_at(L, n, ZF_ESCHEMA, ZF_DIAG_INCLUDE,
                              "'%s' is included twice", rel);
        rc = zf__read_file(L, L->root_dir, rel, rel, &buf, &len);
        if (rc) {
            /* point at the include line */
            if (rc == ZF_EIO)
                zf__error_at(L->err, L->files[0].src->name, n->line,
                             n->column);
            return rc;
        }
        rc = zf__add_file(L, rel, buf, len);
        zf__free(L->ctx, buf);
        if (rc)
            return rc;
        if (L->cur->sec[SEC_RULESET] || L->cur->sec[SEC_INCLUDE])
            return zf__err_at(L, L->cur->sec[SEC_RULESET]
                                 ? L->cur->sec[SEC_RULESET]
                                 : L->cur->sec[SEC_INCLUDE],
                          ZF_ESCHEMA, ZF_DIAG_INCLUDE,
                          "only the manifest may have 'ruleset' or "
                          "'include'");
    }
    return ZF_OK;
}

zf_status
zf__load_manifest(struct loader *L, const char **profile_id,
              const struct zf__ynode **profile_node)
{
    static const char *const keys[] = {"id", "version", "title",
                                       "jurisdiction", "profile", "note",
                                       NULL};
    const struct file *f = &L->files[0];
    const struct zf__ynode *n = f->sec[SEC_RULESET], *v[7];
    const char *note;
    zf_status rc;

    L->cur = f;
    if (!n)
        return zf__err_at(L, f->root, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "the manifest needs a 'ruleset' section");
    if ((rc = zf__fields(L, n, "ruleset", keys, v)) ||
        (rc = zf__need(L, n, v[0], "id", "ruleset")) ||
        (rc = zf__need(L, n, v[1], "version", "ruleset")) ||
        (rc = zf__get_id(L, v[0], "ruleset id", &L->rs->id)) ||
        (rc = zf__get_str(L, v[1], "version", &L->rs->version)) ||
        (v[2] && (rc = zf__get_str(L, v[2], "title", &L->rs->title))) ||
        (v[3] && (rc = zf__get_str(L, v[3], "jurisdiction",
                               &L->rs->jurisdiction))) ||
        (v[4] && (rc = zf__get_id(L, v[4], "profile", profile_id))) ||
        (v[5] && (rc = zf__get_str(L, v[5], "note", &note))))
        return rc;
    *profile_node = v[4];
    return ZF_OK;
}
