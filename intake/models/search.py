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

The dashboard finds an intake by either name: the invited one (the patient
row) or the one the patient typed (intakes.typed_name, indexed the same way
by migration 0010), so `matching_names_statement` reads both indexes.
"""

from __future__ import annotations

from sqlalchemy import (
    CompoundSelect,
    Select,
    column,
    literal,
    or_,
    select,
    table,
    text,
    union_all,
)

from intake.models.clinic import Patient
from intake.models.intake import Intake

FTS_TABLE = "patients_name_fts"
TRIGRAM_INDEX = "ix_patients_display_name_trgm"
TYPED_FTS_TABLE = "intakes_name_fts"
TYPED_TRIGRAM_INDEX = "ix_intakes_typed_name_trgm"
MIN_INDEXED = 3


def _pattern(q: str) -> str:
    needle = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{needle}%"


def name_condition(q: str):
    """A row condition: the patient's name contains `q` (case-insensitive)."""
    return Patient.display_name.ilike(_pattern(q), escape="\\")


def either_name_condition(q: str):
    """An intake row condition (patients outer-joined): the invited or the typed
    name contains `q`."""
    return or_(name_condition(q), Intake.typed_name.ilike(_pattern(q), escape="\\"))


def _fts_match(name: str, needle: str, key: str):
    phrase = '"' + needle.replace('"', '""') + '"'
    return text(f"{name} MATCH :{key}").bindparams(**{key: phrase})


#: The first column of matching_names_statement's rows: which id the row holds.
BY_PATIENT, BY_INTAKE = "patient", "intake"


def matching_names_statement(dialect: str, q: str, limit: int) -> CompoundSelect:
    """SELECT (kind, id) rows, at most `limit`: the patients whose invited name
    contains `q` (kind BY_PATIENT) and the intakes whose typed name does
    (BY_INTAKE), each through its own index.

    A UNION ALL under one LIMIT: both databases stop reading the indexes once
    `limit` rows are found, so a common name costs no more than before.
    """
    needle = q.strip()
    if dialect == "sqlite" and len(needle) >= MIN_INDEXED:
        invited = table(FTS_TABLE, column("rowid"))
        typed = table(TYPED_FTS_TABLE, column("rowid"))
        patients = select(literal(BY_PATIENT), invited.c.rowid).where(
            _fts_match(FTS_TABLE, needle, "invited"))
        intakes = select(literal(BY_INTAKE), typed.c.rowid).where(
            _fts_match(TYPED_FTS_TABLE, needle, "typed"))
    else:
        patients = select(literal(BY_PATIENT), Patient.id).where(name_condition(needle))
        intakes = select(literal(BY_INTAKE), Intake.id).where(
            Intake.typed_name.ilike(_pattern(needle), escape="\\"))
    return union_all(patients, intakes).limit(limit)


def matching_ids_statement(dialect: str, q: str, limit: int) -> Select:
    """SELECT the ids of (at most `limit`) patients whose name contains `q`."""
    needle = q.strip()
    if dialect == "sqlite" and len(needle) >= MIN_INDEXED:
        fts = table(FTS_TABLE, column("rowid"))
        return select(fts.c.rowid).where(_fts_match(FTS_TABLE, needle, "phrase")).limit(limit)
    return select(Patient.id).where(name_condition(needle)).limit(limit)


def include_name(name: str | None, type_: str, _parents: object = None) -> bool:
    """Alembic's include_name hook: leave out the name index's schema objects,
    which the models do not describe (the FTS5 table and its shadow tables,
    the trigram index), when comparing the models with a database."""
    if type_ == "table" and name is not None:
        return not any(name == fts or name.startswith(fts + "_")
                       for fts in (FTS_TABLE, TYPED_FTS_TABLE))
    return not (type_ == "index" and name in (TRIGRAM_INDEX, TYPED_TRIGRAM_INDEX))
