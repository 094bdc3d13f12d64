/* SPDX-License-Identifier: MIT */
/*
 * `zhifa test`: run YAML rule tests (docs/rule-tests.md) through the public
 * API. Test files are converted to cJSON trees (keeping line numbers), each
 * case is evaluated and its decision JSON compared with `expect` as a
 * subset.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "ruletest.h"
#include "zhifa/zhifa.h"

/* ------------------------------------------------------------------ */
/* YAML → cJSON, with the line of every mapping kept in a side table */

struct linemap {
    const cJSON **node;
    unsigned *line;
    size_t n, cap;
};

static bool
linemap_add(struct linemap *m, const cJSON *node, unsigned line)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        const cJSON **nn = realloc(m->node, cap * sizeof(*nn));
        unsigned *nl;
        if (!nn)
            return false;
        m->node = nn;
        nl = realloc(m->line, cap * sizeof(*nl));
        if (!nl)
            return false;
        m->line = nl;
        m->cap = cap;
    }
    m->node[m->n] = node;
    m->line[m->n] = line;
    m->n++;
    return true;
}

static unsigned
linemap_get(const struct linemap *m, const cJSON *node)
{
    size_t i;

    for (i = 0; i < m->n; i++)
        if (m->node[i] == node)
            return m->line[i];
    return 0;
}

struct yconv {
    yaml_parser_t parser;
    const char *file;
    struct linemap *lines;
    char err[512];
    int depth;
};

static cJSON *yconv_node(struct yconv *c, yaml_event_t *ev);

static cJSON *
scalar_value(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length, i;

    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return cJSON_CreateString(v);
    if (strcmp(v, "true") == 0)
        return cJSON_CreateTrue();
    if (strcmp(v, "false") == 0)
        return cJSON_CreateFalse();
    if (strcmp(v, "null") == 0 || strcmp(v, "~") == 0 || n == 0)
        return cJSON_CreateNull();
    i = v[0] == '-' ? 1 : 0;
    if (i < n && n - i < 16) {
        size_t k;
        for (k = i; k < n; k++)
            if (v[k] < '0' || v[k] > '9')
                break;
        if (k == n)
            return cJSON_CreateNumber((double)strtoll(v, NULL, 10));
    }
    return cJSON_CreateString(v);
}

static bool
next_event(struct yconv *c, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&c->parser, ev)) {
        snprintf(c->err, sizeof(c->err), "%s:%zu:%zu: YAML: %s", c->file,
                 c->parser.problem_mark.line + 1,
                 c->parser.problem_mark.column + 1,
                 c->parser.problem ? c->parser.problem : "syntax error");
        return false;
    }
    return true;
}

