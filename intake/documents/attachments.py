"""What a summary PDF carries inside it (PDF/A-3 associated files), in one list.

The project's own JSON (SummaryData.payload, which `verify` and the download
read the identity from) and the same intake as a FHIR R4 Bundle
(intake.fhir) for the clinic's other systems. A new attachment is one more
entry in ``attachments``; render.py turns each into a WeasyPrint Attachment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from intake.documents.summary import SummaryData
from intake.fhir import IntakeRecord, bundle


@dataclass(frozen=True)
class Embedded:
    name: str
    data: bytes
    description: str


def payload_json(data: SummaryData) -> bytes:
    return json.dumps(data.payload(), ensure_ascii=False, indent=2, sort_keys=True,
                      default=str).encode("utf-8")


def fhir_json(data: SummaryData, definition) -> bytes:
    """The summary's answers, flags and consent as a FHIR Bundle (the same
    resources, with the same ids, as the staff download)."""
    screening = data.screening or {}
    created = screening.get("created_at")
    record = IntakeRecord(
        intake_id=data.intake_id, definition=definition, answers=data.answers,
        flags=screening.get("flags") or (), submitted_at=data.submitted_at,
        screened_at=datetime.fromisoformat(created) if created else None,
        rules_version=screening.get("rules_version"), generated_at=data.generated_at,
        language=data.patient_language, consent_text_version=data.consent_text_version,
    )
    return json.dumps(bundle(record), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fhir_name(data: SummaryData) -> str:
    return data.attachment_name.removesuffix(".json") + ".fhir.json"


def attachments(data: SummaryData, definition) -> list[Embedded]:
    return [
        Embedded(data.attachment_name, payload_json(data),
                 "Answers, screening and review of this summary (JSON)"),
        Embedded(fhir_name(data), fhir_json(data, definition),
                 "The same intake as a FHIR R4 Bundle: QuestionnaireResponse, "
                 "DetectedIssue per flag, Consent (application/fhir+json)"),
    ]
