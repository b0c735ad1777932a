"""Danger now is answered with the safety message first and then the help for what it is about
(abuse, running away, self-harm), from the screen's finding or the bot's reading, even when the
bot is down. The gateway runs in-process against the real Redis.

Where a test needs the bot to give one exact reading (a crisis with a named concern, a possible
danger behind a calm topic), a scripted Rasa stands in: the trained model's rankings cannot be
set by a test. The real bot's part is in tests/actions (the concern it names) and the end-to-end
test in test_chat_end_to_end.py (the whole answer on the real stack).
"""

from __future__ import annotations

import json

import pytest

from redis.asyncio import Redis

from helpline import keys
from helpline.config import Settings

from .scripted_rasa import bot_frames, chat_with, no_more_bot_frames, scripted_rasa  # noqa: F401 (a fixture)


async def test_with_the_bot_down_danger_now_still_gets_help_for_what_it_is_about(
    bot_down: Settings, redis: Redis
) -> None:
    async with chat_with(bot_down) as (chat, welcome):
        await chat.say("my dad is hitting me right now")
        safety, concern = await bot_frames(chat, 2, timeout=bot_down.rasa_deadline + 2)
        assert safety["safety"] is True and safety["topics"] == ["crisis"] and "999" in safety["text"]
        assert concern["topics"] == ["abuse"] and not concern.get("safety")
        assert "childline" in [r["id"] for r in concern["resources"]]
        await no_more_bot_frames(chat)
        stored = await redis.xrange(keys.messages(welcome["conversation"]))
        assert [(f["role"], f.get("kind", "")) for _, f in stored] == [
            ("bot", ""), ("young_person", ""), ("bot", "safety"), ("bot", "")]
        assert json.loads(stored[3][1]["topics"]) == ["abuse"]


async def test_danger_now_with_nothing_more_to_say_gets_the_safety_message_alone(
    bot_down: Settings, redis: Redis
) -> None:
    async with chat_with(bot_down) as (chat, _):
        await chat.say("i took all my pills 10 mins ago")  # an overdose: the crisis answer is the help
        safety = await chat.expect("bot", timeout=2)
        assert safety["safety"] is True
        await no_more_bot_frames(chat, settle=bot_down.rasa_deadline + 0.5)


async def test_the_bot_s_crisis_answer_is_followed_by_the_concern_it_names(scripted_rasa, redis: Redis) -> None:
    settings = scripted_rasa([{"text": "Call 999 if you are in danger now.", "topic": "crisis", "risk": "RED",
                               "escalate": {"reason": "runaway_unsafe"}, "concern": "going_missing"}])
    async with chat_with(settings) as (chat, welcome):
        await chat.say("not going back there, ever")  # nothing the screen reads
        crisis, concern = await bot_frames(chat, 2)
        assert crisis["topics"] == ["crisis"] and concern["topics"] == ["going_missing"]
        assert "runaway-helpline" in [r["id"] for r in concern["resources"]]
        await no_more_bot_frames(chat)
        state = await redis.hgetall(keys.conversation(welcome["conversation"]))
        assert state["risk"] == "RED"


async def test_a_possible_danger_behind_a_calm_topic_gets_the_safety_message_first(scripted_rasa) -> None:
    settings = scripted_rasa([{"text": "Sleep can be hard.", "topic": "sleep", "risk": "RED",
                               "escalate": {"reason": "possible:overdose"}}])
    async with chat_with(settings) as (chat, _):
        await chat.say("had the whole box so i can sleep")
        safety, calm = await bot_frames(chat, 2)
        assert safety["safety"] is True and safety["topics"] == ["crisis"] and "999" in safety["text"]
        assert calm["topics"] == ["sleep"]
        await no_more_bot_frames(chat)


@pytest.mark.parametrize("concern", ["bullying", "hurt_now", "no_such_topic", ""])
async def test_only_a_safeguarding_concern_is_added(scripted_rasa, concern: str) -> None:
    settings = scripted_rasa([{"text": "Call 999 if you are in danger now.", "topic": "crisis", "risk": "RED",
                               "escalate": {"reason": "hurt_now"}, "concern": concern}])
    async with chat_with(settings) as (chat, _):
        await chat.say("please help")
        assert (await chat.expect("bot"))["topics"] == ["crisis"]
        await no_more_bot_frames(chat)


