"""Stored screenings: the flags a rule set produced for an intake and a plan.

A screening is never changed: a new plan gives a new screening, so what a
practitioner saw when deciding stays on record with the rule set's hash. The
database refuses UPDATE and DELETE on screenings and flags (migration 0004,
SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.db import Base
from intake.models.intake import Intake
from intake.models.types import UTCDateTime, utcnow


class ScreeningRecord(Base):
    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    rules_version: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str | None] = mapped_column(String(40))
    overall_level: Mapped[str | None] = mapped_column(String(20))
    plan: Mapped[dict] = mapped_column(JSON, default=dict)
    # Staff user who changed the plan; None for the screening made at submission.
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    intake: Mapped[Intake] = relationship()
    flags: Mapped[list[FlagRecord]] = relationship(
        back_populates="screening", order_by="FlagRecord.position",
        cascade="all, delete-orphan",
    )


class FlagRecord(Base):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screenings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[str] = mapped_column(String(80), index=True)
    level: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(Text)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    screening: Mapped[ScreeningRecord] = relationship(back_populates="flags")
