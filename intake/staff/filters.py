"""Template helpers for the staff pages: local times, flag badges, labels."""

from __future__ import annotations

from flask import Flask

from intake.operations.review import rank_of

LEVEL_LABELS = {
    "red_flag": "Red flag",
    "contraindication": "Contraindication",
    "precaution": "Precaution",
    "note": "Note",
    None: "No flags",
}
URGENCY_LABELS = {"emergency": "emergency", "urgent": "urgent", "prompt": "prompt"}
STATUS_LABELS = {
    "invited": "Invited",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "reviewed": "Reviewed",
    "cancelled": "Cancelled",
}
#: Intake.worst_rank -> (css modifier, text). Colour is never the only signal.
RANK_BADGES = {
    0: ("none", "No flags"),
    1: ("note", "Note"),
    2: ("precaution", "Precaution"),
    3: ("contraindication", "Contraindication"),
    4: ("red", "Red flag: prompt"),
    5: ("red", "Red flag: urgent"),
    6: ("red", "Red flag: emergency"),
}


def flag_badge(level: str | None, urgency: str | None = None) -> tuple[str, str]:
    return RANK_BADGES[rank_of(level, urgency)]


def init_app(app: Flask) -> None:
    app.add_template_global(flag_badge, "flag_badge")
    app.add_template_global(RANK_BADGES, "rank_badges")
    app.add_template_global(STATUS_LABELS, "status_labels")
    app.add_template_global(LEVEL_LABELS, "level_labels")
