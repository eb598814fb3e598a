"""What one step save asks the database (issue 8, throughput).

On SQLite the write lock is the whole database's: a save reads and checks
its form unlocked, then takes BEGIN IMMEDIATE, re-reads the row and merges.
Where locks are per row (PostgreSQL) the save locks its row at the first
read: one SELECT ... FOR UPDATE, no read transaction thrown away.
"""

from __future__ import annotations

import pytest
from answers import step_post
from patient_helpers import post_step, stored
from sqlalchemy import event

pytest_plugins = ["patient_fixtures"]


@pytest.fixture
def statements(app):
    engine = app.extensions["intake_engine"]
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()).upper())

    def rollback(_conn) -> None:
        seen.append("ROLLBACK")

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "rollback", rollback)
    yield seen
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "rollback", rollback)


def _intake_reads(seen: list[str]) -> list[str]:
    return [s for s in seen if s.startswith("SELECT") and "FROM INTAKES" in s]


def test_a_step_save_reads_its_intake_as_the_database_locks(
        app, client_nocsrf, token, definition, answers, db, statements):
    client_nocsrf.get("/")  # the first request's housekeeping, out of the count
    statements.clear()
    response = post_step(client_nocsrf, token, "about", step_post(definition, "about", answers))
    assert response.status_code == 303
    reads = _intake_reads(statements)
    if app.extensions["intake_engine"].dialect.name == "sqlite":
        # unlocked read, the read transaction ended, then the write lock and a re-read
        assert len(reads) == 2
        assert "BEGIN" in statements and "BEGIN IMMEDIATE" in statements
        assert statements.index("BEGIN") < statements.index("BEGIN IMMEDIATE")
    else:
        assert len(reads) == 1 and "FOR UPDATE" in reads[0]
        first_read = statements.index(reads[0])
        assert "ROLLBACK" not in statements[first_read:]
    assert stored(db, token).answers["about.full_name"] == answers["about.full_name"]


def test_a_step_with_mistakes_keeps_its_draft_either_way(
        app, client_nocsrf, token, definition, answers, db):
    data = step_post(definition, "about", answers)
    data["about.full_name"] = ""
    response = post_step(client_nocsrf, token, "about", data)
    assert response.status_code == 422
    assert "about" not in (stored(db, token).completed_steps or [])


def test_a_step_save_of_a_submitted_intake_changes_nothing(
        client_nocsrf, token, definition, answers, db):
    from patient_helpers import fill_steps

    fill_steps(client_nocsrf, token, definition, answers)
    assert client_nocsrf.post(f"/i/{token}/submit").location.endswith("/done")
    late = {**answers, "about.full_name": "Changed Too Late"}
    response = post_step(client_nocsrf, token, "about", step_post(definition, "about", late))
    assert response.status_code == 303 and response.location.endswith("/done")
    assert stored(db, token).answers["about.full_name"] == answers["about.full_name"]


def _token_reads(seen: list[str]) -> list[str]:
    """Reads of a draft by its link (the followed visit is read by its id)."""
    return [s for s in _intake_reads(seen) if "WHERE INTAKES.TOKEN_HASH =" in s]


def test_a_follow_up_step_save_reads_its_draft_as_the_database_locks(
        app, client_nocsrf, db, clinic, statements):
    from staff_helpers import submitted_intake
    from visits_support import first_intake, follow_up_answers

    from intake.operations.invites import create_invite
    from intake.questionnaire.follow_up import load_follow_up

    first = submitted_intake(db, clinic, answers=first_intake())
    _, token = create_invite(db, clinic, name="x", days=14, follows=first)
    db.commit()
    client_nocsrf.get("/")
    statements.clear()
    answers = follow_up_answers()
    response = client_nocsrf.post(f"/i/{token}/recheck/step/changes",
                                  data=step_post(load_follow_up(), "changes", answers))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    reads = _token_reads(statements)
    if app.extensions["intake_engine"].dialect.name == "sqlite":
        assert len(reads) == 2 and "FOR UPDATE" not in reads[0]
        assert statements.index("BEGIN") < statements.index("BEGIN IMMEDIATE")
    else:
        assert len(reads) == 1 and "FOR UPDATE" in reads[0]
        assert "ROLLBACK" not in statements[statements.index(reads[0]):]
    assert stored(db, token).answers["changes.anything_changed"] == "no"


def test_a_save_whose_step_another_save_hid_meanwhile_stores_nothing(
        app, client_nocsrf, token, definition, answers, db, monkeypatch):
    """SQLite checks a post against an unlocked read; when the locked re-read
    finds that another save hid the step (sex at birth changed to male while
    the pregnancy step was being saved), nothing of the step is stored."""
    if app.extensions["intake_engine"].dialect.name != "sqlite":
        pytest.skip("where a save locks at its first read, no save comes in between")
    import intake.patient.drafts as drafts  # both wizards check a save there
    from intake.operations.invites import intake_for_token

    woman = {**answers, "about.sex_at_birth": "female", "pregnancy.status": "no"}
    assert post_step(client_nocsrf, token, "about",
                     step_post(definition, "about", woman)).status_code == 303
    real_process = drafts.process_step
    calls = []

    def other_tab_saves_meanwhile(*args, **kwargs):
        if not calls:
            with app.extensions["intake_sessionmaker"]() as other:
                intake = intake_for_token(other, token)
                intake.answers = {**intake.answers, "about.sex_at_birth": "male"}
                other.commit()
        calls.append(1)
        return real_process(*args, **kwargs)

    monkeypatch.setattr(drafts, "process_step", other_tab_saves_meanwhile)
    response = post_step(client_nocsrf, token, "pregnancy",
                         step_post(definition, "pregnancy", woman))
    assert response.status_code == 303 and response.location.endswith(f"/i/{token}")
    assert len(calls) == 1  # checked once, then found hidden under the lock
    after = stored(db, token)
    assert "pregnancy.status" not in after.answers
    assert "pregnancy" not in (after.completed_steps or [])
