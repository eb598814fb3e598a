"""`intake questionnaire ...`: the questionnaire definition."""

from __future__ import annotations

import json

import click


@click.group("questionnaire")
def questionnaire_group() -> None:
    """The patient questionnaire."""


@questionnaire_group.command("schema")
@click.option("--follow-up", "follow_up", is_flag=True,
              help="The follow-up re-check asked before each later visit.")
def schema_command(follow_up: bool) -> None:
    """Print the whole questionnaire definition (or the follow-up re-check) as JSON."""
    from intake.questionnaire import load_definition
    from intake.questionnaire.definition import schema
    from intake.questionnaire.follow_up import follow_up_schema, load_follow_up

    data = follow_up_schema(load_follow_up()) if follow_up else schema(load_definition())
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@questionnaire_group.command("check")
def check_command() -> None:
    """Load and validate the questionnaire, the follow-up re-check and the body
    regions, and report every text without a translation and every translation
    key that names nothing (stale), with its key path. Exit 1 if any."""
    from intake.i18n import LANGUAGES
    from intake.questionnaire import load_definition, translation
    from intake.questionnaire.follow_up import load_follow_up

    definitions = (load_definition(), load_follow_up())  # a bad file raises here
    problems = [line for language in LANGUAGES if language != "en"
                for definition in definitions
                for line in translation.report(definition, language).lines(language)]
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} translation problem(s)")
    others = ", ".join(code for code in LANGUAGES if code != "en")
    click.echo(f"OK: questionnaire {definitions[0].version}, follow-up "
               f"{definitions[1].version}, {len(definitions[0].questions)} questions; "
               f"translations complete ({others})")
