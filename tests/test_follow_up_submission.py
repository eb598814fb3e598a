"""Submitting a follow-up: the merged answers frozen with the submission,
screened with the plan in force on the visit followed; screening it again
reads the merged answers; a follow-up of a follow-up carries the chain on."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from staff_helpers import submitted_intake
from visits_support import first_intake, follow_up_answers

from intake.models import FlagRecord, ScreeningRecord
from intake.operations.follow_ups import submit_follow_up, visit_number
from intake.operations.invites import create_invite
from intake.operations.review import rescreen
from intake.operations.submissions import AlreadySubmitted, IncompleteIntake

DEEP = {"regions": ["left_lower_back"], "electrical_stimulation": False,
        "noncompressible_targets": ["psoas"]}
APIXABAN = {"changes.medicines_changed": "yes", "changes.medicines_started": ["apixaban"]}


def _follow(db, clinic, previous, answers):
    intake, _ = create_invite(db, clinic, name="ignored", days=14, follows=previous)
    intake.answers = answers
    db.commit()
    return intake


def _rules(db, record) -> set[str]:
    return set(db.scalars(select(FlagRecord.rule_id).where(
        FlagRecord.screening_id == record.id)))


def test_the_plan_in_force_on_the_followed_visit_screens_the_follow_up(app, db, clinic):
    first = submitted_intake(db, clinic, answers=first_intake(), plan=DEEP)
    follow = _follow(db, clinic, first, follow_up_answers(**APIXABAN))
    with app.app_context():
        record = submit_follow_up(db, follow)
    db.commit()
    assert record.plan["noncompressible_targets"] == ["psoas"]
    assert {"dn_anticoagulant", "dn_bleeding_risk_noncompressible_target"} <= _rules(db, record)
    assert follow.worst_rank > 0


def test_a_calm_follow_up_screens_clean_and_keeps_the_answers_apart(app, db, clinic):
    first = submitted_intake(db, clinic, answers=first_intake())
    follow = _follow(db, clinic, first, follow_up_answers())
    with app.app_context():
        record = submit_follow_up(db, follow)
    db.commit()
    assert _rules(db, record) == set()
    assert follow.answers["today.session_reaction"] == "soreness_or_bruise"
    assert follow.merged_answers["pain.back_now"] == 3
    assert follow.questionnaire_version.startswith("2026")


def test_a_second_submit_and_an_incomplete_one_are_refused(app, db, clinic):
    first = submitted_intake(db, clinic, answers=first_intake())
    follow = _follow(db, clinic, first, {"changes.anything_changed": "no"})
    with app.app_context(), pytest.raises(IncompleteIntake):
        submit_follow_up(db, follow)
    db.rollback()
    follow.answers = follow_up_answers()
    db.commit()
    with app.app_context():
        submit_follow_up(db, follow)
        db.commit()
        with pytest.raises(AlreadySubmitted):
            submit_follow_up(db, follow)
    db.rollback()


def test_the_merged_answers_cannot_change_after_submission(app, db, clinic):
    first = submitted_intake(db, clinic, answers=first_intake())
    follow = _follow(db, clinic, first, follow_up_answers())
    with app.app_context():
        submit_follow_up(db, follow)
    db.commit()
    follow.merged_answers = {**follow.merged_answers, "pain.back_now": 9}
    with pytest.raises(DBAPIError):
        db.commit()
    db.rollback()


def test_screening_again_reads_the_merged_answers(app, db, clinic, make_staff):
    first = submitted_intake(db, clinic, answers=first_intake())
    follow = _follow(db, clinic, first, follow_up_answers(**APIXABAN))
    staff = make_staff(role="practitioner")
    with app.app_context():
        submit_follow_up(db, follow)
        record, _ = rescreen(db, follow, DEEP, actor_id=staff.id)
    db.commit()
    assert "dn_bleeding_risk_noncompressible_target" in _rules(db, record)


def test_a_follow_up_of_a_follow_up_carries_the_chain(app, db, clinic):
    first = submitted_intake(db, clinic, answers=first_intake())
    second = _follow(db, clinic, first, follow_up_answers(**APIXABAN))
    with app.app_context():
        submit_follow_up(db, second)
    db.commit()
    third = _follow(db, clinic, second, follow_up_answers(**{"pain.back_now": 1}))
    with app.app_context():
        record = submit_follow_up(db, third)
    db.commit()
    assert visit_number(third) == 3
    assert "apixaban" in third.merged_answers["medications.current"]
    assert third.merged_answers["pain.back_now"] == 1
    assert "dn_anticoagulant" in _rules(db, record)
    assert db.scalar(select(ScreeningRecord.intake_id).where(
        ScreeningRecord.id == record.id)) == third.id


def test_the_follow_ups_summary_renders_with_the_answers_as_of_this_visit(app, db, clinic):
    import json

    from documents_helpers import pdf_attachments, pdf_text

    from intake.documents.storage import Archive
    from intake.models import Document

    first = submitted_intake(db, clinic, name="Jordan Sample", answers=first_intake(**{
        "about.full_name": "Jordan Sample"}))
    follow = _follow(db, clinic, first, follow_up_answers(**APIXABAN))
    with app.app_context():
        submit_follow_up(db, follow)
    db.commit()  # the pending summary commits with it, and is rendered
    db.expire_all()
    [document] = db.scalars(select(Document).where(Document.intake_id == follow.id)).all()
    merged = follow.merged_answers
    db.commit()
    assert document.status == "ready", document.last_error
    pdf = Archive(app.config["ARCHIVE_DIR"]).open_verified(document.sha256)
    assert "Jordan Sample" in pdf_text(pdf)
    payload = json.loads(pdf_attachments(pdf)[f"intake-{follow.id}-v1.json"][0])
    assert payload["answers"] == merged
