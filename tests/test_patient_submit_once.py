"""Submitting computes visibility and the whole-intake check once per request.

Submit re-checks every asked step as a post of it would be checked; each of
those checks used to work out again which questions are shown (27 times)
and whether the whole intake passes (about 10 times). The results now come
from a per-request memo keyed by the answers' content (questionnaire/memo.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from patient_helpers import fill_steps, stored

from intake.questionnaire import answers as answers_module
from intake.questionnaire import memo
from intake.questionnaire.definition import Definition
from intake.screening import load_rules

pytest_plugins = ["patient_fixtures"]
TODAY = date(2026, 6, 1)


@pytest.fixture
def calls(monkeypatch):
    """How often visibility and the whole check are really worked out."""
    counted = {"visibility": 0, "check": 0}
    visibility, check = Definition._visibility, answers_module.check_answers

    def counting_visibility(self, *args):
        counted["visibility"] += 1
        return visibility(self, *args)

    def counting_check(*args):
        counted["check"] += 1
        return check(*args)

    monkeypatch.setattr(Definition, "_visibility", counting_visibility)
    monkeypatch.setattr(answers_module, "check_answers", counting_check)
    return counted


def test_a_submit_computes_each_once(client_nocsrf, token, definition, answers, db, calls):
    load_rules()  # loaded (and its examples checked) once per process, not per submit
    fill_steps(client_nocsrf, token, definition, answers)
    calls.update(visibility=0, check=0)
    response = client_nocsrf.post(f"/i/{token}/submit")
    assert response.status_code == 303 and response.location.endswith("/done")
    assert stored(db, token).is_submitted
    assert calls == {"visibility": 1, "check": 1}


def test_a_submit_with_a_broken_step_still_finds_it(
        client_nocsrf, token, definition, answers, db, calls):
    load_rules()
    fill_steps(client_nocsrf, token, definition, answers)
    intake = stored(db, token)
    intake.answers = {k: v for k, v in intake.answers.items() if k != "about.full_name"}
    db.commit()
    calls.update(visibility=0, check=0)
    response = client_nocsrf.post(f"/i/{token}/submit")
    assert response.status_code == 303 and "/step/about?check=1" in response.location
    assert not stored(db, token).is_submitted
    assert calls["check"] <= 2 and calls["visibility"] <= 2


def test_outside_a_scope_nothing_is_kept(definition, answers, calls):
    first = definition.check_answers(answers, TODAY)
    definition.check_answers(answers, TODAY)
    assert calls["check"] == 2
    assert first == definition.check_answers(answers, TODAY)


def test_results_are_the_same_and_each_caller_gets_its_own(definition, answers, calls):
    plain_visibility = definition.visibility(answers, TODAY)
    plain_problems = definition.check_answers({**answers, "x.unknown": 1}, TODAY)
    with memo.answers_scope():
        visible = definition.visibility(answers, TODAY)
        visible["about.full_name"] = False
        assert definition.visibility(dict(answers), TODAY) == plain_visibility
        problems = definition.check_answers({**answers, "x.unknown": 1}, TODAY)
        problems.append("changed by a caller")
        assert definition.check_answers({**answers, "x.unknown": 1}, TODAY) == plain_problems
    assert visible != plain_visibility and calls == {"visibility": 3, "check": 2}


def test_equal_in_python_is_not_equal_to_the_memo(definition, answers):
    """True == 1 == 1.0 and a changed dict is the same object: neither may hit."""
    boolean = next(q.id for q in definition.questions.values() if q.type == "boolean")
    with memo.answers_scope():
        as_true = definition.check_answers({**answers, boolean: True}, TODAY)
        as_one = definition.check_answers({**answers, boolean: 1}, TODAY)
        assert as_true != as_one
        draft = dict(answers)
        assert definition.check_answers(draft, TODAY) == []
        del draft["about.full_name"]
        assert definition.check_answers(draft, TODAY) == ["about.full_name: an answer is required"]
        assert definition.check_answers(draft, date(2026, 6, 2)) == definition.check_answers(
            draft, date(2026, 6, 2))
        assert definition.check_answers(["not", "a", "mapping"], TODAY) == [
            "answers must be an object keyed by question id"]


def test_the_order_of_unknown_ids_is_kept(definition, answers):
    with memo.answers_scope():
        ab = definition.check_answers({"x.a": 1, "x.b": 2, **answers}, TODAY)
        ba = definition.check_answers({"x.b": 2, "x.a": 1, **answers}, TODAY)
    assert ab == ["'x.a': unknown question id", "'x.b': unknown question id"]
    assert ba == list(reversed(ab))
