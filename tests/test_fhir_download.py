"""/staff/intakes/<id>/fhir: the Bundle for practitioners and admins, audited
with ids only; front desk, anonymous, another clinic and a draft refused."""

from __future__ import annotations

import json

from sqlalchemy import select
from staff_helpers import baseline_answers, submitted_intake

from intake.fhir.validate import validate
from intake.models import Clinic
from intake.models.audit import AuditEvent
from intake.operations.invites import create_invite
from intake.operations.review import store_screening
from intake.screening import evaluate


def url(intake) -> str:
    return f"/staff/intakes/{intake.id}/fhir"


def events(db, action: str) -> list[AuditEvent]:
    db.expire_all()
    found = list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))
    db.commit()
    return found


def test_a_practitioner_downloads_a_valid_bundle_audited_with_ids_only(
        client, db, clinic, auth, make_staff):
    answers = baseline_answers(**{"history.metal_allergy": "yes"})
    intake = submitted_intake(db, clinic, name="Robin Synthetic", answers=answers)
    user = make_staff("practitioner")
    auth.login(user.email)
    response = client.get(url(intake))
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert f'filename="intake-{intake.id}.fhir.json"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    validate(data)
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert kinds[0] == "QuestionnaireResponse" and "Consent" in kinds
    rules = {e["resource"]["code"]["coding"][0]["code"] for e in data["entry"]
             if e["resource"]["resourceType"] == "DetectedIssue"}
    assert "dn_metal_allergy" in rules
    (event,) = events(db, "fhir.download")
    assert (event.intake_id, event.actor_id) == (intake.id, user.id)
    assert "Robin" not in json.dumps(event.detail) and "metal" not in json.dumps(event.detail)


def test_an_admin_may_download_too(client, db, clinic, auth, make_staff):
    intake = submitted_intake(db, clinic)
    auth.login(make_staff("admin").email)
    assert client.get(url(intake)).status_code == 200


def test_front_desk_and_anonymous_are_refused(client, db, clinic, auth, make_staff):
    intake = submitted_intake(db, clinic)
    anonymous = client.get(url(intake))
    assert anonymous.status_code == 302 and "/staff/login" in anonymous.headers["Location"]
    auth.login(make_staff("front_desk").email)
    refused = client.get(url(intake))
    assert refused.status_code == 403
    assert b"QuestionnaireResponse" not in refused.data
    assert not events(db, "fhir.download")


def test_a_draft_is_refused_and_an_unknown_intake_not_found(client, db, clinic, auth,
                                                            make_staff):
    draft, _ = create_invite(db, clinic, name="Draft Person", days=14)
    draft.answers = {"about.full_name": "Draft Person"}
    db.commit()
    auth.login(make_staff("practitioner").email)
    response = client.get(url(draft))
    assert response.status_code == 409
    assert b"not been submitted" in response.data and b"Draft Person" not in response.data
    assert client.get("/staff/intakes/99999/fhir").status_code == 404
    assert client.get(f"/staff/intakes/{2**70}/fhir").status_code == 404
    assert not events(db, "fhir.download")


def test_another_clinics_intake_is_not_found(client, db, clinic, auth, make_staff):
    other = Clinic(name="Other Clinic")
    db.add(other)
    db.flush()
    theirs = submitted_intake(db, other)
    auth.login(make_staff("practitioner").email)
    assert client.get(url(theirs)).status_code == 404
    assert not events(db, "fhir.download")


def test_a_follow_up_exports_its_merged_answers(client, db, clinic, auth, make_staff):
    first = submitted_intake(db, clinic)
    follow_up, _ = create_invite(db, clinic, name="", days=14, follows=first)
    merged = baseline_answers(**{"pain.back_now": 9})
    follow_up.merged_answers = merged
    follow_up.mark_submitted({"pain.back_now": 9})
    store_screening(db, follow_up, evaluate(merged, None, today=follow_up.submitted_at.date()))
    db.commit()
    auth.login(make_staff("practitioner").email)
    data = json.loads(client.get(url(follow_up)).data)
    answered = {item["linkId"] for item in _walk(data["entry"][0]["resource"]["item"])}
    assert "about.full_name" in answered  # from the merged set, not the re-check alone
    assert "consent.read_understood" in answered


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.get("item", []))


def test_the_intake_page_links_to_the_bundle_for_clinical_staff(client, db, clinic, auth,
                                                                make_staff):
    intake = submitted_intake(db, clinic)
    auth.login(make_staff("practitioner").email)
    page = client.get(f"/staff/intakes/{intake.id}").get_data(as_text=True)
    assert f'href="/staff/intakes/{intake.id}/fhir"' in page
    assert "FHIR R4 Bundle" in page
