"""Helpers for the patient request tests (tests/test_patient_*.py)."""

from __future__ import annotations

from typing import Any

from answers import clinic_today, step_post

from intake.models import Intake


def post_step(client, token: str, step_id: str, data):
    return client.post(f"/i/{token}/step/{step_id}", data=data)


def fill_steps(client, token: str, definition, answers: dict[str, Any],
               until: str | None = None) -> list[str]:
    """Press Next on every asked step in order (stopping before `until`)."""
    done = []
    today = clinic_today(client.application)
    for step in definition.steps:
        if step.id == until:
            break
        if not definition.visible_questions(step, answers, today):
            continue
        response = post_step(client, token, step.id, step_post(definition, step.id, answers))
        assert response.status_code == 303, (step.id, response.get_data(as_text=True)[:2000])
        done.append(step.id)
    return done


def stored(db, token: str) -> Intake:
    """The intake as the database has it now (not a stale copy).

    The transaction is ended at once: the test session writes, so on SQLite
    it holds the write lock (BEGIN IMMEDIATE), and the next request must be
    able to write."""
    from intake.operations.invites import intake_for_token

    db.expire_all()
    intake = intake_for_token(db, token)
    db.commit()
    return intake
