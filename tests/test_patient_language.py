"""The patient's language: chosen on the first page, kept on the intake,
switched from any step without losing what was typed, refused once submitted
(intake/patient/language.py, intake/operations/languages.py)."""

from __future__ import annotations

import re

import pytest
from answers import step_post
from patient_helpers import fill_steps, post_step, stored
from sqlalchemy import select

from intake.models import AuditEvent
from intake.operations.invites import issue_start_token
from intake.operations.languages import LanguageLocked, UnknownLanguage, choose_language

pytestmark = pytest.mark.usefixtures("clinic")
pytest_plugins = ["patient_fixtures"]

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}


def chosen_on(html: str) -> str:
    found = re.findall(r'id="language-(\w+)" name="language" value="\w+"( checked)?', html)
    return "".join(code for code, mark in found if mark)


def language_events(db, intake_id: int) -> list[AuditEvent]:
    rows = db.scalars(select(AuditEvent).where(AuditEvent.intake_id == intake_id,
                                               AuditEvent.action == "intake.language")).all()
    db.commit()
    return list(rows)


def test_the_first_page_offers_both_languages_preselected_from_the_browser(client_nocsrf,
                                                                           token):
    page = client_nocsrf.get(f"/i/{token}", headers=FRENCH)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="fr-CA">' in html and "Avant votre visite à Test Clinic" in html
    assert chosen_on(html) == "fr"
    assert 'lang="en">English</label>' in html and 'lang="fr">Français</label>' in html
    english = client_nocsrf.get(f"/i/{token}").get_data(as_text=True)
    assert '<html lang="en-GB">' in english and chosen_on(english) == "en"
    assert "Before your visit to Test Clinic" in english


def test_without_a_browser_choice_the_clinic_language_is_preselected(client_nocsrf, token,
                                                                     clinic, db):
    clinic.language = "fr"
    db.commit()
    html = client_nocsrf.get(f"/i/{token}", headers={"Accept-Language": "de"}).get_data(
        as_text=True)
    assert chosen_on(html) == "fr" and '<html lang="fr-CA">' in html


def test_choosing_french_keeps_it_on_the_intake_audited_without_answers(client_nocsrf, token,
                                                                        db):
    response = client_nocsrf.post(f"/i/{token}/language",
                                  data={"language": "fr", "next": "start"})
    assert response.status_code == 303 and response.location.endswith("/step/about")
    intake = stored(db, token)
    assert intake.language == "fr"
    (event,) = language_events(db, intake.id)
    assert event.actor_id is None and event.detail == {"from": "en", "to": "fr"}
    page = client_nocsrf.get(response.location).get_data(as_text=True)
    assert '<html lang="fr-CA">' in page
    for french in ("Étape 1 sur", "Suivant", "Enregistrer et terminer plus tard",
                   'lang="en">English</button>'):
        assert french in page, french
    for english in (">Next<", "Save and finish later", "Step 1 of", "All steps"):
        assert english not in page, english
    # Once chosen, the first page (nothing saved yet) preselects it whatever the browser.
    again = client_nocsrf.get(f"/i/{token}", headers={"Accept-Language": "en"})
    assert chosen_on(again.get_data(as_text=True)) == "fr"


def test_the_step_switch_keeps_saved_answers_and_what_was_typed(client_nocsrf, token,
                                                                definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers, until="pain")
    saved_before = dict(stored(db, token).answers)
    data = step_post(definition, "about", answers, action="language:fr")
    data.setlist("about.date_of_birth-year", ["19x0"])  # a mistake, typed not saved
    data.setlist("about.full_name", ["Alexandra Example"])
    response = post_step(client_nocsrf, token, "about", data)
    assert response.status_code == 303 and response.location.endswith("/step/about")
    intake = stored(db, token)
    assert intake.language == "fr"
    assert intake.answers["about.full_name"] == "Alexandra Example"  # typed, valid: saved
    assert intake.answers["about.date_of_birth"] == saved_before["about.date_of_birth"]
    assert {k: v for k, v in intake.answers.items() if not k.startswith("about.")} == \
        {k: v for k, v in saved_before.items() if not k.startswith("about.")}
    assert "about" in intake.completed_steps  # a switch is not a Next: nothing un-done
    page = client_nocsrf.get(response.location).get_data(as_text=True)
    assert 'value="19x0"' in page  # the mistake is shown back, with its message
    assert '<html lang="fr-CA">' in page and 'lang="en">English</button>' in page
    back = post_step(client_nocsrf, token, "about",
                     step_post(definition, "about", answers, action="language:en"))
    assert back.status_code == 303 and stored(db, token).language == "en"


