"""Medicine names in pick lists and free text -> drug classes."""

from __future__ import annotations

import pytest

from intake.screening import load_rules
from intake.screening.vocabulary import Vocabulary, VocabularyError

VOCABULARY = load_rules().vocabulary


def classes(text: str) -> set[str]:
    return {c for match in VOCABULARY.match_text(text) for c in match.drug.classes}


@pytest.mark.parametrize(
    ("text", "drug_class"),
    [
        ("eliquis 5mg bid", "anticoagulant"),
        ("Xarelto 20 mg daily", "anticoagulant"),
        ("PRADAXA 150", "anticoagulant"),
        ("Lixiana", "anticoagulant"),
        ("savaysa 60mg", "anticoagulant"),
        ("coumadin", "anticoagulant"),
        ("Jantoven 5mg (INR 2.4)", "anticoagulant"),
        ("warfrin", "anticoagulant"),
        ("Lovenox shots", "anticoagulant"),
        ("fragmin", "anticoagulant"),
        ("Innohep", "anticoagulant"),
        ("arixtra 2.5", "anticoagulant"),
        ("elliquis", "anticoagulant"),
        ("asprin 81", "antiplatelet"),
        ("ASA 81 mg", "antiplatelet"),
        ("aspirin81mg", "antiplatelet"),
        ("baby aspirin", "antiplatelet"),
        ("Entrophen", "antiplatelet"),
        ("Plavix", "antiplatelet"),
        ("clopidogrell 75", "antiplatelet"),
        ("Brilinta 90 bid", "antiplatelet"),
        ("Effient", "antiplatelet"),
        ("Aggrenox", "antiplatelet"),
        ("Persantine", "antiplatelet"),
        ("Advil", "minor_bleeding"),
        ("motrin 600", "minor_bleeding"),
        ("ibuprofin", "minor_bleeding"),
        ("Aleve", "minor_bleeding"),
        ("Naprosyn", "minor_bleeding"),
        ("voltaren", "minor_bleeding"),
        ("Zoloft 50", "minor_bleeding"),
        ("fish oil", "minor_bleeding"),
        ("Omega-3 capsules", "minor_bleeding"),
        ("gingko", "minor_bleeding"),
        ("Humira", "immunosuppressant"),
        ("methotrexate 15mg weekly", "immunosuppressant"),
        ("prednizone 5 mg", "steroid_oral"),
        ("Lantus", "insulin"),
        ("gliclazide", "sulfonylurea"),
        ("Xeloda", "chemotherapy"),
    ],
)
def test_names_brands_misspellings_and_doses(text, drug_class):
    assert drug_class in classes(text)


@pytest.mark.parametrize(
    ("text", "not_class"),
    [
        ("ibuprofen 400mg", "antiplatelet"),
        ("Advil, Motrin", "antiplatelet"),
        ("ibuprofen", "anticoagulant"),
        ("naproxen", "antiplatelet"),
        ("aspirin", "anticoagulant"),
        ("I'm alive and well", "minor_bleeding"),
        ("Tylenol 500, vitamin D", "minor_bleeding"),
        ("efficient", "antiplatelet"),
    ],
)
def test_no_false_positives(text, not_class):
    assert not_class not in classes(text)


def test_nothing_in_ordinary_text():
    assert VOCABULARY.match_text("none") == ()
    assert VOCABULARY.match_text("paracetamol and a multivitamin") == ()


def test_pick_list_values_match_by_drug_id_class_or_name():
    assert VOCABULARY.classes_of_value("apixaban") == {"anticoagulant"}
    assert VOCABULARY.classes_of_value("aspirin_dipyridamole") == {"antiplatelet"}
    assert VOCABULARY.classes_of_value("chemotherapy") == {"chemotherapy"}
    assert "immunosuppressant" in VOCABULARY.classes_of_value("other_biologic")
    assert VOCABULARY.classes_of_value("none") == frozenset()


def test_every_medication_option_of_the_questionnaire_is_known():
    """A new pick-list medicine must be added to rules/medications.yaml too."""
    definition = load_rules().definition
    unknown = [
        option.value
        for option in definition.question("medications.current").options
        if option.value != "none" and not VOCABULARY.classes_of_value(option.value)
    ]
    assert unknown == []


