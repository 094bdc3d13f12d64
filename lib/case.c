/* SPDX-License-Identifier: MIT */
/*
 * Case JSON → zf_case. The text is pre-scanned strictly (json.c: UTF-8,
 * \u0000, duplicate keys, depth), then parsed by cJSON and converted into
 * arena-allocated structures with every key and type checked; errors carry
 * a JSON path. Note: cJSON allocates with the process malloc (its hooks
 * are global state, which the library must not touch); its tree is freed
 * before returning.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "eval-private.h"
#include "json-private.h"

_Static_assert(ZF__CJSON_NESTING_LIMIT == CJSON_NESTING_LIMIT,
               "json-private.h's copy of cJSON's nesting limit is stale");

struct cparser {
    zf_case *cs;
    zf_error *err;
    char path[128];
};

static zf_status perr(struct cparser *P, zf_status code, int diag,
                      const char *fmt, ...) ZF_PRINTF(4, 5);

static zf_status
perr(struct cparser *P, zf_status code, int diag, const char *fmt, ...)
{
    va_list ap;
    char msg[400];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    zf__error_set(P->err, code, diag, "%s: %s", P->path[0] ? P->path : "(root)",
                  msg);
    zf__error_path(P->err, P->path);
    return code;
}

/* Path helpers: push returns the old length to restore. */
static size_t
push_key(struct cparser *P, const char *key)
{
    size_t old = strlen(P->path);
    zf__json_path_key(P->path, sizeof(P->path), key, strlen(key));
    return old;
}

static size_t
push_index(struct cparser *P, size_t i)
{
    size_t old = strlen(P->path);
    zf__json_path_index(P->path, sizeof(P->path), i);
    return old;
}

static void
pop(struct cparser *P, size_t old)
{
    P->path[old] = '\0';
}

static zf_status
check_keys(struct cparser *P, const cJSON *obj, const char *const *keys)
{
    const cJSON *c;
    size_t k;

    if (!cJSON_IsObject(obj))
        return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                    "expected an object");
    for (c = obj->child; c; c = c->next) {
        for (k = 0; keys[k]; k++)
            if (strcmp(c->string, keys[k]) == 0)
                break;
        if (!keys[k]) {
            size_t old = push_key(P, c->string);
            zf_status rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_UNKNOWN_KEY,
                                "unknown key '%s'", c->string);
            pop(P, old);
            return rc;
        }
    }
    return ZF_OK;
}

static const cJSON *
get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Each getter: returns ZF_OK when absent or null (leaving the default). */
static zf_status
get_string(struct cparser *P, const cJSON *obj, const char *key,
           const char **out, size_t *len)
{
    const cJSON *v = get(obj, key);
    size_t old, n;
    zf_status rc;

    if (!v || cJSON_IsNull(v))
        return ZF_OK;
    if (!cJSON_IsString(v)) {
        old = push_key(P, key);
        rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                  "expected a string");
        pop(P, old);
        return rc;
    }
    n = strlen(v->valuestring);
    *out = zf__arena_strndup(&P->cs->arena, v->valuestring, n);
    if (!*out)
        return zf__error_nomem(P->err);
    if (len)
        *len = n;
    return ZF_OK;
}

static zf_status
get_tri(struct cparser *P, const cJSON *obj, const char *key, int8_t *out)
{
    const cJSON *v = get(obj, key);
    size_t old;
    zf_status rc;

    *out = -1;
    if (!v || cJSON_IsNull(v))
        return ZF_OK;
    if (!cJSON_IsBool(v)) {
        old = push_key(P, key);
        rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                  "expected true or false");
        pop(P, old);
        return rc;
    }
    *out = cJSON_IsTrue(v) ? 1 : 0;
    return ZF_OK;
}

static zf_status
get_count(struct cparser *P, const cJSON *obj, const char *key, int32_t *out)
{
    const cJSON *v = get(obj, key);
    int64_t i;
    size_t old;
    zf_status rc;

    *out = -1;
    if (!v || cJSON_IsNull(v))
        return ZF_OK;
    if (!cJSON_IsNumber(v) || !zf__json_integral_money(v->valuedouble, &i) ||
        i < 0 || i > INT32_MAX) {
        old = push_key(P, key);
        rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                  "expected a non-negative integer");
        pop(P, old);
        return rc;
    }
    *out = (int32_t)i;
    return ZF_OK;
}

