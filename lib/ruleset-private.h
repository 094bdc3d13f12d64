/* SPDX-License-Identifier: MIT */
/*
 * The compiled rule set. Everything lives in the rule set's arena except
 * the pcre2 code objects (they own JIT memory), which are listed in
 * `regexes` and freed with the set. After compilation nothing here is
 * written again: every pointer inside is to const data.
 */
#ifndef ZF_RULESET_PRIVATE_H
#define ZF_RULESET_PRIVATE_H

#include <pcre2.h>
#include <stdatomic.h>

#include "expr-private.h"
#include "prefilter-private.h"
#include "util-private.h"

enum zf__stage {
    ZF_STAGE_FIRST = 0, ZF_STAGE_OVERDUE, ZF_STAGE_REFUSED, ZF_STAGE_ACCIDENT,
    ZF_STAGE_COUNT_
};
enum zf__tier {
    ZF_TIER_LIGHTER = 0, ZF_TIER_NORMAL, ZF_TIER_HEAVIER, ZF_TIER_MAXIMUM,
    ZF_TIER_MITIGATED
};
enum zf__role {
    ZF_ROLE_PRINCIPAL = 0, ZF_ROLE_OTHER_LEADER, ZF_ROLE_SAFETY_MANAGER,
    ZF_ROLE_DIRECT_SUPERVISOR, ZF_ROLE_DIRECT_STAFF, ZF_ROLE_INVESTOR,
    ZF_ROLE_COUNT_
};
enum zf__accident {
    ZF_ACC_NONE = 0, ZF_ACC_GENERAL, ZF_ACC_LARGER, ZF_ACC_MAJOR,
    ZF_ACC_ESPECIALLY_MAJOR, ZF_ACC_COUNT_
};
enum zf__harm { ZF_HARM_NONE = 0, ZF_HARM_MINOR, ZF_HARM_SERIOUS };

extern const char *const zf__stage_names[ZF_STAGE_COUNT_];
extern const char *const zf__stage_zh[ZF_STAGE_COUNT_];
extern const char *const zf__tier_names[5];
extern const char *const zf__tier_zh[5];
extern const char *const zf__role_names[ZF_ROLE_COUNT_];
extern const char *const zf__role_zh[ZF_ROLE_COUNT_];
extern const char *const zf__accident_names[ZF_ACC_COUNT_];
extern const char *const zf__accident_zh[ZF_ACC_COUNT_];
extern const char *const zf__harm_names[3];

enum zf__fine_shape {
    ZF_FINE_NONE = 0, ZF_FINE_UPTO, ZF_FINE_RANGE, ZF_FINE_FIXED,
    ZF_FINE_MULTIPLE, ZF_FINE_PERCENT, ZF_FINE_BY_ACCIDENT
};

struct zf__fine {
    enum zf__fine_shape shape;
    bool discretionary;          /* 可以处 */
    int64_t from, upto;          /* UPTO (from = 0), RANGE, FIXED (from = upto) */
    int32_t lo, hi;              /* MULTIPLE: times; PERCENT: percent */
    int64_t threshold;           /* MULTIPLE: income at or above which it applies */
    const struct zf__fine *otherwise;  /* MULTIPLE: below the threshold */
    const struct zf__fine *by_accident[ZF_ACC_COUNT_]; /* BY_ACCIDENT */
    int32_t aggr_lo, aggr_hi;    /* BY_ACCIDENT, or one grade of it:
                                    情节特别严重 multiplier */
    unsigned line;
};

struct zf__limb {
    const struct zf__fine *fine; /* NULL: no fine on this limb */
    uint32_t roles;              /* bit mask of enum zf__role */
    unsigned line;
};

/* What an order is in law, declared in the rule file (never guessed from
 * its wording): 责令改正 and the like are not penalties (行政处罚法第九条、
 * 第二十八条); 责令停产停业(整顿)、责令关闭、吊销 are, and carry a hearing
 * right (第六十三条第一款第（三）、（四）项); 处分 is not an administrative
 * penalty at all and stays out of the decision's orders. */
enum zf__order_kind {
    ZF_ORDER_CORRECTION = 0, ZF_ORDER_SUSPENSION, ZF_ORDER_CLOSURE,
    ZF_ORDER_REVOCATION, ZF_ORDER_CONFISCATION, ZF_ORDER_SANCTION,
    ZF_ORDER_OTHER_AUTHORITY, ZF_ORDER_OTHER_PENALTY, ZF_ORDER_KIND_COUNT_
};
extern const char *const zf__order_kind_names[ZF_ORDER_KIND_COUNT_];

