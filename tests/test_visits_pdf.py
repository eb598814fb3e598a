"""A follow-up's summary PDF: which intake it follows (and when), what
changed, and the progress chart; a first intake's summary has none of it."""

from __future__ import annotations

import json

import visits_staff_support as support
from documents_helpers import pdf_attachments, pdf_text
from sqlalchemy import select
from visits_staff_support import RED_FLAG_CHANGES

from intake.documents.collect import collect
from intake.documents.render import render_pdf
from intake.models import Document
from intake.questionnaire import load_definition

course = support.course


def _render(app, db, intake_id: int) -> bytes:
    with app.app_context():
        document = db.scalars(select(Document).where(Document.intake_id == intake_id)).first()
        return render_pdf(collect(db, document, app.config), load_definition()).pdf


def test_the_follow_up_pdf_says_what_it_follows_what_changed_and_the_progress(
        app, db, course, tmp_path):
    first = course.first(**{"symptoms.fever": "last_48_hours"})
    second = course.follow_up(first, when=course.at(-14), **{"pain.back_now": 5})
    third = course.follow_up(second, visit_number=3, **RED_FLAG_CHANGES,
                             **{"pain.back_now": 2, "pain.back_worst_24h": 3})
    pdf = _render(app, db, third.id)
    (tmp_path / "follow-up.pdf").write_bytes(pdf)
    text = pdf_text(pdf)
    assert "Since the last visit" in text
    assert f"Follow-up of intake {second.id} of" in text
    assert "New red flag since last visit" in text
    assert "New: Saddle" in text or "New:" in text
    assert "rf_ces_saddle_anaesthesia" in text and "dn_anticoagulant" in text
    assert "Answers that changed" in text and "→" in text
    assert "Progress over time" in text and "Back pain (NPRS, 0 to 10)" in text
    assert "Farrar" in text
    assert "Change since the first visit: Now: 7 to 2 (-5 points, -71%), better." in text
    # the JSON inside carries the same visit data, and the merged answers
    payload = json.loads(next(iter(pdf_attachments(pdf).values()))[0])
    assert payload["visit"]["follows_id"] == second.id
    assert [v["answers"].get("pain.back_now") for v in payload["visit"]["visits"]] == [7, 5, 2]
    assert payload["answers"]["symptoms.saddle_numbness"] == "new"


def test_a_first_intake_pdf_has_no_visit_section(app, db, course):
    first = course.first()
    with app.app_context():
        from intake.documents.pending import add_pending

        add_pending(db, first.id, "summary", once=True)
        db.commit()
    text = pdf_text(_render(app, db, first.id))
    assert "Since the last visit" not in text and "Progress over time" not in text
    assert "Intake summary" in text
