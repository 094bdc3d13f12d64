/* SPDX-License-Identifier: MIT */
/*
 * The enforcement plan's key items (`zhifa list --plan`) and an enterprise's
 * combined checklist (综合清单, `zhifa checklist`).
 *
 * The combined checklist is what an inspection of one enterprise must cover:
 * the items of the common (通用) domain that are key items of the plan or
 * marked 必查, then the key items of every domain the enterprise belongs to
 * (all of the domain's items when the rule set has no plan). An item that
 * two of the enterprise's domains list is printed once, under the first,
 * and notes the others; so are two items with the same conduct and the same
 * penalty basis.
 */
#include "config.h"

#include <string.h>

#include "catalog-private.h"

struct entry {
    const struct zf__item *item;
    bool key;                       /* a key item of the plan */
    size_t also[8];                 /* other sections listing it */
    size_t n_also;
};

struct section {
    const struct zf__domain *domain;
    size_t first, n;                /* entries[first .. first+n) */
};

struct checklist {
    const zf_ruleset *rs;
    const struct zf__domain **ent_domains; /* the enterprise's, deduplicated */
    size_t n_ent_domains;
    struct section *sections;
    size_t n_sections;
    struct entry *entries;
    size_t n_entries, n_merged;
};

static const struct zf__plan_domain *
plan_domain(const zf_ruleset *rs, const struct zf__domain *d)
{
    size_t i;

    for (i = 0; rs->plan && i < rs->plan->n_domains; i++)
        if (rs->plan->domains[i].domain == d)
            return &rs->plan->domains[i];
    return NULL;
}

static bool
is_key(const zf_ruleset *rs, const struct zf__domain *d,
       const struct zf__item *it)
{
    const struct zf__plan_domain *pd = plan_domain(rs, d);
    size_t i;

    for (i = 0; pd && i < pd->n_items; i++)
        if (pd->items[i] == it)
            return true;
    return false;
}

static bool
same_conduct(const struct zf__item *a, const struct zf__item *b)
{
    return a == b || (a->conduct && b->conduct && a->basis && b->basis &&
                      strcmp(a->conduct, b->conduct) == 0 &&
                      strcmp(a->basis, b->basis) == 0);
}

/* Add `it` to the current (last) section unless an earlier entry has the
 * same conduct; then note this section on that entry instead. */
static void
add(struct checklist *c, const struct zf__item *it, bool key)
{
    size_t s = c->n_sections - 1, i;

    for (i = 0; i < c->n_entries; i++)
        if (same_conduct(c->entries[i].item, it)) {
            struct entry *e = &c->entries[i];
            e->key = e->key || key;
            if (e->n_also < sizeof(e->also) / sizeof(e->also[0]) &&
                (e->n_also == 0 || e->also[e->n_also - 1] != s) &&
                c->sections[s].first > i)
                e->also[e->n_also++] = s;
            c->n_merged++;
            return;
        }
    c->entries[c->n_entries].item = it;
    c->entries[c->n_entries].key = key;
    c->entries[c->n_entries].n_also = 0;
    c->n_entries++;
    c->sections[s].n++;
}

static void
open_section(struct checklist *c, const struct zf__domain *d)
{
    struct section *s = &c->sections[c->n_sections++];
    s->domain = d;
    s->first = c->n_entries;
    s->n = 0;
}

/* Fill the domain's section: its key items in the plan's order; then, for
 * the common domain, its other 必查 items; for another domain without a
 * plan, all its items. */
static void
fill_section(struct checklist *c, const struct zf__domain *d)
{
    const struct zf__plan_domain *pd = plan_domain(c->rs, d);
    size_t i;

    open_section(c, d);
    for (i = 0; pd && i < pd->n_items; i++)
        add(c, pd->items[i], true);
    for (i = 0; i < d->n_items; i++) {
        const struct zf__item *it = d->items[i];
        bool wanted = d->common ? it->must_check : !pd;
        if (wanted && !is_key(c->rs, d, it))
            add(c, it, false);
    }
}

