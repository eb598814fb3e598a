"""The summary PDF carries the intake's FHIR Bundle beside its JSON, and an
archived summary with both still verifies."""

from __future__ import annotations

import json
from dataclasses import replace

from documents_helpers import (  # noqa: F401  (fixtures)
    docs_app_fixture,
    docs_definition,
    pdf_attachments,
    submitted_fixture,
)
from fhir_helpers import DEFINITION, record

from intake.documents.attachments import fhir_json
from intake.documents.embedded import identity_of
from intake.documents.render import render_pdf
from intake.documents.samples import sample_summary
from intake.documents.summary import SummaryData
from intake.fhir import bundle
from intake.fhir.validate import validate


def test_the_pdf_embeds_a_valid_bundle_beside_the_json():
    summary = sample_summary()
    files = pdf_attachments(render_pdf(summary, docs_definition()).pdf)
    assert set(files) == {"intake-1-v1.json", "intake-1-v1.fhir.json"}
    embedded = json.loads(files["intake-1-v1.fhir.json"][0])
    validate(embedded)
    assert embedded["identifier"]["value"] == "1"
    issues = [e["resource"]["code"]["coding"][0]["code"] for e in embedded["entry"]
              if e["resource"]["resourceType"] == "DetectedIssue"]
    assert issues == [f["rule_id"] for f in summary.screening["flags"]]
    assert identity_of(render_pdf(summary, docs_definition()).pdf).intake_id == 1  # verify


def test_the_embedded_bundle_is_the_one_the_staff_download_gives():
    intake = record({"history.metal_allergy": "yes"})
    summary = SummaryData(
        answers=dict(intake.answers), intake_id=intake.intake_id,
        screening={"flags": list(intake.flags), "rules_version": intake.rules_version,
                   "created_at": intake.screened_at.isoformat()},
        submitted_at=intake.submitted_at, generated_at=intake.generated_at,
        timezone="Europe/London", locale="en_GB")
    # the staff download names the intake's language (intakes.language), as here
    assert json.loads(fhir_json(summary, DEFINITION)) == bundle(replace(intake, language="en"))


def test_an_archived_summary_with_its_bundle_still_verifies(docs_app, runner, submitted, db):
    from sqlalchemy import select

    from intake.cli import main
    from intake.documents.storage import archive_for
    from intake.models import Document

    intake_id = submitted()
    db.expire_all()
    document = db.scalars(select(Document).where(Document.intake_id == intake_id)).one()
    files = pdf_attachments(archive_for(docs_app).open_verified(document.sha256))
    assert f"intake-{intake_id}-v1.fhir.json" in files
    embedded = json.loads(files[f"intake-{intake_id}-v1.fhir.json"][0])
    assert embedded["identifier"]["value"] == str(intake_id)
    db.commit()
    result = runner.invoke(main, ["documents", "verify"])
    assert result.exit_code == 0, result.output
    assert "0 problem(s)" in result.output
