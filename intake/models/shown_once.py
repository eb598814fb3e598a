"""Something to show once, on the next page: a row of intake.operations.shown_once.

Three pages show a thing once after a redirect: a new patient link (to the
staff member who made it), a refused decision or sign-off form as it was
typed (clinical text), and a walk-in's resume code. The session cookie is
signed, not encrypted, and several app processes may serve the next
request, so what waits lives here: sealed (`payload`, never readable at
rest), bound to its purpose, its owner and its intake, taken once and
deleted, and gone within minutes. Not part of the record: nothing audits it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import Base
from intake.models.types import UTCDateTime


class ShownOnce(Base):
    __tablename__ = "shown_once"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what it is for (intake.operations.shown_once.PURPOSES)
    purpose: Mapped[str] = mapped_column(String(40))
    #: whom it was made for: "staff:<user id>", or "browser:<sha256 of a random
    #: handle>" when the handle sits in the browser's session cookie
    owner: Mapped[str] = mapped_column(String(80), index=True)
    #: the intake it is about (None: the handle alone names it, as for a resume code)
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id", ondelete="CASCADE"))
    #: several at once for one owner and intake: which form ("" when only one)
    name: Mapped[str] = mapped_column(String(40), default="")
    #: JSON sealed with intake.sealed, under a key for this purpose, owner, intake and name
    payload: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
