"""The follow-up re-check file: loaded by the questionnaire's parser, refused when broken."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from intake.cli import main
from intake.questionnaire import DefinitionError, load_definition
from intake.questionnaire.follow_up import (
    FOLLOW_UP_PATH,
    fill_last_visit,
    load_follow_up,
)
from intake.screening import load_rules

RED_FLAG_QUESTIONS = {
    "symptoms.saddle_numbness", "symptoms.bladder", "symptoms.bowel",
    "symptoms.sexual_function", "symptoms.both_legs", "pain.leg_symptoms", "pain.leg_spread",
    "symptoms.leg_weakness", "symptoms.weight_loss", "pain.night", "symptoms.calf",
    "symptoms.calf_side", "symptoms.fever", "symptoms.unwell", "history.injects_drugs",
}


def test_the_shipped_file_loads_in_three_steps_reusing_intake_ids():
    follow_up = load_follow_up()
    intake = load_definition()
    assert [s.id for s in follow_up.steps] == ["changes", "today", "questionnaires"]
    assert follow_up.periodic == ("questionnaires",)
    reused = {qid for qid in follow_up.questions if qid in intake.questions}
    assert reused >= RED_FLAG_QUESTIONS
    assert {"pain.back_now", "pain.back_worst_24h", "pain.leg_now", "pain.leg_worst_24h",
            "pregnancy.status", "wellbeing.phq2_interest", "wellbeing.startback_9"} <= reused
    # a reused question is the intake's: same options and show_if
    assert follow_up.question("symptoms.saddle_numbness").options == \
        intake.question("symptoms.saddle_numbness").options
    assert follow_up.question("pregnancy.status").show_if == \
        intake.question("pregnancy.status").show_if
    # the only new ids are the follow-up's own steps
    assert {qid.split(".")[0] for qid in set(follow_up.questions) - reused} == {"changes", "today"}


def test_every_red_flag_rule_reads_questions_the_follow_up_asks_each_visit():
    follow_up = load_follow_up()
    every_visit = {q.id for s in follow_up.steps_for_visit(2) for q in s.questions
                   if q.show_if is None or q.id in ("pain.leg_spread", "symptoms.calf_side")}
    assert every_visit >= RED_FLAG_QUESTIONS
    rules = load_rules()
    for rule in rules.rules:
        if rule.id in ("rf_ces_saddle_anaesthesia", "rf_ces_bladder_dysfunction",
                       "rf_ces_bowel_dysfunction", "rf_suspected_dvt",
                       "rf_nonmechanical_night_pain", "rf_unexplained_weight_loss"):
            assert rule.node.questions <= every_visit, rule.id


def test_the_content_hash_covers_the_follow_up_and_the_intake(tmp_path: Path):
    shipped = load_follow_up()
    assert len(shipped.content_hash) == 64
    path = tmp_path / "follow_up.yaml"
    path.write_text(FOLLOW_UP_PATH.read_text(encoding="utf-8").replace(
        "Since your last visit", "Since you were last here", 1), encoding="utf-8")
    assert load_follow_up(path).content_hash != shipped.content_hash


def test_pregnancy_follows_the_intake_sex_at_birth():
    follow_up = load_follow_up()
    assert not follow_up.is_visible("pregnancy.status", {"about.sex_at_birth": "male"},
                                    today=date(2026, 11, 16))
    assert follow_up.is_visible("pregnancy.status", {"about.sex_at_birth": "female"},
                                today=date(2026, 11, 16))


def test_medicine_lists_are_the_intake_options_without_none():
    follow_up = load_follow_up()
    started = follow_up.question("changes.medicines_started")
    values = [o.value for o in started.options]
    intake_values = [o.value for o in load_definition().question("medications.current").options]
    assert values == [v for v in intake_values if v != "none"]
    assert "apixaban" in values
    assert follow_up.effects["changes.medicines_started"].adds_to == "medications.current"


@pytest.mark.parametrize("visit, asked", [(2, False), (3, False), (4, False), (5, True),
                                          (6, False), (9, True)])
def test_questionnaires_every_fourth_visit(visit, asked):
    steps = [s.id for s in load_follow_up().steps_for_visit(visit)]
    assert ("questionnaires" in steps) is asked
    assert steps[:2] == ["changes", "today"]


def test_the_clinic_sets_the_interval():
    follow_up = load_follow_up()
    assert "questionnaires" in [s.id for s in follow_up.steps_for_visit(3, every=2)]
    with pytest.raises(ValueError):
        follow_up.steps_for_visit(3, every=0)


def test_the_last_visit_date_is_filled_at_display():
    label = load_follow_up().question("changes.anything_changed").label
    assert "{last_visit}" in label
    assert fill_last_visit(label, date(2026, 11, 2)).endswith("on 2 November 2026?")
    assert fill_last_visit(None, "2026-11-02") is None


def test_schema_command_prints_the_follow_up(runner):
    result = runner.invoke(main, ["questionnaire", "schema", "--follow-up"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["periodic"] == ["questionnaires"]
    assert data["effects"]["today.session_reaction"]["sets"]["serious"] == {
        "needling.previous_reaction": "serious"}
    assert "symptoms.saddle_numbness" in data["answers"]["json_schema"]["properties"]
    plain = json.loads(runner.invoke(main, ["questionnaire", "schema"]).output)
    assert "periodic" not in plain


BROKEN = {
    "an unknown intake id": ("- use: symptoms.saddle_numbness", "- use: symptoms.sadle",
                             "'symptoms.sadle': not a question of the intake"),
    "an option changed on a used question": (
        "- use: symptoms.bladder", "- use: symptoms.bladder\n        options: yes_no",
        "a used question may change only"),
    "a new question reusing an intake id": (
        "- id: changes.anything_changed", "- id: symptoms.bladder\n        type: text\n"
        "        label: x\n      - id: changes.anything_changed", "symptoms.bladder"),
    "sets to an option the intake lacks": (
        "serious: {needling.previous_reaction: serious}",
        "serious: {needling.previous_reaction: awful}", "not one of its options"),
    "sets from an option the question lacks": (
        "fainted: {needling.fainting: \"yes\"}", "swooned: {needling.fainting: \"yes\"}",
        "'swooned', which is not one of its options"),
    "adds_to a choice question": ("adds_to: medications.current", "adds_to: symptoms.bladder",
                                  "is not a multi question of the intake"),
    "a periodic step that does not exist": ("periodic: [questionnaires]", "periodic: [mood]",
                                            "periodic must be a list of step ids"),
    "a show_if naming an intake question asked later": (
        "- use: pregnancy.weeks", "- use: pregnancy.weeks\n        show_if: "
        "{question: pain.back_now, answered: true}", "asked later"),
    "an unknown top-level key": ("periodic: [questionnaires]",
                                 "periodic: [questionnaires]\nevery: 4", "unknown top-level"),
    "a show_if naming a later question": (
        "- use: pregnancy.weeks", "- use: pregnancy.weeks\n        show_if: "
        "{question: today.session_reaction, equals: serious}", "asked later"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_file_is_refused_naming_the_problem(tmp_path: Path, case: str):
    old, new, message = BROKEN[case]
    text = FOLLOW_UP_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "follow_up.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_follow_up(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_the_intake_still_refuses_use_entries(tmp_path: Path):
    intake_text = Path(load_definition().path).read_text(encoding="utf-8")
    path = tmp_path / "questionnaire.yaml"
    path.write_text(intake_text.replace("      - id: about.phone\n",
                                        "      - use: about.email\n      - id: about.phone\n", 1),
                    encoding="utf-8")
    with pytest.raises(DefinitionError, match="not a question of the intake"):
        load_definition(path)
