"""The clinic's local time: what "today" means on the dashboard and in forms.

Times are stored in UTC; the clinic's zone comes from the TIMEZONE setting
(an IANA name such as "Europe/London"; UTC when unset).

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


def zone() -> ZoneInfo:
    # The name was checked when the configuration was loaded (config.py).
    return ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")


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
    return utcnow().astimezone(zone()).date()


def day_of(dt: datetime) -> date:
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


def clinic_time(dt: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """Template filter: a stored UTC time as the clinic's local time."""
    value = local(dt)
    return value.strftime(fmt) if value else "—"


def init_app(app: Flask) -> None:
    app.add_template_filter(clinic_time, "clinic_time")
