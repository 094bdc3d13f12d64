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

#include "ruleset-private.h"
#include "sha256-private.h"
#include "yaml-private.h"

const char *const zf__stage_names[ZF_STAGE_COUNT_] = {"first", "overdue",
                                                      "refused", "accident"};
const char *const zf__stage_zh[ZF_STAGE_COUNT_] = {
    "首次发现", "逾期未改正", "拒不改正/拒不执行", "导致生产安全事故"};
const char *const zf__tier_names[5] = {"lighter", "normal", "heavier",
                                       "maximum", "mitigated"};
const char *const zf__tier_zh[5] = {"从轻", "一般", "从重", "顶格", "减轻"};
const char *const zf__role_names[ZF_ROLE_COUNT_] = {
    "principal", "other_leader", "safety_manager", "direct_supervisor",
    "direct_staff", "investor"};
const char *const zf__role_zh[ZF_ROLE_COUNT_] = {
    "主要负责人", "其他负责人", "安全生产管理人员", "直接负责的主管人员",
    "其他直接责任人员", "个人投资人"};
const char *const zf__accident_names[ZF_ACC_COUNT_] = {
    "none", "general", "larger", "major", "especially_major"};
const char *const zf__accident_zh[ZF_ACC_COUNT_] = {
    "无", "一般事故", "较大事故", "重大事故", "特别重大事故"};
const char *const zf__harm_names[3] = {"none", "minor", "serious"};

#define F(n, t, s, l) {n, l, t, ZF_TYPE_NONE, NULL, 0, s}
const struct zf__fact zf__builtins[ZF__N_BUILTINS] = {
    F("overdue", ZF_TYPE_BOOL, ZF__B_OVERDUE, "逾期未改正"),
    F("corrected", ZF_TYPE_BOOL, ZF__B_CORRECTED, "已改正"),
    F("first_offence", ZF_TYPE_BOOL, ZF__B_FIRST_OFFENCE, "初次违法"),
    {"harm", "危害后果", ZF_TYPE_ENUM, ZF_TYPE_NONE, zf__harm_names, 3,
     ZF__B_HARM},
    {"accident", "事故等级", ZF_TYPE_ENUM, ZF_TYPE_NONE, zf__accident_names,
     ZF_ACC_COUNT_, ZF__B_ACCIDENT},
    F("illegal_income", ZF_TYPE_MONEY, ZF__B_ILLEGAL_INCOME, "违法所得"),
    F("repeat_12m", ZF_TYPE_INT, ZF__B_REPEAT_12M, "一年内同一违法行为受处罚次数"),
    F("remedied_harm", ZF_TYPE_BOOL, ZF__B_REMEDIED_HARM, "主动消除或者减轻危害后果"),
    F("coerced", ZF_TYPE_BOOL, ZF__B_COERCED, "受他人胁迫或者诱骗"),
    F("confessed", ZF_TYPE_BOOL, ZF__B_CONFESSED, "主动供述"),
    F("meritorious", ZF_TYPE_BOOL, ZF__B_MERITORIOUS, "配合查处有立功表现"),
    F("obstructed", ZF_TYPE_BOOL, ZF__B_OBSTRUCTED, "拒绝、阻碍执法"),
    F("high_risk", ZF_TYPE_BOOL, ZF__B_HIGH_RISK, "高危行业"),
    F("penalties_180d", ZF_TYPE_INT, ZF__B_PENALTIES_180D, "180日内受处罚次数"),
    F("penalties_365d", ZF_TYPE_INT, ZF__B_PENALTIES_365D, "一年内受处罚次数"),
    F("persons_count", ZF_TYPE_INT, ZF__B_PERSONS_COUNT, "责任人员人数"),
    F("no_fault", ZF_TYPE_BOOL, ZF__B_NO_FAULT, "有证据足以证明没有主观过错"),
    F("public_danger", ZF_TYPE_BOOL, ZF__B_PUBLIC_DANGER,
      "危及公众安全或者周边单位、人员安全"),
    F("major_hazard", ZF_TYPE_BOOL, ZF__B_MAJOR_HAZARD, "重大事故隐患"),
    F("especially_serious", ZF_TYPE_BOOL, ZF__B_ESPECIALLY_SERIOUS,
      "情节特别严重、影响特别恶劣"),
    F("refused", ZF_TYPE_BOOL, ZF__B_REFUSED, "拒不改正/拒不执行"),
    F("serious", ZF_TYPE_BOOL, ZF__B_SERIOUS, "情节严重"),
    /* the law of the item's penalty provision (e.g. "aqsc"): 安全生产法第一
     * 百一十二条、第一百一十三条 reach only penalties under that law */
    F("penalty_law", ZF_TYPE_STRING, ZF__B_PENALTY_LAW, "处罚依据所属法律"),
    F("fined_first", ZF_TYPE_BOOL, ZF__B_FINED_FIRST,
      "责令改正时即并处罚款（罚则第一阶段对单位罚款）"),
    F("unsafe_after_suspension", ZF_TYPE_BOOL, ZF__B_UNSAFE_AFTER_SUSPENSION,
      "经停产停业整顿仍不具备安全生产条件"),
    F("lacks_conditions", ZF_TYPE_BOOL, ZF__B_LACKS_CONDITIONS,
      "不具备安全生产条件"),
    F("refused_suspension", ZF_TYPE_BOOL, ZF__B_REFUSED_SUSPENSION,
      "拒不执行停产停业整顿决定"),
};

const char *const zf__order_kind_names[ZF_ORDER_KIND_COUNT_] = {
    "correction", "suspension", "closure", "revocation", "confiscation",
    "sanction", "other_authority", "other_penalty"};

const char *const zf__cons_names[ZF_CONS_COUNT_] = {
    "criminal_referral", "closure_request", "daily_penalty_possible",
    "publicity", "credit_punishment"};
#undef F

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
static const char *const sec_keys[] = {"ruleset", "include", "laws",
                                       "domains", "profiles", "plan", NULL};

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

/* ------------------------------------------------------------------ */
/* errors */

static zf_status err_at(struct loader *L, const struct zf__ynode *n,
                        zf_status code, int diag, const char *fmt, ...)
    ZF_PRINTF(5, 6);

static zf_status
err_at(struct loader *L, const struct zf__ynode *n, zf_status code, int diag,
       const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    zf__error_setv(L->err, code, diag, fmt, ap);
    va_end(ap);
    zf__error_at(L->err, L->cur ? L->cur->src->name : NULL, n ? n->line : 0,
                 n ? n->column : 0);
    return code;
}

static zf_status
nomem(struct loader *L)
{
    return zf__error_nomem(L->err);
}

static zf_status
vec_push(struct loader *L, struct vec *v, const void *p)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 32;
        const void **nv = zf__realloc(L->ctx, v->v, cap * sizeof(*nv));
        if (!nv)
            return nomem(L);
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = p;
    return ZF_OK;
}

/* Copy a vec into the rule-set arena as a const pointer array. */
static const void *const *
vec_freeze(struct loader *L, const struct vec *v)
{
    const void **out;

    if (!v->n)
        return NULL;
    out = zf__arena_alloc(L->arena, v->n * sizeof(*out), _Alignof(void *));
    if (out)
        memcpy(out, v->v, v->n * sizeof(*out));
    return (const void *const *)out;
}

/* ------------------------------------------------------------------ */
/* scalar accessors */

static const char *
suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    unsigned bd = 3, d;
    size_t i;

    for (i = 0; cands[i]; i++) {
        d = zf__edit_distance(word, cands[i], 3);
        if (d < bd) {
            bd = d;
            best = cands[i];
        }
    }
    return best;
}

/*
 * Check that `map` is a mapping whose keys are all in `keys` (NULL
 * terminated) and store each value in out[i] (NULL when absent).
 */
static zf_status
fields(struct loader *L, const struct zf__ynode *map, const char *what,
       const char *const *keys, const struct zf__ynode **out)
{
    size_t i, k;

    for (k = 0; keys[k]; k++)
        out[k] = NULL;
    if (map->kind != ZF_Y_MAP)
        return err_at(L, map, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a mapping", what);
    for (i = 0; i < map->n; i++) {
        const struct zf__ynode *key = map->pairs[i].key;
        for (k = 0; keys[k]; k++)
            if (strcmp(keys[k], key->str) == 0)
                break;
        if (!keys[k]) {
            const char *s = suggest(key->str, keys);
            if (s)
                return err_at(L, key, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_KEY,
                              "unknown key '%s' in %s (did you mean '%s'?)",
                              key->str, what, s);
            return err_at(L, key, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_KEY,
                          "unknown key '%s' in %s", key->str, what);
        }
        out[k] = map->pairs[i].value;
    }
    return ZF_OK;
}

static zf_status
need(struct loader *L, const struct zf__ynode *map, const struct zf__ynode *v,
     const char *key, const char *what)
{
    if (v)
        return ZF_OK;
    return err_at(L, map, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                  "%s is missing required key '%s'", what, key);
}

static bool
plain_is(const struct zf__ynode *n, const char *s)
{
    return n->kind == ZF_Y_SCALAR && n->plain && strcmp(n->str, s) == 0;
}

static bool
plain_reserved(const struct zf__ynode *n)
{
    static const char *const words[] = {"true", "false", "null", "~",
                                        "True", "False", "TRUE", "FALSE",
                                        "Null", "NULL", "yes", "no", "on",
                                        "off", "Yes", "No", "On", "Off",
                                        NULL};
    size_t i;

    if (n->kind != ZF_Y_SCALAR || !n->plain)
        return false;
    if (n->len == 0)
        return true;
    for (i = 0; words[i]; i++)
        if (strcmp(n->str, words[i]) == 0)
            return true;
    return false;
}

static zf_status
get_str(struct loader *L, const struct zf__ynode *n, const char *what,
        const char **out)
{
    if (n->kind != ZF_Y_SCALAR)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a string", what);
    if (plain_reserved(n))
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a string; '%s' is ambiguous, quote it",
                      what, n->str);
    *out = n->str;
    return ZF_OK;
}

static bool
is_ident_char(char c, bool extended)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           (extended && (c == '.' || c == ':'));
}

static zf_status
get_id(struct loader *L, const struct zf__ynode *n, const char *what,
       const char **out)
{
    size_t i;
    zf_status rc = get_str(L, n, what, out);

    if (rc)
        return rc;
    if (n->len == 0 || n->len > 63)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "%s must be 1 to 63 ASCII characters", what);
    for (i = 0; i < n->len; i++)
        if (!is_ident_char(n->str[i], true))
            return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "%s '%s' may only contain ASCII letters, digits "
                          "and _ - . :", what, n->str);
    return ZF_OK;
}

static zf_status
get_int(struct loader *L, const struct zf__ynode *n, const char *what,
        int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = n->str;
    bool neg = false;
    int64_t v = 0;
    size_t i = 0;

    if (n->kind != ZF_Y_SCALAR || !n->plain || n->len == 0)
        goto bad;
    if (s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == n->len)
        goto bad;
    for (; i < n->len; i++) {
        if (s[i] < '0' || s[i] > '9')
            goto bad;
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, s[i] - '0', &v))
            return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "%s is too large", what);
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "%s must be between %lld and %lld, got %lld", what,
                      (long long)lo, (long long)hi, (long long)v);
    *out = v;
    return ZF_OK;
bad:
    return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                  "%s must be an integer", what);
}

#define MONEY_MAX ((int64_t)1 << 53)

static zf_status
get_bool(struct loader *L, const struct zf__ynode *n, const char *what,
         bool *out)
{
    if (plain_is(n, "true")) {
        *out = true;
        return ZF_OK;
    }
    if (plain_is(n, "false")) {
        *out = false;
        return ZF_OK;
    }
    return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                  "%s must be true or false", what);
}

static zf_status
get_date(struct loader *L, const struct zf__ynode *n, const char *what,
         int32_t *out)
{
    if (n->kind != ZF_Y_SCALAR || !zf__parse_date(n->str, n->len, out))
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "%s must be a date YYYY-MM-DD", what);
    return ZF_OK;
}

static zf_status
get_seq(struct loader *L, const struct zf__ynode *n, const char *what)
{
    if (n->kind != ZF_Y_SEQ)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a list", what);
    return ZF_OK;
}

/* A YAML sequence into an arena array of `size`-byte elements, each read
 * by `one`. An empty list gives NULL and 0. */
typedef zf_status (*elem_fn)(struct loader *L, const struct zf__ynode *n,
                             const char *what, void *elem);

static zf_status
get_list(struct loader *L, const struct zf__ynode *n, const char *what,
         size_t size, size_t align, elem_fn one, void **out, size_t *count)
{
    unsigned char *v;
    size_t i;
    zf_status rc = get_seq(L, n, what);

    if (rc)
        return rc;
    *out = NULL;
    *count = 0;
    if (!n->n)
        return ZF_OK;
    v = zf__arena_calloc(L->arena, n->n, size, align);
    if (!v)
        return nomem(L);
    for (i = 0; i < n->n; i++)
        if ((rc = one(L, n->items[i], what, v + i * size)))
            return rc;
    *out = v;
    *count = n->n;
    return ZF_OK;
}

static zf_status
str_elem(struct loader *L, const struct zf__ynode *n, const char *what,
         void *elem)
{
    return get_str(L, n, what, (const char **)elem);
}

/* A list of strings → arena array. */
static zf_status
get_str_list(struct loader *L, const struct zf__ynode *n, const char *what,
             const char *const **out, size_t *count)
{
    void *v = NULL;
    zf_status rc = get_list(L, n, what, sizeof(const char *),
                            _Alignof(const char *), str_elem, &v, count);

    *out = v;
    return rc;
}

