"""`intake user reset-two-factor EMAIL`: for someone who lost their phone and
their recovery codes when no admin can sign in to reset it."""

from __future__ import annotations

from twofactor_helpers import (  # noqa: F401  (fixtures: clock, key)
    T0,
    clock_fixture,
    enrol,
    events,
    key_fixture,
    require,
    signed_in,
    still_enrolled,
)

from intake.cli import main


def test_the_cli_resets_two_factor_and_ends_every_session(app, runner, make_staff, db, clock,
                                                          key):
    user = make_staff(email="p@example.org")
    secret, _ = enrol(db, user, key)
    user_id = user.id
    db.rollback()
    first = signed_in(app, "p@example.org", secret)
    second = signed_in(app, "p@example.org", secret, T0 + 30)
    result = runner.invoke(main, ["user", "reset-two-factor", "P@Example.org"])
    assert result.exit_code == 0, result.output
    assert result.output == ("Two-factor sign-in for p@example.org is turned off; "
                             "2 sessions ended.\n")
    for browser in (first, second):
        assert browser.get("/staff/").headers["Location"].startswith("/staff/login")
    assert not still_enrolled(db, user_id)
    (row,) = events(db, "account.two_factor_reset")
    assert row.actor_id is None
    assert row.detail == {"user_id": user_id, "was_set_up": True, "sessions_ended": 2,
                          "from": "cli"}
    # Nothing left to reset: said so, still fine.
    again = runner.invoke(main, ["user", "reset-two-factor", "p@example.org"])
    assert again.exit_code == 0
    assert "not set up: nothing to turn off; 0 sessions ended" in again.output


def test_the_cli_says_when_the_clinic_will_ask_again(runner, make_staff, db, key):
    enrol(db, make_staff(role="admin", email="a@example.org"), key)
    require(db)
    result = runner.invoke(main, ["user", "reset-two-factor", "a@example.org"])
    assert result.exit_code == 0, result.output
    assert "set it up again at their next sign-in" in result.output


def test_the_cli_refuses_an_unknown_email(runner, make_staff, db):
    make_staff(email="p@example.org")
    result = runner.invoke(main, ["user", "reset-two-factor", "nobody@example.org"])
    assert result.exit_code == 1
    assert "No staff account with email nobody@example.org." in result.output
    assert "Traceback" not in result.output
    assert events(db, "account.two_factor_reset") == []