static zf_status
get_money(struct cparser *P, const cJSON *obj, const char *key, bool *has,
          int64_t *out)
{
    const cJSON *v = get(obj, key);
    size_t old;
    zf_status rc;

    *has = false;
    if (!v || cJSON_IsNull(v))
        return ZF_OK;
    old = push_key(P, key);
    if (!cJSON_IsNumber(v))
        rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                  "expected an amount in whole yuan");
    else if (!zf__json_integral_money(v->valuedouble, out) || *out < 0)
        rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_BAD_MONEY,
                  "an amount must be a whole number of yuan between 0 and "
                  "2^53");
    else {
        *has = true;
        rc = ZF_OK;
    }
    pop(P, old);
    return rc;
}

static zf_status
get_date(struct cparser *P, const cJSON *obj, const char *key, int32_t *out)
{
    const char *s = NULL;
    size_t len = 0, old;
    zf_status rc = get_string(P, obj, key, &s, &len);

    *out = INT32_MIN;
    if (rc || !s)
        return rc;
    if (!zf__parse_date(s, len, out)) {
        old = push_key(P, key);
        rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_BAD_DATE,
                  "'%s' is not a valid date YYYY-MM-DD", s);
        pop(P, old);
        return rc;
    }
    return ZF_OK;
}

static zf_status
get_enum(struct cparser *P, const cJSON *obj, const char *key,
         const char *const *names, size_t n, int *out)
{
    const char *s = NULL;
    size_t i, old;
    zf_status rc = get_string(P, obj, key, &s, NULL);
    char list[200];
    size_t off = 0;

    *out = -1;
    if (rc || !s)
        return rc;
    for (i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (int)i;
            return ZF_OK;
        }
    list[0] = '\0';
    for (i = 0; i < n && off < sizeof(list); i++)
        off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
                                i ? ", " : "", names[i]);
    old = push_key(P, key);
    rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_BAD_VALUE,
              "'%s' is not one of: %s", s, list);
    pop(P, old);
    return rc;
}

static zf_status
parse_enterprise(struct cparser *P, const cJSON *e)
{
    static const char *const keys[] = {"name", "domains", "high_risk",
                                       "penalties_180d", "penalties_365d",
                                       NULL};
    zf_case *cs = P->cs;
    const cJSON *d, *c;
    size_t old = push_key(P, "enterprise"), i = 0, n;
    const char **doms;
    zf_status rc;

    if ((rc = check_keys(P, e, keys)) ||
        (rc = get_string(P, e, "name", &cs->enterprise_name, NULL)) ||
        (rc = get_tri(P, e, "high_risk", &cs->high_risk)) ||
        (rc = get_count(P, e, "penalties_180d", &cs->penalties_180d)) ||
        (rc = get_count(P, e, "penalties_365d", &cs->penalties_365d)))
        return rc;
    d = get(e, "domains");
    if (d && !cJSON_IsNull(d)) {
        size_t o2 = push_key(P, "domains");
        if (!cJSON_IsArray(d))
            return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                        "expected a list of domain ids or names");
        n = (size_t)cJSON_GetArraySize(d);
        doms = ZF_ARENA_NEWN(&cs->arena, const char *, n ? n : 1);
        if (!doms)
            return zf__error_nomem(P->err);
        cJSON_ArrayForEach(c, d) {
            if (!cJSON_IsString(c)) {
                push_index(P, i);
                return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                            "expected a string");
            }
            doms[i] = zf__arena_strdup(&cs->arena, c->valuestring);
            if (!doms[i])
                return zf__error_nomem(P->err);
            i++;
        }
        cs->domains = doms;
        cs->n_domains = n;
        pop(P, o2);
    }
    pop(P, old);
    return ZF_OK;
}

