/* SPDX-License-Identifier: MIT */
/*
 * Rendering decisions: the CONTRACT.md JSON and the Chinese 裁量说明.
 * Trace entries are structured; their Chinese `detail` is written here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "eval-private.h"
#include "json-out-private.h"

static const char *const step_names[] = {
    "match", "facts", "stage", "major_hazard", "tier", "fine", "persons",
    "total", "limitation", "exemption", "factors", "case", "consequence"};

static const char *const cons_zh[ZF_CONS_COUNT_] = {
    "涉嫌犯罪，应当移送司法机关（行刑衔接）",
    "应当提请地方人民政府予以关闭",
    "拒不改正的，可以按日连续处罚",
    "处罚决定作出后七个工作日内在公示系统公开",
    "列入违法行为信息库并实施失信联合惩戒"};

static void
yuan(struct zf__buf *b, int64_t v)
{
    zf__buf_int(b, v);
    zf__buf_puts(b, "元");
}

static void
roles_zh(struct zf__buf *b, uint32_t mask)
{
    int r;
    bool first = true;

    for (r = 0; r < ZF_ROLE_COUNT_; r++)
        if (mask & (1u << r)) {
            if (!first)
                zf__buf_puts(b, "、");
            zf__buf_puts(b, zf__role_zh[r]);
            first = false;
        }
}

/* The Chinese detail of one trace entry. */
static void
detail(struct zf__buf *b, const struct zf__dviolation *dv,
       const struct zf__trace *t)
{
    const struct zf__item *it = dv->item;

    switch (t->kind) {
    case ZF_T_MATCH_ID:
        zf__buf_printf(b, "按事项编号认定为 %s「%s」", it->id, it->title);
        break;
    case ZF_T_MATCH_PATTERN:
        zf__buf_printf(b, "违法事实描述与事项 %s「%s」的识别模式 %s 相符"
                       "（匹配长度 %lld 字）", it->id, it->title,
                       t->s[0] ? t->s[0] : "", (long long)(t->a[0] - 1));
        break;
    case ZF_T_MATCH_NONE:
        zf__buf_puts(b, "违法事实描述未能与适用领域内的任何检查事项对应，"
                        "请人工认定");
        if (t->a[3])
            zf__buf_printf(b, "（用语最接近的事项得分 %lld，认定需得分不低于 "
                           "%lld 且领先其他处罚依据 %lld 分）",
                           (long long)t->a[0], (long long)t->a[1],
                           (long long)t->a[2]);
        break;
    case ZF_T_MATCH_NGRAM:
        zf__buf_printf(b, "违法事实描述的用语与事项 %s「%s」的违法行为表述相符"
                       "（用语得分 %lld，其他处罚依据最高 %lld；认定规则："
                       "得分不低于 %lld 且领先不少于 %lld 分）", it->id,
                       it->title, (long long)t->a[0], (long long)t->a[1],
                       (long long)t->a[2], (long long)t->a[3]);
        break;
    case ZF_T_MATCH_SEGMENT:
        zf__buf_printf(b, "违法事实描述列有多项违法行为，本项为第 %lld 项（共 "
                       "%lld 项，第 %lld 至 %lld 字）：%s；分别裁量、合并处罚",
                       (long long)t->a[0], (long long)t->a[1],
                       (long long)t->a[2] + 1, (long long)t->a[3],
                       t->s[0] ? t->s[0] : "");
        break;
    case ZF_T_MATCH_SAME_BASIS:
        if (t->a[1])
            zf__buf_printf(b, "事项 %s 与 %s 的处罚依据相同（%s），"
                           "不构成歧义：处罚依据即可确定，事项按企业所属领域"
                           "（否则通用事项）认定为 %s", it->id, t->s[0],
                           t->cite, it->id);
        else
            zf__buf_printf(b, "候选事项 %s 与 %s 的处罚依据相同（%s），"
                           "一并列出", t->s[0], it->id, t->cite);
        break;
    case ZF_T_MATCH_AMBIGUOUS:
        zf__buf_puts(b, "违法事实描述同时与多个检查事项同等程度相符，"
                        "请人工在候选事项中认定");
        break;
    case ZF_T_STAGE_FIRST:
        zf__buf_printf(b, "首次发现，适用%s第一阶段（%s）", t->cite,
                       dv->stage->n_orders ? dv->stage->orders[0] : "罚则");
        break;
    case ZF_T_STAGE_ESCALATED:
        zf__buf_printf(b, "%s，适用%s“%s”阶段",
                       t->a[1] == 1   ? "拒不改正/拒不执行 = 是"
                       : t->a[1] == 2 ? "拒不改正 = 是（未在期限内改正，"
                                        "本条以逾期未改正为加重要件）"
                                      : "逾期未改正 = 是",
                       t->cite, zf__stage_zh[t->a[0]]);
        break;
    case ZF_T_STAGE_NEEDS_REFUSAL:
        zf__buf_printf(b, "逾期未改正 = 是，但%s的加重阶段以拒不改正/拒不执行"
                       "为要件（逾期未改正不等于拒不改正），案件未认定"
                       " refused，仍适用首次发现的罚则", t->cite);
        break;
    case ZF_T_STAGE_ACCIDENT:
        zf__buf_printf(b, "违法行为导致%s，适用%s“导致生产安全事故”的罚则",
                       zf__accident_zh[t->a[1]], t->cite);
        break;
    case ZF_T_ACCIDENT_GRADE:
        zf__buf_printf(b, "事故等级表第%lld行", (long long)t->a[1]);
        if (t->s[0])
            zf__buf_printf(b, "：条件 %s 成立", t->s[0]);
        zf__buf_printf(b, "，依事实认定为%s", zf__accident_zh[t->a[0]]);
        if (t->s[1])
            zf__buf_printf(b, "（%s）", t->s[1]);
        if (t->a[2])
            zf__buf_printf(b, "；案件给出的等级为%s，按案件给出的等级处理",
                           zf__accident_zh[t->a[2]]);
        break;
    case ZF_T_STAGE_NO_ESCALATION:
        zf__buf_printf(b, "逾期未改正或拒不改正 = 是，但%s未规定加重阶段，"
                       "仍适用首次发现的罚则", t->cite);
        break;
    case ZF_T_MAJOR_HAZARD:
        zf__buf_printf(b, "该事项属于%s规定的重大事故隐患情形", t->cite);
        if (t->a[0])
            zf__buf_puts(b, "（案件未给出企业所属领域，未能核对该标准的适用范围）");
        break;
    case ZF_T_MAJOR_HAZARD_NOT_YET:
        zf__buf_printf(b, "%s自 %s 起施行，违法行为发生在此之前，不按该标准认定"
                       "重大事故隐患（应按行为时施行的判定标准核对）", t->cite,
                       t->s[0]);
        break;
    case ZF_T_MAJOR_HAZARD_NA:
        zf__buf_printf(b, "%s不适用于本企业所属领域，不按该标准认定重大事故隐患",
                       t->cite);
        break;
    case ZF_T_TIER_ROW:
        if (t->s[0])
            zf__buf_printf(b, "裁量表第%lld行：条件 %s 成立，档次“%s”",
                           (long long)t->a[1], t->s[0],
                           zf__tier_zh[t->a[0]]);
        else
            zf__buf_printf(b, "裁量表第%lld行（其余情形），档次“%s”",
                           (long long)t->a[1], zf__tier_zh[t->a[0]]);
        if (t->s[1])
            zf__buf_printf(b, "：%s", t->s[1]);
        break;
    case ZF_T_TIER_DEFAULT:
        zf__buf_printf(b, "事项未设裁量表，档次取默认“%s”",
                       zf__tier_zh[t->a[0]]);
        break;
    case ZF_T_TIER_MISSING:
        zf__buf_printf(b, "未提供事实 %s（%s），无法适用裁量表，档次取默认“%s”",
                       t->s[0], t->s[1], zf__tier_zh[t->a[0]]);
        break;
    case ZF_T_FINE:
        zf__buf_printf(b, "单位罚款法定幅度 ");
        yuan(b, t->a[0]);
        zf__buf_puts(b, "至");
        yuan(b, t->a[1]);
        if (t->s[0]) {
            zf__buf_puts(b, "；按百分比模式计算为 ");
            yuan(b, t->a[2]);
            break;
        }
        zf__buf_printf(b, "；“%s”档幅度 ", zf__tier_zh[t->a[4]]);
        yuan(b, t->a[2]);
        zf__buf_puts(b, "至");
        yuan(b, t->a[3]);
        break;
    case ZF_T_FINE_NONE:
        zf__buf_puts(b, "本阶段罚则对单位不设罚款");
        break;
    case ZF_T_FINE_RECOMMEND:
        if (t->a[2] == 3)
            zf__buf_printf(b, "按裁量基准“%s”的百分比模式，建议 ", t->s[0]);
        else
            zf__buf_printf(b, "按裁量基准“%s”取本档%s，取整到 %lld 元，建议 ",
                           t->s[0],
                           t->a[2] == 1   ? "下限"
                           : t->a[2] == 2 ? "上限"
                                          : "中间值",
                           (long long)t->a[1]);
        yuan(b, t->a[0]);
        break;
    case ZF_T_PERSON_FINE:
        if (t->a[5] >= 0 && zf__role_zh[t->a[5]] != t->s[1])
            zf__buf_printf(b, "一案双罚：%s（%s，作为%s）法定幅度 ", t->s[0],
                           t->s[1], zf__role_zh[t->a[5]]);
        else
            zf__buf_printf(b, "一案双罚：%s（%s）法定幅度 ", t->s[0], t->s[1]);
        yuan(b, t->a[0]);
        zf__buf_puts(b, "至");
        yuan(b, t->a[1]);
        zf__buf_puts(b, "，本档 ");
        yuan(b, t->a[2]);
        zf__buf_puts(b, "至");
        yuan(b, t->a[3]);
        zf__buf_puts(b, "，建议 ");
        yuan(b, t->a[4]);
        break;
    case ZF_T_PERSONS_REQUIRED:
        zf__buf_puts(b, "本阶段罚则对");
        roles_zh(b, (uint32_t)t->a[0]);
        if (t->a[1] > 0)
            zf__buf_puts(b, "处罚款，但案件列明的人员均不属于本罚则的处罚对象");
        else
            zf__buf_puts(b, "处罚款，但案件未列明相应责任人员");
        break;
    case ZF_T_PERSON_EXCLUDED:
        zf__buf_printf(b, "%s（%s", t->s[0], t->s[1]);
        if (t->a[1] >= 0 && zf__role_zh[t->a[1]] != t->s[1])
            zf__buf_printf(b, "，本案为%s", zf__role_zh[t->a[1]]);
        zf__buf_puts(b, "）不属于本阶段罚则的处罚对象（");
        roles_zh(b, (uint32_t)t->a[0]);
        zf__buf_puts(b, "），不依本条对其处罚款");
        if (t->a[1] < 0)
            zf__buf_puts(b, "；个人投资人作为直接责任人员的，应在违法行为的"
                            " persons 中写明 as");
        break;
    case ZF_T_PERSON_NO_INCOME:
        zf__buf_printf(b, "%s 未提供上一年年收入（annual_income），无法计算"
                       "按收入比例的罚款", t->s[0]);
        break;
    case ZF_T_FINE_NO_INCOME:
        zf__buf_puts(b, "未提供违法所得（illegal_income），无法计算罚款");
        break;
    case ZF_T_ACCIDENT_MISSING:
        zf__buf_puts(b, "罚款按事故等级确定，但案件未给出事故等级（accident）");
        break;
    case ZF_T_LAW_VERSION_PERSON:
        zf__buf_printf(b, "%s：旧法罚款 ", t->s[0]);
        yuan(b, t->a[0]);
        zf__buf_puts(b, "至");
        yuan(b, t->a[1]);
        zf__buf_puts(b, "，新法 ");
        yuan(b, t->a[2]);
        zf__buf_puts(b, "至");
        yuan(b, t->a[3]);
        zf__buf_printf(b, "；对该责任人员单独比较（行政处罚法第三十七条），适用%s",
                       t->s[1]);
        if (t->a[4] == 2)
            zf__buf_puts(b, "（作出决定时新法尚未施行）");
        if (t->a[0] == 0 && t->a[1] == 0 && t->a[4] != 0)
            zf__buf_puts(b, "，该规定对其不处罚款");
        else if (t->a[2] == 0 && t->a[3] == 0 && t->a[4] == 0)
            zf__buf_puts(b, "，该规定对其不处罚款");
        break;
    case ZF_T_LAW_VERSION:
        zf__buf_printf(b, "违法行为发生时施行的是%s（单位罚款 ", t->s[0]);
        yuan(b, t->a[0]);
        zf__buf_puts(b, "至");
        yuan(b, t->a[1]);
        zf__buf_printf(b, "），现行为%s（单位罚款 ", t->s[1]);
        yuan(b, t->a[2]);
        zf__buf_puts(b, "至");
        yuan(b, t->a[3]);
        zf__buf_puts(b, "）；");
        if (t->a[4] == 2)
            zf__buf_puts(b, "作出决定时新法尚未施行，适用旧法");
        else if (t->a[4] == 1)
            zf__buf_puts(b, "依行政处罚法第三十七条从旧兼从轻，新法不轻于旧法，适用旧法");
        else
            zf__buf_puts(b, "依行政处罚法第三十七条从旧兼从轻，新法较轻，适用新法");
        break;
    case ZF_T_LAW_OLD_NOT_COVERED:
        zf__buf_printf(b, "违法行为发生在%s施行（%s）之前；此前施行的文本未规定"
                       "该事项所列行为（按行为而非项号对应，见事项说明），"
                       "不能依该条处罚（法不溯及既往）", t->cite, t->s[0]);
        break;
    case ZF_T_LAW_NO_BASIS:
        zf__buf_printf(b, "%s自 %s 起施行，违法行为发生时没有对应的罚则，"
                       "不能依该条处罚（法不溯及既往）", t->cite, t->s[0]);
        break;
    case ZF_T_TIME_OK:
    case ZF_T_TIME_BARRED: {
        char d1[11], d2[11];
        zf__format_date((int32_t)t->a[1], d1);
        zf__format_date((int32_t)t->a[2], d2);
        if (t->kind == ZF_T_TIME_OK)
            zf__buf_printf(b, "违法行为发生（终了）后%lld年的追责期限至 %s，"
                           "%s 发现，未超过时效", (long long)t->a[0], d1, d2);
        else
            zf__buf_printf(b, "违法行为发生（终了）后%lld年的追责期限至 %s，"
                           "%s 才发现，已超过时效，不再给予行政处罚",
                           (long long)t->a[0], d1, d2);
        break;
    }
    case ZF_T_TIME_UNSURE:
        zf__buf_printf(b, "已超过%lld年，但是否适用%lld年时效取决于未提供的事实，"
                       "未认定超过时效", (long long)t->a[0],
                       (long long)t->a[1]);
        break;
    case ZF_T_TIME_NO_DATES:
        zf__buf_puts(b, "案件未给出违法行为日期或发现日期，未核对时效");
        break;
    case ZF_T_EXEMPT_NO_FAULT:
        zf__buf_puts(b, "当事人有证据足以证明没有主观过错，不予行政处罚");
        break;
    case ZF_T_EXEMPT_MINOR:
        zf__buf_puts(b, "违法行为轻微并及时改正，没有造成危害后果，"
                        "不予行政处罚（应当对当事人进行教育）");
        break;
    case ZF_T_FIRST_OFFENCE:
        zf__buf_puts(b, "初次违法且危害后果轻微并及时改正，可以不予行政处罚"
                        "（首违不罚，由执法人员裁量；下列罚款为不适用时的建议）");
        break;
    case ZF_T_EXEMPTION_BLOCKED:
        zf__buf_printf(b, "虽符合免罚条件，但%s，不适用不予处罚",
                       t->a[0] == 1 ? "属于重大事故隐患"
                       : t->a[0] == 2 ? "属于顶格处罚事项"
                                      : "已导致生产安全事故");
        break;
    case ZF_T_MAXIMUM:
        zf__buf_puts(b, "该事项列入顶格处罚清单，按本阶段法定最高额处罚，"
                        "不适用从轻");
        if (t->s[0])
            zf__buf_printf(b, "（%s）", t->s[0]);
        break;
    case ZF_T_FACTOR:
        zf__buf_printf(b, "%s情节：%s", t->a[0] ? "从重" : "从轻", t->s[0]);
        break;
    case ZF_T_TIER_ADJUST:
        if (t->a[4])
            zf__buf_printf(b, "从轻情节%lld个（其中依行政处罚法第三十二条应当从轻的"
                           "%lld个，在其他情节相抵之后适用，不被从重情节抵消）、"
                           "从重情节%lld个，档次由“%s”调整为“%s”",
                           (long long)t->a[2], (long long)t->a[4],
                           (long long)t->a[3], zf__tier_zh[t->a[0]],
                           zf__tier_zh[t->a[1]]);
        else
            zf__buf_printf(b, "从轻情节%lld个、从重情节%lld个，相抵后档次由“%s”"
                           "调整为“%s”", (long long)t->a[2],
                           (long long)t->a[3], zf__tier_zh[t->a[0]],
                           zf__tier_zh[t->a[1]]);
        break;
    case ZF_T_ORDER_APPLIES:
        zf__buf_printf(b, "“%s”：案件认定其条件（%s）成立，拟作出该处理", t->s[0],
                       t->s[1] ? t->s[1] : "");
        if (t->a[0] == ZF_ORDER_SUSPENSION || t->a[0] == ZF_ORDER_CLOSURE ||
            t->a[0] == ZF_ORDER_REVOCATION)
            zf__buf_puts(b, "，应告知听证权利（行政处罚法第六十三条）");
        break;
    case ZF_T_ORDER_POSSIBLE:
        zf__buf_printf(b, "“%s”：案件未认定其条件（%s），列为可能的处理，"
                       "本决定不据此适用听证、法制审核等程序；拟作出的，"
                       "应在案件中认定（如 factors.serious）", t->s[0],
                       t->s[1] ? t->s[1] : "");
        break;
    case ZF_T_ORDER_SANCTION:
        zf__buf_printf(b, "“%s”是处分，不是行政处罚，由有权机关依法给予，"
                       "不列入本处罚决定", t->s[0]);
        break;
    case ZF_T_MAXIMUM_DISPLACED:
        zf__buf_printf(b, "该事项列入顶格处罚清单，但当事人有%lld个依行政处罚法"
                       "第三十二条应当从轻或者减轻处罚的情节：法定的从轻、减轻"
                       "不因地方执法计划的顶格要求而排除，不按最高额处罚",
                       (long long)t->a[0]);
        if (t->s[0])
            zf__buf_printf(b, "（被排除的顶格要求：%s）", t->s[0]);
        break;
    case ZF_T_MITIGATED:
        zf__buf_printf(b, "有%lld个从轻或者减轻情节且无从重情节，减轻处罚"
                       "（在法定最低罚款以下确定，须法制审核和集体讨论）",
                       (long long)t->a[0]);
        break;
    case ZF_T_MITIGATION_NA:
        zf__buf_puts(b, "法定罚款无下限，减轻处罚按从轻档确定");
        break;
    case ZF_T_ELEMENT:
        zf__buf_printf(b, "裁量要素“%s”：%s，计 %lld%%", t->s[0],
                       t->s[1] ? t->s[1] : "", (long long)t->a[0]);
        break;
    case ZF_T_ADDITIVE:
        zf__buf_printf(b, "各裁量要素百分值合计 %lld%%，乘以法定最高罚款数额",
                       (long long)t->a[0]);
        break;
    case ZF_T_CONSEQUENCE:
        zf__buf_puts(b, t->s[0] ? t->s[0] : cons_zh[t->a[0]]);
        break;
    case ZF_T_MERGED:
        zf__buf_printf(b, "与违法行为 %lld 属同一违法行为（act %s），违反多个"
                       "法律规范的，按照罚款数额高的规定处罚，本项不另行罚款",
                       (long long)t->a[0], t->s[0]);
        break;
    case ZF_T_MERGE_KEPT:
        zf__buf_printf(b, "同一违法行为（act %s）涉及%lld项规定，本项罚款数额"
                       "最高，按本项处罚", t->s[0], (long long)t->a[0]);
        break;
    default:
        break;
    }
}

