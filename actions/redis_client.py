"""The action server's Redis client, made on first use inside the server's event loop."""

from __future__ import annotations

import os

from redis.asyncio import Redis

_client: Redis | None = None


def redis() -> Redis:
    global _client
    if _client is None:
        _client = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), decode_responses=True)
    return _client


def use(client: Redis | None) -> None:
    """Point the actions at another client (the unit tests' own Redis)."""
    global _client
    _client = client
