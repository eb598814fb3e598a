"""A pre-filled invite (`intake invite --prefill`) still opens on the language
choice, preselected from the response's language (fr-CA -> fr); the patient's
first save ends that, and walk-ins and follow-ups skip it as before."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from answers import step_post
from patient_helpers import post_step, stored
from sqlalchemy import select
from staff_helpers import baseline_answers, submitted_intake

from intake.cli import main
from intake.fhir import response
from intake.fhir.prefill import response_language
from intake.models import AuditEvent, Intake
from intake.operations.invites import create_invite, start_intake
from intake.patient.language import is_fresh
from intake.questionnaire import load_definition

pytest_plugins = ["patient_fixtures"]

DEFINITION = load_definition()
FIRST = DEFINITION.steps[0]


def chosen_on(html: str) -> str:
    found = re.findall(r'id="language-(\w+)" name="language" value="\w+"( checked)?', html)
    return "".join(code for code, mark in found if mark)


def invite(runner, tmp_path, language: str | None) -> tuple[str, dict, str]:
    """`intake invite --prefill` with a whole intake's answers in ``language``:
    (the link's token, the answers, what the command printed)."""
    answers = DEFINITION.prune(baseline_answers(), datetime.now(UTC).date())
    data = response(DEFINITION, answers)
    if language is not None:
        data["language"] = language
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(main, ["invite", "--prefill", str(path)])
    assert result.exit_code == 0, result.output
    token = re.search(r"/i/([A-Za-z0-9_-]{40,})", result.output).group(1)
    return token, answers, result.output


def test_a_french_response_opens_on_the_choice_with_french_preselected(
        runner, db, tmp_path, client_nocsrf):
    token, answers, output = invite(runner, tmp_path, "fr-CA")
    assert "The response is in Français" in output
    intake = stored(db, token)
    assert intake.language == "fr" and intake.completed_steps == []
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "intake.prefill")).one()
    assert event.detail == {"answers": len(intake.answers), "source": "fhir", "language": "fr"}
    db.commit()

    first = client_nocsrf.get(f"/i/{token}", headers={"Accept-Language": "en"})
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and chosen_on(html) == "fr"
    assert '<html lang="fr-CA">' in html and "Avant votre visite" in html

    chose = client_nocsrf.post(f"/i/{token}/language", data={"language": "en", "next": "start"})
    assert chose.status_code == 303 and chose.location.endswith(f"/step/{FIRST.id}")
    page = client_nocsrf.get(chose.location).get_data(as_text=True)
    assert '<html lang="en-GB">' in page and ">Next<" in page
    assert f'value="{answers["about.full_name"]}"' in page
    assert stored(db, token).language == "en"


def test_a_response_without_a_language_offers_the_choice_from_the_browser(
        runner, db, tmp_path, client_nocsrf):
    token, _, _ = invite(runner, tmp_path, None)
    assert stored(db, token).language == "en"
    html = client_nocsrf.get(f"/i/{token}", headers={"Accept-Language": "fr-CA"}).get_data(
        as_text=True)
    assert chosen_on(html) == "fr"


def test_a_language_the_app_does_not_speak_is_left_to_the_patient(
        runner, db, tmp_path, client_nocsrf):
    _, _, output = invite(runner, tmp_path, "de-DE")
    assert "The response is in" not in output
    intake = db.scalars(select(Intake)).one()
    assert intake.language == "en"
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "intake.prefill")).one()
    assert "language" not in event.detail


def test_the_patients_first_save_ends_the_first_page(runner, db, tmp_path, client_nocsrf):
    token, answers, _ = invite(runner, tmp_path, "fr-CA")
    values = {q.id: answers[q.id] for q in FIRST.questions if q.id in answers}
    saved = post_step(client_nocsrf, token, FIRST.id,
                      step_post(DEFINITION, FIRST.id, values, action="later"))
    assert saved.status_code in (302, 303)
    intake = stored(db, token)
    assert intake.completed_steps == [] and intake.status == "in_progress"
    again = client_nocsrf.get(f"/i/{token}")
    assert again.status_code == 302 and again.location.endswith(f"/step/{FIRST.id}")


@pytest.mark.parametrize(("tag", "code"), [
    ("fr-CA", "fr"), ("fr", "fr"), ("FR_ca", "fr"), ("en-GB", "en"), ("en", "en"),
    ("de-DE", None), ("", None), (5, None), (None, None)])
def test_the_response_language_is_read_as_the_apps_code(tag, code):
    data = {"resourceType": "QuestionnaireResponse"}
    if tag is not None:
        data["language"] = tag
    assert response_language(data) == code
    assert response_language(["not", "a", "resource"]) is None


def test_is_fresh_for_a_new_or_prefilled_invite_only(db, clinic):
    new, _ = create_invite(db, clinic, name="Ana Sample", days=14)
    assert is_fresh(new)
    new.answers = {"about.full_name": "Ana Sample"}  # as the clinic pre-fills it
    assert is_fresh(new)
    new.save_step(FIRST.id, {"about.full_name": "Ana Sample"}, set(), completed=False)
    assert new.status == "in_progress" and not is_fresh(new)
    done, _ = create_invite(db, clinic, name="Bo Sample", days=14)
    done.completed_steps = [FIRST.id]
    assert not is_fresh(done)
    walk_in, _ = start_intake(db, clinic, days=1)
    assert walk_in.walk_in and not is_fresh(walk_in)
    first = submitted_intake(db, clinic)
    follow_up, _ = create_invite(db, clinic, name="", days=14, follows=first)
    assert follow_up.is_follow_up and not is_fresh(follow_up)
