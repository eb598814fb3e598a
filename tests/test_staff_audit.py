"""The audit log: a hash chain that shows tampering, append-only in the database."""

from __future__ import annotations

import json
import logging

import pytest
from database_support import drop_trigger, raw_execute
from sqlalchemy.exc import IntegrityError

from intake import audit
from intake.cli import main
from intake.models import AuditEvent


def test_events_chain_by_hash(app, db):
    first = audit.record(db, action="test.one", actor_id=None, detail={"n": 1})
    second = audit.record(db, action="test.two", actor_id=None, intake_id=7, ip="10.0.0.1")
    db.commit()
    assert first.id == 1 and second.id == 2
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    assert second.hash == second.compute_hash(app.config["AUDIT_KEY"].encode())
    assert audit.verify(db) == []


def test_actor_label_names_the_staff_member(db, make_staff):
    user = make_staff(role="admin", email="ada@example.org", name="Ada")
    event = audit.record(db, action="test", actor_id=user.id)
    assert event.actor_label == "Ada <ada@example.org> (admin)"


def test_altered_row_is_detected(app, db):
    for n in range(3):
        audit.record(db, action="test", actor_id=None, detail={"n": n})
    db.commit()
    url = app.config["DATABASE_URL"]
    with pytest.raises(IntegrityError, match="append-only"):
        raw_execute(url, "UPDATE audit_events SET action = 'other' WHERE id = 2")
    # Someone with direct database access can drop the trigger; the chain still shows it.
    drop_trigger(url, "audit_events", "audit_events_no_update")
    raw_execute(url, "UPDATE audit_events SET detail = :d WHERE id = 2", d=json.dumps({"n": 9}))
    db.expire_all()
    problems = audit.verify(db)
    assert problems == ["event 2: hash does not match its contents (altered)"]


def test_removed_row_is_detected(app, db):
    for n in range(3):
        audit.record(db, action="test", actor_id=None, detail={"n": n})
    db.commit()
    url = app.config["DATABASE_URL"]
    with pytest.raises(IntegrityError, match="append-only"):
        raw_execute(url, "DELETE FROM audit_events WHERE id = 2")
    drop_trigger(url, "audit_events", "audit_events_no_delete")
    raw_execute(url, "DELETE FROM audit_events WHERE id = 2")
    problems = audit.verify(db)
    assert any("rows missing" in p for p in problems)
    assert any("prev_hash" in p for p in problems)


def test_cli_verify_exits_non_zero_on_a_broken_chain(app, db, runner):
    audit.record(db, action="test", actor_id=None)
    audit.record(db, action="test", actor_id=None)
    db.commit()
    ok = runner.invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact: 2 events" in ok.output
    url = app.config["DATABASE_URL"]
    drop_trigger(url, "audit_events", "audit_events_no_update")
    raw_execute(url, "UPDATE audit_events SET ip = '6.6.6.6' WHERE id = 1")
    broken = runner.invoke(main, ["audit", "verify"])
    assert broken.exit_code != 0
    assert "event 1" in broken.output and "broken" in broken.output


def test_concurrent_writers_keep_one_chain(app):
    """Two threads appending at once: BEGIN IMMEDIATE serialises them."""
    import threading

    from intake.db import session_scope

    def write(tag: str) -> None:
        for n in range(15):
            with session_scope(app) as session:
                audit.record(session, action=f"test.{tag}", actor_id=None, detail={"n": n})

    threads = [threading.Thread(target=write, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with session_scope(app) as session:
        assert session.query(AuditEvent).count() == 30
        assert audit.verify(session) == []


def test_signing_in_logs_no_patient_data_and_no_password(client, auth, make_staff,
                                                         make_invite, caplog):
    make_staff(email="p@example.org")
    make_invite(name="Zebedee Unique-Name")
    caplog.set_level(logging.DEBUG)
    auth.login("p@example.org", "wrong-password-typed")
    auth.login("p@example.org")
    client.get("/staff/")
    text = caplog.text
    assert "Zebedee" not in text and "wrong-password-typed" not in text


def test_failed_sign_in_is_audited_without_the_password(app, db, auth, make_staff):
    make_staff(email="p@example.org")
    auth.login("p@example.org", "not-the-password-1")
    events = db.query(AuditEvent).filter_by(action="auth.login_failed").all()
    assert len(events) == 1
    assert events[0].detail["reason"] == "wrong_password"
    assert "not-the-password-1" not in json.dumps(events[0].detail)
