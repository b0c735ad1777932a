"""The backstop reader (helpline.backstop): what it learns from, how its model is stored and
refused, what the trained model (models/backstop, built by `make backstop` before the tests)
reads, what a young person gets when the bot is down, and what it adds beside the bot. The
gateway runs in-process against the real Redis with nothing listening on Rasa's port; beside
the bot, a scripted Rasa gives the one reading a test needs (the trained model's cannot be set)."""

from __future__ import annotations

import dataclasses
import json
import random
import string
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from aiohttp import web
from redis.asyncio import Redis

from helpline import keys
from helpline.appkeys import BACKSTOP
from helpline.backstop import examples, training
from helpline.backstop.model import META_FILE, WEIGHTS_FILE, BackstopModel, ModelMissing
from helpline.backstop.reading import BackstopReader, Reading
from helpline.config import Settings
from helpline.safety import levels
from helpline.safety.screen import default_screen
from helpline.stack import Stack, free_port, http_ok

from .chat_client import ChatClient
from .conftest import gateway
from .scripted_rasa import bot_frames, chat_with, no_more_bot_frames, scripted_rasa  # noqa: F401 (a fixture)

TRAINED = Settings().backstop_dir


@pytest.fixture(scope="module")
def reader() -> BackstopReader:
    found = BackstopReader.load(TRAINED)
    assert found is not None, f"no trained backstop in {TRAINED}: run `make backstop` (make test does)"
    return found


# --- what it learns from -----------------------------------------------------------------------
def test_it_learns_from_every_example_the_bot_learns_from() -> None:
    pairs = examples.read()
    intents = {intent for _, intent in pairs}
    assert set(levels.intents()) <= intents  # every intent with a level or a topic
    assert {"greet", "ask_for_person", "insult"} <= intents
    assert len(pairs) > 4000 and all(text and not text.startswith("-") for text, _ in pairs)


def test_entity_markup_is_read_as_its_words_and_other_entries_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        'version: "3.1"\nnlu:\n  - intent: local_activities\n    examples: |\n'
        "      - anything to do in [birkenhead](place) on saturday\n      - clubs near me\n"
        "  - synonym: birkenhead\n    examples: |\n      - birkenhed\n", encoding="utf-8")
    assert examples.read(tmp_path) == [("anything to do in birkenhead on saturday", "local_activities"),
                                       ("clubs near me", "local_activities")]


@pytest.mark.parametrize(("content", "message"), [
    ('version: "3.1"\nrules: []\n', "no nlu section"),
    ('version: "3.1"\nnlu:\n  - intent: sleep\n    examples: ""\n', "intent sleep has no examples"),
])
def test_a_file_it_cannot_learn_from_is_refused_by_name(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "broken.yml").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        examples.read(tmp_path)


def test_the_fallback_threshold_is_the_bots() -> None:
    assert training.fallback_threshold() == 0.25  # bot/config.yml, FallbackClassifier


# --- the stored model ----------------------------------------------------------------------------
SMALL = [("i cant sleep at night", "sleep"), ("awake till 4am every night", "sleep"), ("no sleep again", "sleep"),
         ("exams next week and im panicking", "exam_stress"), ("revision is too much", "exam_stress"),
         ("my gcses are stressing me", "exam_stress"), ("hello", "greet"), ("hiya", "greet"), ("hey there", "greet")]


def test_a_saved_model_reads_as_it_did_before_saving(tmp_path: Path) -> None:
    model = training.train(SMALL)
    model.save(tmp_path)
    loaded = BackstopModel.load(tmp_path)
    assert loaded.classes == ["exam_stress", "greet", "sleep"]
    for text in ("can't sleep", "my exams", "hey"):
        assert [name for name, _ in loaded.rank(text)] == [name for name, _ in model.rank(text)]
        assert np.allclose([p for _, p in loaded.rank(text)], [p for _, p in model.rank(text)], atol=1e-5)
    assert loaded.rank("revision for my exams")[0][0] == "exam_stress"
    assert loaded.meta["examples"] == len(SMALL) and loaded.meta["digest"] == training.digest(SMALL)
    assert sum(p for _, p in loaded.rank("anything at all")) == pytest.approx(1.0)


