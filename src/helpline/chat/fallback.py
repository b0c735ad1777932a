"""The safe reply a young person gets when the bot is slow or down.

It never depends on Rasa or the action server. Its wording and services are content (the
``bot_unavailable`` topic), so staff can change them; if even Redis has no content, a fixed
text with the emergency and 24/7 numbers is used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..content import model, store

TOPIC = "bot_unavailable"
FIXED_TEXT = (
    "Sorry, I can't answer properly just now, but your message is saved. "
    "If you are in danger now, call 999. You can talk to Childline any time on 0800 1111, "
    "or text SHOUT to 85258."
)


def describe(resource: dict[str, Any]) -> str:
    ways = []
    if resource.get("phone"):
        ways.append(f"call {resource['phone']}")
    if resource.get("text_number"):
        keyword = f"{resource['text_keyword']} " if resource.get("text_keyword") else ""
        ways.append(f"text {keyword}to {resource['text_number']}".replace("text to", "text"))
    return f"{resource['name']}: {' or '.join(ways)}" if ways else resource["name"]


async def safe_reply(redis: Any, now: dt.datetime | None = None) -> tuple[str, list[dict[str, Any]]]:
    """Text and resources (only those open now) for the safe reply."""
    try:
        topic = await store.topic(redis, TOPIC)
        resources = await store.resources_by_id(redis, topic["resources"]) if topic else []
    except Exception:  # Redis trouble must not stop the safety message
        topic, resources = None, []
    views = [model.for_young_person(r, now) for r in resources]
    open_now = [v for v in views if v["open_now"]]
    if not topic or not open_now:
        return FIXED_TEXT, []
    lines = [topic["intro"], *(f"• {describe(v)}" for v in open_now)]
    return "\n".join(lines), open_now