static zf_status
build(struct checklist *c, const zf_ruleset *rs, const char *const *names,
      size_t n_names, zf_error *err)
{
    size_t i, j, cap;

    memset(c, 0, sizeof(*c));
    c->rs = rs;
    c->ent_domains = zf__calloc(rs->ctx, n_names + 1, sizeof(*c->ent_domains));
    c->sections = zf__calloc(rs->ctx, rs->n_domains + 1, sizeof(*c->sections));
    cap = rs->n_items * (rs->n_domains + 1) + 1;
    c->entries = zf__calloc(rs->ctx, cap, sizeof(*c->entries));
    if (!c->ent_domains || !c->sections || !c->entries)
        return zf__error_nomem(err);
    for (i = 0; i < n_names; i++) {
        const struct zf__domain *d;
        if (!names[i])
            return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                                 "invalid argument");
        d = zf__ruleset_find_domain(rs, names[i]);
        if (!d) {
            const char *best = NULL;
            unsigned bd = 3, dd;
            for (j = 0; j < rs->n_domains; j++) {
                const struct zf__domain *cand = rs->domains[j];
                dd = zf__edit_distance(names[i], cand->id, 3);
                if (dd < bd) {
                    bd = dd;
                    best = cand->id;
                }
                /* a Chinese name: one character is three bytes */
                dd = zf__edit_distance(names[i], cand->name, 7);
                if (dd <= 6 && dd / 2 < bd) {
                    bd = dd / 2;
                    best = cand->name;
                }
            }
            if (best)
                return zf__error_set(err, ZF_EINPUT,
                                     ZF_DIAG_CASE_UNKNOWN_DOMAIN,
                                     "unknown domain '%s' (did you mean "
                                     "'%s'?)", names[i], best);
            return zf__error_set(err, ZF_EINPUT, ZF_DIAG_CASE_UNKNOWN_DOMAIN,
                                 "unknown domain '%s' (see `zhifa list`)",
                                 names[i]);
        }
        for (j = 0; j < c->n_ent_domains; j++)
            if (c->ent_domains[j] == d)
                break;
        if (j == c->n_ent_domains)
            c->ent_domains[c->n_ent_domains++] = d;
    }
    /* the common domains first, whether or not they were named */
    for (i = 0; i < rs->n_domains; i++)
        if (rs->domains[i]->common)
            fill_section(c, rs->domains[i]);
    for (i = 0; i < c->n_ent_domains; i++)
        if (!c->ent_domains[i]->common)
            fill_section(c, c->ent_domains[i]);
    return ZF_OK;
}

static void
release(struct checklist *c)
{
    zf__free(c->rs->ctx, c->ent_domains);
    zf__free(c->rs->ctx, c->sections);
    zf__free(c->rs->ctx, c->entries);
}

/* Does the standard of a 重大事故隐患 criterion apply to the enterprise?
 * A standard without applies_to applies to all; with no domains given,
 * every criterion is shown. */
static bool
criterion_applies(const struct checklist *c, const struct zf__ref *r)
{
    size_t i, j;

    if (!r->law || !r->law->n_applies_to || !c->n_ent_domains)
        return true;
    for (i = 0; i < r->law->n_applies_to; i++)
        for (j = 0; j < c->n_ent_domains; j++)
            if (c->rs->domains[r->law->applies_idx[i]] == c->ent_domains[j])
                return true;
    return false;
}

static size_t
applicable_criteria(const struct checklist *c, const struct zf__item *it)
{
    size_t k, n = 0;

    for (k = 0; k < it->n_hazards; k++)
        n += criterion_applies(c, &it->hazards[k]);
    return n;
}

static const char *const cn_num[] = {"一", "二", "三", "四", "五", "六",
                                     "七", "八", "九", "十", "十一", "十二",
                                     "十三", "十四", "十五", "十六", "十七",
                                     "十八", "十九", "二十"};

