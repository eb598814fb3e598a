"""`intake pdf` (one summary to a file) and `intake documents ...` (the archive)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from intake import clock
from intake.audit import record as audit
from intake.db import session_scope
from intake.documents.storage import ArchiveError, archive_for, problem_of
from intake.documents.versions import newest_reviewed, superseded_by
from intake.models import Document, DocumentStatus
from intake.screening import evaluate

MANIFEST_FIELDS = ("file", "sha256", "size", "intake_id", "version", "kind", "created_at",
                   "superseded_by")


def _preview_summary(answers_path: Path):
    from intake.documents.summary import SummaryData

    raw = json.loads(answers_path.read_text(encoding="utf-8"))
    answers = raw.get("answers", raw) if isinstance(raw, dict) else None
    if not isinstance(answers, dict):
        raise click.BadParameter("expected a JSON object of answers", param_hint="--answers")
    screening = evaluate(answers, today=clock.today()).to_dict()
    return SummaryData(
        answers=answers, screening=screening, intake_id=None, version=0,
        timezone=clock.zone().key, locale=current_app.config["LOCALE"],
        clinic_name=current_app.config.get("CLINIC_NAME", ""),
        patient_name="", questionnaire_version=screening.get("questionnaire_version"),
    )


@click.command("pdf")
@click.option("--answers", "answers_path", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Preview from an answers JSON file (no database).")
@click.option("--intake", "intake_id", type=int, help="Write the latest archived summary.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--html", "as_html", is_flag=True, help="Write the HTML instead (template work).")
@with_appcontext
def pdf_command(answers_path, intake_id, output, as_html) -> None:
    """Write one PDF summary: a preview from answers, or an archived one."""
    if (answers_path is None) == (intake_id is None):
        raise click.UsageError("give exactly one of --answers or --intake")
    if answers_path is not None:
        from intake.documents.background import definition_for
        from intake.documents.render import render_html, render_pdf

        data = _preview_summary(answers_path)
        definition = definition_for(current_app)
        if as_html:
            output.write_text(render_html(data, definition), encoding="utf-8")
        else:
            rendered = render_pdf(data, definition)
            output.write_bytes(rendered.pdf)
            click.echo(f"{output}: {rendered.pages} pages, {len(rendered.pdf)} bytes")
        return
    if as_html:
        raise click.UsageError("--html works with --answers only")
    with session_scope() as session:
        document = session.scalars(
            select(Document).where(Document.intake_id == intake_id,
                                   Document.status == DocumentStatus.READY)
            .order_by(Document.version.desc()).limit(1)).first()
        if document is None:
            raise click.ClickException(f"intake {intake_id} has no finished summary")
        try:
            data = archive_for(current_app).open_verified(document.sha256)
        except ArchiveError as exc:
            raise click.ClickException(
                f"the archived file of document {document.id} is {problem_of(exc)}"
            ) from exc
        output.write_bytes(data)
        click.echo(f"{output}: intake {intake_id} version {document.version} ({document.kind})")


@click.group("documents")
def documents_group() -> None:
    """The PDF archive: render, verify, export, expire."""


@documents_group.command("render-pending")
@with_appcontext
def render_pending_command() -> None:
    """Render every unfinished summary now (pending and failed); exit 1 if any still fails."""
    from intake.documents.background import render_pending

    done, failing = render_pending(current_app._get_current_object())
    click.echo(f"rendered {done}, still failing {len(failing)}"
               + (f" (documents {', '.join(map(str, failing))})" if failing else ""))
    if failing:
        sys.exit(1)


@documents_group.command("status")
@with_appcontext
def status_command() -> None:
    """Counts of summaries by state, and the one waiting longest."""
    from intake.documents.status import describe_oldest, waiting

    with session_scope() as session:
        found = waiting(session, current_app.config)
        click.echo(", ".join(f"{name} {count}" for name, count in found.counts.items())
                   + f", overdue {len(found.overdue)}")
        click.echo(describe_oldest(found))


def queue_problems() -> list[str]:
    """Failed or overdue documents, one line each: verify's check of the queue
    (kept apart from the file checks so that either can change alone)."""
    from intake.documents.status import problems

    with session_scope() as session:
        return problems(session, current_app.config)


@documents_group.command("verify")
@with_appcontext
def verify_command() -> None:
    """Check the archive as an auditor would; one line per problem, exit 1 on any.

    Re-hashes every file, compares each PDF's embedded JSON with its row,
    and checks shared files, version gaps, audit events and orphan files;
    then that no summary has failed or is overdue (the queue never gives up,
    so a summary still waiting is a problem to look at, not a lost one).
    """
    from intake.documents.verify import verify

    problems = 0
    with session_scope() as session:
        ctx, found = verify(session, archive_for(current_app))
        for problem in found:
            problems += 1
            click.echo(problem.line())
    waiting = queue_problems()
    for line in waiting:
        click.echo(line)
    click.echo(f"checked {ctx.checked_files} files, {problems} problem(s) "
               f"({len(ctx.rows)} document rows, {ctx.orphans} unreferenced files); "
               f"{len(waiting)} summaries failed or overdue")
    if problems or waiting:
        sys.exit(1)


@documents_group.command("export")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(since: datetime, directory: Path) -> None:
    """Copy summaries created since DATE and a manifest.csv into DIRECTORY."""
    archive = archive_for(current_app)
    directory.mkdir(parents=True, exist_ok=True)
    day = since.date()
    since = clock.day_start(day)  # the clinic's midnight at the start of DATE
    rows, problems = [], 0
    with session_scope() as session:
        documents = list(session.scalars(select(Document).where(
            Document.status == DocumentStatus.READY, Document.created_at >= since)
            .order_by(Document.id)))
        newest = newest_reviewed(session, (d.intake_id for d in documents))
        for document in documents:
            try:
                data = archive.open_verified(document.sha256)
            except ArchiveError as exc:
                problems += 1
                click.echo(f"skipped document {document.id}: archived file {problem_of(exc)}")
                continue
            (directory / document.filename).write_bytes(data)
            rows.append({"file": document.filename, "sha256": document.sha256,
                         "size": document.size, "intake_id": document.intake_id,
                         "version": document.version, "kind": document.kind,
                         "created_at": document.created_at.isoformat(),
                         # a reviewed summary a later sign-off replaced: kept, not the record
                         "superseded_by": superseded_by(document, newest) or ""})
        with (directory / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        audit(session, action="document.export", actor_id=None, detail={
            "since": day.isoformat(), "count": len(rows), "problems": problems})
    click.echo(f"exported {len(rows)} document(s) to {directory}")
    if problems:
        sys.exit(1)


@documents_group.command("expire")
@click.option("--dry-run", is_flag=True, help="Only list (the default).")
@click.option("--delete", "really_delete", is_flag=True, help="Destroy what is listed.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), hidden=True)
@with_appcontext
def expire_command(dry_run: bool, really_delete: bool, today: datetime | None) -> None:
    """List summaries past retention; destroy them only with --delete."""
    from intake.documents.retention import destroy, expired

    if dry_run and really_delete:
        raise click.UsageError("--dry-run and --delete exclude each other")
    years = int(current_app.config["RETENTION_YEARS"])
    day = today.date() if today else clock.today()
    archive = archive_for(current_app)
    with session_scope() as session:
        found = expired(session, years=years, today=day, zone=clock.zone())
        for item in found:
            click.echo(f"intake {item.intake_id}: {len(item.documents)} document(s), "
                       f"last visit {item.last_visit}, {item.reason}")
        if not really_delete:
            click.echo(f"{len(found)} intake(s) past retention ({years} years); "
                       "nothing deleted (use --delete)")
            return
        destroy(session, archive, found, years=years)
        click.echo(f"deleted the summaries of {len(found)} intake(s)")

