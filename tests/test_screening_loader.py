"""Loading rules: every problem names the file, the rule id and what is wrong."""

from __future__ import annotations

import pytest
from screening_fakes import load, rule, screening_definition, write_rules

from intake.screening import RuleSetError, check_examples, content_hash
from intake.screening.loader import load_ruleset

FEVER = {"question": "history.fever", "equals": "yes"}


def error(tmp_path, rules, **kwargs) -> str:
    with pytest.raises(RuleSetError) as caught:
        load(tmp_path, rules, **kwargs)
    return str(caught.value)


BAD_RULES = [
    ("unknown key", rule("r1", FEVER, severity="high"), "unknown keys severity"),
    ("missing level", {**rule("r1", FEVER), "level": None}, "missing level"),
    ("missing action", {**rule("r1", FEVER), "action": ""}, "missing action"),
    ("missing sources", {**rule("r1", FEVER), "sources": []}, "missing sources"),
    ("missing title", {k: v for k, v in rule("r1", FEVER).items() if k != "title"},
     "missing title"),
    ("missing examples", {k: v for k, v in rule("r1", FEVER).items() if k != "examples"},
     "missing examples"),
    ("unknown level", rule("r1", FEVER, level="warning"), "level must be one of"),
    ("red flag without urgency", {**rule("r1", FEVER, level="red_flag"), "urgency": None},
     "needs an urgency"),
    ("urgency on a precaution", rule("r1", FEVER, urgency="urgent"), "only a red_flag has one"),
    ("unknown urgency", rule("r1", FEVER, level="red_flag", urgency="soon"),
     "urgency must be one of"),
    ("unknown question", rule("r1", {"question": "history.nope", "equals": "yes"}),
     "unknown question id 'history.nope'"),
    ("unknown option", rule("r1", {"question": "history.fever", "equals": "maybe"}),
     "unknown option value 'maybe'"),
    ("operator does not fit", rule("r1", {"question": "history.fever", "gte": 2}),
     "operator 'gte' does not fit a choice question"),
    ("unknown drug class", rule("r1", {"question": "meds.other", "drug_class": "opioid"}),
     "unknown drug class opioid"),
    ("site not a regions question", rule("r1", FEVER, site="history.fever"),
     "site must name a regions question"),
    ("plan rule without marker", rule("r1", {"plan": "thorax"}),
     "plan: true exactly when the rule reads the plan"),
    ("marker without plan", rule("r1", FEVER, plan=True), "plan: true exactly when"),
    ("fired names unknown rule", rule("r1", {"fired": ["r9"]}), "fired names unknown rule r9"),
    ("escalate to a lower level", rule("r1", FEVER, escalate=[{"when": FEVER, "level": "note"}]),
     "level must be more severe"),
    ("escalate urgency on a precaution",
     rule("r1", FEVER, escalate=[{"when": FEVER, "urgency": "urgent"}]), "urgency must be"),
    ("examples without quiet", rule("r1", FEVER, examples={"fires": [{"answers": {}}]}),
     "examples.quiet needs at least one example"),
    ("example with unknown key",
     rule("r1", FEVER, examples={"fires": [{"answers": {}, "expect": "x"}],
                                 "quiet": [{"answers": {}}]}), "examples.fires[0]: keys are"),
    ("example with unknown question",
     rule("r1", FEVER, examples={"fires": [{"answers": {"history.nope": 1}}],
                                 "quiet": [{"answers": {}}]}), "unknown question ids history.nope"),
    ("example with a bad plan",
     rule("r1", FEVER, examples={"fires": [{"answers": {}, "plan": {"regions": ["left_wing"]}}],
                                 "quiet": [{"answers": {}}]}), "unknown plan regions: left_wing"),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in BAD_RULES],
                         ids=[c[0] for c in BAD_RULES])
def test_bad_rule_names_file_rule_and_problem(tmp_path, data, message):
    text = error(tmp_path, [data])
    assert text.startswith("test.yaml: rule r1: ")
    assert message in text


def test_duplicate_ids_across_files(tmp_path):
    directory = write_rules(tmp_path / "rules", {
        "a.yaml": {"group": "A", "rules": [rule("r1", FEVER)]},
        "b.yaml": {"group": "B", "rules": [rule("r1", FEVER)]},
    })
    with pytest.raises(RuleSetError, match=r"b\.yaml: rule r1: duplicate id \(also in a\.yaml\)"):
        load_ruleset(directory, screening_definition())


