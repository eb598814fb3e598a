"""The database models; importing this registers every table on Base.metadata."""

from intake.models.audit import AuditEvent
from intake.models.clinic import Clinic, Patient
from intake.models.document import Document, DocumentKind, DocumentStatus
from intake.models.intake import (
    Intake,
    IntakeKind,
    IntakeLocked,
    IntakeStatus,
    hash_token,
    new_token,
)
from intake.models.review import Decision, SignOff
from intake.models.screening import FlagRecord, ScreeningRecord
from intake.models.shown_once import ShownOnce
from intake.models.staff import Role, SignInThrottle, StaffSession, StaffUser
from intake.models.twofactor import RecoveryCode, TwoFactorEnrolment
from intake.models.types import utcnow

__all__ = [
    "AuditEvent", "Decision", "Role", "SignInThrottle", "SignOff",
    "StaffSession", "StaffUser",
    "Clinic", "Document", "DocumentKind", "DocumentStatus", "FlagRecord",
    "Intake", "IntakeKind", "IntakeLocked", "IntakeStatus", "Patient",
    "RecoveryCode", "ScreeningRecord", "ShownOnce", "TwoFactorEnrolment", "hash_token",
    "new_token", "utcnow",
]
