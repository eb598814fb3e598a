"""Submitted follow-ups for the demo and the tests: a follow-up invited after
the visit it follows, its re-check answered, then submitted through the
patient's own path (intake.operations.follow_ups.submit_follow_up: carried
forward, merged, screened, the summary's pending row). Synthetic data only.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from intake import clock
from intake.models import Intake
from intake.operations.follow_ups import submit_follow_up
from intake.operations.invites import create_invite
from intake.questionnaire.follow_up import load_follow_up
from intake.questionnaire.follow_up_visit import for_visit


def record_follow_up(session: Session, follows: Intake, answers: dict[str, Any], *,
                     when: datetime, appointment_at: datetime | None = None,
                     visit_number: int = 2, every: int = 4) -> Intake:
    """A follow-up of ``follows`` submitted at ``when`` with the re-check's
    ``answers``, asked as at visit ``visit_number`` with PHQ-2 and STarT Back
    every ``every`` visits."""
    intake, _ = create_invite(session, follows.clinic, name="", days=14,
                              appointment_at=appointment_at or when, follows=follows,
                              now=when)
    intake.answers = dict(answers)
    session.flush()
    asked = for_visit(load_follow_up(), follows.visit_answers or {},
                      visit_number=visit_number, every=every)
    submit_follow_up(session, intake, now=when, follow_up=asked)
    return intake


#: the demo's course of visits: a synthetic patient, a first intake six weeks ago
#: and three follow-ups; the pain improves, and at the third (today, first on the
#: day's list) a new anticoagulant and new saddle numbness
COURSE_NAME = "Morgan Testcase (demo)"
COURSE_BORN = "1972-03-14"
#: a follow-up where nothing new is reported (the red flags asked again: all no)
QUIET_FOLLOW_UP: dict[str, Any] = {
    "changes.anything_changed": "no", "changes.medicines_changed": "no",
    "changes.new_events": ["none"], "symptoms.saddle_numbness": "no", "symptoms.bladder": "no",
    "symptoms.bowel": "no", "symptoms.sexual_function": "no", "symptoms.both_legs": "no",
    "pain.leg_symptoms": "one_leg", "symptoms.leg_weakness": "no", "symptoms.weight_loss": "no",
    "pain.night": "eases_with_position", "symptoms.calf": "no", "symptoms.fever": "no",
    "symptoms.unwell": "no", "symptoms.new_infection": "no", "history.injects_drugs": "no",
    "pregnancy.status": "no", "today.session_reaction": "soreness_or_bruise",
}
#: (days before today, local hour, NPRS back now/worst, leg now/worst, what else changed)
COURSE = (
    (-28, 10, (6, 7, 5, 6), {}),
    (-14, 10, (5, 6, 3, 4), {}),
    (0, 8, (3, 4, 2, 3), {"changes.anything_changed": "yes", "changes.medicines_changed": "yes",
                          "changes.medicines_started": ["rivaroxaban"],
                          "symptoms.saddle_numbness": "new",
                          # asked at this visit (a clinic interval of 3): better than before
                          "wellbeing.phq2_interest": "not_at_all",
                          "wellbeing.phq2_down": "not_at_all",
                          **{f"wellbeing.startback_{n}": "disagree" for n in range(1, 9)},
                          "wellbeing.startback_9": "slightly"}),
)


def seed_course(session: Session, clinic, baseline: dict[str, Any]) -> list[Intake]:
    """The demo patient's four visits, the first submitted as a patient would."""
    from intake.operations.submissions import submit_intake

    today = clock.today()
    first_at = clock.from_local(today + timedelta(days=-42), time(10))
    first, _ = create_invite(session, clinic, name=COURSE_NAME, days=14,
                             appointment_at=first_at, now=first_at)
    # the baseline's signature is another synthetic patient's: sign as this one
    first.answers = {**baseline, "about.full_name": COURSE_NAME,
                     "consent.typed_signature": COURSE_NAME,
                     "about.date_of_birth": COURSE_BORN, "pain.leg_symptoms": "one_leg",
                     "pain.back_now": 7, "pain.back_worst_24h": 8, "pain.leg_now": 6,
                     "pain.leg_worst_24h": 8}
    submit_intake(session, first, now=first_at)
    visits = [first]
    for number, (days, hour, (back, back_worst, leg, leg_worst), more) in enumerate(COURSE, 2):
        when = clock.from_local(today + timedelta(days=days), time(hour))
        answers = {**QUIET_FOLLOW_UP, "pain.back_now": back, "pain.back_worst_24h": back_worst,
                   "pain.leg_now": leg, "pain.leg_worst_24h": leg_worst, **more}
        visits.append(record_follow_up(session, visits[-1], answers, when=when,
                                       visit_number=number, every=3))
    return visits
