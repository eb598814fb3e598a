"""Synthetic summaries for previews, tests and the benchmark. No real people.

`sample_flags()` follows the shape of `Screening.to_dict()["flags"]`, so the
template can be worked on before (or without) a screening run.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from datetime import UTC, date, datetime

from intake.documents.summary import SummaryData

SAMPLE_FLAGS = [
    {
        "rule_id": "rf_ces_saddle_anaesthesia", "level": "red_flag", "urgency": "emergency",
        "title": "New numbness in the saddle area",
        "why": "The patient reports new numbness around the back passage and genitals.",
        "action": "No needling. Same-day emergency assessment for cauda equina syndrome.",
        "sources": ["BMJ Best Practice, cauda equina syndrome", "NICE CKS sciatica"],
        "evidence": [{"question": "history.saddle_numbness", "value": "yes"}],
        "site": None, "uncertain": False,
    },
    {
        "rule_id": "dn_anticoagulant", "level": "precaution", "urgency": None,
        "title": "Takes an anticoagulant",
        "why": "A prescribed anticoagulant was named in the medicines list.",
        "action": "Record drug and last dose; for warfarin the latest INR. Light technique, "
                  "compressible sites, firm pressure after withdrawal.",
        "sources": ["APTA 2013", "SA-BN121 3.2.1", "Muñoz et al. 2022, Pain Res Manag"],
        "evidence": [{"question": "history.blood_thinners", "value": ["warfarin"]}],
        "site": None, "uncertain": False,
    },
    {
        "rule_id": "dn_acute_illness_or_fever", "level": "contraindication", "urgency": None,
        "title": "Fever or acute illness",
        "why": "The patient was not sure whether they had a fever in the last 48 hours.",
        "action": "Defer needling and screen again next visit.",
        "sources": ["APTA 2013 (acute medical condition)"],
        "evidence": [{"question": "history.fever", "value": "not_sure",
                      "note": "answer was not sure", "uncertain": True}],
        "site": None, "uncertain": True,
    },
]


def signature_data_url(width: int = 320, height: int = 90) -> str:
    """A drawn-looking squiggle as a greyscale PNG data URL (no imaging library)."""
    ink = set()
    for x in range(10, width - 10):
        y = int(height / 2 + math.sin(x / 13) * height * 0.28 + math.sin(x / 5) * 4)
        for dy in (-1, 0, 1):
            ink.add((x, y + dy))
    rows = b"".join(
        b"\x00" + bytes(0 if (x, y) in ink else 255 for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


def sample_answers() -> dict:
    return {
        "about.full_name": "Alex Example",
        "about.date_of_birth": "1980-04-02",
        "about.email": "alex@example.org",
        "pain.regions": ["left_buttock", "left_back_of_thigh", "left_calf_lower_leg",
                         "right_lower_back", "left_lower_back"],
        "pain.back_now": 6,
        "pain.weight": 72.5,
        "pain.story": "Lifted a box at work three weeks ago; pain down the left leg since.",
        "history.blood_thinners": ["warfarin"],
        "history.fever": "not_sure",
        "history.saddle_numbness": "yes",
        "consent.agree": True,
        "consent.typed_name": "Alex Example",
        "consent.signature": signature_data_url(),
    }


def sample_summary(answers: dict | None = None, flags: list | None = None,
                   **overrides) -> SummaryData:
    now = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    values = {
        "answers": sample_answers() if answers is None else answers,
        "screening": {"rules_version": "0" * 12 + "synthetic",
                      "questionnaire_version": "test.docs.1",
                      "flags": SAMPLE_FLAGS if flags is None else flags, "plan": None},
        "intake_id": 1, "version": 1, "kind": "summary",
        "clinic_name": "Synthetic Physiotherapy", "clinic_phone": "555-0100",
        "appointment_at": datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
        "submitted_at": now, "questionnaire_version": "test.docs.1", "generated_at": now,
        "timezone": "UTC", "locale": "en_GB",
    }
    values.update(overrides)
    return SummaryData(**values)


QUIET = ("no", "none", "never", "comfortable", "not_at_all", "disagree", "patient")
DEMO_OVERRIDES = {
    "about.full_name": "Jordan Sample", "about.date_of_birth": "1968-09-14",
    "about.sex_at_birth": "female", "about.height_cm": 168, "about.weight_kg": 71.5,
    "about.phone": "555-0142", "about.emergency_contact_name": "Sam Sample",
    "about.emergency_contact_phone": "555-0143",
    "pain.regions": ["left_lower_back", "right_lower_back", "left_buttock",
                     "left_back_of_thigh", "left_calf_lower_leg"],
    "pain.back_pain": "yes", "pain.started_when": "two_to_6_weeks",
    "pain.how_started": "minor_injury", "pain.first_episode": "no",
    "pain.leg_symptoms": "one_leg", "pain.back_now": 6, "pain.back_worst_24h": 8,
    "pain.leg_now": 4, "pain.leg_worst_24h": 7, "pain.night": "eases_with_position",
    "pain.notes": "Lifted a heavy box at work; pain spreads down the back of the left leg "
                  "when sitting for long. Walking helps a little.",
    "symptoms.fever": "not_sure", "medications.current": ["warfarin"],
    "medications.inr": "2.6 last week", "history.osteoporosis": "not_sure",
    "wellbeing.phq2_interest": "several_days", "wellbeing.phq2_down": "several_days",
    "consent.read_understood": True, "consent.typed_signature": "Jordan Sample",
}


def _quiet_value(question):
    """The question type's own quiet synthetic answer (None: left unanswered)."""
    return question.kind.sample(question, QUIET)


def demo_answers(definition, overrides: dict | None = None, *, today: date) -> dict:
    """A complete synthetic answers set for `definition`: quiet answers for
    everything, then `overrides` (default: a back-pain patient on warfarin),
    as shown on `today` (the clinic's, for age_under)."""
    wanted = {**DEMO_OVERRIDES, definition.role("drawn_signature").id: signature_data_url(),
              **(overrides or {})}
    answers: dict = {}
    for _ in range(4):  # visibility depends on answers: settle it
        for question in definition.questions.values():
            value = wanted.get(question.id, _quiet_value(question))
            if value is not None:
                answers[question.id] = value
        answers = definition.prune(answers, today)
    return answers
