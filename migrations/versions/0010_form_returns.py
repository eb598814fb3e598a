"""form returns: what a refused staff form held, kept for the page it redirects to

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:10:00

A refused decision or sign-off redirects to the intake page (post-redirect-
get), which shows an error summary and the form as it was typed. The typed
decision note is clinical text, and the session cookie is signed, not
encrypted, so it is kept here for the one user and intake instead, read once
and deleted, and never older than a few minutes (intake.operations.form_returns).
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'form_returns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        sa.Column('intake_id', sa.Integer(), nullable=False),
        sa.Column('form', sa.String(length=40), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['intake_id'], ['intakes.id'],
                                name=op.f('fk_form_returns_intake_id_intakes')),
        sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'],
                                name=op.f('fk_form_returns_staff_user_id_staff_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_returns')),
    )
    op.create_index(op.f('ix_form_returns_staff_user_id'), 'form_returns', ['staff_user_id'])
    op.create_index(op.f('ix_form_returns_created_at'), 'form_returns', ['created_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_form_returns_created_at'), table_name='form_returns')
    op.drop_index(op.f('ix_form_returns_staff_user_id'), table_name='form_returns')
    op.drop_table('form_returns')
