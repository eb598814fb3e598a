"""Template helpers for the staff pages: local times, flag badges, labels."""

from __future__ import annotations

from flask import Flask

from intake.screening import severity

STATUS_LABELS = {
    "invited": "Invited",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "reviewed": "Reviewed",
    "cancelled": "Cancelled",
}
#: level -> the badge's css modifier (None: no flags). Colour is never the only
#: signal: the badge's words are severity.label's.
BADGE_CSS = {None: "none", "note": "note", "precaution": "precaution",
             "contraindication": "contraindication", "red_flag": "red"}
#: Intake.worst_rank -> (css modifier, text).
RANK_BADGES = {rank: (BADGE_CSS[level], severity.RANK_LABELS[rank])
               for rank, level in severity.RANK_LEVELS.items()}


def flag_badge(level: str | None, urgency: str | None = None) -> tuple[str, str]:
    return RANK_BADGES[severity.rank(level, urgency)]


def init_app(app: Flask) -> None:
    app.add_template_global(flag_badge, "flag_badge")
    app.add_template_global(RANK_BADGES, "rank_badges")
    app.add_template_global(severity.RED_FLAG, "red_flag_rank")
    app.add_template_global(STATUS_LABELS, "status_labels")
