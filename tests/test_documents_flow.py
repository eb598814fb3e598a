"""End to end with the shipped questionnaire and rules: submit, decide, sign off,
and the archived summaries that follow (real operations, synthetic patient)."""

from __future__ import annotations

import json
from datetime import date

import pytest
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


def test_a_changed_decision_reopens_sign_off_and_supersedes_the_reviewed_version(
        app, db, make_invite, make_staff, runner, tmp_path):
    """The archived reviewed summary must never show a decision that was changed:
    the change reopens sign-off, the next sign-off archives a new version, and
    the earlier one stays, marked superseded on the page and in the export."""
    import csv

    from intake import clock
    from intake.documents.versions import superseded_ids
    from intake.models import IntakeStatus
    from intake.operations.review import ReviewError, record_decision, sign_off
    from intake.operations.submissions import submit_intake
    from intake.questionnaire.identity import name_question

    with app.app_context():  # operations read the clinic clock
        intake, _token = make_invite(name="Jordan Sample")
        intake.answers = demo_answers(load_definition(), today=clock.today())
        db.commit()
        record = submit_intake(db, intake)
        db.commit()
        practitioner = make_staff("practitioner", name="Dr Synthetic")
        decided = [f for f in record.flags if f.level != "note"]
        for flag in decided:
            record_decision(db, intake, flag, choice="proceed_modified", note="Light technique",
                            actor_id=practitioner.id)
        sign_off(db, intake, actor_id=practitioner.id)
        db.commit()
        with pytest.raises(ReviewError, match="signed off already"):
            sign_off(db, intake, actor_id=practitioner.id)  # a second click archives nothing
        db.rollback()

        changed = decided[0]
        record_decision(db, intake, changed, choice="defer", note="Changed my mind: ask the GP",
                        actor_id=practitioner.id)
        db.commit()
        assert intake.status == IntakeStatus.SUBMITTED  # the sign-off is reopened
        sign_off(db, intake, actor_id=practitioner.id)
        db.commit()

        db.expire_all()
        docs = db.scalars(select(Document).where(Document.intake_id == intake.id)
                          .order_by(Document.version)).all()
        assert [(d.version, d.kind, d.status) for d in docs] == [
            (1, "summary", "ready"), (2, "reviewed_summary", "ready"),
            (3, "reviewed_summary", "ready")]
        assert superseded_ids(docs) == {docs[1].id}
        archive = Archive(app.config["ARCHIVE_DIR"])
        old, new = (" ".join(pdf_text(archive.open_verified(d.sha256)).split()) for d in docs[1:])
        assert "Changed my mind" not in old
        assert f"{changed.title}: Defer — Changed my mind: ask the GP" in new
        email, intake_id = practitioner.email, intake.id
        assert intake.answers[name_question()] == "Jordan Sample"
        db.commit()

        from intake.cli import main

        result = runner.invoke(main, ["documents", "export", "--since", "2000-01-01",
                                     str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        with (tmp_path / "out" / "manifest.csv").open() as fh:
            marks = {int(r["version"]): r["superseded_by"] for r in csv.DictReader(fh)}
        assert marks == {1: "", 2: "3", 3: ""}
        verified = runner.invoke(main, ["documents", "verify"])  # no gap, nothing lost
        assert verified.exit_code == 0, verified.output

        client = app.test_client()
        from staff_helpers import AuthActions

        AuthActions(client).login(email)
        page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
        section = page.split('id="documents-h"')[1]
        v2 = section.split("version 2")[1].split("</li>")[0]
        v3 = section.split("version 3")[1].split("</li>")[0]
        assert "superseded" in v2 and "superseded" not in v3