def test_a_missing_or_unreadable_model_is_refused_with_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing, match="make backstop"):
        BackstopModel.load(tmp_path / "nothing")
    training.train(SMALL).save(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text())
    (tmp_path / META_FILE).write_text(json.dumps(meta | {"format": 99}))
    with pytest.raises(ModelMissing, match="format 99"):
        BackstopModel.load(tmp_path)
    (tmp_path / META_FILE).write_text(json.dumps(meta | {"classes": ["sleep"]}))
    with pytest.raises(ModelMissing, match="does not fit"):
        BackstopModel.load(tmp_path)
    (tmp_path / WEIGHTS_FILE).write_bytes(b"not an archive")
    with pytest.raises(ModelMissing, match="cannot be read"):
        BackstopModel.load(tmp_path)


def test_without_a_model_the_gateway_runs_without_a_backstop(tmp_path: Path) -> None:
    assert BackstopReader.load(tmp_path) is None


# --- the trained model -------------------------------------------------------------------------
def test_the_trained_model_is_from_the_current_examples(reader: BackstopReader) -> None:
    assert reader.model.meta["digest"] == training.digest(examples.read()), "stale: run `make backstop`"


@pytest.mark.parametrize(("text", "level", "intent"), [
    ("ive took 20 paracetamol", "RED", "overdose"),
    # A habit, not now: AMBER. Session 13's data read it RED (hurt_now 0.254, over the RED share);
    # session 14 added violence told as a habit or in the past, and hurt_now fell to 0.12.
    ("my stepdad hits me when hes drunk", "AMBER", "abuse"),
    ("exams are stressing me out so much", "GREEN", "exam_stress"),
    ("hiya", "", "greet"),
    ("can i talk to a real person", "", "ask_for_person"),
    ("/ask_for_person", "", "ask_for_person"),  # a tapped button, as Rasa reads it
])
def test_the_trained_model_reads_level_and_intent(reader: BackstopReader, text: str, level: str, intent: str) -> None:
    reading = reader.read(text)
    assert (reading.level, reading.intent) == (level, intent), reading.ranking


def test_nonsense_is_not_understood_and_nothing_breaks_it(reader: BackstopReader) -> None:
    # not understood, or out of scope (keyboard mashes are among its examples): no topic, no concern
    assert reader.read("qwpoeiruty zmxncbv").intent in ("", "out_of_scope")
    assert reader.read("").ranking and reader.read("\ud83d").ranking  # nothing to read, a broken emoji: no crash


def test_random_strings_are_seldom_read_as_danger(reader: BackstopReader) -> None:
    # A slip of the thumb is not a crisis. Before the keyboard mashes among out_of_scope's
    # examples (session 8), 71 of these 1,000 read RED and 30 AMBER, from their letters alone.
    rng = random.Random(8)
    alphabets = [string.ascii_lowercase, string.ascii_lowercase + string.digits, "qwertyuiop", "asdfghjkl", "zxcvbnm"]
    texts = ["".join(rng.choice(rng.choice(alphabets)) for _ in range(rng.randint(5, 14))) for _ in range(1000)]
    levels_read = Counter(reader.read(text).level for text in texts)
    assert levels_read["RED"] + levels_read["AMBER"] <= 20, levels_read


