/* SPDX-License-Identifier: MIT */
/*
 * zhifa corpus — measure recognition and discretion against real published
 * decisions (tests/corpus/decisions.jsonl, format in docs/corpus.md).
 *
 * Every violation of every record becomes a case with one violation: the
 * published facts as free `text` (no item id), the record's domains, its
 * accident grade and its fined persons. The decision is compared with the
 * articles the bureau cited as 处罚依据 and with the fines it set. Figures
 * are kept per split; only the dev split's misses are printed, because the
 * heldout split must not be tuned on (docs/corpus.md).
 *
 * Only the public API is used (the CLI is a thin client of it); the decision
 * is read back from its JSON rendering.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

/* ------------------------------------------------------------------ */
/* citations: 《title》第N条[第N款][第（N）项] */

struct cite {
    char title[128];       /* without 《》 and without 中华人民共和国 */
    int article, para, item;
};

/* Chinese numeral at *p (一…九, 十, 百, 千, 零, 两); advances *p. */
static int
cn_number(const char **p)
{
    static const char *const digits[] = {"零", "一", "二", "三", "四",
                                         "五", "六", "七", "八", "九"};
    int total = 0, cur = 0, d;
    bool any = false;

    for (;;) {
        const char *s = *p;
        for (d = 0; d < 10; d++)
            if (strncmp(s, digits[d], 3) == 0)
                break;
        if (d < 10) {
            cur = d;
            *p += 3;
            any = true;
            continue;
        }
        if (strncmp(s, "两", 3) == 0) {
            cur = 2;
            *p += 3;
            any = true;
            continue;
        }
        if (strncmp(s, "十", 3) == 0) {
            total += (cur ? cur : 1) * 10;
            cur = 0;
        } else if (strncmp(s, "百", 3) == 0) {
            total += (cur ? cur : 1) * 100;
            cur = 0;
        } else if (strncmp(s, "千", 3) == 0) {
            total += (cur ? cur : 1) * 1000;
            cur = 0;
        } else {
            break;
        }
        *p += 3;
        any = true;
    }
    return any ? total + cur : -1;
}

static bool
parse_cite(const char *s, struct cite *c)
{
    const char *a, *b;
    size_t n;

    memset(c, 0, sizeof(*c));
    if (!s || !(a = strstr(s, "《")) || !(b = strstr(a, "》")))
        return false;
    a += 3;
    if (strncmp(a, "中华人民共和国", 21) == 0)
        a += 21;
    n = (size_t)(b - a);
    if (n >= sizeof(c->title))
        n = sizeof(c->title) - 1;
    memcpy(c->title, a, n);
    c->title[n] = '\0';
    s = b + 3;
    if (strncmp(s, "第", 3) != 0)
        return false;
    s += 3;
    if ((c->article = cn_number(&s)) < 0 || strncmp(s, "条", 3) != 0)
        return false;
    s += 3;
    if (strncmp(s, "之", 3) == 0) {     /* 第X条之一: keep as article*100+k */
        const char *q = s + 3;
        int k = cn_number(&q);
        if (k > 0) {
            c->article = c->article * 100 + k;
            s = q;
        }
    }
    if (strncmp(s, "第", 3) == 0) {
        const char *q = s + 3;
        int k = cn_number(&q);
        if (k > 0 && strncmp(q, "款", 3) == 0) {
            c->para = k;
            s = q + 3;
        }
    }
    if (strncmp(s, "第（", 6) == 0) {
        const char *q = s + 6;
        int k = cn_number(&q);
        if (k > 0 && strncmp(q, "）项", 6) == 0)
            c->item = k;
    }
    return true;
}

static bool
same_article(const struct cite *a, const struct cite *b)
{
    return a->article == b->article && strcmp(a->title, b->title) == 0;
}

/* ------------------------------------------------------------------ */
/* figures */

enum { F_TOP1, F_ITEM, F_TOP3, F_UNIT, F_PERSON, N_FIG };
static const char *const fig_keys[N_FIG] = {
    "top1_article", "top1_item", "top3_article", "unit_fine_in_range",
    "person_fine_in_range"};
static const char *const fig_labels[N_FIG] = {
    "penalty article top-1 (条)", "penalty article top-1 (条+项)",
    "right article in top-3", "unit fine in statutory range",
    "persons' fine in persons' range"};

