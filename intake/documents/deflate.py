"""The PDF's streams deflated at zlib's default level (6), not at 9.

pydyf, which writes WeasyPrint's PDFs, compresses every stream with
`zlib.compressobj(level=9)` and offers no setting. A summary's page content
is long runs of near-identical glyph operators (`<0048>0<0055>0...`), the
input on which level 9's long match chains cost most: measured on the
many-flags summary, level 9 takes about 30 times level 6's time for 2 % less
output, some 45 ms of a 500 ms render (issue 15). The output is ordinary
/FlateDecode either way; PDF/A does not care about the level.

`use_default_level()` points pydyf's `zlib` at a stand-in that passes every
call through to the real module, except that a compressor is made at
`LEVEL`. It touches nothing else and is idempotent; `render._styles` calls it
once per process, before the first PDF is written.
"""

from __future__ import annotations

import zlib
from types import ModuleType

import pydyf

LEVEL = 6


class _DefaultLevelZlib(ModuleType):
    """zlib, with `compressobj` and `compress` at LEVEL whatever is asked."""

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = LEVEL, *args, **kwargs):  # noqa: ARG004 - ignored on purpose
        return zlib.compressobj(LEVEL, *args, **kwargs)

    @staticmethod
    def compress(data, /, level: int = LEVEL, **kwargs):  # noqa: ARG004 - ignored on purpose
        return zlib.compress(data, LEVEL, **kwargs)


def use_default_level() -> None:
    if not isinstance(pydyf.zlib, _DefaultLevelZlib):
        pydyf.zlib = _DefaultLevelZlib("zlib")
