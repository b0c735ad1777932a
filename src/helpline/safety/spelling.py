"""Young people's spellings the lexicon need not list: a dropped g ("hittin", "comin", "touchin").

The screen matches its words on a copy of the message with these restored, token for token, so
"dads hittin me rn" is read as "hitting me" while a finding still quotes what was typed. Only
words that are not words themselves are restored: "hittin" becomes "hitting" because "hitting"
is an inflected form in spaCy's lemma table and "hittin" is neither a form nor a lemma there;
"cousin", "train", "skin" and "ruin" are lemmas and stay as they are.
"""

from __future__ import annotations

from spacy.lookups import Table

# Dropped g's the lemma table cannot vouch for: "nothing" is its own lemma, "takin" is an animal.
KNOWN = {
    "nothin": "nothing", "nuthin": "nothing", "somethin": "something", "sumthin": "something",
    "anythin": "anything", "everythin": "everything", "mornin": "morning", "evenin": "evening",
    "takin": "taking", "vapin": "vaping", "textin": "texting", "googlin": "googling",
    "overthinkin": "overthinking",
}


class DroppedG:
    def __init__(self, lemma_lookup: Table) -> None:
        self.forms = lemma_lookup  # inflected form -> lemma ("hitting" -> "hit")
        self.lemmas = set(lemma_lookup.values())

    def restore(self, word: str) -> str:
        """The word with its g back, or the word itself."""
        if word in KNOWN:
            return KNOWN[word]
        if len(word) >= 4 and word.endswith("in") and word + "g" in self.forms \
                and word not in self.forms and word not in self.lemmas:
            return word + "g"
        return word
