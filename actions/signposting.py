"""Answer a topic with its live content: the words staff wrote and the services, in order.

What an intent means (its level and the content topic that answers it) is in
data/safety/intents.yml, shared with the gateway. RED and AMBER ask for a person.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from helpline.content import store
from helpline.safety import levels

from . import second_topic
from .payloads import TALK_TO_A_PERSON, helpline_message
from .redis_client import redis
from .risk import likely_concern, possible_danger

NO_CONTENT_TEXT = ("Thank you for telling me. I don't have the right information for that just now. "
                   "You can say \"talk to a person\", or contact Childline any time on 0800 1111.")


class ActionSignpost(Action):
    def name(self) -> str:
        return "action_signpost"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        meaning = levels.intents().get(intent, levels.IntentMeaning(level="", topic=intent))
        level, escalate = meaning.level, intent if levels.rank(meaning.level) >= levels.rank("AMBER") else ""
        possible_level, possible_intent = possible_danger(tracker)
        if levels.rank(possible_level) > levels.rank(level):
            level, escalate = possible_level, f"possible:{possible_intent}"
        # GREEN signposts and offers a person; RED and AMBER have already asked for one.
        buttons = [TALK_TO_A_PERSON] if meaning.level == "GREEN" else None
        # Content for the topic may have been removed: still answer kindly, and still escalate.
        # The crisis answer never goes without its numbers: the fixed text has them.
        fallback = store.CRISIS_TEXT if meaning.topic == "crisis" else NO_CONTENT_TEXT
        text, resources = await store.answer(redis(), meaning.topic) or (fallback, [])
        # Danger now (the top intent's or a possible one) is answered with the crisis message;
        # what it is about (abuse, running away) is named too, and the gateway adds its help.
        concern = likely_concern(tracker) if level == "RED" else ""
        dispatcher.utter_message(json_message=helpline_message(
            text, resources, topic=meaning.topic, risk=level, escalate=escalate, buttons=buttons, concern=concern))
        # Torn between two topics: the second's help follows, as a maybe. It sets no level of its
        # own (the possible-danger rule above already weighed every ranked intent).
        second = second_topic.second_guess(tracker)
        if second and level != "RED":
            found = await second_topic.answer(redis(), second, {r["id"] for r in resources})
            if found:
                second_text, second_resources = found
                dispatcher.utter_message(json_message=helpline_message(
                    second_text, second_resources, topic=second, second=True))
        return []
