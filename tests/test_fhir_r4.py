"""What the app writes as FHIR validates with the R4 (4.0.1) models of
fhir.resources 6.4.0, run in a venv of their own (`make fhir-r4`, docs/FHIR.md):
the questionnaire, a Bundle for every clinical case, and what `intake fhir
export` writes for a first intake, a French one, one signed by drawing and a
follow-up. One run of the validator checks them all. A broken resource is
refused, naming the file and the path of each problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from clinical_helpers import load_cases
from fhir_helpers import DEFINITION, RULES, SUBMITTED, case_answers, walk
from staff_helpers import baseline_answers, submitted_intake

from intake.cli import main
from intake.fhir import IntakeRecord, bundle
from intake.operations.invites import create_invite
from intake.operations.review import store_screening
from intake.screening import evaluate

ROOT = Path(__file__).resolve().parent.parent
R4_PYTHON = ROOT / ".venv-fhir-r4" / "bin" / "python"
VALIDATOR = ROOT / "tests" / "fhir_r4" / "validate.py"
TINY_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def r4_validator(paths: list[Path]) -> subprocess.CompletedProcess:
    """One run of the R4 validator over ``paths``. In CI a missing venv fails
    the test (it would otherwise check nothing); elsewhere it skips, naming
    the make target."""
    if not R4_PYTHON.exists():
        message = f"{R4_PYTHON} is missing: `make fhir-r4` builds it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run([str(R4_PYTHON), str(VALIDATOR), *map(str, paths)],
                          capture_output=True, text=True, timeout=300, check=False)


def case_bundles(directory: Path) -> list[Path]:
    """A Bundle for every clinical case (tests/clinical), screened on its day."""
    paths = []
    for n, case in enumerate(load_cases(RULES), start=1):
        answers = case_answers(case.answers, case.today)
        screening = evaluate(answers, case.plan, rules=RULES, today=case.today)
        made = bundle(IntakeRecord(
            intake_id=n, definition=DEFINITION, answers=answers,
            flags=[flag.to_dict() for flag in screening.flags], submitted_at=SUBMITTED,
            screened_at=SUBMITTED, rules_version=RULES.version, generated_at=SUBMITTED))
        path = directory / f"case-{n}.fhir.json"
        path.write_text(json.dumps(made), encoding="utf-8")
        paths.append(path)
    return paths


def follow_up_of(db, clinic, first):
    follow_up, _ = create_invite(db, clinic, name="", days=14, follows=first)
    merged = baseline_answers(**{"pain.back_now": 9})
    follow_up.merged_answers = merged
    follow_up.mark_submitted({"pain.back_now": 9}, datetime(2026, 3, 4, 12, tzinfo=UTC))
    store_screening(db, follow_up, evaluate(merged, None, today=follow_up.submitted_at.date()))
    db.commit()
    return follow_up


def test_everything_the_app_writes_validates_with_the_r4_models(runner, db, clinic, tmp_path):
    when = datetime(2026, 3, 2, 12, tzinfo=UTC)
    first = submitted_intake(db, clinic, when=when)
    french = submitted_intake(db, clinic, when=when, language="fr",
                              answers=baseline_answers(**{"history.metal_allergy": "yes"}))
    signed = submitted_intake(db, clinic, when=when, answers=baseline_answers(
        **{"consent.drawn_signature": TINY_PNG}))
    follow_up = follow_up_of(db, clinic, first)

    written = runner.invoke(main, ["fhir", "questionnaire"])
    assert written.exit_code == 0, written.output
    questionnaire = tmp_path / "questionnaire.fhir.json"
    questionnaire.write_text(written.output, encoding="utf-8")
    exported = tmp_path / "export"
    result = runner.invoke(main, ["fhir", "export", "--since", "2026-03-01", str(exported)])
    assert result.exit_code == 0, result.output
    export = sorted(exported.iterdir())
    assert [p.name for p in export] == sorted(
        f"intake-{i.id}.fhir.json" for i in (first, french, signed, follow_up))
    cases = case_bundles(tmp_path)

    # what the files hold is what this test means to check
    def response_of(intake) -> dict:
        data = json.loads((exported / f"intake-{intake.id}.fhir.json").read_text())
        return data["entry"][0]["resource"]
    assert response_of(french)["language"] == "fr-CA"
    drawn = {i["linkId"]: i for i in walk(response_of(signed)["item"])}
    assert drawn["consent.drawn_signature"]["answer"][0]["valueAttachment"]["contentType"] \
        == "image/png"
    assert "about.full_name" in {i["linkId"] for i in walk(response_of(follow_up)["item"])}
    title = json.loads(written.output)["_title"]["extension"]  # the French texts are checked too
    assert title[0]["url"] == "http://hl7.org/fhir/StructureDefinition/translation"

    checked = r4_validator([questionnaire, *export, *cases])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    files = 1 + len(export) + len(cases)
    assert f"{files} file(s)" in checked.stdout and "(FHIR 4.0.1): 0 problem(s)" in checked.stdout
    assert len(cases) == len(load_cases(RULES)) > 300


def broken(tmp_path: Path) -> dict[str, Path]:
    good = bundle(IntakeRecord(intake_id=1, definition=DEFINITION,
                               answers=case_answers({"history.metal_allergy": "yes"},
                                                    SUBMITTED.date()),
                               flags=[{"rule_id": "dn_metal_allergy", "level": "precaution",
                                       "why": "metal allergy"}],
                               submitted_at=SUBMITTED))
    files = {"good": good}
    wrong_type = json.loads(json.dumps(good))
    answers = {i["linkId"]: i for i in walk(wrong_type["entry"][0]["resource"]["item"])}
    answers["about.height_cm"]["answer"] = [{"valueDecimal": "tall"}]
    files["wrong-type"] = wrong_type
    # pydantic 1 would take 42 as "42": the validator reads the value back
    coerced = json.loads(json.dumps(good))
    answers = {i["linkId"]: i for i in walk(coerced["entry"][0]["resource"]["item"])}
    answers["about.full_name"]["answer"] = [{"valueString": 42}]
    files["coerced"] = coerced
    unknown = json.loads(json.dumps(good))
    unknown["entry"][1]["resource"]["severty"] = "high"
    files["unknown-element"] = unknown
    missing = {"resourceType": "Questionnaire", "item": [{"linkId": "a", "text": "A"}]}
    files["missing-required"] = missing
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(data), encoding="utf-8")
    return paths


def test_the_r4_validator_refuses_broken_resources_naming_file_and_path(tmp_path):
    paths = broken(tmp_path)
    checked = r4_validator(list(paths.values()))
    assert checked.returncode == 1, checked.stdout + checked.stderr
    lines = checked.stdout.splitlines()
    qr = "entry[0].resource(QuestionnaireResponse).item[0].item"
    assert not [line for line in lines if line.startswith(str(paths["good"]))]
    wrong = [line for line in lines if line.startswith(f"{paths['wrong-type']}: {qr}")]
    assert len(wrong) == 1 and wrong[0].endswith("valueDecimal: value is not a valid decimal")
    coerced = [line for line in lines if line.startswith(f"{paths['coerced']}: {qr}")]
    assert len(coerced) == 1
    assert coerced[0].endswith('valueString: 42 is read as "42" (the wrong JSON type)')
    assert (f"{paths['unknown-element']}: entry[1].resource(DetectedIssue).severty: "
            "extra fields not permitted") in lines
    # a missing required element does not hide the others of its resource
    assert f"{paths['missing-required']}: status: field required" in lines
    assert f"{paths['missing-required']}: item[0].type: field required" in lines
    assert lines[-1].endswith("(FHIR 4.0.1): 5 problem(s)")


def test_the_r4_validator_reads_stdin_and_refuses_what_is_not_a_resource(tmp_path):
    r4_validator([])  # skips (or fails in CI) when the venv is missing
    for text, expected in [("[1, 2]", "<stdin>: (resource): not a FHIR resource"),
                           ('{"resourceType": "Flagg"}', "'Flagg' is not an R4 resource type"),
                           ("{not json", "<stdin>: not JSON")]:
        checked = subprocess.run([str(R4_PYTHON), str(VALIDATOR)], input=text,
                                 capture_output=True, text=True, timeout=60, check=False)
        assert checked.returncode == 1 and expected in checked.stdout, checked.stdout


def test_the_validator_imports_nothing_of_the_app():
    source = VALIDATOR.read_text(encoding="utf-8")
    assert "intake" not in {line.split()[1].split(".")[0] for line in source.splitlines()
                            if line.startswith(("import ", "from "))}


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception),
                                             ("", pytest.skip.Exception)])
def test_a_missing_r4_venv_fails_in_ci_and_skips_elsewhere(monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(sys.modules[__name__], "R4_PYTHON", tmp_path / "none" / "python")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match=r"`make fhir-r4` builds it"):
        r4_validator([])
