"""The consent as the patient gave it: the text they read, in their language,
and the version of that text recorded with the submission.

``text_version`` is what `intakes.consent_text_version` holds from the
submission on (immutable after, the 0017 guard):
"<questionnaire version>/<language>/<first 12 hex of sha256 of the text>",
where the text is the consent step as shown in that language: its title,
its intro and every question's label, in order. Two patients who read the
same words have the same version; a French and an English patient, or a
reworded consent, do not.

``consent_view`` is the summary's and the patient's copy's consent section:
that text in the patient's language (not the summary's), the agreements as
they were worded, typed name, drawn signature, any further answers (a
guardian's), the language and the recorded version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from intake.documents.languages import html_lang, language_name, translated
from intake.questionnaire.signature import signature_png
from intake.questionnaire.types import AnswerFormat

DIGEST_HEX = 12


def consent_step(definition):
    """The step holding the question with the ``consent`` role, or None."""
    qid = getattr(definition, "roles", {}).get("consent")
    return definition.step(definition.questions[qid].step_id) if qid else None


def shown_text(step) -> str:
    """The consent step's words as the patient saw them (title, intro, labels)."""
    parts = [step.title or "", step.intro or ""]
    parts += [question.label or "" for question in step.questions]
    return "\n\n".join(parts)


def text_version(definition, language: str) -> str | None:
    """The consent text's version in ``language`` (None: the definition has no
    consent step, as a follow-up's re-check)."""
    shown = translated(definition, language)
    step = consent_step(shown)
    if step is None:
        return None
    digest = hashlib.sha256(shown_text(step).encode("utf-8")).hexdigest()[:DIGEST_HEX]
    return f"{definition.version}/{language}/{digest}"


def consent_view(definition, data, when: Callable[[datetime | None], str]) -> dict[str, Any]:
    """The consent record of a summary (``data``: SummaryData), in the patient's
    language; ``when`` words a time in the document's own locale."""
    shown = translated(definition, data.patient_language)
    step = consent_step(shown)
    answers = data.answers
    roles = getattr(shown, "roles", {})
    typed, drawn_id = roles.get("typed_signature"), roles.get("drawn_signature")
    fmt = AnswerFormat(shown, data.patient_locale)
    agreements, typed_name, signature, others, drawn = [], None, None, [], False
    for question in step.questions if step else ():
        value = answers.get(question.id)
        if question.id == typed:
            typed_name = str(value) if value else ""
        elif question.id == drawn_id:
            drawn = bool(value)
            signature = signature_png(value) if value else None
        elif question.kind.tick_box:
            agreements.append({"label": question.label, "agreed": bool(value)})
        elif question.id in answers:
            value_shown = fmt.items(question.id, value)
            others.append({"label": question.label,
                           "value": ", ".join(value_shown) if isinstance(value_shown, list)
                           else value_shown})
    return {
        "present": step is not None,
        "title": step.title if step else None,
        "text": step.intro if step else None,
        "lang": html_lang(data.patient_locale),
        "language": language_name(data.patient_locale, data.locale),
        "version": data.questionnaire_version or getattr(definition, "version", None),
        "text_version": data.consent_text_version,
        "agreements": agreements,
        "typed_name": typed_name,
        "others": others,
        "has_signature": signature is not None,
        "signature_png": signature,
        "signature_invalid": drawn and signature is None,
        "time": when(data.submitted_at),
    }
