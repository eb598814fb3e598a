"""The clinic's clock: the one place that says what "now" and "today" are.

Times are stored in UTC; the clinic's zone comes from the TIMEZONE setting
(INTAKE_TIMEZONE, an IANA name such as "Europe/London"; UTC when unset).
"Today" is always the clinic's date: the dashboard, the wizard's date checks,
submission and re-screening all take it from here, and hand it to the pure
code (questionnaire, screening, documents) as a parameter. Nothing else calls
`date.today()` (the server's date) or takes the date of a UTC time.

Python's datetime ends at year 1 and year 9999: converting 0001-01-01 00:30
in Berlin to UTC, or taking the day after 9999-12-31, overflows. Dates that
far out can only come from hostile or mistyped input, but one stored row must
not break the dashboard for everyone, so these helpers clamp at the ends
instead of raising.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from intake.models.types import utcnow


def zone(app: Flask | None = None) -> ZoneInfo:
    """The clinic's zone, from `app` or the current app's settings."""
    # The name was checked when the configuration was loaded (config.py).
    config = (app or current_app).config
    return ZoneInfo(config.get("TIMEZONE") or "UTC")


def now() -> datetime:
    """This instant, as an aware UTC time (what is stored)."""
    return utcnow()


#: The ends of the representable range, as aware UTC values.
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def local(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    try:
        return dt.astimezone(zone())
    except OverflowError:  # within hours of year 1 or 9999: show it in UTC
        return dt


def today() -> date:
    """The clinic's date now (not the server's, not UTC's)."""
    return day_of(now())


def today_in(tz: ZoneInfo) -> date:
    """The date now in `tz`: for commands that run without an app."""
    return now().astimezone(tz).date()


def day_of(dt: datetime) -> date:
    """The clinic's date at the instant `dt` (a submission's date, say)."""
    return local(dt).date()


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, in UTC (clamped at the range's ends)."""
    try:
        return datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)
    except OverflowError:
        return EARLIEST if day.year == date.min.year else LATEST


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of the local `day` in UTC; the last day ends at LATEST."""
    end = LATEST if day == date.max else day_start(day + timedelta(days=1))
    return day_start(day), end


def from_local(day: date, at: time) -> datetime:
    """A local date and time as UTC (for the invite form)."""
    return datetime.combine(day, at, tzinfo=zone()).astimezone(UTC)


def as_clinic_time(dt: datetime) -> datetime:
    """A naive date-time typed by clinic staff means the clinic's local time."""
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=zone()).astimezone(UTC)