static int
index_of(const char *s, const char *const *names, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

static zf_status
get_enum(struct loader *L, const struct zf__ynode *n, const char *what,
         const char *const *names, size_t count, int *out)
{
    const char *s;
    char list[256];
    size_t i, off = 0;
    zf_status rc = get_str(L, n, what, &s);

    if (rc)
        return rc;
    *out = index_of(s, names, count);
    if (*out >= 0)
        return ZF_OK;
    list[0] = '\0';
    for (i = 0; i < count && off < sizeof(list); i++)
        off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
                                i ? ", " : "", names[i]);
    return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                  "%s '%s' is not one of: %s", what, s, list);
}

/* ------------------------------------------------------------------ */
/* legal references */

struct parsed_ref {
    char law[64];
    unsigned article, sub, para, item;
    char key[96];  /* provision key: law:article[-sub][.para] */
};

static bool
parse_uint(const char **p, unsigned *out)
{
    unsigned v = 0;
    const char *s = *p;

    if (*s < '1' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned)(*s - '0');
        if (v > 9999)
            return false;
        s++;
    }
    *p = s;
    *out = v;
    return true;
}

/* "aqsc:97(3)", "aqsc:28.1", "xf:134-1(2)" */
static bool
parse_ref(const char *s, struct parsed_ref *r)
{
    const char *colon = strchr(s, ':'), *p;
    size_t ll;

    memset(r, 0, sizeof(*r));
    if (!colon || colon == s || (ll = (size_t)(colon - s)) >= sizeof(r->law))
        return false;
    memcpy(r->law, s, ll);
    r->law[ll] = '\0';
    p = colon + 1;
    /* documents numbered only by items (判定标准 like hg2017): "hg2017:(2)" */
    if (*p == '(') {
        p++;
        if (!parse_uint(&p, &r->item) || *p != ')' || p[1])
            return false;
        snprintf(r->key, sizeof(r->key), "%s:(%u)", r->law, r->item);
        return true;
    }
    if (!parse_uint(&p, &r->article))
        return false;
    if (*p == '-') {
        p++;
        if (!parse_uint(&p, &r->sub))
            return false;
    }
    if (*p == '.') {
        p++;
        if (!parse_uint(&p, &r->para))
            return false;
    }
    if (*p == '(') {
        p++;
        if (!parse_uint(&p, &r->item) || *p != ')')
            return false;
        p++;
    }
    if (*p)
        return false;
    snprintf(r->key, sizeof(r->key), "%s:%u", r->law, r->article);
    if (r->sub)
        snprintf(r->key + strlen(r->key), sizeof(r->key) - strlen(r->key),
                 "-%u", r->sub);
    if (r->para)
        snprintf(r->key + strlen(r->key), sizeof(r->key) - strlen(r->key),
                 ".%u", r->para);
    return true;
}

static int
cmp_law_id(const void *a, const void *b)
{
    return strcmp((*(const struct zf__law *const *)a)->id,
                  (*(const struct zf__law *const *)b)->id);
}

static const struct zf__law *
find_law(const struct loader *L, const char *id)
{
    size_t i;

    for (i = 0; i < L->laws.n; i++) {
        const struct zf__law *law = L->laws.v[i];
        if (strcmp(law->id, id) == 0)
            return law;
    }
    return NULL;
}

static char *
render_cite(struct loader *L, const struct zf__law *law,
            const struct parsed_ref *r, bool with_item)
{
    struct zf__buf b;
    char *s, *out;

    zf__buf_init(&b, L->ctx);
    zf__cite(&b, law->title, r->article, r->sub, r->para,
             with_item ? r->item : 0);
    s = zf__buf_steal(&b, NULL);
    if (!s)
        return NULL;
    out = zf__arena_strdup(L->arena, s);
    zf__free(L->ctx, s);
    return out;
}

static zf_status
get_ref(struct loader *L, const struct zf__ynode *n, const char *what,
        struct zf__ref *out, struct parsed_ref *pr)
{
    struct parsed_ref tmp;
    const char *s;
    zf_status rc = get_str(L, n, what, &s);

    if (rc)
        return rc;
    if (!pr)
        pr = &tmp;
    if (!parse_ref(s, pr))
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_REF,
                      "%s '%s' is not a legal reference like "
                      "'aqsc:97(3)' or 'aqsc:28.1'", what, s);
    out->law = find_law(L, pr->law);
    if (!out->law)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                      "%s '%s' names unknown law '%s'", what, s, pr->law);
    out->ref = s;
    out->article = (uint16_t)pr->article;
    out->sub = (uint16_t)pr->sub;
    out->para = (uint16_t)pr->para;
    out->item = (uint16_t)pr->item;
    out->cite = render_cite(L, out->law, pr, true);
    return out->cite ? ZF_OK : nomem(L);
}

static zf_status
ref_elem(struct loader *L, const struct zf__ynode *n, const char *what,
         void *elem)
{
    return get_ref(L, n, what, elem, NULL);
}

static zf_status
get_ref_list(struct loader *L, const struct zf__ynode *n, const char *what,
             const struct zf__ref **out, size_t *count)
{
    void *v = NULL;
    zf_status rc = get_list(L, n, what, sizeof(struct zf__ref),
                            _Alignof(struct zf__ref), ref_elem, &v, count);

    *out = v;
    return rc;
}

/* ------------------------------------------------------------------ */
/* fines, stages, provisions, laws */

static zf_status
get_pair(struct loader *L, const struct zf__ynode *n, const char *what,
         int64_t lo, int64_t hi, int32_t *a, int32_t *b)
{
    int64_t x, y;
    zf_status rc;

    if (n->kind == ZF_Y_SCALAR) {
        rc = get_int(L, n, what, lo, hi, &x);
        if (rc)
            return rc;
        *a = *b = (int32_t)x;
        return ZF_OK;
    }
    if (n->kind != ZF_Y_SEQ || n->n != 2)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "%s must be a number or a list [low, high]", what);
    if ((rc = get_int(L, n->items[0], what, lo, hi, &x)) ||
        (rc = get_int(L, n->items[1], what, lo, hi, &y)))
        return rc;
    if (x > y)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_RANGE,
                      "%s: low %lld is above high %lld", what, (long long)x,
                      (long long)y);
    *a = (int32_t)x;
    *b = (int32_t)y;
    return ZF_OK;
}

static zf_status get_fine(struct loader *L, const struct zf__ynode *n,
                          const struct zf__fine **out, int nested);

/* `nested`: 0 a limb's fine, 1 the 'otherwise' of a multiple, 2 one grade
 * of a by_accident (which may carry its own 'aggravated', e.g. the 2014
 * 第一百零九条 raises only 特别重大事故 when 情节特别严重). */
static zf_status
get_fine(struct loader *L, const struct zf__ynode *n,
         const struct zf__fine **out, int nested)
{
    static const char *const keys[] = {
        "upto", "from", "fixed", "multiple", "of", "threshold", "otherwise",
        "percent", "by_accident", "aggravated", "discretionary", NULL};
    enum { UPTO, FROM, FIXED, MULT, OF, THRESH, OTHER, PCT, BYACC, AGGR,
           DISC };
    const struct zf__ynode *v[12];
    struct zf__fine *f;
    const char *of;
    size_t i;
    int shapes = 0;
    zf_status rc = fields(L, n, "fine", keys, v);

    if (rc)
        return rc;
    f = ZF_ARENA_NEW(L->arena, struct zf__fine);
    if (!f)
        return nomem(L);
    f->line = n->line;
    if (v[DISC] && (rc = get_bool(L, v[DISC], "discretionary",
                                  &f->discretionary)))
        return rc;
    shapes = (v[UPTO] && !v[FROM]) + (v[FROM] != NULL) + (v[FIXED] != NULL) +
             (v[MULT] != NULL) + (v[PCT] != NULL) + (v[BYACC] != NULL);
    if (shapes != 1)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "a fine needs exactly one of upto, from+upto, fixed, "
                      "multiple, percent, by_accident");
    if (v[FROM] && !v[UPTO])
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "fine with 'from' needs 'upto'");
    if ((v[OF] && !v[MULT] && !v[PCT]) || (v[THRESH] && !v[MULT]) ||
        (v[OTHER] && !v[MULT]) ||
        (v[AGGR] && !v[BYACC] && !(nested == 2 && (v[FROM] || v[FIXED]))))
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "'of', 'threshold', 'otherwise' go with 'multiple' or "
                      "'percent'; 'aggravated' with 'by_accident' or a "
                      "range of one of its grades");
    if (v[AGGR] && !v[BYACC] &&
        (rc = get_pair(L, v[AGGR], "aggravated", 1, 100, &f->aggr_lo,
                       &f->aggr_hi)))
        return rc;
    if (v[UPTO] && !v[FROM]) {
        f->shape = ZF_FINE_UPTO;
        return (rc = get_int(L, v[UPTO], "upto", 1, MONEY_MAX, &f->upto))
                   ? rc : (*out = f, ZF_OK);
    }
    if (v[FROM]) {
        f->shape = ZF_FINE_RANGE;
        if ((rc = get_int(L, v[FROM], "from", 0, MONEY_MAX, &f->from)) ||
            (rc = get_int(L, v[UPTO], "upto", 0, MONEY_MAX, &f->upto)))
            return rc;
        if (f->from > f->upto)
            return err_at(L, v[FROM], ZF_ESCHEMA, ZF_DIAG_BAD_RANGE,
                          "fine range from %lld is above upto %lld",
                          (long long)f->from, (long long)f->upto);
        *out = f;
        return ZF_OK;
    }
    if (v[FIXED]) {
        f->shape = ZF_FINE_FIXED;
        if ((rc = get_int(L, v[FIXED], "fixed", 0, MONEY_MAX, &f->from)))
            return rc;
        f->upto = f->from;
        *out = f;
        return ZF_OK;
    }
    if (v[MULT]) {
        f->shape = ZF_FINE_MULTIPLE;
        if ((rc = get_pair(L, v[MULT], "multiple", 1, 100, &f->lo, &f->hi)))
            return rc;
        if ((rc = need(L, n, v[OF], "of", "fine with 'multiple'")) ||
            (rc = get_str(L, v[OF], "of", &of)))
            return rc;
        if (strcmp(of, "illegal_income") != 0)
            return err_at(L, v[OF], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "'multiple' is of 'illegal_income', not '%s'", of);
        if (v[THRESH] && (rc = get_int(L, v[THRESH], "threshold", 0,
                                       MONEY_MAX, &f->threshold)))
            return rc;
        if (v[OTHER]) {
            if (nested)
                return err_at(L, v[OTHER], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                              "'otherwise' cannot nest");
            if ((rc = get_fine(L, v[OTHER], &f->otherwise, 1)))
                return rc;
        }
        *out = f;
        return ZF_OK;
    }
    if (v[PCT]) {
        f->shape = ZF_FINE_PERCENT;
        if ((rc = get_pair(L, v[PCT], "percent", 1, 1000, &f->lo, &f->hi)))
            return rc;
        if ((rc = need(L, n, v[OF], "of", "fine with 'percent'")) ||
            (rc = get_str(L, v[OF], "of", &of)))
            return rc;
        if (strcmp(of, "annual_income") != 0)
            return err_at(L, v[OF], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "'percent' is of 'annual_income', not '%s'", of);
        *out = f;
        return ZF_OK;
    }
    /* by_accident */
    f->shape = ZF_FINE_BY_ACCIDENT;
    if (nested)
        return err_at(L, v[BYACC], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "'by_accident' cannot nest");
    if (v[BYACC]->kind != ZF_Y_MAP)
        return err_at(L, v[BYACC], ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "by_accident must map accident grades to fines");
    for (i = 0; i < v[BYACC]->n; i++) {
        const struct zf__ypair *p = &v[BYACC]->pairs[i];
        int g = index_of(p->key->str, zf__accident_names, ZF_ACC_COUNT_);
        if (g <= 0)
            return err_at(L, p->key, ZF_ESCHEMA, ZF_DIAG_UNKNOWN_KEY,
                          "unknown accident grade '%s' (general, larger, "
                          "major, especially_major)", p->key->str);
        if ((rc = get_fine(L, p->value, &f->by_accident[g], 2)))
            return rc;
    }
    if (v[AGGR] && (rc = get_pair(L, v[AGGR], "aggravated", 1, 100,
                                  &f->aggr_lo, &f->aggr_hi)))
        return rc;
    *out = f;
    return ZF_OK;
}

static zf_status
get_limb(struct loader *L, const struct zf__ynode *n, bool persons,
         struct zf__limb *limb)
{
    static const char *const ukeys[] = {"fine", NULL};
    static const char *const pkeys[] = {"fine", "roles", NULL};
    const struct zf__ynode *v[3];
    zf_status rc = fields(L, n, persons ? "persons" : "unit",
                          persons ? pkeys : ukeys, v);
    size_t i;

    if (rc)
        return rc;
    limb->line = n->line;
    if (v[0] && (rc = get_fine(L, v[0], &limb->fine, 0)))
        return rc;
    if (!persons)
        return ZF_OK;
    if (!v[1]) {
        limb->roles = (1u << ZF_ROLE_DIRECT_SUPERVISOR) |
                      (1u << ZF_ROLE_DIRECT_STAFF);
        return ZF_OK;
    }
    if ((rc = get_seq(L, v[1], "roles")))
        return rc;
    for (i = 0; i < v[1]->n; i++) {
        int r;
        if ((rc = get_enum(L, v[1]->items[i], "role", zf__role_names,
                           ZF_ROLE_COUNT_, &r)))
            return rc;
        limb->roles |= 1u << r;
    }
    return ZF_OK;
}

