"""`intake db ...`: schema migrations (upgrade, current, history, downgrade, revision)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from intake import migrate


@click.group("db")
def db_group() -> None:
    """Database schema."""


def _url() -> str:
    return current_app.config["DATABASE_URL"]


@db_group.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Apply schema migrations (safe to run again)."""
    url = _url()
    migrate.upgrade(url, revision)
    click.echo(f"Database is at {', '.join(migrate.current_heads(url)) or 'base'}.")
    if revision == "heads":
        _start_keyed_audit_chain()
        _backfill_dates_of_birth()


def _start_keyed_audit_chain() -> None:
    """A log from before the audit key gets its first keyed row now (intake/audit.py)."""
    from intake import audit
    from intake.db import session_scope

    with session_scope() as session:
        if audit.start_keyed_chain(session):
            click.echo("The audit log is now signed with the audit key from here on.")


def _backfill_dates_of_birth() -> None:
    """Patients from before migration 0010 get the birth date they submitted."""
    from intake.db import session_scope
    from intake.operations import patients

    with session_scope() as session:
        if filled := patients.backfill_dates_of_birth(session):
            click.echo(f"{filled} patient record(s) now have their date of birth.")


@db_group.command("current")
@with_appcontext
def current_command() -> None:
    """Show the database's revision; exit 1 when it is behind the code."""
    at, expected = migrate.current_heads(_url()), migrate.script_heads()
    if set(at) == set(expected):
        click.echo(f"Database is at {', '.join(at)} (head).")
        return
    click.echo(f"Database is at {', '.join(at) or 'base (empty)'}; the code expects "
               f"{', '.join(expected)}. Run `intake db upgrade`.")
    raise SystemExit(1)


@db_group.command("history")
@with_appcontext
def history_command() -> None:
    """List every revision, oldest first; the database's is marked."""
    at = set(migrate.current_heads(_url()))
    for info in migrate.history():
        mark = "  <- database" if info.revision in at else ""
        click.echo(f"{info.revision}  {info.title}{mark}")


# ignore_unknown_options: "-1" (one step back) is a revision, not an option.
@db_group.command("downgrade", context_settings={"ignore_unknown_options": True})
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def downgrade_command(revision: str, yes: bool) -> None:
    """Undo migrations down to REVISION (e.g. 0003, -1, base). Drops data."""
    url = _url()
    if not yes:
        click.confirm(f"Downgrade the database to {revision}? Tables and columns that later "
                      "revisions added are dropped with their data", abort=True)
    try:
        migrate.downgrade(url, revision)
    except Exception as exc:  # Alembic: unknown revision, or one that is ahead
        if type(exc).__module__.startswith("alembic"):
            raise click.ClickException(str(exc)) from exc
        raise
    click.echo(f"Database is at {', '.join(migrate.current_heads(url)) or 'base'}.")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the revision does.")
@click.option("--empty", is_flag=True,
              help="Do not compare models and database: an empty revision to fill in "
                   "by hand (data migrations, triggers).")
@with_appcontext
def revision_command(message: str, empty: bool) -> None:
    """Write the next migration from what the models changed (review it!)."""
    try:
        path = migrate.revision(_url(), message, autogenerate=not empty)
    except migrate.MigrationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {path}. Read it, adjust it, then run `intake db upgrade`.")
