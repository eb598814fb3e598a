"""Archived PDF summaries: one row per rendered (or to-be-rendered) version.

The file itself lives in the content-addressed archive (see
`intake.documents.storage`); the row says which intake and version it is and
whether rendering has finished. Versions are appended, never overwritten, and
`last_error` holds the exception type and a short message only: never patient
data.

Once ready, a row's content (intake, kind, version, hash, size, times) never
changes and the row is never deleted: the database refuses both (migration
0004, SQLite and PostgreSQL). Retention only moves it to `expired` after
destroying the file, a one-way tombstone.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.db import Base
from intake.models.intake import Intake
from intake.models.types import UTCDateTime, utcnow


class DocumentKind(enum.StrEnum):
    SUMMARY = "summary"
    REVIEWED_SUMMARY = "reviewed_summary"


class DocumentStatus(enum.StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"  # past retention: the file is destroyed, the row is kept


#: States a render may still move on: only these are ever rendered.
UNFINISHED = (DocumentStatus.PENDING, DocumentStatus.FAILED)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("intake_id", "version"),)  # uq_documents_intake_id

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=DocumentKind.SUMMARY)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=DocumentStatus.PENDING, index=True)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    #: a failed render's next retry (the queue's schedule; the catch-up job
    #: re-queues a row whose retry is long past, as after a crash)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    intake: Mapped[Intake] = relationship()

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY and self.sha256 is not None

    @property
    def filename(self) -> str:
        """The name a download is saved under: no patient name in it."""
        return f"intake-{self.intake_id}-v{self.version}-{self.kind}.pdf"

    @property
    def attachment_name(self) -> str:
        return f"intake-{self.intake_id}-v{self.version}.json"
