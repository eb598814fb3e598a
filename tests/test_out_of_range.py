"""Out-of-range numbers and dates that used to give a 500 (issue 10, Low):
each gives a message next to the field, a 404, or simply the page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from answers import step_post
from patient_helpers import post_step, stored

from intake import clock, dates_shown
from intake.models import Intake

pytest_plugins = ["patient_fixtures"]

HUGE = "99999999999999999999"


@pytest.mark.parametrize("part", ["day", "month", "year"])
@pytest.mark.parametrize("value", [HUGE, "9" * 5000, "٢"])
def test_a_huge_or_odd_date_part_is_a_message_next_to_the_field(client_nocsrf, token, db,
                                                                definition, answers, part,
                                                                value):
    data = step_post(definition, "about", answers)
    data[f"about.date_of_birth-{part}"] = value
    response = post_step(client_nocsrf, token, "about", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="q-about-date_of_birth-error"' in html or "q-about-date_of_birth" in html
    assert ("Please enter a real date" in html or "Please use numbers only" in html
            or "Please enter the year with 4 digits" in html)
    assert "about.date_of_birth" not in (stored(db, token).answers or {})


@pytest.fixture
def admin(make_staff, auth, db):
    make_staff("admin", email="admin@example.org")
    auth.login("admin@example.org")
    db.rollback()
    return auth._client


@pytest.mark.parametrize("query", [
    f"intake={HUGE}", f"before={HUGE}", "intake=9223372036854775808", "before=-5",
    "intake=", "before=", "intake=٣", "intake=" + "9" * 5000,
])
def test_audit_log_arguments_beyond_bigint_are_ignored(admin, query):
    response = admin.get(f"/staff/admin/audit?{query}")
    assert response.status_code == 200


def test_audit_log_still_filters_by_a_normal_intake_id(admin, make_invite, db):
    intake, _ = make_invite(name="Filter Me")
    response = admin.get(f"/staff/admin/audit?intake={intake.id}")
    assert response.status_code == 200


@pytest.mark.parametrize("query", [
    "day=9999-12-31", "day=0001-01-01", f"after=2026-12-01.{HUGE}", "after=9999-12-31.0",
    "after=0001-01-01.0", "after=2026-12-01." + "9" * 5000, "after=2026-12-01.2147483648",
])
def test_dashboard_survives_extreme_days_and_cursors(app, admin, make_invite, query):
    app.config["TIMEZONE"] = "Europe/Berlin"
    make_invite(name="Ordinary Patient", appointment_at=datetime.now(UTC))
    response = admin.get(f"/staff/?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_one_stored_far_future_or_far_past_appointment_does_not_break_the_dashboard(
        app, admin, make_invite, zone):
    """Rows stored before the form had bounds (or by the CLI) must still show."""
    app.config["TIMEZONE"] = zone
    make_invite(name="Far Future", appointment_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC))
    make_invite(name="Far Past", appointment_at=datetime(1, 1, 1, 0, 30, tzinfo=UTC))
    make_invite(name="Ordinary Patient", appointment_at=datetime.now(UTC))
    seen = ""
    response = admin.get("/staff/")
    while True:
        assert response.status_code == 200
        seen += response.get_data(as_text=True)
        more = [line for line in response.get_data(as_text=True).split('"')
                if line.startswith("/staff/?") and "after=" in line]
        if not more:
            break
        response = admin.get(more[0].replace("&amp;", "&"))
    assert "Ordinary Patient" in seen and "Far Future" in seen and "Far Past" in seen
    assert admin.get("/staff/?day=9999-12-31").status_code == 200


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "Pacific/Kiritimati",
                                  "Pacific/Pago_Pago"])
def test_clock_day_bounds_are_safe_at_both_ends(app, zone):
    app.config["TIMEZONE"] = zone
    with app.app_context():
        for day in (date.min, date(1, 1, 2), date(9999, 12, 30), date.max):
            start, end = clock.day_bounds(day)
            assert start < end
            assert start.tzinfo is not None and end.tzinfo is not None
        assert clock.day_bounds(date.max)[1] == clock.LATEST
        assert clock.day_start(date.min) in (clock.EARLIEST,
                                              datetime(1, 1, 1, tzinfo=clock.zone()))
        assert clock.day_of(clock.LATEST).year == 9999
        assert dates_shown.clinic_time(clock.EARLIEST)
        # Ordinary days are unchanged: 24 hours apart (no DST change in December).
        start, end = clock.day_bounds(date(2026, 12, 1))
        assert (end - start).total_seconds() == 86400


@pytest.fixture
def desk(make_staff, auth, db, app):
    app.config["WTF_CSRF_ENABLED"] = False
    auth.login(make_staff(role="front_desk").email)
    db.rollback()
    return auth._client


@pytest.mark.parametrize(("day", "at"), [("9999-12-31", "09:30"), ("0001-01-01", "00:30"),
                                         ("1900-01-01", "10:00"), ("2200-06-01", "10:00")])
def test_an_invite_far_from_today_is_refused_next_to_the_date(app, desk, db, day, at):
    app.config["TIMEZONE"] = "Europe/Berlin"
    response = desk.post("/staff/invites/new", data={"name": "Quinn Patient", "day": day,
                                                     "at": at})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please choose a date between" in html
    assert db.query(Intake).count() == 0
    db.rollback()
    assert desk.get("/staff/").status_code == 200


def test_an_invite_within_the_range_is_made(app, desk, db):
    app.config["TIMEZONE"] = "Europe/Berlin"
    with app.app_context():
        today = clock.today()
    next_year = today.replace(year=today.year + 1, day=min(today.day, 28))
    response = desk.post("/staff/invites/new", data={"name": "Quinn Patient",
                                                     "day": next_year.isoformat(),
                                                     "at": "00:30"})
    assert response.status_code == 302
    assert db.query(Intake).count() == 1


def test_a_huge_number_in_any_int_url_is_a_404(app, admin, nocsrf_app):
    """Every route with an <int:> part, with a value beyond 64 bits (issue 10)."""
    rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(rules) >= 8
    for rule in rules:
        path = rule.build({arg: int(HUGE) for arg in rule.arguments})[1]
        for method in sorted(m for m in rule.methods if m in {"GET", "POST"}):
            response = admin.open(path, method=method)
            assert response.status_code == 404, (rule.endpoint, method, response.status_code)


@pytest.fixture
def nocsrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = False
    return app
