"""Staff pages in English and French: the user's own setting, else the
clinic's, else the deployment's; the sign-in page follows the browser; the
two settings pages refuse what they did not offer (issue 14)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from staff_helpers import flagged_intake

from intake.models import AuditEvent, Clinic, StaffUser
from intake.screening import decisions, severity
from intake.staff import labels

pytest_plugins = ["staff_fixtures"]


@pytest.fixture
def as_user(make_staff, auth, db, app):
    """as_user(role, language) -> a client signed in as a user with that setting."""
    app.config["WTF_CSRF_ENABLED"] = False

    def _as(role: str = "practitioner", language: str | None = None):
        user = make_staff(role=role)
        user.language = language
        db.commit()
        auth.login(user.email)
        db.rollback()
        return auth._client, user

    return _as


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _saved_and_audited(db, response, action: str, actor_id: int) -> None:
    """A 303 after the save, and one audit event with the actor's id and the codes only."""
    assert response.status_code == 303
    db.expire_all()
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == action)).one()
    assert event.actor_id == actor_id and event.detail == {"from": None, "to": "fr"}


def _clinic_language(db, clinic, language):
    clinic.language = language
    db.commit()


def test_a_french_user_gets_french_staff_pages(as_user, db, clinic):
    intake = flagged_intake(db, clinic, [("dn_anticoagulant", "contraindication", None)],
                            name="Camille Exemple")
    client, _ = as_user("practitioner", "fr")
    dashboard = _page(client, "/staff/")
    assert '<html lang="fr-CA"' in dashboard
    assert "Questionnaires d’accueil" in dashboard and "Tableau de bord" in dashboard
    assert "Contre-indication" in dashboard and "Intakes" not in dashboard
    page = _page(client, f"/staff/intakes/{intake.id}")
    assert '<html lang="fr-CA"' in page
    assert "Pourquoi elle s’est déclenchée" in page and "Why it fired" not in page
    assert "Décision pour «\u00a0Title of dn_anticoagulant\u00a0»" in page
    assert "Ne pas faire de puncture" in page  # a decision choice, translated
    # The rule's own texts are clinical catalog data: they stay as written.
    assert "Action for dn_anticoagulant" in page
    assert "Langue" in _page(client, "/staff/account/language")


def test_an_english_user_gets_english_pages_in_a_french_clinic(as_user, db, clinic):
    _clinic_language(db, clinic, "fr")
    client, _ = as_user("practitioner", "en")
    dashboard = _page(client, "/staff/")
    assert '<html lang="en-GB"' in dashboard and "<h1>Intakes</h1>" in dashboard
    assert "Tableau de bord" not in dashboard


def test_a_user_without_a_setting_gets_the_clinics_language(as_user, db, clinic):
    _clinic_language(db, clinic, "fr")
    client, _ = as_user("front_desk", None)
    page = _page(client, "/staff/")
    assert '<html lang="fr-CA"' in page and "Inviter un patient" in page
    assert "(Réception)" in page  # the role's name in the header


def test_no_setting_anywhere_is_the_deployments_language(as_user, clinic):
    client, _ = as_user("practitioner", None)
    assert '<html lang="en-GB"' in _page(client, "/staff/")


def test_a_user_chooses_a_language_and_it_is_audited(as_user, db, clinic):
    client, user = as_user("practitioner", None)
    page = _page(client, "/staff/account/language")
    assert '<input checked id="language-0" name="language" type="radio" value="">' in page
    _saved_and_audited(db, client.post("/staff/account/language", data={"language": "fr"}),
                       "account.language", user.id)
    assert db.get(StaffUser, user.id).language == "fr"
    db.rollback()
    after = client.get("/staff/account/language").get_data(as_text=True)
    assert "Votre langue est enregistrée." in after and '<html lang="fr-CA"' in after
    # Back to "the clinic's language": stored as NULL.
    assert client.post("/staff/account/language", data={"language": ""}).status_code == 303
    db.expire_all()
    assert db.get(StaffUser, user.id).language is None


@pytest.mark.parametrize("posted", [{"language": "de"}, {"language": "fr_CA"}, {},
                                    {"language": "x" * 5000}])
def test_a_bad_language_is_refused_next_to_the_field(as_user, db, posted):
    client, user = as_user("practitioner", "en")
    response = client.post("/staff/account/language", data=posted)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="language-error"' in html and 'aria-invalid="true"' in html
    db.expire_all()
    assert db.get(StaffUser, user.id).language == "en"


