"""The intake page: flags first, then every answer, the body regions, consent."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from intake import clock
from intake.db import get_session, writes
from intake.models import Intake, IntakeStatus
from intake.operations import access, review, shown_once
from intake.questionnaire.identity import identity
from intake.staff import auth, bp, presenter, visit_views
from intake.staff.forms import ActionForm, DecisionForm, SignOffForm


def load_intake(intake_id: int) -> Intake:
    intake = get_session().get(Intake, intake_id)
    if intake is None:
        abort(404)
    return intake


@bp.get("/intakes/<int:intake_id>")
@auth.roles_required(auth.CLINICAL)
@writes  # each view of an intake is audited
def intake_page(intake_id: int):
    intake = load_intake(intake_id)
    db = get_session()
    access.viewed_intake(db, intake.id, actor_id=current_user.id, ip=auth.client_ip())
    returned = shown_once.take(db, secret_key=current_app.config["SECRET_KEY"],
                               purpose=shown_once.REFUSED_FORM,
                               owner=shown_once.staff(current_user.id), intake_id=intake.id)
    return render_intake(intake, returned=returned)


@dataclass(frozen=True)
class Problem:
    """One line of the error summary: what is wrong, and the id of the field."""
    message: str
    target: str


def _returned_decision(flag, kept: dict | None) -> tuple[DecisionForm, list[Problem]]:
    """The flag's decision form: blank, or as the refused post left it (shown_once)."""
    prefix = f"f{flag.id}"
    if not kept:
        return DecisionForm(prefix=prefix, formdata=None), []
    form = DecisionForm(prefix=prefix, formdata=None,
                        data={"choice": kept.get("choice"), "note": kept.get("note") or ""})
    errors = kept.get("errors") or {}
    problems = []
    if errors.get("choice"):
        form.choice.errors = [_("Choose a decision.")]
        problems.append(Problem(_("Choose a decision for “%(title)s”.", title=flag.title),
                                f"{prefix}-choice-0"))
    if errors.get("note"):
        form.note.errors = list(errors["note"])
        problems += [Problem(_("“%(title)s”: %(message)s", title=flag.title, message=message),
                             f"{prefix}-note")
                     for message in errors["note"]]
    return form, problems


def render_intake(intake: Intake, *, returned: dict | None = None, status: int = 200):
    """The page; `returned` holds refused forms (shown_once) shown as typed, with
    an error summary at the top linking to each field."""
    returned = dict(returned or {})
    problems: list[Problem] = []
    db = get_session()
    definition = presenter.page_definition()
    record = review.latest_screening(db, intake.id)
    previous = review.previous_screening(db, record) if record is not None else None
    diff = None
    if record is not None and record.created_by_id is not None:
        diff = review.diff_screenings(previous, record)
    # a follow-up's merged answers, "as of this visit"; a first intake's own
    answers = (intake.visit_answers or {}) if intake.is_submitted else {}
    flags = []
    for item in review.flag_reviews(db, intake, record):
        form, found = _returned_decision(item.flag, returned.pop(f"decision-{item.flag.id}",
                                                                None))
        problems += found
        flags.append({"review": item, "form": form,
                      "evidence": presenter.evidence_rows(definition, item.flag, answers)})
    plan = record.plan if record is not None and record.plan else None
    # the typed name and birth date show from the draft on: they identify,
    # they are not clinical answers
    who = identity(intake.merged_answers or intake.answers,  # a follow-up's: merged
                   intake.patient.display_name if intake.patient else None, definition)
    sign_off_form = SignOffForm(formdata=None)
    kept = returned.pop("sign_off", None)
    if kept:
        form_shown = intake.status != IntakeStatus.REVIEWED and record is not None
        sign_off_form.confirm.errors = list(kept.get("errors") or [])
        problems += [Problem(m, "confirm" if form_shown else "signoff-h")
                     for m in sign_off_form.confirm.errors]
    for stale in returned.values():  # a flag of an earlier screening
        problems += [Problem(m, "flags-h")
                     for messages in (stale.get("errors") or {}).values() for m in messages]
    return render_template(
        "staff/intake.html", intake=intake, who=who, age=who.age_on(clock.today()),
        screening=record, diff=diff, flags=flags,
        steps=presenter.answers_by_step(definition, answers, intake.language),
        painful=[presenter.region_label(definition, r)
                 for r in presenter.painful_regions(definition, answers)],
        diagram=presenter.diagram(definition, presenter.painful_regions(definition, answers)),
        planned=[presenter.region_label(definition, r) for r in (plan or {}).get("regions", [])],
        plan=plan, undecided=review.undecided(db, intake, record),
        sign_offs=review.sign_offs(db, intake.id),
        sign_off_form=sign_off_form, problems=problems,
        action_form=ActionForm(formdata=None), definition_ok=definition is not None,
        since=visit_views.since_last_visit(db, intake, definition),
        recheck=visit_views.recheck_answers(intake),
    ), status
