"""The audit log: who did what, when. Appended to only; nothing in the application edits it."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from .. import keys


async def record(redis: Redis, who: str, kind: str, **details: str) -> str:
    """Append one entry: `kind` is e.g. login, login_failed, transcript_view, account_added."""
    fields = {"who": who or "-", "kind": kind, "at": str(int(time.time())), **{k: str(v) for k, v in details.items()}}
    return await redis.xadd(keys.AUDIT, fields)
