"""The question types' messages and answer words reach a French patient in
French: marked with N_ (pure), translated by whoever shows them."""

from __future__ import annotations

import copy
from datetime import date

from werkzeug.datastructures import MultiDict

from intake.i18n.messages import N_, both, either, translate
from intake.patient.forms import step_form
from intake.questionnaire import load_definition
from intake.questionnaire.types import AnswerFormat

TODAY = date(2026, 6, 1)
ENGLISH = load_definition()
FRENCH = ENGLISH.translated("fr")


def test_a_message_reads_english_and_knows_its_msgid():
    message = N_("Please enter %(low)s%(unit)s or more.", low="50", unit=" cm")
    assert message == "Please enter 50 cm or more."
    assert (message.msgid, message.params) == ("Please enter %(low)s%(unit)s or more.",
                                                {"low": "50", "unit": " cm"})
    assert translate(message, "fr") == "Veuillez entrer 50 cm ou plus."
    assert translate(message, "en") == "Please enter 50 cm or more."
    assert copy.deepcopy(message).in_language("fr") == translate(message, "fr")
    assert translate("plain text", "fr") == "plain text" and translate(3, "fr") == 3


def test_lists_are_joined_in_the_readers_language():
    words = either([N_("day"), N_("month"), N_("year")])
    assert words == "day, month or year"
    assert translate(words, "fr") == "le jour, le mois ou l’année"
    assert translate(both([N_("day"), N_("year")]), "fr") == "le jour et l’année"
    assert either(["only"]) == "only" and both([]) == ""


def _errors(definition, step_id, data, language):
    form = step_form(definition, definition.step(step_id), MultiDict(data), TODAY)
    form.validate()
    return {name: [translate(e, language) for e in field.errors]
            for name, field in form._fields.items() if field.errors}


def test_a_french_patient_reads_the_form_messages_in_french():
    errors = _errors(FRENCH, "about", {"about.height_cm": "300", "about.weight_kg": "abc",
                                       "about.date_of_birth-day": "3",
                                       "about.phone": "call me"}, "fr")
    assert errors["about.height_cm"] == ["Veuillez entrer un nombre de 50 à 250 cm."]
    assert errors["about.weight_kg"] == ["Veuillez entrer un nombre, par exemple 72,5."]
    assert errors["about.date_of_birth"] == ["Veuillez aussi entrer le mois et l’année."]
    assert errors["about.sex_at_birth"] == ["Veuillez choisir une réponse."]
    assert errors["about.full_name"] == ["Veuillez répondre à cette question."]
    assert errors["about.phone"][0].startswith("Veuillez entrer un numéro de téléphone")
    # the same form, in English, is unchanged
    english = _errors(ENGLISH, "about", {"about.height_cm": "300"}, "en")
    assert english["about.height_cm"] == ["Please enter a number from 50 to 250 cm."]


def test_units_and_labels_in_messages_come_from_the_translated_definition():
    errors = _errors(FRENCH, "pregnancy", {"pregnancy.status": "yes",
                                           "pregnancy.weeks": "50"}, "fr")
    assert errors["pregnancy.weeks"] == ["Veuillez entrer un nombre de 1 à 42 semaines."]
    errors = _errors(FRENCH, "history", {"history.implanted_devices": ["none", "pacemaker"]},
                     "fr")
    assert errors["history.implanted_devices"] == [
        "«\u00a0Aucun de ceux-ci\u00a0» ne peut pas être coché avec d’autres réponses. "
        "Veuillez en décocher une."]


def test_a_pick_list_its_free_text_may_stand_in_for_says_so_in_french():
    errors = _errors(FRENCH, "medications", {}, "fr")
    assert errors["medications.current"] == [
        "Veuillez cocher au moins une case, ou remplir «\u00a0Autres médicaments, "
        "suppléments ou produits naturels que vous prenez\u00a0»."]
    english = _errors(ENGLISH, "medications", {}, "en")
    assert english["medications.current"][0].startswith(
        "Please tick at least one box, or fill in “Other medicines")


def test_answers_read_back_in_french():
    fmt = AnswerFormat(FRENCH, "fr_CA")
    assert fmt.text("pain.back_now", 6) == "6 sur 10"
    assert fmt.text("consent.read_understood", True) == "Oui"
    assert fmt.text("about.needs_interpreter", "no") == "Non"
    assert fmt.text("about.height_cm", 170) == "170 cm"
    assert fmt.text("pregnancy.weeks", 12) == "12 semaines"
    assert fmt.text("about.phone", None) == "Sans réponse"
    assert fmt.items("pain.regions", ["left_knee", "right_hip"]) == [
        "Genou gauche", "Hanche droite (extérieur de la hanche)"]
    assert fmt.text("about.date_of_birth", "1968-09-14") == "14 septembre 1968"
    assert fmt.text("unknown.question", True) == "Oui"
    shown = fmt.show_in(FRENCH.question("medications.current"),
                        {"medications.other": "Tylenol"})
    assert shown.plain == "Aucune case cochée; écrit à la place\u00a0: Tylenol"
    english = AnswerFormat(ENGLISH, "en_GB")
    assert english.text("pain.back_now", 6) == "6 out of 10"
    assert english.text("consent.read_understood", True) == "Yes"
    assert english.text("about.phone", None) == "Not answered"


def test_the_body_diagram_is_worded_in_the_regions_language():
    from intake.questionnaire.body_diagram import (
        body_diagram,
        print_diagram,
        region_title,
        staff_diagram,
    )

    french, english = FRENCH.regions, ENGLISH.regions
    assert region_title(french, "left_knee") == "Votre genou gauche"
    assert region_title(english, "left_knee") == "Your left knee"
    page = str(body_diagram(french, ["left_knee"]))
    assert "<title>Schéma du corps</title>" in page
    assert ">Devant</text>" in page and ">Dos</text>" in page
    # on two lines each, so that the two fit under one figure (test_body_diagram_captions)
    assert '>Votre</tspan><tspan x="32" dy="1.15em">gauche</tspan>' in page
    assert '>Votre</tspan><tspan x="168" dy="1.15em">droite</tspan>' in page
    assert "<title>Votre épaule droite</title>" in page
    assert "Your" not in page and "Front" not in page
    staff = str(staff_diagram(french, ["left_knee"]))
    assert "<title>genou gauche du patient</title>" in staff and ">Gauche</text>" in staff
    pdf = print_diagram(french, ["left_knee"]).decode()
    assert ">Devant</text>" in pdf and ">Droite</text>" in pdf
    english_page = str(body_diagram(english, ["left_knee"]))
    assert ">Front</text>" in english_page and "<title>Your left knee</title>" in english_page
    assert ">Your left</text>" in english_page and "<tspan" not in english_page
    assert "<title>Body diagram</title>" in english_page


def test_a_word_with_a_context_is_translated_in_that_context():
    from intake.i18n.messages import NP_

    assert translate(NP_("body view", "Back"), "fr") == "Dos"
    assert NP_("body view", "Back") == "Back"
    assert copy.deepcopy(NP_("body view", "Back")).context == "body view"