static cJSON *
yconv_collection(struct yconv *c, yaml_event_t *start)
{
    bool map = start->type == YAML_MAPPING_START_EVENT;
    cJSON *out = map ? cJSON_CreateObject() : cJSON_CreateArray();
    unsigned line = (unsigned)start->start_mark.line + 1;

    if (!out || ++c->depth > 64) {
        snprintf(c->err, sizeof(c->err), "%s:%u: nesting too deep", c->file,
                 line);
        cJSON_Delete(out);
        return NULL;
    }
    if (map && !linemap_add(c->lines, out, line)) {
        cJSON_Delete(out);
        return NULL;
    }
    for (;;) {
        yaml_event_t ev;
        cJSON *key = NULL, *val;
        char *k = NULL;

        if (!next_event(c, &ev))
            goto fail;
        if (ev.type == YAML_MAPPING_END_EVENT ||
            ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (map) {
            if (ev.type != YAML_SCALAR_EVENT) {
                snprintf(c->err, sizeof(c->err), "%s:%zu: keys must be "
                         "strings", c->file, ev.start_mark.line + 1);
                yaml_event_delete(&ev);
                goto fail;
            }
            k = strdup((const char *)ev.data.scalar.value);
            if (!k || cJSON_GetObjectItemCaseSensitive(out, k)) {
                snprintf(c->err, sizeof(c->err), "%s:%zu:%zu: duplicate key "
                         "'%s'", c->file, ev.start_mark.line + 1,
                         ev.start_mark.column + 1, k ? k : "");
                free(k);
                yaml_event_delete(&ev);
                goto fail;
            }
            yaml_event_delete(&ev);
            if (!next_event(c, &ev)) {
                free(k);
                goto fail;
            }
        }
        val = yconv_node(c, &ev);
        yaml_event_delete(&ev);
        if (!val) {
            free(k);
            goto fail;
        }
        if (map) {
            cJSON_AddItemToObject(out, k, val);
            free(k);
        } else {
            cJSON_AddItemToArray(out, val);
        }
        (void)key;
    }
    c->depth--;
    return out;
fail:
    cJSON_Delete(out);
    return NULL;
}

static cJSON *
yconv_node(struct yconv *c, yaml_event_t *ev)
{
    const yaml_char_t *anchor = NULL, *tag = NULL;

    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
        break;
    case YAML_ALIAS_EVENT:
    default:
        snprintf(c->err, sizeof(c->err), "%s:%zu:%zu: aliases are not "
                 "allowed", c->file, ev->start_mark.line + 1,
                 ev->start_mark.column + 1);
        return NULL;
    }
    if (anchor || tag) {
        snprintf(c->err, sizeof(c->err), "%s:%zu:%zu: anchors and tags are "
                 "not allowed", c->file, ev->start_mark.line + 1,
                 ev->start_mark.column + 1);
        return NULL;
    }
    if (ev->type == YAML_SCALAR_EVENT)
        return scalar_value(ev);
    return yconv_collection(c, ev);
}

static cJSON *
yaml_to_json(const char *file, const char *buf, size_t len,
             struct linemap *lines, char *err, size_t err_size)
{
    struct yconv c;
    yaml_event_t ev;
    cJSON *root = NULL;

