"""What the console shows: the queue's items and a conversation's transcript, as frames."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from .. import keys
from ..conversations import ConversationStore, Message, now_ms
from ..redaction import redact

PREVIEW_CHARS = 140
LOOK_BACK = 50  # messages read to describe a waiting conversation


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def transcript_item(message: Message, delivered: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """One message for a handler: who, what, when, and why the screen or the bot flagged it."""
    item: dict[str, Any] = {"id": message.id, "role": message.role, "text": message.text, "at": message.at}
    if message.risk:
        item["risk"] = message.risk
    if message.screening:
        item["phrases"] = _unique([f.get("phrase", "") for f in message.screening])
        item["categories"] = _unique([f.get("category", "") for f in message.screening])
    if message.topics:
        item["topics"] = message.topics
    if message.author:
        item["author"] = message.author
    if message.event:
        item["event"] = message.event
    if message.role == "handler":
        item["delivered"] = message.id in delivered
    return item


def note_item(entry_id: str, fields: dict[str, str]) -> dict[str, Any]:
    return {"id": entry_id, "author": fields.get("author", ""), "text": fields.get("text", ""),
            "at": int(entry_id.split("-", 1)[0])}


async def queue_items(redis: Redis, conversations: ConversationStore, limit: int = 100) -> list[dict[str, Any]]:
    """The queue, most urgent first, with what a handler needs to choose (a redacted preview:
    the full text is read only by opening the conversation, which is audited)."""
    items = []
    now = now_ms()
    for conversation_id in await redis.zrange(keys.QUEUE, 0, limit - 1):
        info = await redis.hgetall(keys.conversation(conversation_id))
        if not info:
            continue  # expired; take_next drops it from the queue
        history = await conversations.history(conversation_id, limit=LOOK_BACK)
        said = [m for m in history if m.role == "young_person"]
        items.append({
            "conversation": conversation_id,
            "position": len(items) + 1,
            "level": info.get("risk", ""),
            "reason": info.get("queue_reason", ""),
            "waiting_s": max(0, (now - int(info.get("queued_at") or now)) // 1000),
            "phrases": _unique([f.get("phrase", "") for m in said for f in m.screening]),
            "categories": _unique([f.get("category", "") for m in said for f in m.screening]),
            "topics": _unique([t for m in history if m.role == "bot" for t in m.topics]),
            "preview": redact(said[-1].text)[:PREVIEW_CHARS] if said else "",
        })
    return items


async def conversation_frame(redis: Redis, conversations: ConversationStore, conversation_id: str,
                             me: str) -> dict[str, Any]:
    info = await conversations.info(conversation_id)
    history = await conversations.history(conversation_id)
    delivered = await redis.smembers(keys.delivered(conversation_id))
    notes = await redis.xrange(keys.notes(conversation_id))
    return {
        "type": "conversation",
        "conversation": conversation_id,
        "state": info.get("state", ""),
        "level": info.get("risk", ""),
        "handler": info.get("handler", ""),
        "mine": info.get("state") == "with_handler" and info.get("handler") == me,
        "outcome": info.get("outcome", ""),
        "transcript": [transcript_item(m, delivered) for m in history],
        "notes": [note_item(entry_id, fields) for entry_id, fields in notes],
    }


async def add_note(redis: Redis, conversation_id: str, author: str, text: str, ttl: int) -> str:
    """A private note: kept with the conversation, and every console following it hears of it."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.xadd(keys.notes(conversation_id), {"author": author, "text": text})
        pipe.expire(keys.notes(conversation_id), ttl)
        pipe.publish(keys.conversation_events(conversation_id), json.dumps({"kind": "note"}))
        note_id, _, _ = await pipe.execute()
    return note_id
