"""The safety screen: a deterministic, explainable first read of every message.

spaCy's blank English pipeline with the lookup lemmatizer (from spacy-lookups-data), and the
words and patterns of data/safety/lexicon.yml. It runs before Rasa and does not depend on it.
It returns RED, AMBER or GREEN with the categories and the phrases that made it so (as
normalised: an emoji for a means of harm as its word), for the handler to see why. Besides
words that are danger by themselves, the lexicon's situations (situations.py) catch danger told
by circumstance: several kinds of evidence in one message.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ..redaction import cut_punctuation_runs
from . import emoji
from . import lexicon as lexicon_file
from . import situations
from .levels import SAFETY_DIR, highest, rank
from .spelling import Spelling

# Phones type curly apostrophes; the lexicon is written with straight ones.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


def normalise(text: str) -> str:
    """The message as the lexicon is written: lower case (spaCy splits "wont" and "gonna" but
    not "WONT" and "GONNA"), straight apostrophes, single spaces (a double space or a line break
    inside a phrase would hide it), and punctuation runs cut short (spaCy's tokenizer is
    quadratic in them). An emoji for a means of harm is read as its word (emoji.py). A lone
    surrogate (half an emoji, from a JSON escape) becomes "?": the gateway strips them, but the
    screen must not fail on any text it is given."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = cut_punctuation_runs(emoji.as_words(text).translate(APOSTROPHES))
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class Finding:
    category: str
    phrase: str  # the words of the message that matched ("left my bank card … nobodys fault")
    level: str
    situation: str = ""  # the situation rule that matched, if it was one


@dataclass
class Screening:
    level: str = "GREEN"
    findings: list[Finding] = field(default_factory=list)

    def ordered(self) -> list[Finding]:
        """Findings, most serious first (in the message's order within a level)."""
        return sorted(self.findings, key=lambda f: -rank(f.level))

    @property
    def categories(self) -> list[str]:
        """Categories found, most serious first."""
        return list(dict.fromkeys(f.category for f in self.ordered()))

    @property
    def top_category(self) -> str:
        return self.categories[0] if self.findings else ""

    def explain(self) -> list[dict[str, str]]:
        """For the handler: what matched, in which category, at what level; most serious first,
        so the first entry is the top category wherever it is stored."""
        return [{"category": f.category, "phrase": f.phrase, "level": f.level}
                | ({"situation": f.situation} if f.situation else {}) for f in self.ordered()]


@dataclass
class _Category:
    name: str
    level: str
    upgrade: dict[str, str] = field(default_factory=dict)  # cue -> the level it raises this to


