/* SPDX-License-Identifier: MIT */
/*
 * Matching of free-text findings to checklist items. Owns the evaluator's
 * PCRE2 match state; see match-private.h.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

struct zf__matcher {
    const zf_context *ctx;
    pcre2_general_context *gctx;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    pcre2_jit_stack *jit;
};

static void *
m_malloc(size_t size, void *ud)
{
    return zf__malloc(ud, size);
}

static void
m_free(void *p, void *ud)
{
    zf__free(ud, p);
}

zf_status
zf__matcher_new(struct zf__matcher **out, const zf_context *ctx)
{
    struct zf__matcher *m = zf__calloc(ctx, 1, sizeof(*m));

    if (!m)
        return ZF_ENOMEM;
    m->ctx = ctx;
    m->gctx = pcre2_general_context_create(m_malloc, m_free, (void *)ctx);
    if (!m->gctx)
        goto oom;
    m->mctx = pcre2_match_context_create(m->gctx);
    m->md = pcre2_match_data_create(1, m->gctx);
    if (!m->mctx || !m->md)
        goto oom;
    pcre2_set_match_limit(m->mctx, (uint32_t)zf__limit(ctx, ZF_LIMIT_MATCH));
    pcre2_set_depth_limit(m->mctx,
                          (uint32_t)zf__limit(ctx, ZF_LIMIT_MATCH_DEPTH));
    pcre2_set_heap_limit(m->mctx,
                         (uint32_t)zf__limit(ctx, ZF_LIMIT_MATCH_HEAP));
    m->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, m->gctx);
    if (m->jit)
        pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
    *out = m;
    return ZF_OK;
oom:
    zf__matcher_free(m);
    return ZF_ENOMEM;
}

void
zf__matcher_free(struct zf__matcher *m)
{
    if (!m)
        return;
    if (m->jit)
        pcre2_jit_stack_free(m->jit);
    if (m->md)
        pcre2_match_data_free(m->md);
    if (m->mctx)
        pcre2_match_context_free(m->mctx);
    if (m->gctx)
        pcre2_general_context_free(m->gctx);
    zf__free(m->ctx, m);
}

void *
zf__matcher_data(struct zf__matcher *m)
{
    return m->md;
}

void *
zf__matcher_context(struct zf__matcher *m)
{
    return m->mctx;
}

static int
pattern_match(struct zf__matcher *M, const struct zf__pattern *p, const char *s,
              size_t n, uint64_t mask, int64_t *score)
{
    int rc;
    PCRE2_SIZE *ov;

    if (!zf__pf_may_match(p->lits, p->n_lits, s, n, mask))
        return 0;
    rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK,
                     M->md, M->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return -1;
    ov = pcre2_get_ovector_pointer(M->md);
    *score = 1 + (int64_t)zf__utf8_count(s + ov[0], ov[1] - ov[0]);
    return 1;
}

/* ------------------------------------------------------------------ */
/* text normalisation for n-gram evidence
 *
 * Inspectors write in many hands: traditional characters (pages mirrored
 * from Taiwan/HK sites), "没有" for the statute's "未", "按照" for "按",
 * "安全技术培训" for "安全作业培训". Before n-grams are taken, the text and
 * the items' wording go through the same normalisation: the traditional
 * forms below become simplified, then the word pairs are rewritten. Only
 * CJK code points form bigrams (punctuation, digits and Latin do not). */

/* traditional → simplified, for the characters the findings use */
static const char trad_pairs[] =
    "發发現现該该單单個个這这為为於于與与並并將将從从經经過过員员們们業业"
    "産产產产廠厂車车間间設设備备裝装置置標标誌志識识護护欄栏險险檢检測测報报"
    "警警記记錄录證证書书資资格格培培訓训練练崗岗級级規规範范條条項项款款處处"
    "罰罚決决責责任任務务機机構构負负導导領领嚴严禁禁電电氣气線线壓压鍋锅爐炉"
    "罐罐庫库區区場场門门關关閉闭開开啟启動动運运輸输儲储存存煙烟爆爆竹竹藥药"
    "劑剂氫氢氯氯氨氨燒烧焊焊割割熱热爐炉鋁铝銅铜鋼钢鐵铁礦矿採采掘掘隱隐患患"
    "辨辨專专門门組组織织應应急急預预案案演演習习協协議议邊边臨临時时點点號号"
    "統统計计數数據据實实際际實实狀状況况責责週周圍围維维修修養养術术類类種种"
    "擔担導导屬属於于會会議议處处備备齊齐齊齐質质確确認认職职員员長长鄉乡鎮镇"
    "縣县區区市市執执驗验審审閱阅發发現现問问題题違违反反規规定定濟济損损傷伤"
    "亡亡聯联絡络換换氣气體体濃浓顯显繫系戶户廠厂傢家麵面粉粉塵尘爆爆除除塵尘"
    "風风屬属鏈链輛辆軌轨構构築筑樓楼層层梯梯窗窗緊紧疏疏散散通通道道擋挡塞塞"
    "佔占堆堆積积層层網网絡络貨货櫃柜庫库倉仓儲储紙纸箱箱噸吨萬万億亿餘余幾几"
    "無无沒没頭头腦脑掛挂牌牌顏颜色色錯错誤误舊旧廢废棄弃僅仅滅灭災灾撲扑救救"
    "觀观視视聽听說说讀读寫写學学習习試试題题練练級级簽签訂订約约託托轉转讓让"
    "賣卖買买銷销售售進进貨货價价錢钱額额罰罚沒没收收證证許许可可邊边緣缘";

