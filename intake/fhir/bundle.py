"""One intake as a FHIR R4 ``Bundle`` (type collection): its answers, flags, consent.

- the answers as a QuestionnaireResponse naming the Questionnaire by url|version;
- each screening flag as a ``DetectedIssue`` (why not ``Flag``: docs/FHIR.md):
  its code is the rule id in the project's rule code system, its level (and
  a red flag's urgency) in extensions, its severity high/moderate/low, the
  reasoning in ``detail``, the recommended action and the sources in
  extensions, the response as its evidence;
- the consent as a ``Consent``: treatment scope, permit when the agreement
  was ticked, when (the submission), the text agreed to as an attachment with
  its SHA-1 (FHIR's hash) and the questionnaire version that is the text's
  version.

Every fullUrl is a UUID derived from the intake id, so the same intake gives
the same Bundle (the PDF embeds one; a download gives the same ids).
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .codes import BASE, LOINC, language_tag, url
from .response import response

#: severity level -> DetectedIssue.severity
SEVERITY = {"red_flag": "high", "contraindication": "high", "precaution": "moderate",
            "note": "low"}
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_CATEGORY = "59284-0"  # LOINC: Patient Consent


@dataclass(frozen=True)
class IntakeRecord:
    """What the Bundle is made of, as plain data (no database objects)."""

    #: None for a preview (`intake pdf` of an answers file)
    intake_id: int | None
    definition: Any
    #: the visit's answers (Intake.visit_answers), keyed by question id
    answers: Mapping[str, Any]
    #: the screening's flags as dicts (documents.collect.flag_dict's shape)
    flags: Sequence[Mapping[str, Any]] = ()
    submitted_at: datetime | None = None
    screened_at: datetime | None = None
    rules_version: str | None = None
    generated_at: datetime | None = None
    #: the language the patient answered in ('en', 'fr'; intakes.language)
    language: str | None = None
    #: intakes.consent_text_version (None: the questionnaire's version stands in)
    consent_text_version: str | None = None
    base: str = field(default=BASE)


def bundle(record: IntakeRecord) -> dict[str, Any]:
    base, definition = record.base, record.definition
    qr_url = _full_url(record, "QuestionnaireResponse")
    entries = [(qr_url, response(
        definition, record.answers, authored=record.submitted_at,
        resource_id=_id(qr_url), base=base, language=record.language,
    ))]
    for n, flag in enumerate(record.flags):
        issue_url = _full_url(record, "DetectedIssue", n)
        entries.append((issue_url, detected_issue(record, flag, issue_url, qr_url)))
    consent = consent_of(record)
    if consent is not None:
        consent_url = _full_url(record, "Consent")
        entries.append((consent_url, {"resourceType": "Consent", "id": _id(consent_url),
                                      **consent}))
    out: dict[str, Any] = {"resourceType": "Bundle", "id": _id(_full_url(record, "Bundle"))}
    if record.intake_id is not None:
        out["identifier"] = {"system": url("intake", base=base), "value": str(record.intake_id)}
    out["type"] = "collection"
    if record.generated_at is not None:
        out["timestamp"] = record.generated_at.isoformat()
    out["entry"] = [{"fullUrl": full, "resource": resource} for full, resource in entries]
    return out


def detected_issue(record: IntakeRecord, flag: Mapping[str, Any], issue_url: str,
                   qr_url: str) -> dict[str, Any]:
    base = record.base
    level = flag["level"]
    extensions = [_ext(base, "screening-level", {"valueCode": level})]
    if flag.get("urgency"):
        extensions.append(_ext(base, "screening-urgency", {"valueCode": flag["urgency"]}))
    if flag.get("action"):
        extensions.append(_ext(base, "screening-action", {"valueString": flag["action"]}))
    extensions += [_ext(base, "screening-source", {"valueString": str(source)})
                   for source in flag.get("sources") or ()]
    if record.rules_version:
        extensions.append(_ext(base, "screening-rules-version",
                               {"valueString": record.rules_version}))
    issue: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "id": _id(issue_url),
        "extension": extensions,
        "status": "final",
        "code": {"coding": [{"system": url("CodeSystem", "screening-rule", base=base),
                             "code": flag["rule_id"], "display": flag.get("title") or None}],
                 "text": flag.get("title") or flag["rule_id"]},
        "severity": SEVERITY[level],
    }
    when = record.screened_at or record.submitted_at
    if when is not None:
        issue["identifiedDateTime"] = when.isoformat()
    issue["evidence"] = [{"detail": [{"reference": qr_url}]}]
    if flag.get("why"):
        issue["detail"] = flag["why"]
    if issue["code"]["coding"][0]["display"] is None:
        del issue["code"]["coding"][0]["display"]
    return issue


def consent_of(record: IntakeRecord) -> dict[str, Any] | None:
    """The consent step as a Consent; None when the questionnaire has no consent
    question or it was not answered."""
    definition = record.definition
    try:
        agreement = definition.role("consent")
    except KeyError:
        return None
    if agreement.id not in record.answers:
        return None
    agreed = record.answers.get(agreement.id) is True
    language = record.language or "en"
    # the text the patient read: in their language (Definition.translated)
    shown = definition.translated(language) if hasattr(definition, "translated") else definition
    step = shown.step(agreement.step_id)
    text = consent_text(step)
    attachment: dict[str, Any] = {
        "contentType": "text/plain; charset=utf-8",
        "language": language_tag(language),
        "data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
        "hash": base64.b64encode(hashlib.sha1(text.encode("utf-8")).digest()).decode("ascii"),  # noqa: S324 (FHIR's Attachment.hash is SHA-1)
        "title": f"{step.title} (questionnaire {definition.version})",
    }
    out: dict[str, Any] = {
        "resourceType": "Consent",
        "extension": [_ext(record.base, "consent-text-version",
                           {"valueString": record.consent_text_version
                            or definition.version})],
        "status": "active" if agreed else "rejected",
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "treatment"}]},
        "category": [{"coding": [{"system": LOINC, "code": CONSENT_CATEGORY}]}],
    }
    signer = _signer(definition, record.answers)
    if record.submitted_at is not None:
        out["dateTime"] = record.submitted_at.isoformat()
        attachment["creation"] = record.submitted_at.isoformat()
    if signer:
        out["performer"] = [{"display": signer}]
    out["sourceAttachment"] = attachment
    out["policy"] = [{"uri": url("consent", definition.version, base=record.base)}]
    out["provision"] = {"type": "permit" if agreed else "deny"}
    return out


def consent_text(step) -> str:
    """What the patient read and agreed to: the step's text and each tick box's words."""
    parts = [step.title, step.intro or ""]
    parts += [f"[agreed] {q.label}" for q in step.questions if q.kind.tick_box]
    return "\n\n".join(p for p in parts if p)


def _signer(definition, answers: Mapping[str, Any]) -> str | None:
    try:
        typed = definition.role("typed_signature")
    except KeyError:
        return None
    value = answers.get(typed.id)
    return value if isinstance(value, str) and value.strip() else None


def _ext(base: str, name: str, value: Mapping[str, Any]) -> dict:
    return {"url": url("StructureDefinition", name, base=base), **value}


def _full_url(record: IntakeRecord, kind: str, n: int = 0) -> str:
    ident = "preview" if record.intake_id is None else record.intake_id
    name = f"{record.base}/intake/{ident}/{kind}/{n}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _id(full_url: str) -> str:
    return full_url.rpartition(":")[2]