    memset(&c, 0, sizeof(c));
    c.file = file;
    c.lines = lines;
    if (!yaml_parser_initialize(&c.parser)) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)buf, len);
    for (;;) {
        if (!next_event(&c, &ev))
            break;
        if (ev.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (ev.type == YAML_SCALAR_EVENT ||
            ev.type == YAML_SEQUENCE_START_EVENT ||
            ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_ALIAS_EVENT) {
            if (root) {
                snprintf(c.err, sizeof(c.err), "%s: only one document",
                         file);
                yaml_event_delete(&ev);
                cJSON_Delete(root);
                root = NULL;
                break;
            }
            root = yconv_node(&c, &ev);
            if (!root) {
                yaml_event_delete(&ev);
                break;
            }
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&c.parser);
    if (!root)
        snprintf(err, err_size, "%s", c.err[0] ? c.err : "empty test file");
    return root;
}

/* ------------------------------------------------------------------ */
/* comparison */

struct diffbuf {
    char *s;
    size_t len, cap;
};

static void dprintf_(struct diffbuf *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
dprintf_(struct diffbuf *d, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (d->len + (size_t)n + 1 > d->cap) {
        size_t cap = (d->len + (size_t)n + 1) * 2;
        char *ns = realloc(d->s, cap);
        if (!ns)
            return;
        d->s = ns;
        d->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(d->s + d->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    d->len += (size_t)n;
}

static char *
show(const cJSON *v)
{
    char *s;

    if (!v)
        return strdup("(missing)");
    s = cJSON_PrintUnformatted(v);
    if (s && strlen(s) > 300)
        strcpy(s + 290, "…");
    return s ? s : strdup("?");
}

static bool
scalar_equal(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return a->valuedouble == b->valuedouble;
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsBool(a) && cJSON_IsBool(b))
        return cJSON_IsTrue(a) == cJSON_IsTrue(b);
    if (cJSON_IsNull(a) && cJSON_IsNull(b))
        return true;
    /* a YAML number written for a string value */
    if (cJSON_IsNumber(a) && cJSON_IsString(b)) {
        char tmp[32];
        snprintf(tmp, sizeof(tmp), "%.0f", a->valuedouble);
        return strcmp(tmp, b->valuestring) == 0;
    }
    return false;
}

/* Is `want` a subset of `got`? Appends differences to d. */
static int
subset(const cJSON *want, const cJSON *got, char *path, size_t path_size,
       struct diffbuf *d)
{
    size_t plen = strlen(path);
    int diffs = 0;

    if (cJSON_IsObject(want)) {
        const cJSON *w;
        if (!cJSON_IsObject(got)) {
            char *g = show(got);
            dprintf_(d, "  %s: expected an object, got %s\n",
                     plen ? path : "(root)", g);
            free(g);
            return 1;
        }
        cJSON_ArrayForEach(w, want) {
            snprintf(path + plen, path_size - plen, "%s%s", plen ? "." : "",
                     w->string);
            diffs += subset(w, cJSON_GetObjectItemCaseSensitive(got,
                                                                w->string),
                            path, path_size, d);
            path[plen] = '\0';
        }
        return diffs;
    }
    if (cJSON_IsArray(want)) {
        int nw = cJSON_GetArraySize(want), ng, i;
        if (!cJSON_IsArray(got)) {
            char *g = show(got);
            dprintf_(d, "  %s: expected a list, got %s\n", path, g);
            free(g);
            return 1;
        }
        ng = cJSON_GetArraySize(got);
        if (nw != ng) {
            char *g = show(got);
            dprintf_(d, "  %s: expected %d entries, got %d: %s\n", path, nw,
                     ng, g);
            free(g);
            return 1;
        }
        for (i = 0; i < nw; i++) {
            snprintf(path + plen, path_size - plen, "[%d]", i);
            diffs += subset(cJSON_GetArrayItem(want, i),
                            cJSON_GetArrayItem(got, i), path, path_size, d);
            path[plen] = '\0';
        }
        return diffs;
    }
    if (!got || !scalar_equal(want, got)) {
        char *w = show(want), *g = show(got);
        dprintf_(d, "  %s: expected %s, got %s\n", path, w, g);
        free(w);
        free(g);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* running */

struct coverage {
    char **item;       /* reached items */
    unsigned *tiers;   /* bit mask of tiers reached */
    size_t n, cap;
};

static void
cover(struct coverage *cv, const char *item, const char *tier)
{
    static const char *const tiers[] = {"lighter", "normal", "heavier",
                                        "maximum", "mitigated"};
    size_t i;
    unsigned bit = 0;

    if (!item)
        return;
    for (i = 0; tier && i < 5; i++)
        if (strcmp(tier, tiers[i]) == 0)
            bit = 1u << i;
    for (i = 0; i < cv->n; i++)
        if (strcmp(cv->item[i], item) == 0) {
            cv->tiers[i] |= bit;
            return;
        }
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? cv->cap * 2 : 64;
        char **ni = realloc(cv->item, cap * sizeof(*ni));
        unsigned *nt;
        if (!ni)
            return;
        cv->item = ni;
        nt = realloc(cv->tiers, cap * sizeof(*nt));
        if (!nt)
            return;
        cv->tiers = nt;
        cv->cap = cap;
    }
    cv->item[cv->n] = strdup(item);
    if (!cv->item[cv->n])
        return;
    cv->tiers[cv->n++] = bit;
}

struct junit {
    struct diffbuf xml;
    size_t tests, failures;
};

static void
xml_escape(struct diffbuf *d, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': dprintf_(d, "&lt;"); break;
        case '>': dprintf_(d, "&gt;"); break;
        case '&': dprintf_(d, "&amp;"); break;
        case '"': dprintf_(d, "&quot;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                dprintf_(d, " ");
            else
                dprintf_(d, "%c", *s);
        }
    }
}

struct runner {
    zf_context *ctx;
    zf_ruleset *rs;
    zf_evaluator *ev;
    struct coverage cov;
    cJSON *texts;      /* every phrasing seen, for the ambiguity sweep */
    struct junit *junit;
    size_t passed, failed;
};

static void
record(struct runner *R, const char *file, unsigned line, const char *name,
       const char *diff)
{
    if (diff && *diff) {
        R->failed++;
        printf("%s:%u: FAIL %s\n%s", file, line, name, diff);
    } else {
        R->passed++;
    }
    if (R->junit) {
        struct diffbuf *x = &R->junit->xml;
        R->junit->tests++;
        dprintf_(x, "    <testcase classname=\"");
        xml_escape(x, file);
        dprintf_(x, "\" name=\"");
        xml_escape(x, name);
        dprintf_(x, " (line %u)\"", line);
        if (diff && *diff) {
            R->junit->failures++;
            dprintf_(x, "><failure message=\"expected and actual differ\">");
            xml_escape(x, diff);
            dprintf_(x, "</failure></testcase>\n");
        } else {
            dprintf_(x, "/>\n");
        }
    }
}

/* Evaluate a case (cJSON); returns the decision as cJSON or NULL with err. */
static cJSON *
evaluate(struct runner *R, const cJSON *case_json, zf_error *err)
{
    char *text = cJSON_PrintUnformatted(case_json), *out = NULL;
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    cJSON *res = NULL;
    size_t n;

    if (!text) {
        snprintf(err->message, sizeof(err->message), "out of memory");
        return NULL;
    }
    if (zf_case_parse(&cs, R->ctx, text, strlen(text), err) == ZF_OK &&
        zf_evaluate(&dec, R->ev, R->rs, cs, err) == ZF_OK &&
        zf_decision_render(&out, &n, dec, ZF_RENDER_JSON, err) == ZF_OK)
        res = cJSON_ParseWithLength(out, n);
    zf_free(R->ctx, out);
    zf_decision_free(dec);
    zf_case_free(cs);
    free(text);
    return res;
}

static void
cover_decision(struct runner *R, const cJSON *dec)
{
    const cJSON *v;

    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(dec, "violations")) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(v, "item"),
                    *tier = cJSON_GetObjectItemCaseSensitive(v, "tier");
        if (cJSON_IsString(it))
            cover(&R->cov, it->valuestring,
                  cJSON_IsString(tier) ? tier->valuestring : NULL);
    }
}

static void
run_case_test(struct runner *R, const char *file, unsigned line,
              const char *name, const cJSON *t)
{
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(t, "case"),
                *expect = cJSON_GetObjectItemCaseSensitive(t, "expect"),
                *experr = cJSON_GetObjectItemCaseSensitive(t, "error");
    struct diffbuf d = {NULL, 0, 0};
    zf_error err = ZF_ERROR_INIT;
    cJSON *dec;
    char path[512] = "";

    if (!cJSON_IsObject(cs) || (!expect == !experr)) {
        dprintf_(&d, "  a case test needs 'case' and exactly one of 'expect' "
                     "or 'error'\n");
        record(R, file, line, name, d.s);
        free(d.s);
        return;
    }
    dec = evaluate(R, cs, &err);
    if (experr) {
        cJSON *got = cJSON_CreateObject();
        if (!dec) {
            cJSON_AddNumberToObject(got, "diag", err.diag);
            cJSON_AddStringToObject(got, "path", err.path);
            cJSON_AddStringToObject(got, "message", err.message);
            subset(experr, got, path, sizeof(path), &d);
        } else {
            dprintf_(&d, "  expected an error, but the case was accepted\n");
        }
        cJSON_Delete(got);
    } else if (!dec) {
        dprintf_(&d, "  the case was rejected: [ZF-%03d] %s\n", err.diag,
                 err.message);
    } else {
        subset(expect, dec, path, sizeof(path), &d);
        cover_decision(R, dec);
    }
    record(R, file, line, name, d.s);
    free(d.s);
    cJSON_Delete(dec);
}

static void
run_phrasing_test(struct runner *R, const char *file, unsigned line,
                  const char *name, const cJSON *t)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(t, "item"),
                *not_item = cJSON_GetObjectItemCaseSensitive(t, "not_item"),
                *domains = cJSON_GetObjectItemCaseSensitive(t, "domains"),
                *texts = cJSON_GetObjectItemCaseSensitive(t, "texts"), *txt;

    if (!cJSON_IsArray(texts) || (item && not_item) ||
        (item && !cJSON_IsString(item) && !cJSON_IsNull(item)) ||
        (not_item && !cJSON_IsString(not_item)) ||
        (domains && !cJSON_IsArray(domains))) {
        record(R, file, line, name,
               "  a phrasing test needs 'texts' (a list) and 'item' (a string "
               "or null) or 'not_item' (a string); 'domains' is a list\n");
        return;
    }
    cJSON_ArrayForEach(txt, texts) {
        struct diffbuf d = {NULL, 0, 0};
        zf_error err = ZF_ERROR_INIT;
        cJSON *cs = cJSON_CreateObject(), *ent, *vs, *v, *dec;
        char label[600];

        if (R->texts && cJSON_IsString(txt))
            cJSON_AddItemToArray(R->texts,
                                 cJSON_CreateString(txt->valuestring));
        if (domains) {
            ent = cJSON_AddObjectToObject(cs, "enterprise");
            cJSON_AddItemToObject(ent, "domains", cJSON_Duplicate(domains, 1));
        }
        vs = cJSON_AddArrayToObject(cs, "violations");
        v = cJSON_CreateObject();
        cJSON_AddItemToObject(v, "text", cJSON_Duplicate(txt, 0));
        cJSON_AddItemToArray(vs, v);
        snprintf(label, sizeof(label), "%s: %s", name,
                 cJSON_IsString(txt) ? txt->valuestring : "?");
        dec = evaluate(R, cs, &err);
        if (!dec) {
            dprintf_(&d, "  the case was rejected: [ZF-%03d] %s\n", err.diag,
                     err.message);
        } else {
            const cJSON *dv = cJSON_GetArrayItem(
                cJSON_GetObjectItemCaseSensitive(dec, "violations"), 0);
            const cJSON *got = cJSON_GetObjectItemCaseSensitive(dv, "item");
            const char *g = cJSON_IsString(got) ? got->valuestring : NULL;
            char *cands = show(cJSON_GetObjectItemCaseSensitive(dv,
                                                                "candidates"));
            if (not_item) {
                if (g && strcmp(g, not_item->valuestring) == 0)
                    dprintf_(&d, "  matched %s, which it must not\n", g);
            } else if (cJSON_IsNull(item)) {
                if (g)
                    dprintf_(&d, "  expected no match, got %s\n", g);
            } else if (!g || strcmp(g, item->valuestring) != 0) {
                dprintf_(&d, "  expected %s, got %s (candidates %s)\n",
                         item->valuestring, g ? g : "no match", cands);
            }
            free(cands);
            if (g)
                cover(&R->cov, g, NULL);
        }
        record(R, file, line, label, d.s);
        free(d.s);
        cJSON_Delete(dec);
        cJSON_Delete(cs);
    }
}

