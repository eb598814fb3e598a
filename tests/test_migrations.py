"""Migrations: one line of history, a schema that matches the models, and a
way back, on the test database (SQLite, or PostgreSQL under make test-postgres)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

import intake.models  # noqa: F401
from intake.db import Base
from intake.migrate import alembic_config, current_heads, downgrade, script_heads, upgrade
from intake.models.search import include_name


def test_history_has_a_single_head(tmp_path):
    cfg = alembic_config(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_revisions_are_numbered_in_order():
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    chain = [r.revision for r in reversed(list(scripts.walk_revisions()))]
    # Increasing four-digit numbers; a branch given a later id (0016 on 0014
    # while 0015 is on another branch) leaves a gap until the merge re-chains.
    assert all(len(r) == 4 and r.isdigit() for r in chain)
    assert chain == sorted(set(chain)) and chain[0] == "0001"


def _drift(url: str) -> list:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


# SQLite cannot reflect the dashboard's expression index; that is not drift.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrated_schema_matches_the_models(make_database):
    url = make_database("drift", empty=True)
    upgrade(url)
    assert _drift(url) == []


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_downgrade_to_base_and_up_again(make_database):
    url = make_database("roundtrip", empty=True)
    upgrade(url)
    downgrade(url, "base")
    assert _tables(url) <= {"alembic_version"}
    assert current_heads(url) == []
    upgrade(url)
    assert "intakes" in _tables(url)
    assert current_heads(url) == script_heads()
    assert _drift(url) == []


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_each_revision_steps_down_and_up(make_database):
    """Every downgrade() undoes its upgrade(), one revision at a time."""
    url = make_database("steps", empty=True)
    upgrade(url)
    scripts = ScriptDirectory.from_config(alembic_config(url))
    for script in scripts.walk_revisions():  # head first
        downgrade(url, "-1")
        assert current_heads(url) == ([script.down_revision] if script.down_revision else [])
        upgrade(url, script.revision)
        downgrade(url, "-1")
    upgrade(url)
    assert _drift(url) == []


def test_guards_come_back_after_a_round_trip(make_database):
    """Downgrading past 0004 and upgrading again leaves the guards in place."""
    from database_support import raw_execute
    from sqlalchemy.exc import IntegrityError

    url = make_database("guards", empty=True)
    upgrade(url)
    raw_execute(url, "INSERT INTO audit_events (id, at, actor_label, action, detail, prev_hash, "
                     "hash) VALUES (1, CURRENT_TIMESTAMP, '', 'test', '{}', 'p', 'h')")
    downgrade(url, "0003")
    upgrade(url)
    with pytest.raises(IntegrityError, match="append-only"):
        raw_execute(url, "UPDATE audit_events SET action = 'x'")
    with pytest.raises(IntegrityError, match="append-only"):
        raw_execute(url, "DELETE FROM audit_events")


def test_upgrade_makes_the_folder_of_a_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'db.sqlite3'}"
    upgrade(url)
    assert "intakes" in _tables(url)
