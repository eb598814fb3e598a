"""`intake user ...`: staff accounts.

There is no default account: the first admin is made here. A password is
typed twice (never echoed) or, with --generate, made at random and printed
once; a printed password has been seen, so it must be changed at the first
sign-in. `reset-two-factor` is the way back in for someone who lost both
their phone and their recovery codes when no admin can sign in to reset it.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from intake.db import session_scope
from intake.models.staff import Role


def _password(generate: bool) -> tuple[str, bool]:
    from intake.passwords import generate_password

    if generate:
        return generate_password(), True
    value = click.prompt("Password", hide_input=True, confirmation_prompt="Repeat password")
    return value, False


@click.group("user")
def user_group() -> None:
    """Staff accounts."""


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", default="", help="The person's name as shown to colleagues.")
@click.option("--generate", is_flag=True, help="Make a random password and print it once.")
@with_appcontext
def create_command(email: str, role: str, name: str, generate: bool) -> None:
    """Create a staff account."""
    from intake.operations.accounts import AccountError, create_user

    password, generated = _password(generate)
    try:
        with session_scope() as session:
            user = create_user(session, email=email, role=role, name=name, password=password,
                               must_change=generated)
            label = f"{user.email} ({user.role})"
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {label}.")
    if generated:
        click.echo(f"Password (shown once): {password}")


@user_group.command("set-password")
@click.argument("email")
@click.option("--generate", is_flag=True, help="Make a random password and print it once.")
@click.option("--temporary", is_flag=True,
              help="Make the person change it at next sign-in (always so with --generate).")
@with_appcontext
def set_password_command(email: str, generate: bool, temporary: bool) -> None:
    """Set a staff account's password (also clears a lockout)."""
    from intake.operations.accounts import AccountError, find_user, set_password

    password, generated = _password(generate)
    try:
        with session_scope() as session:
            user = find_user(session, email)
            if user is None:
                raise click.ClickException(f"No staff account with email {email}.")
            set_password(session, user, password, actor_id=None,
                         temporary=temporary or generated)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Password set.")
    if generated:
        click.echo(f"Password (shown once): {password}")


@user_group.command("list")
@with_appcontext
def list_command() -> None:
    """List staff accounts."""
    from sqlalchemy import select

    from intake.models import StaffUser

    with session_scope() as session:
        for user in session.scalars(select(StaffUser).order_by(StaffUser.email)):
            state = "active" if user.active else "deactivated"
            click.echo(f"{user.email}\t{user.role}\t{state}\t{user.name}")



@user_group.command("reset-two-factor")
@click.argument("email")
@with_appcontext
def reset_two_factor_command(email: str) -> None:
    """Turn off a staff account's two-factor sign-in and end all its sessions
    (for someone who lost their phone and their recovery codes)."""
    from intake.operations import twofactor
    from intake.operations.accounts import find_user
    from intake.operations.twofactor_off import reset_from_cli
    from intake.wording import counted

    with session_scope() as session:
        user = find_user(session, email)
        if user is None:
            raise click.ClickException(f"No staff account with email {email}.")
        had, ended = reset_from_cli(session, user)
        label, required = user.email, twofactor.is_required(session, user)
    click.echo(f"Two-factor sign-in for {label} is "
               + ("turned off" if had else "not set up: nothing to turn off")
               + f"; {counted(ended, 'session')} ended.")
    if required:
        click.echo("The clinic requires it for their role: they set it up again at their "
                   "next sign-in.")
