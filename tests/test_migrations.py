"""Migrations: one line of history, and a schema that matches the models."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

import intake.models  # noqa: F401
from intake.db import Base
from intake.migrate import alembic_config, upgrade


def test_history_has_a_single_head(tmp_path):
    cfg = alembic_config(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


# SQLite cannot reflect the dashboard's expression index; that is not drift.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrated_schema_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)
    engine = create_engine(url)
    assert "intakes" in inspect(engine).get_table_names()
    engine.dispose()
