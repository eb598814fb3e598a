"""How the PDF is written: the embedded files (one list, each with its own
MIME type) and the streams' compression."""

from __future__ import annotations

import io
import zlib

import pydyf
import pypdf
from documents_helpers import docs_definition, pdf_attachments, pdf_text

from intake.documents import render
from intake.documents.samples import sample_summary


def _file_specs(pdf: bytes) -> dict[str, dict]:
    """name -> (/Subtype of the embedded stream, /Desc, /AFRelationship)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    specs = {}
    for name, spec in zip(names[::2], names[1::2], strict=True):
        spec = spec.get_object()
        stream = spec["/EF"]["/F"].get_object()
        specs[str(name)] = {"subtype": str(stream["/Subtype"]), "desc": str(spec["/Desc"]),
                            "relationship": str(spec["/AFRelationship"])}
    return specs


def test_the_answers_json_is_embedded_as_json_data():
    pdf = render.render_pdf(sample_summary(), docs_definition()).pdf
    specs = _file_specs(pdf)
    assert list(specs) == ["intake-1-v1.json"]
    assert specs["intake-1-v1.json"]["subtype"] == "/application/json"
    assert specs["intake-1-v1.json"]["relationship"] == "/Data"
    assert "JSON" in specs["intake-1-v1.json"]["desc"]


def test_a_second_embedded_file_is_one_more_entry(monkeypatch):
    plain = render.embedded_files

    def with_bundle(data):
        return [*plain(data), ("bundle.fhir", b'{"resourceType": "Bundle"}',
                               "application/fhir+json", "A synthetic bundle")]

    monkeypatch.setattr(render, "embedded_files", with_bundle)
    result = render.render_pdf(sample_summary(), docs_definition())
    assert result.variant == "pdf/a-3u"
    assert set(pdf_attachments(result.pdf)) == {"intake-1-v1.json", "bundle.fhir"}
    assert pdf_attachments(result.pdf)["bundle.fhir"] == [b'{"resourceType": "Bundle"}']
    spec = _file_specs(result.pdf)["bundle.fhir"]
    assert spec["subtype"] == "/application/fhir+json"
    assert spec["desc"] == "A synthetic bundle"


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
