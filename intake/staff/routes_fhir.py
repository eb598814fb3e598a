"""An intake as a FHIR R4 Bundle download: practitioners and admins, audited.

The Bundle (intake.fhir: the response, a DetectedIssue per flag, the
consent) is made from the submitted intake's visit answers and its latest
screening each time; a draft has none, so it is refused, and an intake of
another clinic is not found. Each download is audited with ids only.
"""

from __future__ import annotations

import json

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from intake.db import get_session, writes
from intake.operations import fhir
from intake.staff import auth, bp
from intake.staff.routes_patients import load_clinic_intake

MEDIA_TYPE = "application/fhir+json"


@bp.get("/intakes/<int:intake_id>/fhir")
@auth.roles_required(auth.CLINICAL)
@writes  # every download is audited
def download_fhir(intake_id: int):
    session = get_session()
    intake = load_clinic_intake(intake_id)
    if not intake.is_submitted:
        return render_template(
            "errors/message.html", title=_("Not submitted yet"),
            message=_("This intake has not been submitted, so there is nothing to export "
                      "yet."),
        ), 409
    data = fhir.bundle_of(session, intake)
    fhir.downloaded(session, intake.id, actor_id=current_user.id, ip=auth.client_ip())
    response = Response(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
                        mimetype=MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="intake-{intake.id}.fhir.json"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
