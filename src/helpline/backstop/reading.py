"""What the backstop reader makes of a message: its ranking read as the bot's actions read the
bot's (helpline.safety.ranking), so that with the bot down a message gets the level the bot
would most likely have given it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import log
from ..safety import levels, ranking
from .model import BackstopModel, ModelMissing

logger = logging.getLogger("helpline.backstop")


@dataclass(frozen=True)
class Reading:
    intent: str = ""  # the top intent, if the reader is sure enough to call it understood
    topic: str = ""  # the content topic that answers it ("crisis" for a RED intent)
    level: str = ""  # "" (nothing to act on), GREEN, AMBER or RED
    reason: str = ""  # the intent behind the level, for the queue ("overdose", "possible:abuse")
    concern: str = ""  # for danger now: the safeguarding concern ranked behind it
    ranking: list[tuple[str, float]] = field(default_factory=list)


class BackstopReader:
    def __init__(self, model: BackstopModel) -> None:
        self.model = model
        self.threshold = float(model.meta.get("fallback_threshold", 0.3))

    @classmethod
    def load(cls, directory: Path) -> BackstopReader | None:
        """The trained reader, or None (logged) when there is none: the gateway then runs with
        the screen alone behind a bot that is down, as before the backstop existed."""
        started = time.monotonic()
        try:
            reader = cls(BackstopModel.load(directory))
        except ModelMissing as exc:
            log.event(logger, "backstop_missing", logging.WARNING, reason=str(exc))
            return None
        log.event(logger, "backstop_loaded", examples=reader.model.meta.get("examples") or "-",
                  ms=int((time.monotonic() - started) * 1000))
        return reader

    def read(self, text: str) -> Reading:
        payload = text.strip()
        if payload.startswith("/") and payload[1:] in self.model.classes:
            ranked = [(payload[1:], 1.0)]  # a tapped button ("/ask_for_person") names its intent, as in Rasa
        else:
            ranked = self.model.rank(text)
        top, confidence = ranked[0]
        understood = top if confidence >= self.threshold else ""  # below: "not understood", as in the bot
        meaning = levels.intents().get(understood)
        level = meaning.level if meaning else ""
        reason = understood if levels.rank(level) >= levels.rank("AMBER") else ""
        possible_level, possible_intent = ranking.possible_danger(ranked)
        if levels.rank(possible_level) > levels.rank(level):
            level, reason = possible_level, f"possible:{possible_intent}"
        return Reading(intent=understood, topic=meaning.topic if meaning else "", level=level,
                       reason=reason, concern=ranking.likely_concern(ranked) if level == "RED" else "",
                       ranking=ranked[:5])
