"""The `intake` command: migrations, demo seeding and invites."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from intake.cli import main
from intake.models import Clinic, Intake, hash_token

LINK = re.compile(r"/i/([A-Za-z0-9_-]{40,})")


def test_db_upgrade_is_safe_to_repeat(runner, app, make_database):
    app.config["DATABASE_URL"] = make_database("fresh", empty=True)
    first = runner.invoke(main, ["db", "upgrade"])
    again = runner.invoke(main, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert again.exit_code == 0, again.output
    assert "Database is at" in again.output


def test_invite_prints_a_link_whose_token_is_stored_only_hashed(runner, db):
    result = runner.invoke(
        main, ["invite", "--name", "Robin Synthetic", "--appointment", "2026-12-01T09:30"]
    )
    assert result.exit_code == 0, result.output
    token = LINK.search(result.output).group(1)
    intake = db.scalars(select(Intake)).one()
    assert intake.token_hash == hash_token(token)
    assert token not in (intake.token_hash or "")
    assert intake.patient.display_name == "Robin Synthetic"
    assert intake.appointment_at.isoformat().startswith("2026-12-01T09:30")
    assert (intake.token_expires_at - intake.created_at).days in (13, 14)


def test_invite_refuses_a_bad_appointment_and_an_empty_name(runner, db):
    bad_date = runner.invoke(main, ["invite", "--name", "Robin", "--appointment", "next week"])
    assert bad_date.exit_code == 2
    assert "2026-12-01T09:30" in bad_date.output
    blank = runner.invoke(main, ["invite", "--name", "   "])
    assert blank.exit_code == 2
    assert db.scalar(select(func.count()).select_from(Intake)) == 0


def test_invite_and_demo_refuse_to_print_links_without_a_base_url(runner, app, db):
    """Outside development INTAKE_BASE_URL has no default: a printed link would
    point at the wrong machine, so nothing is made."""
    app.config["BASE_URL"] = None
    for command in (["invite", "--name", "Robin Synthetic"], ["demo"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1, result.output
        assert "INTAKE_BASE_URL is not set" in result.output
        assert "/i/" not in result.output
    assert db.scalar(select(func.count()).select_from(Intake)) == 0
    assert db.scalar(select(func.count()).select_from(Clinic)) == 0


def test_demo_seeds_once_and_refuses_a_second_silent_run(runner, db):
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    assert LINK.search(first.output)
    assert "/start/" in first.output
    second = runner.invoke(main, ["demo"])
    assert second.exit_code != 0
    assert "already seeded" in second.output
    assert db.scalar(select(func.count()).select_from(Clinic)) == 1


def test_demo_refresh_issues_new_links(runner):
    first = runner.invoke(main, ["demo"])
    again = runner.invoke(main, ["demo", "--refresh"])
    assert again.exit_code == 0, again.output
    assert LINK.search(again.output).group(1) != LINK.search(first.output).group(1)


def test_questionnaire_schema_lists_every_question_as_json(runner):
    import json

    from intake.questionnaire import load_definition

    result = runner.invoke(main, ["questionnaire", "schema"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] == load_definition().version
    listed = {q["id"] for step in data["steps"] for q in step["questions"]}
    assert listed == set(load_definition().questions)
    by_id = {q["id"]: q for step in data["steps"] for q in step["questions"]}
    assert by_id["pregnancy.status"]["show_if"]


def test_an_appointment_without_a_zone_is_the_clinics_local_time(runner, app, db):
    app.config["TIMEZONE"] = "America/Toronto"
    result = runner.invoke(
        main, ["invite", "--name", "Robin Synthetic", "--appointment", "2026-12-01T09:30"]
    )
    assert result.exit_code == 0, result.output
    intake = db.scalars(select(Intake)).one()
    assert intake.appointment_at.isoformat() == "2026-12-01T14:30:00+00:00"
    assert "EST" in result.output
