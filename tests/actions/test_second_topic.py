"""action_signpost adds a second topic's help when the bot ranks it close behind its answer."""

from __future__ import annotations

from redis.asyncio import Redis

from actions import second_topic
from actions.signposting import ActionSignpost
from helpline import keys
from helpline.content import store


def torn(tracker, *ranking: tuple[str, float]):
    made = tracker(ranking[0][0])
    made.latest_message["intent_ranking"] = [{"name": name, "confidence": c} for name, c in ranking]
    return made


def payloads(dispatcher) -> list[dict]:
    return [m["custom"]["helpline"] for m in dispatcher.messages]


async def test_a_close_second_topic_follows_as_a_maybe(redis: Redis, dispatcher, tracker) -> None:
    await ActionSignpost().run(dispatcher, torn(tracker, ("family", 0.42), ("exam_stress", 0.3), ("sleep", 0.1)), {})
    answer, second = payloads(dispatcher)
    assert answer["topic"] == "family" and "second" not in answer
    exams, lead_in = await store.topic(redis, "exam_stress"), await store.topic(redis, second_topic.LEAD_IN_TOPIC)
    assert second["second"] is True and second["topic"] == "exam_stress"
    assert second["text"] == f"{lead_in['intro']} {exams['intro']}"
    shown = {r["id"] for r in answer["resources"]}
    assert [r["id"] for r in second["resources"]] == [rid for rid in exams["resources"] if rid not in shown]
    assert second["resources"], "exam stress has services family does not show"
    assert "risk" not in second and "escalate" not in second and "buttons" not in second


async def test_a_second_concern_is_offered_too(redis: Redis, dispatcher, tracker) -> None:
    await ActionSignpost().run(dispatcher, torn(tracker, ("abuse", 0.4), ("domestic_abuse", 0.35)), {})
    answer, second = payloads(dispatcher)
    assert answer["risk"] == "AMBER" and second["topic"] == "domestic_abuse"


async def test_a_distant_or_faint_second_guess_adds_nothing(redis: Redis, dispatcher, tracker) -> None:
    for ranking in ((("family", 0.8), ("exam_stress", 0.15)),   # below the confidence
                    (("family", 0.6), ("exam_stress", 0.25)),   # less than half the first
                    (("family", 0.9),)):                       # nothing behind it
        dispatcher.messages.clear()
        await ActionSignpost().run(dispatcher, torn(tracker, *ranking), {})
        assert len(payloads(dispatcher)) == 1, ranking


async def test_no_maybe_beside_danger_now_or_small_talk(redis: Redis, dispatcher, tracker) -> None:
    for ranking in ((("family", 0.4), ("hurt_now", 0.35)),            # danger: the crisis message's
                    (("family", 0.4), ("sleep", 0.3), ("overdose", 0.26)),  # a possible danger now
                    (("family", 0.4), ("greet", 0.35)),               # small talk is not a topic
                    (("out_of_scope", 0.4), ("sleep", 0.35))):         # nor is out of scope
        dispatcher.messages.clear()
        await ActionSignpost().run(dispatcher, torn(tracker, *ranking), {})
        assert len(payloads(dispatcher)) == 1, ranking


async def test_the_fallback_marker_is_not_a_guess(redis: Redis, dispatcher, tracker) -> None:
    await ActionSignpost().run(
        dispatcher, torn(tracker, ("family", 0.42), ("nlu_fallback", 0.4), ("exam_stress", 0.3)), {})
    assert [p["topic"] for p in payloads(dispatcher)] == ["family", "exam_stress"]


async def test_without_its_lead_in_or_content_the_maybe_stays_kind_or_silent(redis: Redis, dispatcher,
                                                                             tracker) -> None:
    await redis.hdel(keys.CONTENT_TOPICS, second_topic.LEAD_IN_TOPIC)
    await ActionSignpost().run(dispatcher, torn(tracker, ("family", 0.42), ("exam_stress", 0.3)), {})
    assert payloads(dispatcher)[1]["text"].startswith(second_topic.DEFAULT_LEAD_IN)
    dispatcher.messages.clear()
    await redis.hdel(keys.CONTENT_TOPICS, "exam_stress")
    await ActionSignpost().run(dispatcher, torn(tracker, ("family", 0.42), ("exam_stress", 0.3)), {})
    assert [p["topic"] for p in payloads(dispatcher)] == ["family"]
