"""WordLlama's word-piece vectors: meaning, not only the words of the examples.

Word counts learn the exact words of the training examples; a young person in danger rarely
uses them ("tablets" where the examples say "pills", "the canal" where they say "the bridge").
These vectors come from WordLlama (MIT licence), whose wheel carries its 256-dimension weights
and tokenizer, so nothing is downloaded at run time: a 32,000 word-piece table distilled from
large language models' token embeddings and trained for sentence similarity. A message's vector
is the mean of its word pieces, scaled to unit length.

Two readers use them: the bot's classifier (bot/components/sentence_vectors.py, in the bot's
environment) and the gateway's backstop reader (helpline.backstop). Only the weights file and
the tokenizer are read, never the wordllama package itself: it wants numpy 2, which Rasa 3.6
cannot run, so the bot's environment installs it without dependencies. numpy and tokenizers
only, and Python 3.10-compatible, for the same reason.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import struct
from pathlib import Path
from typing import Optional

import numpy as np
from tokenizers import Tokenizer

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


def package_dir() -> Path:
    """Where pip put wordllama's files, found without importing the package."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the wordllama package (its vector files) is not installed in this environment: "
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
