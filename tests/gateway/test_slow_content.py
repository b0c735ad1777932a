"""When Redis (or the event loop) is too slow for the content deadline, the answers the gateway
gives by itself keep the words and services staff listed, from the last copy read; with no copy,
the fixed text. Slowness is real: CLIENT PAUSE holds every command on the tests' own Redis."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from helpline import keys
from helpline.chat import answers
from helpline.content import store

CONTENT = Path(__file__).resolve().parents[2] / "data" / "content"
PAUSE_MS = 800


@pytest.fixture
async def seeded(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> Redis:
    resources, topics = store.load_seed(CONTENT)
    await store.seed_missing(redis, resources, topics)
    monkeypatch.setattr(answers, "CONTENT_DEADLINE", 0.2)
    return redis


@contextlib.asynccontextmanager
async def paused(redis: Redis) -> AsyncIterator[None]:
    """Every client's commands wait PAUSE_MS from now (this one's reply comes first); on the way
    out, the pause is waited out, so the next test finds Redis answering."""
    await redis.execute_command("CLIENT", "PAUSE", PAUSE_MS, "ALL")
    try:
        yield
    finally:
        await asyncio.sleep(PAUSE_MS / 1000)


async def test_a_paused_redis_still_gives_the_safety_message_staff_wrote(seeded: Redis) -> None:
    live_text, live_resources = await answers.crisis(seeded)
    assert live_text != answers.CRISIS_TEXT and {"childline", "shout"} <= {r["id"] for r in live_resources}
    async with paused(seeded):
        text, resources = await answers.crisis(seeded)
        assert (text, resources) == (live_text, live_resources)
        assert answers.crisis_as_last_read(seeded) == (live_text, live_resources)


async def test_without_a_copy_a_paused_redis_gives_the_fixed_numbers(seeded: Redis, redis_url: str) -> None:
    other = Redis.from_url(redis_url, decode_responses=True)
    try:
        async with paused(seeded):
            text, resources = await answers.crisis(other)  # a client that has read nothing yet
            assert (text, resources) == (answers.CRISIS_TEXT, [])
            assert "999" in text and "0800 1111" in text and "85258" in text
            assert answers.crisis_as_last_read(other) == (answers.CRISIS_TEXT, [])
    finally:
        await other.aclose()


async def test_a_topic_staff_removed_is_not_brought_back_by_a_slow_read(seeded: Redis) -> None:
    assert (await answers.for_topic(seeded, "bullying"))[1], "the seed has services for bullying"
    await seeded.hdel(keys.CONTENT_TOPICS, "bullying")
    assert await answers.for_topic(seeded, "bullying") == (answers.TOPIC_TEXT, [])
    async with paused(seeded):
        assert await answers.for_topic(seeded, "bullying") == (answers.TOPIC_TEXT, [])


async def test_an_edit_replaces_the_copy(seeded: Redis) -> None:
    await answers.for_topic(seeded, "bullying")
    edited = dict(await store.topic(seeded, "bullying"), intro="Words a member of staff changed today.")
    await seeded.hset(keys.CONTENT_TOPICS, "bullying", json.dumps(edited))
    assert (await answers.for_topic(seeded, "bullying"))[0] == "Words a member of staff changed today."
    async with paused(seeded):
        assert (await answers.for_topic(seeded, "bullying"))[0] == "Words a member of staff changed today."
