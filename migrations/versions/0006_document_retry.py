"""documents: when a failed render is next retried (capped exponential backoff)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = "0005"
branch_labels = None
depends_on = None


# Plain ALTER TABLE (SQLite 3.35+ drops columns itself): a batch copy of the
# table would reflect, and lose, the other tables' expression indexes.
def upgrade() -> None:
    op.add_column('documents', sa.Column('next_attempt_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column('documents', 'next_attempt_at')