/* 0 applies, 1 possible only, 2 not an order of this decision (处分) */
static int
order_state(const struct zf__dviolation *dv, size_t i)
{
    if (dv->order_state)
        return dv->order_state[i];
    if (dv->stage->order_info &&
        dv->stage->order_info[i].kind == ZF_ORDER_SANCTION)
        return 2;
    if (dv->stage->order_info && dv->stage->order_info[i].when)
        return 1;
    return 0;
}

static void
json_money(struct zf__buf *b, const struct zf__money *m, bool statutory)
{
    zf__buf_puts(b, "{\"min\":");
    zf__buf_int(b, m->min);
    zf__buf_puts(b, ",\"max\":");
    zf__buf_int(b, m->max);
    zf__buf_puts(b, ",\"recommended\":");
    zf__buf_int(b, m->rec);
    if (statutory) {
        zf__buf_puts(b, ",\"statutory\":{\"min\":");
        zf__buf_int(b, m->smin);
        zf__buf_puts(b, ",\"max\":");
        zf__buf_int(b, m->smax);
        zf__buf_putc(b, '}');
    }
    zf__buf_putc(b, '}');
}

/* the short name the many call sites below use (json-out.c's function) */
static void
jstr(struct zf__buf *b, const char *s)
{
    zf__json_str_or_null(b, s);
}

