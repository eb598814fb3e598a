"""`intake fhir ...`: the questionnaire and the intakes as FHIR R4 (docs/FHIR.md)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

#: a response with a drawn signature is well under 1 MB
MAX_PREFILL_BYTES = 5_000_000


@click.group("fhir")
def fhir_group() -> None:
    """FHIR R4: the questionnaire, and each submitted intake as a Bundle."""


def dumps(resource: dict) -> str:
    return json.dumps(resource, indent=2, ensure_ascii=False)


@fhir_group.command("questionnaire")
def questionnaire_command() -> None:
    """Print the questionnaire as a FHIR R4 Questionnaire (JSON)."""
    from intake.fhir import questionnaire
    from intake.questionnaire import load_definition

    click.echo(dumps(questionnaire(load_definition())))


@fhir_group.command("export")
@click.option("--since", required=True, metavar="DATE",
              help="Intakes submitted on or after this day (the clinic's), YYYY-MM-DD.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(since: str, directory: Path) -> None:
    """Write one Bundle per intake submitted since DATE into DIRECTORY."""
    from intake import clock
    from intake.db import session_scope
    from intake.operations import fhir

    try:
        day = datetime.strptime(since, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{since!r} is not a date like 2026-12-01",
                                 param_hint="--since") from None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".intake-write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise click.ClickException(
            f"cannot write to {directory}: {exc.strerror or exc}. Nothing was exported.") from None
    written: list[int] = []
    failed = None
    with session_scope() as session:
        now = clock.now()
        for intake in fhir.submitted_since(session, clock.day_start(day)):
            path = directory / f"intake-{intake.id}.fhir.json"
            try:
                path.write_text(dumps(fhir.bundle_of(session, intake, now=now)) + "\n",
                                encoding="utf-8")
            except OSError as exc:
                failed = f"cannot write {path}: {exc.strerror or exc}"
                break
            written.append(intake.id)
        # what was written is on record, a disk that filled up half-way too
        fhir.exported(session, since=day.isoformat(), intake_ids=written)
    if failed:
        click.echo(f"{failed}; {len(written)} Bundle(s) were written before it", err=True)
        sys.exit(1)
    click.echo(f"exported {len(written)} Bundle(s) to {directory}")


def read_prefill(path: Path):
    """The QuestionnaireResponse in ``path``, checked by the FHIR models and
    read as (draft answers, consent ids left out, its language or None); a
    ClickException names every problem."""
    from intake import clock
    from intake.fhir.prefill import prefill_answers, response_language
    from intake.fhir.response import ResponseError
    from intake.fhir.validate import InvalidResource, NotInstalled, validate
    from intake.questionnaire import load_definition

    try:
        if path.stat().st_size > MAX_PREFILL_BYTES:
            raise click.ClickException(f"{path} is larger than {MAX_PREFILL_BYTES // 1_000_000} "
                                       "MB: not a questionnaire response")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise click.ClickException(f"{path} is not JSON: {exc}") from None
    problems: list[str] = []
    try:
        if not isinstance(data, dict) or data.get("resourceType") != "QuestionnaireResponse":
            raise InvalidResource("not a QuestionnaireResponse (resourceType)")
        validate(data)
    except NotInstalled as exc:
        raise click.ClickException(str(exc)) from None
    except InvalidResource as exc:
        problems.append(f"not a valid FHIR QuestionnaireResponse: {exc}")
    if not problems:
        try:
            return (*prefill_answers(load_definition(), data, clock.today()),
                    response_language(data))
        except ResponseError as exc:
            problems = exc.problems
    raise click.ClickException(
        f"{path} was not imported, and no intake was made:\n  " + "\n  ".join(problems))
