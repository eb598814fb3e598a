"""Render a summary: Jinja (autoescaped) HTML, then WeasyPrint to PDF/A-3u.

The stylesheet and its fonts are parsed once per process and reused with one
FontConfiguration: that is most of a warm render's saving. WeasyPrint and
Pango are not safe to drive from two threads at once with shared font state,
and a render does not get faster with more cores anyway, so renders are
serialised by a lock.
"""

from __future__ import annotations

import gc
import io
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import CSS, Attachment
from weasyprint.css import ColorProfile
from weasyprint.text.fonts import FontConfiguration

from intake import plaintext
from intake.documents import deflate, leftovers, markup
from intake.documents.assets import (
    DIAGRAM,
    SIGNATURE,
    AllowListFetcher,
    asset_url,
    shipped_assets,
)
from intake.documents.attachments import Embedded, attachments
from intake.documents.context import build_context
from intake.documents.copy import copy_context
from intake.documents.languages import translated
from intake.documents.summary import SummaryData
from intake.i18n import LANGUAGES
from intake.i18n.catalogs import translations
from intake.i18n.messages import N_, translate
from intake.paths import TEMPLATES
from intake.questionnaire.body_diagram import print_diagram, print_diagram_inline

#: PDF/A-3 allows the JSON attachment; "u" (Unicode text) first, "b" as fallback.
PDF_VARIANTS = ("pdf/a-3u", "pdf/a-3b")
OUTPUT_INTENT = "--intake-srgb"
_lock = threading.Lock()
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    refused: tuple[str, ...] = ()
    variant: str = PDF_VARIANTS[0]


@lru_cache(maxsize=len(LANGUAGES))
def _jinja(language: str = "en") -> Environment:
    """The documents' own environment, one per language, with that language's
    catalogs (intake.i18n.catalogs) installed as newstyle gettext. One per
    language rather than one re-installed per render: renders of two
    languages may build their HTML at the same time (only the layout is
    serialised by `_lock`)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        finalize=plaintext.for_display,  # no control characters in the text layer
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)
    plaintext.clean_message_variables(env)  # values put into messages, as on pages
    return env


@lru_cache(maxsize=1)
def _styles() -> tuple[FontConfiguration, CSS, dict]:
    """The parsed stylesheet, its fonts and the sRGB output intent, made once.

    WeasyPrint's own PDF/A output intent opens its ICC file on every write
    and never closes it (a ResourceWarning per render); handing it the same
    profile, read once into memory, under our own name avoids that. The
    streams are deflated at zlib's default level (`deflate`), and a render's
    layout context is noted, to be emptied after it (`leftovers`).
    """
    deflate.use_default_level()
    leftovers.install()
    fonts = FontConfiguration()
    css = CSS(url=asset_url("css/pdf.css"), url_fetcher=AllowListFetcher(),
              font_config=fonts)
    icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    profile = _FileProfile(icc, "sRGB2014.icc", "relative-colorimetric",
                           (["r"], ["g"], ["b"]))
    return fonts, css, {OUTPUT_INTENT: profile}


class _FileProfile(ColorProfile):
    """A colour profile embedded as the file's own bytes, in every render.

    WeasyPrint embeds `ImageCmsProfile.tobytes()`, littleCMS's serialisation,
    on every write; once the profile's name has been read (the first PDF/A
    output intent does), littleCMS writes its `dmdd` tag 92 bytes longer,
    so a worker's first summary differed from every later one made from
    the same data.
    """

    def __init__(self, icc: bytes, *args):
        super().__init__(io.BytesIO(icc), *args)
        self._icc = icc

    @property
    def content(self) -> bytes:
        return self._icc


#: What stands in the PDF's HTML for the body diagram: the SVG itself is served
#: to WeasyPrint by the fetcher as `asset_url(DIAGRAM)` (see `print_diagram`).
DIAGRAM_IMG = Markup('<img src="intake-asset:diagram.svg" alt="%s" />')
DIAGRAM_ALT = N_("Body diagram")


def _regions(data: SummaryData, definition):
    """The regions in the summary's language, so the diagram's words are too."""
    return translated(definition, data.summary_language).regions


def render_html(data: SummaryData, definition) -> str:
    """The HTML on its own (template work), with the diagram drawn inline."""
    context = build_context(data, definition)
    context["diagram"] = print_diagram_inline(_regions(data, definition), context["regions"])
    return _jinja(data.summary_language).get_template("pdf/summary.html").render(**context)


@dataclass(frozen=True)
class Source:
    """What one render lays out: the HTML and the per-render assets it loads."""
    html: str
    assets: dict[str, tuple[str, bytes]]


def summary_source(data: SummaryData, definition) -> Source:
    """The HTML the PDF is made from, with the diagram (and signature) as assets.

    Public so that the benchmark can hand exactly this document to Chromium.
    """
    context = build_context(data, definition)
    context["diagram"] = DIAGRAM_IMG % translate(DIAGRAM_ALT, data.summary_language)
    html = _jinja(data.summary_language).get_template("pdf/summary.html").render(**context)
    assets = {DIAGRAM: ("image/svg+xml",
                        print_diagram(_regions(data, definition), context["regions"]))}
    if context["consent"]["signature_png"]:
        assets[SIGNATURE] = ("image/png", context["consent"]["signature_png"])
    return Source(html=html, assets=assets)


def copy_source(data: SummaryData, definition) -> Source:
    """The patient's copy (intake.documents.copy): answers and consent, no flags."""
    context = copy_context(data, definition)
    html = _jinja(data.summary_language).get_template("pdf/copy.html").render(**context)
    assets = {}
    if context["consent"]["signature_png"]:
        assets[SIGNATURE] = ("image/png", context["consent"]["signature_png"])
    return Source(html=html, assets=assets)


