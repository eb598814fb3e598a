"""The keyed audit chain: a rewrite without the key and a cut tail are both found."""

from __future__ import annotations

import json
import os
import stat

import pytest
from database_support import drop_trigger, raw_execute
from sqlalchemy import select

from intake import audit
from intake.cli import main
from intake.config import ConfigError, load_config
from intake.models import AuditEvent
from intake.models.audit import GENESIS, HASHED_FIELDS, chain_hash, keyed_hash


def _events(db, count: int) -> None:
    for n in range(count):
        audit.record(db, action="test", actor_id=None, detail={"n": n})
    db.commit()


def _rows(db) -> list[dict]:
    """Every row's hashed fields, its hash and action; the read transaction ends
    (on SQLite it holds the write lock a raw UPDATE needs)."""
    db.expire_all()
    rows = [{name: getattr(row, name) for name in HASHED_FIELDS}
            | {"hash": row.hash, "action": row.action}
            for row in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    db.rollback()
    return rows


def _verify(db) -> list[str]:
    problems = audit.verify(db)
    db.rollback()  # end the read (SQLite's write lock) before the CLI or raw SQL runs
    return problems


def _fields(row: dict) -> dict:
    return {name: row[name] for name in HASHED_FIELDS}


def _rewrite(app, db, *, start: int, edit: dict, sign) -> None:
    """What someone with only the database can do: change row `start`, then
    recompute every hash from there on so the links hold again."""
    url = app.config["DATABASE_URL"]
    drop_trigger(url, "audit_events", "audit_events_no_update")
    rows = _rows(db)
    prev = rows[start - 2]["hash"] if start > 1 else GENESIS
    for row in rows[start - 1:]:
        fields = _fields(row)
        if row["id"] == start:
            fields.update(edit)
        fields["prev_hash"] = prev
        new_hash = sign(fields)
        raw_execute(url, "UPDATE audit_events SET detail = :d, prev_hash = :p, hash = :h "
                    "WHERE id = :id", d=json.dumps(fields["detail"]), p=prev, h=new_hash,
                    id=row["id"])
        prev = new_hash
    db.expire_all()


def test_an_edit_with_the_hashes_recomputed_without_the_key_is_found(app, db):
    _events(db, 3)
    _rewrite(app, db, start=2, edit={"detail": {"n": 99}}, sign=chain_hash)
    problems = _verify(db)
    assert "event 2: not signed with the audit key, after signed events " \
        "(rewritten without the key)" in problems
    assert any(p.startswith("event 3: not signed") for p in problems)


def test_rewriting_the_whole_log_without_the_key_is_found(app, db):
    _events(db, 3)
    _rewrite(app, db, start=1, edit={"detail": {"n": 99}}, sign=chain_hash)
    problems = _verify(db)
    assert len(problems) == 1 and "none of the 3 events is signed" in problems[0]


def test_a_chain_signed_with_another_key_is_altered(app, db):
    _events(db, 2)
    _rewrite(app, db, start=1, edit={"detail": {"n": 5}},
             sign=lambda fields: keyed_hash(fields, b"a guessed key"))
    assert _verify(db) == [
        "event 1: hash does not match its contents (altered)",
        "event 2: hash does not match its contents (altered)",
    ]


def test_cli_rewrite_without_the_key_fails_verify(app, db, runner):
    _events(db, 3)
    _rewrite(app, db, start=3, edit={"detail": {"n": 7}}, sign=chain_hash)
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "event 3: not signed with the audit key" in result.output


def test_removed_newest_rows_are_found_with_the_kept_head(app, db, runner):
    _events(db, 3)
    kept = runner.invoke(main, ["audit", "head"])
    assert kept.exit_code == 0, kept.output
    head_hash = kept.output.split()[0]
    assert head_hash == audit.head(db)[1]
    db.rollback()
    _events(db, 1)  # the log grows after the head was kept: still fine
    grown = runner.invoke(main, ["audit", "verify", "--expect-head", head_hash])
    assert grown.exit_code == 0, grown.output
    assert "kept head is in the log" in grown.output

    url = app.config["DATABASE_URL"]
    drop_trigger(url, "audit_events", "audit_events_no_delete")
    raw_execute(url, "DELETE FROM audit_events WHERE id >= 3")
    # The shorter chain is intact on its own ...
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0
    # ... but the kept head is gone.
    cut = runner.invoke(main, ["audit", "verify", "--expect-head", head_hash])
    assert cut.exit_code == 1
    assert f"the kept head {head_hash} is not in the log" in cut.output


def test_expect_head_must_look_like_a_hash(app, db, runner):
    _events(db, 1)
    result = runner.invoke(main, ["audit", "verify", "--expect-head", "not-a-hash"])
    assert result.exit_code == 2 and "64 hex digits" in result.output


def test_head_of_an_empty_log_is_an_error(runner):
    result = runner.invoke(main, ["audit", "head"])
    assert result.exit_code == 1 and "empty" in result.output


def _legacy_rows(db, count: int) -> None:
    """Rows as the log wrote them before it had a key: a plain SHA-256 chain."""
    prev = GENESIS
    for n in range(1, count + 1):
        event = AuditEvent(id=n, at=audit._now(), actor_id=None, actor_label="system",
                           action="legacy", intake_id=None, detail={"n": n}, ip=None,
                           prev_hash=prev)
        event.hash = chain_hash({name: getattr(event, name) for name in HASHED_FIELDS})
        db.add(event)
        db.flush()
        prev = event.hash
    db.commit()


def test_legacy_rows_then_keyed_rows_verify(app, db, runner):
    _legacy_rows(db, 3)
    _events(db, 2)
    assert _verify(db) == []
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Events 1 to 3 predate the audit key" in result.output


def test_editing_a_legacy_row_breaks_the_link_to_the_first_keyed_row(app, db):
    _legacy_rows(db, 3)
    _events(db, 1)
    url = app.config["DATABASE_URL"]
    drop_trigger(url, "audit_events", "audit_events_no_update")
    rows = _rows(db)[:3]
    prev = rows[0]["hash"]
    for row in rows[1:]:  # rewrite rows 2 and 3 as a valid legacy chain
        fields = _fields(row) | {"prev_hash": prev}
        if row["id"] == 2:
            fields["detail"] = {"n": 42}
        new_hash = chain_hash(fields)
        raw_execute(url, "UPDATE audit_events SET detail = :d, prev_hash = :p, hash = :h "
                    "WHERE id = :id", d=json.dumps(fields["detail"]), p=prev, h=new_hash,
                    id=row["id"])
        prev = new_hash
    db.expire_all()
    assert _verify(db) == ["event 4: prev_hash does not match the event before"]


def test_db_upgrade_starts_the_keyed_chain_after_legacy_rows(app, db, runner):
    _legacy_rows(db, 2)
    assert "none of the 2 events is signed" in _verify(db)[0]
    result = runner.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "signed with the audit key from here on" in result.output
    assert _verify(db) == []
    assert _rows(db)[-1]["action"] == "audit.keyed"
    again = runner.invoke(main, ["db", "upgrade"])  # nothing more to do
    assert "signed with the audit key" not in again.output
    assert len(_rows(db)) == 3


def test_a_session_without_the_key_cannot_write_the_log(app):
    from sqlalchemy.orm import Session

    with Session(app.extensions["intake_engine"]) as session, \
            pytest.raises(audit.AuditKeyMissing):
        audit.record(session, action="test", actor_id=None)


def test_the_audit_key_is_required_outside_development(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_SECRET_KEY", "x" * 40)
    monkeypatch.delenv("INTAKE_AUDIT_KEY", raising=False)
    monkeypatch.setenv("INTAKE_ENV", "production")
    with pytest.raises(ConfigError, match="INTAKE_AUDIT_KEY"):
        load_config(str(tmp_path))
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "k" * 40)
    assert load_config(str(tmp_path))["AUDIT_KEY"] == "k" * 40


def test_development_makes_an_owner_only_key_file_once(tmp_path, monkeypatch):
    monkeypatch.delenv("INTAKE_AUDIT_KEY", raising=False)
    monkeypatch.setenv("INTAKE_ENV", "development")
    first = load_config(str(tmp_path))["AUDIT_KEY"]
    assert first == load_config(str(tmp_path))["AUDIT_KEY"] and len(first) >= 32
    mode = stat.S_IMODE(os.stat(tmp_path / "audit-key").st_mode)
    assert mode == 0o600
    assert first != load_config(str(tmp_path))["SECRET_KEY"]
