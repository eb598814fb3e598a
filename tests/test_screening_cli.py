"""`intake rules check|list` and `intake screen`, without an app or database."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner
from screening_fakes import REPO, rule, write_rules

from intake.cli.rules import rules_group
from intake.cli.screen import screen_command
from intake.screening import load_rules

RULES = load_rules()


@pytest.fixture
def cli():
    return CliRunner()


def write_json(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_rules_check_passes_for_the_shipped_rules(cli):
    result = cli.invoke(rules_group, ["check"])
    assert result.exit_code == 0, result.output
    assert f"OK: {len(RULES.rules)} rules" in result.output
    assert RULES.content_hash in result.output


def test_rules_check_fails_on_a_bad_rule_file(cli, tmp_path):
    bad = rule("r1", {"question": "history.nope", "equals": "yes"})
    directory = write_rules(tmp_path / "rules", {"x.yaml": {"group": "X", "rules": [bad]}},
                            baseline=None)
    result = cli.invoke(rules_group, ["check", "--path", str(directory)])
    assert result.exit_code != 0
    assert "x.yaml: rule r1: when: unknown question id 'history.nope'" in result.output


def test_rules_check_fails_when_an_example_misbehaves(cli, tmp_path):
    wrong = rule("r1", {"question": "symptoms.bladder", "equals": "new"}, examples={
        "fires": [{"name": "stable", "answers": {"symptoms.bladder": "longstanding"}}],
        "quiet": [{"answers": {}}],
    })
    baseline = yaml.safe_load((REPO / "rules" / "baseline.yaml").read_text(encoding="utf-8"))
    directory = write_rules(tmp_path / "rules", {"x.yaml": {"group": "X", "rules": [wrong]}},
                            baseline=baseline)
    result = cli.invoke(rules_group, ["check", "--path", str(directory)])
    assert result.exit_code != 0
    assert "x.yaml: rule r1: example fires 'stable': did not fire" in result.output
    assert "1 example(s) do not behave" in result.output


def test_rules_list(cli):
    result = cli.invoke(rules_group, ["list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(RULES.rules)
    assert lines[0].split()[:2] == ["dn_unwilling_or_needle_phobia", "contraindication"]
    line = next(x for x in lines if x.startswith("rf_cancer_history_or_active"))
    assert "red_flag/prompt > emergency" in line
    data = json.loads(cli.invoke(rules_group, ["list", "--json"]).output)
    assert data["rules_version"] == RULES.content_hash
    assert {r["id"] for r in data["rules"]} == {r.id for r in RULES.rules}


def test_screen_a_valid_answers_file(cli, tmp_path):
    answers = dict(RULES.baseline, **{"symptoms.bladder": "new"})
    path = write_json(tmp_path / "answers.json", answers)
    result = cli.invoke(screen_command, [path, "--date", "2026-06-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rules_version"] == RULES.content_hash
    assert data["questionnaire_version"] == RULES.definition.version
    assert data["overall_level"] == "red_flag"
    assert [f["rule_id"] for f in data["flags"]] == ["rf_ces_bladder_dysfunction"]
    assert data["flags"][0]["evidence"][0]["question"] == "symptoms.bladder"


def test_screen_with_a_plan(cli, tmp_path):
    answers = dict(RULES.baseline, **{"medications.current": ["apixaban"]})
    plan = {"regions": ["left_upper_back"], "noncompressible_targets": ["psoas"]}
    result = cli.invoke(screen_command, [
        write_json(tmp_path / "a.json", answers), "--plan", write_json(tmp_path / "p.json", plan),
        "--date", "2026-06-01",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["plan"]["noncompressible_targets"] == ["psoas"]
    assert {f["rule_id"] for f in data["flags"]} == {
        "dn_bleeding_risk_noncompressible_target", "dn_anticoagulant",
        "dn_thoracic_needling_planned",
    }


def test_screen_refuses_a_file_that_is_not_json(cli, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text("{'not': json", encoding="utf-8")
    result = cli.invoke(screen_command, [str(path)])
    assert result.exit_code != 0
    assert "is not valid JSON (line 1, column 2" in result.output


def test_screen_refuses_an_unknown_question_id(cli, tmp_path):
    answers = dict(RULES.baseline, **{"history.favourite_colour": "blue"})
    result = cli.invoke(screen_command, [write_json(tmp_path / "a.json", answers)])
    assert result.exit_code != 0
    assert "do not fit questionnaire" in result.output
    assert "'history.favourite_colour': unknown question id" in result.output


def test_screen_refuses_a_bad_plan_and_a_bad_date(cli, tmp_path):
    answers = write_json(tmp_path / "a.json", RULES.baseline)
    result = cli.invoke(screen_command, [
        answers, "--plan", write_json(tmp_path / "p.json", {"regions": ["left_wing"]}),
        "--date", "2026-06-01",
    ])
    assert result.exit_code != 0 and "unknown plan regions: left_wing" in result.output
    result = cli.invoke(screen_command, [answers, "--date", "June"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