struct split_figs {
    long records, violations;
    long n[N_FIG], hit[N_FIG];
    double *dist;
    size_t n_dist, cap_dist;
};

enum { S_DEV, S_HELD, S_ALL, N_SPLIT };
static const char *const split_names[N_SPLIT] = {"dev", "heldout", "all"};

static void
count(struct split_figs *f, int split, int fig, bool hit)
{
    int s;
    for (s = 0; s < N_SPLIT; s++) {
        if (s != S_ALL && s != split)
            continue;
        f[s].n[fig]++;
        f[s].hit[fig] += hit;
    }
}

static int
add_dist(struct split_figs *f, int split, double d)
{
    int s;
    for (s = 0; s < N_SPLIT; s++) {
        struct split_figs *x = &f[s];
        if (s != S_ALL && s != split)
            continue;
        if (x->n_dist == x->cap_dist) {
            size_t cap = x->cap_dist ? x->cap_dist * 2 : 64;
            double *nd = realloc(x->dist, cap * sizeof(*nd));
            if (!nd)
                return -1;
            x->dist = nd;
            x->cap_dist = cap;
        }
        x->dist[x->n_dist++] = d;
    }
    return 0;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double
median(struct split_figs *f)
{
    if (!f->n_dist)
        return -1;
    qsort(f->dist, f->n_dist, sizeof(double), cmp_double);
    if (f->n_dist % 2)
        return f->dist[f->n_dist / 2];
    return (f->dist[f->n_dist / 2 - 1] + f->dist[f->n_dist / 2]) / 2;
}

static double
rate(const struct split_figs *f, int fig)
{
    return f->n[fig] ? (double)f->hit[fig] / (double)f->n[fig] : -1;
}

/* ------------------------------------------------------------------ */
/* building the case */

static const char *
role_of(const char *pos)
{
    if (!pos)
        return "direct_staff";
    if (strstr(pos, "直接负责的主管"))
        return "direct_supervisor";
    if (strstr(pos, "主要负责人") || strstr(pos, "法定代表人") ||
        strstr(pos, "董事长") || strstr(pos, "总经理") ||
        strstr(pos, "实际控制人") || strstr(pos, "厂长") ||
        strstr(pos, "投资人") || strstr(pos, "经营者") ||
        strstr(pos, "负责人"))
        return strstr(pos, "投资人") ? "investor" : "principal";
    if (strstr(pos, "安全"))
        return "safety_manager";
    if (strstr(pos, "副"))
        return "other_leader";
    return "direct_staff";
}

/* First date written as YYYY年M月D日 in s, as YYYY-MM-DD; false if none. */
static bool
first_date(const char *s, char out[11])
{
    const char *p;

    for (p = s; *p; p++) {
        int y, m, d, n = 0;
        if (*p < '1' || *p > '2')
            continue;
        if (sscanf(p, "%4d年%2d月%2d日%n", &y, &m, &d, &n) == 3 && n > 0 &&
            y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
            d <= 31) {
            snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
            return true;
        }
    }
    return false;
}

static bool
full_date(const char *s)
{
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

static const char *const grades[] = {"general", "larger", "major",
                                     "especially_major"};

static char *
build_case(const cJSON *rec, const cJSON *v, const char *id, bool domains)
{
    cJSON *c = cJSON_CreateObject(), *ent, *persons, *vs, *cv, *pl, *doms;
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(rec, "source");
    const char *sdate = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(src, "date"));
    const char *facts = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(v, "facts"));
    const cJSON *p, *acc = cJSON_GetObjectItemCaseSensitive(rec, "accident");
    char date[11], pid[16];
    char *out;
    int k = 0;
    size_t g;

    if (!c)
        return NULL;
    cJSON_AddStringToObject(c, "case_id", id);
    if (first_date(facts ? facts : "", date)) {
        cJSON_AddStringToObject(c, "violation_date", date);
        cJSON_AddStringToObject(c, "inspection_date", date);
        if (full_date(sdate) && strcmp(sdate, date) >= 0)
            cJSON_AddStringToObject(c, "decision_date", sdate);
    } else if (full_date(sdate)) {
        cJSON_AddStringToObject(c, "violation_date", sdate);
        cJSON_AddStringToObject(c, "inspection_date", sdate);
    }
    ent = cJSON_AddObjectToObject(c, "enterprise");
    doms = cJSON_AddArrayToObject(ent, "domains");
    if (domains)
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(rec, "domains"))
            if (cJSON_IsString(p))
                cJSON_AddItemToArray(doms, cJSON_CreateString(p->valuestring));
    persons = cJSON_AddArrayToObject(c, "persons");
    vs = cJSON_AddArrayToObject(c, "violations");
    cv = cJSON_CreateObject();
    cJSON_AddItemToArray(vs, cv);
    cJSON_AddStringToObject(cv, "text", facts ? facts : "");
    if (cJSON_IsString(acc)) {
        for (g = 0; g < 4; g++)
            if (strcmp(acc->valuestring, grades[g]) == 0)
                cJSON_AddStringToObject(cv, "accident", grades[g]);
    } else if (cJSON_IsNull(acc)) {
        cJSON_AddNullToObject(cv, "accident");
    }
    pl = cJSON_AddArrayToObject(cv, "persons");
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(v, "persons")) {
        cJSON *cp = cJSON_CreateObject();
        snprintf(pid, sizeof(pid), "p%d", ++k);
        cJSON_AddStringToObject(cp, "id", pid);
        cJSON_AddStringToObject(
            cp, "role",
            role_of(cJSON_GetStringValue(
                cJSON_GetObjectItemCaseSensitive(p, "position"))));
        cJSON_AddItemToArray(persons, cp);
        cJSON_AddItemToArray(pl, cJSON_CreateString(pid));
    }
    out = cJSON_PrintUnformatted(c);
    cJSON_Delete(c);
    return out;
}

