"""`intake db ...`: schema migrations."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from intake import migrate


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Apply schema migrations (safe to run again)."""
    url = current_app.config["DATABASE_URL"]
    migrate.upgrade(url, revision)
    click.echo(f"Database is at {', '.join(migrate.current_heads(url)) or 'base'}.")