static int
run_file(struct runner *R, const char *path)
{
    struct linemap lines = {NULL, NULL, 0, 0};
    char err[600];
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, r;
    cJSON *root = NULL, *tests, *t;
    int rc = 0;

    if (!f) {
        fprintf(stderr, "zhifa: error: cannot open %s: %s\n", path,
                strerror(errno));
        R->failed++;      /* a file that cannot be run is a failure */
        return 1;
    }
    do {
        if (len == cap) {
            char *nb;
            cap = cap ? cap * 2 : 65536;
            nb = realloc(buf, cap + 1);
            if (!nb) {
                fclose(f);
                free(buf);
                return 3;
            }
            buf = nb;
        }
        r = fread(buf + len, 1, cap - len, f);
        len += r;
    } while (r > 0 && len < (size_t)64 << 20);
    fclose(f);
    root = yaml_to_json(path, buf ? buf : "", len, &lines, err, sizeof(err));
    free(buf);
    if (!root) {
        fprintf(stderr, "%s\n", err);
        R->failed++;      /* counted, so the summary line is not "0 failed" */
        rc = 1;
        goto out;
    }
    tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
    if (!cJSON_IsObject(root) || !cJSON_IsArray(tests) ||
        cJSON_GetArraySize(root) != 1) {
        fprintf(stderr, "%s:1: error: a test file is a mapping with one key, "
                "'tests', a list\n", path);
        R->failed++;
        rc = 1;
        goto out;
    }
    cJSON_ArrayForEach(t, tests) {
        static const char *const keys[] = {"name", "case", "expect", "error",
                                           "item", "not_item", "domains",
                                           "texts", "profile", NULL};
        const cJSON *prof;
        unsigned line = linemap_get(&lines, t);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(t, "name"), *k;
        const char *nm = cJSON_IsString(name) ? name->valuestring : "(unnamed)";
        bool bad = !cJSON_IsObject(t);
        const cJSON *obj = bad ? NULL : t;

        if (bad)
            record(R, path, line, nm, "  a test must be a mapping\n");
        cJSON_ArrayForEach(k, obj) {
            size_t i;
            for (i = 0; keys[i]; i++)
                if (strcmp(k->string, keys[i]) == 0)
                    break;
            if (!keys[i]) {
                char msg[300];
                snprintf(msg, sizeof(msg), "  unknown key '%s' in a test\n",
                         k->string);
                record(R, path, line, nm, msg);
                bad = true;
                break;
            }
        }
        if (bad)
            continue;
        prof = cJSON_GetObjectItemCaseSensitive(t, "profile");
        if (prof && (!cJSON_IsString(prof) ||
                     zf_evaluator_set_profile(R->ev, prof->valuestring))) {
            record(R, path, line, nm, "  'profile' must be a profile id\n");
            continue;
        }
        if (cJSON_GetObjectItemCaseSensitive(t, "case"))
            run_case_test(R, path, line, nm, t);
        else
            run_phrasing_test(R, path, line, nm, t);
        zf_evaluator_set_profile(R->ev, NULL);
    }
out:
    cJSON_Delete(root);
    free(lines.node);
    free(lines.line);
    return rc;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* All *.yaml under dir (recursively), sorted; run them. */
static int
run_dir(struct runner *R, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;

    if (!d) {
        fprintf(stderr, "zhifa: error: cannot open %s: %s\n", dir,
                strerror(errno));
        return 1;
    }
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        char *p;
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        p = malloc(strlen(dir) + l + 2);
        if (!p)
            break;
        sprintf(p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) != 0 ||
            (!S_ISDIR(st.st_mode) &&
             (l < 5 || strcmp(e->d_name + l - 5, ".yaml") != 0))) {
            free(p);
            continue;
        }
        if (n == cap) {
            char **nn;
            cap = cap ? cap * 2 : 16;
            nn = realloc(names, cap * sizeof(*nn));
            if (!nn) {
                free(p);
                break;
            }
            names = nn;
        }
        names[n++] = p;
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_str);
    for (i = 0; i < n; i++) {
        struct stat st;
        int r = stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)
                    ? run_dir(R, names[i])
                    : run_file(R, names[i]);
        if (r > rc)
            rc = r;
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Items and tiers no test reached (from the catalogue and show JSON). */
static void
report_coverage(struct runner *R)
{
    static const char *const tiers[] = {"lighter", "normal", "heavier"};
    struct diffbuf untested = {NULL, 0, 0}, partial = {NULL, 0, 0};
    char *s = NULL;
    size_t n = 0;
    cJSON *list, *dom, *it;

    if (zf_ruleset_list(&s, &n, R->rs, ZF_LIST_JSON, NULL) != ZF_OK)
        return;
    list = cJSON_ParseWithLength(s, n);
    zf_free(R->ctx, s);
    cJSON_ArrayForEach(dom, cJSON_GetObjectItemCaseSensitive(list,
                                                             "domains")) {
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(dom,
                                                                "items")) {
            const char *id = cJSON_GetObjectItemCaseSensitive(it, "id")
                                 ->valuestring;
            size_t i;
            unsigned reached = 0, need = 0, missing;
            bool found = false, first = true;
            char *sh = NULL;
            cJSON *show_json, *row;

            for (i = 0; i < R->cov.n; i++)
                if (strcmp(R->cov.item[i], id) == 0) {
                    found = true;
                    reached = R->cov.tiers[i];
                }
            if (!found) {
                dprintf_(&untested, " %s", id);
                continue;
            }
            if (zf_ruleset_show(&sh, &n, R->rs, id, ZF_LIST_JSON, NULL))
                continue;
            show_json = cJSON_ParseWithLength(sh, n);
            zf_free(R->ctx, sh);
            cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(
                                        show_json, "discretion")) {
                const cJSON *tier = cJSON_GetObjectItemCaseSensitive(row,
                                                                     "tier");
                for (i = 0; i < 3; i++)
                    if (cJSON_IsString(tier) &&
                        strcmp(tier->valuestring, tiers[i]) == 0)
                        need |= 1u << i;
            }
            cJSON_Delete(show_json);
            missing = need & ~reached;
            if (!missing)
                continue;
            dprintf_(&partial, " %s(", id);
            for (i = 0; i < 3; i++)
                if (missing & (1u << i)) {
                    dprintf_(&partial, "%s%s", first ? "" : ",", tiers[i]);
                    first = false;
                }
            dprintf_(&partial, ")");
        }
    }
    if (untested.s)
        printf("not reached by any test:%s\n", untested.s);
    if (partial.s)
        printf("tiers not reached:%s\n", partial.s);
    free(untested.s);
    free(partial.s);
    cJSON_Delete(list);
}

