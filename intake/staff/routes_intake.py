"""The intake page: flags first, then every answer, the body regions, consent."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from intake import clock
from intake.db import get_session, writes
from intake.models import Intake
from intake.operations import access, review
from intake.questionnaire.identity import identity
from intake.staff import auth, bp, presenter
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
    access.viewed_intake(get_session(), intake.id, actor_id=current_user.id,
                         ip=auth.client_ip())
    return render_intake(intake)


def render_intake(intake: Intake, *, decision_forms: dict | None = None,
                  sign_off_form: SignOffForm | None = None, status: int = 200):
    """The page, optionally with a form that failed validation shown in place."""
    db = get_session()
    definition = presenter.definition_or_none()
    record = review.latest_screening(db, intake.id)
    previous = review.previous_screening(db, record) if record is not None else None
    diff = None
    if record is not None and record.created_by_id is not None:
        diff = review.diff_screenings(previous, record)
    answers = (intake.answers or {}) if intake.is_submitted else {}
    flags = []
    for item in review.flag_reviews(db, intake, record):
        form = (decision_forms or {}).get(item.flag.id) or DecisionForm(
            prefix=f"f{item.flag.id}", formdata=None)
        flags.append({"review": item, "form": form,
                      "evidence": presenter.evidence_rows(definition, item.flag, answers)})
    plan = record.plan if record is not None and record.plan else None
    # the typed name and birth date show from the draft on: they identify,
    # they are not clinical answers
    who = identity(intake.answers, intake.patient.display_name if intake.patient else None,
                   definition)
    return render_template(
        "staff/intake.html", intake=intake, who=who, age=who.age_on(clock.today()),
        screening=record, diff=diff, flags=flags,
        steps=presenter.answers_by_step(definition, answers),
        painful=[presenter.region_label(definition, r)
                 for r in presenter.painful_regions(definition, answers)],
        diagram=presenter.diagram(definition, presenter.painful_regions(definition, answers)),
        planned=[presenter.region_label(definition, r) for r in (plan or {}).get("regions", [])],
        plan=plan, undecided=review.undecided(db, intake, record),
        sign_offs=review.sign_offs(db, intake.id),
        sign_off_form=sign_off_form or SignOffForm(formdata=None),
        action_form=ActionForm(formdata=None), definition_ok=definition is not None,
    ), status
