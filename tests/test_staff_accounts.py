"""Staff accounts: passwords, sign-in, session limits, admin actions, CLI.

Signing out and throttling: test_staff_sessions.py, test_sign_in_throttle.py."""

from __future__ import annotations

import pytest

from intake.cli import main
from intake.models import AuditEvent, StaffUser
from intake.operations import accounts
from intake.passwords import generate_password, password_problems
from intake.staff import auth as staff_auth

STRONG = "staff-test-password-42"


@pytest.fixture
def nocsrf(app):
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("password", [
    "short", "password1234", "qwerty123456", "Sunshine2024!!", "monkeymonkey",
    "aaaaaaaaaaaaaaaa", "!!!!password!!", "intakeintake",
])
def test_weak_passwords_are_refused(password):
    assert password_problems(password) != []


@pytest.mark.parametrize("password", [
    "abcdefghijkl", "qwertyuiopas", "asdfghjkl;lk", "zaq12wsxcde3", "1qaz2wsx3edc4rfv",
    "mnbvcxzlkjhg", "123456789abc",
])
def test_sequences_and_keyboard_runs_are_refused(password):
    [problem] = password_problems(password)
    assert "too easy to guess" in problem or "too common" in problem


def test_the_email_and_the_clinic_name_are_refused():
    person = {"email": "jordan.smith@example.org", "name": "Jordan Smith",
              "clinic": "Harbourside Physiotherapy"}
    for password in ("jordan.smith@example.org", "Harbourside Physiotherapy",
                     "harboursidephysio1", "jordansmith2024!", "Harbourside-2026-x"):
        assert password_problems(password, **person) != [], password
    assert password_problems("brisk-otter-lantern", **person) == []


def test_the_strength_message_says_what_is_wrong():
    [problem] = password_problems("abcdefghijkl")
    assert 'Sequences like "abc"' in problem and "unrelated words" in problem


def test_new_password_checks_use_the_clinics_name(db, clinic, make_staff, client, auth):
    user = make_staff(email="p@example.org")
    with pytest.raises(accounts.AccountError, match="clinic's name"):
        accounts.set_password(db, user, "Test Clinic Test Clinic 2026", actor_id=user.id)
    db.rollback()
    with pytest.raises(accounts.AccountError, match="clinic's name"):
        accounts.create_user(db, email="q@example.org", role="practitioner",
                             password="testclinic!!2026ab")
    db.rollback()


def test_a_refused_new_password_is_said_next_to_its_field(client, auth, make_staff, nocsrf):
    make_staff(email="p@example.org")
    auth.login("p@example.org")
    page = client.post("/staff/account/password", data={
        "current": STRONG, "new": "abcdefghijkl", "repeat": "abcdefghijkl"})
    text = page.get_data(as_text=True)
    message = text.index("too easy to guess")
    assert text.index('id="new"') < message < text.index('id="repeat"')


def test_name_and_email_do_not_make_a_password():
    assert password_problems("jordan.smith1", email="jordan.smith@example.org") != []
    assert password_problems("brisk-otter-lantern") == []


def test_generated_passwords_are_acceptable_and_differ():
    first, second = generate_password(), generate_password()
    assert first != second and password_problems(first) == []


def test_passwords_are_stored_as_argon2id(db, make_staff):
    user = make_staff()
    assert user.password_hash.startswith("$argon2id$")
    assert STRONG not in user.password_hash


def test_there_is_no_default_account(db):
    assert db.query(StaffUser).count() == 0


def test_sign_in_and_out(client, auth, make_staff):
    make_staff(email="p@example.org")
    assert client.get("/staff/").status_code == 302
    response = auth.login("P@Example.org ")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    auth.logout()
    assert client.get("/staff/").status_code == 302