static void
jkey(struct zf__buf *b, const char *k, bool comma)
{
    if (comma)
        zf__buf_putc(b, ',');
    zf__buf_json_str(b, k, strlen(k));
    zf__buf_putc(b, ':');
}

static void
json_flags(struct zf__buf *b, const struct zf__dviolation *dv)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {
        {ZF_FLAG_MAJOR_HAZARD, "major_hazard"},
        {ZF_FLAG_MAXIMUM_REQUIRED, "maximum_required"},
        {ZF_FLAG_PERSONS_REQUIRED, "persons_required"},
        {ZF_FLAG_INCOME_MISSING, "income_missing"},
        {ZF_FLAG_ACCIDENT_MISSING, "accident_missing"},
        {ZF_FLAG_REVIEW_REQUIRED, "review_required"},
        {ZF_FLAG_MERGED, "merged"},
    };
    size_t i;
    int c;
    bool first = true;

    zf__buf_putc(b, '[');
    for (i = 0; i < ZF_ARRAY_SIZE(names); i++)
        if (dv->flags & names[i].bit) {
            if (!first)
                zf__buf_putc(b, ',');
            jstr(b, names[i].name);
            first = false;
        }
    for (c = 0; c < ZF_CONS_COUNT_; c++)
        if (dv->flags & (1u << (ZF_FLAG_CONS_SHIFT + c))) {
            if (!first)
                zf__buf_putc(b, ',');
            jstr(b, zf__cons_names[c]);
            first = false;
        }
    zf__buf_putc(b, ']');
}

