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
