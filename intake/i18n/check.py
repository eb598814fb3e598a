"""Which messages lack a translation: the test's check and a translator's list.

    python -m intake.i18n.check [fr]

prints a .po stub for every message in the code and templates that no area's
catalog of that language translates (or translates only fuzzily), plus any
translation whose placeholders differ from its message. Exit 1 if any.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from intake.i18n.catalogs import KEYWORDS, METHOD_MAP, TRANSLATIONS, po_files, read_catalog
from intake.paths import ROOT


def extracted(root: Path = ROOT) -> Catalog:
    """Every message marked for translation in intake/ and templates/."""
    catalog = Catalog()
    keywords = {name: None for name in KEYWORDS}
    keywords.update({"ngettext": (1, 2), "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                     "npgettext": ((1, "c"), 2, 3), "lazy_pgettext": ((1, "c"), 2),
                     "NP_": ((1, "c"), 2), "NN_": (1, 2)})
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), METHOD_MAP, keywords=keywords, comment_tags=("Translators:",),
            strip_comment_tags=True, directory_filter=_searched):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def _searched(dirpath: str) -> bool:
    """Babel skips folders named "_..." by default, which would leave
    templates/_macros/ unchecked; only hidden ones (.venv, .git) are skipped."""
    return not Path(dirpath).name.startswith(".")


def translated(language: str, root: Path = TRANSLATIONS) -> dict:
    """(context, msgid) -> message, merged over every area's catalog."""
    merged: dict = {}
    for path in po_files(language, root):
        for message in read_catalog(path):
            if message.id and message.string and not message.fuzzy:
                merged[(message.context, _key(message.id))] = (path, message)
    return merged


def _key(message_id):
    return message_id[0] if isinstance(message_id, tuple) else message_id


def missing(language: str) -> list:
    """Messages in the source that ``language`` does not translate."""
    have = translated(language)
    return [m for m in extracted() if m.id and (m.context, _key(m.id)) not in have]


def placeholder_errors(language: str) -> list[str]:
    """Translations whose %(name)s placeholders (or plural forms) are wrong."""
    problems = []
    for path in po_files(language):
        catalog = read_catalog(path)
        for message, errors in catalog.check():
            problems += [f"{path.name} {path.parent.name}: {_key(message.id)!r}: {e}"
                         for e in errors]
    return problems


def _stub(message) -> str:
    where = " ".join(f"{f}:{n}" for f, n in message.locations[:3])
    if isinstance(message.id, tuple):
        return (f"#: {where}\nmsgid {_po_quote(message.id[0])}\n"
                f"msgid_plural {_po_quote(message.id[1])}\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n")
    return f"#: {where}\nmsgid {_po_quote(message.id)}\nmsgstr \"\"\n"


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(argv: list[str] | None = None) -> int:
    language = (argv or sys.argv[1:] or ["fr"])[0]
    gaps = missing(language)
    for message in gaps:
        print(_stub(message))
    problems = placeholder_errors(language)
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{len(gaps)} message(s) without a {language} translation, "
          f"{len(problems)} placeholder problem(s)", file=sys.stderr)
    return 1 if gaps or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
