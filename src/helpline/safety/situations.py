"""Situation rules: danger told by circumstance, for the safety screen (screen.py).

No single word of "ive tidied my room and left my bank card on the desk for mum" is dangerous;
together they are a goodbye. A situation names a category and a level and lists two or more
kinds of evidence (named word lists in the lexicon's `evidence:` section) that must all occur
in one message, optionally close together, and optionally not near words that make it everyday
("went to the canal with my mates"). The finding shows the words of every kind that matched.

This module reads and checks that part of the lexicon, expands the `(a|b|)` shorthand of its
word lists, and picks the matching words of a message. Matching itself is the screen's: every
kind of evidence is one more key of the screen's spaCy matchers, so a message is still read by
each matcher once.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .lexicon import LEVELS, WORD_LISTS, check_entry, check_upgrade
from .levels import rank

EVIDENCE_KEYS = {"description", *WORD_LISTS}
SITUATION_KEYS = {"category", "level", "description", "all", "within", "unless", "upgrade"}
MAX_FORMS = 5000  # forms of one shorthand phrase: more is a typo, not a word list
# Bounds on the combinations tried per situation (a few thousand at most, so a long message
# costs milliseconds): matches of one group looked at around each anchor (the nearest), and
# anchors (matches of the group with fewest) per message. Without a window, the earliest.
MAX_MATCHES = 8
MAX_ANCHORS = 16
_ALTERNATIVES = re.compile(r"\(([^()]*)\)")

Span = tuple[int, int]  # token start, end


def expand(phrase: str) -> list[str]:
    """Every form of a phrase written with alternatives: "(im|i'm) (sat|sitting) by" is four
    phrases; an empty alternative makes a word optional ("left (my|the|) card")."""
    parts = _ALTERNATIVES.split(phrase)
    forms = [""]
    for index, part in enumerate(parts):
        if index % 2 == 0 and any(mark in part for mark in "()|"):
            raise ValueError(f"unbalanced brackets or a stray '|' in {phrase!r}")
        options = part.split("|") if index % 2 else [part]
        forms = [form + option for form in forms for option in options]
        if len(forms) > MAX_FORMS:
            raise ValueError(f"{phrase!r} has more than {MAX_FORMS} forms")
    return list(dict.fromkeys(" ".join(form.split()) for form in forms if form.strip()))


def expand_all(phrases: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(form for phrase in phrases for form in expand(str(phrase))))


@dataclass(frozen=True)
class Situation:
    name: str
    category: str
    level: str
    groups: tuple[tuple[str, ...], ...]  # each group: kinds of evidence, any one of which will do
    within: int | None = None  # all the evidence inside this many tokens
    unless: tuple[str, ...] = ()  # kinds of evidence that make it everyday, if inside the window
    upgrade: tuple[tuple[str, str], ...] = ()  # (cue, level): as a category's upgrade
    description: str = ""

    @property
    def kinds(self) -> set[str]:
        return {kind for group in self.groups for kind in group}

    def _combinations(self, choices: list[list[Span]]) -> Iterable[tuple[Span, ...]]:
        """One match per group to try. With a window, around each match of the rarest group
        only the matches that could share a window with it, nearest first: evidence late in a
        long message is found however many earlier matches there are."""
        if self.within is None:
            return itertools.product(*(spans[:MAX_MATCHES] for spans in choices))
        rarest = min(range(len(choices)), key=lambda index: len(choices[index]))
        around_anchors = []
        for anchor_start, anchor_end in choices[rarest][:MAX_ANCHORS]:
            low, high = anchor_end - self.within, anchor_start + self.within
            local = []
            for index, spans in enumerate(choices):
                near = [(anchor_start, anchor_end)] if index == rarest else sorted(
                    (span for span in spans if span[0] >= low and span[1] <= high),
                    key=lambda span: abs(span[0] - anchor_start))[:MAX_MATCHES]
                if not near:
                    break
                local.append(near)
            else:
                around_anchors.append(itertools.product(*local))
        return itertools.chain.from_iterable(around_anchors)

    def find(self, evidence: Mapping[str, list[Span]]) -> tuple[Span, ...] | None:
        """The words that make this situation in a message whose evidence (kind -> token spans)
        is given: one match per group, no two overlapping (the same words are never two kinds
        of evidence), all inside the window, and no `unless` words inside it either (other than
        the evidence's own: "boyfriend" in "my mums boyfriend"). The tightest such choice, then
        the earliest; None when there is none."""
        choices = []
        for group in self.groups:
            spans = sorted({span for kind in group for span in evidence.get(kind, ())})
            if not spans:
                return None
            choices.append(spans)
        spoilers = [span for kind in self.unless for span in evidence.get(kind, ())]
        best: tuple[tuple[int, int], tuple[Span, ...]] | None = None
        for combination in self._combinations(choices):
            ordered = sorted(combination)
            start, end = ordered[0]
            for span_start, span_end in ordered[1:]:
                if span_start < end:
                    break  # overlapping
                end = span_end
            else:
                if self.within is not None and end - start > self.within:
                    continue
                # A spoiler counts only where one window of `within` tokens could hold it and all
                # the evidence: "with my mates" three sentences before "sat on the bridge on my
                # own" does not make the bridge everyday.
                if any((self.within is None or (s < start + self.within and e > end - self.within))
                       and not any(cs <= s and e <= ce for cs, ce in ordered)  # not the evidence's own words
                       for s, e in spoilers):
                    continue
                if best is None or (end - start, start) < best[0]:
                    best = ((end - start, start), tuple(ordered))
        return best[1] if best else None


def index(situations: Iterable[Situation]) -> dict[str, list[tuple[int, Situation]]]:
    """Situations (with their place in the lexicon) by each kind of evidence of their first
    group: a message is checked only for the situations whose first group it has evidence of."""
    by_kind: dict[str, list[tuple[int, Situation]]] = {}
    for position, situation in enumerate(situations):
        for kind in situation.groups[0]:
            by_kind.setdefault(kind, []).append((position, situation))
    return by_kind


def load(lexicon: Mapping[str, Any], category_levels: Mapping[str, str], cues: Iterable[str]
         ) -> tuple[dict[str, dict[str, Any]], list[Situation]]:
    """The lexicon's `evidence:` and `situations:`, checked; a mistake is refused with the name
    of the situation or evidence and what is wrong, so a bad lexicon never loads."""
    evidence: dict[str, dict[str, Any]] = {}
    for name, raw in (lexicon.get("evidence") or {}).items():
        check_entry(f"lexicon evidence {name}", raw, EVIDENCE_KEYS)
        evidence[str(name)] = dict(raw)
    cues = set(cues)
    situations = []
    for name, raw in (lexicon.get("situations") or {}).items():
        where = f"lexicon situation {name}"
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where}: must be a mapping")
        if set(raw) - SITUATION_KEYS:
            raise ValueError(f"{where}: unknown key(s) {sorted(set(raw) - SITUATION_KEYS)}")
        category, level = raw.get("category"), raw.get("level")
        if category not in category_levels:
            raise ValueError(f"{where}: unknown category {category!r} (one of {sorted(category_levels)})")
        # No GREEN: a situation that makes words benign by their context silenced real threats
        # (session 3); a situation only ever raises a level.
        if level not in LEVELS:
            raise ValueError(f"{where}: level must be RED or AMBER, not {level!r}")
        if rank(level) < rank(category_levels[category]):
            # An AMBER finding is answered with its category's content; a RED category has none.
            raise ValueError(f"{where}: level {level} is below its category {category}'s {category_levels[category]}")
        if not isinstance(raw.get("all"), list) or not isinstance(raw.get("unless") or [], list):
            raise ValueError(f"{where}: `all` (and `unless`) is a list of evidence names")
        groups = []
        for group in raw["all"]:
            kinds = (group,) if isinstance(group, str) else tuple(group or ())
            if not kinds or not all(isinstance(kind, str) for kind in kinds):
                raise ValueError(f"{where}: each entry of `all` is an evidence name or a list of them")
            groups.append(kinds)
        if len(groups) < 2 or len(set(groups)) < len(groups):
            raise ValueError(f"{where}: `all` needs two or more different kinds of evidence; one is a word list, "
                             "which belongs in a category")
        unless = tuple(raw.get("unless") or ())
        unknown = sorted(({kind for group in groups for kind in group} | set(unless)) - set(evidence))
        if unknown:
            raise ValueError(f"{where}: unknown evidence {unknown}")
        within = raw.get("within")
        if within is not None and (not isinstance(within, int) or isinstance(within, bool) or within < 1):
            raise ValueError(f"{where}: `within` is a number of tokens, 1 or more")
        check_upgrade(where, raw.get("upgrade"), cues)
        upgrade = dict(raw.get("upgrade") or {})
        situations.append(Situation(
            name=str(name), category=category, level=level, groups=tuple(groups), within=within,
            unless=unless, upgrade=tuple(upgrade.items()), description=str(raw.get("description") or "")))
    unused = sorted(set(evidence) - {kind for s in situations for kind in (*s.kinds, *s.unless)})
    if unused:
        raise ValueError(f"lexicon evidence {unused}: used by no situation")
    return evidence, situations
