"""A walk-in's way back: finishing later, the code page, "Continue where I left off".

Finishing later on a walk-in replaces the link (the pages left in a shared
tablet's history stop working), shows a resume code once on a page whose
address holds no link, and emails the new link when the patient gave an
email and mail is set up. The code waits for that page in
intake.operations.shown_once, for this browser only: its session cookie holds
a random handle, never the code, and both go as the page is shown.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intake import clock, mail
from intake.db import get_session, keep_writes
from intake.extensions import limiter
from intake.i18n.pages import use_language
from intake.models import Intake
from intake.operations import shown_once
from intake.operations.resume_codes import issue_code, normalise, replace_link, resume_with_code
from intake.patient import bp
from intake.patient.language import use_browser_language
from intake.questionnaire import Definition, load_definition
from intake.questionnaire.identity import date_of_birth

#: the session cookie's key for the handle of the code page's shown_once row
SHOWN_KEY = "resume_code_shown"
WRONG = _l("We could not find a saved questionnaire for this code and date of birth. "
           "Check both and try again, or ask at the front desk.")


def finish_later(intake: Intake, definition: Definition):
    """After a walk-in's "Save and finish later": new link, new code, the code page."""
    db = get_session()
    cfg = current_app.config
    token = replace_link(db, intake)
    code = issue_code(db, intake, secret_key=cfg["SECRET_KEY"])
    emailed = _email_link(intake, definition, token)
    page = {"code": code, "dob": date_of_birth(intake.answers, definition) is not None,
            "until": clock.local(intake.token_expires_at).date().isoformat(),
            "emailed": emailed, "language": intake.language}
    handle = shown_once.new_handle()
    shown_once.keep(db, secret_key=cfg["SECRET_KEY"], purpose=shown_once.RESUME_CODE,
                    owner=shown_once.browser(handle), payload=page)
    session[SHOWN_KEY] = handle
    return redirect(url_for("patient.saved_for_later"), 303)


def _email_link(intake: Intake, definition: Definition, token: str) -> bool:
    """Queue the new link to the email the walk-in typed, if mail is configured."""
    from intake import jobs

    app = current_app._get_current_object()
    question = definition.roles.get("email")
    address = (intake.answers or {}).get(question) if question else None
    base = app.config.get("BASE_URL")  # links are never built from the request's Host
    if not (address and base and intake.patient is not None and mail.configured(app.config)):
        return False
    intake.patient.email = str(address)[:254]
    link = base.rstrip("/") + url_for("patient.resume", token=token)
    jobs.queue_invite_email(app, get_session(), intake.id, link, None)
    return True


@bp.get("/later")
def saved_for_later():
    """The code, once: a reload or the back button finds it gone."""
    page = None
    handle = session.pop(SHOWN_KEY, None)
    if isinstance(handle, str) and handle:  # only then does the request write
        page = shown_once.take_one(get_session(write=True),
                                   secret_key=current_app.config["SECRET_KEY"],
                                   purpose=shown_once.RESUME_CODE,
                                   owner=shown_once.browser(handle))
    if page and page.get("language"):
        use_language(page["language"])  # the walk-in's own language, as on their steps
    else:
        use_browser_language()
    return render_template("patient/saved_for_later.html", page=page)


def _code_key() -> str:
    """Rate-limit key of the code typed: a keyed hash, never the code itself."""
    typed = request.form.get("code", "")[:40].upper()
    code = normalise(typed) or "".join(ch for ch in typed if ch.isalnum())
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    return "resume:" + hmac.new(secret, code.encode(), hashlib.sha256).hexdigest()[:32]


@bp.get("/continue")
def continue_form():
    use_browser_language()
    return render_template("patient/continue.html", errors={}, code="", dob={})


@bp.post("/continue")
@limiter.limit(lambda: current_app.config["RESUME_CODE_LIMIT"], key_func=_code_key)
@limiter.limit(lambda: current_app.config["RESUME_ADDRESS_LIMIT"])
def continue_post():
    use_browser_language()
    typed_code = request.form.get("code", "")[:40]
    parts = {p: request.form.get(f"dob-{p}", "").strip()[:4] for p in ("day", "month", "year")}
    errors = {}
    if not typed_code.strip():
        errors["code"] = _("Enter the code you were given when you saved your answers.")
    born = _date(parts)
    if any(parts.values()) and born is None:
        errors["dob"] = _("Enter your date of birth as day, month and year, "
                          "for example 27 3 1980.")
    if not errors:
        definition = load_definition()
        intake, token = resume_with_code(
            get_session(), typed_code, born, secret_key=current_app.config["SECRET_KEY"],
            saved_date_of_birth=lambda i: date_of_birth(i.answers, definition),
            ip=request.remote_addr)
        if intake is not None:
            return redirect(url_for("patient.resume", token=token), 303)
        errors["code"] = str(WRONG)
        keep_writes()  # the refusal's audit record stays
    page = render_template("patient/continue.html", errors=errors, code=typed_code, dob=parts)
    return page, 422


def _date(parts: dict[str, str]) -> date | None:
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (KeyError, ValueError):
        return None