static zf_status
parse_persons(struct cparser *P, const cJSON *arr)
{
    static const char *const keys[] = {"id", "role", "name", "annual_income",
                                       NULL};
    zf_case *cs = P->cs;
    struct zf__cperson *ps;
    const cJSON *p;
    size_t n, i = 0, j, old = push_key(P, "persons");
    zf_status rc;

    if (!cJSON_IsArray(arr))
        return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE, "expected a list");
    n = (size_t)cJSON_GetArraySize(arr);
    ps = ZF_ARENA_NEWN(&cs->arena, struct zf__cperson, n ? n : 1);
    if (!ps)
        return zf__error_nomem(P->err);
    cJSON_ArrayForEach(p, arr) {
        size_t o2 = push_index(P, i);
        int role;

        if ((rc = check_keys(P, p, keys)) ||
            (rc = get_string(P, p, "id", &ps[i].id, NULL)) ||
            (rc = get_enum(P, p, "role", zf__role_names, ZF_ROLE_COUNT_,
                           &role)) ||
            (rc = get_string(P, p, "name", &ps[i].name, NULL)) ||
            (rc = get_money(P, p, "annual_income", &ps[i].has_income,
                            &ps[i].annual_income)))
            return rc;
        if (!ps[i].id)
            return perr(P, ZF_EINPUT, ZF_DIAG_CASE_MISSING,
                        "a person needs an 'id'");
        if (role < 0)
            return perr(P, ZF_EINPUT, ZF_DIAG_CASE_MISSING,
                        "a person needs a 'role'");
        ps[i].role = role;
        for (j = 0; j < i; j++)
            if (strcmp(ps[j].id, ps[i].id) == 0)
                return perr(P, ZF_EINPUT, ZF_DIAG_CASE_BAD_VALUE,
                            "person id '%s' is used twice", ps[i].id);
        pop(P, o2);
        i++;
    }
    cs->persons = ps;
    cs->n_persons = n;
    pop(P, old);
    return ZF_OK;
}

static zf_status
parse_facts(struct cparser *P, const cJSON *obj, struct zf__cviolation *v)
{
    zf_case *cs = P->cs;
    struct zf__cfact *fs;
    const cJSON *c;
    size_t n, i = 0, old = push_key(P, "facts");

    if (!cJSON_IsObject(obj))
        return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                    "expected an object of facts");
    n = (size_t)cJSON_GetArraySize(obj);
    if (n > ZF__MAX_ITEM_FACTS)
        return perr(P, ZF_EINPUT, ZF_DIAG_CASE_BAD_VALUE,
                    "more than %d facts", ZF__MAX_ITEM_FACTS);
    fs = ZF_ARENA_NEWN(&cs->arena, struct zf__cfact, n ? n : 1);
    if (!fs)
        return zf__error_nomem(P->err);
    for (c = obj->child; c; c = c->next, i++) {
        fs[i].name = zf__arena_strdup(&cs->arena, c->string);
        if (!fs[i].name)
            return zf__error_nomem(P->err);
        if (cJSON_IsNull(c)) {
            fs[i].kind = ZF_CF_NULL;
        } else if (cJSON_IsBool(c)) {
            fs[i].kind = ZF_CF_BOOL;
            fs[i].i = cJSON_IsTrue(c);
        } else if (cJSON_IsNumber(c)) {
            if (zf__json_integral_money(c->valuedouble, &fs[i].i))
                fs[i].kind = ZF_CF_INT;
            else {
                fs[i].kind = ZF_CF_NUMBER;
                fs[i].d = c->valuedouble;
            }
        } else if (cJSON_IsString(c)) {
            fs[i].kind = ZF_CF_STRING;
            fs[i].len = strlen(c->valuestring);
            fs[i].s = zf__arena_strndup(&cs->arena, c->valuestring,
                                        fs[i].len);
            if (!fs[i].s)
                return zf__error_nomem(P->err);
        } else {
            /* the error's path names the fact */
            (void)push_key(P, c->string);
            return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                        "a fact must be a number, string, boolean or null");
        }
    }
    v->facts = fs;
    v->n_facts = n;
    pop(P, old);
    return ZF_OK;
}

