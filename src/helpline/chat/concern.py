"""What a message read as danger now is about, for the help that follows the safety message.

The safety message (999, Childline, Shout, Samaritans) answers danger; the young person also
told us what is happening ("he's hitting me", "I've run away"), and the help for that topic
follows it (ChatSession.answer_concern). Which topic, and whether it adds anything, is decided
here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..safety import levels

FRIEND = "worried_about_friend"


def choose(screening: Iterable[dict[str, Any]], bot_concern: str) -> str:
    """The content topic of the concern, or "". The screen's findings come first, most serious
    first (they quote the young person's words), then the bot's reading. When the screen found
    worry about a friend, the danger is the friend's: "my friend is cutting herself right now"
    gets help for worrying about a friend, not self-harm help written to the young person."""
    found = [str(finding.get("category") or "") for finding in screening]
    if FRIEND in found:
        return levels.concern_topic(FRIEND)
    return next((topic for name in [*found, bot_concern] if (topic := levels.concern_topic(name))), "")


def adds_help(resources: Iterable[dict[str, Any]], already_shown: set[str]) -> bool:
    """Only a topic with a service the safety message did not show is worth a second message:
    the crisis answer already carries suicidal thoughts' services, and the same again in other
    words would only repeat it."""
    return any(resource.get("id") not in already_shown for resource in resources)
