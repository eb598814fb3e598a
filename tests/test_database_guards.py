"""The database itself refuses to rewrite history (migration 0004).

Each statement runs on its own connection outside the app, as a person with
`sqlite3` or `psql` could, so only the database's triggers stand in the way.
The suite runs these on SQLite and, under `make test-postgres`, on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from database_support import on_postgres, raw_execute
from sqlalchemy.exc import IntegrityError
from staff_helpers import flagged_intake

from intake import audit
from intake.models import Decision, Document, SignOff, utcnow


@pytest.fixture
def history(app, db, clinic, make_staff):
    """One submitted intake with a screening, a flag, a decision, a sign-off, a
    ready document and a pending one, an audit event, and a draft intake."""
    staff = make_staff()
    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    flag = intake_flag(db, intake.id)
    db.add(Decision(intake_id=intake.id, screening_id=flag.screening_id, flag_id=flag.id,
                    rule_id=flag.rule_id, level=flag.level, choice="proceed", by_id=staff.id))
    db.add(SignOff(intake_id=intake.id, screening_id=flag.screening_id, by_id=staff.id))
    db.add(Document(intake_id=intake.id, version=1, status="ready", sha256="a" * 64, size=10,
                    rendered_at=utcnow(), attempts=1))
    db.add(Document(intake_id=intake.id, version=2, status="pending", attempts=0))
    audit.record(db, action="test.event", actor_id=None, intake_id=intake.id)
    from intake.operations.invites import create_invite

    draft, _ = create_invite(db, clinic, name="Drew Draft", days=14)
    db.commit()
    return {"url": app.config["DATABASE_URL"], "intake": intake.id, "draft": draft.id,
            "flag": flag.id, "screening": flag.screening_id}


def intake_flag(db, intake_id):
    from sqlalchemy import select

    from intake.models import FlagRecord, ScreeningRecord

    return db.scalars(select(FlagRecord).join(ScreeningRecord)
                      .where(ScreeningRecord.intake_id == intake_id)).one()


REFUSED = {
    "audit_events update": ("UPDATE audit_events SET action = 'x'", "append-only"),
    "audit_events delete": ("DELETE FROM audit_events", "append-only"),
    "decisions update": ("UPDATE decisions SET note = 'x'", "append-only"),
    "decisions delete": ("DELETE FROM decisions", "append-only"),
    "sign_offs update": ("UPDATE sign_offs SET at = at", "append-only"),
    "sign_offs delete": ("DELETE FROM sign_offs", "append-only"),
    "screenings update": ("UPDATE screenings SET overall_level = 'none'", "append-only"),
    "screenings delete": ("DELETE FROM screenings", "append-only"),
    "flags update": ("UPDATE flags SET level = 'info'", "append-only"),
    "flags delete": ("DELETE FROM flags", "append-only"),
    "submitted answers": ("UPDATE intakes SET answers = '{}' WHERE id = :intake", "immutable"),
    "submitted steps": ("UPDATE intakes SET completed_steps = '[\"x\"]' WHERE id = :intake",
                        "immutable"),
    "unsubmit": ("UPDATE intakes SET is_submitted = false, submitted_at = NULL "
                 "WHERE id = :intake", "immutable"),
    "submission time": ("UPDATE intakes SET submitted_at = created_at WHERE id = :intake",
                        "immutable"),
    "submitted delete": ("DELETE FROM intakes WHERE id = :intake", "immutable"),
    "merged answers": ("UPDATE intakes SET merged_answers = '{}' WHERE id = :intake",
                       "immutable"),
    "kind": ("UPDATE intakes SET kind = 'follow_up' WHERE id = :intake", "immutable"),
    "follows": ("UPDATE intakes SET follows_id = :draft WHERE id = :intake", "immutable"),
    "typed name": ("UPDATE intakes SET typed_name = 'Another Name' WHERE id = :intake",
                   "immutable"),
    "language": ("UPDATE intakes SET language = 'fr' WHERE id = :intake", "immutable"),
    "consent text version": ("UPDATE intakes SET consent_text_version = 'x' "
                             "WHERE id = :intake", "immutable"),
    "unknown language": ("UPDATE intakes SET language = 'de' WHERE id = :draft", "language"),
    "unknown staff language": ("UPDATE staff_users SET language = 'xx'", "language"),
    "unknown clinic language": ("UPDATE clinics SET language = 'xx'", "language"),
    "ready hash": ("UPDATE documents SET sha256 = :other WHERE status = 'ready'", "immutable"),
    "ready size": ("UPDATE documents SET size = 11 WHERE status = 'ready'", "immutable"),
    "ready version": ("UPDATE documents SET version = 9 WHERE status = 'ready'", "immutable"),
    "ready back to pending": ("UPDATE documents SET status = 'pending' WHERE status = 'ready'",
                              "immutable"),
    "ready delete": ("DELETE FROM documents WHERE status = 'ready'", "immutable"),
}


@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_the_database_refuses_to_rewrite_history(history, statement):
    sql, message = statement
    params = {k: v for k, v in {"intake": history["intake"], "draft": history["draft"],
                                "other": "b" * 64}.items() if f":{k}" in sql}
    with pytest.raises(IntegrityError, match=message):
        raw_execute(history["url"], sql, **params)


ALLOWED = {
    "review status": "UPDATE intakes SET status = 'reviewed' WHERE id = :intake",
    "new screening's rank": "UPDATE intakes SET worst_rank = 4 WHERE id = :intake",
    "updated_at": "UPDATE intakes SET updated_at = created_at WHERE id = :intake",
    "re-issued link": "UPDATE intakes SET token_hash = 'c' WHERE id = :intake",
    "draft answers": "UPDATE intakes SET answers = '{\"a\": 1}' WHERE id = :draft",
    "draft steps": "UPDATE intakes SET completed_steps = '[\"about\"]' WHERE id = :draft",
    "submitting a draft": ("UPDATE intakes SET is_submitted = true, submitted_at = created_at "
                           "WHERE id = :draft"),
    "draft delete": "DELETE FROM intakes WHERE id = :draft",
    "draft typed name": "UPDATE intakes SET typed_name = 'Sam' WHERE id = :draft",
    "draft language": "UPDATE intakes SET language = 'fr' WHERE id = :draft",
    "staff language": "UPDATE staff_users SET language = 'fr'",
    "clinic language back to the deployment's": "UPDATE clinics SET language = NULL",
    "draft merged answers": "UPDATE intakes SET merged_answers = '{\"a\": 1}' WHERE id = :draft",
    "pending rendered": ("UPDATE documents SET status = 'ready', sha256 = :other, size = 5 "
                         "WHERE status = 'pending'"),
    "pending failed": "UPDATE documents SET status = 'failed' WHERE status = 'pending'",
    "pending delete": "DELETE FROM documents WHERE status = 'pending'",
    "ready bookkeeping": "UPDATE documents SET attempts = 2 WHERE status = 'ready'",
    "retention tombstone": "UPDATE documents SET status = 'expired' WHERE status = 'ready'",
}


@pytest.mark.parametrize("sql", ALLOWED.values(), ids=ALLOWED.keys())
def test_legitimate_changes_still_work(history, sql):
    params = {k: v for k, v in {"intake": history["intake"], "draft": history["draft"],
                                "other": "b" * 64}.items() if f":{k}" in sql}
    raw_execute(history["url"], sql, **params)


def test_an_expired_document_stays_expired(history):
    url = history["url"]
    raw_execute(url, "UPDATE documents SET status = 'expired' WHERE status = 'ready'")
    for sql in ("UPDATE documents SET status = 'ready' WHERE status = 'expired'",
                "UPDATE documents SET sha256 = NULL WHERE status = 'expired'",
                "DELETE FROM documents WHERE status = 'expired'"):
        with pytest.raises(IntegrityError, match="immutable"):
            raw_execute(url, sql)


def test_a_refused_change_leaves_the_row_as_it_was(history, db):
    from intake.models import Intake

    with pytest.raises(IntegrityError):
        raw_execute(history["url"], "UPDATE intakes SET answers = '{}', status = 'reviewed' "
                    "WHERE id = :intake", intake=history["intake"])
    intake = db.get(Intake, history["intake"])
    assert intake.answers == {"pain.regions": ["left_knee"]}
    assert intake.status == "submitted"


def test_the_orm_gets_an_integrity_error_too(history, db):
    """Code that bypasses Intake.save_step's check still cannot change answers."""
    from intake.models import Intake

    intake = db.get(Intake, history["intake"])
    intake.answers = {"pain.regions": []}
    with pytest.raises(IntegrityError, match="immutable"):
        db.flush()
    db.rollback()


@pytest.mark.skipif(not on_postgres(), reason="TRUNCATE skips row triggers on PostgreSQL only")
@pytest.mark.parametrize("table", ["audit_events", "decisions", "sign_offs", "flags",
                                   "screenings", "documents", "intakes"])
def test_postgres_refuses_truncate(history, table):
    with pytest.raises(IntegrityError, match="append-only"):
        raw_execute(history["url"], f"TRUNCATE {table} CASCADE")


def test_reviewing_and_rescreening_a_submitted_intake_still_work(history, db):
    """The columns the code changes after submission are the allowed ones."""
    from intake.models import Intake

    intake = db.get(Intake, history["intake"])
    intake.status = "reviewed"
    intake.worst_rank = 3
    intake.token_expires_at = utcnow() + timedelta(days=1)
    db.commit()
    db.expire_all()
    assert db.get(Intake, history["intake"]).status == "reviewed"