/* Do the top candidates (equal score) include two of one domain? A tie
 * between items of different domains is settled by the enterprise's
 * domains; one inside a domain (or 通用 against itself) is not. */
static bool
same_domain_tie(const cJSON *cands)
{
    const cJSON *a, *b;
    double top = -1;

    cJSON_ArrayForEach(a, cands) {
        const cJSON *sa = cJSON_GetObjectItemCaseSensitive(a, "score"),
                    *da = cJSON_GetObjectItemCaseSensitive(a, "domain");
        if (top < 0)
            top = cJSON_IsNumber(sa) ? sa->valuedouble : 0;
        if (!cJSON_IsNumber(sa) || sa->valuedouble != top ||
            !cJSON_IsString(da))
            continue;
        for (b = a->next; b; b = b->next) {
            const cJSON *sb = cJSON_GetObjectItemCaseSensitive(b, "score"),
                        *db = cJSON_GetObjectItemCaseSensitive(b, "domain");
            if (cJSON_IsNumber(sb) && sb->valuedouble == top &&
                cJSON_IsString(db) &&
                strcmp(da->valuestring, db->valuestring) == 0)
                return true;
        }
    }
    return false;
}

/* No phrasing any test uses may match two items of one domain equally
 * well with the same priority, for an enterprise whose domains are not
 * given (every item is a candidate then): patterns must not claim the same
 * phrasing without a tie-break. Each text counts as one test. */
