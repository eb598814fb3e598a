"""CLI start-up: lazy imports, the C YAML loader and the content-keyed caches.

The caches must never change a result: every test here compares against a
plain yaml.safe_load or a fresh, uncached load.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from screening_fakes import REPO

import intake.screening as screening
from intake import datafiles
from intake.questionnaire import DefinitionError, load_definition
from intake.screening import RuleSetError, load_rules

SHIPPED_YAML = sorted([*(REPO / "rules").glob("*.yaml"),
                       *(REPO / "intake" / "questionnaire").glob("*.yaml")])
HEAVY = ("alembic", "weasyprint", "sqlalchemy", "wtforms", "flask_limiter", "pypdf")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A private cache directory and an empty in-process memo (a new process)."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("INTAKE_CACHE_DIR", str(directory))
    monkeypatch.setattr(datafiles, "_memo", {})
    return directory


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "yaml").glob("*.pickle"))


def test_the_c_loader_is_used_when_pyyaml_has_it():
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert datafiles.FAST_LOADER is expected


@pytest.mark.parametrize("path", SHIPPED_YAML, ids=lambda p: p.name)
def test_every_shipped_file_parses_exactly_as_safe_load(path, cache):
    text = path.read_text(encoding="utf-8")
    plain = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506
    assert datafiles.parse_yaml(text) == plain  # parsed (and cached)
    datafiles._memo.clear()
    again = datafiles.parse_yaml(text)  # from the cache directory
    assert again == plain
    assert repr(again) == repr(plain)  # same types too (dates, ints, floats)


def test_each_caller_gets_its_own_copy(cache):
    first = datafiles.parse_yaml("a: [1, 2]\n")
    first["a"].append(3)
    assert datafiles.parse_yaml("a: [1, 2]\n") == {"a": [1, 2]}


def test_a_bad_file_reports_safeloaders_message(tmp_path, cache):
    bad = "version: 1\nsteps: [a, b\nother: 3\n"
    with pytest.raises(yaml.YAMLError) as plain:
        yaml.load(bad, Loader=yaml.SafeLoader)  # noqa: S506
    path = tmp_path / "questionnaire.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DefinitionError) as loaded:
        load_definition(path)
    assert str(plain.value) in str(loaded.value)
    assert "^" in str(loaded.value)  # the caret under the mistake, as before
    assert datafiles._read_entry(datafiles._key(bad)) is None  # nothing kept for it


def _damage(entry: Path, how: str) -> None:
    raw = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif how == "garbage":
        entry.write_bytes(b"not a cache entry at all")
    elif how == "flipped byte":
        entry.write_bytes(raw[:-5] + bytes([raw[-5] ^ 0xFF]) + raw[-4:])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "checksum of other data":
        forged = pickle.dumps({"areas": "forged"})
        entry.write_bytes(datafiles._header(entry.stem, b"other") + forged)


@pytest.mark.parametrize("how", ["truncated", "garbage", "flipped byte", "empty",
                                 "checksum of other data"])
def test_a_damaged_entry_is_ignored_and_replaced(cache, how):
    text = (REPO / "intake" / "questionnaire" / "regions.yaml").read_text(encoding="utf-8")
    plain = yaml.safe_load(text)
    datafiles.parse_yaml(text)
    (entry,) = entries(cache)
    _damage(entry, how)
    datafiles._memo.clear()
    assert datafiles.parse_yaml(text) == plain
    datafiles._memo.clear()
    assert datafiles._read_entry(entry.stem) is not None  # written again, whole
    assert datafiles.parse_yaml(text) == plain


class _Planted:
    def __reduce__(self):
        return (os.system, ("touch planted-marker",))


def test_a_planted_entry_cannot_run_code(cache, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "a: 1\n"
    datafiles.parse_yaml(text)
    (entry,) = entries(cache)
    blob = pickle.dumps({"a": _Planted()})
    entry.write_bytes(datafiles._header(entry.stem, blob) + blob)  # a valid header, even
    datafiles._memo.clear()
    assert datafiles.parse_yaml(text) == {"a": 1}
    assert not (tmp_path / "planted-marker").exists()


def test_a_changed_file_is_never_served_from_the_cache(cache, tmp_path):
    path = tmp_path / "regions.yaml"
    original = (REPO / "intake" / "questionnaire" / "regions.yaml").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    questionnaire = REPO / "intake" / "questionnaire" / "questionnaire.yaml"
    before = load_definition(questionnaire, path)
    path.write_text(original.replace("label: ", "label: Edited ", 1), encoding="utf-8")
    datafiles._memo.clear()
    after = load_definition(questionnaire, path)
    assert after.regions.areas[0].label.startswith("Edited ")
    assert not before.regions.areas[0].label.startswith("Edited ")


def test_an_unusable_cache_directory_only_makes_it_slower(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("INTAKE_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(datafiles, "_memo", {})
    assert datafiles.parse_yaml("a: [1, 2]\n") == {"a": [1, 2]}
    assert datafiles.passed_before("x", ("1",), lambda: []) == []


def test_an_empty_cache_setting_turns_the_directory_off(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_CACHE_DIR", "")
    assert datafiles.cache_dir() is None
    monkeypatch.delenv("INTAKE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datafiles.cache_dir() == tmp_path / "intake"


def test_only_a_pass_is_remembered_and_only_for_the_same_inputs(cache, monkeypatch):
    calls = []

    def check(result):
        def run():
            calls.append(result)
            return list(result)
        return run

    assert datafiles.passed_before("c", ("a",), check(["a problem"])) == ["a problem"]
    assert datafiles.passed_before("c", ("a",), check(["a problem"])) == ["a problem"]
    assert datafiles.passed_before("c", ("a",), check([])) == []
    assert datafiles.passed_before("c", ("a",), check(["never asked"])) == []
    assert datafiles.passed_before("c", ("b",), check(["other input"])) == ["other input"]
    monkeypatch.setattr(datafiles, "_source_digest", lambda: "changed code")
    assert datafiles.passed_before("c", ("a",), check(["new code"])) == ["new code"]
    assert calls == [["a problem"], ["a problem"], [], ["other input"], ["new code"]]


def test_a_damaged_pass_marker_runs_the_check_again(cache):
    datafiles.passed_before("c", ("a",), lambda: [])
    (marker,) = (cache / "passed").iterdir()
    marker.write_text("0" * 64, encoding="ascii")
    assert datafiles.passed_before("c", ("a",), lambda: ["runs again"]) == ["runs again"]


def test_rules_that_passed_once_are_checked_again_after_an_edit(cache, tmp_path, monkeypatch):
    rules = shutil.copytree(REPO / "rules", tmp_path / "rules")
    monkeypatch.setattr(screening, "_loaded", {})
    first = load_rules(rules)
    assert list((cache / "passed").iterdir())  # the pass is remembered
    baseline = rules / "baseline.yaml"
    baseline.write_text(baseline.read_text(encoding="utf-8").replace(
        "about.height_cm: 170", "about.height_cm: tall"), encoding="utf-8")
    monkeypatch.setattr(screening, "_loaded", {})  # as a new process would
    monkeypatch.setattr(datafiles, "_memo", {})
    with pytest.raises(RuleSetError, match="about.height_cm"):
        load_rules(rules)
    baseline.write_text((REPO / "rules" / "baseline.yaml").read_text(encoding="utf-8"),
                        encoding="utf-8")
    assert load_rules(rules).content_hash == first.content_hash


def test_the_same_rules_directory_is_loaded_again_only_when_it_changed(tmp_path, monkeypatch):
    rules = shutil.copytree(REPO / "rules", tmp_path / "rules")
    monkeypatch.setattr(screening, "_loaded", {})
    first = load_rules(rules)
    assert load_rules(rules) is first
    general = rules / "general.yaml"
    general.write_text(general.read_text(encoding="utf-8") + "\n# a comment\n",
                       encoding="utf-8")
    changed = load_rules(rules)
    assert changed is not first and changed.content_hash != first.content_hash


#: what `intake rules check` and `intake screen` need not even import
NOT_NEEDED = (*HEAVY, "flask", "werkzeug", "jinja2", "itsdangerous")


def _imported_after(args: list[str], tmp_path: Path) -> tuple[str, list[str]]:
    """Run the console script's entry (intake.cli.run) with `args` in a new
    process: its output and which of NOT_NEEDED it imported."""
    script = (
        "import json, sys\n"
        "from intake.cli import run\n"
        "try:\n"
        f"    run({args!r})\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({NOT_NEEDED!r}))\n"
        "print(json.dumps(heavy))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    env["INTAKE_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=True, timeout=300)
    lines = done.stdout.strip().splitlines()
    return "\n".join(lines[:-1]), json.loads(lines[-1])


def test_the_console_script_sends_other_commands_to_the_flask_group(tmp_path):
    script = "from intake.cli import run\nrun(['--help'])\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in ("db", "rules", "screen", "worker", "routes"):
        assert f"\n  {name} " in done.stdout


def test_rules_and_screen_read_dotenv_as_the_flask_group_does(tmp_path):
    """Started without Flask, they still see a .env's settings, and a bad
    setting or a bad rules folder is a message with a non-zero exit."""
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(load_rules().baseline), encoding="utf-8")
    (tmp_path / ".env").write_text("INTAKE_TIMEZONE=Not/AZone\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTAKE_", "FLASK_"))}
    env["INTAKE_CACHE_DIR"] = ""
    for entry in ("run", "main"):
        script = f"from intake.cli import {entry}\n{entry}(['screen', {str(answers)!r}])\n"
        done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 1 and "Not/AZone" in done.stderr, (entry, done.stderr)
    empty = tmp_path / "empty"
    empty.mkdir()
    script = f"from intake.cli import run\nrun(['rules', 'check', '--path', {str(empty)!r}])\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "the rules do not load" in done.stderr, done.stderr
    assert "Usage: intake rules check" in subprocess.run(
        [sys.executable, "-c", "from intake.cli import run\nrun(['rules', 'check', '--bad'])"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300).stderr


def test_rules_check_imports_no_database_pdf_or_web_form_library(tmp_path):
    output, heavy = _imported_after(["rules", "check"], tmp_path)
    assert output.startswith("OK: ")
    assert heavy == []


def test_screen_imports_no_database_pdf_or_web_form_library(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(load_rules().baseline), encoding="utf-8")
    output, heavy = _imported_after(["screen", str(answers), "--date", "2026-06-01"], tmp_path)
    assert json.loads(output)["overall_level"] in (None, "note")
    assert heavy == []


def test_every_command_is_still_listed_and_loads(runner):
    from intake.cli import COMMANDS, main

    listed = runner.invoke(main, ["--help"])
    assert listed.exit_code == 0, listed.output
    for name in [*COMMANDS, "run", "routes", "shell"]:
        assert f"\n  {name} " in listed.output
        assert runner.invoke(main, [name, "--help"]).exit_code == 0, name
