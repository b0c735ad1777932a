"""What a young person gets when parts of the service fail: a crisis is never held up behind
the bot, Redis trouble still gives the safety numbers and loses nothing acked, and a bot that
answers with nothing counts as no answer. The gateway runs in-process."""

from __future__ import annotations

import dataclasses
import subprocess
import time
from collections.abc import Iterator

import pytest
from aiohttp import web
from redis.asyncio import Redis

from helpline import embedded_redis, keys
from helpline.config import Settings
from helpline.stack import free_port

from .chat_client import ChatClient
from .conftest import gateway, serve


async def test_a_crisis_is_not_held_up_behind_messages_waiting_for_the_bot(
    settings: Settings, redis: Redis, hung_rasa: str
) -> None:
    client, url = await gateway(dataclasses.replace(settings, rasa_url=hung_rasa, rasa_deadline=3.0))
    try:
        chat, welcome = await ChatClient.open(client.session, url)
        await chat.say("hi")
        await chat.say("feeling rubbish today")
        started = time.monotonic()
        await chat.say("i took a load of pills an hour ago")
        safety = await chat.expect("bot", timeout=2)
        status = await chat.expect("status", timeout=2)
        assert time.monotonic() - started < 1.0
        assert safety["safety"] is True and status["level"] == "RED"
    finally:
        await client.close()


async def test_a_bot_that_answers_with_nothing_gets_the_safe_reply(settings: Settings, redis: Redis) -> None:
    """A stand-in for Rasa answering HTTP 200 with [], as the real one does when the action
    server is down or an action fails."""
    async def empty(request: web.Request) -> web.Response:
        return web.json_response([])

    runner, rasa_url = await serve(empty)
    client, url = await gateway(dataclasses.replace(settings, rasa_url=rasa_url))
    try:
        chat, _ = await ChatClient.open(client.session, url)
        await chat.say("im being bullied at school")
        reply = await chat.expect("bot", timeout=3)
        assert reply["fallback"] is True and "999" in reply["text"]
    finally:
        await client.close()
        await runner.cleanup()


async def test_a_closed_conversation_is_not_resumed(settings: Settings, redis: Redis) -> None:
    client, url = await gateway(settings)
    try:
        _, first = await ChatClient.open(client.session, url)
        await redis.hset(keys.conversation(first["conversation"]), "state", "closed")
        _, second = await ChatClient.open(client.session, url, resume=first["resume"])
        assert second["resumed"] is False and second["conversation"] != first["conversation"]
    finally:
        await client.close()


@pytest.fixture
def own_redis(tmp_path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A private redis-server this test may stop."""
    port = free_port()
    server = embedded_redis.start(port, tmp_path / "redis")
    yield f"redis://127.0.0.1:{port}/0", server
    server.kill()
    server.wait()


async def test_with_redis_down_a_crisis_still_gets_the_safety_numbers_and_nothing_is_acked(
    settings: Settings, own_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url_redis, server = own_redis
    client, url = await gateway(dataclasses.replace(settings, redis_url=url_redis))
    try:
        chat, _ = await ChatClient.open(client.session, url)
        server.kill()
        server.wait()
        started = time.monotonic()
        await chat.ws.send_json({"type": "message", "client_id": "red-1", "text": "im going to kill myself tonight"})
        safety = await chat.expect("bot", timeout=10)
        # The copy read at start-up: the staff's words, with every service and its number.
        phones = {r["id"]: r.get("phone") for r in safety["resources"]}
        assert safety["safety"] is True and "999" in safety["text"]
        assert phones["childline"] == "0800 1111" and {"shout", "samaritans"} <= set(phones)
        error = await chat.expect("error", timeout=10)
        assert error["code"] == "unavailable" and error["client_id"] == "red-1" and error["retry_after"] > 0
        assert time.monotonic() - started < 8
        assert not [f for f in chat.seen if f["type"] == "ack"], "nothing unstored may be acked"
        await chat.ws.send_json({"type": "ping"})
        assert (await chat.expect("pong", timeout=5))["type"] == "pong"
    finally:
        await client.close()


async def test_out_of_hours_the_young_person_is_told_plainly_and_a_crisis_is_still_queued(
    settings: Settings, redis: Redis
) -> None:
    import datetime as dt

    from helpline.content.hours import LONDON

    today = dt.datetime.now(LONDON).date().isoformat()
    client, url = await gateway(dataclasses.replace(settings, opening_hours="24/7", bank_holidays=(today,)))
    try:
        chat, welcome = await ChatClient.open(client.session, url)
        await chat.say("i took all my pills")
        safety = await chat.expect("bot", timeout=3)
        assert safety["safety"] is True
        told = await chat.expect("bot", timeout=3)
        assert told["topics"] == ["out_of_hours"] and "999" in told["text"]
        assert told["resources"] and all(r["open_now"] for r in told["resources"])
        status = await chat.expect("status", timeout=3)
        assert status["state"] == "queued" and status["on_duty"] is False and status["level"] == "RED"
        assert await redis.zrank(keys.QUEUE, welcome["conversation"]) == 0
    finally:
        await client.close()


def test_opening_hours_that_do_not_parse_stop_the_start(settings: Settings) -> None:
    from helpline.app import create_app
    from helpline.opening import OpeningError

    with pytest.raises(OpeningError):
        create_app(dataclasses.replace(settings, opening_hours="weekdays"))
    with pytest.raises(OpeningError):
        create_app(dataclasses.replace(settings, bank_holidays=("25th December",)))
