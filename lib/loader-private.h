/* SPDX-License-Identifier: MIT */
/*
 * Shared state of the rule-set loader, split by concern over loader-*.c:
 *   loader-schema.c   errors, key checks and typed scalar accessors
 *   loader-legal.c    legal references (law:article...) and citations
 *   loader-law.c      laws, provisions, stages, fines
 *   loader-regex.c    regular expressions (PCRE2, limits, columns)
 *   loader-item.c     items and domains
 *   loader-profile.c  discretion profiles
 *   loader-file.c     file I/O, the manifest and includes
 *   loader-plan.c     the enforcement plan (key items per domain)
 *   loader-link.c     the compile order and linking passes
 *   loader.c          the driver (zf_ruleset_compile, zf_ruleset_load)
 *   ruleset.c         the rule-set object (refcount, getters, lookups)
 *   vocab.c           the rule format's vocabulary tables
 * Not installed, not part of the ABI: zf__ names are hidden.
 */
#ifndef ZF_LOADER_PRIVATE_H
#define ZF_LOADER_PRIVATE_H

#include "ruleset-private.h"
#include "sha256-private.h"
#include "yaml-private.h"

#define MONEY_MAX ((int64_t)1 << 53)

/* A growable array of pointers, through the context allocator. */
struct vec {
    const void **v;
    size_t n, cap;
};

struct file {
    struct zf__source *src;
    const char *rel;            /* path relative to the root */
    const struct zf__ynode *root;
    /* ruleset, include, laws, domains, profiles, plan */
    const struct zf__ynode *sec[6];
};

enum { SEC_RULESET, SEC_INCLUDE, SEC_LAWS, SEC_DOMAINS, SEC_PROFILES,
       SEC_PLAN };

struct loader {
    const zf_context *ctx;
    zf_ruleset *rs;
    struct zf__arena *arena;    /* the rule set's */
    struct zf__arena tmp;       /* YAML trees, file buffers' copies */
    zf_error *err;
    const struct file *cur;
    struct file *files;
    size_t n_files, cap_files;
    struct vec laws, provisions, items, domains, profiles, regexes;
    pcre2_compile_context *cctx;
    const char *root_dir;       /* NULL for a buffer */
    const char *root_name;      /* display prefix, e.g. "rules" */
    struct zf__sha256 sha;
};

struct parsed_ref {
    char law[64];
    unsigned article, sub, para, item;
    char key[96];  /* provision key: law:article[-sub][.para] */
};

typedef zf_status (*elem_fn)(struct loader *L, const struct zf__ynode *n,
                             const char *what, void *out);

/* loader-schema.c */
zf_status zf__err_at(struct loader *L, const struct zf__ynode *n,
                     zf_status code, int diag, const char *fmt, ...)
    ZF_PRINTF(5, 6);
zf_status zf__nomem(struct loader *L);
zf_status zf__vec_push(struct loader *L, struct vec *v, const void *p);
const void *const *zf__vec_freeze(struct loader *L, const struct vec *v);
zf_status zf__fields(struct loader *L, const struct zf__ynode *map,
                     const char *what, const char *const *keys,
                     const struct zf__ynode **out);
zf_status zf__need(struct loader *L, const struct zf__ynode *map,
                   const struct zf__ynode *v, const char *key,
                   const char *what);
bool zf__plain_is(const struct zf__ynode *n, const char *s);
bool zf__plain_reserved(const struct zf__ynode *n);
zf_status zf__get_str(struct loader *L, const struct zf__ynode *n,
                      const char *what, const char **out);
zf_status zf__get_id(struct loader *L, const struct zf__ynode *n,
                     const char *what, const char **out);
zf_status zf__get_int(struct loader *L, const struct zf__ynode *n,
                      const char *what, int64_t lo, int64_t hi, int64_t *out);
zf_status zf__get_bool(struct loader *L, const struct zf__ynode *n,
                       const char *what, bool *out);
zf_status zf__get_date(struct loader *L, const struct zf__ynode *n,
                       const char *what, int32_t *out);
