"""A tracker fixture, a fresh dispatcher, and the actions pointed at the private real Redis
(tests/conftest.py) seeded with the committed content."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from redis.asyncio import Redis

from actions import redis_client
from helpline.config import ROOT
from helpline.content import store


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url, decode_responses=True)
    await client.flushdb()
    resources, topics = store.load_seed(ROOT / "data" / "content")
    await store.seed_missing(client, resources, topics)
    redis_client.use(client)
    yield client
    redis_client.use(None)
    await client.close(close_connection_pool=True)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def user_event(text: str, intent: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


@pytest.fixture
def tracker() -> Callable[..., Tracker]:
    """A tracker whose latest message has this intent, after these earlier intents."""

    def make(intent: str, earlier: tuple[str, ...] = ()) -> Tracker:
        events: list[dict[str, Any]] = []
        for previous in earlier:
            events.append(user_event("...", previous))
            events.append({"event": "action", "name": "action_listen"})
        events.append(user_event("the latest message", intent))
        return Tracker(
            sender_id="test-conversation",
            slots={},
            latest_message={"text": "the latest message", "intent": {"name": intent, "confidence": 0.9}},
            events=events,
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return make
