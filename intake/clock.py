"""The clinic's local time: what "today" means on the dashboard and in forms.

Times are stored in UTC; the clinic's zone comes from the TIMEZONE setting
(an IANA name such as "Europe/London"; UTC when unset).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from intake.models.types import utcnow


def zone() -> ZoneInfo:
    # The name was checked when the configuration was loaded (config.py).
    return ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")


def local(dt: datetime | None) -> datetime | None:
    return None if dt is None else dt.astimezone(zone())


def today() -> date:
    return utcnow().astimezone(zone()).date()


def day_of(dt: datetime) -> date:
    return dt.astimezone(zone()).date()


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    return day_start(day), day_start(day + timedelta(days=1))


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