static void
ambiguity_sweep(struct runner *R)
{
    const cJSON *txt;
    size_t n = 0;

    cJSON_ArrayForEach(txt, R->texts) {
        struct diffbuf d = {NULL, 0, 0};
        zf_error err = ZF_ERROR_INIT;
        cJSON *cs = cJSON_CreateObject(), *vs, *v, *dec;
        char label[600];

        memset(&err, 0, sizeof(err));
        vs = cJSON_AddArrayToObject(cs, "violations");
        v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "text", txt->valuestring);
        cJSON_AddItemToArray(vs, v);
        dec = evaluate(R, cs, &err);
        if (dec) {
            const cJSON *dv = cJSON_GetArrayItem(
                cJSON_GetObjectItemCaseSensitive(dec, "violations"), 0);
            const cJSON *out = cJSON_GetObjectItemCaseSensitive(dv,
                                                                "outcome");
            if (cJSON_IsString(out) &&
                strcmp(out->valuestring, "ambiguous") == 0 &&
                same_domain_tie(cJSON_GetObjectItemCaseSensitive(
                    dv, "candidates"))) {
                char *c = show(cJSON_GetObjectItemCaseSensitive(dv,
                                                                "candidates"));
                dprintf_(&d, "  two items of one domain claim this phrasing "
                             "equally (same score and priority): %s\n", c);
                free(c);
            }
        }
        snprintf(label, sizeof(label), "no ambiguity: %s", txt->valuestring);
        record(R, "(all phrasings, no domains)", 0, label, d.s);
        free(d.s);
        cJSON_Delete(dec);
        cJSON_Delete(cs);
        n++;
    }
    (void)n;
}

