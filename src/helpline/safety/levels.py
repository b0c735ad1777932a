"""Risk levels and what each bot intent means. Standard library and PyYAML only: the action
server (Python 3.10) reads the same file through this module."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

LEVELS = ("GREEN", "AMBER", "RED")  # in rising order
# data/safety in a checkout; containers that hold only the package set HELPLINE_SAFETY_DIR.
SAFETY_DIR = Path(os.environ.get("HELPLINE_SAFETY_DIR") or Path(__file__).resolve().parents[3] / "data" / "safety")


def rank(level: str) -> int:
    """-1 for no level, then GREEN < AMBER < RED."""
    return LEVELS.index(level) if level in LEVELS else -1


def highest(*levels: str) -> str:
    """The most serious of these levels ("" when none is given): nothing downgrades a RED."""
    return max(levels, key=rank, default="") if any(levels) else ""


@dataclass(frozen=True)
class IntentMeaning:
    level: str
    topic: str


@functools.cache
def intents(path: Path = SAFETY_DIR / "intents.yml") -> dict[str, IntentMeaning]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    meanings = {}
    for name, raw in (doc.get("intents") or {}).items():
        level = raw.get("level") or ""
        if level and level not in LEVELS:
            raise ValueError(f"{path}: intent {name} has unknown level {level!r}")
        meanings[str(name)] = IntentMeaning(level=level, topic=str(raw["topic"]))
    return meanings


def concern_topic(name: str) -> str:
    """The content topic of a safeguarding concern (an AMBER intent or screen category, such as
    abuse or going_missing), or "" for anything else: RED ones are all answered by the crisis
    message, GREEN ones are not a concern."""
    meaning = intents().get(name)
    return meaning.topic if meaning and meaning.level == "AMBER" else ""
