"""Young people's spellings the lexicon need not list: a dropped g ("hittin", "comin",
"touchin") and a one-letter slip on a word the lexicon uses ("knfie", "bleding", "touchd").

The screen matches its words on a copy of the message with these restored, token for token, so
"dads hittin me rn" is read as "hitting me" while a finding still quotes what was typed. Only
words that are not words themselves are restored: "hittin" becomes "hitting" because "hitting"
is an inflected form in spaCy's lemma table and "hittin" is neither a form nor a lemma there;
"cousin", "train", "skin" and "ruin" are lemmas and stay as they are.

A typing slip is mended only towards a word of the lexicon's own, only when exactly one such
word is one edit away (a letter missed, added, changed, or two swapped), and only for words of
five letters or more: shorter ones are too often slang ("bro", "innit" is five and a lemma
neither, but no lexicon word is one edit from it) or too close to many words to choose.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.lookups import Table

# Dropped g's the lemma table cannot vouch for: "nothing" is its own lemma, "takin" is an animal.
KNOWN = {
    "nothin": "nothing", "nuthin": "nothing", "somethin": "something", "sumthin": "something",
    "anythin": "anything", "everythin": "everything", "mornin": "morning", "evenin": "evening",
    "takin": "taking", "vapin": "vaping", "textin": "texting", "googlin": "googling",
    "overthinkin": "overthinking",
}

# Words young people use that spaCy's lemma table lacks, each one edit from a lexicon word:
# "what does asexual mean" must not be read as "does sexual", nor "im trans" as "trains".
REAL_WORDS = {"asexual", "trans", "honesty", "mardy", "gobbed", "cwtch", "benched", "reposting", "handsy"}

SLIP_MIN_LENGTH = 5  # of the word typed; the word it is mended to has at least four letters


def one_edit_apart(typed: str, word: str) -> bool:
    """True when one letter missed, added or changed, or two neighbours swapped, turn typed into word."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    prefix = 0
    while prefix < min(len(typed), len(word)) and typed[prefix] == word[prefix]:
        prefix += 1
    rest_typed, rest_word = typed[prefix:], word[prefix:]
    if len(typed) == len(word):
        return rest_typed[1:] == rest_word[1:] or (
            len(rest_typed) >= 2 and rest_typed[0] == rest_word[1] and rest_typed[1] == rest_word[0]
            and rest_typed[2:] == rest_word[2:])
    return rest_typed[1:] == rest_word if len(typed) > len(word) else rest_typed == rest_word[1:]


class Spelling:
    def __init__(self, lemma_lookup: Table, lexicon_words: Iterable[str] = ()) -> None:
        self.forms = lemma_lookup  # inflected form -> lemma ("hitting" -> "hit")
        self.lemmas = set(lemma_lookup.values())
        self.lexicon_words = {w for w in lexicon_words if w.isalpha() and len(w) >= SLIP_MIN_LENGTH - 1}
        # Each word under itself and each of its one-letter deletions: a typed word's own
        # deletions then find every word one edit away among few candidates (symmetric deletion).
        self._by_deletion: dict[str, set[str]] = {}
        for word in self.lexicon_words:
            for key in self._deletions(word):
                self._by_deletion.setdefault(key, set()).add(word)

    @staticmethod
    def _deletions(word: str) -> set[str]:
        return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}

    def _is_a_word(self, word: str) -> bool:
        return word in self.forms or word in self.lemmas or word in self.lexicon_words or word in REAL_WORDS

    def restore(self, word: str) -> str:
        """The word with its g back or its slip mended, or the word itself."""
        if word in KNOWN:
            return KNOWN[word]
        if len(word) >= 4 and word.endswith("in") and word + "g" in self.forms \
                and word not in self.forms and word not in self.lemmas:
            return word + "g"
        if len(word) >= SLIP_MIN_LENGTH and word.isalpha() and not self._is_a_word(word):
            near = {candidate for key in self._deletions(word) for candidate in self._by_deletion.get(key, ())
                    if one_edit_apart(word, candidate)}
            # Two near words of one lemma ("touchd": "touch", "touched") are one reading; the
            # longer, as a missed letter is the commonest slip.
            if len({self.forms.get(candidate, candidate) for candidate in near}) == 1:
                return max(sorted(near), key=len)
        return word
