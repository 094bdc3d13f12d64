/* SPDX-License-Identifier: MIT */
/*
 * The rule format's vocabulary: names of stages, tiers, roles, accident
 * grades, order kinds and consequences, and the built-in facts.
 */
#include "config.h"

#include "ruleset-private.h"

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
