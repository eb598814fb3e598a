"""The sign-in audit says what happened: `auth.login` once, when the session
really starts; `auth.password_ok` for a right password that a second factor
must still follow; old rows (before the split) are still shown."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from staff_helpers import AuthActions
from twofactor_helpers import (  # noqa: F401  (fixtures: clock, key)
    T0,
    clock_fixture,
    code_at,
    enrol,
    events,
    key_fixture,
    post,
    require,
    shown_secret,
)

from intake import audit
from intake.models import AuditEvent, StaffUser
from intake.operations import sign_ins


def actions(db, since: int = 0) -> list[str]:
    """The sign-in actions of the log after event `since`, oldest first (ends the
    session's transaction)."""
    db.expire_all()
    rows = [e.action for e in db.query(AuditEvent).filter(AuditEvent.id > since)
            .order_by(AuditEvent.id) if e.action.startswith("auth.")]
    db.rollback()
    return rows


def enrolled(db, user, key) -> tuple[str, list[str], int]:
    """Enrol `user` (tests/twofactor_helpers.enrol); also the last event's id so far."""
    secret, codes = enrol(db, user, key)
    since = db.query(func.max(AuditEvent.id)).scalar()
    db.rollback()
    return secret, codes, since


def last_login(db, user_id: int):
    db.expire_all()
    value = db.get(StaffUser, user_id).last_login_at
    db.rollback()
    return value


@pytest.mark.parametrize("role", ["front_desk", "practitioner", "admin"])
def test_without_two_factor_the_password_is_the_sign_in(client, auth, make_staff, db, role):
    user = make_staff(role=role, email="p@example.org")
    assert auth.login("p@example.org").headers["Location"] == "/staff/"
    assert actions(db) == ["auth.login"]
    (login,) = events(db, "auth.login")
    assert login.actor_id == user.id and login.detail == {"method": "password"}
    assert last_login(db, user.id) is not None


@pytest.mark.parametrize("role", ["front_desk", "practitioner", "admin"])
def test_with_two_factor_the_session_starts_at_the_code(client, auth, make_staff, db, clock,
                                                        key, role):
    user = make_staff(role=role, email="p@example.org")
    secret, _, since = enrolled(db, user, key)
    auth.login("p@example.org")
    # The password alone: pending, not a sign-in.
    assert actions(db, since) == ["auth.password_ok"]
    (pending,) = events(db, "auth.password_ok")
    assert pending.actor_id == user.id
    assert pending.detail == {"second_factor": "pending", "next_step": "code"}
    assert last_login(db, user.id) is None
    post(client, "/staff/login/code", code=code_at(secret, T0 - 600))  # wrong
    assert events(db, "auth.login") == []
    assert post(client, "/staff/login/code", code=code_at(secret)).status_code == 302
    assert actions(db, since) == ["auth.password_ok", "auth.two_factor_failed", "auth.login"]
    (login,) = events(db, "auth.login")
    assert login.actor_id == user.id and login.detail == {"method": "code"}
    assert last_login(db, user.id) is not None


def test_a_recovery_code_starts_the_session_with_its_count(client, auth, make_staff, db,
                                                           clock, key):
    user = make_staff(email="p@example.org")
    _, codes, since = enrolled(db, user, key)
    auth.login("p@example.org")
    assert post(client, "/staff/login/recovery", code=codes[0]).status_code == 302
    assert actions(db, since) == ["auth.password_ok", "auth.login"]
    (login,) = events(db, "auth.login")
    assert login.detail == {"method": "recovery_code", "recovery_codes_left": 9}


def test_an_abandoned_second_step_is_no_sign_in(client, auth, make_staff, db, clock, key):
    user = make_staff(email="p@example.org")
    since = enrolled(db, user, key)[2]
    auth.login("p@example.org")
    clock[0] += 3600
    assert client.get("/staff/login/code").headers["Location"] == "/staff/login"
    assert actions(db, since) == ["auth.password_ok"]
    assert last_login(db, user.id) is None


def test_a_required_set_up_at_sign_in_is_one_sign_in(client, auth, make_staff, db, clock):
    user = make_staff(email="p@example.org")
    require(db)
    auth.login("p@example.org")
    (pending,) = events(db, "auth.password_ok")
    assert pending.detail == {"second_factor": "pending", "next_step": "set_up"}
    secret = shown_secret(client.get("/staff/two-factor/setup").get_data(as_text=True))
    post(client, "/staff/two-factor/setup", code=code_at(secret))
    assert client.get("/staff/").status_code == 200
    assert actions(db) == ["auth.password_ok", "auth.two_factor_enrolled", "auth.login"]
    (login,) = events(db, "auth.login")
    assert login.actor_id == user.id and login.detail == {"method": "code", "enrolled": True}


def test_setting_up_or_new_codes_while_signed_in_is_no_second_sign_in(client, auth,
                                                                      make_staff, db, clock):
    make_staff(email="p@example.org")
    auth.login("p@example.org")
    secret = shown_secret(client.get("/staff/two-factor/setup").get_data(as_text=True))
    post(client, "/staff/two-factor/setup", code=code_at(secret))
    post(client, "/staff/account/two-factor/recovery-codes", code=code_at(secret, T0 + 30),
         token_from="/staff/account/two-factor")
    assert actions(db) == ["auth.login", "auth.two_factor_enrolled",
                           "auth.recovery_codes_replaced"]


def test_a_wrong_password_is_neither(client, auth, make_staff, db, key):
    user = make_staff(email="p@example.org")
    since = enrolled(db, user, key)[2]
    auth.login("p@example.org", "not-the-password-1")
    assert actions(db, since) == ["auth.login_failed"]


def test_an_unknown_second_step_is_a_mistake(db, make_staff):
    with pytest.raises(ValueError, match="second step"):
        sign_ins.password_accepted(db, make_staff(), "sms")


def test_the_audit_page_shows_old_and_new_sign_in_rows(client, auth, make_staff, db, app):
    admin = make_staff(role="admin", email="a@example.org")
    # As written before the split: auth.login at the password, then the second factor.
    audit.record(db, action=sign_ins.LOGIN, actor_id=admin.id)
    audit.record(db, action=sign_ins.LEGACY_TWO_FACTOR_LOGIN, actor_id=admin.id,
                 detail={"user_id": admin.id, "method": "code"})
    db.commit()
    auth.login("a@example.org")
    page = client.get("/staff/admin/audit")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("<code>auth.login</code>") == 2
    assert "<code>auth.two_factor_login</code>" in text
    assert audit.verify(db) == []


def test_the_audit_page_reads_the_new_rows_in_french(app, make_staff, db, clock, key):
    from intake.operations.accounts import set_language

    user = make_staff(role="admin", email="a@example.org")
    set_language(db, user, "fr")
    db.commit()
    secret, _ = enrol(db, user, key)
    client = app.test_client()
    AuthActions(client).login("a@example.org")
    post(client, "/staff/login/code", code=code_at(secret))
    text = client.get("/staff/admin/audit").get_data(as_text=True)
    assert "<code>auth.password_ok</code>" in text and "<code>auth.login</code>" in text
    assert 'lang="fr"' in text
