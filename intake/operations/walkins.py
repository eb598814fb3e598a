"""Walk-ins: intakes started from the clinic's public link.

A walk-in names themselves on the questionnaire's first step, so the name
they type becomes their patient record's name (the dashboard and the name
search read it; the search index follows display_name by itself: a trigger on
SQLite, an index on the column on PostgreSQL). An invited patient keeps the
name staff invited them by.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake.models import Intake, Patient


def name_walk_in(session: Session, intake: Intake, typed_name: str | None) -> bool:
    """Give a walk-in's patient record the typed name (creating the record the
    first time); returns whether the name changed. Not for invited patients."""
    name = " ".join((typed_name or "").split())[:200]
    if not intake.walk_in or not name:
        return False
    if intake.patient is None:
        intake.patient = Patient(clinic=intake.clinic, display_name=name)
        session.add(intake.patient)
    elif intake.patient.display_name == name:
        return False
    else:
        intake.patient.display_name = name
    session.flush()
    return True
