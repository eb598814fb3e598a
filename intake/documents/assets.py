"""What a PDF render may load: a fixed allow-list served from memory.

WeasyPrint fetches every URL in the HTML and CSS (fonts, stylesheets,
images). A summary holds patient text, so nothing in it may reach the file
system or the network: the fetcher below refuses every scheme (`file:`,
`http:`, `https:`, `data:`, ...) and answers only `intake-asset:<name>` for
the shipped font and CSS files read once at import, plus the per-render
signature PNG, which passed intake.questionnaire.signature before it was
handed over, and the per-render body diagram SVG, drawn from fixed geometry.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from intake.paths import STATIC

SCHEME = "intake-asset:"
SHIPPED = {
    "fonts/DejaVuSans.ttf": ("font/ttf", STATIC / "fonts" / "DejaVuSans.ttf"),
    "fonts/DejaVuSans-Bold.ttf": ("font/ttf", STATIC / "fonts" / "DejaVuSans-Bold.ttf"),
    "fonts/DejaVuSans-Oblique.ttf": ("font/ttf", STATIC / "fonts" / "DejaVuSans-Oblique.ttf"),
    "css/pdf.css": ("text/css", STATIC / "css" / "pdf.css"),
}
SIGNATURE = "signature.png"
DIAGRAM = "diagram.svg"


class RefusedURL(ValueError):
    """A URL outside the allow-list; WeasyPrint logs it and leaves it out."""


@lru_cache(maxsize=1)
def shipped_assets() -> dict[str, tuple[str, bytes]]:
    return {name: (mime, Path(path).read_bytes()) for name, (mime, path) in SHIPPED.items()}


def asset_url(name: str) -> str:
    return SCHEME + name


class AllowListFetcher(URLFetcher):
    """Serves `intake-asset:` names from memory and refuses everything else."""

    def __init__(self, extra: dict[str, tuple[str, bytes]] | None = None) -> None:
        super().__init__(allowed_protocols=())
        self._assets = {**shipped_assets(), **(extra or {})}
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if isinstance(url, str) and url.startswith(SCHEME):
            found = self._assets.get(url[len(SCHEME):])
            if found is not None:
                mime, body = found
                return URLFetcherResponse(url, body, {"Content-Type": mime})
        self.refused.append(url if len(url) < 80 else url[:77] + "...")
        raise RefusedURL("URL not allowed in a summary")
