"""Turning one's own two-factor sign-in off on the account page: the password
and a current code or recovery code, the clinic's requirement, the other
sessions, the audit, CSRF and rate limits."""

from __future__ import annotations

import pytest
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
    signed_in,
    still_enrolled,
)

from intake.models import AuditEvent, RecoveryCode, StaffSession
from intake.operations import twofactor

PAGE = "/staff/account/two-factor"
TURN_OFF = "/staff/account/two-factor/turn-off"
PASSWORD = "staff-test-password-42"


def turn_off(client, code: str, password: str = PASSWORD):
    """Post the account page's turn-off form (its fields are prefixed "off-")."""
    return post(client, TURN_OFF, token_from=PAGE, token_name="off-csrf_token",
                **{"off-password": password, "off-code": code})


def signed_in_with_a_code(client, make_staff, db, key, *, role: str = "practitioner",
                          required: bool = False) -> tuple[int, str, list[str]]:
    """An enrolled account, signed in on `client` with T0's code (the clinic requiring
    two-factor if `required`); its id, secret and recovery codes."""
    user = make_staff(role=role, email="p@example.org")
    secret, codes = enrol(db, user, key)
    user_id = user.id
    require(db, required)
    AuthActions(client).login("p@example.org")
    assert post(client, "/staff/login/code", code=code_at(secret)).status_code == 302
    return user_id, secret, codes


@pytest.mark.parametrize("role", ["front_desk", "practitioner", "admin"])
def test_turning_it_off_with_a_code_ends_the_other_sessions(app, make_staff, db, clock, key,
                                                            role):
    user = make_staff(role=role, email="p@example.org")
    bystander = make_staff(role="front_desk", email="b@example.org")
    secret, _ = enrol(db, user, key)
    user_id, bystander_id = user.id, bystander.id
    db.rollback()
    other = signed_in(app, "p@example.org", secret, T0 - 30)
    theirs = signed_in(app, "b@example.org")
    here = signed_in(app, "p@example.org", secret)
    page = here.get(PAGE).get_data(as_text=True)
    assert 'action="/staff/account/two-factor/turn-off"' in page
    assert 'id="off-password"' in page and 'id="off-code"' in page and 'id="code"' in page

    done = turn_off(here, code_at(secret, T0 + 30))
    assert done.status_code == 302 and done.headers["Location"] == PAGE
    shown = here.get(PAGE).get_data(as_text=True)
    assert "turned off" in shown and "Your other session has ended." in shown
    assert "Set up two-factor sign-in" in shown
    assert here.get("/staff/").status_code == 200  # this browser goes on
    assert other.get("/staff/").headers["Location"].startswith("/staff/login")
    assert theirs.get("/staff/").status_code == 200  # another person's session is theirs
    db.expire_all()
    assert twofactor.enrolment(db, user_id) is None
    assert db.query(RecoveryCode).filter_by(user_id=user_id).count() == 0
    assert db.query(StaffSession).filter_by(user_id=bystander_id, ended_at=None).count() == 1
    db.rollback()
    (row,) = events(db, "account.two_factor_off")
    assert row.actor_id == user_id
    assert row.detail == {"user_id": user_id, "method": "code", "sessions_ended": 1}
    # The password alone signs in now.
    again = app.test_client()
    assert AuthActions(again).login("p@example.org").headers["Location"] == "/staff/"
    assert events(db, "auth.login")[-1].detail == {"method": "password"}


def test_a_recovery_code_turns_it_off_too(app, client, auth, make_staff, db, clock, key):
    user_id, secret, codes = signed_in_with_a_code(client, make_staff, db, key)
    done = turn_off(client, codes[4].upper())
    assert done.status_code == 302
    assert not still_enrolled(db, user_id)
    (row,) = events(db, "account.two_factor_off")
    assert row.detail == {"user_id": user_id, "method": "recovery_code", "sessions_ended": 0}
    assert "0 other" not in client.get(PAGE).get_data(as_text=True)


