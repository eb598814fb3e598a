"""name search: a trigram index over patients.display_name on SQLite and PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:00:00

The dashboard's name search looks for a part of a name (ILIKE '%x%'), which
a b-tree cannot serve, so every search read every patient. Trigram indexes
serve substring searches (intake/models/search.py holds the queries):

- SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34 or later)
  over patients.display_name. It is an external-content table (it stores the
  index, not the names), kept current by triggers on patients and filled
  from the existing rows with 'rebuild'.
- PostgreSQL: the pg_trgm extension and a GIN index on the column; ILIKE uses
  it directly and PostgreSQL keeps it current. pg_trgm is a trusted
  extension, so the database owner may create it (PostgreSQL 13 or later).
  The downgrade drops the index and leaves the extension, which other
  schemas on the server may use.
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

FTS = "patients_name_fts"
INDEX = "ix_patients_display_name_trgm"

SQLITE_UP = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(display_name, content='patients', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON patients BEGIN "
    f"INSERT INTO {FTS}(rowid, display_name) VALUES (new.id, new.display_name); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON patients BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, display_name) VALUES ('delete', old.id, old.display_name); "
    "END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF display_name ON patients BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, display_name) VALUES ('delete', old.id, old.display_name); "
    f"INSERT INTO {FTS}(rowid, display_name) VALUES (new.id, new.display_name); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TABLE IF EXISTS {FTS}",
)
POSTGRES_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX {INDEX} ON patients USING gin (display_name gin_trgm_ops)",
)
POSTGRES_DOWN = (f"DROP INDEX IF EXISTS {INDEX}",)


def _run(statements: dict) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"name search index for {dialect}")
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})
