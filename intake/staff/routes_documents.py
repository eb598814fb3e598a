"""Downloading an archived summary: practitioners and admins only, audited.

A staff page like the others (it lived in intake.documents, which made the
domain package import the staff blueprint's sign-in): intake.documents
renders, stores and verifies; this view only reads a file back and sends it.

The file is read back from the archive, its SHA-256 checked and its embedded
JSON compared with the row before a byte is sent. An altered file, a bad
sha256 or another intake's file is refused as an integrity error; a file this
server lacks (or an archive it cannot reach) is refused as "not available
here", audited as `document.unavailable`: a second machine must not raise a
false tamper alarm.
"""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
)
from flask_babel import gettext as _
from sqlalchemy import select

from intake.db import get_session, keep_writes, writes
from intake.documents.embedded import identity_of, names
from intake.documents.status import State, state_of
from intake.documents.storage import ArchiveError, archive_for, problem_of
from intake.documents.versions import superseded_ids
from intake.i18n.messages import translate
from intake.i18n.pages import current_language
from intake.models import Document, DocumentStatus
from intake.operations import access
from intake.staff import bp
from intake.staff.auth import CLINICAL, roles_required

#: problems that say nothing about the record's integrity
AVAILABILITY = frozenset({"missing", "unreachable"})


def init_app(app: Flask) -> None:
    """Template helpers for templates/staff/_documents.html."""
    app.add_template_global(documents_for, "intake_documents")
    app.add_template_global(shown_state, "document_state")
    app.add_template_global(superseded_ids, "superseded_documents")


def shown_state(document: Document) -> State:
    """The document's state with its words in the page's language."""
    state, language = state_of(document), current_language()
    return replace(state, headline=translate(state.headline, language),
                   detail=translate(state.detail, language))


def documents_for(intake_id: int) -> list[Document]:
    """Every version of an intake's summaries, newest first (for the staff page)."""
    return list(get_session().scalars(
        select(Document).where(Document.intake_id == intake_id)
        .order_by(Document.version.desc())
    ))


@bp.get("/intakes/<int:intake_id>/documents/<int:document_id>/download")
@roles_required(CLINICAL)
@writes  # every download, and every refusal, is audited
def download_document(intake_id: int, document_id: int):
    from flask_login import current_user

    user = current_user
    session = get_session()
    document = session.get(Document, document_id)
    if document is None or document.intake_id != intake_id:
        abort(404)
    if document.status == DocumentStatus.EXPIRED:
        return render_template(
            "errors/message.html", title=_("Summary destroyed"),
            message=_("This summary was destroyed at the end of its retention period."),
        ), 410
    if document.status != DocumentStatus.READY or not document.sha256:
        state = shown_state(document)
        message = (_("This summary is still being prepared. Please try again in a minute.")
                   if state.name == "preparing"
                   else _("This summary is not ready: %(headline)s. %(detail)s",
                          headline=state.headline, detail=state.detail))
        return render_template("errors/message.html", title=_("Summary not ready yet"),
                               message=message), 409
    detail = {"document_id": document.id, "version": document.version,
              "kind": document.kind, "sha256": document.sha256}
    try:
        data = archive_for(current_app).open_verified(document.sha256)
    except ArchiveError as exc:
        problem = problem_of(exc)
    else:
        problem = None if names(document, identity_of(data)) else "mismatch"
    if problem in AVAILABILITY:
        # Not a tamper alarm: this server (or the object store) lacks the file.
        access.download_unavailable(session, intake_id, detail, problem=problem,
                                    actor_id=user.id, ip=request.remote_addr)
        keep_writes(status_below=600)  # a deliberate 503 that must stay on record
        current_app.logger.warning("archived document %s is %s here", document.id, problem)
        response = make_response(render_template(
            "errors/message.html", title=_("Summary not available here"),
            message=_("This summary is not available on this server right now: the archive "
                      "does not hold the file here or cannot be reached. Nothing suggests "
                      "the record was changed. Please try again later, or from the clinic's "
                      "main system."),
        ), 503)
        response.headers["Retry-After"] = "60"
        return response
    if problem is not None:
        access.download_refused(session, intake_id, detail, problem=problem,
                                actor_id=user.id, ip=request.remote_addr)
        keep_writes()  # the refusal is answered with a 409 but must stay on record
        current_app.logger.error("archived document %s is %s", document.id, problem)
        return render_template(
            "errors/message.html", title=_("Summary unavailable"),
            message=_("This archived summary failed its integrity check and was not sent. "
                      "The problem has been recorded; please tell the clinic's "
                      "administrator."),
        ), 409
    access.downloaded(session, intake_id, detail, actor_id=user.id, ip=request.remote_addr)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