# --- the bot down --------------------------------------------------------------------------------
async def conversation(redis: Redis, conversation_id: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    entries = await redis.xrange(keys.messages(conversation_id))
    return [fields for _, fields in entries], await redis.hgetall(keys.conversation(conversation_id))


async def frames_until_quiet(chat: ChatClient, seconds: float = 1.0) -> list[dict]:
    frames = []
    try:
        while True:
            frames.append(await chat.frame(timeout=seconds))
    except TimeoutError:
        return frames


async def exchange(settings: Settings, text: str,
                   prepare: Callable[[web.Application], None] | None = None) -> tuple[list[dict], str]:
    """One message through the in-process gateway, with nothing on Rasa's port: every frame until
    the chat goes quiet, and the conversation's id."""
    client, url = await gateway(settings)
    try:
        if prepare:
            prepare(client.app)
        chat, welcome = await ChatClient.open(client.session, url)
        await chat.say(text)
        return await frames_until_quiet(chat, settings.rasa_deadline + 1), welcome["conversation"]
    finally:
        await client.close()


def screen_reads_green(text: str) -> None:
    level = default_screen().screen(text).level
    assert level == "GREEN", f"the screen now reads {text!r} {level}: choose a line only the backstop reads"


async def test_danger_only_the_backstop_reads_gets_the_safety_message_and_a_person(settings: Settings,
                                                                                   redis: Redis) -> None:
    text = "is 16 co-codamol a lot? already took them"
    screen_reads_green(text)
    frames, conversation_id = await exchange(settings, text)
    bots = [f for f in frames if f["type"] == "bot"]
    assert bots[0]["safety"] is True and "999" in bots[0]["text"]
    assert not any(f.get("fallback") for f in bots), "no apology after the safety message"
    assert {"type": "status", "state": "queued", "position": 1, "level": "RED", "on_duty": True,
            "wait_minutes": None} in frames
    stored, info = await conversation(redis, conversation_id)
    assert stored[1]["risk"] == "GREEN" and info["queue_reason"] == "backstop:overdose"


async def test_a_concern_only_the_backstop_reads_is_queued_and_answered_with_its_help(settings: Settings,
                                                                                     redis: Redis) -> None:
    text = "stepdad controls all of mums money, she has to ask him for bus fare"
    screen_reads_green(text)
    frames, conversation_id = await exchange(settings, text)
    bots = [f for f in frames if f["type"] == "bot"]
    assert bots[0]["fallback"] is True and "999" in bots[0]["text"]
    assert bots[1]["topics"] == ["domestic_abuse"] and bots[1]["resources"]
    assert {f["level"] for f in frames if f["type"] == "status"} == {"AMBER"}
    _, info = await conversation(redis, conversation_id)
    assert info["queue_reason"] == "backstop:domestic_abuse"
    assert await redis.zrange(keys.QUEUE, 0, -1) == [conversation_id]


async def test_an_everyday_worry_gets_its_help_and_no_person_is_asked_for(settings: Settings, redis: Redis) -> None:
    frames, _ = await exchange(settings, "exams are stressing me out so much")
    bots = [f for f in frames if f["type"] == "bot"]
    assert [b.get("fallback", False) for b in bots] == [True, False]
    assert bots[1]["topics"] == ["exam_stress"]
    assert not [f for f in frames if f["type"] == "status" and f["state"] == "queued"]
    assert await redis.zcard(keys.QUEUE) == 0


@pytest.mark.parametrize("text", ["can i talk to a real person pls", "/ask_for_person"])
async def test_asking_for_a_person_works_with_the_bot_down(settings: Settings, redis: Redis, text: str) -> None:
    client, url = await gateway(settings)
    try:
        chat, welcome = await ChatClient.open(client.session, url)
        await chat.say(text)
        status = await chat.expect("status", timeout=settings.rasa_deadline + 2)
        assert status["state"] == "queued"
        _, info = await conversation(redis, welcome["conversation"])
        assert info["queue_reason"] == "backstop:asked"
    finally:
        await client.close()


async def test_without_a_backstop_the_safe_reply_stands_alone(settings: Settings, redis: Redis, tmp_path: Path) -> None:
    settings = dataclasses.replace(settings, backstop_dir=tmp_path / "none")

    def without_a_backstop(app: web.Application) -> None:
        assert app[BACKSTOP] is None

    frames, _ = await exchange(settings, "exams are stressing me out so much", without_a_backstop)
    assert [f.get("fallback") for f in frames if f["type"] == "bot"] == [True]
    assert await redis.zcard(keys.QUEUE) == 0


async def test_a_concern_the_screen_found_is_answered_even_if_the_backstop_reads_a_calm_topic(
        settings: Settings, redis: Redis) -> None:
    def reads_a_calm_topic(app: web.Application) -> None:
        # The trained backstop agrees with the screen on every such line tried: this stands in
        # for the one that would not.
        app[BACKSTOP].read = lambda text: Reading(intent="family", topic="family", level="GREEN")  # type: ignore[union-attr, method-assign]

    frames, _ = await exchange(settings, "my mum and dad fight every weekend and plates get smashed",  # the screen: AMBER
                               reads_a_calm_topic)
    bots = [f for f in frames if f["type"] == "bot"]
    assert bots[0]["fallback"] is True and [b["topics"] for b in bots[1:]] == [["domestic_abuse"]]
    assert {f["level"] for f in frames if f["type"] == "status"} == {"AMBER"}


async def test_a_backstop_that_fails_still_leaves_the_safe_reply(settings: Settings, redis: Redis) -> None:
    def broken(text: str) -> None:
        raise RuntimeError("broken model")

    def break_it(app: web.Application) -> None:
        app[BACKSTOP].read = broken  # type: ignore[union-attr, method-assign]

    frames, _ = await exchange(settings, "exams are stressing me out so much", break_it)
    assert [f.get("fallback") for f in frames if f["type"] == "bot"] == [True]


# --- beside the bot ----------------------------------------------------------------------------
CALM_REPLY = {"text": "It can help to talk about it.", "topic": "feeling_low", "risk": "GREEN"}


async def test_danger_only_the_backstop_reads_beside_a_calm_bot_gets_the_safety_message_first(
        scripted_rasa, redis: Redis) -> None:
    text = "doing it right now and i cant stop"
    screen_reads_green(text)
    settings = dataclasses.replace(scripted_rasa([CALM_REPLY]), backstop_beside_bot=True)
    async with chat_with(settings) as (chat, welcome):
        await chat.say(text)
        safety, calm = await bot_frames(chat, 2)
        assert safety["safety"] is True and safety["topics"] == ["crisis"] and "999" in safety["text"]
        assert calm["topics"] == ["feeling_low"]
        status = await chat.expect("status")
        assert status["state"] == "queued" and status["level"] == "RED"
        _, info = await conversation(redis, welcome["conversation"])
        assert info["queue_reason"] == "backstop:self_harm_now"


async def test_beside_the_bot_the_backstop_never_lowers_and_does_not_repeat(scripted_rasa, redis: Redis) -> None:
    settings = dataclasses.replace(scripted_rasa([{"text": "Call 999.", "topic": "crisis", "risk": "RED",
                                                   "escalate": {"reason": "overdose"}}]), backstop_beside_bot=True)
    async with chat_with(settings) as (chat, welcome):
        await chat.say("exams are stressing me out so much")  # the backstop reads GREEN, the bot RED
        crisis = await chat.expect("bot")
        assert crisis["topics"] == ["crisis"]
        await no_more_bot_frames(chat)
        _, info = await conversation(redis, welcome["conversation"])
        assert info["risk"] == "RED" and info["queue_reason"] == "bot:overdose"


async def test_with_the_backstop_beside_the_bot_off_the_bot_s_reading_stands(scripted_rasa, redis: Redis) -> None:
    settings = dataclasses.replace(scripted_rasa([CALM_REPLY]), backstop_beside_bot=False)
    async with chat_with(settings) as (chat, welcome):
        await chat.say("doing it right now and i cant stop")
        calm = await chat.expect("bot")
        assert calm["topics"] == ["feeling_low"]
        await no_more_bot_frames(chat)
        assert await redis.zcard(keys.QUEUE) == 0


def test_the_setting_reads_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HELPLINE_BACKSTOP_BESIDE_BOT", raising=False)
    assert Settings.from_env().backstop_beside_bot is True, "on by default (docs/triage.md, session 9)"
    monkeypatch.setenv("HELPLINE_BACKSTOP_BESIDE_BOT", "false")
    assert Settings.from_env().backstop_beside_bot is False


def test_a_stack_without_the_bot_runs_redis_and_the_gateway_alone(tmp_path: Path) -> None:
    """What `helpline eval --bot-down` measures: real processes, nothing listening for Rasa."""
    settings = dataclasses.replace(Settings(), port=free_port(), rasa_url=f"http://127.0.0.1:{free_port()}",
                                   action_server_port=free_port(), embedded_redis_port=free_port(),
                                   redis_url="", var_dir=tmp_path)
    with Stack(settings, bot=False, quiet=True) as stack:
        assert [process.name for process in stack.processes] == ["redis", "gateway"]
        assert http_ok(f"{stack.gateway_url}/healthz")
        assert not http_ok(f"{settings.rasa_url}/")
    assert not stack.processes
