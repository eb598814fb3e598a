"""The practitioner's view of a course of visits: a follow-up's "since the last
visit" section on the intake page, and the progress charts on the patient page.

Both are built by intake.documents.visit_context, which the PDF reads too,
so the page and the summary say the same.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from intake import clock
from intake.documents import visit_context
from intake.i18n.pages import current_locale
from intake.models import Intake, Patient
from intake.questionnaire.types import AnswerFormat
from intake.visits import chart


def since_last_visit(db: Session, intake: Intake, definition) -> dict[str, Any] | None:
    """A submitted follow-up's changes since the visit it follows (None otherwise)."""
    visit = visit_context.collect_visit(db, intake, clock.zone())
    return visit_context.visit_context(visit, definition, current_locale(),
                                       with_charts=False)


def recheck_answers(intake: Intake) -> list:
    """A submitted follow-up's own re-check answers, step by step as the patient
    was asked (every step, so a periodic one shows when it was answered); the
    follow-up's own questions, such as the reaction after the last session, are
    not in the merged answers."""
    if not intake.is_follow_up or not intake.is_submitted or intake.follows is None:
        return []
    from intake.operations.follow_ups import last_visit_day
    from intake.questionnaire.follow_up import load_follow_up
    from intake.questionnaire.follow_up_visit import for_visit
    from intake.staff import presenter

    fmt = AnswerFormat(None, current_locale())
    day = last_visit_day(intake)
    asked = for_visit(load_follow_up(), intake.follows.visit_answers or {}, visit_number=2,
                      every=1, last_visit=fmt.day(day) if day else _("the last visit"))
    return presenter.answers_by_step(asked, intake.answers or {})


def patient_progress(db: Session, patient: Patient, visits: list[Intake], definition
                     ) -> list[tuple[chart.Chart, Markup]]:
    """The patient page's charts (those with any value), each with its SVG."""
    zone = clock.zone()
    done = [v for v in visits if v.is_submitted]
    if not done or definition is None:
        return []
    latest = max(done, key=lambda v: (visit_context.visit_day(v, zone), v.id))
    course = visit_context.course(db, latest, zone)
    fmt = AnswerFormat(definition, current_locale())
    charts = [c for c in visit_context.progress_charts(definition, course, fmt) if c.has_data]
    return [(c, chart.svg(c)) for c in charts]
