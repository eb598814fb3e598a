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
