"""Which language staff pages are in, and the user's own setting.

Every staff request picks its language before anything else runs (the
default-deny check and its 403 page included): a signed-in user's own
setting, else the clinic's, else the deployment's INTAKE_LOCALE. The
sign-in pages, before anyone is known, follow the browser's first choice
among our languages, else the deployment's.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from intake.db import get_session
from intake.i18n import LANGUAGES, language_of
from intake.i18n.pages import browser_language, use_language
from intake.operations import accounts
from intake.operations.clinic_settings import clinic_language
from intake.staff import auth, bp
from intake.staff.forms_language import INHERIT, LanguageForm, stored


def choose_page_language() -> None:
    """The staff blueprint's first before_request."""
    if current_user.is_authenticated:
        use_language(current_user.language or clinic_language(get_session()))
    else:
        use_language(browser_language())


# First of the blueprint's hooks, whatever the import order: the default-deny
# check (auth.py) may answer 403, and that page is in the user's language too.
bp.before_request_funcs.setdefault(None, []).insert(0, choose_page_language)


@bp.route("/account/language", methods=["GET", "POST"])
@auth.roles_required(auth.ALL_ROLES)
def account_language():
    form = LanguageForm()
    clinic = clinic_language(get_session())
    if form.validate_on_submit():
        user = current_user._get_current_object()
        changed = accounts.set_language(get_session(), user, stored(form.language.data),
                                        ip=auth.client_ip())
        use_language(user.language or clinic)  # the message in the language just chosen
        flash(_("Your language is saved.") if changed else _("Nothing was changed."),
              "success")
        return redirect(url_for("staff.account_language"), 303)
    if not form.is_submitted():
        form.language.data = current_user.language or INHERIT
    inherited = LANGUAGES[clinic or language_of(current_app.config["LOCALE"])]
    return (render_template("staff/account_language.html", form=form, inherited=inherited),
            400 if form.errors else 200)