def test_match_reports_what_was_written():
    (match,) = VOCABULARY.match_text("Eliquis 5 mg")
    assert (match.drug.id, match.written) == ("apixaban", "eliquis")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"classes": {}}, "'classes' must map"),
        ({"classes": {"a": "A"}, "drugs": {"x": {"classes": ["b"]}}}, "unknown class b"),
        ({"classes": {"a": "A"}, "drugs": {"x": {"classes": ["a"], "brand": []}}}, "keys must be"),
        ({"classes": {"a": "A"}, "drugs": {"x": {"classes": ["a"]}}, "more": 1},
         "exactly the keys"),
    ],
)
def test_bad_vocabulary(data, message):
    with pytest.raises(VocabularyError, match=message):
        Vocabulary.from_data(data)


# A sound-alike misspelling of every anticoagulant and antiplatelet (generic or
# brand), including wrong first letters that the old first-letter index missed.
SOUND_ALIKE = {
    "warfarin": ["warferin", "worfarin", "kumadin", "koumadin", "jantovin", "marevin"],
    "acenocoumarol": ["asenocoumarol", "sintrum"],
    "phenprocoumon": ["fenprocoumon", "markoumar"],
    "apixaban": ["apicksaban", "apixiban", "elikwis", "eloquis", "aliquis"],
    "rivaroxaban": ["rivaroksaban", "ksarelto", "zarelto", "xarleto", "sarelto"],
    "edoxaban": ["edocksaban", "ledoxaban", "licksiana", "savaisa"],
    "dabigatran": ["dabigatrin", "pradacksa", "pradaksa", "bradaxa"],
    "heparin": ["heprin", "hepparin", "eparin"],
    "enoxaparin": ["enocksaparin", "lovenocks", "kleksane", "clexan", "inhicksa"],
    "dalteparin": ["daltaparin", "fragmen", "phragmin"],
    "tinzaparin": ["tinsaparin", "innoheps"],
    "nadroparin": ["nadroparine", "fracksiparine"],
    "fondaparinux": ["fondaparinucks", "ariksstra", "arikstra"],
    "aspirin": ["asprin", "asperin", "entrofen", "ekotrin"],
    "clopidogrel": ["klopidogrel", "clopidigrel", "plavicks", "plavics"],
    "prasugrel": ["prasugral", "prazugrel", "efiant"],
    "ticagrelor": ["tikagrelor", "ticagreler", "brillinta", "brilenta", "brilik"],
    "ticlopidine": ["tiklopidine", "ticlopideen"],
    "dipyridamole": ["dipiridamole", "persanteen"],
    "cilostazol": ["silostazol", "cilostasol", "pleetal"],
}


@pytest.mark.parametrize(
    ("drug", "written"),
    [(drug, written) for drug, spellings in SOUND_ALIKE.items() for written in spellings],
)
def test_sound_alike_misspellings_reach_the_drug(drug, written):
    matched = {m.drug.id: m for m in VOCABULARY.match_text(f"{written} 5 mg")}
    assert drug in matched, f"{written!r} not read as {drug}"
    assert matched[drug].how in {"spelling", "sound"}
    assert matched[drug].written == written


def test_every_blood_thinner_has_a_sound_alike_case():
    thinners = {d.id for d in VOCABULARY.drugs.values()
                if d.classes & {"anticoagulant", "antiplatelet"}}
    # names that are phrases or class words, covered by their own tests
    covered_elsewhere = {"low_molecular_weight_heparin", "unspecified_blood_thinner",
                         "aspirin_dipyridamole", "dual_antiplatelet_therapy"}
    assert thinners - covered_elsewhere <= set(SOUND_ALIKE)


def test_evidence_names_the_drug_and_how_sure():
    (exact,) = VOCABULARY.match_text("Xarelto 20")
    assert exact.describe(exact.drug.classes) == "Xarelto (rivaroxaban): anticoagulant"
    (generic,) = VOCABULARY.match_text("apixaban")
    assert generic.describe(generic.drug.classes) == "apixaban: anticoagulant"
    (heard,) = VOCABULARY.match_text("ksarelto")
    assert heard.describe(heard.drug.classes) == (
        '"ksarelto", read as Xarelto (rivaroxaban), sounds alike: anticoagulant')
    (typo,) = VOCABULARY.match_text("warferin")
    assert typo.describe(typo.drug.classes) == (
        '"warferin", read as warfarin, a close spelling: anticoagulant')


@pytest.mark.parametrize("text", ["efficient", "cilantro", "parking", "believe", "helping",
                                  "planks", "waffles", "fragrant", "election"])
def test_everyday_words_are_not_blood_thinners(text):
    assert not classes(text) & {"anticoagulant", "antiplatelet"}
