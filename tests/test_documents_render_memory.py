"""A long-running worker renders all day: one render must not leave its box
tree behind for the old generations of the garbage collector (issue 15)."""

from __future__ import annotations

import gc

import pytest
from documents_helpers import docs_definition
from weasyprint.document import Document as WeasyDocument
from weasyprint.formatting_structure.boxes import Box

from intake.documents import render
from intake.documents.samples import sample_summary


def _left_behind() -> list[str]:
    """WeasyPrint boxes and documents still tracked (nothing is collected here)."""
    return [type(o).__name__ for o in gc.get_objects()
            if isinstance(o, Box | WeasyDocument)]


def test_a_render_leaves_no_box_tree_behind():
    definition = docs_definition()
    render.render_pdf(sample_summary(), definition)      # warm: fonts, caches
    gc.collect()
    assert gc.isenabled()
    result = render.render_pdf(sample_summary(), definition)
    assert result.pages >= 2
    assert _left_behind() == []
    assert gc.isenabled()


def test_the_collector_is_left_as_the_caller_had_it():
    gc.disable()
    try:
        render.render_pdf(sample_summary(), docs_definition())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_write_resumes_the_collector(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("synthetic write failure")

    monkeypatch.setattr(WeasyDocument, "write_pdf", refuse)
    with pytest.raises(RuntimeError, match="synthetic write failure"):
        render.render_pdf(sample_summary(), docs_definition())
    assert gc.isenabled()
    assert not render._lock.locked()


def test_the_box_tree_is_freed_without_a_collection():
    """The layout context, the cycle that held boxes and styles, is emptied
    after the render: reference counting frees them, collector or not."""
    definition = docs_definition()
    render.render_pdf(sample_summary(), definition)      # warm: fonts, caches
    gc.collect()
    gc.disable()
    try:
        render.render_pdf(sample_summary(), definition)
        assert _left_behind() == []
    finally:
        gc.enable()
