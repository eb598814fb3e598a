"""Test databases on SQLite (the default) or PostgreSQL (INTAKE_TEST_DATABASE_URL).

Both kinds migrate one template database once per session and hand each test
a copy: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.
Migrating per test would cost seconds each; a copy costs milliseconds.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool

from intake import migrate

ENV_VAR = "INTAKE_TEST_DATABASE_URL"


def postgres_url() -> str | None:
    """The PostgreSQL server the suite runs against, if any."""
    return os.environ.get(ENV_VAR) or None


def on_postgres() -> bool:
    return postgres_url() is not None


class SqliteTemplate:
    dialect = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.sqlite3"
        migrate.upgrade(f"sqlite:///{self.path}")

    def copy(self, folder: Path, name: str) -> str:
        target = folder / f"{name}.sqlite3"
        shutil.copy(self.path, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        """The file goes with the test's tmp_path."""

    def close(self) -> None:
        """The template goes with the session's tmp_path."""


class PostgresTemplate:
    dialect = "postgresql"

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url)
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT",
                                   poolclass=NullPool)
        # The process id keeps two test runs sharing one server apart.
        self.prefix = f"intake_{os.getpid()}"
        self.name = f"{self.prefix}_template"
        self._counter = itertools.count(1)
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')
        migrate.upgrade(self._url(self.name))
        with self.admin.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version_num").scalar()
        # PostgreSQL 15 copies through the WAL by default; copying the files is
        # several times faster for a database this small.
        self._strategy = " STRATEGY FILE_COPY" if int(version) >= 150000 else ""

    def copy(self, folder: Path, name: str) -> str:
        database = f"{self.prefix}_{next(self._counter)}"
        self._admin(f'CREATE DATABASE "{database}" TEMPLATE "{self.name}"{self._strategy}')
        return self._url(database)

    def drop(self, url: str) -> None:
        # FORCE: a test that leaked a connection (a server thread) must not
        # leave its database behind for the rest of the run.
        self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.dispose()

    def _url(self, database: str) -> str:
        return self.server.set(database=database).render_as_string(hide_password=False)

    def _admin(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(sql)


def make_template(folder: Path) -> SqliteTemplate | PostgresTemplate:
    url = postgres_url()
    return PostgresTemplate(url) if url else SqliteTemplate(folder)


# --- raw access, as someone with a database client would have -----------------


@contextmanager
def raw_connection(url: str) -> Iterator[Connection]:
    """A connection outside the app's engine (no pragmas, no BEGIN IMMEDIATE):
    what a person with `psql` or `sqlite3` at hand could do. Committed at the end."""
    engine: Engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def raw_execute(url: str, sql: str, **params) -> None:
    with raw_connection(url) as conn:
        conn.execute(text(sql), params)


def drop_trigger(url: str, table: str, name: str) -> None:
    """Remove a guard trigger, as a database owner could, to test what is left."""
    dialect = make_url(url).get_backend_name()
    sql = f"DROP TRIGGER {name}" if dialect == "sqlite" else f"DROP TRIGGER {name} ON {table}"
    raw_execute(url, sql)
