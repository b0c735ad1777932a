"""Conversation state in the real Redis: create, resume, store once, expire, queue."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from helpline import keys
from helpline.console.views_model import add_note
from helpline.conversations import ConversationGone, ConversationStore, Message


def young(text: str, client_id: str) -> Message:
    return Message(id="", role="young_person", text=text, client_id=client_id)


async def test_a_message_is_stored_once_even_when_retried(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=3600)
    conversation_id, _ = await store.create()
    first, duplicate, _ = await store.append(conversation_id, young("hello", "c1"))
    assert not duplicate
    again, duplicate, _ = await store.append(conversation_id, young("hello", "c1"))
    assert duplicate and again == first
    history = await store.history(conversation_id)
    assert [(m.role, m.text, m.client_id) for m in history] == [("young_person", "hello", "c1")]


async def test_concurrent_retries_store_one_copy(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=3600)
    conversation_id, _ = await store.create()
    results = await asyncio.gather(*(store.append(conversation_id, young("hi", "same")) for _ in range(20)))
    assert len({stream_id for stream_id, _, _ in results}) == 1
    assert sum(not duplicate for _, duplicate, _ in results) == 1
    assert len(await store.history(conversation_id)) == 1


async def test_every_conversation_key_has_the_retention_ttl(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=1234)
    conversation_id, token = await store.create()
    await store.append(conversation_id, young("hi", "c1"))
    await add_note(redis, conversation_id, "jo", "a handler's note", ttl=1234)
    present = [key for key in keys.conversation_keys(conversation_id) if await redis.exists(key)]
    assert keys.notes(conversation_id) in present and len(present) >= 4
    for key in present:  # the delivered set is written (with the TTL) by the young person's connection
        assert 1200 < await redis.ttl(key) <= 1234, key
    resume_keys = [key async for key in redis.scan_iter(match=f"{keys.PREFIX}:resume:*")]
    assert len(resume_keys) == 1 and 1200 < await redis.ttl(resume_keys[0]) <= 1234
    assert token not in resume_keys[0], "the resume token itself is never stored"


async def test_resume_finds_the_conversation_and_history(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=3600)
    conversation_id, token = await store.create()
    await store.append(conversation_id, young("first", "a"))
    await store.append(conversation_id, Message(id="", role="bot", text="answer", resources=[{"id": "childline"}]))
    assert await store.resume(token) == conversation_id
    assert await store.resume("x" * 43) is None
    history = await store.history(conversation_id)
    assert [m.text for m in history] == ["first", "answer"]
    assert history[1].resources == [{"id": "childline"}]


async def test_an_expired_conversation_cannot_take_messages(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=3600)
    conversation_id, token = await store.create()
    await redis.delete(*keys.conversation_keys(conversation_id))
    assert await store.resume(token) is None
    with pytest.raises(ConversationGone):
        await store.append(conversation_id, young("anyone?", "c1"))


async def test_queue_orders_by_risk_then_waiting_time(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=3600)
    green_early, _ = await store.create()
    amber, _ = await store.create()
    green_late, _ = await store.create()
    red, _ = await store.create()
    for conversation_id, risk in [(green_early, "GREEN"), (amber, "AMBER"), (green_late, "GREEN"), (red, "RED")]:
        assert await store.enqueue(conversation_id, risk, "asked") == "queued"
        await asyncio.sleep(0.002)
    assert await redis.zrange(keys.QUEUE, 0, -1) == [red, amber, green_early, green_late]
    assert await store.queue_position(red) == 1
    assert await store.queue_position(green_late) == 4
    # Asking again keeps the place; a higher risk moves it up, never down.
    assert await store.enqueue(green_late, "GREEN", "asked") == "queued"
    assert await store.queue_position(green_late) == 4
    await store.enqueue(green_late, "RED", "screen")
    assert await store.queue_position(green_late) == 2
    info = await store.info(green_late)
    assert info["state"] == "queued"


async def test_history_keeps_the_newest_messages_when_limited(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=3600)
    conversation_id, _ = await store.create()
    for i in range(5):
        await store.append(conversation_id, young(f"message {i}", f"c{i}"))
    assert [m.text for m in await store.history(conversation_id, limit=2)] == ["message 3", "message 4"]


async def test_a_red_message_is_stored_and_queued_in_one_step(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=3600)
    waiting, _ = await store.create()
    await store.enqueue(waiting, "AMBER", "asked")
    conversation_id, _ = await store.create()
    message = Message(id="", role="young_person", text="...", client_id="r1", risk="RED")
    stream_id, duplicate, state = await store.append(conversation_id, message, escalate="screen:overdose")
    assert stream_id and not duplicate and state == "queued"
    assert await store.queue_position(conversation_id) == 1
    info = await store.info(conversation_id)
    assert info["risk"] == "RED" and info["queue_reason"] == "screen:overdose"
    # A retry of the same message changes nothing.
    assert await store.append(conversation_id, message, escalate="screen:overdose") == (stream_id, True, "queued")
    assert await redis.zcard(keys.QUEUE) == 2


async def test_risk_rises_for_a_conversation_with_a_handler(redis: Redis) -> None:
    store = ConversationStore(redis, retention_seconds=3600)
    conversation_id, _ = await store.create()
    await redis.hset(keys.conversation(conversation_id), mapping={"state": "with_handler", "risk": "GREEN"})
    assert await store.enqueue(conversation_id, "RED", "screen") == "with_handler"
    assert (await store.info(conversation_id))["risk"] == "RED"
    assert await store.queue_position(conversation_id) is None