/* word-level rewrites, applied after trad_pairs (longest first within a
 * start position is not needed: the list is written so that no entry is
 * a prefix of a later one) */
static const char *const word_pairs[][2] = {
    {"没有", "未"}, {"未能", "未"}, {"未经过", "未经"}, {"不按", "未按"},
    {"按照", "按"}, {"依照", "按"}, {"国家有关规定", "规定"},
    {"有关规定", "规定"}, {"安全技术培训", "安全作业培训"},
    {"安全培训", "安全作业培训"}, {"操作资格证书", "操作证"},
    {"资格证书", "操作证"}, {"相应资格", "操作证"}, {"操作资格", "操作证"},
    {"警示标识", "警示标志"}, {"警示标牌", "警示标志"}, {"标识", "标志"},
    {"上岗作业", "上岗"}, {"无证", "未持证"}, {"持证上岗", "持证"},
};

struct mi_item {
    const uint32_t *bg;       /* sorted unique bigram hashes */
    const uint16_t *w;        /* their weights (idf × 100) */
    uint32_t n, total;
};

struct zf__match_index {
    size_t n_items;
    const struct mi_item *items;   /* by zf__item.index */
    const uint64_t *trad;          /* sorted pairs (from << 32 | to) */
    size_t n_trad;
    struct {
        uint32_t from[8], to[8];
        uint8_t nf, nt;
    } words[sizeof(word_pairs) / sizeof(word_pairs[0])];
};

