"""PDF summaries and the clinic archive.

`init_app` registers the download route, renders a summary when an intake is
submitted or signed off (signals sent after commit), retries unfinished
renders on later requests and at start-up, and offers the staff page a
`intake_documents(intake_id)` template helper for templates/staff/_documents.html.
"""

from __future__ import annotations

import threading

from flask import Flask


def init_app(app: Flask) -> None:
    from intake.documents import background, routes
    from intake.signals import intake_signed_off, intake_submitted

    app.register_blueprint(routes.bp)
    intake_submitted.connect(background.on_submitted, sender=app)
    intake_signed_off.connect(background.on_signed_off, sender=app)
    app.before_request(background.retry_hook(app))
    app.add_template_global(routes.documents_for, "intake_documents")
    if app.config.get("RENDER_IN_BACKGROUND", True) and not app.testing and not _in_cli():
        threading.Thread(target=_startup_retry, args=(app,), name="render-pending-startup",
                         daemon=True).start()


def _in_cli() -> bool:
    """True under a CLI command (`intake db upgrade` must not race a render)."""
    import click

    return click.get_current_context(silent=True) is not None


def _startup_retry(app: Flask) -> None:
    import logging

    from intake.documents.background import render_pending

    try:
        from intake.documents.render import warm_up

        warm_up()
        render_pending(app)
    except Exception:  # a database not migrated yet, for example
        logging.getLogger(__name__).warning("start-up render of pending documents skipped",
                                            exc_info=True)
