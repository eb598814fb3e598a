"""The translation catalogs, read straight from the .po files.

Layout: ``intake/translations/<area>/<language>.po``, one file per area of
the app (common, patient, questionnaire, staff, pdf), so that work on one
area never edits another's file; Flask-Babel gets them merged into one
catalog per language.

Why not Flask-Babel's own loader: it reads compiled ``.mo`` files, which
would have to be built by every install path (make, pip, a container, a
test run from a worktree) and kept in step with the ``.po`` a translator
edited; a stale ``.mo`` shows English or an old wording with no error. The
``.po`` files are small, so each process compiles them in memory once, at
the first page in that language, with Babel's own reader and writer.
"""

from __future__ import annotations

import functools
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from intake.paths import ROOT

TRANSLATIONS = ROOT / "intake" / "translations"

#: the gettext call names whose first argument is a message (extraction and checks)
KEYWORDS = ("_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext",
            "lazy_ngettext", "lazy_pgettext", "_l", "N_", "NP_", "NN_")

#: where messages are extracted from, relative to the repository (babel.cfg says the same)
METHOD_MAP = [("intake/**.py", "python"), ("templates/**.html", "jinja2")]


def po_files(language: str, root: Path = TRANSLATIONS) -> list[Path]:
    return sorted(root.glob(f"*/{language}.po"))


def read_catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale=path.stem)


@functools.cache
def translations(language: str) -> NullTranslations:
    """Every area's catalog of ``language`` merged (fuzzy entries left out)."""
    merged: Translations | None = None
    for path in po_files(language):
        buffer = BytesIO()
        write_mo(buffer, read_catalog(path), use_fuzzy=False)
        buffer.seek(0)
        catalog = Translations(buffer)
        if merged is None:
            merged = catalog
        else:
            merged.merge(catalog)
    return merged if merged is not None else NullTranslations()

