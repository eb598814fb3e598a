"""shown once: one store for what a page shows once; form_returns goes

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 17:40:00

"Show once" was done three ways: a nonce in the session cookie for a new
patient link, the form_returns table for a refused staff form, and a sealed
resume code in the cookie. One table now holds all three, for one purpose,
owner and intake, sealed, taken once and swept within minutes
(intake.operations.shown_once). form_returns is dropped with its rows: they
were minutes old at most, and losing one only shows a refused form blank.
Going down recreates form_returns empty (and drops what waits in shown_once).
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'shown_once',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=40), nullable=False),
        sa.Column('owner', sa.String(length=80), nullable=False),
        sa.Column('intake_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['intake_id'], ['intakes.id'], ondelete='CASCADE',
                                name=op.f('fk_shown_once_intake_id_intakes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shown_once')),
    )
    op.create_index(op.f('ix_shown_once_owner'), 'shown_once', ['owner'])
    op.create_index(op.f('ix_shown_once_expires_at'), 'shown_once', ['expires_at'])
    op.drop_index(op.f('ix_form_returns_created_at'), table_name='form_returns')
    op.drop_index(op.f('ix_form_returns_staff_user_id'), table_name='form_returns')
    op.drop_table('form_returns')


def downgrade() -> None:
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
    op.drop_index(op.f('ix_shown_once_expires_at'), table_name='shown_once')
    op.drop_index(op.f('ix_shown_once_owner'), table_name='shown_once')
    op.drop_table('shown_once')
