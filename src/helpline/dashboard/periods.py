"""The period a supervisor asks for: two dates (Europe/London days), a default and presets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from ..content.hours import LONDON
from ..metrics import MAX_DAYS

DEFAULT_DAYS = 30
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIELD_NAMES = {"from": "From", "to": "To"}


class PeriodError(ValueError):
    """A period that cannot be shown; the message is written for the person who asked."""


def today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(LONDON)).astimezone(LONDON).date()


def last_days(days: int, on: dt.date) -> tuple[dt.date, dt.date]:
    return on - dt.timedelta(days=days - 1), on


def presets(on: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(label, from, to): the last 7 and 30 days, this month so far, and last month."""
    first = on.replace(day=1)
    last_month_end = first - dt.timedelta(days=1)
    return [("Last 7 days", *last_days(7, on)), ("Last 30 days", *last_days(30, on)),
            ("This month", first, on), ("Last month", last_month_end.replace(day=1), last_month_end)]


def _date(query: Mapping[str, str], name: str) -> dt.date | None:
    raw = str(query.get(name, "")).strip()
    if not raw:
        return None
    try:
        if not DATE.match(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise PeriodError(f"The “{FIELD_NAMES[name]}” date is not a date. Write it as YYYY-MM-DD, "
                          "for example 2026-03-01.") from None


def parse(query: Mapping[str, str], on: dt.date) -> tuple[dt.date, dt.date]:
    """The period in a query string (?from=YYYY-MM-DD&to=YYYY-MM-DD), both days included. With
    neither, the last 30 days; with only "to", the 30 days up to it; with only "from", up to today."""
    start, end = _date(query, "from"), _date(query, "to")
    try:
        end = end or (on if start is None or start <= on else start)
        start = start or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    except OverflowError:
        raise PeriodError("That date is too early to show.") from None
    if end < start:
        raise PeriodError("The “To” date is before the “From” date. Choose a “To” date on or after it.")
    days = (end - start).days + 1
    if days > MAX_DAYS:
        raise PeriodError(f"A period can be at most {MAX_DAYS} days long; {start.isoformat()} to "
                          f"{end.isoformat()} is {days} days. Choose a shorter period.")
    return start, end


def describe(day: dt.date) -> str:
    """1 March 2026."""
    return f"{day.day} {day:%B %Y}"