def test_fired_loop_is_an_error(tmp_path):
    text = error(tmp_path, [rule("r1", {"fired": ["r2"]}), rule("r2", {"fired": ["r1"]})])
    assert "fired references loop: r1 -> r2 -> r1" in text


def test_bad_yaml_and_bad_top_level(tmp_path):
    directory = write_rules(tmp_path / "a", {"x.yaml": "rules: [unclosed"})
    with pytest.raises(RuleSetError, match=r"x\.yaml: cannot read"):
        load_ruleset(directory, screening_definition())
    directory = write_rules(tmp_path / "b", {"x.yaml": {"rules": [], "extra": 1}})
    with pytest.raises(RuleSetError, match=r"x\.yaml: top level must be"):
        load_ruleset(directory, screening_definition())


def test_missing_or_broken_vocabulary(tmp_path):
    files = {"x.yaml": {"group": "X", "rules": [rule("r1", FEVER)]}}
    directory = write_rules(tmp_path / "a", files, vocabulary=False)
    with pytest.raises(RuleSetError, match=r"medications\.yaml: cannot read"):
        load_ruleset(directory, screening_definition())
    (directory / "medications.yaml").write_text(
        "classes: {anticoagulant: x}\ndrugs: {warfarin: {classes: [blood]}}\n", encoding="utf-8"
    )
    with pytest.raises(RuleSetError, match="drug warfarin: unknown class blood"):
        load_ruleset(directory, screening_definition())


def test_example_answers_are_checked_against_the_questionnaire(tmp_path):
    from intake.screening import load_rules

    bad = rule("r1", FEVER, examples={"fires": [{"answers": {"history.fever": "yes",
                                                              "meds.list": ["morphine"]}}],
                                      "quiet": [{"answers": {}}]})
    directory = write_rules(tmp_path / "rules", {"test.yaml": {"group": "T", "rules": [bad]}})
    with pytest.raises(RuleSetError) as caught:
        load_rules(directory, screening_definition())
    assert ("test.yaml: rule r1: example fires 'fires[0]': meds.list: 'morphine' is not one "
            "of the options") in str(caught.value)


def test_check_examples_reports_misbehaving_examples(tmp_path):
    wrong = rule("r1", FEVER, examples={
        "fires": [{"name": "no fever", "answers": {"history.fever": "no"}}],
        "quiet": [{"name": "fever", "answers": {"history.fever": "yes"}}],
    })
    ruleset = load(tmp_path, [wrong])
    assert check_examples(ruleset) == [
        "test.yaml: rule r1: example fires 'no fever': did not fire",
        "test.yaml: rule r1: example quiet 'fever': fired (precaution) but should stay quiet",
    ]


def test_check_examples_checks_expected_levels_and_the_baseline(tmp_path):
    wrong = rule("r1", FEVER, examples={
        "fires": [{"name": "f", "answers": {"history.fever": "yes"}, "expect_level": "note"}],
        "quiet": [{"answers": {}}],
    })
    noisy = rule("r2", {"question": "history.consent", "equals": True})
    problems = check_examples(load(tmp_path, [wrong, noisy]))
    assert "baseline.yaml: fires r2 but must fire nothing" in problems
    assert "test.yaml: rule r1: example fires 'f': fired as precaution, expected note" in problems


def test_content_hash_is_stable_and_covers_every_yaml_file(tmp_path):
    files = {"x.yaml": {"group": "X", "rules": [rule("r1", FEVER)]}}
    directory = write_rules(tmp_path / "rules", files)
    first = content_hash(directory)
    assert first == content_hash(directory)
    assert first == load_ruleset(directory, screening_definition()).content_hash
    (directory / "README.md").write_text("docs do not change the version", encoding="utf-8")
    assert content_hash(directory) == first
    text = (directory / "medications.yaml").read_text(encoding="utf-8")
    (directory / "medications.yaml").write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    assert content_hash(directory) == first  # line endings do not matter
    (directory / "medications.yaml").write_text(text + "\n# changed\n", encoding="utf-8")
    assert content_hash(directory) != first