class SafetyScreen:
    def __init__(self, lexicon_path: Path = SAFETY_DIR / "lexicon.yml") -> None:
        lexicon = lexicon_file.read(lexicon_path)  # its shape checked: a slip is refused, not read oddly
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self.nlp.initialize()
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.lemmas = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.patterns = Matcher(self.nlp.vocab, validate=True)
        self._words: set[str] = set()  # every word the lexicon spells out, for mending slips
        self.categories: dict[str, _Category] = {}
        cues = lexicon.get("cues") or {}
        for name, raw in lexicon["categories"].items():
            self.categories[name] = _Category(name, raw["level"], dict(raw.get("upgrade") or {}))
            self._add(name, raw)
        for name, raw in cues.items():
            self._add(f"cue:{name}", raw)
        evidence, self.situations = situations.load(
            lexicon, {name: category.level for name, category in self.categories.items()}, cues)
        self._situations_by_kind = situations.index(self.situations)
        for name, raw in evidence.items():
            self._add(f"ev:{name}", raw)
        self.spelling = Spelling(self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup"), self._words)
        # spaCy warns when a matcher with no rules is called (a small lexicon may have no patterns)
        self._matchers = [m for m in (self.phrases, self.lemmas, self.patterns) if len(m)]

    def _add(self, key: str, raw: dict[str, Any]) -> None:
        """One key's words; phrases and lemmas may use the "(a|b|)" shorthand (situations.expand)."""
        try:
            phrases = situations.expand_all(raw.get("phrases") or ())
            lemmas = situations.expand_all(raw.get("lemmas") or ())
        except ValueError as exc:
            raise ValueError(f"lexicon {key}: {exc}") from None
        if phrases:
            docs = list(self.nlp.tokenizer.pipe(phrases))
            self.phrases.add(key, docs)
            self._words.update(token.lower_ for doc in docs for token in doc)
        if lemmas:
            docs = list(self.nlp.pipe(lemmas))
            self.lemmas.add(key, docs)
            self._words.update(token.lower_ for doc in docs for token in doc)
        if raw.get("patterns"):
            self._words.update(words_in_patterns(raw["patterns"]))
            try:
                self.patterns.add(key, raw["patterns"])
            except ValueError as exc:  # spaCy's pattern validation, named
                raise ValueError(f"lexicon {key}: a pattern is not a valid spaCy token pattern: {exc}") from None

    def screen(self, text: str) -> Screening:
        """Findings quote the normalised message (lower case, single spaces, a listed emoji as
        its word)."""
        doc = self.nlp.make_doc(normalise(text))
        # Matched on a copy with dropped g's restored ("hittin" as "hitting"), token for token,
        # so a span means the same words in both and a finding quotes what was typed.
        words = [self.spelling.restore(token.text) for token in doc]
        if words != [token.text for token in doc]:
            doc_matched = self.nlp(Doc(self.nlp.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc]))
        else:
            doc_matched = doc = self.nlp(doc)
        strings = self.nlp.vocab.strings
        spans = [(strings[key], start, end) for matcher in self._matchers for key, start, end in matcher(doc_matched)]
        benign = [(s, e) for key, s, e in spans if key == "cue:benign"]

        def in_idiom(start: int, end: int) -> bool:
            return any(start < be and bs < end for bs, be in benign)

        # A cue inside an idiom is not one: "im not going to do anything stupid" has no intent.
        cues = {key[4:] for key, start, end in spans if key.startswith("cue:")
                and (key == "cue:benign" or not in_idiom(start, end))}
        evidence: dict[str, list[tuple[int, int]]] = {}
        findings: dict[tuple[str, str], Finding] = {}
        for key, start, end in sorted(spans, key=lambda item: (item[1], -item[2])):
            if key.startswith("cue:"):
                continue
            if key.startswith("ev:"):
                # Evidence is kept inside an idiom: "my dad will kill me" is benign alone and a
                # threat with "im hiding under the bed" (a situation), never silenced by it.
                evidence.setdefault(key[3:], []).append((start, end))
                continue
            if in_idiom(start, end):
                continue  # inside an idiom: "this homework is killing me", "want to die of shame"
            category = self.categories[key]
            level = highest(category.level, *(raised for cue, raised in category.upgrade.items() if cue in cues))
            phrase = doc[start:end].text
            # One finding per category and phrase; a longer phrase already found covers its parts.
            if any(f.category == key and phrase in f.phrase for f in findings.values()):
                continue
            findings[(key, phrase)] = Finding(key, phrase, level)
        # Situations: several kinds of evidence together (situations.py), checked only when the
        # message has evidence of their first kind.
        candidates = dict(pair for kind in evidence for pair in self._situations_by_kind.get(kind, ()))
        for _, situation in sorted(candidates.items()):
            found = situation.find(evidence)
            if found:
                phrase = " … ".join(doc[start:end].text for start, end in found)
                level = highest(situation.level, *(raised for cue, raised in situation.upgrade if cue in cues))
                finding = Finding(situation.category, phrase, level, situation.name)
                findings[(f"situation:{situation.name}", phrase)] = finding
        result = Screening(findings=list(findings.values()))
        result.level = highest("GREEN", *(f.level for f in result.findings))
        return result


def words_in_patterns(patterns: Any) -> set[str]:
    """The words a token pattern spells out: {"LOWER": "knife"}, {"LEMMA": {"IN": ["cut", "slit"]}}."""
    words: set[str] = set()
    if isinstance(patterns, dict):
        for attr, value in patterns.items():
            if attr in ("LOWER", "LEMMA", "ORTH", "TEXT", "NORM"):
                values = value.get("IN", []) if isinstance(value, dict) else [value]
                words.update(v.lower() for v in values if isinstance(v, str) and " " not in v)
            elif isinstance(value, (dict, list)):
                words |= words_in_patterns(value)
    elif isinstance(patterns, list):
        for item in patterns:
            words |= words_in_patterns(item)
    return words


@functools.cache
def default_screen() -> SafetyScreen:
    """The screen built from the committed lexicon, once per process (one to three seconds: the
    situations' shorthand phrases expand to some 60,000 forms)."""
    return SafetyScreen()
