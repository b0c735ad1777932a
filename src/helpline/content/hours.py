"""Opening hours as staff write them, and whether a service is open at a given moment.

The format is deliberately one line a person can read and edit:

    "24/7"
    "Mon-Fri 09:00-17:00"
    "Mon-Thu 08:45-17:00; Fri 08:45-16:30"
    "Mon-Fri 17:00-09:00; Sat-Sun 00:00-24:00; Mon 00:00-09:00"
                                                 (a range past midnight runs into the next day)
    ""                                           (not known: never claimed to be open)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ALWAYS = "24/7"

_PART = re.compile(
    r"^(?P<d1>[a-z]{3})(?:-(?P<d2>[a-z]{3}))?\s+(?P<h1>\d{2}):(?P<m1>\d{2})-(?P<h2>\d{2}):(?P<m2>\d{2})$"
)


class HoursError(ValueError):
    """Opening hours that do not parse; the message says what to write instead."""


@dataclass(frozen=True)
class Span:
    day: int  # 0 = Monday
    start: int  # minutes from midnight
    end: int  # minutes from midnight, may exceed 1440 when it runs past midnight


def parse(text: str) -> list[Span] | None:
    """Spans of a week, or None for "24/7". An empty string gives no spans (unknown)."""
    text = (text or "").strip()
    if text.lower() == ALWAYS:
        return None
    spans: list[Span] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        match = _PART.match(part.lower())
        if not match:
            raise HoursError(
                f"cannot read opening hours {part!r}: write for example 'Mon-Fri 09:00-17:00' or '24/7'"
            )
        d1, d2 = match["d1"], match["d2"] or match["d1"]
        if d1 not in DAYS or d2 not in DAYS:
            raise HoursError(f"unknown day in {part!r}: use {', '.join(d.title() for d in DAYS)}")
        start = int(match["h1"]) * 60 + int(match["m1"])
        end = int(match["h2"]) * 60 + int(match["m2"])
        if start >= 24 * 60 or end > 24 * 60 or int(match["m1"]) > 59 or int(match["m2"]) > 59:
            raise HoursError(f"impossible time in {part!r}")
        if end <= start:  # runs past midnight into the next day
            end += 24 * 60
        first, last = DAYS.index(d1), DAYS.index(d2)
        days = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        spans.extend(Span(day, start, end) for day in days)
    return spans


def is_open(text: str, now: dt.datetime | None = None) -> bool:
    """Whether a service with these hours is open at ``now`` (UK time). Unknown hours: False."""
    spans = parse(text)
    if spans is None:
        return True
    now = (now or dt.datetime.now(LONDON)).astimezone(LONDON)
    minute_of_week = now.weekday() * 24 * 60 + now.hour * 60 + now.minute
    week = 7 * 24 * 60
    for span in spans:
        start = span.day * 24 * 60 + span.start
        end = span.day * 24 * 60 + span.end
        # A Sunday span past midnight wraps into Monday of the next week.
        if start <= minute_of_week < end or start <= minute_of_week + week < end:
            return True
    return False
