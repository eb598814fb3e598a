"""Patient routes of a follow-up re-check: two or three short steps, review, submit.

A follow-up link (``Intake.kind`` follow_up) opens here whichever patient URL
is used (drafts.link_intake dispatches). The flow is the intake wizard's, with
the same guarantees: each step is saved as a draft (the re-check's own
answers, in ``Intake.answers``), "save and finish later", resume from the
link, CSRF, the step-save rate limits, a row lock on save and submit, input
with a mistake kept with its message, and post-redirect-get. The questions
are this visit's (operations.follow_ups.definition_for: the periodic PHQ-2
and STarT Back only at the clinic's interval), read against the answers of
the visit followed; the review page shows the merged answers "as of this
visit", which the submission freezes and screens.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from intake import clock, signals
from intake.dates_shown import clinic_date
from intake.db import after_commit, get_session, keep_writes, reads_first
from intake.extensions import limiter
from intake.i18n.pages import current_language, current_locale
from intake.models import Intake
from intake.operations.follow_ups import (
    definition_for,
    last_visit_day,
    merged_for,
    submit_follow_up,
)
from intake.operations.submissions import AlreadySubmitted, IncompleteIntake
from intake.patient import bp
from intake.patient.display import live_question_ids, review_steps
from intake.patient.drafts import StepDraft, draft, posted_action
from intake.patient.language import questionnaire_for, switch
from intake.patient.pages import render_step
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
from intake.questionnaire.follow_up_visit import VisitFollowUp
from intake.questionnaire.types import AnswerFormat
from intake.request_limits import link_key

STEP = "patient.follow_up_step"


def _definition(intake: Intake, *, shown: bool = True) -> VisitFollowUp:
    """This visit's re-check; ``shown``: with its texts in the intake's language
    (the last visit's date is worded in it already), else English (submission)."""
    day = last_visit_day(intake)
    definition = definition_for(intake, last_visit=clinic_date(day) if day
                                else _("your last visit"))
    return definition.translated(intake.language) if shown else definition


def _carried(definition: VisitFollowUp, step) -> list[tuple[str, object]]:
    """What the patient told us last time that this step changes, worded: on
    a step that changes a list (medicines started or stopped), that list and
    the history questions it may ask again. A step of questions asked afresh
    each visit (the red flags, the pain scores) shows none: they are answered
    now, not confirmed."""
    if not any((e := definition.effects.get(q.id)) and (e.adds_to or e.removes_from)
               for q in step.questions):
        return []
    intake = load_definition().translated(current_language())
    fmt = AnswerFormat(intake, current_locale())
    ids = []
    for question in step.questions:
        effect = definition.effects.get(question.id)
        target = effect and (effect.adds_to or effect.removes_from)
        # a question relabelled for the follow-up asks something else now
        asked = question.id if (question.id in intake.questions and question.label
                                == intake.question(question.id).label) else None
        for qid in (target, asked):
            if qid and qid in intake.questions and qid not in ids:
                ids.append(qid)
    shown = [(intake.question(q).label, fmt.show(intake.question(q), definition.previous.get(q)))
             for q in ids]
    return [(label, value) for label, value in shown if value is not None]


def _on_page(definition: VisitFollowUp, step, answers, today) -> set[str]:
    """The questions the step's page showed for the saved answers (asked, or
    shown and hidden by the page script)."""
    visible = {q.id for q in definition.visible_questions(step, answers, today)}
    return visible | live_question_ids(step, visible)


@bp.get("/i/<token>/recheck")
def follow_up(token: str):
    intake = draft(token, follow_up=True)
    definition = _definition(intake)
    step = first_unfinished(definition, intake.answers or {}, intake.completed_steps or [],
                            clock.today())
    if step is None:
        return redirect(url_for("patient.follow_up_review", token=token))
    return redirect(url_for(STEP, token=token, step_id=step.id))


def _page(definition, intake, token, step, form, errors, visible, today, **kwargs):
    read = definition.seen(intake.answers or {})
    return render_step(definition, intake, token, step, form, errors, visible, today=today,
                       endpoint=STEP, read=read,
                       extra={"carried": _carried(definition, step)}, **kwargs)


@bp.route("/i/<token>/recheck/step/<step_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STEP_SAVE_LINK_LIMIT"], key_func=link_key,
               methods=["POST"])
