"""How the backstop reader sees a message: the same three kinds of features as the bot's
classifier (bot/config.yml), so it generalises the same way.

- word counts: the topic words ("bullied", "exams");
- character 2- to 4-grams inside word boundaries: misspellings land near the right words;
- WordLlama's sentence vector (helpline.vectors), scaled as the bot scales it: meaning, for
  wording the examples never used.

Text goes through the same redaction as what the bot is sent (the caller's job) and is lower
cased here. The vocabularies are data of the trained model, never refitted at run time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from ..vectors import SentenceVectors, shared_vectors

SCALE = 10.0  # the bot's SentenceVectorsFeaturizer scale: a unit vector weighed against counts
WORD_PATTERN = r"(?u)\b\w+\b"  # single letters count too: "i", "u", "x"


def word_counter(vocabulary: dict[str, int] | None = None) -> CountVectorizer:
    return CountVectorizer(token_pattern=WORD_PATTERN, vocabulary=vocabulary, lowercase=False)


def char_counter(vocabulary: dict[str, int] | None = None) -> CountVectorizer:
    return CountVectorizer(analyzer="char_wb", ngram_range=(2, 4), vocabulary=vocabulary, lowercase=False)


def clean(text: str) -> str:
    """A lone surrogate (half an emoji from a JSON escape) must not fail the reader."""
    return text.encode("utf-8", "replace").decode("utf-8").lower()


class Featurizer:
    def __init__(self, words: dict[str, int], chars: dict[str, int], scale: float = SCALE,
                 vectors: SentenceVectors | None = None) -> None:
        self.words = word_counter(words)
        self.chars = char_counter(chars)
        self.scale = scale
        self.vectors = vectors or shared_vectors()

    @classmethod
    def fit(cls, texts: list[str], vectors: SentenceVectors | None = None) -> Featurizer:
        """Vocabularies from the training texts."""
        texts = [clean(t) for t in texts]
        words = word_counter().fit(texts).vocabulary_
        chars = char_counter().fit(texts).vocabulary_
        return cls({w: int(i) for w, i in words.items()}, {c: int(i) for c, i in chars.items()}, vectors=vectors)

    def transform(self, texts: list[str]) -> Any:
        texts = [clean(t) for t in texts]
        dense = np.stack([self.vectors.sentence(t) for t in texts]) * self.scale
        return sparse.hstack([self.words.transform(texts), self.chars.transform(texts),
                              sparse.csr_matrix(dense)], format="csr")

    def vocabularies(self) -> dict[str, dict[str, int]]:
        return {"words": dict(self.words.vocabulary), "chars": dict(self.chars.vocabulary)}
