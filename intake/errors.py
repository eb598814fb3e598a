"""Friendly error pages: a patient or practitioner never sees a stack trace."""

from __future__ import annotations

import time

from flask import Flask, make_response, render_template
from flask_wtf.csrf import CSRFError

#: status -> (title, message) of the page shown instead of the bare status.
PAGES = {
    400: ("We could not read that",
          "The page sent something we could not understand, so nothing from it was saved. "
          "Please go back, reload the page and try again."),
    403: ("Not allowed", "You do not have access to this page."),
    404: ("Page not found", "We could not find that page. Please check the link."),
    413: ("That was more than we can accept",
          "The page sent more than any of our forms needs, so nothing from it was saved. "
          "What you saved before is safe: please go back, check your answers and press "
          "the button again."),
    429: ("Please wait a moment",
          "Too many attempts. Please wait a few minutes and try again."),
    500: ("Something went wrong",
          "Sorry, something went wrong on our side. What you saved before is safe; "
          "please try again in a moment."),
}


def _page(status: int):
    title, message = PAGES[status]

    def handler(_e):
        return render_template("errors/message.html", title=title, message=message), status

    return handler


def _too_many(_e):
    """A rate limit's page says when to come back, in words and in Retry-After."""
    from intake.extensions import limiter

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
        return render_template(
            "errors/message.html", title="This page had expired",
            message="For your security the page timed out. Nothing you saved earlier is lost: "
                    "please go back, reload the page and press the button again.",
        ), 400
