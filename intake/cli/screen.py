"""`intake screen ANSWERS.json [--plan PLAN.json]`: screen one answers file.

For clinicians checking a rule change against a real-looking case, and for
scripts; prints the screening as JSON. Needs no app and no database; the
default date is the clinic's today (INTAKE_TIMEZONE), as at submission.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: the {what} file is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise click.ClickException(
            f"{path}: the {what} file is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})"
        ) from exc


def _clinic_today() -> date:
    from zoneinfo import ZoneInfo

    from intake import clock
    from intake.config import ConfigError, timezone_setting

    try:
        return clock.today_in(ZoneInfo(timezone_setting()))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("screen")
@click.argument(
    "answers_file", metavar="ANSWERS.json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--plan", "plan_file", metavar="PLAN.json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Treatment plan: {"regions": [...], "electrical_stimulation": false, '
    '"noncompressible_targets": [...]}. Default: the regions marked painful.',
)
@click.option(
    "--date", "intake_date", metavar="YYYY-MM-DD",
    help="The intake date (ages, time since a date). Default: the clinic's today.",
)
@click.option(
    "--rules", "rules_path", type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None, help="A rules directory (default: the repository's rules/).",
)
def screen_command(
    answers_file: Path, plan_file: Path | None, intake_date: str | None, rules_path: Path | None
) -> None:
    """Screen an answers file (see `intake questionnaire schema`) and print JSON."""
    from intake.questionnaire import load_definition
    from intake.screening import PlanError, RuleSetError, evaluate, load_rules

    try:
        today = date.fromisoformat(intake_date) if intake_date else _clinic_today()
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from exc
    answers = _read_json(answers_file, "answers")
    definition = load_definition()
    problems = definition.check_answers(answers, today)
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems)
        raise click.ClickException(
            f"{answers_file}: the answers do not fit questionnaire {definition.version}:\n{listed}"
        )
    plan = _read_json(plan_file, "plan") if plan_file else None
    try:
        rules = load_rules(rules_path)
        screening = evaluate(answers, plan, rules=rules, today=today)
    except RuleSetError as exc:
        raise click.ClickException(f"the rules do not load:\n{exc}") from exc
    except PlanError as exc:
        raise click.ClickException(f"{plan_file}: {exc}") from exc
    data = screening.to_dict()
    data["intake_date"] = today.isoformat()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
