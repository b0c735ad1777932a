"""Signposting content: the seed, its validation, opening hours, and live reads from Redis."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from redis.asyncio import Redis

from helpline import keys
from helpline.config import ROOT
from helpline.content import hours, model, store

LONDON = hours.LONDON


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    """A moment in a known week: 2026-11-23 is a Monday (day 0)."""
    return dt.datetime(2026, 11, 23 + day, hh, mm, tzinfo=LONDON)


def test_the_committed_seed_is_valid_and_has_the_services_the_partnership_named() -> None:
    resources, topics = store.load_seed(ROOT / "data" / "content")
    ids = {r["id"] for r in resources}
    for needed in ["zillo", "its-never-ok", "childline", "shout", "samaritans", "papyrus-hopelineuk", "kooth",
                   "the-mix", "ceop", "report-remove", "fearless", "nspcc-helpline", "emergency-999", "nhs-111"]:
        assert needed in ids, needed
    for needed in ["welcome", "bot_unavailable", "crisis", "ask_for_person", "not_understood", "offer_person",
                   "bullying", "exam_stress", "feeling_low", "loneliness", "family"]:
        assert topics[needed]["intro"], needed
    childline = next(r for r in resources if r["id"] == "childline")
    assert childline["phone"] == "0800 1111" and childline["hours"] == hours.ALWAYS


@pytest.mark.parametrize(
    ("text", "moment", "expected"),
    [
        ("24/7", at(6, 3), True),
        ("", at(2, 12), False),
        ("Mon-Fri 09:00-17:00", at(0, 9), True),
        ("Mon-Fri 09:00-17:00", at(0, 17), False),
        ("Mon-Fri 09:00-17:00", at(5, 12), False),
        ("Mon-Fri 17:00-09:00", at(1, 2), True),  # Monday's evening runs into Tuesday morning
        ("Sun 22:00-02:00", at(0, 1), True),  # Sunday night wraps into Monday
        ("Sat-Sun 00:00-24:00", at(6, 23, 59), True),
        ("Fri-Mon 10:00-11:00", at(0, 10, 30), True),
    ],
)
def test_opening_hours(text: str, moment: dt.datetime, expected: bool) -> None:
    assert hours.is_open(text, moment) is expected


@pytest.mark.parametrize("text", ["Mon-Fri 9-5", "Monday 09:00-17:00", "Mon-Fri 25:00-26:00", "always"])
def test_opening_hours_that_do_not_parse_say_how_to_write_them(text: str) -> None:
    with pytest.raises(hours.HoursError):
        hours.parse(text)


def valid() -> dict[str, object]:
    return {"id": "test-service", "name": "Test", "description": "Helps.", "scope": "local",
            "phone": "0151 606 2008", "hours": "Mon-Fri 09:00-17:00", "website": "https://example.org"}


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"name": ""}, "name is required"),
        ({"id": "Bad Id"}, "id must be"),
        ({"scope": "regional"}, "scope"),
        ({"website": "http://example.org"}, "https"),
        ({"phone": "12"}, "not a UK number"),
        ({"hours": "whenever"}, "opening hours"),
        ({"min_age": 18, "max_age": 11}, "min_age is above max_age"),
        ({"last_checked": "yesterday"}, "last_checked"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_resource_validation_names_the_problem(change: dict[str, object], complaint: str) -> None:
    with pytest.raises(model.ResourceError, match=complaint):
        model.validate({**valid(), **change})


async def test_the_seed_adds_only_what_is_missing_and_never_overwrites_staff_edits(redis: Redis) -> None:
    resources, topics = store.load_seed(ROOT / "data" / "content")
    assert await store.seed_missing(redis, resources, topics) == len(resources) + len(topics)
    await store.put_resource(redis, {**valid(), "id": "childline", "name": "Childline", "phone": "0800 1111",
                                     "scope": "national", "hours": "24/7"})
    await redis.hset(keys.CONTENT_TOPICS, "bullying", json.dumps({"intro": "Staff words.", "resources": []}))
    await redis.hdel(keys.CONTENT_TOPICS, "sleep")  # as if a new release brought a new topic
    assert await store.seed_missing(redis, resources, topics) == 1
    assert (await store.topic(redis, "sleep"))["resources"]
    assert (await store.topic(redis, "bullying"))["intro"] == "Staff words."
    live = await store.resources_by_id(redis, ["childline", "no-such-service"])
    assert [r["description"] for r in live] == ["Helps."]
    assert json.loads(await redis.get(keys.content_resource("childline")))["website"] == "https://example.org"


async def test_the_seed_loads_whole_in_one_step(redis: Redis) -> None:
    resources, topics = store.load_seed(ROOT / "data" / "content")
    assert await store.seed_missing(redis, resources, topics)
    assert await redis.scard(keys.CONTENT_RESOURCE_IDS) == len(resources)
    assert await redis.hlen(keys.CONTENT_TOPICS) == len(topics)
    assert await redis.exists(keys.CONTENT_SEEDED)
