"""The files embedded in the PDF: one list, each with its own MIME type."""

from __future__ import annotations

import io

import pypdf
from documents_helpers import docs_definition, pdf_attachments

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
