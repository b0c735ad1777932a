"""Pretrained word-piece vectors for the classifier: meaning, not only the words of the examples.

The vectors are WordLlama's (helpline.vectors, shared with the gateway's backstop reader): a
message's vector is the mean of its word pieces, scaled to unit length. This component hands
them to Rasa as dense features, one row per token and one for the message.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

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

from helpline.vectors import shared_vectors


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
