"""The classifier's word-piece vectors (helpline.vectors, fed to Rasa by
bot/components/sentence_vectors.py), with the real weights from the wordllama wheel the
Makefile installs. Runs in the bot's environment."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.sentence_vectors import SentenceVectorsFeaturizer
from helpline import vectors as sentence_vectors
from helpline.vectors import read_safetensors, shared_vectors


def cosine(a: str, b: str) -> float:
    vectors = shared_vectors()
    return float(vectors.sentence(a) @ vectors.sentence(b))


def test_the_real_weights_load_with_their_tokenizer() -> None:
    vectors = shared_vectors()
    assert vectors.table.shape == (32000, 256)
    assert vectors.table.dtype == np.float32
    assert np.isfinite(vectors.table).all()


def test_a_message_vector_is_unit_length_and_an_empty_one_is_zeros() -> None:
    vectors = shared_vectors()
    assert np.linalg.norm(vectors.sentence("sittin at the canal wi stones in ma pockets")) == pytest.approx(1.0, abs=1e-5)
    assert not vectors.sentence("").any()
    assert not vectors.sentence("   ").any()


def test_capitals_do_not_change_the_vector() -> None:
    vectors = shared_vectors()
    assert np.allclose(vectors.sentence("I TOOK ALL MY PILLS"), vectors.sentence("i took all my pills"))


@pytest.mark.parametrize(
    ("text", "same_meaning", "other"),
    [
        ("i took all my pills", "swallowed a load of tablets", "my maths exam is tomorrow"),
        ("my dad hits me", "my father beats me up", "i love playing football with my dad"),
        ("i cant sleep at night", "awake every night till 4am", "my mate stole my crisps"),
    ],
)
def test_messages_that_mean_the_same_are_closer_than_ones_that_do_not(text: str, same_meaning: str, other: str) -> None:
    # What the vectors add over word counts: these pairs share almost no words.
    assert cosine(text, same_meaning) > cosine(text, other) + 0.05


def featurize(text: str) -> Message:
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    featurizer = SentenceVectorsFeaturizer({**SentenceVectorsFeaturizer.get_default_config(), "scale": 10.0}, "vectors")
    featurizer.process([message])
    return message


def test_the_featurizer_gives_a_row_per_token_and_a_scaled_message_vector() -> None:
    message = featurize("been saving my nans tablets in a sock")
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (len(message.get(TOKENS_NAMES[TEXT])), 256)
    assert sentence.features.shape == (1, 256)
    assert np.linalg.norm(sentence.features) == pytest.approx(10.0, abs=1e-4)


@pytest.mark.parametrize("text", ["😭😭😭", "\u200b", "a" * 5000, "ñ ü 中文 \x00 \ufffd", "half an emoji \ud83d"])
def test_odd_text_gets_finite_features_or_none(text: str) -> None:
    message = featurize(text)
    sequence, sentence = message.get_dense_features(TEXT)
    if sentence is not None:
        assert np.isfinite(sentence.features).all()
        assert np.isfinite(sequence.features).all()


def test_a_scale_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="scale must be positive"):
        SentenceVectorsFeaturizer.validate_config({"scale": 0})


def test_a_missing_wordllama_package_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentence_vectors.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="pip install --no-deps wordllama"):
        sentence_vectors.package_dir()


def write_safetensors(path: Path, header: dict, data: bytes) -> Path:
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + data)
    return path


def test_safetensors_are_read_exactly(tmp_path: Path) -> None:
    table = np.arange(6, dtype="<f2").reshape(2, 3)
    path = write_safetensors(
        tmp_path / "t.safetensors",
        {"__metadata__": {}, "embedding.weight": {"dtype": "F16", "shape": [2, 3], "data_offsets": [0, 12]}},
        table.tobytes(),
    )
    assert np.array_equal(read_safetensors(path), table.astype(np.float32))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"a": {"dtype": "F16", "shape": [1], "data_offsets": [0, 2]}, "b": {"dtype": "F16", "shape": [1], "data_offsets": [2, 4]}}, "expected one tensor"),
        ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, "expected float16"),
    ],
)
def test_unexpected_safetensors_are_refused(tmp_path: Path, header: dict, message: str) -> None:
    path = write_safetensors(tmp_path / "t.safetensors", header, b"\0" * 8)
    with pytest.raises(ValueError, match=message):
        read_safetensors(path)