/* A duty article, cited under the text applied: when an earlier text of
 * the law was applied (从旧兼从轻), the renumbering of each text between it
 * and the cited one maps the article (each text's `renumbered` maps its
 * successor's numbers to its own). */
static void
violates_cite(struct zf__buf *b, const struct zf__dviolation *dv,
              const struct zf__ref *r, bool json)
{
    const struct zf__law *old = dv->old_law, *l, *chain[32];
    struct zf__buf c;
    char *s;
    size_t k, n = 0;
    long article = r->article;
    bool moved = false;

    for (l = old; l && l != r->law && n < ZF_ARRAY_SIZE(chain);
         l = l->superseded_by)
        chain[n++] = l;
    if (old && l == r->law) {
        while (n--)
            for (k = 0; k < chain[n]->n_renumbered; k++) {
                const struct zf__renumber *rn = &chain[n]->renumbered[k];
                if (article >= rn->from && article <= rn->to) {
                    article += rn->shift;
                    moved = true;
                    break;
                }
            }
    }
    if (moved) {
        zf__buf_init(&c, b->ctx);
        zf__cite(&c, old->title, (unsigned)article, r->sub, r->para,
                 r->item);
        if (old->version)
            zf__buf_printf(&c, "（%s）", old->version);
        s = zf__buf_steal(&c, NULL);
        if (!s) {
            b->failed = true;
            return;
        }
        if (json)
            jstr(b, s);
        else
            zf__buf_puts(b, s);
        zf__free(b->ctx, s);
        return;
    }
    if (json)
        jstr(b, r->cite);
    else
        zf__buf_puts(b, r->cite);
}