struct zf__order {
    uint8_t kind;                /* enum zf__order_kind */
    /* 情节严重的，…: applies only when this holds (built-in facts); else it
     * is mentioned as possible and triggers no procedure */
    const struct zf__expr *when;
    unsigned line;
};

struct zf__pstage {
    enum zf__stage stage;
    /* an unconditional order that is 责令停产停业, 关闭 or 吊销 (第六十三条) */
    bool hearing_order;
    const char *const *orders;   /* the text, as the law words it */
    const struct zf__order *order_info; /* parallel to orders */
    size_t n_orders;
    struct zf__limb unit, persons;
    const char *note;
    unsigned line;
};

struct zf__source {
    const char *name;            /* e.g. "rules/laws/aqsc-2021.yaml" */
};

struct zf__renumber {
    uint16_t from, to;           /* range of article numbers in the new text */
    int16_t shift;               /* old = new + shift */
};

struct zf__law {
    const char *id, *title, *kind, *version, *source, *verified;
    int32_t effective;           /* days since epoch; INT32_MIN if unknown */
    /* replaced from this date by a text the rule set does not hold
     * (INT32_MIN: not known to be replaced) */
    int32_t replaced_on;
    /* standards: the domains they apply to (ids; none = all) */
    const char *const *applies_to;
    const uint16_t *applies_idx; /* resolved domain indexes */
    size_t n_applies_to;
    unsigned applies_line, applies_column;
    const void *applies_node;    /* the list's YAML node, during load only */
    /* an earlier text of a law: the law that replaced it, and how the
     * duty articles were renumbered (new number + shift = old number) */
    const char *superseded_by_id;
    const struct zf__law *superseded_by;
    const struct zf__renumber *renumbered;
    size_t n_renumbered;
    const struct zf__source *file;
    unsigned line;
};

struct zf__provision {
    /* versions: an earlier text's provision names the one that replaced
     * it (maps_to); the loader links the replacement back (predecessor) */
    const struct zf__provision *predecessor;
    const char *maps_to_ref;
    unsigned maps_to_line, maps_to_column;
    const uint16_t *clause_new, *clause_old;  /* clause renumbering */
    size_t n_clause_map;
    const char *id;              /* "aqsc:97", "aqsc:103.2" */
    const struct zf__law *law;
    const char *cite;            /* 《…》第九十七条 */
    int clauses;                 /* number of 项, 0 = none declared */
    const char *summary, *verified, *note;
    const struct zf__pstage *stages;
    size_t n_stages;
    const struct zf__source *file;
    unsigned line, column;
};

struct zf__ref {
    const struct zf__law *law;
    const char *ref;             /* as written: "aqsc:28.1" */
    const char *cite;            /* rendered: 《…》第二十八条第一款 */
    uint16_t article, sub, para, item;
};

struct zf__pattern {
    const pcre2_code *code;
    const char *src;
    const struct zf__pf_lit *lits; /* one of these occurs in every match */
    size_t n_lits;               /* 0: no pre-filter, always run */
    unsigned line, column;
};

struct zf__fact_bounds {
    bool has_min, has_max;
    int64_t min, max;
};

struct zf__disc_row {
    const struct zf__expr *when; /* NULL: always */
    enum zf__tier tier;
    const char *reason;
    unsigned line;
};

/* A row of an item's `accident_grade` table: the grade of the accident
 * decided from the item's facts (生产安全事故报告和调查处理条例第三条). */
struct zf__grade_row {
    const struct zf__expr *when; /* NULL: always */
    int grade;                   /* enum zf__accident, > ZF_ACC_NONE */
    const char *reason;
    unsigned line;
};

struct zf__domain;

struct zf__item {
    const char *id, *title, *conduct, *verified, *note;
    const struct zf__domain *domain;
    const struct zf__ref *violates;
    size_t n_violates;
    const struct zf__provision *provision;
    int clause;                  /* 项 of the provision, 0 = none */
    const char *basis;           /* rendered 处罚依据 */
    bool old_none;               /* old_penalty: none — earlier texts did not
                                    cover the conduct (per item, by conduct) */
    const struct zf__ref *hazards; /* 重大事故隐患 criteria */
    size_t n_hazards;
    bool must_check;
    const char *const *tags;
    size_t n_tags;
    int priority;
    const struct zf__pattern *patterns, *excludes;
    size_t n_patterns, n_excludes;
    const struct zf__fact *facts;  /* slots start at ZF__N_BUILTINS */
    const struct zf__fact_bounds *bounds; /* parallel to facts */
    size_t n_facts;
    const struct zf__disc_row *rows;
    size_t n_rows;
    const struct zf__grade_row *grade_rows; /* accident_grade */
    size_t n_grade_rows;
    const struct zf__consequence *referrals; /* item-specific */
    size_t n_referrals;
    enum zf__tier default_tier;
    const uint32_t *bigrams;     /* sorted, unique hashes of title+conduct */
    size_t n_bigrams;
    size_t index;                /* position in load order */
    const struct zf__source *file;
    unsigned line, column;
};

