"""`intake questionnaire check`: the definitions load, and every translation
is complete and names only what exists."""

from __future__ import annotations

import shutil
import weakref

import yaml

from intake.cli import main
from intake.questionnaire import translation
from intake.questionnaire.follow_up import FOLLOW_UP_PATH


def test_the_shipped_files_pass(runner):
    result = runner.invoke(main, ["questionnaire", "check"])
    assert result.exit_code == 0, result.output
    assert "translations complete (fr)" in result.output


def test_a_missing_and_a_stale_key_fail_the_check(runner, tmp_path, monkeypatch):
    shipped = translation.texts_path
    copied = {}

    def texts_path(definition_file, language):
        source = shipped(definition_file, language)
        if source.name not in copied:
            copied[source.name] = tmp_path / source.name
            shutil.copy(source, copied[source.name])
        return copied[source.name]

    monkeypatch.setattr(translation, "texts_path", texts_path)
    monkeypatch.setattr(translation, "_cache", weakref.WeakKeyDictionary())
    texts_path(FOLLOW_UP_PATH, "fr")
    follow = copied["follow_up.yaml"]
    data = yaml.safe_load(follow.read_text(encoding="utf-8"))
    del data["steps"]["today"]["title"]
    data["questions"]["today.gone"] = {"label": "Partie"}
    follow.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    result = runner.invoke(main, ["questionnaire", "check"])
    assert result.exit_code == 1
    assert "follow_up.yaml: steps.today.title: no fr translation" in result.output
    assert ("follow_up.yaml: questions.today.gone.label: names nothing in the definition "
            "(stale)") in result.output
    assert "2 translation problem(s)" in result.output
