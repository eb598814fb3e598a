"""typed name search: the name the patient typed, kept on the intake and indexed

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:00:00

The clinic invites "Sam Sample"; the patient may type "Samantha Sample" on
step 1 (a walk-in has no invited name at all). The dashboard shows both and
must find either, so the typed name is copied from the answers to
intakes.typed_name when a step is saved or the intake submitted
(intake.operations.submissions) and indexed like patients.display_name in
0005: an external-content FTS5 trigram table with triggers on SQLite, a GIN
pg_trgm index on PostgreSQL. Existing rows are filled from their answers.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

FTS = "intakes_name_fts"
INDEX = "ix_intakes_typed_name_trgm"
NAME_KEY = "about.full_name"

SQLITE_UP = (
    "UPDATE intakes SET typed_name = NULLIF(SUBSTR(TRIM(json_extract(answers, "
    f"'$.\"{NAME_KEY}\"')), 1, 200), '') WHERE json_type(answers, '$.\"{NAME_KEY}\"') = 'text'",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(typed_name, content='intakes', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON intakes BEGIN "
    f"INSERT INTO {FTS}(rowid, typed_name) VALUES (new.id, new.typed_name); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON intakes BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, typed_name) VALUES ('delete', old.id, old.typed_name); "
    "END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF typed_name ON intakes BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, typed_name) VALUES ('delete', old.id, old.typed_name); "
    f"INSERT INTO {FTS}(rowid, typed_name) VALUES (new.id, new.typed_name); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TABLE IF EXISTS {FTS}",
)
POSTGRES_UP = (
    "UPDATE intakes SET typed_name = NULLIF(SUBSTR(TRIM(answers::jsonb ->> "
    f"'{NAME_KEY}'), 1, 200), '') WHERE jsonb_typeof(answers::jsonb -> '{NAME_KEY}') = 'string'",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX {INDEX} ON intakes USING gin (typed_name gin_trgm_ops)",
)
POSTGRES_DOWN = (f"DROP INDEX IF EXISTS {INDEX}",)


def _run(statements: dict) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"typed name search index for {dialect}")
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade() -> None:
    op.add_column('intakes', sa.Column('typed_name', sa.String(length=200), nullable=True))
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})
    op.drop_column('intakes', 'typed_name')
