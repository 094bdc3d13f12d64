/* SPDX-License-Identifier: MIT */
/*
 * Cases (parsed input) and decisions (evaluation output).
 */
#ifndef ZF_EVAL_PRIVATE_H
#define ZF_EVAL_PRIVATE_H

#include "ruleset-private.h"

/* A fact value as given in the case, before the item's types are known. */
enum zf__cfact_kind {
    ZF_CF_NULL = 0, ZF_CF_BOOL, ZF_CF_INT, ZF_CF_NUMBER, ZF_CF_STRING
};

struct zf__cfact {
    const char *name;
    enum zf__cfact_kind kind;
    int64_t i;             /* BOOL, INT */
    double d;              /* NUMBER (non-integral or out of range) */
    const char *s;         /* STRING */
    size_t len;
};

struct zf__cperson {
    const char *id, *name;
    int role;              /* enum zf__role */
    bool has_income;
    int64_t annual_income;
};

/* tri-state: -1 not given, 0 false, 1 true */
struct zf__cviolation {
    const char *item;      /* NULL if not given */
    const char *text;
    size_t text_len;
    const struct zf__cfact *facts;
    size_t n_facts;
    int8_t corrected, overdue, refused, first_offence;
    int8_t harm;           /* -1 or enum zf__harm */
    int8_t accident;       /* -1 (not given), enum zf__accident (null=NONE) */
    int8_t remedied_harm, coerced, confessed, meritorious, obstructed;
    int8_t no_fault, public_danger, especially_serious;
    int8_t serious;        /* 情节严重 (conditional measures apply) */
    /* 安全生产法第一百一十三条第（二）、（三）、（四）项 */
    int8_t unsafe_after_suspension, lacks_conditions, refused_suspension;
    int32_t repeat_12m;    /* -1 not given */
    bool has_illegal_income;
    int64_t illegal_income;
    const struct zf__cperson *const *persons;
    /* the liability of each listed person for this violation:
     * ZF_ROLE_DIRECT_SUPERVISOR (直接负责的主管人员), ZF_ROLE_DIRECT_STAFF
     * (其他直接责任人员), or -1 (none: an investor not said `as`) */
    const int8_t *liability;
    size_t n_persons;
    const char *act;
};

struct zf_case {
    const zf_context *ctx;
    struct zf__arena arena;
    const char *case_id;
    int32_t violation_date, inspection_date, decision_date; /* INT32_MIN */
    const char *enterprise_name;
    const char *const *domains;
    size_t n_domains;
    int8_t high_risk;
    int32_t penalties_180d, penalties_365d;   /* -1 not given */
    const struct zf__cperson *persons;
    size_t n_persons;
    const struct zf__cviolation *violations;
    size_t n_violations;
};

/* ---- decisions ---- */

enum zf__step {
    ZF_STEP_MATCH = 0, ZF_STEP_FACTS, ZF_STEP_STAGE, ZF_STEP_MAJOR_HAZARD,
    ZF_STEP_TIER, ZF_STEP_FINE, ZF_STEP_PERSONS, ZF_STEP_TOTAL,
    ZF_STEP_LIMITATION, ZF_STEP_EXEMPTION, ZF_STEP_FACTORS, ZF_STEP_CASE,
    ZF_STEP_CONSEQUENCE
};