struct zf__domain {
    const char *id, *name;
    const char *const *aliases;
    size_t n_aliases;
    bool common;
    const struct zf__item *const *items;
    size_t n_items;
    size_t index;
    const struct zf__source *file;
    unsigned line;
};

/* A general discretion factor (行政处罚法第三十二条 etc.). */
struct zf__factor {
    const char *id, *label;
    int effect;                  /* 0 lighter (从轻), 1 heavier (从重) */
    bool mandatory;              /* 应当从轻或者减轻 (行政处罚法第三十二条):
                                    displaces 顶格, never cancelled by 从重 */
    const struct zf__expr *when; /* over built-in facts only */
    const char *cite;            /* rendered citation, may be NULL */
    unsigned line;
};

/* One 裁量要素 of the additive-percentage method: the first level whose
 * condition holds contributes its percent of the statutory maximum. */
struct zf__level {
    const struct zf__expr *when; /* NULL: always */
    int32_t percent;
    const char *label;
    unsigned line;
};

struct zf__element {
    const char *id, *label;
    const struct zf__level *levels;
    size_t n_levels;
    unsigned line;
};

/* Consequence flags a rule may set (a fixed vocabulary, CONTRACT.md). */
enum {
    ZF_CONS_CRIMINAL_REFERRAL = 0, ZF_CONS_CLOSURE_REQUEST,
    ZF_CONS_DAILY_PENALTY, ZF_CONS_PUBLICITY, ZF_CONS_CREDIT,
    ZF_CONS_COUNT_
};
extern const char *const zf__cons_names[ZF_CONS_COUNT_];

/* A consequence: when `when` holds for a penalised violation, set `flag`
 * (and, for referrals, list it in the decision's referrals). */
struct zf__consequence {
    int flag;
    const struct zf__expr *when;  /* NULL: always */
    const char *cite, *reason;
    const struct zf__source *file;
    unsigned line;
};

/* Case-level procedure triggers (bit mask). */
enum {
    ZF_TRIG_HEARING = 1u << 0, ZF_TRIG_MITIGATED = 1u << 1,
    ZF_TRIG_MAJOR_HAZARD = 1u << 2, ZF_TRIG_CLOSURE = 1u << 3,
    ZF_TRIG_MAXIMUM = 1u << 4
};

/* An item list in a profile: ids, or every item ("*"). */
struct zf__itemlist {
    const char *const *ids;
    size_t n_ids;
    const char *const *tags;     /* items carrying any of these tags */
    size_t n_tags;
    bool all;
    const char *cite, *note;
    unsigned line;
    const bool *member;          /* resolved: member[item->index] */
};

struct zf__domain_name {
    const char *name;
    const struct zf__domain *domain;
};

/* Recognition's decision rule, when a profile does not set it (match.c):
 * the best n-gram score (0-100) must reach MIN and lead the next item of
 * another 处罚依据 by MARGIN; an item outside the enterprise's domains keeps
 * OOD percent of its score. */
#define ZF__MATCH_MIN_DEFAULT 24
#define ZF__MATCH_MARGIN_DEFAULT 6
#define ZF__MATCH_OOD_DEFAULT 85

struct zf__profile {
    const char *id, *title, *policy, *note;
    int64_t match_min, match_margin, match_ood;
    int method;                  /* 0 bands, 1 additive percentages */
    /* [0] = ranges with a minimum, [1] = "X元以下"; [tier][0..1] percent */
    int32_t bands[2][3][2];
    int recommend;               /* 0 midpoint, 1 low, 2 high */
    int64_t round_to;
    /* 行政处罚法第五十一条 (simple procedure) and 第六十三条 (较大数额) */
    int64_t summary_unit, summary_person, hearing_unit, hearing_person;
    const struct zf__factor *factors;
    size_t n_factors;
    /* 减轻: at least this many lighter factors and no heavier one (0 =
     * never); band in percent of the statutory minimum */
    int mitigate_at;
    int32_t mitigated[2];
    const char *mitigate_cite;
    struct zf__itemlist minor_exempt;   /* 轻微免罚 (mandatory) */
    struct zf__itemlist first_offence;  /* 首违不罚 (discretionary) */
    struct zf__itemlist maximum;        /* 顶格处罚 */
    const struct zf__element *elements; /* additive method */
    size_t n_elements;
    const struct zf__consequence *consequences;
    size_t n_consequences;
    /* 时效 (行政处罚法第三十六条): years, and longer when ext_when holds;
     * lim_years == 0: not checked */
    int lim_years, lim_ext_years;
    const struct zf__expr *lim_ext_when;
    const char *lim_cite;
    struct zf__itemlist no_fault;       /* 无主观过错 (mandatory) */
    const char *merge_cite;             /* 一事不再罚 (第二十九条) */
    uint32_t legal_review_when, collective_when; /* ZF_TRIG_* */
    const struct zf__source *file;
    unsigned line;
};

