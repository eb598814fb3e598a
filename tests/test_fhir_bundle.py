"""One intake as a Bundle: its response, a DetectedIssue per flag naming the
rule id and level, and the consent; every resource validates."""

from __future__ import annotations

import base64
import hashlib
import json

from fhir_helpers import DEFINITION, SUBMITTED, record

from intake.fhir import bundle
from intake.fhir.bundle import IntakeRecord, consent_text
from intake.fhir.validate import validate


def resources(b: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_and_each_resource_validate():
    made = bundle(record({"history.metal_allergy": "yes"}))
    validate(made)
    for entry in made["entry"]:
        validate(entry["resource"])
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
    assert made["type"] == "collection" and made["identifier"]["value"] == "7"


def test_each_flag_is_a_detected_issue_naming_its_rule_and_level():
    intake = record({"history.metal_allergy": "yes"})
    assert intake.flags, "the case fires nothing"
    made = bundle(intake)
    issues = resources(made, "DetectedIssue")
    assert [i["code"]["coding"][0]["code"] for i in issues] == [
        f["rule_id"] for f in intake.flags]
    for issue, flag in zip(issues, intake.flags, strict=True):
        level = {e["url"].rsplit("/", 1)[1]: e for e in issue["extension"]}
        assert level["screening-level"]["valueCode"] == flag["level"]
        assert issue["detail"] == flag["why"]
        assert issue["identifiedDateTime"] == SUBMITTED.isoformat()
        qr = made["entry"][0]["fullUrl"]
        assert issue["evidence"] == [{"detail": [{"reference": qr}]}]


def test_a_red_flag_is_high_severity_with_its_urgency():
    intake = record({"symptoms.saddle_numbness": "not_sure"})
    red = [f for f in intake.flags if f["rule_id"] == "rf_ces_saddle_anaesthesia"]
    assert red and red[0]["urgency"] == "emergency"
    issue = next(i for i in resources(bundle(intake), "DetectedIssue")
                 if i["code"]["coding"][0]["code"] == red[0]["rule_id"])
    assert issue["severity"] == "high"
    urgency = [e for e in issue["extension"] if e["url"].endswith("screening-urgency")]
    assert urgency[0]["valueCode"] == red[0]["urgency"]


def test_the_consent_says_what_was_agreed_when_and_its_text_version():
    made = bundle(record({}))
    (consent,) = resources(made, "Consent")
    assert consent["status"] == "active" and consent["provision"] == {"type": "permit"}
    assert consent["dateTime"] == SUBMITTED.isoformat()
    assert consent["extension"][0]["valueString"] == DEFINITION.version
    step = DEFINITION.role_step("consent")
    text = base64.b64decode(consent["sourceAttachment"]["data"]).decode()
    assert text == consent_text(step)
    assert DEFINITION.role("consent").label in text and step.intro in text
    assert consent["sourceAttachment"]["hash"] == base64.b64encode(
        hashlib.sha1(text.encode()).digest()).decode()  # noqa: S324
    assert consent["performer"][0]["display"] == record({}).answers["consent.typed_signature"]


def test_no_consent_resource_without_a_consent_answer():
    intake = record({})
    answers = {k: v for k, v in intake.answers.items() if k != "consent.read_understood"}
    made = bundle(IntakeRecord(intake_id=1, definition=DEFINITION, answers=answers))
    assert resources(made, "Consent") == []
    validate(made)


def test_the_same_intake_gives_the_same_bundle_and_another_intake_other_ids():
    first, again = bundle(record({})), bundle(record({}))
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    other = bundle(record({}, intake_id=8))
    assert {e["fullUrl"] for e in other["entry"]}.isdisjoint(e["fullUrl"]
                                                            for e in first["entry"])


def test_a_preview_has_no_intake_identifier_but_still_validates():
    made = bundle(IntakeRecord(intake_id=None, definition=DEFINITION,
                               answers=record({}).answers))
    assert "identifier" not in made
    validate(made)


#: R4's required value sets for the codes used (the R4B models do not check them)
R4_ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime",
                 "time", "string", "text", "url", "choice", "open-choice", "attachment",
                 "reference", "quantity"}
R4_CODES = {
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended",
                                          "entered-in-error", "stopped"},
    ("DetectedIssue", "status"): {"registered", "preliminary", "final", "amended",
                                  "corrected", "cancelled", "entered-in-error", "unknown"},
    ("DetectedIssue", "severity"): {"high", "moderate", "low"},
    ("Consent", "status"): {"draft", "proposed", "active", "rejected", "inactive",
                            "entered-in-error"},
    ("Bundle", "type"): {"document", "message", "transaction", "transaction-response",
                         "batch", "batch-response", "history", "searchset", "collection"},
}


def test_the_codes_used_are_in_r4s_required_value_sets():
    from fhir_helpers import walk

    from intake.fhir import questionnaire

    made = bundle(record({"symptoms.saddle_numbness": "not_sure",
                          "history.metal_allergy": "yes"}))
    found = [made] + [e["resource"] for e in made["entry"]]
    for resource in found:
        for (kind, element), allowed in R4_CODES.items():
            if resource["resourceType"] == kind:
                assert resource[element] in allowed, (kind, element)
    items = list(walk(questionnaire(DEFINITION)["item"]))
    assert {item["type"] for item in items} <= R4_ITEM_TYPES
    operators = {w["operator"] for item in items for w in item.get("enableWhen", ())}
    assert operators <= {"exists", "=", "!=", ">", "<", ">=", "<="}