static void
text_cites(struct zf__buf *b, const struct zf__ref *r, size_t n,
           const struct checklist *c, bool hazards)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (hazards && !criterion_applies(c, &r[i]))
            continue;
        zf__buf_puts(b, k++ ? "、" : "");
        zf__buf_puts(b, r[i].cite);
    }
    if (!k)
        zf__buf_puts(b, "—");
}

static void
render_text(struct zf__buf *b, const struct checklist *c, bool markdown)
{
    const zf_ruleset *rs = c->rs;
    size_t s, i, k, t;

    zf__buf_puts(b, markdown ? "# 综合检查清单：" : "综合检查清单：");
    if (!c->n_ent_domains)
        zf__buf_puts(b, "（未指定行业领域，仅通用事项）");
    for (i = 0; i < c->n_ent_domains; i++) {
        zf__buf_puts(b, i ? "、" : "");
        zf__buf_puts(b, c->ent_domains[i]->name);
    }
    zf__buf_puts(b, "\n");
    if (markdown)
        zf__buf_puts(b, "\n");
    zf__buf_printf(b, "规则集 %s %s；", rs->id, rs->version);
    if (rs->plan)
        zf__buf_printf(b, "重点执法事项依计划 %s（%s）", rs->plan->id,
                       rs->plan->title);
    else
        zf__buf_puts(b, "规则集未载入执法计划，列出各领域全部事项");
    zf__buf_printf(b, "。共%zu项", c->n_entries);
    if (c->n_merged)
        zf__buf_printf(b, "（跨领域重复%zu项已合并）", c->n_merged);
    zf__buf_puts(b, "。\n");
    for (s = 0; s < c->n_sections; s++) {
        const struct section *sec = &c->sections[s];
        zf__buf_printf(b, markdown ? "\n## %s、%s（%zu项）\n\n"
                                   : "\n%s、%s（%zu项）\n",
                       s < 20 ? cn_num[s] : "", sec->domain->name, sec->n);
        if (markdown)
            zf__buf_puts(b, "| 序号 | 编号 | 检查事项 | 违反条款 | 处罚条款 "
                            "| 重大事故隐患判定 | 标记 | 检查结果 |\n"
                            "|---|---|---|---|---|---|---|---|\n");
        for (i = 0; i < sec->n; i++) {
            const struct entry *e = &c->entries[sec->first + i];
            const struct zf__item *it = e->item;
            struct zf__buf marks;

            zf__buf_init(&marks, rs->ctx);
            if (e->key)
                zf__buf_puts(&marks, "[重点]");
            if (it->must_check)
                zf__buf_puts(&marks, "[必查]");
            for (t = 0; t < it->n_tags; t++)
                zf__buf_printf(&marks, "[%s]", it->tags[t]);
            for (k = 0; k < e->n_also; k++)
                zf__buf_printf(&marks, "[亦属%s]",
                               c->sections[e->also[k]].domain->name);
            zf__buf_putc(&marks, '\0');
            if (markdown) {
                zf__buf_printf(b, "| %zu | %s | ", i + 1, it->id);
                zf__md_cell(b, it->title);
                zf__buf_puts(b, " | ");
                for (k = 0; k < it->n_violates; k++) {
                    zf__buf_puts(b, k ? "<br>" : "");
                    zf__md_cell(b, it->violates[k].cite);
                }
                zf__buf_puts(b, " | ");
                zf__md_cell(b, it->basis);
                zf__buf_puts(b, " | ");
                {
                    struct zf__buf h;
                    zf__buf_init(&h, rs->ctx);
                    text_cites(&h, it->hazards, it->n_hazards, c, true);
                    zf__buf_putc(&h, '\0');
                    zf__md_cell(b, h.data ? h.data : "");
                    zf__buf_free(&h);
                }
                zf__buf_puts(b, " | ");
                zf__md_cell(b, marks.data ? marks.data : "");
                zf__buf_puts(b, " | ☐ 符合 ☐ 不符合 |\n");
            } else {
                zf__buf_printf(b, "  %zu. %s %s%s%s\n", i + 1, it->id,
                               it->title, e->key || it->must_check ||
                               it->n_tags || e->n_also ? " " : "",
                               marks.data ? marks.data : "");
                zf__buf_puts(b, "     违反条款：");
                text_cites(b, it->violates, it->n_violates, c, false);
                zf__buf_printf(b, "\n     处罚条款：%s\n", it->basis);
                if (applicable_criteria(c, it)) {
                    zf__buf_puts(b, "     重大事故隐患：");
                    text_cites(b, it->hazards, it->n_hazards, c, true);
                    zf__buf_puts(b, "\n");
                }
            }
            zf__buf_free(&marks);
        }
    }
}

