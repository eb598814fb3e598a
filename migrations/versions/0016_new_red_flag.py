"""new red flag: a follow-up whose screening has a red flag its previous visit did not

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 03:00:00

- intakes.new_red_flag (boolean, false by default): set with each screening
  of a follow-up (intake.operations.visit_marks) when a red flag fires that
  did not fire at the latest screening of the visit it follows. The
  dashboard sorts it first within a day ("New red flag since last visit"),
  in SQL, so a page cut in the middle of a day still puts it at the top.

Like worst_rank it may change after submission (a new plan screens again),
so the 0014 guard on submitted intakes needs no change. Plain ALTER TABLE on
both databases (no batch copy, which would lose 0004's triggers).
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('intakes', sa.Column('new_red_flag', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('intakes', 'new_red_flag')
