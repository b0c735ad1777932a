"""Finding resources: by words, scope, topic, and the ones that need a look (stale or needs_check)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..content.hours import LONDON

FLAGS = {"": "Any", "attention": "Needs a look (stale or needs check)", "stale": "Not checked recently",
         "needs_check": "Marked needs check", "retired": "Retired"}


def today() -> dt.date:
    return dt.datetime.now(LONDON).date()


def stale(resource: dict[str, Any], days: int, on: dt.date | None = None) -> bool:
    """Nobody has checked its details for `days` days, or ever."""
    checked = resource.get("last_checked") or ""
    if not checked:
        return True
    try:
        return (on or today()) - dt.date.fromisoformat(checked) > dt.timedelta(days=days)
    except ValueError:
        return True


def why_flagged(resource: dict[str, Any], days: int) -> list[str]:
    """What the editors should know: never/long ago checked, a detail not confirmed."""
    reasons = []
    if stale(resource, days):
        checked = resource.get("last_checked") or ""
        reasons.append(f"last checked {checked}" if checked else "never checked")
    if resource.get("needs_check"):
        reasons.append("needs check")
    return reasons


@dataclass(frozen=True)
class Query:
    text: str = ""
    scope: str = ""  # "", local, national
    topic: str = ""
    flag: str = ""  # a key of FLAGS

    @classmethod
    def from_params(cls, params: Any) -> Query:
        def one(name: str, allowed: Any = None) -> str:
            value = str(params.get(name, "")).strip()[:100]
            return value if allowed is None or value in allowed else ""
        return cls(one("q"), one("scope", ("local", "national")), one("topic"), one("flag", FLAGS))


def matches(resource: dict[str, Any], query: Query, topics: dict[str, dict[str, Any]], days: int) -> bool:
    if query.flag != "retired" and resource.get("retired"):
        return False
    if query.flag == "retired" and not resource.get("retired"):
        return False
    if query.scope and resource.get("scope") != query.scope:
        return False
    if query.topic and resource["id"] not in (topics.get(query.topic) or {}).get("resources", []):
        return False
    if query.flag == "stale" and not stale(resource, days):
        return False
    if query.flag == "needs_check" and not resource.get("needs_check"):
        return False
    if query.flag == "attention" and not why_flagged(resource, days):
        return False
    if query.text:
        haystack = " ".join(str(resource.get(f) or "") for f in
                            ("id", "name", "description", "website", "phone", "text_number", "text_keyword"))
        return all(word in haystack.lower() for word in query.text.lower().split())
    return True


def search(resources: list[dict[str, Any]], query: Query, topics: dict[str, dict[str, Any]],
           days: int) -> list[dict[str, Any]]:
    return [r for r in resources if matches(r, query, topics, days)]


def topics_using(resource_id: str, topics: dict[str, dict[str, Any]]) -> list[str]:
    return [name for name, answer in topics.items() if resource_id in answer.get("resources", [])]
