"""The instruments a translation leaves in their validated English (PHQ-2,
STarT Back: ``english_only``) are marked lang="en" on French pages and PDFs,
so a screen reader reads them with an English voice and WeasyPrint hyphenates
them as English (WCAG 3.1.2); nothing else is, and English pages get no such
mark (Question.text_language, templates/_macros/lang.html). Synthetic data only."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser

import pytest
from answers import valid_answers
from patient_helpers import fill_steps
from staff_helpers import baseline_answers, submitted_intake

from intake.documents.render import copy_source, render_html
from intake.documents.samples import demo_answers, sample_summary
from intake.questionnaire import load_definition
from intake.questionnaire.follow_up import load_follow_up
from intake.questionnaire.translation import read_texts, texts_path

pytest_plugins = ["patient_fixtures", "staff_fixtures"]

DEFINITION = load_definition()
ENGLISH_ONLY = frozenset(read_texts(texts_path(DEFINITION.path, "fr")).english_only)
#: what the language switches mark as English, as they should
SWITCHES = frozenset({"English", "Language"})


class _Marked(HTMLParser):
    """The text of every element with lang="en" (nested text included), in order."""

    VOID = frozenset({"input", "img", "br", "meta", "link", "hr", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[list[str] | None] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.open.append([] if dict(attrs).get("lang") == "en" else None)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.open:
            return
        parts = self.open.pop()
        if parts is not None:
            self.found.append(" ".join("".join(parts).split()))

    def handle_data(self, data):
        for parts in self.open:
            if parts is not None:
                parts.append(data)


def marked(html: str) -> Counter:
    parser = _Marked()
    parser.feed(html)
    return Counter(text for text in parser.found if text not in SWITCHES)


def instrument_texts(question, *, options=True) -> list[str]:
    texts = [t for t in (question.preamble, question.label, question.help) if t]
    return texts + ([o.label for o in question.options] if options else [])


def test_the_translation_says_which_texts_stay_english():
    french = DEFINITION.translated("fr")
    for question in french.questions.values():
        expected = "en" if question.id in ENGLISH_ONLY else None
        assert question.text_language == expected, question.id
        assert {o.text_language for o in question.options} <= {expected}, question.id
    assert ENGLISH_ONLY and all(q.text_language is None for q in DEFINITION.questions.values())
    follow_up = load_follow_up().translated("fr")  # its `use:` of the intake's instruments
    assert {q.id for q in follow_up.questions.values() if q.text_language} == (
        ENGLISH_ONLY & set(follow_up.questions))


@pytest.fixture
def french_patient(client_nocsrf, token):
    client_nocsrf.post(f"/i/{token}/language", data={"language": "fr", "next": "start"})
    return client_nocsrf


#: complete answers that ask every STarT Back item (the back pain question is yes)
ANSWERS = valid_answers(DEFINITION, overrides={"pain.back_pain": "yes"})


def _wellbeing_page(client, token) -> str:
    fill_steps(client, token, DEFINITION, ANSWERS, until="wellbeing")
    response = client.get(f"/i/{token}/step/wellbeing")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_french_step_marks_exactly_the_english_instruments(french_patient, token):
    french = DEFINITION.translated("fr")
    step = french.step("wellbeing")
    assert {q.id for q in step.questions} & ENGLISH_ONLY
    expected = Counter(t for q in step.questions if q.id in ENGLISH_ONLY
                       for t in instrument_texts(q))
    html = _wellbeing_page(french_patient, token)
    assert '<html lang="fr-CA">' in html
    assert marked(html) == expected
    # the question's own label carries it, the French "(facultatif)" or hints do not
    assert '<legend class="legend"><span lang="en">Little interest or pleasure' in html
    assert '<p class="preamble" lang="en">Over the last 2 weeks' in html


def test_an_english_step_has_no_such_mark(client_nocsrf, token):
    html = _wellbeing_page(client_nocsrf, token)
    assert '<html lang="en-GB">' in html
    assert not marked(html)


def _review(client, token, answers) -> str:
    fill_steps(client, token, DEFINITION, answers)
    response = client.get(f"/i/{token}/review")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _answered_texts(definition, answers) -> Counter:
    """What the review reads back of the instruments: each label and its answer."""
    out: Counter = Counter()
    for qid in ENGLISH_ONLY & set(answers):
        question = definition.questions[qid]
        out.update([question.label, question.option(answers[qid]).label])
    return out


def test_the_french_review_marks_the_instruments_and_their_answers(french_patient, token):
    assert len(ENGLISH_ONLY & set(ANSWERS)) == len(ENGLISH_ONLY)
    html = _review(french_patient, token, ANSWERS)
    assert marked(html) == _answered_texts(DEFINITION.translated("fr"), ANSWERS)


def test_the_english_review_has_no_such_mark(client_nocsrf, token):
    assert not marked(_review(client_nocsrf, token, ANSWERS))


#: a PHQ-2 total of 3: info_phq2_positive fires, its evidence names both items
PHQ_POSITIVE = {"wellbeing.phq2_interest": "more_than_half_the_days",
                "wellbeing.phq2_down": "several_days"}


@pytest.mark.parametrize("patient_language", ["fr", "en"])
def test_a_french_staff_page_marks_the_instruments_answers_and_evidence(
        reader, db, clinic, patient_language):
    answers = baseline_answers(**PHQ_POSITIVE)
    intake = submitted_intake(db, clinic, name="Dominique Exemple", answers=answers,
                              language=patient_language)
    response = reader("fr").get(f"/staff/intakes/{intake.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    french = DEFINITION.translated("fr")
    evidence = Counter(t for qid in PHQ_POSITIVE for t in (
        french.questions[qid].label, french.questions[qid].option(answers[qid]).label))
    assert "info_phq2_positive" in html
    # the instruments read the same in both languages: no second "as the patient
    # read it" wording of them, so each is marked once (and once more as evidence)
    assert marked(html) == _answered_texts(french, answers) + evidence


def test_an_english_staff_page_of_a_french_patient_has_no_such_mark(reader, db, clinic):
    intake = submitted_intake(db, clinic, name="Dominique Exemple",
                              answers=baseline_answers(**PHQ_POSITIVE), language="fr")
    html = reader("en").get(f"/staff/intakes/{intake.id}").get_data(as_text=True)
    assert "info_phq2_positive" in html and 'lang="fr-CA"' in html
    assert not marked(html)


TODAY = date(2026, 12, 2)
PDF_ANSWERS = demo_answers(DEFINITION, today=TODAY)


def _pdf_expected(definition) -> Counter:
    out: Counter = Counter()
    for qid in ENGLISH_ONLY & set(PDF_ANSWERS):
        question = definition.questions[qid]
        out.update(instrument_texts(question, options=False))
        out.update([question.option(PDF_ANSWERS[qid]).label])
    return out


@pytest.mark.parametrize("patient_language", ["fr", "en"])
def test_a_french_summarys_html_marks_the_instruments(patient_language):
    data = sample_summary(answers=PDF_ANSWERS, questionnaire_version=DEFINITION.version,
                          locale="fr_CA", patient_language=patient_language)
    html = render_html(data, DEFINITION)
    assert '<html lang="fr-CA">' in html
    assert marked(html) == _pdf_expected(DEFINITION.translated("fr"))
    assert '<b lang="en">' in html and '<p class="preamble" lang="en">' in html


def test_a_french_patients_copy_marks_the_instruments():
    data = sample_summary(answers=PDF_ANSWERS, questionnaire_version=DEFINITION.version,
                          locale="fr_CA", patient_language="fr")
    html = copy_source(data, DEFINITION).html
    assert marked(html) == _pdf_expected(DEFINITION.translated("fr"))


@pytest.mark.parametrize("patient_language", ["fr", "en"])
def test_an_english_summary_has_no_such_mark(patient_language):
    data = sample_summary(answers=PDF_ANSWERS, questionnaire_version=DEFINITION.version,
                          patient_language=patient_language)
    assert not marked(render_html(data, DEFINITION))
    assert not marked(copy_source(data, DEFINITION).html)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_follow_ups_questionnaires_step_marks_them_in_french_only(
        client_nocsrf, clinic, db, language):
    from visits_support import first_intake

    from intake.models import utcnow
    from intake.operations.invites import create_invite

    clinic.follow_up_questionnaires_every = 1  # asked at every follow-up
    first, _ = create_invite(db, clinic, name="Camille Exemple", days=14)
    first.language = language
    first.mark_submitted(first_intake(**{"pain.back_pain": "yes"}), utcnow())
    first.questionnaire_version = "test"
    db.commit()
    _, token = create_invite(db, clinic, name="ignored", days=14, follows=first)
    db.commit()
    response = client_nocsrf.get(f"/i/{token}/recheck/step/questionnaires")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    asked = set(re.findall(r'data-question="([^"]+)"', html))
    assert asked == ENGLISH_ONLY  # this step is the instruments, every one asked
    if language == "en":
        assert not marked(html)
        return
    french = load_follow_up().translated("fr")
    assert marked(html) == Counter(t for qid in asked for t in instrument_texts(
        french.questions[qid]))