static bool
is_cjk(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int
cmp_u32v(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static uint32_t
simplify(const struct zf__match_index *mi, uint32_t c)
{
    size_t lo = 0, hi = mi->n_trad;
    const uint64_t *t = mi->trad;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t f = (uint32_t)(t[mid] >> 32);
        if (f == c)
            return (uint32_t)t[mid];
        if (f < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return c;
}

/* Clauses that report what was already done ("已按规定…", "已整改") are no
 * evidence of the conduct: dropped. "已" after 未/尚/不, and states such as
 * 已过期、已损坏、已拆除 (which are the violation) are kept. */
static const char *const done_words[] = {
    "按", "整改", "改正", "取得", "配备", "设置", "建立", "制定", "落实",
    "完成", "开展", "组织", "签订", "办理", "安装", "培训", "持证", "持有",
    "经过", "进行", "编制", "审批", "配齐", "备案", "更换", "修复",
    "恢复", "清理", "消除", "停止"};

static bool
cps_eq(const uint32_t *a, size_t na, const char *s)
{
    size_t i = 0, k;
    uint32_t c;

    while (*s) {
        k = zf__utf8_decode(s, strlen(s), &c);
        if (!k || i >= na || a[i] != c)
            return false;
        s += k;
        i++;
    }
    return true;
}

static bool
is_delim(uint32_t c)
{
    return c == 0xFF0C || c == ',' || c == 0x3002 || c == 0xFF1B ||
           c == ';' || c == 0xFF1A || c == ':' || c == '\n' || c == 0x3001;
}

/* Normalise s into code points (at most cap). */
static size_t
normalize(const struct zf__match_index *mi, const char *s, size_t n,
          uint32_t *cp, size_t cap)
{
    uint32_t tmp[2048];
    size_t i = 0, k, m = 0, j, w;

    if (cap > 2048)
        cap = 2048;
    while (i < n && m < cap) {
        uint32_t c;
        k = zf__utf8_decode(s + i, n - i, &c);
        if (!k)
            break;
        i += k;
        tmp[m++] = simplify(mi, c);
    }
    /* word rewrites */
    for (j = 0, w = 0; j < m;) {
        size_t p;
        for (p = 0; p < sizeof(word_pairs) / sizeof(word_pairs[0]); p++) {
            size_t q, nf = mi->words[p].nf;
            if (j + nf > m)
                continue;
            for (q = 0; q < nf && tmp[j + q] == mi->words[p].from[q]; q++)
                ;
            if (q == nf)
                break;
        }
        if (p < sizeof(word_pairs) / sizeof(word_pairs[0])) {
            size_t q;
            for (q = 0; q < mi->words[p].nt && w < cap; q++)
                cp[w++] = mi->words[p].to[q];
            j += mi->words[p].nf;
        } else {
            cp[w++] = tmp[j++];
        }
    }
    /* drop "已…" clauses */
    for (j = 0; j < w; j++) {
        size_t a, b, d, off;
        if (cp[j] != 0x5DF2 /* 已 */)
            continue;
        if (j > 0 && (cp[j - 1] == 0x672A || cp[j - 1] == 0x5C1A ||
                      cp[j - 1] == 0x4E0D))  /* 未 尚 不 */
            continue;
        off = j + 1 + (j + 1 < w && cp[j + 1] == 0x7ECF /* 经 */);
        for (d = 0; d < sizeof(done_words) / sizeof(done_words[0]); d++)
            if (cps_eq(cp + off, w - off, done_words[d]))
                break;
        if (d == sizeof(done_words) / sizeof(done_words[0]))
            continue;
        for (a = j; a > 0 && !is_delim(cp[a - 1]); a--)
            ;
        for (b = j; b < w && !is_delim(cp[b]); b++)
            ;
        memmove(cp + a, cp + b, (w - b) * sizeof(*cp));
        w -= b - a;
        j = a;
    }
    /* "未发现…", "未见…": a negative finding, no evidence of conduct */
    for (j = 0; j + 2 < w; j++) {
        size_t a, b;
        if (!((cp[j] == 0x672A && (cps_eq(cp + j + 1, w - j - 1, "发现") ||
                                   cps_eq(cp + j + 1, w - j - 1, "见")))))
            continue;
        for (a = j; a > 0 && !is_delim(cp[a - 1]); a--)
            ;
        for (b = j; b < w && !is_delim(cp[b]); b++)
            ;
        memmove(cp + a, cp + b, (w - b) * sizeof(*cp));
        w -= b - a;
        j = a;
    }
    return w;
}

/* Whether normalised text states a violation at all: a negation, an
 * excess, a prohibited act or an accident. A compliant record ("安全出口
 * 畅通", "手续齐全") gives no n-gram evidence, however close its words. */
static bool
states_violation(const uint32_t *cp, size_t n)
{
    static const char marks[] = "未无不没缺超违擅私非堵占拆损坏漏锁失逾";
    size_t i;

    for (i = 0; i < n; i++) {
        const char *m = marks;
        uint32_t c;
        size_t k;
        while (*m && (k = zf__utf8_decode(m, strlen(m), &c))) {
            if (c == cp[i])
                return true;
            m += k;
        }
        if (cps_eq(cp + i, n - i, "过期") || cps_eq(cp + i, n - i, "事故"))
            return true;
    }
    return false;
}

/* Sorted unique bigram hashes of CJK neighbours. */
static size_t
bigrams(const uint32_t *cp, size_t n, uint32_t *out, size_t cap)
{
    size_t i, cnt = 0, j, w;

    for (i = 1; i < n && cnt < cap; i++)
        if (is_cjk(cp[i - 1]) && is_cjk(cp[i]))
            out[cnt++] = cp[i - 1] * 31u + cp[i];
    qsort(out, cnt, sizeof(*out), cmp_u32v);
    for (j = 0, w = 0; j < cnt; j++)
        if (w == 0 || out[w - 1] != out[j])
            out[w++] = out[j];
    return w;
}

static void
utf8_to_cps(const char *s, uint32_t *out, uint8_t *n, size_t cap)
{
    size_t len = strlen(s), i = 0, k;
    uint32_t c;

    *n = 0;
    while (i < len && *n < cap && (k = zf__utf8_decode(s + i, len - i, &c))) {
        out[(*n)++] = c;
        i += k;
    }
}

zf_status
zf__match_index_build(zf_ruleset *rs, struct zf__arena *arena)
{
    struct zf__match_index *mi = ZF_ARENA_NEW(arena, struct zf__match_index);
    struct mi_item *items;
    uint64_t *trad;
    uint32_t *all = NULL, cps[2048], bg[2048];
    size_t n_all = 0, cap_all = 0, i, j, k, nt = 0;
    const char *p;
    zf_status rc = ZF_ENOMEM;

    if (!mi)
        return ZF_ENOMEM;
    /* traditional → simplified table */
    trad = ZF_ARENA_NEWN(arena, uint64_t, sizeof(trad_pairs) / 6 + 1);
    if (!trad)
        return ZF_ENOMEM;
    for (p = trad_pairs; *p;) {
        uint32_t a, b;
        size_t ka = zf__utf8_decode(p, strlen(p), &a), kb;
        if (!ka)
            break;
        kb = zf__utf8_decode(p + ka, strlen(p + ka), &b);
        if (!kb)
            break;
        p += ka + kb;
        if (a != b)
            trad[nt++] = (uint64_t)a << 32 | b;
    }
    qsort(trad, nt, sizeof(*trad), cmp_u64);
    mi->trad = trad;
    mi->n_trad = nt;
    for (i = 0; i < sizeof(word_pairs) / sizeof(word_pairs[0]); i++) {
        utf8_to_cps(word_pairs[i][0], mi->words[i].from, &mi->words[i].nf, 8);
        utf8_to_cps(word_pairs[i][1], mi->words[i].to, &mi->words[i].nt, 8);
    }
    items = ZF_ARENA_NEWN(arena, struct mi_item, rs->n_items ? rs->n_items : 1);
    if (!items)
        return ZF_ENOMEM;
    mi->items = items;
    mi->n_items = rs->n_items;
    rs->mindex = mi;
    /* each item's wording: title and conduct */
    for (i = 0; i < rs->n_items; i++) {
        const struct zf__item *it = rs->items[i];
        char buf[4096];
        size_t nc, nb;
        uint32_t *dst;
        snprintf(buf, sizeof(buf), "%s。%s", it->title,
                 it->conduct ? it->conduct : "");
        nc = normalize(mi, buf, strlen(buf), cps, 2048);
        nb = bigrams(cps, nc, bg, 2048);
        dst = ZF_ARENA_NEWN(arena, uint32_t, nb ? nb : 1);
        if (!dst)
            return ZF_ENOMEM;
        if (nb)
            memcpy(dst, bg, nb * sizeof(*dst));
        items[it->index].bg = dst;
        items[it->index].n = (uint32_t)nb;
        if (n_all + nb > cap_all) {
            size_t cap = (n_all + nb) * 2;
            uint32_t *na = realloc(all, cap * sizeof(*na));
            if (!na)
                goto out;
            all = na;
            cap_all = cap;
        }
        if (nb)     /* `all` is still NULL when no item had a pair yet */
            memcpy(all + n_all, bg, nb * sizeof(*bg));
        n_all += nb;
    }
    if (n_all)
        qsort(all, n_all, sizeof(*all), cmp_u32v);
    /* weights: idf over the items, ×100, at least 10 */
    for (i = 0; i < rs->n_items; i++) {
        struct mi_item *m = &items[i];
        uint16_t *w = ZF_ARENA_NEWN(arena, uint16_t, m->n ? m->n : 1);
        if (!w)
            goto out;
        m->total = 0;
        for (j = 0; j < m->n; j++) {
            /* df by binary search of the first and last occurrence */
            size_t lo = 0, hi = n_all, first, df;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (all[mid] < m->bg[j])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            first = lo;
            for (k = first; k < n_all && all[k] == m->bg[j]; k++)
                ;
            df = k - first;
            {
                double idf = log((double)(rs->n_items + 1) / (double)df);
                int v = (int)(idf * 100.0 + 0.5);
                w[j] = (uint16_t)(v < 10 ? 10 : v);
            }
            m->total += w[j];
        }
        m->w = w;
    }
    rc = ZF_OK;
out:
    free(all);
    return rc;
}

/* ------------------------------------------------------------------ */
/* ranking */

static bool
cand_better(const struct zf__candidate *a, const struct zf__candidate *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->item->priority != b->item->priority)
        return a->item->priority > b->item->priority;
    return a->item->index < b->item->index;
}

static void
cand_insert(struct zf__candidate *cand, size_t *n, size_t cap,
            const struct zf__item *it, int64_t score)
{
    struct zf__candidate c = {it, score};
    size_t i;

    if (*n == cap && !cand_better(&c, &cand[cap - 1]))
        return;
    i = *n < cap ? (*n)++ : cap - 1;
    while (i > 0 && cand_better(&c, &cand[i - 1])) {
        cand[i] = cand[i - 1];
        i--;
    }
    cand[i] = c;
}

static bool
in_scope(const struct zf__match_io *E, const struct zf__domain *d)
{
    return !E->domain_ok || d->common || E->domain_ok[d->index];
}

static bool
same_basis(const struct zf__item *a, const struct zf__item *b)
{
    return a->provision == b->provision && a->clause == b->clause;
}

/* Of items sharing one 处罚依据, the one to decide: the item of the
 * enterprise's domains, else the 通用 item, else the first ranked. */
static const struct zf__item *
prefer(const struct zf__match_io *E, const struct zf__candidate *c, size_t n,
       int64_t score)
{
    const struct zf__item *common = NULL;
    size_t i;

    (void)score;
    for (i = 0; i < n; i++) {
        if (!same_basis(c[i].item, c[0].item))
            continue;
        if (E->domain_ok && !c[i].item->domain->common &&
            E->domain_ok[c[i].item->domain->index])
            return c[i].item;
        if (c[i].item->domain->common && !common)
            common = c[i].item;
    }
    return common ? common : c[0].item;
}

static zf_status
pattern_rank_error(const struct zf__match_io *E, const struct zf__item *it,
                   size_t vi)
{
    zf__error_set(E->err, ZF_EINDETERMINATE, ZF_DIAG_REGEX_LIMIT,
                  "violations[%zu]: a pattern of item %s hit the "
                  "regex match limit; the result is indeterminate",
                  vi, it->id);
    zf__error_rule(E->err, it->id);
    if (E->err)
        snprintf(E->err->path, sizeof(E->err->path),
                 "violations[%zu].text", vi);
    return ZF_EINDETERMINATE;
}

/* Pattern evidence: every item whose pattern matches (and no exclude),
 * ranked by the longest match. in_domain: 1 items in scope, 0 outside. */
static zf_status
pattern_rank(const struct zf__match_io *E, const char *text, size_t len,
             uint64_t mask, int in_domain, struct zf__candidate *cand,
             size_t *n_cand, size_t vi)
{
    const zf_ruleset *rs = E->rs;
    size_t d, j, p;

    for (d = 0; d < rs->n_domains; d++) {
        const struct zf__domain *dom = rs->domains[d];
        if (in_scope(E, dom) != (in_domain != 0))
            continue;
        for (j = 0; j < dom->n_items; j++) {
            const struct zf__item *it = dom->items[j];
            int64_t best = 0, score = 0;
            const struct zf__pattern *bp = NULL;
            int rc;

            for (p = 0; p < it->n_patterns; p++) {
                rc = pattern_match(E->m, &it->patterns[p], text, len, mask,
                                   &score);
                if (rc < 0)
                    goto indeterminate;
                if (rc > 0 && score > best) {
                    best = score;
                    bp = &it->patterns[p];
                }
            }
            if (!bp)
                continue;
            for (p = 0; p < it->n_excludes; p++) {
                rc = pattern_match(E->m, &it->excludes[p], text, len, mask,
                                   &score);
                if (rc < 0)
                    goto indeterminate;
                if (rc > 0)
                    break;
            }
            if (p < it->n_excludes)
                continue;
            cand_insert(cand, n_cand, ZF__MAX_CANDIDATES, it, best);
            continue;
indeterminate:
            return pattern_rank_error(E, it, vi);
        }
    }
    return ZF_OK;
}

/* N-gram evidence: the share (0-100) of an item's weighted wording that
 * the text contains; outside the enterprise's domains scaled by the
 * profile's out_of_domain percentage. Fills the best `cap` items. */
static bool
ngram_rank(const struct zf__match_io *E, const char *text, size_t len,
           struct zf__candidate *cand, size_t *n_cand, size_t cap)
{
    const struct zf__match_index *mi = E->rs->mindex;
    uint32_t cps[2048], tb[2048];
    size_t nc, ntb, i;
    bool viol;

    if (!mi)
        return false;
    nc = normalize(mi, text, len, cps, 2048);
    viol = states_violation(cps, nc);
    ntb = bigrams(cps, nc, tb, 2048);
    if (!ntb)
        return false;
    for (i = 0; i < E->rs->n_items; i++) {
        const struct zf__item *it = E->rs->items[i];
        const struct mi_item *m = &mi->items[it->index];
        size_t a = 0, b = 0;
        uint64_t o = 0;
        int64_t s;
        while (a < ntb && b < m->n) {
            if (tb[a] < m->bg[b])
                a++;
            else if (tb[a] > m->bg[b])
                b++;
            else {
                o += m->w[b];
                a++;
                b++;
            }
        }
        if (!o || !m->total)
            continue;
        s = (int64_t)(o * 100 / m->total);
        if (!in_scope(E, it->domain))
            s = s * E->pr->match_ood / 100;
        if (s > 0)
            cand_insert(cand, n_cand, cap, it, s);
    }
    return viol;
}

static zf_status
ood_warning(const struct zf__match_io *E, const struct zf__item *it,
            size_t vi)
{
    if (in_scope(E, it->domain))
        return ZF_OK;
    return E->warn(E->ud, zf__arena_printf(
                              E->arena,
                              "violations[%zu]: 事项 %s 属于“%s”领域，"
                              "不在企业所属领域之内，系按违法事实描述提出，"
                              "请核对", vi, it->id, it->domain->name));
}

/* Trace the items that share the decided item's 处罚依据 (not an
 * ambiguity: the article is the same). */
static zf_status
trace_same_basis(const struct zf__match_io *E, const struct zf__item *it,
                 int64_t score)
{
    struct zf__dviolation *dv = E->dv;
    struct zf__trace *t;
    char *ids = NULL;
    size_t i;

    for (i = 0; i < dv->n_cand; i++) {
        const struct zf__item *o = dv->cand[i].item;
        if (o == it || !same_basis(o, it))
            continue;
        ids = ids ? zf__arena_printf(E->arena, "%s、%s", ids, o->id)
                  : zf__arena_printf(E->arena, "%s", o->id);
        if (!ids)
            return ZF_ENOMEM;
    }
    if (!ids)
        return ZF_OK;
    t = E->trace(E->ud, ZF_STEP_MATCH, ZF_T_MATCH_SAME_BASIS, it->id,
                 it->file, it->line, it->basis);
    if (!t)
        return ZF_ENOMEM;
    t->s[0] = ids;
    /* a1: another of them had the same score (the tie was settled by the
     * domain preference) */
    for (i = 0; i < dv->n_cand; i++)
        if (dv->cand[i].item != it && same_basis(dv->cand[i].item, it) &&
            dv->cand[i].score >= score)
            t->a[1] = 1;
    return ZF_OK;
}

/* Decide among pattern candidates: the best, unless an item of another
 * 处罚依据 ties with it (same score and priority). */
static zf_status
decide_patterns(const struct zf__match_io *E, const char *text, size_t len,
                uint64_t mask, bool ood, size_t vi)
{
    struct zf__dviolation *dv = E->dv;
    struct zf__trace *t;
    const struct zf__item *it;
    size_t i, p;

    for (i = 1; i < dv->n_cand; i++)
        if (dv->cand[i].score == dv->cand[0].score &&
            dv->cand[i].item->priority == dv->cand[0].item->priority &&
            !same_basis(dv->cand[i].item, dv->cand[0].item)) {
            dv->matched_by = 1;
            dv->outcome = ZF_OUT_AMBIGUOUS;
            t = E->trace(E->ud, ZF_STEP_MATCH, ZF_T_MATCH_AMBIGUOUS, "",
                         NULL, 0, "");
            if (!t)
                return ZF_ENOMEM;
            t->a[0] = dv->cand[0].score;
            return ZF_OK;
        }
    it = prefer(E, dv->cand, dv->n_cand, dv->cand[0].score);
    dv->matched_by = 1;
    dv->item = it;
    t = E->trace(E->ud, ZF_STEP_MATCH, ZF_T_MATCH_PATTERN, it->id, it->file,
                 it->line, "");
    if (!t)
        return ZF_ENOMEM;
    for (i = 0; i < dv->n_cand; i++)
        if (dv->cand[i].item == it)
            t->a[0] = dv->cand[i].score;
    /* name the pattern that matched best (re-run only the winner's) */
    {
        int64_t s = 0, best = -1;
        for (p = 0; p < it->n_patterns; p++)
            if (pattern_match(E->m, &it->patterns[p], text, len, mask, &s) >
                    0 && s > best) {
                best = s;
                t->s[0] = it->patterns[p].src;
                t->line = it->patterns[p].line;
            }
    }
    if (ood && ood_warning(E, it, vi))
        return ZF_ENOMEM;
    for (i = 0; i < dv->n_cand; i++)
        if (dv->cand[i].item == it)
            break;
    return trace_same_basis(E, it, i < dv->n_cand ? dv->cand[i].score : 0);
}

zf_status
zf__match_text(const struct zf__match_io *E, const char *text, size_t len,
               size_t vi)
{
    struct zf__dviolation *dv = E->dv;
    uint64_t mask = zf__cp_mask(text, len);
    struct zf__candidate ng[ZF__MAX_CANDIDATES * 4];
    size_t n_ng = 0, i;
    struct zf__trace *t;
    zf_status rc;
    bool viol;

    /* 1. patterns of the items in scope (strong evidence) */
    dv->n_cand = 0;
    if ((rc = pattern_rank(E, text, len, mask, 1, dv->cand, &dv->n_cand, vi)))
        return rc;
    if (dv->n_cand)
        return decide_patterns(E, text, len, mask, false, vi);
    /* 2. patterns of items outside the enterprise's domains: a prior, not
     * a filter — proposed with a warning */
    if (E->domain_ok) {
        if ((rc = pattern_rank(E, text, len, mask, 0, dv->cand, &dv->n_cand,
                               vi)))
            return rc;
        if (dv->n_cand)
            return decide_patterns(E, text, len, mask, true, vi);
    }
    /* 3. the wording: the item's conduct and title, as n-grams; decided by
     * the profile's score and margin over the next 处罚依据 */
    viol = ngram_rank(E, text, len, ng, &n_ng, sizeof(ng) / sizeof(ng[0]));
    /* an item's excludes bind the wording evidence too (only the ranked
     * few are checked: the regexes run on at most 20 items) */
    {
        size_t w = 0, p;
        for (i = 0; i < n_ng; i++) {
            const struct zf__item *it = ng[i].item;
            int64_t sc;
            int r = 0;
            for (p = 0; p < it->n_excludes; p++) {
                r = pattern_match(E->m, &it->excludes[p], text, len, mask,
                                  &sc);
                if (r != 0)
                    break;
            }
            if (r < 0)
                return pattern_rank_error(E, it, vi);
            if (r == 0)
                ng[w++] = ng[i];
        }
        n_ng = w;
    }
    dv->matched_by = 2;
    for (i = 0; i < n_ng && dv->n_cand < ZF__MAX_CANDIDATES; i++)
        dv->cand[dv->n_cand++] = ng[i];
    if (n_ng) {
        int64_t best = ng[0].score, second = 0;
        const struct zf__item *it;
        for (i = 1; i < n_ng; i++)
            if (!same_basis(ng[i].item, ng[0].item)) {
                second = ng[i].score;
                break;
            }
        if (viol && best >= E->pr->match_min &&
            best - second >= E->pr->match_margin) {
            it = prefer(E, ng, n_ng, best);
            dv->matched_by = 3;
            dv->item = it;
            t = E->trace(E->ud, ZF_STEP_MATCH, ZF_T_MATCH_NGRAM, it->id,
                         it->file, it->line, "");
            if (!t)
                return ZF_ENOMEM;
            t->a[0] = best;
            t->a[1] = second;
            t->a[2] = E->pr->match_min;
            t->a[3] = E->pr->match_margin;
            if (ood_warning(E, it, vi))
                return ZF_ENOMEM;
            for (i = 0; i < n_ng; i++)
                if (ng[i].item == it)
                    break;
            return trace_same_basis(E, it, i < n_ng ? ng[i].score : 0);
        }
    }
    dv->outcome = ZF_OUT_UNMATCHED;
    t = E->trace(E->ud, ZF_STEP_MATCH, ZF_T_MATCH_NONE, "", NULL, 0, "");
    if (!t)
        return ZF_ENOMEM;
    if (n_ng) {
        t->a[0] = ng[0].score;
        t->a[1] = E->pr->match_min;
        t->a[2] = E->pr->match_margin;
        t->a[3] = 1;
    }
    if (dv->n_cand > 3)
        dv->n_cand = 3;
    return ZF_OK;
}

/* ------------------------------------------------------------------ */
/* several findings in one paragraph */

/* A list marker at s[i]: "1、" "1." "1．" "（1）" "(1)" "一、"; returns its
 * number (1..99) and sets *mlen to its byte length, else 0. A digit
 * followed by another digit after the dot (1.78吨) is no marker. */
static int
list_marker(const char *s, size_t n, size_t i, size_t *mlen)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六",
                                     "七", "八", "九", "十"};
    size_t j = i;
    int v = 0, k;

    if (j + 3 <= n && memcmp(s + j, "（", 3) == 0)
        j += 3;
    else if (j < n && s[j] == '(')
        j++;
    if (j < i + 1 || j == i) {
        /* no bracket: a digit run then 、 . ．, or a Chinese numeral then 、 */
        for (k = 0; k < 10; k++)
            if (j + 6 <= n && memcmp(s + j, cn[k], 3) == 0 &&
                memcmp(s + j + 3, "、", 3) == 0) {
                *mlen = 6;
                return k + 1;
            }
    }
    while (j < n && s[j] >= '0' && s[j] <= '9' && v < 100)
        v = v * 10 + (s[j++] - '0');
    if (!v || v >= 100)
        return 0;
    if (j > i && (s[i] == '(' || (i + 3 <= n && memcmp(s + i, "（", 3) == 0))) {
        if (j + 3 <= n && memcmp(s + j, "）", 3) == 0) {
            *mlen = j + 3 - i;
            return v;
        }
        if (j < n && s[j] == ')') {
            *mlen = j + 1 - i;
            return v;
        }
        return 0;
    }
    if (j + 3 <= n && (memcmp(s + j, "、", 3) == 0 ||
                       memcmp(s + j, "．", 3) == 0)) {
        *mlen = j + 3 - i;
        return v;
    }
    if (j < n && s[j] == '.' && !(j + 1 < n && s[j + 1] >= '0' &&
                                  s[j + 1] <= '9')) {
        *mlen = j + 1 - i;
        return v;
    }
    return 0;
}

