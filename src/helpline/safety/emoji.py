"""Emojis that stand for a means of harm, an injury or a danger place, read as their word.

Young people let an emoji say what they will not type ("💊💊💊💊💊💊 gone. bye", "🩸🩸🩸 help",
holdout103, session 12). The screen reads words, so these few become the word they stand for,
and a run of three or more becomes "loads of" that word, as the run means. A finding then quotes
the word ("loads of pills"), not the emoji. Left out as too often everyday: 💀 ("I'm dead",
laughing), 🔥 ("lit"), 🔪 (joke anger: "my sister singing again 🔪🔪🔪") and 💉 (a jab). 🩸 is
also a period: the situations that read blood leave a period out.
"""

from __future__ import annotations

import re

WORDS = {  # emoji: (its word, the word for a run of them)
    "\U0001F48A": ("pills", "pills"),  # pill
    "\U0001FA78": ("blood", "blood"),  # drop of blood
    "\U0001FA92": ("razor", "razors"),  # razor
    "\U0001FAA2": ("rope", "rope"),  # knot
    "\U0001F309": ("bridge", "bridges"),  # bridge at night
    **dict.fromkeys(["\U0001F686", "\U0001F682", "\U0001F684", "\U0001F685"], ("train", "trains")),
}
# One listed emoji, with the presentation selector some carry ("🪢️"), which is nothing to read.
_ONE = re.compile("(" + "|".join(WORDS) + ")\ufe0f?")
_RUN = re.compile("(" + "|".join(WORDS) + r")\ufe0f?(?:\s*\1\ufe0f?){2,}")


def as_words(text: str) -> str:
    """The text with each listed emoji replaced by its word, spaced apart from its neighbours."""
    if not _ONE.search(text):
        return text
    text = _RUN.sub(lambda run: f" loads of {WORDS[run.group(1)][1]} ", text)
    return _ONE.sub(lambda one: f" {WORDS[one.group(1)][0]} ", text)
