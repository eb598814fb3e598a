"""`intake demo` and `intake invite`: seeding a try-out clinic, inviting patients."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from intake import clock, dates_shown
from intake.db import session_scope
from intake.operations import patients
from intake.operations.invites import create_invite, get_clinic, issue_start_token


def base_url() -> str:
    """Where printed links point: INTAKE_BASE_URL (config defaults it in
    development only); elsewhere a link without it would point at the wrong
    machine, so the command stops before it changes anything."""
    url = current_app.config.get("BASE_URL")
    if not url:
        raise click.ClickException(
            "INTAKE_BASE_URL is not set: it is the address patients open their links at "
            "(for example https://intake.example-clinic.org). Nothing was changed.")
    return url.rstrip("/")


def parse_appointment(value: str | None) -> datetime | None:
    """An ISO date-time; without a zone it is the clinic's local time."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not a date and time like 2026-12-01T09:30"
        ) from exc
    return clock.as_clinic_time(parsed)


@click.command("invite")
@click.option("--name", help="The patient's name as the clinic knows it.")
@click.option("--appointment", help="Appointment date and time, e.g. 2026-12-01T09:30.")
@click.option("--email", help="Optional email address.")
@click.option("--follow-up-of", "follow_up_of", type=int, metavar="INTAKE_ID",
              help="Invite the patient of this submitted intake to a follow-up re-check "
                   "linked to it (instead of --name).")
@click.option("--prefill", "prefill", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="Offer the answers of this FHIR QuestionnaireResponse "
                                   "(JSON) in the new intake; the patient confirms each step.")
@with_appcontext
def invite_command(name: str | None, appointment: str | None, email: str | None,
                   follow_up_of: int | None, prefill: Path | None = None) -> None:
    """Invite a patient and print their questionnaire link."""
    offered = left_out = language = None
    if prefill is not None:
        from intake.cli.fhir import read_prefill
        from intake.questionnaire.identity import typed_name_of

        offered, left_out, language = read_prefill(prefill)
        if follow_up_of is None:
            name = name or typed_name_of(offered)
    if follow_up_of is None and not (name or "").strip():
        raise click.BadParameter("give the patient's name (or --follow-up-of INTAKE_ID)",
                                 param_hint="--name")
    if follow_up_of is not None and (name or email):
        raise click.UsageError("--follow-up-of invites the patient the clinic already has: "
                               "leave out --name and --email.")
    when = parse_appointment(appointment)
    url = base_url()
    with session_scope() as session:
        clinic = get_clinic(session, create_name=current_app.config["CLINIC_NAME"])
        follows = None
        if follow_up_of is not None:
            try:
                follows = patients.follow_up_of(session, clinic, follow_up_of)
            except patients.FollowUpRefused as refused:
                raise click.ClickException(str(refused)) from None
        intake, token = create_invite(
            session, clinic, name=name or "", appointment_at=when, email=email,
            days=current_app.config["INVITE_DAYS"], follows=follows,
        )
        if offered is not None:
            from intake.operations import fhir

            fhir.prefill(session, intake, offered, language=language)
        expires = clock.local(intake.token_expires_at)
        made = intake.id
    if follows is not None:
        click.echo(f"Follow-up intake {made} of intake {follow_up_of} for the same patient.")
    if offered is not None:
        click.echo(f"Pre-filled {len(offered)} answer(s) from {prefill}; the patient confirms "
                   "each step." + (f" Left out {len(left_out)} consent answer(s): the patient "
                                   "gives consent themselves." if left_out else ""))
        if language:
            from intake.i18n import LANGUAGES

            click.echo(f"The response is in {LANGUAGES[language]}: the link opens on the "
                       "language choice with it preselected.")
    click.echo(f"Invite link (valid until {expires:%Y-%m-%d %H:%M %Z}):")
    click.echo(f"  {url}/i/{token}")


DEMO_INVITEE = "Sam Sample (demo)"


@click.command("demo")
@click.option("--refresh", is_flag=True,
              help="If the demo clinic exists, issue a new demo password and links.")
@with_appcontext
def demo_command(refresh: bool) -> None:
    """Seed a demo clinic with synthetic patients and a demo practitioner."""
    from intake import demo

    url = base_url()
    with session_scope() as session:
        existing = get_clinic(session)
        if existing is not None and not refresh:
            raise click.ClickException(
                "The demo clinic is already seeded; nothing was changed. "
                "Use `intake demo --refresh` for a new demo password and links."
            )
        clinic = demo.seed(session, current_app.config) if existing is None else existing
        start_token = issue_start_token(session, clinic)
        login = demo.reset_login(session)
        invited, invite_token = create_invite(
            session, clinic, name=DEMO_INVITEE, days=current_app.config["INVITE_DAYS"],
            appointment_at=clock.from_local(clock.today(), time(13)),
        )
        appointment = dates_shown.clinic_time(invited.appointment_at, "long")
        returning = demo.course_patient(session)
        returning_id = returning.id if returning is not None else None
    click.echo(f"Demo clinic: {clinic.name}")
    click.echo(f"  Patient invite link: {url}/i/{invite_token}")
    click.echo(f"                       for {DEMO_INVITEE}, appointment {appointment} "
               f"({clock.zone().key})")
    click.echo(f"  Clinic start link:   {url}/start/{start_token}")
    click.echo("                       a walk-in's new, blank intake")
    if returning_id is not None:
        click.echo(f"  Returning patient:   {url}/staff/patients/{returning_id}")
        click.echo("                       four visits and their progress; today's follow-up "
                   "has a new red flag (top of the dashboard)")
    if login:
        email, password = login
        click.echo(f"  Staff sign-in:       {url}/staff/login")
        click.echo(f"  Demo login:          {email} / {password}  (practitioner)")
        click.echo("  Two-factor sign-in:  optional in the demo: after signing in, open "
                   "Two-factor to set it up")
        click.echo("  An admin login:      INTAKE_ENV=development .venv/bin/intake user create "
                   "--email you@example.org --role admin --generate")
