"""evaluate(): answers + plan + rule set -> Screening. Pure: no I/O.

The same answers, plan, intake date and rule set (content hash) always give
the same flags in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .conditions import FALSE, Context
from .model import LEVEL_RANK, URGENCY_RANK, Evidence, Flag, Screening, SiteInfo
from .plan import Plan
from .rules import Rule, RuleSet


def coerce_plan(plan: Plan | Mapping[str, Any] | None, answers: Mapping[str, Any],
                rules: RuleSet) -> Plan:
    if plan is None:
        return Plan.default(answers)
    if isinstance(plan, Plan):
        return plan
    return Plan.from_dict(plan, frozenset(rules.nearby))


def run(
    answers: Mapping[str, Any],
    plan: Plan | Mapping[str, Any] | None,
    rules: RuleSet,
    today: date | None = None,
) -> Screening:
    plan = coerce_plan(plan, answers, rules)
    today = today or date.today()
    definition = rules.definition
    questions = definition.questions

    def is_visible(question_id: str, values: Mapping[str, Any]) -> bool:
        return definition.is_visible(questions[question_id], values, today)

    thorax = rules.thorax
    plan_thorax = tuple(r for r in plan.regions if r in thorax)
    ctx = Context(answers, today, plan, plan_thorax, is_visible, rules.gates)
    flags: list[Flag] = []
    for rule in rules.rules:
        if rule.node.test(ctx) == FALSE:
            continue
        flag = _flag(rule, ctx, plan, rules)
        ctx.fired[rule.id] = flag
        flags.append(flag)
    flags.sort(key=Flag.sort_key)
    return Screening(
        rules_version=rules.content_hash,
        questionnaire_version=getattr(definition, "version", None),
        flags=tuple(flags),
        plan=plan.to_dict(),
    )


def _flag(rule: Rule, ctx: Context, plan: Plan, rules: RuleSet) -> Flag:
    evidence: list[Evidence] = []
    rule.node.explain(ctx, evidence)
    level, urgency = rule.level, rule.urgency
    for escalation in rule.escalations:
        if escalation.node.test(ctx) == FALSE:
            continue
        more: list[Evidence] = []
        escalation.node.explain(ctx, more)
        to_level = escalation.level or level
        to_urgency = escalation.urgency or urgency
        if (LEVEL_RANK[to_level], URGENCY_RANK.get(to_urgency, 9)) < (
            LEVEL_RANK[level], URGENCY_RANK.get(urgency, 9)
        ):
            level, urgency = to_level, to_urgency
        raised = "raised to " + (to_urgency if to_level == "red_flag" else to_level)
        evidence.extend(
            Evidence(e.question, e.value, e.label, _join(raised, e.note), e.uncertain) for e in more
        )
    site = None
    if rule.site is not None:
        site = _site(rule, ctx, plan, rules, level)
        evidence.append(_site_evidence(site, rules))
        if site.downgraded:
            level, urgency = "note", None
    return Flag(
        rule_id=rule.id,
        level=level,
        urgency=urgency,
        title=rule.title,
        why=rule.why,
        action=rule.action,
        sources=rule.sources,
        evidence=tuple(_dedupe(evidence)),
        site=site,
        order=rule.order,
    )


def _site(rule: Rule, ctx: Context, plan: Plan, rules: RuleSet, level: str) -> SiteInfo:
    """Base level when the problem is in or next to a planned region, else note.

    An unknown problem site or an empty plan cannot rule anything out, so
    both keep the base level.
    """
    assert rule.site is not None
    raw = ctx.answers.get(rule.site)
    problem = tuple(r for r in raw if isinstance(r, str)) if isinstance(raw, list) else ()
    known = bool(problem)
    downgraded = False
    if known and plan.regions:
        near: set[str] = set()
        for region in plan.regions:
            near |= rules.nearby.get(region, {region})
        downgraded = not any(r in near for r in problem)
    return SiteInfo(
        question=rule.site,
        problem_regions=problem,
        planned_regions=plan.regions,
        base_level=level,
        downgraded=downgraded,
        problem_known=known,
    )


def _site_evidence(site: SiteInfo, rules: RuleSet) -> Evidence:
    question = rules.definition.questions[site.question]
    label = getattr(question, "label", None)
    if not site.problem_known:
        note = "where is not answered: treated as in a planned region"
        return Evidence(site.question, None, label, note, uncertain=True)
    if not site.planned_regions:
        note = "no planned regions to compare: base level kept"
    elif site.downgraded:
        note = "not in or next to a planned region: recorded as a note"
    else:
        note = "in or next to a planned region"
    return Evidence(site.question, list(site.problem_regions), label, note)


def _join(first: str, second: str | None) -> str:
    return f"{first}: {second}" if second else first


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, str, str | None]] = set()
    result = []
    for item in evidence:
        key = (item.question, repr(item.value), item.note)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result
