"""The handoff state machine and the queue's order, against the real Redis."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from helpline import keys
from helpline.conversations import (
    ConversationClosed,
    ConversationStore,
    Message,
    NotHolder,
)
from helpline.handoff import Handoff, HandoffError


async def waiting(store: ConversationStore, risk: str, text: str = "help") -> str:
    conversation_id, _ = await store.create()
    await store.append(conversation_id, Message(id="", role="young_person", text=text, risk=risk),
                       escalate="test" if risk else "")
    if not risk:
        await store.enqueue(conversation_id, "", "asked for a person")
    return conversation_id


@pytest.fixture
def store(redis: Redis) -> ConversationStore:
    return ConversationStore(redis, retention_seconds=3600)


@pytest.fixture
def handoff(redis: Redis, store: ConversationStore) -> Handoff:
    return Handoff(redis, store, limit=2)


async def staff(redis: Redis, name: str, role: str = "handler") -> None:
    await redis.hset(keys.staff_account(name), mapping={"role": role, "disabled": "0"})


async def test_take_next_gives_the_most_urgent_then_the_longest_waiting(store: ConversationStore, handoff: Handoff) -> None:
    asked = await waiting(store, "")
    amber_first = await waiting(store, "AMBER")
    await asyncio.sleep(0.01)
    amber_second = await waiting(store, "AMBER")
    red = await waiting(store, "RED")
    order = []
    for handler in ("a", "a", "b", "b"):
        order.append((await handoff.take_next(handler)).conversation_id)
    assert order == [red, amber_first, amber_second, asked]
    with pytest.raises(HandoffError) as caught:
        await handoff.take_next("c")
    assert caught.value.code == "queue_empty"


async def test_two_handlers_racing_for_one_conversation_one_gets_it(redis: Redis, store: ConversationStore) -> None:
    red = await waiting(store, "RED")
    handlers = [Handoff(redis, store, limit=3) for _ in range(10)]
    results = await asyncio.gather(*(h.take(red, f"handler{i}") for i, h in enumerate(handlers)),
                                   return_exceptions=True)
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1
    assert {r.code for r in results if isinstance(r, HandoffError)} == {"taken"}
    info = await store.info(red)
    assert info["state"] == "with_handler" and info["handler"] == winners[0].handler
    assert await redis.zcard(keys.QUEUE) == 0
    assert await redis.hgetall(keys.HELD) == {red: winners[0].handler}


async def test_racing_take_next_never_gives_one_conversation_twice(redis: Redis, store: ConversationStore) -> None:
    ids = [await waiting(store, "AMBER") for _ in range(6)]
    handlers = [Handoff(redis, store, limit=3) for _ in range(8)]
    results = await asyncio.gather(*(h.take_next(f"h{i}") for i, h in enumerate(handlers)), return_exceptions=True)
    taken = [r.conversation_id for r in results if not isinstance(r, Exception)]
    assert sorted(taken) == sorted(ids)  # six taken, each once; two handlers found the queue empty
    assert [r.code for r in results if isinstance(r, HandoffError)] == ["queue_empty", "queue_empty"]


async def test_a_handler_cannot_pass_the_limit(store: ConversationStore, handoff: Handoff) -> None:
    for _ in range(3):
        await waiting(store, "AMBER")
    await handoff.take_next("a")
    await handoff.take_next("a")
    with pytest.raises(HandoffError) as caught:
        await handoff.take_next("a")
    assert caught.value.code == "limit"
    assert len(await handoff.held("a")) == 2


async def test_release_keeps_the_place_and_hand_back_returns_to_the_bot(redis: Redis, store: ConversationStore,
                                                                          handoff: Handoff) -> None:
    first = await waiting(store, "AMBER")
    await asyncio.sleep(0.01)
    second = await waiting(store, "AMBER")
    await handoff.take(first, "a")
    with pytest.raises(HandoffError):
        await handoff.release(first, "b")  # only its holder moves it
    move = await handoff.release(first, "a")
    assert move.state == "queued"
    assert await redis.zrange(keys.QUEUE, 0, -1) == [first, second]  # ahead again: it waited longer
    await handoff.take(first, "b")
    move = await handoff.hand_back(first, "b")
    assert move.state == "bot" and (await store.info(first))["state"] == "bot"
    assert await handoff.held("b") == []
    notices = [m.event for m in await store.history(first) if m.role == "system"]
    assert notices == ["joined", "released", "joined", "handed_back"]


async def test_transfer_goes_only_to_active_staff_under_their_limit(redis: Redis, store: ConversationStore,
                                                                     handoff: Handoff) -> None:
    await staff(redis, "b")
    await staff(redis, "gone")
    await redis.hset(keys.staff_account("gone"), "disabled", "1")
    await staff(redis, "ed", role="editor")
    one = await waiting(store, "RED")
    await handoff.take(one, "a")
    for name in ("gone", "ed", "nobody"):
        with pytest.raises(HandoffError) as caught:
            await handoff.transfer(one, "a", name)
        assert caught.value.code == "unknown_staff"
    with pytest.raises(HandoffError) as caught:
        await handoff.transfer(one, "a", "b")
    assert caught.value.code == "not_present", "nobody is given a conversation while not on the console"
    await handoff.touch_presence("b", grace_seconds=60)
    others = [await waiting(store, "AMBER") for _ in range(2)]
    for other in others:
        await handoff.take(other, "b")
    with pytest.raises(HandoffError) as caught:
        await handoff.transfer(one, "a", "b")
    assert caught.value.code == "limit"
    await handoff.close(others[0], "b", "advice")
    move = await handoff.transfer(one, "a", "b")
    assert move.handler == "b" and (await store.info(one))["handler"] == "b"
    assert await handoff.held("a") == [] and one in await handoff.held("b")


async def test_close_records_the_outcome_and_the_conversation_takes_no_more(store: ConversationStore,
                                                                          handoff: Handoff) -> None:
    red = await waiting(store, "RED")
    await handoff.take(red, "a")
    with pytest.raises(HandoffError) as caught:
        await handoff.close(red, "a", "made up")
    assert caught.value.code == "bad_outcome"
    await handoff.close(red, "a", "front_door")
    info = await store.info(red)
    assert (info["state"], info["outcome"], info["closed_by"]) == ("closed", "front_door", "a")
    assert (await store.history(red))[-1].event == "closed"
    with pytest.raises(ConversationClosed):
        await store.append(red, Message(id="", role="young_person", text="hello?", client_id="late"))


async def test_a_lost_handler_s_conversations_go_back_to_the_queue_once(redis: Redis, store: ConversationStore,
                                                                        handoff: Handoff) -> None:
    red = await waiting(store, "RED")
    await handoff.take(red, "a")
    await handoff.touch_presence("a", grace_seconds=0.2)
    assert await handoff.requeue_abandoned() == []  # still present
    await asyncio.sleep(0.3)
    other_process = Handoff(redis, store, limit=2)
    moves = await asyncio.gather(handoff.requeue_abandoned(), other_process.requeue_abandoned())
    assert sum(len(m) for m in moves) == 1
    info = await store.info(red)
    assert info["state"] == "queued" and "handler" not in info
    assert await redis.zrange(keys.QUEUE, 0, -1) == [red]
    assert (await store.history(red))[-1].event == "requeued"


async def test_the_wait_estimate_is_the_median_of_recent_waits(redis: Redis, handoff: Handoff) -> None:
    assert await handoff.wait_minutes() is None  # nothing to go on: say so
    now = 10 * 3600 * 1000
    for waited_minutes in (1, 3, 20):
        await redis.lpush(keys.WAITS, f"{now}:{waited_minutes * 60000}")
    await redis.lpush(keys.WAITS, f"{now - 7 * 3600 * 1000}:{90 * 60000}")  # too old to count
    assert await handoff.wait_minutes(now=now) == 3


async def test_an_expired_conversation_leaves_the_queue_when_reached(redis: Redis, store: ConversationStore,
                                                                     handoff: Handoff) -> None:
    expired = await waiting(store, "RED")
    live = await waiting(store, "AMBER")
    await redis.delete(*keys.conversation_keys(expired))
    assert (await handoff.take_next("a")).conversation_id == live
    assert await redis.zcard(keys.QUEUE) == 0


async def test_a_handler_s_message_is_stored_only_while_they_hold_the_conversation(
        store: ConversationStore, handoff: Handoff) -> None:
    red = await waiting(store, "RED")
    await handoff.take(red, "a")
    said = Message(id="", role="handler", text="I'm here", author="a", client_id="h:1")
    await store.append(red, said, holder="a")
    with pytest.raises(NotHolder):
        await store.append(red, Message(id="", role="handler", text="me too", author="b", client_id="h:2"), holder="b")
    await handoff.release(red, "a")
    with pytest.raises(NotHolder):  # released a moment ago: the late message is not stored
        await store.append(red, Message(id="", role="handler", text="still here?", author="a", client_id="h:3"),
                           holder="a")
    assert [m.text for m in await store.history(red) if m.role == "handler"] == ["I'm here"]


async def test_no_hand_back_or_close_over_a_serious_message_the_handler_was_not_shown(
        store: ConversationStore, handoff: Handoff) -> None:
    amber = await waiting(store, "AMBER")
    await handoff.take(amber, "a")
    shown = (await store.history(amber))[-1].id  # what the console had sent the handler
    crisis, _, state = await store.append(amber, Message(id="", role="young_person", text="i have the rope ready",
                                                          risk="RED", client_id="late"), escalate="screen:suicide_plan")
    assert state == "with_handler"
    for move in (handoff.hand_back(amber, "a", seen=shown), handoff.close(amber, "a", "advice", seen=shown)):
        with pytest.raises(HandoffError) as caught:
            await move
        assert caught.value.code == "unseen"
    assert (await store.info(amber))["state"] == "with_handler", "still with the person who must read it"
    await handoff.hand_back(amber, "a", seen=crisis)  # once shown, the handler decides


async def test_a_wait_after_a_release_is_measured_from_the_release(redis: Redis, store: ConversationStore,
                                                                  handoff: Handoff) -> None:
    red = await waiting(store, "RED")
    await handoff.take(red, "a")
    await asyncio.sleep(1.2)  # held for a while: that is not waiting
    await handoff.release(red, "a")
    await handoff.take(red, "b")
    latest = (await redis.lrange(keys.WAITS, 0, 0))[0]
    assert int(latest.split(":")[1]) < 1000


async def test_the_bot_s_late_answer_is_not_stored_once_a_person_has_joined(store: ConversationStore,
                                                                            handoff: Handoff) -> None:
    red = await waiting(store, "RED")
    await handoff.take(red, "a")
    with pytest.raises(NotHolder):
        await store.append(red, Message(id="", role="bot", text="here is some information"), no_person=True)
    assert [m.role for m in await store.history(red)][-1] == "system"  # the joined notice, nothing after


async def test_an_expired_held_conversation_is_forgotten_and_a_live_one_is_not(redis: Redis, store: ConversationStore,
                                                                              handoff: Handoff) -> None:
    gone, live = await waiting(store, "RED"), await waiting(store, "AMBER")
    await handoff.take(gone, "a")
    await handoff.take(live, "a")
    await redis.delete(*keys.conversation_keys(gone))
    await handoff.forget(gone, "a")
    await handoff.forget(live, "a")  # not expired: left alone
    assert await handoff.held("a") == [live] and (await store.info(live))["state"] == "with_handler"
