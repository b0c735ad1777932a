"""Training the backstop reader (`helpline train-backstop`, run by `make backstop`): a logistic
regression on the bot's own examples, as the bot's LogisticRegressionClassifier is trained."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from ..config import ROOT
from . import examples
from .features import Featurizer
from .model import BackstopModel

BOT_CONFIG = ROOT / "bot" / "config.yml"
# The bot's classifier stopped at 500 too until session 12 (now 200, bot/config.yml, measured with
# the bot); the backstop keeps 500, as measured with the bot down, since it trains in about a minute.
MAX_ITER = 500


def fallback_threshold(config: Path = BOT_CONFIG) -> float:
    """The bot's FallbackClassifier threshold: below it a message is "not understood", for the
    backstop as for the bot (one number, kept in bot/config.yml)."""
    pipeline = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pipeline") or []
    for component in pipeline:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    raise ValueError(f"{config}: no FallbackClassifier in the pipeline")


def digest(pairs: list[tuple[str, str]]) -> str:
    """Which examples a model was trained on, to tell a stale model from a current one."""
    return hashlib.sha256("\n".join(f"{intent}\t{text}" for text, intent in pairs).encode()).hexdigest()[:16]


def train(pairs: list[tuple[str, str]], bot_config: Path = BOT_CONFIG) -> BackstopModel:
    texts = [text for text, _ in pairs]
    featurizer = Featurizer.fit(texts)
    # As Rasa's LogisticRegressionClassifier: intents with few examples weigh as much as the rest.
    classifier = LogisticRegression(max_iter=MAX_ITER, class_weight="balanced", random_state=42)
    classifier.fit(featurizer.transform(texts), [intent for _, intent in pairs])
    meta = {"examples": len(pairs), "digest": digest(pairs), "fallback_threshold": fallback_threshold(bot_config),
            "trained": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    return BackstopModel(featurizer, [str(c) for c in classifier.classes_],
                         np.asarray(classifier.coef_), np.asarray(classifier.intercept_), meta)


def main(out: Path, nlu: Path = examples.NLU_DIR, bot_config: Path = BOT_CONFIG) -> None:
    """Train and save to out (Settings.backstop_dir by default, from the command); the inputs
    default to the checkout's (an image names its own)."""
    started = time.monotonic()
    pairs = examples.read(nlu)
    model = train(pairs, bot_config)
    model.save(out)
    print(f"[helpline] backstop reader trained on {len(pairs)} examples of {len(model.classes)} intents "
          f"in {time.monotonic() - started:.0f} s: {out}", flush=True)