static zf_status get_expr(struct loader *L, const struct zf__ynode *n,
                          const struct zf__item *it, enum zf__type want,
                          const struct zf__expr **out);

/* A penalty or a measure by another body must say so: a plain string is a
 * 责令改正-type order. The wording check below only forces a declaration;
 * it never classifies. */
static bool
reads_like_penalty(const char *s)
{
    static const char *const words[] = {"停产", "停业", "关闭", "吊销",
                                        "没收", "处分", "撤职", "暂扣",
                                        "撤销", "警告", NULL};
    size_t i;

    for (i = 0; words[i]; i++)
        if (strstr(s, words[i]))
            return true;
    return false;
}

/* orders: [责令限期改正, { text: 责令停产整顿, kind: suspension },
 *          { text: 情节严重的，责令停产停业整顿, kind: suspension,
 *            when: serious }] */
static zf_status
get_orders(struct loader *L, const struct zf__ynode *n, struct zf__pstage *st)
{
    static const char *const keys[] = {"text", "kind", "when", NULL};
    const char **texts;
    struct zf__order *info;
    size_t i;
    zf_status rc = get_seq(L, n, "orders");

    if (rc)
        return rc;
    texts = ZF_ARENA_NEWN(L->arena, const char *, n->n ? n->n : 1);
    info = ZF_ARENA_NEWN(L->arena, struct zf__order, n->n ? n->n : 1);
    if (!texts || !info)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *e = n->items[i], *v[3];
        int kind = ZF_ORDER_CORRECTION;

        info[i].line = e->line;
        if (e->kind != ZF_Y_MAP) {
            if ((rc = get_str(L, e, "order", &texts[i])))
                return rc;
            if (reads_like_penalty(texts[i]))
                return err_at(L, e, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                              "order '%s' reads like a penalty or another "
                              "body's measure: write it as { text, kind } "
                              "(kinds: correction, suspension, closure, "
                              "revocation, confiscation, sanction, "
                              "other_authority, other_penalty)", texts[i]);
            continue;
        }
        if ((rc = fields(L, e, "order", keys, v)) ||
            (rc = need(L, e, v[0], "text", "order")) ||
            (rc = need(L, e, v[1], "kind", "order")) ||
            (rc = get_str(L, v[0], "text", &texts[i])) ||
            (rc = get_enum(L, v[1], "kind", zf__order_kind_names,
                           ZF_ORDER_KIND_COUNT_, &kind)) ||
            (v[2] && (rc = get_expr(L, v[2], NULL, ZF_TYPE_BOOL,
                                    &info[i].when))))
            return rc;
        info[i].kind = (uint8_t)kind;
        if (!info[i].when &&
            (kind == ZF_ORDER_SUSPENSION || kind == ZF_ORDER_CLOSURE ||
             kind == ZF_ORDER_REVOCATION))
            st->hearing_order = true;
    }
    st->orders = texts;
    st->order_info = info;
    st->n_orders = n->n;
    return ZF_OK;
}

static zf_status
get_stages(struct loader *L, const struct zf__ynode *n,
           struct zf__provision *p)
{
    static const char *const keys[] = {"stage", "orders", "unit", "persons",
                                       "note", NULL};
    struct zf__pstage *st;
    bool seen[ZF_STAGE_COUNT_] = {false, false, false, false};
    size_t i;
    zf_status rc = get_seq(L, n, "stages");

    if (rc)
        return rc;
    if (!n->n)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "a provision needs at least the 'first' stage");
    st = ZF_ARENA_NEWN(L->arena, struct zf__pstage, n->n);
    if (!st)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[6];
        int s;

        if ((rc = fields(L, n->items[i], "stage", keys, v)) ||
            (rc = need(L, n->items[i], v[0], "stage", "stage")) ||
            (rc = get_enum(L, v[0], "stage", zf__stage_names,
                           ZF_STAGE_COUNT_, &s)))
            return rc;
        if (seen[s])
            return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                          "stage '%s' appears twice", zf__stage_names[s]);
        seen[s] = true;
        st[i].stage = (enum zf__stage)s;
        st[i].line = n->items[i]->line;
        if (v[1] && (rc = get_orders(L, v[1], &st[i])))
            return rc;
        if (v[2] && (rc = get_limb(L, v[2], false, &st[i].unit)))
            return rc;
        if (v[3] && (rc = get_limb(L, v[3], true, &st[i].persons)))
            return rc;
        if (v[4] && (rc = get_str(L, v[4], "note", &st[i].note)))
            return rc;
    }
    if (!seen[ZF_STAGE_FIRST])
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "a provision needs a 'first' stage");
    p->stages = st;
    p->n_stages = n->n;
    return ZF_OK;
}

static zf_status
load_provision(struct loader *L, const struct zf__law *law,
               const struct zf__ynode *n)
{
    static const char *const keys[] = {"article", "clauses", "summary",
                                       "stages", "verified", "note",
                                       "maps_to", "clause_map", NULL};
    const struct zf__ynode *v[9];
    struct zf__provision *p;
    struct parsed_ref pr;
    char ref[96];
    int64_t clauses = 0;
    zf_status rc = fields(L, n, "provision", keys, v);

    if (rc || (rc = need(L, n, v[0], "article", "provision")) ||
        (rc = need(L, n, v[3], "stages", "provision")))
        return rc;
    if (v[0]->kind != ZF_Y_SCALAR)
        return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "article must be a number like 97 or \"103.2\"");
    snprintf(ref, sizeof(ref), "%s:%s", law->id, v[0]->str);
    if (!parse_ref(ref, &pr) || pr.item || !pr.article)
        return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_BAD_REF,
                      "article '%s' is not like 97, 103.2 or 134-1",
                      v[0]->str);
    p = ZF_ARENA_NEW(L->arena, struct zf__provision);
    if (!p)
        return nomem(L);
    p->law = law;
    p->file = L->cur->src;
    p->line = n->line;
    p->column = n->column;
    p->id = zf__arena_strdup(L->arena, pr.key);
    p->cite = render_cite(L, law, &pr, false);
    if (!p->id || !p->cite)
        return nomem(L);
    if (v[1] && (rc = get_int(L, v[1], "clauses", 1, 99, &clauses)))
        return rc;
    p->clauses = (int)clauses;
    if ((v[2] && (rc = get_str(L, v[2], "summary", &p->summary))) ||
        (v[4] && (rc = get_str(L, v[4], "verified", &p->verified))) ||
        (v[5] && (rc = get_str(L, v[5], "note", &p->note))))
        return rc;
    if ((rc = get_stages(L, v[3], p)))
        return rc;
    if (v[6]) {
        if ((rc = get_str(L, v[6], "maps_to", &p->maps_to_ref)))
            return rc;
        p->maps_to_line = v[6]->line;
        p->maps_to_column = v[6]->column;
    }
    if (v[7]) {
        uint16_t *cn, *co;
        size_t i;
        if (!v[6])
            return err_at(L, v[7], ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                          "'clause_map' needs 'maps_to'");
        if (v[7]->kind != ZF_Y_MAP)
            return err_at(L, v[7], ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                          "clause_map maps the new law's 项 to this one's, "
                          "e.g. { 5: 4 }");
        cn = ZF_ARENA_NEWN(L->arena, uint16_t, v[7]->n + 1);
        co = ZF_ARENA_NEWN(L->arena, uint16_t, v[7]->n + 1);
        if (!cn || !co)
            return nomem(L);
        for (i = 0; i < v[7]->n; i++) {
            int64_t a, b;
            if ((rc = get_int(L, v[7]->pairs[i].key, "clause", 1, 99, &a)) ||
                (rc = get_int(L, v[7]->pairs[i].value, "clause", 1, 99, &b)))
                return rc;
            cn[i] = (uint16_t)a;
            co[i] = (uint16_t)b;
        }
        p->clause_new = cn;
        p->clause_old = co;
        p->n_clause_map = v[7]->n;
    }
    return vec_push(L, &L->provisions, p);
}

static zf_status
get_renumbered(struct loader *L, const struct zf__ynode *n,
               struct zf__law *law)
{
    static const char *const keys[] = {"from", "to", "shift", NULL};
    struct zf__renumber *r;
    size_t i;
    zf_status rc = get_seq(L, n, "renumbered");

    if (rc || !n->n)
        return rc;
    r = ZF_ARENA_NEWN(L->arena, struct zf__renumber, n->n);
    if (!r)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[4];
        int64_t from, to, shift;
        if ((rc = fields(L, n->items[i], "renumbered range", keys, v)) ||
            (rc = need(L, n->items[i], v[0], "from", "renumbered range")) ||
            (rc = need(L, n->items[i], v[1], "to", "renumbered range")) ||
            (rc = need(L, n->items[i], v[2], "shift", "renumbered range")) ||
            (rc = get_int(L, v[0], "from", 1, 9999, &from)) ||
            (rc = get_int(L, v[1], "to", 1, 9999, &to)) ||
            (rc = get_int(L, v[2], "shift", -999, 999, &shift)))
            return rc;
        if (from > to || from + shift < 1)
            return err_at(L, n->items[i], ZF_ESCHEMA, ZF_DIAG_BAD_RANGE,
                          "renumbered range %lld..%lld (shift %lld) is "
                          "invalid", (long long)from, (long long)to,
                          (long long)shift);
        r[i].from = (uint16_t)from;
        r[i].to = (uint16_t)to;
        r[i].shift = (int16_t)shift;
    }
    law->renumbered = r;
    law->n_renumbered = n->n;
    return ZF_OK;
}

/* Laws are registered in a first pass so that provisions (second pass)
 * can be checked for duplicates and references resolved in any order. */
static zf_status
load_law_header(struct loader *L, const struct zf__ynode *n)
{
    static const char *const keys[] = {"id", "title", "kind", "version",
                                       "effective", "source", "verified",
                                       "provisions", "note", "applies_to",
                                       "superseded_by", "renumbered",
                                       "replaced_on", NULL};
    static const char *const kinds[] = {"law", "regulation", "rule",
                                        "standard"};
    const struct zf__ynode *v[14];
    struct zf__law *law;
    const char *note;
    int kind;
    zf_status rc = fields(L, n, "law", keys, v);

    if (rc || (rc = need(L, n, v[0], "id", "law")) ||
        (rc = need(L, n, v[1], "title", "law")) ||
        (rc = need(L, n, v[7], "provisions", "law")))
        return rc;
    law = ZF_ARENA_NEW(L->arena, struct zf__law);
    if (!law)
        return nomem(L);
    law->file = L->cur->src;
    law->line = n->line;
    law->effective = INT32_MIN;
    law->replaced_on = INT32_MIN;
    law->kind = "law";
    if ((rc = get_id(L, v[0], "law id", &law->id)) ||
        (rc = get_str(L, v[1], "title", &law->title)))
        return rc;
    if (strchr(law->id, ':') || strchr(law->id, '.'))
        return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "law id '%s' may not contain ':' or '.'", law->id);
    if (v[2]) {
        if ((rc = get_enum(L, v[2], "kind", kinds, 4, &kind)))
            return rc;
        law->kind = kinds[kind];
    }
    if ((v[3] && (rc = get_str(L, v[3], "version", &law->version))) ||
        (v[4] && (rc = get_date(L, v[4], "effective", &law->effective))) ||
        (v[5] && (rc = get_str(L, v[5], "source", &law->source))) ||
        (v[6] && (rc = get_str(L, v[6], "verified", &law->verified))) ||
        (v[8] && (rc = get_str(L, v[8], "note", &note))) ||
        (v[9] && (rc = get_str_list(L, v[9], "applies_to", &law->applies_to,
                                    &law->n_applies_to))))
        return rc;
    if (v[9]) {
        law->applies_line = v[9]->line;
        law->applies_column = v[9]->column;
        law->applies_node = v[9];
    }
    if ((v[10] && (rc = get_id(L, v[10], "superseded_by",
                               &law->superseded_by_id))) ||
        (v[11] && (rc = get_renumbered(L, v[11], law))) ||
        (v[12] && (rc = get_date(L, v[12], "replaced_on",
                                 &law->replaced_on))))
        return rc;
    if ((rc = get_seq(L, v[7], "provisions")))
        return rc;
    if (find_law(L, law->id))
        return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                      "law id '%s' is defined twice", law->id);
    return vec_push(L, &L->laws, law);
}