def render_copy(data: SummaryData, definition) -> Rendered:
    """The patient's copy as PDF/A-3 with nothing attached."""
    source = copy_source(data, definition)
    fetcher = AllowListFetcher(source.assets)
    with _lock, _collector_paused():
        pdf, pages, variant = _write(source, data, fetcher, [])
    return Rendered(pdf=pdf, pages=pages, refused=tuple(fetcher.refused), variant=variant)


def render_pdf(data: SummaryData, definition) -> Rendered:
    """The PDF bytes, with the answers and screening attached as JSON."""
    source = summary_source(data, definition)
    fetcher = AllowListFetcher(source.assets)
    embedded = attachments(data, definition)
    with _lock, _collector_paused():
        pdf, pages, variant = _write(source, data, fetcher, embedded)
    return Rendered(pdf=pdf, pages=pages, refused=tuple(fetcher.refused), variant=variant)


def _write(source: Source, data: SummaryData, fetcher: AllowListFetcher,
           embedded: list[Embedded]):
    """Lay out and write the PDF; the document and its box tree die on return.

    Kept apart from `render_pdf` so that the HTML object and the rendered
    document are released before the collector resumes (see
    `_collector_paused`), whether the write succeeds or raises.
    """
    fonts, css, profiles = _styles()
    document = markup.document(source.html, fetcher).render(
        font_config=fonts, stylesheets=[css], color_profiles=profiles,
        pdf_variant=PDF_VARIANTS[0], output_intent=OUTPUT_INTENT,
    )
    for variant in PDF_VARIANTS:
        try:
            pdf = document.write_pdf(
                attachments=_attachments(data, fetcher, embedded), pdf_variant=variant,
                output_intent=OUTPUT_INTENT,
            )
            return pdf, len(document.pages), variant
        except Exception:
            if variant == PDF_VARIANTS[-1]:
                raise
            log.warning("writing %s failed; falling back to the next variant", variant,
                        exc_info=True)
    raise AssertionError("unreachable: the last variant returns or raises")


@contextmanager
def _collector_paused():
    """Hold off Python's cyclic garbage collector for the length of one render.

    A render allocates some hundred thousand short-lived objects (boxes,
    styles, text layouts), enough to trigger several collections of the
    older generations, each of which walks every object in the process
    (the app, the fonts, the parsed stylesheet): about a tenth of a warm
    render's CPU time. Renders are serialised by `_lock`, so only one render
    ever pauses and resumes it.

    What the render leaves is mostly freed by reference counting once
    `_write` has returned: `leftovers` empties the layout context, the
    cycle that held the box tree and the styles. The little that is still
    cyclic (the parse tree, the fetcher's opener) is collected before the
    collector resumes, in one pass over the young generation: resumed with
    it uncollected, the automatic collection would promote what it holds
    to the old generations, which are seldom collected, and a long-running
    worker would grow by some 200 KiB per render (issue 15). Freeing and
    collecting after a many-flags render took a median 17.3 ms of CPU time
    with the collector doing it all, 4.3 ms now (10 renders each, machine
    loaded); in instructions only 4 M of 2 100 M go: the collector's cost
    was its walk over 29 400 scattered objects, memory more than work.
    RSS growth from 50 to 300 renders: 1.3 MiB.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        with leftovers.contexts_emptied():
            yield
    finally:
        if enabled:
            gc.collect(0)
            gc.enable()


def _attachments(data: SummaryData, fetcher: AllowListFetcher,
                 embedded: list[Embedded]) -> list[Attachment]:
    """Fresh attachments per write (a source can be read only once), made
    from the one list in intake.documents.attachments."""
    return [Attachment(string=item.data, name=item.name, url_fetcher=fetcher,
                       description=item.description, created=data.generated_at,
                       modified=data.generated_at, relationship="Data")
            for item in embedded]


def warm_up() -> None:
    """Load the stylesheet and fonts now rather than in the first render."""
    shipped_assets()
    with _lock:
        _styles()
