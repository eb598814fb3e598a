"""A document row whose sha256 is not hex (issue 10, Low): the staff pages and the
download say so, never a 500."""

from __future__ import annotations

from archive_helpers import set_row
from documents_helpers import docs_app_fixture, submitted_fixture  # noqa: F401
from sqlalchemy import select

from intake.models import Document


def test_a_non_hex_sha256_is_not_a_500(docs_app, db, submitted, auth, make_staff):
    intake_id = submitted()
    document = db.scalars(select(Document).where(Document.intake_id == intake_id)).one()
    document_id = document.id
    db.commit()
    set_row(db, document_id, sha256="not hex at all")
    auth.login(make_staff(role="practitioner").email)
    db.rollback()
    client = auth._client
    assert client.get(f"/staff/intakes/{intake_id}").status_code == 200
    download = client.get(f"/staff/intakes/{intake_id}/documents/{document_id}/download")
    assert download.status_code in (404, 409, 503), download.status_code