/* Whether a marker may start at i: the text's start, or after a
 * delimiter / whitespace. */
static bool
at_boundary(const char *s, size_t i)
{
    static const char *const d[] = {"，", "。", "；", "：", "、", "）"};
    size_t k;

    if (i == 0)
        return true;
    if (strchr(" \t\r\n,.;:", s[i - 1]))
        return true;
    for (k = 0; k < 6; k++)
        if (i >= 3 && memcmp(s + i - 3, d[k], 3) == 0)
            return true;
    return false;
}

struct probe {
    struct zf__trace t;
};

static struct zf__trace *
probe_trace(void *ud, uint8_t step, uint8_t kind, const char *rule,
            const struct zf__source *file, unsigned line, const char *cite)
{
    struct probe *p = ud;
    (void)step, (void)kind, (void)rule, (void)file, (void)line, (void)cite;
    memset(&p->t, 0, sizeof(p->t));
    return &p->t;
}

static zf_status
probe_warn(void *ud, const char *msg)
{
    (void)ud;
    return msg ? ZF_OK : ZF_ENOMEM;
}

/* Whether text[a..b) alone is recognised (an item decided). */
static int
recognised(const struct zf__match_io *E, const char *text, size_t a,
           size_t b, size_t vi)
{
    struct zf__dviolation dv;
    struct probe pb;
    struct zf__match_io io = *E;
    zf_status rc;

    memset(&dv, 0, sizeof(dv));
    io.dv = &dv;
    io.trace = probe_trace;
    io.warn = probe_warn;
    io.ud = &pb;
    rc = zf__match_text(&io, text + a, b - a, vi);
    if (rc)
        return -1;
    return dv.item != NULL;
}

