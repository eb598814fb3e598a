"""Small pieces of English shared by pages, messages and the CLI."""

from __future__ import annotations

from flask import Flask


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """"1 flag", "3 flags": never "flag(s)"."""
    word = singular if number == 1 else (plural or singular + "s")
    return f"{number} {word}"


def init_app(app: Flask) -> None:
    app.add_template_filter(counted, "counted")
