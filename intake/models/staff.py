"""Staff accounts: who may sign in to the practitioner side, and in which role.

Roles are single and simple: an admin can do everything (manage accounts,
read the audit log, and review like a practitioner), a practitioner reviews
intakes, front desk sees the schedule and invites patients but never flags
or clinical answers. Passwords are argon2 hashes; the account remembers
failed attempts so a password guesser is slowed down (see
`intake.operations.accounts`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import Base
from intake.models.types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    PRACTITIONER = "practitioner"
    FRONT_DESK = "front_desk"

    @property
    def label(self) -> str:
        return {"admin": "Administrator", "practitioner": "Practitioner",
                "front_desk": "Front desk"}[self.value]


#: Roles that may see flags and clinical answers, and record decisions.
CLINICAL_ROLES = frozenset({Role.ADMIN, Role.PRACTITIONER})


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: sign-in compares case-insensitively.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set after an admin reset: the next sign-in must choose a new password.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Flask-Login protocol (kept here so the model is the only user class).
    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The id in the session, tied to the password: a change ends other sessions."""
        stamp = int(self.password_changed_at.timestamp() * 1000)
        return f"{self.id}:{stamp}"

    @property
    def is_clinical(self) -> bool:
        return self.role in CLINICAL_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def label(self) -> str:
        """How the audit log names this person: staff data only."""
        return f"{self.name or self.email} <{self.email}> ({self.role})"

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and (now or utcnow()) < self.locked_until
