"""The patient's language: the choice on the first page, the switch on every step.

The first page of an invited patient (/i/<token>, while the patient has
saved nothing: a draft the clinic pre-filled too) and the walk-in start page
offer English / Français, preselected from the intake (a French one, or one
the patient already chose), else the browser's Accept-Language, else the
clinic's language. The choice is kept on the intake
(operations/languages.py). A step page's switch is a button of the step form
itself (action "language:<code>"): the step is saved as with "Save and finish
later", typed input with a mistake included, and shown again in the other
language. The review page's switch posts here alone. A submitted intake
keeps its language (409, a plain page).
"""

from __future__ import annotations

from flask import abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from intake import clock
from intake.db import get_session
from intake.extensions import limiter
from intake.i18n import LANGUAGES, known, language_of
from intake.i18n.pages import browser_language, use_language
from intake.models import Clinic, Intake, IntakeStatus
from intake.operations.invites import intake_for_token
from intake.operations.languages import LanguageLocked, choose_language
from intake.patient import bp
from intake.questionnaire import Definition, load_definition
from intake.request_limits import link_key

#: the step form's action that switches the page to another language
SWITCH = "language:"


def questionnaire_for(intake: Intake) -> Definition:
    """The questionnaire as the patient reads it: its texts in the intake's
    language (same ids, show_ifs and option values as the English one, so the
    saved answers read the same in both)."""
    return load_definition().translated(intake.language)


def default_language(clinic: Clinic | None) -> str:
    """Before any choice: the browser's first language we speak, else the
    clinic's, else the deployment's."""
    return (browser_language() or (clinic.language if clinic is not None else None)
            or language_of(current_app.config["LOCALE"]))


def use_browser_language() -> None:
    """A page before any intake (home, link problems, the resume form)."""
    if "page_language" not in g:
        use_language(browser_language())


def preselected(intake: Intake) -> str:
    """The first page's choice: the intake's when it says French (chosen, or set
    by the clinic), else the browser's, else the clinic's."""
    if intake.language != "en":
        return intake.language
    return default_language(intake.clinic)


def is_fresh(intake: Intake) -> bool:
    """The patient has saved nothing yet: the invited patient's first page
    offers the language (a walk-in chose it on the start page; a follow-up
    switches on its steps). A draft the clinic pre-filled (`intake invite
    --prefill`) holds answers, but no step is complete and it is still only
    invited: the patient's first save makes an intake in progress."""
    if intake.is_follow_up or intake.walk_in or intake.completed_steps:
        return False
    return not intake.answers or intake.status == IntakeStatus.INVITED


def welcome(intake: Intake, token: str):
    """The invited patient's first page, in the language it preselects."""
    choice = preselected(intake)
    use_language(choice)
    return render_template("patient/welcome.html", intake=intake, clinic=intake.clinic,
                           token=token, chosen=choice)


def switch_requested(action: str) -> str | None:
    """The language a step form's button asks for ("language:fr" -> "fr")."""
    if action.startswith(SWITCH):
        return known(action[len(SWITCH):])
    return None


def switch(intake: Intake, language: str) -> None:
    """A step's switch, after its answers are saved: change the intake's language."""
    try:
        choose_language(get_session(), intake, language, ip=request.remote_addr)
    except LanguageLocked:
        locked()


def locked():
    """The plain refusal for a submitted intake (never a 500)."""
    page = render_template(
        "errors/message.html", title=_("Your answers have already been sent"),
        message=_("The language of a questionnaire cannot change once it is sent."))
    abort(make_response(page, 409))


@bp.post("/i/<token>/language")
@limiter.limit(lambda: current_app.config["STEP_SAVE_LINK_LIMIT"], key_func=link_key)
@limiter.limit(lambda: current_app.config["STEP_SAVE_ADDRESS_LIMIT"])
def choose(token: str):
    """The first page's choice, and the review page's switch."""
    from intake.patient.routes import first_page, link_problem

    session = get_session()
    intake = intake_for_token(session, token)
    if intake is None:
        link_problem(404)
    use_language(intake.language)
    language = known(request.form.get("language"))
    if language is None:
        abort(400)
    if intake.is_submitted:
        locked()
    if intake.is_cancelled or intake.is_expired():
        link_problem(410, intake.clinic, cancelled=intake.is_cancelled)
    switch(intake, language)
    follow_up = intake.is_follow_up
    if request.form.get("next") == "review":
        where = "patient.follow_up_review" if follow_up else "patient.review"
        return redirect(url_for(where, token=token), 303)
    return redirect(first_page(intake, token, clock.today()), 303)


__all__ = ["LANGUAGES", "SWITCH", "choose", "default_language", "is_fresh", "preselected",
           "questionnaire_for", "switch", "switch_requested", "use_browser_language",
           "welcome"]