/* What a trace entry says; its Chinese detail is rendered on output. */
enum zf__tkind {
    ZF_T_MATCH_ID = 0,      /* s0 = item id */
    ZF_T_MATCH_PATTERN,     /* s0 = pattern, a0 = score */
    ZF_T_MATCH_NONE,
    ZF_T_MATCH_AMBIGUOUS,   /* a0 = score */
    ZF_T_STAGE_FIRST,
    ZF_T_STAGE_ESCALATED,   /* a0 = stage, a1 = 0 overdue, 1 refused,
                               2 refused taken as overdue */
    ZF_T_STAGE_NO_ESCALATION,
    ZF_T_MAJOR_HAZARD,      /* cite = criterion */
    ZF_T_TIER_ROW,          /* a0 = tier, a1 = row number, s0 = condition, s1 = reason */
    ZF_T_TIER_DEFAULT,      /* a0 = tier */
    ZF_T_TIER_MISSING,      /* a0 = tier, s0 = fact name, s1 = label */
    ZF_T_FINE,              /* a0..a1 statutory, a2..a3 band, s0 = shape text */
    ZF_T_FINE_NONE,
    ZF_T_FINE_RECOMMEND,    /* a0 = recommended, a1 = round_to */
    ZF_T_PERSON_FINE,       /* s0 = person id, s1 = role, a0..a3, a4 = rec,
                               a5 = liability fined as (-1: by position) */
    ZF_T_PERSONS_REQUIRED,
    ZF_T_PERSON_NO_INCOME,  /* s0 = person id */
    ZF_T_FINE_NO_INCOME,    /* illegal income not given */
    ZF_T_ACCIDENT_MISSING,
    ZF_T_STAGE_ACCIDENT,    /* a1 = accident grade */
    ZF_T_ACCIDENT_GRADE,    /* a0 = grade from the facts, a1 = row number,
                               a2 = the case's grade (0 none given),
                               s0 = condition, s1 = reason */
    ZF_T_MAJOR_HAZARD_NA,   /* the standard does not apply to the enterprise */
    ZF_T_TIME_OK,           /* a0 years, s0 deadline date, s1 found date */
    ZF_T_TIME_BARRED,       /* same */
    ZF_T_TIME_UNSURE,       /* a0 short, a1 long years */
    ZF_T_TIME_NO_DATES,
    ZF_T_EXEMPT_NO_FAULT,
    ZF_T_EXEMPT_MINOR,
    ZF_T_FIRST_OFFENCE,
    ZF_T_EXEMPTION_BLOCKED, /* a0 = reason (1 major hazard, 2 maximum, 3 accident) */
    ZF_T_MAXIMUM,           /* s0 note */
    ZF_T_FACTOR,            /* s0 label, a0 effect */
    ZF_T_TIER_ADJUST,       /* a0 from, a1 to, a2 lighter, a3 heavier,
                               a4 mandatory lighter (第三十二条) */
    ZF_T_MITIGATED,         /* a0 lighter count */
    ZF_T_MITIGATION_NA,     /* no statutory minimum to go below */
    ZF_T_ELEMENT,           /* s0 element label, s1 level label, a0 percent */
    ZF_T_ADDITIVE,          /* a0 total percent, a1 amount */
    ZF_T_CONSEQUENCE,       /* a0 flag, s0 reason */
    ZF_T_MERGED,            /* a0 kept violation index, s0 act */
    ZF_T_MERGE_KEPT,        /* a0 number of violations in the act, s0 act */
    ZF_T_PERSON_EXCLUDED,   /* s0 person id, s1 position, a0 limb roles,
                               a1 liability (-1 none) */
    ZF_T_LAW_VERSION,       /* s0 old basis, s1 new basis, a0..a3 old/new
                               ranges, a4 1 = old applied, 2 = decided
                               before the new text took effect */
    ZF_T_LAW_NO_BASIS,      /* s0 date the provision took effect */
    ZF_T_STAGE_NEEDS_REFUSAL, /* overdue given, but the provision escalates
                               only on 拒不改正/拒不执行 */
    ZF_T_MAXIMUM_DISPLACED, /* a0 mandatory factors, s0 the plan's note */
    ZF_T_ORDER_APPLIES,     /* s0 order text, a0 kind: its condition holds */
    ZF_T_ORDER_POSSIBLE,    /* s0 order text, a0 kind: condition not found */
    ZF_T_ORDER_SANCTION,    /* s0 text: 处分, not an administrative penalty */
    ZF_T_LAW_VERSION_PERSON, /* s0 person id, s1 basis applied, a0..a3
                               old/new ranges, a4 as ZF_T_LAW_VERSION */
    ZF_T_MAJOR_HAZARD_NOT_YET, /* cite = criterion, s0 its effective date */
    ZF_T_LAW_OLD_NOT_COVERED, /* s0 date the current text took effect */
    ZF_T_MATCH_NGRAM,       /* a0 score, a1 next 处罚依据's, a2 min, a3 margin */
    ZF_T_MATCH_SAME_BASIS,  /* s0 the other items (、-joined), cite = basis */
    ZF_T_MATCH_SEGMENT      /* a0 no., a1 of, a2..a3 span (chars), s0 text */
};

