"""The safety message a young person gets at once when the screen reads danger now (RED).

Its words and services are content (the ``crisis`` topic), so staff keep the numbers true; a
fixed text with the emergency and 24/7 numbers stands in if the content cannot be read.
"""

from __future__ import annotations

from typing import Any

from ..content import model, store

TOPIC = "crisis"
FIXED_TEXT = (
    "I'm really glad you told me, and I want you to be safe. If you are in danger or hurt, call 999 now. "
    "You can talk to Childline any time on 0800 1111, text SHOUT to 85258, or call Samaritans on 116 123. "
    "I've asked for a person to join this chat."
)


async def crisis(redis: Any) -> tuple[str, list[dict[str, Any]]]:
    try:
        topic = await store.topic(redis, TOPIC)
        resources = await store.resources_by_id(redis, topic["resources"]) if topic else []
    except Exception:  # Redis trouble must not stop the safety message
        return FIXED_TEXT, []
    if not topic or not resources:
        return FIXED_TEXT, []
    return topic["intro"], [model.for_young_person(r) for r in resources]
