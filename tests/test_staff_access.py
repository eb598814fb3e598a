"""Who may open which staff page: every /staff route is walked from the URL map.

EXPECTED names every staff endpoint and the roles allowed on it. A new route
that is not listed here fails `test_every_staff_route_is_listed`, so access
to a page is always a decision someone wrote down.
"""

from __future__ import annotations

import re

import pytest
from staff_helpers import flagged_intake

from intake.staff import PUBLIC_ENDPOINTS

ALL = {"admin", "practitioner", "front_desk"}
CLINICAL = {"admin", "practitioner"}
ADMIN = {"admin"}

EXPECTED = {
    "staff.dashboard": ALL,
    "staff.logout": ALL,
    "staff.change_password": ALL,
    "staff.new_invite": ALL,
    "staff.invite_link": ALL,
    "staff.reissue_invite": ALL,
    "staff.edit_invite_page": ALL,
    "staff.cancel_invite_page": ALL,
    "staff.intake_page": CLINICAL,
    "staff.download_fhir": CLINICAL,
    "staff.find_patients": ALL,
    "staff.patient_page": ALL,
    "staff.answer_patient_match": CLINICAL,
    "staff.plan": CLINICAL,
    "staff.decide": CLINICAL,
    "staff.sign_off": CLINICAL,
    "staff.rules": CLINICAL,
    "staff.users": ADMIN,
    "staff.create_user": ADMIN,
    "staff.reset_password": ADMIN,
    "staff.set_active": ADMIN,
    "staff.audit_log": ADMIN,
    "staff.clinic_settings": ADMIN,
    "staff.account_language": ALL,
    "staff.two_factor": ALL,
    "staff.two_factor_new_codes": ALL,
    "staff.two_factor_turn_off": ALL,
    "staff.two_factor_admin": ADMIN,
    "staff.two_factor_reset": ADMIN,
}
#: Staff routes other areas register (present once that area has landed).
OPTIONAL = {"staff.download_document": CLINICAL}


def staff_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff") and rule.endpoint not in PUBLIC_ENDPOINTS:
            yield rule


def url_for_rule(rule, **ids) -> str:
    values = {arg: ids.get(arg, 1) for arg in rule.arguments}
    return rule.build(values)[1]


def methods(rule) -> list[str]:
    return sorted(m for m in rule.methods if m in {"GET", "POST"})


@pytest.fixture
def nocsrf(app):
    app.config["WTF_CSRF_ENABLED"] = False


def test_every_staff_route_is_listed(app):
    found = {rule.endpoint for rule in staff_rules(app)}
    assert found - set(EXPECTED) - set(OPTIONAL) == set(), "add new routes to EXPECTED"
    assert set(EXPECTED) <= found


def test_public_endpoints_are_only_the_login_page():
    """And the second step of signing in, which checks its own pending state
    (tests/test_staff_twofactor.py)."""
    assert {"staff.login", "staff.two_factor_code", "staff.two_factor_recovery",
            "staff.two_factor_setup"} == PUBLIC_ENDPOINTS


def test_anonymous_is_sent_to_sign_in_everywhere(app, client, nocsrf):
    for rule in staff_rules(app):
        for method in methods(rule):
            response = client.open(url_for_rule(rule), method=method)
            assert response.status_code == 302, (rule.endpoint, method)
            assert response.headers["Location"].startswith("/staff/login"), rule.endpoint


def test_wrong_role_gets_403_everywhere(app, make_staff, nocsrf):
    from staff_helpers import AuthActions

    users = {role: make_staff(role=role).email for role in ALL}
    for role, email in users.items():
        client = app.test_client()
        AuthActions(client).login(email)
        for rule in staff_rules(app):
            allowed = (EXPECTED | OPTIONAL)[rule.endpoint]
            if role in allowed:
                continue
            for method in methods(rule):
                response = client.open(url_for_rule(rule), method=method)
                assert response.status_code == 403, (role, rule.endpoint, method)


def test_allowed_roles_can_open_every_page(app, db, clinic, make_staff, nocsrf):
    from staff_helpers import AuthActions

    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    target = make_staff(role="practitioner", email="target@example.org")
    ids = {"intake_id": intake.id, "user_id": target.id}
    db.rollback()
    for role in ALL:
        client = app.test_client()
        AuthActions(client).login(make_staff(role=role).email)
        db.rollback()
        for rule in staff_rules(app):
            if "GET" not in rule.methods or rule.endpoint in OPTIONAL:
                continue
            status = client.get(url_for_rule(rule, **ids)).status_code
            expected = 200 if role in EXPECTED[rule.endpoint] else 403
            if rule.endpoint == "staff.rules" and expected == 200:
                assert status in (200, 503)
                continue
            if rule.endpoint == "staff.edit_invite_page" and expected == 200:
                assert status == 302  # the intake is submitted: back to the invite page
                continue
            assert status == expected, (role, rule.endpoint, status)


@pytest.mark.fresh_app  # adds a view to the app
def test_a_view_without_roles_is_refused_to_everyone(app, make_staff):
    """Default deny: a staff view that forgot `roles_required` answers 403."""
    from staff_helpers import AuthActions

    from intake.staff import bp

    app.view_functions["staff.forgotten"] = lambda: "secret"
    app.add_url_rule("/staff/forgotten", "staff.forgotten", app.view_functions["staff.forgotten"])
    assert bp.name == "staff"
    client = app.test_client()
    AuthActions(client).login(make_staff(role="admin").email)
    assert client.get("/staff/forgotten").status_code == 403


def test_every_form_needs_a_csrf_token(app, db, clinic, make_staff):
    """CSRF stays on here: each POST without a token is refused."""
    from staff_helpers import AuthActions

    assert app.config.get("WTF_CSRF_ENABLED", True)
    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    flag_id = intake_id = intake.id
    db.rollback()
    client = app.test_client()
    auth = AuthActions(client)
    assert client.post("/staff/login", data={"email": "x@example.org",
                                             "password": "y" * 12}).status_code == 400
    auth.login(make_staff(role="admin").email)
    for rule in staff_rules(app):
        if "POST" in rule.methods and rule.endpoint not in OPTIONAL:
            url = url_for_rule(rule, intake_id=intake_id, flag_id=flag_id, user_id=1)
            assert client.post(url, data={}).status_code == 400, rule.endpoint
    # And with the token the same form works.
    token = auth.csrf_token(f"/staff/intakes/{intake_id}")
    assert token
    response = client.post(f"/staff/intakes/{intake_id}/sign-off",
                           data={"csrf_token": token, "confirm": "y"})
    assert response.status_code in (302, 400)
    assert "This page had expired" not in response.get_data(as_text=True)


def test_front_desk_sees_schedule_and_status_but_no_flags(app, db, clinic, make_staff, auth):
    flagged_intake(db, clinic, [("rf_ces_bladder_dysfunction", "red_flag", "emergency")],
                   name="Robin Redflag")
    db.rollback()
    auth.login(make_staff(role="front_desk").email)
    page = auth._client.get("/staff/").get_data(as_text=True)
    assert "Robin Redflag" in page and "Submitted" in page
    assert "Red flag" not in page and "badge" not in page and 'name="level"' not in page
    assert not re.search(r"/staff/intakes/\d+\"", page)
    assert "Screening rules" not in page