zf_status zf__get_seq(struct loader *L, const struct zf__ynode *n,
                      const char *what);
zf_status zf__get_list(struct loader *L, const struct zf__ynode *n,
                       const char *what, size_t size, size_t align, elem_fn one,
                       void **out, size_t *count);
zf_status zf__get_str_list(struct loader *L, const struct zf__ynode *n,
                           const char *what, const char *const **out,
                           size_t *count);
int zf__index_of(const char *s, const char *const *names, size_t n);
zf_status zf__get_enum(struct loader *L, const struct zf__ynode *n,
                       const char *what, const char *const *names, size_t count,
                       int *out);

/* loader-legal.c */
bool zf__parse_ref(const char *s, struct parsed_ref *r);
int zf__cmp_law_id(const void *a, const void *b);
const struct zf__law * zf__find_law(const struct loader *L, const char *id);
char * zf__render_cite(struct loader *L, const struct zf__law *law,
                       const struct parsed_ref *r, bool with_item);
zf_status zf__get_ref(struct loader *L, const struct zf__ynode *n,
                      const char *what, struct zf__ref *out,
                      struct parsed_ref *pr);
zf_status zf__get_ref_list(struct loader *L, const struct zf__ynode *n,
                           const char *what, const struct zf__ref **out,
                           size_t *count);

/* loader-law.c */
zf_status zf__get_pair(struct loader *L, const struct zf__ynode *n,
                       const char *what, int64_t lo, int64_t hi, int32_t *a,
                       int32_t *b);
zf_status zf__load_law_header(struct loader *L, const struct zf__ynode *n);
zf_status zf__load_law_provisions(struct loader *L, const struct zf__ynode *n,
                                  const struct zf__law *law);

/* loader-regex.c */
void * zf__pcre_malloc(size_t size, void *ud);
void zf__pcre_free(void *p, void *ud);
pcre2_code * zf__compile_regex(struct loader *L, const char *pat, size_t len,
                               uint32_t opts, size_t *err_off, char *msg,
                               size_t msg_size, zf_status *code);
void * zf__expr_regex_cb(void *ud, const char *pattern, size_t len,
                         size_t *err_offset, char *msg, size_t msg_size);
unsigned zf__scalar_column(const struct zf__ynode *n, size_t off);
zf_status zf__get_patterns(struct loader *L, const struct zf__ynode *n,
                           const char *what, const struct zf__pattern **out,
                           size_t *count);

/* loader-item.c */
zf_status zf__get_expr(struct loader *L, const struct zf__ynode *n,
                       const struct zf__item *it, enum zf__type want,
                       const struct zf__expr **out);
zf_status zf__get_cite(struct loader *L, const struct zf__ynode *n,
                       const char **out);
zf_status zf__get_consequences(struct loader *L, const struct zf__ynode *n,
                               const struct zf__item *it, bool item_level,
                               const struct zf__consequence **out,
                               size_t *count);
zf_status zf__get_triggers(struct loader *L, const struct zf__ynode *n,
                           uint32_t *out);
const struct zf__provision * zf__find_provision(struct loader *L,
                                                const char *key);
zf_status zf__load_domain(struct loader *L, const struct zf__ynode *n);

/* loader-profile.c */
zf_status zf__load_profile(struct loader *L, const struct zf__ynode *n);

/* loader-file.c */
zf_status zf__read_file(struct loader *L, const char *root, const char *rel,
                        const char *display, char **out, size_t *out_len);
zf_status zf__add_file(struct loader *L, const char *rel, const char *buf,
                       size_t len);
zf_status zf__load_includes(struct loader *L, const struct file *manifest);
zf_status zf__load_manifest(struct loader *L, const char **profile_id,
                            const struct zf__ynode **profile_node);

/* loader-plan.c */
zf_status zf__load_plan(struct loader *L, const struct file *f);

/* loader-link.c */
zf_status zf__compile_all(struct loader *L);

/* ruleset.c */
void zf__ruleset_destroy(zf_ruleset *rs);

#endif
