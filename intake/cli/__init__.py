"""The `intake` command: a Flask CLI group with the project's commands."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from intake.cli.db import db_group
from intake.cli.demo import demo_command, invite_command
from intake.cli.questionnaire import questionnaire_group


def _create_app():
    from intake import create_app
    from intake.config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:  # a setting problem is a message, not a traceback
        raise click.ClickException(str(exc)) from exc


class IntakeGroup(FlaskGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        # Every command is registered on this group, so listing them (for --help)
        # needs no app, and works before INTAKE_SECRET_KEY is set.
        return click.Group.list_commands(self, ctx)


@click.group(cls=IntakeGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Patient intake and dry-needling screening."""


main.add_command(db_group)
main.add_command(demo_command)
main.add_command(invite_command)
main.add_command(questionnaire_group)

for _module, _names in (
    ("intake.cli.rules", ("rules_group",)),
    ("intake.cli.screen", ("screen_command",)),
    ("intake.cli.users", ("user_group", "audit_group")),
    ("intake.cli.documents", ("documents_group", "pdf_command")),
    ("intake.cli.worker", ("worker_command",)),
):
    # Areas register their commands when their module exists.
    try:
        _mod = __import__(_module, fromlist=list(_names))
    except ModuleNotFoundError as _exc:
        if _exc.name != _module:
            raise
        continue
    for _name in _names:
        if hasattr(_mod, _name):
            main.add_command(getattr(_mod, _name))