static void
json_violation(struct zf__buf *b, const struct zf__dviolation *dv)
{
    const struct zf__item *it = dv->item;
    static const char *const by[] = {"id", "pattern", "none", "wording"};
    size_t i;

    zf__buf_puts(b, "{\"index\":");
    zf__buf_int(b, (int64_t)dv->index);
    jkey(b, "item", true);
    jstr(b, it ? it->id : NULL);
    jkey(b, "title", true);
    jstr(b, it ? it->title : NULL);
    jkey(b, "matched_by", true);
    jstr(b, by[dv->matched_by]);
    jkey(b, "candidates", true);
    zf__buf_putc(b, '[');
    if (dv->matched_by != 0)
        for (i = 0; i < dv->n_cand; i++) {
            if (i)
                zf__buf_putc(b, ',');
            zf__buf_puts(b, "{\"item\":");
            jstr(b, dv->cand[i].item->id);
            jkey(b, "title", true);
            jstr(b, dv->cand[i].item->title);
            jkey(b, "domain", true);
            jstr(b, dv->cand[i].item->domain->id);
            jkey(b, "basis", true);
            jstr(b, dv->cand[i].item->basis);
            jkey(b, "score", true);
            zf__buf_int(b, dv->cand[i].score);
            zf__buf_putc(b, '}');
        }
    zf__buf_putc(b, ']');
    jkey(b, "domain", true);
    jstr(b, it ? it->domain->id : NULL);
    jkey(b, "violates", true);
    zf__buf_putc(b, '[');
    for (i = 0; it && i < it->n_violates; i++) {
        if (i)
            zf__buf_putc(b, ',');
        violates_cite(b, dv, &it->violates[i], true);
    }
    zf__buf_putc(b, ']');
    jkey(b, "basis", true);
    jstr(b, it ? (dv->basis ? dv->basis : it->basis) : NULL);
    jkey(b, "provision", true);
    jstr(b, it ? (dv->provision ? dv->provision->id : it->provision->id)
               : NULL);
    jkey(b, "stage", true);
    jstr(b, dv->stage ? zf__stage_names[dv->stage->stage] : NULL);
    jkey(b, "major_hazard", true);
    zf__buf_puts(b, dv->flags & ZF_FLAG_MAJOR_HAZARD ? "true" : "false");
    jkey(b, "major_hazard_criteria", true);
    zf__buf_putc(b, '[');
    for (i = 0; it && i < it->n_hazards; i++) {
        if (i)
            zf__buf_putc(b, ',');
        jstr(b, it->hazards[i].cite);
    }
    zf__buf_putc(b, ']');
    jkey(b, "outcome", true);
    jstr(b, zf__outcome_names[dv->outcome]);
    jkey(b, "tier", true);
    jstr(b, it ? zf__tier_names[dv->tier] : NULL);
    jkey(b, "unit", true);
    if (!it || dv->outcome == ZF_OUT_EXEMPT ||
        dv->outcome == ZF_OUT_TIME_BARRED ||
        dv->outcome == ZF_OUT_NO_BASIS) {
        zf__buf_puts(b, "null");
    } else {
        int want;
        zf__buf_puts(b, "{\"fine\":");
        if (dv->unit.present)
            json_money(b, &dv->unit, true);
        else
            zf__buf_puts(b, "null");
        for (want = 0; want < 2; want++) {
            bool first = true;
            /* orders that apply; then those whose condition (情节严重)
             * the case does not find: possible, no procedure follows */
            jkey(b, want ? "possible_orders" : "orders", true);
            zf__buf_putc(b, '[');
            for (i = 0; dv->stage && i < dv->stage->n_orders; i++) {
                if (order_state(dv, i) != want)
                    continue;
                if (!first)
                    zf__buf_putc(b, ',');
                first = false;
                jstr(b, dv->stage->orders[i]);
            }
            zf__buf_putc(b, ']');
        }
        zf__buf_putc(b, '}');
    }
    jkey(b, "persons", true);
    zf__buf_putc(b, '[');
    for (i = 0; i < dv->n_persons; i++) {
        const struct zf__dperson *p = &dv->persons[i];
        if (i)
            zf__buf_putc(b, ',');
        zf__buf_puts(b, "{\"id\":");
        jstr(b, p->id);
        jkey(b, "role", true);
        jstr(b, zf__role_names[p->role]);
        jkey(b, "as", true);
        jstr(b, p->liability >= 0 ? zf__role_names[p->liability] : NULL);
        jkey(b, "fine", true);
        if (p->fine.present)
            json_money(b, &p->fine, true);
        else
            zf__buf_puts(b, "null");
        jkey(b, "basis", true);
        jstr(b, p->basis);
        zf__buf_putc(b, '}');
    }
    zf__buf_putc(b, ']');
    jkey(b, "factors", true);
    zf__buf_putc(b, '[');
    for (i = 0; i < dv->n_factors; i++) {
        const struct zf__factor *f = dv->factors[i].factor;
        if (i)
            zf__buf_putc(b, ',');
        zf__buf_puts(b, "{\"id\":");
        jstr(b, f->id);
        jkey(b, "effect", true);
        jstr(b, f->effect ? "heavier" : "lighter");
        jkey(b, "label", true);
        jstr(b, f->label);
        jkey(b, "cite", true);
        jstr(b, f->cite ? f->cite : "");
        zf__buf_putc(b, '}');
    }
    zf__buf_putc(b, ']');
    if (dv->span_start >= 0) {
        /* one of several findings of the text: its code-point span */
        jkey(b, "span", true);
        zf__buf_puts(b, "{\"start\":");
        zf__buf_int(b, dv->span_start);
        zf__buf_puts(b, ",\"end\":");
        zf__buf_int(b, dv->span_end);
        zf__buf_putc(b, '}');
    }
    jkey(b, "act", true);
    jstr(b, dv->act);
    jkey(b, "merged_into", true);
    if (dv->merged_into >= 0)
        zf__buf_int(b, dv->merged_into);
    else
        zf__buf_puts(b, "null");
    jkey(b, "flags", true);
    json_flags(b, dv);
    jkey(b, "trace", true);
    zf__buf_putc(b, '[');
    for (i = 0; i < dv->n_trace; i++) {
        const struct zf__trace *t = &dv->trace[i];
        struct zf__buf d;
        char *ds;
        size_t dl = 0;

        if (i)
            zf__buf_putc(b, ',');
        zf__buf_puts(b, "{\"step\":");
        jstr(b, step_names[t->step]);
        jkey(b, "rule", true);
        jstr(b, t->rule ? t->rule : "");
        jkey(b, "source", true);
        if (t->file) {
            char src[300];
            int sn = snprintf(src, sizeof(src), "%s:%u", t->file->name,
                              t->line);
            zf__buf_json_str(b, src,
                             sn < 0 ? 0
                             : (size_t)sn >= sizeof(src) ? sizeof(src) - 1
                                                         : (size_t)sn);
        } else {
            zf__buf_puts(b, "\"\"");
        }
        jkey(b, "cite", true);
        jstr(b, t->cite ? t->cite : "");
        jkey(b, "detail", true);
        zf__buf_init(&d, b->ctx);
        detail(&d, dv, t);
        ds = zf__buf_steal(&d, &dl);
        if (ds) {
            zf__buf_json_str(b, ds, dl);
            zf__free(b->ctx, ds);
        } else {
            b->failed = true;
        }
        zf__buf_putc(b, '}');
    }
    zf__buf_puts(b, "]}");
}

