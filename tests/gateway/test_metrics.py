"""The dashboard's figures are counted as things happen, hold no text, and sum over a period."""

from __future__ import annotations

import datetime as dt

from redis.asyncio import Redis

from helpline import keys, metrics
from helpline.config import Settings

from .chat_client import ChatClient
from .conftest import gateway
from .console_client import ConsoleClient
from .test_console import frames_until

SECRET = "my name is Jamie Example and i took all my pills"


async def test_a_conversation_is_counted_from_first_message_to_outcome_without_its_words(
        settings: Settings, redis: Redis) -> None:
    client, url = await gateway(settings)
    console = await ConsoleClient.sign_in(redis, url, "jo")
    try:
        chat, _ = await ChatClient.open(client.session, url)
        await chat.say(SECRET)
        await frames_until(chat, "status", state="queued")
        conversation_id = (await console.take_next())["conversation"]
        await console.say(conversation_id, "I'm here")
        await console.do("close", conversation=conversation_id, outcome="ambulance")
        await console.expect("state", conversation=conversation_id, state="closed")
        await chat.ws.close()
    finally:
        await console.close()
        await client.close()
    day = metrics.today()
    figures = await redis.hgetall(keys.stats_day(day))
    assert {name: figures.get(name) for name in ("conversations", "messages", "risk:RED", "escalations",
                                                 "escalations:RED", "outcome:ambulance", "handler_messages")} == {
        "conversations": "1", "messages": "1", "risk:RED": "1", "escalations": "1", "escalations:RED": "1",
        "outcome:ambulance": "1", "handler_messages": "1"}
    assert int(figures["resource:childline"]) >= 1, "the safety message's services are counted as shown"
    assert len(await redis.lrange(keys.stats_waits(day), 0, -1)) == 1
    # Nothing identifying: no words of the message anywhere in the figures.
    for key in [k async for k in redis.scan_iter(match=f"{keys.PREFIX}:stats:*")]:
        stored = await redis.hgetall(key) if await redis.type(key) == "hash" else await redis.lrange(key, 0, -1)
        assert "Jamie" not in str(stored) and "pills" not in str(stored)
        assert await redis.ttl(key) == -1, "figures outlive the transcripts"


async def test_a_period_sums_the_days_and_gives_wait_percentiles(redis: Redis) -> None:
    start = dt.date(2026, 3, 1)
    for offset, (conversations, out_of_hours) in enumerate([(10, 2), (0, 0), (30, 3)]):
        day = (start + dt.timedelta(days=offset)).isoformat()
        if conversations:
            await redis.hset(keys.stats_day(day), mapping={"conversations": conversations,
                                                           "conversations_out_of_hours": out_of_hours,
                                                           "topic:bullying": offset + 1})
    await redis.rpush(keys.stats_waits("2026-03-01"), *range(1, 11))  # 1..10 seconds
    await redis.rpush(keys.stats_waits("2026-03-03"), 100)
    period = await metrics.period(redis, start, dt.date(2026, 3, 3))
    summary = period.summary()
    assert summary["conversations"] == 40 and summary["out_of_hours_share"] == 0.125
    assert summary["taken"] == 11 and summary["wait_median_s"] == 6 and summary["wait_p90_s"] == 10
    assert period.group("topic:") == [("bullying", 4)]
    assert period.per_day("conversations") == [("2026-03-01", 10), ("2026-03-02", 0), ("2026-03-03", 30)]
    empty = (await metrics.period(redis, dt.date(2025, 1, 1), dt.date(2025, 1, 31))).summary()
    assert empty["conversations"] == 0 and empty["wait_median_s"] is None and empty["out_of_hours_share"] is None


def test_percentile_is_nearest_rank() -> None:
    assert metrics.percentile([], 0.9) is None
    assert metrics.percentile([5], 0.9) == 5
    assert metrics.percentile(list(range(1, 101)), 0.9) == 90
    assert metrics.percentile([3, 1, 2], 0.5) == 2