def test_session_cookie_flags(client, auth, make_staff, app):
    make_staff(email="p@example.org")
    response = auth.login("p@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is False  # tests run over http
    assert staff_auth.login_manager.session_protection == "strong"


def test_secure_cookie_outside_development(monkeypatch, tmp_path):
    from intake.config import load_config

    monkeypatch.setenv("INTAKE_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "a" * 40)
    monkeypatch.setenv("INTAKE_ENV", "production")
    assert load_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is True


def test_next_parameter_cannot_redirect_off_site(client, make_staff, nocsrf):
    make_staff(email="p@example.org")
    response = client.post("/staff/login?next=https://evil.example/x",
                           data={"email": "p@example.org", "password": STRONG})
    assert response.headers["Location"] == "/staff/"
    client.post("/staff/logout")
    response = client.post("/staff/login?next=/staff/rules",
                           data={"email": "p@example.org", "password": STRONG})
    assert response.headers["Location"] == "/staff/rules"


def test_unknown_and_wrong_give_the_same_message(client, auth, make_staff):
    make_staff(email="p@example.org")
    unknown = auth.login("nobody@example.org").get_data(as_text=True)
    wrong = auth.login("p@example.org", "wrong-password-123").get_data(as_text=True)
    assert "Sign-in failed" in unknown and "Sign-in failed" in wrong


def test_idle_timeout_signs_out(client, auth, make_staff, monkeypatch, app, db):
    make_staff(email="p@example.org")
    clock = [1_000_000.0]
    monkeypatch.setattr(staff_auth, "now", lambda: clock[0])
    auth.login("p@example.org")
    clock[0] += 14 * 60
    assert client.get("/staff/").status_code == 200  # activity restarts the idle clock
    clock[0] += 14 * 60
    assert client.get("/staff/").status_code == 200
    clock[0] += app.config["IDLE_TIMEOUT"].total_seconds() + 1
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert client.get("/staff/").status_code == 302
    assert db.query(AuditEvent).filter_by(action="auth.timeout").count() == 1


def test_absolute_session_lifetime(client, auth, make_staff, monkeypatch, app):
    make_staff(email="p@example.org")
    clock = [1_000_000.0]
    monkeypatch.setattr(staff_auth, "now", lambda: clock[0])
    auth.login("p@example.org")
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    while clock[0] < 1_000_000.0 + lifetime - 600:
        clock[0] += 600
        assert client.get("/staff/").status_code == 200
    clock[0] += 601
    assert client.get("/staff/").status_code == 302


def test_change_password_needs_the_current_one(client, auth, make_staff, nocsrf, db):
    make_staff(email="p@example.org")
    auth.login("p@example.org")
    bad = client.post("/staff/account/password", data={
        "current": "not-my-password", "new": "brisk-otter-lantern",
        "repeat": "brisk-otter-lantern"})
    assert bad.status_code == 200 and "not right" in bad.get_data(as_text=True)
    weak = client.post("/staff/account/password", data={
        "current": STRONG, "new": "password1234", "repeat": "password1234"})
    assert "too common" in weak.get_data(as_text=True)
    ok = client.post("/staff/account/password", data={
        "current": STRONG, "new": "brisk-otter-lantern", "repeat": "brisk-otter-lantern"})
    assert ok.status_code == 302
    assert client.get("/staff/").status_code == 200  # this session continues
    db.expire_all()
    assert accounts.sign_in(db, "p@example.org", "brisk-otter-lantern").user is not None


def test_password_change_ends_other_sessions(app, make_staff, db):
    user = make_staff(email="p@example.org")
    from staff_helpers import AuthActions

    other = app.test_client()
    AuthActions(other).login("p@example.org")
    assert other.get("/staff/").status_code == 200
    accounts.set_password(db, user, "brisk-otter-lantern", actor_id=user.id)
    db.commit()
    assert other.get("/staff/").status_code == 302


def test_admin_creates_resets_and_deactivates(client, auth, make_staff, nocsrf, db, app):
    make_staff(role="admin", email="admin@example.org")
    auth.login("admin@example.org")
    page = client.post("/staff/admin/users/new", data={
        "email": "new@example.org", "name": "New Person", "role": "front_desk"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    import re

    temporary = re.search(r'id="temp-password" type="text" readonly value="([^"]+)"', text)[1]
    user = db.query(StaffUser).filter_by(email="new@example.org").one()
    assert user.must_change_password and user.role == "front_desk"
    user_id = user.id
    db.rollback()  # each transaction holds SQLite's write lock: end it before requests

    # The new person must change the temporary password before anything else.
    other = app.test_client()
    from staff_helpers import AuthActions

    response = AuthActions(other).login("new@example.org", temporary)
    assert response.headers["Location"] == "/staff/account/password"
    assert other.get("/staff/").headers["Location"] == "/staff/account/password"

    reset = client.post(f"/staff/admin/users/{user_id}/reset")
    assert reset.status_code == 200 and "Temporary password" in reset.get_data(as_text=True)
    assert other.get("/staff/account/password").status_code == 302  # old session ended

    client.post(f"/staff/admin/users/{user_id}/active", data={"active": "0"})
    db.refresh(user)
    assert user.active is False
    assert accounts.sign_in(db, "new@example.org", temporary).user is None
    actions = {e.action for e in db.query(AuditEvent)}
    assert {"account.create", "account.password_reset", "account.deactivate"} <= actions


def test_admin_cannot_deactivate_themselves(client, auth, make_staff, nocsrf, db):
    admin = make_staff(role="admin", email="admin@example.org")
    auth.login("admin@example.org")
    client.post(f"/staff/admin/users/{admin.id}/active", data={"active": "0"})
    db.refresh(admin)
    assert admin.active


def test_cli_user_create_with_generated_password(runner, db):
    result = runner.invoke(main, ["user", "create", "--email", "Admin@Example.org",
                                  "--role", "admin", "--name", "Ada", "--generate"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].strip()
    signed_in = accounts.sign_in(db, "admin@example.org", password).user
    assert signed_in is not None
    assert signed_in.must_change_password  # printed once, so changed at first sign-in


def test_cli_user_create_prompts_twice_and_checks_strength(runner, db):
    weak = runner.invoke(main, ["user", "create", "--email", "a@example.org", "--role",
                                "practitioner"], input="password1234\npassword1234\n")
    assert weak.exit_code != 0 and "too common" in weak.output
    ok = runner.invoke(main, ["user", "create", "--email", "a@example.org", "--role",
                              "practitioner"], input="brisk-otter-lantern\nbrisk-otter-lantern\n")
    assert ok.exit_code == 0, ok.output
    assert "brisk-otter-lantern" not in ok.output


def test_cli_set_password(runner, db, make_staff):
    make_staff(email="p@example.org")
    result = runner.invoke(main, ["user", "set-password", "p@example.org", "--generate"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].strip()
    db.expire_all()
    user = accounts.sign_in(db, "p@example.org", password).user
    assert user is not None and user.must_change_password
    db.commit()
    missing = runner.invoke(main, ["user", "set-password", "x@example.org", "--generate"])
    assert missing.exit_code != 0 and "No staff account" in missing.output


def test_demo_prints_a_working_random_login(runner, db):
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    login = first.output.split("Demo login:")[1].splitlines()[0].strip()
    assert login.endswith("(practitioner)")
    email, password = login.removesuffix("(practitioner)").strip().split(" / ")
    assert accounts.sign_in(db, email, password).user is not None
    # the link says whose it is and when, and how to get an admin login
    assert "for Sam Sample (demo), appointment " in first.output
    assert "--role admin --generate" in first.output
    db.commit()  # every transaction holds SQLite's write lock: end it before the CLI runs
    again = runner.invoke(main, ["demo", "--refresh"])
    new_login = again.output.split("Demo login:")[1].splitlines()[0]
    new_password = new_login.removesuffix("(practitioner)").strip().split(" / ")[1]
    assert new_password != password


def test_demo_seeds_flagged_intakes_for_today(runner, db):
    from intake.models import Intake

    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    from intake.demo_visits import COURSE_NAME

    submitted = [i for i in db.query(Intake).filter(Intake.is_submitted.is_(True))
                 if i.patient.display_name != COURSE_NAME]  # the returning patient's 4 visits
    assert len(submitted) == 4
    assert sorted(i.worst_rank for i in submitted) == [0, 2, 3, 6]
