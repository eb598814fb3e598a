"""The Questionnaire in both languages: each text the patient pages show in
French carries it in FHIR's translation extension (fr-CA), on items, display
items, answerOption codings and the title; the english_only instruments carry
none; the R4B models accept it (the R4 ones: test_fhir_r4.py)."""

from __future__ import annotations

from fhir_helpers import DEFINITION, by_link, walk

from intake.fhir import questionnaire
from intake.fhir.questionnaire import TRANSLATION
from intake.fhir.validate import validate
from intake.questionnaire.translation import read_texts, texts_path

QUESTIONNAIRE = questionnaire(DEFINITION)
ITEMS = by_link(QUESTIONNAIRE)
FRENCH = DEFINITION.translated("fr")
ENGLISH_ONLY = frozenset(read_texts(texts_path(DEFINITION.path, "fr")).english_only)


def french(element: dict, key: str) -> list[str]:
    """The fr-CA texts of ``element[key]`` (its ``_key`` translations)."""
    found = []
    for ext in element.get(f"_{key}", {}).get("extension", []):
        assert ext["url"] == TRANSLATION
        parts = {e["url"]: e for e in ext["extension"]}
        assert set(parts) == {"lang", "content"}
        if parts["lang"]["valueCode"] == "fr-CA":
            found.append(parts["content"]["valueString"])
    return found


def test_the_questionnaire_with_its_translations_validates():
    validate(QUESTIONNAIRE)
    assert QUESTIONNAIRE["language"] == "en"
    assert french(QUESTIONNAIRE, "title") == [
        "Questionnaire d’accueil et dépistage pour la puncture sèche"]


def test_each_step_and_question_carries_its_french_text():
    for step in DEFINITION.steps:
        assert french(ITEMS[step.id], "text") == [FRENCH.step(step.id).title]
        if step.intro:
            assert french(ITEMS[f"{step.id}.intro"], "text") == [FRENCH.step(step.id).intro]
    for qid, question in DEFINITION.questions.items():
        theirs = FRENCH.questions[qid]
        expected = [] if qid in ENGLISH_ONLY else [theirs.label]
        assert french(ITEMS[qid], "text") == expected, qid
        if question.help:
            assert french(ITEMS[f"{qid}.help"], "text") == (
                [] if qid in ENGLISH_ONLY else [theirs.help]), qid
        if question.preamble and qid not in ENGLISH_ONLY:
            assert french(ITEMS[f"{qid}.preamble"], "text") == [theirs.preamble]


def test_answer_options_carry_the_french_label_of_their_option_and_region():
    sex = {o["valueCoding"]["code"]: o["valueCoding"]
           for o in ITEMS["about.sex_at_birth"]["answerOption"]}
    assert sex["female"]["display"] == "Female" and french(sex["female"], "display") == [
        FRENCH.question("about.sex_at_birth").option("female").label]
    regions = {o["valueCoding"]["code"]: o["valueCoding"]
               for o in ITEMS["pain.regions"]["answerOption"]}
    knee = next(r for r in regions if r.startswith("left_") and "knee" in r)
    assert french(regions[knee], "display") == [FRENCH.regions.label(knee)]
    assert french(regions[knee], "display") != [regions[knee]["display"]]


def test_english_only_instruments_and_same_texts_carry_no_french():
    assert {"wellbeing.phq2_interest", "wellbeing.startback_9"} <= ENGLISH_ONLY
    for qid in ENGLISH_ONLY:
        item = ITEMS[qid]
        assert "_text" not in item, qid
        for option in item.get("answerOption", []):
            assert "_display" not in option["valueCoding"], qid
    for item in walk(QUESTIONNAIRE["item"]):
        for option in item.get("answerOption", []):
            coding = option["valueCoding"]
            assert french(coding, "display") != [coding["display"]]  # never a copy
        assert french(item, "text") != [item.get("text")]


def test_every_french_text_comes_from_the_translated_definition():
    shown = set()
    for step in FRENCH.steps:
        shown |= {step.title, step.intro}
        for q in step.questions:
            shown |= {q.label, q.help, q.preamble} | {o.label for o in q.options}
    shown |= set(FRENCH.regions.label(r) for r in FRENCH.regions.ids)
    texts = [t for item in walk(QUESTIONNAIRE["item"]) for t in french(item, "text")]
    texts += [t for item in walk(QUESTIONNAIRE["item"]) for o in item.get("answerOption", [])
              for t in french(o["valueCoding"], "display")]
    assert len(texts) > 400
    assert set(texts) <= shown
