"""The questionnaire in French: Definition.translated swaps texts and nothing
else, and the check reports missing and stale translation keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from clinical_helpers import load_cases, screen

from intake.questionnaire import load_definition, translation
from intake.questionnaire.definition import DEFAULT_PATH, DEFAULT_REGIONS_PATH
from intake.questionnaire.follow_up import FOLLOW_UP_PATH, load_follow_up
from intake.questionnaire.follow_up_visit import for_visit
from intake.screening import load_rules

ENGLISH = load_definition()
FRENCH = ENGLISH.translated("fr")
INSTRUMENTS = {f"wellbeing.phq2_{n}" for n in ("interest", "down")} | {
    f"wellbeing.startback_{n}" for n in range(1, 10)}


def test_english_is_the_definition_itself_and_french_is_built_once():
    assert ENGLISH.translated("en") is ENGLISH
    assert ENGLISH.translated("fr") is FRENCH
    assert FRENCH.translated("en") is ENGLISH
    assert FRENCH.translated("fr") is FRENCH
    assert (ENGLISH.language, FRENCH.language) == ("en", "fr")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        ENGLISH.translated("de")


def test_only_the_texts_change():
    assert [s.id for s in FRENCH.steps] == [s.id for s in ENGLISH.steps]
    assert list(FRENCH.questions) == list(ENGLISH.questions)
    assert FRENCH.roles == ENGLISH.roles
    assert (FRENCH.version, FRENCH.content_hash) == (ENGLISH.version, ENGLISH.content_hash)
    for qid, english in ENGLISH.questions.items():
        french = FRENCH.question(qid)
        assert (french.type, french.show_if, french.required, french.role) == (
            english.type, english.show_if, english.required, english.role)
        assert (french.min, french.max, french.exclusive) == (english.min, english.max,
                                                             english.exclusive)
        assert [(o.value, o.score) for o in french.options] == [
            (o.value, o.score) for o in english.options]
    assert FRENCH.regions.ids == ENGLISH.regions.ids
    assert all(FRENCH.regions.adjacent(r) == ENGLISH.regions.adjacent(r)
               for r in ENGLISH.regions.ids)


def test_the_patient_reads_french():
    assert FRENCH.step("about").title == "À propos de vous"
    assert FRENCH.question("about.email").label == "Adresse courriel"
    assert FRENCH.option_label("about.needs_interpreter", "yes") == "Oui"
    assert FRENCH.question("pregnancy.weeks").unit == "semaines"
    assert FRENCH.regions.label("left_knee") == "Genou gauche"
    assert FRENCH.option_label("pain.regions", "right_shoulder") == "Épaule droite"
    warfarin = FRENCH.question("medications.current").option("warfarin")
    assert warfarin.group.startswith("Anticoagulants")
    assert "engourdissement" in FRENCH.question("symptoms.saddle_numbness").label
    assert "Boyce" in FRENCH.step("consent").intro and "36,7\u00a0%" in FRENCH.step("consent").intro


def test_every_french_text_differs_from_english_but_the_validated_instruments():
    same = [qid for qid, q in FRENCH.questions.items()
            if q.label == ENGLISH.question(qid).label and qid not in INSTRUMENTS]
    assert same == []
    for qid in INSTRUMENTS:
        french, english = FRENCH.question(qid), ENGLISH.question(qid)
        assert (french.label, french.help, french.preamble) == (
            english.label, english.help, english.preamble)
        assert [o.label for o in french.options] == [o.label for o in english.options]
    assert "version anglaise validée" in FRENCH.step("wellbeing").intro


def test_option_labels_tell_the_options_apart():
    for question in FRENCH.questions.values():
        labels = [o.label for o in question.options]
        assert len(set(labels)) == len(labels), question.id


def test_screening_is_the_same_whatever_the_language():
    """A French patient picks the same options (by their French labels, read
    back to values) as an English one: the flags are identical."""
    english_rules = load_rules()
    french_rules = load_rules(definition=FRENCH)
    cases = load_cases(english_rules)
    assert cases
    for case in cases:
        chosen = {}
        for qid, value in case.answers.items():
            question = FRENCH.questions.get(qid)
            if question is None or not question.options or not isinstance(value, (str, list)):
                chosen[qid] = value
                continue
            by_label = {o.label: o.value for o in question.options}
            values = value if isinstance(value, list) else [value]
            picked = [by_label[FRENCH.option_label(qid, v)] for v in values]
            chosen[qid] = picked if isinstance(value, list) else picked[0]
        french_case = type(case)(**{**case.__dict__, "answers": chosen})
        english, french = screen(english_rules, case), screen(french_rules, french_case)
        assert [(f.rule_id, f.level, f.urgency) for f in french.flags] == [
            (f.rule_id, f.level, f.urgency) for f in english.flags], case.name


def test_the_follow_up_in_french():
    english = load_follow_up()
    french = english.translated("fr")
    assert french is english.translated("fr") and french.translated("en") is english
    assert french.step("changes").title == "Depuis votre dernière visite"
    # a use: question takes the intake's translation, a reworded one its own
    assert french.question("symptoms.bladder").label == FRENCH.question("symptoms.bladder").label
    assert french.question("pain.how_started").label.startswith("Comment la chute")
    # the medicines started are the intake list's options, in French
    started = french.question("changes.medicines_started")
    assert started.option("apixaban").label == "Apixaban (Eliquis)"
    assert started.option("heparin").label == "Héparine en injections"
    assert french.effects == english.effects and french.periodic == english.periodic
    visit = for_visit(french, {"medications.current": ["warfarin"]}, visit_number=5,
                      last_visit="21 octobre 2026")
    assert "21 octobre 2026" in visit.step("changes").intro
    assert visit.question("changes.medicines_stopped").option("warfarin").label.startswith(
        "Warfarine")
    again = for_visit(english, {}, visit_number=2, last_visit="21 October 2026").translated("fr")
    assert again.step("changes").title == "Depuis votre dernière visite"
    assert again.translated("en").step("changes").title == "Since your last visit"


def test_the_shipped_translations_are_complete_and_not_stale():
    assert translation.report(ENGLISH, "fr").lines("fr") == []
    assert translation.report(load_follow_up(), "fr").lines("fr") == []


def test_english_only_lists_exactly_the_validated_instruments():
    texts = translation.read_texts(translation.texts_path(DEFAULT_PATH, "fr"))
    assert set(texts.english_only) == INSTRUMENTS
    assert all("validated" in reason for reason in texts.english_only.values())


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    """The shipped files and their French translations, in a folder a test may edit."""
    (tmp_path / "translations" / "fr").mkdir(parents=True)
    for source in (DEFAULT_PATH, DEFAULT_REGIONS_PATH, FOLLOW_UP_PATH):
        shutil.copy(source, tmp_path / source.name)
        shutil.copy(translation.texts_path(source, "fr"),
                    tmp_path / "translations" / "fr" / source.name)
    return tmp_path / DEFAULT_PATH.name, tmp_path / DEFAULT_REGIONS_PATH.name


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_check_names_a_missing_and_a_stale_key(tmp_path):
    path, regions = _copy(tmp_path)
    fr = tmp_path / "translations" / "fr" / path.name

    def change(data):
        del data["questions"]["about.phone"]["label"]
        del data["questions"]["pain.how_started"]["options"]["serious_injury"]["help"]
        data["questions"]["about.retired_question"] = {"label": "Ancienne question"}
        data["questions"]["about.sex_at_birth"]["options"]["other"] = "Autre"
        data["english_only"]["questions"].append("wellbeing.gone")

    _edit(fr, change)
    _edit(tmp_path / "translations" / "fr" / regions.name,
          lambda data: data["areas"]["knee"].pop("left"))
    definition = load_definition(path, regions)
    lines = translation.report(definition, "fr").lines("fr")
    assert lines == [
        "questionnaire.yaml: questions.about.phone.label: no fr translation",
        "questionnaire.yaml: questions.pain.how_started.options.serious_injury.help: "
        "no fr translation",
        "regions.yaml: areas.knee.left: no fr translation",
        "questionnaire.yaml: questions.about.retired_question.label: "
        "names nothing in the definition (stale)",
        "questionnaire.yaml: questions.about.sex_at_birth.options.other.label: "
        "names nothing in the definition (stale)",
        "questionnaire.yaml: english_only.wellbeing.gone: names nothing in the definition "
        "(stale)",
    ]
    french = definition.translated("fr")
    assert french.question("about.phone").label == "Phone number"  # English, never blank
    assert french.regions.label("left_knee") == "Left knee"


def test_a_translated_instrument_item_is_stale(tmp_path):
    path, regions = _copy(tmp_path)
    fr = tmp_path / "translations" / "fr" / path.name
    _edit(fr, lambda data: data["questions"].update(
        {"wellbeing.phq2_down": {"label": "Se sentir triste"}}))
    lines = translation.report(load_definition(path, regions), "fr").lines("fr")
    assert lines == ["questionnaire.yaml: questions.wellbeing.phq2_down.label: "
                     "names nothing in the definition (stale)"]


def test_an_english_edit_makes_its_translation_missing_not_silently_wrong(tmp_path):
    """The follow-up rewording a used question's label needs its own translation."""
    path, regions = _copy(tmp_path)
    follow = tmp_path / FOLLOW_UP_PATH.name
    text = follow.read_text(encoding="utf-8").replace(
        "      - use: symptoms.bowel\n",
        "      - use: symptoms.bowel\n        label: Any bowel trouble?\n")
    follow.write_text(text, encoding="utf-8")
    definition = load_follow_up(follow, load_definition(path, regions))
    assert translation.report(definition, "fr").lines("fr") == [
        "follow_up.yaml: questions.symptoms.bowel.label: no fr translation"]
    assert definition.translated("fr").question("symptoms.bowel").label == "Any bowel trouble?"


def test_a_malformed_translation_file_is_refused(tmp_path):
    path, regions = _copy(tmp_path)
    fr = tmp_path / "translations" / "fr" / path.name
    fr.write_text("questions:\n  about.phone:\n    label: [not, text]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="questions.about.phone.label: must be text"):
        load_definition(path, regions).translated("fr")
    fr.write_text("labels: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="the top level may only have"):
        load_definition(path, regions).translated("fr")


def test_a_definition_without_translations_reads_english(tmp_path):
    shutil.copy(DEFAULT_PATH, tmp_path / DEFAULT_PATH.name)
    shutil.copy(DEFAULT_REGIONS_PATH, tmp_path / DEFAULT_REGIONS_PATH.name)
    definition = load_definition(tmp_path / DEFAULT_PATH.name,
                                 tmp_path / DEFAULT_REGIONS_PATH.name)
    french = definition.translated("fr")
    assert french.question("about.phone").label == "Phone number"
    assert "questionnaire.yaml: questions.about.phone.label: no fr translation" in (
        translation.report(definition, "fr").lines("fr"))
