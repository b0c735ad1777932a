"""A second topic when the classifier is torn between two.

"my mum and dad keep arguing and i cant revise" may rank family and exam stress close
together. Guessing one leaves the young person without the other's help, so when the second
guess is close behind the first, its help follows the first answer, introduced as a maybe.
On the evaluation sets read while tuning (2026-11-26, docs/triage.md), about 3 answers in 100
got a second topic, and it was the right one and the first was not for about 4 in 10 of those;
on three blind sets afterwards, 21 of 723 lines got one and it was the only right topic for 9.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from helpline.content import store
from helpline.safety import levels

SECOND_CONFIDENCE = 0.2  # the second guess at least this confident
SECOND_SHARE = 0.5  # and at least half as confident as the first
LEAD_IN_TOPIC = "second_topic"
# Used only if staff removed the lead-in topic from the content.
DEFAULT_LEAD_IN = "I might not have understood all of that, so in case it's about this too:"
SIGNPOSTED = ("GREEN", "AMBER")  # danger now is the crisis message's; small talk is not a topic


def second_guess(tracker: Tracker) -> str:
    """The content topic of the intent ranked second, when both it and the first are signposting
    topics with different content and it is close behind; else ""."""
    ranking = [r for r in tracker.latest_message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    if len(ranking) < 2:
        return ""
    meanings = levels.intents()
    first, second = (meanings.get(r.get("name") or "") for r in ranking[:2])
    first_confidence, second_confidence = (r.get("confidence") or 0 for r in ranking[:2])
    if not first or not second or first.level not in SIGNPOSTED or second.level not in SIGNPOSTED:
        return ""
    if first.topic == second.topic:
        return ""
    if second_confidence < SECOND_CONFIDENCE or second_confidence < SECOND_SHARE * first_confidence:
        return ""
    return second.topic


async def answer(redis: Any, topic: str, shown_ids: set[str]) -> tuple[str, list[dict[str, Any]]] | None:
    """The second topic's words after the lead-in, and its services not already shown; None if
    the topic has no content."""
    found = await store.answer(redis, topic)
    if not found:
        return None
    text, resources = found
    lead_in = await store.answer(redis, LEAD_IN_TOPIC)
    return f"{lead_in[0] if lead_in else DEFAULT_LEAD_IN} {text}", [r for r in resources if r["id"] not in shown_ids]
