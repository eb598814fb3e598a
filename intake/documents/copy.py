"""The patient's own copy of their answers: what they told the clinic, in
their language, and nothing else.

No flags, no plan, no practitioner's notes or decisions: patients never see
the screening. The answers and consent sections are the summary's own
(templates/pdf/_answers.html, _consent.html), read from the stored answers
with the questionnaire translated into the patient's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from intake.documents.consent import consent_view
from intake.documents.context import Labeller, fmt_datetime, steps_view
from intake.documents.languages import gettext_for, html_lang, page_margins, translated
from intake.documents.summary import SummaryData


def copy_context(data: SummaryData, definition) -> dict[str, Any]:
    """The copy's template context; ``data`` is in the patient's locale
    (intake.documents.collect.patient_copy_data)."""
    _ = gettext_for(data.summary_language)
    shown = translated(definition, data.summary_language)

    def when(value: datetime | None) -> str:
        return fmt_datetime(value, data.zone, data.locale, _)

    return {
        "data": data,
        "lang": html_lang(data.locale),
        "patient_lang": html_lang(data.locale),
        "page_style": page_margins(data.summary_language),
        "name": data.display_name if data.identity.name else _("Name not given"),
        "submitted": when(data.submitted_at),
        "generated": when(data.generated_at),
        "steps": steps_view(shown, data.answers, Labeller(shown, data.locale), None, _),
        "consent": consent_view(definition, data, when),
    }
