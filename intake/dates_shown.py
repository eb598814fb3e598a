"""The template filters that write a date or a time: the one place they are
registered, so every page words them the same way.

They put the clinic's clock (intake.clock: the zone) and the one answer
formatter (questionnaire/types/display.py: Babel in the page's locale, from
intake.i18n: the patient's or the user's language, else config["LOCALE"])
together; no template calls ``strftime`` or builds a date from its parts.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from intake import clock
from intake.i18n.pages import current_locale
from intake.questionnaire.types import display


def clinic_time(dt: datetime | None, style: str = "medium") -> str:
    """A stored UTC time as the clinic's local time, in the clinic's locale:
    "2 Dec 2026, 09:30" (``style``: long, medium, seconds, date, time)."""
    value = clock.local(dt)
    if value is None:
        return "—"
    return display.moment(value, current_locale(), style)


def clinic_date(day: date | str | None, width: str = "long") -> str:
    """A calendar date (a date of birth) as every reader shows it: "14 September
    1968"; ``width`` "full" adds the weekday (the dashboard's day headings)."""
    if day is None:
        return "—"
    return display.day(day, current_locale(), width)


def init_app(app: Flask) -> None:
    app.add_template_filter(clinic_time, "clinic_time")
    app.add_template_filter(clinic_date, "clinic_date")
