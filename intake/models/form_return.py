"""What a refused staff form held, kept for the page it redirects to.

Post-redirect-get after a refused decision or sign-off: the intake page
shows an error summary and the form as typed. A decision note is clinical
text and the session cookie is only signed, so the values wait here for one
user and one intake, are read once and deleted, and expire within minutes
(intake.operations.form_returns). Not part of the record: nothing audits it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import Base
from intake.models.types import UTCDateTime, utcnow


class FormReturn(Base):
    __tablename__ = "form_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"))
    #: which form on the page: "sign_off" or "decision-<flag id>"
    form: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
