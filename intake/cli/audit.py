"""`intake audit verify` and `intake audit head`: check the keyed chain, keep its head.

A chain that verifies can still have lost its newest rows (a shorter chain
is intact too). `head` prints the last hash; keep it somewhere the database's
users cannot write (a ticket, a log shipped elsewhere, a printout), and later
`verify --expect-head HASH` fails unless that row is still in the log.
"""

from __future__ import annotations

import re

import click
from flask.cli import with_appcontext

from intake.db import session_scope


def _head_hash(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise click.BadParameter("a head is the 64 hex digits `intake audit head` printed")
    return value


@click.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@click.option("--expect-head", "expect_head", callback=_head_hash, metavar="HASH",
              help="A head kept earlier (`intake audit head`): fail unless it is still in "
                   "the log.")
@with_appcontext
def verify_command(expect_head: str | None) -> None:
    """Check the audit log's keyed hash chain; exits non-zero if it is broken."""
    from intake import audit
    from intake.wording import counted

    with session_scope() as session:
        problems = audit.verify(session, expect_head=expect_head)
        head = audit.head(session)
        legacy = audit.legacy_count(session) if head and not problems else 0
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            f"The audit log is broken: {counted(len(problems), 'problem')}.")
    if head is None:
        click.echo("The audit log is empty.")
        return
    click.echo(f"The audit log is intact: {head[0]} events, last hash {head[1]}.")
    if legacy:
        click.echo(f"Events 1 to {legacy} predate the audit key and are checked by their "
                   "unkeyed hash.")
    if expect_head:
        click.echo("The kept head is in the log.")


@audit_group.command("head")
@with_appcontext
def head_command() -> None:
    """Print the last event's hash, to keep outside the database."""
    from intake import audit

    with session_scope() as session:
        head = audit.head(session)
    if head is None:
        raise click.ClickException("The audit log is empty: there is no head to keep yet.")
    click.echo(head[1])
    click.echo(f"(event {head[0]}; later: intake audit verify --expect-head {head[1]})",
               err=True)
