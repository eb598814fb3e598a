"""Forms, wizard state and the body diagram, without HTTP."""

from __future__ import annotations

from datetime import date

from answers import valid_answers
from werkzeug.datastructures import MultiDict

from intake.patient.display import describe, live_question_ids, page_context, show_answer
from intake.patient.forms import answers_to_formdata, step_form_class
from intake.patient.wizard import (
    first_step_with_errors,
    first_unfinished,
    process_step,
    visible_steps,
)
from intake.questionnaire import load_definition
from intake.questionnaire.body_diagram import VIEWS, body_diagram, geometry_views, region_title

definition = load_definition()
TODAY = date(2026, 6, 1)


def test_every_question_of_every_step_has_a_form_field():
    for step in definition.steps:
        form = step_form_class(definition, step.id)()
        assert [f.name for f in form] == [q.id for q in step.questions]


def test_saved_answers_round_trip_through_the_forms():
    answers = valid_answers(definition, overrides={"about.sex_at_birth": "female",
                                                   "pregnancy.status": "yes",
                                                   "pregnancy.weeks": 12})
    for step in visible_steps(definition, answers, TODAY):
        result = process_step(definition, step, answers, answers_to_formdata(step, answers), TODAY)
        assert result.valid, (step.id, result.errors)
        own = {q.id for q in step.questions}
        assert result.values == {k: v for k, v in answers.items() if k in own}
    assert first_step_with_errors(definition, answers, TODAY) is None


def test_a_step_hidden_by_earlier_answers_is_skipped():
    man = valid_answers(definition, overrides={"about.sex_at_birth": "male"})
    woman = valid_answers(definition, overrides={"about.sex_at_birth": "female"})
    assert "pregnancy" not in [s.id for s in visible_steps(definition, man, TODAY)]
    assert "pregnancy" in [s.id for s in visible_steps(definition, woman, TODAY)]


def test_first_unfinished_step():
    answers = valid_answers(definition)
    assert first_unfinished(definition, {}, [], TODAY).id == "about"
    assert first_unfinished(definition, answers, ["about"], TODAY).id == "pain"
    everything = [s.id for s in definition.steps]
    assert first_unfinished(definition, answers, everything, TODAY) is None
    # a completed step whose answers no longer pass is unfinished again
    broken = {k: v for k, v in answers.items() if k != "symptoms.bowel"}
    assert first_unfinished(definition, broken, everything, TODAY).id == "symptoms"


def test_invalid_parts_keep_the_earlier_saved_answer():
    step = definition.step("about")
    saved = {"about.full_name": "Alex Example", "about.height_cm": 170}
    posted = MultiDict([("about.full_name", "Alex Newname"), ("about.height_cm", "900")])
    result = process_step(definition, step, saved, posted, TODAY)
    assert "about.height_cm" in result.errors
    assert result.values["about.full_name"] == "Alex Newname"
    assert result.values["about.height_cm"] == 170


def test_exclusive_answers_and_unknown_values_are_refused():
    step = definition.step("conditions")
    posted = MultiDict([("history.lungs", "none"), ("history.lungs", "copd")])
    result = process_step(definition, step, {}, posted, TODAY)
    assert "cannot be ticked together" in result.errors["history.lungs"][0]
    assert "history.lungs" not in result.values


def test_conditions_read_as_words():
    q = definition.question("pain.back_now")
    assert describe(definition, q.show_if) == (
        "you answered “Yes” to “Do you have back pain?”")
    q = definition.question("history.surgery_regions")
    text = describe(definition, q.show_if)
    assert "“In the last 12 weeks” or “Not sure”" in text and " or you answered" in text
    q = definition.question("consent.guardian_present")
    assert describe(definition, q.show_if) == "the patient is under 18"


def test_only_same_step_conditions_are_live():
    live = live_question_ids(definition.step("pain"))
    assert "pain.back_now" in live and "pain.regions" not in live
    consent = definition.step("consent")
    guardian = {"consent.guardian_name", "consent.guardian_relationship",
                "consent.guardian_agrees"}
    assert live_question_ids(consent) == guardian  # named the step's guardian_present
    # an adult: guardian_present is hidden by the birth date, so nothing is live
    adult = {q.id for q in consent.questions if not q.id.startswith("consent.guardian")
             and q.id != "consent.minor_agrees"}
    assert live_question_ids(consent, adult) == set()
    assert live_question_ids(consent, adult | {"consent.guardian_present"}) == guardian


def test_page_context_carries_only_named_answers_from_other_steps():
    step = definition.step("pain")
    context = page_context(definition, step, {"about.full_name": "Alex"},
                           {q.id for q in step.questions}, today=date(2026, 1, 2))
    assert context == {"answers": {}, "hidden": [], "today": "2026-01-02"}


def test_answers_shown_in_words():
    shown = show_answer(definition, definition.question("pain.regions"), ["left_knee"])
    assert shown.items == ("Left knee",)
    assert show_answer(definition, definition.question("about.date_of_birth"),
                       "1980-04-02").text == "2 April 1980"
    assert show_answer(definition, definition.question("pain.back_now"), 0).text == "0 out of 10"
    assert show_answer(definition, definition.question("about.weight_kg"), 70.0).text == "70 kg"
    assert show_answer(definition, definition.question("about.email"), "") is None


def test_the_body_diagram_draws_every_region_on_the_views_regions_yaml_names():
    for area in definition.regions.areas:
        assert geometry_views(area.id) == set(area.views), area.id
    svg = body_diagram(definition.regions, ["left_knee"])
    for region in definition.regions.ids:
        assert f'data-region="{region}"' in svg
    assert svg.count('class="region is-selected" data-region="left_knee"') == 2  # both views
    assert 'aria-hidden="true"' in svg


def test_left_and_right_are_the_patients_own():
    # Front view: the patient's right is drawn on the viewer's left half.
    title, shapes, viewer_left = VIEWS["front"]
    assert viewer_left == "right"
    assert all(x <= 100 for x, _ in shapes["knee"])
    assert VIEWS["back"][2] == "left"
    assert region_title(definition.regions, "left_knee") == "Your left knee"


def test_each_request_binds_its_own_copy_of_the_step_form(monkeypatch):
    """The fields are built once per step; a request's input and errors stay its own."""
    from wtforms.fields.core import Field

    from intake.patient.forms import step_form

    today = TODAY
    answers = valid_answers(definition)
    step = definition.step("about")
    good = answers_to_formdata(step, answers)
    step_form(definition, step, good, today)  # the step's fields are built now
    built = []
    real_init = Field.__init__

    def counting_init(self, *args, **kwargs):
        built.append(type(self).__name__)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(Field, "__init__", counting_init)
    blank = step_form(definition, step, MultiDict(), today)
    filled = step_form(definition, step, good, today)
    assert built == []  # no field built again for a request
    name = definition.role("full_name").id
    assert not blank[name].validate(blank) and blank[name].errors
    assert filled[name].validate(filled) and not filled[name].errors
    assert filled[name].data == answers[name] and not blank[name].data
    assert getattr(filled, name) is filled[name] and filled[name] is not blank[name]
    assert step_form(definition, step, MultiDict(), today)[name].errors in ((), [])
