"""The bot's level for a message: its top intent's, raised by a possible danger.

How a ranking of intents is read (helpline.safety.ranking) is shared with the gateway's
backstop reader; this module hands it the ranking Rasa put on the tracker.
"""

from __future__ import annotations

from rasa_sdk import Tracker

from helpline.safety import ranking

# Kept here for the tests and for anyone reading the actions.
DEFAULT_POSSIBLE_DANGER_CONFIDENCE = ranking.DEFAULT_POSSIBLE_DANGER_CONFIDENCE
possible_danger_confidence = ranking.possible_danger_confidence


def ranked(tracker: Tracker) -> list[tuple[str, float]]:
    """The latest message's intents with their confidences, best first."""
    return [(item.get("name") or "", item.get("confidence") or 0.0)
            for item in tracker.latest_message.get("intent_ranking") or []]


def possible_danger(tracker: Tracker) -> tuple[str, str]:
    """The level a possible danger raises the message to and the intent that names it, or ("", "")."""
    return ranking.possible_danger(ranked(tracker))


def likely_concern(tracker: Tracker) -> str:
    """The best ranked safeguarding concern above the concern confidence, or ""."""
    return ranking.likely_concern(ranked(tracker))
