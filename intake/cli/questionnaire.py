"""`intake questionnaire ...`: the questionnaire definition."""

from __future__ import annotations

import json

import click


@click.group("questionnaire")
def questionnaire_group() -> None:
    """The patient questionnaire."""


@questionnaire_group.command("schema")
def schema_command() -> None:
    """Print the whole questionnaire definition as JSON."""
    from intake.questionnaire import load_definition
    from intake.questionnaire.definition import schema

    click.echo(json.dumps(schema(load_definition()), indent=2, ensure_ascii=False))
