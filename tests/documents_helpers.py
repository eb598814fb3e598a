"""Helpers for the documents tests: a small synthetic questionnaire, stored
submissions with flags, and PDF reading. Synthetic data only."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pypdf
import pytest

from intake.documents.samples import SAMPLE_FLAGS, sample_answers

DATA = Path(__file__).parent / "data"


@cache
def docs_definition():
    from intake.questionnaire import load_definition

    return load_definition(DATA / "documents_questionnaire.yaml")


def pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def pdf_attachments(pdf: bytes) -> dict[str, list[bytes]]:
    return pypdf.PdfReader(io.BytesIO(pdf)).attachments


def pdf_xmp(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def pdfaid(pdf: bytes) -> dict[str, str]:
    xmp = pdf_xmp(pdf)
    found = dict(re.findall(r'pdfaid:(part|conformance)="?([^"<\s]+)', xmp))
    found.update(re.findall(r"<pdfaid:(part|conformance)>([^<]+)<", xmp))
    return found


def store_submission(db, make_invite, *, answers=None, flags=None, name="Alex Example",
                     rules_version="r" * 64, appointment_at=None, submitted_at=None):
    """A submitted intake with its screening stored, committed; returns its id."""
    from intake.models import FlagRecord, ScreeningRecord

    intake, _token = make_invite(name=name, appointment_at=appointment_at)
    intake.questionnaire_version = docs_definition().version
    intake.mark_submitted(dict(sample_answers() if answers is None else answers),
                          now=submitted_at)
    record = ScreeningRecord(intake=intake, rules_version=rules_version,
                             questionnaire_version=intake.questionnaire_version, plan={})
    for position, flag in enumerate(SAMPLE_FLAGS if flags is None else flags):
        record.flags.append(FlagRecord(
            position=position, rule_id=flag["rule_id"], level=flag["level"],
            urgency=flag["urgency"], title=flag["title"], action=flag["action"],
            sources=list(flag["sources"]), evidence=list(flag["evidence"]),
            detail={k: flag.get(k) for k in ("why", "site", "uncertain")}))
    record.overall_level = record.flags[0].level if record.flags else None
    db.add(record)
    db.commit()
    return intake.id


def add_version(db, intake_id, kind="summary"):
    """Add and commit a pending version, as a submission or sign-off does."""
    from intake.documents.pending import add_pending

    document = add_pending(db, intake_id, kind, once=kind == "summary")
    db.commit()
    return document


# Fixtures: named with `name=` so test modules import `*_fixture` (ruff sees no
# shadowing) and request them as `docs_app` and `submitted`.
@pytest.fixture(name="docs_app")
def docs_app_fixture(app):
    """The app, rendering summaries with the synthetic test questionnaire."""
    app.config["DOCUMENTS_DEFINITION"] = docs_definition()
    return app


@pytest.fixture(name="submitted")
def submitted_fixture(docs_app, db, make_invite):
    """submitted(**kw) -> intake id: stored with its pending summary, committed
    (the queue's immediate mode renders it inside the commit)."""

    def _make(**kw):
        intake_id = store_submission(db, make_invite, **kw)
        add_version(db, intake_id)
        return intake_id

    return _make
