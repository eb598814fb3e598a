"""Two-factor sign-in through the real pages: set-up, a code, a recovery code,
replays and wrong codes, the clinic's requirement, and an admin's reset."""

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
    shown_codes,
    shown_secret,
)

from intake.models import AuditEvent, Clinic, RecoveryCode, TwoFactorEnrolment
from intake.models.staff import StaffSession
from intake.operations import twofactor
from intake.staff import second_factor


def test_setting_up_shows_the_secret_once_and_stores_it_sealed(client, auth, make_staff, db,
                                                               clock, key):
    user = make_staff(email="p@example.org")
    auth.login("p@example.org")
    page = client.get("/staff/two-factor/setup").get_data(as_text=True)
    assert '<svg role="img" aria-label="QR code' in page
    secret = shown_secret(page)
    assert len(secret) == 32
    row = db.query(TwoFactorEnrolment).filter_by(user_id=user.id).one()
    assert secret not in row.secret_sealed and row.confirmed_at is None
    db.rollback()
    # Reloading shows the same pending secret; a wrong code does not enrol.
    assert shown_secret(client.get("/staff/two-factor/setup").get_data(as_text=True)) == secret
    wrong = post(client, "/staff/two-factor/setup", code="000000" if code_at(secret) != "000000"
                 else "111111")
    assert wrong.status_code == 200 and "not right" in wrong.get_data(as_text=True)
    done = post(client, "/staff/two-factor/setup", code=code_at(secret))
    assert done.status_code == 200
    codes = shown_codes(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    db.expire_all()
    assert db.query(TwoFactorEnrolment).filter_by(user_id=user.id).one().confirmed_at
    hashes = [r.code_hash for r in db.query(RecoveryCode).filter_by(user_id=user.id)]
    assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)
    db.rollback()
    # Never shown again: set-up sends to the account page, which has no secret.
    again = client.get("/staff/two-factor/setup")
    assert again.status_code == 302 and again.headers["Location"] == "/staff/account/two-factor"
    account = client.get("/staff/account/two-factor").get_data(as_text=True)
    assert secret not in account and "10 unused recovery codes" in account
    assert client.get("/staff/").status_code == 200  # this session goes on
    assert [e.detail["reason"] for e in events(db, "auth.two_factor_failed")] == ["wrong_code"]
    assert len(events(db, "auth.two_factor_enrolled")) == 1


def test_sign_in_needs_the_code_after_the_password(client, auth, make_staff, db, clock, key):
    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    response = auth.login("p@example.org")
    assert response.headers["Location"] == "/staff/login/code"
    # The password alone is not a session.
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")
    wrong = post(client, "/staff/login/code", code=code_at(secret, T0 - 600))
    assert wrong.status_code == 200 and "not right" in wrong.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    malformed = post(client, "/staff/login/code", code="12ab56")
    assert malformed.status_code == 200
    ok = post(client, "/staff/login/code", code=code_at(secret))
    assert ok.status_code == 302 and ok.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert [e.detail["reason"] for e in events(db, "auth.two_factor_failed")] == [
        "wrong_code", "malformed"]
    (login,) = events(db, "auth.login")
    assert login.actor_id == user.id and login.detail["method"] == "code"
    assert events(db, "auth.two_factor_login") == []


def test_the_next_parameter_survives_the_second_step(client, make_staff, db, clock, key):
    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    token = AuthActions(client).csrf_token()
    client.post("/staff/login?next=/staff/admin/users", data={
        "email": "p@example.org", "password": "staff-test-password-42", "csrf_token": token})
    ok = post(client, "/staff/login/code", code=code_at(secret))
    assert ok.headers["Location"] == "/staff/admin/users"


def test_a_code_counts_once_and_drift_is_small(app, client, auth, make_staff, db, clock, key):
    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    auth.login("p@example.org")
    assert post(client, "/staff/login/code", code=code_at(secret)).status_code == 302
    auth.logout()
    # The same code again, even 20 seconds later and still in its window: a replay.
    clock[0] += 20
    auth.login("p@example.org")
    replay = post(client, "/staff/login/code", code=code_at(secret))
    assert replay.status_code == 200 and "already used" in replay.get_data(as_text=True)
    assert events(db, "auth.two_factor_failed")[-1].detail["reason"] == "replayed"
    # A phone 30 seconds ahead is accepted; 90 seconds off is not.
    assert post(client, "/staff/login/code",
                code=code_at(secret, clock[0] + 90)).status_code == 200
    assert post(client, "/staff/login/code",
                code=code_at(secret, clock[0] + 30)).status_code == 302
    db.expire_all()
    # An older step after a newer one is a replay too.
    assert not twofactor.check_code(db, user, code_at(secret, clock[0] - 30), key=key,
                                    now=clock[0]).ok


