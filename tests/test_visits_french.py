"""A follow-up's "since the last visit" rows and progress charts in the
reader's language: French words for a French clinic, English ones otherwise.
Synthetic data only."""

from __future__ import annotations

from intake.documents.render import render_html
from intake.documents.samples import sample_summary
from intake.documents.visit_context import visit_context
from intake.questionnaire import load_definition

DEFINITION = load_definition()
RED = {"rule_id": "rf_ces_saddle_anaesthesia", "level": "red_flag", "urgency": "emergency",
       "title": "New numbness in the saddle area"}
FEVER = {"rule_id": "dn_acute_illness_or_fever", "level": "contraindication", "urgency": None,
         "title": "Fever or acute illness"}
VISIT = {
    "follows_id": 1, "follows_day": "2026-11-02", "this_day": "2026-11-30",
    "before": [FEVER], "after": [RED],
    "before_answers": {"pain.back_now": 7, "about.weight_kg": 71.5},
    "after_answers": {"pain.back_now": 3, "about.weight_kg": 70.5},
    "visits": [{"day": "2026-11-02", "answers": {"pain.back_now": 7, "pain.leg_now": 5}},
               {"day": "2026-11-30", "answers": {"pain.back_now": 3}}],
}


def _context(language: str, locale: str):
    return visit_context(VISIT, DEFINITION.translated(language), locale)


def test_the_changes_read_in_french_for_a_french_reader():
    side = _context("fr", "fr_CA")["side"]
    new, gone = side.flags[0], side.flags[1]
    assert (new.kind_label, new.before, new.after) == (
        "Nouveau", "Aucun drapeau", "Drapeau rouge : urgence immédiate")
    assert (gone.kind_label, gone.before, gone.after) == (
        "Disparu", "Contre-indication", "Aucun drapeau")
    weight = next(a for a in side.answers if a.question == "about.weight_kg")
    assert (weight.before, weight.after) == ("71,5 kg", "70,5 kg")
    assert weight.label == DEFINITION.translated("fr").questions["about.weight_kg"].label
    pain = next(a for a in side.answers if a.question == "pain.back_now")
    assert pain.after == "3 sur 10"


def test_the_changes_stay_english_for_an_english_reader():
    side = _context("en", "en_GB")["side"]
    assert (side.flags[0].kind_label, side.flags[0].before, side.flags[0].after) == (
        "New", "Not flagged", "Red flag: emergency")
    assert side.flags[1].kind_label == "Gone"


def test_the_charts_read_in_french_for_a_french_reader():
    charts = {c.id: c for c, _ in _context("fr", "fr_CA")["charts"]}
    back = charts["back"]
    assert back.title == "Douleur au dos (EVN, 0 à 10)"
    assert [line.label for line in back.lines] == ["Maintenant", "Pire en 24 heures"]
    assert back.lines[0].change_text == (
        "Maintenant : de 7 à 3 (-4 points, -57\u00a0%), amélioration")
    assert "Maintenant : 7 le 2 nov. 2026, 3 le 30 nov. 2026." in back.description
    assert "Pire en 24 heures : non demandé." in back.description
    assert back.rows()[0][1] == ["7", "Non demandé"]
    drawn = str(dict(_context("fr", "fr_CA")["charts"])[back])
    assert "Douleur au dos" in drawn and "Maintenant" in drawn and "Now" not in drawn
    assert "Worst" not in back.description and "not asked" not in back.description


def test_the_english_charts_are_unchanged():
    back = {c.id: c for c, _ in _context("en", "en_GB")["charts"]}["back"]
    assert back.title == "Back pain (NPRS, 0 to 10)"
    assert back.lines[0].change_text == "Now: 7 to 3 (-4 points, -57%), better"
    assert back.rows()[0][1] == ["7", "Not asked"]


def test_a_french_clinics_follow_up_summary_is_french_throughout_its_visit_section():
    data = sample_summary(answers={}, questionnaire_version=DEFINITION.version,
                          locale="fr_CA", patient_language="fr", visit=VISIT)
    html = render_html(data, DEFINITION)
    section = html[html.index("Depuis la dernière visite"):]
    for french in ("<b>Nouveau", "Aucun drapeau", "Drapeau rouge : urgence immédiate",
                   "71,5 kg", "Douleur au dos (EVN, 0 à 10)", "Maintenant : de 7 à 3"):
        assert french in section, french
    for english in ("Not flagged", "<b>New", "Back pain", "Not asked", "better", "71.5 kg"):
        assert english not in section, english
