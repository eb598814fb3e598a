"""What a PDF render may load: a fixed allow-list served from memory.

WeasyPrint fetches every URL in the HTML and CSS (fonts, stylesheets,
images). A summary holds patient text, so nothing in it may reach the file
system or the network: the fetcher below refuses every scheme (`file:`,
`http:`, `https:`, `data:`, ...) and answers only `intake-asset:<name>` for
the shipped font and CSS files read once at import, plus the per-render
signature PNG, which was validated before it was handed over, and the
per-render body diagram SVG, drawn from fixed geometry.
"""

from __future__ import annotations

import struct
import zlib
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
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 200 * 1024


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


def signature_png(data_url: object) -> bytes | None:
    """The PNG bytes of a drawn signature, or None unless it is a sound PNG.

    Accepts only `data:image/png;base64,...` up to 200 kB whose bytes start
    with the PNG signature and an intact IHDR chunk of sane dimensions.
    """
    import base64
    import binascii

    prefix = "data:image/png;base64,"
    if not isinstance(data_url, str) or not data_url.startswith(prefix):
        return None
    if len(data_url) > MAX_SIGNATURE_BYTES * 4 // 3 + len(prefix) + 4:
        return None
    try:
        raw = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) > MAX_SIGNATURE_BYTES or len(raw) < 33 or not raw.startswith(PNG_MAGIC):
        return None
    length, ctype = struct.unpack(">I4s", raw[8:16])
    if ctype != b"IHDR" or length != 13:
        return None
    ihdr = raw[16:29]
    (crc,) = struct.unpack(">I", raw[29:33])
    if zlib.crc32(b"IHDR" + ihdr) != crc:
        return None
    width, height = struct.unpack(">II", ihdr[:8])
    if not (0 < width <= 4000 and 0 < height <= 4000):
        return None
    return raw
