"""When the bot is torn between two topics, the second one's help follows the answer as a maybe
(actions/second_topic.py): shown to the young person and stored with its own topic, but not
counted as what the message was about, and never after a safety message. A scripted Rasa gives
the exact reply (tests/gateway/scripted_rasa.py); the real bot's part is in tests/actions."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from helpline import keys, metrics
from helpline.rasa_client import parse_reply

from .scripted_rasa import bot_frames, chat_with, no_more_bot_frames, scripted_rasa  # noqa: F401 (a fixture)

FAMILY = {"text": "Things at home can be tough.", "topic": "family", "risk": "GREEN",
          "resources": [{"id": "childline", "name": "Childline"}],
          "buttons": [{"title": "Talk to a person", "payload": "/ask_for_person"}]}
EXAMS = {"text": "In case it's about this too: exams can feel like a lot.", "topic": "exam_stress",
         "resources": [{"id": "kooth", "name": "Kooth"}], "second": True}


def test_a_second_topic_is_read_apart_from_the_answer() -> None:
    reply = parse_reply([{"recipient_id": "x", "custom": {"helpline": FAMILY}},
                         {"recipient_id": "x", "custom": {"helpline": EXAMS}}])
    assert reply.topics == ["family"] and reply.second_topics == ["exam_stress"]
    assert [m.second for m in reply.messages] == [False, True]
    assert [r["id"] for r in reply.messages[1].resources] == ["kooth"]
    assert reply.risk == "GREEN"


def test_only_a_true_flag_marks_a_second_topic() -> None:
    reply = parse_reply([{"recipient_id": "x", "custom": {"helpline": {**EXAMS, "second": "no"}}}])
    assert reply.topics == ["exam_stress"] and reply.second_topics == []
    assert reply.messages[0].second is False


async def test_the_second_topic_follows_the_answer_and_is_not_counted(scripted_rasa, redis: Redis) -> None:
    settings = scripted_rasa([FAMILY, EXAMS])
    async with chat_with(settings) as (chat, welcome):
        await chat.say("mum and dad keep arguing and i cant revise")
        answer, second = await bot_frames(chat, 2)
        assert answer["topics"] == ["family"] and answer["buttons"]
        assert second["topics"] == ["exam_stress"] and second["text"].startswith("In case")
        assert [r["id"] for r in second["resources"]] == ["kooth"] and not second["safety"]
        assert second["maybe"] is True and answer["maybe"] is False
        await no_more_bot_frames(chat)
        stored = await redis.xrange(keys.messages(welcome["conversation"]))
        assert [json.loads(f.get("topics") or "[]") for _, f in stored[-2:]] == [["family"], ["exam_stress"]]
        assert [f.get("kind", "") for _, f in stored[-2:]] == ["", "maybe"]
        state = await redis.hgetall(keys.conversation(welcome["conversation"]))
        assert state.get("state") != "queued", "a maybe asks for nobody"
    figures = await redis.hgetall(keys.stats_day(metrics.today()))
    assert figures.get("topic:family") == "1" and "topic:exam_stress" not in figures


async def test_no_maybe_follows_a_safety_message(scripted_rasa, redis: Redis) -> None:
    abuse = {"text": "Nobody is allowed to hurt you.", "topic": "abuse", "risk": "AMBER",
             "escalate": {"reason": "abuse"}}
    settings = scripted_rasa([abuse, {**EXAMS, "topic": "family"}])
    async with chat_with(settings) as (chat, _):
        await chat.say("my dad is hitting me right now")  # the screen reads danger now
        frames = await bot_frames(chat, 2)
        assert [f["topics"] for f in frames] == [["crisis"], ["abuse"]]
        await no_more_bot_frames(chat)
