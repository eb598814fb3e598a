"""The consent is recorded in the patient's language with its text version, in
the UPDATE that submits, and cannot change after; the archived summary is in
the clinic's language and says which language the patient used."""

from __future__ import annotations

import pytest
from documents_helpers import pdf_text
from patient_helpers import fill_steps, stored
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from intake.documents.collect import collect
from intake.documents.consent import text_version
from intake.models import Document, Intake

pytest_plugins = ["patient_fixtures"]


def _submit(client, db, token, definition, answers, language):
    intake = stored(db, token)
    intake.language = language
    db.commit()
    fill_steps(client, token, definition, answers)
    response = client.post(f"/i/{token}/submit")
    assert response.status_code == 303 and response.location.endswith("/done")
    return stored(db, token)


def test_english_and_french_submissions_record_different_versions(
        client_nocsrf, db, make_invite, definition, answers):
    _, english_token = make_invite(name="Alex Example")
    _, french_token = make_invite(name="Camille Exemple")
    english = _submit(client_nocsrf, db, english_token, definition, answers, "en")
    french = _submit(client_nocsrf, db, french_token, definition, answers, "fr")
    assert english.consent_text_version == text_version(definition, "en")
    assert french.consent_text_version == text_version(definition, "fr")
    assert english.consent_text_version.startswith(f"{definition.version}/en/")
    assert french.consent_text_version.startswith(f"{definition.version}/fr/")
    assert english.consent_text_version != french.consent_text_version


def test_a_draft_has_no_consent_version(db, make_invite):
    intake, _ = make_invite()
    assert intake.consent_text_version is None


def test_the_version_cannot_change_after_submission_through_the_orm(
        client_nocsrf, db, token, definition, answers):
    intake = _submit(client_nocsrf, db, token, definition, answers, "fr")
    intake_id = intake.id
    intake.consent_text_version = f"{definition.version}/en/000000000000"
    with pytest.raises(IntegrityError, match="immutable"):
        db.commit()
    db.rollback()
    assert db.get(Intake, intake_id).consent_text_version == text_version(definition, "fr")
    db.commit()


def test_the_archived_summary_is_in_the_clinics_language_with_the_patients_too(
        client_nocsrf, app, db, clinic, token, definition, answers):
    clinic.language = "fr"
    db.commit()
    intake = _submit(client_nocsrf, db, token, definition, answers, "en")
    document = db.scalars(select(Document).where(Document.intake_id == intake.id)).one()
    data = collect(db, document, app.config)
    db.commit()
    assert data.locale == "fr_CA" and data.summary_language == "fr"
    assert data.patient_language == "en"
    assert data.consent_text_version == text_version(definition, "en")
    assert data.payload()["language"] == "en"


def test_the_stored_pdf_of_a_french_patient_states_it(
        client_nocsrf, app, db, token, definition, answers):
    from intake.documents.storage import archive_for

    intake = _submit(client_nocsrf, db, token, definition, answers, "fr")
    document = db.scalars(select(Document).where(Document.intake_id == intake.id)).one()
    db.commit()
    if document.sha256 is None:
        pytest.skip("the queue renders later in this configuration")
    text = pdf_text(archive_for(app).open_verified(document.sha256))
    assert "Answered in French (Canada)" in text
    assert "Consent given in French (Canada)" in text
    assert intake.consent_text_version in text.replace(" ", "")
