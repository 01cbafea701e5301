"""Vietnam's calendar: the one place that knows what "today" is.

Timestamps are stored as naive UTC (``app.models.base.utcnow``). Every date a person sees
or types — a default in a form, "not in the future", a report's week or month, a printed
date, a file name — is Vietnam's (``BABEL_DEFAULT_TIMEZONE``, ``Asia/Ho_Chi_Minh``).
Tests freeze the clock by monkeypatching ``app.dates.utcnow``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from app.models.base import utcnow as _stored_utcnow

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


def utcnow() -> datetime:
    """Naive UTC now (the form timestamps are stored in); the single clock tests freeze."""
    return _stored_utcnow()


def zone() -> ZoneInfo:
    name = DEFAULT_ZONE
    if has_app_context():
        name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_ZONE)
    return ZoneInfo(name)


def to_local(moment: datetime) -> datetime:
    """A stored naive-UTC timestamp as an aware Vietnam datetime."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def local_now() -> datetime:
    return to_local(utcnow())


def today() -> date:
    """Today's date in Vietnam."""
    return local_now().date()


def local_date(moment: datetime) -> date:
    """The Vietnam calendar date of a stored naive-UTC timestamp."""
    return to_local(moment).date()


def start_of_day_utc(day: date) -> datetime:
    """00:00 in Vietnam on ``day``, as a naive UTC timestamp (for range queries)."""
    local = datetime.combine(day, time.min, tzinfo=zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def day_range_utc(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) in naive UTC."""
    return start_of_day_utc(first), start_of_day_utc(last + timedelta(days=1))
