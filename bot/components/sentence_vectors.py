"""Pretrained word-piece vectors for the classifier: meaning, not only the words of the examples.

Word counts learn the exact words of the training examples; a young person in danger rarely
uses them ("tablets" where the examples say "pills", "the canal" where they say "the bridge").
These vectors come from WordLlama (MIT licence; `pip install --no-deps wordllama`, whose wheel
carries its 256-dimension weights and tokenizer, so nothing is downloaded at run time): a
32,000 word-piece table distilled from large language models' token embeddings and trained for
sentence similarity. A message's vector is the mean of its word pieces, scaled to unit length.

Only the weights file and the tokenizer are read: the wordllama package itself wants numpy 2,
which Rasa 3.6 cannot run, so it is installed without dependencies and never imported.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import struct
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


def package_dir() -> Path:
    """Where pip put wordllama's files, found without importing the package."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the wordllama package (its vector files) is not installed in the bot's environment: "
            "run make again, or `pip install --no-deps wordllama==0.4.0.post1`"
        )
    return Path(list(spec.submodule_search_locations)[0])


def read_safetensors(path: Path) -> np.ndarray:
    """The one tensor of a safetensors file: an 8-byte header length, a JSON header, the data."""
    with path.open("rb") as handle:
        (header_length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(header_length))
        data = handle.read()
    tensors = {name: meta for name, meta in header.items() if name != "__metadata__"}
    if len(tensors) != 1:
        raise ValueError(f"{path}: expected one tensor, found {sorted(tensors)}")
    meta = next(iter(tensors.values()))
    if meta["dtype"] != "F16":
        raise ValueError(f"{path}: expected float16 weights, found {meta['dtype']}")
    start, end = meta["data_offsets"]
    return np.frombuffer(data[start:end], dtype="<f2").reshape(meta["shape"]).astype(np.float32)


class SentenceVectors:
    """The word-piece table and its tokenizer, loaded once per process (a 16 MB file, 33 MB as
    float32 in memory; about 0.2 s)."""

    def __init__(self, directory: Optional[Path] = None) -> None:
        from tokenizers import Tokenizer  # only the bot's environment has it

        directory = directory or package_dir()
        self.table = read_safetensors(directory / WEIGHTS)
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    @property
    def dimensions(self) -> int:
        return self.table.shape[1]

    def pieces(self, text: str) -> np.ndarray:
        """One vector per word piece (none for an empty text). Lower case: young people's
        capitals are random, and the examples are mostly lower case."""
        # A lone surrogate (a broken emoji from a JSON escape) cannot be encoded: it is a
        # replacement character here, not a crash of the whole answer.
        text = text.encode("utf-8", "replace").decode("utf-8").strip().lower()
        if not text:  # whitespace alone would still make word-boundary pieces
            return np.zeros((0, self.dimensions), dtype=np.float32)
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        ids = np.clip(np.asarray(ids, dtype=np.int64), 0, self.table.shape[0] - 1)
        return self.table[ids]

    def sentence(self, text: str) -> np.ndarray:
        """The mean of the word pieces, unit length (zeros for a text with none)."""
        pieces = self.pieces(text)
        if not len(pieces):
            return np.zeros(self.dimensions, dtype=np.float32)
        mean = pieces.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm else mean


@functools.lru_cache(maxsize=1)
def shared_vectors() -> SentenceVectors:
    return SentenceVectors()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceVectorsFeaturizer(DenseFeaturizer, GraphComponent):
    """Dense features from the word-piece vectors: one per token, and one for the message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # The sentence vector is unit length while the count features are counts: scaled
            # up, the linear classifier can weigh meaning against words (see bot/config.yml).
            "scale": 10.0,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["tokenizers"]

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self.scale = float(self._config["scale"])
        self.vectors = shared_vectors()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if float(config.get("scale", 10.0)) <= 0:
            raise ValueError("SentenceVectorsFeaturizer: scale must be positive")

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                self._featurize(message, attribute)
        return messages

    def _featurize(self, message: Message, attribute: Text) -> None:
        tokens = message.get(TOKENS_NAMES[attribute])
        text = message.get(attribute)
        if not tokens or not isinstance(text, str):
            return
        # A row per token (the mean of its word pieces), as Rasa's sequence features must be.
        sequence = np.stack([self._token_vector(token.text) for token in tokens])
        sentence = (self.vectors.sentence(text) * self.scale)[np.newaxis, :]
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, attribute, alias))
        message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, attribute, alias))

    def _token_vector(self, word: str) -> np.ndarray:
        pieces = self.vectors.pieces(word)
        return pieces.mean(axis=0) if len(pieces) else np.zeros(self.vectors.dimensions, np.float32)
