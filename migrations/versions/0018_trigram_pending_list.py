"""name search: the trigram indexes without a pending list (PostgreSQL)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 06:40:00

A GIN index takes new rows into a "pending list" that every search reads
from start to end until VACUUM (or 4 MB of them) merges it into the index.
The dashboard's name search reads both trigram indexes on every search: at
100,000 intakes inserted since the last VACUUM, the typed-name index's
344-page pending list made a search for a rare name take 10.8 ms instead of
0.07 ms (EXPLAIN ANALYZE), growing with the intakes, not the matches. A
clinic adds intakes a few a minute at most, so each insert can update the
index itself: fastupdate off, and the pending list there now is merged.

SQLite's FTS5 tables have no such list: nothing to do there.
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

INDEXES = ("ix_patients_display_name_trgm", "ix_intakes_typed_name_trgm")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        # turning it off keeps what is pending there: merge it now
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