static zf_status
load_law_provisions(struct loader *L, const struct zf__ynode *n,
                    const struct zf__law *law)
{
    const struct zf__ynode *prov = NULL;
    size_t i;
    zf_status rc;

    for (i = 0; i < n->n; i++)
        if (strcmp(n->pairs[i].key->str, "provisions") == 0)
            prov = n->pairs[i].value;
    for (i = 0; prov && i < prov->n; i++)
        if ((rc = load_provision(L, law, prov->items[i])))
            return rc;
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* regular expressions */

static void *
pcre_malloc(size_t size, void *ud)
{
    return zf__malloc(ud, size);
}

static void
pcre_free(void *p, void *ud)
{
    zf__free(ud, p);
}

static pcre2_code *
compile_regex(struct loader *L, const char *pat, size_t len, uint32_t opts,
              size_t *err_off, char *msg, size_t msg_size, zf_status *code)
{
    pcre2_code *re;
    int ecode;
    PCRE2_SIZE eoff;
    size_t size;

    *code = ZF_EREGEX;
    if (len > (size_t)zf__limit(L->ctx, ZF_LIMIT_PATTERN_LENGTH)) {
        *err_off = 0;
        *code = ZF_ELIMIT;
        snprintf(msg, msg_size, "pattern longer than %ld bytes",
                 zf__limit(L->ctx, ZF_LIMIT_PATTERN_LENGTH));
        return NULL;
    }
    re = pcre2_compile((PCRE2_SPTR)pat, len,
                       opts | PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C |
                           PCRE2_NO_UTF_CHECK,
                       &ecode, &eoff, L->cctx);
    if (!re) {
        PCRE2_UCHAR buf[200];
        if (ecode == PCRE2_ERROR_HEAP_FAILED) {
            *code = ZF_ENOMEM;
            snprintf(msg, msg_size, "out of memory");
        } else {
            pcre2_get_error_message(ecode, buf, sizeof(buf));
            snprintf(msg, msg_size, "%s", (const char *)buf);
        }
        *err_off = eoff;
        return NULL;
    }
    pcre2_pattern_info(re, PCRE2_INFO_SIZE, &size);
    if (size > (size_t)zf__limit(L->ctx, ZF_LIMIT_REGEX_SIZE)) {
        pcre2_code_free(re);
        *err_off = 0;
        *code = ZF_ELIMIT;
        snprintf(msg, msg_size, "compiled pattern is %zu bytes, over the "
                 "limit of %ld", size, zf__limit(L->ctx, ZF_LIMIT_REGEX_SIZE));
        return NULL;
    }
    if (vec_push(L, &L->regexes, re)) {
        pcre2_code_free(re);
        *code = ZF_ENOMEM;
        snprintf(msg, msg_size, "out of memory");
        return NULL;
    }
    /* JIT may be unavailable (hardened kernels): the interpreter is the
     * fallback, with the same limits. */
    if (pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) < 0)
        zf__log(L->ctx, ZF_LOG_INFO, "PCRE2 JIT unavailable; interpreting");
    return re;
}

static void *
expr_regex_cb(void *ud, const char *pattern, size_t len, size_t *err_offset,
              char *msg, size_t msg_size)
{
    zf_status code;

    return compile_regex(ud, pattern, len, 0, err_offset, msg, msg_size,
                         &code);
}

/* Column of byte `off` of a scalar's value, in the source. Plain and
 * quoted scalars are walked in the source text so escapes ('' in single
 * quotes, \x in double quotes) count as what they are. When the offset
 * lies on a later line of a multi-line scalar, or in a block scalar (whose
 * text starts on the next line), the scalar's own column is given: a
 * column is never past the end of the line. */
static unsigned
scalar_column(const struct zf__ynode *n, size_t off)
{
    const char *r = n->raw;
    size_t consumed = 0;
    unsigned col;
    char q;

    if (off > n->len)
        off = n->len;
    if (!r)
        return n->column;
    q = n->plain ? 0 : r[0];
    if (!n->plain && q != '\'' && q != '"')
        return n->column;
    col = n->column;
    if (q) {
        r++;
        col++;
    }
    /* stop at the end of the line: CR and LF, and NEL, LS, PS (the YAML
     * line breaks libyaml counts) */
    while (consumed < off && *r && *r != '\n' && *r != '\r' &&
           !((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0x85) &&
           !((unsigned char)r[0] == 0xE2 && (unsigned char)r[1] == 0x80 &&
             ((unsigned char)r[2] == 0xA8 || (unsigned char)r[2] == 0xA9))) {
        size_t k = 1;
        if (q == '\'' && r[0] == '\'' && r[1] == '\'') {
            r += 2;          /* '' is one quote */
            col += 2;
            consumed += 1;
            continue;
        }
        if (q == '"' && r[0] == '\\' && r[1]) {
            r += 2;          /* a simple escape: one character */
            col += 2;
            consumed += 1;
            continue;
        }
        if ((unsigned char)*r >= 0x80) {
            uint32_t cp;
            k = zf__utf8_decode(r, 4, &cp);
            if (!k)
                k = 1;
        }
        r += k;
        col += 1;
        consumed += k;
    }
    if (consumed < off)  /* left the line */
        return n->column;
    return col;
}

static zf_status
get_pattern(struct loader *L, const struct zf__ynode *n,
            struct zf__pattern *pat)
{
    char msg[256];
    size_t off, lo[ZF__PF_MAX], ll[ZF__PF_MAX], nl, k;
    zf_status code;
    const char *s;
    zf_status rc = get_str(L, n, "pattern", &s);

    if (rc)
        return rc;
    pat->code = compile_regex(L, s, n->len, PCRE2_CASELESS, &off, msg,
                              sizeof(msg), &code);
    if (!pat->code) {
        if (code == ZF_ENOMEM)
            return nomem(L);
        rc = err_at(L, n, code,
                    code == ZF_ELIMIT ? ZF_DIAG_LIMIT_PATTERN : ZF_DIAG_REGEX,
                    "bad pattern: %s", msg);
        if (L->err)
            L->err->column = scalar_column(n, off);
        return rc;
    }
    pat->src = s;
    pat->line = n->line;
    pat->column = n->column;
    nl = zf__pf_analyze(s, n->len, lo, ll);
    if (nl) {
        struct zf__pf_lit *lits = ZF_ARENA_NEWN(L->arena, struct zf__pf_lit,
                                                nl);
        if (!lits)
            return nomem(L);
        for (k = 0; k < nl; k++) {
            lits[k].s = s + lo[k];   /* the pattern text lives in the arena */
            lits[k].len = (uint32_t)ll[k];
            lits[k].mask = zf__cp_mask(s + lo[k], ll[k]);
        }
        pat->lits = lits;
        pat->n_lits = nl;
    }
    return ZF_OK;
}

static zf_status
pattern_elem(struct loader *L, const struct zf__ynode *n, const char *what,
             void *elem)
{
    (void)what;
    return get_pattern(L, n, elem);
}

static zf_status
get_patterns(struct loader *L, const struct zf__ynode *n, const char *what,
             const struct zf__pattern **out, size_t *count)
{
    void *v = NULL;
    zf_status rc = get_list(L, n, what, sizeof(struct zf__pattern),
                            _Alignof(struct zf__pattern), pattern_elem, &v,
                            count);

    *out = v;
    return rc;
}

/* ------------------------------------------------------------------ */
/* items and domains */

static const char *const type_names[] = {"bool", "int", "money", "string",
                                         "date", "enum"};
static const enum zf__type type_values[] = {
    ZF_TYPE_BOOL, ZF_TYPE_INT, ZF_TYPE_MONEY, ZF_TYPE_STRING, ZF_TYPE_DATE,
    ZF_TYPE_ENUM};

static zf_status
get_facts(struct loader *L, const struct zf__ynode *n, struct zf__item *it)
{
    static const char *const keys[] = {"type", "label", "min", "max",
                                       "values", NULL};
    struct zf__fact *facts;
    struct zf__fact_bounds *bounds;
    size_t i, j;
    zf_status rc;

    if (n->kind != ZF_Y_MAP)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "facts must map fact names to declarations");
    if (n->n > ZF__MAX_ITEM_FACTS)
        return err_at(L, n, ZF_ELIMIT, ZF_DIAG_LIMIT_COUNT,
                      "an item may declare at most %d facts",
                      ZF__MAX_ITEM_FACTS);
    if (!n->n)
        return ZF_OK;
    facts = ZF_ARENA_NEWN(L->arena, struct zf__fact, n->n);
    bounds = ZF_ARENA_NEWN(L->arena, struct zf__fact_bounds, n->n);
    if (!facts || !bounds)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *key = n->pairs[i].key, *v[6];
        const char *name = key->str;
        int t;

        if (!(name[0] >= 'a' && name[0] <= 'z') && name[0] != '_')
            goto badname;
        for (j = 0; name[j]; j++)
            if (!((name[j] >= 'a' && name[j] <= 'z') || name[j] == '_' ||
                  (name[j] >= '0' && name[j] <= '9')))
                goto badname;
        for (j = 0; j < ZF__N_BUILTINS; j++)
            if (strcmp(name, zf__builtins[j].name) == 0)
                return err_at(L, key, ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "fact '%s' would hide the built-in fact of "
                              "the same name", name);
        if ((rc = fields(L, n->pairs[i].value, "fact", keys, v)) ||
            (rc = need(L, n->pairs[i].value, v[0], "type", "fact")) ||
            (rc = get_enum(L, v[0], "fact type", type_names, 6, &t)))
            return rc;
        facts[i].name = name;
        facts[i].type = type_values[t];
        facts[i].slot = (uint16_t)(ZF__N_BUILTINS + i);
        if (v[1] && (rc = get_str(L, v[1], "label", &facts[i].label)))
            return rc;
        if ((v[2] || v[3]) && facts[i].type != ZF_TYPE_INT &&
            facts[i].type != ZF_TYPE_MONEY)
            return err_at(L, v[2] ? v[2] : v[3], ZF_ESCHEMA,
                          ZF_DIAG_BAD_VALUE,
                          "min/max apply to int and money facts only");
        if (v[2]) {
            bounds[i].has_min = true;
            if ((rc = get_int(L, v[2], "min", -MONEY_MAX, MONEY_MAX,
                              &bounds[i].min)))
                return rc;
        }
        if (v[3]) {
            bounds[i].has_max = true;
            if ((rc = get_int(L, v[3], "max", -MONEY_MAX, MONEY_MAX,
                              &bounds[i].max)))
                return rc;
        }
        if (facts[i].type == ZF_TYPE_ENUM) {
            if ((rc = need(L, n->pairs[i].value, v[4], "values",
                           "enum fact")) ||
                (rc = get_str_list(L, v[4], "values",
                                   &facts[i].enum_values,
                                   &facts[i].n_enum_values)))
                return rc;
            if (!facts[i].n_enum_values)
                return err_at(L, v[4], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                              "an enum needs at least one value");
        } else if (v[4]) {
            return err_at(L, v[4], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "'values' applies to enum facts only");
        }
        continue;
badname:
        return err_at(L, key, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                      "fact name '%s' must match [a-z_][a-z0-9_]*", name);
    }
    it->facts = facts;
    it->bounds = bounds;
    it->n_facts = n->n;
    return ZF_OK;
}

static zf_status
get_expr(struct loader *L, const struct zf__ynode *n,
         const struct zf__item *it, enum zf__type want,
         const struct zf__expr **out)
{
    struct zf__schema schema = {it ? it->facts : NULL, it ? it->n_facts : 0,
                                zf__builtins, ZF__N_BUILTINS};
    struct zf__expr_env env;
    struct zf__expr_diag d;
    zf_status rc;

    if (n->kind != ZF_Y_SCALAR || plain_reserved(n))
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_WRONG_TYPE,
                      "a condition must be an expression string");
    memset(&env, 0, sizeof(env));
    env.ctx = L->ctx;
    env.arena = L->arena;
    env.schema = &schema;
    env.max_depth = (unsigned)zf__limit(L->ctx, ZF_LIMIT_EXPR_DEPTH);
    env.compile_regex = expr_regex_cb;
    env.regex_ud = L;
    memset(&d, 0, sizeof(d));
    rc = zf__expr_compile(out, &env, n->str, n->len, want, &d);
    if (rc == ZF_OK)
        return ZF_OK;
    if (rc == ZF_ENOMEM)
        return nomem(L);
    rc = err_at(L, n, rc, d.diag, "%s", d.message);
    if (L->err)
        L->err->column = scalar_column(n, d.offset);
    return rc;
}

/* A citation for rule data: a legal reference rendered to Chinese. */
static zf_status
get_cite(struct loader *L, const struct zf__ynode *n, const char **out)
{
    struct zf__ref r;
    zf_status rc = get_ref(L, n, "cite", &r, NULL);

    if (!rc)
        *out = r.cite;
    return rc;
}

static zf_status
get_consequences(struct loader *L, const struct zf__ynode *n,
                 const struct zf__item *it, bool item_level,
                 const struct zf__consequence **out, size_t *count)
{
    static const char *const keys[] = {"flag", "when", "cite", "reason",
                                       "note", NULL};
    struct zf__consequence *c;
    size_t i;
    zf_status rc = get_seq(L, n, item_level ? "referrals" : "consequences");

    if (rc || !n->n)
        return rc;
    c = ZF_ARENA_NEWN(L->arena, struct zf__consequence, n->n);
    if (!c)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[6];
        const char *note;
        if ((rc = fields(L, n->items[i], item_level ? "referral"
                                                    : "consequence",
                         keys, v)) ||
            (rc = need(L, n->items[i], v[2], "cite", "consequence")) ||
            (rc = get_cite(L, v[2], &c[i].cite)) ||
            (v[1] && (rc = get_expr(L, v[1], it, ZF_TYPE_BOOL,
                                    &c[i].when))) ||
            (v[3] && (rc = get_str(L, v[3], "reason", &c[i].reason))) ||
            (v[4] && (rc = get_str(L, v[4], "note", &note))))
            return rc;
        c[i].flag = ZF_CONS_CRIMINAL_REFERRAL;
        if (v[0] && (rc = get_enum(L, v[0], "flag", zf__cons_names,
                                   ZF_CONS_COUNT_, &c[i].flag)))
            return rc;
        if (!v[0] && !item_level)
            return need(L, n->items[i], NULL, "flag", "consequence");
        c[i].file = L->cur->src;
        c[i].line = n->items[i]->line;
    }
    *out = c;
    *count = n->n;
    return ZF_OK;
}

