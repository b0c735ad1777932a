"""When the bot does not understand: ask again kindly, and after two in a row, offer a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from helpline.content import store

from .payloads import TALK_TO_A_PERSON, helpline_message
from .redis_client import redis
from .risk import likely_concern, possible_danger

OFFER_PERSON_AFTER = 2
# Used only if staff removed these topics from the content.
DEFAULT_TEXT = {
    "not_understood": "Sorry, I didn't quite understand that. Could you say it another way?",
    "offer_person": "I'm sorry, I'm finding it hard to understand. Would you like to talk to a real person?",
}
OFFER_BUTTONS = [TALK_TO_A_PERSON, {"title": "Keep chatting", "payload": "/deny"}]


def not_understood_in_a_row(tracker: Tracker) -> int:
    """How many of the young person's latest messages in a row the bot did not understand."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


class ActionNotUnderstood(Action):
    def name(self) -> str:
        return "action_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        offer = not_understood_in_a_row(tracker) >= OFFER_PERSON_AFTER
        topic_name = "offer_person" if offer else "not_understood"
        text, resources = await store.answer(redis(), topic_name) or (DEFAULT_TEXT[topic_name], [])
        level, possible_intent = possible_danger(tracker)
        dispatcher.utter_message(json_message=helpline_message(
            text, resources, topic=topic_name, risk=level, escalate=f"possible:{possible_intent}" if level else "",
            buttons=OFFER_BUTTONS if offer else None, concern=likely_concern(tracker) if level == "RED" else ""))
        return []
