"""The patient's own copy of their answers as a PDF, from the confirmation page.

Served while the link is valid (the same checks as every patient page: an
unknown, expired or cancelled link gets the link-problem page), only once
the intake is submitted (a draft is a 409), rendered on request from the
stored answers in the patient's language (intake.documents.copy): answers
and consent, never the flags or the practitioner's notes. Rate-limited per
link and per address like the step saves, since a render costs far more
than a page; not cached anywhere (no-store); audited with ids only.
"""

from __future__ import annotations

from flask import current_app, make_response, render_template, url_for
from flask_babel import gettext as _

from intake import clock
from intake.db import get_session, writes
from intake.documents.collect import patient_copy_data
from intake.documents.render import render_copy
from intake.extensions import limiter
from intake.i18n.pages import use_language
from intake.operations.access import patient_copy_downloaded
from intake.patient import bp
from intake.patient.drafts import link_intake
from intake.questionnaire import load_definition
from intake.request_limits import link_key


@bp.get("/i/<token>/copy.pdf")
@limiter.limit(lambda: current_app.config["PATIENT_COPY_LINK_LIMIT"], key_func=link_key)
@limiter.limit(lambda: current_app.config["PATIENT_COPY_ADDRESS_LIMIT"])
@writes
def copy(token: str):
    intake = link_intake(token)
    use_language(intake.language)
    if not intake.is_submitted:
        page = render_template(
            "errors/message.html", title=_("Your answers are not sent yet"),
            message=_("A copy of your answers is ready once you have sent them."),
            back=url_for("patient.resume", token=token))
        return make_response(page, 409, {"Cache-Control": "no-store"})
    data = patient_copy_data(intake, current_app.config, clock.now())
    rendered = render_copy(data, load_definition())
    patient_copy_downloaded(get_session(), intake.id, language=intake.language,
                            pages=rendered.pages)
    response = make_response(rendered.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="intake-{intake.id}-answers.pdf"')
    response.headers["Cache-Control"] = "no-store"
    return response