static zf_status
parse_factors(struct cparser *P, const cJSON *obj, struct zf__cviolation *v)
{
    static const char *const keys[] = {"remedied_harm", "coerced",
                                       "confessed", "meritorious",
                                       "obstructed", "repeat_12m",
                                       "no_fault", "public_danger",
                                       "especially_serious", "serious",
                                       "unsafe_after_suspension",
                                       "lacks_conditions",
                                       "refused_suspension", NULL};
    size_t old = push_key(P, "factors");
    zf_status rc;

    if ((rc = check_keys(P, obj, keys)) ||
        (rc = get_tri(P, obj, "remedied_harm", &v->remedied_harm)) ||
        (rc = get_tri(P, obj, "coerced", &v->coerced)) ||
        (rc = get_tri(P, obj, "confessed", &v->confessed)) ||
        (rc = get_tri(P, obj, "meritorious", &v->meritorious)) ||
        (rc = get_tri(P, obj, "obstructed", &v->obstructed)) ||
        (rc = get_count(P, obj, "repeat_12m", &v->repeat_12m)) ||
        (rc = get_tri(P, obj, "no_fault", &v->no_fault)) ||
        (rc = get_tri(P, obj, "public_danger", &v->public_danger)) ||
        (rc = get_tri(P, obj, "especially_serious", &v->especially_serious)) ||
        (rc = get_tri(P, obj, "serious", &v->serious)) ||
        (rc = get_tri(P, obj, "unsafe_after_suspension",
                      &v->unsafe_after_suspension)) ||
        (rc = get_tri(P, obj, "lacks_conditions", &v->lacks_conditions)) ||
        (rc = get_tri(P, obj, "refused_suspension", &v->refused_suspension)))
        return rc;
    pop(P, old);
    return ZF_OK;
}

static zf_status
parse_violation(struct cparser *P, const cJSON *o, struct zf__cviolation *v)
{
    static const char *const keys[] = {
        "item", "text", "facts", "corrected", "overdue", "refused", "harm",
        "first_offence", "accident", "persons", "act", "factors",
        "illegal_income", NULL};
    zf_case *cs = P->cs;
    const cJSON *c, *ps;
    int harm, acc;
    size_t i, n;
    zf_status rc;

    v->repeat_12m = -1;
    v->remedied_harm = v->coerced = v->confessed = v->meritorious =
        v->obstructed = v->no_fault = v->public_danger =
        v->especially_serious = v->serious = v->unsafe_after_suspension =
        v->lacks_conditions = v->refused_suspension = -1;
    if ((rc = check_keys(P, o, keys)) ||
        (rc = get_string(P, o, "item", &v->item, NULL)) ||
        (rc = get_string(P, o, "text", &v->text, &v->text_len)) ||
        (rc = get_tri(P, o, "corrected", &v->corrected)) ||
        (rc = get_tri(P, o, "overdue", &v->overdue)) ||
        (rc = get_tri(P, o, "refused", &v->refused)) ||
        (rc = get_tri(P, o, "first_offence", &v->first_offence)) ||
        (rc = get_enum(P, o, "harm", zf__harm_names, 3, &harm)) ||
        (rc = get_enum(P, o, "accident", zf__accident_names, ZF_ACC_COUNT_,
                       &acc)) ||
        (rc = get_string(P, o, "act", &v->act, NULL)) ||
        (rc = get_money(P, o, "illegal_income", &v->has_illegal_income,
                        &v->illegal_income)))
        return rc;
    v->harm = (int8_t)harm;
    c = get(o, "accident");
    /* "accident": null means no accident; absent means not stated */
    v->accident = c ? (int8_t)(acc < 0 ? ZF_ACC_NONE : acc) : -1;
    if (!v->item && !v->text)
        return perr(P, ZF_EINPUT, ZF_DIAG_CASE_MISSING,
                    "a violation needs an 'item' or a 'text'");
    if (v->text_len > (size_t)zf__limit(cs->ctx, ZF_LIMIT_SUBJECT_LENGTH)) {
        size_t old = push_key(P, "text");
        rc = perr(P, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON,
                  "text longer than %ld bytes",
                  zf__limit(cs->ctx, ZF_LIMIT_SUBJECT_LENGTH));
        pop(P, old);
        return rc;
    }
    if ((c = get(o, "facts")) && !cJSON_IsNull(c) &&
        (rc = parse_facts(P, c, v)))
        return rc;
    if ((c = get(o, "factors")) && !cJSON_IsNull(c) &&
        (rc = parse_factors(P, c, v)))
        return rc;
    ps = get(o, "persons");
    if (ps && !cJSON_IsNull(ps)) {
        const struct zf__cperson **pp;
        int8_t *li;
        size_t old = push_key(P, "persons");

        if (!cJSON_IsArray(ps))
            return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                        "expected a list of person ids");
        n = (size_t)cJSON_GetArraySize(ps);
        pp = ZF_ARENA_NEWN(&cs->arena, const struct zf__cperson *,
                           n ? n : 1);
        li = ZF_ARENA_NEWN(&cs->arena, int8_t, n ? n : 1);
        if (!pp || !li)
            return zf__error_nomem(P->err);
        i = 0;
        cJSON_ArrayForEach(c, ps) {
            static const char *const ekeys[] = {"id", "as", NULL};
            /* the liability a listed person bears for this violation
             * (CONTRACT.md): by default a principal, other leader,
             * safety manager or direct supervisor is the 直接负责的主管
             * 人员, a direct_staff person 其他直接责任人员 */
            static const char *const as_names[] = {"direct_supervisor",
                                                   "direct_staff"};
            const char *pid = NULL;
            int as = -1;
            size_t k;
            push_index(P, i);
            if (cJSON_IsObject(c)) {
                if ((rc = check_keys(P, c, ekeys)) ||
                    (rc = get_string(P, c, "id", &pid, NULL)) ||
                    (rc = get_enum(P, c, "as", as_names, 2, &as)))
                    return rc;
                if (!pid)
                    return perr(P, ZF_EINPUT, ZF_DIAG_CASE_MISSING,
                                "a listed person needs an 'id'");
            } else if (cJSON_IsString(c)) {
                pid = c->valuestring;
            } else {
                return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                            "expected a person id or {\"id\", \"as\"}");
            }
            pp[i] = NULL;
            for (k = 0; k < cs->n_persons; k++)
                if (strcmp(cs->persons[k].id, pid) == 0)
                    pp[i] = &cs->persons[k];
            if (!pp[i])
                return perr(P, ZF_EINPUT, ZF_DIAG_CASE_UNKNOWN_PERSON,
                            "'%s' is not the id of a person in 'persons'",
                            pid);
            for (k = 0; k < i; k++)
                if (pp[k] == pp[i])
                    return perr(P, ZF_EINPUT, ZF_DIAG_CASE_BAD_VALUE,
                                "person '%s' is listed twice", pid);
            if (as == 0)
                li[i] = ZF_ROLE_DIRECT_SUPERVISOR;
            else if (as == 1)
                li[i] = ZF_ROLE_DIRECT_STAFF;
            else if (pp[i]->role == ZF_ROLE_DIRECT_STAFF)
                li[i] = ZF_ROLE_DIRECT_STAFF;
            else if (pp[i]->role == ZF_ROLE_INVESTOR)
                li[i] = -1;
            else
                li[i] = ZF_ROLE_DIRECT_SUPERVISOR;
            pop(P, old);
            push_key(P, "persons");
            i++;
        }
        v->persons = pp;
        v->liability = li;
        v->n_persons = n;
        pop(P, old);
    }
    return ZF_OK;
}