/* ------------------------------------------------------------------ */
/* one record violation */

struct run {
    zf_context *ctx;
    zf_ruleset *rs;
    zf_evaluator *ev;
    struct split_figs figs[N_SPLIT];
    cJSON *misses;             /* dev misses, for --json */
    FILE *misses_txt;          /* dev misses, as text (tmpfile) */
    cJSON *articles;           /* every penalty article cited: cite → count */
};

static int64_t
num(const cJSON *o, const char *k, bool *ok)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    *ok = cJSON_IsNumber(x);
    return *ok ? (int64_t)x->valuedouble : 0;
}

/* Evaluate; on success *decision holds the parsed decision JSON. */
static int
evaluate(struct run *R, const char *json, cJSON **decision, char *errbuf,
         size_t errlen)
{
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_error err = ZF_ERROR_INIT;
    char *s = NULL;
    size_t n;
    zf_status rc;

    *decision = NULL;
    rc = zf_case_parse(&cs, R->ctx, json, strlen(json), &err);
    if (!rc)
        rc = zf_evaluate(&dec, R->ev, R->rs, cs, &err);
    if (!rc)
        rc = zf_decision_render(&s, &n, dec, ZF_RENDER_JSON, &err);
    if (rc)
        snprintf(errbuf, errlen, "%s", err.message);
    else
        *decision = cJSON_Parse(s);
    zf_free(R->ctx, s);
    zf_decision_free(dec);
    zf_case_free(cs);
    return rc ? -1 : 0;
}

static void
note_article(struct run *R, const char *cite)
{
    cJSON *x = cJSON_GetObjectItemCaseSensitive(R->articles, cite);
    if (x)
        cJSON_SetNumberValue(x, x->valuedouble + 1);
    else
        cJSON_AddNumberToObject(R->articles, cite, 1);
}