/* Built-in fact slots (the case-level facts every expression may use). */
enum {
    ZF__B_OVERDUE = 0, ZF__B_CORRECTED, ZF__B_FIRST_OFFENCE, ZF__B_HARM,
    ZF__B_ACCIDENT, ZF__B_ILLEGAL_INCOME, ZF__B_REPEAT_12M,
    ZF__B_REMEDIED_HARM, ZF__B_COERCED, ZF__B_CONFESSED, ZF__B_MERITORIOUS,
    ZF__B_OBSTRUCTED, ZF__B_HIGH_RISK, ZF__B_PENALTIES_180D,
    ZF__B_PENALTIES_365D, ZF__B_PERSONS_COUNT, ZF__B_NO_FAULT,
    ZF__B_PUBLIC_DANGER, ZF__B_MAJOR_HAZARD, ZF__B_ESPECIALLY_SERIOUS,
    ZF__B_REFUSED, ZF__B_SERIOUS, ZF__B_PENALTY_LAW, ZF__B_FINED_FIRST,
    ZF__B_UNSAFE_AFTER_SUSPENSION, ZF__B_LACKS_CONDITIONS,
    ZF__B_REFUSED_SUSPENSION,
    ZF__N_BUILTINS
};
extern const struct zf__fact zf__builtins[ZF__N_BUILTINS];

/* Most facts an item may declare. */
#define ZF__MAX_ITEM_FACTS 48
#define ZF__MAX_SLOTS (ZF__N_BUILTINS + ZF__MAX_ITEM_FACTS)

/* The enforcement plan's key items (重点执法事项) of one domain. */
struct zf__plan_domain {
    const struct zf__domain *domain;
    const struct zf__item *const *items;   /* in the plan's order */
    size_t n_items;
};

/* The plan: which items of the catalogue are key items, per domain
 * (rules/plan/). Optional; a bureau replaces it with its own list. */
struct zf__plan {
    const char *id, *title, *method, *note;
    const struct zf__plan_domain *domains; /* in the plan's order */
    size_t n_domains;
    size_t n_key_items;                    /* distinct items */
    const struct zf__source *file;
    unsigned line;
};

struct zf_ruleset {
    atomic_long refcount;
    const zf_context *ctx;
    struct zf__arena arena;
    const char *id, *version, *title, *jurisdiction;
    char digest[72];
    uint64_t generation;
    const struct zf__source *const *files;
    size_t n_files;
    const struct zf__law *const *laws;       /* sorted by id */
    size_t n_laws;
    const struct zf__provision *const *provisions;  /* sorted by id */
    size_t n_provisions;
    const struct zf__item *const *items;     /* load order */
    size_t n_items;
    const struct zf__item *const *items_by_id; /* sorted by id */
    const struct zf__domain *const *domains; /* load order */
    size_t n_domains;
    /* every id, name and alias of a domain, sorted, for case lookups */
    const struct zf__domain_name *domain_names;
    size_t n_domain_names;
    const struct zf__profile *const *profiles;
    size_t n_profiles;
    const struct zf__profile *profile;       /* the default */
    const struct zf__plan *plan;             /* NULL: no plan */
    pcre2_code **regexes;                     /* owned */
    size_t n_regexes;
    pcre2_general_context *gctx;              /* owned */
    const struct zf__match_index *mindex;     /* match.c, in the arena */
};

struct zf__match_index;
/* Build the recognition index of a compiled rule set (match.c). */
zf_status zf__match_index_build(zf_ruleset *rs, struct zf__arena *arena);

/* Sorted unique hashes of adjacent non-ASCII code-point pairs of s, at
 * most `cap`; returns the count. Used to rank near misses. */
size_t zf__bigrams(const char *s, size_t n, uint32_t *out, size_t cap);
/* Sort and deduplicate v[0..n); returns the new count. */
size_t zf__bigrams_merge(uint32_t *v, size_t n);

const struct zf__item *zf__ruleset_find_item(const zf_ruleset *rs,
                                             const char *id);
const struct zf__domain *zf__ruleset_find_domain(const zf_ruleset *rs,
                                                 const char *name);

#endif
