"""follow-up interval: how often PHQ-2 and STarT Back are asked at follow-ups

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 03:00:00

- clinics.follow_up_questionnaires_every (integer, default 4, 1 to 52):
  PHQ-2 and STarT Back are asked at visits 1 + N, 1 + 2N, ... (the intake is
  visit 1), so the default asks them at visits 5, 9, 13.

Plain ALTER TABLE (no batch copy on SQLite, which would lose 0004's
triggers); SQLite takes the CHECK on the column.
"""
from alembic import op


revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None

COLUMN = "follow_up_questionnaires_every"
CHECK = f"{COLUMN} BETWEEN 1 AND 52"
NAME = "ck_clinics_follow_up_every_in_range"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE clinics ADD COLUMN {COLUMN} INTEGER NOT NULL DEFAULT 4 "
                   f"CONSTRAINT {NAME} CHECK ({CHECK})")
    else:
        op.execute(f"ALTER TABLE clinics ADD COLUMN {COLUMN} INTEGER NOT NULL DEFAULT 4")
        op.execute(f"ALTER TABLE clinics ADD CONSTRAINT {NAME} CHECK ({CHECK})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"ALTER TABLE clinics DROP CONSTRAINT {NAME}")
    op.execute(f"ALTER TABLE clinics DROP COLUMN {COLUMN}")
