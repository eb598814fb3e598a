"""languages: the patient's language on each intake, and staff and clinic languages

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 06:00:00

- intakes.language ('en' or 'fr', default 'en'): the language the patient
  chose on the first page. The pages, the confirmation and the patient's
  copy are in it; the consent is recorded in it. Immutable once submitted.
- intakes.consent_text_version (NULL until submission): which consent text,
  in which language, the patient agreed to ("<questionnaire version>/<language>/
  <digest of the consent step's shown text>"). Immutable once submitted.
- staff_users.language (NULL: the clinic's): the language of the staff pages.
- clinics.language (NULL: the deployment's INTAKE_LOCALE): the clinic's
  language, in which staff pages default and the practitioner's summary is
  written.

The languages are held to the ones the app has texts for by CHECKs; adding a
language is a migration that widens them. Plain ALTER TABLE on both databases
(no batch copy on SQLite, which would lose 0004's triggers); SQLite takes the
CHECK on the column. The submitted-intake guard (0004, widened in 0014) is
created again with the two new intake columns.
"""
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

LANGUAGES = "('en', 'fr')"
_JSON = ("answers", "completed_steps", "merged_answers")
_PLAIN_OLD = ("is_submitted", "submitted_at", "kind", "follows_id", "typed_name")
_PLAIN_NEW = _PLAIN_OLD + ("language", "consent_text_version")
MESSAGE = "submitted intake answers are immutable"

#: (table, column, NOT NULL DEFAULT 'en'?, constraint name)
_LANGUAGE_COLUMNS = (
    ("intakes", "language", True, "ck_intakes_language_known"),
    ("staff_users", "language", False, "ck_staff_users_language_known"),
    ("clinics", "language", False, "ck_clinics_language_known"),
)


def _changed(dialect: str, plain_columns) -> str:
    # JSON compared as text on PostgreSQL: its json type has no equality operator.
    if dialect == "sqlite":
        parts = [f"NEW.{c} IS NOT OLD.{c}" for c in _JSON + plain_columns]
    else:
        parts = [f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in _JSON]
        parts += [f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in plain_columns]
    return f"OLD.is_submitted AND ({' OR '.join(parts)})"


def _replace_guard(plain_columns) -> None:
    dialect = op.get_bind().dialect.name
    condition = _changed(dialect, plain_columns)
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS intakes_submitted_immutable")
        op.execute(f"CREATE TRIGGER intakes_submitted_immutable BEFORE UPDATE ON intakes "
                   f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    else:
        op.execute("DROP TRIGGER IF EXISTS intakes_submitted_immutable ON intakes")
        op.execute(f"CREATE TRIGGER intakes_submitted_immutable BEFORE UPDATE ON intakes "
                   f"FOR EACH ROW WHEN ({condition}) "
                   f"EXECUTE FUNCTION intake_refuse('{MESSAGE}')")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, required, name in _LANGUAGE_COLUMNS:
        kind = "VARCHAR(8) NOT NULL DEFAULT 'en'" if required else "VARCHAR(8)"
        check = f"{column} IN {LANGUAGES}" if required else \
            f"{column} IS NULL OR {column} IN {LANGUAGES}"
        if sqlite:
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind} "
                       f"CONSTRAINT {name} CHECK ({check})")
        else:
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check})")
    op.execute("ALTER TABLE intakes ADD COLUMN consent_text_version VARCHAR(80)")
    _replace_guard(_PLAIN_NEW)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _replace_guard(_PLAIN_OLD)
    op.execute("ALTER TABLE intakes DROP COLUMN consent_text_version")
    for table, column, _required, name in _LANGUAGE_COLUMNS:
        if not sqlite:
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
