"""draft_invalid: typed input that did not pass, kept with the draft

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:20:00

A patient's invalid birth date or over-long note is kept beside the draft
(never in `answers`) and shown back with its message. A CHECK ties it to the
draft: a submitted intake holds none, on SQLite and PostgreSQL alike, so the
0004 immutability triggers need no change (submission clears it in the same
UPDATE that sets is_submitted).
"""
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

CHECK = "draft_invalid IS NULL OR NOT is_submitted"
NAME = "ck_intakes_submitted_has_no_invalid_input"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a table constraint; a column CHECK may name other columns.
        op.execute(f"ALTER TABLE intakes ADD COLUMN draft_invalid JSON "
                   f"CONSTRAINT {NAME} CHECK ({CHECK})")
    else:
        op.execute("ALTER TABLE intakes ADD COLUMN draft_invalid JSON")
        op.execute(f"ALTER TABLE intakes ADD CONSTRAINT {NAME} CHECK ({CHECK})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"ALTER TABLE intakes DROP CONSTRAINT {NAME}")
    op.execute("ALTER TABLE intakes DROP COLUMN draft_invalid")