def test_enter_in_a_field_still_means_next_not_the_language_switch(client_nocsrf, token):
    client_nocsrf.post(f"/i/{token}/language", data={"language": "en", "next": "start"})
    html = client_nocsrf.get(f"/i/{token}/step/about").get_data(as_text=True)
    form = html.split('id="step-form"', 1)[1]
    first_button = re.search(r'<button[^>]*value="([^"]+)"', form).group(1)
    assert first_button == "enter"  # the default button; the server reads it as Next
    assert form.index('value="enter"') < form.index('value="language:fr"')


def test_an_unknown_action_or_language_code_is_not_a_switch(client_nocsrf, token, definition,
                                                             answers, db):
    response = post_step(client_nocsrf, token, "about",
                         step_post(definition, "about", answers, action="language:de"))
    assert response.status_code == 303 and "/step/about" not in response.location  # Next
    assert stored(db, token).language == "en"
    refused = client_nocsrf.post(f"/i/{token}/language", data={"language": "de"})
    assert refused.status_code == 400 and stored(db, token).language == "en"


def test_the_review_page_switches_and_comes_back(client_nocsrf, token, definition, answers,
                                                 db):
    fill_steps(client_nocsrf, token, definition, answers)
    review = client_nocsrf.get(f"/i/{token}/review").get_data(as_text=True)
    assert f'action="/i/{token}/language"' in review and 'name="next" value="review"' in review
    response = client_nocsrf.post(f"/i/{token}/language",
                                  data={"language": "fr", "next": "review"})
    assert response.status_code == 303 and response.location.endswith("/review")
    page = client_nocsrf.get(f"/i/{token}/review").get_data(as_text=True)
    assert "Vérifiez vos réponses" in page and "Envoyer vos réponses" in page
    assert "Check your answers" not in page and ">Edit<" not in page


def test_a_submitted_intake_keeps_its_language(client_nocsrf, token, definition, answers, db):
    client_nocsrf.post(f"/i/{token}/language", data={"language": "fr", "next": "start"})
    fill_steps(client_nocsrf, token, definition, answers)
    assert client_nocsrf.post(f"/i/{token}/submit").status_code == 303
    refused = client_nocsrf.post(f"/i/{token}/language", data={"language": "en"})
    assert refused.status_code == 409
    assert "Vos réponses ont déjà été envoyées" in refused.get_data(as_text=True)
    assert stored(db, token).language == "fr"
    # the step form's switch on a submitted intake goes to the done page, in French
    late = post_step(client_nocsrf, token, "about",
                     step_post(definition, "about", answers, action="language:en"))
    assert late.status_code == 303 and late.location.endswith("/done")
    done = client_nocsrf.get(f"/i/{token}/done").get_data(as_text=True)
    assert '<html lang="fr-CA">' in done and "Merci, vos réponses ont été envoyées" in done
    assert "a reçu vos réponses le" in done and "Vous pouvez maintenant fermer cette page." in done
    assert stored(db, token).language == "fr"


def test_the_operation_refuses_a_submitted_intake_and_an_unknown_code(db, token, client_nocsrf,
                                                                      definition, answers):
    fill_steps(client_nocsrf, token, definition, answers)
    with pytest.raises(UnknownLanguage):
        choose_language(db, stored(db, token), "de")
    client_nocsrf.post(f"/i/{token}/submit")
    with pytest.raises(LanguageLocked):
        choose_language(db, stored(db, token), "fr")
    db.rollback()


def test_another_patients_or_an_unknown_token_is_not_found(client_nocsrf, token, make_invite,
                                                           db):
    _, other = make_invite(name="Sam Other")
    forged = "x" * 43
    response = client_nocsrf.post(f"/i/{forged}/language", data={"language": "fr"},
                                  headers=FRENCH)
    assert response.status_code == 404
    assert "Ce lien ne fonctionne pas" in response.get_data(as_text=True)
    assert stored(db, token).language == "en" and stored(db, other).language == "en"


def test_the_choice_needs_the_csrf_token(client, token, db):
    response = client.post(f"/i/{token}/language", data={"language": "fr"})
    assert response.status_code == 400
    assert stored(db, token).language == "en"
    page = client.get(f"/i/{token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    ok = client.post(f"/i/{token}/language", data={"language": "fr", "csrf_token": csrf,
                                                   "next": "start"})
    assert ok.status_code == 303 and stored(db, token).language == "fr"


