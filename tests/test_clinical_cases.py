"""The clinical audit's case loader (tests/clinical_helpers.py) refuses a
malformed case, so a typo cannot turn a case into one that checks nothing."""

from __future__ import annotations

import copy

import pytest
from clinical_helpers import CaseError, load_cases, parse_file, problems

from intake.screening import load_rules

RULES = load_rules()
RULE_IDS = [rule.id for rule in RULES.rules]
GOOD = {
    "topic": "Pregnancy",
    "today": "2026-06-01",
    "cases": [
        {
            "id": "might-be-pregnant",
            "reason": "might be pregnant",
            "answers": {"pregnancy.status": "might_be"},
            "fires": {"dn_pregnancy": "precaution"},
            "quiet": ["dn_minor"],
            "overall": "precaution",
        }
    ],
}


def changed(path: tuple, value=None, *, delete: bool = False) -> dict:
    data = copy.deepcopy(GOOD)
    target = data
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def test_a_good_case_loads_with_its_expectations():
    (case,) = parse_file("pregnancy", GOOD, RULE_IDS)
    assert case.name == "pregnancy:might-be-pregnant"
    assert case.fires == {"dn_pregnancy": ("precaution", None)}
    assert case.quiet == ("dn_minor",)
    assert case.overall == ("precaution", None)
    assert problems(RULES, case) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (changed(("topic",), delete=True), "exactly the keys"),
        (changed(("today",), "1 June"), "today must be"),
        (changed(("cases",), []), "non-empty list"),
        (changed(("cases", 0), "a case"), "must be a mapping"),
        (changed(("cases", 0, "expect"), {}), "unknown keys ['expect']"),
        (changed(("cases", 0, "id"), "Might be pregnant"), "id must be"),
        (changed(("cases", 0, "reason"), " "), "reason must be"),
        (changed(("cases", 0, "answers"), ["pregnancy.status"]), "answers must be"),
        (changed(("cases", 0, "fires"), {"dn_pregnacy": "precaution"}), "unknown rule ids"),
        (changed(("cases", 0, "quiet"), ["dn_minr"]), "unknown rule ids"),
        (changed(("cases", 0, "quiet"), "dn_minor"), "quiet must be a list"),
        (changed(("cases", 0, "quiet"), ["dn_pregnancy"]), "both fire and stay quiet"),
        (changed(("cases", 0, "fires", "dn_pregnancy"), "caution"), "unknown level"),
        (changed(("cases", 0, "fires", "dn_pregnancy"), "red_flag"), "names its urgency"),
        (changed(("cases", 0, "fires", "dn_pregnancy"), "precaution/urgent"), "names its urgency"),
        (changed(("cases", 0, "fires", "dn_pregnancy"), "red_flag/soon"), "unknown urgency"),
        (changed(("cases", 0, "overall"), 3), "a level must be text"),
        (changed(("cases", 0, "incomplete"), "yes"), "incomplete must be"),
        (changed(("cases", 0, "plan"), ["left_knee"]), "plan must be a mapping"),
        ({**GOOD, "cases": [{"id": "nothing", "reason": "checks nothing", "answers": {}}]},
         "expects nothing"),
        ({**GOOD, "cases": GOOD["cases"] * 2}, "duplicate id"),
    ],
)
def test_a_malformed_case_is_refused_naming_file_and_case(data, message):
    with pytest.raises(CaseError) as refused:
        parse_file("pregnancy", data, RULE_IDS)
    assert message in str(refused.value)
    assert str(refused.value).startswith("pregnancy:")


def test_a_case_file_that_is_not_yaml_is_refused(tmp_path):
    (tmp_path / "broken.yaml").write_text("cases: [unclosed\n", encoding="utf-8")
    with pytest.raises(CaseError, match="broken: not valid YAML"):
        load_cases(RULES, tmp_path)


def test_a_folder_without_case_files_is_refused(tmp_path):
    with pytest.raises(CaseError, match="no case files"):
        load_cases(RULES, tmp_path)


def test_a_wrong_expectation_is_reported():
    """The runner can fail: each kind of expectation the rules do not meet."""
    case = GOOD["cases"][0]
    wrong = {**GOOD, "cases": [
        {**case, "fires": {"dn_pregnancy": "contraindication"}, "quiet": []},
        {**case, "id": "quiet-but-fires", "fires": {}, "quiet": ["dn_pregnancy"]},
        {**case, "id": "fires-but-quiet", "fires": {"dn_minor": "precaution"}, "quiet": [],
         "overall": "none"},
    ]}
    found = [problems(RULES, c) for c in parse_file("pregnancy", wrong, RULE_IDS)]
    assert found == [
        ["pregnancy:might-be-pregnant (might be pregnant): dn_pregnancy is precaution, "
         "want contraindication"],
        ["pregnancy:quiet-but-fires (might be pregnant): dn_pregnancy fired (precaution) "
         "but must not"],
        ["pregnancy:fires-but-quiet (might be pregnant): dn_minor did not fire; got "
         "['dn_pregnancy']",
         "pregnancy:fires-but-quiet (might be pregnant): overall is precaution, want none"],
    ]
