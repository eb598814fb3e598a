"""Editing and cancelling invites, re-issuing links without showing a draft to
staff, the link kept out of the session cookie, and links built only from
INTAKE_BASE_URL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intake import mail
from intake.models import AuditEvent, Clinic, Intake, IntakeStatus, ShownOnce, hash_token

DRAFT_MEDICINE = "Warfarin-Draft-Marker"


@pytest.fixture
def staff_client(make_staff, auth, db, app):
    """A signed-in client for a role; CSRF off (it has its own tests)."""
    app.config["WTF_CSRF_ENABLED"] = False

    def _login(role: str = "front_desk"):
        auth.login(make_staff(role=role).email)
        db.rollback()
        return auth._client

    return _login


@pytest.fixture
def desk(staff_client):
    return staff_client("front_desk")


@pytest.fixture
def outbox(app, monkeypatch):
    """Email configured; messages land in the list instead of an SMTP server."""
    sent: list[tuple[str, str]] = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            pass

        def login(self, user, password):
            pass

        def send_message(self, msg):
            sent.append((msg["To"], msg.get_content()))

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config.update(SMTP_HOST="smtp.example.org", SMTP_PORT=587, SMTP_USER="u",
                      SMTP_PASSWORD="p", SMTP_FROM="clinic@example.org")
    return sent


def _link(page: str) -> str | None:
    found = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page)
    return found[1] if found else None


def _token(link: str) -> str:
    return link.rsplit("/i/", 1)[1]


def _with_draft(db, intake: Intake) -> None:
    intake.save_step("medicines", {"medications.list": DRAFT_MEDICINE}, set(), completed=True)
    db.commit()


def _events(db, action: str) -> list[AuditEvent]:
    db.expire_all()
    events = list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))
    for event in events:
        db.expunge(event)  # kept as read: the rollback would expire them
    db.rollback()  # end the read: on SQLite it would hold up the next request's write
    return events


# --- Editing ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["front_desk", "practitioner", "admin"])
def test_staff_change_the_name_email_and_appointment(staff_client, make_invite, db, role):
    client = staff_client(role)
    intake, token = make_invite(name="Quinn Old", email="old@example.org")
    response = client.post(f"/staff/invites/{intake.id}/edit", data={
        "name": "Quinn New", "email": "new@example.org", "day": "2030-02-03", "at": "14:15"})
    assert response.status_code == 302
    db.expire_all()
    changed = db.get(Intake, intake.id)
    assert changed.patient.display_name == "Quinn New"
    assert changed.patient.email == "new@example.org"
    assert changed.appointment_at.isoformat().startswith("2030-02-03T14:15")
    assert changed.token_hash == hash_token(token)  # the patient's link stays the same
    [event] = _events(db, "invite.edit")
    assert event.detail == {"changed": ["name", "email", "appointment"]}
    assert "Quinn" not in str(event.detail) and "example.org" not in str(event.detail)


def test_the_edit_form_starts_from_the_invite(desk, make_invite):
    intake, _ = make_invite(name="Quinn Shown", email="shown@example.org")
    page = desk.get(f"/staff/invites/{intake.id}/edit").get_data(as_text=True)
    assert 'value="Quinn Shown"' in page and 'value="shown@example.org"' in page


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_an_edit_to_an_absurd_date_is_refused(desk, make_invite, db, day):
    intake, _ = make_invite(name="Quinn")
    response = desk.post(f"/staff/invites/{intake.id}/edit",
                         data={"name": "Quinn", "day": day, "at": "09:00"})
    assert response.status_code == 400
    assert "Please choose a date between" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Intake, intake.id).appointment_at is None
    assert _events(db, "invite.edit") == []


def test_a_submitted_intake_cannot_be_edited_or_cancelled(desk, make_invite, db):
    intake, _ = make_invite(name="Quinn Done")
    intake.mark_submitted({"about.full_name": "Quinn Done"})
    db.commit()
    desk.post(f"/staff/invites/{intake.id}/edit",
              data={"name": "Changed", "day": "2030-01-15", "at": "09:00"})
    desk.post(f"/staff/invites/{intake.id}/cancel")
    db.expire_all()
    again = db.get(Intake, intake.id)
    assert again.patient.display_name == "Quinn Done" and again.status == IntakeStatus.SUBMITTED
    assert _events(db, "invite.edit") == [] and _events(db, "invite.cancel") == []


def test_signed_out_visitors_cannot_edit_or_cancel(client, app, make_invite, db):
    app.config["WTF_CSRF_ENABLED"] = False
    intake, _ = make_invite(name="Quinn")
    edit = client.post(f"/staff/invites/{intake.id}/edit",
                       data={"name": "Changed", "day": "2030-01-15", "at": "09:00"})
    cancel = client.post(f"/staff/invites/{intake.id}/cancel")
    assert edit.status_code == 302 and "/staff/login" in edit.headers["Location"]
    assert cancel.status_code == 302 and "/staff/login" in cancel.headers["Location"]
    db.expire_all()
    assert db.get(Intake, intake.id).status == IntakeStatus.INVITED
    assert db.get(Intake, intake.id).patient.display_name == "Quinn"


def test_another_clinics_invite_is_not_found(desk, make_invite, db):
    from intake.operations.invites import create_invite

    make_invite(name="Ours")  # this installation's clinic comes first
    other = Clinic(name="Other Clinic")
    db.add(other)
    db.flush()
    theirs, _ = create_invite(db, other, name="Theirs", days=14)
    db.commit()
    for method, path in [("get", ""), ("get", "/edit"), ("post", "/edit"),
                         ("post", "/cancel"), ("post", "/reissue")]:
        response = getattr(desk, method)(f"/staff/invites/{theirs.id}{path}",
                                         data={"name": "X", "day": "2030-01-15", "at": "09:00"})
        assert response.status_code == 404, (method, path)
    db.expire_all()
    assert db.get(Intake, theirs.id).status == IntakeStatus.INVITED


# --- Cancelling ------------------------------------------------------------------


def test_cancelling_kills_the_link_and_removes_it_from_the_dashboard(
        desk, make_invite, client, db):
    intake, token = make_invite(name="Cancel Me-Please")
    response = desk.post(f"/staff/invites/{intake.id}/cancel")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/")
    db.expire_all()
    assert db.get(Intake, intake.id).status == IntakeStatus.CANCELLED
    day = db.get(Intake, intake.id).created_at.date().isoformat()
    intake_id = intake.id
    [event] = _events(db, "invite.cancel")
    assert event.intake_id == intake_id and event.detail == {"had_draft": False}

    for path in (f"/i/{token}", f"/i/{token}/review", f"/i/{token}/step/about"):
        page = client.get(path)
        assert page.status_code == 410, path
        text = page.get_data(as_text=True)
        assert "This link was cancelled" in text and "call" in text
    assert client.post(f"/i/{token}/submit").status_code == 410

    dashboard = desk.get(f"/staff/?day={day}").get_data(as_text=True)
    assert "Cancel Me-Please" not in dashboard


def test_the_dashboard_lists_an_invite_until_it_is_cancelled(desk, make_invite, db):
    from datetime import UTC, datetime

    when = datetime.now(UTC).replace(microsecond=0)
    intake, _ = make_invite(name="Listed Patient", appointment_at=when)
    assert "Listed Patient" in desk.get("/staff/").get_data(as_text=True)
    desk.post(f"/staff/invites/{intake.id}/cancel")
    assert "Listed Patient" not in desk.get("/staff/").get_data(as_text=True)


def test_a_cancelled_invite_cannot_be_edited_or_get_a_new_link(desk, make_invite, db):
    intake, _ = make_invite(name="Gone")
    desk.post(f"/staff/invites/{intake.id}/cancel")
    desk.post(f"/staff/invites/{intake.id}/edit",
              data={"name": "Back", "day": "2030-01-15", "at": "09:00"})
    page = desk.post(f"/staff/invites/{intake.id}/reissue", follow_redirects=True)
    assert _link(page.get_data(as_text=True)) is None
    db.expire_all()
    assert db.get(Intake, intake.id).patient.display_name == "Gone"
    assert _events(db, "invite.reissue") == [] and len(_events(db, "invite.cancel")) == 1


# --- Re-issuing a link never hands a draft to staff --------------------------------


def test_a_draft_is_never_shown_through_a_reissued_link_without_email(desk, make_invite,
                                                                      client, db):
    intake, old_token = make_invite(name="Drafty")
    _with_draft(db, intake)
    response = desk.post(f"/staff/invites/{intake.id}/reissue", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert _link(page) is None and "/i/" not in page
    assert "can only be sent by email" in page
    db.expire_all()
    assert db.get(Intake, intake.id).token_hash == hash_token(old_token)  # nothing changed
    db.rollback()
    assert _events(db, "invite.reissue") == []


def test_a_reissued_link_for_a_draft_goes_only_by_email(desk, make_invite, client, db,
                                                        outbox):
    intake, old_token = make_invite(name="Drafty", email="drafty@example.org")
    _with_draft(db, intake)
    response = desk.post(f"/staff/invites/{intake.id}/reissue", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert _link(page) is None and "/i/" not in page
    assert "not shown here" in page and "emailed" in page
    [(to, body)] = outbox
    new_token = _token(re.search(r"http://localhost/i/\S+", body)[0])
    assert to == "drafty@example.org"
    assert client.get(f"/i/{old_token}").status_code == 404
    assert client.get(f"/i/{new_token}/review").status_code == 200  # the patient's own link
    [event] = _events(db, "invite.reissue")
    assert event.detail == {"delivery": "email", "draft_cleared": False}


def test_staff_may_get_a_link_only_by_clearing_the_draft(desk, make_invite, client, db):
    intake, _ = make_invite(name="Drafty")
    _with_draft(db, intake)
    response = desk.post(f"/staff/invites/{intake.id}/reissue", data={"clear_draft": "1"},
                         follow_redirects=True)
    link = _link(response.get_data(as_text=True))
    assert link
    db.expire_all()
    cleared = db.get(Intake, intake.id)
    assert cleared.answers == {} and cleared.completed_steps == []
    assert cleared.status == IntakeStatus.INVITED
    db.rollback()
    review = client.get(f"/i/{_token(link)}/review").get_data(as_text=True)
    assert DRAFT_MEDICINE not in review
    [event] = _events(db, "invite.reissue")
    assert event.detail == {"delivery": "shown", "draft_cleared": True}


def test_the_operation_refuses_to_hand_a_draft_to_staff(make_invite, db):
    from intake.operations.invites import DraftNotForStaff, reissue_link

    intake, _ = make_invite(name="Drafty")
    _with_draft(db, intake)
    with pytest.raises(DraftNotForStaff, match="only by email"):
        reissue_link(db, intake, days=14, actor_id=1, delivery="shown")
    db.rollback()


def test_a_link_without_a_draft_is_shown_once(desk, make_invite, db):
    intake, old_token = make_invite(name="Fresh")
    page = desk.post(f"/staff/invites/{intake.id}/reissue",
                     follow_redirects=True).get_data(as_text=True)
    link = _link(page)
    assert link and _token(link) != old_token
    again = desk.get(f"/staff/invites/{intake.id}").get_data(as_text=True)
    assert _link(again) is None


# --- The new link is not in the session cookie --------------------------------------


def _session_cookie(app, client) -> tuple[str, dict]:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    serializer = app.session_interface.get_signing_serializer(app)
    return cookie.value, serializer.loads(cookie.value)


def test_the_new_link_is_not_kept_in_the_session_cookie(app, desk, db):
    response = desk.post("/staff/invites/new", data={
        "name": "Cookie Patient", "day": "2030-01-15", "at": "09:30"})
    raw, decoded = _session_cookie(app, desk)
    page = desk.get(response.headers["Location"]).get_data(as_text=True)
    token = _token(_link(page))
    assert db.query(Intake).one().token_hash == hash_token(token)
    db.rollback()
    assert token not in raw and token not in str(decoded)
    # The link waited in the database (sealed), not in the cookie, and is gone once shown.
    assert "staff_new_link" not in decoded
    assert db.query(ShownOnce).count() == 0
    # Shown once: the next page view shows nothing.
    assert _link(desk.get(response.headers["Location"]).get_data(as_text=True)) is None


def test_the_waiting_link_is_sealed_and_not_in_the_cookie(app, desk, db):
    response = desk.post("/staff/invites/new", data={
        "name": "Cookie Patient", "day": "2030-01-15", "at": "09:30"})
    raw, decoded = _session_cookie(app, desk)
    [row] = db.query(ShownOnce).all()
    intake = db.query(Intake).one()
    assert row.intake_id == intake.id and row.owner.startswith("staff:")
    payload = row.payload
    db.rollback()
    page = desk.get(response.headers["Location"]).get_data(as_text=True)
    token = _token(_link(page))
    assert token not in payload and token not in raw and token not in str(decoded)
    assert not any(key.startswith("staff_new") for key in decoded)
    assert db.query(ShownOnce).count() == 0


def test_a_link_replaced_before_its_page_shows_nothing(app, desk, db):
    response = desk.post("/staff/invites/new", data={
        "name": "Cookie Patient", "day": "2030-01-15", "at": "09:30"})
    intake = db.query(Intake).one()
    intake.token_hash = hash_token("replaced")  # another tab made a newer link
    db.commit()
    assert _link(desk.get(response.headers["Location"]).get_data(as_text=True)) is None
    assert db.query(ShownOnce).count() == 0


def test_the_link_is_shown_only_to_the_staff_member_who_made_it(app, desk, db, make_staff):
    from staff_helpers import AuthActions

    response = desk.post("/staff/invites/new", data={
        "name": "Cookie Patient", "day": "2030-01-15", "at": "09:30"})
    colleague = app.test_client()
    AuthActions(colleague).login(make_staff(role="front_desk").email)
    db.rollback()
    assert _link(colleague.get(response.headers["Location"]).get_data(as_text=True)) is None
    # the colleague's view took nothing: the maker still sees it, once
    assert _link(desk.get(response.headers["Location"]).get_data(as_text=True))
    assert db.query(ShownOnce).count() == 0


def test_a_replayed_cookie_for_a_replaced_link_shows_nothing(app, desk, db):
    response = desk.post("/staff/invites/new", data={
        "name": "Cookie Patient", "day": "2030-01-15", "at": "09:30"})
    raw, _ = _session_cookie(app, desk)
    intake = db.query(Intake).one()
    db.rollback()
    desk.get(response.headers["Location"])
    intake.token_hash = hash_token("replaced")
    db.commit()
    desk.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), raw)
    assert _link(desk.get(response.headers["Location"]).get_data(as_text=True)) is None


# --- Links come from INTAKE_BASE_URL, never from the Host header ---------------------


def _signed_in_at_evil_host(app, desk) -> None:
    """The staff cookie, sent to a request whose Host header an attacker chose."""
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    desk.set_cookie(name, desk.get_cookie(name).value, domain="evil.example")


def test_links_use_the_base_url_whatever_the_host_header(app, desk, db, outbox):
    app.config["BASE_URL"] = "https://intake.example-clinic.org"
    _signed_in_at_evil_host(app, desk)
    response = desk.post("/staff/invites/new", headers={"Host": "evil.example"}, data={
        "name": "Host Patient", "day": "2030-01-15", "at": "09:30",
        "email": "host@example.org"})
    assert response.status_code == 302
    page = desk.get(response.headers["Location"], headers={"Host": "evil.example"})
    link = _link(page.get_data(as_text=True))
    assert link.startswith("https://intake.example-clinic.org/i/")
    [(_, body)] = outbox
    assert "evil.example" not in body and "https://intake.example-clinic.org/i/" in body


def test_without_a_base_url_no_link_is_made(app, desk, db, outbox):
    app.config["BASE_URL"] = None
    _signed_in_at_evil_host(app, desk)
    response = desk.post("/staff/invites/new", headers={"Host": "evil.example"}, data={
        "name": "Host Patient", "day": "2030-01-15", "at": "09:30",
        "email": "host@example.org"})
    assert response.status_code == 503
    assert "INTAKE_BASE_URL" in response.get_data(as_text=True)
    assert db.query(Intake).count() == 0 and outbox == []


def test_the_base_url_defaults_only_in_development(tmp_path, monkeypatch):
    from intake.config import load_config

    monkeypatch.delenv("INTAKE_BASE_URL", raising=False)
    monkeypatch.setenv("INTAKE_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "a" * 40)
    monkeypatch.setenv("INTAKE_ENV", "development")
    assert load_config(str(tmp_path))["BASE_URL"] == "http://127.0.0.1:5000"
    monkeypatch.setenv("INTAKE_ENV", "production")
    assert load_config(str(tmp_path))["BASE_URL"] is None
    monkeypatch.setenv("INTAKE_BASE_URL", "https://intake.example-clinic.org")
    assert load_config(str(tmp_path))["BASE_URL"] == "https://intake.example-clinic.org"


def test_a_draft_saved_during_a_reissue_is_a_message_not_a_500(desk, make_invite, db,
                                                               monkeypatch):
    """The patient saves a step between the page's check and the locked re-read."""
    from intake.operations.invites import DraftNotForStaff
    from intake.staff import routes_invites

    def saved_meanwhile(*args, **kwargs):
        raise DraftNotForStaff("a link for an intake with saved answers goes only by email")

    monkeypatch.setattr(routes_invites, "reissue_link", saved_meanwhile)
    intake, _ = make_invite(name="Racing")
    response = desk.post(f"/staff/invites/{intake.id}/reissue", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "just saved answers" in page
    assert _link(page) is None