static zf_status
parse_root(struct cparser *P, const cJSON *root)
{
    static const char *const keys[] = {
        "case_id", "violation_date", "inspection_date", "decision_date",
        "enterprise", "persons", "violations", NULL};
    zf_case *cs = P->cs;
    const cJSON *c, *vs;
    struct zf__cviolation *v;
    size_t n, i = 0;
    zf_status rc;

    if ((rc = check_keys(P, root, keys)))
        return rc;
    c = get(root, "case_id");
    if (c && cJSON_IsNumber(c)) {
        /* an integral number is taken as its decimal text; anything else
         * (1.5, 1e20) would be silently rounded */
        int64_t id;
        if (!zf__json_integral_money(c->valuedouble, &id)) {
            size_t old = push_key(P, "case_id");
            rc = perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE,
                      "expected a string or an integer");
            pop(P, old);
            return rc;
        }
        cs->case_id = zf__arena_printf(&cs->arena, "%lld", (long long)id);
        if (!cs->case_id)
            return zf__error_nomem(P->err);
    } else if ((rc = get_string(P, root, "case_id", &cs->case_id, NULL))) {
        return rc;
    }
    if ((rc = get_date(P, root, "violation_date", &cs->violation_date)) ||
        (rc = get_date(P, root, "inspection_date", &cs->inspection_date)) ||
        (rc = get_date(P, root, "decision_date", &cs->decision_date)))
        return rc;
    cs->high_risk = -1;
    cs->penalties_180d = cs->penalties_365d = -1;
    if ((c = get(root, "enterprise")) && !cJSON_IsNull(c) &&
        (rc = parse_enterprise(P, c)))
        return rc;
    if ((c = get(root, "persons")) && !cJSON_IsNull(c) &&
        (rc = parse_persons(P, c)))
        return rc;
    vs = get(root, "violations");
    if (!vs)
        return perr(P, ZF_EINPUT, ZF_DIAG_CASE_MISSING,
                    "a case needs a 'violations' list");
    push_key(P, "violations");
    if (!cJSON_IsArray(vs))
        return perr(P, ZF_EINPUT, ZF_DIAG_CASE_WRONG_TYPE, "expected a list");
    n = (size_t)cJSON_GetArraySize(vs);
    if (n > (size_t)zf__limit(cs->ctx, ZF_LIMIT_VIOLATIONS))
        return perr(P, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON,
                    "more than %ld violations",
                    zf__limit(cs->ctx, ZF_LIMIT_VIOLATIONS));
    v = ZF_ARENA_NEWN(&cs->arena, struct zf__cviolation, n ? n : 1);
    if (!v)
        return zf__error_nomem(P->err);
    cJSON_ArrayForEach(c, vs) {
        size_t old = push_index(P, i);
        if ((rc = parse_violation(P, c, &v[i])))
            return rc;
        pop(P, old);
        i++;
    }
    cs->violations = v;
    cs->n_violations = n;
    return ZF_OK;
}

