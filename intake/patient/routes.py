"""Patient routes: the clinic start link, the questionnaire wizard, review, submit.

The URL carries the step and the token identifies the intake; nothing about
the patient is put in the session cookie. Every POST redirects (post,
redirect, get) except a step with mistakes, which is shown again at once
with the typed answers and the messages.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from intake import clock, signals
from intake.db import after_commit, get_session, keep_writes, reads_first
from intake.extensions import limiter
from intake.i18n import known
from intake.i18n.pages import browser_language, current_locale, use_language
from intake.models import FlagRecord, Intake, ScreeningRecord
from intake.operations.invites import clinic_for_start_token, intake_for_token, start_intake
from intake.operations.languages import choose_language
from intake.operations.submissions import AlreadySubmitted, submit_intake
from intake.operations.walkins import name_walk_in
from intake.patient import bp
from intake.patient.display import review_steps
from intake.patient.drafts import StepDraft, link_intake, link_problem, posted_action
from intake.patient.language import (
    default_language,
    is_fresh,
    questionnaire_for,
    switch,
    use_browser_language,
    welcome,
)
from intake.patient.pages import render_step
from intake.patient.resume import finish_later
from intake.patient.wizard import (
    asks,
    check_saved_step,
    first_step_with_errors,
    first_unfinished,
    neighbour,
    reopen_step,
    step_after,
    visible_steps,
)
from intake.questionnaire import load_definition
from intake.request_limits import link_key


def first_page(intake: Intake, token: str, today) -> str:
    """Where the questionnaire carries on: the first unfinished step, else review."""
    if intake.is_follow_up:
        return url_for("patient.follow_up", token=token)
    step = first_unfinished(questionnaire_for(intake), intake.answers or {},
                            intake.completed_steps or [], today)
    if step is None:
        return url_for("patient.review", token=token)
    return url_for("patient.step", token=token, step_id=step.id)


@bp.get("/")
def home():
    use_browser_language()
    return render_template("patient/landing.html")


@bp.get("/start/<clinic_token>")
def start(clinic_token: str):
    clinic = clinic_for_start_token(get_session(), clinic_token)
    if clinic is None:
        link_problem(404)
    chosen = default_language(clinic)
    use_language(chosen)
    return render_template("patient/start.html", clinic=clinic, clinic_token=clinic_token,
                           chosen=chosen)


@bp.post("/start/<clinic_token>")
@limiter.limit(lambda: current_app.config["START_LINK_LIMIT"])
def start_post(clinic_token: str):
    session = get_session()
    clinic = clinic_for_start_token(session, clinic_token)
    if clinic is None:
        link_problem(404)
    intake, token = start_intake(session, clinic, days=current_app.config["INVITE_DAYS"])
    language = known(request.form.get("language")) or default_language(clinic)
    choose_language(session, intake, language, ip=request.remote_addr)
    return redirect(url_for("patient.resume", token=token), 303)


@bp.get("/i/<token>")
def resume(token: str):
    intake = link_intake(token)
    if intake.is_submitted:
        return redirect(url_for("patient.done", token=token))
    if is_fresh(intake):
        return welcome(intake, token)
    return redirect(first_page(intake, token, clock.today()))


@bp.route("/i/<token>/step/<step_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STEP_SAVE_LINK_LIMIT"], key_func=link_key,
               methods=["POST"])
@limiter.limit(lambda: current_app.config["STEP_SAVE_ADDRESS_LIMIT"], methods=["POST"])
@reads_first
def step(token: str, step_id: str):
    step_draft = StepDraft(token)  # a save locks as the database locks
    intake = step_draft.intake
    definition = questionnaire_for(intake)
    try:
        current = definition.step(step_id)
    except KeyError:
        abort(404)
    answers = intake.answers or {}
    today = clock.today()  # the clinic's date, for this whole request
    if not asks(definition, current, answers, today):
        # Nothing on this step is asked (pregnancy questions for a man, say).
        return redirect(url_for("patient.resume", token=token), 303)
    if request.method == "GET":
        if request.args.get("check"):
            result = check_saved_step(definition, current, answers, today)
            return render_step(definition, intake, token, current, result.form, result.errors,
                               result.visible, today=today, checking=True)
        # What was typed with a mistake comes back with its message.
        form, errors = reopen_step(definition, current, answers, intake.draft_invalid or {},
                                   today)
        visible = {q.id for q in definition.visible_questions(current, answers, today)}
        return render_step(definition, intake, token, current, form, errors, visible,
                           today=today, saved=bool(request.args.get("saved")))

    action, language = posted_action()
    result = step_draft.save(definition, current, today, next_pressed=action == "next")
    if result is None:  # another save meanwhile hid this step
        return redirect(url_for("patient.resume", token=token), 303)
    session, intake = get_session(), step_draft.intake
    name_question = definition.role("full_name").id
    if name_question in result.values:
        name_walk_in(session, intake, result.values[name_question])
    answers = intake.answers
    steps = visible_steps(definition, answers, today)
    if action == "back":
        previous = neighbour(steps, current.id, -1) or current
        return redirect(url_for("patient.step", token=token, step_id=previous.id), 303)
    if language:
        switch(intake, language)
        return redirect(url_for("patient.step", token=token, step_id=current.id), 303)
    if action == "later" and intake.walk_in:
        return finish_later(intake, definition)
    if action == "later":
        return redirect(url_for("patient.step", token=token, step_id=current.id, saved=1), 303)
    if not result.valid:
        keep_writes()  # the typed answers are saved as a draft even with mistakes
        return render_step(definition, intake, token, current, result.form, result.errors,
                           result.visible, today=today, status=422)
    following = step_after(definition, steps, current, answers, intake.completed_steps or [],
                           today, from_review=request.form.get("from") == "review")
    if following is None:
        return redirect(url_for("patient.review", token=token), 303)
    return redirect(url_for("patient.step", token=token, step_id=following.id), 303)


@bp.get("/i/<token>/review")
def review(token: str):
    intake = link_intake(token)
    if intake.is_submitted:
        return redirect(url_for("patient.done", token=token))
    definition = questionnaire_for(intake)
    answers = intake.answers or {}
    sections = review_steps(definition, answers, intake.completed_steps or [], clock.today(),
                            locale=current_locale())
    return render_template(
        "patient/review.html", intake=intake, token=token, sections=sections,
        definition=definition, unfinished=[s for s in sections if s.unfinished],
        consent=definition.role_step("consent"),
    )


@bp.post("/i/<token>/submit")
def submit(token: str):
    intake = link_intake(token, lock=True)
    if intake.is_submitted:
        return redirect(url_for("patient.done", token=token), 303)
    definition = load_definition()
    answers = intake.answers or {}
    now = clock.now()
    broken = first_step_with_errors(definition, answers, clock.day_of(now))
    if broken is not None:
        return redirect(url_for("patient.step", token=token, step_id=broken.id, check=1), 303)
    session = get_session()
    try:
        submit_intake(session, intake, now=now, definition=definition)
    except AlreadySubmitted:
        return redirect(url_for("patient.done", token=token), 303)
    # After the commit only: the PDF is never rendered from a submission rolled
    # back, and a failing listener is logged without showing the patient an error.
    app, intake_id = current_app._get_current_object(), intake.id
    after_commit(lambda: signals.intake_submitted.send(app, intake_id=intake_id))
    return redirect(url_for("patient.done", token=token), 303)


@bp.get("/i/<token>/done")
def done(token: str):
    intake = link_intake(token)
    if not intake.is_submitted:
        return redirect(url_for("patient.resume", token=token))
    return render_template("patient/done.html", intake=intake, clinic=intake.clinic,
                           seek_care_today=_emergency(intake))


def _emergency(intake: Intake) -> bool:
    """Whether any stored screening of the intake holds an emergency red flag."""
    found = get_session().scalar(
        select(FlagRecord.id)
        .join(ScreeningRecord, FlagRecord.screening_id == ScreeningRecord.id)
        .where(ScreeningRecord.intake_id == intake.id, FlagRecord.level == "red_flag",
               FlagRecord.urgency == "emergency")
        .limit(1)
    )
    return found is not None


@bp.errorhandler(CSRFError)
def csrf_expired(_error):
    """A page left open for very long: say what is saved and offer the way back."""
    token = (request.view_args or {}).get("token")
    step_id = (request.view_args or {}).get("step_id")
    intake = intake_for_token(get_session(), token) if token else None
    use_language(intake.language if intake is not None else browser_language())
    back = None
    if token and step_id:
        back = url_for("patient.follow_up_step" if intake is not None and intake.is_follow_up
                       else "patient.step", token=token, step_id=step_id)
    elif token:
        back = url_for("patient.resume", token=token)
    return render_template("errors/expired_page.html", back=back), 400
