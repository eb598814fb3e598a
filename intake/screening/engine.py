"""evaluate(): answers + plan + rule set -> Screening. Pure: no I/O.

The same answers, plan, intake date and rule set (content hash) always give
the same flags in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from intake.questionnaire.values import is_blank

from .conditions import FALSE, Context
from .model import Evidence, Flag, Screening, SiteInfo
from .plan import Plan, pain_regions_question
from .rules import Rule, RuleSet
from .severity import rank, sort_key

_CACHE_LIMIT = 100_000


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _asked(answers: Mapping[str, Any], today: date, rules: RuleSet) -> Callable[[str], bool]:
    """For an unanswered question: could the patient have been asked it?

    Yes when it is shown (its show_if holds), and also when it is hidden only
    because a question its show_if reads is itself unanswered: a blank gate
    must not hide a follow-up that could fire a rule. Both depend only on the
    answers the show_if chain reads and the date, so the result is cached on
    the rule set by exactly those inputs. A pick list left blank because its
    free text is answered (required_unless_answered) was asked and answered
    "nothing ticked": not unknown, so it does not over-flag every medicine.
    """
    definition = rules.definition
    questions = definition.questions
    cache = rules.visibility_cache

    local: dict[str, bool] = {}

    def asked(question_id: str) -> bool:
        known = local.get(question_id)
        if known is not None:
            return known
        instead = getattr(questions[question_id], "required_unless_answered", ())
        if instead and any(not is_blank(answers.get(q)) for q in instead):
            local[question_id] = False
            return False
        inputs = rules.visibility_inputs(question_id)
        key = (question_id, today, *[_hashable(answers.get(q)) for q in inputs])
        known = cache.get(key)
        if known is None:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            known = definition.is_visible(questions[question_id], answers, today) or any(
                is_blank(answers.get(gate)) and asked(gate)
                for gate in rules.gates(question_id)
            )
            cache[key] = known = bool(known)
        local[question_id] = known
        return known

    return asked


def coerce_plan(plan: Plan | Mapping[str, Any] | None, answers: Mapping[str, Any],
                rules: RuleSet) -> Plan:
    if plan is None:
        return Plan.default(answers, pain_regions_question(rules.definition))
    if isinstance(plan, Plan):
        return plan
    return Plan.from_dict(plan, frozenset(rules.nearby))


def run(
    answers: Mapping[str, Any],
    plan: Plan | Mapping[str, Any] | None,
    rules: RuleSet,
    today: date,
) -> Screening:
    plan = coerce_plan(plan, answers, rules)
    definition = rules.definition

    thorax = rules.thorax
    plan_thorax = tuple(r for r in plan.regions if r in thorax)
    ctx = Context(answers, today, plan, plan_thorax, _asked(answers, today, rules))
    fired = ctx.fired
    keyed: list[tuple[int, Flag]] = []
    for rule, test in rules.tests:
        if test(ctx) == FALSE:
            continue
        flag = _flag(rule, ctx, plan, rules)
        fired[rule.id] = flag
        if flag.level is rule.level and flag.urgency is rule.urgency:
            keyed.append((rule.sort_key, flag))
        else:  # escalated or downgraded
            keyed.append((sort_key(flag.level, flag.urgency, flag.order), flag))
    keyed.sort(key=_first)
    return Screening(
        rules_version=rules.content_hash,
        questionnaire_version=getattr(definition, "version", None),
        flags=tuple(flag for _, flag in keyed),
        plan=plan.to_dict(),
    )


def _first(item: tuple[int, Flag]) -> int:
    return item[0]


def _flag(rule: Rule, ctx: Context, plan: Plan, rules: RuleSet) -> Flag:
    evidence: list[Evidence] = []
    rule.node.explain(ctx, evidence)
    level, urgency = rule.level, rule.urgency
    # The site downgrade comes first so that an escalation can lift a flag
    # back up: a problem that is not tied to the limb (an aortic aneurysm
    # among vascular problems) must not be lost to a remote-site note.
    site = None
    if rule.site is not None:
        site = _site(rule, ctx, plan, rules, level)
        evidence.append(_site_evidence(site, rules))
        if site.downgraded:
            level, urgency = "note", None
    for escalation in rule.escalations:
        if escalation.node.test(ctx) == FALSE:
            continue
        more: list[Evidence] = []
        escalation.node.explain(ctx, more)
        to_level = escalation.level or level
        to_urgency = escalation.urgency or urgency
        if rank(to_level, to_urgency) > rank(level, urgency):
            level, urgency = to_level, to_urgency
            raised = "raised to " + (to_urgency if to_level == "red_flag" else to_level)
            more = [Evidence(e.question, e.value, e.label, _join(raised, e.note), e.uncertain)
                    for e in more]
        evidence.extend(more)
    shown = {e.question for e in evidence}
    for question, label in rule.context:
        value = ctx.answers.get(question)
        if question not in shown and not is_blank(value):
            evidence.append(Evidence(question, value, label, "for context"))
    return Flag(
        rule.id, level, urgency, rule.title, rule.why, rule.action, rule.sources,
        _dedupe(evidence) if rule.may_repeat_evidence else tuple(evidence), site, rule.order,
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


def _dedupe(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """The same answer can be evidence twice (two leaves reading one question,
    or a condition and an escalation); an answer is the same for one
    question id in one screening, so question and note identify an item."""
    seen: set[tuple[str, str | None]] = set()
    result = []
    for item in evidence:
        key = (item.question, item.note)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return tuple(result)
