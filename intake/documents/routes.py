"""Downloading an archived summary: practitioners and admins only, audited.

The file is read back from the archive and its SHA-256 checked before a byte
is sent: an altered or missing file is refused with a plain message and an
audit entry, never served.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import select

from intake.db import get_session
from intake.documents.audit_log import audit as _audit
from intake.documents.storage import ArchiveError, MissingFile, archive_for
from intake.models import Document, DocumentStatus

bp = Blueprint("documents", __name__)
DOWNLOAD_ROLES = frozenset({"practitioner", "admin"})


try:
    from intake.staff.auth import CLINICAL, roles_required
except ImportError:  # pragma: no cover - a checkout from before the staff area
    CLINICAL = DOWNLOAD_ROLES

    def roles_required(roles):
        def decorate(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                from flask_login import current_user

                if not current_user.is_authenticated:
                    return current_app.login_manager.unauthorized()
                if current_user.role not in roles:
                    abort(403)
                return view(*args, **kwargs)

            wrapper.staff_roles = frozenset(roles)
            return wrapper

        return decorate


def documents_for(intake_id: int) -> list[Document]:
    """Every version of an intake's summaries, newest first (for the staff page)."""
    return list(get_session().scalars(
        select(Document).where(Document.intake_id == intake_id)
        .order_by(Document.version.desc())
    ))


@bp.get("/staff/intakes/<int:intake_id>/documents/<int:document_id>/download")
@roles_required(CLINICAL)
def download(intake_id: int, document_id: int):
    from flask_login import current_user

    user = current_user
    session = get_session()
    document = session.get(Document, document_id)
    if document is None or document.intake_id != intake_id:
        abort(404)
    if document.status != DocumentStatus.READY or not document.sha256:
        return render_template(
            "errors/message.html", title="Summary being prepared",
            message="This summary is still being prepared. Please try again in a minute.",
        ), 409
    detail = {"document_id": document.id, "version": document.version,
              "kind": document.kind, "sha256": document.sha256}
    try:
        data = archive_for(current_app).open_verified(document.sha256)
    except ArchiveError as exc:
        problem = "missing" if isinstance(exc, MissingFile) else "altered"
        _audit(session, action="document.integrity_error", actor_id=user.id,
               intake_id=intake_id, detail={**detail, "problem": problem},
               ip=request.remote_addr)
        session.commit()
        current_app.logger.error("archived document %s is %s", document.id, problem)
        return render_template(
            "errors/message.html", title="Summary unavailable",
            message="This archived summary failed its integrity check and was not sent. "
                    "The problem has been recorded; please tell the clinic's administrator.",
        ), 409
    _audit(session, action="document.download", actor_id=user.id, intake_id=intake_id,
           detail=detail, ip=request.remote_addr)
    session.commit()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