static zf_status
render_json(struct zf__buf *b, const zf_decision *dec, bool pretty)
{
    const zf_ruleset *rs = dec->rs;
    size_t i;

    (void)pretty;
    zf__buf_puts(b, "{\"case_id\":");
    jstr(b, dec->case_id);
    zf__buf_puts(b, ",\"engine\":{\"version\":");
    jstr(b, ZF_VERSION_STRING);
    zf__buf_puts(b, "},\"ruleset\":{\"id\":");
    jstr(b, rs->id);
    jkey(b, "version", true);
    jstr(b, rs->version);
    jkey(b, "digest", true);
    jstr(b, rs->digest);
    jkey(b, "generation", true);
    zf__buf_int(b, (int64_t)rs->generation);
    jkey(b, "profile", true);
    jstr(b, dec->profile->id);
    zf__buf_puts(b, "},\"violations\":[");
    for (i = 0; i < dec->n_violations; i++) {
        if (i)
            zf__buf_putc(b, ',');
        json_violation(b, &dec->violations[i]);
    }
    zf__buf_puts(b, "],\"total\":{\"unit_fine\":");
    zf__buf_int(b, dec->total_unit);
    zf__buf_puts(b, ",\"person_fines\":");
    zf__buf_int(b, dec->total_persons);
    zf__buf_printf(b, "},\"procedure\":{\"summary\":%s,\"hearing\":%s,"
                   "\"legal_review\":%s,\"collective_discussion\":%s},"
                   "\"referrals\":[",
                   dec->summary ? "true" : "false",
                   dec->hearing ? "true" : "false",
                   dec->legal_review ? "true" : "false",
                   dec->collective ? "true" : "false");
    for (i = 0; i < dec->n_referrals; i++) {
        const struct zf__referral *r = &dec->referrals[i];
        if (i)
            zf__buf_putc(b, ',');
        zf__buf_puts(b, "{\"type\":");
        jstr(b, zf__cons_names[r->flag]);
        jkey(b, "violation", true);
        zf__buf_int(b, (int64_t)r->violation);
        jkey(b, "cite", true);
        jstr(b, r->cite);
        jkey(b, "reason", true);
        jstr(b, r->reason ? r->reason : "");
        zf__buf_putc(b, '}');
    }
    zf__buf_puts(b, "],\"warnings\":[");
    for (i = 0; i < dec->n_warnings; i++) {
        if (i)
            zf__buf_putc(b, ',');
        jstr(b, dec->warnings[i]);
    }
    zf__buf_puts(b, "]}");
    return ZF_OK;
}

