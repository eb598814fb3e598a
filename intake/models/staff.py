"""Staff accounts: who may sign in to the practitioner side, and in which role.

Roles are single and simple: an admin can do everything (manage accounts,
read the audit log, and review like a practitioner), a practitioner reviews
intakes, front desk sees the schedule and invites patients but never flags
or clinical answers. Passwords are argon2 hashes. A signed-in browser is a row in
staff_sessions (the cookie carries its random token): signing out, a password
change or an admin's reset ends the row, so a copied cookie stops working.
Failed sign-ins are counted per account (to tell its holder) and per account
and address (sign_in_throttles, to slow a guesser down without ever locking
the holder out): see `intake.operations.accounts` and `.throttle`.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    __table_args__ = (
        CheckConstraint("language IS NULL OR language IN ('en', 'fr')", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: sign-in compares case-insensitively.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the language of this user's staff pages ('en', 'fr'); None: the clinic's (0017)
    language: Mapped[str | None] = mapped_column(String(8))
    # Set after an admin reset: the next sign-in must choose a new password.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Failed password checks in the current burst (reset by a good one, or
    # after a quiet day); the holder is emailed once per burst.
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
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
        """The id Flask-Login keeps in the cookie; the staff_sessions row decides
        whether that cookie still signs anyone in."""
        return str(self.id)

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


class StaffSession(Base):
    """One signed-in browser. The cookie holds a random token; only its hash is kept.

    A row is ended (never reused) by signing out, a timeout, a password change
    or reset, deactivation, or too many wrong passwords on the change page.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A hash of the address and User-Agent the session was opened from.
    client_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    # When the cookie was first presented by another browser or address (audited once).
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wrong current passwords typed on the change page in this session.
    password_failures: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[StaffUser] = relationship(lazy="joined")

    @property
    def live(self) -> bool:
        return self.ended_at is None


class SignInThrottle(Base):
    """Failed sign-ins for one (typed email, address) pair, under a keyed hash.

    The key is an HMAC of what was typed and where from, so this table holds
    neither (a password typed in the email box is not kept readable).
    """

    __tablename__ = "sign_in_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