@limiter.limit(lambda: current_app.config["STEP_SAVE_ADDRESS_LIMIT"], methods=["POST"])
@reads_first
def follow_up_step(token: str, step_id: str):
    step_draft = StepDraft(token, follow_up=True)  # a save locks as the database locks
    intake = step_draft.intake
    definition = _definition(intake)
    try:
        current = definition.step(step_id)
    except KeyError:
        abort(404)
    answers = intake.answers or {}
    today = clock.today()
    if not asks(definition, current, answers, today):
        return redirect(url_for("patient.follow_up", token=token), 303)
    if request.method == "GET":
        if request.args.get("check"):
            result = check_saved_step(definition, current, answers, today)
            return _page(definition, intake, token, current, result.form, result.errors,
                         result.visible, today, checking=True)
        form, errors = reopen_step(definition, current, answers, intake.draft_invalid or {},
                                   today)
        visible = {q.id for q in definition.visible_questions(current, answers, today)}
        return _page(definition, intake, token, current, form, errors, visible, today,
                     saved=bool(request.args.get("saved")), more=bool(request.args.get("more")))

    action, language = posted_action()
    shown = _on_page(definition, current, answers, today)
    result = step_draft.save(definition, current, today, next_pressed=action == "next")
    if result is None:  # another save meanwhile hid this step
        return redirect(url_for("patient.follow_up", token=token), 303)
    intake = step_draft.intake
    answers = intake.answers
    steps = visible_steps(definition, answers, today)
    if action == "back":
        previous = neighbour(steps, current.id, -1) or current
        return redirect(url_for(STEP, token=token, step_id=previous.id), 303)
    if language:
        switch(intake, language)
        return redirect(url_for(STEP, token=token, step_id=current.id), 303)
    if action == "later":
        return redirect(url_for(STEP, token=token, step_id=current.id, saved=1), 303)
    if not result.valid:
        keep_writes()  # the typed answers are saved as a draft even with mistakes
        return _page(definition, intake, token, current, result.form, result.errors,
                     result.visible, today, status=422)
    if action == "next" and (result.visible - shown) - set(result.values):
        # A stated change asks something the page did not show (the last dose
        # of a blood thinner just started): show the step again with it.
        return redirect(url_for(STEP, token=token, step_id=current.id, more=1), 303)
    following = step_after(definition, steps, current, answers, intake.completed_steps or [],
                           today, from_review=request.form.get("from") == "review")
    if following is None:
        return redirect(url_for("patient.follow_up_review", token=token), 303)
    return redirect(url_for(STEP, token=token, step_id=following.id), 303)


@bp.get("/i/<token>/recheck/review")
def follow_up_review(token: str):
    intake = draft(token, follow_up=True)
    definition = _definition(intake)
    today, locale = clock.today(), current_locale()
    answers = definition.prune(intake.answers or {}, today)
    sections = review_steps(definition, answers, intake.completed_steps or [], today,
                            locale=locale)
    questionnaire = questionnaire_for(intake)
    merged = merged_for(intake, definition, answers, today, questionnaire)
    previous = definition.previous
    as_of = review_steps(questionnaire, merged, [s.id for s in questionnaire.steps], today,
                         locale=locale)
    changed = {k for k in set(merged) | set(previous) if merged.get(k) != previous.get(k)}
    return render_template(
        "patient/follow_up/review.html", intake=intake, token=token, sections=sections,
        unfinished=[s for s in sections if s.unfinished], as_of=as_of, changed=changed,
        step_endpoint=STEP)


@bp.post("/i/<token>/recheck/submit")
def follow_up_submit(token: str):
    intake = draft(token, lock=True, follow_up=True)
    definition = _definition(intake, shown=False)
    now = clock.now()
    broken = first_step_with_errors(definition, intake.answers or {}, clock.day_of(now))
    if broken is not None:
        return redirect(url_for(STEP, token=token, step_id=broken.id, check=1), 303)
    try:
        submit_follow_up(get_session(), intake, now=now, follow_up=definition)
    except AlreadySubmitted:
        return redirect(url_for("patient.done", token=token), 303)
    except IncompleteIntake:  # the steps passed but the whole check did not: look again
        return redirect(url_for("patient.follow_up_review", token=token), 303)
    app, intake_id = current_app._get_current_object(), intake.id
    after_commit(lambda: signals.intake_submitted.send(app, intake_id=intake_id))
    return redirect(url_for("patient.done", token=token), 303)