def test_an_expired_page_is_explained_in_the_intakes_language(client, token, db):
    client.get(f"/i/{token}")
    client.application.config["WTF_CSRF_ENABLED"] = True
    stored(db, token)
    intake = stored(db, token)
    intake.language = "fr"
    db.add(intake)
    db.commit()
    response = client.post(f"/i/{token}/step/about", data={"action": "next"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and '<html lang="fr-CA">' in html
    assert "Cette page a expiré" in html and "Poursuivre votre questionnaire" in html


def test_the_walk_in_start_page_chooses_the_language(client_nocsrf, clinic, db):
    start = issue_start_token(db, clinic)
    db.commit()
    page = client_nocsrf.get(f"/start/{start}", headers=FRENCH).get_data(as_text=True)
    assert "Avant votre visite à Test Clinic" in page and chosen_on(page) == "fr"
    assert chosen_on(client_nocsrf.get(f"/start/{start}").get_data(as_text=True)) == "en"
    response = client_nocsrf.post(f"/start/{start}", data={"language": "fr"})
    token = response.location.rsplit("/i/", 1)[1]
    intake = stored(db, token)
    assert intake.language == "fr" and intake.walk_in
    first = client_nocsrf.get(f"/i/{token}")  # chosen already: straight to the first step
    assert first.status_code == 302 and first.location.endswith("/step/about")
    assert '<html lang="fr-CA">' in client_nocsrf.get(first.location).get_data(as_text=True)


def test_pages_before_any_intake_follow_the_browser(client_nocsrf):
    home = client_nocsrf.get("/", headers=FRENCH).get_data(as_text=True)
    assert '<html lang="fr-CA">' in home and "Votre questionnaire de santé" in home
    resume = client_nocsrf.get("/continue", headers=FRENCH).get_data(as_text=True)
    assert "Reprendre là où j’étais rendu" in resume and "Date de naissance" in resume
    wrong = client_nocsrf.post("/continue", data={"code": ""}, headers=FRENCH)
    assert wrong.status_code == 422
    assert "Entrez le code qui vous a été donné" in wrong.get_data(as_text=True)
    missing = client_nocsrf.get("/no/such/page", headers=FRENCH)
    assert missing.status_code == 404 and "Page introuvable" in missing.get_data(as_text=True)
    assert "Page not found" in client_nocsrf.get("/no/such/page").get_data(as_text=True)


def test_a_french_step_shows_its_validation_messages_in_french(client_nocsrf, token,
                                                               definition, answers):
    client_nocsrf.post(f"/i/{token}/language", data={"language": "fr", "next": "start"})
    data = step_post(definition, "about", answers)
    data.setlist("about.sex_at_birth", ["not-an-option"])
    response = post_step(client_nocsrf, token, "about", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Il y a un problème avec 1 réponse" in html and "Erreur\u00a0:" in html
    assert "There is a problem" not in html


def test_wtforms_own_messages_follow_the_page_language(app):
    from flask_wtf import FlaskForm
    from wtforms import IntegerField

    from intake.i18n.pages import use_language

    class Checked(FlaskForm):
        count = IntegerField()

    with app.test_request_context("/", method="POST", data={"count": "many"}):
        use_language("fr")
        form = Checked(meta={"csrf": False})
        assert not form.validate()
        (message,) = form.count.errors
        assert message != "Not a valid integer value." and "entier" in message, message
    with app.test_request_context("/", method="POST", data={"count": "many"}):
        form = Checked(meta={"csrf": False})
        assert not form.validate() and form.count.errors == ["Not a valid integer value."]


def test_a_french_patient_never_sees_the_english_of_a_translated_text(client_nocsrf, token,
                                                                      definition, answers):
    """Each step, then the review page: no English step title, question label or
    option label where the French one differs (the English-only instruments,
    PHQ-2 and STarT Back, keep their English, which is then the same)."""
    import html as markup

    from answers import clinic_today

    french = definition.translated("fr")
    client_nocsrf.post(f"/i/{token}/language", data={"language": "fr", "next": "start"})
    today = clinic_today(client_nocsrf.application)
    seen = 0
    for step in definition.steps:
        if not definition.visible_questions(step, answers, today):
            continue
        page = markup.unescape(client_nocsrf.get(f"/i/{token}/step/{step.id}")
                               .get_data(as_text=True))
        assert french.step(step.id).title in page
        english = [step.title] if french.step(step.id).title != step.title else []
        for question in definition.visible_questions(step, answers, today):
            theirs = french.question(question.id)
            if theirs.label != question.label:
                english.append(question.label)
            english += [o.label for o, f in zip(question.options, theirs.options, strict=True)
                        if o.label != f.label and len(o.label) > 3]
        for text in english:  # as a whole text, not inside a French word
            assert not re.search(rf"(?<!\w){re.escape(text)}(?!\w)", page), (step.id, text)
        for word in (">Next<", ">Back</button>", "Save and finish later", "Step "):
            assert word not in page, (step.id, word)
        response = post_step(client_nocsrf, token, step.id,
                             step_post(definition, step.id, answers))
        assert response.status_code == 303, (step.id, response.get_data(as_text=True)[:500])
        seen += 1
    assert seen >= 8
    review = markup.unescape(client_nocsrf.get(f"/i/{token}/review").get_data(as_text=True))
    for step in definition.steps:
        if french.step(step.id).title != step.title:
            assert f">{step.title}<" not in review, step.title
    assert "Vérifiez vos réponses" in review


def test_a_follow_up_starts_in_the_language_of_the_visit_it_follows(client_nocsrf, clinic,
                                                                    db):
    from visits_support import first_intake

    from intake.models import utcnow
    from intake.operations.invites import create_invite
    from intake.questionnaire.follow_up import load_follow_up

    first, _ = create_invite(db, clinic, name="Camille Exemple", days=14)
    first.language = "fr"
    first.mark_submitted(first_intake(), utcnow())
    first.questionnaire_version = "test"
    db.commit()
    follow, token = create_invite(db, clinic, name="ignored", days=14, follows=first)
    db.commit()
    assert follow.language == "fr"
    step = client_nocsrf.get(f"/i/{token}/recheck").location.rsplit("/", 1)[1]
    page = client_nocsrf.get(f"/i/{token}/recheck/step/{step}").get_data(as_text=True)
    french = load_follow_up().translated("fr")
    english = load_follow_up()
    assert '<html lang="fr-CA">' in page and 'lang="en">English</button>' in page
    assert french.step(step).title in page and english.step(step).title not in page
    switched = client_nocsrf.post(f"/i/{token}/recheck/step/{step}",
                                  data={"action": "language:en"})
    assert switched.status_code == 303 and switched.location.endswith(f"/recheck/step/{step}")
    assert stored(db, token).language == "en"
    assert english.step(step).title in client_nocsrf.get(switched.location).get_data(
        as_text=True)


def test_the_get_care_today_message_is_in_the_patients_language(client_nocsrf, token,
                                                                definition):
    from answers import valid_answers

    answers = valid_answers(definition, overrides={"symptoms.bladder": "new"})
    client_nocsrf.post(f"/i/{token}/language", data={"language": "fr", "next": "start"})
    fill_steps(client_nocsrf, token, definition, answers)
    assert client_nocsrf.post(f"/i/{token}/submit").status_code == 303
    page = client_nocsrf.get(f"/i/{token}/done").get_data(as_text=True)
    assert "Veuillez obtenir un avis médical aujourd’hui" in page
    assert "appelez Test Clinic aujourd’hui au" in page and 'href="tel:555-0199"' in page
    assert "rendez-vous à l’urgence aujourd’hui." in page
    assert "medical advice" not in page and "emergency" not in page


def test_a_french_walk_in_gets_the_code_page_in_french_with_a_french_date(client_nocsrf,
                                                                          clinic, db,
                                                                          definition, answers):
    start = issue_start_token(db, clinic)
    db.commit()
    token = client_nocsrf.post(f"/start/{start}", data={"language": "fr"}).location \
        .rsplit("/i/", 1)[1]
    response = post_step(client_nocsrf, token, "about",
                         step_post(definition, "about", answers, action="later"))
    assert response.status_code == 303 and response.location.endswith("/later")
    page = client_nocsrf.get("/later").get_data(as_text=True)  # no intake in the address
    assert '<html lang="fr-CA">' in page and "Vos réponses sont enregistrées" in page
    day = re.search(r"Il fonctionne jusqu’au (\d{1,2} \w+ \d{4})\.", page)
    assert day and not re.search(r"[A-Z][a-z]+ \d{4}", day.group(1)), page  # "16 décembre"
    closed = client_nocsrf.get("/later", headers=FRENCH).get_data(as_text=True)
    assert "Cette page a été fermée" in closed  # shown once; then the browser's language


def test_a_cancelled_or_expired_link_says_so_in_the_intakes_language(client_nocsrf, token,
                                                                     db):
    from datetime import timedelta

    intake = stored(db, token)
    intake.language = "fr"
    intake.token_expires_at = intake.token_expires_at - timedelta(days=30)
    db.add(intake)
    db.commit()
    response = client_nocsrf.get(f"/i/{token}")  # the browser says nothing: the intake does
    html = response.get_data(as_text=True)
    assert response.status_code == 410 and "Ce lien a expiré" in html
    assert "Pour obtenir un nouveau lien, veuillez appeler Test Clinic au" in html


def test_a_plain_message_page_offers_the_way_back_when_the_view_gives_one(client_nocsrf,
                                                                          token):
    client_nocsrf.post(f"/i/{token}/language", data={"language": "fr", "next": "start"})
    response = client_nocsrf.get(f"/i/{token}/copy.pdf")  # a draft has no copy yet: 409
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f'href="/i/{token}"' in html and "Poursuivre votre questionnaire" in html
