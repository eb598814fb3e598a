"""Submitted visits for the practitioner-side tests: a first intake and its
follow-ups, submitted through the patient's own path (intake.demo_visits) and screened.

Use the ``course`` fixture (import it into the test module): its methods run
in an app context, as the clock needs the clinic's zone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from staff_helpers import baseline_answers
from visits_support import follow_up_answers

from intake import clock
from intake.demo_visits import record_follow_up
from intake.models import Intake
from intake.operations.invites import create_invite
from intake.operations.submissions import record_screening

RED_FLAG_CHANGES = {"symptoms.saddle_numbness": "new", "changes.medicines_changed": "yes",
                    "changes.medicines_started": ["rivaroxaban"]}


class Course:
    def __init__(self, app, db, clinic) -> None:
        self.app, self.db, self.clinic = app, db, clinic

    def at(self, days: int, hour: int = 10) -> datetime:
        """The clinic's `hour` o'clock `days` from the clinic's today, as UTC."""
        with self.app.app_context():
            return clock.from_local(clock.today() + timedelta(days=days), time(hour))

    def today(self):
        with self.app.app_context():
            return clock.today()

    def first(self, *, name: str = "Robin Synthetic", when: datetime | None = None,
              **overrides: Any) -> Intake:
        from intake.screening import evaluate

        when = when or self.at(-28)
        answers = baseline_answers(**{"about.full_name": name, "pain.back_now": 7,
                                      "pain.back_worst_24h": 8, **overrides})
        with self.app.app_context():
            intake, _ = create_invite(self.db, self.clinic, name=name, days=14,
                                      appointment_at=when, now=when)
            intake.mark_submitted(answers, when)
            intake.typed_name = name
            intake.questionnaire_version = "test"
            record_screening(self.db, intake, evaluate(answers, today=clock.day_of(when)))
            self.db.commit()
        return intake

    def follow_up(self, previous: Intake, *, when: datetime | None = None,
                  visit_number: int = 2, every: int = 4, **changes: Any) -> Intake:
        when = when or self.at(0, 9)
        with self.app.app_context():
            answers = follow_up_answers(**{"pregnancy.status": "no", **changes})
            intake = record_follow_up(self.db, previous, answers,
                                      when=when, visit_number=visit_number, every=every)
            self.db.commit()
        return intake

    def invited(self, previous: Intake, *, days: int, hour: int = 15) -> Intake:
        """A follow-up invited for `days` from today, not submitted."""
        with self.app.app_context():
            intake, _ = create_invite(self.db, self.clinic, name="", days=14,
                                      appointment_at=self.at(days, hour), follows=previous)
            self.db.commit()
        return intake


@pytest.fixture
def course(app, db, clinic) -> Course:
    return Course(app, db, clinic)
