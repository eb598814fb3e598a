"""Which characters free text may hold, at input and at display.

NUL and other control characters break the PDF's text layer, cannot be
stored in a PostgreSQL text column at all (NUL), and show raw on staff pages;
bidirectional overrides and isolates can make a stored answer read
differently from what it says ("Trojan source"). Input refuses them with a
message (patient fields, staff forms); display strips them from anything
already stored (the Jinja ``finalize`` hook of the web pages and the PDF), so
both sides use this one list. Newline and tab are kept in multi-line text.

Pure functions: no Flask, no database.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

# C0 controls but tab/newline/carriage return, DEL, C1 controls; bidi embeddings,
# overrides and isolates; line/paragraph separators; the BOM; interlinear annotations.
_ALWAYS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ufff9-\ufffb"
)
UNSAFE_MULTILINE = re.compile(f"[{_ALWAYS}]")
UNSAFE_LINE = re.compile(f"[\t\n\r{_ALWAYS}]")
_NEWLINES = re.compile(r"\r\n?")

MESSAGE = (
    "We removed hidden control characters from this answer (they can come from copying "
    "and pasting). Please check it and press the button again."
)


def normalise_newlines(text: str) -> str:
    """Browsers post a textarea's line breaks as CRLF: store them as LF."""
    return _NEWLINES.sub("\n", text)


def clean(text: str, *, multiline: bool = False) -> tuple[str, bool]:
    """(text without unsafe characters, whether any were removed)."""
    if multiline:
        text = normalise_newlines(text)
        cleaned = UNSAFE_MULTILINE.sub("", text)
    else:
        cleaned = UNSAFE_LINE.sub("", text)
    return cleaned, cleaned != text


def has_unsafe(text: str, *, multiline: bool = False) -> bool:
    return clean(text, multiline=multiline)[1]


def for_display(value: Any) -> Any:
    """Jinja ``finalize``: strip unsafe characters from every printed string.

    Markup (already-built HTML such as the body diagram or a rendered form
    field) is left alone: it was made by our own code, and its text parts were
    escaped from values that input has already cleaned."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return UNSAFE_MULTILINE.sub("", normalise_newlines(value))
    return value


def strip_markup(html: str) -> Markup:
    """HTML our code built (a form field re-showing what was typed), without
    unsafe characters: none of them is ever part of markup itself."""
    return Markup(UNSAFE_MULTILINE.sub("", str(html)))  # noqa: S704


def clean_message_variables(env) -> None:
    """The same for the values put into a translated message
    (``_("Invited as %(name)s", name=…)``): the message comes back as Markup,
    which ``finalize`` leaves alone, so its values are cleaned on the way in.
    ``_`` resolves ``gettext`` when called, so wrapping these covers it too."""
    from jinja2 import pass_context

    def cleaning(message_callable):
        @pass_context
        def call(context, *args, **variables):
            return message_callable(context, *args,
                                    **{k: for_display(v) for k, v in variables.items()})
        return call

    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        # only the new-style callables (Flask-Babel's) take the context first
        if getattr(env.globals.get(name), "jinja_pass_arg", None) is not None:
            env.globals[name] = cleaning(env.globals[name])


def init_app(app) -> None:
    app.jinja_env.finalize = for_display
    clean_message_variables(app.jinja_env)