static zf_status
get_triggers(struct loader *L, const struct zf__ynode *n, uint32_t *out)
{
    static const char *const names[] = {"hearing", "mitigated",
                                        "major_hazard", "closure_request",
                                        "maximum"};
    size_t i;
    int k;
    zf_status rc = get_seq(L, n, "procedure triggers");

    if (rc)
        return rc;
    *out = 0;
    for (i = 0; i < n->n; i++) {
        if ((rc = get_enum(L, n->items[i], "trigger", names, 5, &k)))
            return rc;
        *out |= 1u << k;
    }
    return ZF_OK;
}

static zf_status
get_discretion(struct loader *L, const struct zf__ynode *n,
               struct zf__item *it)
{
    static const char *const keys[] = {"when", "tier", "reason", NULL};
    struct zf__disc_row *rows;
    size_t i;
    zf_status rc = get_seq(L, n, "discretion");

    if (rc)
        return rc;
    if (!n->n)
        return ZF_OK;
    rows = ZF_ARENA_NEWN(L->arena, struct zf__disc_row, n->n);
    if (!rows)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[4];
        int t;

        if ((rc = fields(L, n->items[i], "discretion row", keys, v)) ||
            (rc = need(L, n->items[i], v[1], "tier", "discretion row")) ||
            (rc = get_enum(L, v[1], "tier", zf__tier_names, 3, &t)))
            return rc;
        rows[i].tier = (enum zf__tier)t;
        rows[i].line = n->items[i]->line;
        if (v[0] && (rc = get_expr(L, v[0], it, ZF_TYPE_BOOL,
                                   &rows[i].when)))
            return rc;
        if (!v[0] && i + 1 < n->n)
            return err_at(L, n->items[i], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "a row without 'when' always matches; it must be "
                          "the last row");
        if (v[2] && (rc = get_str(L, v[2], "reason", &rows[i].reason)))
            return rc;
    }
    it->rows = rows;
    it->n_rows = n->n;
    return ZF_OK;
}

/* accident_grade: rows { when, grade, reason } deciding the accident grade
 * from the item's facts when the case does not give it (the thresholds are
 * data: 生产安全事故报告和调查处理条例第三条). */
static zf_status
get_grade_rows(struct loader *L, const struct zf__ynode *n,
               struct zf__item *it)
{
    static const char *const keys[] = {"when", "grade", "reason", NULL};
    struct zf__grade_row *rows;
    size_t i;
    zf_status rc = get_seq(L, n, "accident_grade");

    if (rc)
        return rc;
    if (!n->n)
        return ZF_OK;
    rows = ZF_ARENA_NEWN(L->arena, struct zf__grade_row, n->n);
    if (!rows)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[4];
        int g;

        if ((rc = fields(L, n->items[i], "accident_grade row", keys, v)) ||
            (rc = need(L, n->items[i], v[1], "grade",
                       "accident_grade row")) ||
            (rc = get_enum(L, v[1], "grade", zf__accident_names,
                           ZF_ACC_COUNT_, &g)))
            return rc;
        if (g <= ZF_ACC_NONE)
            return err_at(L, v[1], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "an accident_grade row names a grade (general, "
                          "larger, major, especially_major)");
        rows[i].grade = g;
        rows[i].line = n->items[i]->line;
        if (v[0] && (rc = get_expr(L, v[0], it, ZF_TYPE_BOOL,
                                   &rows[i].when)))
            return rc;
        if (!v[0] && i + 1 < n->n)
            return err_at(L, n->items[i], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "a row without 'when' always matches; it must be "
                          "the last row");
        if (v[2] && (rc = get_str(L, v[2], "reason", &rows[i].reason)))
            return rc;
    }
    it->grade_rows = rows;
    it->n_grade_rows = n->n;
    return ZF_OK;
}

static const struct zf__provision *
find_provision(struct loader *L, const char *key)
{
    size_t i;

    for (i = 0; i < L->provisions.n; i++) {
        const struct zf__provision *p = L->provisions.v[i];
        if (strcmp(p->id, key) == 0)
            return p;
    }
    return NULL;
}

static zf_status
load_item(struct loader *L, const struct zf__domain *dom,
          const struct zf__ynode *n, struct zf__item **out)
{
    static const char *const keys[] = {
        "id", "title", "conduct", "violates", "penalty", "major_hazard",
        "must_check", "tags", "priority", "patterns", "exclude", "facts",
        "discretion", "default_tier", "verified", "note", "referrals",
        "accident_grade", "old_penalty", NULL};
    enum { ID, TITLE, CONDUCT, VIOLATES, PENALTY, MH, MUST, TAGS, PRIO, PATS,
           EXCL, FACTS, DISC, DEFT, VERIF, NOTE, REFS, GRADE, OLDPEN };
    const struct zf__ynode *v[20];
    struct zf__item *it;
    struct parsed_ref pr;
    struct zf__ref pref;
    int64_t prio = 0;
    int t;
    zf_status rc = fields(L, n, "item", keys, v);

    if (rc || (rc = need(L, n, v[ID], "id", "item")) ||
        (rc = need(L, n, v[TITLE], "title", "item")) ||
        (rc = need(L, n, v[CONDUCT], "conduct", "item")) ||
        (rc = need(L, n, v[VIOLATES], "violates", "item")) ||
        (rc = need(L, n, v[PENALTY], "penalty", "item")))
        return rc;
    it = ZF_ARENA_NEW(L->arena, struct zf__item);
    if (!it)
        return nomem(L);
    it->domain = dom;
    it->file = L->cur->src;
    it->line = n->line;
    it->column = n->column;
    it->default_tier = ZF_TIER_NORMAL;
    it->index = L->items.n;
    if ((rc = get_id(L, v[ID], "item id", &it->id)) ||
        (rc = get_str(L, v[TITLE], "title", &it->title)) ||
        (rc = get_str(L, v[CONDUCT], "conduct", &it->conduct)) ||
        (rc = get_ref_list(L, v[VIOLATES], "violates", &it->violates,
                           &it->n_violates)) ||
        (rc = get_ref(L, v[PENALTY], "penalty", &pref, &pr)))
        return rc;
    it->provision = find_provision(L, pr.key);
    if (!it->provision && pr.para) {
        /* aqsc:103.2 may be written for a provision on the whole article */
        char key[96];
        snprintf(key, sizeof(key), "%s:%u", pr.law, pr.article);
        it->provision = find_provision(L, key);
    }
    if (!it->provision)
        return err_at(L, v[PENALTY], ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                      "penalty '%s' names no provision (no '%s' in law '%s')",
                      pref.ref, pr.key, pr.law);
    it->clause = (int)pr.item;
    if (pr.item && it->provision->clauses &&
        (int)pr.item > it->provision->clauses)
        return err_at(L, v[PENALTY], ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                      "penalty '%s': provision %s has only %d clauses (项)",
                      pref.ref, it->provision->id, it->provision->clauses);
    it->basis = pref.cite;
    if (v[OLDPEN]) {
        /* the earlier texts did not cover this conduct (mapped by conduct,
         * not by 项 number): an act before the current text has no basis */
        if (!plain_is(v[OLDPEN], "none"))
            return err_at(L, v[OLDPEN], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "old_penalty supports only 'none' (the earlier "
                          "texts did not cover the conduct)");
        it->old_none = true;
    }
    if (v[MH] && (rc = get_ref_list(L, v[MH], "major_hazard", &it->hazards,
                                    &it->n_hazards)))
        return rc;
    if ((v[MUST] && (rc = get_bool(L, v[MUST], "must_check",
                                   &it->must_check))) ||
        (v[TAGS] && (rc = get_str_list(L, v[TAGS], "tags", &it->tags,
                                       &it->n_tags))) ||
        (v[PRIO] && (rc = get_int(L, v[PRIO], "priority", -1000, 1000,
                                  &prio))) ||
        (v[PATS] && (rc = get_patterns(L, v[PATS], "patterns",
                                       &it->patterns, &it->n_patterns))) ||
        (v[EXCL] && (rc = get_patterns(L, v[EXCL], "exclude", &it->excludes,
                                       &it->n_excludes))) ||
        (v[FACTS] && (rc = get_facts(L, v[FACTS], it))) ||
        (v[DISC] && (rc = get_discretion(L, v[DISC], it))) ||
        (v[GRADE] && (rc = get_grade_rows(L, v[GRADE], it))) ||
        (v[VERIF] && (rc = get_str(L, v[VERIF], "verified",
                                   &it->verified))) ||
        (v[NOTE] && (rc = get_str(L, v[NOTE], "note", &it->note))) ||
        (v[REFS] && (rc = get_consequences(L, v[REFS], it, true,
                                           &it->referrals,
                                           &it->n_referrals))))
        return rc;
    it->priority = (int)prio;
    {
        uint32_t tmp[512];
        size_t nb = zf__bigrams(it->title, strlen(it->title), tmp, 256);
        uint32_t *bg;
        nb += zf__bigrams(it->conduct, strlen(it->conduct), tmp + nb, 256);
        /* merge the two sorted runs by re-sorting (small) */
        nb = zf__bigrams_merge(tmp, nb);
        bg = ZF_ARENA_NEWN(L->arena, uint32_t, nb ? nb : 1);
        if (!bg)
            return nomem(L);
        memcpy(bg, tmp, nb * sizeof(*bg));
        it->bigrams = bg;
        it->n_bigrams = nb;
    }
    if (v[DEFT]) {
        if ((rc = get_enum(L, v[DEFT], "default_tier", zf__tier_names, 3,
                           &t)))
            return rc;
        it->default_tier = (enum zf__tier)t;
    }
    *out = it;
    return vec_push(L, &L->items, it);
}

static zf_status
load_domain(struct loader *L, const struct zf__ynode *n)
{
    static const char *const keys[] = {"id", "name", "aliases", "common",
                                       "items", "note", NULL};
    const struct zf__ynode *v[7];
    struct zf__domain *d;
    const struct zf__item **items = NULL;
    const char *note;
    size_t i;
    zf_status rc = fields(L, n, "domain", keys, v);

    if (rc || (rc = need(L, n, v[0], "id", "domain")) ||
        (rc = need(L, n, v[1], "name", "domain")) ||
        (rc = need(L, n, v[4], "items", "domain")))
        return rc;
    d = ZF_ARENA_NEW(L->arena, struct zf__domain);
    if (!d)
        return nomem(L);
    d->file = L->cur->src;
    d->line = n->line;
    d->index = L->domains.n;
    if ((rc = get_id(L, v[0], "domain id", &d->id)) ||
        (rc = get_str(L, v[1], "name", &d->name)) ||
        (v[2] && (rc = get_str_list(L, v[2], "aliases", &d->aliases,
                                    &d->n_aliases))) ||
        (v[3] && (rc = get_bool(L, v[3], "common", &d->common))) ||
        (v[5] && (rc = get_str(L, v[5], "note", &note))) ||
        (rc = get_seq(L, v[4], "items")))
        return rc;
    for (i = 0; i < L->domains.n; i++) {
        const struct zf__domain *o = L->domains.v[i];
        size_t a;
        if (strcmp(o->id, d->id) == 0 || strcmp(o->name, d->name) == 0)
            return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                          "domain '%s' (%s) is defined twice", d->id,
                          d->name);
        for (a = 0; a < d->n_aliases; a++) {
            size_t b;
            bool clash = strcmp(o->id, d->aliases[a]) == 0 ||
                         strcmp(o->name, d->aliases[a]) == 0;
            for (b = 0; !clash && b < o->n_aliases; b++)
                clash = strcmp(o->aliases[b], d->aliases[a]) == 0;
            if (clash)
                return err_at(L, v[2], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "alias '%s' names another domain",
                              d->aliases[a]);
        }
        for (a = 0; a < o->n_aliases; a++)
            if (strcmp(o->aliases[a], d->id) == 0 ||
                strcmp(o->aliases[a], d->name) == 0)
                return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "domain '%s' (%s) is another domain's alias",
                              d->id, d->name);
    }
    if (v[4]->n) {
        items = ZF_ARENA_NEWN(L->arena, const struct zf__item *, v[4]->n);
        if (!items)
            return nomem(L);
    }
    if ((size_t)zf__limit(L->ctx, ZF_LIMIT_RULES) < L->items.n + v[4]->n)
        return err_at(L, v[4], ZF_ELIMIT, ZF_DIAG_LIMIT_COUNT,
                      "more than %ld items in the rule set",
                      zf__limit(L->ctx, ZF_LIMIT_RULES));
    for (i = 0; i < v[4]->n; i++) {
        struct zf__item *it = NULL;
        if ((rc = load_item(L, d, v[4]->items[i], &it))) {
            /* name the item the error is in, when it has an id */
            const struct zf__ynode *in = v[4]->items[i];
            size_t k;
            for (k = 0; in->kind == ZF_Y_MAP && k < in->n; k++)
                if (strcmp(in->pairs[k].key->str, "id") == 0 &&
                    in->pairs[k].value->kind == ZF_Y_SCALAR)
                    zf__error_rule(L->err, in->pairs[k].value->str);
            return rc;
        }
        items[i] = it;
    }
    d->items = items;
    d->n_items = v[4]->n;
    return vec_push(L, &L->domains, d);
}

/* ------------------------------------------------------------------ */
/* profiles */

