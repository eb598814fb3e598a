"""`intake rules check` and `intake rules list`: the screening rules.

Plain click on purpose: checking rules needs the questionnaire definition
and the rule files, never the app, its secret key or the database, so a
clinician editing rules/*.yaml can run the check anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

PATH_OPTION = click.option(
    "--path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A rules directory (default: the repository's rules/).",
)


def _load(path: Path | None):
    from intake.screening import RuleSetError, load_rules

    try:
        return load_rules(path)
    except RuleSetError as exc:
        raise click.ClickException(f"the rules do not load:\n{exc}") from exc


@click.group("rules")
def rules_group() -> None:
    """The screening rules (rules/*.yaml)."""


@rules_group.command("check")
@PATH_OPTION
def check_command(path: Path | None) -> None:
    """Load and validate the rules, then run every rule's examples."""
    from intake.screening import check_examples

    ruleset = _load(path)
    problems = check_examples(ruleset)
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(problems)} example(s) do not behave")
    examples = sum(len(rule.examples) for rule in ruleset.rules)
    click.echo(
        f"OK: {len(ruleset.rules)} rules, {examples} examples; "
        f"rules version {ruleset.content_hash}"
    )


@rules_group.command("list")
@PATH_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the rules as JSON.")
def list_command(path: Path | None, as_json: bool) -> None:
    """Print each rule: id, level (and urgency), title."""
    ruleset = _load(path)
    rules = ruleset.in_catalog_order()
    if as_json:
        data = {"rules_version": ruleset.content_hash, "rules": [r.summary() for r in rules]}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    width = max(len(rule.id) for rule in rules)
    for rule in rules:
        level = f"{rule.level}/{rule.urgency}" if rule.urgency else rule.level
        for escalation in rule.escalations:
            level += f" > {escalation.urgency or escalation.level}"
        tags = "".join(f" [{tag}]" for tag, on in (("site", rule.site), ("plan", rule.plan)) if on)
        click.echo(f"{rule.id:<{width}}  {level:<28}  {rule.title}{tags}")
