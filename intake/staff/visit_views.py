"""The practitioner's view of a course of visits: a follow-up's "since the last
visit" section on the intake page, and the progress charts on the patient page.

Both are built by intake.documents.visit_context, which the PDF reads too,
so the page and the summary say the same.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from markupsafe import Markup
from sqlalchemy.orm import Session

from intake import clock
from intake.documents import visit_context
from intake.models import Intake, Patient
from intake.questionnaire.types import AnswerFormat
from intake.visits import chart


def since_last_visit(db: Session, intake: Intake, definition) -> dict[str, Any] | None:
    """A submitted follow-up's changes since the visit it follows (None otherwise)."""
    visit = visit_context.collect_visit(db, intake, clock.zone())
    return visit_context.visit_context(visit, definition, current_app.config["LOCALE"],
                                       with_charts=False)


def patient_progress(db: Session, patient: Patient, visits: list[Intake], definition
                     ) -> list[tuple[chart.Chart, Markup]]:
    """The patient page's charts (those with any value), each with its SVG."""
    zone = clock.zone()
    done = [v for v in visits if v.is_submitted]
    if not done or definition is None:
        return []
    latest = max(done, key=lambda v: (visit_context.visit_day(v, zone), v.id))
    course = visit_context.course(db, latest, zone)
    fmt = AnswerFormat(definition, current_app.config["LOCALE"])
    charts = [c for c in visit_context.progress_charts(definition, course, fmt) if c.has_data]
    return [(c, chart.svg(c)) for c in charts]