static zf_status
get_bands(struct loader *L, const struct zf__ynode *n, int32_t b[3][2])
{
    static const char *const keys[] = {"lighter", "normal", "heavier", NULL};
    const struct zf__ynode *v[4];
    int t;
    zf_status rc = fields(L, n, "tier bands", keys, v);

    if (rc)
        return rc;
    for (t = 0; t < 3; t++) {
        if ((rc = need(L, n, v[t], keys[t], "tier bands")) ||
            (rc = get_pair(L, v[t], keys[t], 0, 100, &b[t][0], &b[t][1])))
            return rc;
    }
    return ZF_OK;
}


static zf_status
get_factors(struct loader *L, const struct zf__ynode *n,
            struct zf__profile *p)
{
    static const char *const keys[] = {"id", "label", "effect", "when",
                                       "cite", "note", "mandatory", NULL};
    static const char *const effects[] = {"lighter", "heavier"};
    struct zf__factor *f;
    size_t i, j;
    zf_status rc = get_seq(L, n, "factors");

    if (rc || !n->n)
        return rc;
    f = ZF_ARENA_NEWN(L->arena, struct zf__factor, n->n);
    if (!f)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[8];
        const char *note;
        if ((rc = fields(L, n->items[i], "factor", keys, v)) ||
            (v[6] && (rc = get_bool(L, v[6], "mandatory", &f[i].mandatory))) ||
            (v[5] && (rc = get_str(L, v[5], "note", &note))) ||
            (rc = need(L, n->items[i], v[0], "id", "factor")) ||
            (rc = need(L, n->items[i], v[1], "label", "factor")) ||
            (rc = need(L, n->items[i], v[2], "effect", "factor")) ||
            (rc = need(L, n->items[i], v[3], "when", "factor")) ||
            (rc = get_id(L, v[0], "factor id", &f[i].id)) ||
            (rc = get_str(L, v[1], "label", &f[i].label)) ||
            (rc = get_enum(L, v[2], "effect", effects, 2, &f[i].effect)) ||
            (rc = get_expr(L, v[3], NULL, ZF_TYPE_BOOL, &f[i].when)) ||
            (v[4] && (rc = get_cite(L, v[4], &f[i].cite))))
            return rc;
        f[i].line = n->items[i]->line;
        if (f[i].mandatory && f[i].effect)
            return err_at(L, v[6], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                          "only a lighter factor can be mandatory "
                          "(行政处罚法第三十二条)");
        for (j = 0; j < i; j++)
            if (strcmp(f[j].id, f[i].id) == 0)
                return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "factor '%s' is defined twice", f[i].id);
    }
    p->factors = f;
    p->n_factors = n->n;
    return ZF_OK;
}

static zf_status
get_mitigation(struct loader *L, const struct zf__ynode *n,
               struct zf__profile *p)
{
    static const char *const keys[] = {"lighter_factors", "band", "cite",
                                       "note", NULL};
    const struct zf__ynode *v[5];
    const char *note;
    int64_t at;
    zf_status rc = fields(L, n, "mitigation", keys, v);

    if (rc || (rc = need(L, n, v[0], "lighter_factors", "mitigation")) ||
        (rc = need(L, n, v[1], "band", "mitigation")) ||
        (rc = get_int(L, v[0], "lighter_factors", 1, 100, &at)) ||
        (rc = get_pair(L, v[1], "band", 0, 99, &p->mitigated[0],
                       &p->mitigated[1])) ||
        (v[2] && (rc = get_cite(L, v[2], &p->mitigate_cite))) ||
        (v[3] && (rc = get_str(L, v[3], "note", &note))))
        return rc;
    p->mitigate_at = (int)at;
    return ZF_OK;
}

static zf_status
get_itemlist(struct loader *L, const struct zf__ynode *n, const char *what,
             struct zf__itemlist *out)
{
    static const char *const keys[] = {"items", "tags", "cite", "note", NULL};
    const struct zf__ynode *v[5];
    zf_status rc = fields(L, n, what, keys, v);

    if (rc)
        return rc;
    out->line = n->line;
    if (v[0]) {
        if (v[0]->kind == ZF_Y_SCALAR && !v[0]->plain &&
            strcmp(v[0]->str, "*") == 0)
            out->all = true;
        else if ((rc = get_str_list(L, v[0], "items", &out->ids,
                                    &out->n_ids)))
            return rc;
    }
    if ((v[1] && (rc = get_str_list(L, v[1], "tags", &out->tags,
                                    &out->n_tags))) ||
        (v[2] && (rc = get_cite(L, v[2], &out->cite))) ||
        (v[3] && (rc = get_str(L, v[3], "note", &out->note))))
        return rc;
    return ZF_OK;
}

static zf_status
get_exemptions(struct loader *L, const struct zf__ynode *n,
               struct zf__profile *p)
{
    static const char *const keys[] = {"minor", "first_offence", "no_fault",
                                       NULL};
    const struct zf__ynode *v[4];
    zf_status rc = fields(L, n, "exemptions", keys, v);

    if (rc || (v[0] && (rc = get_itemlist(L, v[0], "minor",
                                          &p->minor_exempt))) ||
        (v[1] && (rc = get_itemlist(L, v[1], "first_offence",
                                    &p->first_offence))) ||
        (v[2] && (rc = get_itemlist(L, v[2], "no_fault", &p->no_fault))))
        return rc;
    return ZF_OK;
}

static zf_status
get_limitation(struct loader *L, const struct zf__ynode *n,
               struct zf__profile *p)
{
    static const char *const keys[] = {"years", "extended_years",
                                       "extended_when", "cite", "note", NULL};
    const struct zf__ynode *v[6];
    const char *note;
    int64_t y = 0, ey = 0;
    zf_status rc = fields(L, n, "limitation", keys, v);

    if (rc || (rc = need(L, n, v[0], "years", "limitation")) ||
        (rc = get_int(L, v[0], "years", 1, 100, &y)) ||
        (v[1] && (rc = get_int(L, v[1], "extended_years", 1, 100, &ey))) ||
        (v[2] && (rc = get_expr(L, v[2], NULL, ZF_TYPE_BOOL,
                                &p->lim_ext_when))) ||
        (v[3] && (rc = get_cite(L, v[3], &p->lim_cite))) ||
        (v[4] && (rc = get_str(L, v[4], "note", &note))))
        return rc;
    if (!v[1] != !v[2])
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "'extended_years' and 'extended_when' go together");
    p->lim_years = (int)y;
    p->lim_ext_years = (int)ey;
    return ZF_OK;
}

static zf_status
get_elements(struct loader *L, const struct zf__ynode *n,
             struct zf__profile *p)
{
    static const char *const keys[] = {"id", "label", "levels", NULL};
    static const char *const lkeys[] = {"when", "percent", "label", NULL};
    struct zf__element *e;
    size_t i, j;
    zf_status rc = get_seq(L, n, "elements");

    if (rc || !n->n)
        return rc;
    e = ZF_ARENA_NEWN(L->arena, struct zf__element, n->n);
    if (!e)
        return nomem(L);
    for (i = 0; i < n->n; i++) {
        const struct zf__ynode *v[4];
        struct zf__level *lv;

        if ((rc = fields(L, n->items[i], "element", keys, v)) ||
            (rc = need(L, n->items[i], v[0], "id", "element")) ||
            (rc = need(L, n->items[i], v[1], "label", "element")) ||
            (rc = need(L, n->items[i], v[2], "levels", "element")) ||
            (rc = get_id(L, v[0], "element id", &e[i].id)) ||
            (rc = get_str(L, v[1], "label", &e[i].label)) ||
            (rc = get_seq(L, v[2], "levels")))
            return rc;
        e[i].line = n->items[i]->line;
        if (!v[2]->n)
            return err_at(L, v[2], ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                          "an element needs at least one level");
        lv = ZF_ARENA_NEWN(L->arena, struct zf__level, v[2]->n);
        if (!lv)
            return nomem(L);
        for (j = 0; j < v[2]->n; j++) {
            const struct zf__ynode *w[4], *ln = v[2]->items[j];
            int32_t lo, hi;
            if ((rc = fields(L, ln, "level", lkeys, w)) ||
                (rc = need(L, ln, w[1], "percent", "level")) ||
                (rc = get_pair(L, w[1], "percent", 0, 100, &lo, &hi)) ||
                (w[0] && (rc = get_expr(L, w[0], NULL, ZF_TYPE_BOOL,
                                        &lv[j].when))) ||
                (w[2] && (rc = get_str(L, w[2], "label", &lv[j].label))))
                return rc;
            if (lo != hi)
                return err_at(L, w[1], ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                              "a level's percent is one number");
            if (!w[0] && j + 1 < v[2]->n)
                return err_at(L, ln, ZF_ESCHEMA, ZF_DIAG_BAD_VALUE,
                              "a level without 'when' always applies; it "
                              "must be the last");
            lv[j].percent = lo;
            lv[j].line = ln->line;
        }
        e[i].levels = lv;
        e[i].n_levels = v[2]->n;
    }
    p->elements = e;
    p->n_elements = n->n;
    return ZF_OK;
}