static int
one_violation(struct run *R, const cJSON *rec, const cJSON *v, size_t vi,
              size_t n_viol, int split)
{
    const char *rid = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(rec, "id"));
    const cJSON *basis = cJSON_GetObjectItemCaseSensitive(v, "basis");
    const cJSON *b, *dv, *dvs, *c, *pers;
    cJSON *decision = NULL;
    char id[80], errbuf[600] = "";
    char *json;
    bool ok, any_miss = false, uf_ok;
    int64_t actual_unit;
    int rc;

    snprintf(id, sizeof(id), "%s#%zu", rid ? rid : "?", vi);
    json = build_case(rec, v, id, true);
    if (!json)
        return -1;
    rc = evaluate(R, json, &decision, errbuf, sizeof(errbuf));
    if (rc) {
        /* a domain the rule set does not know: judge without domains */
        cJSON_free(json);
        json = build_case(rec, v, id, false);
        if (!json)
            return -1;
        rc = evaluate(R, json, &decision, errbuf, sizeof(errbuf));
    }
    cJSON_free(json);
    dvs = cJSON_GetObjectItemCaseSensitive(decision, "violations");

    actual_unit = num(v, "unit_fine", &uf_ok);
    if (!uf_ok && n_viol == 1)
        actual_unit = num(rec, "unit_fine", &uf_ok);

    cJSON_ArrayForEach(b, basis) {
        struct cite want, got;
        const cJSON *hit = NULL;
        bool top1 = false, item = false, top3 = false;

        if (!cJSON_IsString(b) || !parse_cite(b->valuestring, &want))
            continue;
        note_article(R, b->valuestring);
        cJSON_ArrayForEach(dv, dvs) {
            const char *db = cJSON_GetStringValue(
                cJSON_GetObjectItemCaseSensitive(dv, "basis"));
            int k = 0;
            if (db && parse_cite(db, &got) && same_article(&want, &got)) {
                if (!top1)
                    hit = dv;
                top1 = true;
                if (!want.item || want.item == got.item)
                    item = true;
            }
            if (db && parse_cite(db, &got) && same_article(&want, &got))
                top3 = true;
            cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(
                                      dv, "candidates")) {
                const char *cb = cJSON_GetStringValue(
                    cJSON_GetObjectItemCaseSensitive(c, "basis"));
                if (k++ >= 3)
                    break;
                if (cb && parse_cite(cb, &got) && same_article(&want, &got))
                    top3 = true;
            }
        }
        count(R->figs, split, F_TOP1, top1);
        if (want.item)
            count(R->figs, split, F_ITEM, item);
        count(R->figs, split, F_TOP3, top3);
        if (!top1 || (want.item && !item))
            any_miss = true;
        if (!hit)
            continue;
        /* fines: only where the article is right and one article is
         * cited (a combined fine cannot be split between articles) */
        {
            const cJSON *unit = cJSON_GetObjectItemCaseSensitive(hit, "unit");
            const cJSON *fine = cJSON_GetObjectItemCaseSensitive(unit, "fine");
            const cJSON *st = cJSON_GetObjectItemCaseSensitive(fine,
                                                               "statutory");
            bool o1, o2, o3;
            int64_t lo = num(st, "min", &o1), hi = num(st, "max", &o2);
            int64_t rec_fine = num(fine, "recommended", &o3);

            if (uf_ok && cJSON_GetArraySize(basis) == 1 && actual_unit > 0) {
                bool in = o1 && o2 && actual_unit >= lo && actual_unit <= hi;
                count(R->figs, split, F_UNIT, in);
                if (in && o3 && hi > lo &&
                    add_dist(R->figs, split,
                             (double)llabs(rec_fine - actual_unit) /
                                 (double)(hi - lo)))
                    return -1;
            }
        }
        if (cJSON_GetArraySize(basis) == 1) {
            int k = 0;
            const cJSON *dp;
            cJSON_ArrayForEach(pers, cJSON_GetObjectItemCaseSensitive(v,
                                                                  "persons")) {
                char pid[16];
                int64_t f = num(pers, "fine", &ok);
                bool in = false;
                snprintf(pid, sizeof(pid), "p%d", ++k);
                if (!ok || f <= 0)
                    continue;
                cJSON_ArrayForEach(dp, cJSON_GetObjectItemCaseSensitive(
                                           hit, "persons")) {
                    const char *did = cJSON_GetStringValue(
                        cJSON_GetObjectItemCaseSensitive(dp, "id"));
                    const cJSON *st = cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(dp, "fine"),
                        "statutory");
                    bool a, z;
                    int64_t lo = num(st, "min", &a), hi = num(st, "max", &z);
                    if (did && strcmp(did, pid) == 0 && a && z && f >= lo &&
                        f <= hi)
                        in = true;
                }
                count(R->figs, split, F_PERSON, in);
            }
        }
    }

    if (any_miss && split == S_DEV) {
        cJSON *m = cJSON_CreateObject(), *cands = cJSON_CreateArray();
        cJSON_AddStringToObject(m, "id", id);
        cJSON_AddStringToObject(m, "facts", cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(v, "facts")));
        cJSON_AddItemToObject(m, "basis", cJSON_Duplicate(basis, 1));
        if (errbuf[0] && !decision)
            cJSON_AddStringToObject(m, "error", errbuf);
        fprintf(R->misses_txt, "- %s  依据: ", id);
        cJSON_ArrayForEach(b, basis)
            fprintf(R->misses_txt, "%s ", cJSON_GetStringValue(b));
        fprintf(R->misses_txt, "\n  facts: %s\n",
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
                                                                  "facts")));
        if (errbuf[0] && !decision)
            fprintf(R->misses_txt, "  error: %s\n", errbuf);
        cJSON_ArrayForEach(dv, dvs) {
            const char *item = cJSON_GetStringValue(
                cJSON_GetObjectItemCaseSensitive(dv, "item"));
            const char *db = cJSON_GetStringValue(
                cJSON_GetObjectItemCaseSensitive(dv, "basis"));
            const char *oc = cJSON_GetStringValue(
                cJSON_GetObjectItemCaseSensitive(dv, "outcome"));
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "outcome", oc ? oc : "");
            if (item)
                cJSON_AddStringToObject(e, "item", item);
            if (db)
                cJSON_AddStringToObject(e, "basis", db);
            cJSON_AddItemToObject(e, "candidates", cJSON_Duplicate(
                cJSON_GetObjectItemCaseSensitive(dv, "candidates"), 1));
            cJSON_AddItemToArray(cands, e);
            fprintf(R->misses_txt, "  → %s %s %s; candidates:", oc ? oc : "",
                    item ? item : "-", db ? db : "");
            cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(
                                      dv, "candidates"))
                fprintf(R->misses_txt, " %s(%g)",
                        cJSON_GetStringValue(
                            cJSON_GetObjectItemCaseSensitive(c, "item")),
                        cJSON_GetNumberValue(
                            cJSON_GetObjectItemCaseSensitive(c, "score")));
            fputc('\n', R->misses_txt);
        }
        cJSON_AddItemToObject(m, "decided", cands);
        cJSON_AddItemToArray(R->misses, m);
    }
    cJSON_Delete(decision);
    return 0;
}

