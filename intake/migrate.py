"""Schema migrations with Alembic, configured in code (no alembic.ini to drift).

Revisions are numbered 0001, 0002, ... in one line of history: `revision`
gives the next number rather than Alembic's random ids, so the order of the
files is the order they apply in.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class MigrationError(RuntimeError):
    """A migration command that cannot go ahead, with a message for the user."""


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", database_url)
    return cfg


def upgrade(database_url: str, revision: str = "heads") -> None:
    _ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Undo migrations down to `revision` ("0003", "-1" or "base")."""
    command.downgrade(alembic_config(database_url), revision)


def current_heads(database_url: str) -> list[str]:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def script_heads() -> list[str]:
    """The revisions the code expects the database to be at."""
    return list(_scripts().get_heads())


@dataclass(frozen=True)
class RevisionInfo:
    revision: str
    down_revision: str | None
    title: str


def history() -> list[RevisionInfo]:
    """Every revision, oldest first."""
    revisions = list(_scripts().walk_revisions())
    revisions.reverse()
    return [RevisionInfo(r.revision, r.down_revision, (r.doc or "").strip().splitlines()[0]
                         if r.doc else "") for r in revisions]


def next_revision_id() -> str:
    heads = script_heads()
    if len(heads) != 1:
        raise MigrationError(f"history has {len(heads)} heads; merge them first")
    return f"{int(heads[0]) + 1:04d}"


def revision(database_url: str, message: str, *, autogenerate: bool = True) -> Path:
    """Write the next revision file; with `autogenerate`, from the difference
    between the models and a database at head (Alembic compares them)."""
    if autogenerate:
        at, expected = set(current_heads(database_url)), set(script_heads())
        if at != expected:
            raise MigrationError(
                f"the database is at {', '.join(sorted(at)) or 'base'}, not at "
                f"{', '.join(sorted(expected))}: run `intake db upgrade` first, so the new "
                "revision holds only what the models changed"
            )
    with warnings.catch_warnings():
        # SQLite cannot reflect the dashboard's expression index; Alembic then
        # leaves it alone, which is right, but SQLAlchemy warns on every run.
        warnings.filterwarnings("ignore", message=".*expression-based index")
        script = command.revision(alembic_config(database_url), message=message,
                                  autogenerate=autogenerate, rev_id=next_revision_id())
    return Path(script.path)


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
