"""What a classifier's ranking of intents says about danger: shared by the bot's actions (the
bot's reading) and the gateway's backstop reader (when the bot is down), so both read a ranking
the same way. Standard library only: the action server (Python 3.10) imports it too.

A message the classifier is unsure about can rank a RED or AMBER intent close behind its top
guess ("i took the whole bottle" read as sleep, with overdose not far behind), or spread its
doubt over several ("hurt_now" 0.15 and "sexual_abuse_now" 0.12 behind "family"). Such a reading
counts: a person is asked for, at that level, while the answer stays the top intent's. Recall on
danger comes first; a handler clears a false alarm in seconds.

Three readings raise the level, each chosen on the evaluation sets read while tuning (2026-11-26,
docs/triage.md: against one intent at 0.25 alone, 7 more RED lines read RED by the bot and 7
fewer everyday lines escalated, in 3,184 lines):
- the RED intents together at least RED_SHARE: RED;
- one RED or AMBER intent at least HELPLINE_POSSIBLE_DANGER_CONFIDENCE: its level;
- the RED and AMBER intents together at least DANGER_SHARE: AMBER.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from . import levels

Ranking = Sequence[tuple[str, float]]  # (intent, confidence), best first

DEFAULT_POSSIBLE_DANGER_CONFIDENCE = 0.3
RED_SHARE = 0.25
DANGER_SHARE = 0.5
# A RED intent's message is usually also about a safeguarding concern ranked behind it ("my dad
# is hitting me now": hurt_now, then abuse). On the evaluation sets read while tuning, the best
# ranked AMBER intent above this was the right topic for 94 of 110 AMBER lines read RED.
CONCERN_CONFIDENCE = 0.05


def possible_danger_confidence() -> float:
    """From HELPLINE_POSSIBLE_DANGER_CONFIDENCE; above 1 turns the whole rule off."""
    raw = os.environ.get("HELPLINE_POSSIBLE_DANGER_CONFIDENCE", "")
    try:
        return float(raw) if raw else DEFAULT_POSSIBLE_DANGER_CONFIDENCE
    except ValueError:
        return DEFAULT_POSSIBLE_DANGER_CONFIDENCE


def possible_danger(ranking: Ranking) -> tuple[str, str]:
    """The level a possible danger raises the message to (AMBER or RED) and the intent that
    names it (the best ranked at that level), or ("", "")."""
    threshold = possible_danger_confidence()
    if threshold > 1:
        return "", ""
    meanings = levels.intents()
    at: dict[str, list[tuple[str, float]]] = {"RED": [], "AMBER": []}
    for name, confidence in ranking:
        meaning = meanings.get(name)
        if meaning and meaning.level in at:
            at[meaning.level].append((name, confidence))
    red, amber = (sorted(at[level], key=lambda pair: -pair[1]) for level in ("RED", "AMBER"))  # best first
    if red and (sum(c for _, c in red) >= RED_SHARE or red[0][1] >= threshold):
        return "RED", red[0][0]
    if amber and (amber[0][1] >= threshold or sum(c for _, c in red + amber) >= DANGER_SHARE):
        return "AMBER", amber[0][0]
    return "", ""


def likely_concern(ranking: Ranking) -> str:
    """The best ranked safeguarding concern (an AMBER intent) above CONCERN_CONFIDENCE, or ""."""
    for name, confidence in ranking:
        if levels.concern_topic(name) and confidence >= CONCERN_CONFIDENCE:
            return name
    return ""