ZF_API zf_status
zf_case_parse(zf_case **out, zf_context *ctx, const char *json, size_t len,
              zf_error *err)
{
    struct zf__json_scan_error se;
    struct cparser P;
    cJSON *root;
    zf_case *cs;
    zf_status rc;

    if (!out || !ctx || (!json && len))
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    if (len > (size_t)zf__limit(ctx, ZF_LIMIT_JSON_SIZE))
        return zf__error_set(err, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON,
                             "case JSON larger than %ld bytes",
                             zf__limit(ctx, ZF_LIMIT_JSON_SIZE));
    memset(&se, 0, sizeof(se));
    rc = zf__json_prescan(ctx, json ? json : "", len,
                          (unsigned)zf__limit(ctx, ZF_LIMIT_JSON_DEPTH), &se);
    if (rc) {
        zf__error_set(err, rc, se.diag, "%s%s%s", se.path,
                      se.path[0] ? ": " : "", se.message);
        zf__error_path(err, se.path);
        if (err) {
            err->line = se.line;
            err->column = se.column;
            err->offset = se.offset;
        }
        return rc;
    }
    root = cJSON_ParseWithLength(json, len);
    if (!root)  /* the pre-scan accepted it, so this is memory */
        return zf__error_nomem(err);
    cs = zf__calloc(ctx, 1, sizeof(*cs));
    if (!cs) {
        cJSON_Delete(root);
        return zf__error_nomem(err);
    }
    cs->ctx = ctx;
    zf__arena_init(&cs->arena, ctx, 4096);
    memset(&P, 0, sizeof(P));
    P.cs = cs;
    P.err = err;
    rc = parse_root(&P, root);
    cJSON_Delete(root);
    if (rc) {
        zf_case_free(cs);
        return rc;
    }
    if (!cs->case_id)
        cs->case_id = "";
    *out = cs;
    return ZF_OK;
}

ZF_API void
zf_case_free(zf_case *cs)
{
    if (!cs)
        return;
    zf__arena_destroy(&cs->arena);
    zf__free(cs->ctx, cs);
}

ZF_API const char *
zf_case_id(const zf_case *cs)
{
    return cs ? cs->case_id : NULL;
}

ZF_API size_t
zf_case_violation_count(const zf_case *cs)
{
    return cs ? cs->n_violations : 0;
}

ZF_API size_t
zf_case_domain_count(const zf_case *cs)
{
    return cs ? cs->n_domains : 0;
}

ZF_API const char *
zf_case_domain(const zf_case *cs, size_t i)
{
    return cs && i < cs->n_domains ? cs->domains[i] : NULL;
}
