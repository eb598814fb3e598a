"""Helpers for the staff tests: submitted intakes with real or hand-made flags."""

from __future__ import annotations

from datetime import datetime, timedelta

from intake.models import FlagRecord, ScreeningRecord, utcnow
from intake.operations.invites import create_invite
from intake.operations.review import store_screening

STAFF_PASSWORD = "staff-test-password-42"


def baseline_answers(**overrides) -> dict:
    """A whole, valid intake with nothing to flag (rules/baseline.yaml), plus overrides."""
    from intake.screening import load_rules

    answers = {**load_rules().baseline, **overrides}
    return {k: v for k, v in answers.items() if v is not None}


def submitted_intake(db, clinic, *, name: str = "Alex Example", answers: dict | None = None,
                     appointment_at: datetime | None = None, plan: dict | None = None,
                     when: datetime | None = None, language: str | None = None):
    """An intake submitted with `answers` (in `language`, if given) and screened
    by the real engine."""
    from intake.screening import evaluate

    intake, _ = create_invite(db, clinic, name=name, days=14,
                              appointment_at=appointment_at or utcnow())
    answers = answers if answers is not None else baseline_answers()
    if language is not None:
        intake.language = language
    intake.mark_submitted(answers, when or utcnow())
    intake.questionnaire_version = "test"
    store_screening(db, intake, evaluate(answers, plan, today=(when or utcnow()).date()))
    db.commit()
    return intake


def flagged_intake(db, clinic, flags: list[tuple[str, str, str | None]], *,
                   name: str = "Alex Example", appointment_at: datetime | None = None,
                   answers: dict | None = None, status: str | None = None):
    """An intake with hand-made flags [(rule_id, level, urgency)], no engine involved."""
    from intake.screening.severity import rank

    intake, _ = create_invite(db, clinic, name=name, days=14,
                              appointment_at=appointment_at or utcnow())
    intake.mark_submitted(answers or {"pain.regions": ["left_knee"]}, utcnow())
    record = ScreeningRecord(intake=intake, rules_version="test-rules", plan={},
                             overall_level=flags[0][1] if flags else None)
    for position, (rule_id, level, urgency) in enumerate(flags):
        record.flags.append(FlagRecord(
            position=position, rule_id=rule_id, level=level, urgency=urgency,
            title=f"Title of {rule_id}", action=f"Action for {rule_id}",
            sources=["Source A 2020"],
            evidence=[{"question": "pain.regions", "value": ["left_knee"]}],
            detail={"why": f"Why {rule_id} fired"}))
    db.add(record)
    intake.worst_rank = max((rank(lv, u) for _, lv, u in flags), default=0)
    if status:
        intake.status = status
    db.commit()
    return intake


def days_from_now(days: int, hour: int = 10) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                     microsecond=0)


class AuthActions:
    """Sign a test client in and out through the real forms (CSRF token included)."""

    def __init__(self, client):
        self._client = client

    def csrf_token(self, path: str = "/staff/login") -> str:
        import re

        page = self._client.get(path).get_data(as_text=True)
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'name="csrf_token" value="([^"]+)"', page)
        return found.group(1) if found else ""

    def login(self, email: str, password: str = STAFF_PASSWORD):
        token = self.csrf_token()
        return self._client.post("/staff/login", data={
            "email": email, "password": password, "csrf_token": token})

    def logout(self):
        token = self.csrf_token("/staff/")
        return self._client.post("/staff/logout", data={"csrf_token": token})
