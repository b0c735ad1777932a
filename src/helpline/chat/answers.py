"""What the gateway says by itself, without the bot: the safety message when the screen reads
danger now, the answer for what the screen found when the bot missed it, and the safe reply
when the bot is slow or down.

All of it is content (topics in Redis), so staff keep the words and numbers true. If the
content cannot be read in time, the last copy this process read stands in (the safety topics
are read at start-up), and without one a fixed text with the emergency and 24/7 numbers: Redis
trouble must never stop a safety message, nor strip it of the services staff listed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from typing import Any

from ..content import model, store

logger = logging.getLogger("helpline.chat")

CONTENT_DEADLINE = 1.0  # seconds to read a topic before the fixed text is used instead
WELCOME_TOPIC = "welcome"
WELCOME_TEXT = (
    "Hi, this is the Wirral young people's chat. Tell me what's on your mind in your own words. "
    "This is not an emergency service: if you are in danger now, call 999."
)
CRISIS_TOPIC = "crisis"
UNAVAILABLE_TOPIC = "bot_unavailable"
CRISIS_TEXT = store.CRISIS_TEXT
UNAVAILABLE_TEXT = (
    "Sorry, I can't answer properly just now, but your message is saved. "
    "If you are in danger now, call 999. You can talk to Childline any time on 0800 1111, "
    "or text SHOUT to 85258."
)
OUT_OF_HOURS_TOPIC = "out_of_hours"
OUT_OF_HOURS_TEXT = (
    "Our call handlers are not on duty right now, so a person may not be able to join this chat "
    "until we open. If you are in danger now, call 999. Childline (0800 1111) and Shout (text SHOUT "
    "to 85258) are there any time."
)
TOPIC_TEXT = (
    "Thank you for telling me. I've asked for a person to join this chat. If you are in danger now, "
    "call 999. You can talk to Childline any time on 0800 1111."
)


# Per Redis client (so per app): topic -> the last (words, resources) read. Only a read that
# fails uses it; a topic staff removed is forgotten, so its fixed text follows.
_last_read: weakref.WeakKeyDictionary[Any, dict[str, tuple[str, list[dict[str, Any]]]]] = weakref.WeakKeyDictionary()


async def from_content(redis: Any, topic: str, fixed_text: str,
                       now: dt.datetime | None = None) -> tuple[str, list[dict[str, Any]]]:
    """A topic's words and services as the chat carries them; if Redis is down or slow, the
    last copy read; else the fixed text."""
    remembered = _last_read.setdefault(redis, {})
    try:
        async with asyncio.timeout(CONTENT_DEADLINE):
            found = await store.answer(redis, topic)
    except Exception:  # Redis down or slow (or the loop held up): the last copy, at once
        logger.exception("content_unreadable")
        found = remembered.get(topic)
    else:
        if found:
            remembered[topic] = found
        else:
            remembered.pop(topic, None)
    return _as_carried(found, fixed_text, now)


def _as_carried(found: tuple[str, list[dict[str, Any]]] | None, fixed_text: str,
                now: dt.datetime | None = None) -> tuple[str, list[dict[str, Any]]]:
    """Content as the chat protocol carries it, or the fixed text without services."""
    if not found:
        return fixed_text, []
    text, resources = found
    return text, [model.for_young_person(r, now) for r in resources]


async def read_safety_topics(redis: Any) -> None:
    """Read the answers given without the bot once, at start-up, so that a slow Redis on the
    first crisis still leaves the services staff listed (not only the fixed text)."""
    for topic in store.SAFETY_TOPICS:
        await from_content(redis, topic, "")


async def crisis(redis: Any) -> tuple[str, list[dict[str, Any]]]:
    """The safety message for danger now (RED)."""
    text, resources = await from_content(redis, CRISIS_TOPIC, CRISIS_TEXT)
    return (text, resources) if resources else (CRISIS_TEXT, [])


def crisis_as_last_read(redis: Any) -> tuple[str, list[dict[str, Any]]]:
    """The safety message without asking Redis (it has just failed): the last copy read, or the fixed text."""
    return _as_carried(_last_read.get(redis, {}).get(CRISIS_TOPIC), CRISIS_TEXT)


async def for_topic(redis: Any, topic: str) -> tuple[str, list[dict[str, Any]]]:
    """The answer for a topic the screen found and the bot did not understand."""
    return await from_content(redis, topic, TOPIC_TEXT)


def describe(resource: dict[str, Any]) -> str:
    ways = []
    if resource.get("phone"):
        ways.append(f"call {resource['phone']}")
    if resource.get("text_number"):
        keyword = f"{resource['text_keyword']} " if resource.get("text_keyword") else ""
        ways.append(f"text {keyword}to {resource['text_number']}".replace("text to", "text"))
    return f"{resource['name']}: {' or '.join(ways)}" if ways else resource["name"]


async def unavailable(redis: Any, now: dt.datetime | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The safe reply when the bot cannot answer in time: only services open now, each with
    its number in the text too."""
    intro, resources = await from_content(redis, UNAVAILABLE_TOPIC, UNAVAILABLE_TEXT, now)
    open_now = [r for r in resources if r["open_now"]]
    if not open_now:
        return UNAVAILABLE_TEXT, []
    return "\n".join([intro, *(f"• {describe(r)}" for r in open_now)]), open_now


async def out_of_hours(redis: Any, now: dt.datetime | None = None) -> tuple[str, list[dict[str, Any]]]:
    """Told plainly when nobody is on duty: the services that are open now."""
    intro, resources = await from_content(redis, OUT_OF_HOURS_TOPIC, OUT_OF_HOURS_TEXT, now)
    open_now = [r for r in resources if r["open_now"]]
    return (intro, open_now) if open_now else (OUT_OF_HOURS_TEXT, [])
