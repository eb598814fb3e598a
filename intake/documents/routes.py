"""Downloading an archived summary: practitioners and admins only, audited.

The file is read back from the archive and its SHA-256 checked before a byte
is sent: an altered or missing file is refused with a plain message and an
audit entry, never served.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import select

from intake.db import get_session, keep_writes, writes
from intake.documents.status import state_of
from intake.documents.storage import ArchiveError, MissingFile, archive_for
from intake.models import Document, DocumentStatus
from intake.operations import access
from intake.staff.auth import CLINICAL, roles_required

bp = Blueprint("documents", __name__)


def documents_for(intake_id: int) -> list[Document]:
    """Every version of an intake's summaries, newest first (for the staff page)."""
    return list(get_session().scalars(
        select(Document).where(Document.intake_id == intake_id)
        .order_by(Document.version.desc())
    ))


@bp.get("/staff/intakes/<int:intake_id>/documents/<int:document_id>/download")
@roles_required(CLINICAL)
@writes  # every download, and every refusal, is audited
def download(intake_id: int, document_id: int):
    from flask_login import current_user

    user = current_user
    session = get_session()
    document = session.get(Document, document_id)
    if document is None or document.intake_id != intake_id:
        abort(404)
    if document.status != DocumentStatus.READY or not document.sha256:
        state = state_of(document)
        message = ("This summary is still being prepared. Please try again in a minute."
                   if state.name == "preparing"
                   else f"This summary is not ready: {state.headline}. {state.detail}")
        return render_template("errors/message.html", title="Summary not ready yet",
                               message=message), 409
    detail = {"document_id": document.id, "version": document.version,
              "kind": document.kind, "sha256": document.sha256}
    try:
        data = archive_for(current_app).open_verified(document.sha256)
    except ArchiveError as exc:
        problem = "missing" if isinstance(exc, MissingFile) else "altered"
        access.download_refused(session, intake_id, detail, problem=problem,
                                actor_id=user.id, ip=request.remote_addr)
        keep_writes()  # the refusal is answered with a 409 but must stay on record
        current_app.logger.error("archived document %s is %s", document.id, problem)
        return render_template(
            "errors/message.html", title="Summary unavailable",
            message="This archived summary failed its integrity check and was not sent. "
                    "The problem has been recorded; please tell the clinic's administrator.",
        ), 409
    access.downloaded(session, intake_id, detail, actor_id=user.id, ip=request.remote_addr)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
