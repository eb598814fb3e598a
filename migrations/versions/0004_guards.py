"""guards: append-only and immutable rows, enforced by the database on SQLite and PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:00:00

What the code promises, the database now refuses to break, whoever connects:

- audit_events, decisions, sign_offs, screenings, flags: no UPDATE, no DELETE
  (and no TRUNCATE on PostgreSQL, which skips row triggers).
- intakes: once submitted, answers, completed_steps, is_submitted and
  submitted_at never change and the row is never deleted; status,
  worst_rank, updated_at and the link's token may (review, re-screening).
- documents: a ready row's content (intake, kind, version, hash, size,
  times) never changes; its status may only go from ready to expired (the
  retention tombstone, whose file is destroyed); ready and expired rows are
  never deleted.

0001 and 0002 had SQLite-only triggers for part of this; 0002's append-only
triggers stay on SQLite and get PostgreSQL twins here, 0001's answers trigger
is replaced by the wider intakes_submitted_immutable.

Both dialects raise an integrity error (SQLite: RAISE(ABORT); PostgreSQL:
SQLSTATE 23000) with the same message, so callers and tests see one thing.
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

APPEND_ONLY_0002 = ("decisions", "sign_offs", "audit_events")   # SQLite triggers exist
APPEND_ONLY_NEW = ("screenings", "flags")

# JSON columns compared as text: PostgreSQL's json type has no equality operator.
_SUBMITTED_CHANGED = {
    "sqlite": ("OLD.is_submitted AND (NEW.answers IS NOT OLD.answers "
               "OR NEW.completed_steps IS NOT OLD.completed_steps "
               "OR NEW.is_submitted IS NOT OLD.is_submitted "
               "OR NEW.submitted_at IS NOT OLD.submitted_at)"),
    "postgresql": ("OLD.is_submitted AND (NEW.answers::text IS DISTINCT FROM OLD.answers::text "
                   "OR NEW.completed_steps::text IS DISTINCT FROM OLD.completed_steps::text "
                   "OR NEW.is_submitted IS DISTINCT FROM OLD.is_submitted "
                   "OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at)"),
}
_DOCUMENT_CONTENT = ("intake_id", "kind", "version", "sha256", "size", "created_at",
                     "rendered_at")


def _document_changed(dialect: str) -> str:
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    content = " OR ".join(f"NEW.{c} {differs} OLD.{c}" for c in _DOCUMENT_CONTENT)
    return (f"OLD.status = 'expired' OR (OLD.status = 'ready' AND "
            f"(NEW.status NOT IN ('ready', 'expired') OR {content}))")


def _guards(dialect: str) -> list[tuple[str, str, str, str | None, str]]:
    """(trigger name, table, event, condition or None, message)."""
    guards = []
    tables = APPEND_ONLY_NEW if dialect == "sqlite" else APPEND_ONLY_0002 + APPEND_ONLY_NEW
    for table in tables:
        for verb in ("UPDATE", "DELETE"):
            guards.append((f"{table}_no_{verb.lower()}", table, verb, None,
                           f"{table} is append-only"))
    guards += [
        ("intakes_submitted_immutable", "intakes", "UPDATE", _SUBMITTED_CHANGED[dialect],
         "submitted intake answers are immutable"),
        ("intakes_submitted_no_delete", "intakes", "DELETE", "OLD.is_submitted",
         "submitted intake answers are immutable"),
        ("documents_ready_immutable", "documents", "UPDATE", _document_changed(dialect),
         "ready documents are immutable"),
        ("documents_ready_no_delete", "documents", "DELETE",
         "OLD.status IN ('ready', 'expired')", "ready documents are immutable"),
    ]
    return guards


TRUNCATE_GUARDED = APPEND_ONLY_0002 + APPEND_ONLY_NEW + ("intakes", "documents")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION intake_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS intakes_answers_immutable")
        for name, table, event, condition, message in _guards(dialect):
            when = f" WHEN {condition}" if condition else ""
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table}{when} "
                       f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
    elif dialect == "postgresql":
        op.execute(PG_FUNCTION)
        for name, table, event, condition, message in _guards(dialect):
            when = f" WHEN ({condition})" if condition else ""
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW{when} "
                       f"EXECUTE FUNCTION intake_refuse('{message}')")
        for table in TRUNCATE_GUARDED:
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION intake_refuse('{table} is append-only')")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, *_ in _guards(dialect):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(
            "CREATE TRIGGER intakes_answers_immutable BEFORE UPDATE OF answers ON intakes "
            "WHEN OLD.is_submitted = 1 AND NEW.answers IS NOT OLD.answers "
            "BEGIN SELECT RAISE(ABORT, 'submitted intake answers are immutable'); END"
        )
    elif dialect == "postgresql":
        for table in TRUNCATE_GUARDED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        for name, table, *_ in _guards(dialect):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS intake_refuse()")