/* ------------------------------------------------------------------ */
/* penalty articles no item cites */

static cJSON *
uncited(struct run *R)
{
    char *list = NULL;
    size_t n;
    cJSON *cat, *out = cJSON_CreateArray(), *a;
    const cJSON *d, *it;

    if (zf_ruleset_list(&list, &n, R->rs, ZF_LIST_JSON, NULL) != ZF_OK)
        return out;
    cat = cJSON_Parse(list);
    zf_free(R->ctx, list);
    cJSON_ArrayForEach(a, R->articles) {
        struct cite want, got;
        bool found = false;
        if (!parse_cite(a->string, &want))
            continue;
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(cat, "domains"))
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d,
                                                                "items")) {
                const char *b = cJSON_GetStringValue(
                    cJSON_GetObjectItemCaseSensitive(it, "basis"));
                if (b && parse_cite(b, &got) && same_article(&want, &got) &&
                    (!want.item || !got.item || want.item == got.item))
                    found = true;
            }
        if (!found) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "article", a->string);
            cJSON_AddNumberToObject(e, "count", a->valuedouble);
            cJSON_AddItemToArray(out, e);
        }
    }
    cJSON_Delete(cat);
    return out;
}

/* ------------------------------------------------------------------ */
/* floor */

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            char *nb = realloc(buf, cap = (cap ? cap * 2 : 65536));
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Compare with the floor: a rate below its floor, or a median distance
 * above its ceiling, fails. Returns the number of failures. */