size_t
zf__match_segments(const struct zf__match_io *E, const char *text,
                   size_t len, size_t vi, struct zf__span *out, size_t cap)
{
    size_t i, n = 0, mlen = 0, starts[ZF__MAX_SEGMENTS], k;
    int want = 1;

    /* 1. a numbered list 1、2、… (1)(2)… 一、二、…, numbers in sequence */
    for (i = 0; i < len && n < ZF__MAX_SEGMENTS && n < cap; i++) {
        int v;
        if ((unsigned char)text[i] >= 0x80 && ((unsigned char)text[i] & 0xC0)
                                                  == 0x80)
            continue;
        if (!at_boundary(text, i))
            continue;
        v = list_marker(text, len, i, &mlen);
        if (v != want)
            continue;
        starts[n++] = i;
        want++;
        i += mlen - 1;
    }
    if (n >= 2) {
        for (k = 0; k < n; k++) {
            out[k].start = starts[k];
            out[k].end = k + 1 < n ? starts[k + 1] : len;
        }
        return n;
    }
    /* 2. findings separated by ；: kept when at least two of the parts are
     * recognised on their own; the parts that are not join the part
     * before them (or the first one) */
    n = 0;
    {
        size_t a = 0, parts[ZF__MAX_SEGMENTS + 1][2], np = 0, p;
        int rec[ZF__MAX_SEGMENTS];
        size_t nrec = 0;
        for (i = 0; i <= len && np < ZF__MAX_SEGMENTS; i++) {
            bool end = i == len || text[i] == ';' ||
                       (i + 3 <= len && memcmp(text + i, "；", 3) == 0);
            if (!end)
                continue;
            if (i > a) {
                parts[np][0] = a;
                parts[np][1] = i;
                np++;
            }
            a = i + (i < len && text[i] == ';' ? 1 : 3);
        }
        if (np < 2 || a < len)   /* too many parts: leave the text whole */
            return 0;
        for (p = 0; p < np; p++) {
            rec[p] = recognised(E, text, parts[p][0], parts[p][1], vi);
            if (rec[p] < 0)
                return 0;
            nrec += rec[p] > 0;
        }
        if (nrec < 2)
            return 0;
        for (p = 0; p < np && n < cap; p++) {
            if (rec[p] > 0 || n == 0) {
                out[n].start = parts[p][0];
                out[n].end = parts[p][1];
                n++;
            } else {
                out[n - 1].end = parts[p][1];
            }
        }
        /* a leading unrecognised part is context for the first finding */
        return n;
    }
}
