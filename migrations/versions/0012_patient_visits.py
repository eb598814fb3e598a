"""patient visits: a patient's date of birth, an intake's kind and the intake it follows

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 01:10:00

- patients.date_of_birth (indexed): copied from a submitted intake's answer
  with role date_of_birth, so staff can find a patient by name and birth date
  and a walk-in can be matched to an existing patient.
- patients.match_dismissed_at: staff said a possible match is another person.
- intakes.kind ('first' or 'follow_up', existing rows 'first') and
  intakes.follows_id (the earlier intake a follow-up re-checks).

Both intake columns are set when the intake is made (at invite time), so the
guards of 0004 need no change: intakes_submitted_immutable watches only the
answers, completed_steps, is_submitted and submitted_at of a submitted row,
and confirming a walk-in's patient changes patient_id, which it allows.

Plain ALTER TABLE on both databases (a batch copy on SQLite would lose the
guards' triggers and other tables' expression indexes); SQLite accepts an
added column with REFERENCES when its default is NULL.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column('patients', sa.Column('date_of_birth', sa.Date(), nullable=True))
    op.add_column('patients', sa.Column('match_dismissed_at', sa.DateTime(), nullable=True))
    op.create_index(op.f('ix_patients_date_of_birth'), 'patients', ['date_of_birth'])
    op.add_column('intakes', sa.Column('kind', sa.String(length=20), nullable=False,
                                       server_default='first'))
    if dialect == 'sqlite':
        op.execute("ALTER TABLE intakes ADD COLUMN follows_id INTEGER "
                   "CONSTRAINT fk_intakes_follows_id_intakes REFERENCES intakes (id)")
    else:
        op.add_column('intakes', sa.Column('follows_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_intakes_follows_id_intakes'), 'intakes', 'intakes',
                              ['follows_id'], ['id'])
    op.create_index(op.f('ix_intakes_follows_id'), 'intakes', ['follows_id'])


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_index(op.f('ix_intakes_follows_id'), table_name='intakes')
    if dialect != 'sqlite':
        op.drop_constraint(op.f('fk_intakes_follows_id_intakes'), 'intakes',
                           type_='foreignkey')
    op.drop_column('intakes', 'follows_id')
    op.drop_column('intakes', 'kind')
    op.drop_index(op.f('ix_patients_date_of_birth'), table_name='patients')
    op.drop_column('patients', 'match_dismissed_at')
    op.drop_column('patients', 'date_of_birth')
