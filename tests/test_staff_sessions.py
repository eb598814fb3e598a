"""Staff sessions kept on the server: a copied cookie stops working when the
session ends, and works from nowhere but the browser that signed in."""

from __future__ import annotations

import pytest
from documents_helpers import docs_app_fixture, submitted_fixture  # noqa: F401
from sqlalchemy import select
from staff_helpers import STAFF_PASSWORD, AuthActions

from intake.models import AuditEvent, Document, StaffSession, StaffUser
from intake.operations import accounts

NEW_PASSWORD = "brisk-otter-lantern"


def copy_cookie(app, source, **client_kw):
    """Another browser holding a copy of `source`'s session cookie."""
    thief = app.test_client(**client_kw)
    thief.set_cookie("session", source.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/staff/").status_code == 200


def actions(db, action):
    db.expire_all()
    found = db.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
    db.commit()
    return found


@pytest.fixture
def nocsrf(app):
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_copied_cookie_stops_working_after_sign_out(app, client, auth, make_staff, db):
    make_staff("admin", email="p@example.org")
    auth.login("p@example.org")
    copy = copy_cookie(app, client)
    assert signed_in(copy)  # the copy works while the session does: it is the session
    auth.logout()
    assert not signed_in(client)
    response = copy.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert copy.get("/staff/invites/new").status_code == 302  # nor any other page
    db.expire_all()
    [row] = db.scalars(select(StaffSession)).all()
    assert row.ended_at is not None and row.end_reason == "sign_out"
    db.commit()


def test_signing_out_ends_only_that_browsers_session(app, make_staff):
    make_staff(email="p@example.org")
    first, second = app.test_client(), app.test_client()
    AuthActions(first).login("p@example.org")
    AuthActions(second).login("p@example.org")
    AuthActions(first).logout()
    assert not signed_in(first) and signed_in(second)


def test_a_password_change_ends_every_other_session(app, make_staff):
    make_staff(email="p@example.org")
    laptop, desktop = app.test_client(), app.test_client()
    AuthActions(laptop).login("p@example.org")
    copy = copy_cookie(app, laptop)
    desk = AuthActions(desktop)
    desk.login("p@example.org")
    page = desktop.post("/staff/account/password", data={
        "csrf_token": desk.csrf_token("/staff/account/password"), "current": STAFF_PASSWORD,
        "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert page.status_code == 302
    assert signed_in(desktop)  # the browser that changed it stays signed in
    assert not signed_in(laptop) and not signed_in(copy)


def test_an_admin_reset_ends_the_users_sessions(app, client, auth, make_staff, nocsrf):
    user = make_staff(email="p@example.org")
    make_staff("admin", email="admin@example.org")
    theirs = app.test_client()
    AuthActions(theirs).login("p@example.org")
    copy = copy_cookie(app, theirs)
    auth.login("admin@example.org")
    assert client.post(f"/staff/admin/users/{user.id}/reset").status_code == 200
    assert not signed_in(theirs) and not signed_in(copy)
    assert signed_in(client)


def test_deactivation_ends_the_users_sessions(app, db, make_staff):
    user = make_staff(email="p@example.org")
    admin = make_staff("admin")
    theirs = app.test_client()
    AuthActions(theirs).login("p@example.org")
    accounts.set_active(db, user, False, actor_id=admin.id)
    db.commit()
    assert not signed_in(theirs)


def test_a_cookie_from_another_user_agent_is_refused(app, client, auth, make_staff, db):
    user_id = make_staff(email="p@example.org").id
    auth.login("p@example.org")
    copy = copy_cookie(app, client)
    response = copy.get("/staff/", headers={"User-Agent": "Mozilla/5.0 (elsewhere)"})
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    [refused] = actions(db, "auth.session_refused")
    assert refused.actor_id == user_id and refused.detail == {"why": "client_changed"}
    # The copy is dropped from the browser that presented it; the owner goes on.
    assert not signed_in(copy)
    assert signed_in(client)
    # Replaying the copy again is refused again, and recorded only the first time.
    again = copy_cookie(app, client)
    assert again.get("/staff/", headers={"User-Agent": "curl/8"}).status_code == 302
    assert len(actions(db, "auth.session_refused")) == 1


def test_a_cookie_from_another_address_is_refused(app, client, auth, make_staff):
    make_staff(email="p@example.org")
    auth.login("p@example.org")
    copy = copy_cookie(app, client)
    response = copy.get("/staff/", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_forged_or_unknown_session_token_signs_no_one_in(app, client, auth, make_staff):
    make_staff(email="p@example.org")
    auth.login("p@example.org")
    with client.session_transaction() as session:
        session["staff_session"] = "not-a-real-token"
    assert not signed_in(client)


def test_wrong_current_passwords_end_the_session(app, client, auth, make_staff, nocsrf, db):
    user_id = make_staff(email="p@example.org").id
    auth.login("p@example.org")
    bad = {"current": "not-my-password-1", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    for _ in range(1, accounts.SESSION_PASSWORD_FAILURES):
        page = client.post("/staff/account/password", data=bad)
        assert page.status_code == 200
        assert "Your current password is not right." in page.get_data(as_text=True)
    last = client.post("/staff/account/password", data=bad)
    assert last.status_code == 302 and "/staff/login" in last.headers["Location"]
    assert not signed_in(client)
    checks = actions(db, "auth.password_check_failed")
    assert [e.detail for e in checks] == [
        {"failures": n, "session_ended": n == accounts.SESSION_PASSWORD_FAILURES,
         "purpose": "change_password"}
        for n in range(1, accounts.SESSION_PASSWORD_FAILURES + 1)]
    assert all("not-my-password" not in str(e.detail) for e in checks)
    db.expire_all()
    assert db.get(StaffUser, user_id).failed_attempts == accounts.SESSION_PASSWORD_FAILURES
    ended = db.scalars(select(StaffSession)).one()
    assert ended.end_reason == "password_guesses"
    db.commit()
    # Counted like failed sign-ins: this address waits a little before trying
    # again; the right password from elsewhere is not held up.
    here = auth.login("p@example.org")
    assert here.status_code == 429 and int(here.headers["Retry-After"]) > 0
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert AuthActions(elsewhere).login("p@example.org").status_code == 302


def test_a_wrong_current_password_is_said_next_to_its_field(client, auth, make_staff, nocsrf):
    make_staff(email="p@example.org")
    auth.login("p@example.org")
    page = client.post("/staff/account/password", data={
        "current": "not-my-password-1", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    text = page.get_data(as_text=True)
    field = text.index('id="current"')
    message = text.index("Your current password is not right.")
    assert abs(message - field) < 600 and message < text.index('id="new"')


def test_a_temporary_password_session_cannot_download_a_pdf(
        docs_app, db, submitted, client, auth, make_staff):
    intake_id = submitted()
    db.expire_all()
    document = db.scalars(select(Document).where(Document.intake_id == intake_id)).one()
    db.commit()
    assert document.status == "ready"
    make_staff(email="p@example.org", must_change=True)
    assert auth.login("p@example.org").headers["Location"] == "/staff/account/password"
    response = client.get(
        f"/staff/intakes/{intake_id}/documents/{document.id}/download")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/account/password"
    assert b"%PDF" not in response.data
    assert not actions(db, "document.download")
    for page in ("/staff/", f"/staff/intakes/{intake_id}", "/staff/rules"):
        assert client.get(page).headers["Location"] == "/staff/account/password"
