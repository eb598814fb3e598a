"""Dates and times on pages: one formatter (Babel, the clinic's locale), the
clinic's zone, through the filters registered in intake/dates_shown.py. No
glibc-only ``%-d``, no date built from its parts in a template."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from staff_helpers import baseline_answers, submitted_intake

from intake.dates_shown import clinic_date, clinic_time
from intake.models import Document

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: 23:30 UTC on 5 March is 08:30 on 6 March in Tokyo
LATE = datetime(2026, 3, 5, 23, 30, 5, tzinfo=UTC)


def _words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize(("style", "shown"), [
    ("medium", "6 Mar 2026, 08:30"),
    ("long", "6 March 2026, 08:30"),
    ("seconds", "6 Mar 2026, 08:30:05"),
    ("date", "6 Mar 2026"),
    ("time", "08:30"),
])  # fmt: skip
def test_clinic_time_is_the_clinics_local_time_in_its_locale(app, style, shown):
    app.config["TIMEZONE"] = "Asia/Tokyo"
    with app.app_context():
        assert clinic_time(LATE, style) == shown
        assert clinic_time(None) == "—"


def test_the_clinics_locale_decides_the_words(app):
    app.config.update(TIMEZONE="Asia/Tokyo", LOCALE="de_DE")
    with app.app_context():
        assert clinic_time(LATE, "long") == "6. März 2026, 08:30"
        assert clinic_date("1968-09-14") == "14. September 1968"
    app.config["LOCALE"] = "en_GB"
    with app.app_context():
        assert clinic_date("1968-09-04") == "4 September 1968"  # no padded day
        assert clinic_date(LATE.date(), "full") == "Thursday, 5 March 2026"
        with pytest.raises(KeyError):
            clinic_time(LATE, "%d %b")  # a strftime format is not a style


def test_a_french_time_does_not_break_across_lines(app):
    app.config.update(TIMEZONE="Asia/Tokyo", LOCALE="fr_CA")
    with app.app_context():
        assert clinic_time(LATE, "time") == "08\u00a0h\u00a030"
        assert clinic_time(LATE, "medium").endswith("08\u00a0h\u00a030")
        assert clinic_time(LATE, "medium").startswith("6 mars 2026")  # the date may wrap


def test_no_template_formats_a_date_by_hand():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "strftime" not in text, path
        assert "%-d" not in text, path


@pytest.mark.parametrize(("locale", "born"), [("en_GB", "4 September 1968"),
                                               ("de_DE", "4. September 1968")])
def test_staff_intake_page_shows_date_of_birth_and_documents_in_the_clinics_words(
        app, client, db, clinic, make_staff, auth, locale, born):
    app.config.update(TIMEZONE="Asia/Tokyo", LOCALE=locale)
    make_staff(role="practitioner", email="p@example.org")
    answers = baseline_answers(**{"about.date_of_birth": "1968-09-04"})
    intake = submitted_intake(db, clinic, answers=answers)
    db.add(Document(intake_id=intake.id, version=1, status="ready", sha256="a" * 64, size=10,
                    rendered_at=LATE, attempts=1))
    db.commit()
    intake_id = intake.id
    db.rollback()
    auth.login("p@example.org")
    page = _words(client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True))
    assert f"Date of birth {born} (age" in page
    rendered = "6 Mar 2026, 08:30" if locale == "en_GB" else "06.03.2026, 08:30"
    assert f"(PDF) {rendered}" in page
    assert "UTC" not in page.split("(PDF)")[1][:40]  # the clinic's time, not UTC's
