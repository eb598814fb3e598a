"""One clock: "today" is the clinic's date (INTAKE_TIMEZONE) everywhere.

The case that used to go wrong: a clinic east of UTC (Auckland, UTC+12 in
June) in its morning, on a server that runs in UTC, where UTC's date is
still yesterday. The clock is frozen through intake.clock.now (no sleeps),
at an instant in the future, so a stray `date.today()` (the server's real
date) would refuse the clinic's today as "in the future" and fail here.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from answers import valid_answers
from click.testing import CliRunner
from patient_helpers import post_step, step_post
from sqlalchemy import select

from intake import clock
from intake.models import Intake

pytest_plugins = ["patient_fixtures"]

CLINIC = "Pacific/Auckland"
#: 20:30 UTC on 1 June, two years on: 08:30 on 2 June in Auckland
FROZEN = datetime(date.today().year + 2, 6, 1, 20, 30, tzinfo=UTC)
CLINIC_TODAY = FROZEN.astimezone(ZoneInfo(CLINIC)).date()
UTC_TODAY = FROZEN.date()


def test_the_frozen_instant_is_tomorrow_in_the_clinic():
    assert UTC_TODAY + timedelta(days=1) == CLINIC_TODAY
    assert date.today() < CLINIC_TODAY  # the server's real date is earlier still


@pytest.fixture
def auckland(app, monkeypatch):
    app.config["TIMEZONE"] = CLINIC
    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    return app


def test_clock_today_is_the_clinics_date(auckland):
    with auckland.app_context():
        assert clock.today() == CLINIC_TODAY
        assert clock.day_of(FROZEN) == CLINIC_TODAY
    assert clock.today_in(ZoneInfo("UTC")) == UTC_TODAY


def about_post(definition, birth: date):
    answers = valid_answers(definition, today=CLINIC_TODAY,
                            overrides={"about.date_of_birth": birth.isoformat()}, check=False)
    return step_post(definition, "about", answers)


def test_the_wizard_accepts_the_clinics_today_as_a_date_of_birth(
        auckland, client_nocsrf, token, definition):
    response = post_step(client_nocsrf, token, "about", about_post(definition, CLINIC_TODAY))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def test_the_wizard_still_refuses_the_clinics_tomorrow(
        auckland, client_nocsrf, token, definition):
    tomorrow = CLINIC_TODAY + timedelta(days=1)
    response = post_step(client_nocsrf, token, "about", about_post(definition, tomorrow))
    assert response.status_code == 422
    assert "The date cannot be in the future." in response.get_data(as_text=True)


def test_the_step_page_tells_its_script_the_clinics_today(auckland, client, token):
    html = client.get(f"/i/{token}/step/about").get_data(as_text=True)
    assert CLINIC_TODAY.isoformat() in html


def eighteen_today(definition) -> dict:
    """A patient whose 18th birthday is the clinic's today (UTC's date: still 17)."""
    birth = CLINIC_TODAY.replace(year=CLINIC_TODAY.year - 18)
    return valid_answers(definition, today=CLINIC_TODAY,
                         overrides={"about.date_of_birth": birth.isoformat()})


def test_submission_screens_ages_on_the_clinics_date(auckland, make_invite, db, definition,
                                                      make_staff):
    from intake.operations.review import current_plan, rescreen
    from intake.operations.submissions import submit_intake

    intake, _ = make_invite()
    intake.answers = eighteen_today(definition)
    db.commit()
    with auckland.app_context():
        # On UTC's date the patient is 17: the guardian questions would be
        # asked (and missing) and the under-18 rule would fire.
        record = submit_intake(db, intake, definition=definition)
    db.commit()
    assert intake.submitted_at == FROZEN
    assert "dn_minor" not in [f.rule_id for f in record.flags]
    staff = make_staff()
    stored = db.scalars(select(Intake).where(Intake.id == intake.id)).one()
    with auckland.app_context():
        again, _ = rescreen(db, stored, current_plan(db, stored), actor_id=staff.id)
    db.commit()
    assert "dn_minor" not in [f.rule_id for f in again.flags]


def test_submission_a_day_before_the_birthday_still_flags_a_minor(
        auckland, make_invite, db, definition):
    from intake.operations.submissions import IncompleteIntake, submit_intake

    intake, _ = make_invite()
    answers = eighteen_today(definition)
    birth = date.fromisoformat(answers["about.date_of_birth"]) + timedelta(days=1)
    answers["about.date_of_birth"] = birth.isoformat()
    intake.answers = answers
    db.commit()
    # 17 on the clinic's date: the guardian's questions are asked and missing
    with pytest.raises(IncompleteIntake) as error, auckland.app_context():
        submit_intake(db, intake, definition=definition)
    assert any(p.startswith("consent.guardian") for p in error.value.problems)
    db.rollback()


def test_intake_screen_defaults_to_the_clinics_today(monkeypatch, tmp_path, definition):
    from intake.cli.screen import screen_command

    monkeypatch.setenv("INTAKE_TIMEZONE", CLINIC)
    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(valid_answers(definition, today=CLINIC_TODAY)), encoding="utf-8")
    result = CliRunner().invoke(screen_command, [str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["intake_date"] == CLINIC_TODAY.isoformat()


def test_intake_screen_names_a_bad_time_zone(monkeypatch, tmp_path, definition):
    from intake.cli.screen import screen_command

    monkeypatch.setenv("INTAKE_TIMEZONE", "Mars/Olympus_Mons")
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(valid_answers(definition, today=CLINIC_TODAY)), encoding="utf-8")
    result = CliRunner().invoke(screen_command, [str(path)])
    assert result.exit_code != 0 and "INTAKE_TIMEZONE" in result.output
