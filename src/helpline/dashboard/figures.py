"""Every figure the dashboard shows, worked out once from the counters of a period, and the same
figures as rows (metric, key, label, value) for the CSV export, so page and file always agree.

Only counters are read (helpline.metrics.period: one pipelined read), plus the names of the
resources that were shown (one MGET of the content). No conversation is ever read.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from .. import keys, metrics
from ..handoff import OUTCOMES

LEVELS = [("RED", "Red: in danger now"), ("AMBER", "Amber: safeguarding concern"), ("GREEN", "Green")]
ESCALATION_LEVELS = [*LEVELS, ("ASKED", "Asked for a person")]
# Seconds from escalation to a handler, in buckets: (key, label, lower bound included, upper bound excluded).
WAIT_BUCKETS = [("lt1", "under 1 min", 0, 60), ("1-5", "1–5 min", 60, 300), ("5-15", "5–15 min", 300, 900),
                ("15-30", "15–30 min", 900, 1800), ("30-60", "30–60 min", 1800, 3600),
                ("gt60", "over 60 min", 3600, None)]


@dataclass(frozen=True)
class Row:
    """One figure: e.g. Row("topic", "bullying", "bullying", 12). value is a number, or None
    when there is nothing to work it out from (a median of no waits)."""

    metric: str
    key: str
    label: str
    value: int | float | str | None


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    summary: dict[str, Any]
    per_day: list[tuple[str, int]]
    risk: list[tuple[str, str, int]]  # (level, label, messages)
    escalations: list[tuple[str, str, int]]  # (level, label, escalations)
    waits: list[tuple[str, str, int]]  # (bucket, label, waits in it)
    topics: list[tuple[str, int]]
    outcomes: list[tuple[str, str, int]]  # (outcome id, label, conversations)
    resources: list[tuple[str, str, int]]  # (resource id, name, times shown)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def rows(self) -> list[Row]:
        """Every figure of the page, in the page's order (the CSV's rows)."""
        s = self.summary
        rows = [Row("period", "from", "From (Europe/London)", self.start.isoformat()),
                Row("period", "to", "To (Europe/London)", self.end.isoformat()),
                Row("period", "days", "Days", self.days)]
        rows += [Row("total", name, label, value) for name, label, value in self.headline()]
        rows += [Row("share", "out_of_hours", "Share of conversations started out of hours", s["out_of_hours_share"]),
                 Row("share", "not_understood", "Share of conversations the bot failed to understand",
                     s["not_understood_share"]),
                 Row("wait_seconds", "median", "Median time from escalation to a handler (s)", s["wait_median_s"]),
                 Row("wait_seconds", "p90", "90th percentile time from escalation to a handler (s)",
                     s["wait_p90_s"])]
        rows += [Row("wait_bucket", key, label, n) for key, label, n in self.waits]
        rows += [Row("risk", key, label, n) for key, label, n in self.risk]
        rows += [Row("escalations", key, label, n) for key, label, n in self.escalations]
        rows += [Row("topic", name, name, n) for name, n in self.topics]
        rows += [Row("outcome", key, label, n) for key, label, n in self.outcomes]
        rows += [Row("resource", key, name, n) for key, name, n in self.resources]
        rows += [Row("conversations_per_day", day, day, n) for day, n in self.per_day]
        return rows

    def headline(self) -> list[tuple[str, str, int]]:
        s = self.summary
        return [("conversations", "Conversations", s["conversations"]),
                ("messages", "Messages from young people", s["messages"]),
                ("handler_messages", "Messages from handlers", s["handler_messages"]),
                ("escalations", "Escalations to a person", s["escalations"]),
                ("taken", "Times a handler took a waiting conversation", s["taken"]),
                ("conversations_out_of_hours", "Conversations started out of hours",
                 self.totals.get("conversations_out_of_hours", 0)),
                ("not_understood_conversations", "Conversations the bot failed to understand",
                 s["not_understood_conversations"])]


def wait_histogram(waits: list[int]) -> list[tuple[str, str, int]]:
    counts = dict.fromkeys((key for key, *_ in WAIT_BUCKETS), 0)
    for seconds in waits:
        for key, _, low, high in WAIT_BUCKETS:
            if seconds >= low and (high is None or seconds < high):
                counts[key] += 1
                break
        else:  # a negative wait (a clock step): counted with the shortest
            counts["lt1"] += 1
    return [(key, label, counts[key]) for key, label, *_ in WAIT_BUCKETS]


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 1)


def build(period: metrics.Period, resource_names: dict[str, str] | None = None) -> Figures:
    totals = period.totals
    summary = period.summary()
    conversations = summary["conversations"]
    summary["wait_median_s"] = _number(summary["wait_median_s"])
    summary["wait_p90_s"] = _number(summary["wait_p90_s"])
    summary["not_understood_share"] = (round(summary["not_understood_conversations"] / conversations, 3)
                                       if conversations else None)
    outcomes = dict(period.group("outcome:"))
    known = [(key, label, outcomes.pop(key, 0)) for key, label in OUTCOMES.items()]
    names = resource_names or {}
    return Figures(
        start=period.start, end=period.end, summary=summary, totals=dict(totals),
        per_day=period.per_day("conversations"),
        risk=[(key, label, totals.get(f"risk:{key}", 0)) for key, label in LEVELS],
        escalations=[(key, label, totals.get(f"escalations:{key}", 0)) for key, label in ESCALATION_LEVELS],
        waits=wait_histogram(period.waits),
        topics=period.group("topic:"),
        outcomes=known + [(key, key, n) for key, n in sorted(outcomes.items())],  # ids no longer offered
        resources=[(rid, names.get(rid, rid), n) for rid, n in period.group("resource:")],
    )


async def resource_names(redis: Redis, resource_ids: list[str]) -> dict[str, str]:
    """Names of resources by id, retired ones too (one MGET of the content); an id with no
    resource any more keeps its id as its name."""
    if not resource_ids:
        return {}
    names = {}
    for rid, raw in zip(resource_ids, await redis.mget([keys.content_resource(rid) for rid in resource_ids])):
        try:
            names[rid] = str(json.loads(raw)["name"]) if raw else rid
        except (ValueError, KeyError, TypeError):
            names[rid] = rid
    return names


async def load(redis: Redis, start: dt.date, end: dt.date) -> Figures:
    period = await metrics.period(redis, start, end)
    ids = [rid for rid, _ in period.group("resource:")]
    return build(period, await resource_names(redis, ids))
