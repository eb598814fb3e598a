"""Small pieces of English for the command line.

Pages and their messages count with ``ngettext`` and a whole sentence
(``ngettext("%(num)d flag still needs a decision.", "%(num)d flags still
need a decision.", n)``): in French the count's noun, verb and adjectives
all agree, so a translator needs the sentence, not "1 flag" glued to the
rest. ``counted`` is for the CLI's English output only.
"""

from __future__ import annotations

from flask import Flask


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """"1 flag", "3 flags": never "flag(s)" (English, for the CLI)."""
    word = singular if number == 1 else (plural or singular + "s")
    return f"{number} {word}"


def init_app(app: Flask) -> None:
    """No template filter: pages count with ngettext (see above)."""
