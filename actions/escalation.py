"""Ask for a person: the gateway moves the conversation to the human queue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from helpline.content import store

from .payloads import helpline_message
from .redis_client import redis

FALLBACK_TEXT = "I've asked for a person to join the chat. While you wait, you can keep writing here."


class ActionRequestPerson(Action):
    def name(self) -> str:
        return "action_request_person"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        text, resources = await store.answer(redis(), "ask_for_person") or (FALLBACK_TEXT, [])
        dispatcher.utter_message(json_message=helpline_message(text, resources, topic="ask_for_person",
                                                               escalate="asked"))
        return []
