"""The evaluation sets are honest: labelled with levels and topics the service knows, large
enough, and none of their messages is in the training data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from helpline.config import ROOT
from helpline.safety import levels

SMALL_TALK = {"greet", "goodbye", "thanks", "affirm", "deny", "ask_for_person", "bot_challenge", "what_is_this",
              "out_of_scope", "insult"}


def training_examples() -> set[str]:
    examples = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            examples.update(line[2:].strip().lower() for line in block["examples"].splitlines()
                            if line.startswith("- "))
    return examples


@pytest.mark.parametrize(("name", "minimum"), [("eval.tsv", 300), ("holdout.tsv", 200), ("holdout2.tsv", 200), ("holdout3.tsv", 200), ("holdout4.tsv", 220), ("holdout5.tsv", 240), ("holdout6.tsv", 240), ("holdout7.tsv", 240), ("holdout8.tsv", 240), ("holdout9.tsv", 240), ("holdout10.tsv", 240), ("holdout11.tsv", 240), ("holdout12.tsv", 230), ("holdout13.tsv", 240), ("holdout14.tsv", 240), ("holdout15.tsv", 230), ("holdout16.tsv", 240), ("holdout17.tsv", 240), ("holdout18.tsv", 240), ("holdout19.tsv", 240), ("holdout20.tsv", 240), ("holdout21.tsv", 240)])
def test_an_evaluation_set_is_large_labelled_and_unseen(name: str, minimum: int) -> None:
    path: Path = ROOT / "tests" / "data" / name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) >= minimum
    meanings = levels.intents()
    for row in rows:
        expected = "GREEN" if row["topic"] in SMALL_TALK else meanings[row["topic"]].level
        assert row["level"] == expected, row
    texts = [row["text"].strip().lower() for row in rows]
    assert len(set(texts)) == len(texts), "duplicate lines"
    assert not set(texts) & training_examples(), "evaluation lines found in the training data"
    assert {row["level"] for row in rows} == {"RED", "AMBER", "GREEN"}
