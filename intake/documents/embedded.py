"""What an archived PDF says about itself: the intake and version in its JSON.

Every summary carries its answers as a PDF/A-3 attachment whose JSON names
the intake, version and kind it was rendered for (SummaryData.payload). A
row's sha256 can be edited; the file's own words cannot be without changing
its hash. So the download and `verify` compare the two: a row that points at
another patient's file is caught even though that file is intact.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass

import pypdf

from intake.documents.summary import FORMAT

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    intake_id: int | None
    version: int | None
    kind: str | None

    def describe(self) -> str:
        return f"intake {self.intake_id} v{self.version} ({self.kind})"


def identity_of(pdf: bytes) -> Identity | None:
    """The identity in the summary's JSON attachment; None when there is none
    or it cannot be read (the caller reports that, it never raises)."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        attachments = reader.attachments
        for name, contents in attachments.items():
            if not name.endswith(".json"):
                continue
            for blob in contents:
                payload = json.loads(blob)
                if isinstance(payload, dict) and payload.get("format") == FORMAT:
                    return Identity(payload.get("intake_id"), payload.get("version"),
                                    payload.get("kind"))
    except Exception as exc:  # a damaged or foreign PDF: any parser error at all
        log.warning("could not read the attachment of an archived PDF (%s)",
                    type(exc).__name__)
    return None


def names(document, identity: Identity | None) -> bool:
    """True when the file names exactly this row."""
    return identity is not None and (
        identity.intake_id, identity.version, identity.kind
    ) == (document.intake_id, document.version, document.kind)
