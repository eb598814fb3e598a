"""staff sessions kept on the server, and sign-in throttling instead of locks

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:00:00

staff_sessions: one row per signed-in browser, ended by signing out, a
password change or reset, so a copied cookie stops working.
sign_in_throttles: failed sign-ins per (typed email, address), under an HMAC.
staff_users.locked_until goes (no more hard locks); last_failed_at comes, to
tell a burst of failures from an old one.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = "0006"
branch_labels = None
depends_on = None


# Plain ALTER TABLE for the columns (SQLite 3.35+ drops columns itself): a batch
# copy of staff_users would reflect, and lose, other tables' expression indexes.
def upgrade() -> None:
    op.create_table('staff_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('client_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.Column('refused_at', sa.DateTime(), nullable=True),
    sa.Column('password_failures', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'],
                            name=op.f('fk_staff_sessions_user_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_sessions_token_hash'))
    )
    op.create_index(op.f('ix_staff_sessions_user_id'), 'staff_sessions', ['user_id'],
                    unique=False)
    op.create_table('sign_in_throttles',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttles'))
    )
    op.create_index(op.f('ix_sign_in_throttles_last_failed_at'), 'sign_in_throttles',
                    ['last_failed_at'], unique=False)
    op.add_column('staff_users', sa.Column('last_failed_at', sa.DateTime(), nullable=True))
    op.drop_column('staff_users', 'locked_until')


def downgrade() -> None:
    op.add_column('staff_users', sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.drop_column('staff_users', 'last_failed_at')
    op.drop_index(op.f('ix_sign_in_throttles_last_failed_at'), table_name='sign_in_throttles')
    op.drop_table('sign_in_throttles')
    op.drop_index(op.f('ix_staff_sessions_user_id'), table_name='staff_sessions')
    op.drop_table('staff_sessions')
