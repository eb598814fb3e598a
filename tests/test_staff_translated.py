"""Every word on a staff page goes through the catalog: no template under
templates/staff/ has English text outside a gettext call, in a text node or
in an attribute a person reads (aria-label, alt, title, placeholder)."""

from __future__ import annotations

import re

from intake.paths import ROOT

STAFF_TEMPLATES = sorted((ROOT / "templates" / "staff").glob("*.html"))
JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.S)
TAG = re.compile(r"<[^>]*>")
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"')
#: words that are meant to stay as they are: the body's class, and the link to the
#: language page, written in both languages so that either reader finds it
ALLOWED = {"staff", "Language", "Langue"}


def untranslated(source: str) -> list[str]:
    bare = JINJA.sub("\0", source)
    found = [text.strip() for text in TAG.split(bare)]
    found += READ_ATTRIBUTES.findall(bare)
    return [t for t in found
            if re.search(r"[A-Za-z]{2,}", t.replace("\0", " ")) and t.strip("\0\n ") not in ALLOWED]


def test_every_staff_template_is_translated():
    problems = {path.name: untranslated(path.read_text()) for path in STAFF_TEMPLATES}
    assert STAFF_TEMPLATES and not {k: v for k, v in problems.items() if v}


def test_the_check_sees_english_left_in_a_page():
    assert untranslated('<p>Hello {{ _("there") }}</p><img alt="A chart">') == [
        "Hello \0", "A chart"]
    assert untranslated('<p>{{ _("Fine") }}</p><a aria-label="{{ _(\'Fine\') }}">x</a>') == []
