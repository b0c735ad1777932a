"""The bot's level for a message: its top intent's, raised by a possible danger.

A message the classifier is unsure about can rank a RED or AMBER intent close behind its top
guess ("i took the whole bottle" read as sleep, with overdose not far behind). Above this
confidence such a reading counts: a person is asked for, at that level, while the answer stays
the top intent's. Recall on danger comes first; a handler clears a false alarm in seconds.
"""

from __future__ import annotations

import os

from rasa_sdk import Tracker

from helpline.safety import levels

DEFAULT_POSSIBLE_DANGER_CONFIDENCE = 0.25
# A RED intent's message is usually also about a safeguarding concern ranked behind it ("my dad
# is hitting me now": hurt_now, then abuse). On the evaluation sets read while tuning, the best
# ranked AMBER intent above this was the right topic for 94 of 110 AMBER lines read RED.
CONCERN_CONFIDENCE = 0.05


def possible_danger_confidence() -> float:
    """From HELPLINE_POSSIBLE_DANGER_CONFIDENCE; above 1 turns the rule off."""
    raw = os.environ.get("HELPLINE_POSSIBLE_DANGER_CONFIDENCE", "")
    try:
        return float(raw) if raw else DEFAULT_POSSIBLE_DANGER_CONFIDENCE
    except ValueError:
        return DEFAULT_POSSIBLE_DANGER_CONFIDENCE


def possible_danger(tracker: Tracker) -> tuple[str, str]:
    """The most serious level among the ranked intents above the confidence, and that intent."""
    threshold = possible_danger_confidence()
    meanings = levels.intents()
    best_level, best_intent = "", ""
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        meaning = meanings.get(ranked.get("name") or "")
        if meaning and (ranked.get("confidence") or 0) >= threshold \
                and levels.rank(meaning.level) > levels.rank(best_level):
            best_level, best_intent = meaning.level, ranked["name"]
    return (best_level, best_intent) if levels.rank(best_level) >= levels.rank("AMBER") else ("", "")


def likely_concern(tracker: Tracker) -> str:
    """The best ranked safeguarding concern (an AMBER intent) above CONCERN_CONFIDENCE, or ""."""
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        name = ranked.get("name") or ""
        if levels.concern_topic(name) and (ranked.get("confidence") or 0) >= CONCERN_CONFIDENCE:
            return name
    return ""
