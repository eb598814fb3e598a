"""Two-factor sign-in for staff: an authenticator enrolment and recovery codes.

An enrolment holds the TOTP secret sealed with a key derived from SECRET_KEY
(intake.totp), never in the clear. It is pending until the first code from the
person's authenticator confirms it (`confirmed_at`); only a pending secret is
ever shown again. `last_step` is the newest TOTP time step accepted: a code
for that step or an older one is a replay. An admin's reset deletes the row
and the codes; a new enrolment is a new row with a new id (AUTOINCREMENT on
SQLite too), which is what a signed-in session is tied to.

Recovery codes are argon2 hashes like passwords, each used once (`used_at`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import Base
from intake.models.types import UTCDateTime, utcnow


class TwoFactorEnrolment(Base):
    __tablename__ = "staff_two_factor"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), unique=True)
    secret_sealed: Mapped[str] = mapped_column(String(300))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(Base):
    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
