"""walk-ins: mark intakes started from the clinic link, and their resume codes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 01:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table and
    # would drop the submitted-intake triggers of 0004.
    op.add_column('intakes', sa.Column('walk_in', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.add_column('intakes', sa.Column('resume_code_hash', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_intakes_resume_code_hash'), 'intakes', ['resume_code_hash'],
                    unique=True)
    # Before this revision a walk-in was an intake without a patient.
    op.execute("UPDATE intakes SET walk_in = true WHERE patient_id IS NULL")


def downgrade() -> None:
    op.drop_index(op.f('ix_intakes_resume_code_hash'), table_name='intakes')
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+), again to keep 0004's triggers.
    op.execute("ALTER TABLE intakes DROP COLUMN resume_code_hash")
    op.execute("ALTER TABLE intakes DROP COLUMN walk_in")
