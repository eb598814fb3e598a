"""The clinic and its patients."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.db import Base
from intake.models.types import UTCDateTime, utcnow


class Clinic(Base):
    __tablename__ = "clinics"
    __table_args__ = (
        CheckConstraint("follow_up_questionnaires_every BETWEEN 1 AND 52",
                        name="follow_up_every_in_range"),
        CheckConstraint("language IS NULL OR language IN ('en', 'fr')", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    # The public "start a new intake" link carries this value; only its hash is kept.
    start_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Admins and practitioners must sign in with a second factor (intake.operations.twofactor).
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=false())
    # PHQ-2 and STarT Back at a follow-up: asked at every N-th visit after the
    # intake (visit 1), so 4 asks them at visits 5, 9, 13, ... (the 4th, 8th,
    # 12th follow-up); 1 asks them at every follow-up (migration 0015).
    follow_up_questionnaires_every: Mapped[int] = mapped_column(
        Integer, default=4, server_default="4")
    #: the clinic's language ('en', 'fr'; intake.i18n): staff pages default to
    #: it and the practitioner's summary is written in it. None: the
    #: deployment's INTAKE_LOCALE (0017).
    language: Mapped[str | None] = mapped_column(String(8))
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
