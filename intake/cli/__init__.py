"""The `intake` command (the console script runs `run`).

`main`, the Flask CLI group with every command, lives in group.py and is
imported on first use. `intake rules check` and `intake screen` need
neither the app nor Flask, and a clinician editing rules runs them again and
again: `run` starts those two without importing Flask at all (its CLI alone
costs about as much as the rest of the command), loading .env and .flaskenv
as FlaskGroup would. Every other command, and --help, goes through `main`.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

#: commands that need no app (and so no Flask): name -> "module:attribute"
PURE_COMMANDS = {
    "rules": "intake.cli.rules:rules_group",
    "screen": "intake.cli.screen:screen_command",
}


def run(argv: list[str] | None = None) -> Any:
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in PURE_COMMANDS:
        _load_dotenv()
        module, attribute = PURE_COMMANDS[args[0]].split(":")
        command = getattr(importlib.import_module(module), attribute)
        return command.main(args[1:], prog_name=f"intake {args[0]}")
    from intake.cli.group import main

    return main(args)


def _load_dotenv() -> None:
    """What FlaskGroup does first: .env, then .flaskenv, found from the working
    directory up, never overriding the environment (when python-dotenv is there)."""
    if os.environ.get("FLASK_SKIP_DOTENV", "").lower() in ("1", "true", "yes"):
        return
    try:
        import dotenv
    except ImportError:
        return
    for name in (".env", ".flaskenv"):
        path = dotenv.find_dotenv(name, usecwd=True)
        if path:
            dotenv.load_dotenv(path, encoding="utf-8")


def __getattr__(name: str) -> Any:
    if name in ("main", "COMMANDS", "IntakeGroup"):
        from intake.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
