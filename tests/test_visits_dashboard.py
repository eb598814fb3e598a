"""The practitioner's day with follow-ups: a red flag new since the last visit
puts the patient at the top of the day, marked; follow-ups due today and
re-checks not completed are marked; the page stays within its statements."""

from __future__ import annotations

from datetime import timedelta

import visits_staff_support as support
from staff_helpers import flagged_intake
from test_staff_dashboard_queries import counted
from visits_staff_support import RED_FLAG_CHANGES

from intake.models import IntakeStatus
from intake.staff import schedule

course = support.course


def test_a_new_red_flag_at_a_follow_up_marks_it(course):
    first = course.first()
    calm = course.follow_up(first, when=course.at(-14))
    flagged = course.follow_up(calm, visit_number=3, **RED_FLAG_CHANGES)
    assert not first.new_red_flag and not calm.new_red_flag
    assert flagged.new_red_flag
    assert flagged.worst_rank >= 4


def test_a_red_flag_already_there_at_the_last_visit_is_not_new(course):
    first = course.first(**{"symptoms.saddle_numbness": "new"})
    again = course.follow_up(first, **{"symptoms.saddle_numbness": "new"})
    assert again.worst_rank >= 4
    assert not again.new_red_flag


def test_the_new_red_flag_is_at_the_top_of_the_days_list_above_older_red_flags(
        app, client, db, clinic, course, make_staff, auth):
    first = course.first(name="Quinn Fixture")
    # earlier in the day, with a red flag (emergency) of its own, but not new
    flagged_intake(db, clinic, [("rf_ces_bladder_dysfunction", "red_flag", "emergency")],
                   name="Avery Placeholder", appointment_at=course.at(0, 8))
    flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)], name="Blake Mock",
                   appointment_at=course.at(0, 7))
    new = course.follow_up(first, when=course.at(0, 16), **RED_FLAG_CHANGES)
    with app.test_request_context():
        page = schedule.page(db, schedule.Filters(), clinical=True)
        assert page.days[0].section == "today" and page.days[0].intakes[0].id == new.id
        # a page cut within the day (ordered in SQL) agrees
        cut = schedule.page(db, schedule.Filters(day=course.today()), clinical=True, size=1)
        assert cut.days[0].intakes[0].id == new.id
        # front desk: by time only
        desk = schedule.page(db, schedule.Filters(), clinical=False)
        assert desk.days[0].intakes[-1].id == new.id
    make_staff("practitioner", email="p@example.org")
    auth.login("p@example.org")
    html = client.get("/staff/").get_data(as_text=True)
    assert html.index("Quinn Fixture") < html.index("Avery Placeholder") < html.index(
        "Blake Mock")
    assert html.count("New red flag since last visit") == 1


def test_the_marks_of_follow_ups(app, course):
    first = course.first(name="Quinn Fixture")
    due, missed = course.invited(first, days=0), course.invited(first, days=-2)
    later, cancelled = course.invited(first, days=3), course.invited(first, days=-1)
    cancelled.status = IntakeStatus.CANCELLED
    today = course.today()
    with app.app_context():
        assert schedule.visit_marks(due, today) == {
            "new_red_flag": False, "follow_up_due": True, "recheck_missed": True}
        assert schedule.visit_marks(missed, today) == {
            "new_red_flag": False, "follow_up_due": False, "recheck_missed": True}
        assert schedule.visit_marks(later, today) == {
            "new_red_flag": False, "follow_up_due": False, "recheck_missed": False}
        assert schedule.visit_marks(cancelled, today) == {}
        assert schedule.visit_marks(first, today) == {}
        # a day later the follow-up is no longer due, and still not completed
        assert schedule.visit_marks(due, today + timedelta(days=1)) == {
            "new_red_flag": False, "follow_up_due": False, "recheck_missed": True}


def test_the_dashboard_shows_the_marks_in_words(client, course, make_staff, auth):
    first = course.first(name="Quinn Fixture")
    course.follow_up(first, when=course.at(0, 11), **RED_FLAG_CHANGES)
    course.invited(first, days=0)
    course.invited(first, days=-2)
    course.invited(first, days=3)
    make_staff("practitioner", email="p@example.org")
    auth.login("p@example.org")
    html = client.get("/staff/").get_data(as_text=True)
    assert html.count("New red flag since last visit") == 1
    assert html.count("Follow-up due today") == 2  # the submitted one and the one due
    assert html.count("Re-check not completed") == 2  # due today, and two days ago
    assert html.index("New red flag since last visit") < html.index("Follow-up due today")
    auth.logout()

    make_staff("front_desk", email="desk@example.org")
    auth.login("desk@example.org")
    desk = client.get("/staff/").get_data(as_text=True)
    assert "New red flag since last visit" not in desk
    assert "Re-check not completed" in desk and "Call the patient today" in desk


def test_the_dashboard_with_follow_ups_stays_within_ten_statements(
        app, client, course, make_staff, auth):
    for n in range(4):
        first = course.first(name=f"Sam Testcase {n}", when=course.at(-20 - n))
        course.follow_up(first, when=course.at(-n, 9 + n), **(RED_FLAG_CHANGES if n % 2 else {}))
        course.invited(first, days=-n, hour=14)
    make_staff("practitioner", email="p@example.org")
    auth.login("p@example.org")
    with counted(app) as statements:
        assert client.get("/staff/").status_code == 200
    page_statements = [s for s in statements if "intakes" in s or "patients" in s]
    assert len(page_statements) <= 10 and len(statements) <= 16, statements


def test_a_follow_ups_row_names_the_patient_from_its_merged_answers(app, db, course):
    """Its own answers hold no name or birth date; the list reads them from the
    merged set in SQL, as the patient typed them at the first visit."""
    first = course.first(name="Morgan Invited", **{"about.full_name": "Morgan Typed"})
    later = course.follow_up(first)
    assert "about.full_name" not in later.answers
    with app.test_request_context():
        page = schedule.page(db, schedule.Filters(), clinical=True)
        (listed,) = [i for d in page.days for i in d.intakes if i.id == later.id]
        row = schedule.row_of(listed, course.today())
    assert (row.who.name, row.who.invited_as) == ("Morgan Typed", "Morgan Invited")
    assert row.who.date_of_birth.isoformat() == first.answers["about.date_of_birth"]
