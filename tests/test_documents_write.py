"""How the PDF is written: the streams' compression."""

from __future__ import annotations

import zlib

import pydyf
from documents_helpers import docs_definition, pdf_text

from intake.documents import render
from intake.documents.samples import sample_summary


def test_streams_are_deflated_at_the_default_level_and_still_read():
    """pydyf asks for level 9, several times slower on page content for 2 %
    less; once a summary has been rendered, its streams are made at level 6."""
    pdf = render.render_pdf(sample_summary(), docs_definition()).pdf
    payload = b"<0048>0<0055>0<0003>0" * 500
    stream = pydyf.Stream([payload], compress=True).data
    assert zlib.compress(payload, 6) in stream
    assert zlib.compress(payload, 9) != zlib.compress(payload, 6)
    assert b"/FlateDecode" in pdf
    assert "Why: The patient reports new numbness" in pdf_text(pdf)


def test_each_stream_is_deflated_once_per_write(monkeypatch):
    """The PDF/A identifier hashes every object's data after the write; the
    streams are not deflated a second time for it, nor the PDF changed."""
    definition = docs_definition()
    before = render.render_pdf(sample_summary(), definition).pdf
    real = zlib.compressobj
    deflated: list[bytes] = []

    class Counting:
        def __init__(self, *args, **kwargs):
            self._compressor = real(*args, **kwargs)

        def compress(self, data):
            deflated.append(bytes(data))
            return self._compressor.compress(data)

        def flush(self, *args):
            return self._compressor.flush(*args)

    monkeypatch.setattr(zlib, "compressobj", Counting)
    after = render.render_pdf(sample_summary(), definition).pdf
    assert len(deflated) > 10                   # pages, fonts, attachments, ICC...
    assert len(set(deflated)) == len(deflated)
    assert after == before


def test_the_output_intent_embeds_the_icc_file_as_shipped():
    """The same in a worker's first render as in its hundredth."""
    from importlib.resources import files

    render.render_pdf(sample_summary(), docs_definition())
    profile = render._styles()[2][render.OUTPUT_INTENT]
    assert profile.content == (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
