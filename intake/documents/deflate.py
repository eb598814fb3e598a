"""The PDF's streams deflated once each, at zlib's default level (6), not at 9.

pydyf, which writes WeasyPrint's PDFs, compresses every stream with
`zlib.compressobj(level=9)` and offers no setting. A summary's page content
is long runs of near-identical glyph operators (`<0048>0<0055>0...`), the
input on which level 9's long match chains cost most: measured on the
many-flags summary, level 9 takes about 30 times level 6's time for 2 % less
output, some 45 ms of a 500 ms render (issue 15). The output is ordinary
/FlateDecode either way; PDF/A does not care about the level.

Level 6 stays. Measured on the four benchmark summaries (benchmarks/pdf.py
scenarios; PDF size, and instructions under callgrind for one pass of
compressobj over a summary's streams; 8.2 M instructions are about 1 ms):

    level        1      2      3      4      5      6
    many flags  +48%   +35%   +25%   +15%   +5.8%  64 250 B
                15.5   15.5   16.6   24.7   27.8   33.7 M
    typical     +41%   +31%   +23%   +12%   +4.5%  53 873 B
                12.5   12.8   13.7   19.8   22.3   26.9 M
    quiet       +38%   +28%   +20%   +11%   +4.3%  47 324 B

Level 5 would save 6 M instructions (0.7 ms, 0.3 % of a 2 150 M many-flags
render) for 5-6 % more bytes in an archive kept for a decade; level 1 some
18 M (2 ms, under 1 %) for half as much again. Neither is worth it next to
writing each stream once, which saves the whole 34 M at no cost in bytes.

Each stream is compressed once per write. PDF/A needs a file identifier,
and pydyf makes it by hashing every object's `data` after writing them, and
a stream's `data` deflates it afresh: every stream (page content, font
subsets, the JSON attachments, the ICC profile) was compressed twice, half
of the render's deflate time. During `pydyf.PDF.write` a compressor's input
is looked up in a memo of that write's streams; zlib is deterministic, so the
bytes (and the identifier) are those of a second compression. The memo
dies with the write. What is constant from render to render (the ICC
profile, the diagram's small forms) is a few kilobytes, about 1 % of the
bytes deflated: not worth a cache kept for the process.

`use_default_level()` points pydyf's `zlib` at a stand-in that passes every
call through to the real module, except that a compressor is made at
`LEVEL` (and remembers its output during a write), and wraps `PDF.write` to
hold the memo. It is idempotent; `render._styles` calls it once per process,
before the first PDF is written.
"""

from __future__ import annotations

import functools
import threading
import zlib
from types import ModuleType

import pydyf

LEVEL = 6
_write = threading.local()  # .memo: {input bytes: deflated bytes} during a write


class _Remembered:
    """A compressor whose whole output is looked up, or made and kept, on flush.

    pydyf calls `compress(stream)` then `flush()`; holding the input until
    the flush (zlib may always keep output back until then) lets the memo
    key on the complete stream.
    """

    def __init__(self, memo: dict[bytes, bytes], *args, **kwargs):
        self._memo, self._args, self._kwargs = memo, args, kwargs
        self._chunks: list[bytes] = []

    def compress(self, data) -> bytes:
        self._chunks.append(bytes(data))
        return b""

    def flush(self, mode: int = zlib.Z_FINISH) -> bytes:
        if mode != zlib.Z_FINISH:
            return b""
        data = b"".join(self._chunks)
        self._chunks = []
        deflated = self._memo.get(data)
        if deflated is None:
            compressor = zlib.compressobj(LEVEL, *self._args, **self._kwargs)
            deflated = self._memo[data] = compressor.compress(data) + compressor.flush()
        return deflated


class _DefaultLevelZlib(ModuleType):
    """zlib, with `compressobj` and `compress` at LEVEL whatever is asked."""

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = LEVEL, *args, **kwargs):  # noqa: ARG004 - ignored on purpose
        memo = getattr(_write, "memo", None)
        if memo is not None:
            return _Remembered(memo, *args, **kwargs)
        return zlib.compressobj(LEVEL, *args, **kwargs)

    @staticmethod
    def compress(data, /, level: int = LEVEL, **kwargs):  # noqa: ARG004 - ignored on purpose
        return zlib.compress(data, LEVEL, **kwargs)


def _each_stream_once(write):
    """`PDF.write` with a memo of its streams' deflated bytes for its length."""

    @functools.wraps(write)
    def write_once(self, *args, **kwargs):
        outer = getattr(_write, "memo", None)
        _write.memo = {} if outer is None else outer
        try:
            return write(self, *args, **kwargs)
        finally:
            _write.memo = outer

    write_once.each_stream_once = True
    return write_once


def use_default_level() -> None:
    if not isinstance(pydyf.zlib, _DefaultLevelZlib):
        pydyf.zlib = _DefaultLevelZlib("zlib")
    if not getattr(pydyf.PDF.write, "each_stream_once", False):
        pydyf.PDF.write = _each_stream_once(pydyf.PDF.write)
