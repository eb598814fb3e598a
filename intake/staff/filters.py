"""Template helpers for the staff pages: flag badges and labels, in the page's language."""

from __future__ import annotations

from flask import Flask

from intake.screening import severity
from intake.staff.labels import ANSWERED_IN, STATUS_LABELS, role_label, shown

#: level -> the badge's css modifier (None: no flags). Colour is never the only
#: signal: the badge's words are severity.label's.
BADGE_CSS = {None: "none", "note": "note", "precaution": "precaution",
             "contraindication": "contraindication", "red_flag": "red"}
#: Intake.worst_rank -> (css modifier, English text; `shown` translates it).
RANK_BADGES = {rank: (BADGE_CSS[level], severity.RANK_LABELS[rank])
               for rank, level in severity.RANK_LEVELS.items()}


def flag_badge(level: str | None, urgency: str | None = None) -> tuple[str, str]:
    css, text = RANK_BADGES[severity.rank(level, urgency)]
    return css, shown(text)


def rank_badge(rank: int) -> tuple[str, str]:
    css, text = RANK_BADGES[rank]
    return css, shown(text)


def shown_level(level: str | None) -> str:
    """A stored level ("red_flag") in the page's words ("Red flag", "Signal d'alarme")."""
    return shown(severity.label(level)) if level in severity.LEVEL_LABELS or level is None \
        else str(level).replace("_", " ")


def init_app(app: Flask) -> None:
    app.add_template_global(flag_badge, "flag_badge")
    app.add_template_global(rank_badge, "rank_badge_of")
    app.add_template_global(severity.RED_FLAG, "red_flag_rank")
    app.add_template_global(STATUS_LABELS, "status_labels")
    app.add_template_global(role_label, "role_label")
    app.add_template_global(shown, "shown")
    app.add_template_global(shown_level, "shown_level")
    app.add_template_global(ANSWERED_IN, "answered_in")
