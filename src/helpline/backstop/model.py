"""The backstop reader's trained weights: a linear classifier over features.py's features.

Stored as plain arrays and JSON (never a pickle, which would run code when loaded): the
vocabularies, the classes, one weight row per intent. Loading needs no training library's
internals to match the version that trained it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .features import Featurizer

FORMAT = 1
WEIGHTS_FILE = "weights.npz"
META_FILE = "model.json"


class ModelMissing(Exception):
    """No trained backstop where it was looked for (or one this code cannot read)."""


@dataclass
class BackstopModel:
    featurizer: Featurizer
    classes: list[str]
    coef: np.ndarray  # intents x features
    intercept: np.ndarray  # intents
    meta: dict[str, Any]  # how and from what it was trained

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every intent with its probability, best first."""
        scores = self.featurizer.transform([text]) @ self.coef.T + self.intercept
        scores = np.asarray(scores).ravel()
        probabilities = np.exp(scores - scores.max())
        probabilities /= probabilities.sum()
        order = np.argsort(-probabilities, kind="stable")
        return [(self.classes[i], float(probabilities[i])) for i in order]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / WEIGHTS_FILE, coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float32))
        meta = self.meta | {"format": FORMAT, "classes": self.classes, "scale": self.featurizer.scale,
                            **self.featurizer.vocabularies()}
        (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BackstopModel:
        try:
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
            with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as arrays:
                coef, intercept = arrays["coef"], arrays["intercept"]
        except FileNotFoundError as exc:
            raise ModelMissing(f"no backstop model in {directory}: run `make backstop`") from exc
        except (ValueError, KeyError, OSError) as exc:
            raise ModelMissing(f"the backstop model in {directory} cannot be read ({exc}): run `make backstop`") from exc
        if meta.get("format") != FORMAT:
            raise ModelMissing(f"the backstop model in {directory} has format {meta.get('format')!r}, not {FORMAT}: "
                               "run `make backstop`")
        featurizer = Featurizer(meta.pop("words"), meta.pop("chars"), scale=float(meta["scale"]))
        classes = list(meta.pop("classes"))
        width = len(featurizer.words.vocabulary) + len(featurizer.chars.vocabulary) + featurizer.vectors.dimensions
        if coef.shape != (len(classes), width) or intercept.shape != (len(classes),):
            raise ModelMissing(f"the backstop model in {directory} does not fit its vocabularies: run `make backstop`")
        return cls(featurizer, classes, coef, intercept, meta)
