"""End to end with the shipped questionnaire and rules: submit, decide, sign off,
and the archived summaries that follow (real operations, synthetic patient)."""

from __future__ import annotations

import json
from datetime import date

from documents_helpers import pdf_attachments, pdf_pages, pdf_text
from sqlalchemy import select

from intake.documents.samples import demo_answers
from intake.documents.storage import Archive
from intake.models import Document, FlagRecord
from intake.questionnaire import load_definition


def test_submission_then_sign_off_archives_two_versions(app, db, make_invite, make_staff):
    from intake.operations.review import record_decision, sign_off
    from intake.operations.submissions import submit_intake

    intake, _token = make_invite(name="Jordan Sample")
    intake.answers = demo_answers(load_definition(), today=date.today())
    db.commit()
    with app.app_context():
        record = submit_intake(db, intake)
    db.commit()                                  # the pending summary commits with it

    archive = Archive(app.config["ARCHIVE_DIR"])
    db.expire_all()
    [first] = db.scalars(select(Document).where(Document.intake_id == intake.id)).all()
    db.commit()
    assert first.status == "ready", first.last_error
    pdf = archive.open_verified(first.sha256)
    pages = pdf_pages(pdf)
    assert 2 <= len(pages) <= 6
    assert all("Jordan Sample" in page for page in pages)
    flags = db.scalars(select(FlagRecord).where(FlagRecord.screening_id == record.id)
                       .order_by(FlagRecord.position)).all()
    assert flags, "the demo patient on warfarin is flagged"
    text = pdf_text(pdf)
    for flag in flags:
        assert flag.title in text
    payload = json.loads(pdf_attachments(pdf)[f"intake-{intake.id}-v1.json"][0])
    assert payload["answers"] == intake.answers
    assert [f["rule_id"] for f in payload["screening"]["flags"]] == [f.rule_id for f in flags]

    practitioner = make_staff("practitioner", name="Dr Synthetic")
    for flag in flags:
        if flag.level != "note":
            record_decision(db, intake, flag, choice="proceed_modified",
                            note="Light technique agreed", actor_id=practitioner.id)
    sign_off(db, intake, actor_id=practitioner.id)
    db.commit()

    db.expire_all()
    docs = db.scalars(select(Document).where(Document.intake_id == intake.id)
                      .order_by(Document.version)).all()
    db.commit()
    assert [(d.version, d.kind, d.status) for d in docs] == [
        (1, "summary", "ready"), (2, "reviewed_summary", "ready")]
    assert docs[0].sha256 == first.sha256
    reviewed = archive.open_verified(docs[1].sha256)
    text = pdf_text(reviewed)
    assert "Signed off by Dr Synthetic" in text
    assert "Proceed with modifications — Light technique agreed (Dr Synthetic)" in text
    payload = json.loads(pdf_attachments(reviewed)[f"intake-{intake.id}-v2.json"][0])
    assert payload["review"]["signed_off_by"] == "Dr Synthetic"
