"""The call handlers' console over its WebSocket, with the real gateway and the real Redis:
who may open it, the live queue, take, chat both ways with the bot silent, notes, hand back,
close, the grace period, and two gateway processes sharing one Redis.

Rasa is not running in these tests (the settings point it nowhere): a message the bot is asked
about gets the safe reply, so a bot that stays silent is seen to stay silent."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import aiohttp
import pytest
from redis.asyncio import Redis

from helpline import keys
from helpline.config import Settings
from helpline.stack import free_port

from .chat_client import ChatClient
from .conftest import gateway
from .console_client import ConsoleClient, add_staff

RED_TEXT = "i took all my pills, call me on 07700 900123"


async def frames_until(chat: ChatClient, kind: str, timeout: float = 10.0, **match: object) -> list[dict]:
    """Every frame up to and including the first of this kind (with these fields)."""
    seen = []
    async with asyncio.timeout(timeout):
        while True:
            frame = await chat.frame(timeout)
            seen.append(frame)
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return seen


async def test_only_signed_in_handlers_from_this_site_open_the_console(settings: Settings, redis: Redis) -> None:
    client, url = await gateway(settings)
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as anonymous:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await anonymous.ws_connect(f"{url}/console/ws", headers={"Origin": url})
            assert refused.value.status == 401
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as editor:
            await add_staff(redis, url, editor, "ed", "editor")
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await editor.ws_connect(f"{url}/console/ws", headers={"Origin": url})
            assert refused.value.status == 403
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as handler:
            await add_staff(redis, url, handler, "jo", "handler")
            for origin in (None, "https://evil.example"):  # the cookie alone is not enough
                headers = {"Origin": origin} if origin else {}
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await handler.ws_connect(f"{url}/console/ws", headers=headers)
                assert refused.value.status == 403
            console = await ConsoleClient.connect(handler, url)
            assert console.hello["name"] == "jo" and console.hello["limit"] == settings.handler_limit
            assert {o["id"] for o in console.hello["outcomes"]} >= {"advice", "front_door", "police", "left"}
            assert any(c["id"] == "are-you-safe" for c in console.hello["canned"])
            for bad, code in (("not json", "bad_json"), ('{"type": "take", "conversation": "x"}', "bad_field"),
                              ('{"type": "take_next", "extra": 1}', "unknown_field"), ('{"type": "drop"}', "unknown_type"),
                              ('{"type": "view", "conversation": "' + "a" * 32 + '"}', "forbidden")):
                await console.ws.send_str(bad)
                assert (await console.expect("error"))["code"] == code
            await console.do("ping")
            await console.expect("pong")  # still open after every refusal
            await console.ws.close()
    finally:
        await client.close()


async def test_a_red_reaches_the_console_is_taken_and_the_two_talk_with_the_bot_silent(
        settings: Settings, redis: Redis) -> None:
    client, url = await gateway(settings)
    console = await ConsoleClient.sign_in(redis, url, "jo")
    try:
        await console.expect("queue", items=[])
        chat, _ = await ChatClient.open(client.session, url)
        await chat.say(RED_TEXT)
        await frames_until(chat, "status", state="queued")
        queue = await console.queue_with((await redis.zrange(keys.QUEUE, 0, 0))[0])
        item = queue["items"][0]
        assert item["level"] == "RED" and item["phrases"] and item["categories"]
        assert "took all my pills" in item["preview"] and "07700" not in item["preview"], "the preview is redacted"

        opened = await console.take_next()
        conversation_id = opened["conversation"]
        assert opened["mine"] and opened["state"] == "with_handler"
        said = [i for i in opened["transcript"] if i["role"] == "young_person"]
        assert said[0]["text"] == RED_TEXT and said[0]["risk"] == "RED" and said[0]["phrases"]
        assert any(i["role"] == "bot" for i in opened["transcript"]), "the bot's part is in the story"
        audit = [f for _, f in await redis.xrange(keys.AUDIT)]
        assert any(f["kind"] == "transcript_view" and f["who"] == "jo" and f["conversation"] == conversation_id
                   for f in audit), "every transcript opened is in the audit log"

        seen = await frames_until(chat, "status", state="with_handler")
        assert any(f["type"] == "system" and f["event"] == "joined" for f in seen)

        ack = await console.say(conversation_id, "Hi, I'm here with you. Are you safe right now?")
        reply = await chat.expect("handler")
        assert reply == {"type": "handler", "id": ack["id"], "text": "Hi, I'm here with you. Are you safe right now?"}
        assert (await console.expect("delivered"))["id"] == ack["id"]

        await console.do("typing", conversation=conversation_id)
        assert (await chat.expect("typing"))["who"] == "handler"
        await chat.ws.send_json({"type": "typing"})
        await console.expect("typing", conversation=conversation_id, who="young_person")

        await chat.say("no im in my room", client_id="yp-2")
        message = await console.expect("message", conversation=conversation_id)
        while message["item"]["role"] != "young_person":
            message = await console.expect("message", conversation=conversation_id)
        assert message["item"]["text"] == "no im in my room"
        # The bot is silent: with Rasa down it would have sent its safe reply within the deadline.
        with pytest.raises(TimeoutError):
            await chat.expect("bot", timeout=settings.rasa_deadline + 1.5)

        await console.do("note", conversation=conversation_id, text="Says she is in her room; took pills at 9.")
        note = await console.expect("note", conversation=conversation_id)
        assert note["item"]["author"] == "jo"
        assert all("pills at 9" not in str(f) for f in chat.seen), "notes are never shown to the young person"

        await console.do("hand_back", conversation=conversation_id)
        state = await console.expect("state", conversation=conversation_id)
        assert state["state"] == "bot"
        seen = await frames_until(chat, "status", state="bot")
        assert any(f["type"] == "system" and f["event"] == "handed_back" for f in seen)
        await chat.say("ok thanks", client_id="yp-3")
        await chat.expect("bot", timeout=settings.rasa_deadline + 3)  # the bot answers again
        await chat.ws.close()
    finally:
        await console.close()
        await client.close()


async def test_close_with_an_outcome_ends_the_chat_for_the_young_person(settings: Settings, redis: Redis) -> None:
    client, url = await gateway(settings)
    console = await ConsoleClient.sign_in(redis, url, "sam", role="supervisor")
    try:
        chat, _ = await ChatClient.open(client.session, url)
        await chat.say("my stepdad hits me and i have bruises")
        await frames_until(chat, "status", state="queued")
        conversation_id = (await console.take_next())["conversation"]
        await console.do("close", conversation=conversation_id, outcome="nonsense")
        assert (await console.expect("error"))["code"] == "bad_outcome"
        await console.do("close", conversation=conversation_id, outcome="front_door")
        assert (await console.expect("state", conversation=conversation_id))["outcome"] == "front_door"
        seen = await frames_until(chat, "status", state="closed")
        assert any(f["type"] == "system" and f["event"] == "closed" for f in seen)
        await chat.ws.send_json({"type": "message", "client_id": "late", "text": "hello?"})
        assert (await chat.expect("error"))["code"] == "closed"
        audit = [f for _, f in await redis.xrange(keys.AUDIT)]
        assert any(f["kind"] == "closed" and f["outcome"] == "front_door" and f["who"] == "sam" for f in audit)
        # A resume of a closed conversation starts afresh.
        await chat.ws.close()
    finally:
        await console.close()
        await client.close()


async def test_a_handler_whose_connection_drops_does_not_strand_the_young_person(
        settings: Settings, redis: Redis) -> None:
    settings = dataclasses.replace(settings, handler_grace_seconds=1.0)
    client, url = await gateway(settings)
    console = await ConsoleClient.sign_in(redis, url, "jo")
    try:
        chat, _ = await ChatClient.open(client.session, url)
        await chat.say("i took all my pills")
        await frames_until(chat, "status", state="queued")
        conversation_id = (await console.take_next())["conversation"]
        await frames_until(chat, "status", state="with_handler")
        await console.ws.close()  # the handler's connection is lost
        seen = await frames_until(chat, "status", timeout=8, state="queued")
        assert any(f["type"] == "system" and f["event"] == "requeued" for f in seen)
        assert seen[-1]["level"] == "RED" and seen[-1]["position"] == 1
        assert await redis.zrange(keys.QUEUE, 0, -1) == [conversation_id]
        # Back with its priority: the next handler gets it first.
        other = await ConsoleClient.sign_in(redis, url, "kim")
        assert (await other.take_next())["conversation"] == conversation_id
        await other.close()
        await chat.ws.close()
    finally:
        await console.session.close()
        await client.close()


# --- two gateway processes, one Redis --------------------------------------------------------
def wait_ready(url: str, deadline: float = 30.0) -> None:
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gateway at {url} did not start")


@pytest.fixture
def two_gateways(redis_url: str, tmp_path) -> Iterator[tuple[str, str]]:
    """Two real gateway processes (`helpline serve`) sharing the private Redis."""
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        env = {**os.environ, "REDIS_URL": redis_url, "HELPLINE_PORT": str(port),
               "RASA_URL": f"http://127.0.0.1:{free_port()}", "RASA_DEADLINE_SECONDS": "1",
               "HELPLINE_VAR_DIR": str(tmp_path), "LOG_LEVEL": "WARNING"}
        processes.append(subprocess.Popen([sys.executable, "-m", "helpline", "serve"], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_ready(url)
        yield urls[0], urls[1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


async def test_a_young_person_on_one_process_and_a_handler_on_another_talk(
        two_gateways: tuple[str, str], redis: Redis) -> None:
    young_url, console_url = two_gateways
    console = await ConsoleClient.sign_in(redis, console_url, "jo")
    async with aiohttp.ClientSession() as session:
        chat, _ = await ChatClient.open(session, young_url)
        await chat.say("im going to kill myself tonight i have the rope ready")
        queued = await frames_until(chat, "status", state="queued")
        assert queued[-1]["level"] == "RED"
        conversation_id = (await redis.zrange(keys.QUEUE, 0, 0))[0]
        await console.queue_with(conversation_id)
        opened = await console.take_next()
        assert opened["conversation"] == conversation_id
        await frames_until(chat, "status", state="with_handler")
        ack = await console.say(conversation_id, "I'm here. Can you move away from the rope for me?")
        assert (await chat.expect("handler"))["id"] == ack["id"]
        await chat.say("ok i have", client_id="yp-2")
        message = await console.expect("message", conversation=conversation_id)
        while message["item"]["role"] != "young_person":
            message = await console.expect("message", conversation=conversation_id)
        assert message["item"]["text"] == "ok i have"
        # The queue is one queue: a second young person on the console's process is seen on both.
        other, _ = await ChatClient.open(session, console_url)
        await other.say("my dad hit me again last night")
        await frames_until(other, "status", state="queued")
        queue = await console.expect("queue")
        while not queue["items"]:
            queue = await console.expect("queue")
        assert queue["items"][0]["level"] == "AMBER"
        await chat.ws.close()
        await other.ws.close()
    await console.close()


async def test_an_open_console_closes_when_its_sign_in_ends(settings: Settings, redis: Redis, monkeypatch) -> None:
    from helpline.console import socket as console_socket
    from helpline.staff.accounts import AccountStore

    monkeypatch.setattr(console_socket, "SESSION_CHECK_SECONDS", 0.3)
    client, url = await gateway(settings)
    console = await ConsoleClient.sign_in(redis, url, "jo")
    try:
        await AccountStore(redis).disable("jo")  # a supervisor disables the account
        async with asyncio.timeout(5):
            while (msg := await console.ws.receive()).type != aiohttp.WSMsgType.CLOSE:
                pass
        assert msg.data == console_socket.SESSION_ENDED
    finally:
        await console.close()
        await client.close()


async def test_what_a_console_shows_is_checked_against_redis_when_events_are_lost(
        settings: Settings, redis: Redis) -> None:
    """Pub/sub delivers at most once: with every subscription cut, a transfer's event is lost,
    and the consoles still end up showing who holds what (they reconcile with the keys)."""
    settings = dataclasses.replace(settings, handler_grace_seconds=1.5)
    client, url = await gateway(settings)
    alice = await ConsoleClient.sign_in(redis, url, "alice")
    bob = await ConsoleClient.sign_in(redis, url, "bob")
    try:
        chat, _ = await ChatClient.open(client.session, url)
        await chat.say("i took all my pills")
        await frames_until(chat, "status", state="queued")
        conversation_id = (await alice.take_next())["conversation"]
        await redis.execute_command("CLIENT", "KILL", "TYPE", "pubsub")  # every event hub loses its subscription
        await alice.do("transfer", conversation=conversation_id, to="bob")
        opened = await bob.expect("conversation", timeout=10, conversation=conversation_id)
        assert opened["mine"]
        await alice.expect("state", timeout=10, conversation=conversation_id, handler="bob")
        await chat.ws.close()
    finally:
        await alice.close()
        await bob.close()
        await client.close()


async def test_a_held_conversation_that_expired_does_not_lock_the_console(settings: Settings, redis: Redis) -> None:
    client, url = await gateway(settings)
    console = await ConsoleClient.sign_in(redis, url, "jo")
    try:
        first, _ = await ChatClient.open(client.session, url)
        await first.say("i took all my pills")
        second, _ = await ChatClient.open(client.session, url)
        await second.say("my dad hits me with his belt")
        gone = (await console.take_next())["conversation"]
        live = (await console.take_next())["conversation"]
        await console.ws.close()
        await redis.delete(*keys.conversation_keys(gone))  # expired while held
        again = await ConsoleClient.connect(console.session, url)
        opened = await again.expect("conversation")
        assert opened["conversation"] == live
        await again.do("ping")
        await again.expect("pong")  # still open, answering
        assert await redis.smembers(keys.held_by("jo")) == {live}, "the expired one no longer counts"
        await again.ws.close()
    finally:
        await console.session.close()
        await client.close()