static void
render_json(struct zf__buf *b, const struct checklist *c)
{
    const zf_ruleset *rs = c->rs;
    size_t s, i, k, n;

    zf__buf_puts(b, "{\"ruleset\":{\"id\":");
    zf__json_str_or_null(b, rs->id);
    zf__buf_puts(b, ",\"version\":");
    zf__json_str_or_null(b, rs->version);
    zf__buf_puts(b, "},\"plan\":");
    zf__json_str_or_null(b, rs->plan ? rs->plan->id : NULL);
    zf__buf_puts(b, ",\"enterprise_domains\":[");
    for (i = 0; i < c->n_ent_domains; i++) {
        zf__buf_puts(b, i ? "," : "");
        zf__json_str_or_null(b, c->ent_domains[i]->id);
    }
    zf__buf_puts(b, "],\"sections\":[");
    for (s = 0; s < c->n_sections; s++) {
        const struct section *sec = &c->sections[s];
        zf__buf_puts(b, s ? ",{\"domain\":" : "{\"domain\":");
        zf__json_str_or_null(b, sec->domain->id);
        zf__buf_puts(b, ",\"name\":");
        zf__json_str_or_null(b, sec->domain->name);
        zf__buf_puts(b, ",\"items\":[");
        for (i = 0; i < sec->n; i++) {
            const struct entry *e = &c->entries[sec->first + i];
            const struct zf__item *it = e->item;
            zf__buf_puts(b, i ? "," : "");
            zf__json_item_open(b, it);
            zf__buf_puts(b, ",\"criteria\":[");
            for (k = 0, n = 0; k < it->n_hazards; k++)
                if (criterion_applies(c, &it->hazards[k])) {
                    zf__buf_puts(b, n++ ? "," : "");
                    zf__json_str_or_null(b, it->hazards[k].cite);
                }
            zf__buf_printf(b, "],\"key\":%s,\"also_in\":[",
                           e->key ? "true" : "false");
            for (k = 0; k < e->n_also; k++) {
                zf__buf_puts(b, k ? "," : "");
                zf__json_str_or_null(b, c->sections[e->also[k]].domain->id);
            }
            zf__buf_puts(b, "]}");
        }
        zf__buf_puts(b, "]}");
    }
    zf__buf_printf(b, "],\"total\":%zu,\"merged\":%zu}\n", c->n_entries,
                   c->n_merged);
}

ZF_API zf_status
zf_ruleset_checklist(char **out, size_t *out_len, const zf_ruleset *rs,
                     const char *const *domains, size_t n_domains,
                     int format, zf_error *err)
{
    struct checklist c;
    struct zf__buf b;
    zf_status rc;
    char *s;

    if (!out || !rs || (n_domains && !domains))
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    if (format != ZF_LIST_TEXT && format != ZF_LIST_JSON &&
        format != ZF_LIST_MARKDOWN)
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "unknown list format %d", format);
    rc = build(&c, rs, domains, n_domains, err);
    if (rc) {
        release(&c);
        return rc;
    }
    zf__buf_init(&b, rs->ctx);
    if (format == ZF_LIST_JSON)
        render_json(&b, &c);
    else
        render_text(&b, &c, format == ZF_LIST_MARKDOWN);
    release(&c);
    s = zf__buf_steal(&b, out_len);
    if (!s)
        return zf__error_nomem(err);
    *out = s;
    return ZF_OK;
}

