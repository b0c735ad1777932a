"""The real stack (embedded Redis, trained Rasa, action server, gateway), started once.

A young person says hello, writes, gets an ack and the bot's answer; comes back with the resume
token and gets the history; sends bad frames and stays connected.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import aiohttp
import pytest
from redis.asyncio import Redis

from helpline import keys
from helpline.conversations import queue_score
from helpline.stack import Stack

from .chat_client import ChatClient
from .console_client import ConsoleClient, add_staff


@pytest.fixture
async def http() -> aiohttp.ClientSession:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_hello_message_ack_and_a_signposting_answer(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    chat, welcome = await ChatClient.open(http, live_stack.gateway_url)
    assert welcome["v"] == 1 and not welcome["resumed"] and welcome["resume"]
    assert welcome["history"][0]["role"] == "bot" and "999" in welcome["history"][0]["text"]
    assert (await chat.expect("status"))["state"] == "bot"

    ack = await chat.say("people at school keep picking on me and calling me names")
    assert ack["id"] and ack["duplicate"] is False
    answer = await chat.expect("bot")
    assert answer["fallback"] is False
    ids = [r["id"] for r in answer["resources"]]
    assert ids and "childline" in ids
    assert all({"id", "name", "description", "open_now"} <= set(r) for r in answer["resources"])

    # The message and the answer are both in Redis, in order.
    redis = Redis.from_url(live_stack.redis_url, decode_responses=True)
    try:
        entries = await redis.xrange(keys.messages(welcome["conversation"]))
    finally:
        await redis.aclose()
    assert [fields["role"] for _, fields in entries] == ["bot", "young_person", "bot"]
    assert entries[1][0] == ack["id"]


async def test_a_retry_with_the_same_client_id_is_stored_once(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    chat, _ = await ChatClient.open(http, live_stack.gateway_url)
    first = await chat.say("hello", client_id="retry-1")
    again = await chat.say("hello", client_id="retry-1")
    assert again["id"] == first["id"] and again["duplicate"] is True


async def test_resume_after_a_dropped_connection_brings_back_the_history(
    live_stack: Stack, http: aiohttp.ClientSession
) -> None:
    chat, welcome = await ChatClient.open(http, live_stack.gateway_url)
    await chat.say("i feel really low all the time")
    answer = await chat.expect("bot")
    await chat.ws.close()

    again, resumed = await ChatClient.open(http, live_stack.gateway_url, resume=welcome["resume"])
    assert resumed["resumed"] is True and resumed["conversation"] == welcome["conversation"]
    history = resumed["history"]
    assert [item["role"] for item in history] == ["bot", "young_person", "bot"]
    assert history[1]["text"] == "i feel really low all the time"
    assert history[2]["id"] == answer["id"] and history[2]["resources"] == answer["resources"]
    await again.ws.close()


async def test_an_unknown_resume_token_starts_a_new_conversation(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    _, welcome = await ChatClient.open(http, live_stack.gateway_url, resume="x" * 43)
    assert welcome["resumed"] is False and welcome["resume"] != "x" * 43
    assert len(welcome["history"]) == 1


async def test_asking_for_a_person_queues_the_conversation(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    chat, welcome = await ChatClient.open(http, live_stack.gateway_url)
    await chat.say("can i talk to a real person please")
    answer = await chat.expect("bot")
    assert answer["text"]
    status = await chat.expect("status")
    assert status["state"] == "queued" and status["position"] >= 1


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("", "empty"),
        ("{not json", "bad_json"),
        (json.dumps({"type": "dance"}), "unknown_type"),
        (json.dumps({"type": "message", "client_id": "c1", "text": "hi", "name": "Sam"}), "unknown_field"),
        (json.dumps({"type": "message", "client_id": "c1", "text": "   "}), "empty"),
        (json.dumps({"type": "message", "client_id": "c1", "text": "x" * 2001}), "too_large"),
        ("x" * 20_000, "too_large"),
        (json.dumps({"type": "hello", "v": 1}), "already_started"),
    ],
)
async def test_bad_frames_get_an_error_and_the_connection_stays_usable(
    live_stack: Stack, http: aiohttp.ClientSession, frame: str, code: str
) -> None:
    chat, _ = await ChatClient.open(http, live_stack.gateway_url)
    await chat.ws.send_str(frame)
    error = await chat.expect("error")
    assert error["code"] == code and error["message"]
    ack = await chat.say("still here?")
    assert ack["duplicate"] is False


async def test_binary_frames_and_messages_before_hello_are_refused_politely(
    live_stack: Stack, http: aiohttp.ClientSession
) -> None:
    ws = await http.ws_connect(f"{live_stack.gateway_url}/chat/ws")
    await ws.send_json({"type": "message", "client_id": "early", "text": "hi"})
    assert (await ws.receive_json(timeout=5))["code"] == "hello_first"
    await ws.send_bytes(b"\x00\xff\x10")
    assert (await ws.receive_json(timeout=5))["code"] == "binary"
    await ws.send_json({"type": "ping"})
    assert (await ws.receive_json(timeout=5))["type"] == "pong"
    await ws.close()


async def test_a_flood_is_limited_and_nothing_acked_is_lost(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    chat, welcome = await ChatClient.open(http, live_stack.gateway_url)
    sent = [uuid.uuid4().hex for _ in range(40)]
    for client_id in sent:
        # One plain text: random ids as text can read as anything to a classifier ("flood" itself
        # reads close to "blood"), and a RED one would stay queued ahead of later tests' crises.
        await chat.ws.send_json({"type": "message", "client_id": client_id, "text": "is this thing on"})
    acked, limited = set(), set()
    async with asyncio.timeout(30):
        while len(acked) + len(limited) < len(sent):
            frame = await chat.frame()
            if frame["type"] == "ack":
                acked.add(frame["client_id"])
            elif frame["type"] == "error":
                assert frame["code"] == "rate_limited" and frame["retry_after"] > 0
                limited.add(frame["client_id"])
    assert acked and limited and acked | limited == set(sent)
    redis = Redis.from_url(live_stack.redis_url, decode_responses=True)
    try:
        stored = {f.get("client_id") for _, f in await redis.xrange(keys.messages(welcome["conversation"]))}
    finally:
        await redis.aclose()
    assert acked <= stored and not (limited & stored)
    await chat.ws.close()


async def test_two_young_people_have_separate_conversations(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    (one, first), (two, second) = await asyncio.gather(
        ChatClient.open(http, live_stack.gateway_url), ChatClient.open(http, live_stack.gateway_url))
    assert first["conversation"] != second["conversation"]
    await asyncio.gather(one.say("my exams are stressing me out"), two.say("i feel so lonely"))
    answers = await asyncio.gather(one.expect("bot"), two.expect("bot"))
    assert all(a["resources"] for a in answers)
    assert answers[0]["text"] != answers[1]["text"]


async def test_a_page_from_another_site_cannot_open_the_chat(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(f"{live_stack.gateway_url}/chat/ws", origin="https://evil.example")
    assert refused.value.status == 403
    ws = await http.ws_connect(f"{live_stack.gateway_url}/chat/ws", origin=live_stack.gateway_url)
    await ws.close()


async def test_health_and_readiness(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{live_stack.gateway_url}/healthz") as resp:
        assert resp.status == 200 and (await resp.json())["status"] == "ok"
    async with http.get(f"{live_stack.gateway_url}/readyz") as resp:
        assert resp.status == 200 and await resp.json() == {"status": "ready", "redis": True, "rasa": True}


async def test_the_chat_page_loads_nothing_from_elsewhere(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{live_stack.gateway_url}/") as resp:
        assert resp.status == 200
        csp = resp.headers["Content-Security-Policy"]
        page = await resp.text()
        assert resp.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    # Every script, style sheet and image the page loads is its own.
    loaded = re.findall(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]*)"', page)
    assert loaded and all(url.startswith("/static/") for url in loaded), loaded
    assert "<script>" not in page and "style=" not in page


async def test_a_crisis_gets_the_safety_message_and_the_queue_at_once(
    live_stack: Stack, http: aiohttp.ClientSession
) -> None:
    waiting = await reds_waiting(live_stack.redis_url)
    chat, welcome = await ChatClient.open(http, live_stack.gateway_url)
    await chat.say("im going to kill myself tonight")
    safety = await chat.expect("bot")
    assert safety["safety"] is True and safety["topics"] == ["crisis"]
    assert {"emergency-999", "childline", "shout", "samaritans"} <= {r["id"] for r in safety["resources"]}
    status = await chat.expect("status")
    # Ahead of everyone but the REDs already waiting, which this shared stack names if any.
    assert status["state"] == "queued" and status["level"] == "RED"
    assert status["position"] == len(waiting) + 1, f"REDs left queued by earlier tests: {waiting}"


async def reds_waiting(redis_url: str) -> dict[str, list[str]]:
    """Conversations queued RED on the shared stack before a test, each with what the young
    person wrote: an earlier test that leaves one behind is then named, not guessed at."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        ids = await redis.zrangebyscore(keys.QUEUE, "-inf", f"({queue_score('AMBER', 0)}")
        return {conversation_id: [fields.get("text", "") for _, fields in
                                  await redis.xrange(keys.messages(conversation_id))
                                  if fields.get("role") == "young_person"]
                for conversation_id in ids}
    finally:
        await redis.aclose()


async def test_danger_now_gets_the_safety_message_then_help_for_what_it_is_about(
    live_stack: Stack, http: aiohttp.ClientSession
) -> None:
    chat, _ = await ChatClient.open(http, live_stack.gateway_url)
    await chat.say("my dad is hitting me right now")
    safety = await chat.expect("bot")
    assert safety["safety"] is True and safety["topics"] == ["crisis"]
    concern = await chat.expect("bot")  # after the real bot's reading (hurt_now: the crisis again, not repeated)
    assert concern["topics"] == ["abuse"] and not concern.get("safety")
    assert "wirral-front-door" in [r["id"] for r in concern["resources"]]


async def test_a_safeguarding_concern_is_signposted_and_queued_as_amber(
    live_stack: Stack, http: aiohttp.ClientSession
) -> None:
    chat, _ = await ChatClient.open(http, live_stack.gateway_url)
    await chat.say("someone i met online keeps asking me to send nudes and says hell tell everyone if i dont")
    answer = await chat.expect("bot")  # queued first (the screen), then the bot's signposting
    frames = chat.seen
    assert answer["topics"] == ["online_safety"]
    assert "ceop" in [r["id"] for r in answer["resources"]]
    levels = {f.get("level") for f in frames if f["type"] == "status" and f["state"] == "queued"}
    assert levels == {"AMBER"}


async def test_rasa_never_sees_contact_details(live_stack: Stack, http: aiohttp.ClientSession) -> None:
    chat, welcome = await ChatClient.open(http, live_stack.gateway_url)
    await chat.say("my mum and dad argue all the time, text me on 07700 900123 or sam.smith@example.com")
    await chat.expect("bot")
    redis = Redis.from_url(live_stack.redis_url, decode_responses=True)
    try:
        tracker = await redis.get(f"{keys.RASA_KEY_PREFIX}:tracker:{welcome['conversation']}")
        transcript = await redis.xrange(keys.messages(welcome["conversation"]))
    finally:
        await redis.aclose()
    assert tracker and "[PHONE]" in tracker and "[EMAIL]" in tracker
    assert "07700" not in tracker and "example.com" not in tracker
    assert "07700 900123" in transcript[1][1]["text"], "the full text stays in the transcript"


async def test_a_content_change_in_redis_shows_in_the_next_answer_without_a_restart(
    live_stack: Stack, http: aiohttp.ClientSession
) -> None:
    redis = Redis.from_url(live_stack.redis_url, decode_responses=True)
    try:
        raw = await redis.get(keys.content_resource("childline"))
        original = json.loads(raw)
        await redis.set(keys.content_resource("childline"), json.dumps({**original, "phone": "0800 2222"}))
        chat, _ = await ChatClient.open(http, live_stack.gateway_url)
        await chat.say("people at school keep picking on me and calling me names")
        answer = await chat.expect("bot")
        childline = next(r for r in answer["resources"] if r["id"] == "childline")
        assert childline["phone"] == "0800 2222"
    finally:
        await redis.set(keys.content_resource("childline"), raw)
        await redis.aclose()


async def test_a_red_reaches_a_handler_who_chats_hands_back_and_closes(live_stack: Stack,
                                                                        http: aiohttp.ClientSession) -> None:
    """Over the whole real stack: the screen queues a RED, a handler takes it from the console,
    the two talk (the bot silent), the handler hands back (the real bot answers again), and the
    conversation, escalated again, is closed with an outcome."""
    url = live_stack.gateway_url
    redis = Redis.from_url(live_stack.redis_url, decode_responses=True)
    console = await ConsoleClient.sign_in(redis, url, f"e2e-{uuid.uuid4().hex[:8]}")
    try:
        chat, welcome = await ChatClient.open(http, url)
        conversation_id = welcome["conversation"]
        await chat.say("i want to die, i have saved up tablets and im taking them tonight")
        assert (await chat.expect("bot"))["safety"] is True
        await console.queue_with(conversation_id)
        await console.do("take", conversation=conversation_id)
        opened = await console.expect("conversation", conversation=conversation_id)
        assert opened["mine"] and opened["level"] == "RED"

        ack = await console.say(conversation_id, "I'm a person from the helpline. I'm here. Where are the tablets now?")
        assert (await chat.expect("handler"))["id"] == ack["id"]
        await chat.say("in my drawer", client_id="e2e-2")
        item = (await console.expect("message", conversation=conversation_id))["item"]
        while item["role"] != "young_person":
            item = (await console.expect("message", conversation=conversation_id))["item"]
        assert item["text"] == "in my drawer"
        history = [fields["role"] for _, fields in await redis.xrange(keys.messages(conversation_id))]
        assert history[-2:] == ["handler", "young_person"], "no bot message while a person holds it"

        await console.do("hand_back", conversation=conversation_id)
        await console.expect("state", conversation=conversation_id, state="bot")
        await chat.say("thanks, can you tell me about kooth", client_id="e2e-3")
        answer = await chat.expect("bot")
        assert not answer["fallback"], "the real bot answers again after the hand-back"

        await chat.say("actually can i talk to a real person again", client_id="e2e-4")
        await console.queue_with(conversation_id)
        await console.do("take", conversation=conversation_id)
        await console.expect("conversation", conversation=conversation_id)
        await console.do("close", conversation=conversation_id, outcome="signposted")
        closed = await console.expect("state", conversation=conversation_id, state="closed")
        assert closed["outcome"] == "signposted"
        status = await chat.expect("status")
        while status["state"] != "closed":
            status = await chat.expect("status")
        info = await redis.hgetall(keys.conversation(conversation_id))
        assert info["state"] == "closed" and info["outcome"] == "signposted"
        await chat.ws.close()
    finally:
        await console.close()
        await redis.aclose()


async def test_an_editor_changes_a_number_and_the_bot_s_next_answer_shows_it(live_stack: Stack,
                                                                             http: aiohttp.ClientSession) -> None:
    """Through the editor's API on the running stack: the action server (another process, Rasa's
    actions) reads the live content at answer time, so no restart and no retraining."""
    url = live_stack.gateway_url
    redis = Redis.from_url(live_stack.redis_url, decode_responses=True)
    editor = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    await add_staff(redis, url, editor, f"editor-{uuid.uuid4().hex[:8]}", "editor")
    async with editor.get(f"{url}/admin/api/session") as resp:
        csrf = (await resp.json())["csrf"]
    async with editor.get(f"{url}/admin/api/resources/childline") as resp:
        before = (await resp.json())["resource"]
    changed = {k: v for k, v in before.items() if v is not None}

    async def put(resource: dict) -> None:
        async with editor.put(f"{url}/admin/api/resources/childline", json=resource,
                              headers={"X-CSRF-Token": csrf}) as resp:
            assert resp.status == 200, await resp.text()

    try:
        await put({**changed, "phone": "0800 111 2222"})
        chat, _ = await ChatClient.open(http, url)
        await chat.say("people at school keep picking on me and calling me names")
        answer = await chat.expect("bot")
        childline = next(r for r in answer["resources"] if r["id"] == "childline")
        assert childline["phone"] == "0800 111 2222"
        await chat.ws.close()
    finally:
        await put(changed)  # the stack is shared by the run: put the number back
        await editor.close()
        await redis.aclose()


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on this port (Linux /proc/net)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address if len(address) == width else "?")
    return found


async def test_the_bot_s_servers_listen_on_this_machine_only(live_stack: Stack) -> None:
    """Rasa and the action server (which holds a connection to the content store) are for the
    gateway on this machine: loopback only, never every interface."""
    loopback = {"0100007F"}  # 127.0.0.1, as /proc/net/tcp writes it
    assert listening_addresses(live_stack.settings.action_server_port) == loopback
    assert listening_addresses(live_stack.rasa_port) == loopback
