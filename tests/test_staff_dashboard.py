"""The dashboard: today first, then upcoming, then past; urgent first within a day."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from staff_helpers import days_from_now, flagged_intake

from intake.models import IntakeStatus, utcnow
from intake.staff import schedule


@pytest.fixture
def signed_in(make_staff, auth, db):
    def _as(role="practitioner"):
        auth.login(make_staff(role=role).email)
        db.rollback()
        return auth._client
    return _as


def names(page: str) -> list[str]:
    return re.findall(r'<span class="name">\s*<a href="[^"]+">([^<]+)</a>', page)


def seed(db, clinic, make_invite):
    today = utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
    make_invite(name="Today Late Invited", appointment_at=today + timedelta(hours=3))
    flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)], name="Today Early Reviewed",
                   appointment_at=today - timedelta(hours=2), status=IntakeStatus.REVIEWED)
    flagged_intake(db, clinic, [("rf_suspected_dvt", "red_flag", "urgent")],
                   name="Today Red Flag", appointment_at=today + timedelta(hours=2))
    flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)],
                   name="Today Unreviewed", appointment_at=today + timedelta(hours=1))
    make_invite(name="Tomorrow Patient", appointment_at=days_from_now(1))
    make_invite(name="Next Week Patient", appointment_at=days_from_now(7))
    make_invite(name="Yesterday Patient", appointment_at=days_from_now(-1))
    make_invite(name="Last Month Patient", appointment_at=days_from_now(-30))


def test_order_today_then_upcoming_then_past(db, clinic, make_invite, signed_in):
    seed(db, clinic, make_invite)
    page = signed_in().get("/staff/").get_data(as_text=True)
    assert names(page) == [
        "Today Red Flag", "Today Unreviewed", "Today Early Reviewed", "Today Late Invited",
        "Tomorrow Patient", "Next Week Patient", "Yesterday Patient", "Last Month Patient",
    ]
    assert "Red flag: urgent" in page and "Precaution" in page
    assert page.index("Today, ") < page.index("upcoming") < page.index("past")


def test_front_desk_order_is_by_time_only(db, clinic, make_invite, signed_in):
    seed(db, clinic, make_invite)
    page = signed_in("front_desk").get("/staff/").get_data(as_text=True)
    assert names(page)[:4] == ["Today Early Reviewed", "Today Unreviewed", "Today Red Flag",
                               "Today Late Invited"]


def test_filters_and_search(db, clinic, make_invite, signed_in):
    seed(db, clinic, make_invite)
    client = signed_in()
    assert names(client.get("/staff/?level=red_flag").get_data(as_text=True)) == [
        "Today Red Flag"]
    assert names(client.get("/staff/?status=invited").get_data(as_text=True)) == [
        "Today Late Invited", "Tomorrow Patient", "Next Week Patient", "Yesterday Patient",
        "Last Month Patient"]
    assert names(client.get("/staff/?q=week").get_data(as_text=True)) == ["Next Week Patient"]
    assert names(client.get("/staff/?q=100%25").get_data(as_text=True)) == []
    day = days_from_now(-1).date().isoformat()
    assert names(client.get(f"/staff/?day={day}").get_data(as_text=True)) == [
        "Yesterday Patient"]
    assert "No intakes match" in client.get("/staff/?q=nobody").get_data(as_text=True)


def test_front_desk_cannot_filter_by_flag(db, clinic, make_invite, signed_in):
    seed(db, clinic, make_invite)
    page = signed_in("front_desk").get("/staff/?level=red_flag").get_data(as_text=True)
    assert len(names(page)) == 8  # the level filter is ignored, not applied


def test_pagination_walks_every_intake_once(app, db, clinic, make_invite):
    seed(db, clinic, make_invite)
    for n in range(5):
        make_invite(name=f"Tomorrow Extra {n}", appointment_at=days_from_now(1, hour=9 + n))
    with app.test_request_context():
        seen, cursor = [], None
        while True:
            result = schedule.page(db, schedule.Filters(), clinical=True, size=3, cursor=cursor)
            seen += [i.invited_name for d in result.days for i in d.intakes]
            cursor = result.next_cursor
            if cursor is None:
                break
    assert len(seen) == 13 and len(set(seen)) == 13
    assert seen[:4] == ["Today Red Flag", "Today Unreviewed", "Today Early Reviewed",
                        "Today Late Invited"]


def test_pager_link_in_the_page(db, clinic, make_invite, signed_in, monkeypatch):
    from intake.staff import routes_dashboard

    monkeypatch.setattr(routes_dashboard, "PAGE_SIZE", 3)
    seed(db, clinic, make_invite)
    client = signed_in()
    first = client.get("/staff/?status=invited").get_data(as_text=True)
    cursor = re.search(r'href="/staff/\?after=([^&"]+)&amp;status=invited"', first)
    assert cursor, first
    second = client.get(f"/staff/?after={cursor[1]}&status=invited").get_data(as_text=True)
    assert names(second) == ["Yesterday Patient", "Last Month Patient"]
    assert "Back to the start" in second


def test_bad_cursor_starts_from_the_beginning(db, clinic, make_invite, signed_in):
    seed(db, clinic, make_invite)
    page = signed_in().get("/staff/?after=not-a-cursor").get_data(as_text=True)
    assert names(page)[0] == "Today Red Flag"


def test_walk_ins_without_appointment_sit_on_the_day_they_started(db, clinic, signed_in):
    from intake.operations.invites import start_intake

    start_intake(db, clinic, days=1)
    db.commit()
    page = signed_in().get("/staff/").get_data(as_text=True)
    assert "Walk-in (name not given yet)" in page and "(walk-in)" in page


def test_clinic_timezone_decides_what_today_is(app, db, clinic, make_invite):
    app.config["TIMEZONE"] = "Pacific/Kiritimati"  # UTC+14: "today" there starts early
    make_invite(name="Late UTC", appointment_at=days_from_now(0, hour=11))
    with app.test_request_context():
        result = schedule.page(db, schedule.Filters(), clinical=True)
        from intake import clock

        assert result.days[0].day == clock.day_of(days_from_now(0, hour=11))


def test_search_for_a_common_name_walks_the_schedule(db, clinic, make_invite, signed_in,
                                                     monkeypatch):
    monkeypatch.setattr(schedule, "FEW_PATIENTS", 0)  # as if the name matched many
    seed(db, clinic, make_invite)
    page = signed_in().get("/staff/?q=today").get_data(as_text=True)
    assert names(page) == ["Today Red Flag", "Today Unreviewed", "Today Early Reviewed",
                           "Today Late Invited"]


def test_within_a_day_the_worst_flag_comes_first(db, clinic, make_invite, signed_in):
    at = utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
    # created least severe first and each a minute later, so time alone would
    # give the opposite order; reviewed, so "waiting for review" does not count
    flags = [("none", []), ("note", [("info_phq2_positive", "note", None)]),
             ("precaution", [("dn_diabetes", "precaution", None)]),
             ("contraindication", [("dn_cosmetic_implant", "contraindication", None)]),
             ("prompt", [("rf_a", "red_flag", "prompt")]),
             ("urgent", [("rf_b", "red_flag", "urgent")]),
             ("emergency", [("rf_c", "red_flag", "emergency"), ("dn_diabetes", "precaution",
                                                                  None)])]
    for minute, (name, flagged) in enumerate(flags):
        flagged_intake(db, clinic, flagged, name=f"Patient {name.capitalize()}",
                       appointment_at=at + timedelta(minutes=minute),
                       status=IntakeStatus.REVIEWED)
    page = signed_in().get("/staff/").get_data(as_text=True)
    assert names(page) == [f"Patient {n.capitalize()}" for n, _ in reversed(flags)]
    badges = re.findall(r'<span class="badge badge-([a-z]+)">([^<]+)</span>', page)
    assert badges == [("red", "Red flag: emergency"), ("red", "Red flag: urgent"),
                      ("red", "Red flag: prompt"), ("contraindication", "Contraindication"),
                      ("precaution", "Precaution"), ("note", "Note"), ("none", "No flags")]
    assert page.count('class="intake-row is-red"') == 3


def test_a_row_shows_both_names_the_birth_date_and_age_and_finds_either_name(
        app, db, clinic, make_staff, auth):
    from intake import clock
    from intake.operations.invites import create_invite, start_intake
    from intake.operations.submissions import save_step

    invited, _ = create_invite(db, clinic, name="Sam Sample", days=14)
    save_step(db, invited, "about", {"about.full_name": "Samantha Typedname",
                                     "about.date_of_birth": "1980-04-02"}, set(),
              completed=True)
    walk_in, _ = start_intake(db, clinic, days=1)  # the clinic's start link: no patient row
    save_step(db, walk_in, "about", {"about.full_name": "Wally Walkin"}, set(), completed=False)
    db.commit()
    auth.login(make_staff().email)
    with app.test_request_context():
        today = clock.today()
    age = today.year - 1980 - ((today.month, today.day) < (4, 2))
    page = auth._client.get("/staff/").get_data(as_text=True)
    row = page.split("Samantha Typedname")[1].split("</li>")[0]
    assert "(invited as Sam Sample)" in row and f"born 2 Apr 1980, age {age}" in row
    assert "Wally Walkin" in page and "name not given yet" not in page
    for q in ("typedname", "Sam Samp", "walkin"):
        found = auth._client.get(f"/staff/?q={q}").get_data(as_text=True)
        assert ("Wally Walkin" in found) == (q == "walkin"), q
        assert ("Samantha Typedname" in found) == (q != "walkin"), q


def test_front_desk_sees_a_call_today_mark_but_no_flag(app, db, clinic, make_staff):
    from staff_helpers import AuthActions

    flagged_intake(db, clinic, [("rf_cauda_equina", "red_flag", "emergency")],
                   name="Riley Redflag")
    flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)], name="Pat Otherpatient")
    db.commit()
    desk, practitioner = app.test_client(), app.test_client()
    AuthActions(desk).login(make_staff(role="front_desk").email)
    AuthActions(practitioner).login(make_staff(role="practitioner").email)
    page = desk.get("/staff/").get_data(as_text=True)
    red = page.split("Riley Redflag")[1].split("</li>")[0]
    other = page.split("Pat Otherpatient")[1].split("</li>")[0]
    assert "Call the patient today" in red and "Call the patient today" not in other
    for clinical in ("Red flag", "rf_cauda_equina", "Emergency", "Precaution", "badge"):
        assert clinical not in page, clinical
    seen = practitioner.get("/staff/").get_data(as_text=True)
    assert "Red flag" in seen and "Call the patient today" not in seen
    flags = practitioner.get("/staff/?level=red_flag").get_data(as_text=True)
    assert "Riley Redflag" in flags and "Pat Otherpatient" not in flags
