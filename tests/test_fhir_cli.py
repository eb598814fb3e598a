"""`intake fhir questionnaire`, `intake fhir export` and `intake invite --prefill`."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from staff_helpers import baseline_answers, submitted_intake

from intake.cli import main
from intake.fhir import response
from intake.fhir.validate import validate
from intake.models import Intake
from intake.models.audit import AuditEvent
from intake.questionnaire import load_definition

DEFINITION = load_definition()


def test_the_questionnaire_command_prints_a_valid_questionnaire(runner):
    result = runner.invoke(main, ["fhir", "questionnaire"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    validate(data)
    assert data["resourceType"] == "Questionnaire" and data["version"] == DEFINITION.version


def test_export_writes_one_valid_bundle_per_intake_submitted_since_the_day(
        runner, db, clinic, tmp_path):
    old = submitted_intake(db, clinic, when=datetime(2026, 1, 5, 12, tzinfo=UTC))
    new = [submitted_intake(db, clinic, when=datetime(2026, 3, d, 12, tzinfo=UTC))
           for d in (2, 3)]
    out = tmp_path / "out" / "fhir"
    result = runner.invoke(main, ["fhir", "export", "--since", "2026-03-01", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported 2 Bundle(s)" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"intake-{i.id}.fhir.json" for i in new)
    for intake in new:
        bundle = json.loads((out / f"intake-{intake.id}.fhir.json").read_text())
        validate(bundle)
        assert bundle["identifier"]["value"] == str(intake.id)
    assert not (out / f"intake-{old.id}.fhir.json").exists()
    db.expire_all()
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "fhir.export")).one()
    assert event.detail == {"since": "2026-03-01", "intakes": [i.id for i in new]}


def test_export_refuses_a_bad_date(runner, tmp_path):
    result = runner.invoke(main, ["fhir", "export", "--since", "1 March", str(tmp_path)])
    assert result.exit_code == 2
    assert "'1 March' is not a date like 2026-12-01" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_export_refuses_an_unwritable_directory(runner, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = runner.invoke(main, ["fhir", "export", "--since", "2026-03-01", str(locked)])
    assert result.exit_code == 1
    assert f"cannot write to {locked}" in result.output


def test_export_refuses_a_file_where_the_directory_should_be(runner, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("x")
    result = runner.invoke(main, ["fhir", "export", "--since", "2026-03-01",
                                  str(target / "sub")])
    assert result.exit_code == 1
    assert "cannot write to" in result.output and "Nothing was exported" in result.output


def prefill_file(tmp_path, answers: dict, name: str = "qr.json"):
    path = tmp_path / name
    path.write_text(json.dumps(response(DEFINITION, answers)))
    return path


def test_prefill_makes_a_draft_holding_the_answers_with_no_step_complete(runner, db, tmp_path):
    answers = DEFINITION.prune(baseline_answers(), datetime.now(UTC).date())
    result = runner.invoke(main, ["invite", "--prefill", str(prefill_file(tmp_path, answers))])
    assert result.exit_code == 0, result.output
    assert "Pre-filled" in result.output and "gives consent themselves" in result.output
    intake = db.scalars(select(Intake)).one()
    consent_step = DEFINITION.role("consent").step_id
    expected = {k: v for k, v in answers.items()
                if DEFINITION.questions[k].step_id != consent_step}
    assert intake.answers == expected
    assert intake.completed_steps == [] and not intake.is_submitted
    assert intake.patient.display_name == answers["about.full_name"]
    assert "consent.read_understood" not in intake.answers


def test_prefill_reports_unknown_link_ids_and_wrong_types_and_makes_nothing(
        runner, db, tmp_path):
    data = response(DEFINITION, {"about.full_name": "Ana Sample", "about.height_cm": 170})
    data["item"][0]["item"].append({"linkId": "about.shoe_size",
                                    "answer": [{"valueInteger": 9}]})
    data["item"][0]["item"][1]["answer"] = [{"valueString": "tall"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(main, ["invite", "--prefill", str(path)])
    assert result.exit_code == 1
    assert "was not imported, and no intake was made" in result.output
    assert "about.shoe_size: not a question of this questionnaire" in result.output
    assert "about.height_cm: needs valueInteger" in result.output
    assert db.scalar(select(func.count()).select_from(Intake)) == 0


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not JSON"),
    (json.dumps({"resourceType": "Patient"}), "not a QuestionnaireResponse"),
    (json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed",
                 "item": [{"text": "no link id"}]}), "not a valid FHIR QuestionnaireResponse"),
])
def test_prefill_refuses_what_is_not_a_response(runner, db, tmp_path, content, message):
    path = tmp_path / "in.json"
    path.write_text(content)
    result = runner.invoke(main, ["invite", "--name", "Ana", "--prefill", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert db.scalar(select(func.count()).select_from(Intake)) == 0


def test_prefill_refuses_an_answer_to_a_question_the_others_hide(runner, db, tmp_path):
    path = prefill_file(tmp_path, {"about.full_name": "Ana Sample", "pain.back_pain": "no",
                                   "pain.first_episode": "yes"})
    result = runner.invoke(main, ["invite", "--prefill", str(path)])
    assert result.exit_code == 1
    assert "pain.first_episode: answered, but not asked with these answers" in result.output
    assert db.scalar(select(func.count()).select_from(Intake)) == 0


def test_prefill_of_a_missing_file_is_a_message(runner, db, tmp_path):
    result = runner.invoke(main, ["invite", "--name", "Ana", "--prefill",
                                  str(tmp_path / "none.json")])
    assert result.exit_code != 0 and "none.json" in result.output
    assert db.scalar(select(func.count()).select_from(Intake)) == 0


def test_the_patient_opens_a_prefilled_intake_on_the_language_choice_then_answers_filled(
        runner, db, tmp_path, client):
    import re

    answers = DEFINITION.prune(baseline_answers(), datetime.now(UTC).date())
    result = runner.invoke(main, ["invite", "--prefill", str(prefill_file(tmp_path, answers))])
    token = re.search(r"/i/([A-Za-z0-9_-]{40,})", result.output).group(1)
    first = DEFINITION.steps[0].id
    opened = client.get(f"/i/{token}")  # the first page (tests/test_fhir_prefill_language.py)
    assert opened.status_code == 200 and b'name="language"' in opened.data
    page = client.get(f"/i/{token}/step/{first}").get_data(as_text=True)
    assert f'value="{answers["about.full_name"]}"' in page


def test_prefill_refuses_a_huge_file_before_reading_it(runner, db, tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as fh:
        fh.truncate(6_000_000)
    result = runner.invoke(main, ["invite", "--name", "Ana", "--prefill", str(path)])
    assert result.exit_code == 1 and "larger than 5 MB" in result.output
    assert db.scalar(select(func.count()).select_from(Intake)) == 0


def test_export_stops_at_a_file_it_cannot_write_and_audits_what_it_wrote(
        runner, db, clinic, tmp_path):
    first, second = (submitted_intake(db, clinic, when=datetime(2026, 3, d, 12, tzinfo=UTC))
                     for d in (2, 3))
    out = tmp_path / "out"
    (out / f"intake-{second.id}.fhir.json").mkdir(parents=True)  # in the way of the file
    result = runner.invoke(main, ["fhir", "export", "--since", "2026-03-01", str(out)])
    assert result.exit_code == 1
    assert f"cannot write {out / f'intake-{second.id}.fhir.json'}" in result.output
    assert "1 Bundle(s) were written before it" in result.output
    assert (out / f"intake-{first.id}.fhir.json").is_file()
    db.expire_all()
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "fhir.export")).one()
    assert event.detail["intakes"] == [first.id]