int
zhifa_run_tests(zf_context *ctx, zf_ruleset *rs, const char *rules_path,
                int nargs, char **args, const char *junit_path)
{
    struct runner R;
    struct junit J = {{NULL, 0, 0}, 0, 0};
    int rc = 0, i;
    size_t k;

    memset(&R, 0, sizeof(R));
    R.ctx = ctx;
    R.rs = rs;
    R.texts = cJSON_CreateArray();
    if (junit_path)
        R.junit = &J;
    if (zf_evaluator_new(&R.ev, ctx) != ZF_OK) {
        fprintf(stderr, "zhifa: error: out of memory\n");
        return 3;
    }
    if (nargs == 0) {
        struct stat st;
        char *dir = malloc(strlen(rules_path) + 8);
        if (!dir)
            return 3;
        sprintf(dir, "%s/tests", rules_path);
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            rc = run_dir(&R, dir);
        else
            fprintf(stderr, "zhifa: no test files given and no %s\n", dir);
        free(dir);
    }
    for (i = 0; i < nargs; i++) {
        struct stat st;
        int r;
        if (stat(args[i], &st) != 0) {
            fprintf(stderr, "zhifa: error: cannot open %s: %s\n", args[i],
                    strerror(errno));
            r = 1;
        } else {
            r = S_ISDIR(st.st_mode) ? run_dir(&R, args[i])
                                    : run_file(&R, args[i]);
        }
        if (r > rc)
            rc = r;
    }
    ambiguity_sweep(&R);
    cJSON_Delete(R.texts);
    report_coverage(&R);
    if (junit_path) {
        FILE *f = fopen(junit_path, "wb");
        if (!f) {
            fprintf(stderr, "zhifa: error: cannot create %s: %s\n",
                    junit_path, strerror(errno));
            rc = 3;
        } else {
            fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites>\n  <testsuite name=\"zhifa rule tests\" "
                       "tests=\"%zu\" failures=\"%zu\">\n%s  </testsuite>\n"
                       "</testsuites>\n",
                    J.tests, J.failures, J.xml.s ? J.xml.s : "");
            if (fclose(f) != 0)
                rc = 3;
        }
        free(J.xml.s);
    }
    printf("%zu passed, %zu failed\n", R.passed, R.failed);
    for (k = 0; k < R.cov.n; k++)
        free(R.cov.item[k]);
    free(R.cov.item);
    free(R.cov.tiers);
    zf_evaluator_free(R.ev);
    if (R.failed && rc < 1)
        rc = 1;
    return rc;
}
