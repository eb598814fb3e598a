"""visit answers: a follow-up's merged answers, and a wider guard on submitted intakes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 02:50:00

- intakes.merged_answers (JSON, NULL for a first intake): a follow-up's
  answers carried forward onto the intake it follows (intake.visits.
  carry_forward), keyed by intake question ids. Written once, at the
  follow-up's submission, in the same UPDATE that sets is_submitted; it is
  what that visit is screened on and what its summary shows "as of this
  visit". `answers` of a follow-up holds the follow-up's own answers.
- intakes_submitted_immutable now also watches merged_answers, kind,
  follows_id and typed_name: once submitted, none of them changes.

The trigger is dropped and created again with the same name on both
databases (plain statements; no batch copy, which would lose other triggers).
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_JSON_OLD = ("answers", "completed_steps")
_PLAIN_OLD = ("is_submitted", "submitted_at")
_JSON_NEW = _JSON_OLD + ("merged_answers",)
_PLAIN_NEW = _PLAIN_OLD + ("kind", "follows_id", "typed_name")
MESSAGE = "submitted intake answers are immutable"


def _changed(dialect: str, json_columns, plain_columns) -> str:
    # JSON compared as text on PostgreSQL: its json type has no equality operator.
    if dialect == "sqlite":
        parts = [f"NEW.{c} IS NOT OLD.{c}" for c in json_columns + plain_columns]
    else:
        parts = [f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in json_columns]
        parts += [f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in plain_columns]
    return f"OLD.is_submitted AND ({' OR '.join(parts)})"


def _replace_guard(json_columns, plain_columns) -> None:
    dialect = op.get_bind().dialect.name
    condition = _changed(dialect, json_columns, plain_columns)
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS intakes_submitted_immutable")
        op.execute(f"CREATE TRIGGER intakes_submitted_immutable BEFORE UPDATE ON intakes "
                   f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    else:
        op.execute("DROP TRIGGER IF EXISTS intakes_submitted_immutable ON intakes")
        op.execute(f"CREATE TRIGGER intakes_submitted_immutable BEFORE UPDATE ON intakes "
                   f"FOR EACH ROW WHEN ({condition}) "
                   f"EXECUTE FUNCTION intake_refuse('{MESSAGE}')")


def upgrade() -> None:
    op.add_column('intakes', sa.Column('merged_answers', sa.JSON(), nullable=True))
    _replace_guard(_JSON_NEW, _PLAIN_NEW)


def downgrade() -> None:
    _replace_guard(_JSON_OLD, _PLAIN_OLD)
    op.drop_column('intakes', 'merged_answers')
