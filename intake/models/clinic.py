"""The clinic and its patients."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.db import Base
from intake.models.types import UTCDateTime, utcnow


class Clinic(Base):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    # The public "start a new intake" link carries this value; only its hash is kept.
    start_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Admins and practitioners must sign in with a second factor (intake.operations.twofactor).
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    patients: Mapped[list[Patient]] = relationship(back_populates="clinic")


class Patient(Base):
    """A person the clinic sees; clinical answers live on their intakes.

    One patient has many visits: a first intake and follow-ups, and later
    invites of a returning patient (intake.operations.patients). The date of
    birth is copied from a submitted intake's answer (role date_of_birth), so
    staff can find a patient by name and date of birth.
    """

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    # Staff looked at a possible match (same name and date of birth) and said
    # this is a different person: the match is not offered again.
    match_dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clinic: Mapped[Clinic] = relationship(back_populates="patients")
