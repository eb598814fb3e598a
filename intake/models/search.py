"""Finding patients by a part of their name, through an index on either database.

A name search used to be `display_name ILIKE '%robin%'`, which no b-tree can
serve: every search read every patient (8 times slower at 100k patients than
at 1k). Both databases index substrings by trigrams instead (migration 0005):

- SQLite: an FTS5 table with the trigram tokenizer over patients.display_name
  (external content: it holds only the index; triggers keep it current). A
  quoted phrase matches wherever its text occurs in a name, ignoring case.
- PostgreSQL: a GIN trigram index (pg_trgm), which ILIKE itself uses; being
  an index on the column it needs no trigger.

Trigrams need three characters: a shorter search falls back to the plain
ILIKE (it matches so many names that the dashboard walks the schedule).
"""

from __future__ import annotations

from sqlalchemy import Select, column, select, table, text

from intake.models.clinic import Patient

FTS_TABLE = "patients_name_fts"
TRIGRAM_INDEX = "ix_patients_display_name_trgm"
MIN_INDEXED = 3


def name_condition(q: str):
    """A row condition: the patient's name contains `q` (case-insensitive)."""
    needle = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Patient.display_name.ilike(f"%{needle}%", escape="\\")


def matching_ids_statement(dialect: str, q: str, limit: int) -> Select:
    """SELECT the ids of (at most `limit`) patients whose name contains `q`."""
    needle = q.strip()
    if dialect == "sqlite" and len(needle) >= MIN_INDEXED:
        fts = table(FTS_TABLE, column("rowid"))
        phrase = '"' + needle.replace('"', '""') + '"'
        return (select(fts.c.rowid)
                .where(text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase))
                .limit(limit))
    return select(Patient.id).where(name_condition(needle)).limit(limit)


def include_name(name: str | None, type_: str, _parents: object = None) -> bool:
    """Alembic's include_name hook: leave out the name index's schema objects,
    which the models do not describe (the FTS5 table and its shadow tables,
    the trigram index), when comparing the models with a database."""
    if type_ == "table" and name is not None:
        return not (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))
    return not (type_ == "index" and name == TRIGRAM_INDEX)
