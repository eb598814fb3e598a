"""The test databases themselves: each is a separate, migrated copy."""

from __future__ import annotations

from database_support import raw_connection, raw_execute
from sqlalchemy import text

from intake import migrate


def _clinics(url: str) -> int:
    with raw_connection(url) as conn:
        return conn.execute(text("SELECT count(*) FROM clinics")).scalar()


def test_two_databases_of_one_test_do_not_share_rows(make_database):
    first, second = make_database("first"), make_database("second")
    assert first != second
    raw_execute(first, "INSERT INTO clinics (name, created_at) VALUES ('A', CURRENT_TIMESTAMP)")
    assert (_clinics(first), _clinics(second)) == (1, 0)


def test_every_copy_is_at_head(make_database, database_url):
    assert migrate.current_heads(database_url) == migrate.script_heads()
    assert migrate.current_heads(make_database("other")) == migrate.script_heads()
    assert migrate.current_heads(make_database("bare", empty=True)) == []


def test_a_previous_test_left_nothing_behind(database_url):
    """Run after the first test in this file: the template was not written to."""
    assert _clinics(database_url) == 0


def test_the_old_sqlite_template_fixture_still_works(migrated_template, tmp_path):
    import shutil

    copy = tmp_path / "old-style.sqlite3"
    shutil.copy(migrated_template, copy)
    assert migrate.current_heads(f"sqlite:///{copy}") == migrate.script_heads()
