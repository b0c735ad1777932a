"""action_request_person asks the gateway for a person; action_not_understood offers one
after two messages in a row the bot did not understand."""

from __future__ import annotations

from redis.asyncio import Redis

from actions.escalation import ActionRequestPerson
from actions.not_understood import ActionNotUnderstood
from helpline.content import store


async def test_asking_for_a_person_escalates_with_the_services_to_use_meanwhile(
    redis: Redis, dispatcher, tracker
) -> None:
    await ActionRequestPerson().run(dispatcher, tracker("ask_for_person"), {})
    [message] = dispatcher.messages
    answer = message["custom"]["helpline"]
    assert answer["escalate"] == {"reason": "asked"}
    assert answer["text"] == (await store.topic(redis, "ask_for_person"))["intro"]
    assert {"childline", "shout"} <= {r["id"] for r in answer["resources"]}


async def test_the_first_misunderstanding_asks_again(redis: Redis, dispatcher, tracker) -> None:
    await ActionNotUnderstood().run(dispatcher, tracker("nlu_fallback", earlier=("greet",)), {})
    answer = dispatcher.messages[0]["custom"]["helpline"]
    assert answer["text"] == (await store.topic(redis, "not_understood"))["intro"]
    assert "buttons" not in answer


async def test_the_second_misunderstanding_in_a_row_offers_a_person(redis: Redis, dispatcher, tracker) -> None:
    await ActionNotUnderstood().run(dispatcher, tracker("nlu_fallback", earlier=("greet", "nlu_fallback")), {})
    answer = dispatcher.messages[0]["custom"]["helpline"]
    assert answer["text"] == (await store.topic(redis, "offer_person"))["intro"]
    assert [b["payload"] for b in answer["buttons"]] == ["/ask_for_person", "/deny"]


async def test_an_understood_message_in_between_resets_the_count(redis: Redis, dispatcher, tracker) -> None:
    await ActionNotUnderstood().run(
        dispatcher, tracker("nlu_fallback", earlier=("nlu_fallback", "bullying")), {})
    assert "buttons" not in dispatcher.messages[0]["custom"]["helpline"]


async def test_a_misunderstood_possible_danger_now_names_its_concern(redis: Redis, dispatcher, tracker) -> None:
    unsure = tracker("nlu_fallback", earlier=("greet",))
    unsure.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "runaway_unsafe", "confidence": 0.28},
        {"name": "going_missing", "confidence": 0.2}]
    await ActionNotUnderstood().run(dispatcher, unsure, {})
    answer = dispatcher.messages[0]["custom"]["helpline"]
    assert answer["risk"] == "RED" and answer["escalate"] == {"reason": "possible:runaway_unsafe"}
    assert answer["concern"] == "going_missing"
