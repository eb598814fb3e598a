"""PDF summaries and the clinic archive.

`init_app` registers the download route and offers the staff page
`intake_documents(intake_id)`, `document_state(document)` and
`superseded_documents(documents)` template helpers for
templates/staff/_documents.html. Rendering is not done here: a pending
row committed with a submission or sign-off is queued for `intake worker`
(see intake.jobs).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from intake.documents import routes, status, versions

    app.register_blueprint(routes.bp)
    app.add_template_global(routes.documents_for, "intake_documents")
    app.add_template_global(status.state_of, "document_state")
    app.add_template_global(versions.superseded_ids, "superseded_documents")
