"""Where a valid Next leads, for the intake wizard and the follow-up re-check
alike (patient.wizard.step_after)."""

from datetime import date

from intake.patient.wizard import step_after, visible_steps
from intake.questionnaire import load_definition

TODAY = date(2026, 12, 2)


def _walk(**kwargs):
    definition = load_definition()
    steps = visible_steps(definition, {}, TODAY)
    return definition, steps, step_after(definition, steps, kwargs.pop("current", steps[1]),
                                         {}, kwargs.pop("completed", []), TODAY, **kwargs)


def test_next_leads_to_the_following_step():
    _, steps, following = _walk(from_review=False)
    assert following is steps[2]


def test_from_the_review_page_next_leads_to_the_first_unfinished_step():
    _, steps, following = _walk(from_review=True)
    assert following is steps[0]  # nothing is completed yet


def test_after_the_last_step_next_leads_to_the_first_unfinished_or_the_review():
    definition = load_definition()
    steps = visible_steps(definition, {}, TODAY)
    assert step_after(definition, steps, steps[-1], {}, [], TODAY,
                      from_review=False) is steps[0]



def test_a_step_is_asked_only_while_the_draft_asks_one_of_its_questions():
    """wizard.asks, which both step saves ask again under the lock when another
    save changed the draft: a step that draft hides is not saved."""
    from intake.patient.wizard import asks

    definition = load_definition()
    pregnancy = definition.step("pregnancy")
    woman = {"about.sex_at_birth": "female", "about.date_of_birth": "1990-04-01"}
    assert asks(definition, pregnancy, woman, TODAY)
    assert not asks(definition, pregnancy, {**woman, "about.sex_at_birth": "male"}, TODAY)
