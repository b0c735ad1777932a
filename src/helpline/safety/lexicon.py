"""Reading data/safety/lexicon.yml and checking its shape before the screen is built from it.

The lexicon is data, edited by hand and reviewed like code, and a slip in YAML is quiet: a
string where a list belongs is read letter by letter, an empty list item is the word "None",
a misspelt key ("phrase:") adds nothing, a name written twice keeps only the second. Each of those would change what the screen catches
without a test failing, so each is refused here with the entry's name and what is wrong.
Situations and their evidence are checked by situations.load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

SECTIONS = {"categories", "cues", "evidence", "situations"}
WORD_LISTS = ("phrases", "lemmas", "patterns")
CATEGORY_KEYS = {"level", "description", "upgrade", *WORD_LISTS}
CUE_KEYS = {"description", *WORD_LISTS}
LEVELS = ("RED", "AMBER")  # a category or situation only ever raises a message's level


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (the C one when there is one: the lexicon is large) that refuses a
    key written twice in one mapping, where YAML would quietly keep the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice in one mapping", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read(path: Path) -> dict[str, Any]:
    """The lexicon, with its categories and cues checked."""
    try:
        lexicon = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise ValueError(f"lexicon {path.name}: not valid YAML: {exc}") from None
    if not isinstance(lexicon, Mapping):
        raise ValueError(f"lexicon {path.name}: must be a mapping of {sorted(SECTIONS)}")
    if set(lexicon) - SECTIONS:
        raise ValueError(f"lexicon {path.name}: unknown section(s) {sorted(set(lexicon) - SECTIONS)}")
    for section in SECTIONS:
        if not isinstance(lexicon.get(section) or {}, Mapping):
            raise ValueError(f"lexicon {section}: must be a mapping of names to entries")
    if not lexicon.get("categories"):
        raise ValueError("lexicon categories: at least one is needed")
    cues = dict(lexicon.get("cues") or {})
    for name, raw in cues.items():
        check_entry(f"lexicon cue {name}", raw, CUE_KEYS)
    for name, raw in lexicon["categories"].items():
        where = f"lexicon category {name}"
        check_entry(where, raw, CATEGORY_KEYS)
        if raw.get("level") not in LEVELS:
            raise ValueError(f"{where}: level must be RED or AMBER, not {raw.get('level')!r}")
        check_upgrade(where, raw.get("upgrade"), cues)
    return dict(lexicon)


def check_entry(where: str, raw: Any, allowed: set[str]) -> None:
    """A category, cue or evidence: a mapping of known keys with at least one word list, each
    a list of words (phrases, lemmas) or of spaCy token patterns."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: must be a mapping of phrases, lemmas and patterns")
    if set(raw) - allowed:
        raise ValueError(f"{where}: unknown key(s) {sorted(set(raw) - allowed)} (allowed: {sorted(allowed)})")
    if not any(raw.get(key) for key in WORD_LISTS):
        raise ValueError(f"{where}: needs phrases, lemmas or patterns")
    for key in ("phrases", "lemmas"):
        words = raw.get(key)
        if words is None:
            continue
        if not isinstance(words, list):
            raise ValueError(f"{where}: {key} must be a list of words, not {type(words).__name__}")
        for position, word in enumerate(words, 1):
            if not isinstance(word, str) or not word.strip():
                raise ValueError(f"{where}: {key} item {position} must be words, not {word!r} "
                                 "(an empty item or a number needs quotes)")
    patterns = raw.get("patterns")
    if patterns is not None:
        if not isinstance(patterns, list):
            raise ValueError(f"{where}: patterns must be a list of token patterns")
        for position, pattern in enumerate(patterns, 1):
            if not isinstance(pattern, list) or not pattern or not all(isinstance(t, Mapping) for t in pattern):
                raise ValueError(f"{where}: pattern {position} must be a list of token mappings, not {pattern!r}")


def check_upgrade(where: str, upgrade: Any, cues: Iterable[str]) -> None:
    """`upgrade`: cue -> the level it raises to."""
    if upgrade is None:
        return
    if not isinstance(upgrade, Mapping):
        raise ValueError(f"{where}: upgrade must map cue names to RED or AMBER")
    unknown = set(upgrade) - set(cues)
    if unknown:
        raise ValueError(f"{where}: upgrade names unknown cue(s) {sorted(unknown)}")
    if any(raised not in LEVELS for raised in upgrade.values()):
        raise ValueError(f"{where}: an upgrade raises to RED or AMBER")
