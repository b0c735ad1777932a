"""Answer a topic with its live content: the words staff wrote and the services, in order."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from helpline.content import store

from .payloads import helpline_message
from .redis_client import redis

# Intents whose answer lives under another topic name in the content.
TOPIC_OF_INTENT = {"what_is_this": "welcome"}
NO_CONTENT_TEXT = ("Thank you for telling me. I don't have the right information for that just now. "
                   "You can say \"talk to a person\", or contact Childline any time on 0800 1111.")


class ActionSignpost(Action):
    def name(self) -> str:
        return "action_signpost"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        topic_name = TOPIC_OF_INTENT.get(intent, intent)
        topic = await store.topic(redis(), topic_name)
        if not topic:
            # Content for this topic was removed: still answer kindly, and offer a person.
            dispatcher.utter_message(json_message=helpline_message(NO_CONTENT_TEXT, topic=topic_name))
            return []
        resources = await store.resources_by_id(redis(), topic["resources"])
        dispatcher.utter_message(json_message=helpline_message(topic["intro"], resources, topic=topic_name))
        return []