def test_a_wrong_password_is_refused_and_spends_no_code(client, auth, make_staff, db, clock,
                                                        key):
    user_id, secret, _ = signed_in_with_a_code(client, make_staff, db, key)
    refused = turn_off(client, code_at(secret, T0 + 30), password="not-my-password-9")
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert 'id="off-password-error"' in page and "password is not right" in page
    assert 'aria-invalid="true"' in page
    assert still_enrolled(db, user_id)
    (check,) = events(db, "auth.password_check_failed")
    assert check.detail == {"failures": 1, "session_ended": False,
                            "purpose": "turn_off_two_factor"}
    # The code was not spent on the refused try: it works with the right password.
    assert turn_off(client, code_at(secret, T0 + 30)).status_code == 302
    assert not still_enrolled(db, user_id)
    logged = repr([(e.action, e.detail) for e in db.query(AuditEvent)])
    assert "not-my-password-9" not in logged and code_at(secret, T0 + 30) not in logged


def test_three_wrong_passwords_end_the_session(client, auth, make_staff, db, clock, key):
    user_id, _, _ = signed_in_with_a_code(client, make_staff, db, key)
    assert turn_off(client, "123456", password="wrong-1-password").status_code == 200
    assert turn_off(client, "123456", password="wrong-2-password").status_code == 200
    last = turn_off(client, "123456", password="wrong-3-password")
    assert last.headers["Location"] == "/staff/login"
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")
    assert still_enrolled(db, user_id)


@pytest.mark.parametrize("typed, reason", [("000000", "wrong_code"), ("aaaaa-aaaaa", "wrong_code"),
                                           ("12ab", "malformed")])
def test_a_wrong_code_is_refused_next_to_its_field(client, auth, make_staff, db, clock, key,
                                                   typed, reason):
    user_id, secret, _ = signed_in_with_a_code(client, make_staff, db, key)
    refused = turn_off(client, typed)
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert 'id="off-code-error"' in page and "not right" in page
    assert 'id="off-password-error"' not in page
    assert still_enrolled(db, user_id)
    (failed,) = events(db, "auth.two_factor_failed")
    assert failed.detail == {"user_id": user_id, "purpose": "turn_off", "reason": reason}
    assert events(db, "account.two_factor_off") == []


def test_the_code_that_signed_in_cannot_turn_it_off(client, auth, make_staff, db, clock, key):
    user_id, secret, codes = signed_in_with_a_code(client, make_staff, db, key)
    replayed = turn_off(client, code_at(secret))
    assert replayed.status_code == 200 and "already used" in replayed.get_data(as_text=True)
    assert events(db, "auth.two_factor_failed")[-1].detail["reason"] == "replayed"
    # A recovery code used once is spent as well.
    client.post("/staff/logout", data={"csrf_token": AuthActions(client).csrf_token("/staff/")})
    auth.login("p@example.org")
    post(client, "/staff/login/recovery", code=codes[0])
    assert "already used" in turn_off(client, codes[0]).get_data(as_text=True)
    assert still_enrolled(db, user_id)


@pytest.mark.parametrize("role", ["practitioner", "admin"])
def test_refused_while_the_clinic_requires_it_for_the_role(client, auth, make_staff, db,
                                                           clock, key, role):
    user_id, secret, _ = signed_in_with_a_code(client, make_staff, db, key, role=role,
                                               required=True)
    page = client.get(PAGE).get_data(as_text=True)
    assert "requires two-factor sign-in for your role" in page
    assert 'action="/staff/account/two-factor/turn-off"' not in page
    refused = turn_off(client, code_at(secret, T0 + 30))
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert 'id="off-password-error"' in text and "cannot be turned off" in text
    assert still_enrolled(db, user_id)
    # Refused before anything was checked: no code spent, no password counted.
    assert events(db, "auth.two_factor_failed") == []
    assert events(db, "auth.password_check_failed") == []
    assert events(db, "account.two_factor_off") == []