static int
check_floor(struct run *R, const char *path, double med[N_SPLIT])
{
    size_t len;
    char *txt = slurp(path, &len);
    cJSON *fl;
    int s, f, fails = 0;

    if (!txt) {
        fprintf(stderr, "zhifa corpus: cannot read floor %s\n", path);
        return 1;
    }
    fl = cJSON_Parse(txt);
    free(txt);
    if (!fl) {
        fprintf(stderr, "zhifa corpus: %s: invalid JSON\n", path);
        return 1;
    }
    for (s = 0; s < N_SPLIT; s++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(fl, split_names[s]);
        const cJSON *x;
        if (!o)
            continue;
        for (f = 0; f < N_FIG; f++) {
            double r = rate(&R->figs[s], f);
            x = cJSON_GetObjectItemCaseSensitive(o, fig_keys[f]);
            if (cJSON_IsNumber(x) && r + 1e-9 < x->valuedouble) {
                fprintf(stderr, "zhifa corpus: %s %s = %.4f is below the "
                        "floor %.4f (%s)\n", split_names[s], fig_keys[f], r,
                        x->valuedouble, path);
                fails++;
            }
        }
        x = cJSON_GetObjectItemCaseSensitive(o, "median_distance");
        if (cJSON_IsNumber(x) && med[s] >= 0 &&
            med[s] > x->valuedouble + 1e-9) {
            fprintf(stderr, "zhifa corpus: %s median_distance = %.4f is above "
                    "the ceiling %.4f (%s)\n", split_names[s], med[s],
                    x->valuedouble, path);
            fails++;
        }
    }
    cJSON_Delete(fl);
    return fails;
}

/* ------------------------------------------------------------------ */

static void
print_rate(FILE *f, const struct split_figs *x, int fig)
{
    char b[48];
    if (!x->n[fig])
        snprintf(b, sizeof(b), "—");
    else
        snprintf(b, sizeof(b), "%5.1f%% (%ld/%ld)",
                 100.0 * (double)x->hit[fig] / (double)x->n[fig], x->hit[fig],
                 x->n[fig]);
    fprintf(f, "  %-20s", b);
}

