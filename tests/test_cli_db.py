"""`intake db current|history|downgrade|revision` on the test database."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import Column, Integer, String, Table

from intake import migrate
from intake.cli import main
from intake.db import Base

HEAD = migrate.script_heads()[0]


def test_current_says_head_and_exits_zero(runner):
    result = runner.invoke(main, ["db", "current"])
    assert result.exit_code == 0, result.output
    assert f"Database is at {HEAD} (head)." in result.output


def test_current_on_an_empty_database_says_what_to_do(runner, app, make_database):
    app.config["DATABASE_URL"] = make_database("empty", empty=True)
    result = runner.invoke(main, ["db", "current"])
    assert result.exit_code == 1
    assert "base (empty)" in result.output and "intake db upgrade" in result.output


def test_history_lists_every_revision_oldest_first_and_marks_the_database(runner):
    result = runner.invoke(main, ["db", "history"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == [f"{n:04d}" for n in range(1, int(HEAD) + 1)]
    assert lines[0].startswith("0001  initial schema")
    assert lines[-1].endswith("<- database")
    assert sum("<- database" in line for line in lines) == 1


def test_downgrade_asks_first_and_does_nothing_when_refused(runner):
    refused = runner.invoke(main, ["db", "downgrade", "-1"], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert f"{HEAD} (head)" in runner.invoke(main, ["db", "current"]).output


def test_downgrade_one_step_then_upgrade_again(runner):
    down = runner.invoke(main, ["db", "downgrade", "-1"], input="y\n")
    assert down.exit_code == 0, down.output
    previous = f"{int(HEAD) - 1:04d}"
    assert f"Database is at {previous}." in down.output
    behind = runner.invoke(main, ["db", "current"])
    assert behind.exit_code == 1 and f"at {previous}; the code expects {HEAD}" in behind.output
    up = runner.invoke(main, ["db", "upgrade"])
    assert up.exit_code == 0 and f"Database is at {HEAD}." in up.output


def test_downgrade_to_an_unknown_revision_is_a_message(runner):
    result = runner.invoke(main, ["db", "downgrade", "nope", "--yes"])
    assert result.exit_code == 1
    assert "Error:" in result.output and "nope" in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def scratch_migrations(tmp_path, monkeypatch):
    """A copy of migrations/ to write new revisions into (never the repository's)."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    return folder


@pytest.fixture
def probe_table():
    """A model change to author a migration for: a table the models gain."""
    table = Table("probe_notes", Base.metadata, Column("id", Integer, primary_key=True),
                  Column("text", String(40), nullable=False))
    yield table
    Base.metadata.remove(table)


def test_revision_writes_the_next_numbered_file_from_the_model_change(
        runner, app, scratch_migrations, probe_table):
    result = runner.invoke(main, ["db", "revision", "-m", "probe notes"])
    assert result.exit_code == 0, result.output
    expected = f"{int(HEAD) + 1:04d}"
    [written] = scratch_migrations.joinpath("versions").glob(f"{expected}_*.py")
    assert written.name == f"{expected}_probe_notes.py"
    source = written.read_text()
    assert f"revision = '{expected}'" in source and f"down_revision = '{HEAD}'" in source
    assert "op.create_table('probe_notes'" in source
    assert "op.drop_table('probe_notes')" in source
    # Nothing else differs: the migrated schema matches the models.
    assert source.count("op.create_table") == 1 and "drop_index" not in source.split(
        "def downgrade")[0]
    # And it applies, then the database is at the new head.
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and f"Database is at {expected}." in upgraded.output


def test_revision_refuses_a_database_that_is_not_at_head(runner, app, scratch_migrations):
    assert runner.invoke(main, ["db", "downgrade", "-1", "--yes"]).exit_code == 0
    result = runner.invoke(main, ["db", "revision", "-m", "too early"])
    assert result.exit_code == 1
    assert "run `intake db upgrade` first" in result.output
    assert not list(scratch_migrations.joinpath("versions").glob(f"{int(HEAD) + 1:04d}_*"))


def test_empty_revision_needs_no_database_at_head(runner, app, scratch_migrations,
                                                 make_database):
    app.config["DATABASE_URL"] = make_database("empty", empty=True)
    result = runner.invoke(main, ["db", "revision", "-m", "data fix", "--empty"])
    assert result.exit_code == 0, result.output
    [written] = scratch_migrations.joinpath("versions").glob(f"{int(HEAD) + 1:04d}_data_fix.py")
    assert "pass" in written.read_text()
