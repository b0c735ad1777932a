"""The bot's training examples, read from Rasa's NLU files (data/nlu/*.yml): the backstop reader
learns from exactly what the bot learns from."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..config import ROOT

NLU_DIR = ROOT / "data" / "nlu"
# An annotated entity, "[wirral](place)": the words stay, the markup goes.
ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def read(directory: Path = NLU_DIR) -> list[tuple[str, str]]:
    """(text, intent) for every example, in file order. A file without an nlu section (or an
    intent without examples) is refused with its name: a silent gap would be a topic the
    backstop cannot read."""
    found: list[tuple[str, str]] = []
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise ValueError(f"{directory}: no NLU files")
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items = doc.get("nlu")
        if not isinstance(items, list):
            raise ValueError(f"{path}: no nlu section")
        for item in items:
            if "intent" not in item:
                continue  # synonyms, regexes and lookups are not examples
            lines = [line.strip() for line in str(item.get("examples") or "").splitlines()]
            texts = [ENTITY.sub(lambda m: m.group(1) or m.group(2), line[1:].strip())
                     for line in lines if line.startswith("-")]
            if not texts:
                raise ValueError(f"{path}: intent {item['intent']} has no examples")
            found.extend((text, str(item["intent"])) for text in texts if text)
    return found
