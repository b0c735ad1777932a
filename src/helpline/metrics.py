"""Figures kept as things happen, for the impact dashboard: counters per day in Redis.

Nothing here holds message text or anything that identifies a young person: only counts
(conversations, messages, levels, topics, escalations, outcomes, resources shown) and the
seconds young people waited for a person. The keys have no TTL, so the figures outlive the
transcripts' retention period. Days are the helpline's days (Europe/London).
"""

from __future__ import annotations

import datetime as dt
import logging
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from . import keys, log
from .content.hours import LONDON

logger = logging.getLogger("helpline.metrics")
MAX_DAYS = 400  # a dashboard period is at most this long


def today(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(LONDON)).astimezone(LONDON).date().isoformat()


async def count(redis: Redis, *names: str, by: int = 1) -> None:
    """Add to today's counters (one round trip for several). A figure is never worth failing a
    young person's message for: Redis trouble here is logged and forgotten."""
    if not names:
        return
    key = keys.stats_day(today())
    try:
        async with redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hincrby(key, name, by)
            await pipe.execute()
    except RedisError as exc:
        log.event(logger, "figures_not_counted", logging.WARNING, error=type(exc).__name__)


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (0 < share <= 1), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Period:
    start: dt.date
    end: dt.date
    days: dict[str, dict[str, int]] = field(default_factory=dict)  # day -> counters
    waits: list[int] = field(default_factory=list)  # seconds from escalation to a handler

    @property
    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counters in self.days.values():
            total.update(counters)
        return total

    def group(self, prefix: str) -> list[tuple[str, int]]:
        """e.g. group('topic:') -> [(topic, count), ...], most first."""
        return sorted(((name[len(prefix):], n) for name, n in self.totals.items() if name.startswith(prefix)),
                      key=lambda pair: (-pair[1], pair[0]))

    def per_day(self, name: str) -> list[tuple[str, int]]:
        return [(day, self.days.get(day, {}).get(name, 0)) for day in day_range(self.start, self.end)]

    def summary(self) -> dict[str, Any]:
        totals = self.totals
        conversations = totals.get("conversations", 0)
        return {
            "conversations": conversations,
            "messages": totals.get("messages", 0),
            "handler_messages": totals.get("handler_messages", 0),
            "escalations": totals.get("escalations", 0),
            "taken": len(self.waits),
            "wait_median_s": statistics.median(self.waits) if self.waits else None,
            "wait_p90_s": percentile(self.waits, 0.9),
            "out_of_hours_share": round(totals.get("conversations_out_of_hours", 0) / conversations, 3)
            if conversations else None,
            "not_understood_conversations": totals.get("not_understood_conversations", 0),
        }


def day_range(start: dt.date, end: dt.date) -> list[str]:
    return [(start + dt.timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


async def period(redis: Redis, start: dt.date, end: dt.date) -> Period:
    """Every counter of every day from start to end (inclusive): one pipelined read per day,
    so a month loads in one round trip."""
    if end < start or (end - start).days >= MAX_DAYS:
        raise ValueError(f"a period runs forwards and is at most {MAX_DAYS} days")
    days = day_range(start, end)
    async with redis.pipeline(transaction=False) as pipe:
        for day in days:
            pipe.hgetall(keys.stats_day(day))
            pipe.lrange(keys.stats_waits(day), 0, -1)
        results = await pipe.execute()
    result = Period(start, end)
    for i, day in enumerate(days):
        counters, waits = results[2 * i], results[2 * i + 1]
        if counters:
            result.days[day] = {name: int(value) for name, value in counters.items()}
        result.waits.extend(int(w) for w in waits)
    return result
