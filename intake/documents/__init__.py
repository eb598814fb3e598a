"""PDF summaries and the clinic archive. Filled in by the documents work."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register document routes and the background renderer."""
