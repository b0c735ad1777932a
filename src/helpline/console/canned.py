"""Canned replies for handlers: a few starting points, seeded from data/content/canned.yml and
edited by supervisors (a handler always edits one in the composer before sending it)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from redis.asyncio import Redis

from .. import keys

REPLY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_TITLE, MAX_TEXT = 80, 1000


class CannedError(ValueError):
    pass


def check(reply_id: str, title: str, text: str) -> dict[str, str]:
    title, text = title.strip(), text.strip()
    if not REPLY_ID.match(reply_id):
        raise CannedError("The id must be 1 to 40 lower-case letters, digits or dashes.")
    if not title or len(title) > MAX_TITLE:
        raise CannedError(f"The title must be 1 to {MAX_TITLE} characters.")
    if not text or len(text) > MAX_TEXT:
        raise CannedError(f"The reply must be 1 to {MAX_TEXT} characters.")
    return {"id": reply_id, "title": title, "text": text}


def load_seed(folder: Path) -> list[dict[str, str]]:
    path = folder / "canned.yml"
    if not path.exists():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [check(str(r["id"]), str(r["title"]), str(r["text"])) for r in doc.get("canned", [])]


async def seed_if_empty(redis: Redis, replies: list[dict[str, str]]) -> int:
    """Only a helpline that has never had canned replies gets the seed: supervisors' deletions stay deleted."""
    if not replies or not await redis.setnx(keys.CANNED_SEEDED, "1"):
        return 0
    await redis.hset(keys.CANNED, mapping={r["id"]: json.dumps(r) for r in replies})
    return len(replies)


async def all_replies(redis: Redis) -> list[dict[str, Any]]:
    raw = await redis.hgetall(keys.CANNED)
    return sorted((json.loads(v) for v in raw.values()), key=lambda r: r["id"])


async def put(redis: Redis, reply_id: str, title: str, text: str) -> dict[str, str]:
    reply = check(reply_id, title, text)
    await redis.hset(keys.CANNED, reply_id, json.dumps(reply))
    return reply


async def remove(redis: Redis, reply_id: str) -> bool:
    return bool(await redis.hdel(keys.CANNED, reply_id))
