"""The practitioner side (sign-in, dashboard, review). Filled in by the staff work."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the staff blueprint(s) and sign-in machinery."""