static zf_status
load_profile(struct loader *L, const struct zf__ynode *n)
{
    static const char *const keys[] = {
        "id", "title", "policy", "note", "tiers", "recommend", "round_to",
        "procedure", "method", "factors", "mitigation", "exemptions",
        "maximum", "elements", "consequences", "limitation", "same_act",
        "match", NULL};
    static const char *const mkeys[] = {"min_score", "margin",
                                        "out_of_domain", NULL};
    static const char *const methods[] = {"bands", "additive"};
    static const char *const prkeys[] = {"summary_unit", "summary_person",
                                         "hearing_unit", "hearing_person",
                                         "legal_review", "collective",
                                         NULL};
    static const char *const tkeys[] = {"range", "upto", NULL};
    static const char *const rec[] = {"midpoint", "low", "high"};
    static const char *const policies[] = {"local", "national", "example"};
    const struct zf__ynode *v[19], *tv[3], *pv[7], *mv[4];
    struct zf__profile *p;
    size_t i;
    int k;
    zf_status rc = fields(L, n, "profile", keys, v);

    if (rc || (rc = need(L, n, v[0], "id", "profile")) ||
        (rc = need(L, n, v[1], "title", "profile")) ||
        (rc = need(L, n, v[4], "tiers", "profile")))
        return rc;
    p = ZF_ARENA_NEW(L->arena, struct zf__profile);
    if (!p)
        return nomem(L);
    p->file = L->cur->src;
    p->line = n->line;
    p->round_to = 1;
    p->policy = "local";
    /* 行政处罚法第五十一条: 公民200元以下、法人3000元以下; the 听证
     * thresholds are the common provincial figures (legal.md §3), which a
     * profile overrides */
    p->summary_unit = 3000;
    p->summary_person = 200;
    p->hearing_unit = 50000;
    p->hearing_person = 20000;
    p->legal_review_when = ZF_TRIG_HEARING | ZF_TRIG_MITIGATED;
    p->collective_when = ZF_TRIG_MITIGATED;
    /* recognition's decision rule (match.c; docs/matching.md) */
    p->match_min = ZF__MATCH_MIN_DEFAULT;
    p->match_margin = ZF__MATCH_MARGIN_DEFAULT;
    p->match_ood = ZF__MATCH_OOD_DEFAULT;
    if (v[17]) {
        int64_t *mdst[3] = {&p->match_min, &p->match_margin, &p->match_ood};
        if ((rc = fields(L, v[17], "match", mkeys, mv)))
            return rc;
        for (k = 0; k < 3; k++)
            if (mv[k] && (rc = get_int(L, mv[k], mkeys[k], 0, 100, mdst[k])))
                return rc;
    }
    if ((rc = get_id(L, v[0], "profile id", &p->id)) ||
        (rc = get_str(L, v[1], "title", &p->title)) ||
        (v[3] && (rc = get_str(L, v[3], "note", &p->note))) ||
        (rc = fields(L, v[4], "tiers", tkeys, tv)) ||
        (rc = need(L, v[4], tv[0], "range", "tiers")) ||
        (rc = need(L, v[4], tv[1], "upto", "tiers")) ||
        (rc = get_bands(L, tv[0], p->bands[0])) ||
        (rc = get_bands(L, tv[1], p->bands[1])))
        return rc;
    if (v[2]) {
        if ((rc = get_enum(L, v[2], "policy", policies, 3, &k)))
            return rc;
        p->policy = policies[k];
    }
    if (v[5]) {
        if ((rc = get_enum(L, v[5], "recommend", rec, 3, &k)))
            return rc;
        p->recommend = k;
    }
    if (v[6] && (rc = get_int(L, v[6], "round_to", 1, 1000000, &p->round_to)))
        return rc;
    if (v[7]) {
        int64_t *dst[4] = {&p->summary_unit, &p->summary_person,
                           &p->hearing_unit, &p->hearing_person};
        if ((rc = fields(L, v[7], "procedure", prkeys, pv)))
            return rc;
        for (k = 0; k < 4; k++)
            if (pv[k] && (rc = get_int(L, pv[k], prkeys[k], 0, MONEY_MAX,
                                       dst[k])))
                return rc;
        if ((pv[4] && (rc = get_triggers(L, pv[4], &p->legal_review_when))) ||
            (pv[5] && (rc = get_triggers(L, pv[5], &p->collective_when))))
            return rc;
    }
    if (v[8]) {
        if ((rc = get_enum(L, v[8], "method", methods, 2, &k)))
            return rc;
        p->method = k;
    }
    if ((v[9] && (rc = get_factors(L, v[9], p))) ||
        (v[10] && (rc = get_mitigation(L, v[10], p))) ||
        (v[11] && (rc = get_exemptions(L, v[11], p))) ||
        (v[12] && (rc = get_itemlist(L, v[12], "maximum", &p->maximum))) ||
        (v[13] && (rc = get_elements(L, v[13], p))) ||
        (v[14] && (rc = get_consequences(L, v[14], NULL, false,
                                         &p->consequences,
                                         &p->n_consequences))) ||
        (v[15] && (rc = get_limitation(L, v[15], p))) ||
        (v[16] && (rc = get_cite(L, v[16], &p->merge_cite))))
        return rc;
    if (p->method == 1 && !p->n_elements)
        return err_at(L, v[8], ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "the additive method needs 'elements'");
    for (i = 0; i < L->profiles.n; i++)
        if (strcmp(((const struct zf__profile *)L->profiles.v[i])->id,
                   p->id) == 0)
            return err_at(L, v[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                          "profile '%s' is defined twice", p->id);
    return vec_push(L, &L->profiles, p);
}

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
static zf_status
read_file(struct loader *L, const char *root, const char *rel,
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
        return nomem(L);
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
                return nomem(L);
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

static zf_status
add_file(struct loader *L, const char *rel, const char *buf, size_t len)
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
            return nomem(L);
        L->files = nf;
        L->cap_files = cap;
    }
    src = ZF_ARENA_NEW(L->arena, struct zf__source);
    if (!src)
        return nomem(L);
    name = L->root_name ? zf__arena_printf(L->arena, "%s/%s", L->root_name,
                                           rel)
                        : zf__arena_strdup(L->arena, rel);
    if (!name)
        return nomem(L);
    src->name = name;
    f = &L->files[L->n_files];
    memset(f, 0, sizeof(*f));
    f->src = src;
    f->rel = zf__arena_strdup(L->arena, rel);
    if (!f->rel)
        return nomem(L);
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
            return nomem(L);
        buf = copy;
    }
    rc = zf__yaml_parse(&root, L->ctx, &L->tmp, L->arena, buf, len, name,
                        L->err);
    if (rc)
        return rc;
    f->root = root;
    if ((rc = fields(L, root, "a rule file", sec_keys,
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

static zf_status
load_includes(struct loader *L, const struct file *manifest)
{
    const struct zf__ynode *inc = manifest->sec[SEC_INCLUDE];
    size_t i, j;
    zf_status rc;

    if (!inc)
        return ZF_OK;
    if ((rc = get_seq(L, inc, "include")))
        return rc;
    if (!L->root_dir)
        return err_at(L, inc, ZF_ESCHEMA, ZF_DIAG_INCLUDE,
                      "'include' is not available for a rule set compiled "
                      "from a buffer");
    for (i = 0; i < inc->n; i++) {
        const struct zf__ynode *n = inc->items[i];
        const char *rel;
        char *buf = NULL;
        size_t len = 0;

        L->cur = &L->files[0];
        if ((rc = get_str(L, n, "include", &rel)))
            return rc;
        if (!safe_rel(rel))
            return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_INCLUDE,
                          "include '%s' must be a relative path inside the "
                          "rule set (no '..', no absolute path)", rel);
        for (j = 0; j < L->n_files; j++)
            if (strcmp(L->files[j].rel, rel) == 0)
                return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_INCLUDE,
                              "'%s' is included twice", rel);
        rc = read_file(L, L->root_dir, rel, rel, &buf, &len);
        if (rc) {
            /* point at the include line */
            if (rc == ZF_EIO)
                zf__error_at(L->err, L->files[0].src->name, n->line,
                             n->column);
            return rc;
        }
        rc = add_file(L, rel, buf, len);
        zf__free(L->ctx, buf);
        if (rc)
            return rc;
        if (L->cur->sec[SEC_RULESET] || L->cur->sec[SEC_INCLUDE])
            return err_at(L, L->cur->sec[SEC_RULESET]
                                 ? L->cur->sec[SEC_RULESET]
                                 : L->cur->sec[SEC_INCLUDE],
                          ZF_ESCHEMA, ZF_DIAG_INCLUDE,
                          "only the manifest may have 'ruleset' or "
                          "'include'");
    }
    return ZF_OK;
}

static zf_status
load_manifest(struct loader *L, const char **profile_id,
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
        return err_at(L, f->root, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "the manifest needs a 'ruleset' section");
    if ((rc = fields(L, n, "ruleset", keys, v)) ||
        (rc = need(L, n, v[0], "id", "ruleset")) ||
        (rc = need(L, n, v[1], "version", "ruleset")) ||
        (rc = get_id(L, v[0], "ruleset id", &L->rs->id)) ||
        (rc = get_str(L, v[1], "version", &L->rs->version)) ||
        (v[2] && (rc = get_str(L, v[2], "title", &L->rs->title))) ||
        (v[3] && (rc = get_str(L, v[3], "jurisdiction",
                               &L->rs->jurisdiction))) ||
        (v[4] && (rc = get_id(L, v[4], "profile", profile_id))) ||
        (v[5] && (rc = get_str(L, v[5], "note", &note))))
        return rc;
    *profile_node = v[4];
    return ZF_OK;
}

static int
cmp_prov(const void *a, const void *b)
{
    return strcmp((*(const struct zf__provision *const *)a)->id,
                  (*(const struct zf__provision *const *)b)->id);
}

static int
cmp_item(const void *a, const void *b)
{
    return strcmp((*(const struct zf__item *const *)a)->id,
                  (*(const struct zf__item *const *)b)->id);
}

/* Report a duplicate at the later of the two definitions. */
static zf_status
dup_error(struct loader *L, const char *what, const char *id,
          const struct zf__source *fa, unsigned la, unsigned ca,
          const struct zf__source *fb, unsigned lb, unsigned cb)
{
    size_t ia = 0, ib = 0, i;
    const struct zf__source *f;
    unsigned line, col;

    for (i = 0; i < L->n_files; i++) {
        if (L->files[i].src == fa)
            ia = i;
        if (L->files[i].src == fb)
            ib = i;
    }
    if (ia > ib || (ia == ib && la > lb)) {
        f = fa;
        line = la;
        col = ca;
    } else {
        f = fb;
        line = lb;
        col = cb;
    }
    zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                  "%s '%s' is defined twice", what, id);
    zf__error_at(L->err, f->name, line, col ? col : 1);
    return ZF_ESCHEMA;
}

/* One flag per item: is it on the list (by id, by tag, or "*")? */
static zf_status index_domain_names(struct loader *L);