static void
text_money(struct zf__buf *b, const char *who, const struct zf__money *m)
{
    zf__buf_printf(b, "  %s：法定幅度 ", who);
    yuan(b, m->smin);
    zf__buf_puts(b, "至");
    yuan(b, m->smax);
    zf__buf_puts(b, "；本档幅度 ");
    yuan(b, m->min);
    zf__buf_puts(b, "至");
    yuan(b, m->max);
    zf__buf_puts(b, "；建议罚款 ");
    yuan(b, m->rec);
    zf__buf_putc(b, '\n');
}

static const char *const zh_index[] = {"一", "二", "三", "四", "五", "六",
                                       "七", "八", "九", "十"};

static void
render_text(struct zf__buf *b, const zf_decision *dec)
{
    static const char *const outcome_zh[] = {
        "处罚", "不予处罚", "可以不予处罚（首违不罚，由执法人员裁量）",
        "超过追责时效，不再处罚", "未能认定", "需人工认定",
        "行为发生时无对应罚则，不能依该条处罚", "责令改正（本阶段不处罚款）"};
    const zf_ruleset *rs = dec->rs;
    size_t i, k;

    zf__buf_printf(b, "行政处罚裁量说明（案件 %s）\n",
                   dec->case_id[0] ? dec->case_id : "未编号");
    zf__buf_printf(b, "规则集：%s %s（%s）\n裁量基准：%s\n\n", rs->id,
                   rs->version, rs->digest, dec->profile->title);
    for (i = 0; i < dec->n_violations; i++) {
        const struct zf__dviolation *dv = &dec->violations[i];
        const struct zf__item *it = dv->item;

        if (i < ZF_ARRAY_SIZE(zh_index))
            zf__buf_printf(b, "%s、", zh_index[i]);
        else
            zf__buf_printf(b, "%zu. ", i + 1);
        if (!it) {
            zf__buf_printf(b, "违法行为 %zu：%s\n", i + 1,
                           dv->outcome == ZF_OUT_AMBIGUOUS
                               ? "与多个检查事项同等相符，需人工认定"
                               : "未能对应检查事项，需人工认定");
            for (k = 0; k < dv->n_cand; k++)
                zf__buf_printf(b, "  候选：%s「%s」（得分 %lld）\n",
                               dv->cand[k].item->id, dv->cand[k].item->title,
                               (long long)dv->cand[k].score);
            zf__buf_putc(b, '\n');
            continue;
        }
        zf__buf_printf(b, "%s「%s」（%s）\n", it->id, it->title,
                       it->domain->name);
        zf__buf_printf(b, "  违法行为：%s\n", it->conduct);
        zf__buf_puts(b, "  违反条款：");
        for (k = 0; k < it->n_violates; k++) {
            if (k)
                zf__buf_puts(b, "、");
            violates_cite(b, dv, &it->violates[k], false);
        }
        zf__buf_printf(b, "\n  处罚依据：%s\n", dv->basis ? dv->basis
                                                         : it->basis);
        zf__buf_printf(b, "  处罚阶段：%s",
                       dv->stage ? zf__stage_zh[dv->stage->stage] : "—");
        if (dv->stage && dv->stage->n_orders) {
            bool first = true;
            for (k = 0; k < dv->stage->n_orders; k++) {
                if (order_state(dv, k) != 0)
                    continue;
                zf__buf_printf(b, "%s%s", first ? "（" : "、",
                               dv->stage->orders[k]);
                first = false;
            }
            if (!first)
                zf__buf_puts(b, "）");
            for (k = 0; k < dv->stage->n_orders; k++)
                if (order_state(dv, k) == 1)
                    zf__buf_printf(b, "；可能：%s", dv->stage->orders[k]);
        }
        zf__buf_printf(b, "\n  重大事故隐患：%s\n",
                       dv->flags & ZF_FLAG_MAJOR_HAZARD ? "是" : "否");
        zf__buf_printf(b, "  处理结果：%s\n", outcome_zh[dv->outcome]);
        if (dv->outcome == ZF_OUT_PENALTY ||
            dv->outcome == ZF_OUT_EXEMPTION_AVAILABLE)
            zf__buf_printf(b, "  裁量档次：%s\n", zf__tier_zh[dv->tier]);
        if (dv->merged_into >= 0)
            zf__buf_printf(b, "  与违法行为 %ld 属同一违法行为，不另行罚款\n",
                           dv->merged_into + 1);
        if (dv->unit.present && dv->outcome != ZF_OUT_EXEMPT &&
            dv->outcome != ZF_OUT_TIME_BARRED)
            text_money(b, "单位罚款", &dv->unit);
        for (k = 0; k < dv->n_persons; k++) {
            char who[160];
            if (!dv->persons[k].fine.present)
                continue;
            if (dv->persons[k].liability >= 0 &&
                dv->persons[k].liability != dv->persons[k].role)
                snprintf(who, sizeof(who), "%s（作为%s）罚款（%s）",
                         zf__role_zh[dv->persons[k].role],
                         zf__role_zh[dv->persons[k].liability],
                         dv->persons[k].id);
            else
                snprintf(who, sizeof(who), "%s罚款（%s）",
                         zf__role_zh[dv->persons[k].role],
                         dv->persons[k].id);
            text_money(b, who, &dv->persons[k].fine);
        }
        if (dv->flags & ZF_FLAG_PERSONS_REQUIRED)
            zf__buf_puts(b, "  注意：本阶段应对责任人员处罚款，但案件未列明可依本条"
                            "处罚的责任人员\n");
        zf__buf_puts(b, "  裁量过程：\n");
        for (k = 0; k < dv->n_trace; k++) {
            const struct zf__trace *t = &dv->trace[k];
            zf__buf_puts(b, "    - ");
            detail(b, dv, t);
            if (t->file)
                zf__buf_printf(b, "〔%s:%u〕", t->file->name, t->line);
            zf__buf_putc(b, '\n');
        }
        zf__buf_putc(b, '\n');
    }
    zf__buf_puts(b, "合计：单位罚款 ");
    yuan(b, dec->total_unit);
    zf__buf_puts(b, "；责任人员罚款 ");
    yuan(b, dec->total_persons);
    zf__buf_putc(b, '\n');
    zf__buf_printf(b, "程序：%s%s%s%s\n",
                   dec->summary ? "可适用简易程序（行政处罚法第五十一条）"
                                : "适用普通程序",
                   dec->hearing ? "；应告知听证权利（行政处罚法第六十三条）" : "",
                   dec->legal_review
                       ? "；作出决定前应进行法制审核（行政处罚法第五十八条）"
                       : "",
                   dec->collective
                       ? "；应由行政机关负责人集体讨论决定（行政处罚法第五十七条第二款）"
                       : "");
    for (i = 0; i < dec->n_referrals; i++) {
        const struct zf__referral *r = &dec->referrals[i];
        zf__buf_printf(b, "%s：违法行为 %zu，%s%s%s\n",
                       r->flag == ZF_CONS_CLOSURE_REQUEST ? "提请关闭"
                                                         : "移送司法机关",
                       r->violation + 1, r->cite, r->reason ? "：" : "",
                       r->reason ? r->reason : "");
    }
    for (i = 0; i < dec->n_warnings; i++)
        zf__buf_printf(b, "提示：%s\n", dec->warnings[i]);
}

ZF_API zf_status
zf_decision_render(char **out, size_t *out_len, const zf_decision *dec,
                   int format, zf_error *err)
{
    struct zf__buf b;
    char *s;

    if (!out || !dec ||
        (format != ZF_RENDER_JSON && format != ZF_RENDER_JSON_PRETTY &&
         format != ZF_RENDER_TEXT))
        return zf__error_set(err, ZF_EINVAL, ZF_DIAG_INVAL,
                             "invalid argument");
    zf__buf_init(&b, dec->ctx);
    if (format == ZF_RENDER_TEXT)
        render_text(&b, dec);
    else
        render_json(&b, dec, false);
    if (format == ZF_RENDER_JSON_PRETTY && !b.failed) {
        struct zf__buf p;
        zf__buf_init(&p, dec->ctx);
        zf__json_indent(&p, b.data, b.len);
        zf__buf_free(&b);
        b = p;
    }
    s = zf__buf_steal(&b, out_len);
    if (!s)
        return zf__error_nomem(err);
    *out = s;
    return ZF_OK;
}
