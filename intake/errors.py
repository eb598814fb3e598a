"""Friendly error pages: a patient or practitioner never sees a stack trace.

In the language the view had chosen for its page (the intake's, the user's)
when the error came after that, else in the browser's (an unknown address).
"""

from __future__ import annotations

import time

from flask import Flask, g, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from intake.i18n.pages import browser_language, use_language

#: status -> (title, message) of the page shown instead of the bare status.
PAGES = {
    400: (_l("We could not read that"),
          _l("The page sent something we could not understand, so nothing from it was saved. "
             "Please go back, reload the page and try again.")),
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("We could not find that page. Please check the link.")),
    413: (_l("That was more than we can accept"),
          _l("The page sent more than any of our forms needs, so nothing from it was saved. "
             "What you saved before is safe: please go back, check your answers and press "
             "the button again.")),
    429: (_l("Please wait a moment"),
          _l("Too many attempts. Please wait a few minutes and try again.")),
    500: (_l("Something went wrong"),
          _l("Sorry, something went wrong on our side. What you saved before is safe; "
             "please try again in a moment.")),
}


def _page_language() -> None:
    """An error before any view chose the page's language: the browser's."""
    if "page_language" not in g:
        use_language(browser_language())


def _page(status: int):
    title, message = PAGES[status]

    def handler(_e):
        _page_language()
        return render_template("errors/message.html", title=title, message=message), status

    return handler


def _too_many(_e):
    """A rate limit's page says when to come back, in words and in Retry-After."""
    from intake.extensions import limiter

    _page_language()
    title, message = PAGES[429]
    limit = limiter.current_limit
    wait = max(1, int(limit.reset_at - time.time())) if limit is not None else 60
    response = make_response(render_template("errors/message.html", title=title,
                                             message=message), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def init_app(app: Flask) -> None:
    for status in PAGES:
        app.register_error_handler(status, _too_many if status == 429 else _page(status))

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        _page_language()
        return render_template(
            "errors/message.html", title=_l("This page had expired"),
            message=_l("For your security the page timed out. Nothing you saved earlier is "
                       "lost: please go back, reload the page and press the button again."),
        ), 400
