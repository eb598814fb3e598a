"""The `intake` command: a Flask CLI group with the project's commands.

Each command's module is imported only when that command runs (or for
--help), so `intake rules check` does not pay for alembic, SQLAlchemy's
models or WeasyPrint: a clinician editing rules runs it again and again.
"""

from __future__ import annotations

import importlib

import click
from flask.cli import FlaskGroup

#: command name -> "module:attribute"; add a command here, not with add_command.
COMMANDS = {
    "db": "intake.cli.db:db_group",
    "demo": "intake.cli.demo:demo_command",
    "invite": "intake.cli.demo:invite_command",
    "questionnaire": "intake.cli.questionnaire:questionnaire_group",
    "rules": "intake.cli.rules:rules_group",
    "screen": "intake.cli.screen:screen_command",
    "user": "intake.cli.users:user_group",
    "audit": "intake.cli.audit:audit_group",
    "documents": "intake.cli.documents:documents_group",
    "fhir": "intake.cli.fhir:fhir_group",
    "pdf": "intake.cli.documents:pdf_command",
    "worker": "intake.cli.worker:worker_command",
}


def _create_app():
    from intake import create_app
    from intake.config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:  # a setting problem is a message, not a traceback
        raise click.ClickException(str(exc)) from exc


class IntakeGroup(FlaskGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        # Every command is known to this group, so listing them (for --help)
        # needs no app, and works before INTAKE_SECRET_KEY is set.
        return sorted(set(click.Group.list_commands(self, ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:  # run, shell, routes, plugins' commands (they load entry points)
            return super().get_command(ctx, name)
        if name not in self.commands:
            module, attribute = target.split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands[name]


@click.group(cls=IntakeGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Patient intake and dry-needling screening."""
