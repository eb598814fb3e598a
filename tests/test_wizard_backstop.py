"""The wizard's backstop (the definition's own check after the step's form)
words its message in the page's language, the problem included: a French
page never shows "must be at most 10" inside a French sentence."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from intake.i18n.messages import translate
from intake.i18n.pages import use_language
from intake.patient.wizard import StepResult, _backstop
from intake.questionnaire import load_definition
from intake.questionnaire.answers import REQUIRED, check_answers, problem_of

TODAY = date(2026, 12, 2)
DEFINITION = load_definition()
QID = "pain.back_now"


def _checked(problems):
    """The real definition, but its whole check says only ``problems``."""
    return SimpleNamespace(questions=DEFINITION.questions,
                           check_answers=lambda answers, today: list(problems))


def _run(app, language, answers):
    step = DEFINITION.step(DEFINITION.questions[QID].step_id)
    messages = [m for m in check_answers(DEFINITION, answers, TODAY)
                if problem_of(m)[0] == QID]
    assert messages
    result = StepResult(form=None)
    pruned = dict(answers)
    with app.test_request_context("/"):
        use_language(language)
        _backstop(_checked(messages), step, pruned, result, TODAY)
    return result.errors[QID], pruned


def test_the_whole_checks_messages_read_the_same_in_english_as_before():
    messages = check_answers(DEFINITION, {"pain.back_pain": "yes", QID: 11,
                                          "about.sex_at_birth": "dragon"}, TODAY)
    assert f"{QID}: must be at most 10" in messages
    assert "about.sex_at_birth: 'dragon' is not one of the options" in messages
    qid, problem = problem_of(f"{QID}: must be at most 10")  # plain text reads too
    assert (qid, problem) == (QID, "must be at most 10")


def test_a_french_page_words_the_problem_in_french(app):
    errors, pruned = _run(app, "fr", {"pain.back_pain": "yes", QID: 11})
    assert errors == ["Veuillez vérifier cette réponse (doit être d’au plus 10)."]
    assert QID not in pruned  # the bad answer is not kept


def test_an_english_page_keeps_the_english_problem(app):
    errors, _ = _run(app, "en", {"pain.back_pain": "yes", QID: 11})
    assert errors == ["Please check this answer (must be at most 10)."]


def test_a_missing_answer_reads_the_pages_own_sentence(app):
    errors, _ = _run(app, "fr", {"pain.back_pain": "yes"})
    assert errors == ["Veuillez répondre à cette question."]


@pytest.mark.parametrize(("answers", "french"), [
    ({"about.sex_at_birth": "dragon"}, "'dragon' ne fait pas partie des choix"),
    ({"about.date_of_birth": "2030-01-01"}, "est dans le futur"),
    ({"about.date_of_birth": "1968-02-30"}, "n’est pas une date qui existe"),
])
def test_each_types_problem_has_french_words(answers, french):
    found = [problem_of(m) for m in check_answers(DEFINITION, answers, TODAY)]
    qid = next(iter(answers))
    problem = dict(found)[qid]
    assert problem != REQUIRED
    assert translate(problem, "fr") == french