static zf_status
resolve_itemlist(struct loader *L, struct zf__itemlist *l)
{
    bool *m;
    size_t i, k, t;

    if (!l->all && !l->n_ids && !l->n_tags)
        return ZF_OK;
    m = ZF_ARENA_NEWN(L->arena, bool, L->items.n + 1);
    if (!m)
        return nomem(L);
    for (i = 0; i < L->items.n; i++) {
        const struct zf__item *it = L->items.v[i];
        bool on = l->all;
        for (k = 0; !on && k < l->n_ids; k++)
            on = strcmp(l->ids[k], it->id) == 0;
        for (k = 0; !on && k < l->n_tags; k++)
            for (t = 0; !on && t < it->n_tags; t++)
                on = strcmp(l->tags[k], it->tags[t]) == 0;
        m[it->index] = on;
    }
    l->member = m;
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* the enforcement plan (key items per domain) */

/*
 * plan:
 *   id: key-items
 *   title: ...
 *   method: how the key items were chosen
 *   domains:
 *     - { domain: general, items: [GEN-001, GEN-004] }
 *
 * Every domain of the rule set must be listed once with at least one key
 * item; every item must exist and be listed at most once per domain. An
 * item may be a key item of several domains (a 通用 item that is found most
 * often in one industry, say); the combined checklist merges it.
 */
static zf_status
load_plan(struct loader *L, const struct file *f)
{
    static const char *const keys[] = {"id", "title", "method", "note",
                                       "domains", NULL};
    static const char *const dkeys[] = {"domain", "items", NULL};
    const struct zf__ynode *n = f->sec[SEC_PLAN], *v[5];
    struct zf__plan *plan;
    struct zf__plan_domain *pd;
    bool *seen_item;
    size_t i, j, k;
    zf_status rc;

    L->cur = f;
    if (L->rs->plan)
        return err_at(L, n, ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                      "a rule set has at most one plan (another is in %s)",
                      L->rs->plan->file->name);
    plan = ZF_ARENA_NEW(L->arena, struct zf__plan);
    if (!plan)
        return nomem(L);
    plan->file = f->src;
    plan->line = n->line;
    if ((rc = fields(L, n, "plan", keys, v)) ||
        (rc = need(L, n, v[0], "id", "plan")) ||
        (rc = need(L, n, v[1], "title", "plan")) ||
        (rc = need(L, n, v[2], "method", "plan")) ||
        (rc = need(L, n, v[4], "domains", "plan")) ||
        (rc = get_id(L, v[0], "plan id", &plan->id)) ||
        (rc = get_str(L, v[1], "title", &plan->title)) ||
        (rc = get_str(L, v[2], "method", &plan->method)) ||
        (v[3] && (rc = get_str(L, v[3], "note", &plan->note))) ||
        (rc = get_seq(L, v[4], "plan domains")))
        return rc;
    pd = ZF_ARENA_NEWN(L->arena, struct zf__plan_domain, v[4]->n + 1);
    seen_item = ZF_ARENA_NEWN(&L->tmp, bool, L->rs->n_items + 1);
    if (!pd || !seen_item)
        return nomem(L);
    for (i = 0; i < v[4]->n; i++) {
        const struct zf__ynode *dn = v[4]->items[i], *dv[2];
        const struct zf__item **items;
        const char *name;

        if ((rc = fields(L, dn, "a plan domain", dkeys, dv)) ||
            (rc = need(L, dn, dv[0], "domain", "a plan domain")) ||
            (rc = need(L, dn, dv[1], "items", "a plan domain")) ||
            (rc = get_str(L, dv[0], "domain", &name)) ||
            (rc = get_seq(L, dv[1], "items")))
            return rc;
        pd[i].domain = zf__ruleset_find_domain(L->rs, name);
        if (!pd[i].domain)
            return err_at(L, dv[0], ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                          "plan names unknown domain '%s'", name);
        for (j = 0; j < i; j++)
            if (pd[j].domain == pd[i].domain)
                return err_at(L, dv[0], ZF_ESCHEMA, ZF_DIAG_DUPLICATE_ID,
                              "plan lists domain '%s' twice", name);
        if (dv[1]->n == 0)
            return err_at(L, dv[1], ZF_ESCHEMA, ZF_DIAG_EMPTY,
                          "plan domain '%s' has no key item", name);
        items = ZF_ARENA_NEWN(L->arena, const struct zf__item *, dv[1]->n);
        if (!items)
            return nomem(L);
        for (j = 0; j < dv[1]->n; j++) {
            const char *id;
            if ((rc = get_id(L, dv[1]->items[j], "item id", &id)))
                return rc;
            items[j] = zf__ruleset_find_item(L->rs, id);
            if (!items[j])
                return err_at(L, dv[1]->items[j], ZF_ESCHEMA,
                              ZF_DIAG_DANGLING_REF,
                              "plan names unknown item '%s'", id);
            for (k = 0; k < j; k++)
                if (items[k] == items[j])
                    return err_at(L, dv[1]->items[j], ZF_ESCHEMA,
                                  ZF_DIAG_DUPLICATE_ID,
                                  "plan lists item '%s' twice under '%s'",
                                  id, name);
            if (!seen_item[items[j]->index]) {
                seen_item[items[j]->index] = true;
                plan->n_key_items++;
            }
        }
        pd[i].items = items;
        pd[i].n_items = dv[1]->n;
    }
    for (k = 0; k < L->rs->n_domains; k++) {
        for (i = 0; i < v[4]->n; i++)
            if (pd[i].domain == L->rs->domains[k])
                break;
        if (i == v[4]->n)
            return err_at(L, v[4], ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                          "plan has no key item for domain '%s' (%s)",
                          L->rs->domains[k]->id, L->rs->domains[k]->name);
    }
    plan->domains = pd;
    plan->n_domains = v[4]->n;
    L->rs->plan = plan;
    return ZF_OK;
}

static zf_status
compile_all(struct loader *L)
{
    const char *profile_id = NULL;
    const struct zf__ynode *profile_node = NULL;
    size_t i, j;
    zf_status rc;
    zf_ruleset *rs = L->rs;

    if ((rc = load_manifest(L, &profile_id, &profile_node)) ||
        (rc = load_includes(L, &L->files[0])))
        return rc;
    /* pass 1: law headers */
    for (i = 0; i < L->n_files; i++) {
        const struct zf__ynode *laws = L->files[i].sec[SEC_LAWS];
        L->cur = &L->files[i];
        if (!laws)
            continue;
        if ((rc = get_seq(L, laws, "laws")))
            return rc;
        for (j = 0; j < laws->n; j++)
            if ((rc = load_law_header(L, laws->items[j])))
                return rc;
    }
    /* pass 2: provisions */
    {
        size_t k = 0;
        for (i = 0; i < L->n_files; i++) {
            const struct zf__ynode *laws = L->files[i].sec[SEC_LAWS];
            L->cur = &L->files[i];
            for (j = 0; laws && j < laws->n; j++, k++)
                if ((rc = load_law_provisions(L, laws->items[j],
                                              L->laws.v[k])))
                    return rc;
        }
    }
    if (L->provisions.n)  /* qsort's array may not be NULL, even for 0 */
        qsort(L->provisions.v, L->provisions.n, sizeof(void *), cmp_prov);
    for (i = 1; i < L->provisions.n; i++) {
        const struct zf__provision *a = L->provisions.v[i - 1],
                                   *b = L->provisions.v[i];
        if (strcmp(a->id, b->id) == 0)
            return dup_error(L, "provision", a->id, a->file, a->line,
                             a->column, b->file, b->line, b->column);
    }
    /* versions: link each earlier provision to the one that replaced it */
    for (i = 0; i < L->laws.n; i++) {
        struct zf__law *law = (struct zf__law *)L->laws.v[i];
        if (!law->superseded_by_id)
            continue;
        law->superseded_by = find_law(L, law->superseded_by_id);
        if (!law->superseded_by || law->superseded_by == law) {
            zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                          "law '%s' is superseded_by unknown law '%s'",
                          law->id, law->superseded_by_id);
            zf__error_at(L->err, law->file->name, law->line, 1);
            return ZF_ESCHEMA;
        }
    }
    for (i = 0; i < L->provisions.n; i++) {
        const struct zf__provision *old = L->provisions.v[i];
        struct zf__provision *target;
        struct parsed_ref pr;

        if (!old->maps_to_ref)
            continue;
        if (!parse_ref(old->maps_to_ref, &pr) || pr.item) {
            zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_BAD_REF,
                          "maps_to '%s' must name a provision, like "
                          "'aqsc:97'", old->maps_to_ref);
            zf__error_at(L->err, old->file->name, old->maps_to_line,
                         old->maps_to_column);
            return ZF_ESCHEMA;
        }
        target = (struct zf__provision *)find_provision(L, pr.key);
        if (!target || !old->law->superseded_by ||
            target->law != old->law->superseded_by || target->predecessor) {
            zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                          "maps_to '%s': %s", old->maps_to_ref,
                          !target ? "no such provision"
                          : target->predecessor
                              ? "another provision already maps to it"
                              : "it is not in the law named by this law's "
                                "superseded_by");
            zf__error_at(L->err, old->file->name, old->maps_to_line,
                         old->maps_to_column);
            return ZF_ESCHEMA;
        }
        target->predecessor = old;
    }

    /* profiles */
    for (i = 0; i < L->n_files; i++) {
        const struct zf__ynode *ps = L->files[i].sec[SEC_PROFILES];
        L->cur = &L->files[i];
        if (!ps)
            continue;
        if ((rc = get_seq(L, ps, "profiles")))
            return rc;
        for (j = 0; j < ps->n; j++)
            if ((rc = load_profile(L, ps->items[j])))
                return rc;
    }
    /* domains and items */
    for (i = 0; i < L->n_files; i++) {
        const struct zf__ynode *ds = L->files[i].sec[SEC_DOMAINS];
        L->cur = &L->files[i];
        if (!ds)
            continue;
        if ((rc = get_seq(L, ds, "domains")))
            return rc;
        for (j = 0; j < ds->n; j++)
            if ((rc = load_domain(L, ds->items[j])))
                return rc;
    }
    /* standards' applies_to must name domains */
    for (i = 0; i < L->laws.n; i++) {
        struct zf__law *law = (struct zf__law *)L->laws.v[i];
        uint16_t *idx = NULL;
        if (law->n_applies_to) {
            idx = ZF_ARENA_NEWN(L->arena, uint16_t, law->n_applies_to);
            if (!idx)
                return nomem(L);
            law->applies_idx = idx;
        }
        for (j = 0; j < law->n_applies_to; j++) {
            size_t d;
            for (d = 0; d < L->domains.n; d++)
                if (strcmp(((const struct zf__domain *)L->domains.v[d])->id,
                           law->applies_to[j]) == 0)
                    break;
            if (d < L->domains.n)
                idx[j] = (uint16_t)d;
            if (d == L->domains.n) {
                zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                              "applies_to names unknown domain '%s'",
                              law->applies_to[j]);
                {
                    /* point at the name itself */
                    const struct zf__ynode *ln = law->applies_node;
                    const struct zf__ynode *nn =
                        ln && j < ln->n ? ln->items[j] : NULL;
                    zf__error_at(L->err, law->file->name,
                                 nn ? nn->line : law->applies_line,
                                 nn ? nn->column : law->applies_column);
                }
                return ZF_ESCHEMA;
            }
        }
        law->applies_node = NULL;  /* the tree is freed after load */
    }
    /* profile item lists must name items; resolve them into flags */
    for (i = 0; i < L->profiles.n; i++) {
        struct zf__profile *pr = (struct zf__profile *)L->profiles.v[i];
        struct zf__itemlist *lists[4] = {&pr->minor_exempt,
                                         &pr->first_offence, &pr->maximum,
                                         &pr->no_fault};
        size_t li, k, m;
        for (li = 0; li < 4; li++) {
            if ((rc = resolve_itemlist(L, lists[li])))
                return rc;
            for (k = 0; k < lists[li]->n_ids; k++) {
                for (m = 0; m < L->items.n; m++)
                    if (strcmp(((const struct zf__item *)L->items.v[m])->id,
                               lists[li]->ids[k]) == 0)
                        break;
                if (m == L->items.n) {
                    zf__error_set(L->err, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                                  "profile '%s' lists unknown item '%s'",
                                  pr->id, lists[li]->ids[k]);
                    zf__error_at(L->err, pr->file->name, lists[li]->line, 1);
                    return ZF_ESCHEMA;
                }
            }
        }
    }
    L->cur = &L->files[0];
    if (!L->profiles.n)
        return err_at(L, L->files[0].root, ZF_ESCHEMA, ZF_DIAG_MISSING_KEY,
                      "the rule set has no discretion profile "
                      "(a 'profiles' section)");
    rs->profile = L->profiles.v[0];
    if (profile_id) {
        rs->profile = NULL;
        for (i = 0; i < L->profiles.n; i++)
            if (strcmp(((const struct zf__profile *)L->profiles.v[i])->id,
                       profile_id) == 0)
                rs->profile = L->profiles.v[i];
        if (!rs->profile)
            return err_at(L, profile_node, ZF_ESCHEMA, ZF_DIAG_DANGLING_REF,
                          "profile '%s' is not defined", profile_id);
    }

    rs->laws = (const struct zf__law *const *)vec_freeze(L, &L->laws);
    rs->n_laws = L->laws.n;
    rs->provisions =
        (const struct zf__provision *const *)vec_freeze(L, &L->provisions);
    rs->n_provisions = L->provisions.n;
    rs->items = (const struct zf__item *const *)vec_freeze(L, &L->items);
    rs->n_items = L->items.n;
    rs->domains = (const struct zf__domain *const *)vec_freeze(L, &L->domains);
    rs->n_domains = L->domains.n;
    if ((rc = index_domain_names(L)))
        return rc;
    rs->profiles =
        (const struct zf__profile *const *)vec_freeze(L, &L->profiles);
    rs->n_profiles = L->profiles.n;
    if (L->items.n)
        qsort(L->items.v, L->items.n, sizeof(void *), cmp_item);
    for (i = 1; i < L->items.n; i++) {
        const struct zf__item *a = L->items.v[i - 1], *b = L->items.v[i];
        if (strcmp(a->id, b->id) == 0)
            return dup_error(L, "item", a->id, a->file, a->line, a->column,
                             b->file, b->line, b->column);
    }
    rs->items_by_id = (const struct zf__item *const *)vec_freeze(L, &L->items);
    {
        struct vec files = {NULL, 0, 0};
        for (i = 0; i < L->n_files; i++)
            if ((rc = vec_push(L, &files, L->files[i].src))) {
                zf__free(L->ctx, files.v);
                return rc;
            }
        rs->files = (const struct zf__source *const *)vec_freeze(L, &files);
        rs->n_files = files.n;
        zf__free(L->ctx, files.v);
    }
    if ((L->laws.n && !rs->laws) || (L->items.n && !rs->items_by_id) ||
        !rs->files || (L->domains.n && !rs->domains) || !rs->profiles ||
        (L->provisions.n && !rs->provisions) || (L->items.n && !rs->items))
        return nomem(L);
    /* the plan refers to items and domains: last */
    for (i = 0; i < L->n_files; i++)
        if (L->files[i].sec[SEC_PLAN] &&
            (rc = load_plan(L, &L->files[i])))
            return rc;
    (void)cmp_law_id;
    /* the recognition index (match.c): n-gram weights over every item */
    if (zf__match_index_build(rs, L->arena))
        return nomem(L);
    return ZF_OK;
}

static void
ruleset_destroy(zf_ruleset *rs)
{
    size_t i;
    const zf_context *ctx;

    if (!rs)
        return;
    ctx = rs->ctx;
    for (i = 0; i < rs->n_regexes; i++)
        pcre2_code_free(rs->regexes[i]);
    zf__free(ctx, rs->regexes);
    zf__arena_destroy(&rs->arena);
    zf__free(ctx, rs);
}

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

    gctx = pcre2_general_context_create(pcre_malloc, pcre_free, (void *)ctx);
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

    rc = add_file(&L, rel, buf, len);
    if (rc == ZF_OK)
        rc = compile_all(&L);
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
        ruleset_destroy(rs);
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
        rc = read_file(&L, dir, rel, display, &buf, &len);
    }
    if (rc == ZF_OK)
        rc = load(out, ctx, dir, root_name, rel, buf, len, err);
    zf__free(ctx, buf);
    zf__free(ctx, dir);
    return rc;
}

ZF_API zf_ruleset *
zf_ruleset_ref(zf_ruleset *rs)
{
    if (rs)
        atomic_fetch_add_explicit(&rs->refcount, 1, memory_order_relaxed);
    return rs;
}

ZF_API void
zf_ruleset_unref(zf_ruleset *rs)
{
    if (rs && atomic_fetch_sub_explicit(&rs->refcount, 1,
                                        memory_order_acq_rel) == 1)
        ruleset_destroy(rs);
}

ZF_API const char *
zf_ruleset_id(const zf_ruleset *rs)
{
    return rs ? rs->id : NULL;
}

ZF_API const char *
zf_ruleset_version(const zf_ruleset *rs)
{
    return rs ? rs->version : NULL;
}

ZF_API const char *
zf_ruleset_digest(const zf_ruleset *rs)
{
    return rs ? rs->digest : NULL;
}

ZF_API uint64_t
zf_ruleset_generation(const zf_ruleset *rs)
{
    return rs ? rs->generation : 0;
}

ZF_API size_t
zf_ruleset_domain_count(const zf_ruleset *rs)
{
    return rs ? rs->n_domains : 0;
}

ZF_API size_t
zf_ruleset_item_count(const zf_ruleset *rs)
{
    return rs ? rs->n_items : 0;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

size_t
zf__bigrams(const char *s, size_t n, uint32_t *out, size_t cap)
{
    uint32_t prev = 0, cp;
    size_t i = 0, k, cnt = 0, j, w;

    while (i < n && cnt < cap) {
        k = zf__utf8_decode(s + i, n - i, &cp);
        if (!k)
            break;
        i += k;
        if (prev >= 0x80 && cp >= 0x80)
            out[cnt++] = prev * 31u + cp;
        prev = cp;
    }
    qsort(out, cnt, sizeof(*out), cmp_u32);
    for (j = 0, w = 0; j < cnt; j++)
        if (w == 0 || out[w - 1] != out[j])
            out[w++] = out[j];
    return w;
}

size_t
zf__bigrams_merge(uint32_t *v, size_t n)
{
    size_t j, w;

    qsort(v, n, sizeof(*v), cmp_u32);
    for (j = 0, w = 0; j < n; j++)
        if (w == 0 || v[w - 1] != v[j])
            v[w++] = v[j];
    return w;
}

const struct zf__item *
zf__ruleset_find_item(const zf_ruleset *rs, const char *id)
{
    size_t lo = 0, hi = rs->n_items;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(id, rs->items_by_id[mid]->id);
        if (c == 0)
            return rs->items_by_id[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct zf__domain *
zf__ruleset_find_domain(const zf_ruleset *rs, const char *name)
{
    size_t lo = 0, hi = rs->n_domain_names;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, rs->domain_names[mid].name);
        if (c == 0)
            return rs->domain_names[mid].domain;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static int
cmp_domain_name(const void *a, const void *b)
{
    return strcmp(((const struct zf__domain_name *)a)->name,
                  ((const struct zf__domain_name *)b)->name);
}

/* Sorted (name → domain) for every id, Chinese name and alias. Names are
 * unique across domains (checked when domains load); a domain's own id and
 * name may coincide, so duplicates are dropped. */
static zf_status
index_domain_names(struct loader *L)
{
    struct zf__domain_name *v;
    size_t n = 0, i, a, w;

    for (i = 0; i < L->domains.n; i++)
        n += 2 + ((const struct zf__domain *)L->domains.v[i])->n_aliases;
    v = ZF_ARENA_NEWN(L->arena, struct zf__domain_name, n ? n : 1);
    if (!v)
        return nomem(L);
    n = 0;
    for (i = 0; i < L->domains.n; i++) {
        const struct zf__domain *d = L->domains.v[i];
        v[n].name = d->id;
        v[n++].domain = d;
        v[n].name = d->name;
        v[n++].domain = d;
        for (a = 0; a < d->n_aliases; a++) {
            v[n].name = d->aliases[a];
            v[n++].domain = d;
        }
    }
    qsort(v, n, sizeof(*v), cmp_domain_name);
    for (i = 0, w = 0; i < n; i++)
        if (w == 0 || strcmp(v[w - 1].name, v[i].name) != 0)
            v[w++] = v[i];
    L->rs->domain_names = v;
    L->rs->n_domain_names = w;
    return ZF_OK;
}
