"""When Rasa is down or hangs, the young person still gets a safe reply within the deadline,
and nothing they wrote is lost. The gateway runs in-process against the real Redis; "Rasa
stopped" is a port where nothing listens, "Rasa hung" a real socket that accepts and never
answers."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time

from redis.asyncio import Redis

from helpline import keys
from helpline.config import Settings

from .chat_client import ChatClient
from .conftest import gateway


async def test_safe_reply_within_the_deadline_and_the_message_is_kept(
    bot_down: Settings, redis: Redis
) -> None:
    settings = bot_down
    client, url = await gateway(settings)
    try:
        chat, welcome = await ChatClient.open(client.session, url)
        started = time.monotonic()
        ack = await chat.say("hello is anyone there")  # small talk: the backstop adds nothing (test_backstop.py)
        reply = await chat.expect("bot", timeout=settings.rasa_deadline + 2)
        waited = time.monotonic() - started
        assert waited < settings.rasa_deadline + 1.0, waited
        assert reply["fallback"] is True
        assert "999" in reply["text"]
        ids = [r["id"] for r in reply["resources"]]
        assert "childline" in ids and all(r["open_now"] for r in reply["resources"])
        entries = await redis.xrange(keys.messages(welcome["conversation"]))
        assert [(f["role"], f.get("kind", "")) for _, f in entries] == [
            ("bot", ""), ("young_person", ""), ("bot", "fallback")]
        assert entries[1][0] == ack["id"] and entries[1][1]["text"] == "hello is anyone there"
        async with client.session.get(client.make_url("/readyz")) as resp:
            assert resp.status == 503 and (await resp.json())["rasa"] is False
    finally:
        await client.close()


async def test_without_any_content_the_safe_reply_still_gives_the_numbers(settings: Settings, redis: Redis) -> None:
    client, url = await gateway(settings)
    try:
        await redis.delete(keys.CONTENT_TOPICS)  # as if staff had removed everything
        chat, _ = await ChatClient.open(client.session, url)
        await chat.say("hello?")
        reply = await chat.expect("bot", timeout=settings.rasa_deadline + 2)
        assert reply["fallback"] and "999" in reply["text"] and "0800 1111" in reply["text"]
    finally:
        await client.close()


async def test_answers_are_stored_even_if_the_young_person_leaves_before_they_come(
    settings: Settings, redis: Redis
) -> None:
    client, url = await gateway(settings)
    try:
        chat, welcome = await ChatClient.open(client.session, url)
        await chat.say("are you there")
        await chat.ws.close()
        async with asyncio.timeout(settings.rasa_deadline + 3):
            while len(await redis.xrange(keys.messages(welcome["conversation"]))) < 3:
                await asyncio.sleep(0.1)
    finally:
        await client.close()


async def test_a_crisis_reaches_the_queue_and_gets_the_safety_message_without_the_bot(
    bot_down: Settings, redis: Redis
) -> None:
    settings = bot_down
    client, url = await gateway(settings)
    try:
        chat, welcome = await ChatClient.open(client.session, url)
        started = time.monotonic()
        await chat.say("i took all my pills 10 mins ago")
        safety = await chat.expect("bot", timeout=2)
        status = await chat.expect("status", timeout=2)
        assert time.monotonic() - started < 1.0, "the safety message must not wait for the bot"
        assert safety["safety"] is True and "999" in safety["text"]
        assert "emergency-999" in [r["id"] for r in safety["resources"]]
        assert status == {"type": "status", "state": "queued", "position": 1, "level": "RED", "on_duty": True, "wait_minutes": None}
        assert await redis.zrange(keys.QUEUE, 0, -1) == [welcome["conversation"]]
        stored = await redis.xrange(keys.messages(welcome["conversation"]))
        screening = json.loads(stored[1][1]["screening"])
        assert stored[1][1]["risk"] == "RED" and screening[0]["category"] == "overdose"
    finally:
        await client.close()


async def test_an_answer_stored_after_a_reconnect_reaches_the_new_connection(settings: Settings, hung_rasa: str,
                                                                             redis: Redis) -> None:
    """The page reconnects while the old connection still waits for the bot: the answer (here
    the safe reply, Rasa being hung) is stored by the old one and sent on the new one."""
    settings = dataclasses.replace(settings, rasa_url=hung_rasa)
    client, url = await gateway(settings)
    try:
        chat, welcome = await ChatClient.open(client.session, url)
        await chat.say("hello is anyone there")
        await chat.ws.close()  # gone before the bot's deadline
        again, resumed = await ChatClient.open(client.session, url, resume=welcome["resume"])
        assert resumed["resumed"]
        answer = await again.expect("bot", timeout=settings.rasa_deadline + 5)
        assert answer["fallback"] is True
        await again.ws.close()
    finally:
        await client.close()