ZF_API zf_status
zf_ruleset_plan(char **out, size_t *out_len, const zf_ruleset *rs,
                int format, zf_error *err)
{
    const struct zf__plan *plan;
    struct zf__buf b;
    size_t d, i;
    char *s;

    if (!out || !rs)
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    plan = rs->plan;
    if (!plan)
        return zf__error_set(err, ZF_EINPUT, ZF_DIAG_MISSING_KEY,
                             "the rule set has no plan (a 'plan' section, "
                             "see docs/checklist.md)");
    zf__buf_init(&b, rs->ctx);
    switch (format) {
    case ZF_LIST_JSON:
        zf__buf_puts(&b, "{\"plan\":{\"id\":");
        zf__json_str_or_null(&b, plan->id);
        zf__buf_puts(&b, ",\"title\":");
        zf__json_str_or_null(&b, plan->title);
        zf__buf_puts(&b, ",\"method\":");
        zf__json_str_or_null(&b, plan->method);
        zf__buf_puts(&b, ",\"note\":");
        zf__json_str_or_null(&b, plan->note);
        zf__buf_printf(&b, ",\"key_items\":%zu,\"domains\":[",
                       plan->n_key_items);
        for (d = 0; d < plan->n_domains; d++) {
            const struct zf__plan_domain *pd = &plan->domains[d];
            zf__buf_puts(&b, d ? ",{\"id\":" : "{\"id\":");
            zf__json_str_or_null(&b, pd->domain->id);
            zf__buf_puts(&b, ",\"name\":");
            zf__json_str_or_null(&b, pd->domain->name);
            zf__buf_puts(&b, ",\"items\":[");
            for (i = 0; i < pd->n_items; i++) {
                zf__buf_puts(&b, i ? "," : "");
                zf__json_item_open(&b, pd->items[i]);
                zf__buf_putc(&b, '}');
            }
            zf__buf_puts(&b, "]}");
        }
        zf__buf_puts(&b, "]}}\n");
        break;
    case ZF_LIST_TEXT:
    case ZF_LIST_MARKDOWN: {
        bool md = format == ZF_LIST_MARKDOWN;
        zf__buf_printf(&b, md ? "# %s\n\n" : "%s\n", plan->title);
        zf__buf_printf(&b, "计划 %s：%zu个领域，%zu项重点执法事项。\n",
                       plan->id, plan->n_domains, plan->n_key_items);
        zf__buf_printf(&b, md ? "\n选取方法：%s\n" : "选取方法：%s\n",
                       plan->method);
        if (plan->note)
            zf__buf_printf(&b, md ? "\n说明：%s\n" : "说明：%s\n",
                           plan->note);
        for (d = 0; d < plan->n_domains; d++) {
            const struct zf__plan_domain *pd = &plan->domains[d];
            zf__buf_printf(&b, md ? "\n## %s %s（%zu项）\n\n"
                                  : "\n%s %s（%zu项）\n",
                           pd->domain->id, pd->domain->name, pd->n_items);
            if (md)
                zf__buf_puts(&b, "| 编号 | 检查事项 | 处罚条款 | 重大隐患 |\n"
                                 "|---|---|---|---|\n");
            for (i = 0; i < pd->n_items; i++) {
                const struct zf__item *it = pd->items[i];
                if (md) {
                    zf__buf_printf(&b, "| %s | ", it->id);
                    zf__md_cell(&b, it->title);
                    zf__buf_puts(&b, " | ");
                    zf__md_cell(&b, it->basis);
                    zf__buf_printf(&b, " | %s |\n",
                                   it->n_hazards ? "是" : "");
                } else {
                    zf__buf_printf(&b, "  %-10s %s%s  → %s\n", it->id,
                                   it->title,
                                   it->n_hazards ? " [重大隐患]" : "",
                                   it->basis);
                }
            }
        }
        break;
    }
    default:
        zf__buf_free(&b);
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "unknown list format %d", format);
    }
    s = zf__buf_steal(&b, out_len);
    if (!s)
        return zf__error_nomem(err);
    *out = s;
    return ZF_OK;
}
