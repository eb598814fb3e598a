"""The patient's own PDF copy of their answers, from the confirmation page: in
their language, answers and consent only (never flags or practitioner notes),
not cached, rate-limited, audited with ids only; refused for a draft and for a
link that does not work. Synthetic data only."""

from __future__ import annotations

from datetime import date

import pytest
from documents_helpers import pdf_attachments, pdf_text
from patient_helpers import fill_steps, stored
from sqlalchemy import select

from intake.documents.consent import text_version
from intake.models import AuditEvent, FlagRecord, ScreeningRecord

pytest_plugins = ["patient_fixtures"]

#: answers that fire flags (a blood thinner), whose words must not reach the copy
FLAGGED = {"medications.current": ["warfarin"]}


def _submitted(client, db, token, definition, answers, language="en"):
    intake = stored(db, token)
    intake.language = language
    db.commit()
    fill_steps(client, token, definition, answers)
    assert client.post(f"/i/{token}/submit").status_code == 303
    return stored(db, token)


@pytest.fixture
def flagged(definition, answers):
    merged = {**answers, **FLAGGED}
    return {k: v for k, v in merged.items()
            if k in definition.prune(merged, date(2026, 12, 2))}


def test_the_confirmation_page_offers_the_copy(client_nocsrf, db, token, definition, answers):
    _submitted(client_nocsrf, db, token, definition, answers)
    html = client_nocsrf.get(f"/i/{token}/done").get_data(as_text=True)
    assert f'href="/i/{token}/copy.pdf"' in html
    assert "Download a copy of your answers (PDF)" in html


def test_an_english_copy_has_the_answers_and_consent_and_no_flags(
        client_nocsrf, db, token, definition, answers):
    intake = _submitted(client_nocsrf, db, token, definition, answers)
    response = client_nocsrf.get(f"/i/{token}/copy.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="intake-{intake.id}-answers.pdf"')
    text = pdf_text(response.data)
    assert "Your answers" in text and "Alex Example" in text
    assert definition.questions["pain.back_pain"].label in text
    assert "Consent given in English" in text
    assert text_version(definition, "en") in text.replace(" ", "")
    assert pdf_attachments(response.data) == {}  # no screening JSON inside
    for practitioner_only in ("Screening flags", "No flags", "Action:", "Why:", "Rule ",
                              "Default plan", "Treatment plan", "rule set"):
        assert practitioner_only not in text, practitioner_only


def test_a_french_copy_is_in_french_without_the_flags(
        client_nocsrf, db, token, definition, flagged):
    intake = _submitted(client_nocsrf, db, token, definition, flagged, "fr")
    titles = db.scalars(select(FlagRecord.title).join(ScreeningRecord).where(
        ScreeningRecord.intake_id == intake.id)).all()
    db.commit()
    assert titles  # the submission did flag something
    response = client_nocsrf.get(f"/i/{token}/copy.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    fr = definition.translated("fr")
    for french in ("Vos réponses", "Consentement donné en français (Canada)",
                   fr.questions["pain.back_pain"].label, "Confidentiel"):
        assert french in text, french
    assert definition.questions["pain.back_pain"].label not in text
    assert "Your answers" not in text
    for title in titles:
        assert title not in text
    assert text_version(definition, "fr") in text.replace(" ", "")


def test_taking_a_copy_is_audited_with_ids_only(client_nocsrf, db, token, definition, answers):
    intake = _submitted(client_nocsrf, db, token, definition, answers, "fr")
    assert client_nocsrf.get(f"/i/{token}/copy.pdf").status_code == 200
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "patient.copy")).one()
    db.commit()
    assert event.intake_id == intake.id and event.actor_id is None
    assert event.detail["language"] == "fr" and set(event.detail) == {"language", "pages"}
    assert token not in repr(event.detail) and "Alex" not in repr(event.detail)


def test_a_draft_gets_no_copy(client_nocsrf, db, token):
    response = client_nocsrf.get(f"/i/{token}/copy.pdf")
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    assert "not sent yet" in response.get_data(as_text=True)
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "patient.copy")).all() == []
    db.commit()


def test_an_unknown_link_gets_the_link_problem_page(client_nocsrf):
    response = client_nocsrf.get("/i/not-a-real-token-at-all/copy.pdf")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


def test_an_expired_link_gets_the_link_problem_page(
        client_nocsrf, db, token, definition, answers):
    from datetime import timedelta

    intake = _submitted(client_nocsrf, db, token, definition, answers)
    intake.token_expires_at = intake.created_at - timedelta(days=1)
    db.commit()
    response = client_nocsrf.get(f"/i/{token}/copy.pdf")
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)


def test_copies_are_rate_limited_per_link(tmp_path, make_database, monkeypatch, answers):
    from intake import create_app
    from intake.config import test_config as config_for_tests
    from intake.operations.invites import create_invite, get_clinic
    from intake.operations.submissions import submit_intake

    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "limited"))
    folder = tmp_path / "limited-db"
    folder.mkdir()
    limited = create_app({
        **config_for_tests(folder), "DATABASE_URL": make_database("limited"),
        "RATELIMIT_ENABLED": True, "PATIENT_COPY_LINK_LIMIT": "2 per hour",
    })
    try:
        with limited.app_context():
            session = limited.extensions["intake_sessionmaker"]()
            intake, token = create_invite(session, get_clinic(session, create_name="Limited"),
                                          name="Alex Example", days=14)
            intake.answers = dict(answers)
            submit_intake(session, intake)
            session.commit()
            session.close()
        client = limited.test_client()
        codes = [client.get(f"/i/{token}/copy.pdf").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert client.get(f"/i/{token}/done").status_code == 200  # only the copy is limited
    finally:
        limited.extensions["intake_engine"].dispose()


def test_a_follow_ups_copy_has_its_answers_as_of_that_visit(app, client_nocsrf, db, clinic):
    from answers import step_post
    from staff_helpers import submitted_intake
    from visits_support import first_intake, follow_up_answers

    from intake.operations.follow_ups import definition_for
    from intake.operations.invites import create_invite

    first = submitted_intake(db, clinic, answers=first_intake())
    _, token = create_invite(db, clinic, name="ignored", days=14, follows=first)
    db.commit()
    with app.test_request_context():
        follow_up = definition_for(stored(db, token))
    db.commit()
    answers = follow_up_answers(**{"pain.back_now": 2})
    for step in follow_up.steps:
        response = client_nocsrf.post(f"/i/{token}/recheck/step/{step.id}",
                                      data=step_post(follow_up, step.id, answers))
        assert response.status_code == 303
    assert client_nocsrf.post(f"/i/{token}/recheck/submit").status_code == 303
    done = client_nocsrf.get(f"/i/{token}/done").get_data(as_text=True)
    assert f'href="/i/{token}/copy.pdf"' in done
    response = client_nocsrf.get(f"/i/{token}/copy.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Your answers" in text and "2 out of 10" in text