def test_front_desk_may_turn_it_off_when_the_clinic_requires_it(client, auth, make_staff, db,
                                                                clock, key):
    user_id, secret, _ = signed_in_with_a_code(client, make_staff, db, key, role="front_desk",
                                               required=True)
    assert 'action="/staff/account/two-factor/turn-off"' in client.get(PAGE).get_data(
        as_text=True)
    assert turn_off(client, code_at(secret, T0 + 30)).status_code == 302
    assert not still_enrolled(db, user_id)
    assert client.get("/staff/").status_code == 200


def test_nothing_to_turn_off_without_an_enrolment(client, auth, make_staff, db):
    make_staff(email="p@example.org")
    auth.login("p@example.org")
    assert 'turn-off' not in client.get(PAGE).get_data(as_text=True)
    refused = post(client, TURN_OFF, token_from=PAGE, token_name="off-csrf_token",
                   **{"off-password": PASSWORD, "off-code": "123456"})
    assert refused.headers["Location"] == PAGE
    assert "is not set up for your account" in client.get(PAGE).get_data(as_text=True)
    assert events(db, "account.two_factor_off") == []
    assert events(db, "auth.password_check_failed") == []


def test_needs_csrf_a_signed_in_user_and_a_post(app, client, auth, make_staff, db, clock, key):
    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    user_id = user.id
    db.rollback()
    anonymous = app.test_client()
    assert anonymous.post(TURN_OFF, data={"off-password": PASSWORD}).status_code == 400
    assert anonymous.get(TURN_OFF).status_code == 405
    token = AuthActions(anonymous).csrf_token()
    response = anonymous.post(TURN_OFF, data={"off-csrf_token": token, "off-password": PASSWORD,
                                              "off-code": code_at(secret)})
    assert response.headers["Location"].startswith("/staff/login")
    auth.login("p@example.org")  # the password step only: not signed in yet
    pending = post(client, TURN_OFF, token_from="/staff/login/code",
                   token_name="off-csrf_token",
                   **{"off-password": PASSWORD, "off-code": code_at(secret)})
    assert pending.headers["Location"].startswith("/staff/login")
    post(client, "/staff/login/code", code=code_at(secret))
    forged = client.post(TURN_OFF, data={"off-password": PASSWORD,
                                         "off-code": code_at(secret, T0 + 30)})
    assert forged.status_code == 400
    assert still_enrolled(db, user_id)


def test_turn_off_posts_are_rate_limited(app, tmp_path, make_staff, db, clock):
    from intake import create_app
    from intake.config import test_config

    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, "test-secret-key-not-for-production")
    limited = create_app({**test_config(tmp_path), "DATABASE_URL": app.config["DATABASE_URL"],
                          "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "4 per minute"})
    try:
        client = limited.test_client()
        AuthActions(client).login("p@example.org")
        assert post(client, "/staff/login/code", code=code_at(secret)).status_code == 302
        statuses = [turn_off(client, "000000").status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
        assert client.get(PAGE).status_code == 200  # only the POST
    finally:
        limited.extensions["intake_engine"].dispose()


def test_the_form_and_its_refusals_are_in_french(client, make_staff, db, clock, key):
    from intake.models import StaffUser
    from intake.operations.accounts import set_language

    user_id, _, _ = signed_in_with_a_code(client, make_staff, db, key)
    set_language(db, db.get(StaffUser, user_id), "fr")
    db.commit()
    page = client.get(PAGE).get_data(as_text=True)
    assert "Désactiver la connexion à deux facteurs" in page and "Votre mot de passe" in page
    refused = turn_off(client, "000000").get_data(as_text=True)
    assert "Ce code n’est pas le bon" in refused
    require(db)
    assert "ne peut donc pas être désactivée" in client.get(PAGE).get_data(as_text=True)
