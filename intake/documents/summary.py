"""What a summary shows, gathered once: the data behind the PDF and its JSON.

`SummaryData` is plain data (no database objects) so rendering can run in a
background thread or from the CLI without a session, and so the JSON
attached to the PDF is exactly what the page was made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from intake.i18n import language_of, locale_for
from intake.questionnaire.identity import Identity, identity

__all__ = ["FORMAT", "SummaryData"]

FORMAT = "intake-summary/1"


@dataclass
class SummaryData:
    answers: dict[str, Any]
    screening: dict[str, Any]
    intake_id: int | None = None
    version: int = 1
    kind: str = "summary"
    clinic_name: str = ""
    clinic_phone: str | None = None
    patient_name: str = ""
    appointment_at: datetime | None = None
    submitted_at: datetime | None = None
    questionnaire_version: str | None = None
    #: decisions and sign-off, only on a reviewed summary
    review: dict[str, Any] | None = None
    #: a follow-up's visit it follows, what changed, and the course so far
    #: (intake.documents.visit_context.collect_visit); None for a first intake
    visit: dict[str, Any] | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: the clinic's zone (INTAKE_TIMEZONE), named by whoever gathers the data:
    #: the summary's times are shown in it, and there is no default to fall to
    timezone: str = field(kw_only=True)
    #: the summary's locale (the clinic's language, else INTAKE_LOCALE), likewise
    locale: str = field(kw_only=True)
    #: the language the patient answered in (intakes.language, 'en' or 'fr')
    patient_language: str = field(default="en", kw_only=True)
    #: the consent text they agreed to (intakes.consent_text_version)
    consent_text_version: str | None = field(default=None, kw_only=True)

    @property
    def summary_language(self) -> str:
        """The language the summary is written in (that of ``locale``)."""
        return language_of(self.locale)

    @property
    def patient_locale(self) -> str:
        """The Babel locale of the patient's language (fr -> fr_CA)."""
        return locale_for(self.patient_language, self.locale)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def identity(self) -> Identity:
        return identity(self.answers, self.patient_name)

    @property
    def display_name(self) -> str:
        return self.identity.name or "Name not given"

    @property
    def invited_as(self) -> str | None:
        """The name the clinic invited, when the patient typed another one:
        both are shown so the summary can be matched to the booking."""
        return self.identity.invited_as

    @property
    def date_of_birth(self) -> date | None:
        return self.identity.date_of_birth

    @property
    def attachment_name(self) -> str:
        ident = self.intake_id if self.intake_id is not None else "preview"
        return f"intake-{ident}-v{self.version}.json"

    def payload(self) -> dict[str, Any]:
        """The JSON attached to the PDF: everything a later reader needs."""
        return {
            "format": FORMAT,
            "intake_id": self.intake_id,
            "version": self.version,
            "kind": self.kind,
            "clinic": {"name": self.clinic_name, "phone": self.clinic_phone},
            "patient_name": self.display_name,
            "appointment_at": _iso(self.appointment_at),
            "submitted_at": _iso(self.submitted_at),
            "questionnaire_version": self.questionnaire_version,
            "language": self.patient_language,
            "consent_text_version": self.consent_text_version,
            "answers": self.answers,
            "screening": self.screening,
            "review": self.review,
            "generated_at": _iso(self.generated_at),
            **({"visit": self.visit} if self.visit else {}),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