def test_an_admin_sets_the_clinics_language(as_user, db, clinic):
    client, admin = as_user("admin", None)
    page = _page(client, "/staff/admin/clinic")
    assert 'name="language"' in page and 'lang="fr"' in page
    _saved_and_audited(db, client.post("/staff/admin/clinic",
                                       data={"follow_up_every": "4", "language": "fr"}),
                       "clinic.language", admin.id)
    assert db.get(Clinic, clinic.id).language == "fr"
    db.rollback()
    after = _page(client, "/staff/admin/clinic")
    assert "Les paramètres de la clinique ont été enregistrés." in after
    assert client.post("/staff/admin/clinic",
                       data={"follow_up_every": "4", "language": ""}).status_code == 303
    db.expire_all()
    assert db.get(Clinic, clinic.id).language is None


def test_a_bad_clinic_language_is_refused(as_user, db, clinic):
    client, _ = as_user("admin", None)
    response = client.post("/staff/admin/clinic",
                           data={"follow_up_every": "2", "language": "es"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="language-error"' in html
    assert 'href="#language-0"' in html  # the error summary links to the first choice
    db.expire_all()
    stored = db.get(Clinic, clinic.id)
    assert stored.language is None and stored.follow_up_questionnaires_every == 4


@pytest.mark.parametrize("role", ["practitioner", "front_desk"])
def test_only_admins_set_the_clinics_language(as_user, db, clinic, role):
    client, _ = as_user(role, "fr")
    assert client.post("/staff/admin/clinic",
                       data={"follow_up_every": "4", "language": "fr"}).status_code == 403
    db.expire_all()
    assert db.get(Clinic, clinic.id).language is None


@pytest.mark.parametrize(("accept", "lang", "heading"), [
    ("fr-CA,fr;q=0.9,en;q=0.5", "fr-CA", "Connexion du personnel"),
    ("de-DE", "en-GB", "Staff sign-in"),
    (None, "en-GB", "Staff sign-in"),
])
def test_the_sign_in_page_follows_the_browser(client, accept, lang, heading):
    headers = {"Accept-Language": accept} if accept else {}
    html = client.get("/staff/login", headers=headers).get_data(as_text=True)
    assert f'<html lang="{lang}"' in html and heading in html


def test_a_signed_out_visitor_is_asked_in_their_browsers_language(client):
    headers = {"Accept-Language": "fr-CA"}
    response = client.get("/staff/", headers=headers)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=headers).get_data(as_text=True)
    assert "Veuillez vous connecter pour continuer." in page


def test_a_failed_sign_in_is_told_in_french(client, make_staff, app):
    app.config["WTF_CSRF_ENABLED"] = False
    make_staff()
    response = client.post("/staff/login", headers={"Accept-Language": "fr"},
                           data={"email": "nobody@example.org", "password": "wrong"})
    assert "La connexion a échoué" in response.get_data(as_text=True)


def test_every_shared_label_is_marked_for_translation():
    from intake.models.staff import Role
    from intake.screening.plan import TARGET_LABELS

    shared = {*severity.LEVEL_LABELS.values(), *severity.URGENCY_LABELS.values(),
              severity.NO_FLAGS, *severity.RANK_LABELS.values(),
              *decisions.DECISIONS.values(), *(r.label for r in Role),
              *TARGET_LABELS.values()}
    assert shared <= labels.MARKED, shared - labels.MARKED


def test_a_value_in_a_translated_message_is_cleaned_like_any_printed_text(app):
    from flask import render_template_string

    with app.test_request_context("/"):
        page = render_template_string('{{ _("(invited as %(name)s)", name=n) }} '
                                      '{{ ngettext("%(num)d visit", "%(num)d visits", 2) }}',
                                      n="Robin\x07 \u202eStored")
    assert page == "(invited as Robin Stored) 2 visits"


@pytest.mark.parametrize(("new", "english", "french"), [
    ("short", "Use at least", "Utilisez au moins"),
    ("password1234", "too common", "trop courant"),
])
def test_a_refused_password_is_explained_in_the_users_language(as_user, new, english, french):
    from staff_helpers import STAFF_PASSWORD as STRONG

    client, _user = as_user(language="fr")
    page = client.post("/staff/account/password", data={
        "current": STRONG, "new": new, "repeat": new}).get_data(as_text=True)
    assert french in page and english not in page


def test_password_reasons_stay_english_for_the_cli():
    from intake.passwords import password_problems

    assert password_problems("short") == ["Use at least 12 characters."]