async def test_a_concern_the_bot_already_answered_is_not_repeated(scripted_rasa) -> None:
    settings = scripted_rasa([{"text": "You deserve support.", "topic": "self_harm", "risk": "AMBER",
                               "escalate": {"reason": "self_harm"}}])
    async with chat_with(settings) as (chat, _):
        await chat.say("im cutting right now")  # the screen: RED, self-harm
        safety, answer = await bot_frames(chat, 2)
        assert safety["safety"] is True and answer["topics"] == ["self_harm"]
        await no_more_bot_frames(chat)


async def test_after_the_screen_s_safety_message_a_calm_topic_is_not_sent(scripted_rasa) -> None:
    """The screen reads an overdose; the bot's top guess is sleep (a possible danger raised it):
    sleep tips after the safety message would be beside the point."""
    settings = scripted_rasa([{"text": "Try a warm drink before bed.", "topic": "sleep", "risk": "RED",
                               "escalate": {"reason": "possible:overdose"}}])
    async with chat_with(settings) as (chat, _):
        await chat.say("i took the whole bottle so i can sleep")
        safety = await chat.expect("bot")
        assert safety["safety"] is True and safety["topics"] == ["crisis"]
        await no_more_bot_frames(chat)


async def test_a_concern_that_adds_no_service_to_the_safety_message_is_not_sent(bot_down: Settings) -> None:
    """Suicidal thoughts' services are all in the safety message already."""
    async with chat_with(bot_down) as (chat, _):
        await chat.say("im going to kill myself tonight")
        assert (await chat.expect("bot", timeout=2))["safety"] is True
        await no_more_bot_frames(chat, settle=bot_down.rasa_deadline + 0.5)


async def test_danger_to_a_friend_gets_help_for_worrying_about_a_friend(bot_down: Settings) -> None:
    async with chat_with(bot_down) as (chat, _):
        await chat.say("my friend is cutting herself right now")
        safety, concern = await bot_frames(chat, 2, timeout=bot_down.rasa_deadline + 2)
        assert safety["safety"] is True and concern["topics"] == ["worried_about_friend"]


async def test_the_concern_s_help_comes_once_a_conversation(bot_down: Settings) -> None:
    async with chat_with(bot_down) as (chat, _):
        await chat.say("my dad is hitting me right now")
        assert [f["topics"] for f in await bot_frames(chat, 2, timeout=bot_down.rasa_deadline + 2)] == [
            ["crisis"], ["abuse"]]
        await chat.say("hes hitting me again right now")
        assert (await chat.expect("bot", timeout=2))["topics"] == ["crisis"]
        await no_more_bot_frames(chat, settle=bot_down.rasa_deadline + 0.5)


async def test_nothing_the_bot_says_reaches_a_conversation_closed_while_it_thought(scripted_rasa,
                                                                                 redis: Redis) -> None:
    settings = scripted_rasa([{"text": "Call 999.", "topic": "crisis", "risk": "RED", "concern": "abuse"}])
    scripted_rasa.hold.clear()  # the bot takes its time
    async with chat_with(settings) as (chat, welcome):
        await chat.say("please help me")
        conversation = welcome["conversation"]
        # As a handler's close leaves it (Handoff.close): closed while the bot was thinking.
        await redis.hset(keys.conversation(conversation), "state", "closed")
        scripted_rasa.hold.set()
        await no_more_bot_frames(chat, settle=1.5)
        stored = await redis.xrange(keys.messages(conversation))
        assert [f["role"] for _, f in stored] == ["bot", "young_person"]


async def test_a_possible_danger_the_bot_did_not_understand_gets_no_apology_after_the_safety_message(
    scripted_rasa,
) -> None:
    settings = scripted_rasa([{"text": "Sorry, I didn't quite understand that.", "topic": "not_understood",
                               "risk": "RED", "escalate": {"reason": "possible:runaway_unsafe"},
                               "concern": "going_missing"}])
    async with chat_with(settings) as (chat, _):
        await chat.say("everything is a mess and i dunno what to do")  # nothing the screen reads
        safety, concern = await bot_frames(chat, 2)
        assert safety["safety"] is True and concern["topics"] == ["going_missing"]
        await no_more_bot_frames(chat)
