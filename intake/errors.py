"""Friendly error pages: a patient or practitioner never sees a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError


def init_app(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(_e):
        return render_template(
            "errors/message.html", title="Page not found",
            message="We could not find that page. Please check the link.",
        ), 404

    @app.errorhandler(403)
    def forbidden(_e):
        return render_template("errors/message.html", title="Not allowed",
                               message="You do not have access to this page."), 403

    @app.errorhandler(400)
    def bad_request(_e):
        return render_template(
            "errors/message.html", title="We could not read that",
            message="The page sent something we could not understand, so nothing from it was "
                    "saved. Please go back, reload the page and try again.",
        ), 400

    @app.errorhandler(413)
    def too_large(_e):
        return render_template(
            "errors/message.html", title="That was more than we can accept",
            message="The page sent more than any of our forms needs, so nothing from it was "
                    "saved. What you saved before is safe: please go back, check your "
                    "answers and press the button again.",
        ), 413

    @app.errorhandler(429)
    def too_many(_e):
        return render_template(
            "errors/message.html", title="Please wait a moment",
            message="Too many attempts. Please wait a few minutes and try again.",
        ), 429

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        return render_template(
            "errors/message.html", title="This page had expired",
            message="For your security the page timed out. Nothing you saved earlier is lost: "
                    "please go back, reload the page and press the button again.",
        ), 400

    @app.errorhandler(500)
    def server_error(_e):
        return render_template(
            "errors/message.html", title="Something went wrong",
            message="Sorry, something went wrong on our side. What you saved before is safe; "
                    "please try again in a moment.",
        ), 500
