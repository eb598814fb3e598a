"""A render's box tree freed by reference counting, not left to the collector.

What a render leaves is nearly all hung off one reference cycle: WeasyPrint's
`LayoutContext` holds `get_image_from_uri = partial(..., context=self)`, and
the context holds the computed style of every element (`style_for`), the
footnote area and through it the page boxes, and the image cache with the
body diagram's SVG (itself a cycle with its `LazyDefs`). On the many-flags
summary that is 19 500 of the 22 700 objects the collection after a render
found unreachable (issue 15). Emptying each context made during a render,
once the document is gone, breaks the cycle at its hub: reference counting
frees the box tree and the styles then and there, and the collection that
follows (render._collector_paused) walks some 8 600 young objects instead
of 29 400. What is still cyclic is small and made per render elsewhere:
tinyhtml5's parse tree and tokenizer, urllib's opener in the URL fetcher,
the style/anonymous-style pairs that `Style.anonymous_style` caches.

`install()` wraps WeasyPrint's (private) `Document._build_layout_context` to
note the contexts it makes, but only inside `contexts_emptied()`; a
WeasyPrint without it leaves everything to the collector, as before.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from weasyprint.document import Document

_watching = threading.local()  # .contexts: the layout contexts made inside contexts_emptied


def _noting_contexts(build):
    @functools.wraps(build)
    def build_and_note(cls, *args, **kwargs):
        context = build(cls, *args, **kwargs)
        contexts = getattr(_watching, "contexts", None)
        if contexts is not None:
            contexts.append(context)
        return context

    build_and_note.notes_contexts = True
    return build_and_note


def install() -> None:
    """Idempotent; `render._styles` calls it once per process."""
    build = getattr(Document, "_build_layout_context", None)
    if build is not None and not getattr(build, "notes_contexts", False):
        Document._build_layout_context = classmethod(_noting_contexts(build.__func__))


@contextmanager
def contexts_emptied() -> Iterator[None]:
    """Empty every layout context made inside, on the way out, raise or not.

    Only for code whose documents do not outlive the block (render's
    `_write`): an emptied context is of no use to anyone.
    """
    outer = getattr(_watching, "contexts", None)
    _watching.contexts = contexts = []
    try:
        yield
    finally:
        _watching.contexts = outer
        for context in contexts:
            vars(context).clear()
