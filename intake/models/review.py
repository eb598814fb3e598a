"""A practitioner's review: one decision per flag, then a sign-off.

Both are append-only: changing a decision adds a row, so the history of what
was decided, by whom and when stays on record (the database refuses UPDATE
and DELETE on these tables: SQLite triggers since 0002, PostgreSQL's since 0004).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.db import Base
from intake.models.intake import Intake
from intake.models.screening import FlagRecord, ScreeningRecord
from intake.models.staff import StaffUser
from intake.models.types import UTCDateTime, utcnow
from intake.screening.decisions import DECISIONS, decision_label


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (
        # The same list as migration 0002's: a new choice needs a migration too.
        CheckConstraint(f"choice IN ({', '.join(repr(c) for c in DECISIONS)})",
                        name="choice_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screenings.id"))
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id"))
    rule_id: Mapped[str] = mapped_column(String(80))
    # The flag's level and urgency when decided: a decision made for a
    # precaution does not cover the same rule once it is a contraindication.
    level: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str | None] = mapped_column(String(20))
    choice: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[StaffUser] = relationship()
    flag: Mapped[FlagRecord] = relationship()

    @property
    def choice_label(self) -> str:
        return decision_label(self.choice)

    def covers(self, flag: FlagRecord) -> bool:
        """True when this decision answers `flag` (same rule, same severity)."""
        return (self.rule_id == flag.rule_id and self.level == flag.level
                and self.urgency == flag.urgency)


class SignOff(Base):
    __tablename__ = "sign_offs"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screenings.id"))
    by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[StaffUser] = relationship()
    screening: Mapped[ScreeningRecord] = relationship()


# The staff dashboard walks the schedule a day at a time (intake.staff.schedule):
# declared here, next to the review tables of the same migration (0002).
Index(
    "ix_intakes_schedule",
    func.coalesce(Intake.appointment_at, Intake.created_at), Intake.worst_rank.desc(),
)