int
zhifa_run_corpus(zf_context *ctx, zf_ruleset *rs, const char *profile,
                 const char *path, bool json, const char *floor)
{
    struct run R;
    size_t len, nrec = 0;
    char *txt = slurp(path, &len), *line, *next;
    double med[N_SPLIT];
    cJSON *unc;
    int s, f, ex = EXIT_OK;
    long lineno = 0;

    if (!txt) {
        fprintf(stderr, "zhifa corpus: cannot read %s\n", path);
        return EXIT_INVALID;
    }
    memset(&R, 0, sizeof(R));
    R.ctx = ctx;
    R.rs = rs;
    R.misses = cJSON_CreateArray();
    R.articles = cJSON_CreateObject();
    R.misses_txt = tmpfile();
    if (zf_evaluator_new(&R.ev, ctx) != ZF_OK || !R.misses_txt ||
        !R.misses || !R.articles) {
        ex = EXIT_INTERNAL;
        goto out;
    }
    if (profile && zf_evaluator_set_profile(R.ev, profile) != ZF_OK) {
        fprintf(stderr, "zhifa corpus: invalid profile id '%s'\n", profile);
        ex = EXIT_USAGE;
        goto out;
    }
    for (line = txt; line && *line; line = next) {
        cJSON *rec;
        const cJSON *vs, *v;
        const char *sp;
        size_t vi = 0;
        int split;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (!line[strspn(line, " \t\r")])
            continue;
        rec = cJSON_Parse(line);
        if (!rec) {
            fprintf(stderr, "%s:%ld: invalid JSON\n", path, lineno);
            ex = EXIT_INVALID;
            goto out;
        }
        sp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec,
                                                               "split"));
        split = sp && strcmp(sp, "heldout") == 0 ? S_HELD : S_DEV;
        vs = cJSON_GetObjectItemCaseSensitive(rec, "violations");
        nrec++;
        for (s = 0; s < N_SPLIT; s++)
            if (s == S_ALL || s == split)
                R.figs[s].records++;
        cJSON_ArrayForEach(v, vs) {
            for (s = 0; s < N_SPLIT; s++)
                if (s == S_ALL || s == split)
                    R.figs[s].violations++;
            if (one_violation(&R, rec, v, vi++,
                              (size_t)cJSON_GetArraySize(vs), split)) {
                cJSON_Delete(rec);
                ex = EXIT_INTERNAL;
                goto out;
            }
        }
        cJSON_Delete(rec);
    }
    for (s = 0; s < N_SPLIT; s++)
        med[s] = median(&R.figs[s]);
    unc = uncited(&R);

    if (json) {
        cJSON *o = cJSON_CreateObject(), *sps = cJSON_AddObjectToObject(
                                             o, "splits");
        char *out;
        cJSON_AddStringToObject(o, "corpus", path);
        for (s = 0; s < N_SPLIT; s++) {
            cJSON *x = cJSON_AddObjectToObject(sps, split_names[s]);
            cJSON_AddNumberToObject(x, "records", (double)R.figs[s].records);
            cJSON_AddNumberToObject(x, "violations",
                                    (double)R.figs[s].violations);
            for (f = 0; f < N_FIG; f++) {
                cJSON *y = cJSON_AddObjectToObject(x, fig_keys[f]);
                cJSON_AddNumberToObject(y, "hit", (double)R.figs[s].hit[f]);
                cJSON_AddNumberToObject(y, "of", (double)R.figs[s].n[f]);
                if (R.figs[s].n[f])
                    cJSON_AddNumberToObject(y, "rate", rate(&R.figs[s], f));
                else
                    cJSON_AddNullToObject(y, "rate");
            }
            if (med[s] >= 0)
                cJSON_AddNumberToObject(x, "median_distance", med[s]);
            else
                cJSON_AddNullToObject(x, "median_distance");
            cJSON_AddNumberToObject(x, "distance_n",
                                    (double)R.figs[s].n_dist);
        }
        cJSON_AddItemToObject(o, "dev_misses", R.misses);
        R.misses = NULL;
        cJSON_AddItemToObject(o, "uncited_articles", unc);
        out = cJSON_Print(o);
        fputs(out, stdout);
        fputc('\n', stdout);
        cJSON_free(out);
        cJSON_Delete(o);
    } else {
        char buf[4096];
        size_t n;
        const cJSON *u;
        printf("corpus %s: %zu records\n\n%-34s", path, nrec, "");
        for (s = 0; s < N_SPLIT; s++)
            printf("  %-20s", split_names[s]);
        printf("\n%-34s", "records (violations)");
        for (s = 0; s < N_SPLIT; s++) {
            char b[48];
            snprintf(b, sizeof(b), "%ld (%ld)", R.figs[s].records,
                     R.figs[s].violations);
            printf("  %-20s", b);
        }
        for (f = 0; f < N_FIG; f++) {
            printf("\n%-*s", 34 + (int)(strlen(fig_labels[f]) -
                                        strlen(fig_labels[f])),
                   fig_labels[f]);
            for (s = 0; s < N_SPLIT; s++)
                print_rate(stdout, &R.figs[s], f);
        }
        printf("\n%-34s", "median |rec−actual|/range");
        for (s = 0; s < N_SPLIT; s++) {
            char b[48];
            if (med[s] < 0)
                snprintf(b, sizeof(b), "—");
            else
                snprintf(b, sizeof(b), "%.3f (n=%zu)", med[s],
                         R.figs[s].n_dist);
            printf("  %-20s", b);
        }
        printf("\n\nmisses of the dev split (heldout misses are not "
               "shown):\n");
        rewind(R.misses_txt);
        while ((n = fread(buf, 1, sizeof(buf), R.misses_txt)) > 0)
            fwrite(buf, 1, n, stdout);
        printf("\npenalty articles in the corpus that no item cites:\n");
        cJSON_ArrayForEach(u, unc)
            printf("  %s ×%g\n", cJSON_GetStringValue(
                       cJSON_GetObjectItemCaseSensitive(u, "article")),
                   cJSON_GetNumberValue(
                       cJSON_GetObjectItemCaseSensitive(u, "count")));
        cJSON_Delete(unc);
    }
    if (floor && check_floor(&R, floor, med))
        ex = EXIT_INVALID;
out:
    for (s = 0; s < N_SPLIT; s++)
        free(R.figs[s].dist);
    if (R.misses_txt)
        fclose(R.misses_txt);
    cJSON_Delete(R.misses);
    cJSON_Delete(R.articles);
    zf_evaluator_free(R.ev);
    free(txt);
    return ex;
}
