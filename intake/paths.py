"""Where the project's files are: templates, static assets, the instance folder.

Its own module so that the PDF renderer and the server settings can find the
templates and fonts without importing the package root, which holds the app
factory (dependencies point one way: nothing below the blueprints imports it).
"""

from __future__ import annotations

from pathlib import Path

#: the repository (or installed tree) holding intake/, templates/ and static/
ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