def test_two_requests_with_one_code_only_one_passes(db, make_staff, key):
    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    first = twofactor.check_code(db, user, code_at(secret), key=key, now=T0)
    # The second request read the row before the first one's UPDATE.
    second = twofactor._consume(db, twofactor.enrolment(db, user.id), code_at(secret),
                                key=key, now=T0)
    assert first.ok and (second.ok, second.reason) == (False, "replayed")


def test_recovery_codes_work_once_each(app, client, auth, make_staff, db, clock, key):
    user = make_staff(email="p@example.org")
    _, codes = enrol(db, user, key)
    auth.login("p@example.org")
    wrong = post(client, "/staff/login/recovery", code="aaaaa-aaaaa")
    assert wrong.status_code == 200 and "not right" in wrong.get_data(as_text=True)
    ok = post(client, "/staff/login/recovery", code=codes[0].upper().replace("-", " "))
    assert ok.status_code == 302
    page = client.get(ok.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "9 of them left" in page
    auth.logout()
    auth.login("p@example.org")
    used = post(client, "/staff/login/recovery", code=codes[0])
    assert used.status_code == 200 and "already used" in used.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    assert post(client, "/staff/login/recovery", code=codes[1]).status_code == 302
    reasons = [e.detail["reason"] for e in events(db, "auth.two_factor_failed")]
    assert reasons == ["wrong_code", "wrong_code"]
    logins = events(db, "auth.login")
    assert [e.detail["recovery_codes_left"] for e in logins] == [9, 8]


def test_new_recovery_codes_replace_the_old(client, auth, make_staff, db, clock, key):
    user = make_staff(email="p@example.org")
    secret, old = enrol(db, user, key)
    auth.login("p@example.org")
    post(client, "/staff/login/code", code=code_at(secret))
    path = "/staff/account/two-factor"
    token = AuthActions(client).csrf_token(path)
    refused = client.post(f"{path}/recovery-codes", data={"code": code_at(secret),
                                                          "csrf_token": token})
    assert refused.status_code == 200 and "already used" in refused.get_data(as_text=True)
    made = client.post(f"{path}/recovery-codes", data={
        "code": code_at(secret, T0 + 30), "csrf_token": token})
    new = shown_codes(made.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert twofactor.use_recovery_code(db, user, old[0]) is None
    assert twofactor.use_recovery_code(db, user, new[0]) == 9
    assert len(events(db, "auth.recovery_codes_replaced")) == 1


def test_required_and_not_enrolled_goes_to_set_up_first(client, auth, make_staff, db, clock,
                                                        app):
    make_staff(email="p@example.org", must_change=True)
    make_staff(role="front_desk", email="f@example.org")
    require(db)
    response = auth.login("p@example.org")
    assert response.headers["Location"] == "/staff/two-factor/setup"
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")  # not signed in
    for path in ("/staff/login/code", "/staff/login/recovery"):  # nothing to check yet
        assert client.get(path).headers["Location"] == "/staff/two-factor/setup"
    page = client.get("/staff/two-factor/setup").get_data(as_text=True)
    assert "The clinic requires" in page
    secret = shown_secret(page)
    done = post(client, "/staff/two-factor/setup", code=code_at(secret))
    assert done.status_code == 200 and len(shown_codes(done.get_data(as_text=True))) == 10
    # Signed in now, and the temporary password comes next.
    assert 'href="/staff/account/password"' in done.get_data(as_text=True)
    assert client.get("/staff/").headers["Location"] == "/staff/account/password"
    # Front desk is not required to.
    other = app.test_client()
    assert AuthActions(other).login("f@example.org").headers["Location"] == "/staff/"


def test_turning_the_requirement_on_sends_signed_in_people_to_set_up(client, auth, make_staff,
                                                                     db, clock):
    make_staff(email="p@example.org")
    auth.login("p@example.org")
    assert client.get("/staff/").status_code == 200
    require(db)
    assert client.get("/staff/").headers["Location"] == "/staff/two-factor/setup"
    assert client.get("/staff/account/two-factor").headers["Location"] == \
        "/staff/two-factor/setup"
    assert client.get("/staff/two-factor/setup").status_code == 200
    token = AuthActions(client).csrf_token("/staff/two-factor/setup")
    assert client.post("/staff/logout", data={"csrf_token": token}).headers["Location"] == \
        "/staff/login"
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")


def test_admin_sets_the_requirement_and_it_is_audited(client, auth, make_staff, db, clock, key):
    admin = make_staff(role="admin", email="a@example.org")
    secret, _ = enrol(db, admin, key)
    auth.login("a@example.org")
    post(client, "/staff/login/code", code=code_at(secret))
    page = client.get("/staff/admin/two-factor").get_data(as_text=True)
    assert "Set up " in page and "Require two-factor sign-in" in page
    assert post(client, "/staff/admin/two-factor", required="y").status_code == 302
    db.expire_all()
    assert db.query(Clinic).one().require_two_factor is True
    db.rollback()
    assert post(client, "/staff/admin/two-factor").status_code == 302
    assert [e.detail for e in events(db, "clinic.two_factor_required")] == [
        {"required": True}, {"required": False}]


def test_admin_reset_ends_sessions_and_the_user_enrols_again(app, client, auth, make_staff,
                                                             db, clock, key):
    from intake import totp

    admin = make_staff(role="admin", email="a@example.org")
    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    user_id = user.id
    db.rollback()
    practitioner = app.test_client()
    AuthActions(practitioner).login("p@example.org")
    post(practitioner, "/staff/login/code", code=code_at(secret))
    assert practitioner.get("/staff/").status_code == 200

    auth.login("a@example.org")  # the admin has no second factor: it is not required
    listing = client.get("/staff/admin/two-factor").get_data(as_text=True)
    assert f"/staff/admin/users/{user_id}/two-factor/reset" in listing
    path = f"/staff/admin/users/{user_id}/two-factor/reset"
    token = AuthActions(client).csrf_token("/staff/admin/two-factor")
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    db.expire_all()
    assert twofactor.enrolment(db, user_id) is None
    assert db.query(RecoveryCode).filter_by(user_id=user_id).count() == 0
    (reset,) = events(db, "account.two_factor_reset")
    assert reset.actor_id == admin.id and reset.detail == {"user_id": user_id,
                                                           "was_set_up": True,
                                                           "sessions_ended": 1}
    # Ended at once, not at the session's next request.
    live = db.query(StaffSession).filter_by(user_id=user_id, ended_at=None).count()
    assert live == 0
    (ended,) = db.query(StaffSession).filter_by(user_id=user_id).all()
    assert ended.end_reason == "two_factor_reset"
    db.rollback()
    assert practitioner.get("/staff/").headers["Location"].startswith("/staff/login")
    # Required now: the next sign-in goes to set-up, with a new secret.
    require(db)
    assert AuthActions(practitioner).login("p@example.org").headers["Location"] == \
        "/staff/two-factor/setup"
    new_secret = shown_secret(practitioner.get("/staff/two-factor/setup").get_data(as_text=True))
    assert new_secret != secret
    post(practitioner, "/staff/two-factor/setup", code=code_at(new_secret))
    assert practitioner.get("/staff/").status_code == 200
    db.expire_all()
    assert totp.unseal(key, twofactor.enrolment(db, user_id).secret_sealed) == new_secret


def test_an_admin_who_resets_their_own_factor_stays_signed_in(app, client, auth, make_staff,
                                                               db, clock, key):
    admin = make_staff(role="admin", email="a@example.org")
    secret, _ = enrol(db, admin, key)
    admin_id = admin.id
    db.rollback()
    elsewhere = app.test_client()  # the same admin on another computer
    AuthActions(elsewhere).login("a@example.org")
    post(elsewhere, "/staff/login/code", code=code_at(secret))
    assert elsewhere.get("/staff/").status_code == 200
    clock[0] += 30  # the next code: a code is accepted once
    auth.login("a@example.org")
    post(client, "/staff/login/code", code=code_at(secret, clock[0]))
    assert client.get("/staff/").status_code == 200

    token = AuthActions(client).csrf_token("/staff/admin/two-factor")
    assert client.post(f"/staff/admin/users/{admin_id}/two-factor/reset",
                       data={"csrf_token": token}).status_code == 302
    db.expire_all()
    assert twofactor.enrolment(db, admin_id) is None
    (reset,) = events(db, "account.two_factor_reset")
    assert reset.detail["sessions_ended"] == 1
    db.rollback()
    assert client.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").headers["Location"].startswith("/staff/login")


@pytest.mark.parametrize("role", ["practitioner", "front_desk"])
def test_only_an_admin_can_reset(app, client, auth, make_staff, db, clock, key, role):
    target = make_staff(email="t@example.org")
    enrol(db, target, key)
    make_staff(role=role, email="x@example.org")
    target_id = target.id
    db.rollback()
    auth.login("x@example.org")
    token = AuthActions(client).csrf_token("/staff/account/two-factor")
    response = client.post(f"/staff/admin/users/{target_id}/two-factor/reset",
                           data={"csrf_token": token})
    assert response.status_code == 403
    assert client.get("/staff/admin/two-factor").status_code == 403
    db.expire_all()
    assert twofactor.confirmed_id(db, target_id) is not None
    assert events(db, "account.two_factor_reset") == []


def test_reset_needs_the_csrf_token_and_a_real_user(client, auth, make_staff, db):
    make_staff(role="admin", email="a@example.org")
    auth.login("a@example.org")
    assert client.post("/staff/admin/users/1/two-factor/reset").status_code == 400
    token = AuthActions(client).csrf_token("/staff/admin/two-factor")
    assert client.post("/staff/admin/users/999/two-factor/reset",
                       data={"csrf_token": token}).status_code == 404


def test_the_second_step_expires_and_needs_a_password_first(client, auth, make_staff, db,
                                                            clock, key):
    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    for path in ("/staff/login/code", "/staff/login/recovery", "/staff/two-factor/setup"):
        assert client.get(path).headers["Location"] == "/staff/login"
    auth.login("p@example.org")
    token = AuthActions(client).csrf_token("/staff/login/code")
    clock[0] += second_factor.PENDING_SECONDS + 1
    late = client.post("/staff/login/code", data={"code": code_at(secret, clock[0]),
                                                  "csrf_token": token})
    assert late.headers["Location"] == "/staff/login"
    assert client.get("/staff/").status_code == 302


def test_a_password_change_during_the_second_step_voids_it(client, auth, make_staff, db,
                                                           clock, key):
    from intake.operations import accounts

    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    auth.login("p@example.org")
    token = AuthActions(client).csrf_token("/staff/login/code")
    accounts.set_password(db, user, "brisk-otter-lantern", actor_id=None)
    db.commit()
    response = client.post("/staff/login/code", data={"code": code_at(secret),
                                                      "csrf_token": token})
    assert response.headers["Location"] == "/staff/login"


def test_enrolling_ends_the_accounts_other_sessions(app, client, auth, make_staff, db, clock):
    make_staff(email="p@example.org")
    other = app.test_client()
    AuthActions(other).login("p@example.org")
    auth.login("p@example.org")
    secret = shown_secret(client.get("/staff/two-factor/setup").get_data(as_text=True))
    post(client, "/staff/two-factor/setup", code=code_at(secret))
    assert client.get("/staff/").status_code == 200
    assert other.get("/staff/").headers["Location"] == "/staff/login"
    assert len(events(db, "auth.two_factor_session_ended")) == 1


def test_an_unreadable_secret_says_so_and_recovery_still_works(app, client, auth, make_staff,
                                                               db, clock, key):
    user = make_staff(email="p@example.org")
    secret, codes = enrol(db, user, "an-older-secret-key")
    auth.login("p@example.org")
    page = post(client, "/staff/login/code", code=code_at(secret)).get_data(as_text=True)
    assert "cannot be read" in page
    assert events(db, "auth.two_factor_failed")[-1].detail["reason"] == "unreadable"
    assert post(client, "/staff/login/recovery", code=codes[0]).status_code == 302


def test_nothing_typed_reaches_the_audit_log(client, auth, make_staff, db, clock, key):
    user = make_staff(email="p@example.org")
    secret, codes = enrol(db, user, key)
    auth.login("p@example.org")
    typed = ["135791", code_at(secret, T0 - 900), "my-password-typed-here", codes[0]]
    post(client, "/staff/login/code", code=typed[0])
    post(client, "/staff/login/code", code=typed[1])
    post(client, "/staff/login/recovery", code=typed[2])
    post(client, "/staff/login/recovery", code=typed[3])
    db.expire_all()
    logged = repr([(e.action, e.detail) for e in db.query(AuditEvent)])
    assert not any(value in logged or value.replace("-", "") in logged for value in typed)
    assert secret not in logged


def test_second_step_posts_are_rate_limited(app, tmp_path, make_staff, db):
    from intake import create_app
    from intake.config import test_config

    user = make_staff(email="p@example.org")
    enrol(db, user, "test-secret-key-not-for-production")
    limited = create_app({**test_config(tmp_path), "DATABASE_URL": app.config["DATABASE_URL"],
                          "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"})
    try:
        client = limited.test_client()
        AuthActions(client).login("p@example.org")
        codes = [post(client, "/staff/login/code", code="000000").status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert client.get("/staff/login/code").status_code == 200  # only the POST
    finally:
        limited.extensions["intake_engine"].dispose()


def test_demo_offers_two_factor_but_does_not_require_it(runner, db):
    from intake.cli import main

    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Two-factor sign-in" in result.output
    db.expire_all()
    assert twofactor.clinic_requires(db) is False


@pytest.mark.parametrize("typed", ["٣" * 5000, "12\x0034", "\u202e123456", "", " " * 30,
                                   "1" * 10_000])
def test_hostile_codes_get_a_message_not_an_error(client, auth, make_staff, db, clock, key,
                                                  typed):
    user = make_staff(email="p@example.org")
    enrol(db, user, key)
    auth.login("p@example.org")
    for path in ("/staff/login/code", "/staff/login/recovery"):
        response = post(client, path, code=typed)
        assert response.status_code == 200, path
        assert 'class="error"' in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
