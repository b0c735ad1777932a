"""Turning Rasa's REST output into one structured reply."""

from __future__ import annotations

import pytest

from helpline.rasa_client import BotUnavailable, parse_reply


def test_text_and_custom_payloads_become_messages_with_resources() -> None:
    reply = parse_reply([
        {"recipient_id": "x", "text": "Hi there", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
        {"recipient_id": "x", "custom": {"helpline": {
            "text": "These can help:", "topic": "bullying",
            "resources": [{"id": "childline", "name": "Childline"}, {"name": "no id, dropped"}]}}},
        {"recipient_id": "x", "custom": {"helpline": {"escalate": {"reason": "asked"},
                                                      "resources": [{"id": "shout", "name": "Shout"}]}}},
    ])
    assert [m.text for m in reply.messages] == ["Hi there", "These can help:"]
    assert reply.messages[0].buttons == [{"title": "Yes", "payload": "/affirm"}]
    assert [r["id"] for r in reply.messages[1].resources] == ["childline", "shout"]
    assert reply.escalate == "asked"
    assert reply.topics == ["bullying"]


def test_foreign_custom_payloads_and_junk_items_are_ignored() -> None:
    reply = parse_reply([{"custom": {"other": 1}}, "junk", {"text": "ok"}])
    assert [m.text for m in reply.messages] == ["ok"]
    assert reply.escalate == ""


def test_a_reply_that_is_not_a_list_counts_as_the_bot_being_unavailable() -> None:
    with pytest.raises(BotUnavailable):
        parse_reply({"error": "oops"})


def test_the_concern_of_danger_now_is_read_from_the_payload() -> None:
    reply = parse_reply([{"custom": {"helpline": {"text": "Call 999.", "topic": "crisis", "risk": "RED",
                                                  "concern": "abuse"}}}])
    assert reply.concern == "abuse" and reply.topics == ["crisis"] and reply.risk == "RED"
    assert parse_reply([{"text": "ok"}]).concern == ""
