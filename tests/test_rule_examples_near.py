"""Rule examples are checked against the baseline checked once (questionnaire/near.py).

The shortcut must give the whole check's answer, message for message, for
every shipped example and for answers that differ from the baseline in the
ways that matter (a type, a hidden question answered, a required answer
gone, an unknown id, another date); a bad example is still refused with its
message; and the remembered pass is not used once a rule or the
questionnaire changed.
"""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from screening_fakes import REPO

import intake.screening as screening
from intake import datafiles
from intake.questionnaire import load_definition
from intake.questionnaire.near import Checked, checked
from intake.screening import RuleSetError, example_answers, load_rules

RULES = load_rules()
DEFINITION = RULES.definition
TODAY = RULES.example_date
NEAR = Checked(DEFINITION, RULES.baseline, TODAY)
EXAMPLES = [(rule, example) for rule in RULES.rules for example in rule.examples]


def whole(answers, today=TODAY):
    return DEFINITION.check_answers(answers, today), DEFINITION.visibility(answers, today)


def near(answers, today=TODAY):
    return NEAR.check_answers(answers, today), NEAR.visibility(answers, today)


@pytest.mark.parametrize(("rule", "example"), EXAMPLES,
                         ids=[f"{r.id}-{e.name}" for r, e in EXAMPLES])
def test_every_example_is_checked_as_the_whole_check_would(rule, example):
    answers = example_answers(RULES, example)
    assert near(answers) == whole(answers)


def hidden_in_baseline():
    shown = DEFINITION.visibility(RULES.baseline, TODAY)
    return [q for q in DEFINITION.questions.values() if not shown[q.id]]


def variants():
    base = dict(RULES.baseline)
    yield "the baseline", base
    hidden = hidden_in_baseline()
    assert hidden, "the baseline hides some questions (pregnancy, follow-ups)"
    for question in hidden:
        yield f"hidden {question.id} answered", {
            **base, question.id: question.kind.sample(question, ())}
    for qid in list(base)[:8]:
        yield f"{qid} removed", {k: v for k, v in base.items() if k != qid}
    for qid, value in base.items():
        if value is True:
            yield f"{qid} as 1", {**base, qid: 1}
        if isinstance(value, int) and not isinstance(value, bool):
            yield f"{qid} as a float", {**base, qid: float(value)}
            yield f"{qid} far out of range", {**base, qid: 10**6}
        if isinstance(value, list):
            yield f"{qid} emptied", {**base, qid: []}
            yield f"{qid} a copy", {**base, qid: list(value)}
    typed = {k: v for k, v in base.items() if k != "medications.current"}
    yield "the pick list left for its free text", {**typed, "medications.other": "xarelto"}
    yield "the pick list and its free text both left blank", typed
    yield "an unknown id", {"x.unknown": 1, **base}
    yield "a gate reopened", {**base, "about.sex_at_birth": "male"}


@pytest.mark.parametrize(("name", "answers"), list(variants()))
def test_answers_near_the_baseline_get_the_whole_checks_messages(name, answers):
    assert near(answers) == whole(answers)


def test_a_question_is_checked_again_when_only_its_stand_in_changes():
    """medications.current may be blank while medications.other is answered
    (required_unless_answered): clearing the free text alone makes it required."""
    typed = {k: v for k, v in RULES.baseline.items() if k != "medications.current"}
    near_typed = Checked(DEFINITION, {**typed, "medications.other": "xarelto"}, TODAY)
    messages = near_typed.check_answers(typed, TODAY)
    assert "medications.current: an answer is required" in messages
    assert messages == DEFINITION.check_answers(typed, TODAY)


def test_another_date_or_not_a_mapping_is_checked_in_full():
    later = TODAY + timedelta(days=365 * 30)
    old = {**RULES.baseline, "about.date_of_birth": "1900-01-01"}
    assert near(old, later) == whole(old, later)
    assert NEAR.check_answers(["not", "answers"], TODAY) == [
        "answers must be an object keyed by question id"]


def test_a_definition_without_show_if_bookkeeping_is_checked_in_full():
    assert checked(object(), {}, TODAY) is None


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    """The shipped rules in a folder of their own, a private cache, as a new process."""
    monkeypatch.setenv("INTAKE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(datafiles, "_memo", {})
    monkeypatch.setattr(screening, "_loaded", {})
    return shutil.copytree(REPO / "rules", tmp_path / "rules")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_bad_example_is_refused_with_its_message_even_after_a_pass(rules_copy, monkeypatch):
    load_rules(rules_copy)  # passes, and the pass is remembered
    assert list((rules_copy.parent / "cache" / "passed").iterdir())
    edit(rules_copy / "bleeding.yaml", 'answers: {medications.other: "warfarin 5mg"}',
         'answers: {medications.other: "warfarin 5mg", about.height_cm: 900}')
    monkeypatch.setattr(screening, "_loaded", {})
    monkeypatch.setattr(datafiles, "_memo", {})
    with pytest.raises(RuleSetError) as refused:
        load_rules(rules_copy)
    assert str(refused.value).splitlines() == [
        "bleeding.yaml: rule dn_anticoagulant: example fires 'free text alone, nothing ticked': "
        + next(p for p in DEFINITION.check_answers(
            {**RULES.baseline, "medications.other": "warfarin 5mg", "about.height_cm": 900},
            TODAY) if p.startswith("about.height_cm"))]


def test_an_example_answering_a_hidden_question_is_refused(rules_copy):
    question = hidden_in_baseline()[0]
    sample = question.kind.sample(question, ())
    edit(rules_copy / "bleeding.yaml", 'answers: {medications.other: "warfarin 5mg"}',
         f'answers: {{medications.other: "warfarin 5mg", {question.id}: {sample!r}}}')
    shown = f"{question.id}: answered, but the question is not shown"
    with pytest.raises(RuleSetError, match=shown):
        load_rules(rules_copy)


def test_a_changed_questionnaire_is_checked_again(rules_copy, tmp_path, monkeypatch):
    load_rules(rules_copy)
    questionnaire = tmp_path / "questionnaire.yaml"
    shutil.copy(REPO / "intake" / "questionnaire" / "questionnaire.yaml", questionnaire)
    assert load_rules(rules_copy, definition=load_definition(questionnaire))  # same content
    edit(questionnaire, "unit: cm\n        min: 50\n        max: 250",
         "unit: cm\n        min: 50\n        max: 160")
    monkeypatch.setattr(datafiles, "_memo", {})
    with pytest.raises(RuleSetError, match="about.height_cm"):
        load_rules(rules_copy, definition=load_definition(questionnaire))