struct zf__trace {
    uint8_t step, kind;
    const char *rule;
    const struct zf__source *file;
    unsigned line;
    const char *cite;
    int64_t a[6];
    const char *s[2];
};

struct zf__money {
    bool present;
    int64_t smin, smax;    /* statutory */
    int64_t min, max;      /* band */
    int64_t rec;
};

struct zf__dperson {
    const char *id;
    int role;              /* position */
    int liability;         /* ZF_ROLE_DIRECT_*: fined as; -1 by position */
    struct zf__money fine;
    const char *basis;
};

enum {
    ZF_FLAG_MAJOR_HAZARD = 1u << 0,
    ZF_FLAG_PERSONS_REQUIRED = 1u << 1,
    ZF_FLAG_INCOME_MISSING = 1u << 2,
    ZF_FLAG_ACCIDENT_MISSING = 1u << 3,
    ZF_FLAG_MAXIMUM_REQUIRED = 1u << 4,
    ZF_FLAG_REVIEW_REQUIRED = 1u << 5,   /* 减轻: below the statutory minimum */
    ZF_FLAG_MERGED = 1u << 6,            /* absorbed by another norm (第二十九条) */
    /* consequence flags: bit (ZF_FLAG_CONS_SHIFT + ZF_CONS_*) */
    ZF_FLAG_CONS_SHIFT = 8
};

enum zf__outcome {
    ZF_OUT_PENALTY = 0, ZF_OUT_EXEMPT, ZF_OUT_EXEMPTION_AVAILABLE,
    ZF_OUT_TIME_BARRED, ZF_OUT_UNMATCHED, ZF_OUT_AMBIGUOUS, ZF_OUT_NO_BASIS,
    ZF_OUT_ORDER_ONLY
};
extern const char *const zf__outcome_names[8];

struct zf__candidate {
    const struct zf__item *item;
    int64_t score;
};

#define ZF__MAX_CANDIDATES 5

struct zf__dfactor {
    const struct zf__factor *factor;
};

struct zf__dviolation {
    size_t index;
    /* the provision and basis applied: the item's, or an earlier text's
     * under 从旧兼从轻 (then `old_law` is that text) */
    const struct zf__provision *provision;
    const char *basis;
    const struct zf__law *old_law;
    const struct zf__dfactor *factors;
    size_t n_factors;
    long merged_into;      /* -1, or the index of the violation kept */
    const char *act;
    const struct zf__item *item;
    int matched_by;        /* 0 id, 1 pattern, 2 none, 3 wording (n-grams) */
    /* one of several findings of the case violation's text: its span in
     * code points [start, end); -1 when the text was one finding */
    long span_start, span_end;
    struct zf__candidate cand[ZF__MAX_CANDIDATES];
    size_t n_cand;
    enum zf__outcome outcome;
    const struct zf__pstage *stage;
    /* per order of the stage: 0 applies, 1 possible only (its condition,
     * e.g. 情节严重, is not found), 2 not an order of this decision (处分);
     * NULL: all apply */
    const uint8_t *order_state;
    bool order_penalty;    /* an applicable order is itself a penalty */
    bool order_hearing;    /* …and one that carries a hearing right */
    enum zf__tier tier;
    struct zf__money unit;
    struct zf__dperson *persons;
    size_t n_persons;
    uint32_t flags;
    struct zf__trace *trace;
    size_t n_trace;
};

struct zf__referral {
    int flag;              /* ZF_CONS_CRIMINAL_REFERRAL or _CLOSURE_REQUEST */
    size_t violation;
    const char *cite, *reason;
};

struct zf_decision {
    const zf_context *ctx;
    zf_ruleset *rs;            /* a reference */
    struct zf__arena arena;
    const char *case_id;
    struct zf__dviolation *violations;
    size_t n_violations;
    int64_t total_unit, total_persons;
    const char **warnings;
    size_t n_warnings;
    const struct zf__profile *profile;
    bool summary, hearing, legal_review, collective;
    const struct zf__referral *referrals;
    size_t n_referrals;
};

#endif
