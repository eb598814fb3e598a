"""The one store for "show once" (intake.operations.shown_once): bound to its
owner, purpose and intake, sealed at rest, taken once (also by two at a time,
on SQLite and on PostgreSQL), expired and swept within minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from concurrency import WAIT_SECONDS, StatementWatch, run_in_thread
from sqlalchemy import select, update

from intake.models import AuditEvent, ShownOnce, utcnow
from intake.operations import shown_once

SECRET = "test secret key"
NOTE = "Calf swollen, warm and tender since Tuesday"


def _keep(db, owner, intake_id, *, purpose=shown_once.REFUSED_FORM, name="", now=None,
          payload=None, secret=SECRET):
    shown_once.keep(db, secret_key=secret, purpose=purpose, owner=owner, intake_id=intake_id,
                    name=name, payload=payload or {"note": NOTE}, now=now)


def _take(db, owner, intake_id, *, purpose=shown_once.REFUSED_FORM, now=None, secret=SECRET):
    return shown_once.take(db, secret_key=secret, purpose=purpose, owner=owner,
                           intake_id=intake_id, now=now)


@pytest.fixture
def two_intakes(make_invite, db):
    first, _ = make_invite(name="First")
    second, _ = make_invite(name="Second")
    db.commit()
    return first.id, second.id


def test_what_is_kept_is_taken_once_and_then_gone(db, two_intakes):
    intake_id, _ = two_intakes
    me = shown_once.staff(7)
    _keep(db, me, intake_id, name="decision-3")
    _keep(db, me, intake_id, name="sign_off", payload={"errors": ["Tick the box."]})
    assert shown_once.waiting(db, purpose=shown_once.REFUSED_FORM, owner=me,
                              intake_id=intake_id)
    assert _take(db, me, intake_id) == {"decision-3": {"note": NOTE},
                                        "sign_off": {"errors": ["Tick the box."]}}
    assert _take(db, me, intake_id) == {}
    assert not shown_once.waiting(db, purpose=shown_once.REFUSED_FORM, owner=me,
                                  intake_id=intake_id)
    assert db.scalars(select(ShownOnce)).all() == []
    assert db.scalars(select(AuditEvent)).all() == []  # not part of the record


def test_a_second_keep_replaces_the_first(db, two_intakes):
    intake_id, _ = two_intakes
    _keep(db, "staff:1", intake_id, payload={"note": "first"})
    _keep(db, "staff:1", intake_id, payload={"note": "second"})
    assert db.query(ShownOnce).count() == 1
    assert _take(db, "staff:1", intake_id) == {"": {"note": "second"}}


@pytest.mark.parametrize("other", ["user", "browser", "purpose", "intake", "no intake"])
def test_another_owner_purpose_or_intake_gets_nothing(db, two_intakes, other):
    intake_id, second_id = two_intakes
    handle = shown_once.new_handle()
    _keep(db, shown_once.staff(1), intake_id)
    _keep(db, shown_once.browser(handle), None, purpose=shown_once.RESUME_CODE)
    owner, purpose, target = {
        "user": (shown_once.staff(2), shown_once.REFUSED_FORM, intake_id),
        "browser": (shown_once.browser(shown_once.new_handle()), shown_once.RESUME_CODE, None),
        "purpose": (shown_once.staff(1), shown_once.INVITE_LINK, intake_id),
        "intake": (shown_once.staff(1), shown_once.REFUSED_FORM, second_id),
        "no intake": (shown_once.staff(1), shown_once.REFUSED_FORM, None),
    }[other]
    assert _take(db, owner, target, purpose=purpose) == {}
    # what was kept still waits for its own owner
    assert _take(db, shown_once.staff(1), intake_id) == {"": {"note": NOTE}}
    assert _take(db, shown_once.browser(handle), None,
                 purpose=shown_once.RESUME_CODE) == {"": {"note": NOTE}}


def test_an_expired_row_is_not_given_and_is_deleted(db, two_intakes):
    intake_id, _ = two_intakes
    _keep(db, "staff:1", intake_id, now=utcnow() - shown_once.KEEP_FOR - timedelta(seconds=1))
    assert not shown_once.waiting(db, purpose=shown_once.REFUSED_FORM, owner="staff:1",
                                  intake_id=intake_id)
    assert _take(db, "staff:1", intake_id) == {}
    assert db.query(ShownOnce).count() == 0
    # just inside the time it keeps, it is still there
    _keep(db, "staff:1", intake_id)
    later = utcnow() + shown_once.KEEP_FOR - timedelta(seconds=5)
    assert _take(db, "staff:1", intake_id, now=later) == {"": {"note": NOTE}}


def test_every_keep_sweeps_every_expired_row(db, two_intakes):
    intake_id, second_id = two_intakes
    old = utcnow() - timedelta(hours=2)
    for n in range(5):
        _keep(db, shown_once.staff(n), intake_id, now=old)
    _keep(db, shown_once.browser("h"), None, purpose=shown_once.RESUME_CODE, now=old)
    _keep(db, shown_once.staff(99), second_id)  # someone else's write sweeps them
    assert [row.owner for row in db.scalars(select(ShownOnce))] == [shown_once.staff(99)]
    assert shown_once.sweep(db) == 0


def test_the_payload_is_sealed_at_rest_and_for_its_own_row(db, two_intakes):
    intake_id, second_id = two_intakes
    token = "a-link-token-that-must-never-sit-readable"
    _keep(db, "staff:1", intake_id, purpose=shown_once.INVITE_LINK, payload={"token": token})
    row = db.scalars(select(ShownOnce)).one()
    assert token not in row.payload and "token" not in row.payload
    # moved to another owner or intake in the database, it opens for nobody
    db.execute(update(ShownOnce).values(owner="staff:2", intake_id=second_id))
    assert _take(db, "staff:2", second_id, purpose=shown_once.INVITE_LINK) == {}
    assert db.query(ShownOnce).count() == 0


def test_a_changed_secret_key_shows_nothing_and_removes_it(db, two_intakes):
    intake_id, _ = two_intakes
    _keep(db, "staff:1", intake_id)
    assert _take(db, "staff:1", intake_id, secret="rotated") == {}
    assert db.query(ShownOnce).count() == 0


def test_an_unknown_purpose_is_refused(db, two_intakes):
    with pytest.raises(ValueError, match="unknown shown-once purpose"):
        _keep(db, "staff:1", two_intakes[0], purpose="anything")


def test_a_browser_owner_keeps_only_a_hash_of_the_handle(db):
    handle = shown_once.new_handle()
    assert len(handle) >= 32
    owner = shown_once.browser(handle)
    assert handle not in owner and owner == shown_once.browser(handle)
    assert owner != shown_once.browser(shown_once.new_handle())


def test_two_takes_at_once_one_wins(app, db, two_intakes):
    """The first take holds its delete uncommitted until the second is seen waiting
    for it; the second then finds nothing (SQLite's write lock, PostgreSQL's row lock)."""
    intake_id, _ = two_intakes
    _keep(db, "staff:1", intake_id)
    db.commit()
    maker = app.extensions["intake_sessionmaker"]
    watch = StatementWatch(app.extensions["intake_engine"])
    first = maker()
    try:
        won = _take(first, "staff:1", intake_id)

        def second_take():
            with maker() as second:
                found = _take(second, "staff:1", intake_id)
                second.commit()
                return found

        thread, out = run_in_thread(second_take)
        with watch.cond:
            assert watch.cond.wait_for(lambda: _waiting(watch, thread.ident),
                                       timeout=WAIT_SECONDS), watch.in_flight
        first.commit()
        thread.join(WAIT_SECONDS)
    finally:
        first.close()
        watch.close()
    assert "error" not in out, out
    assert won == {"": {"note": NOTE}} and out["result"] == {}
    assert db.query(ShownOnce).count() == 0


def _waiting(watch: StatementWatch, ident: int | None) -> bool:
    """The thread is inside its BEGIN IMMEDIATE (SQLite) or its DELETE (PostgreSQL)."""
    statement = " ".join(watch.in_flight.get(ident, "").split()).upper()
    return statement == "BEGIN IMMEDIATE" or statement.startswith("DELETE FROM SHOWN_ONCE")
